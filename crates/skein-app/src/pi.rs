//! The π demo: the same Monte Carlo work timed on one thread and on every worker.

/// The outcome of one comparison run.
#[derive(Clone, Debug, PartialEq)]
pub struct PiReport {
    pub estimate: f64,
    pub samples: u64,
    pub parallel_ms: f64,
    pub single_ms: f64,
    /// How many distinct pool threads ran batches in the parallel run.
    pub threads_used: usize,
}

impl PiReport {
    pub fn speedup(&self) -> f64 {
        self.single_ms / self.parallel_ms.max(f64::EPSILON)
    }
}

/// Runs `batches × per_batch` samples in parallel, then the same on one thread.
pub fn compare(batches: u32, per_batch: u64, now_ms: fn() -> f64) -> PiReport {
    // Idle workers sleep; waking them is start-up cost, not the work being compared.
    rayon::broadcast(|_| ());
    let start = now_ms();
    let parallel = parallel_batches(batches, per_batch);
    let parallel_ms = now_ms() - start;

    let start = now_ms();
    let single_hits: u64 = (0..batches)
        .map(|batch| multi_sample(per_batch, u64::from(batch)))
        .sum();
    let single_ms = now_ms() - start;

    let samples = u64::from(batches) * per_batch;
    debug_assert_eq!(single_hits, parallel.total, "same seeds, same hits");
    PiReport {
        estimate: 4.0 * parallel.total as f64 / samples as f64,
        samples,
        parallel_ms,
        single_ms,
        threads_used: parallel.threads_used,
    }
}

struct Parallel {
    total: u64,
    threads_used: usize,
}

// Interim driver until the app runs this through skein-core's scheduler.
fn parallel_batches(batches: u32, per_batch: u64) -> Parallel {
    use rayon::prelude::*;
    let runs: Vec<(u64, Option<usize>)> = (0..batches)
        .into_par_iter()
        .map(|batch| (multi_sample(per_batch, u64::from(batch)), rayon::current_thread_index()))
        .collect();
    let mut threads: Vec<_> = runs.iter().filter_map(|(_, t)| *t).collect();
    threads.sort_unstable();
    threads.dedup();
    Parallel {
        total: runs.iter().map(|(hits, _)| hits).sum(),
        threads_used: threads.len().max(1),
    }
}

fn multi_sample(n: u64, seed: u64) -> u64 {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .filter(|_| {
            let (x, y) = (next(), next());
            x * x + y * y < 1.0
        })
        .count() as u64
}
