//! Traffic grids: the cost, in minutes, of entering each intersection of a street grid.
//!
//! A grid comes from a NumPy `.npy` file (the seed loads `data/traffic.npy`, a 16×16 float
//! array) through [`load_npy`], or from [`synthetic_city`], a seeded stand-in for that file.
//!
//! # The synthetic congested city
//!
//! [`synthetic_city`] builds a `size × size` grid from a [`CityConfig`]. Every intersection
//! costs the sum of:
//!
//! * **free-flow time**: 1 minute plus up to 0.5 minutes of per-block noise (uniform);
//! * **congested corridors**: about one row in four and one column in four (chosen at
//!   random, at least one of each) are arterials jammed at rush hour, adding 1.5–2.5 minutes
//!   to every intersection on them (2× that where two arterials cross);
//! * **a downtown hot spot**: a Gaussian bump of `6 · exp(−d² / 2σ²)` minutes around a random
//!   centre in the middle half of the grid, with `σ = size / 6`.
//!
//! So costs range from 1 minute on a quiet side street to about 12 minutes in a downtown
//! jam, and the same seed always gives the same city.

use rand::RngExt;

use crate::error::LabError;
use crate::matrix::Matrix;
use crate::rng::rng_from_seed;

/// Loads a traffic grid from the bytes of a `.npy` file.
///
/// Accepts 2-D `float32` or `float64` arrays in either byte order, stored in C or Fortran
/// order; the result is always row-major. Costs are checked with [`validate_costs`].
///
/// # Errors
/// [`LabError::Npy`] for bytes that are not a `.npy` file, [`LabError::UnsupportedArray`]
/// for any other dtype or number of dimensions, [`LabError::InvalidCost`] for a negative or
/// NaN cost.
pub fn load_npy(bytes: &[u8]) -> Result<Matrix, LabError> {
    let npy = npyz::NpyFile::new(bytes).map_err(|e| LabError::Npy {
        reason: e.to_string(),
    })?;
    let shape = npy.shape().to_vec();
    let &[rows, cols] = shape.as_slice() else {
        return Err(LabError::UnsupportedArray {
            found: format!("an array of shape {shape:?}"),
        });
    };
    let too_big = || LabError::UnsupportedArray {
        found: format!("an array of shape {shape:?}, too large"),
    };
    let rows = usize::try_from(rows).map_err(|_| too_big())?;
    let cols = usize::try_from(cols).map_err(|_| too_big())?;
    if rows == 0 || cols == 0 {
        return Err(LabError::UnsupportedArray {
            found: format!("an empty array of shape {shape:?}"),
        });
    }
    let order = npy.order();
    let values: Vec<f64> = match npy.dtype() {
        npyz::DType::Plain(ty)
            if ty.type_char() == npyz::TypeChar::Float && ty.size_field() == 4 =>
        {
            let floats: Vec<f32> = npy.into_vec().map_err(|e| LabError::Npy {
                reason: e.to_string(),
            })?;
            floats.into_iter().map(f64::from).collect()
        }
        npyz::DType::Plain(ty)
            if ty.type_char() == npyz::TypeChar::Float && ty.size_field() == 8 =>
        {
            npy.into_vec().map_err(|e| LabError::Npy {
                reason: e.to_string(),
            })?
        }
        other => {
            return Err(LabError::UnsupportedArray {
                found: format!("dtype {}", other.descr()),
            });
        }
    };
    let grid = match order {
        npyz::Order::C => Matrix::from_row_major(rows, cols, values),
        // Fortran order lists the first index fastest: value (r, c) sits at r + c * rows.
        npyz::Order::Fortran => Ok(Matrix::from_fn(rows, cols, |r, c| values[r + c * rows])),
    }
    .map_err(|e| LabError::Npy {
        reason: e.to_string(),
    })?;
    validate_costs(&grid)?;
    Ok(grid)
}

/// Reads a `.npy` file from disk and loads it with [`load_npy`] (native builds; in the
/// browser, pass the uploaded bytes to [`load_npy`] instead).
///
/// # Errors
/// [`LabError::Io`] if the file cannot be read, else as [`load_npy`].
pub fn load_npy_file(path: &std::path::Path) -> Result<Matrix, LabError> {
    let bytes = std::fs::read(path).map_err(|e| LabError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    load_npy(&bytes)
}

/// Checks that every cost is a travel time: zero or positive, `inf` allowed (closed).
///
/// Note that, as in the seed (whose dense adjacency matrix SciPy reads with 0 meaning "no
/// edge"), a zero cost makes an intersection unreachable, like `inf`.
///
/// # Errors
/// [`LabError::InvalidCost`] naming the first negative or NaN cost, row by row.
pub fn validate_costs(grid: &Matrix) -> Result<(), LabError> {
    for row in 0..grid.rows() {
        for (col, &value) in grid.row(row).iter().enumerate() {
            if value.is_nan() || value < 0.0 {
                return Err(LabError::InvalidCost { row, col, value });
            }
        }
    }
    Ok(())
}

/// Settings of the [synthetic city](self#the-synthetic-congested-city).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CityConfig {
    /// Intersections per side (the seed's city is 16).
    pub size: usize,
    /// Seed: the same seed gives the same city.
    pub seed: u64,
}

