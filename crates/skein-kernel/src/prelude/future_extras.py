

# --- the rest of Dask's Future API ----------------------------------------------------------
# `Future.traceback()`, `Future.add_done_callback(fn)` and `as_completed(...).batches()`.
#
# Dask calls a done callback on a thread of its own as soon as the future finishes. Skein
# has one interpreter on the kernel thread and no event loop: a callback runs there, when
# the kernel next looks at its future: at `add_done_callback` if it is already done, after
# `wait`, and before and after every cell (`kernel.rs`, `_skein_sweep`).


class _SkeinTraceback:
    # Stands for the traceback object Dask returns: Monty cannot make one, and Skein's
    # worker traceback is the text the cell's error shows.
    def __init__(self, key):
        self._key = key

    def __repr__(self):
        return '<traceback object>'


def _skein_future_traceback(self, timeout=None):
    if self.exception() is None:
        return None
    return _SkeinTraceback(self._key)


# Futures with a callback still to run, and their callbacks (the sweep walks the futures).
_skein_callback_futures = []
_skein_callback_fns = []


def _skein_run_done_callbacks():
    _skein_i = 0
    while _skein_i < len(_skein_callback_futures):
        _skein_f = _skein_callback_futures[_skein_i]
        if not _skein_f.done():
            _skein_i += 1
            continue
        _skein_fn = _skein_callback_fns[_skein_i]
        _skein_callback_futures.pop(_skein_i)
        _skein_callback_fns.pop(_skein_i)
        # As in Dask, a failing callback does not fail the code that finished the future.
        try:
            _skein_fn(_skein_f)
        except Exception:
            pass


def _skein_future_add_done_callback(self, fn):
    _skein_callback_futures.append(self)
    _skein_callback_fns.append(fn)
    _skein_run_done_callbacks()


# `import traceback`: what Dask's docs do with `future.traceback()`.
_skein_traceback = _skein_module('traceback')


def _skein_format_tb(tb, limit=None):
    if type(tb) is not _SkeinTraceback:
        raise TypeError("Skein's traceback.format_tb takes what Future.traceback() returns")
    _skein_frames = _skein_traceback_frames(tb._key)
    return _skein_frames if limit is None else _skein_frames[:limit]


def _skein_print_tb(tb, limit=None, file=None):
    print(''.join(_skein_format_tb(tb, limit)), end='')


_skein_traceback.format_tb = _skein_format_tb
_skein_traceback.print_tb = _skein_print_tb

_skein_api_Future.traceback = _skein_future_traceback
_skein_api_Future.add_done_callback = _skein_future_add_done_callback

_skein_wait_for = wait


def wait(fs, timeout=None, return_when='ALL_COMPLETED'):
    _skein_done = _skein_wait_for(fs, timeout, return_when)
    _skein_run_done_callbacks()
    return _skein_done


_skein_api_wait = wait


_skein_distributed.wait = wait


def _skein_as_completed_batches(self):
    # Dask yields the futures finished since the last batch; here every remaining future is
    # waited for, so they come as one batch.
    _skein_batch = []
    while True:
        _skein_x = self._skein_next(None)
        if _skein_x is None:
            return [_skein_batch] if _skein_batch else []
        _skein_batch.append(_skein_x)


as_completed.batches = _skein_as_completed_batches
