# Skein's Dask API, in Python, run by Monty before the first cell (and in every worker's
# interpreter). The heavy lifting happens in the host: every `_skein_*` name that is called
# but not defined here is a host function (see `host/registry.rs`). Names here start with `_skein_`
# or are Dask's own, and nothing else reaches the user's namespace but `_skein_modules`.


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
    # The host hands over objects of Skein's own classes (a DataFrame from a task, say) as
    # ('__skein_instance__', class name, attrs); this makes them objects again.
    _skein_t = type(_skein_v)
    if _skein_t is tuple:
        if len(_skein_v) == 3 and _skein_v[0] == '__skein_instance__':
            _skein_obj = _skein_classes[_skein_v[1]]()
            for _skein_k, _skein_x in _skein_v[2]:
                setattr(_skein_obj, _skein_k, _skein_rebuild(_skein_x))
            return _skein_obj
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
        try:
            _skein_vals[_skein_n] = eval(_skein_n)
        except NameError:
            pass
    return _skein_vals


# --- delayed --------------------------------------------------------------------------------


class Delayed:
    # A lazy value. Building one is pure Python (Monty's operator methods cannot call the
    # host; only a pure call asks the host for its key, `_skein_call_key`); the host learns of
    # pending tasks (`_task`) when they are computed, persisted, visualized or handed to a
    # future (`_skein_materialize`).
    def __init__(self, key, parent=None, attr=None, task=None):
        self._key = key
        self.key = key
        self._parent = parent
        self._attr = attr
        self._task = task
        # SKEIN-ATTRIBUTES

    def __repr__(self):
        return "Delayed('" + self._key + "')"

    def __hash__(self):
        return hash(self._key)

    def compute(self, **kwargs):
        return compute(self)[0]

    def persist(self, **kwargs):
        return persist(self)[0]

    def visualize(self, filename=None, **kwargs):
        return visualize(self)

    def dask_keys(self):
        return [self._key]

    def __call__(self, *args, **kwargs):
        # Calling what a task returned is Dask's `delayed(apply)`: impure unless `pure=True`.
        _skein_rule, _skein_key = _skein_call_options(kwargs)
        if self._attr is not None:
            return _skein_pending('_skein_apply_method', (self._parent, self._attr, args, kwargs), {}, self._attr, _skein_rule, _skein_key)
        return _skein_pending('_skein_apply_call', (self, args, kwargs), {}, 'apply', _skein_rule, _skein_key)

    def __bool__(self):
        raise TypeError("Truth of Delayed objects is not supported")

    def __iter__(self):
        raise TypeError("Delayed objects of unspecified length are not iterable")

    def __len__(self):
        raise TypeError("Delayed objects of unspecified length have no len()")

    def __getitem__(self, item):
        return _skein_op('getitem', self, item)

    def __add__(self, other):
        return _skein_op('add', self, other)

    def __radd__(self, other):
        return _skein_op('add', other, self)

    def __sub__(self, other):
        return _skein_op('sub', self, other)

    def __rsub__(self, other):
        return _skein_op('sub', other, self)

    def __mul__(self, other):
        return _skein_op('mul', self, other)

    def __rmul__(self, other):
        return _skein_op('mul', other, self)

    def __truediv__(self, other):
        return _skein_op('truediv', self, other)

    def __rtruediv__(self, other):
        return _skein_op('truediv', other, self)

    def __floordiv__(self, other):
        return _skein_op('floordiv', self, other)

    def __rfloordiv__(self, other):
        return _skein_op('floordiv', other, self)

    def __mod__(self, other):
        return _skein_op('mod', self, other)

    def __rmod__(self, other):
        return _skein_op('mod', other, self)

    def __pow__(self, other):
        return _skein_op('pow', self, other)

    def __rpow__(self, other):
        return _skein_op('pow', other, self)

    def __lt__(self, other):
        return _skein_op('lt', self, other)

    def __le__(self, other):
        return _skein_op('le', self, other)

    def __gt__(self, other):
        return _skein_op('gt', self, other)

    def __ge__(self, other):
        return _skein_op('ge', self, other)

    def __and__(self, other):
        return _skein_op('and_', self, other)

    def __or__(self, other):
        return _skein_op('or_', self, other)

    def __neg__(self):
        return _skein_op('neg', self)

    def __pos__(self):
        return _skein_op('pos', self)

    def __abs__(self):
        return _skein_op('abs', self)

    def __invert__(self):
        return _skein_op('invert', self)


