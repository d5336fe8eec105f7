//! `skein`: run notebooks and the seed notebooks' labs from the command line.
//!
//! `skein run NOTEBOOK` runs a notebook on all cores, one JSON line per output; `skein export
//! NOTEBOOK -o OUT.ipynb` writes it as a Jupyter notebook that runs on Dask. The lab
//! subcommands print one JSON document on stdout (JSON lines for `bench`) and a short
//! human summary on stderr. Bad input exits with status 1 and a message saying what to
//! change; a command line clap cannot parse exits with status 2.

// A command-line tool: a failed unwrap ends the run with a message, which is the right outcome.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bench;
mod csv;
mod emergency;
mod export;
mod pi;
mod python_bench;
mod run;
mod sweep;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use skein_labs::error::LabError;

/// Skein: run notebooks with Dask's API on all cores, and the seed labs (Monte Carlo π,
/// emergency response, a parameter sweep and a toy dataframe) on Skein's task engine.
#[derive(Debug, Parser)]
#[command(name = "skein", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a notebook (.ipynb or Skein's .json) top to bottom on all cores.
    Run(run::Args),
    /// Write a notebook as a Jupyter notebook that runs on Dask (skein.labs inlined).
    Export(export::Args),
    /// Estimate π from batches of random points (first seed).
    Pi(pi::Args),
    /// Response times of fire trucks in zones of a city grid (first seed's lab).
    Emergency(emergency::Args),
    /// The costly-simulation parameter sweep via futures and a bag (second seed).
    Sweep(sweep::Args),
    /// Count, sum and average columns of a CSV file read in partitions (first seed).
    Csv(csv::Args),
    /// Measure the labs' speed; prints JSON lines.
    Bench(bench::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    seed_from_system();
    let outcome = match cli.command {
        Command::Run(args) => {
            return match run::run(&args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(run::RunError::Cell) => ExitCode::FAILURE,
                Err(e) => {
                    eprintln!("skein: error: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Export(args) => {
            return match export::run(&args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("skein: error: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Pi(args) => pi::run(&args),
        Command::Emergency(args) => emergency::run(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::Csv(args) => csv::run(&args),
        Command::Bench(args) => bench::run(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("skein: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Mixes the clock and std's per-process hash keys into the seed sequence, so impure
/// draws differ from run to run (seeded runs are unaffected).
fn seed_from_system() {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    hasher.write_u128(now.as_nanos());
    hasher.write_u32(std::process::id());
    skein_labs::rng::reseed_entropy(hasher.finish());
}

/// Prints `value` as one line of JSON on stdout.
fn print_json(value: &serde_json::Value) -> Result<(), LabError> {
    println!("{value}");
    Ok(())
}
