//! Monte Carlo π on the engine: the seed's `run_batches` as a delayed graph, and its
//! sampling-until-convergence loop with futures and `as_completed`.

use serde::Serialize;
use skein_core::{Client, Delayed, as_completed, delayed, sum};

use crate::error::LabError;
use crate::monte_carlo::{multi_sample, multi_sample_seeded, pi_estimate};
use crate::rng::derive_seed;

/// The seed's `run_batches(batches, per_batch)`: the lazy sum of `batches` impure
/// `multi_sample(per_batch)` tasks. Nothing runs until it is computed.
#[must_use]
pub fn run_batches(batches: usize, per_batch: u64) -> Delayed<u64> {
    let sample = delayed(multi_sample);
    sum((0..batches).map(|_| sample.call(per_batch)))
}

/// [`run_batches`] with a seed: batch `i` is the pure `multi_sample_seeded(per_batch,
/// derive_seed(seed, i))`, so the total is the same on every run and every worker count.
#[must_use]
pub fn run_batches_seeded(batches: usize, per_batch: u64, seed: u64) -> Delayed<u64> {
    let sample = delayed(multi_sample_seeded).named("multi_sample").pure();
    sum((0..batches as u64).map(|i| sample.call(per_batch, derive_seed(seed, i))))
}

/// Settings of [`converge_pi`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ConvergenceConfig {
    /// Samples per task (the seed's `batch_size`, 100 000).
    pub batch_size: u64,
    /// Stop adding tasks once successive estimates differ by less than this (the seed's
    /// `epsilon`, 0.0001).
    pub epsilon: f64,
    /// Tasks submitted before the loop starts (the seed submits one).
    pub initial_batches: usize,
    /// Never submit more tasks than this in all, converged or not.
    pub max_batches: usize,
}

impl Default for ConvergenceConfig {
    fn default() -> Self {
        Self {
            batch_size: 100_000,
            epsilon: 1e-4,
            initial_batches: 1,
            max_batches: 10_000,
        }
    }
}

/// What [`converge_pi`] saw.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Convergence {
    /// The running estimate after each completed batch (what the seed prints).
    pub estimates: Vec<f64>,
    /// The final estimate.
    pub estimate: f64,
    /// Batches completed.
    pub batches: usize,
    /// Whether the last two estimates differed by less than `epsilon` (false when
    /// `max_batches` stopped the loop first).
    pub converged: bool,
}

/// The seed's dynamic loop: submit impure `multi_sample` tasks; as each completes, fold it
/// into a running mean and, while successive estimates differ by `epsilon` or more, add
/// another task to the same `as_completed` iterator.
///
/// # Errors
/// [`LabError::InvalidParameter`] for a zero batch size, a non-positive epsilon, or no
/// initial batches (or more than `max_batches`); [`LabError::Engine`] if a task fails.
pub fn converge_pi(client: &Client, config: ConvergenceConfig) -> Result<Convergence, LabError> {
    if config.batch_size == 0 {
        return Err(LabError::parameter(
            "batch_size",
            "0; each task needs at least one sample",
        ));
    }
    if config.epsilon.is_nan() || config.epsilon <= 0.0 {
        return Err(LabError::parameter(
            "epsilon",
            format!(
                "{}; use a small positive number such as 0.0001",
                config.epsilon
            ),
        ));
    }
    if config.initial_batches == 0 || config.initial_batches > config.max_batches {
        return Err(LabError::parameter(
            "initial_batches",
            format!(
                "{}; start with 1 to max_batches ({}) tasks",
                config.initial_batches, config.max_batches
            ),
        ));
    }
    let batch = config.batch_size;
    let first = client.map_impure(
        multi_sample,
        std::iter::repeat_n(batch, config.initial_batches),
    );
    let mut submitted = first.len();
    let mut completion = as_completed(first);
    let (mut old_estimate, mut count) = (0.0, 0usize);
    let mut estimates = Vec::new();
    let mut converged = false;
    while let Some(future) = completion.next() {
        let hits = future.result()?;
        let new_estimate =
            (old_estimate * count as f64 + pi_estimate(hits, batch)) / (count + 1) as f64;
        count += 1;
        estimates.push(new_estimate);
        converged = (new_estimate - old_estimate).abs() < config.epsilon;
        if !converged && submitted < config.max_batches {
            completion.add(client.submit_impure(multi_sample, batch));
            submitted += 1;
        }
        old_estimate = new_estimate;
    }
    Ok(Convergence {
        estimate: old_estimate,
        batches: count,
        converged,
        estimates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    #[test]
    fn batches_estimate_pi() {
        let client = Client::new();
        let (batches, per_batch) = (20, 50_000);
        let hits = run_batches(batches, per_batch).compute_on(&client).unwrap();
        let n = batches as u64 * per_batch;
        // Five standard errors of 4·p̂ for n samples: 5 · 4 · √(p(1−p)/n).
        let tolerance = 20.0 * ((PI / 4.0) * (1.0 - PI / 4.0) / n as f64).sqrt();
        assert!((pi_estimate(hits, n) - PI).abs() < tolerance);
    }

    #[test]
    fn seeded_batches_equal_the_plain_sum() {
        let client = Client::new();
        let seeded = run_batches_seeded(8, 10_000, 42)
            .compute_on(&client)
            .unwrap();
        let direct: u64 = (0..8)
            .map(|i| multi_sample_seeded(10_000, derive_seed(42, i)))
            .sum();
        assert_eq!(seeded, direct);
    }

    #[test]
    fn convergence_loop_stops_when_estimates_settle() {
        let client = Client::new();
        let config = ConvergenceConfig {
            batch_size: 20_000,
            epsilon: 1e-3,
            initial_batches: 4,
            max_batches: 500,
        };
        let run = converge_pi(&client, config).unwrap();
        assert!(run.converged);
        assert_eq!(run.estimates.len(), run.batches);
        let last_two = &run.estimates[run.batches - 2..];
        assert!((last_two[1] - last_two[0]).abs() < 1e-3);
        // The estimate is the mean of all batches' estimates: within 5 standard errors.
        let n = (run.batches as u64 * config.batch_size) as f64;
        assert!(
            (run.estimate - PI).abs() < 20.0 * (0.17 / n).sqrt(),
            "{run:?}"
        );
    }

    #[test]
    fn convergence_respects_the_cap_and_checks_parameters() {
        let client = Client::new();
        let capped = ConvergenceConfig {
            batch_size: 10,
            epsilon: 1e-12,
            initial_batches: 1,
            max_batches: 3,
        };
        let run = converge_pi(&client, capped).unwrap();
        // Two equal batch estimates in a row converge early; otherwise the cap stops it.
        assert!(run.batches <= 3);
        assert!(run.converged || run.batches == 3);
        for bad in [
            ConvergenceConfig {
                batch_size: 0,
                ..capped
            },
            ConvergenceConfig {
                epsilon: 0.0,
                ..capped
            },
            ConvergenceConfig {
                initial_batches: 4,
                ..capped
            },
        ] {
            assert!(converge_pi(&client, bad).is_err());
        }
    }
}
