

# --- scipy: the one function the lab uses, over numpy's arrays (`numpy.py`) -----------------


_skein_scipy = _skein_module('scipy')
_skein_scipy_sparse = _skein_module('scipy.sparse')
_skein_csgraph = _skein_module('scipy.sparse.csgraph')
_skein_scipy.sparse = _skein_scipy_sparse
_skein_scipy_sparse.csgraph = _skein_csgraph


def _skein_shortest_path(csgraph, method='auto', directed=True):
    # SciPy's dense reading: a zero is "no edge"; Dijkstra from every node, in Rust.
    if not directed:
        raise NotImplementedError("shortest_path(directed=False) is not supported in Skein")
    return _skein_numpy._wrap(_skein_np('shortest_path', _skein_numpy.asarray(csgraph)))


_skein_csgraph.shortest_path = _skein_shortest_path
