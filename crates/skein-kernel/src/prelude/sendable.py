

# --- what a task can call -------------------------------------------------------------------
# Dask sends any callable (cloudpickle); Skein sends a function as the source of a `def` a cell
# wrote (`capture.rs`). These turn the other callables Dask code hands to `submit`, `map`,
# `delayed` and a bag into something the host can send:
#
# - a lambda a cell wrote: the kernel rewrote it as `_skein_lambda(name, lambda …)` and keeps it
#   as `def name(…)` (`lambdas.rs`, standing in for Monty not exposing a function's source); it
#   is sent by that name;
# - a function of a module Skein provides in Python (`np.sum`, `operator.add`): every worker's
#   prelude has it, so it is sent as the expression that reaches it there;
# - `functools.partial(f, …)`: `f`, with the bound arguments in front of the call's.

_skein_lambdas = {}
_SKEIN_LAMBDAS_MAX = 10000


def _skein_lambda(_skein_name, _skein_fn, _skein_closure=None):
    # Which definition a lambda (or a function's inner function, with the values of the
    # variables it closes over: `closures.rs`) is, by `id`. The entry holds the function, so
    # its id is not reused while the entry lives; the table is bounded, and a forgotten one is
    # refused when sent (the TypeError of any unsendable function), never taken for another.
    if len(_skein_lambdas) >= _SKEIN_LAMBDAS_MAX:
        _skein_lambdas.clear()
    _skein_lambdas[id(_skein_fn)] = (_skein_fn, _skein_name, _skein_closure)
    return _skein_fn


def _skein_is_partial(_skein_fn):
    return type(_skein_fn).__name__ == 'partial'


def _skein_unpartial(_skein_fn, _skein_args, _skein_kwargs):
    while _skein_is_partial(_skein_fn):
        _skein_kw = dict(_skein_fn.keywords)
        _skein_kw.update(_skein_kwargs)
        _skein_args = tuple(_skein_fn.args) + tuple(_skein_args)
        _skein_kwargs = _skein_kw
        _skein_fn = _skein_fn.func
    return _skein_fn, _skein_args, _skein_kwargs


def _skein_unpartial_map(_skein_fn, _skein_lists, _skein_kwargs):
    # `client.map(partial(f, a), xs)`: `a` becomes a list as long as the others.
    if not _skein_is_partial(_skein_fn):
        return _skein_fn, _skein_lists, _skein_kwargs
    _skein_n = min([len(_skein_l) for _skein_l in _skein_lists]) if _skein_lists else 0
    _skein_fn, _skein_bound, _skein_kwargs = _skein_unpartial(_skein_fn, (), _skein_kwargs)
    return _skein_fn, [[_skein_b] * _skein_n for _skein_b in _skein_bound] + _skein_lists, _skein_kwargs


# Module functions made by a factory (`np.sum` is numpy's `_reduction('sum')`, whose repr
# says `reduce`): their names, since Monty has no `dir()` to list a module's attributes.
_SKEIN_MADE_NAMES = ['sum', 'mean', 'max', 'min', 'any', 'all', 'amax', 'amin', 'sqrt', 'exp',
                     'log', 'abs', 'floor', 'ceil', 'isnan', 'absolute']


# Monty's own modules: every worker's prelude imports them too, so their functions
# (`client.submit(time.sleep, 1)`) travel as the expression that reaches them there.
import time as _skein_std_time
import math as _skein_std_math
import json as _skein_std_json
import re as _skein_std_re
import copy as _skein_std_copy
import itertools as _skein_std_itertools
import functools as _skein_std_functools
import bisect as _skein_std_bisect
_skein_std_modules = {'time': _skein_std_time, 'math': _skein_std_math, 'random': _skein_random,
                      'json': _skein_std_json, 're': _skein_std_re, 'copy': _skein_std_copy,
                      'itertools': _skein_std_itertools, 'functools': _skein_std_functools,
                      'bisect': _skein_std_bisect}


