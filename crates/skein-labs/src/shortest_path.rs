//! All-pairs shortest paths: SciPy's `scipy.sparse.csgraph.shortest_path`, in parallel.
//!
//! Dijkstra's algorithm runs once per source node over the sparse [`Adjacency`]; sources
//! are independent, so [`shortest_path`] spreads them over the rayon pool (the engine's
//! workers, natively and in the browser). For the labs' grids — non-negative weights, four
//! edges per node — this is `O(n · E log n)`, where SciPy's default on a dense matrix is
//! Floyd–Warshall, `O(n³)`. The answers are the same: the length of a shortest path, `inf`
//! where there is none, `0` on the diagonal.
//!
//! Road graphs from [`crate::adjacency::build_adj_matrix`] weigh every edge into a node the
//! same (the cost of entering it). Then the first time Dijkstra reaches a node is already
//! the best: nodes leave the queue in order of distance, so the earliest neighbour to reach
//! `v` is its nearest, and every later one offers `d' + cost(v) ≥ d + cost(v)` (floating-
//! point addition is monotone, so this holds after rounding too). Each node then enters the
//! queue once, the queue holds only the frontier, and no stale entries are popped. Other
//! graphs use the textbook version with lazy deletion.
//!
//! Ties between paths of equal length can be summed in a different order than SciPy's,
//! so distances agree to within floating-point rounding (a few ulps), not always bit for
//! bit.

use rayon::prelude::*;

use crate::adjacency::Adjacency;
use crate::cancel::{self, Cancel, Never};
use crate::error::LabError;
use crate::matrix::Matrix;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Graphs smaller than this are solved on the calling thread: spreading a few microseconds
/// of work over the pool costs more than it saves (a 16×16 zone has 256 nodes).
const PARALLEL_MIN_NODES: usize = 512;

/// Nodes settled between two cancellation checks: a node of a dense graph relaxes up to
/// [`MAX_APSP_NODES`] edges, so 256 of them are a few milliseconds of work at most.
const POPS_PER_CHECK: u32 = 256;

/// The most nodes [`shortest_path`] accepts: its `n × n` result then takes 512 MiB (a
/// 64×64 grid has 4096 nodes and needs 128 MiB). Browsers give wasm at most a few GiB.
pub const MAX_APSP_NODES: usize = 8192;

/// Travel times from every node to every node: entry `(u, v)` is the length of the shortest
/// path from `u` to `v` (`inf` if `v` cannot be reached). Sources of large graphs run in
/// parallel on the rayon pool.
///
/// # Errors
/// [`LabError::InvalidParameter`] for more than [`MAX_APSP_NODES`] nodes (use smaller zones,
/// or [`shortest_path_from`] for the rows you need).
pub fn shortest_path(graph: &Adjacency) -> Result<Matrix, LabError> {
    shortest_path_until(graph, &Never)
}

/// [`shortest_path`] that stops when `cancel` says so: it is asked before each source and
/// every [`POPS_PER_CHECK`] nodes within one (a dense graph of a few thousand nodes takes
/// minutes, and a notebook's Interrupt must stop it).
///
/// # Errors
/// As [`shortest_path`], and [`LabError::Interrupted`] when `cancel` asks to stop.
pub fn shortest_path_until(graph: &Adjacency, cancel: &dyn Cancel) -> Result<Matrix, LabError> {
    let n = graph.nodes();
    if n > MAX_APSP_NODES {
        return Err(LabError::parameter(
            "grid",
            format!(
                "{n} intersections need a {n}×{n} travel-time matrix; all-pairs shortest paths \
                 take at most {MAX_APSP_NODES} (e.g. a 64×64 zone): split the city into more zones"
            ),
        ));
    }
    // Zeroed memory comes lazily from the allocator; each row is set to `inf` by the task
    // that fills it, so touching the 128 MiB of a 64×64 grid's result is parallel too.
    let mut data = vec![0.0; n * n];
    if n >= PARALLEL_MIN_NODES {
        data.par_chunks_mut(n).enumerate().try_for_each_init(
            || BinaryHeap::with_capacity(256),
            |heap, (source, row)| dijkstra_into(graph, source, row, heap, cancel),
        )?;
    } else if n > 0 {
        let mut heap = BinaryHeap::new();
        for (source, row) in data.chunks_mut(n).enumerate() {
            dijkstra_into(graph, source, row, &mut heap, cancel)?;
        }
    }
    Ok(Matrix::from_vec_unchecked(n, n, data))
}

