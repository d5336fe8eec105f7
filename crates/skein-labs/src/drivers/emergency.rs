//! The emergency-services lab on the engine: Activities 1–4 with futures.
//!
//! Activity 1 submits one task per zone computing its travel-time matrix (pure keys, so a
//! zone shared by two runs is solved once); Activity 2–3 submit one sampling task per zone
//! that takes the zone's travel-time *future* as its argument, so sampling starts on a
//! worker as soon as that zone's matrix exists, without waiting here; the samples are then
//! gathered and summarised. [`run_lab`] submits every scheme before gathering any, so the
//! workers always have work. The numbers equal [`crate::schemes::run_scheme`]'s.

use std::sync::Arc;

use skein_core::{Client, Future};

use crate::error::LabError;
use crate::matrix::Matrix;
use crate::placement::{self, PlacementReport};
use crate::rng::derive_seed;
use crate::schemes::{self, LabConfig, Scheme, SchemeReport};
use crate::zones::Zone;

/// Task: Activity 1 for one zone.
fn zone_travel_times(zone: Zone) -> Result<Arc<Matrix>, LabError> {
    schemes::zone_travel_times(&zone).map(Arc::new)
}

/// Task: Activity 2 for one zone (`trucks` per zone, samples and seed from `config`).
fn response_samples(
    zone: Zone,
    times: Arc<Matrix>,
    trucks: usize,
    config: LabConfig,
) -> Result<Vec<f64>, LabError> {
    let scheme = Scheme {
        name: "",
        zones_per_side: 1,
        trucks_per_zone: trucks,
    };
    schemes::zone_samples(&zone, &times, scheme, config)
}

/// Task: the best placement of `trucks` in one zone, against `trials` random ones.
fn compare_placement(
    zone: Zone,
    times: Arc<Matrix>,
    trucks: usize,
    trials_and_seed: (usize, u64),
) -> Result<PlacementReport, LabError> {
    let (trials, seed) = trials_and_seed;
    placement::compare_placement(
        &times,
        zone.costs.rows(),
        trucks,
        trials,
        derive_seed(seed, zone.index as u64),
    )
}

/// Beyond the seed: for each zone of `scheme`, the p-median placement of its trucks against
/// `trials` random placements (one task per zone, after that zone's travel times).
///
/// # Errors
/// As [`crate::schemes::scheme_zones`] and [`crate::placement::compare_placement`].
pub fn compare_placements(
    client: &Client,
    grid: &Matrix,
    scheme: Scheme,
    trials: usize,
    seed: u64,
) -> Result<Vec<PlacementReport>, LabError> {
    let zones = schemes::scheme_zones(
        grid,
        scheme,
        LabConfig {
            seed,
            ..LabConfig::default()
        },
    )?;
    let times = travel_time_futures(client, &zones);
    let reports: Vec<Future<PlacementReport>> = zones
        .iter()
        .zip(&times)
        .map(|(zone, t)| {
            client.submit(
                compare_placement,
                (zone.clone(), t, scheme.trucks_per_zone, (trials, seed)),
            )
        })
        .collect();
    Ok(client.gather(&reports)?)
}

/// Activity 1: one task per zone computing its travel-time matrix; returns at once.
#[must_use]
pub fn travel_time_futures(client: &Client, zones: &[Zone]) -> Vec<Future<Arc<Matrix>>> {
    client.map(zone_travel_times, zones.iter().cloned())
}

/// The futures of one scheme: its zone shape and a sampling future per zone.
struct Submitted {
    scheme: Scheme,
    zone_shape: (usize, usize),
    samples: Vec<Future<Vec<f64>>>,
}

fn submit_scheme(
    client: &Client,
    grid: &Matrix,
    scheme: Scheme,
    config: LabConfig,
) -> Result<Submitted, LabError> {
    let zones = schemes::scheme_zones(grid, scheme, config)?;
    let times = travel_time_futures(client, &zones);
    let samples = zones
        .iter()
        .zip(&times)
        .map(|(zone, t)| {
            client.submit(
                response_samples,
                (zone.clone(), t, scheme.trucks_per_zone, config),
            )
        })
        .collect();
    Ok(Submitted {
        scheme,
        zone_shape: zones[0].costs.shape(),
        samples,
    })
}