class _DelayedAttr:
    # `d.shape`: Monty has no `__getattr__`, so a Delayed carries these for the attribute
    # names users reach for; using one builds the `getattr` task.
    def __init__(self, parent, name):
        self._parent = parent
        self._name = name

    def _skein_task(self):
        return _skein_attr(self._parent, self._name)

    def __call__(self, *args, **kwargs):
        # `d.method(...)` is Dask's `call_function`: impure unless `pure=True`.
        _skein_rule, _skein_key = _skein_call_options(kwargs)
        return _skein_pending('_skein_apply_method', (self._parent, self._name, args, kwargs), {}, self._name, _skein_rule, _skein_key)

    def __getitem__(self, item):
        return self._skein_task()[item]

    def compute(self, **kwargs):
        return self._skein_task().compute()

    def persist(self, **kwargs):
        return self._skein_task().persist()

    def visualize(self, **kwargs):
        return self._skein_task().visualize()

    def __add__(self, other):
        return self._skein_task() + other

    def __radd__(self, other):
        return other + self._skein_task()

    def __mul__(self, other):
        return self._skein_task() * other

    def __rmul__(self, other):
        return other * self._skein_task()

    def __sub__(self, other):
        return self._skein_task() - other

    def __truediv__(self, other):
        return self._skein_task() / other

    def __repr__(self):
        return repr(self._skein_task())


# --- task keys --------------------------------------------------------------------------------
# Dask's rule: a pure task's key is `name-` and a token of its function and arguments, so
# equal calls share a key (and a result); an impure one gets a fresh random token.


def _skein_new_key(_skein_name):
    return _skein_name + '-' + '%032x' % _skein_rng.getrandbits(128)


def _skein_has_unsendable(_skein_x):
    _skein_stack = [_skein_x]
    while _skein_stack:
        _skein_x = _skein_stack.pop()
        _skein_t = type(_skein_x)
        if _skein_t is list or _skein_t is tuple:
            _skein_stack.extend(_skein_x)
        elif _skein_t is dict:
            _skein_stack.extend(list(_skein_x.values()))
        elif _skein_unsendable(_skein_x) is not None:
            return True
    return False


def _skein_call_key(_skein_name, _skein_fn, _skein_args, _skein_kwargs):
    # A pure call's key (`delayed(f, pure=True)(...)`, a bag's partition). The token is core's
    # (`_skein_pure_key` hashes the function's identity and the arguments' full values with
    # `TokenHasher`; a Delayed counts by its key). A class or a module has no token: the call
    # gets a random key, as Dask gives to what it cannot tokenize, and the TypeError comes
    # when the task is sent (`_skein_materialize`); checked here first because a class must
    # not cross to the host (see `_skein_unsendable`).
    if _skein_has_unsendable((_skein_args, _skein_kwargs)):
        return _skein_new_key(_skein_name)
    _skein_key = _skein_pure_key(_skein_name, _skein_fn, _skein_refs(_skein_args, 0), _skein_refs(_skein_kwargs, 0))
    return _skein_key or _skein_new_key(_skein_name)


# Operators' keys, by signature. Monty runs operator methods (`__add__`, `__getitem__`) where
# the host cannot be called, so their tokens cannot come from Rust: the first `a + 1` gets a
# random token and every equal one after it (same operator, same Delayed keys, same small
# constants) reuses it, which is Dask's rule for as long as the kernel lives. An operand of any
# other kind (a list, an array, a slice) makes the task impure rather than hashed in Python.
_skein_op_keys = {}
_SKEIN_OP_KEYS_MAX = 100000


