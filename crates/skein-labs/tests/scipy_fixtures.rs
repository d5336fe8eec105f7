//! Shortest paths and `.npy` loading against fixtures written by SciPy and NumPy
//! (`fixtures/gen_fixtures.py` runs the seed's own `build_adj_matrix` and
//! `scipy.sparse.csgraph.shortest_path`).

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test, as wanted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use skein_labs::adjacency::build_adj_matrix;
use skein_labs::error::LabError;
use skein_labs::shortest_path::shortest_path;
use skein_labs::traffic::load_npy_file;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// SciPy's output, read with npyz directly (not through the loader under test).
fn scipy_times(name: &str) -> (Vec<u64>, Vec<f64>) {
    let bytes = std::fs::read(fixture(name)).unwrap();
    let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
    let shape = npy.shape().to_vec();
    (shape, npy.into_vec::<f64>().unwrap())
}

fn check_case(name: &str) {
    let grid = load_npy_file(&fixture(&format!("{name}.npy"))).unwrap();
    let times = shortest_path(&build_adj_matrix(&grid).unwrap()).unwrap();
    let (shape, expected) = scipy_times(&format!("{name}.apsp.npy"));
    assert_eq!(
        shape,
        vec![times.rows() as u64, times.cols() as u64],
        "{name}"
    );
    for (i, (ours, theirs)) in times.as_slice().iter().zip(&expected).enumerate() {
        let close = ours == theirs || (ours - theirs).abs() <= 1e-12 * theirs.abs().max(1.0);
        assert!(close, "{name}: entry {i} is {ours}, SciPy says {theirs}");
    }
}

#[test]
fn seed_demo_zone_float64_c_order() {
    check_case("zone4_f64_c");
}

#[test]
fn whole_sixteen_by_sixteen_city() {
    check_case("city16_f64_c");
}

#[test]
fn float32_fortran_order() {
    check_case("grid6_f32_f");
}

#[test]
fn zero_costs_are_no_edge_as_in_scipy() {
    check_case("grid5_zeros_f64_c");
    let (_, expected) = scipy_times("grid5_zeros_f64_c.apsp.npy");
    assert!(
        expected.iter().any(|t| t.is_infinite()),
        "the fixture exercises unreachable nodes"
    );
}

#[test]
fn other_arrays_are_refused_with_a_reason() {
    for (name, found) in [("bad_int64.npy", "<i8"), ("bad_3d.npy", "shape [2, 2, 2]")] {
        let err = load_npy_file(&fixture(name)).unwrap_err();
        assert!(
            matches!(err, LabError::UnsupportedArray { .. }),
            "{name}: {err}"
        );
        assert!(err.to_string().contains(found), "{name}: {err}");
    }
    let missing = load_npy_file(&fixture("no-such-file.npy")).unwrap_err();
    assert!(matches!(missing, LabError::Io { .. }));
}
