//! The labs run on Skein's engine, as the seeds run them on Dask.
//!
//! Each submodule takes one seed's workflow and expresses it with `skein_core`'s API —
//! [`delayed`](skein_core::delayed) graphs, [`Client`](skein_core::Client) futures,
//! [`as_completed`](skein_core::as_completed) and [`Bag`](skein_core::Bag) — over the plain
//! workload functions of the crate's other modules. Task functions are named after the
//! seed's Python functions, so the dashboard's task stream shows `multi_sample`,
//! `load_csv` or `costly_simulation` as Dask's would.

pub mod dataframe;
pub mod emergency;
pub mod pi;
pub mod speed_check;
pub mod sweep;
