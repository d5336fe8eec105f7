//! The π speed check: the seed's `run_batches` through the scheduler on every worker, against
//! the same batches in a loop on one thread and split over plain threads, with what the run's
//! events tell of where its time went.
//!
//! The browser's "π speed check" and `skein bench` run this one function, so a figure from
//! Chromium and one from a native build compare like for like.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use skein_core::clock::now_ms;
use skein_core::{Client, Config, Event, EventKind, delayed, sum};

use crate::monte_carlo::multi_sample_seeded;

/// The task name of the batches, as the seed names its function.
const BATCH_NAME: &str = "multi_sample";

/// The outcome of one check. Times are in milliseconds of the engine's clock
/// ([`skein_core::clock`]), which the events use too.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpeedReport {
    /// The π estimate, or NaN if the runs' hit counts disagree.
    pub estimate: f64,
    /// Samples drawn by each run (`batches × per_batch`).
    pub samples: u64,
    /// Wall time of the run through the scheduler.
    pub parallel_ms: f64,
    /// Wall time of the same batches in a loop on one thread.
    pub single_ms: f64,
    /// Wall time of the same batches split into one loop per worker, without the scheduler:
    /// the most this machine gives, which the parallel run is measured against.
    pub plain_threads_ms: f64,
    /// How many distinct workers ran batches in the parallel run.
    pub threads_used: usize,
    /// From the parallel run's start until the last worker to join began its first batch:
    /// how long sleeping workers took to wake.
    pub last_worker_joined_ms: f64,
    /// The same for the plain threads: from their run's start until the last began.
    pub plain_last_joined_ms: f64,
    /// From the end of the last batch until the run had its result: the final sum, and the
    /// waiting thread's wake-up.
    pub tail_ms: f64,
    /// The mean time of one batch in the parallel run. Against `single_ms / batches`, it
    /// tells whether the batches themselves ran slower side by side.
    pub parallel_batch_ms: f64,
    /// The share of `workers × parallel_ms` spent inside batches: below 1 by the waking and
    /// scheduling, not by slower batches.
    pub busy_share: f64,
}

impl SpeedReport {
    /// How many times faster the parallel run was than the single-thread loop.
    #[must_use]
    pub fn speedup(&self) -> f64 {
        self.single_ms / self.parallel_ms.max(f64::EPSILON)
    }

    /// How many times faster the plain threads were than the single-thread loop.
    #[must_use]
    pub fn plain_threads_speedup(&self) -> f64 {
        self.single_ms / self.plain_threads_ms.max(f64::EPSILON)
    }
}

/// Runs `batches × per_batch` samples as the seed's `run_batches` (a `sum` of pure
/// `multi_sample` tasks) on `workers` workers of rayon's global pool, then the same batches
/// in a loop on this thread, then split over `workers` plain rayon tasks. The run has a
/// client of its own, so its events stay out of any other client's dashboard.
#[must_use]
pub fn run(workers: usize, batches: u32, per_batch: u64) -> SpeedReport {
    let client = Client::with_config(Config {
        workers: Some(workers),
        ..Config::default()
    });
    let sample = delayed(multi_sample_seeded).named(BATCH_NAME).pure();
    let graph = |per_batch: u64| sum((0..batches).map(|b| sample.call(per_batch, u64::from(b))));

    // Start-up costs are not the work compared. Idle workers sleep, and a browser compiles a
    // hot wasm function a second time, optimised, only after it has run a while — and each
    // path (the loop, the plain threads, the scheduler's task) may call its own inlined copy.
    // So every path runs once, on a tenth of the samples, untimed.
    rayon::broadcast(|_| multi_sample_seeded(per_batch / 10, 0));
    plain_threads(workers, batches, per_batch / 10);
    // A failed warm-up fails the timed run the same way, which the estimate then shows.
    let _ = graph(per_batch / 10).compute_on(&client);
    client.events().drain();

    let start = now_ms();
    let parallel = graph(per_batch).compute_on(&client);
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
    // Equal seeds give equal hits: every run must agree with the loop exactly.
    let agree = parallel.is_ok_and(|hits| hits == single) && plain.hits == single;
    SpeedReport {
        estimate: if agree {
            4.0 * single as f64 / samples as f64
        } else {
            f64::NAN
        },
        samples,
        parallel_ms,
        single_ms,
        plain_threads_ms,
        threads_used: runs.first_start_ms.len(),
        last_worker_joined_ms: runs.first_start_ms.values().copied().fold(0.0, f64::max),
        plain_last_joined_ms: plain.last_joined_ms,
        tail_ms: (parallel_ms - runs.last_end_ms).max(0.0),
        parallel_batch_ms: runs.busy_ms / f64::from(batches.max(1)),
        busy_share: runs.busy_ms / (workers as f64 * parallel_ms).max(f64::EPSILON),
    }
}