/// Runs one scheme as engine tasks.
///
/// # Errors
/// As [`crate::schemes::run_scheme`]; a failed task comes back as [`LabError::Engine`].
pub fn run_scheme(
    client: &Client,
    grid: &Matrix,
    scheme: Scheme,
    config: LabConfig,
) -> Result<SchemeReport, LabError> {
    run_lab(client, grid, &[scheme], config)?
        .pop()
        .ok_or_else(|| LabError::parameter("schemes", "none given"))
}

/// Runs several schemes (e.g. [`crate::schemes::activity4_schemes`]) as engine tasks, all
/// submitted before any is gathered.
///
/// # Errors
/// As [`run_scheme`].
pub fn run_lab(
    client: &Client,
    grid: &Matrix,
    schemes: &[Scheme],
    config: LabConfig,
) -> Result<Vec<SchemeReport>, LabError> {
    let submitted = schemes
        .iter()
        .map(|&s| submit_scheme(client, grid, s, config))
        .collect::<Result<Vec<_>, _>>()?;
    submitted
        .into_iter()
        .map(|s| schemes::report(s.scheme, s.zone_shape, client.gather(&s.samples)?, config))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schemes::activity4_schemes;
    use crate::traffic::{CityConfig, synthetic_city};
    use crate::zones::split_zones;

    #[test]
    fn engine_run_equals_the_plain_run() {
        let client = Client::new();
        let city = synthetic_city(CityConfig { size: 16, seed: 3 }).unwrap();
        let config = LabConfig {
            samples_per_zone: 50,
            bins: 8,
            seed: 9,
        };
        let on_engine = run_lab(&client, &city, &activity4_schemes(), config).unwrap();
        let plain: Vec<SchemeReport> = activity4_schemes()
            .iter()
            .map(|&s| schemes::run_scheme(&city, s, config).unwrap())
            .collect();
        assert_eq!(on_engine, plain);
    }

    #[test]
    fn travel_times_are_computed_once_per_zone() {
        let client = Client::new();
        let city = synthetic_city(CityConfig { size: 8, seed: 1 }).unwrap();
        let zones = split_zones(&city, 2).unwrap();
        let first = travel_time_futures(&client, &zones);
        let again = travel_time_futures(&client, &zones);
        assert!(first.iter().zip(&again).all(|(a, b)| a.same_task(b)));
        let matrix = first[3].result().unwrap();
        assert_eq!(*matrix, schemes::zone_travel_times(&zones[3]).unwrap());
    }

    #[test]
    fn placements_per_zone_equal_the_plain_heuristic() {
        let client = Client::new();
        let city = synthetic_city(CityConfig { size: 8, seed: 2 }).unwrap();
        let scheme = activity4_schemes()[1];
        let reports = compare_placements(&client, &city, scheme, 20, 4).unwrap();
        assert_eq!(reports.len(), 4);
        for (zone, report) in split_zones(&city, 2).unwrap().iter().zip(&reports) {
            let times = schemes::zone_travel_times(zone).unwrap();
            let plain =
                placement::compare_placement(&times, 4, 4, 20, derive_seed(4, zone.index as u64))
                    .unwrap();
            assert_eq!(&plain, report);
        }
    }

    #[test]
    fn bad_input_comes_back_as_an_error() {
        let client = Client::new();
        let mut costs = vec![1.0; 16];
        costs[14] = -2.0;
        let grid = Matrix::from_row_major(4, 4, costs).unwrap();
        let err =
            run_scheme(&client, &grid, activity4_schemes()[1], LabConfig::default()).unwrap_err();
        assert!(err.to_string().contains("row 3, column 2"), "{err}");
        let odd = Matrix::from_fn(6, 6, |_, _| 1.0);
        assert!(matches!(
            run_scheme(&client, &odd, activity4_schemes()[0], LabConfig::default()),
            Err(LabError::InvalidParameter { name: "zones", .. })
        ));
    }
}
