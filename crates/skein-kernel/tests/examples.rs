//! Every example notebook runs top to bottom through the kernel, as the site runs it, with
//! real results checked.

use skein_kernel::{CellKind, CellOutcome, Kernel, KernelConfig, Notebook, Output, Plot};

fn examples_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/examples")
}

fn example(name: &str) -> Notebook {
    Notebook::from_json(&std::fs::read_to_string(examples_dir().join(name)).unwrap()).unwrap()
}

fn kernel() -> Kernel {
    let client = skein_core::Client::with_config(skein_core::Config {
        workers: Some(2),
        ..Default::default()
    });
    let mut kernel = Kernel::with_config(KernelConfig {
        client: Some(client),
    });
    kernel.set_file(
        "df-demo.csv",
        std::fs::read(examples_dir().join("df-demo.csv")).unwrap(),
    );
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

fn value(kernel: &mut Kernel, expr: &str) -> String {
    let outcome = kernel.run_cell(expr, &mut |_| {});
    match outcome {
        CellOutcome::Ok {
            value: Some(Output::Value { display, .. }),
        } => display,
        other => panic!("{expr}: {other:?}"),
    }
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
    let texts: Vec<&str> = outputs
        .iter()
        .flatten()
        .filter_map(|o| match o {
            Output::Text { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(texts.contains(&"1000"), "{texts:?}");
}
