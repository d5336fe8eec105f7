//! The toy dataframe against pandas running the seed's `load_csv` on `fixtures/df-demo.csv`
//! (`fixtures/df-demo.expected.json`), both eagerly and as delayed tasks on the engine.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test, as wanted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use serde_json::Value;
use skein_core::{Client, compute_all};
use skein_labs::dataframe::{df_count, df_mean, df_sum, load_csv, partition_count};
use skein_labs::drivers::dataframe as lazy;

fn demo() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/df-demo.csv")).unwrap()
}

fn expected() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/df-demo.expected.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn schema() -> Vec<String> {
    vec!["player".to_owned(), "points".to_owned()]
}

#[test]
fn partitions_match_pandas() {
    let text = demo();
    for case in expected()["cases"].as_array().unwrap() {
        let blocksize = case["blocksize"].as_u64().unwrap() as usize;
        let wanted = case["partitions"].as_array().unwrap();
        assert_eq!(partition_count(&text, blocksize).unwrap(), wanted.len());
        let parts: Vec<_> = (0..wanted.len())
            .map(|i| load_csv(&text, blocksize, i, &schema()).unwrap())
            .collect();
        for (part, want) in parts.iter().zip(wanted) {
            let players: Vec<&str> = part.rows.iter().map(|r| r.fields[0].as_str()).collect();
            let want_players: Vec<&str> = want["players"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect();
            assert_eq!(players, want_players, "blocksize {blocksize}");
            let points: Vec<f64> = part.numbers("points").unwrap();
            let want_points: Vec<f64> = want["points"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_f64().unwrap())
                .collect();
            assert_eq!(points, want_points);
        }
        assert_eq!(df_count(&parts) as u64, case["count"].as_u64().unwrap());
        assert_eq!(
            df_sum(&parts, "points").unwrap(),
            case["sum_points"].as_f64().unwrap()
        );
        assert!(
            (df_mean(&parts, "points").unwrap() - case["mean_points"].as_f64().unwrap()).abs()
                < 1e-12
        );
    }
}

#[test]
fn delayed_frame_matches_pandas() {
    let client = Client::new();
    client.set_as_default();
    let text: Arc<str> = Arc::from(demo());
    let case = &expected()["cases"][0];
    assert_eq!(case["blocksize"], 6);
    let frame = lazy::load_big_df(text, 6, 3, &schema());
    assert_eq!(
        lazy::df_count(&frame).compute().unwrap() as u64,
        case["count"].as_u64().unwrap()
    );
    assert_eq!(
        lazy::df_sum(&frame, "points").compute().unwrap(),
        case["sum_points"].as_f64().unwrap()
    );
    let mean = lazy::df_mean(&frame, "points").compute().unwrap();
    assert!((mean - case["mean_points"].as_f64().unwrap()).abs() < 1e-12);
    let parts = compute_all(&frame).unwrap();
    assert_eq!(
        parts.iter().map(|p| p.count()).collect::<Vec<_>>(),
        vec![6, 6, 2]
    );
}