def _skein_operand_sig(_skein_x):
    _skein_t = type(_skein_x)
    if _skein_t is Delayed:
        return '@' + _skein_x._key
    if _skein_x is None or _skein_t is int or _skein_t is float or _skein_t is bool or _skein_t is str:
        # repr tells 1, 1.0, True and '1' apart (equal as dict keys); a long text is left
        # out so the table stays small.
        _skein_r = repr(_skein_x)
        return _skein_r if len(_skein_r) <= 200 else None
    if _skein_t is tuple:
        _skein_parts = []
        for _skein_v in _skein_x:
            _skein_p = _skein_operand_sig(_skein_v)
            if _skein_p is None:
                return None
            _skein_parts.append(_skein_p)
        return '(' + ','.join(_skein_parts) + ')'
    return None


def _skein_op_key(_skein_name, _skein_args):
    _skein_sig = [_skein_name]
    for _skein_x in _skein_args:
        _skein_p = _skein_operand_sig(_skein_x)
        if _skein_p is None:
            return _skein_new_key(_skein_name)
        _skein_sig.append(_skein_p)
    # reprs escape newlines, so the joined text is unambiguous.
    _skein_sig = '\n'.join(_skein_sig)
    _skein_key = _skein_op_keys.get(_skein_sig)
    if _skein_key is None:
        if len(_skein_op_keys) >= _SKEIN_OP_KEYS_MAX:
            # A bound on what a long session remembers: forgetting only costs sharing (a
            # later equal operation gets a new key and runs again), never a wrong result.
            _skein_op_keys.clear()
        _skein_key = _skein_new_key(_skein_name)
        _skein_op_keys[_skein_sig] = _skein_key
    return _skein_key


# How a pending task's key is chosen, the one decision `_skein_pending` makes.
_SKEIN_IMPURE = 0  # a fresh random token
_SKEIN_PURE = 1  # a token of function and arguments, from the host (`_skein_call_key`)
_SKEIN_PURE_OP = 2  # an operator's: the host is out of reach, so `_skein_op_key`'s table


def _skein_pending(_skein_fn, _skein_args, _skein_kwargs, _skein_name, _skein_rule, _skein_key=None):
    # A task not yet sent to the host. A key the user named (`dask_key_name`) wins.
    _skein_fn, _skein_args, _skein_kwargs = _skein_unpartial(_skein_fn, _skein_args, _skein_kwargs)
    if _skein_key is None:
        if _skein_rule == _SKEIN_PURE:
            _skein_key = _skein_call_key(_skein_name, _skein_fn, _skein_args, _skein_kwargs)
        elif _skein_rule == _SKEIN_PURE_OP:
            _skein_key = _skein_op_key(_skein_name, _skein_args)
        else:
            _skein_key = _skein_new_key(_skein_name)
    return Delayed(_skein_key, None, None, (_skein_fn, _skein_args, _skein_kwargs, _skein_rule != _SKEIN_IMPURE))


def _skein_call_options(_skein_kwargs, _skein_pure=None):
    # Dask's `pure=` and `dask_key_name=` of a delayed call, taken out of its keyword arguments.
    _skein_pure = _skein_kwargs.pop('pure', _skein_pure)
    _skein_key = _skein_kwargs.pop('dask_key_name', None)
    return (_SKEIN_PURE if _skein_pure == True else _SKEIN_IMPURE), _skein_key


def _skein_fn_name(_skein_fn):
    _skein_r = repr(_skein_fn)
    if "'" in _skein_r:
        _skein_r = _skein_r.split("'")[1]
    elif _skein_r.startswith('<function '):
        _skein_r = _skein_r[10:].split(' ')[0]
    else:
        return 'task'
    if _skein_r.startswith('_skein_lab_'):
        return _skein_r[11:]
    if _skein_r == '<lambda>':
        return 'lambda'
    return _skein_r.split('.')[-1]


def _skein_op(_skein_name, *_skein_args):
    return _skein_pending('_skein_apply_op', (_skein_name,) + _skein_args, {}, _skein_name, _SKEIN_PURE_OP)


def _skein_attr(_skein_d, _skein_name):
    _skein_d2 = _skein_pending('_skein_apply_op', ('getattr', _skein_d, _skein_name), {}, 'getattr', _SKEIN_PURE_OP)
    _skein_d2._parent = _skein_d
    _skein_d2._attr = _skein_name
    return _skein_d2


class _SkeinRef:
    # A Delayed as a pending task's argument: its key is all the host needs.
    def __init__(self, key):
        self._key = key


