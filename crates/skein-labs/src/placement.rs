//! Truck placement: where should `k` trucks wait so that fires are reached soonest?
//!
//! This is the *p-median problem*: choose `k` intersections of a zone minimising the mean,
//! over all intersections where a fire can break out (each equally likely, as in
//! [`crate::response`]), of the travel time from the nearest truck. It is NP-hard in
//! general; [`optimize_placement`] uses the classic heuristic:
//!
//! 1. **greedy**: add trucks one at a time, each where it lowers the mean the most;
//! 2. **swap** (Teitz–Bart): move one truck to an empty intersection whenever that lowers
//!    the mean, until no single move does. Keeping each fire's nearest and second-nearest
//!    truck makes each candidate move cost `O(n)`;
//! 3. **restarts**: a swap search stops at a placement no *single* move improves, which need
//!    not be the best (two trucks may have to move at once). So the swap search also runs
//!    from [`RESTARTS`] random placements (from a fixed seed, so results are reproducible),
//!    and the best placement found wins.
//!
//! [`compare_placement`] sets the result against random placements, the seed's model.

use serde::Serialize;

use crate::error::LabError;
use crate::matrix::Matrix;
use crate::rng::{LabRng, rng_from_seed};
use rand::RngExt;

/// Random starting placements tried by [`optimize_placement`] after the greedy one.
pub const RESTARTS: usize = 8;
/// Seed of those starts: fixed, so the same zone always gets the same placement.
const RESTART_SEED: u64 = 0x0070_11AC_E5EE_D000;

/// Trucks at fixed intersections and the mean response time they give.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Placement {
    /// Node indices of the trucks (`row + rows · col`), sorted.
    pub nodes: Vec<usize>,
    /// The same as `(row, col)` within the zone.
    pub positions: Vec<(usize, usize)>,
    /// Mean over all fire locations of the nearest truck's travel time.
    pub mean_response: f64,
}

/// An optimised placement next to random ones.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlacementReport {
    /// The heuristic's placement.
    pub optimized: Placement,
    /// Mean response of random placements (`k` distinct intersections), averaged.
    pub random_mean_response: f64,
    /// `random_mean_response / optimized.mean_response`: how many times faster the
    /// optimised placement answers on average.
    pub speedup: f64,
}

/// Mean over all fire locations of the nearest of `trucks`' travel times.
///
/// # Errors
/// [`LabError::InvalidParameter`] for no trucks, a truck outside the matrix, or a
/// non-square matrix.
pub fn mean_response(travel_times: &Matrix, trucks: &[usize]) -> Result<f64, LabError> {
    let n = check_square(travel_times)?;
    if trucks.is_empty() {
        return Err(LabError::parameter(
            "trucks",
            "none given; place at least one truck",
        ));
    }
    if let Some(&bad) = trucks.iter().find(|&&t| t >= n) {
        return Err(LabError::parameter(
            "trucks",
            format!("node {bad} is outside the {n}-node zone"),
        ));
    }
    let total: f64 = (0..n)
        .map(|fire| {
            trucks
                .iter()
                .map(|&t| travel_times.get(t, fire))
                .fold(f64::INFINITY, f64::min)
        })
        .sum();
    Ok(total / n as f64)
}

/// Places `k` trucks in a zone of `zone_rows` rows with greedy + swap (see the module docs).
///
/// # Errors
/// [`LabError::InvalidParameter`] unless `1 ≤ k ≤ nodes` and the matrix is square with a
/// whole number of columns of `zone_rows`.
pub fn optimize_placement(
    travel_times: &Matrix,
    zone_rows: usize,
    k: usize,
) -> Result<Placement, LabError> {
    let n = check_square(travel_times)?;
    check_k(n, k)?;
    if zone_rows == 0 || n % zone_rows != 0 {
        return Err(LabError::parameter(
            "zone_rows",
            format!("{zone_rows} does not divide the zone's {n} intersections"),
        ));
    }
    let mut chosen = greedy(travel_times, k);
    swap_until_stable(travel_times, &mut chosen);
    let mut best = (mean_response(travel_times, &chosen)?, chosen);
    let mut rng = rng_from_seed(RESTART_SEED);
    for _ in 0..RESTARTS {
        let mut start = random_subset(&mut rng, n, k);
        swap_until_stable(travel_times, &mut start);
        let mean = mean_response(travel_times, &start)?;
        if mean < best.0 {
            best = (mean, start);
        }
    }
    let mut chosen = best.1;
    chosen.sort_unstable();
    Ok(Placement {
        positions: chosen
            .iter()
            .map(|&t| (t % zone_rows, t / zone_rows))
            .collect(),
        mean_response: mean_response(travel_times, &chosen)?,
        nodes: chosen,
    })
}

