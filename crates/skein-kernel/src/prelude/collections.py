

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
        if _skein_t is Delayed:
            _skein_materialize(_skein_x)
            return _skein_pending('_skein_apply_identity', (_skein_deep_refs(_skein_x),), {}, 'finalize', _SKEIN_IMPURE)
        if _skein_t is list or _skein_t is tuple:
            _skein_stack.extend(_skein_v)
        elif _skein_t is dict:
            _skein_stack.extend(list(_skein_v.values()))
    return _skein_x


def _skein_deep_refs(_skein_x):
    # `_skein_send_args`' Delayed-to-`_SkeinRef` at any depth: the host finds a dependency
    # however deep it is (a finalize task has no function to send).
    _skein_t = type(_skein_x)
    if _skein_t is Delayed:
        return _SkeinRef(_skein_x._key)
    if _skein_t is list:
        return [_skein_deep_refs(_skein_v) for _skein_v in _skein_x]
    if _skein_t is tuple:
        return tuple([_skein_deep_refs(_skein_v) for _skein_v in _skein_x])
    if _skein_t is dict:
        return {_skein_k: _skein_deep_refs(_skein_v) for _skein_k, _skein_v in _skein_x.items()}
    return _skein_x
