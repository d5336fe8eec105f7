//! `skein export` end to end: an example notebook becomes a Jupyter notebook for Dask, with
//! `skein.labs` inlined and the cells' outputs kept. (`tests/dask/` runs such exports on
//! real Dask.)

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test, as wanted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn skein(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(args)
        .output()
        .expect("the skein binary runs")
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../web/examples")
        .join(name)
        .display()
        .to_string()
}

fn scratch(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn sources(cells: &[Value]) -> Vec<String> {
    cells
        .iter()
        .map(|c| {
            c["source"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn the_emergency_lab_exports_with_its_labs_inlined() {
    let out = scratch("emergency-services.ipynb");
    let run = skein(&[
        "export",
        &example("emergency-services.json"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let original: Value =
        serde_json::from_str(&std::fs::read_to_string(example("emergency-services.json")).unwrap())
            .unwrap();
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["nbformat"], 4);
    assert_eq!(doc["metadata"]["kernelspec"]["name"], "python3");
    let cells = doc["cells"].as_array().unwrap();
    assert_eq!(cells.len(), original["cells"].as_array().unwrap().len() + 1);
    let inserted: Vec<usize> = (0..cells.len())
        .filter(|&i| cells[i]["metadata"]["skein"]["inserted"] == "skein.labs")
        .collect();
    // The first cell that imports from skein.labs is the fourth (traffic_grid).
    assert_eq!(inserted, [3]);
    let sources = sources(cells);
    let labs = &sources[3];
    for function in [
        "traffic_grid",
        "shortest_path",
        "split_zones",
        "nearest_truck_response",
    ] {
        assert!(
            labs.contains(&format!("    def {function}(")),
            "{function}:\n{labs}"
        );
    }
    assert!(
        !labs.contains("def multi_sample("),
        "only what the notebook uses"
    );
    let code_cells = sources
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3 && cells[*i]["cell_type"] == "code");
    for (index, source) in code_cells {
        let code: Vec<&str> = source
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .collect();
        assert!(
            !code.iter().any(|l| l.contains("skein.labs")),
            "cell {index} still imports skein.labs:\n{source}"
        );
    }
    assert!(sources[4].starts_with("traffic_grid = skein_labs.traffic_grid  # from skein.labs"));
}

#[test]
fn outputs_of_an_ipynb_are_kept() {
    let input = scratch("with-outputs.ipynb");
    std::fs::write(
        &input,
        r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {},
            "cells": [{"cell_type": "code", "metadata": {}, "execution_count": 1,
                       "source": ["from skein.labs import multi_sample\n", "multi_sample(1000)"],
                       "outputs": [{"output_type": "execute_result", "execution_count": 1,
                                    "metadata": {}, "data": {"text/plain": ["785"]}}]}]}"#,
    )
    .unwrap();
    let out = scratch("with-outputs-dask.ipynb");
    let run = skein(&[
        "export",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let cells = doc["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 2);
    assert_eq!(cells[0]["outputs"], serde_json::json!([]));
    assert_eq!(cells[1]["outputs"][0]["text"][0], "785");
}

#[test]
fn a_missing_notebook_or_output_flag_is_refused() {
    let run = skein(&["export", "no-such-notebook.json", "-o", "x.ipynb"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot read no-such-notebook.json"));
    let run = skein(&["export", &example("delayed-basics.json")]);
    assert_eq!(run.status.code(), Some(2), "clap asks for -o");
}
