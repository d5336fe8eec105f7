

# --- dask.diagnostics -------------------------------------------------------------------------
# The local scheduler's `ProgressBar` and `Profiler`. Dask's watch only its local schedulers:
# while a distributed `Client` is the default scheduler they see nothing (its dashboard
# watches instead), so here they report on a compute made without one, or with
# `scheduler='threads'` (or `'sync'`, `'processes'`) asked for.

_skein_diagnostics = []


def _skein_local_diagnostics(_skein_kwargs):
    _skein_scheduler = _skein_kwargs.get('scheduler', _skein_config_values.get('scheduler'))
    if not _skein_diagnostics or _skein_scheduler == 'dask.distributed':
        return []
    return list(_skein_diagnostics)


def _skein_format_time(n):
    # Dask's `format_time`.
    if n > 24 * 60 * 60 * 2:
        _skein_d = int(n / 3600 / 24)
        return str(_skein_d) + 'd ' + str(int((n - _skein_d * 3600 * 24) / 3600)) + 'hr'
    if n > 60 * 60 * 2:
        _skein_h = int(n / 3600)
        return str(_skein_h) + 'hr ' + str(int((n - _skein_h * 3600) / 60)) + 'm'
    if n > 60 * 10:
        _skein_m = int(n / 60)
        return str(_skein_m) + 'm ' + str(int(n - _skein_m * 60)) + 's'
    if n >= 1:
        return '%.2f s' % n
    if n >= 0.001:
        return '%.2f ms' % (n * 1000.0)
    return '%.2f us' % (n * 1000000.0)


# What both diagnostics do as context managers and registered watchers (Monty has no
# inheritance, so each class takes these as its methods).
def _skein_diag_register(self):
    _skein_diagnostics.append(self)


def _skein_diag_unregister(self):
    if self in _skein_diagnostics:
        _skein_diagnostics.remove(self)


def _skein_diag_enter(self):
    _skein_diag_register(self)
    return self


def _skein_diag_exit(self, *exc):
    _skein_diag_unregister(self)
    return False


class ProgressBar:
    register = _skein_diag_register
    unregister = _skein_diag_unregister
    __enter__ = _skein_diag_enter
    __exit__ = _skein_diag_exit

    def __init__(self, minimum=0, width=40, dt=0.1, out=None):
        self._minimum = minimum
        self._width = width
        self.last_duration = 0

    def _skein_start(self):
        self._skein_began = _skein_time.perf_counter()

    def _skein_finish(self, errored):
        # Dask redraws the bar every `dt` from a thread; the last drawing is what stays.
        _skein_elapsed = _skein_time.perf_counter() - self._skein_began
        self.last_duration = _skein_elapsed
        if _skein_elapsed < self._minimum or errored:
            return
        print('[' + '#' * self._width + '] | 100% Completed | ' + _skein_format_time(_skein_elapsed))


class TaskData:
    # One task a `Profiler` saw (Dask's namedtuple, with `task` unknown here).
    _fields = ('key', 'task', 'start_time', 'end_time', 'worker_id')

    def __init__(self, key, task, start_time, end_time, worker_id):
        self.key = key
        self.task = task
        self.start_time = start_time
        self.end_time = end_time
        self.worker_id = worker_id

    def __repr__(self):
        return 'TaskData(key=' + repr(self.key) + ', task=' + repr(self.task) + ', start_time=' + repr(self.start_time) + ', end_time=' + repr(self.end_time) + ', worker_id=' + repr(self.worker_id) + ')'


_skein_api_TaskData = TaskData


class Profiler:
    register = _skein_diag_register
    unregister = _skein_diag_unregister
    __exit__ = _skein_diag_exit

    def __init__(self):
        self.results = []
        self._skein_recording = None

    def __enter__(self):
        # Dask starts each `with` block with an empty profile.
        self.results = []
        return _skein_diag_enter(self)

    def clear(self):
        self.results = []

    def _skein_start(self):
        self._skein_recording = _skein_task_stream_start()

    def _skein_finish(self, errored):
        for _skein_r in _skein_task_stream_stop(self._skein_recording):
            _skein_span = _skein_r['startstops'][0]
            self.results.append(_skein_api_TaskData(_skein_r['key'], None, _skein_span['start'], _skein_span['stop'], _skein_r['thread']))


_skein_diag = _skein_module('dask.diagnostics')
_skein_diag.ProgressBar = ProgressBar
_skein_diag.Profiler = Profiler
_skein_dask.diagnostics = _skein_diag