def _skein_refs(_skein_x, _skein_depth):
    _skein_t = type(_skein_x)
    if _skein_t is Delayed:
        return _SkeinRef(_skein_x._key)
    if _skein_depth < 3:
        if _skein_t is tuple:
            return tuple([_skein_refs(_skein_v, _skein_depth + 1) for _skein_v in _skein_x])
        if _skein_t is list:
            return [_skein_refs(_skein_v, _skein_depth + 1) for _skein_v in _skein_x]
        if _skein_t is dict:
            return {_skein_k: _skein_refs(_skein_v, _skein_depth + 1) for _skein_k, _skein_v in _skein_x.items()}
    return _skein_x


def _skein_materialize(_skein_obj):
    # Hands the host every pending task `_skein_obj` reaches, in one call.
    _skein_stack = [_skein_obj]
    _skein_found = []
    while _skein_stack:
        _skein_x = _skein_stack.pop()
        _skein_t = type(_skein_x)
        if _skein_t is Delayed:
            if _skein_x._task is not None:
                _skein_found.append((_skein_x, _skein_x._task))
                _skein_stack.append(_skein_x._task[1])
                _skein_stack.append(_skein_x._task[2])
                _skein_x._task = None
        elif _skein_t is list or _skein_t is tuple:
            _skein_stack.extend(_skein_x)
        elif _skein_t is dict:
            _skein_stack.extend(list(_skein_x.values()))
        elif _skein_t is _DelayedAttr:
            _skein_stack.append(_skein_x._parent)
        elif _skein_t is _SKEIN_CLASS or _skein_t is _SkeinModule:
            # Nothing was handed over: the pending tasks stay pending.
            for _skein_d, _skein_task in _skein_found:
                _skein_d._task = _skein_task
            raise TypeError(_skein_unsendable(_skein_x))
    if not _skein_found:
        return
    _skein_captured = {}
    _skein_tasks = []
    for _skein_d, _skein_task in _skein_found:
        _skein_fn = _skein_task[0]
        if type(_skein_fn) is str:
            _skein_vals = {}
        else:
            # One capture per function (by its repr, which holds its address).
            _skein_r = repr(_skein_fn)
            if _skein_r not in _skein_captured:
                _skein_captured[_skein_r] = _skein_send(_skein_fn)
            _skein_fn, _skein_vals = _skein_captured[_skein_r]
        _skein_tasks.append((_skein_d._key, _skein_fn, _skein_refs(_skein_task[1], 0), _skein_refs(_skein_task[2], 0), _skein_vals, _skein_task[3]))
    _skein_register(_skein_tasks)


# What the tasks above run on a worker.
def _skein_apply_op(_skein_name, *_skein_args):
    a = _skein_args[0]
    if _skein_name == 'neg':
        return -a
    if _skein_name == 'pos':
        return +a
    if _skein_name == 'abs':
        return abs(a)
    if _skein_name == 'invert':
        return ~a
    if _skein_name == 'list':
        return list(_skein_args)
    if _skein_name == 'tuple':
        return tuple(_skein_args)
    if _skein_name == 'concat':
        _skein_out = []
        for _skein_part in _skein_args:
            _skein_out.extend(_skein_part)
        return _skein_out
    if _skein_name == 'sum_partition':
        return sum(a)
    if _skein_name == 'count_partition':
        return len(a)
    b = _skein_args[1]
    if _skein_name == 'add':
        return a + b
    if _skein_name == 'sub':
        return a - b
    if _skein_name == 'mul':
        return a * b
    if _skein_name == 'truediv':
        return a / b
    if _skein_name == 'floordiv':
        return a // b
    if _skein_name == 'mod':
        return a % b
    if _skein_name == 'pow':
        return a ** b
    if _skein_name == 'lt':
        return a < b
    if _skein_name == 'le':
        return a <= b
    if _skein_name == 'gt':
        return a > b
    if _skein_name == 'ge':
        return a >= b
    if _skein_name == 'eq':
        return a == b
    if _skein_name == 'ne':
        return a != b
    if _skein_name == 'and_':
        return a & b
    if _skein_name == 'or_':
        return a | b
    if _skein_name == 'getitem':
        return a[b]
    if _skein_name == 'getattr':
        return getattr(a, b)
    raise ValueError('unknown operator ' + _skein_name)


