//! Zones: a city grid split into `k × k` equal square-ish blocks, as in the seed.
//!
//! The seed splits with `for outer in map(lambda m: np.vsplit(m, k), np.hsplit(grid, k))`:
//! first into `k` column bands (`hsplit`), then each band into `k` row blocks (`vsplit`).
//! Zones are therefore numbered down each column band first: zone `i` covers column band
//! `i / k` and row block `i % k`. [`split_zones`] keeps that order.

use serde::Serialize;

use crate::error::LabError;
use crate::matrix::Matrix;

/// One zone of a city: its costs and where it sits in the whole grid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Zone {
    /// Position in the seed's order (`column band · k + row block`).
    pub index: usize,
    /// Row of the zone's top-left intersection in the whole grid.
    pub row0: usize,
    /// Column of the zone's top-left intersection in the whole grid.
    pub col0: usize,
    /// The zone's entering costs.
    pub costs: Matrix,
}

/// Splits `grid` into `k × k` zones in the seed's `hsplit`/`vsplit` order.
///
/// # Errors
/// [`LabError::InvalidParameter`] when `k` is 0 or does not divide both sides (NumPy's
/// `hsplit` refuses an unequal division too).
pub fn split_zones(grid: &Matrix, k: usize) -> Result<Vec<Zone>, LabError> {
    let (rows, cols) = grid.shape();
    if k == 0 || rows % k != 0 || cols % k != 0 {
        return Err(LabError::parameter(
            "zones",
            format!(
                "{k} zones per side do not split a {rows}×{cols} grid equally; choose a divisor \
                 of both sides (e.g. 1, 2 or 4 for 16×16)"
            ),
        ));
    }
    let (zone_rows, zone_cols) = (rows / k, cols / k);
    let mut zones = Vec::with_capacity(k * k);
    for band in 0..k {
        for block in 0..k {
            let (row0, col0) = (block * zone_rows, band * zone_cols);
            zones.push(Zone {
                index: zones.len(),
                row0,
                col0,
                // In range: k divides both sides, so the k blocks tile each side exactly.
                costs: grid
                    .block(row0, col0, zone_rows, zone_cols)
                    .ok_or_else(|| {
                        LabError::parameter("zones", format!("zone {row0},{col0} is outside"))
                    })?,
            });
        }
    }
    Ok(zones)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_seeds_example() {
        // The seed's example: [[1,2,3,4],[5,6,7,8],[9,10,11,12],[13,14,15,16]] split 2×2
        // gives [[1,2],[5,6]], [[9,10],[13,14]], [[3,4],[7,8]], [[11,12],[15,16]].
        let example = Matrix::from_fn(4, 4, |r, c| (r * 4 + c + 1) as f64);
        let zones = split_zones(&example, 2).unwrap();
        let blocks: Vec<&[f64]> = zones.iter().map(|z| z.costs.as_slice()).collect();
        assert_eq!(
            blocks,
            vec![
                &[1.0, 2.0, 5.0, 6.0][..],
                &[9.0, 10.0, 13.0, 14.0][..],
                &[3.0, 4.0, 7.0, 8.0][..],
                &[11.0, 12.0, 15.0, 16.0][..],
            ]
        );
        assert_eq!((zones[1].row0, zones[1].col0), (2, 0));
    }

    #[test]
    fn unequal_division_is_refused() {
        let grid = Matrix::from_fn(6, 6, |_, _| 1.0);
        assert!(split_zones(&grid, 4).is_err());
        assert!(split_zones(&grid, 0).is_err());
        assert_eq!(split_zones(&grid, 3).unwrap().len(), 9);
    }
}
