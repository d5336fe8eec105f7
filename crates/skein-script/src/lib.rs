//! Skein's notebook language: cells are [Rhai](https://rhai.rs) scripts with Dask's API, run
//! by a [`Kernel`] that keeps state between cells, streams [`Output`]s as data (text, values,
//! tables, plots, task graphs, errors with line and column), and can be interrupted from any
//! thread.
//!
//! ```
//! use skein_script::{Kernel, Output};
//!
//! let mut kernel = Kernel::new();
//! let mut outputs = Vec::new();
//! kernel.run_cell(
//!     "fn square(x) { x * x }
//!      let sq = delayed(square);
//!      let d = sq(sq(3));          // a Delayed: nothing has run yet
//!      d.visualize();              // the graph, as DOT and SVG
//!      d.compute()                 // 81, run on the workers",
//!     &mut |o| outputs.push(o),
//! );
//! assert!(matches!(outputs[0], Output::Graph { .. }));
//! assert!(matches!(&outputs[1], Output::Value { display, .. } if display == "81"));
//! ```
//!
//! The language is Rhai's, with Skein's API registered (see the `api` modules' docs):
//! `delayed`, `Client()` with `submit`/`map`/`gather`/`as_completed`/`cancel`, futures,
//! `bag_from_sequence`, `table`, `hist`, `plot`, `imshow`, the native lab functions, and
//! array helpers. Two additions make Dask code translate line for line: a variable holding a
//! function can be called as `f(x)` (Rhai itself needs `f.call(x)`), and keyword arguments
//! are an object map at the end (`#{ pure: false }`). Scripts have no access to the DOM,
//! network or storage; files come in through [`Kernel::set_file`] and go out as
//! [`Output::File`].
//!
//! Example notebooks ([`Notebook`]) live in `web/examples/`.

mod api;
mod calls;
mod convert;
mod display;
mod emit;
mod engine;
mod errors;
mod interrupt;
mod kernel;
mod notebook;
mod output;
mod session;
mod task;

pub use engine::Limits;
pub use errors::{CellError, ErrorKind};
pub use interrupt::InterruptHandle;
pub use kernel::{Admitted, CellOutcome, Kernel, KernelConfig};
pub use notebook::{Cell as NotebookCell, CellKind, Notebook, NotebookError};
pub use output::{Cell, Labels, Output, Plot, Series, Table};