impl Default for CityConfig {
    fn default() -> Self {
        Self {
            size: 16,
            seed: 2024,
        }
    }
}

/// The largest synthetic city: 1024 × 1024 intersections.
pub const MAX_CITY_SIZE: usize = 1024;

/// Generates a seeded congested city (see the [module docs](self) for the model).
///
/// # Errors
/// [`LabError::InvalidParameter`] unless `1 ≤ size ≤ 1024`.
pub fn synthetic_city(config: CityConfig) -> Result<Matrix, LabError> {
    let n = config.size;
    if n == 0 || n > MAX_CITY_SIZE {
        return Err(LabError::parameter(
            "size",
            format!("{n} intersections per side; choose 1 to {MAX_CITY_SIZE}"),
        ));
    }
    let mut rng = rng_from_seed(config.seed);
    let corridors = |rng: &mut crate::rng::LabRng| -> Vec<f64> {
        let mut jam = vec![0.0; n];
        let count = (n / 4).max(1);
        for _ in 0..count {
            let line = rng.random_range(0..n);
            jam[line] = 1.5 + rng.random::<f64>();
        }
        jam
    };
    let row_jam = corridors(&mut rng);
    let col_jam = corridors(&mut rng);
    let size = n as f64;
    let centre_r = size * (0.25 + 0.5 * rng.random::<f64>());
    let centre_c = size * (0.25 + 0.5 * rng.random::<f64>());
    let sigma = size / 6.0;
    // Draw the noise in a fixed order first so the city does not depend on evaluation order.
    let noise: Vec<f64> = (0..n * n).map(|_| 0.5 * rng.random::<f64>()).collect();
    Ok(Matrix::from_fn(n, n, |r, c| {
        let (dr, dc) = (r as f64 + 0.5 - centre_r, c as f64 + 0.5 - centre_c);
        let downtown = 6.0 * (-(dr * dr + dc * dc) / (2.0 * sigma * sigma)).exp();
        1.0 + noise[r * n + c] + row_jam[r] + col_jam[c] + downtown
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_city_is_seeded_and_in_range() {
        let a = synthetic_city(CityConfig { size: 16, seed: 1 }).unwrap();
        let b = synthetic_city(CityConfig { size: 16, seed: 1 }).unwrap();
        let c = synthetic_city(CityConfig { size: 16, seed: 2 }).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.shape(), (16, 16));
        // Bounds of the model: free flow ≥ 1, at most 1.5 + 2·2.5 + 6.
        assert!(a.as_slice().iter().all(|&v| (1.0..=12.5).contains(&v)));
        validate_costs(&a).unwrap();
    }

    #[test]
    fn synthetic_city_has_congestion() {
        // The hot spot and corridors make the dearest intersection much dearer than the
        // cheapest, which is close to free flow.
        let city = synthetic_city(CityConfig { size: 32, seed: 9 }).unwrap();
        let min = city
            .as_slice()
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        let max = city.as_slice().iter().copied().fold(0.0, f64::max);
        assert!(min < 1.6, "{min}");
        assert!(max > 6.0, "{max}");
    }

    #[test]
    fn synthetic_city_rejects_bad_sizes() {
        for size in [0, MAX_CITY_SIZE + 1] {
            let err = synthetic_city(CityConfig { size, seed: 0 }).unwrap_err();
            assert!(matches!(
                err,
                LabError::InvalidParameter { name: "size", .. }
            ));
        }
    }

    #[test]
    fn negative_and_nan_costs_are_named() {
        let grid = Matrix::from_row_major(2, 2, vec![1.0, 2.0, f64::NAN, -1.0]).unwrap();
        let err = validate_costs(&grid).unwrap_err();
        assert!(matches!(err, LabError::InvalidCost { row: 1, col: 0, .. }));
        assert!(err.to_string().contains("row 1, column 0"));
        let closed = Matrix::from_row_major(1, 2, vec![0.0, f64::INFINITY]).unwrap();
        validate_costs(&closed).unwrap();
    }

    #[test]
    fn garbage_is_not_npy() {
        let err = load_npy(b"not numpy").unwrap_err();
        assert!(matches!(err, LabError::Npy { .. }), "{err}");
    }
}
