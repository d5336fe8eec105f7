//! SciPy's part: `scipy.sparse.csgraph.shortest_path`, run by the labs' Dijkstra.

use monty_types::{ExcType, MontyException};
use skein_array::{NdArray, Scalar};
use skein_labs::cancel::Cancel;
use skein_labs::matrix::Matrix;

use super::NpResult;
use super::convert::wrap;
use crate::errors::array_exception as exception;

/// `scipy.sparse.csgraph.shortest_path` of a dense matrix: SciPy reads zeros as "no edge",
/// and so do the labs' Dijkstra runs.
pub(super) fn shortest_path(array: &NdArray, cancel: &dyn Cancel) -> NpResult {
    let shape = array.shape();
    let &[rows, cols] = shape else {
        return Err(MontyException::new(
            ExcType::ValueError,
            Some(format!(
                "expected a 2-D adjacency matrix, got {} dimensions",
                shape.len()
            )),
        ));
    };
    let values = array.scalars().into_iter().map(Scalar::as_f64).collect();
    let matrix = Matrix::from_row_major(rows, cols, values)
        .map_err(|e| MontyException::new(ExcType::ValueError, Some(e.to_string())))?;
    let paths = crate::labs::shortest_paths(&matrix, cancel)?;
    Ok(wrap(
        &NdArray::from_f64(&[rows, cols], paths.as_slice().to_vec()).map_err(exception)?,
    ))
}
