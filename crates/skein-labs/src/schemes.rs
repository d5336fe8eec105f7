//! The emergency-services lab, whole: zone schemes and their response-time distributions.
//!
//! A [`Scheme`] splits the city into `k × k` zones with the same number of trucks in each.
//! [`run_scheme`] does Activities 1–3 of the seed for it — a travel-time matrix per zone,
//! `N` random fires per zone, all samples gathered into one distribution — and summarises
//! the distribution. [`activity4_schemes`] lists the three schemes Activity 4 compares.
//!
//! Every zone draws from its own seed, [`derive_seed`]`(seed, zone)`, so the numbers do not
//! depend on the order in which zones run: [`run_scheme`] here and the engine-driven
//! version in [`crate::drivers::emergency`] give the same samples for the same seed.

use serde::Serialize;

use crate::adjacency::build_adj_matrix;
use crate::error::LabError;
use crate::matrix::Matrix;
use crate::response::response_samples;
use crate::rng::derive_seed;
use crate::shortest_path::shortest_path;
use crate::stats::{Histogram, Summary, histogram, summarize};
use crate::traffic::validate_costs;
use crate::zones::{Zone, split_zones};

/// A way to cover the city: `zones_per_side²` zones with `trucks_per_zone` trucks each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Scheme {
    /// A short name for reports.
    pub name: &'static str,
    /// `k`: the city is split into `k × k` zones.
    pub zones_per_side: usize,
    /// Trucks in each zone; a fire is answered by the nearest.
    pub trucks_per_zone: usize,
}

/// Activity 4's three schemes, each with 16 trucks in all: 16 zones × 1 truck, 4 zones × 4
/// trucks, 1 zone × 16 trucks.
#[must_use]
pub fn activity4_schemes() -> [Scheme; 3] {
    [
        Scheme {
            name: "16 zones x 1 truck",
            zones_per_side: 4,
            trucks_per_zone: 1,
        },
        Scheme {
            name: "4 zones x 4 trucks",
            zones_per_side: 2,
            trucks_per_zone: 4,
        },
        Scheme {
            name: "1 zone x 16 trucks",
            zones_per_side: 1,
            trucks_per_zone: 16,
        },
    ]
}

/// Settings shared by every scheme of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LabConfig {
    /// Random fires per zone (the seed uses 100).
    pub samples_per_zone: usize,
    /// Histogram bins.
    pub bins: usize,
    /// Seed: the same seed gives the same samples.
    pub seed: u64,
}

impl Default for LabConfig {
    fn default() -> Self {
        Self {
            samples_per_zone: 100,
            bins: 20,
            seed: 0,
        }
    }
}

/// One scheme's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SchemeReport {
    /// The scheme.
    pub scheme: Scheme,
    /// Rows and columns of each zone.
    pub zone_shape: (usize, usize),
    /// Statistics of all samples.
    pub summary: Summary,
    /// Histogram of all samples.
    pub histogram: Histogram,
    /// Every response time, zone after zone in the seed's zone order.
    pub samples: Vec<f64>,
}

/// Splits `grid` for `scheme`, checking the parameters first.
///
/// # Errors
/// [`LabError::InvalidParameter`] for zero trucks or samples, or zones that do not divide
/// the grid; [`LabError::InvalidCost`] (with the cost's place in the whole grid) for a
/// negative or NaN cost.
pub fn scheme_zones(
    grid: &Matrix,
    scheme: Scheme,
    config: LabConfig,
) -> Result<Vec<Zone>, LabError> {
    validate_costs(grid)?;
    if scheme.trucks_per_zone == 0 {
        return Err(LabError::parameter(
            "trucks",
            "0; each zone needs at least one truck",
        ));
    }
    if config.samples_per_zone == 0 {
        return Err(LabError::parameter(
            "samples",
            "0; draw at least one fire per zone",
        ));
    }
    split_zones(grid, scheme.zones_per_side)
}

/// Activity 1 for one zone: its travel-time matrix, `shortest_path(build_adj_matrix(zone))`.
///
/// # Errors
/// [`LabError::InvalidCost`] for a negative or NaN cost.
pub fn zone_travel_times(zone: &Zone) -> Result<Matrix, LabError> {
    shortest_path(&build_adj_matrix(&zone.costs)?)
}

