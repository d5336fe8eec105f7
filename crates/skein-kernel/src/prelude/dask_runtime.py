# Skein's Dask API, in Python, run by Monty before the first cell (and in every worker's
# interpreter), in three files: this one (the runtime: the module objects `import` finds, values
# that cross between interpreters, capturing a function), `dask_delayed.py` and
# `dask_distributed.py`. The heavy lifting happens in the host: every `_skein_*` name that is
# called but not defined in the prelude is a host function (see `host/registry.rs`). Names here start
# with `_skein_` or are Dask's own, and nothing else reaches the user's namespace but
# `_skein_modules`.
#
# The prelude shares the notebook's globals, so its functions refer to its own public classes
# and functions (`Bag`, `wait`, `persist`, `Future`, …) by the `_skein_api_` alias bound after
# each definition: a cell's own `def compute` or `class Future` leaves Skein working, as a
# notebook's names leave Dask's modules alone. (The builtins it redefines, `len`, `sum`, …, are
# the exception: see `compat.py`.)


class _SkeinModule:
    def __init__(self, name):
        self.__name__ = name

    def __repr__(self):
        return "<module '" + self.__name__ + "'>"


_skein_modules = {}
import random as _skein_random
_skein_rng = _skein_random.Random()


def _skein_import(_skein_name):
    if _skein_name in _skein_modules:
        return _skein_modules[_skein_name]
    raise ModuleNotFoundError("No module named '" + _skein_name + "'")


def _skein_from(_skein_name, _skein_attr):
    _skein_module = _skein_import(_skein_name)
    if hasattr(_skein_module, _skein_attr):
        _skein_v = getattr(_skein_module, _skein_attr)
        # What a module hands out is the prelude's: the sweep passes it by (`memory.py`).
        _skein_prelude_ids[id(_skein_v)] = _skein_v
        return _skein_v
    raise ImportError("cannot import name '" + _skein_attr + "' from '" + _skein_name + "'")


def _skein_module(_skein_name):
    _skein_m = _SkeinModule(_skein_name)
    _skein_modules[_skein_name] = _skein_m
    return _skein_m


# --- values that cross between interpreters -------------------------------------------------


def _skein_rebuild(_skein_v):
    # The host hands over objects of classes defined in Python (a DataFrame from a task, a
    # cell's `Point`) as ('__skein_instance__', class name, attrs); this makes them objects
    # again: Skein's own classes by their entry in `_skein_classes`, a cell's by its name.
    # A range comes as ('__skein_range__', start, stop, step).
    _skein_t = type(_skein_v)
    if _skein_t is tuple:
        if len(_skein_v) == 3 and _skein_v[0] == '__skein_instance__':
            if _skein_v[1] == '_SkeinFnRef':
                return _skein_fn_ref(_skein_v[2][0][1])
            _skein_make = _skein_classes.get(_skein_v[1])
            if _skein_make is None:
                _skein_obj = _skein_blank(_skein_cell_class(_skein_v[1]))
            else:
                _skein_obj = _skein_make()
            for _skein_k, _skein_x in _skein_v[2]:
                setattr(_skein_obj, _skein_k, _skein_rebuild(_skein_x))
            return _skein_obj
        if len(_skein_v) == 4 and _skein_v[0] == '__skein_range__':
            return range(_skein_v[1], _skein_v[2], _skein_v[3])
        return tuple([_skein_rebuild(_skein_x) for _skein_x in _skein_v])
    if _skein_t is list:
        return [_skein_rebuild(_skein_x) for _skein_x in _skein_v]
    if _skein_t is dict:
        return {_skein_k: _skein_rebuild(_skein_x) for _skein_k, _skein_x in _skein_v.items()}
    return _skein_v


def _skein_value(_skein_pair):
    # Host answers that carry task results come as (needs_rebuild, value).
    if _skein_pair[0]:
        return _skein_rebuild(_skein_pair[1])
    return _skein_pair[1]


_skein_classes = {}


class _SkeinUnbound:
    pass


# What `_skein_lookup` returns for a name nothing binds (a bound global may well be None).
_SKEIN_UNBOUND = _SkeinUnbound()


