//! `skein emergency`: the Cascadia City lab — zones, random fires, Activity 4's schemes,
//! and optionally p-median truck placements.

use std::path::PathBuf;
use std::time::Instant;

use serde_json::json;
use skein_core::Client;
use skein_labs::drivers::emergency::{compare_placements, run_lab};
use skein_labs::error::LabError;
use skein_labs::matrix::Matrix;
use skein_labs::schemes::{LabConfig, Scheme, activity4_schemes};
use skein_labs::traffic::{CityConfig, load_npy_file, synthetic_city};
use skein_labs::zones::split_zones;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum SchemeChoice {
    /// Activity 4: 16 zones x 1 truck, 4 zones x 4 trucks, 1 zone x 16 trucks.
    All,
    /// One scheme: --zones per side, --trucks per zone.
    Zones,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Traffic grid as a .npy file (2-D float32/float64, minutes to enter each intersection).
    #[arg(long, conflicts_with_all = ["seed", "size"])]
    traffic: Option<PathBuf>,
    /// Seed of the synthetic congested city (used without --traffic).
    #[arg(long)]
    seed: Option<u64>,
    /// Intersections per side of the synthetic city.
    #[arg(long)]
    size: Option<usize>,
    /// Zones per side for --scheme zones (4 gives the seed's 16 zones).
    #[arg(long, default_value_t = 4)]
    zones: usize,
    /// Trucks per zone for --scheme zones.
    #[arg(long, default_value_t = 1)]
    trucks: usize,
    /// Random fires per zone.
    #[arg(long, default_value_t = 100)]
    samples: usize,
    /// Histogram bins.
    #[arg(long, default_value_t = 20)]
    bins: usize,
    /// Seed of the fires and truck positions.
    #[arg(long, default_value_t = 0)]
    sample_seed: u64,
    /// Which schemes to run.
    #[arg(long, value_enum, default_value_t = SchemeChoice::All)]
    scheme: SchemeChoice,
    /// Also place each zone's trucks to minimise mean response (p-median heuristic) and
    /// compare with random placements.
    #[arg(long)]
    placement: bool,
    /// Random placements to compare with.
    #[arg(long, default_value_t = 200)]
    trials: usize,
}

pub fn run(args: &Args) -> Result<(), LabError> {
    let (grid, source) = match &args.traffic {
        Some(path) => (load_npy_file(path)?, path.display().to_string()),
        None => {
            let config = CityConfig {
                size: args.size.unwrap_or(CityConfig::default().size),
                seed: args.seed.unwrap_or(CityConfig::default().seed),
            };
            (
                synthetic_city(config)?,
                format!("synthetic city (seed {})", config.seed),
            )
        }
    };
    let schemes: Vec<Scheme> = match args.scheme {
        SchemeChoice::All => activity4_schemes().to_vec(),
        SchemeChoice::Zones => {
            vec![Scheme {
                name: "custom",
                zones_per_side: args.zones,
                trucks_per_zone: args.trucks,
            }]
        }
    };
    let config = LabConfig {
        samples_per_zone: args.samples,
        bins: args.bins,
        seed: args.sample_seed,
    };
    let client = Client::new();
    let start = Instant::now();
    let reports = run_lab(&client, &grid, &schemes, config)?;
    let seconds = start.elapsed().as_secs_f64();
    let costs = grid.as_slice();
    eprintln!(
        "{source}: {}x{} grid, costs {:.2}-{:.2} min, {} fires per zone ({seconds:.4} s)",
        grid.rows(),
        grid.cols(),
        costs.iter().copied().fold(f64::INFINITY, f64::min),
        costs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        args.samples
    );
    let mut out = Vec::new();
    for report in &reports {
        let s = &report.summary;
        eprintln!(
            "  {:<20} mean {:6.2}  median {:6.2}  p90 {:6.2}  max {:6.2} min  ({} samples)",
            report.scheme.name, s.mean, s.median, s.p90, s.max, s.count
        );
        let mut entry = json!({
            "scheme": report.scheme, "zone_shape": report.zone_shape,
            "summary": report.summary, "histogram": report.histogram,
        });
        if args.placement {
            entry["placement"] = placement(&client, &grid, report.scheme, args)?;
        }
        out.push(entry);
    }
    crate::print_json(&json!({
        "lab": "emergency", "traffic": source, "grid_shape": grid.shape(),
        "samples_per_zone": args.samples, "sample_seed": args.sample_seed,
        "schemes": out, "seconds": seconds,
    }))
}

/// Optimised versus random truck placement over every zone of `scheme`.
fn placement(
    client: &Client,
    grid: &Matrix,
    scheme: Scheme,
    args: &Args,
) -> Result<serde_json::Value, LabError> {
    let reports = compare_placements(client, grid, scheme, args.trials, args.sample_seed)?;
    let zones = split_zones(grid, scheme.zones_per_side)?;
    // Zones are equal in size, so the city-wide mean is the mean of the zones' means.
    let optimized = reports
        .iter()
        .map(|r| r.optimized.mean_response)
        .sum::<f64>()
        / reports.len() as f64;
    let random = reports.iter().map(|r| r.random_mean_response).sum::<f64>() / reports.len() as f64;
    let trucks: Vec<(usize, usize)> = zones
        .iter()
        .zip(&reports)
        .flat_map(|(zone, r)| {
            r.optimized
                .positions
                .iter()
                .map(move |&(row, col)| (zone.row0 + row, zone.col0 + col))
        })
        .collect();
    eprintln!(
        "  {:<20} placed trucks: mean {optimized:6.2} min vs {random:6.2} random ({:.2}x faster)",
        "",
        random / optimized
    );
    Ok(json!({
        "optimized_mean_response": optimized, "random_mean_response": random,
        "speedup": random / optimized, "trials": args.trials, "trucks": trucks,
    }))
}
