//! `skein pi`: the seed's `run_batches`, its convergence loop with `--epsilon`, or the
//! browser's π speed check with `--speed-check`.

use std::time::Instant;

use serde_json::json;
use skein_core::Client;
use skein_labs::drivers::pi::{ConvergenceConfig, converge_pi, run_batches, run_batches_seeded};
use skein_labs::drivers::speed_check::{self, SpeedReport};
use skein_labs::error::LabError;
use skein_labs::monte_carlo::pi_estimate;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of multi_sample tasks.
    #[arg(long, default_value_t = 100)]
    batches: usize,
    /// Samples per task [default: 100000, or 1000000 with --speed-check, as the browser's].
    #[arg(long)]
    per_batch: Option<u64>,
    /// Seed for a reproducible run (default: fresh randomness, like pure=False).
    #[arg(long)]
    seed: Option<u64>,
    /// Instead of a fixed number of batches, sample until successive estimates differ by
    /// less than this (the seed's as_completed loop; --batches caps the tasks).
    #[arg(long)]
    epsilon: Option<f64>,
    /// Instead, run the browser's π speed check this many times on every core (the batches
    /// through the scheduler, in a loop on one thread, and on plain threads) and print every
    /// report with the median and best speed-ups.
    #[arg(long, value_name = "RUNS")]
    speed_check: Option<usize>,
}

pub fn run(args: &Args) -> Result<(), LabError> {
    let default_per_batch = if args.speed_check.is_some() {
        1_000_000
    } else {
        100_000
    };
    let per_batch = args.per_batch.unwrap_or(default_per_batch);
    if args.batches == 0 || per_batch == 0 {
        return Err(LabError::InvalidParameter {
            name: "batches",
            reason: "--batches and --per-batch must be at least 1".into(),
        });
    }
    if let Some(runs) = args.speed_check {
        let batches = u32::try_from(args.batches).map_err(|_| LabError::InvalidParameter {
            name: "batches",
            reason: format!(
                "{}; the speed check takes at most {}",
                args.batches,
                u32::MAX
            ),
        })?;
        let summary = speed_check(runs, batches, per_batch);
        eprintln!("{}", describe_speed_check(&summary));
        return crate::print_json(&summary);
    }
    let client = Client::new();
    let start = Instant::now();
    if let Some(epsilon) = args.epsilon {
        let config = ConvergenceConfig {
            batch_size: per_batch,
            epsilon,
            initial_batches: 1,
            max_batches: args.batches,
        };
        let run = converge_pi(&client, config)?;
        let seconds = start.elapsed().as_secs_f64();
        eprintln!(
            "pi ≈ {:.6} after {} batches of {} ({}converged, {seconds:.3} s)",
            run.estimate,
            run.batches,
            per_batch,
            if run.converged { "" } else { "not " }
        );
        return crate::print_json(&json!({
            "lab": "pi", "mode": "converge", "per_batch": per_batch, "epsilon": epsilon,
            "batches": run.batches, "converged": run.converged, "estimate": run.estimate,
            "estimates": run.estimates, "seconds": seconds,
        }));
    }
    let graph = match args.seed {
        Some(seed) => run_batches_seeded(args.batches, per_batch, seed),
        None => run_batches(args.batches, per_batch),
    };
    let hits = graph.compute_on(&client)?;
    let seconds = start.elapsed().as_secs_f64();
    let samples = per_batch.saturating_mul(args.batches as u64);
    let estimate = pi_estimate(hits, samples);
    eprintln!(
        "pi ≈ {estimate:.6} from {samples} samples in {} tasks ({seconds:.3} s)",
        args.batches
    );
    crate::print_json(&json!({
        "lab": "pi", "mode": "batches", "batches": args.batches, "per_batch": per_batch,
        "seed": args.seed, "samples": samples, "hits": hits, "estimate": estimate,
        "abs_error": (estimate - std::f64::consts::PI).abs(), "seconds": seconds,
    }))
}

/// `runs` runs of [`speed_check::run`] on every thread of rayon's pool, as `bench-browser`
/// summarises Chromium's: the median speed-up over one thread (the typical run) and the best
/// times' ratio (the run least disturbed by other work on the machine), for the scheduler and
/// for plain threads, with every report.
pub fn speed_check(runs: usize, batches: u32, per_batch: u64) -> serde_json::Value {
    let workers = rayon::current_num_threads();
    let reports: Vec<SpeedReport> = (0..runs.max(1))
        .map(|_| speed_check::run(workers, batches, per_batch))
        .collect();
    let of = |field: fn(&SpeedReport) -> f64| reports.iter().map(field).collect::<Vec<_>>();
    let (parallel, single, plain) = (
        of(|r| r.parallel_ms),
        of(|r| r.single_ms),
        of(|r| r.plain_threads_ms),
    );
    json!({
        "bench": "pi_speed_check", "runs": reports.len(), "workers": workers,
        "samples": u64::from(batches) * per_batch,
        "median_speedup": median(of(SpeedReport::speedup)),
        "best_speedup": least(&single) / least(&parallel),
        "median_plain_threads_speedup": median(of(SpeedReport::plain_threads_speedup)),
        "best_plain_threads_speedup": least(&single) / least(&plain),
        "median_busy_share": median(of(|r| r.busy_share)),
        "median_tail_ms": median(of(|r| r.tail_ms)),
        "median_parallel_batch_ms": median(of(|r| r.parallel_batch_ms)),
        "median_single_batch_ms": median(single) / f64::from(batches.max(1)),
        "estimates_agree": reports.iter().all(|r| r.estimate.is_finite()),
        "reports": reports,
    })
}

/// A one-line human reading of a [`speed_check`] summary.
pub fn describe_speed_check(summary: &serde_json::Value) -> String {
    let num = |key: &str| summary[key].as_f64().unwrap_or(f64::NAN);
    format!(
        "π speed check on {} workers, {} runs: {:.2}x median, {:.2}x best; plain threads {:.2}x median, {:.2}x best; batch {:.2} ms side by side, {:.2} ms alone",
        summary["workers"],
        summary["runs"],
        num("median_speedup"),
        num("best_speedup"),
        num("median_plain_threads_speedup"),
        num("best_plain_threads_speedup"),
        num("median_parallel_batch_ms"),
        num("median_single_batch_ms")
    )
}

/// The middle value (the mean of the middle two for an even count); NaN when empty.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[mid],
        _ => (values[mid - 1] + values[mid]) / 2.0,
    }
}

fn least(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_middle_or_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(Vec::new()).is_nan());
        assert_eq!(least(&[2.0, 0.5, 1.0]), 0.5);
    }

    #[test]
    fn a_speed_check_summary_carries_every_run_and_agrees() {
        let summary = speed_check(2, 4, 50_000);
        assert_eq!(summary["runs"], 2);
        assert_eq!(summary["reports"].as_array().map(Vec::len), Some(2));
        assert_eq!(summary["estimates_agree"], true);
        assert!(summary["best_speedup"].as_f64().is_some_and(|x| x > 0.0));
    }
}
