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
        return type(other) is Future and other._key == self._key

    def _skein_refresh(self):
        _skein_set_states([self])

    def __repr__(self):
        if self.status == 'finished':
            return '<Future: finished, type: ' + self._type + ', key: ' + self._key + '>'
        return '<Future: ' + self.status + ', key: ' + self._key + '>'


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
    _skein_priority = kwargs.pop('priority', 0)
    for _skein_k in ['workers', 'resources', 'allow_other_workers', 'fifo_timeout', 'actor', 'actors', 'batch_size']:
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
        return Future(_skein_k)

    def map(self, func, *iterables, **kwargs):
        _skein_pure, _skein_key, _skein_retries, _skein_priority = _skein_fn_kwargs(kwargs)
        _skein_lists = [list(_skein_iterable(_skein_it)) for _skein_it in iterables]
        func, _skein_lists, kwargs = _skein_unpartial_map(func, _skein_lists, kwargs)
        func, _skein_vals = _skein_send(func)
        _skein_pending = []
        _skein_lists = [_skein_send_args(_skein_l, _skein_vals, 1, _skein_pending) for _skein_l in _skein_lists]
        kwargs = _skein_send_args(kwargs, _skein_vals, 0, _skein_pending)
        _skein_materialize(_skein_pending)
        return [Future(_skein_k) for _skein_k in _skein_map(func, _skein_lists, kwargs, _skein_vals, _skein_pure == True, _skein_key, _skein_retries, _skein_priority)]

    def gather(self, futures, errors='raise', direct=None, asynchronous=None):
        if errors == 'skip' and type(futures) is list:
            # Dask leaves out the futures that failed.
            wait([_skein_f for _skein_f in futures if type(_skein_f) is Future])
            futures = [_skein_f for _skein_f in futures if type(_skein_f) is not Future or _skein_f.status == 'finished']
        if type(futures) is list:
            # A list of futures crosses as their keys (see `host/futures.rs`).
            _skein_keys = [_skein_f._key for _skein_f in futures if type(_skein_f) is Future]
            if len(_skein_keys) == len(futures):
                try:
                    return _skein_value(_skein_gather_keys(_skein_keys))
                finally:
                    _skein_set_states(futures, _skein_keys)
        try:
            return _skein_value(_skein_gather(futures))
        finally:
            _skein_refresh_futures(futures, 0)

    def compute(self, collections, sync=False, priority=0, **kwargs):
        if type(collections) is list or type(collections) is tuple:
            return [self.compute(_skein_c, sync, priority) for _skein_c in collections]
        if type(collections) is Delayed:
            _skein_materialize(collections)
            _skein_f = Future(_skein_future_of(collections, priority))
            return _skein_f.result() if sync else _skein_f
        return collections

    def persist(self, collections, priority=0, **kwargs):
        if type(collections) is list or type(collections) is tuple:
            return list(persist(*collections, priority=priority))
        return persist(collections, priority=priority)[0]

    def retry(self, futures, **kwargs):
        if type(futures) is Future:
            futures = [futures]
        for _skein_f in futures:
            _skein_f.retry()

    def cancel(self, futures, **kwargs):
        if type(futures) is Future:
            futures = [futures]
        _skein_cancel([_skein_f._key for _skein_f in futures])
        _skein_refresh_futures(futures, 0)

    def scatter(self, data, **kwargs):
        if type(data) is list:
            return [self.scatter(_skein_x) for _skein_x in data]
        return Future(_skein_scatter(data))

    def scheduler_info(self, **kwargs):
        # Dask's layout; the workers are the pool's threads, sharing the page's memory.
        _skein_n = _skein_workers()
        _skein_ws = {}
        for _skein_i in range(_skein_n):
            _skein_ws['skein://worker-' + str(_skein_i)] = {
                'type': 'Worker', 'id': _skein_i, 'name': _skein_i, 'host': 'skein', 'nthreads': 1,
                'memory_limit': 0, 'resources': {}, 'services': {}, 'status': 'running',
                'nanny': None, 'local_directory': '/', 'last_seen': _skein_std_time.time(), 'metrics': {}}
        return {'type': 'Scheduler', 'id': 'Scheduler-skein', 'address': 'skein://scheduler',
                'services': {}, 'started': _skein_std_time.time(), 'n_workers': _skein_n,
                'total_threads': _skein_n, 'total_memory': 0, 'workers': _skein_ws}

    def ncores(self):
        return {'worker-' + str(i): 1 for i in range(_skein_workers())}

    def nthreads(self):
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


def LocalCluster(n_workers=None, threads_per_worker=None, processes=None, **kwargs):
    return _SkeinCluster()


def wait(fs, timeout=None, return_when='ALL_COMPLETED'):
    if type(fs) is Future:
        fs = [fs]
    _skein_gather_quiet([_skein_f._key for _skein_f in fs])
    _skein_refresh_futures(fs, 0)
    return (set(fs), set())


def progress(*futures, **kwargs):
    _skein_keys = []
    for _skein_f in futures:
        if type(_skein_f) is list or type(_skein_f) is tuple:
            _skein_keys.extend([_skein_x._key for _skein_x in _skein_f])
        else:
            _skein_keys.append(_skein_f._key)
    _skein_progress(_skein_keys)


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


class _SkeinWorker:
    def __init__(self, index):
        self.id = 'worker-' + str(index)
        self.name = index
        self.address = 'skein://worker-' + str(index)

    def __repr__(self):
        return "<Worker '" + self.address + "', name: " + str(self.name) + '>'


def default_client(c=None):
    # The notebook's client: every `Client` here is a view of the same one.
    if c is not None:
        return c
    if _skein_config_values.get('scheduler') != 'dask.distributed':
        raise ValueError("No clients found\nStart a client and point it to the scheduler address\n  from distributed import Client\n  client = Client('ip-addr-of-scheduler:8786')\n")
    return Client()


def get_worker():
    _skein_index = _skein_worker_index()
    if _skein_index is None:
        raise ValueError('No worker found')
    return _SkeinWorker(_skein_index)


# --- concurrent.futures on the workers ------------------------------------------------------


class _SkeinExecutorFuture:
    def __init__(self, key):
        self._future = Future(key)

    def running(self):
        return _skein_states([self._future._key])[0][0] == 'pending'

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
        return [Future(_skein_k).result() for _skein_k in _skein_keys]

    def shutdown(self, wait=True, cancel_futures=False):
        if wait:
            _skein_gather_quiet([_skein_f._future._key for _skein_f in self._futures])

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.shutdown(True)


# --- the modules ----------------------------------------------------------------------------


_skein_dask = _skein_module('dask')
_skein_dask.delayed = delayed
_skein_dask.compute = compute
_skein_dask.persist = persist
_skein_dask.visualize = visualize
_skein_dask.__version__ = '2026.8.0'

_skein_distributed = _skein_module('dask.distributed')
for _skein_m in [_skein_distributed]:
    _skein_m.Client = Client
    _skein_m.LocalCluster = LocalCluster
    _skein_m.Future = Future
    _skein_m.progress = progress
    _skein_m.wait = wait
    _skein_m.fire_and_forget = fire_and_forget
    _skein_m.get_worker = get_worker
    _skein_m.get_task_stream = get_task_stream
    _skein_m.default_client = default_client
_skein_modules['distributed'] = _skein_distributed
_skein_dask.distributed = _skein_distributed

_skein_delayed_module = _skein_module('dask.delayed')
_skein_delayed_module.delayed = delayed
_skein_delayed_module.Delayed = Delayed

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
_skein_classes['Future'] = lambda: Future(None)
_skein_classes['Delayed'] = lambda: Delayed(None)
