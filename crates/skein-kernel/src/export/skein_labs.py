"""skein.labs in plain Python (with NumPy and SciPy), for notebooks exported from Skein.

Skein runs these lab functions in Rust; an exported notebook defines them here so that it
runs under CPython with Dask, and cloudpickle sends them by value to any cluster's workers.
They take and return what Skein's do: grids and matrices are lists of rows of floats.

- traffic_grid and random_params are seeded: they give Skein's numbers exactly, drawing
  from the same generator (xoshiro256++ seeded through SplitMix64) the same way.
- build_adj_matrix, shortest_path, split_zones and summarize compute what Skein computes.
- multi_sample, response_to_random_fire and nearest_truck_response draw fresh randomness
  on every call, as in Skein (pure=False in Dask): same distribution, not the same numbers.
"""

import math
import operator
import random

_MASK64 = (1 << 64) - 1
_MASK32 = (1 << 32) - 1
# SplitMix64's increment, the golden ratio in 64-bit fixed point.
_GOLDEN_GAMMA = 0x9E3779B97F4A7C15
# The largest grid side Skein's labs take from a cell, and the largest synthetic city.
_MAX_SIDE = 4096
_MAX_CITY = 1024


def _size(value, name, largest):
    try:
        n = operator.index(value)
    except TypeError:
        raise TypeError(f"'{name}' must be an int, not '{type(value).__name__}'") from None
    if not 0 <= n <= largest:
        raise ValueError(f"'{name}' must be between 0 and {largest}, not {n}")
    return n


def _seed(value, default):
    # Skein takes an int seed as a 64-bit word and falls back to the default otherwise.
    try:
        return operator.index(value) & _MASK64
    except TypeError:
        return default


def _matrix(value, name):
    try:
        rows = [[float(x) for x in row] for row in value]
    except TypeError:
        raise TypeError(f"'{name}' must be a list of rows of numbers") from None
    if any(len(row) != len(rows[0]) for row in rows):
        raise ValueError(f"the rows of '{name}' differ in length")
    return rows


def _rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & _MASK64


class _LabRng:
    """Skein's seeded generator (rand_xoshiro's Xoshiro256PlusPlus::seed_from_u64) and the
    two draws the labs make from it the way Rust's rand makes them."""

    def __init__(self, seed):
        state = seed
        words = []
        for _ in range(4):
            state = (state + _GOLDEN_GAMMA) & _MASK64
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
            words.append(z ^ (z >> 31))
        self.s = words

    def next_u64(self):
        s0, s1, s2, s3 = self.s
        result = (_rotl((s0 + s3) & _MASK64, 23) + s0) & _MASK64
        t = (s1 << 17) & _MASK64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        self.s = [s0, s1, s2, _rotl(s3, 45)]
        return result

    def random(self):
        """A float in [0, 1) from the top 53 bits (rand's `random::<f64>()`)."""
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))

    def below(self, n):
        """An int in [0, n) for 0 < n < 2**32 (rand's `random_range(0..n)` on a usize:
        Canon's widening multiply on 32-bit draws, one extra draw near the boundary)."""
        product = (self.next_u64() >> 32) * n
        result, low = product >> 32, product & _MASK32
        if low > (-n) & _MASK32:
            high = ((self.next_u64() >> 32) * n) >> 32
            result += (low + high) >> 32
        return result


def multi_sample(n):
    """The number of hits among n random points of the unit square that fall inside the
    unit circle (about n * pi / 4). Fresh randomness on every call."""
    import numpy as np

    left = _size(n, "n", _MASK64)
    rng = np.random.default_rng()
    hits = 0
    while left:
        chunk = min(left, 1 << 20)
        x = rng.random(chunk)
        y = rng.random(chunk)
        hits += int(np.count_nonzero(x * x + y * y < 1.0))
        left -= chunk
    return hits


