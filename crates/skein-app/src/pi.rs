//! The π speed check: the same Monte Carlo work run through Skein's scheduler on every
//! worker, then on one thread, so the speed-up is visible.

use std::collections::BTreeSet;

use skein_core::{Client, Config, EventKind, delayed, sum};
use skein_labs::monte_carlo::multi_sample_seeded;

/// Samples each thread draws before the timed runs.
const WARM_UP_SAMPLES: u64 = 2_000_000;

/// The outcome of one comparison run.
#[derive(Clone, Debug, PartialEq)]
pub struct PiReport {
    /// The π estimate, or NaN if the parallel run's hits differ from the single-thread loop's.
    pub estimate: f64,
    /// Samples drawn by each run (`batches × per_batch`).
    pub samples: u64,
    /// Wall time of the run through the scheduler, in milliseconds.
    pub parallel_ms: f64,
    /// Wall time of the same batches in a loop on one thread, in milliseconds.
    pub single_ms: f64,
    /// How many distinct workers ran batches in the parallel run.
    pub threads_used: usize,
}

impl PiReport {
    /// How many times faster the parallel run was than the single-thread loop.
    pub fn speedup(&self) -> f64 {
        self.single_ms / self.parallel_ms.max(f64::EPSILON)
    }
}

/// Runs `batches × per_batch` samples as a delayed graph (the seed's `run_batches`: a `sum`
/// of `multi_sample` tasks) on `workers` workers, then the same batches in a loop on this
/// thread. The run has a client of its own so its events stay out of the notebook's dashboard.
pub fn compare(workers: usize, batches: u32, per_batch: u64, now_ms: fn() -> f64) -> PiReport {
    let client = Client::with_config(Config {
        workers: Some(workers),
        ..Config::default()
    });
    // Start-up costs are not the work being compared: idle workers sleep, and the browser
    // compiles hot wasm functions a second time, optimised, only once they have run a while.
    rayon::broadcast(|_| multi_sample_seeded(WARM_UP_SAMPLES, 0));
    let sample = delayed(multi_sample_seeded).named("multi_sample").pure();
    let graph = sum((0..batches).map(|batch| sample.call(per_batch, u64::from(batch))));
    let start = now_ms();
    let parallel = graph.compute_on(&client);
    let parallel_ms = now_ms() - start;

    let workers_used: BTreeSet<usize> = client
        .events()
        .drain()
        .into_iter()
        .filter(|event| event.key.group() == "multi_sample")
        .filter_map(|event| match event.kind {
            EventKind::Finished { worker, .. } => Some(worker),
            _ => None,
        })
        .collect();

    let start = now_ms();
    let single: u64 = (0..batches)
        .map(|batch| multi_sample_seeded(per_batch, u64::from(batch)))
        .sum();
    let single_ms = now_ms() - start;

    let samples = u64::from(batches) * per_batch;
    // Equal seeds give equal hits: the parallel run must agree with the loop exactly.
    let hits = parallel.unwrap_or(u64::MAX);
    PiReport {
        estimate: if hits == single {
            4.0 * hits as f64 / samples as f64
        } else {
            f64::NAN
        },
        samples,
        parallel_ms,
        single_ms,
        threads_used: workers_used.len(),
    }
}