def _skein_find_module_path(_skein_fn):
    # Found by identity, so a cell's own function is never taken for a module's.
    _skein_r = repr(_skein_fn)
    if not _skein_r.startswith('<function ') or "'_skein_lab_" in _skein_r:
        return None
    _skein_name = _skein_fn_name(_skein_fn)
    # A prelude function may be a module's under a shorter name (`_skein_shortest_path`).
    _skein_names = [_skein_name]
    if _skein_name.startswith('_skein_'):
        _skein_names.append(_skein_name[7:])
    if _skein_name == 'reduce' or _skein_name == 'apply':
        _skein_names.extend(_SKEIN_MADE_NAMES)
    for _skein_m in _skein_modules:
        for _skein_n in _skein_names:
            if getattr(_skein_modules[_skein_m], _skein_n, None) is _skein_fn:
                return "_skein_modules['" + _skein_m + "']." + _skein_n
    for _skein_m in _skein_std_modules:
        if getattr(_skein_std_modules[_skein_m], _skein_name, None) is _skein_fn:
            return "_skein_std_modules['" + _skein_m + "']." + _skein_name
    return None


# How each function is sent, by its id, with the function (so the id is not reused while the
# entry lives): a `submit` loop sends the same function each time, and working it out reads
# its repr and searches the modules.
_skein_send_plans = {}


def _skein_send(_skein_fn):
    # What the host is handed for `_skein_fn`, and the values it captures (`_skein_capture`),
    # which are read again at every call: a task takes the globals as they are when it is made.
    _skein_plan = _skein_send_plans.get(id(_skein_fn))
    if _skein_plan is None or _skein_plan[0] is not _skein_fn:
        _skein_plan = (_skein_fn,) + _skein_send_plan(_skein_fn)
        if len(_skein_send_plans) >= _SKEIN_LAMBDAS_MAX:
            _skein_send_plans.clear()
        _skein_send_plans[id(_skein_fn)] = _skein_plan
    _skein_captured = _skein_plan[2]
    if _skein_captured is None:
        return _skein_plan[1], {}
    _skein_vals = _skein_capture(_skein_captured)
    if _skein_plan[3] is not None:
        _skein_vals.update(_skein_plan[3])
    return _skein_plan[1], _skein_vals


def _skein_send_plan(_skein_fn):
    # (what the host is handed, what to capture globals for or None, a closure's values or None)
    if type(_skein_fn) is _SKEIN_CLASS:
        return _skein_class_plan(_skein_fn)
    _skein_entry = _skein_lambdas.get(id(_skein_fn))
    if _skein_entry is not None and _skein_entry[0] is _skein_fn:
        return _skein_entry[1], _skein_entry[1], _skein_entry[2]
    _skein_path = _skein_find_module_path(_skein_fn)
    if _skein_path is not None:
        return _skein_path, None, None
    if repr(_skein_fn).endswith(' at 0x0>') and not _skein_is_global(_skein_fn):
        # Monty shows a closure (and a function with defaults) at 0x0. One the kernel did not
        # keep (`closures.rs`) is not the cell's `def` of the same name: sending that would
        # run other code.
        raise TypeError(repr(_skein_fn) + " is not a function Skein can send to the workers: "
                        "it closes over variables Skein cannot capture")
    return _skein_fn, _skein_fn, None


# A class a cell defined, called as a task (`delayed(Point)(3, 4)`), is sent as this and its
# name: the class itself must not cross to the host (see `_skein_unsendable`).
_SKEIN_CLASS_PREFIX = '_skein_class_'


# Builtin types a task may call (`client.map(int, xs)`, `delayed(list)`): they cross to the
# host as themselves. Monty's `type` of one is the type of a class a cell defines.
_SKEIN_BUILTIN_TYPES = [int, float, complex, str, bytes, bool, list, tuple, dict, set, frozenset,
                        range]