/// Optimises a placement of `k` trucks and compares it with `trials` random placements
/// drawn from `seed`.
///
/// # Errors
/// As [`optimize_placement`], and for `trials == 0`.
pub fn compare_placement(
    travel_times: &Matrix,
    zone_rows: usize,
    k: usize,
    trials: usize,
    seed: u64,
) -> Result<PlacementReport, LabError> {
    if trials == 0 {
        return Err(LabError::parameter(
            "trials",
            "0; compare with at least one random placement",
        ));
    }
    let optimized = optimize_placement(travel_times, zone_rows, k)?;
    let n = travel_times.rows();
    let mut rng = rng_from_seed(seed);
    let mut total = 0.0;
    for _ in 0..trials {
        total += mean_response(travel_times, &random_subset(&mut rng, n, k))?;
    }
    let random_mean_response = total / trials as f64;
    Ok(PlacementReport {
        speedup: random_mean_response / optimized.mean_response,
        random_mean_response,
        optimized,
    })
}

/// `k` distinct nodes out of `n`, uniformly (a partial Fisher–Yates shuffle).
fn random_subset(rng: &mut LabRng, n: usize, k: usize) -> Vec<usize> {
    let mut nodes: Vec<usize> = (0..n).collect();
    for i in 0..k {
        let j = rng.random_range(i..n);
        nodes.swap(i, j);
    }
    nodes.truncate(k);
    nodes
}

fn check_square(travel_times: &Matrix) -> Result<usize, LabError> {
    let (rows, cols) = travel_times.shape();
    if rows != cols || rows == 0 {
        return Err(LabError::parameter(
            "travel_time_matrix",
            format!("it is {rows}×{cols}; pass a zone's square shortest_path matrix"),
        ));
    }
    Ok(rows)
}

fn check_k(n: usize, k: usize) -> Result<(), LabError> {
    if k == 0 || k > n {
        return Err(LabError::parameter(
            "trucks",
            format!("{k}; choose 1 to {n} for this zone"),
        ));
    }
    Ok(())
}

/// Adds trucks one by one where each lowers the total response the most.
fn greedy(times: &Matrix, k: usize) -> Vec<usize> {
    let n = times.rows();
    let mut best = vec![f64::INFINITY; n];
    let mut chosen = Vec::with_capacity(k);
    for _ in 0..k {
        let mut pick = (f64::INFINITY, usize::MAX);
        for candidate in (0..n).filter(|c| !chosen.contains(c)) {
            let row = times.row(candidate);
            let total: f64 = best.iter().zip(row).map(|(&b, &t)| b.min(t)).sum();
            if total < pick.0 || pick.1 == usize::MAX {
                pick = (total, candidate);
            }
        }
        chosen.push(pick.1);
        for (b, &t) in best.iter_mut().zip(times.row(pick.1)) {
            *b = b.min(t);
        }
    }
    chosen
}

