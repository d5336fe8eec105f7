//! Finding, and when missing installing, the tools the wasm build and the browser tests need.
//!
//! Each install is guarded, so a second run costs a version check. Nothing is downloaded
//! from outside the package registries: wasm-bindgen (with its test runner) comes from
//! crates.io, wasm-opt and playwright-core from npm, Chromium, ChromeDriver, Graphviz and
//! Python's venv from Debian, Dask and the rest of the exports' Python from PyPI. No bundler
//! and no test wrapper is installed: `site.rs` and `cargo test` with the runner do their jobs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (the xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// Where installed helpers (npm's wasm-opt, the Dask venv) live: `SKEIN_TOOLS_DIR`, else
/// `~/.cache/skein-tools`. Outside the checkout, so a fresh clone on the same machine (as CI
/// makes for every run) finds them instead of installing them again.
fn tools_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SKEIN_TOOLS_DIR") {
        return PathBuf::from(dir);
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".cache").join("skein-tools"),
        None => root().join("target").join("tools"),
    }
}

const BINARYEN_VERSION: &str = "132.0.0";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Runs a command to completion, turning a failure into a message that names it.
pub fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    eprintln!("$ {shown}");
    let status = command
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The tools found or installed, and the environment that makes them work together.
pub struct Tools {
    path: String,
}

impl Tools {
    /// wasm-bindgen (at the version Cargo.lock pins) and wasm-opt.
    pub fn for_wasm_build() -> Result<Self, String> {
        let wasm_bindgen = locked_version("wasm-bindgen")?;
        ensure_cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &wasm_bindgen, &[])?;
        let npm_bin = ensure_npm_package(&tools_dir(), "binaryen", BINARYEN_VERSION)?;
        // A modern wasm-opt first on PATH: Debian's binaryen 108 breaks threaded output.
        let path = format!(
            "{}:{}",
            npm_bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Ok(Self { path })
    }

    /// The wasm build tools plus Chromium and ChromeDriver.
    pub fn for_browser_tests() -> Result<Self, String> {
        Self::for_wasm_build()?.with_browser()
    }

    pub fn with_browser(self) -> Result<Self, String> {
        if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
            eprintln!("installing Debian's chromium and chromium-driver");
            run(Command::new("apt-get").arg("update"))?;
            run(Command::new("apt-get").args(["install", "-y", "chromium", "chromium-driver"]))?;
        }
        ensure_npm_lock(&root().join("tests").join("e2e"))?;
        Ok(self)
    }

    /// Cargo for a shared-memory wasm build: std is rebuilt with atomics (nightly only).
    pub fn wasm_cargo(&self) -> Command {
        let mut cargo = Command::new("cargo");
        cargo
            .env("PATH", &self.path)
            .env("CARGO_UNSTABLE_BUILD_STD", "panic_abort,std");
        cargo
    }

    /// `cargo test` of one crate as wasm in headless Chromium: cargo hands each test binary to
    /// `wasm-bindgen-test-runner` (the runner `.cargo/config.toml` names, installed with
    /// wasm-bindgen-cli at the locked version), which drives Debian's ChromeDriver.
    pub fn wasm_test(&self, krate: &str) -> Command {
        let mut cargo = self.wasm_cargo();
        cargo
            .current_dir(root())
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
            .args(["test", "--target", "wasm32-unknown-unknown", "-p", krate]);
        cargo
    }

    /// A program found on this set of tools' PATH (wasm-bindgen, wasm-opt).
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.env("PATH", &self.path);
        command
    }

    /// The end-to-end suite: serves `dist/` and drives Chromium through playwright-core.
    pub fn node_e2e(&self) -> Command {
        let mut node = self.node_in_e2e();
        node.args(["--test", "--test-reporter=spec"]);
        node
    }

    /// Node in `tests/e2e`, where playwright-core is installed, pointed at `dist/` and Chromium.
    pub fn node_in_e2e(&self) -> Command {
        let mut node = Command::new("node");
        node.current_dir(root().join("tests").join("e2e"))
            .env("PATH", &self.path)
            .env("SKEIN_DIST", root().join("dist"))
            .env("CHROMIUM", CHROMIUM);
        node
    }
}

/// A Python with `tests/dask/requirements.txt` installed: `SKEIN_DASK_PYTHON` if set, else
/// the venv `dask-venv` in the tools directory, made (with Graphviz's `dot` for `.visualize()`) when
/// missing and reinstalled when the requirements change.
pub fn dask_python() -> Result<PathBuf, String> {
    if let Some(python) = std::env::var_os("SKEIN_DASK_PYTHON") {
        return Ok(PathBuf::from(python));
    }
    let requirements = root().join("tests").join("dask").join("requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let venv = tools_dir().join("dask-venv");
    let python = venv.join("bin").join("python");
    // The venv keeps a copy of the requirements it was installed from.
    let installed = venv.join("requirements.txt");
    let mut missing = Vec::new();
    if output_of("dot", &["-V"]).is_none() {
        missing.push("graphviz");
    }
    if output_of("python3", &["-c", "import ensurepip, venv"]).is_none() {
        missing.push("python3-venv");
    }
    if !missing.is_empty() {
        eprintln!("installing Debian's {}", missing.join(" and "));
        run(Command::new("apt-get").arg("update"))?;
        run(Command::new("apt-get")
            .args(["install", "-y"])
            .args(&missing))?;
    }
    if python.exists() && std::fs::read_to_string(&installed).is_ok_and(|t| t == wanted) {
        return Ok(python);
    }
    eprintln!("installing Dask and friends into {} (once)", venv.display());
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(&python)
        .args(["-m", "pip", "install", "--disable-pip-version-check", "-r"])
        .arg(&requirements))?;
    std::fs::write(&installed, wanted)
        .map_err(|e| format!("cannot write {}: {e}", installed.display()))?;
    Ok(python)
}

/// The version of `package` that Cargo.lock resolved, so the CLI matches the crate.
fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_string())
}

fn ensure_cargo_tool(
    binary: &str,
    package: &str,
    version: &str,
    extra: &[&str],
) -> Result<(), String> {
    let installed = output_of(binary, &["--version"]).unwrap_or_default();
    if installed.split_whitespace().any(|word| word == version) {
        return Ok(());
    }
    eprintln!("installing {package} {version} from crates.io (this takes a while, once)");
    run(Command::new("cargo")
        .args(["install", package, "--version", version])
        .args(extra))
}

fn ensure_npm_package(dir: &Path, package: &str, version: &str) -> Result<PathBuf, String> {
    let bin = dir.join("node_modules").join(".bin");
    let manifest = dir.join("node_modules").join(package).join("package.json");
    let present = std::fs::read_to_string(&manifest)
        .is_ok_and(|text| text.contains(&format!("\"version\": \"{version}\"")));
    if !present {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {dir:?}: {e}"))?;
        run(Command::new("npm")
            .current_dir(dir)
            .args(["install", "--no-audit", "--no-fund", "--no-save"])
            .arg(format!("{package}@{version}")))?;
    }
    Ok(bin)
}

/// Installs a committed package-lock.json's dependencies when `node_modules` is missing.
fn ensure_npm_lock(dir: &Path) -> Result<(), String> {
    if dir.join("node_modules").exists() {
        return Ok(());
    }
    run(Command::new("npm")
        .current_dir(dir)
        .args(["ci", "--no-audit", "--no-fund"]))
}
