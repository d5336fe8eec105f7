//! `skein.labs`: the seed workloads of `skein-labs`, native and fast, callable from Python
//! (`from skein.labs import multi_sample`) and sendable to the workers as they are
//! (`client.submit(multi_sample, 100_000, pure=False)` runs Rust, no interpreter).
//!
//! Grids and matrices are lists of rows of floats, as `ndarray.tolist()` gives them. What a
//! call builds is held to NumPy's budget ([`skein_array::MAX_ELEMENTS`]: a `MemoryError`
//! past it), and long calls stop on an interrupt (they are given a [`Cancel`]).

use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};
use skein_labs::cancel::Cancel;
use skein_labs::error::LabError;
use skein_labs::matrix::Matrix;
use skein_labs::{
    adjacency, monte_carlo, response, rng, shortest_path, stats, sweep, traffic, zones,
};

use crate::plots::floats;

/// The largest grid side the labs take from a cell (a 4096² grid is 16 M cells).
const MAX_SIDE: usize = 4096;

pub(crate) fn lab_error(err: LabError) -> MontyException {
    match err {
        LabError::Interrupted => crate::errors::interrupted(),
        err => MontyException::new(ExcType::ValueError, Some(err.to_string())),
    }
}

/// All-pairs shortest paths of a dense adjacency matrix, where zeros mean "no edge" (as
/// SciPy's `csgraph.shortest_path` reads them): `skein.labs.shortest_path` and scipy's alike.
pub(crate) fn shortest_paths(
    dense: &Matrix,
    cancel: &dyn Cancel,
) -> Result<Matrix, MontyException> {
    within_budget(&[dense.rows(), dense.rows()])?;
    let graph = adjacency::Adjacency::from_dense(dense).map_err(lab_error)?;
    shortest_path::shortest_path_until(&graph, cancel).map_err(lab_error)
}

/// A `MemoryError` unless a result of `shape` fits the arrays' budget.
pub(crate) fn within_budget(shape: &[usize]) -> Result<(), MontyException> {
    skein_array::checked_size(shape)
        .map(drop)
        .map_err(crate::errors::array_exception)
}

fn type_error(message: String) -> MontyException {
    MontyException::new(ExcType::TypeError, Some(message))
}

fn arg<'a>(
    args: &[ObjectRef<'a>],
    index: usize,
    function: &str,
    name: &str,
) -> Result<ObjectRef<'a>, MontyException> {
    args.get(index)
        .copied()
        .ok_or_else(|| type_error(format!("{function}() missing required argument: '{name}'")))
}

fn size(value: ObjectRef<'_>, name: &str, max: usize) -> Result<usize, MontyException> {
    let n = value.as_int().ok_or_else(|| {
        type_error(format!(
            "'{name}' must be an int, not '{}'",
            value.type_name()
        ))
    })?;
    usize::try_from(n)
        .ok()
        .filter(|&n| n <= max)
        .ok_or_else(|| {
            MontyException::new(
                ExcType::ValueError,
                Some(format!("'{name}' must be between 0 and {max}, not {n}")),
            )
        })
}

/// A list of equally long lists of numbers as a matrix.
pub(crate) fn matrix(value: ObjectRef<'_>, name: &str) -> Result<Matrix, MontyException> {
    let rows = value
        .items()
        .ok_or_else(|| type_error(format!("'{name}' must be a list of rows of numbers")))?;
    if rows.len() > MAX_SIDE * MAX_SIDE {
        return Err(MontyException::new(
            ExcType::MemoryError,
            Some(format!("'{name}' is too large")),
        ));
    }
    let mut data = Vec::new();
    let mut cols = None;
    for row in rows.iter() {
        let row = floats(*row, name)?;
        if *cols.get_or_insert(row.len()) != row.len() {
            return Err(MontyException::new(
                ExcType::ValueError,
                Some(format!("the rows of '{name}' differ in length")),
            ));
        }
        data.extend(row);
    }
    Matrix::from_row_major(rows.len(), cols.unwrap_or(0), data)
        .map_err(|e| MontyException::new(ExcType::ValueError, Some(format!("'{name}': {e}"))))
}

/// A matrix as a list of rows.
pub(crate) fn rows(m: &Matrix) -> MontyObject {
    MontyObject::list(
        (0..m.rows()).map(|r| MontyObject::list(m.row(r).iter().map(|&x| MontyObject::float(x)))),
    )
}

