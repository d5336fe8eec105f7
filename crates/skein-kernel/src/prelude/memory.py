

# --- releasing what nobody holds (see `release.rs`) -----------------------------------------
# Dask keeps a key's result while a Future, a persisted Delayed or a dependent task needs it.
# Monty has no finalizers, weakrefs or reference counts, so after each cell the kernel runs
# `_skein_sweep(locals())` at module scope: it walks the notebook's globals for the keys they
# hold and hands only those keys to the host, which drops every other entry of its tables
# (core then releases results no handle and no dependent needs).
#
# Soundness before thrift: whatever the walk cannot look into (an instance of a cell's
# class, a class, a lambda or closure, a bound method, an iterator, a type it does not know)
# might hold a Future, so the sweep then releases nothing at all.

# How many objects one sweep may visit: past this the walk gives up (and releases nothing)
# rather than stall the kernel between cells.
_SKEIN_SWEEP_BUDGET = 5000000

_SKEIN_FUNCTION = type(_skein_rebuild)
_SKEIN_METHOD = type(_SkeinGraph('').__repr__)
_SKEIN_BUILTIN = type(abs)

# Types whose objects hold no other objects.
_skein_sweep_leaves = [type(None), bool, int, float, str, bytes, range, _SKEIN_BUILTIN,
                       _SkeinModule, _SkeinGraph, _SkeinCluster, Client, _SkeinWorker, _SkeinArtist,
                       _skein_classes['_DType'], type(_skein_numpy.random),
                       # The coordination primitives hold only their names; what they hold is
                       # the host's, which keeps it alive itself.
                       Variable, Queue, Semaphore, Lock, Event, _SkeinDatasets,
                       ProgressBar, TaskData,
                       # Monty's own modules (`import time`) and `random.Random()`.
                       type(_skein_random), type(_skein_rng)]

# Attributes of the prelude's other classes that may hold objects (a DataFrame's columns may
# hold futures), read with `getattr(x, name, None)`: by the class's id, with the class.
_skein_sweep_attrs = {}


def _skein_sweep_class(_skein_c, _skein_names):
    _skein_sweep_attrs[id(_skein_c)] = (_skein_c, _skein_names)


_skein_sweep_class(DelayedFunction, ['_fn'])
_skein_sweep_class(Bag, ['_partitions'])
_skein_sweep_class(_SkeinExecutorFuture, ['_future'])
_skein_sweep_class(ThreadPoolExecutor, ['_futures'])
_skein_sweep_class(get_task_stream, ['data'])
_skein_sweep_class(performance_report, [])
_skein_sweep_class(Profiler, ['results'])
for _skein_c in [_skein_classes['DataFrame'], _skein_classes['Series'], _skein_classes['Index'],
                 _skein_classes['ndarray'], type(_skein_pandas.DataFrame().iloc), type(_skein_pandas.DataFrame().loc)]:
    _skein_sweep_class(_skein_c, ['_data', '_values', '_index', '_index_obj', '_labels', '_columns',
                                  '_obj', '_expr', 'index', 'columns', 'values', 'name'])


# The leaves by id, with the type: one look-up instead of a loop over them.
_skein_sweep_leaf_ids = {}
for _skein_l in _skein_sweep_leaves:
    _skein_sweep_leaf_ids[id(_skein_l)] = _skein_l