/// Travel times from one `source` to every node (one row of [`shortest_path`]); the unit
/// of work when the engine runs sources as separate tasks.
///
/// # Errors
/// [`LabError::InvalidParameter`] if `source` is not a node of `graph`.
pub fn shortest_path_from(graph: &Adjacency, source: usize) -> Result<Vec<f64>, LabError> {
    if source >= graph.nodes() {
        return Err(LabError::parameter(
            "source",
            format!(
                "node {source} does not exist; the graph has nodes 0 to {}",
                graph.nodes().saturating_sub(1)
            ),
        ));
    }
    let mut row = vec![f64::INFINITY; graph.nodes()];
    dijkstra_into(graph, source, &mut row, &mut BinaryHeap::new(), &Never)?;
    Ok(row)
}

/// Dijkstra from `source`, writing distances into `dist` (any contents; overwritten), asking
/// `cancel` first and every [`POPS_PER_CHECK`] nodes settled.
///
/// Distances are non-negative floats, whose IEEE bit patterns sort like the numbers, so the
/// heap orders plain `u64`s. In the general case stale entries are skipped when popped (lazy
/// deletion). A binary heap measured faster here than a radix heap: the queue only holds
/// the frontier (a few hundred nodes on a 64×64 grid), while float keys made a radix heap
/// move items between buckets many times.
fn dijkstra_into(
    graph: &Adjacency,
    source: usize,
    dist: &mut [f64],
    heap: &mut BinaryHeap<Reverse<(u64, u32)>>,
    cancel: &dyn Cancel,
) -> Result<(), LabError> {
    cancel::check(cancel)?;
    heap.clear();
    dist.fill(f64::INFINITY);
    dist[source] = 0.0;
    heap.push(Reverse((0.0f64.to_bits(), source as u32)));
    if graph.is_entry_weighted() {
        // First reach is final (see the module docs).
        let mut pops = 0u32;
        while let Some(Reverse((bits, node))) = heap.pop() {
            pops = pops.wrapping_add(1);
            if pops.is_multiple_of(POPS_PER_CHECK) {
                cancel::check(cancel)?;
            }
            let d = f64::from_bits(bits);
            for (next, weight) in graph.neighbours(node as usize) {
                let reached = d + weight;
                // `reached` is infinite only if the sum overflowed: then, as for SciPy, the
                // node stays unreachable (and is never queued, so the loop ends).
                if dist[next] == f64::INFINITY && reached < f64::INFINITY {
                    dist[next] = reached;
                    heap.push(Reverse((reached.to_bits(), next as u32)));
                }
            }
        }
        return Ok(());
    }
    let mut pops = 0u32;
    while let Some(Reverse((bits, node))) = heap.pop() {
        pops = pops.wrapping_add(1);
        if pops.is_multiple_of(POPS_PER_CHECK) {
            cancel::check(cancel)?;
        }
        let d = f64::from_bits(bits);
        let node = node as usize;
        if d > dist[node] {
            continue;
        }
        for (next, weight) in graph.neighbours(node) {
            let candidate = d + weight;
            if candidate < dist[next] {
                dist[next] = candidate;
                heap.push(Reverse((candidate.to_bits(), next as u32)));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adjacency::build_adj_matrix;

    /// Floyd–Warshall on the dense matrix: the algorithm SciPy picks for dense input.
    fn floyd_warshall(graph: &Adjacency) -> Matrix {
        let n = graph.nodes();
        let dense = graph.to_dense();
        let mut d = Matrix::from_fn(n, n, |u, v| match (u == v, dense.get(u, v)) {
            (true, _) => 0.0,
            (false, 0.0) => f64::INFINITY,
            (false, w) => w,
        })
        .to_nested();
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    let through = d[i][k] + d[k][j];
                    if through < d[i][j] {
                        d[i][j] = through;
                    }
                }
            }
        }
        Matrix::from_fn(n, n, |u, v| d[u][v])
    }

    fn assert_close(a: &Matrix, b: &Matrix) {
        assert_eq!(a.shape(), b.shape());
        for (x, y) in a.as_slice().iter().zip(b.as_slice()) {
            assert!(
                x == y || (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                "{x} vs {y}"
            );
        }
    }

    #[test]
    fn agrees_with_floyd_warshall_on_grids() {
        let costs = Matrix::from_fn(6, 6, |r, c| 0.5 + ((r * 13 + c * 7) % 5) as f64 * 0.7);
        let graph = build_adj_matrix(&costs).unwrap();
        assert_close(&shortest_path(&graph).unwrap(), &floyd_warshall(&graph));
    }

    #[test]
    fn general_graphs_take_the_textbook_path() {
        // Edges into node 2 weigh 5 (from 0) and 1 (from 1): not entry-weighted, and the
        // first reach of node 2 (from 0) is not the best.
        let dense = Matrix::from_row_major(3, 3, vec![0.0, 2.0, 5.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0])
            .unwrap();
        let graph = Adjacency::from_dense(&dense).unwrap();
        assert!(!graph.is_entry_weighted());
        let times = shortest_path(&graph).unwrap();
        assert_eq!(times.get(0, 2), 3.0);
        assert_close(&times, &floyd_warshall(&graph));
    }

    #[test]
    fn zero_cost_intersections_are_unreachable_as_in_scipy() {
        let costs = Matrix::from_row_major(2, 2, vec![1.0, 0.0, 2.0, 3.0]).unwrap();
        let graph = build_adj_matrix(&costs).unwrap();
        let times = shortest_path(&graph).unwrap();
        // (0,1) is node 2: nothing reaches it, but it can leave.
        assert!(times.get(0, 2).is_infinite());
        assert_eq!(times.get(2, 2), 0.0);
        assert_eq!(times.get(2, 0), 1.0);
        assert_close(&times, &floyd_warshall(&graph));
    }

    #[test]
    fn parallel_and_serial_paths_agree() {
        // 24×24 = 576 nodes takes the parallel path; each row must equal the one-source run.
        let costs = Matrix::from_fn(24, 24, |r, c| 1.0 + ((r * 31 + c * 17) % 9) as f64 / 3.0);
        let graph = build_adj_matrix(&costs).unwrap();
        let all = shortest_path(&graph).unwrap();
        for source in [0, 100, 575] {
            assert_eq!(shortest_path_from(&graph, source).unwrap(), all.row(source));
        }
    }

    #[test]
    fn huge_graphs_are_refused_before_allocating() {
        let side = 91; // 8281 nodes
        let graph = build_adj_matrix(&Matrix::from_fn(side, side, |_, _| 1.0)).unwrap();
        assert!(matches!(
            shortest_path(&graph),
            Err(LabError::InvalidParameter { name: "grid", .. })
        ));
    }

    #[test]
    fn a_cancelled_run_stops_serial_and_parallel() {
        use std::sync::atomic::{AtomicU64, Ordering};
        for side in [4, 32] {
            let graph = build_adj_matrix(&Matrix::from_fn(side, side, |_, _| 1.0)).unwrap();
            // Cancels at the fifth check, within the first sources.
            let checks = AtomicU64::new(0);
            let fifth = || checks.fetch_add(1, Ordering::Relaxed) >= 4;
            assert_eq!(
                shortest_path_until(&graph, &fifth),
                Err(LabError::Interrupted)
            );
            assert_eq!(shortest_path_until(&graph, &Never), shortest_path(&graph));
        }
    }

    #[test]
    fn single_source_is_a_row() {
        let costs = Matrix::from_fn(4, 3, |r, c| 1.0 + (r + 2 * c) as f64);
        let graph = build_adj_matrix(&costs).unwrap();
        let all = shortest_path(&graph).unwrap();
        for source in 0..graph.nodes() {
            assert_eq!(shortest_path_from(&graph, source).unwrap(), all.row(source));
        }
        assert!(shortest_path_from(&graph, graph.nodes()).is_err());
    }
}
