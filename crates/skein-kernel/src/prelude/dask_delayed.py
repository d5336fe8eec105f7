# Dask's `delayed`: the `Delayed` value, its task keys, building tasks from calls and
# operators, what those tasks run on a worker, and `compute`/`persist`/`visualize`. Loaded after
# `dask_runtime.py`; `_skein_getattr` and the operators' key table are Monty workarounds and live
# in `compat.py`.


# --- delayed --------------------------------------------------------------------------------


class Delayed:
    # A lazy value. Building one is pure Python (Monty's operator methods cannot call the
    # host; only a pure call asks the host for its key, `_skein_call_key`); the host learns of
    # pending tasks (`_task`) when they are computed, persisted, visualized or handed to a
    # future (`_skein_materialize`).
    # What a `getattr` task (`d.shape`, `_skein_attr`) was read from: defaults of the class, so
    # the commonest Delayed, a call's, sets neither.
    _parent = None
    _attr = None

    def __init__(self, key, parent=None, attr=None, task=None):
        self._key = key
        self.key = key
        self._task = task
        if parent is not None:
            self._parent = parent
            self._attr = attr

    def __repr__(self):
        return "Delayed('" + self._key + "')"

    def __hash__(self):
        return hash(self._key)

    def compute(self, **kwargs):
        return _skein_api_compute(self, **kwargs)[0]

    def persist(self, **kwargs):
        return _skein_api_persist(self, **kwargs)[0]

    def visualize(self, filename=None, **kwargs):
        return _skein_api_visualize(self)

    def dask_keys(self):
        return [self._key]

    def __dask_keys__(self):
        return [self._key]

    def __dask_graph__(self):
        # Dask's graph maps each key to its task; here to the task's function group (`x.dask`
        # at a cell's top level comes here too, through `_skein_getattr`).
        _skein_materialize((self,))
        return {_skein_k: _skein_g for _skein_k, _skein_g in _skein_graph_keys([self])}

    # The methods Dask users call on what a task returns (`df.sum()`): Dask's `call_function`
    # of the attribute, impure unless `pure=True`.
    def sum(self, *args, **kwargs):
        return _skein_method_task(self, 'sum', args, kwargs)

    def mean(self, *args, **kwargs):
        return _skein_method_task(self, 'mean', args, kwargs)

    def max(self, *args, **kwargs):
        return _skein_method_task(self, 'max', args, kwargs)

    def min(self, *args, **kwargs):
        return _skein_method_task(self, 'min', args, kwargs)

    def count(self, *args, **kwargs):
        return _skein_method_task(self, 'count', args, kwargs)

    def head(self, *args, **kwargs):
        return _skein_method_task(self, 'head', args, kwargs)

    def __call__(self, *args, **kwargs):
        # Calling what a task returned is Dask's `delayed(apply)`: impure unless `pure=True`.
        _skein_rule, _skein_key = _skein_call_options(kwargs)
        if self._attr is not None:
            return _skein_pending('_skein_apply_method', (self._parent, self._attr, args, kwargs), {}, self._attr, _skein_rule, _skein_key)
        return _skein_pending('_skein_apply_call', (self, args, kwargs), {}, 'apply', _skein_rule, _skein_key)

    def __bool__(self):
        raise TypeError("Truth of Delayed objects is not supported")

    # `delayed(f, nout=n)`'s calls set their own: they unpack into `n` items, as in Dask.
    _nout = None

    def __iter__(self):
        if self._nout is None:
            raise TypeError("Delayed objects of unspecified length are not iterable")
        return iter([self[_skein_i] for _skein_i in range(self._nout)])

    def __len__(self):
        if self._nout is None:
            raise TypeError("Delayed objects of unspecified length have no len()")
        return self._nout

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


_skein_api_Delayed = Delayed


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
    if type(_skein_fn) is _SKEIN_CLASS and _skein_fn not in _SKEIN_BUILTIN_TYPES:
        _skein_fn = _SKEIN_CLASS_PREFIX + _skein_fn.__name__
    _skein_key = _skein_pure_key(_skein_name, _skein_fn, _skein_send_args(_skein_args, None), _skein_send_args(_skein_kwargs, None))
    return _skein_key or _skein_new_key(_skein_name)


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
    return _skein_api_Delayed(_skein_key, None, None, (_skein_fn, _skein_args, _skein_kwargs, _skein_rule != _SKEIN_IMPURE))


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