def _skein_apply_identity(_skein_x):
    return _skein_x


def _skein_apply_method(_skein_obj, _skein_name, _skein_args, _skein_kwargs):
    return getattr(_skein_obj, _skein_name)(*_skein_args, **_skein_kwargs)


def _skein_apply_call(_skein_fn, _skein_args, _skein_kwargs):
    return _skein_fn(*_skein_args, **_skein_kwargs)


class DelayedFunction:
    # `delayed(f)`: calling it builds a task instead of running f.
    def __init__(self, fn, pure=None, name=None):
        self._fn = fn
        self._pure = pure
        self._name = name

    def __call__(self, *args, **kwargs):
        _skein_rule, _skein_key = _skein_call_options(kwargs, self._pure)
        return _skein_pending(self._fn, args, kwargs, self._name or _skein_fn_name(self._fn), _skein_rule, _skein_key)

    def __repr__(self):
        return 'Delayed(' + repr(self._fn) + ')'


def delayed(obj=None, name=None, pure=None, nout=None, traverse=True, dask_key_name=None):
    if obj is None:
        # `@delayed(pure=True)`
        return lambda _skein_fn: DelayedFunction(_skein_fn, pure, name)
    if type(obj) is Delayed or type(obj) is DelayedFunction:
        return obj
    if _skein_is_function(obj) or _skein_is_partial(obj):
        return DelayedFunction(obj, pure, name)
    # Dask's `delayed(obj)`: the key is the object's type and a token of it, or `name`.
    return _skein_pending('_skein_apply_identity', (obj,), {}, type(obj).__name__, _SKEIN_PURE, name or dask_key_name)


def compute(*args, **kwargs):
    # Delayeds inside lists, tuples and dicts are computed in place, as Dask's `traverse=True`.
    args = tuple([_skein_collection(_skein_bag_item(_skein_x)) for _skein_x in args])
    _skein_materialize(args)
    return tuple(_skein_value(_skein_compute(list(args))))


def _skein_bag_item(_skein_x):
    # A bag or a bag's `Item` computes as the Delayed of its value (`bag.py`).
    if type(_skein_x) is Bag:
        return _skein_x._skein_collect()
    if type(_skein_x) is Item:
        return _skein_x._delayed
    return _skein_x


def persist(*args, **kwargs):
    _skein_materialize(args)
    _skein_out = []
    for _skein_x, _skein_key in zip(args, _skein_persist(list(args))):
        if _skein_key is None:
            _skein_out.append(_skein_x)
        else:
            _skein_out.append(Delayed(_skein_key))
    return tuple(_skein_out)


class _SkeinGraph:
    # What `visualize()` returns: Jupyter shows it as the graph's picture when it is
    # displayed (a cell's last expression, `display(g)`), not when it is made.
    def __init__(self, dot, svg=''):
        self.dot = dot
        self.svg = svg

    def __repr__(self):
        return '<IPython.core.display.SVG object>'


def visualize(*args, **kwargs):
    _skein_materialize(args)
    _skein_picture = _skein_visualize(list(args))
    return _SkeinGraph(_skein_picture[0], _skein_picture[1])


# --- futures --------------------------------------------------------------------------------


class Future:
    def __init__(self, key):
        self._key = key
        self.key = key
        # Monty has no properties: `status` is refreshed by every look at the future.
        self.status = 'pending'
        self._type = 'NoneType'

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

    def __hash__(self):
        return hash(self._key)

    def __eq__(self, other):
        return type(other) is Future and other._key == self._key

    def _skein_refresh(self):
        self.status = _skein_status(self._key)
        if self.status == 'finished':
            self._type = _skein_type(self._key)

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
    _skein_pure = kwargs.pop('pure', True)
    _skein_key = kwargs.pop('key', None)
    _skein_retries = kwargs.pop('retries', None) or 0
    for _skein_k in ['workers', 'resources', 'priority', 'allow_other_workers', 'fifo_timeout', 'actor', 'actors', 'batch_size']:
        kwargs.pop(_skein_k, None)
    return _skein_pure, _skein_key, _skein_retries


