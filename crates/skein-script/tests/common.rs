//! Helpers shared by the integration tests: run cells and notebooks, collect outputs.

#![allow(dead_code)] // each test file uses its own subset

use std::path::PathBuf;

use skein_script::{CellOutcome, Kernel, Notebook, Output};

/// Runs `source`, returning the outputs and the outcome.
pub fn run(kernel: &mut Kernel, source: &str) -> (Vec<Output>, CellOutcome) {
    let mut outputs = Vec::new();
    let outcome = kernel.run_cell(source, &mut |o| outputs.push(o));
    (outputs, outcome)
}

/// Runs `source`, which must succeed, and returns its value's display.
pub fn value(kernel: &mut Kernel, source: &str) -> String {
    match run(kernel, source) {
        (
            _,
            CellOutcome::Ok {
                value: Some(Output::Value { display, .. }),
            },
        ) => display,
        (outputs, outcome) => panic!("{source}\n=> {outcome:?}\n{outputs:?}"),
    }
}

/// The example notebook called `name` (in `web/examples/`).
pub fn example(name: &str) -> Notebook {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../web/examples")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Notebook::from_json(&text).unwrap()
}

/// Runs every code cell of a notebook, failing on the first error; returns each cell's
/// outputs.
pub fn run_notebook(kernel: &mut Kernel, notebook: &Notebook) -> Vec<Vec<Output>> {
    notebook
        .code_cells()
        .map(|source| {
            let (outputs, outcome) = run(kernel, source);
            assert!(
                matches!(outcome, CellOutcome::Ok { .. }),
                "{}: cell\n{source}\nfailed: {outcome:?}",
                notebook.title
            );
            outputs
        })
        .collect()
}
