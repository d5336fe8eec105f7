//! Every example notebook runs top to bottom through the kernel, as the site runs it, with
//! real results checked: Skein's own notebooks and the two seed notebooks, whole (`.ipynb`).

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test, as wanted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

mod common;

use common::value;
use skein_kernel::{CellKind, CellOutcome, Kernel, Notebook, Output, Plot};

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/examples")
}

fn example(name: &str) -> Notebook {
    Notebook::parse(&std::fs::read_to_string(examples_dir().join(name)).unwrap()).unwrap()
}

/// Hands the kernel every data file under `dir` (`.csv`, `.npy`), named by its path below
/// `root` (`df-demo.csv`, `data/traffic.npy`), as the app embeds them.
fn add_data_files(kernel: &mut Kernel, root: &Path, dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            add_data_files(kernel, root, &path);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "csv" || ext == "npy")
        {
            let name = path.strip_prefix(root).unwrap().to_string_lossy();
            kernel.set_file(&name.replace('\\', "/"), std::fs::read(&path).unwrap());
        }
    }
}

/// A kernel with the examples' data files.
fn kernel() -> Kernel {
    let mut kernel = common::kernel();
    add_data_files(&mut kernel, &examples_dir(), &examples_dir());
    kernel
}

/// Runs every code cell, failing on the first error; the outputs, cell by cell.
fn run_notebook(kernel: &mut Kernel, nb: &Notebook) -> Vec<Vec<Output>> {
    let mut all = Vec::new();
    for cell in nb.cells.iter().filter(|c| c.kind == CellKind::Code) {
        let mut outputs = Vec::new();
        let outcome = kernel.run_cell(&cell.source, &mut |o| outputs.push(o));
        if let CellOutcome::Err(err) = outcome {
            panic!(
                "{}: cell\n{}\nfailed:\n{}",
                nb.title, cell.source, err.message
            );
        }
        all.push(outputs);
    }
    all
}