def _skein_lookup(_skein_expr):
    # The value of a global by its name (or the expression that reaches it), as pickle finds a
    # class or a function; `eval` is Monty's only way to read a global by name.
    try:
        return eval(_skein_expr)
    except NameError:
        return _SKEIN_UNBOUND

# The start of the error `_skein_cell_class` raises; a worker that meets it defines the class
# from the cells' text and tries again (`worker.rs`).
_SKEIN_NO_CLASS = "cannot make an object of class '"


def _skein_cell_class(_skein_name):
    # The class a cell defined at top level under this name: the kernel's own, or on a worker
    # the one its setup defined. By name, as pickle finds a class.
    _skein_c = _skein_lookup(_skein_name)
    if type(_skein_c) is not _SKEIN_CLASS:
        raise TypeError(_SKEIN_NO_CLASS + _skein_name + "' here: Skein sends objects of classes "
                        "defined at the top level of a cell")
    return _skein_c


# The same for a function a task's arguments name (`_SkeinFnRef` in `sendable.py`).
_SKEIN_NO_FUNCTION = "cannot find the function '"


def _skein_fn_ref(_skein_entry):
    _skein_fn = _skein_lookup(_skein_entry)
    if _skein_fn is _SKEIN_UNBOUND:
        raise TypeError(_SKEIN_NO_FUNCTION + _skein_entry + "' here: Skein sends functions "
                        "defined at the top level of a cell")
    return _skein_fn


def _skein_serve(_skein_f):
    # A worker's loop for the plain calls of one function (`worker.rs`): each result goes to
    # the host, which answers with the next task's arguments, so the tasks after the first
    # compile no snippet. The arguments are a global, as a snippet's input is.
    global __skein_args
    while True:
        __skein_args = _skein_served(_skein_f(*__skein_args))


def _skein_no_init(self, *_skein_args, **_skein_kwargs):
    pass


def _skein_blank(_skein_c):
    # An object of the class whose attributes the caller sets next, made without running its
    # `__init__`: CPython's `object.__new__(cls)`, which Monty lacks.
    try:
        _skein_init = _skein_c.__init__
    except AttributeError:
        # No `__init__` anywhere in its classes: calling it takes no arguments.
        return _skein_c()
    _skein_c.__init__ = _skein_no_init
    try:
        return _skein_c()
    finally:
        _skein_c.__init__ = _skein_init


# --- capturing a function the way cloudpickle does ------------------------------------------


# The type of classes. Monty's `type(C)` is not the object the name `type` refers to.
_SKEIN_CLASS = type(_SkeinModule)


def _skein_unsendable(_skein_x):
    # Classes and modules cannot travel to a task. They are refused here, before any crossing
    # to the host: Monty 1.4's exporter panics (taking every wasm worker down) when one
    # crossing holds a class and then an instance of it, and a module holds both.
    if type(_skein_x) is _SKEIN_CLASS:
        return (repr(_skein_x) + " cannot be sent to a task: Skein sends functions and values, "
                "not classes")
    if type(_skein_x) is _SkeinModule:
        return ("the module " + _skein_x.__name__ + " cannot be sent to a task: import it "
                "inside the function that uses it")
    return None


def _skein_capture(_skein_fn):
    if type(_skein_fn) is _SKEIN_CLASS:
        raise TypeError(repr(_skein_fn) + " is not a function Skein can send to the workers")
    _skein_why = _skein_unsendable(_skein_fn)
    if _skein_why is not None:
        raise TypeError(_skein_why)
    # The host names the globals the function reads that are plain values (its own code,
    # the functions it calls and its imports the host has from the cells' text); their
    # values are taken now, so a later change does not change the task.
    _skein_vals = {}
    for _skein_n in _skein_value_names(_skein_fn):
        _skein_v = _skein_lookup(_skein_n)
        if _skein_v is not _SKEIN_UNBOUND:
            _skein_vals[_skein_n] = _skein_v
    return _skein_vals


def _skein_queueing(_skein_priority, _skein_fifo_timeout):
    # Dask's `priority=` and `fifo_timeout=` as the host reads them (`host/client_call.rs`):
    # the priority alone unless a fifo_timeout is given.
    if _skein_fifo_timeout is None:
        return _skein_priority
    return (_skein_priority, _skein_fifo_timeout)