/// Activity 2 for one zone: its samples, drawn from the zone's own seed.
///
/// # Errors
/// [`LabError::InvalidParameter`] if `travel_times` does not belong to `zone`.
pub fn zone_samples(
    zone: &Zone,
    travel_times: &Matrix,
    scheme: Scheme,
    config: LabConfig,
) -> Result<Vec<f64>, LabError> {
    let (rows, cols) = zone.costs.shape();
    response_samples(
        travel_times,
        rows,
        cols,
        scheme.trucks_per_zone,
        config.samples_per_zone,
        derive_seed(config.seed, zone.index as u64),
    )
}

/// Activity 3: gathers the zones' samples (in zone order) and summarises them.
///
/// # Errors
/// [`LabError::InvalidParameter`] for no samples or no bins, or an unreachable fire.
pub fn report(
    scheme: Scheme,
    zone_shape: (usize, usize),
    per_zone: Vec<Vec<f64>>,
    config: LabConfig,
) -> Result<SchemeReport, LabError> {
    let samples: Vec<f64> = per_zone.into_iter().flatten().collect();
    Ok(SchemeReport {
        scheme,
        zone_shape,
        summary: summarize(&samples)?,
        histogram: histogram(&samples, config.bins)?,
        samples,
    })
}

/// Runs one scheme on the calling thread (see [`crate::drivers::emergency::run_scheme`] for the same
/// work as engine tasks).
///
/// # Errors
/// As [`scheme_zones`], [`zone_travel_times`] and [`report`].
pub fn run_scheme(
    grid: &Matrix,
    scheme: Scheme,
    config: LabConfig,
) -> Result<SchemeReport, LabError> {
    let zones = scheme_zones(grid, scheme, config)?;
    let per_zone = zones
        .iter()
        .map(|zone| zone_samples(zone, &zone_travel_times(zone)?, scheme, config))
        .collect::<Result<Vec<_>, _>>()?;
    report(scheme, zones[0].costs.shape(), per_zone, config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::{CityConfig, synthetic_city};

    #[test]
    fn uniform_city_has_the_analytic_mean() {
        // With every cost 1, the time from truck to fire is their Manhattan distance (0 when
        // they coincide). For independent uniform positions on an m × m zone the mean is
        // 2 · (m² − 1) / (3m): 2.5 for m = 4.
        let grid = Matrix::from_fn(16, 16, |_, _| 1.0);
        let scheme = activity4_schemes()[0];
        let config = LabConfig {
            samples_per_zone: 2000,
            bins: 10,
            seed: 3,
        };
        let report = run_scheme(&grid, scheme, config).unwrap();
        assert_eq!(report.summary.count, 16 * 2000);
        assert_eq!(report.zone_shape, (4, 4));
        // The distance's standard deviation is √(15/8) ≈ 1.37.
        let se = 1.37 / (report.summary.count as f64).sqrt();
        assert!(
            (report.summary.mean - 2.5).abs() < 5.0 * se,
            "{}",
            report.summary.mean
        );
        assert_eq!(report.summary.max, 6.0);
        assert_eq!(report.histogram.counts.iter().sum::<u64>(), 32_000);
    }

    #[test]
    fn fixed_seed_gives_fixed_numbers() {
        let city = synthetic_city(CityConfig { size: 16, seed: 11 }).unwrap();
        let config = LabConfig {
            samples_per_zone: 100,
            bins: 20,
            seed: 5,
        };
        let runs: Vec<SchemeReport> = activity4_schemes()
            .iter()
            .map(|&s| run_scheme(&city, s, config).unwrap())
            .collect();
        let again = run_scheme(&city, activity4_schemes()[1], config).unwrap();
        assert_eq!(runs[1], again);
        // 16 zones × 1 truck draws 1600 samples; 1 zone × 16 trucks draws 100.
        assert_eq!(runs[0].samples.len(), 1600);
        assert_eq!(runs[2].samples.len(), 100);
        let other_seed = run_scheme(
            &city,
            activity4_schemes()[1],
            LabConfig { seed: 6, ..config },
        );
        assert_ne!(runs[1].samples, other_seed.unwrap().samples);
    }

    #[test]
    fn bad_parameters_are_errors() {
        let grid = Matrix::from_fn(6, 6, |_, _| 1.0);
        let config = LabConfig::default();
        let bad_split = Scheme {
            name: "x",
            zones_per_side: 4,
            trucks_per_zone: 1,
        };
        assert!(run_scheme(&grid, bad_split, config).is_err());
        let no_trucks = Scheme {
            name: "x",
            zones_per_side: 1,
            trucks_per_zone: 0,
        };
        assert!(run_scheme(&grid, no_trucks, config).is_err());
        let no_samples = LabConfig {
            samples_per_zone: 0,
            ..config
        };
        assert!(run_scheme(&grid, activity4_schemes()[2], no_samples).is_err());
    }
}
