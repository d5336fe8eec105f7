# Dask's distributed scheduler as Skein offers it: `Future`, `Client` and `LocalCluster`,
# `wait`/`progress`/`fire_and_forget`, `get_worker`, `concurrent.futures` on the workers, and
# the module objects (`dask`, `dask.distributed`, `dask.delayed`, `concurrent.futures`,
# `skein.labs`) that bind the Dask names. Loaded after `dask_delayed.py`.


# --- futures --------------------------------------------------------------------------------


# What `Future.retry()` submits again, by key: `(func, args, kwargs, captured values, pure,
# retries)`, kept by `submit`. Not an attribute of the Future, whose attributes cross to the
# host with it (a chain of submits would carry every earlier call); the sweep drops the
# entries of keys nothing holds (`memory.py`).
_skein_retry_calls = {}


class Future:
    # Monty has no properties: `status` is refreshed by every look at the future. Until the
    # first, the class's defaults answer (a `map` makes thousands of futures at once).
    status = 'pending'
    _type = 'NoneType'

    def __init__(self, key):
        self._key = key
        self.key = key

    def result(self, timeout=None):
        try:
            return _skein_value(_skein_result(self._key))
        finally:
            self._skein_refresh()

    def done(self):
        self._skein_refresh()
        return self.status != 'pending'

    def cancelled(self):
        self._skein_refresh()
        return self.status == 'cancelled'

    def exception(self, timeout=None):
        try:
            return _skein_exception(self._key)
        finally:
            self._skein_refresh()

    def cancel(self, **kwargs):
        _skein_cancel([self._key])
        self._skein_refresh()

    def release(self):
        # Dask drops the client's hold on the result; here the sweep after the cell does it
        # once no name reaches this future.
        pass

    def retry(self, **kwargs):
        # Dask reruns a failed future's task under the same key; other futures stay as they are.
        self._skein_refresh()
        _skein_c = _skein_retry_calls.get(self._key)
        if self.status != 'error' or _skein_c is None:
            return
        _skein_forget(self._key)
        _skein_submit(_skein_c[0], _skein_c[1], _skein_c[2], _skein_c[3], _skein_c[4], self._key, _skein_c[5], _skein_c[6])
        self._skein_refresh()

    def __hash__(self):
        return hash(self._key)

    def __eq__(self, other):
        return type(other) is _skein_api_Future and other._key == self._key

    def _skein_refresh(self):
        _skein_set_states([self])

    def __repr__(self):
        if self.status == 'finished':
            return ('<Future: finished, type: ' + _skein_dask_typename(self._type) + ', key: '
                    + self._key + '>')
        return '<Future: ' + self.status + ', key: ' + self._key + '>'


_skein_api_Future = Future

# Dask's `typename` of a result's type, from the type's name: a builtin's as it is, a module's
# class by its module's name, a cell's class under `__main__`.
_SKEIN_BUILTIN_TYPE_NAMES = {'int', 'float', 'complex', 'str', 'bytes', 'bytearray', 'bool',
                             'NoneType', 'list', 'tuple', 'dict', 'set', 'frozenset', 'range'}
_SKEIN_MODULE_TYPE_NAMES = {'ndarray': 'numpy.ndarray', 'DataFrame': 'pandas.DataFrame',
                            'Series': 'pandas.Series', 'Index': 'pandas.Index',
                            'Delayed': 'dask.delayed.Delayed', 'Bag': 'dask.bag.core.Bag',
                            'datetime': 'datetime.datetime', 'date': 'datetime.date',
                            'time': 'datetime.time', 'timedelta': 'datetime.timedelta'}


def _skein_dask_typename(_skein_name):
    if _skein_name in _SKEIN_BUILTIN_TYPE_NAMES:
        return _skein_name
    return _SKEIN_MODULE_TYPE_NAMES.get(_skein_name, '__main__.' + _skein_name)


