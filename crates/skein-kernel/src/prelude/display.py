

# --- what a cell shows ----------------------------------------------------------------------


def _skein_refresh_futures(_skein_x, _skein_depth):
    _skein_t = type(_skein_x)
    if _skein_t is Future or _skein_t is Client or _skein_t is _SkeinCluster or _skein_t is _SkeinExecutorFuture:
        _skein_x._skein_refresh()
    elif _skein_t is _skein_ndarray:
        _skein_x._force()
    elif _skein_depth < 3 and (_skein_t is list or _skein_t is tuple):
        for _skein_v in _skein_x:
            _skein_refresh_futures(_skein_v, _skein_depth + 1)
    elif _skein_depth < 3 and _skein_t is dict:
        for _skein_v in _skein_x.values():
            _skein_refresh_futures(_skein_v, _skein_depth + 1)


def _skein_display(_skein_x):
    # The cell's last expression, as Jupyter shows it (`None` shows nothing).
    if _skein_x is None:
        return
    _skein_refresh_futures(_skein_x, 0)
    if type(_skein_x) is _SkeinGraph:
        _skein_show_graph(_skein_x.dot, _skein_x.svg)
        return
    if type(_skein_x).__name__ == 'DataFrame':
        _skein_show_table(repr(_skein_x), list(_skein_x.columns), [[str(_skein_c[_skein_i]) for _skein_c in [_skein_x._data[_skein_k] for _skein_k in _skein_x._columns]] for _skein_i in range(min(60, _skein_x.shape[0]))], [str(_skein_i) for _skein_i in list(_skein_x.index)[:60]])
        return
    _skein_show(repr(_skein_x), type(_skein_x).__name__)


def display(*objs, **kwargs):
    for _skein_x in objs:
        _skein_display(_skein_x)


# Monty's `len` does not call a class's `__len__`; the prelude's classes need it.
_skein_builtin_len = len


def len(obj):
    if type(obj).__name__ in ('DataFrame', 'Series', 'Index', 'Bag', 'ndarray'):
        return obj.__len__()
    return _skein_builtin_len(obj)


# Monty's `sum`, `max` and `min` iterate without calling the host; an array's elements are
# Rust's, so they take the array's own reductions.
_skein_builtin_sum = sum
_skein_builtin_max = max
_skein_builtin_min = min


def sum(iterable, start=0):
    if type(iterable) is _skein_ndarray:
        if iterable.ndim == 1:
            return start + iterable.sum()
        return iterable.sum(0) + start
    return _skein_builtin_sum(iterable, start)


def max(*args, **kwargs):
    if len(args) == 1 and type(args[0]) is _skein_ndarray and args[0].ndim == 1:
        return args[0].max()
    return _skein_builtin_max(*args, **kwargs)


def min(*args, **kwargs):
    if len(args) == 1 and type(args[0]) is _skein_ndarray and args[0].ndim == 1:
        return args[0].min()
    return _skein_builtin_min(*args, **kwargs)


# Monty's `map` and `filter` call their function where it cannot call the host (an array's
# operations are host calls); these call it as ordinary Python.
def map(function, *iterables):
    return iter([function(*_skein_args) for _skein_args in zip(*iterables)])


def filter(function, iterable):
    if function is None:
        return iter([_skein_x for _skein_x in iterable if _skein_x])
    return iter([_skein_x for _skein_x in iterable if function(_skein_x)])


def _skein_print(*args, **kwargs):
    # Pending array expressions (`a + 1`) are evaluated before `print` shows them.
    for _skein_a in args:
        _skein_refresh_futures(_skein_a, 0)
    print(*args, **kwargs)


# Monty does not call a class's `<`, `>`, `<=`, `>=`, `!=`: top-level comparisons in cells
# come here (see `rewrite.rs`), which call the class's method as a method, so a Series
# compares as pandas does and a Delayed as Dask's does.
_SKEIN_FLIPPED = {'lt': 'gt', 'le': 'ge', 'gt': 'lt', 'ge': 'le', 'ne': 'ne', 'eq': 'eq'}


def _skein_cmp(_skein_op, _skein_a, _skein_b):
    if _skein_op in ('eq', 'ne') and (type(_skein_a) is Delayed or type(_skein_b) is Delayed):
        # Dask's: a comparison with a Delayed is a task (`_skein_op`, which the parameter hides).
        return _skein_pending('_skein_apply_op', (_skein_op, _skein_a, _skein_b), {}, _skein_op, _SKEIN_PURE_OP)
    if type(_skein_a) is Delayed:
        return getattr(_skein_a, '__' + _skein_op + '__')(_skein_b)
    if type(_skein_b) is Delayed:
        # Python's reflected comparison: `3 > d` is `d < 3`.
        return getattr(_skein_b, '__' + _SKEIN_FLIPPED[_skein_op] + '__')(_skein_a)
    if _skein_op == 'eq':
        return _skein_a == _skein_b
    if type(_skein_a).__name__ in ('Series', 'DataFrame', 'Index', 'ndarray'):
        return getattr(_skein_a, '__' + _skein_op + '__')(_skein_b)
    if type(_skein_b).__name__ in ('Series', 'ndarray'):
        return getattr(_skein_b, '__' + _SKEIN_FLIPPED[_skein_op] + '__')(_skein_a)
    if _skein_op == 'lt':
        return _skein_a < _skein_b
    if _skein_op == 'le':
        return _skein_a <= _skein_b
    if _skein_op == 'gt':
        return _skein_a > _skein_b
    if _skein_op == 'ge':
        return _skein_a >= _skein_b
    return _skein_a != _skein_b