class Client:
    def __init__(self, address=None, n_workers=None, threads_per_worker=None, processes=None, **kwargs):
        self.cluster = _SkeinCluster()
        self.dashboard_link = 'skein://dashboard'
        self._workers = _skein_workers()

    def submit(self, func, *args, **kwargs):
        _skein_pure, _skein_key, _skein_retries = _skein_fn_kwargs(kwargs)
        func, args, kwargs = _skein_unpartial(func, args, kwargs)
        func, _skein_vals = _skein_send(func)
        _skein_materialize((args, kwargs))
        return Future(_skein_submit(func, args, kwargs, _skein_vals, _skein_pure == True, _skein_key, _skein_retries))

    def map(self, func, *iterables, **kwargs):
        _skein_pure, _skein_key, _skein_retries = _skein_fn_kwargs(kwargs)
        _skein_lists = [list(_skein_iterable(_skein_it)) for _skein_it in iterables]
        func, _skein_lists, kwargs = _skein_unpartial_map(func, _skein_lists, kwargs)
        func, _skein_vals = _skein_send(func)
        _skein_materialize((_skein_lists, kwargs))
        return [Future(_skein_k) for _skein_k in _skein_map(func, _skein_lists, kwargs, _skein_vals, _skein_pure == True, _skein_key, _skein_retries)]

    def gather(self, futures, errors='raise', direct=None, asynchronous=None):
        try:
            return _skein_value(_skein_gather(futures))
        finally:
            _skein_refresh_futures(futures, 0)

    def compute(self, collections, sync=False, **kwargs):
        if type(collections) is list or type(collections) is tuple:
            return [self.compute(_skein_c, sync) for _skein_c in collections]
        if type(collections) is Delayed:
            _skein_materialize(collections)
            _skein_f = Future(_skein_future_of(collections))
            return _skein_f.result() if sync else _skein_f
        return collections

    def persist(self, collections, **kwargs):
        if type(collections) is list or type(collections) is tuple:
            return list(persist(*collections))
        return persist(collections)[0]

    def cancel(self, futures, **kwargs):
        if type(futures) is Future:
            futures = [futures]
        _skein_cancel([_skein_f._key for _skein_f in futures])
        _skein_refresh_futures(futures, 0)

    def scatter(self, data, **kwargs):
        if type(data) is list:
            return [self.scatter(_skein_x) for _skein_x in data]
        return Future(_skein_scatter(data))

    def ncores(self):
        return {'worker-' + str(i): 1 for i in range(_skein_workers())}

    def nthreads(self):
        return self.ncores()

    def close(self, **kwargs):
        pass

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


def _skein_for(_skein_x):
    # What a cell's `for` loop iterates (see `as_completed`).
    if type(_skein_x) is as_completed:
        return _skein_x._skein_fill()
    if type(_skein_x) is _skein_ndarray:
        return _skein_numpy._rows(_skein_x)
    if type(_skein_x) is Bag:
        return _skein_x.compute()
    return _skein_x


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


class _SkeinWorker:
    def __init__(self, index):
        self.id = 'worker-' + str(index)
        self.name = index
        self.address = 'skein://worker-' + str(index)

    def __repr__(self):
        return "<Worker '" + self.address + "', name: " + str(self.name) + '>'


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
        return _skein_status(self._future._key) == 'pending'

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


class ThreadPoolExecutor:
    def __init__(self, max_workers=None, thread_name_prefix='', **kwargs):
        self._futures = []

    def submit(self, fn, *args, **kwargs):
        fn, args, kwargs = _skein_unpartial(fn, args, kwargs)
        fn, _skein_vals = _skein_send(fn)
        _skein_f = _SkeinExecutorFuture(_skein_submit(fn, args, kwargs, _skein_vals, False, None))
        self._futures.append(_skein_f)
        return _skein_f

    def map(self, fn, *iterables, **kwargs):
        _skein_lists = [list(_skein_iterable(_skein_it)) for _skein_it in iterables]
        fn, _skein_lists, _skein_kw = _skein_unpartial_map(fn, _skein_lists, {})
        fn, _skein_vals = _skein_send(fn)
        _skein_keys = _skein_map(fn, _skein_lists, _skein_kw, _skein_vals, False, None)
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
