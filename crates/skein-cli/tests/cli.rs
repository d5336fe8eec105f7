//! The `skein` binary end to end: JSON on stdout for good input, a clear message and a
//! non-zero status for bad input.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test, as wanted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn skein(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(args)
        .output()
        .expect("the skein binary runs")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../skein-labs/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// Runs a command expected to succeed and parses its stdout.
fn json(args: &[&str]) -> Value {
    let out = skein(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "skein {args:?} failed: {stderr}");
    assert!(!stderr.is_empty(), "a human summary goes to stderr");
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

/// Runs a command expected to fail and returns its stderr.
fn failure(args: &[&str]) -> String {
    let out = skein(args);
    assert!(!out.status.success(), "skein {args:?} should fail");
    assert!(out.stdout.is_empty(), "no JSON on failure");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn pi_estimates_pi_and_seeds_reproduce() {
    let args = [
        "pi",
        "--batches",
        "20",
        "--per-batch",
        "50000",
        "--seed",
        "9",
    ];
    let out = json(&args);
    assert_eq!(out["samples"], 1_000_000);
    // 5 standard errors of the estimate for 10⁶ samples.
    assert!(out["abs_error"].as_f64().unwrap() < 0.0083, "{out}");
    assert_eq!(json(&args)["hits"], out["hits"]);
    let converge = json(&[
        "pi",
        "--per-batch",
        "20000",
        "--epsilon",
        "0.001",
        "--batches",
        "200",
    ]);
    assert_eq!(converge["mode"], "converge");
    assert!(converge["batches"].as_u64().unwrap() >= 2);
}

#[test]
fn pi_speed_check_runs_the_browser_s_check_natively() {
    let out = json(&["pi", "--speed-check", "2", "--batches", "2"]);
    assert_eq!(out["bench"], "pi_speed_check");
    // A million samples a batch by default, as the browser's check draws.
    assert_eq!(out["samples"], 2_000_000);
    assert_eq!(out["runs"], 2);
    assert_eq!(out["reports"].as_array().map(Vec::len), Some(2));
    assert_eq!(out["estimates_agree"], true, "{out}");
}

#[test]
fn emergency_runs_activity4_on_a_npy_file() {
    let out = json(&[
        "emergency",
        "--traffic",
        &fixture("traffic16.npy"),
        "--samples",
        "100",
    ]);
    let schemes = out["schemes"].as_array().unwrap();
    assert_eq!(schemes.len(), 3);
    let counts: Vec<u64> = schemes
        .iter()
        .map(|s| s["summary"]["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, vec![1600, 400, 100]);
    for s in schemes {
        let hist: u64 = s["histogram"]["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .sum();
        assert_eq!(hist, s["summary"]["count"].as_u64().unwrap());
    }
    // Fixed seeds give fixed numbers.
    let again = json(&[
        "emergency",
        "--traffic",
        &fixture("traffic16.npy"),
        "--samples",
        "100",
    ]);
    assert_eq!(again["schemes"], out["schemes"]);
}

#[test]
fn emergency_synthetic_city_with_placement() {
    let out = json(&[
        "emergency",
        "--seed",
        "3",
        "--size",
        "8",
        "--scheme",
        "zones",
        "--zones",
        "2",
        "--trucks",
        "2",
        "--samples",
        "50",
        "--placement",
        "--trials",
        "50",
    ]);
    let scheme = &out["schemes"][0];
    assert_eq!(scheme["zone_shape"], serde_json::json!([4, 4]));
    let placement = &scheme["placement"];
    assert!(placement["speedup"].as_f64().unwrap() > 1.0, "{placement}");
    assert_eq!(placement["trucks"].as_array().unwrap().len(), 8);
}

#[test]
fn sweep_map_and_bag_agree() {
    let csv_path = std::env::temp_dir().join(format!("skein-sweep-{}.csv", std::process::id()));
    let out = json(&[
        "sweep",
        "--rows",
        "1000",
        "--csv",
        csv_path.to_str().unwrap(),
    ]);
    assert_eq!(out["bag"]["results_equal_map"], true);
    assert_eq!(out["bag"]["above_threshold"], out["above_threshold"]);
    // Sum of four U(0,1): mean 2, standard deviation √(1/3); 5 standard errors of the mean.
    assert!((out["mean"].as_f64().unwrap() - 2.0).abs() < 5.0 * (1.0f64 / 3.0 / 1000.0).sqrt());
    let written = std::fs::read_to_string(&csv_path).unwrap();
    std::fs::remove_file(&csv_path).ok();
    assert_eq!(
        written.lines().count() as u64,
        out["above_threshold"].as_u64().unwrap() + 1
    );
}

#[test]
fn csv_counts_and_sums_the_demo_file() {
    let out = json(&[
        "csv",
        &fixture("df-demo.csv"),
        "--blocksize",
        "6",
        "--sum",
        "points",
        "--mean",
        "points",
    ]);
    // Independent count of the fixture: 14 data lines, points summed by hand = 173.
    assert_eq!(out["count"], 14);
    assert_eq!(out["partition_rows"], serde_json::json!([6, 6, 2]));
    assert_eq!(out["sum"]["points"], 173.0);
}

#[test]
fn bench_prints_json_lines() {
    let out = skein(&["bench", "--quick"]);
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let names: Vec<&str> = lines.iter().map(|l| l["bench"].as_str().unwrap()).collect();
    assert_eq!(lines[0]["completed"], true, "{}", lines[0]);
    assert_eq!(
        names,
        vec![
            "million_tasks",
            "multi_sample",
            "run_batches_engine",
            "pi_speed_check",
            "emergency_lab_16_zones",
            "apsp",
            "interpreter_start",
            "python_tasks",
            "python_building",
            "python_multi_sample",
            "interactive_during_persist",
            "python_cell_code",
            "python_cell_code",
            "python_cell_code"
        ]
    );
    // Each kind of cell code timed, with its case named.
    let cases: Vec<&str> = lines
        .iter()
        .filter(|l| l["bench"] == "python_cell_code")
        .map(|l| {
            assert!(l["skein_seconds"].as_f64().is_some_and(|s| s > 0.0), "{l}");
            l["case"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        cases,
        ["subscripts_floyd_warshall", "top_level_loop", "dict_counts"]
    );
    let line = |name: &str| &lines[names.iter().position(|n| *n == name).unwrap()];
    assert_eq!(line("pi_speed_check")["estimates_agree"], true);
    let python = line("python_tasks");
    assert!(
        python["overhead_us_per_task"].as_f64().is_some(),
        "{python}"
    );
    let start = line("interpreter_start");
    for field in ["snapshot_load_ms", "baseline_ms"] {
        assert!(start[field].as_f64().is_some_and(|ms| ms > 0.0), "{start}");
    }
    let building = line("python_building");
    for field in [
        "delayed_us_per_call",
        "submit_us_per_call",
        "cell_delayed_us_per_call",
        "cell_submit_us_per_call",
        "native_delayed_us_per_call",
    ] {
        assert!(
            building[field].as_f64().is_some_and(|us| us > 0.0),
            "{building}"
        );
    }
    // The whole cell includes the calls the cell timed itself.
    for call in ["delayed", "submit"] {
        let inside = building[format!("{call}_us_per_call")].as_f64().unwrap();
        let cell = building[format!("cell_{call}_us_per_call")]
            .as_f64()
            .unwrap();
        assert!(inside <= cell, "{building}");
    }
    let sampler = line("python_multi_sample");
    assert!(
        (sampler["pi_estimate"].as_f64().unwrap() - std::f64::consts::PI).abs() < 0.1,
        "{sampler}"
    );
    // Measured, not asserted (no timed tests): the ordering is tested in skein-core
    // (`tests/scheduler.rs`) and through the kernel (`skein-kernel/tests/interactive.rs`).
    let interactive = line("interactive_during_persist");
    for field in [
        "seconds",
        "persist_seconds",
        "baseline_seconds",
        "batches_waited",
        "same_function_batches_waited",
    ] {
        assert!(interactive[field].as_f64().is_some(), "{interactive}");
    }
}

#[test]
fn bad_input_is_refused_clearly() {
    let cases: [(&[&str], &str); 9] = [
        (
            &["emergency", "--traffic", &fixture("bad_int64.npy")],
            "float32 or float64",
        ),
        (
            &["emergency", "--traffic", &fixture("bad_3d.npy")],
            "shape [2, 2, 2]",
        ),
        (
            &["emergency", "--traffic", "/no/such/file.npy"],
            "cannot access /no/such/file.npy",
        ),
        (
            &[
                "emergency",
                "--size",
                "16",
                "--scheme",
                "zones",
                "--zones",
                "3",
            ],
            "do not split a 16×16 grid",
        ),
        (&["emergency", "--size", "0"], "invalid size"),
        (
            &["csv", &fixture("df-demo.csv"), "--sum", "rebounds"],
            "no column \"rebounds\"",
        ),
        (
            &["csv", &fixture("df-demo.csv"), "--sum", "player"],
            "line 2, column \"player\"",
        ),
        (
            &["csv", &fixture("df-demo.csv"), "--blocksize", "0"],
            "blocksize",
        ),
        (&["pi", "--batches", "0"], "at least 1"),
    ];
    for (args, message) in cases {
        let stderr = failure(args);
        assert!(stderr.contains(message), "skein {args:?}: {stderr}");
    }
}

#[test]
fn malformed_csv_rows_name_their_line() {
    let path = std::env::temp_dir().join(format!("skein-bad-{}.csv", std::process::id()));
    std::fs::write(&path, "player,points\nAna,3\nBo,4,extra\nCy,x\n").unwrap();
    let file = path.to_str().unwrap();
    let malformed = failure(&["csv", file, "--blocksize", "2", "--sum", "points"]);
    assert!(malformed.contains("line 3"), "{malformed}");
    std::fs::write(&path, "player,points\nAna,3\nCy,x\n").unwrap();
    let non_numeric = failure(&["csv", file, "--sum", "points"]);
    std::fs::remove_file(&path).ok();
    assert!(
        non_numeric.contains("line 3, column \"points\": \"x\" is not a number"),
        "{non_numeric}"
    );
}

#[test]
fn usage_errors_exit_with_status_2() {
    let out = skein(&["emergency", "--traffic", "a.npy", "--seed", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}

fn examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/examples")
}

#[test]
fn run_prints_each_output_of_a_notebook_as_a_json_line() {
    let dir = std::env::temp_dir().join(format!("skein-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let notebook = dir.join("nb.ipynb");
    let nb = skein_kernel::Notebook {
        title: "t".into(),
        cells: vec![
            skein_kernel::NotebookCell::new(skein_kernel::CellKind::Markdown, "# t"),
            skein_kernel::NotebookCell::new(
                skein_kernel::CellKind::Code,
                "from dask import delayed\nprint('hi')\ndelayed(sum)([1, 2]).compute()",
            ),
            skein_kernel::NotebookCell::new(skein_kernel::CellKind::Code, "open('in.txt').read()"),
        ],
    };
    std::fs::write(&notebook, nb.to_ipynb()).unwrap();
    std::fs::write(dir.join("in.txt"), "data").unwrap();
    let out = skein(&[
        "run",
        notebook.to_str().unwrap(),
        "--data",
        dir.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["cell"], 0);
    assert_eq!(lines[0]["text"], "hi");
    assert_eq!(lines[1]["text"], "3");
    assert_eq!(lines[2]["cell"], 1);
    assert_eq!(lines[2]["text"], "'data'");
}

#[test]
fn run_stops_at_the_first_failing_cell_with_its_traceback() {
    let dir = std::env::temp_dir().join(format!("skein-run-fail-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let notebook = dir.join("nb.json");
    std::fs::write(&notebook, r#"{"title":"t","cells":[{"kind":"code","source":"1/0"},{"kind":"code","source":"print('never')"}]}"#).unwrap();
    let out = skein(&["run", notebook.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ZeroDivisionError"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("never"));
}

#[test]
fn run_with_allow_errors_goes_past_failing_cells_and_exits_1_at_the_end() {
    let dir = std::env::temp_dir().join(format!("skein-run-allow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let notebook = dir.join("nb.json");
    std::fs::write(
        &notebook,
        r#"{"title":"t","cells":[{"kind":"code","source":"1/0"},{"kind":"code","source":"print('after')"},{"kind":"code","source":"[][1]"},{"kind":"code","source":"print('end')"}]}"#,
    )
    .unwrap();
    let out = skein(&["run", "--allow-errors", notebook.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stdout.contains("after") && stdout.contains("end"),
        "{stdout}"
    );
    assert!(stderr.contains("cell 0 failed") && stderr.contains("ZeroDivisionError"));
    assert!(stderr.contains("cell 2 failed") && stderr.contains("IndexError"));
    assert!(stderr.contains("2 code cells failed"), "{stderr}");

    let clean = dir.join("clean.json");
    std::fs::write(
        &clean,
        r#"{"title":"t","cells":[{"kind":"code","source":"print(1)"}]}"#,
    )
    .unwrap();
    let out = skein(&["run", "--allow-errors", clean.to_str().unwrap()]);
    assert!(out.status.success());
}

#[test]
fn run_shows_frames_series_and_arrays_as_jupyter_s_text_plain() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/jupyter-text.json")).unwrap();
    let cases = fixture["cells"].as_array().unwrap();
    let mut cells = vec![json_cell(fixture["setup"].as_str().unwrap())];
    cells.extend(
        cases
            .iter()
            .map(|case| json_cell(case[0].as_str().unwrap())),
    );
    let dir = std::env::temp_dir().join(format!("skein-run-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let notebook = dir.join("nb.json");
    std::fs::write(
        &notebook,
        serde_json::json!({ "title": "t", "cells": cells }).to_string(),
    )
    .unwrap();
    let out = skein(&["run", notebook.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (i, case) in cases.iter().enumerate() {
        let shown = lines
            .iter()
            .find(|l| l["cell"] == i + 1)
            .unwrap_or_else(|| panic!("no output for {}", case[0]));
        assert_eq!(shown["text"], case[1], "{}", case[0]);
    }
}

fn json_cell(source: &str) -> Value {
    serde_json::json!({ "kind": "code", "source": source })
}

#[test]
fn run_runs_an_example_notebook() {
    let out = skein(&[
        "run",
        examples().join("delayed-basics.json").to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"text\":\"81\""));
}