/// What one [`plain_threads`] run gave.
struct PlainRun {
    /// The hits of every batch, summed.
    hits: u64,
    /// From the run's start until its last thread began.
    last_joined_ms: f64,
}

/// The batches in `workers` contiguous runs, one rayon task each.
fn plain_threads(workers: usize, batches: u32, per_batch: u64) -> PlainRun {
    let hits = AtomicU64::new(0);
    let last_start = Mutex::new(0.0_f64);
    let per_worker = batches
        .div_ceil(u32::try_from(workers.max(1)).unwrap_or(u32::MAX))
        .max(1);
    let start = now_ms();
    rayon::scope(|scope| {
        for first in (0..batches).step_by(per_worker as usize) {
            let (hits, last_start) = (&hits, &last_start);
            scope.spawn(move |_| {
                let began = now_ms();
                if let Ok(mut last) = last_start.lock() {
                    *last = last.max(began);
                }
                let last = first.saturating_add(per_worker).min(batches);
                let run: u64 = (first..last)
                    .map(|batch| multi_sample_seeded(per_batch, u64::from(batch)))
                    .sum();
                hits.fetch_add(run, Ordering::Relaxed);
            });
        }
    });
    let last_start = last_start.into_inner().unwrap_or_else(|e| e.into_inner());
    PlainRun {
        hits: hits.into_inner(),
        last_joined_ms: (last_start - start).max(0.0),
    }
}

/// What the parallel run's events tell of its batches, in milliseconds from the run's start.
#[derive(Debug, Default, PartialEq)]
struct BatchRuns {
    /// Each worker that ran a batch, and when it began its first.
    first_start_ms: BTreeMap<usize, f64>,
    /// When the last batch ended.
    last_end_ms: f64,
    /// Time spent inside batches, summed over the workers.
    busy_ms: f64,
}

impl BatchRuns {
    fn from_events(events: Vec<Event>, run_start_ms: f64) -> Self {
        let mut runs = BatchRuns::default();
        for event in events.iter().filter(|e| e.key.group() == BATCH_NAME) {
            if let EventKind::Finished { worker, start, .. } = event.kind {
                runs.busy_ms += event.time - start;
                runs.last_end_ms = runs.last_end_ms.max(event.time - run_start_ms);
                let since_run_start = (start - run_start_ms).max(0.0);
                runs.first_start_ms
                    .entry(worker)
                    .and_modify(|first: &mut f64| *first = first.min(since_run_start))
                    .or_insert(since_run_start);
            }
        }
        runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_runs_agree_and_the_report_adds_up() {
        let report = run(2, 16, 200_000);
        assert_eq!(report.samples, 16 * 200_000);
        assert!(
            (report.estimate - std::f64::consts::PI).abs() < 0.01,
            "{report:?}"
        );
        assert!((1..=2).contains(&report.threads_used), "{report:?}");
        // Batches fill at most every worker for the whole run; none joins or ends after it.
        assert!(
            report.busy_share > 0.0 && report.busy_share <= 1.01,
            "{report:?}"
        );
        assert!(
            report.last_worker_joined_ms <= report.parallel_ms,
            "{report:?}"
        );
        assert!(report.tail_ms <= report.parallel_ms, "{report:?}");
        assert!(
            report.plain_last_joined_ms <= report.plain_threads_ms,
            "{report:?}"
        );
        assert!(report.parallel_batch_ms > 0.0, "{report:?}");
    }
}
