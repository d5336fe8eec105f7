//! The π speed check: the same Monte Carlo work run through Skein's scheduler on every
//! worker, then on one thread, so the speed-up is visible.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use skein_core::clock::now_ms;
use skein_core::{Client, Config, Event, EventKind, delayed, sum};
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
    /// Wall time of the same batches split into one loop per worker, without the scheduler:
    /// the most that this browser and machine give, which the parallel run is measured
    /// against.
    pub plain_threads_ms: f64,
    /// How many distinct workers ran batches in the parallel run.
    pub threads_used: usize,
    /// From the parallel run's start until the last worker to join began its first batch, in
    /// milliseconds: how long sleeping workers took to wake.
    pub last_worker_joined_ms: f64,
    /// The share of the parallel run's `workers × parallel_ms` spent inside batches: below 1
    /// by the scheduling and waking, and not by a slower batch (a core shared with the page).
    pub busy_share: f64,
}

impl PiReport {
    /// How many times faster the parallel run was than the single-thread loop.
    pub fn speedup(&self) -> f64 {
        self.single_ms / self.parallel_ms.max(f64::EPSILON)
    }
}

/// Runs `batches × per_batch` samples as a delayed graph (the seed's `run_batches`: a `sum`
/// of `multi_sample` tasks) on `workers` workers, then the same batches in a loop on this
/// thread, then split over `workers` plain threads. The run has a client of its own so its
/// events stay out of the notebook's dashboard. Times come from the engine's clock, which the
/// events use too.
pub fn compare(workers: usize, batches: u32, per_batch: u64) -> PiReport {
    let client = Client::with_config(Config {
        workers: Some(workers),
        ..Config::default()
    });
    // Start-up costs are not the work being compared: idle workers sleep, and the browser
    // compiles hot wasm functions a second time, optimised, only once they have run a while.
    rayon::broadcast(|_| multi_sample_seeded(WARM_UP_SAMPLES, 0));
    plain_threads(workers, batches, per_batch / 10);
    let sample = delayed(multi_sample_seeded).named("multi_sample").pure();
    let graph = sum((0..batches).map(|batch| sample.call(per_batch, u64::from(batch))));
    let start = now_ms();
    let parallel = graph.compute_on(&client);
    let parallel_ms = now_ms() - start;

    let runs = BatchRuns::from_events(client.events().drain(), start);
    let start = now_ms();
    let single: u64 = (0..batches)
        .map(|batch| multi_sample_seeded(per_batch, u64::from(batch)))
        .sum();
    let single_ms = now_ms() - start;

    let start = now_ms();
    let plain = plain_threads(workers, batches, per_batch);
    let plain_threads_ms = now_ms() - start;

    let samples = u64::from(batches) * per_batch;
    // Equal seeds give equal hits: the parallel run must agree with the loop exactly.
    let hits = parallel.unwrap_or(u64::MAX);
    PiReport {
        estimate: if hits == single && plain == single {
            4.0 * hits as f64 / samples as f64
        } else {
            f64::NAN
        },
        samples,
        parallel_ms,
        single_ms,
        plain_threads_ms,
        threads_used: runs.first_start_ms.len(),
        last_worker_joined_ms: runs.first_start_ms.values().copied().fold(0.0, f64::max),
        busy_share: runs.busy_ms / (workers as f64 * parallel_ms).max(f64::EPSILON),
    }
}

/// The batches in `workers` contiguous runs, one rayon task each; the hits, summed.
fn plain_threads(workers: usize, batches: u32, per_batch: u64) -> u64 {
    let hits = AtomicU64::new(0);
    let per_worker = batches.div_ceil(u32::try_from(workers.max(1)).unwrap_or(u32::MAX));
    rayon::scope(|scope| {
        for first in (0..batches).step_by(per_worker.max(1) as usize) {
            let hits = &hits;
            scope.spawn(move |_| {
                let last = first.saturating_add(per_worker).min(batches);
                let run: u64 = (first..last)
                    .map(|batch| multi_sample_seeded(per_batch, u64::from(batch)))
                    .sum();
                hits.fetch_add(run, Ordering::Relaxed);
            });
        }
    });
    hits.into_inner()
}

/// What the parallel run's events tell of its batches.
struct BatchRuns {
    /// Each worker that ran a batch, and when it began its first, from the run's start.
    first_start_ms: BTreeMap<usize, f64>,
    /// Time spent inside batches, summed over the workers.
    busy_ms: f64,
}

impl BatchRuns {
    fn from_events(events: Vec<Event>, run_start_ms: f64) -> Self {
        let mut first_start_ms = BTreeMap::new();
        let mut busy_ms = 0.0;
        for event in events.iter().filter(|e| e.key.group() == "multi_sample") {
            if let EventKind::Finished { worker, start, .. } = event.kind {
                busy_ms += event.time - start;
                let since_run_start = (start - run_start_ms).max(0.0);
                first_start_ms
                    .entry(worker)
                    .and_modify(|first: &mut f64| *first = first.min(since_run_start))
                    .or_insert(since_run_start);
            }
        }
        Self {
            first_start_ms,
            busy_ms,
        }
    }
}
