# Every workaround the prelude keeps for a gap in Monty (1.4), in one place. Each row names the
# canary in `tests/canaries/prelude.rs` that runs the plain Python form under bare Monty and
# expects it to go wrong; when an upgrade makes a canary fail, Monty has closed that gap: delete
# the shim (and the Rust rewrite that calls it, listed in `rewrite.rs`), then the canary.
#
# | shim                             | the Monty gap it stands in for                  | canary                            |
# |----------------------------------|-------------------------------------------------|-----------------------------------|
# | `len`                            | `len()` does not call a class's `__len__`       | `len_ignores_dunder_len`          |
# | `sum`, `max`, `min`              | they iterate where the host is out of reach     | `sum_cannot_reach_host`,          |
# |                                  | (an array's elements are Rust's)                | `max_cannot_reach_host`           |
# | `map`, `filter`                  | they call their function where the host is out  | `map_cannot_reach_host`,          |
# |                                  | of reach                                        | `filter_cannot_reach_host`        |
# | `_skein_print`                   | `print` calls `__repr__` where the host is out  | `print_repr_cannot_reach_host`    |
# |                                  | of reach                                        |                                   |
# | `_skein_cmp`                     | `<`, `<=`, `>`, `>=` do not call `__lt__` and   | `lt_ignores_dunder_lt`,           |
# |                                  | kin; `!=` does not call `__ne__`; `in` calls    | `ne_ignores_dunder_ne`,           |
# |                                  | `__contains__` where the host is out of reach   | `contains_cannot_reach_host`      |
# | `_skein_truth`, `_skein_bool`    | `bool()` and `if` do not call `__bool__`        | `bool_ignores_dunder_bool`,       |
# |                                  |                                                 | `if_ignores_dunder_bool`          |
# | `_skein_getattr` (and the        | no `__getattr__` (nor properties)               | `getattr_is_never_called`         |
# | rewrite of attribute reads)      |                                                 |                                   |
# | `_skein_str_methods` (and        | a builtin type has no attributes (`str.upper`)  | `str_methods_are_not_attributes`  |
# | `interp.rs`'s `STR_METHODS`)     |                                                 |                                   |
# | `_skein_op_keys`, `_skein_op_key`| operator methods cannot call the host           | `operator_cannot_reach_host`      |
# | `_skein_for`                     | a `for` loop calls `__next__` where the host is | `for_cannot_reach_host`           |
# |                                  | out of reach                                    |                                   |
# | `_skein_iterable`                | `list`, `zip`, … call `__next__` where the host | `list_cannot_reach_host`          |
# |                                  | is out of reach                                 |                                   |
# | `_skein_getitem`,                | `o[k]` and `o[k] = v` run `__getitem__` and     | `getitem_cannot_reach_host`,      |
# | `_skein_setitem`                 | `__setitem__` where the host is out of reach    | `setitem_cannot_reach_host`       |
# | `callable`                       | no `callable` builtin                           | `callable_is_missing`             |
# | `_skein_exc_text` (and the       | an exception is made from at most one `str`     | `exceptions_take_one_string`      |
# | rewrite of exception calls)      |                                                 | (`tests/canaries/rewrites.rs`)    |
# | `_skein_star_names` (and the     | no `from m import *`, and no `dir()` to list a  | `wildcard_imports_parse`          |
# | rewrite of wildcard imports)     | module's names                                  | (`tests/canaries/rewrites.rs`)    |
#
# Workarounds for the same gaps that are built into a class, and so stay with it:
#
# - `ndarray._expr` (`numpy.py`): `a + b` is recorded and evaluated by the next real operation
#   (canary `operator_cannot_reach_host`); pandas' `.values` is such a pending array.
# - `as_completed._skein_fill` (`as_completed.py`): what `_skein_for` walks (canary
#   `for_cannot_reach_host`).
# - `_skein_refresh_futures` (`display.py`): a Future's or an array's state is fetched before
#   its `__repr__` runs (canary `print_repr_cannot_reach_host`).
#
# Loaded after `numpy.py` (`sum`, `max` and `min` test for `_skein_ndarray`, so nothing may call
# them before it is defined) and before everything that displays values. Python's `operator`
# module (`operator.py`) and `collections` (`collections.py`) are stand-ins for modules Monty
# lacks, not workarounds, and stay in their own files.


