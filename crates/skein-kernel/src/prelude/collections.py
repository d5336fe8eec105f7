

# --- Delayeds inside collections --------------------------------------------------------------
# `dask.compute([d1, d2])`, `dask.compute({'a': d})`: Dask computes the Delayeds inside lists,
# tuples and dicts (`traverse=True`) and gives the collection back with their values.


def _skein_collection(_skein_x):
    # A list, tuple or dict with Delayeds inside becomes one task that rebuilds it with their
    # values (the host puts dependencies' values in place, `host/`); anything else is as is.
    _skein_t = type(_skein_x)
    if _skein_t is not list and _skein_t is not tuple and _skein_t is not dict:
        return _skein_x
    _skein_stack = [_skein_x]
    while _skein_stack:
        _skein_v = _skein_stack.pop()
        _skein_t = type(_skein_v)
        if _skein_t is _skein_api_Delayed:
            _skein_materialize(_skein_x)
            return _skein_pending('_skein_apply_identity', (_skein_send_args(_skein_x, None, _SKEIN_ANY_DEPTH),), {}, 'finalize', _SKEIN_IMPURE)
        if _skein_t is list or _skein_t is tuple:
            _skein_stack.extend(_skein_v)
        elif _skein_t is dict:
            _skein_stack.extend(list(_skein_v.values()))
    return _skein_x