def traffic_grid(size=16, seed=2024):
    """A seeded size x size congested city: the minutes it takes to enter each intersection
    (free-flow time and noise, jammed arterial rows and columns, a downtown hot spot). The
    same seed gives the same city as Skein's."""
    n = _size(size, "size", _MAX_SIDE)
    if not 1 <= n <= _MAX_CITY:
        raise ValueError(f"invalid size: {n} intersections per side; choose 1 to {_MAX_CITY}")
    rng = _LabRng(_seed(seed, 2024))

    def corridors():
        jam = [0.0] * n
        for _ in range(max(n // 4, 1)):
            line = rng.below(n)
            jam[line] = 1.5 + rng.random()
        return jam

    row_jam = corridors()
    col_jam = corridors()
    centre_r = n * (0.25 + 0.5 * rng.random())
    centre_c = n * (0.25 + 0.5 * rng.random())
    sigma = n / 6.0
    noise = [0.5 * rng.random() for _ in range(n * n)]
    grid = []
    for r in range(n):
        row = []
        for c in range(n):
            dr = r + 0.5 - centre_r
            dc = c + 0.5 - centre_c
            downtown = 6.0 * math.exp(-(dr * dr + dc * dc) / (2.0 * sigma * sigma))
            row.append(1.0 + noise[r * n + c] + row_jam[r] + col_jam[c] + downtown)
        grid.append(row)
    return grid


def _check_costs(grid):
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value != value or value < 0.0:
                raise ValueError(
                    f"traffic cost at row {r}, column {c} is {value}; costs are minutes and "
                    "must be zero or positive (use inf for a closed intersection)"
                )


def build_adj_matrix(costs):
    """The road graph of a grid of entering costs as a dense matrix: intersection (r, c) is
    node r + c * rows, and the edge from each neighbour into (r, c) weighs costs[r][c]. A
    zero or infinite cost leaves no edge (0), as SciPy reads it."""
    grid = _matrix(costs, "costs")
    rows = len(grid)
    cols = len(grid[0]) if rows else 0
    if rows > 256 or cols > 256:
        raise MemoryError("a grid of at most 256×256 makes an adjacency matrix that fits")
    if rows == 0 or cols == 0:
        raise ValueError("invalid grid: it is empty; a grid needs at least one intersection")
    _check_costs(grid)
    n = rows * cols
    adj = [[0.0] * n for _ in range(n)]
    for c in range(cols):
        for r in range(rows):
            edges = adj[r + c * rows]
            for nr, nc in ((r, c - 1), (r - 1, c), (r + 1, c), (r, c + 1)):
                if 0 <= nr < rows and 0 <= nc < cols:
                    weight = grid[nr][nc]
                    if weight != 0.0 and math.isfinite(weight):
                        edges[nr + nc * rows] = weight
    return adj


def shortest_path(csgraph):
    """All-pairs travel times over a dense adjacency matrix (0, inf and NaN mean no edge),
    by SciPy's Dijkstra, as the seed notebook's scipy.sparse.csgraph.shortest_path."""
    import numpy as np
    from scipy.sparse import csgraph as scipy_csgraph

    dense = np.array(_matrix(csgraph, "csgraph"), dtype=float).reshape(len(csgraph), -1)
    n, m = dense.shape
    if n != m:
        raise ValueError(
            f"invalid adjacency matrix: it is {n}×{m}; an adjacency matrix must be square"
        )
    if (dense < 0).any():
        raise ValueError(
            "invalid adjacency matrix: a weight is negative; weights must be positive "
            "(0 means no edge)"
        )
    if n == 0:
        return []
    return scipy_csgraph.shortest_path(dense, method="D", directed=True).tolist()


def split_zones(grid, k):
    """The grid cut into k * k equal zones, column band by column band, top to bottom
    within a band (the order of numpy's hsplit then vsplit)."""
    cells = _matrix(grid, "grid")
    k = _size(k, "k", _MAX_SIDE)
    rows = len(cells)
    cols = len(cells[0]) if rows else 0
    if k == 0 or rows % k or cols % k:
        raise ValueError(
            f"invalid zones: {k} zones per side do not split a {rows}×{cols} grid equally; "
            "choose a divisor of both sides (e.g. 1, 2 or 4 for 16×16)"
        )
    zone_rows, zone_cols = rows // k, cols // k
    return [
        [row[band * zone_cols : (band + 1) * zone_cols] for row in cells[block * zone_rows : (block + 1) * zone_rows]]
        for band in range(k)
        for block in range(k)
    ]


def nearest_truck_response(travel_time_matrix, zone_rows, zone_cols, trucks):
    """A fire at a random intersection of the zone and `trucks` trucks at random ones: the
    travel time of the nearest truck. Fresh randomness on every call."""
    zone_rows = _size(zone_rows, "zone_rows", _MAX_SIDE)
    zone_cols = _size(zone_cols, "zone_cols", _MAX_SIDE)
    trucks = _size(trucks, "trucks", 1 << 20)
    nodes = zone_rows * zone_cols
    shape = (len(travel_time_matrix), len(travel_time_matrix[0]) if len(travel_time_matrix) else 0)
    if nodes == 0 or shape != (nodes, nodes):
        raise ValueError(
            f"invalid travel_time_matrix: it is {shape[0]}×{shape[1]} but a "
            f"{zone_rows}×{zone_cols} zone needs {nodes}×{nodes}; pass "
            "shortest_path(build_adj_matrix(zone))"
        )
    if trucks == 0:
        raise ValueError("invalid trucks: 0; a zone needs at least one truck")
    fire_x = random.randrange(zone_cols)
    fire_y = random.randrange(zone_rows)
    travel_to = fire_y + zone_rows * fire_x
    best = math.inf
    for _ in range(trucks):
        truck_x = random.randrange(zone_cols)
        truck_y = random.randrange(zone_rows)
        best = min(best, float(travel_time_matrix[truck_y + zone_rows * truck_x][travel_to]))
    return best


def response_to_random_fire(travel_time_matrix, zone_rows, zone_cols):
    """The travel time from a truck at a random intersection of the zone to a fire at
    another random one. Fresh randomness on every call."""
    return nearest_truck_response(travel_time_matrix, zone_rows, zone_cols, 1)


def _percentile(ordered, q):
    # Linear interpolation between the nearest ranks, from the nearer end (NumPy's _lerp).
    position = q / 100.0 * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    t = position - below
    a, b = ordered[below], ordered[above]
    return b - (b - a) * (1.0 - t) if t >= 0.5 else a + (b - a) * t


def summarize(values):
    """count, mean, median, 90th percentile and max of a sample, as NumPy computes them."""
    xs = [float(v) for v in values]
    if not xs:
        raise ValueError("invalid values: the sample is empty; draw at least one")
    if any(x != x for x in xs):
        raise ValueError("invalid values: a value is NaN")
    ordered = sorted(xs)
    n = len(xs)
    # Left to right, as Rust's f64 sum (Python's sum compensates since 3.12).
    total = -0.0
    for x in xs:
        total += x
    if n % 2:
        median = ordered[n // 2]
    else:
        median = (ordered[n // 2 - 1] + ordered[n // 2]) / 2.0
    return {"count": n, "mean": total / n, "median": median, "p90": _percentile(ordered, 90.0), "max": ordered[-1]}


def random_params(rows, seed=0):
    """The sweep's input table: `rows` rows of four uniform [0, 1) parameters from `seed`,
    the same numbers as Skein's."""
    n = _size(rows, "rows", 10_000_000)
    rng = _LabRng(_seed(seed, 0))
    return [[rng.random() for _ in range(4)] for _ in range(n)]
