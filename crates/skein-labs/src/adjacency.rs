//! The road graph of a grid, exactly as the seed's `build_adj_matrix` defines it.
//!
//! Intersection `(r, c)` of a `rows × cols` grid is node `r + c · rows` (column-major, as
//! the seed's `linear_loc_for_row_col`). Each node has an edge to each of its four
//! neighbours, and the weight of the edge *into* `(r, c)` is `costs[r, c]`: the cost of
//! entering that intersection. Travel times are therefore not symmetric.
//!
//! The seed builds a dense `n × n` NumPy matrix and hands it to SciPy, which reads `0` (and
//! `inf`, and NaN) in a dense matrix as "no edge". [`Adjacency`] stores only the edges, in
//! compressed sparse rows, and applies the same rule, so [`crate::shortest_path`] gives
//! SciPy's answer without the `n²` matrix (which for a 64×64 grid would be 128 MiB).

use serde::Serialize;

use crate::error::LabError;
use crate::matrix::Matrix;
use crate::traffic::validate_costs;

/// A directed weighted graph in compressed sparse row form. Row `u` lists the edges out of
/// node `u`, sorted by target. Every stored weight is finite and positive.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Adjacency {
    /// `offsets[u]..offsets[u + 1]` indexes node `u`'s edges.
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    /// Whether all edges into each node weigh the same (true of every road graph built by
    /// [`build_adj_matrix`]); shortest paths then need no decrease-key (see
    /// [`crate::shortest_path`]).
    entry_weighted: bool,
}

/// Whether a graph of `nodes` nodes is handled: node indices must fit in a `u32`.
fn fits_node_index(nodes: usize) -> bool {
    u32::try_from(nodes).is_ok()
}

impl Adjacency {
    /// Number of nodes.
    #[must_use]
    pub fn nodes(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of stored edges.
    #[must_use]
    pub fn edges(&self) -> usize {
        self.targets.len()
    }

    /// Whether every edge into a node has the same weight (the node's entering cost).
    #[must_use]
    pub fn is_entry_weighted(&self) -> bool {
        self.entry_weighted
    }

    /// The edges out of `node` as `(target, weight)`.
    pub fn neighbours(&self, node: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let span = self.offsets[node]..self.offsets[node + 1];
        self.targets[span.clone()]
            .iter()
            .map(|&t| t as usize)
            .zip(self.weights[span].iter().copied())
    }

    /// Reads a dense `n × n` matrix as SciPy's `csgraph` does: entry `(u, v)` is an edge
    /// from `u` to `v` unless it is `0`, `inf` or NaN.
    ///
    /// # Errors
    /// [`LabError::InvalidAdjacency`] for a non-square matrix or a negative weight (SciPy
    /// would need Johnson's algorithm; the labs' costs are never negative).
    pub fn from_dense(matrix: &Matrix) -> Result<Self, LabError> {
        let n = matrix.rows();
        if matrix.cols() != n {
            return Err(LabError::InvalidAdjacency {
                reason: format!(
                    "it is {}×{}; an adjacency matrix must be square",
                    n,
                    matrix.cols()
                ),
            });
        }
        if !fits_node_index(n) {
            return Err(LabError::InvalidAdjacency {
                reason: format!("{n} nodes is too many"),
            });
        }
        let mut builder = Builder::with_nodes(n);
        for u in 0..n {
            for (v, &w) in matrix.row(u).iter().enumerate() {
                if w < 0.0 {
                    return Err(LabError::InvalidAdjacency {
                        reason: format!(
                            "entry ({u}, {v}) is {w}; weights must be positive (0 means no edge)"
                        ),
                    });
                }
                builder.push(v, w);
            }
            builder.end_row();
        }
        Ok(builder.finish())
    }

    /// The dense `n × n` matrix, `0` where there is no edge: what the seed's
    /// `build_adj_matrix` returns (for plotting, like `plt.imshow(demo_adj)`).
    #[must_use]
    pub fn to_dense(&self) -> Matrix {
        let n = self.nodes();
        let mut data = vec![0.0; n * n];
        for u in 0..n {
            for (v, w) in self.neighbours(u) {
                data[u * n + v] = w;
            }
        }
        Matrix::from_vec_unchecked(n, n, data)
    }
}

/// Builds the CSR arrays row by row, dropping what SciPy reads as "no edge".
struct Builder {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
}

impl Builder {
    fn with_nodes(n: usize) -> Self {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        Self {
            offsets,
            targets: Vec::new(),
            weights: Vec::new(),
        }
    }

    /// Adds an edge to `target` of the current row; call in increasing `target` order.
    fn push(&mut self, target: usize, weight: f64) {
        if weight != 0.0 && weight.is_finite() {
            // Callers keep node counts within `fits_node_index`.
            self.targets.push(target as u32);
            self.weights.push(weight);
        }
    }

    fn end_row(&mut self) {
        self.offsets.push(self.targets.len());
    }

