//! `skein sweep`: the parameter sweep through `client.map` and through a bag.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::json;
use skein_core::Client;
use skein_labs::drivers::sweep::{bag_above, sweep_bag, sweep_with_map};
use skein_labs::error::LabError;
use skein_labs::sweep::{SimulationDelay, SweepTable, random_params};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rows of random parameters.
    #[arg(long, default_value_t = 1000)]
    rows: usize,
    /// Seed of the parameter table.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Partitions of the bag version.
    #[arg(long, default_value_t = 100)]
    npartitions: usize,
    /// Each simulation sleeps a random time up to this many milliseconds (the seed: 1000).
    #[arg(long, default_value_t = 0)]
    max_delay_ms: u64,
    /// Keep rows whose result exceeds this.
    #[arg(long, default_value_t = 2.0)]
    threshold: f64,
    /// Write the kept rows here as CSV (the seed writes /tmp/simulation_result.csv).
    #[arg(long)]
    csv: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<(), LabError> {
    if args.rows == 0 || args.npartitions == 0 {
        return Err(LabError::InvalidParameter {
            name: "rows",
            reason: "--rows and --npartitions must be at least 1".into(),
        });
    }
    let delay = match args.max_delay_ms {
        0 => SimulationDelay::None,
        ms => SimulationDelay::UpTo(Duration::from_millis(ms)),
    };
    let client = Client::new();
    let params = random_params(args.rows, args.seed);
    let start = Instant::now();
    let table: SweepTable = sweep_with_map(&client, params.clone(), delay)?;
    let map_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let bag = sweep_bag(params, args.npartitions, delay);
    let bag_results = bag.compute_on(&client)?;
    let (count, total) = bag_above(&bag, args.threshold);
    let (bag_count, bag_sum) = (count.compute_on(&client)?, total.compute_on(&client)?);
    let bag_seconds = start.elapsed().as_secs_f64();
    let kept = table.filter_greater(args.threshold);
    if let Some(path) = &args.csv {
        std::fs::write(path, SweepTable::to_csv(&kept)).map_err(|e| LabError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
    }
    let mean = table.mean();
    eprintln!(
        "{} simulations: mean result {mean:.4}, {} above {} (map {map_seconds:.3} s, bag of {} partitions {bag_seconds:.3} s)",
        args.rows,
        kept.len(),
        args.threshold,
        bag.npartitions()
    );
    crate::print_json(&json!({
        "lab": "sweep", "rows": args.rows, "seed": args.seed, "mean": mean,
        "threshold": args.threshold, "above_threshold": kept.len(),
        "sum_above_threshold": kept.iter().map(|(_, _, r)| r).sum::<f64>(),
        "bag": { "npartitions": bag.npartitions(), "results_equal_map": bag_results == table.results,
                 "above_threshold": bag_count, "sum_above_threshold": bag_sum },
        "head": table.params.iter().zip(&table.results).take(5)
            .map(|(p, r)| json!({"param_a": p[0], "param_b": p[1], "param_c": p[2], "param_d": p[3], "result": r}))
            .collect::<Vec<_>>(),
        "csv": args.csv.as_ref().map(|p| p.display().to_string()),
        "map_seconds": map_seconds, "bag_seconds": bag_seconds,
    }))
}
