

# --- what a cell shows ----------------------------------------------------------------------


def _skein_refresh_futures(_skein_x, _skein_depth):
    _skein_t = type(_skein_x)
    if _skein_t is Future or _skein_t is Client or _skein_t is _SkeinCluster or _skein_t is _SkeinExecutorFuture:
        _skein_x._skein_refresh()
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
        _skein_show_graph(_skein_x.dot)
        return
    if type(_skein_x).__name__ == 'DataFrame':
        _skein_show_table(repr(_skein_x), list(_skein_x.columns), [[str(_skein_v) for _skein_v in _skein_r] for _skein_r in _skein_x.values[:60]], [str(_skein_i) for _skein_i in list(_skein_x.index)[:60]])
        return
    _skein_show(repr(_skein_x), type(_skein_x).__name__)


def display(*objs, **kwargs):
    for _skein_x in objs:
        _skein_display(_skein_x)


# Monty's `len` does not call a class's `__len__`; the prelude's classes need it.
_skein_builtin_len = len


def len(obj):
    if type(obj).__name__ in ('DataFrame', 'Series', 'Index', 'Bag'):
        return obj.__len__()
    return _skein_builtin_len(obj)


# Monty does not call a class's `<`, `>`, `<=`, `>=`, `!=`: top-level comparisons in cells
# come here (see `cell.rs`), so a Series compares as pandas does.
def _skein_cmp(_skein_op, _skein_a, _skein_b):
    if type(_skein_a).__name__ in ('Series', 'DataFrame', 'Index'):
        return getattr(_skein_a, '__' + _skein_op + '__')(_skein_b)
    if _skein_op == 'lt':
        return _skein_a < _skein_b
    if _skein_op == 'le':
        return _skein_a <= _skein_b
    if _skein_op == 'gt':
        return _skein_a > _skein_b
    if _skein_op == 'ge':
        return _skein_a >= _skein_b
    return _skein_a != _skein_b
