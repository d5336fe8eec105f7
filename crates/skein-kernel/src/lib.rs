//! Skein's notebook kernel: cells are Python, run by [Monty](https://crates.io/crates/monty),
//! with Dask's API as the seeds use it — `delayed`, `Client` with `submit`, `map`, `gather`
//! and `as_completed`, futures, `dask.bag`, `concurrent.futures` — plus `matplotlib.pyplot`,
//! a small `pandas` and Skein's native labs (`from skein.labs import multi_sample`).
//!
//! A [`Kernel`] keeps one interpreter whose state persists between cells, streams each
//! cell's [`Output`]s as data (printed lines, values by their `repr`, tables, plots, task
//! graphs, tracebacks), and can be interrupted from any thread. The functions a cell hands
//! to Dask run on the engine's workers, each worker in an interpreter of its own, captured
//! the way Dask's cloudpickle captures them: code and globals by value, when submitted.
//!
//! ```
//! use skein_kernel::{Kernel, Output};
//!
//! let mut kernel = Kernel::new();
//! let mut outputs = Vec::new();
//! kernel.run_cell(
//!     "from dask import delayed\n\
//!      @delayed\n\
//!      def square(x):\n    return x * x\n\
//!      d = square(square(3))\n\
//!      d.compute()",
//!     &mut |o| outputs.push(o),
//! );
//! assert!(matches!(&outputs[0], Output::Value { display, .. } if display == "81"));
//! ```
//!
//! Cells have no access to the DOM, network or storage; files come in through
//! [`Kernel::set_file`] and go out as [`Output::File`]. Example notebooks ([`Notebook`])
//! live in `web/examples/`.

mod builtin_aliases;
mod calendar;
mod capture;
mod cell;
mod classes;
mod complete;
mod coordination;
mod emit;
mod errors;
pub mod export;
mod host;
mod interp;
mod interrupt;
mod ipynb;
mod kernel;
mod lab_names;
mod labs;
mod magics;
mod names;
mod notebook;
mod numpy;
mod output;
mod plots;
mod python_builtins;
mod pyvalue;
mod release;
mod retry;
mod rewrite;
mod sendable;
mod session;
mod snapshot;
mod table;
pub mod ticks;
mod token;
mod worker;

pub use complete::{BUILTIN_FUNCTIONS, Completion};
pub use errors::{CellError, ErrorKind};
pub use interrupt::InterruptHandle;
pub use kernel::{Admitted, CellOutcome, Kernel, KernelConfig};
pub use notebook::{Cell as NotebookCell, CellKind, Notebook, NotebookError};
pub use output::{Axes, Cell, HistogramLayer, Labels, Output, Plot, Series, Table};
pub use pyvalue::PyValue;
pub use release::Held;
