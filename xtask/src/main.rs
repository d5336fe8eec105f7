//! `cargo xtask`: Skein's developer commands (called through `./dev`).
//!
//! - `serve` installs what the wasm build needs, builds the site (`site.rs`) and serves it
//!   with the cross-origin isolation headers that Web Worker threads require.
//! - `test` also installs Chromium and runs every test: native, the example notebooks'
//!   exports on real Dask, wasm in headless Chromium, and the end-to-end browser tests
//!   against the built site.
//! - `build` produces the static site in `dist/`; `lint` runs rustfmt and clippy.
//! - `test-dask` runs every example's "Export to Dask" under CPython with the real Dask
//!   (`tests/dask/run_exports.py`) in a venv it makes once; `SKEIN_DASK_PYTHON` names another
//!   Python that has `tests/dask/requirements.txt` installed. It also redraws the tick fixture
//!   (`tests/dask/ticks.py --check`) with that matplotlib, so the fixture stays matplotlib's.
//! - `bench-browser` measures the built site in headless Chromium and prints JSON lines: the
//!   π speed check's speed-up over one thread (median of several runs), Python's speed per
//!   core and per task beside `skein run` (`bench-python.mjs`), and Run all of each
//!   seed notebook beside the same notebook exported and run on CPython + Dask's LocalCluster
//!   (and `skein run`).
//! - `profile-browser` runs a cell in the built site (`tests/e2e/profile-cell.mjs`; the cell
//!   in `SKEIN_PROFILE_CELL`, what it needs first in `SKEIN_PROFILE_SETUP`) under Chromium's
//!   sampling profiler and prints where each busy thread spent its time, by Rust function.
//!
//! The xtask's one dependency is a small HTTP server, so it builds in seconds on a fresh machine.

// Developer tooling: a failed unwrap ends the command with a message, which is the right outcome.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod site;
mod tools;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use tools::{Tools, run};

const USAGE: &str = "usage: cargo xtask \
    <serve|build|test|lint|test-native|test-dask|test-wasm|test-e2e|bench-browser|profile-browser>";

/// Crates whose tests also run as wasm in headless Chromium.
const WASM_TESTED: &[&str] = &["skein-app"];

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "serve" => serve(),
        "build" => build_site().map(|_| ()),
        "test" => timed("lint", lint)
            .and_then(|()| timed("test-native", test_native))
            .and_then(|()| timed("test-dask", test_dask))
            .and_then(|()| timed("test-wasm", test_wasm))
            .and_then(|()| timed("test-e2e", test_e2e)),
        "lint" => lint(),
        "test-native" => test_native(),
        "test-dask" => test_dask(),
        "test-wasm" => test_wasm(),
        "test-e2e" => test_e2e(),
        "bench-browser" => bench_browser(),
        "profile-browser" => profile_browser(),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one stage of `test`, and says how long it took (CI logs show where the time goes).
fn timed(stage: &str, run: fn() -> Result<(), String>) -> Result<(), String> {
    let start = std::time::Instant::now();
    let result = run();
    let outcome = if result.is_ok() { "passed" } else { "failed" };
    eprintln!(
        "== {stage} {outcome} in {:.0} s",
        start.elapsed().as_secs_f64()
    );
    result
}

fn serve() -> Result<(), String> {
    let tools = Tools::for_wasm_build()?;
    eprintln!(
        "building Skein; it is served at http://{}/ when the build finishes",
        site::ADDRESS
    );
    site::serve(&site::build(&tools)?)
}

fn build_site() -> Result<Tools, String> {
    let tools = Tools::for_wasm_build()?;
    site::build(&tools)?;
    Ok(tools)
}