def _skein_sweep_walk(_skein_roots):
    # The keys, as_completed ids and functions reachable from `_skein_roots`, or None when
    # something there cannot be looked into.
    _skein_keys = []
    _skein_its = []
    _skein_fns = []
    _skein_seen = set()
    _skein_stack = list(_skein_roots)
    _skein_budget = _SKEIN_SWEEP_BUDGET
    # A list of `delayed(f)(i)` calls mostly repeats one function.
    _skein_last_fn = None
    while _skein_stack:
        _skein_x = _skein_stack.pop()
        _skein_t = type(_skein_x)
        if _skein_t is int or _skein_t is float or _skein_t is str or _skein_x is None or _skein_t is bool:
            continue
        if _skein_t is _skein_api_Future or _skein_t is _SkeinRef:
            # Holds nothing but its key: no need to remember it was seen.
            _skein_keys.append(_skein_x._key)
            continue
        if _skein_t is _skein_api_Delayed:
            # The commonest object of a large graph, taken first and inline.
            if id(_skein_x) in _skein_seen:
                continue
            _skein_seen.add(id(_skein_x))
            _skein_keys.append(_skein_x._key)
            if _skein_x._parent is not None:
                _skein_stack.append(_skein_x._parent)
            # A pending task's arguments (not yet with the host) may hold keys the host has.
            _skein_task = _skein_x._task
            if _skein_task is not None:
                if _skein_task[0] is not _skein_last_fn:
                    _skein_last_fn = _skein_task[0]
                    _skein_stack.append(_skein_last_fn)
                for _skein_e in _skein_task[1]:
                    _skein_u = type(_skein_e)
                    if not (_skein_u is int or _skein_u is float or _skein_u is str):
                        _skein_stack.append(_skein_e)
                if _skein_task[2]:
                    _skein_stack.append(_skein_task[2])
            _skein_budget -= 1
            continue
        if _skein_prelude_ids.get(id(_skein_x)) is _skein_x:
            continue
        if _skein_sweep_leaf_ids.get(id(_skein_t)) is _skein_t:
            continue
        if id(_skein_x) in _skein_seen:
            continue
        _skein_seen.add(id(_skein_x))
        if _skein_t is _SKEIN_FUNCTION:
            # Once per function: the host reads each one's definition.
            _skein_fns.append(_skein_x)
            continue
        if _skein_t is list or _skein_t is tuple or _skein_t is set or _skein_t is frozenset:
            _skein_budget -= len(_skein_x)
            # The usual large collections: numbers, strings or futures, taken here rather
            # than through the stack.
            for _skein_e in _skein_x:
                _skein_u = type(_skein_e)
                if _skein_u is _skein_api_Future:
                    _skein_keys.append(_skein_e._key)
                elif not (_skein_u is int or _skein_u is float or _skein_u is str):
                    _skein_stack.append(_skein_e)
        elif _skein_t is dict:
            _skein_budget -= len(_skein_x)
            for _skein_k, _skein_v in _skein_x.items():
                _skein_stack.append(_skein_k)
                _skein_stack.append(_skein_v)
        elif _skein_t is _skein_api_as_completed:
            _skein_its.append(_skein_x._id)
            _skein_stack.append(_skein_x._ready)
        elif id(_skein_t) in _skein_sweep_attrs and _skein_sweep_attrs[id(_skein_t)][0] is _skein_t:
            for _skein_a in _skein_sweep_attrs[id(_skein_t)][1]:
                _skein_v = getattr(_skein_x, _skein_a, None)
                if type(_skein_v) is not _SKEIN_METHOD:
                    _skein_stack.append(_skein_v)
        else:
            return None
        _skein_budget -= 1
        if _skein_budget < 0:
            return None
    return (_skein_keys, _skein_its, _skein_fns)


def _skein_sweep(_skein_ns):
    # `_skein_ns` is the notebook's globals (`locals()` at module scope). The prelude's own
    # names and values are not the notebook's: a name the user rebinds is walked.
    _skein_run_done_callbacks()
    _skein_roots = [_skein_callback_futures]
    for _skein_n, _skein_v in _skein_ns.items():
        if not _skein_n.startswith('_skein_') and not _skein_n.startswith('__skein'):
            _skein_roots.append(_skein_v)
    _skein_found = _skein_sweep_walk(_skein_roots)
    if _skein_found is None:
        return False
    if _skein_retry_calls:
        _skein_live = set(_skein_found[0])
        for _skein_k in list(_skein_retry_calls):
            if _skein_k not in _skein_live:
                _skein_retry_calls.pop(_skein_k)
    # One string crosses to the host, not one per key (`release.rs`).
    return _skein_release('\x00'.join(_skein_found[0]), len(_skein_found[0]), _skein_found[1], _skein_found[2])


# Every value the prelude defined (its functions, classes and modules), by identity: these
# hold no user keys, so the sweep passes them by. `_skein_from` adds what `from m import x`
# hands out (a module's functions are defined inside its setup function).
_skein_prelude_ids = {}
_skein_snapshot = locals()
for _skein_v in list(_skein_snapshot.values()) + list(_skein_classes.values()):
    _skein_prelude_ids[id(_skein_v)] = _skein_v
_skein_snapshot = None