/// Calls the lab function `name` (without its `_skein_lab_` prefix); long ones ask `cancel`
/// every few milliseconds and raise `KeyboardInterrupt` when it says stop.
pub(crate) fn call(
    name: &str,
    args: &[ObjectRef<'_>],
    cancel: &dyn Cancel,
) -> Result<MontyObject, MontyException> {
    match name {
        "multi_sample" => {
            let n = size(arg(args, 0, name, "n")?, "n", usize::MAX)?;
            let hits = monte_carlo::multi_sample_until(n as u64, cancel).map_err(lab_error)?;
            Ok(MontyObject::int(i64::try_from(hits).unwrap_or(i64::MAX)))
        }
        "traffic_grid" => {
            let side = args
                .first()
                .map_or(Ok(16), |v| size(*v, "size", MAX_SIDE))?;
            let seed = args.get(1).and_then(ObjectRef::as_int).unwrap_or(2024);
            let grid = traffic::synthetic_city(traffic::CityConfig {
                size: side,
                seed: seed as u64,
            })
            .map_err(lab_error)?;
            Ok(rows(&grid))
        }
        "build_adj_matrix" => {
            let costs = matrix(arg(args, 0, name, "costs")?, "costs")?;
            // The dense result has a row and a column per intersection.
            let nodes = costs.rows().saturating_mul(costs.cols());
            within_budget(&[nodes, nodes])?;
            Ok(rows(
                &adjacency::build_adj_matrix(&costs)
                    .map_err(lab_error)?
                    .to_dense(),
            ))
        }
        "shortest_path" => {
            let dense = matrix(arg(args, 0, name, "csgraph")?, "csgraph")?;
            Ok(rows(&shortest_paths(&dense, cancel)?))
        }
        "split_zones" => {
            let grid = matrix(arg(args, 0, name, "grid")?, "grid")?;
            let k = size(arg(args, 1, name, "k")?, "k", MAX_SIDE)?;
            let zones = zones::split_zones(&grid, k).map_err(lab_error)?;
            Ok(MontyObject::list(zones.iter().map(|z| rows(&z.costs))))
        }
        "response_to_random_fire" | "nearest_truck_response" => {
            let tt = matrix(
                arg(args, 0, name, "travel_time_matrix")?,
                "travel_time_matrix",
            )?;
            let zone_rows = size(arg(args, 1, name, "zone_rows")?, "zone_rows", MAX_SIDE)?;
            let zone_cols = size(arg(args, 2, name, "zone_cols")?, "zone_cols", MAX_SIDE)?;
            let trucks = match name {
                "nearest_truck_response" => size(arg(args, 3, name, "trucks")?, "trucks", 1 << 20)?,
                _ => 1,
            };
            let mut rng = rng::fresh_rng();
            let time =
                response::nearest_truck_response(&tt, zone_rows, zone_cols, trucks, &mut rng)
                    .map_err(lab_error)?;
            Ok(MontyObject::float(time))
        }
        "summarize" => {
            let values = floats(arg(args, 0, name, "values")?, "values")?;
            let s = stats::summarize(&values).map_err(lab_error)?;
            Ok(MontyObject::dict([
                (
                    MontyObject::string("count"),
                    MontyObject::int(s.count as i64),
                ),
                (MontyObject::string("mean"), MontyObject::float(s.mean)),
                (MontyObject::string("median"), MontyObject::float(s.median)),
                (MontyObject::string("p90"), MontyObject::float(s.p90)),
                (MontyObject::string("max"), MontyObject::float(s.max)),
            ]))
        }
        "random_params" => {
            let n = size(arg(args, 0, name, "rows")?, "rows", usize::MAX)?;
            within_budget(&[n, sweep::PARAM_COLUMNS.len()])?;
            let seed = args.get(1).and_then(ObjectRef::as_int).unwrap_or(0);
            Ok(MontyObject::list(
                sweep::random_params(n, seed as u64)
                    .iter()
                    .map(|p| MontyObject::list(p.iter().map(|&x| MontyObject::float(x)))),
            ))
        }
        other => Err(MontyException::new(
            ExcType::AttributeError,
            Some(format!("module 'skein.labs' has no attribute '{other}'")),
        )),
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use skein_labs::cancel::Never;

    #[test]
    fn lab_functions_check_their_arguments() {
        let err = call("multi_sample", &[MontyObject::int(-1).as_ref()], &Never).unwrap_err();
        assert_eq!(err.exc_type(), ExcType::ValueError);
        let err = call("multi_sample", &[MontyObject::string("x").as_ref()], &Never).unwrap_err();
        assert_eq!(err.exc_type(), ExcType::TypeError);
        let hits = call("multi_sample", &[MontyObject::int(1000).as_ref()], &Never).unwrap();
        assert!((0..=1000).contains(&hits.as_ref().as_int().unwrap()));
    }

    #[test]
    fn a_grid_goes_through_adjacency_and_shortest_paths() {
        let grid = call(
            "traffic_grid",
            &[MontyObject::int(4).as_ref(), MontyObject::int(1).as_ref()],
            &Never,
        )
        .unwrap();
        let adj = call("build_adj_matrix", &[grid.as_ref()], &Never).unwrap();
        assert_eq!(adj.as_ref().items().unwrap().len(), 16);
        let tt = call("shortest_path", &[adj.as_ref()], &Never).unwrap();
        let first = tt.as_ref().items().unwrap()[0].items().unwrap()[0]
            .as_float()
            .unwrap();
        assert_eq!(first, 0.0);
        let zones = call(
            "split_zones",
            &[grid.as_ref(), MontyObject::int(2).as_ref()],
            &Never,
        )
        .unwrap();
        assert_eq!(zones.as_ref().items().unwrap().len(), 4);
    }

    #[test]
    fn results_past_the_arrays_budget_are_memory_errors() {
        // 65×65 intersections make a 4225² adjacency matrix: 17.9 M entries, past 16 M.
        let grid = MontyObject::list(
            (0..65).map(|_| MontyObject::list((0..65).map(|_| MontyObject::float(1.0)))),
        );
        let err = call("build_adj_matrix", &[grid.as_ref()], &Never).unwrap_err();
        assert_eq!(err.exc_type(), ExcType::MemoryError);
        let rows = MontyObject::int(1 << 40);
        let err = call("random_params", &[rows.as_ref()], &Never).unwrap_err();
        assert_eq!(err.exc_type(), ExcType::MemoryError);
        assert!(err.message().unwrap().contains("(1099511627776, 4)"));
    }

    #[test]
    fn a_cancelled_call_is_a_keyboard_interrupt() {
        let n = MontyObject::int(i64::MAX);
        let err = call("multi_sample", &[n.as_ref()], &|| true).unwrap_err();
        assert_eq!(err.exc_type(), ExcType::KeyboardInterrupt);
    }
}
