

# --- coordination primitives -------------------------------------------------------------------
# Dask's `Variable`, `Queue`, `Lock`, `Semaphore` and `Event`: named, so a task that makes
# one by the same name (or receives the notebook's) shares it. Their state is the host's
# (`host/coordination.rs`); a future put in a variable or a queue keeps its result while it
# is held there, as in Dask.


def _skein_primitive_name(prefix, name):
    if name is None:
        return prefix + '-' + _skein_random_hex()
    return name


def _skein_random_hex():
    return ''.join(['0123456789abcdef'[_skein_random.randint(0, 15)] for _skein_i in range(32)])


_SKEIN_TIME_UNITS = {'us': 1e-06, 'ms': 0.001, 's': 1, 'm': 60, 'h': 3600, 'd': 86400}


def _skein_seconds(timeout):
    # Dask's timeouts: seconds, or a string such as '500ms' or '2 s' (`parse_timedelta`).
    if timeout is None or type(timeout) is int or type(timeout) is float:
        return timeout
    _skein_text = str(timeout).replace(' ', '').lower()
    _skein_i = 0
    while _skein_i < len(_skein_text) and (_skein_text[_skein_i].isdigit() or _skein_text[_skein_i] == '.'):
        _skein_i += 1
    _skein_unit = _skein_text[_skein_i:] or 's'
    for _skein_long, _skein_short in (('seconds', 's'), ('second', 's'), ('minutes', 'm'), ('hours', 'h'), ('milliseconds', 'ms')):
        if _skein_unit == _skein_long:
            _skein_unit = _skein_short
    if _skein_i == 0 or _skein_unit not in _SKEIN_TIME_UNITS:
        raise ValueError('Could not interpret ' + repr(timeout) + ' as a time')
    return float(_skein_text[:_skein_i]) * _SKEIN_TIME_UNITS[_skein_unit]


def _skein_object_repr(path):
    # Dask's primitives keep `object`'s repr.
    def __repr__(self):
        return '<' + path + ' object at ' + hex(id(self)) + '>'
    return __repr__


class Variable:
    __repr__ = _skein_object_repr('distributed.variable.Variable')

    def __init__(self, name=None, client=None):
        self.name = _skein_primitive_name('variable', name)

    def set(self, value, timeout='30 s', **kwargs):
        _skein_variable_set(self.name, value)

    def get(self, timeout=None, **kwargs):
        return _skein_value(_skein_variable_get(self.name, _skein_seconds(timeout)))

    def delete(self):
        _skein_variable_delete(self.name)


_skein_api_Variable = Variable


class Queue:
    __repr__ = _skein_object_repr('distributed.queues.Queue')

    def __init__(self, name=None, client=None, maxsize=0):
        self.name = _skein_primitive_name('queue', name)

    def put(self, value, timeout=None, **kwargs):
        _skein_queue_put(self.name, value)

    def get(self, timeout=None, batch=False, **kwargs):
        _skein_got = _skein_queue_get(self.name, _skein_seconds(timeout), batch)
        if batch is False:
            return _skein_value(_skein_got)
        return [_skein_value(_skein_x) for _skein_x in _skein_got]

    def qsize(self, **kwargs):
        return _skein_queue_qsize(self.name)


_skein_api_Queue = Queue


# `with` a lock or a semaphore: a lease for the block.
def _skein_lease_enter(self):
    self.acquire()
    return self


def _skein_lease_exit(self, *exc):
    self.release()
    return False


class Semaphore:
    __repr__ = _skein_object_repr('distributed.semaphore.Semaphore')

    def __init__(self, max_leases=1, name=None, scheduler_rpc=None, loop=None):
        self.name = _skein_primitive_name('semaphore', name)
        self.max_leases = max_leases

    def acquire(self, timeout=None):
        return _skein_lease_acquire(self.name, self.max_leases, _skein_seconds(timeout))

    def release(self):
        _skein_lease_release(self.name)
        return True

    def get_value(self):
        return _skein_lease_count(self.name)

    __enter__ = _skein_lease_enter
    __exit__ = _skein_lease_exit


_skein_api_Semaphore = Semaphore


