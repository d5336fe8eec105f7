//! Response times to random fires, as the seed's `response_to_random_fire`.
//!
//! A fire breaks out at a uniformly random intersection of a zone, and trucks stand at
//! uniformly random intersections; the response time is the travel time from the truck to
//! the fire (from the nearest truck when there are several). Coordinates follow the seed:
//! `x` is the column and `y` the row, so intersection `(y, x)` is node `y + rows · x` of the
//! zone's travel-time matrix.

use rand::RngExt;

use crate::error::LabError;
use crate::matrix::Matrix;
use crate::rng::{LabRng, rng_from_seed};

/// The seed's `response_to_random_fire`: draws a fire and one truck (in that order: fire
/// `x`, fire `y`, truck `x`, truck `y`) and returns `travel_times[from truck, to fire]`.
///
/// # Errors
/// [`LabError::InvalidParameter`] when the zone is empty or `travel_times` is not
/// `(rows · cols)²`.
pub fn response_to_random_fire(
    travel_times: &Matrix,
    zone_rows: usize,
    zone_cols: usize,
    rng: &mut LabRng,
) -> Result<f64, LabError> {
    nearest_truck_response(travel_times, zone_rows, zone_cols, 1, rng)
}

/// Like [`response_to_random_fire`] with `trucks` trucks at random intersections: the time
/// of the nearest one (Activity 4's "choose shortest").
///
/// # Errors
/// As [`response_to_random_fire`], and for `trucks == 0`.
pub fn nearest_truck_response(
    travel_times: &Matrix,
    zone_rows: usize,
    zone_cols: usize,
    trucks: usize,
    rng: &mut LabRng,
) -> Result<f64, LabError> {
    check_zone(travel_times, zone_rows, zone_cols)?;
    if trucks == 0 {
        return Err(LabError::parameter(
            "trucks",
            "0; a zone needs at least one truck",
        ));
    }
    Ok(draw(travel_times, zone_rows, zone_cols, trucks, rng))
}

/// `n` independent responses with `trucks` random trucks each, from `seed`: one zone's
/// share of Activity 3. Pure: the same seed gives the same samples.
///
/// # Errors
/// As [`nearest_truck_response`].
pub fn response_samples(
    travel_times: &Matrix,
    zone_rows: usize,
    zone_cols: usize,
    trucks: usize,
    n: usize,
    seed: u64,
) -> Result<Vec<f64>, LabError> {
    check_zone(travel_times, zone_rows, zone_cols)?;
    if trucks == 0 {
        return Err(LabError::parameter(
            "trucks",
            "0; a zone needs at least one truck",
        ));
    }
    let mut rng = rng_from_seed(seed);
    Ok((0..n)
        .map(|_| draw(travel_times, zone_rows, zone_cols, trucks, &mut rng))
        .collect())
}

fn check_zone(travel_times: &Matrix, zone_rows: usize, zone_cols: usize) -> Result<(), LabError> {
    let nodes = zone_rows.checked_mul(zone_cols).unwrap_or(0);
    if nodes == 0 || travel_times.shape() != (nodes, nodes) {
        return Err(LabError::parameter(
            "travel_time_matrix",
            format!(
                "it is {}×{} but a {zone_rows}×{zone_cols} zone needs {nodes}×{nodes}; pass \
                 shortest_path(build_adj_matrix(zone))",
                travel_times.rows(),
                travel_times.cols()
            ),
        ));
    }
    Ok(())
}

fn draw(travel_times: &Matrix, rows: usize, cols: usize, trucks: usize, rng: &mut LabRng) -> f64 {
    let fire_x = rng.random_range(0..cols);
    let fire_y = rng.random_range(0..rows);
    let travel_to = fire_y + rows * fire_x;
    (0..trucks)
        .map(|_| {
            let truck_x = rng.random_range(0..cols);
            let truck_y = rng.random_range(0..rows);
            travel_times.get(truck_y + rows * truck_x, travel_to)
        })
        .fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2×3 zone's "travel times" that encode their own indices: `from * 100 + to`.
    fn index_matrix() -> Matrix {
        Matrix::from_fn(6, 6, |from, to| (from * 100 + to) as f64)
    }

    #[test]
    fn indices_follow_the_seed() {
        // Replay the same draws by hand and check which entry is read.
        let times = index_matrix();
        let (rows, cols) = (2, 3);
        let mut rng = rng_from_seed(17);
        let mut replay = rng_from_seed(17);
        for _ in 0..50 {
            let got = response_to_random_fire(&times, rows, cols, &mut rng).unwrap();
            let fire_x = replay.random_range(0..cols);
            let fire_y = replay.random_range(0..rows);
            let truck_x = replay.random_range(0..cols);
            let truck_y = replay.random_range(0..rows);
            let from = truck_y + rows * truck_x;
            let to = fire_y + rows * fire_x;
            assert_eq!(got, (from * 100 + to) as f64);
        }
    }

    #[test]
    fn every_pair_is_equally_likely() {
        // With travel time = 1 for one (truck, fire) pair and 0 elsewhere, the mean is the
        // pair's probability, 1/36 for a 2×3 zone.
        let times = Matrix::from_fn(6, 6, |from, to| f64::from(u8::from(from == 4 && to == 1)));
        let n = 360_000;
        let mean = response_samples(&times, 2, 3, 1, n, 5)
            .unwrap()
            .iter()
            .sum::<f64>()
            / n as f64;
        let p = 1.0 / 36.0;
        let se = (p * (1.0 - p) / n as f64).sqrt();
        assert!((mean - p).abs() < 5.0 * se, "{mean}");
    }

    #[test]
    fn nearest_of_three_trucks_has_the_exact_mean() {
        // Exact expectation by enumerating every fire and every ordered triple of truck
        // positions on a 3×3 zone with arbitrary travel times.
        let times = Matrix::from_fn(9, 9, |from, to| ((from * 7 + to * 5) % 11) as f64);
        let mut exact = 0.0;
        for fire in 0..9 {
            for a in 0..9 {
                for b in 0..9 {
                    for c in 0..9 {
                        exact += times
                            .get(a, fire)
                            .min(times.get(b, fire))
                            .min(times.get(c, fire));
                    }
                }
            }
        }
        exact /= 9.0f64.powi(4);
        let n = 200_000;
        let samples = response_samples(&times, 3, 3, 3, n, 8).unwrap();
        let mean = samples.iter().sum::<f64>() / n as f64;
        let var = samples.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            (mean - exact).abs() < 5.0 * (var / n as f64).sqrt(),
            "{mean} vs {exact}"
        );
    }

    #[test]
    fn nearest_of_many_trucks_is_no_slower() {
        let times = Matrix::from_fn(4, 4, |from, to| from.abs_diff(to) as f64);
        let one = response_samples(&times, 2, 2, 1, 2000, 1).unwrap();
        let four = response_samples(&times, 2, 2, 4, 2000, 1).unwrap();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        assert!(mean(&four) < mean(&one));
        assert_eq!(
            response_samples(&times, 2, 2, 3, 7, 9),
            response_samples(&times, 2, 2, 3, 7, 9)
        );
    }

    #[test]
    fn mismatched_matrix_or_no_truck_is_an_error() {
        let times = index_matrix();
        let mut rng = rng_from_seed(0);
        assert!(response_to_random_fire(&times, 3, 3, &mut rng).is_err());
        assert!(nearest_truck_response(&times, 2, 3, 0, &mut rng).is_err());
        assert!(response_samples(&times, 0, 3, 1, 1, 0).is_err());
    }
}