/// Applies the best improving single-truck move until none improves the total.
fn swap_until_stable(times: &Matrix, chosen: &mut [usize]) {
    let n = times.rows();
    loop {
        // For each fire: the nearest truck's slot and time, and the second-nearest time.
        let mut nearest = vec![(0usize, f64::INFINITY); n];
        let mut second = vec![f64::INFINITY; n];
        for (slot, &truck) in chosen.iter().enumerate() {
            for fire in 0..n {
                let t = times.get(truck, fire);
                if t < nearest[fire].1 {
                    second[fire] = nearest[fire].1;
                    nearest[fire] = (slot, t);
                } else if t < second[fire] {
                    second[fire] = t;
                }
            }
        }
        let current: f64 = nearest.iter().map(|&(_, t)| t).sum();
        let mut best_move = (current, None);
        for (slot, _) in chosen.iter().enumerate() {
            for candidate in (0..n).filter(|c| !chosen.contains(c)) {
                let row = times.row(candidate);
                let total: f64 = (0..n)
                    .map(|fire| {
                        let without = if nearest[fire].0 == slot {
                            second[fire]
                        } else {
                            nearest[fire].1
                        };
                        without.min(row[fire])
                    })
                    .sum();
                // Demand a real gain, not rounding noise, so the loop terminates.
                if total < best_move.0 - 1e-12 * best_move.0.abs() {
                    best_move = (total, Some((slot, candidate)));
                }
            }
        }
        match best_move.1 {
            Some((slot, candidate)) => chosen[slot] = candidate,
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adjacency::build_adj_matrix;
    use crate::shortest_path::shortest_path;
    use crate::traffic::{CityConfig, synthetic_city};

    fn zone_times(seed: u64, size: usize) -> Matrix {
        let city = synthetic_city(CityConfig { size, seed }).unwrap();
        shortest_path(&build_adj_matrix(&city).unwrap()).unwrap()
    }

    /// The best placement by trying every k-subset.
    fn brute_force(times: &Matrix, k: usize) -> f64 {
        fn recurse(
            times: &Matrix,
            k: usize,
            start: usize,
            picked: &mut Vec<usize>,
            best: &mut f64,
        ) {
            if picked.len() == k {
                *best = best.min(mean_response(times, picked).unwrap());
                return;
            }
            for node in start..times.rows() {
                picked.push(node);
                recurse(times, k, node + 1, picked, best);
                picked.pop();
            }
        }
        let mut best = f64::INFINITY;
        recurse(times, k, 0, &mut Vec::new(), &mut best);
        best
    }

    #[test]
    fn matches_exhaustive_search_on_small_zones() {
        for seed in 0..10 {
            let times = zone_times(seed, 4);
            for k in 1..=4 {
                let found = optimize_placement(&times, 4, k).unwrap().mean_response;
                let optimum = brute_force(&times, k);
                assert!(
                    (found - optimum).abs() < 1e-9,
                    "seed {seed}, k {k}: {found} vs {optimum}"
                );
            }
        }
    }

    #[test]
    fn one_truck_in_a_uniform_line_waits_in_the_middle() {
        // A 1×5 street of cost 1: the median intersection, column 2, minimises the mean.
        let times =
            shortest_path(&build_adj_matrix(&Matrix::from_fn(1, 5, |_, _| 1.0)).unwrap()).unwrap();
        let placement = optimize_placement(&times, 1, 1).unwrap();
        assert_eq!(placement.positions, vec![(0, 2)]);
        assert!((placement.mean_response - 6.0 / 5.0).abs() < 1e-12);
    }

    #[test]
    fn beats_random_placement() {
        let times = zone_times(4, 8);
        let report = compare_placement(&times, 8, 4, 200, 1).unwrap();
        assert!(report.speedup > 1.0, "{report:?}");
        assert_eq!(report.optimized.nodes.len(), 4);
        assert_eq!(report, compare_placement(&times, 8, 4, 200, 1).unwrap());
    }

    #[test]
    fn bad_parameters_are_errors() {
        let times = zone_times(0, 2);
        assert!(optimize_placement(&times, 2, 0).is_err());
        assert!(optimize_placement(&times, 2, 5).is_err());
        assert!(optimize_placement(&times, 3, 1).is_err());
        assert!(compare_placement(&times, 2, 1, 0, 0).is_err());
        assert!(mean_response(&times, &[4]).is_err());
        assert!(mean_response(&times, &[]).is_err());
    }
}