def _skein_class_plan(_skein_c):
    if _skein_c in _SKEIN_BUILTIN_TYPES:
        return _skein_c, None, None
    # A class of a module Skein provides (`pd.Series`) travels as the expression that reaches
    # it on the worker, as its functions do.
    _skein_name = _skein_c.__name__
    for _skein_m in _skein_modules:
        if getattr(_skein_modules[_skein_m], _skein_name, None) is _skein_c:
            return "_skein_modules['" + _skein_m + "']." + _skein_name, None, None
    if _skein_lookup(_skein_name) is not _skein_c:
        raise TypeError(repr(_skein_c) + " is not a class Skein can send to the workers: "
                        "Skein sends classes defined at the top level of a cell")
    _skein_entry = _SKEIN_CLASS_PREFIX + _skein_name
    return _skein_entry, _skein_entry, None


# A function inside a task's arguments (`client.submit(apply, inc, 1)`) crosses as this, by the
# name the worker knows it under; `_skein_rebuild` finds it there (`_skein_fn_ref`) and the
# globals it reads join the task's own.
class _SkeinFnRef:
    def __init__(self, entry):
        self.entry = entry


_SKEIN_FUNCTION = type(_skein_send)


# Values that cross as they are: most of what a `map` hands over, checked without a call each.
_SKEIN_PLAIN = {int, float, str, bool, type(None)}

# A starting depth for `_skein_send_args` that reaches every level: a finalize task has no
# function to send, so the host must find each dependency however deep it is.
_SKEIN_ANY_DEPTH = -1000000


def _skein_send_args(_skein_x, _skein_vals, _skein_depth=0, _skein_pending=None):
    # A task's arguments as they cross to the host: each Delayed in them (two containers deep)
    # as a `_SkeinRef` to its key, and each function as a `_SkeinFnRef`, whose globals join
    # `_skein_vals`. With `_skein_vals` None (a pure call's key) functions stay as they are.
    # `_skein_pending` collects what `_skein_materialize` must hand the host first: the
    # Delayeds whose tasks are not sent yet, and containers nested deeper than this looks.
    _skein_t = type(_skein_x)
    if _skein_t in _SKEIN_PLAIN:
        return _skein_x
    if _skein_t is _skein_api_Delayed:
        if _skein_pending is not None and _skein_x._task is not None:
            _skein_pending.append(_skein_x)
        return _SkeinRef(_skein_x._key)
    if _skein_vals is None:
        pass
    elif _skein_t is _SKEIN_FUNCTION:
        _skein_entry, _skein_v = _skein_send(_skein_x)
        _skein_vals.update(_skein_v)
        if type(_skein_entry) is not str:
            _skein_entry = _skein_fn_name(_skein_entry)
        return _SkeinFnRef(_skein_entry)
    elif _skein_t is _SKEIN_CLASS or _skein_t is _SkeinModule:
        raise TypeError(_skein_unsendable(_skein_x))
    if _skein_depth < 3:
        _skein_d = _skein_depth + 1
        if _skein_t is list:
            return [_skein_y if type(_skein_y) in _SKEIN_PLAIN else _skein_send_args(_skein_y, _skein_vals, _skein_d, _skein_pending) for _skein_y in _skein_x]
        if _skein_t is tuple:
            return tuple([_skein_y if type(_skein_y) in _SKEIN_PLAIN else _skein_send_args(_skein_y, _skein_vals, _skein_d, _skein_pending) for _skein_y in _skein_x])
        if _skein_t is dict:
            return {_skein_k: _skein_send_args(_skein_y, _skein_vals, _skein_d, _skein_pending) for _skein_k, _skein_y in _skein_x.items()}
    elif _skein_pending is not None and (_skein_t is list or _skein_t is tuple or _skein_t is dict):
        _skein_pending.append(_skein_x)
    return _skein_x


def _skein_is_global(_skein_fn):
    # Whether `_skein_fn` is the function a cell's top-level `def` bound (maybe since wrapped
    # by `delayed`).
    _skein_name = _skein_fn_name(_skein_fn)
    if not _skein_name.isidentifier() or _skein_name == 'lambda':
        return False
    _skein_g = _skein_lookup(_skein_name)
    return _skein_g is _skein_fn or (type(_skein_g) is _skein_api_DelayedFunction and _skein_g._fn is _skein_fn)
