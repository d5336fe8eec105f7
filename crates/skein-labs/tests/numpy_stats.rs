//! Summary statistics and histograms against NumPy's (`fixtures/stats.json`).

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test, as wanted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use skein_labs::stats::{histogram, summarize};

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/stats.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[test]
fn summary_matches_numpy() {
    let f = fixture();
    let values = floats(&f["values"]);
    let s = summarize(&values).unwrap();
    assert_eq!(s.count, values.len());
    for (ours, key) in [
        (s.mean, "mean"),
        (s.median, "median"),
        (s.p90, "p90"),
        (s.max, "max"),
    ] {
        let numpy = f[key].as_f64().unwrap();
        assert!(close(ours, numpy), "{key}: {ours} vs NumPy {numpy}");
    }
}

#[test]
fn histogram_matches_numpy() {
    let f = fixture();
    let values = floats(&f["values"]);
    let bins = f["bins"].as_u64().unwrap() as usize;
    let h = histogram(&values, bins).unwrap();
    let edges = floats(&f["histogram_edges"]);
    assert!(
        h.edges.iter().zip(&edges).all(|(a, b)| close(*a, *b)),
        "{:?} vs {edges:?}",
        h.edges
    );
    let counts: Vec<u64> = f["histogram_counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert_eq!(h.counts, counts);
}
