//! Skein's engine: Dask's task-parallel model — delayed graphs and futures — in Rust, running
//! natively and in wasm (on Web Workers through wasm-bindgen-rayon).
//!
//! - [`delayed`] wraps a function so calls build a [`Delayed`] graph; `compute` runs it,
//!   `persist` keeps its result in memory, `visualize` draws it.
//! - [`Client`] submits work now and returns [`Future`]s; [`as_completed`] yields them as they
//!   finish; [`Bag`] batches many small items into few tasks.
//! - Underneath is an untyped layer ([`Value`], [`TaskFn`], [`Graph`], [`Input`]) that other
//!   crates (the script engine) build on, and a scheduler that runs tasks depth-first on rayon,
//!   releases results as soon as nothing needs them, and reports every state change to a
//!   lock-free [`EventLog`] and per-group counters ([`GroupStats`]); [`LiveGraph`] rebuilds
//!   the running graph from those events for a dashboard.
//!
//! ```
//! use skein_core::{delayed, sum, Client};
//!
//! fn multi_sample(n: u64) -> u64 {
//!     // A deterministic stand-in for the seed's Monte Carlo batch.
//!     (0..n).filter(|i| i % 4 != 0).count() as u64
//! }
//!
//! let client = Client::new();
//! let sample = delayed(multi_sample);
//! let total = sum((0..100).map(|_| sample.call(1_000)));
//! assert_eq!(total.compute_on(&client).unwrap(), 75_000);
//!
//! let f = client.submit(multi_sample, 1_000_u64);
//! assert_eq!(f.result().unwrap(), 750);
//! ```

pub mod as_completed;
pub mod bag;
pub mod client;
pub mod clock;
pub mod delayed;
pub mod error;
pub mod events;
pub mod function;
pub mod future;
pub mod graph;
pub mod input;
pub mod key;
pub mod live_graph;
mod node;
pub mod performance_report;
pub mod priority;
mod scheduler;
pub mod small_blocks;
pub mod stats;
mod submission;
mod task_state;
pub mod task_stream;
pub mod value;
pub mod visualize;

pub use as_completed::{AsCompleted, as_completed};
pub use bag::Bag;
pub use client::{Client, Config};
pub use delayed::{Delayed, DelayedFn, Impure, Pure, compute_all, delayed, sum};
pub use error::{Error, Failure, FailureKind, GraphError, TaskError};
pub use events::{Event, EventKind, EventLog};
pub use function::{Function, TaskReturn};
pub use future::{Future, Status, Stopped};
pub use graph::{Arg, Graph, TaskFn, TaskSpec};
pub use input::{Input, Inputs, IntoInput};
pub use key::{Key, Purity, TokenHasher, Tokenize};
pub use live_graph::{GroupNode, LiveGraph, TaskNode};
pub use performance_report::performance_report;
pub use priority::Priority;
pub use small_blocks::SmallBlocks;
pub use stats::GroupStats;
pub use task_state::TaskState;
pub use task_stream::{TaskRecord, TaskStreamRecording};
pub use value::{ApproxSize, Data, FromValue, IntoValue, Value};
pub use visualize::Visualization;