/// Formatting, and clippy both natively and for the wasm-only app.
fn lint() -> Result<(), String> {
    run(Command::new("cargo").args(["fmt", "--all", "--check"]))?;
    run(Command::new("cargo").args(["clippy", "--all-targets", "--", "-D", "warnings"]))?;
    let tools = Tools::for_wasm_build()?;
    run(tools.wasm_cargo().args([
        "clippy",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "skein-app",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

/// Native tests of every crate but the wasm-only app (the workspace's default members).
fn test_native() -> Result<(), String> {
    run(Command::new("cargo").args(["test", "--all-targets"]))?;
    run(Command::new("cargo").args(["test", "--doc"]))
}

/// Exports every example notebook and runs it on Dask, comparing its outputs with Skein's.
fn test_dask() -> Result<(), String> {
    let python = tools::dask_python()?;
    // The test build's own `skein` (its dependencies, Monty above all, are optimised): a
    // release build would compile everything again, with LTO, for a check of outputs.
    // Built as `cargo test --all-targets` builds it (dev-dependencies unify features), so
    // after `test-native` there is nothing left to compile.
    run(Command::new("cargo").args(["build", "--all-targets"]))?;
    let skein = target_dir()?.join("debug").join("skein");
    run(Command::new(&python)
        .arg(dask_script("run_exports.py"))
        .arg("--skein")
        .arg(skein))?;
    // The fixture `tests/ticks.rs` compares Skein's ticks against, redrawn by matplotlib now.
    run(Command::new(&python)
        .arg(dask_script("ticks.py"))
        .arg("--check")
        .arg(dask_script("ticks.json")))
}

fn dask_script(name: &str) -> PathBuf {
    tools::root().join("tests").join("dask").join(name)
}

/// Builds the `skein` CLI in release mode, as users get it, and returns its path.
fn release_skein() -> Result<PathBuf, String> {
    run(Command::new("cargo").args(["build", "--release", "--bin", "skein"]))?;
    Ok(target_dir()?.join("release").join("skein"))
}

/// Cargo's target directory: `CARGO_TARGET_DIR` if set, else the workspace's `target/`.
pub(crate) fn target_dir() -> Result<PathBuf, String> {
    Ok(match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => std::env::current_dir()
            .map_err(|e| format!("no current directory: {e}"))?
            .join(dir),
        None => tools::root().join("target"),
    })
}

/// The π speed-up in Chromium, then the seed notebooks in Chromium beside CPython + Dask,
/// measured in one run.
fn bench_browser() -> Result<(), String> {
    let python = tools::dask_python()?;
    // Timed against Dask, so built as users get it.
    let skein = release_skein()?;
    let tools = build_site()?.with_browser()?;
    // The same check natively beside each browser run: the browser's figure, against this
    // machine's own at the same moments.
    run(tools
        .node_in_e2e()
        .arg("bench-pi.mjs")
        .env("SKEIN_BIN", &skein))?;
    // Python itself, per core and per task, in the page beside the same cells in `skein run`.
    run(tools
        .node_in_e2e()
        .arg("bench-python.mjs")
        .env("SKEIN_BIN", &skein))?;
    let chromium = std::env::temp_dir().join("skein-bench-seeds-chromium.json");
    run(tools.node_in_e2e().arg("bench-seeds.mjs").arg(&chromium))?;
    run(Command::new(python)
        .arg(dask_script("bench_seeds.py"))
        .arg("--skein")
        .arg(skein)
        .arg("--chromium")
        .arg(&chromium))
}

/// A cell's CPU profile in the page, by thread and Rust function.
fn profile_browser() -> Result<(), String> {
    let tools = build_site()?.with_browser()?;
    let named = site::with_names(&tools)?;
    run(tools
        .node_in_e2e()
        .env("SKEIN_DIST", named)
        .arg("profile-cell.mjs"))
}

/// The wasm tests, in headless Chromium through wasm-bindgen's test runner.
fn test_wasm() -> Result<(), String> {
    let tools = Tools::for_browser_tests()?;
    for krate in WASM_TESTED {
        run(&mut tools.wasm_test(krate))?;
    }
    Ok(())
}

fn test_e2e() -> Result<(), String> {
    let tools = build_site()?.with_browser()?;
    // The plot tests draw the same cells with real matplotlib, to compare side by side.
    let python = tools::dask_python()?;
    run(tools.node_e2e().env("SKEIN_DASK_PYTHON", python))
}
