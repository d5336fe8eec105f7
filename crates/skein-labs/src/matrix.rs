//! [`Matrix`]: a dense, row-major 2-D array of `f64`, the labs' NumPy `ndarray`.
//!
//! Traffic grids, travel-time matrices and zones are all matrices. The type is deliberately
//! small: shape, indexing, rows and sub-blocks, no linear algebra.

use serde::Serialize;

/// A dense `rows × cols` matrix of `f64`, stored row by row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

/// A flat buffer whose length is not `rows × cols`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    /// Requested rows.
    pub rows: usize,
    /// Requested columns.
    pub cols: usize,
    /// Length of the buffer given.
    pub len: usize,
}

impl std::fmt::Display for ShapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a {}×{} matrix needs {} values but {} were given; pass exactly rows × cols values, row by row",
            self.rows,
            self.cols,
            self.rows.saturating_mul(self.cols),
            self.len
        )
    }
}

impl std::error::Error for ShapeError {}

impl Matrix {
    /// A matrix from values listed row by row.
    ///
    /// # Errors
    /// [`ShapeError`] when `data.len() != rows * cols`.
    pub fn from_row_major(rows: usize, cols: usize, data: Vec<f64>) -> Result<Self, ShapeError> {
        if rows.checked_mul(cols) != Some(data.len()) {
            return Err(ShapeError {
                rows,
                cols,
                len: data.len(),
            });
        }
        Ok(Self { rows, cols, data })
    }

    /// A matrix from a buffer the caller sized as `rows * cols`.
    pub(crate) fn from_vec_unchecked(rows: usize, cols: usize, data: Vec<f64>) -> Self {
        debug_assert_eq!(rows * cols, data.len());
        Self { rows, cols, data }
    }

    /// A matrix from a function of `(row, col)`.
    pub fn from_fn(rows: usize, cols: usize, mut f: impl FnMut(usize, usize) -> f64) -> Self {
        let mut data = Vec::with_capacity(rows * cols);
        for r in 0..rows {
            for c in 0..cols {
                data.push(f(r, c));
            }
        }
        Self { rows, cols, data }
    }

    /// Number of rows.
    #[must_use]
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    #[must_use]
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// `(rows, cols)`, like NumPy's `shape`.
    #[must_use]
    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// The value at `(row, col)`.
    ///
    /// # Panics
    /// When the index is out of bounds (a programming error, not user input).
    #[must_use]
    pub fn get(&self, row: usize, col: usize) -> f64 {
        assert!(
            row < self.rows && col < self.cols,
            "index ({row}, {col}) out of {:?}",
            self.shape()
        );
        self.data[row * self.cols + col]
    }

    /// One row as a slice.
    #[must_use]
    pub fn row(&self, row: usize) -> &[f64] {
        &self.data[row * self.cols..(row + 1) * self.cols]
    }

    /// All values, row by row.
    #[must_use]
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }

    /// The values as nested rows (for JSON and for the script layer).
    #[must_use]
    pub fn to_nested(&self) -> Vec<Vec<f64>> {
        self.data
            .chunks(self.cols.max(1))
            .map(<[f64]>::to_vec)
            .collect()
    }

    /// The `rows × cols` block whose top-left corner is `(row0, col0)`, like NumPy's
    /// `m[row0:row0+rows, col0:col0+cols]`; `None` when it does not fit inside the matrix
    /// (the sums are checked: a corner near `usize::MAX` must not wrap round into range).
    #[must_use]
    pub fn block(&self, row0: usize, col0: usize, rows: usize, cols: usize) -> Option<Self> {
        let fits = |start: usize, len: usize, end: usize| {
            start.checked_add(len).is_some_and(|stop| stop <= end)
        };
        (fits(row0, rows, self.rows) && fits(col0, cols, self.cols))
            .then(|| Self::from_fn(rows, cols, |r, c| self.get(row0 + r, col0 + c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_is_checked() {
        assert!(Matrix::from_row_major(2, 3, vec![0.0; 6]).is_ok());
        let err = Matrix::from_row_major(2, 3, vec![0.0; 5]).unwrap_err();
        assert!(err.to_string().contains("needs 6 values but 5"));
    }

    #[test]
    fn indexing_is_row_major() {
        let m = Matrix::from_row_major(2, 3, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
        assert_eq!(m.get(1, 0), 4.0);
        assert_eq!(m.row(0), &[1.0, 2.0, 3.0]);
        assert_eq!(
            m.to_nested(),
            vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]]
        );
        assert_eq!(
            m.block(0, 1, 2, 2).unwrap().as_slice(),
            &[2.0, 3.0, 5.0, 6.0]
        );
    }

    #[test]
    fn a_block_outside_is_none_even_when_the_sum_overflows() {
        let m = Matrix::from_fn(2, 3, |r, c| (r * 3 + c) as f64);
        assert_eq!(m.block(1, 0, 2, 1), None);
        assert_eq!(m.block(usize::MAX, 0, 2, 1), None);
        assert_eq!(m.block(0, usize::MAX, 1, usize::MAX), None);
        assert_eq!(m.block(2, 3, 0, 0).map(|b| b.shape()), Some((0, 0)));
    }
}