# --- builtins that ignore a class's methods or cannot reach the host -------------------------

# After each, `_skein_bi_<name> = <name>`: the prelude's own calls of it go through that alias
# (`builtin_aliases.rs`), which a cell's `len = 3` leaves alone.


# Monty's `len` does not call a class's `__len__`; the prelude's classes need it.
_skein_builtin_len = len


def len(obj):
    if type(obj).__name__ in ('DataFrame', 'Series', 'Index', 'Bag', 'ndarray', 'Delayed', '_SkeinDatasets'):
        return obj.__len__()
    return _skein_builtin_len(obj)


_skein_bi_len = len


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


_skein_bi_sum = sum


def max(*args, **kwargs):
    if len(args) == 1 and type(args[0]) is _skein_ndarray and args[0].ndim == 1:
        return args[0].max()
    return _skein_builtin_max(*args, **kwargs)


_skein_bi_max = max


def min(*args, **kwargs):
    if len(args) == 1 and type(args[0]) is _skein_ndarray and args[0].ndim == 1:
        return args[0].min()
    return _skein_builtin_min(*args, **kwargs)


_skein_bi_min = min


# Monty has no `callable`. Its functions, builtins included, answer no `__call__`, so they are
# known by their type's name; a class is callable, and so is an object whose class defines
# `__call__`.
_SKEIN_CALLABLE_TYPES = ('function', 'builtin_function_or_method', 'method', 'partial', 'type')


def callable(obj):
    return type(obj).__name__ in _SKEIN_CALLABLE_TYPES or hasattr(obj, '__call__')


# Monty makes an exception from at most one `str` (`ValueError(3)` stops it with an internal
# error), so a cell's `ValueError(x)` and `ValueError(a, b)` pass `_skein_exc_text(x)` and
# `_skein_exc_text((a, b))` (`rewrite/finder.rs`): the text CPython's `str` of the exception is.
def _skein_exc_text(_skein_x):
    if type(_skein_x) is str:
        return _skein_x
    return str(_skein_x)


# `from m import *` of a module of Skein's binds its public names one by one
# (`rewrite/imports.rs`): the kernel asks for them here before it rewrites the statement.
def _skein_star_names(_skein_name):
    return _skein_public_names(_skein_import(_skein_name))


# Monty's `map` and `filter` call their function where it cannot call the host (an array's
# operations are host calls); these call it as ordinary Python.
def map(function, *iterables):
    return iter([function(*_skein_args) for _skein_args in zip(*iterables)])


_skein_bi_map = map


def filter(function, iterable):
    if function is None:
        return iter([_skein_x for _skein_x in iterable if _skein_x])
    return iter([_skein_x for _skein_x in iterable if function(_skein_x)])


_skein_bi_filter = filter


# --- print -----------------------------------------------------------------------------------


# `print` calls `__repr__` where the host is out of reach (canary `print_repr_calls_host`).
def _skein_print(*args, **kwargs):
    # Pending array expressions (`a + 1`) are evaluated before `print` shows them.
    for _skein_a in args:
        _skein_refresh_futures(_skein_a, 0)
    print(*args, **kwargs)


# --- comparisons -----------------------------------------------------------------------------


# Monty does not call a class's `<`, `>`, `<=`, `>=`, `!=`: top-level comparisons in cells
# come here (see `rewrite.rs`), which call the class's method as a method, so a Series
# compares as pandas does and a Delayed as Dask's does.
_SKEIN_FLIPPED = {'lt': 'gt', 'le': 'ge', 'gt': 'lt', 'ge': 'le', 'ne': 'ne', 'eq': 'eq'}
# The prelude's containers whose `__contains__` calls the host (`client.datasets`).
_SKEIN_HOST_CONTAINERS = ('_SkeinDatasets',)


