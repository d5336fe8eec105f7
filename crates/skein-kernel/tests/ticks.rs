//! Skein's axis limits and tick texts against real matplotlib's, for the seeded ranges of
//! `tests/dask/ticks.json` (written by `tests/dask/ticks.py` with matplotlib 3.11).

// Test helpers outside `#[test]` functions: a failed expect is a failed test, as wanted.
#![allow(clippy::expect_used)]

use serde_json::Value;
use skein_kernel::ticks::{AxisTicks, histogram_axes, image_axes, line_axes};

fn float(v: &Value) -> f64 {
    f64::from_bits(v.as_u64().expect("float bits"))
}

fn pair(v: &Value) -> (f64, f64) {
    (float(&v[0]), float(&v[1]))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|s| s.as_str().expect("a string").to_owned())
        .collect()
}

/// What differs between Skein's axis and matplotlib's, if anything.
fn compare(
    name: &str,
    ours: &AxisTicks,
    limits: &Value,
    ticks: &Value,
    offset: &Value,
) -> Option<String> {
    let theirs = pair(limits);
    let (labels, offset) = (strings(ticks), offset.as_str().unwrap_or_default());
    let same_limits = ours.limits.0.to_bits() == theirs.0.to_bits()
        && ours.limits.1.to_bits() == theirs.1.to_bits();
    (!same_limits || ours.labels != labels || ours.offset != offset).then(|| {
        format!(
            "{name}: skein {:?} {:?} {:?}, matplotlib {theirs:?} {labels:?} {offset:?}",
            ours.limits, ours.labels, ours.offset
        )
    })
}

#[test]
fn ticks_match_matplotlib() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/dask/ticks.json");
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("fixture"))
        .expect("fixture JSON");
    let cases = fixture["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let (x, y) = match case["kind"].as_str() {
            Some("plot") => line_axes(Some(pair(&case["data_x"])), Some(pair(&case["data_y"]))),
            Some("hist") => histogram_axes(Some(pair(&case["data_x"])), pair(&case["data_y"]).1),
            Some("imshow") => image_axes(
                case["rows"].as_u64().unwrap_or(0) as usize,
                case["cols"].as_u64().unwrap_or(0) as usize,
            ),
            other => panic!("unknown kind {other:?}"),
        };
        let kind = case["kind"].as_str().unwrap_or_default();
        for (axis, ours, lim, ticks, offset) in [
            ("x", &x, "xlim_bits", "xticks", "xoffset"),
            ("y", &y, "ylim_bits", "yticks", "yoffset"),
        ] {
            if let Some(diff) = compare(
                &format!("case {i} ({kind}) {axis}"),
                ours,
                &case[lim],
                &case[ticks],
                &case[offset],
            ) {
                failures.push(diff);
            }
        }
    }
    let axes = cases.len() * 2;
    println!(
        "{} of {axes} axes ({} ranges) match matplotlib {}",
        axes - failures.len(),
        cases.len(),
        fixture["matplotlib"]
    );
    assert!(cases.len() >= 300, "too few cases: {}", cases.len());
    assert!(
        failures.is_empty(),
        "{} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