# Dask's `Lock` is a `Semaphore` of one lease.
class Lock:
    __repr__ = _skein_object_repr('distributed.lock.Lock')

    def __init__(self, name=None, client=None, scheduler_rpc=None, loop=None):
        self.name = _skein_primitive_name('lock', name)

    def acquire(self, blocking=True, timeout=None):
        if not blocking:
            if timeout is not None:
                raise ValueError("can't specify a timeout for a non-blocking call")
            timeout = 0
        return _skein_lease_acquire(self.name, 1, _skein_seconds(timeout))

    def release(self):
        _skein_lease_release(self.name)

    def locked(self):
        return _skein_lease_count(self.name) > 0

    __enter__ = _skein_lease_enter
    __exit__ = _skein_lease_exit


_skein_api_Lock = Lock


class Event:
    __repr__ = _skein_object_repr('distributed.event.Event')

    def __init__(self, name=None, client=None):
        self.name = _skein_primitive_name('event', name)

    def set(self):
        _skein_event_set(self.name, True)

    def clear(self):
        _skein_event_set(self.name, False)

    def is_set(self):
        return _skein_event_wait(self.name, 0)

    def wait(self, timeout=None):
        return _skein_event_wait(self.name, _skein_seconds(timeout))


_skein_api_Event = Event


# --- published datasets: `Client.publish_dataset` and `client.datasets` ---------------------


def _skein_publish_dataset(self, *args, **kwargs):
    # Dask's signature: `publish_dataset(*args, name=None, override=False, **kwargs)`, a
    # positional value taking `name`, each keyword a dataset of its own.
    _skein_name = kwargs.pop('name', None)
    _skein_override = kwargs.pop('override', False)
    if args:
        if _skein_name is None:
            raise ValueError('If name is provided, expecting call signature like publish_dataset(df, name="ds")')
        kwargs[_skein_name] = args[0]
    for _skein_k, _skein_v in kwargs.items():
        _skein_dataset_publish(_skein_k, _skein_v, _skein_override)


def _skein_get_dataset(self, name, default=_skein_no_default, **kwargs):
    _skein_got = _skein_dataset_get(name)
    if _skein_got is None:
        if type(default) is _SkeinNoDefault:
            raise KeyError("Dataset '" + name + "' not found")
        return default
    return _skein_value(_skein_got)


def _skein_list_datasets(self, **kwargs):
    return tuple(_skein_dataset_list())


def _skein_unpublish_dataset(self, name, **kwargs):
    _skein_dataset_unpublish(name)


class _SkeinDatasets:
    # `client.datasets`: the published datasets as a mapping (Dask's `Datasets`).
    def __getitem__(self, name):
        return _skein_get_dataset(None, name)

    def __setitem__(self, name, value):
        _skein_dataset_publish(name, value, True)

    def __delitem__(self, name):
        _skein_dataset_unpublish(name)

    def __contains__(self, name):
        return name in _skein_dataset_list()

    def __iter__(self):
        return iter(_skein_dataset_list())

    def __len__(self):
        return len(_skein_dataset_list())

    def keys(self):
        return _skein_dataset_list()


def _skein_nothing_to_move(self, *args, **kwargs):
    # `replicate` and `rebalance` move data between workers' memories; here there is one.
    return None


Client.publish_dataset = _skein_publish_dataset
Client.get_dataset = _skein_get_dataset
Client.list_datasets = _skein_list_datasets
Client.unpublish_dataset = _skein_unpublish_dataset
Client.datasets = _SkeinDatasets()
Client.replicate = _skein_nothing_to_move
Client.rebalance = _skein_nothing_to_move

_skein_distributed.Variable = Variable
_skein_distributed.Queue = Queue
_skein_distributed.Semaphore = Semaphore
_skein_distributed.Lock = Lock
_skein_distributed.Event = Event
_skein_classes['Variable'] = lambda: _skein_api_Variable('')
_skein_classes['Queue'] = lambda: _skein_api_Queue('')
_skein_classes['Semaphore'] = lambda: _skein_api_Semaphore(1, '')
_skein_classes['Lock'] = lambda: _skein_api_Lock('')
_skein_classes['Event'] = lambda: _skein_api_Event('')