def _skein_cmp(_skein_op, _skein_a, _skein_b):
    if _skein_op == 'in' or _skein_op == 'not in':
        # A container of the prelude whose `__contains__` asks the host, called as a method.
        if type(_skein_b).__name__ in _SKEIN_HOST_CONTAINERS:
            _skein_found = _skein_b.__contains__(_skein_a)
        else:
            _skein_found = _skein_a in _skein_b
        return _skein_found if _skein_op == 'in' else not _skein_found
    if _skein_op in ('eq', 'ne') and (type(_skein_a) is _skein_api_Delayed or type(_skein_b) is _skein_api_Delayed):
        # Dask's: a comparison with a Delayed is a task (`_skein_op`, which the parameter hides).
        return _skein_pending('_skein_apply_op', (_skein_op, _skein_a, _skein_b), {}, _skein_op, _SKEIN_PURE_OP)
    if type(_skein_a) is _skein_api_Delayed:
        return getattr(_skein_a, '__' + _skein_op + '__')(_skein_b)
    if type(_skein_b) is _skein_api_Delayed:
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


# --- truth -----------------------------------------------------------------------------------


# Dask raises TypeError for `bool(d)` and `if d:`. Monty does not call a class's `__bool__`, so
# a cell's `bool(…)` is `_skein_bool(…)` and its `if`/`while` tests are `_skein_truth(…)` (see
# `rewrite.rs`).


def _skein_truth(_skein_x):
    if type(_skein_x) is _skein_api_Delayed:
        raise TypeError('Truth of Delayed objects is not supported')
    return _skein_x


def _skein_bool(*_skein_x):
    if _skein_x:
        _skein_truth(_skein_x[0])
    return bool(*_skein_x)


# --- a Delayed's attributes ------------------------------------------------------------------


def _skein_getattr(_skein_o, _skein_name):
    # `pt.x` at a cell's top level (`rewrite.rs`): on a Delayed without that attribute it is
    # Dask's `getattr` task, as its `__getattr__` makes it (names starting `_` excepted). A
    # Future's `status`, a property in Dask, is asked of the host at each read.
    if type(_skein_o) is not _skein_api_Delayed:
        if _skein_name == 'status' and type(_skein_o) is _skein_api_Future:
            _skein_set_states([_skein_o])
        if _skein_o is str and hasattr(_skein_str_methods, _skein_name):
            return getattr(_skein_str_methods, _skein_name)
        return getattr(_skein_o, _skein_name)
    if _skein_name == 'dask':
        return _skein_o.__dask_graph__()
    try:
        return getattr(_skein_o, _skein_name)
    except AttributeError:
        if _skein_name.startswith('_'):
            raise AttributeError('Attribute ' + _skein_name + ' not found')
        return _skein_attr(_skein_o, _skein_name)


# `str.upper` as a function (`b.map(str.upper)`, `str.strip(s)`): Monty's `str` type has no
# attributes, so `_skein_getattr` hands out these, which travel to a task by name as a module's
# functions do (`_skein_std_modules` in `sendable.py`).
def _skein_module_str(str_methods):
    # SKEIN-STR-METHODS
    pass


_skein_str_methods = _SkeinModule('str')
_skein_module_str(_skein_str_methods)
_skein_std_modules['str'] = _skein_str_methods


# --- operators' task keys --------------------------------------------------------------------


# Operators' keys, by signature. Monty runs operator methods (`__add__`, `__getitem__`) where
# the host cannot be called, so their tokens cannot come from Rust: the first `a + 1` gets a
# random token and every equal one after it (same operator, same Delayed keys, same small
# constants) reuses it, which is Dask's rule for as long as the kernel lives. An operand of any
# other kind (a list, an array, a slice) makes the task impure rather than hashed in Python.
_skein_op_keys = {}
_SKEIN_OP_KEYS_MAX = 100000


