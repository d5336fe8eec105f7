//! The seed notebooks' workloads, fast and tested, for Skein's engine.
//!
//! Skein re-creates Dask's task-parallel model in Rust; this crate holds the work the two
//! seed notebooks give that model to do, and a native CLI (`skein`) that runs it:
//!
//! * **Monte Carlo π** — [`monte_carlo::multi_sample`] (hundreds of millions of samples per
//!   second per core), [`drivers::pi::run_batches`] as a delayed graph, and
//!   [`drivers::pi::converge_pi`], the `as_completed` loop that adds tasks until the
//!   estimate settles.
//! * **Emergency services** — traffic grids from `.npy` files or a seeded synthetic city
//!   ([`traffic`]); the seed's [`adjacency::build_adj_matrix`]; all-pairs
//!   [`shortest_path::shortest_path`] equal to SciPy's; [`zones`]; the seed's
//!   [`response::response_to_random_fire`]; Activity 4's [`schemes`] with NumPy-style
//!   [`stats`]; and p-median truck [`placement`]. [`drivers::emergency`] runs it all as
//!   engine tasks.
//! * **Parameter sweep** — [`sweep::costly_simulation`] over a random parameter table, via
//!   `client.map`, delayed calls or a `Bag` ([`drivers::sweep`]).
//! * **Toy dataframe** — [`dataframe::load_csv`] reads one partition of a CSV as the seed's
//!   pandas call does; [`drivers::dataframe`] builds `count`, `sum` and `mean` as lazy graphs.
//!
//! Everything compiles for `wasm32-unknown-unknown` (the browser app calls these functions
//! on Web Workers): randomness comes from explicit seeds ([`rng`]), there are no clocks and
//! no threads of our own, and bad input is a [`LabError`](error::LabError), never a panic.
//! Long loops take a [`Cancel`](cancel::Cancel) and stop within milliseconds when asked.
//!
//! # Example
//!
//! The 16-zone lab of the seed, then the same on the engine:
//!
//! ```
//! use skein_labs::schemes::{activity4_schemes, run_scheme, LabConfig};
//! use skein_labs::traffic::{synthetic_city, CityConfig};
//!
//! let city = synthetic_city(CityConfig { size: 16, seed: 2024 })?;
//! let sixteen_zones = activity4_schemes()[0];
//! let config = LabConfig { samples_per_zone: 100, bins: 20, seed: 1 };
//! let report = run_scheme(&city, sixteen_zones, config)?;
//! assert_eq!(report.summary.count, 1600);
//! assert!(report.summary.median <= report.summary.p90);
//!
//! let client = skein_core::Client::new();
//! let on_engine = skein_labs::drivers::emergency::run_scheme(&client, &city, sixteen_zones, config)?;
//! assert_eq!(on_engine, report);
//! # Ok::<(), skein_labs::error::LabError>(())
//! ```
#![warn(missing_docs)]

pub mod adjacency;
pub mod cancel;
pub mod dataframe;
pub mod drivers;
pub mod error;
pub mod matrix;
pub mod monte_carlo;
pub mod placement;
pub mod response;
pub mod rng;
pub mod schemes;
pub mod shortest_path;
pub mod stats;
pub mod sweep;
pub mod traffic;
pub mod values;
pub mod zones;
