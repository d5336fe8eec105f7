

# --- numpy: Rust arrays behind NumPy's names --------------------------------------------------
# An `ndarray` holds its elements as bytes (`_data`); every operation is `_skein_np(...)`,
# Rust's (see `numpy/`). Monty runs operator methods where they cannot call the host, so
# `a + b` records a pending expression (`_expr`) that the next real operation evaluates, and
# cells' subscripts go through `_skein_getitem`/`_skein_setitem` (see `cell.rs`). Writes of
# numbers to single elements are pending too (`('writes', base, [(position, number)])`),
# since the bytes are immutable and each write would otherwise copy the whole array twice.


def _skein_module_numpy(np):
    _KINDS = {'bool': 0, 'int64': 1, 'float64': 2}

    def _dtype_name(dtype):
        if dtype is None:
            return None
        if dtype is float:
            return 'float64'
        if dtype is int:
            return 'int64'
        if dtype is bool:
            return 'bool'
        if type(dtype) is _DType:
            return dtype.name
        return str(dtype)

    class _DType:
        def __init__(self, name=''):
            self.name = name

        def __repr__(self):
            return "dtype('" + self.name + "')"

        def __str__(self):
            return self.name

        def __eq__(self, other):
            return self.name == _dtype_name(other)

    class ndarray:
        def __init__(self):
            self._expr = None
            self._data = b''
            self.dtype = _DType('float64')
            self.shape = (0,)
            self.ndim = 1
            self.size = 0
            self._repr = 'array([], dtype=float64)'
            self._str = '[]'
            self._reads = 0

        def _set(self, t):
            self._expr = None
            self._reads = 0
            _items_of.pop(id(self), None)
            self._data = t[1]
            self.dtype = _DType(t[2])
            self.shape = t[3]
            self.ndim = len(t[3])
            size = 1
            for d in t[3]:
                size *= d
            self.size = size
            self._repr = t[4]
            self._str = t[5]
            return self

        def _share(self):
            # A new array in this one's state, its bytes shared, not copied. Monty has no
            # `__dict__` to copy, so the fields are the ones `__init__` and `_set` name.
            other = ndarray()
            other._expr = self._expr
            other._data = self._data
            other.dtype = self.dtype
            other.shape = self.shape
            other.ndim = self.ndim
            other.size = self.size
            other._repr = self._repr
            other._str = self._str
            return other

        def _force(self):
            if self._expr is not None:
                # What the reads counted and the flat list (kept true through pending writes)
                # stay: the elements are the ones they saw.
                _reads = self._reads
                _kept = _items_of.get(id(self))
                self._set(_skein_np('eval', self))
                self._reads = _reads
                if _kept is not None and _kept[0] is self:
                    _items_of[id(self)] = _kept
            return self

        def __repr__(self):
            if self._repr is None:
                return 'array(...)  # pending: show it with display() or print()'
            return self._repr

        def __str__(self):
            if self._str is None:
                return '[...]  # pending: show it with display() or print()'
            return self._str

        def __len__(self):
            if self.ndim == 0:
                raise TypeError('len() of unsized object')
            return self.shape[0]

        def __getitem__(self, key):
            # `a[i, j]` read in a loop (the lab's travel times): after a few reads, the elements
            # are fetched once as a flat list, which answers the rest without a host call
            # (each copies the whole array across).
            if self.size <= _ITEMS_CACHED_UP_TO:
                _at = _flat_offset(self, key)
                if _at is not None:
                    _kept = _items_of.get(id(self))
                    if _kept is not None and _kept[0] is self:
                        return _kept[1][_at]
                    if _has_writes(self):
                        self._force()
                    if self._expr is None:
                        self._reads += 1
                        if self._reads > 8:
                            return _keep_items(self)[_at]
            elif _has_writes(self):
                self._force()
            return _wrap(_skein_np('getitem', self, _key(key)))

        def __setitem__(self, key, value):
            # `adj[i, j] = cost` in a loop: a number for one element is kept as a pending
            # write, and the writes are applied together at the array's next use, instead of
            # a host call per element that copies the whole array both ways.
            _t = type(value)
            if _t is float or _t is bool or (_t is int and -_I64 <= value and value < _I64):
                _at = _flat_offset(self, key)
                if _at is not None:
                    _write_later(self, _at, value)
                    return
            self._set(_skein_np('setitem', self, _key(key), value))

        def __iter__(self):
            return iter(_rows(self))

        def __bool__(self):
            if self.size != 1:
                raise ValueError('The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()')
            return bool(self.item())

        def __add__(self, other):
            return _lazy('add', self, other)

        def __radd__(self, other):
            return _lazy('add', other, self)

        def __sub__(self, other):
            return _lazy('sub', self, other)

        def __rsub__(self, other):
            return _lazy('sub', other, self)

        def __mul__(self, other):
            return _lazy('mul', self, other)

        def __rmul__(self, other):
            return _lazy('mul', other, self)

        def __truediv__(self, other):
            return _lazy('truediv', self, other)

        def __rtruediv__(self, other):
            return _lazy('truediv', other, self)

        def __floordiv__(self, other):
            return _lazy('floordiv', self, other)

        def __rfloordiv__(self, other):
            return _lazy('floordiv', other, self)

        def __mod__(self, other):
            return _lazy('mod', self, other)

        def __pow__(self, other):
            return _lazy('pow', self, other)

        def __rpow__(self, other):
            return _lazy('pow', other, self)

        def __and__(self, other):
            return _lazy('and', self, other)

        def __or__(self, other):
            return _lazy('or', self, other)

        def __neg__(self):
            return _lazy('unary:neg', self, None)

        def __abs__(self):
            return _lazy('unary:abs', self, None)

        def __invert__(self):
            return _lazy('unary:invert', self, None)

        def __eq__(self, other):
            return _lazy('eq', self, other)

        def __ne__(self, other):
            return _lazy('ne', self, other)

        def __lt__(self, other):
            return _lazy('lt', self, other)

        def __le__(self, other):
            return _lazy('le', self, other)

        def __gt__(self, other):
            return _lazy('gt', self, other)

        def __ge__(self, other):
            return _lazy('ge', self, other)

        def sum(self, axis=None):
            return _wrap(_skein_np('reduce', 'sum', self, axis))

        def mean(self, axis=None):
            return _wrap(_skein_np('reduce', 'mean', self, axis))

        def max(self, axis=None):
            return _wrap(_skein_np('reduce', 'max', self, axis))

        def min(self, axis=None):
            return _wrap(_skein_np('reduce', 'min', self, axis))

        def any(self, axis=None):
            return _wrap(_skein_np('reduce', 'any', self, axis))

        def all(self, axis=None):
            return _wrap(_skein_np('reduce', 'all', self, axis))

        def tolist(self):
            return _skein_np('tolist', self)

        def item(self):
            self._force()
            if self.size != 1:
                raise ValueError('can only convert an array of size 1 to a Python scalar')
            return _skein_np('reduce', 'sum', self, None)

        def copy(self):
            return ndarray()._set(_skein_np('eval', self))

        def reshape(self, *shape):
            if len(shape) == 1 and type(shape[0]) in (tuple, list):
                shape = shape[0]
            return _wrap(_skein_np('reshape', self, tuple(shape)))

        def flatten(self):
            return self.reshape(-1)

        def ravel(self):
            return self.reshape(-1)

        def std(self):
            return _skein_np('moment', self, 'std')

        def var(self):
            return _skein_np('moment', self, 'var')

        def transpose(self):
            return _wrap(_skein_np('transpose', self))

        def astype(self, dtype):
            return _wrap(_skein_np('astype', self, _dtype_name(dtype)))

    # The most elements an array keeps as a flat list for scalar reads (`ndarray.__getitem__`).
    _ITEMS_CACHED_UP_TO = 1 << 18
    # How many arrays' flat lists are kept at once.
    _ITEMS_KEPT = 4
    # Those flat lists, by the array's id, with the array (so the id is not reused while the
    # entry lives). Kept off the array: an attribute would cross to the host, and to tasks,
    # with every call that takes the array.
    _items_of = {}

    # Pending element writes, as NumPy casts them; applied once this many are pending, so a
    # long loop of writes costs a bounded list and, per write, a share of one copy.
    _I64 = 2 ** 63

    def _has_writes(a):
        return a._expr is not None and a._expr[0] == 'writes'

    def _write_later(a, at, value):
        dtype = a.dtype.name
        if dtype == 'float64':
            value = float(value)
        elif dtype == 'int64':
            value = int(value)
        else:
            value = bool(value)
        expr = a._expr
        if expr is None or expr[0] != 'writes':
            # The array as it is now (its bytes shared, not copied) is the writes' base.
            expr = ('writes', a._share(), [])
            a._expr = expr
            a._repr = None
            a._str = None
        expr[2].append((at, value))
        kept = _items_of.get(id(a))
        if kept is not None and kept[0] is a:
            kept[1][at] = value
        if len(expr[2]) > 64 and len(expr[2]) > a.size // 8:
            a._force()

    def _keep_items(a):
        if len(_items_of) >= _ITEMS_KEPT:
            _items_of.pop(list(_items_of)[0])
        _items = a.ravel().tolist()
        _items_of[id(a)] = (a, _items)
        return _items

    def _flat_offset(a, key):
        # The flat (C order) position of `a[key]` when `key` names one element in range: one int
        # per axis. None for anything else, which the host answers (slices, arrays, errors).
        if type(key) is int:
            key = (key,)
        elif type(key) is not tuple:
            return None
        if len(key) != a.ndim:
            return None
        at = 0
        for axis in range(a.ndim):
            i = key[axis]
            n = a.shape[axis]
            if type(i) is not int:
                return None
            if i < 0:
                i += n
            if i < 0 or i >= n:
                return None
            at = at * n + i
        return at

    def _wrap(value):
        if type(value) is tuple and len(value) == 6 and value[0] == '__ndarray__':
            return ndarray()._set(value)
        return value

    def _rows(a):
        rows = _skein_np('rows', a)
        if a.ndim == 1:
            return rows
        return [ndarray()._set(r) for r in rows]

    def _scalar_kind(x):
        if x is True or x is False:
            return 0
        if type(x) is int:
            return 1
        return 2

    def _broadcast(a, b):
        n = max(len(a), len(b))
        a = (1,) * (n - len(a)) + tuple(a)
        b = (1,) * (n - len(b)) + tuple(b)
        out = []
        for i in range(n):
            if a[i] == b[i] or b[i] == 1:
                out.append(a[i])
            elif a[i] == 1:
                out.append(b[i])
            else:
                raise ValueError('operands could not be broadcast together with shapes ' + str(a) + ' ' + str(b) + ' ')
        return tuple(out)

    def _lazy(op, a, b):
        # A pending `a <op> b`: its shape and dtype now, its elements when next used.
        if type(a) is not ndarray and type(b) is not ndarray:
            raise TypeError('unsupported operand types')
        shape_a = a.shape if type(a) is ndarray else ()
        shape_b = b.shape if type(b) is ndarray else ()
        kind_a = _KINDS[a.dtype.name] if type(a) is ndarray else _scalar_kind(a)
        kind_b = _KINDS[b.dtype.name] if type(b) is ndarray else _scalar_kind(b)
        if op.startswith('unary:'):
            shape = shape_a
            kind = kind_a if op in ('unary:neg', 'unary:abs', 'unary:invert') else 2
        else:
            shape = _broadcast(shape_a, shape_b)
            kind = max(kind_a, kind_b)
            if op in ('eq', 'ne', 'lt', 'le', 'gt', 'ge'):
                kind = 0
            elif op == 'truediv':
                kind = 2
            if type(b) is list or type(b) is tuple:
                b = array(b)
            if type(a) is list or type(a) is tuple:
                a = array(a)
        out = ndarray()
        out._expr = (op, a, b)
        out.dtype = _DType(['bool', 'int64', 'float64'][kind])
        out.shape = shape
        out.ndim = len(shape)
        size = 1
        for d in shape:
            size *= d
        out.size = size
        out._repr = None
        out._str = None
        return out

    def _pending(nested, shape, dtype_name):
        # An array of Python numbers made when first used: safe where Monty cannot call the
        # host (pandas makes `.values` this way).
        out = ndarray()
        out._expr = ('array', nested, None)
        out.dtype = _DType(dtype_name)
        out.shape = tuple(shape)
        out.ndim = len(shape)
        size = 1
        for d in shape:
            size *= d
        out.size = size
        out._repr = None
        out._str = None
        return out

    def _key(key):
        if type(key) is tuple:
            return tuple([_key_part(k) for k in key])
        return (_key_part(key),)

    def _key_part(k):
        if type(k) is slice:
            return ('__slice__', k.start, k.stop, k.step)
        return k

    def array(obj, dtype=None):
        return _wrap(_skein_np('array', obj, _dtype_name(dtype)))

    def asarray(obj, dtype=None):
        if type(obj) is ndarray and dtype is None:
            return obj
        return array(obj, dtype)

    def zeros(shape, dtype=float):
        return _wrap(_skein_np('zeros', shape, _dtype_name(dtype)))

    def ones(shape, dtype=float):
        return _wrap(_skein_np('full', shape, 1, _dtype_name(dtype)))

    def full(shape, fill_value, dtype=None):
        return _wrap(_skein_np('full', shape, fill_value, _dtype_name(dtype)))

    def arange(start, stop=None, step=1):
        if stop is None:
            start, stop = 0, start
        return _wrap(_skein_np('arange', start, stop, step))

    def linspace(start, stop, num=50):
        return _wrap(_skein_np('linspace', start, stop, num))

    def load(file):
        with open(file, 'rb') as f:
            data = f.read()
        return _wrap(_skein_np('load', data))

    def hsplit(a, sections):
        a = asarray(a)
        return [ndarray()._set(t) for t in _skein_np('split', a, sections, 1 if a.ndim > 1 else 0)]

    def vsplit(a, sections):
        a = asarray(a)
        if a.ndim < 2:
            raise ValueError('vsplit only works on arrays of 2 or more dimensions')
        return [ndarray()._set(t) for t in _skein_np('split', a, sections, 0)]

    def split(a, sections, axis=0):
        return [ndarray()._set(t) for t in _skein_np('split', asarray(a), sections, axis)]

    def concatenate(arrays, axis=0):
        return _wrap(_skein_np('concatenate', list(arrays), axis))

    def _reduction(name):
        def reduce(a, axis=None):
            return _wrap(_skein_np('reduce', name, asarray(a), axis))
        return reduce

    def _unary(name):
        def apply(a):
            if type(a) is int or type(a) is float:
                # A scalar in, a scalar out: the one element of the function of `[a]`.
                return _skein_np('rows', _wrap(_skein_np('unary', name, asarray([a]))))[0]
            return _wrap(_skein_np('unary', name, asarray(a)))
        return apply

    def shape(a):
        return asarray(a).shape

    def percentile(a, q):
        return _wrap(_skein_np('percentile', asarray(a), q))

    def median(a):
        return _skein_np('percentile', asarray(a), 50)

    def std(a):
        return _skein_np('moment', asarray(a), 'std')

    def var(a):
        return _skein_np('moment', asarray(a), 'var')

    def ravel(a):
        return asarray(a).reshape(-1)

    def transpose(a):
        return asarray(a).transpose()

    def reshape(a, newshape):
        return asarray(a).reshape(newshape)

    class _Random:
        def __init__(self):
            self.name = 'numpy.random'

        def random(self, size=None):
            if size is None:
                import random as _r
                return _r.random()
            return _wrap(_skein_np('random', size))

        def rand(self, *shape):
            if len(shape) == 0:
                return self.random()
            return self.random(shape)

        def randint(self, low, high=None, size=None):
            if high is None:
                low, high = 0, low
            return _wrap(_skein_np('randint', low, high, size))

        def uniform(self, low=0.0, high=1.0, size=None):
            if size is None:
                import random as _r
                return _r.uniform(low, high)
            return self.random(size) * (high - low) + low

    np.ndarray = ndarray
    np.dtype = _DType
    np.array = array
    np.asarray = asarray
    np.zeros = zeros
    np.ones = ones
    np.full = full
    np.empty = zeros
    np.arange = arange
    np.linspace = linspace
    np.load = load
    np.hsplit = hsplit
    np.vsplit = vsplit
    np.split = split
    np.concatenate = concatenate
    np.shape = shape
    np.percentile = percentile
    np.median = median
    np.std = std
    np.var = var
    np.ravel = ravel
    np.transpose = transpose
    np.reshape = reshape
    for name in ['sum', 'mean', 'max', 'min', 'any', 'all']:
        setattr(np, name, _reduction(name))
    np.amax = np.max
    np.amin = np.min
    for name in ['sqrt', 'exp', 'log', 'abs', 'floor', 'ceil', 'isnan']:
        setattr(np, name, _unary(name))
    np.absolute = np.abs
    np.random = _Random()
    np.nan = float('nan')
    np.inf = float('inf')
    np.pi = 3.141592653589793
    np.e = 2.718281828459045
    np.float64 = 'float64'
    np.int64 = 'int64'
    np.bool_ = 'bool'
    np.newaxis = None
    np.__version__ = '2.4.6'
    np._DType = _DType
    np._wrap = _wrap
    np._pending = _pending
    np._rows = _rows
    np._key = _key
    return ndarray


_skein_numpy = _skein_module('numpy')
_skein_ndarray = _skein_module_numpy(_skein_numpy)
_skein_modules['numpy.random'] = _skein_numpy.random
_skein_classes['ndarray'] = _skein_ndarray
_skein_classes['_DType'] = _skein_numpy._DType
