

# --- the truth of a Delayed -----------------------------------------------------------------
# Dask raises TypeError for `bool(d)` and `if d:`. Monty does not call a class's `__bool__`, so
# a cell's `bool(…)` is `_skein_bool(…)` and its `if`/`while` tests are `_skein_truth(…)` (see
# `rewrite.rs`).


def _skein_truth(_skein_x):
    if type(_skein_x) is Delayed:
        raise TypeError('Truth of Delayed objects is not supported')
    return _skein_x


def _skein_bool(*_skein_x):
    if _skein_x:
        _skein_truth(_skein_x[0])
    return bool(*_skein_x)