def _skein_materialize(_skein_obj):
    # Hands the host every pending task `_skein_obj` reaches, in one call.
    _skein_stack = [_skein_obj]
    _skein_found = []
    while _skein_stack:
        _skein_x = _skein_stack.pop()
        _skein_t = type(_skein_x)
        if _skein_t is _skein_api_Delayed:
            if _skein_x._task is not None:
                _skein_found.append((_skein_x, _skein_x._task))
                _skein_stack.append(_skein_x._task[1])
                _skein_stack.append(_skein_x._task[2])
                _skein_x._task = None
        elif _skein_t is list or _skein_t is tuple:
            _skein_stack.extend(_skein_x)
        elif _skein_t is dict:
            _skein_stack.extend(list(_skein_x.values()))
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
            # One capture per function: the found Delayeds hold it, so its id stays its own.
            _skein_id = id(_skein_fn)
            if _skein_id not in _skein_captured:
                _skein_captured[_skein_id] = _skein_send(_skein_fn)
            _skein_fn, _skein_vals = _skein_captured[_skein_id]
        _skein_vals = dict(_skein_vals)
        _skein_args = _skein_send_args(_skein_task[1], _skein_vals)
        _skein_kwargs = _skein_send_args(_skein_task[2], _skein_vals)
        _skein_tasks.append((_skein_d._key, _skein_fn, _skein_args, _skein_kwargs, _skein_vals, _skein_task[3]))
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


def _skein_method_task(_skein_d, _skein_name, _skein_args, _skein_kwargs):
    _skein_rule, _skein_key = _skein_call_options(_skein_kwargs)
    return _skein_pending('_skein_apply_method', (_skein_d, _skein_name, _skein_args, _skein_kwargs), {}, _skein_name, _skein_rule, _skein_key)


class DelayedFunction:
    # `delayed(f)`: calling it builds a task instead of running f. As in Dask, a call's key is
    # named after the function; `name=` names the wrapper itself.
    def __init__(self, fn, pure=None, name=None, nout=None):
        self._fn = fn
        self._pure = pure
        self._name = name
        self._nout = nout

    def __call__(self, *args, **kwargs):
        _skein_rule, _skein_key = _skein_call_options(kwargs, self._pure)
        _skein_d = _skein_pending(self._fn, args, kwargs, _skein_fn_name(self._fn), _skein_rule, _skein_key)
        if self._nout is not None:
            _skein_d._nout = self._nout
        return _skein_d

    def __repr__(self):
        if self._name is not None:
            return "Delayed('" + self._name + "')"
        return 'Delayed(' + repr(self._fn) + ')'


_skein_api_DelayedFunction = DelayedFunction


def delayed(obj=None, name=None, pure=None, nout=None, traverse=True, dask_key_name=None):
    if obj is None:
        # `@delayed(pure=True)`
        return lambda _skein_fn: _skein_api_DelayedFunction(_skein_fn, pure, name, nout)
    if type(obj) is _skein_api_Delayed or type(obj) is _skein_api_DelayedFunction:
        return obj
    if type(obj) is _SKEIN_CLASS or _skein_is_function(obj) or _skein_is_partial(obj):
        return _skein_api_DelayedFunction(obj, pure, name, nout)
    # Dask's `delayed(obj)`: the key is the object's type and a token of it, or `name`.
    return _skein_pending('_skein_apply_identity', (obj,), {}, type(obj).__name__, _SKEIN_PURE, name or dask_key_name)


def compute(*args, **kwargs):
    # Delayeds inside lists, tuples and dicts are computed in place, as Dask's `traverse=True`.
    args = tuple([_skein_collection(_skein_bag_item(_skein_x)) for _skein_x in args])
    _skein_materialize(args)
    # The ProgressBars and Profilers watching (`diagnostics.py`), most often none.
    _skein_watching = _skein_local_diagnostics(kwargs)
    for _skein_w in _skein_watching:
        _skein_w._skein_start()
    try:
        _skein_out = tuple(_skein_value(_skein_compute(list(args), _skein_queueing(kwargs.get('priority', 0), kwargs.get('fifo_timeout')))))
    except Exception:
        for _skein_w in _skein_watching:
            _skein_w._skein_finish(True)
        raise
    for _skein_w in _skein_watching:
        _skein_w._skein_finish(False)
    return _skein_out


_skein_api_compute = compute


def _skein_bag_item(_skein_x):
    # A bag or a bag's `Item` computes as the Delayed of its value (`bag.py`).
    if type(_skein_x) is _skein_api_Bag:
        return _skein_x._skein_collect()
    if type(_skein_x) is _skein_api_Item:
        return _skein_x._delayed
    return _skein_x


def persist(*args, **kwargs):
    _skein_materialize(args)
    _skein_out = []
    for _skein_x, _skein_key in zip(args, _skein_persist(list(args), _skein_queueing(kwargs.get('priority', 0), kwargs.get('fifo_timeout')))):
        if _skein_key is None:
            _skein_out.append(_skein_x)
        else:
            _skein_out.append(_skein_api_Delayed(_skein_key))
    return tuple(_skein_out)


_skein_api_persist = persist


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


_skein_api_visualize = visualize