/// Runs every code cell, going on past failures, and fails listing each failing cell with
/// its error: one run shows all that a seed notebook still needs from the kernel.
fn run_seed(kernel: &mut Kernel, nb: &Notebook) -> Vec<Vec<Output>> {
    let mut all = Vec::new();
    let mut failures = Vec::new();
    for (index, cell) in nb
        .cells
        .iter()
        .filter(|c| c.kind == CellKind::Code)
        .enumerate()
    {
        let mut outputs = Vec::new();
        let outcome = kernel.run_cell(&cell.source, &mut |o| outputs.push(o));
        if let CellOutcome::Err(err) = outcome {
            failures.push(format!(
                "code cell {index}:\n{}\n--> {}",
                cell.source, err.message
            ));
        }
        all.push(outputs);
    }
    assert!(
        failures.is_empty(),
        "{}: {} of {} code cells failed:\n\n{}",
        nb.title,
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
    all
}

fn texts(outputs: &[Vec<Output>]) -> Vec<&str> {
    outputs
        .iter()
        .flatten()
        .filter_map(|o| match o {
            Output::Text { text } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn values(outputs: &[Vec<Output>]) -> Vec<&str> {
    outputs
        .iter()
        .flatten()
        .filter_map(|o| match o {
            Output::Value { display, .. } => Some(display.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn delayed_basics() {
    let mut k = kernel();
    let outputs = run_notebook(&mut k, &example("delayed-basics.json"));
    let shown = values(&outputs);
    assert!(
        shown.iter().any(|v| v.starts_with("Delayed('square-")),
        "{shown:?}"
    );
    assert!(shown.contains(&"81"), "{shown:?}");
    let graphs = outputs.iter().flatten().filter(|o| matches!(o, Output::Graph { svg, dot } if svg.contains("<svg") && dot.contains("square"))).count();
    assert!(graphs >= 2, "{graphs}");
}

#[test]
fn monte_carlo_pi() {
    let mut k = kernel();
    let outputs = run_notebook(&mut k, &example("monte-carlo-pi.json"));
    let shown = values(&outputs);
    assert!(
        shown
            .iter()
            .any(|v| v.starts_with("<Future: finished, type: int, key: multi_sample-")),
        "{shown:?}"
    );
    let estimate: f64 = value(&mut k, "new_estimate").parse().unwrap();
    assert!((estimate - std::f64::consts::PI).abs() < 0.05, "{estimate}");
}

#[test]
fn toy_dataframe() {
    let mut k = kernel();
    let outputs = run_notebook(&mut k, &example("toy-dataframe.json"));
    let shown = values(&outputs);
    assert!(shown.contains(&"14"), "{shown:?}");
}

#[test]
fn emergency_services() {
    let mut k = kernel();
    let outputs = run_notebook(&mut k, &example("emergency-services.json"));
    let plots = outputs
        .iter()
        .flatten()
        .filter(|o| matches!(o, Output::Plot(_)))
        .count();
    assert!(plots >= 4, "{plots}");
    let histograms = outputs.iter().flatten().filter(|o| matches!(o, Output::Plot(Plot::Histogram { counts, .. }) if counts.iter().sum::<u64>() >= 1600)).count();
    assert!(histograms >= 1, "no histogram of 1600 samples");
}

#[test]
fn parallel_sweep() {
    let mut k = kernel();
    let outputs = run_notebook(&mut k, &example("parallel-sweep.json"));
    let texts = texts(&outputs);
    assert!(texts.contains(&"1000"), "{texts:?}");
}

fn close_to(kernel: &mut Kernel, expr: &str, expected: f64, tolerance: f64) {
    let shown = value(kernel, expr);
    let got: f64 = shown.parse().unwrap_or_else(|_| panic!("{expr} = {shown}"));
    assert!(
        (got - expected).abs() < tolerance,
        "{expr} = {got}, expected {expected} ± {tolerance}"
    );
}

#[test]
fn seed_parallelizing_your_own_python_algorithms() {
    let mut k = kernel();
    let outputs = run_seed(
        &mut k,
        &example("parallelizing-your-own-python-algorithms.ipynb"),
    );
    let shown = values(&outputs);
    let printed = texts(&outputs);
    // Delayed: square(square(3)).compute().
    assert!(shown.contains(&"81"), "{shown:?}");
    // π from 10 million samples in 100 tasks (standard error ≈ 0.0005), and the
    // as_completed loop's running estimate.
    close_to(
        &mut k,
        "persisted_sample_count.compute() * 4 / 10e6",
        std::f64::consts::PI,
        0.01,
    );
    close_to(&mut k, "new_estimate", std::f64::consts::PI, 0.05);
    // The toy dataframe: 14 rows, 173 points, lazily and eagerly.
    assert!(printed.contains(&"Count  14"), "{printed:?}");
    assert!(printed.contains(&"Sum(points) 173"), "{printed:?}");
    assert_eq!(value(&mut k, "df_count(myToy_delayed_DF).compute()"), "14");
    assert_eq!(
        value(&mut k, "int(df_sum(myToy_delayed_DF, 'points').compute())"),
        "173"
    );
    // Futures: a pure submission of the same call is the same task; gather and composition.
    assert_eq!(
        value(&mut k, "sample2.result() == sample_future.result()"),
        "True"
    );
    assert_eq!(value(&mut k, "len(client.gather(results))"), "8");
    assert!(
        shown.contains(&"[None, None, None, 7, None, None, -1, -2]"),
        "{shown:?}"
    );
    // The lab: each zone's travel times, computed on the workers, are the all-pairs shortest
    // paths of its 4x4 block of data/traffic.npy (checked against skein-labs' Rust).
    assert_eq!(value(&mut k, "traffic.shape"), "(16, 16)");
    assert_eq!(value(&mut k, "len(travel_times)"), "16");
    let zone5: Vec<Vec<f64>> = serde_json::from_str(&value(
        &mut k,
        "[[float(travel_times[5][i, j]) for j in range(16)] for i in range(16)]",
    ))
    .unwrap();
    let grid = skein_labs::traffic::load_npy(
        &std::fs::read(examples_dir().join("data/traffic.npy")).unwrap(),
    )
    .unwrap();
    let zones = skein_labs::zones::split_zones(&grid, 4).unwrap();
    let expected = skein_labs::shortest_path::shortest_path(
        &skein_labs::adjacency::build_adj_matrix(&zones[5].costs).unwrap(),
    )
    .unwrap();
    for (i, row) in zone5.iter().enumerate() {
        for (j, &got) in row.iter().enumerate() {
            assert!(
                (got - expected.get(i, j)).abs() < 1e-9,
                "zone 5, {i} -> {j}: {got} vs {}",
                expected.get(i, j)
            );
        }
    }
    // Activities 3 and 4: 1,600 fires per scheme, each a travel time within a zone.
    assert_eq!(
        value(
            &mut k,
            "(len(samples_16_zones), len(samples_4_zones), len(samples_1_zone))"
        ),
        "(1600, 1600, 1600)"
    );
    assert_eq!(
        value(
            &mut k,
            "float(samples_16_zones.max()) <= max([float(tt.max()) for tt in travel_times])"
        ),
        "True"
    );
    let histograms = outputs.iter().flatten().filter(|o| matches!(o, Output::Plot(Plot::Histogram { counts, .. }) if counts.iter().sum::<u64>() == 1600)).count();
    assert!(histograms >= 1, "no histogram of 1600 fires");
    let images = outputs
        .iter()
        .flatten()
        .filter(|o| matches!(o, Output::Plot(Plot::Image { .. })))
        .count();
    assert!(
        images >= 4,
        "{images} images: traffic, adjacency, travel times, a zone"
    );
}

#[test]
fn seed_embarrassingly_parallel_workloads() {
    let mut k = kernel();
    let outputs = run_seed(&mut k, &example("embarrassingly-parallel-workloads.ipynb"));
    let printed = texts(&outputs);
    assert!(printed.contains(&"1000"), "{printed:?}");
    assert_eq!(value(&mut k, "len(results)"), "1000");
    // Every task summed its own row of parameters, and the bag agrees with the futures.
    assert_eq!(
        value(
            &mut k,
            "float(max([abs(results[i] - sum(input_params.values[i])) for i in range(1000)]))"
        ),
        "0.0"
    );
    assert_eq!(value(&mut k, "results_bag == results"), "True");
    // The mean of four uniform parameters' sum is 2 (standard error ≈ 0.018).
    close_to(&mut k, "float(output['result'].mean())", 2.0, 0.1);
    let filtered: usize = value(&mut k, "len(filtered_output)").parse().unwrap();
    let csv = outputs
        .iter()
        .flatten()
        .find_map(|o| match o {
            Output::File { name, text } if name.ends_with("simulation_result.csv") => {
                Some(text.as_str())
            }
            _ => None,
        })
        .expect("to_csv offers the file");
    assert_eq!(csv.lines().count(), filtered + 1, "a header and the rows");
    let lines = outputs
        .iter()
        .flatten()
        .filter(|o| matches!(o, Output::Plot(Plot::Line { .. })))
        .count();
    assert!(lines >= 1, "output['result'].plot() draws");
}