class _SkeinCluster:
    def __init__(self):
        self._workers = _skein_workers()

    def scale(self, n=None, **kwargs):
        _skein_scale(n)

    def start_worker(self, *args, **kwargs):
        _skein_scale(_skein_workers() + 1)

    def workers(self):
        return {i: 'worker-' + str(i) for i in range(_skein_workers())}

    def _skein_refresh(self):
        self._workers = _skein_workers()

    def __repr__(self):
        return 'LocalCluster(workers=' + str(self._workers) + ')'


def _skein_fn_kwargs(kwargs):
    # Dask's scheduling options: placement has no meaning on one machine's threads.
    if not kwargs:
        return True, None, 0, 0
    _skein_pure = kwargs.pop('pure', True)
    _skein_key = kwargs.pop('key', None)
    _skein_retries = kwargs.pop('retries', None) or 0
    _skein_priority = _skein_queueing(kwargs.pop('priority', 0), kwargs.pop('fifo_timeout', None))
    for _skein_k in ['workers', 'resources', 'allow_other_workers', 'actor', 'actors', 'batch_size']:
        kwargs.pop(_skein_k, None)
    return _skein_pure, _skein_key, _skein_retries, _skein_priority


class Client:
    def __init__(self, address=None, n_workers=None, threads_per_worker=None, processes=None, **kwargs):
        self.cluster = _SkeinCluster()
        self.dashboard_link = 'skein://dashboard'
        self._workers = _skein_workers()
        # As Dask's Client does: the default scheduler becomes the cluster's.
        _skein_config_values['scheduler'] = 'dask.distributed'

    def submit(self, func, *args, **kwargs):
        _skein_pure, _skein_key, _skein_retries, _skein_priority = _skein_fn_kwargs(kwargs)
        func, args, kwargs = _skein_unpartial(func, args, kwargs)
        func, _skein_vals = _skein_send(func)
        _skein_pending = []
        args = _skein_send_args(args, _skein_vals, 0, _skein_pending)
        kwargs = _skein_send_args(kwargs, _skein_vals, 0, _skein_pending)
        _skein_materialize(_skein_pending)
        _skein_k = _skein_submit(func, args, kwargs, _skein_vals, _skein_pure == True, _skein_key, _skein_retries, _skein_priority)
        _skein_retry_calls[_skein_k] = (func, args, kwargs, _skein_vals, _skein_pure == True, _skein_retries, _skein_priority)
        return _skein_api_Future(_skein_k)

    def map(self, func, *iterables, **kwargs):
        _skein_pure, _skein_key, _skein_retries, _skein_priority = _skein_fn_kwargs(kwargs)
        _skein_lists = [list(_skein_iterable(_skein_it)) for _skein_it in iterables]
        func, _skein_lists, kwargs = _skein_unpartial_map(func, _skein_lists, kwargs)
        func, _skein_vals = _skein_send(func)
        _skein_pending = []
        _skein_lists = [_skein_send_args(_skein_l, _skein_vals, 1, _skein_pending) for _skein_l in _skein_lists]
        kwargs = _skein_send_args(kwargs, _skein_vals, 0, _skein_pending)
        _skein_materialize(_skein_pending)
        return [_skein_api_Future(_skein_k) for _skein_k in _skein_map(func, _skein_lists, kwargs, _skein_vals, _skein_pure == True, _skein_key, _skein_retries, _skein_priority)]

    def gather(self, futures, errors='raise', direct=None, asynchronous=None):
        if errors == 'skip' and type(futures) is list:
            # Dask leaves out the futures that failed.
            _skein_api_wait([_skein_f for _skein_f in futures if type(_skein_f) is _skein_api_Future])
            futures = [_skein_f for _skein_f in futures if type(_skein_f) is not _skein_api_Future or _skein_f.status == 'finished']
        if type(futures) is list:
            # A list of futures crosses as their keys (see `host/futures.rs`).
            _skein_keys = [_skein_f._key for _skein_f in futures if type(_skein_f) is _skein_api_Future]
            if len(_skein_keys) == len(futures):
                try:
                    _skein_answer = _skein_gather_keys(_skein_keys)
                    _skein_values = _skein_value(_skein_answer)
                except BaseException:
                    _skein_set_states(futures, _skein_keys)
                    raise
                # Gathered means finished, with these results: the states need no host call.
                # (`zip`, not indexing: in Monty a loop over indices costs twice as much.)
                _skein_type = _skein_answer[2]
                if _skein_type is None:
                    for _skein_f, _skein_v in zip(futures, _skein_values):
                        _skein_f.status = 'finished'
                        _skein_f._type = type(_skein_v).__name__
                else:
                    _skein_mark_all(futures, 'finished', _skein_type)
                return _skein_values
        try:
            return _skein_value(_skein_gather(futures))
        finally:
            _skein_refresh_futures(futures, 0)

    def compute(self, collections, sync=False, priority=0, fifo_timeout=None, **kwargs):
        if type(collections) is list or type(collections) is tuple:
            return [self.compute(_skein_c, sync, priority, fifo_timeout) for _skein_c in collections]
        if type(collections) is _skein_api_Delayed:
            _skein_materialize(collections)
            _skein_f = _skein_api_Future(_skein_future_of(collections, _skein_queueing(priority, fifo_timeout)))
            return _skein_f.result() if sync else _skein_f
        return collections

    def persist(self, collections, priority=0, fifo_timeout=None, **kwargs):
        if type(collections) is list or type(collections) is tuple:
            return list(_skein_api_persist(*collections, priority=priority, fifo_timeout=fifo_timeout))
        return _skein_api_persist(collections, priority=priority, fifo_timeout=fifo_timeout)[0]

    def retry(self, futures, **kwargs):
        if type(futures) is _skein_api_Future:
            futures = [futures]
        for _skein_f in futures:
            _skein_f.retry()

    def cancel(self, futures, **kwargs):
        if type(futures) is _skein_api_Future:
            futures = [futures]
        _skein_cancel([_skein_f._key for _skein_f in futures])
        _skein_refresh_futures(futures, 0)

    def scatter(self, data, **kwargs):
        if type(data) is list:
            return [self.scatter(_skein_x) for _skein_x in data]
        return _skein_api_Future(_skein_scatter(data))

    def who_has(self, futures=None, **kwargs):
        # Dask's: the workers holding each key in memory. Every worker reads the one memory,
        # so a key is shown where it was computed, as Dask's threads-only cluster shows it.
        if futures is None:
            _skein_keys = _skein_memory_keys()
        else:
            _skein_keys = [_skein_f.key for _skein_f in _skein_api_futures_of(futures)]
        _skein_where = _skein_placement(_skein_keys)
        return {_skein_k: (() if _skein_w is None else (_skein_worker_address(_skein_w),))
                for _skein_k, _skein_w in zip(_skein_keys, _skein_where)}

    def has_what(self, workers=None, **kwargs):
        # Dask's: the keys each worker holds, every worker listed.
        _skein_held = {_skein_a: [] for _skein_a in self.nthreads()}
        for _skein_k, _skein_ws in self.who_has().items():
            for _skein_a in _skein_ws:
                _skein_held[_skein_a].append(_skein_k)
        return {_skein_a: tuple(_skein_ks) for _skein_a, _skein_ks in _skein_held.items()
                if workers is None or _skein_a in workers}

    def run(self, function, *args, **kwargs):
        # Dask calls `function` once on each worker and returns the results by worker. Skein's
        # workers share one memory and start from one interpreter snapshot, so nothing of a
        # worker's own can differ: each call runs as a task of its own, on whichever worker is
        # free, and the results are listed by the workers in order.
        for _skein_k in ['workers', 'wait', 'nanny', 'on_error']:
            kwargs.pop(_skein_k, None)
        _skein_addresses = list(self.nthreads())
        _skein_fs = [self.submit(function, *args, pure=False, **kwargs) for _skein_a in _skein_addresses]
        return dict(zip(_skein_addresses, self.gather(_skein_fs)))

    def scheduler_info(self, **kwargs):
        # Dask's layout; the workers are the pool's threads, sharing the page's memory.
        _skein_n = _skein_workers()
        _skein_ws = {}
        for _skein_i in range(_skein_n):
            _skein_ws[_skein_worker_address(_skein_i)] = {
                'type': 'Worker', 'id': _skein_i, 'name': _skein_i, 'host': 'skein', 'nthreads': 1,
                'memory_limit': 0, 'resources': {}, 'services': {}, 'status': 'running',
                'nanny': None, 'local_directory': '/', 'last_seen': _skein_std_time.time(), 'metrics': {}}
        return {'type': 'Scheduler', 'id': 'Scheduler-skein', 'address': 'skein://scheduler',
                'services': {}, 'started': _skein_std_time.time(), 'n_workers': _skein_n,
                'total_threads': _skein_n, 'total_memory': 0, 'workers': _skein_ws}

    def ncores(self, workers=None):
        return {_skein_worker_address(i): 1 for i in range(_skein_workers())}

    def nthreads(self, workers=None):
        return self.ncores()

    def close(self, **kwargs):
        # As Dask's: the default scheduler is local again.
        if _skein_config_values.get('scheduler') == 'dask.distributed':
            _skein_config_values.pop('scheduler')

    def restart(self, timeout=None, wait_for_workers=True):
        # Dask restarts its workers: every future is cancelled, the notebook's names stay.
        _skein_restart()

    def shutdown(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()

    def _skein_refresh(self):
        self._workers = _skein_workers()

    def __repr__(self):
        return '<Client: scheduler=skein, workers=' + str(self._workers) + ', threads=' + str(self._workers) + '>'


_skein_api_Client = Client


def _skein_worker_address(_skein_i):
    return 'skein://worker-' + str(_skein_i)


def LocalCluster(n_workers=None, threads_per_worker=None, processes=None, **kwargs):
    return _SkeinCluster()


def wait(fs, timeout=None, return_when='ALL_COMPLETED'):
    if type(fs) is _skein_api_Future:
        fs = [fs]
    _skein_gather_quiet([_skein_f._key for _skein_f in fs])
    _skein_refresh_futures(fs, 0)
    return (set(fs), set())


_skein_api_wait = wait


def progress(*futures, **kwargs):
    _skein_keys = []
    for _skein_f in futures:
        if type(_skein_f) is list or type(_skein_f) is tuple:
            _skein_keys.extend([_skein_x._key for _skein_x in _skein_f])
        else:
            _skein_keys.append(_skein_f._key)
    _skein_progress(_skein_keys)


def futures_of(o, client=None):
    # Dask's walk: the futures inside lists, tuples, sets and dicts and behind Delayeds (a
    # persisted one's own, those its tasks take) and bags, each once, in Dask's order.
    _skein_stack = [o]
    _skein_seen = set()
    _skein_found = []
    while _skein_stack:
        _skein_x = _skein_stack.pop()
        _skein_t = type(_skein_x)
        if _skein_t is list or _skein_t is tuple or _skein_t is set:
            _skein_stack.extend(_skein_x)
        elif _skein_t is dict:
            _skein_stack.extend(_skein_x.values())
        elif _skein_t is _skein_api_Future:
            if _skein_x.key not in _skein_seen:
                _skein_seen.add(_skein_x.key)
                _skein_found.append(_skein_x)
        elif _skein_t is _skein_api_Delayed:
            _skein_materialize((_skein_x,))
            _skein_stack.extend([_skein_api_Future(_skein_k) for _skein_k in _skein_futures_of([_skein_x])])
        elif _skein_t is _skein_api_Bag:
            _skein_stack.extend(_skein_x._partitions)
    return _skein_found[::-1]


_skein_api_futures_of = futures_of


def fire_and_forget(futures):
    pass


class get_task_stream:
    # Records the tasks that run inside the `with` block: `ts.data`, one dict a task, as
    # Dask's (times in seconds of the page's clock; no Bokeh plot).
    def __init__(self, client=None, plot=False, filename='task-stream.html'):
        self.data = []
        self._id = None

    def __enter__(self):
        self._id = _skein_task_stream_start()
        return self

    def __exit__(self, *exc):
        self.data.extend(_skein_task_stream_stop(self._id))
        return False


class performance_report:
    # Dask's: a `with` block's tasks summed up in one HTML file (Skein's page: totals, the
    # task stream by worker, a line per task group), offered as a download.
    def __init__(self, filename='dask-report.html', stacklevel=1, mode=None, storage_options=None):
        self.filename = filename
        self._id = None

    def __enter__(self):
        self._id = _skein_task_stream_start()
        return self

    def __exit__(self, *exc):
        _skein_performance_report(self._id, self.filename)
        return False


class _SkeinWorker:
    def __init__(self, index):
        self.id = 'worker-' + str(index)
        self.name = index
        self.address = _skein_worker_address(index)

    def __repr__(self):
        return "<Worker '" + self.address + "', name: " + str(self.name) + '>'


def default_client(c=None):
    # The notebook's client: every `Client` here is a view of the same one.
    if c is not None:
        return c
    if _skein_config_values.get('scheduler') != 'dask.distributed':
        raise ValueError("No clients found\nStart a client and point it to the scheduler address\n  from distributed import Client\n  client = Client('ip-addr-of-scheduler:8786')\n")
    return _skein_api_Client()


def get_worker():
    _skein_index = _skein_worker_index()
    if _skein_index is None:
        raise ValueError('No worker found')
    return _SkeinWorker(_skein_index)


# --- concurrent.futures on the workers ------------------------------------------------------


class _SkeinExecutorFuture:
    def __init__(self, key):
        self._future = _skein_api_Future(key)

    def running(self):
        self._future._skein_refresh()
        return self._future.status == 'pending'

    def done(self):
        return self._future.done()

    def result(self, timeout=None):
        return self._future.result()

    def cancel(self):
        self._future.cancel()
        return True

    def _skein_refresh(self):
        self._future._skein_refresh()

    def __repr__(self):
        _skein_s = self._future.status
        _skein_addr = ' at 0x' + self._future._key[-12:]
        if _skein_s == 'pending':
            return '<Future' + _skein_addr + ' state=running>'
        if _skein_s == 'finished':
            return '<Future' + _skein_addr + ' state=finished returned ' + self._future._type + '>'
        return '<Future' + _skein_addr + ' state=' + _skein_s + '>'


# Above any `priority=` a notebook gives (the engine keeps 16 bits).
_SKEIN_EXECUTOR_PRIORITY = 32767


class ThreadPoolExecutor:
    def __init__(self, max_workers=None, thread_name_prefix='', **kwargs):
        self._futures = []

    def submit(self, fn, *args, **kwargs):
        fn, args, kwargs = _skein_unpartial(fn, args, kwargs)
        fn, _skein_vals = _skein_send(fn)
        # CPython runs it on a thread of its own at once: here it goes before every queued
        # task, so it never waits behind a `persist` still running.
        _skein_f = _SkeinExecutorFuture(_skein_submit(fn, args, kwargs, _skein_vals, False, None, 0, _SKEIN_EXECUTOR_PRIORITY))
        self._futures.append(_skein_f)
        return _skein_f

    def map(self, fn, *iterables, **kwargs):
        _skein_lists = [list(_skein_iterable(_skein_it)) for _skein_it in iterables]
        fn, _skein_lists, _skein_kw = _skein_unpartial_map(fn, _skein_lists, {})
        fn, _skein_vals = _skein_send(fn)
        _skein_keys = _skein_map(fn, _skein_lists, _skein_kw, _skein_vals, False, None, 0, _SKEIN_EXECUTOR_PRIORITY)
        return [_skein_api_Future(_skein_k).result() for _skein_k in _skein_keys]

    def shutdown(self, wait=True, cancel_futures=False):
        if wait:
            _skein_gather_quiet([_skein_f._future._key for _skein_f in self._futures])

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.shutdown(True)


# --- the modules ----------------------------------------------------------------------------


def tokenize(*args, **kwargs):
    # Dask's: the same token for equal arguments. For plain values (numbers, strings, bytes,
    # None, and tuples and lists of them) Dask's own digits; for anything else core's hash.
    kwargs.pop('ensure_deterministic', None)
    _skein_t = _skein_dask_token(args, kwargs)
    if _skein_t is not None:
        return _skein_t
    return _skein_call_key('tokenize', 'tokenize', args, kwargs).split('-')[-1]


import hashlib as _skein_hashlib
_SKEIN_PLAIN_TYPES = (int, float, str, bool, bytes, type(None))


def _skein_dask_normal(_skein_x):
    # Dask's `normalize_token` of a plain value, or the marker `_skein_dask_normal` itself for
    # anything else.
    _skein_t = type(_skein_x)
    if _skein_t in _SKEIN_PLAIN_TYPES:
        return _skein_x
    if _skein_t is tuple or _skein_t is list:
        _skein_items = []
        for _skein_v in _skein_x:
            _skein_n = _skein_dask_normal(_skein_v)
            if _skein_n is _skein_dask_normal:
                return _skein_dask_normal
            _skein_items.append(_skein_n)
        return (_skein_t.__name__, tuple(_skein_items))
    return _skein_dask_normal


def _skein_dask_token(args, kwargs):
    # Dask's `tokenize(*args, **kwargs)` (the md5 of the normalized arguments' `str`) when
    # every argument is a plain value, else None.
    _skein_n = _skein_dask_normal(tuple(args))
    if _skein_n is _skein_dask_normal:
        return None
    _skein_token = _skein_n[1]
    if kwargs:
        _skein_kw = _skein_dask_normal(sorted(kwargs.items()))
        if _skein_kw is _skein_dask_normal:
            return None
        _skein_token = (_skein_token, _skein_kw[1])
    return _skein_hashlib.md5(str(_skein_token).encode()).hexdigest()


def optimize(*args, **kwargs):
    # Dask's graph optimizations (culling, fusing) change no result; Skein's graphs stay as
    # built, so each collection comes back as it went in.
    return tuple(args)


def is_dask_collection(x):
    return type(x) is _skein_api_Delayed or type(x) is _skein_api_Bag


_skein_dask = _skein_module('dask')
_skein_dask_base = _skein_module('dask.base')
for _skein_m in [_skein_dask, _skein_dask_base]:
    _skein_m.delayed = delayed
    _skein_m.compute = compute
    _skein_m.persist = persist
    _skein_m.visualize = visualize
    _skein_m.optimize = optimize
    _skein_m.tokenize = tokenize
    _skein_m.is_dask_collection = is_dask_collection
_skein_dask.base = _skein_dask_base
_skein_dask.__version__ = '2026.8.0'

_skein_distributed = _skein_module('dask.distributed')
for _skein_m in [_skein_distributed]:
    _skein_m.Client = Client
    _skein_m.LocalCluster = LocalCluster
    _skein_m.Future = _skein_api_Future
    _skein_m.progress = progress
    _skein_m.wait = wait
    _skein_m.fire_and_forget = fire_and_forget
    _skein_m.futures_of = futures_of
    _skein_m.get_worker = get_worker
    _skein_m.get_task_stream = get_task_stream
    _skein_m.performance_report = performance_report
    _skein_m.default_client = default_client
_skein_modules['distributed'] = _skein_distributed
_skein_dask.distributed = _skein_distributed

_skein_delayed_module = _skein_module('dask.delayed')
_skein_delayed_module.delayed = delayed
_skein_delayed_module.Delayed = _skein_api_Delayed

_skein_concurrent = _skein_module('concurrent')
_skein_cf = _skein_module('concurrent.futures')
_skein_cf.ThreadPoolExecutor = ThreadPoolExecutor
_skein_concurrent.futures = _skein_cf

_skein_skein = _skein_module('skein')
_skein_labs = _skein_module('skein.labs')
_skein_skein.labs = _skein_labs
# SKEIN-LABS



# Objects of these classes can travel to a worker as a captured global or an argument.
_skein_classes['Client'] = Client
_skein_classes['_SkeinCluster'] = _SkeinCluster
_skein_classes['Future'] = lambda: _skein_api_Future(None)
_skein_classes['Delayed'] = lambda: _skein_api_Delayed(None)
