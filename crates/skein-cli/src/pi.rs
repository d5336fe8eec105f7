//! `skein pi`: the seed's `run_batches`, or its convergence loop with `--epsilon`.

use std::time::Instant;

use serde_json::json;
use skein_core::Client;
use skein_labs::drivers::pi::{ConvergenceConfig, converge_pi, run_batches, run_batches_seeded};
use skein_labs::error::LabError;
use skein_labs::monte_carlo::pi_estimate;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of multi_sample tasks.
    #[arg(long, default_value_t = 100)]
    batches: usize,
    /// Samples per task.
    #[arg(long, default_value_t = 100_000)]
    per_batch: u64,
    /// Seed for a reproducible run (default: fresh randomness, like pure=False).
    #[arg(long)]
    seed: Option<u64>,
    /// Instead of a fixed number of batches, sample until successive estimates differ by
    /// less than this (the seed's as_completed loop; --batches caps the tasks).
    #[arg(long)]
    epsilon: Option<f64>,
}

pub fn run(args: &Args) -> Result<(), LabError> {
    if args.batches == 0 || args.per_batch == 0 {
        return Err(LabError::InvalidParameter {
            name: "batches",
            reason: "--batches and --per-batch must be at least 1".into(),
        });
    }
    let client = Client::new();
    let start = Instant::now();
    if let Some(epsilon) = args.epsilon {
        let config = ConvergenceConfig {
            batch_size: args.per_batch,
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
            args.per_batch,
            if run.converged { "" } else { "not " }
        );
        return crate::print_json(&json!({
            "lab": "pi", "mode": "converge", "per_batch": args.per_batch, "epsilon": epsilon,
            "batches": run.batches, "converged": run.converged, "estimate": run.estimate,
            "estimates": run.estimates, "seconds": seconds,
        }));
    }
    let graph = match args.seed {
        Some(seed) => run_batches_seeded(args.batches, args.per_batch, seed),
        None => run_batches(args.batches, args.per_batch),
    };
    let hits = graph.compute_on(&client)?;
    let seconds = start.elapsed().as_secs_f64();
    let samples = args.per_batch.saturating_mul(args.batches as u64);
    let estimate = pi_estimate(hits, samples);
    eprintln!(
        "pi ≈ {estimate:.6} from {samples} samples in {} tasks ({seconds:.3} s)",
        args.batches
    );
    crate::print_json(&json!({
        "lab": "pi", "mode": "batches", "batches": args.batches, "per_batch": args.per_batch,
        "seed": args.seed, "samples": samples, "hits": hits, "estimate": estimate,
        "abs_error": (estimate - std::f64::consts::PI).abs(), "seconds": seconds,
    }))
}
