

# --- del ------------------------------------------------------------------------------------
# Monty's parser has no `del` statement: a cell's `del o[k]` is `_skein_delitem(o, k)` (see
# `delete.rs`), with Python's errors.


def _skein_delitem(_skein_o, _skein_k):
    _skein_t = type(_skein_o)
    if _skein_t is dict:
        if _skein_k not in _skein_o:
            raise KeyError(_skein_k)
        _skein_o.pop(_skein_k)
    elif _skein_t is list:
        if type(_skein_k) is slice:
            _skein_drop = set(range(len(_skein_o))[_skein_k])
            _skein_kept = [_skein_x for _skein_i, _skein_x in enumerate(_skein_o) if _skein_i not in _skein_drop]
            _skein_o.clear()
            _skein_o.extend(_skein_kept)
        elif type(_skein_k) is not int and type(_skein_k) is not bool:
            raise TypeError('list indices must be integers or slices, not ' + type(_skein_k).__name__)
        elif _skein_k >= len(_skein_o) or _skein_k < -len(_skein_o):
            raise IndexError('list assignment index out of range')
        else:
            _skein_o.pop(_skein_k)
    elif _skein_t is not tuple and _skein_t is not str and hasattr(_skein_o, '__delitem__'):
        _skein_o.__delitem__(_skein_k)
    else:
        raise TypeError("'" + _skein_t.__name__ + "' object doesn't support item deletion")