    fn finish(self) -> Adjacency {
        let nodes = self.offsets.len() - 1;
        let mut entry = vec![None; nodes];
        let entry_weighted = self.targets.iter().zip(&self.weights).all(|(&t, &w)| {
            let seen = entry[t as usize].get_or_insert(w);
            *seen == w
        });
        Adjacency {
            offsets: self.offsets,
            targets: self.targets,
            weights: self.weights,
            entry_weighted,
        }
    }
}

/// The seed's `build_adj_matrix(costs)`: the road graph of a grid of entering costs.
///
/// Node `r + c · rows` is intersection `(r, c)`; the edge from each neighbour into `(r, c)`
/// weighs `costs[r, c]`. For a square grid this is exactly the seed's matrix; a rectangular
/// grid numbers nodes the same way (the seed's code assumes a square).
///
/// # Errors
/// [`LabError::InvalidCost`] for a negative or NaN cost; [`LabError::InvalidParameter`]
/// for an empty or too large grid.
pub fn build_adj_matrix(costs: &Matrix) -> Result<Adjacency, LabError> {
    let (rows, cols) = costs.shape();
    if rows == 0 || cols == 0 {
        return Err(LabError::parameter(
            "grid",
            "it is empty; a grid needs at least one intersection",
        ));
    }
    let n = rows
        .checked_mul(cols)
        .filter(|&n| fits_node_index(n))
        .ok_or_else(|| {
            LabError::parameter("grid", format!("{rows}×{cols} has too many intersections"))
        })?;
    validate_costs(costs)?;
    let node = |r: usize, c: usize| r + c * rows;
    let mut builder = Builder::with_nodes(n);
    // Node u = r + c·rows; its neighbours in increasing node order are (r, c-1), (r-1, c),
    // (r+1, c), (r, c+1), since c-steps move by `rows` and r-steps by 1.
    for c in 0..cols {
        for r in 0..rows {
            if c > 0 {
                builder.push(node(r, c - 1), costs.get(r, c - 1));
            }
            if r > 0 {
                builder.push(node(r - 1, c), costs.get(r - 1, c));
            }
            if r + 1 < rows {
                builder.push(node(r + 1, c), costs.get(r + 1, c));
            }
            if c + 1 < cols {
                builder.push(node(r, c + 1), costs.get(r, c + 1));
            }
            builder.end_row();
        }
    }
    Ok(builder.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed's Python, transcribed literally over a dense matrix.
    fn seed_build_adj_matrix(costs: &Matrix) -> Matrix {
        let rows = costs.rows();
        let dim = rows * rows;
        let mut adj = vec![0.0; dim * dim];
        let loc = |r: usize, c: usize| r + c * rows;
        for i in 0..rows {
            for j in 0..costs.cols() {
                let cost = costs.get(i, j);
                let dest = loc(i, j);
                if i > 0 {
                    adj[loc(i - 1, j) * dim + dest] = cost;
                }
                if i < rows - 1 {
                    adj[loc(i + 1, j) * dim + dest] = cost;
                }
                if j > 0 {
                    adj[loc(i, j - 1) * dim + dest] = cost;
                }
                if j < costs.cols() - 1 {
                    adj[loc(i, j + 1) * dim + dest] = cost;
                }
            }
        }
        Matrix::from_row_major(dim, dim, adj).unwrap()
    }

    #[test]
    fn matches_the_seed_literally() {
        let costs = Matrix::from_fn(5, 5, |r, c| 1.0 + (r * 7 + c * 3) as f64 % 4.0);
        let ours = build_adj_matrix(&costs).unwrap();
        assert_eq!(ours.to_dense(), seed_build_adj_matrix(&costs));
        // 4 corners × 2 + 12 edge nodes × 3 + 9 inner × 4 directed edges.
        assert_eq!(ours.edges(), 8 + 36 + 36);
        assert!(ours.is_entry_weighted());
    }

    #[test]
    fn cost_sits_on_edges_into_the_intersection() {
        let costs = Matrix::from_row_major(2, 2, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        let adj = build_adj_matrix(&costs).unwrap();
        // (0,0) is node 0, (1,0) node 1, (0,1) node 2, (1,1) node 3.
        let out_of_0: Vec<_> = adj.neighbours(0).collect();
        assert_eq!(out_of_0, vec![(1, 3.0), (2, 2.0)]);
        let out_of_3: Vec<_> = adj.neighbours(3).collect();
        assert_eq!(out_of_3, vec![(1, 3.0), (2, 2.0)]);
    }

    #[test]
    fn dense_round_trip_drops_scipy_null_values() {
        let dense = Matrix::from_row_major(
            3,
            3,
            vec![0.0, 2.0, f64::INFINITY, f64::NAN, 0.0, 1.5, 4.0, 0.0, 0.0],
        )
        .unwrap();
        let adj = Adjacency::from_dense(&dense).unwrap();
        assert_eq!(adj.edges(), 3);
        assert!(adj.is_entry_weighted());
        let mixed = Matrix::from_row_major(3, 3, vec![0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0])
            .unwrap();
        assert!(!Adjacency::from_dense(&mixed).unwrap().is_entry_weighted());
        let expected =
            Matrix::from_row_major(3, 3, vec![0.0, 2.0, 0.0, 0.0, 0.0, 1.5, 4.0, 0.0, 0.0])
                .unwrap();
        assert_eq!(adj.to_dense(), expected);
    }

    #[test]
    fn bad_input_is_an_error() {
        let neg = Matrix::from_row_major(2, 2, vec![0.0, -1.0, 0.0, 0.0]).unwrap();
        assert!(matches!(
            Adjacency::from_dense(&neg),
            Err(LabError::InvalidAdjacency { .. })
        ));
        let rect = Matrix::from_row_major(1, 2, vec![0.0, 1.0]).unwrap();
        assert!(Adjacency::from_dense(&rect).is_err());
        let costs = Matrix::from_row_major(1, 2, vec![1.0, f64::NAN]).unwrap();
        assert!(matches!(
            build_adj_matrix(&costs),
            Err(LabError::InvalidCost { row: 0, col: 1, .. })
        ));
        let empty = Matrix::from_row_major(0, 0, vec![]).unwrap();
        assert!(build_adj_matrix(&empty).is_err());
    }
}