def _skein_operand_sig(_skein_x):
    _skein_t = type(_skein_x)
    if _skein_t is _skein_api_Delayed:
        return '@' + _skein_x._key
    if _skein_x is None or _skein_t is int or _skein_t is float or _skein_t is bool or _skein_t is str:
        # repr tells 1, 1.0, True and '1' apart (equal as dict keys); a long text is left
        # out so the table stays small.
        _skein_r = repr(_skein_x)
        return _skein_r if len(_skein_r) <= 200 else None
    if _skein_t is tuple:
        _skein_parts = []
        for _skein_v in _skein_x:
            _skein_p = _skein_operand_sig(_skein_v)
            if _skein_p is None:
                return None
            _skein_parts.append(_skein_p)
        return '(' + ','.join(_skein_parts) + ')'
    return None


def _skein_op_key(_skein_name, _skein_args):
    _skein_sig = [_skein_name]
    for _skein_x in _skein_args:
        _skein_p = _skein_operand_sig(_skein_x)
        if _skein_p is None:
            return _skein_new_key(_skein_name)
        _skein_sig.append(_skein_p)
    # reprs escape newlines, so the joined text is unambiguous.
    _skein_sig = '\n'.join(_skein_sig)
    _skein_key = _skein_op_keys.get(_skein_sig)
    if _skein_key is None:
        if len(_skein_op_keys) >= _SKEIN_OP_KEYS_MAX:
            # A bound on what a long session remembers: forgetting only costs sharing (a
            # later equal operation gets a new key and runs again), never a wrong result.
            _skein_op_keys.clear()
        _skein_key = _skein_new_key(_skein_name)
        _skein_op_keys[_skein_sig] = _skein_key
    return _skein_key


# --- loops, subscripts and next --------------------------------------------------------------


def _skein_for(_skein_x):
    # What a cell's `for` loop iterates (see `as_completed`).
    if type(_skein_x) is _skein_api_as_completed:
        return _skein_x._skein_fill()
    if type(_skein_x) is _skein_ndarray:
        return _skein_numpy._rows(_skein_x)
    if type(_skein_x) is _skein_api_Bag:
        return _skein_x.compute()
    if type(_skein_x).__name__ == '_SkeinDatasets':
        return _skein_x.keys()
    return _skein_x


# What builtins that iterate (`list`, `zip`, …) take: an array's rows (see `rewrite.rs`).
def _skein_iterable(_skein_x):
    if type(_skein_x) is _skein_ndarray:
        return _skein_numpy._rows(_skein_x)
    if type(_skein_x) is _skein_api_Bag:
        # `list(b)` computes, as Dask's does: Monty's `list` calls `__iter__` where the
        # host is out of reach.
        return _skein_x.compute()
    if type(_skein_x).__name__ == '_SkeinDatasets':
        return _skein_x.keys()
    return _skein_x


# What the rewrite's inline forms test with, whatever a cell binds `type` or `list` to: a
# subscript of a name runs a list's `[]` inline (`rewrite/subscripts.rs`), a top-level
# comparison of these scalars, or `in` one of these builtin containers, runs inline
# (`rewrite/compare.rs`), and the prelude's subscripts below take the containers first.
_skein_type = type
_skein_list = list
_skein_scalars = {int, float, str, bool, type(None)}
_skein_containers = {list, dict, set, frozenset, tuple, str}


# Subscripts in cells come here (see `cell.rs`): an array's `[]` must call Rust, which its
# `__getitem__` can only do when called like this, as a method.
def _skein_getitem(_skein_o, _skein_k):
    _skein_t = type(_skein_o)
    if _skein_t in _skein_containers:
        return _skein_o[_skein_k]
    if _skein_t is _skein_ndarray or _skein_t.__name__ in ('DataFrame', 'Series', '_ILoc', '_Loc', '_SkeinDatasets'):
        return _skein_o.__getitem__(_skein_k)
    return _skein_o[_skein_k]


def _skein_setitem(_skein_o, _skein_k, _skein_v):
    _skein_t = type(_skein_o)
    if _skein_t in _skein_containers:
        _skein_o[_skein_k] = _skein_v
    elif _skein_t is _skein_ndarray or _skein_t.__name__ in ('DataFrame', 'Series', '_SkeinDatasets'):
        _skein_o.__setitem__(_skein_k, _skein_v)
    else:
        _skein_o[_skein_k] = _skein_v
