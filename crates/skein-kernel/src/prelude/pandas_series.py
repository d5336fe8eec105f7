# Skein's minimal `pandas`, part 3 of 5: `Index`, `Series` and the `.iloc`/`.loc` indexers.
#
# pandas is written in the Python subset Monty runs. Each part is a function that defines its
# names as locals (so no helper reaches the user's namespace) and publishes the ones later parts
# use on `pd`, a private namespace object; a part reads what it needs from earlier parts into
# locals up front, and names from later parts (`pd.DataFrame` in a `Series` method) when used.


def _skein_pandas_series(pd):
    NAN = pd.NAN
    MAX_ROWS = pd.MAX_ROWS
    MIN_ROWS = pd.MIN_ROWS
    _is_int = pd._is_int
    _is_nan = pd._is_nan
    _skein_values_array = pd._skein_values_array
    _infer_dtype = pd._infer_dtype
    _normalize = pd._normalize
    _labels = pd._labels
    _nansum = pd._nansum
    _format_values = pd._format_values
    _fixed_width = pd._fixed_width
    _adjoin = pd._adjoin
    _index_repr = pd._index_repr

    # ------------------------------------------------------------------ Index

    class Index:
        def __init__(self, labels=()):
            self._labels = list(labels)
            self.values = self._labels

        def __len__(self):
            return len(self._labels)

        def __iter__(self):
            return iter(self._labels)

        def __getitem__(self, key):
            if isinstance(key, slice):
                return Index(self._labels[key])
            return self._labels[key]

        def __contains__(self, key):
            return key in self._labels

        def __eq__(self, other):
            return list(self._labels) == list(other)

        def tolist(self):
            return list(self._labels)

        def to_list(self):
            return list(self._labels)

        def __repr__(self):
            return _index_repr(self._labels)

    # ------------------------------------------------------------------ Series

    class Series:
        def __init__(self, data=None, index=None, name=None, dtype=None):
            if isinstance(data, Series):
                data._pull()
                if name is None:
                    name = data.name
                if index is None:
                    index = list(data._index)
                data = list(data._values)
            elif isinstance(data, dict):
                if index is None:
                    index = list(data.keys())
                    data = list(data.values())
                else:
                    index = list(index)
                    data = [data[k] if k in data else NAN for k in index]
            elif data is None:
                data = []
            elif isinstance(data, (str, int, float, bool)):
                n = 1 if index is None else len(list(index))
                data = [data] * n
            else:
                data = list(data)
            values, dt = _normalize(data)
            if dtype is not None:
                if dtype == float or dtype == 'float' or dtype == 'float64':
                    values = [float(v) for v in values]
                    dt = 'float64'
                elif dtype == int or dtype == 'int' or dtype == 'int64':
                    values = [int(v) for v in values]
                    dt = 'int64'
                elif dtype == str or dtype == object or dtype == 'object' or dtype == 'str':
                    dt = 'object'
                elif dtype == bool or dtype == 'bool':
                    values = [bool(v) for v in values]
                    dt = 'bool'
            self._values = values
            self._dtype = dt
            self._index = _labels(index, len(values))
            self.name = name
            self._sync()

        def _new(self, values, index=None, name=None):
            s = Series(values, index=self._index if index is None else index, name=name)
            return s

        # --- basic protocol
        def __len__(self):
            return len(self._values)

        def __iter__(self):
            return iter(self._values)

        def __contains__(self, key):
            return key in self._index

        def _position(self, key):
            if key in self._index:
                return self._index.index(key)
            if _is_int(key) and _infer_dtype(self._index) != 'int64':
                if key < 0:
                    key += len(self._values)
                if key >= 0 and key < len(self._values):
                    return key
            raise KeyError(key)

        def __getitem__(self, key):
            self._pull()
            if isinstance(key, Series):
                if key._dtype == 'bool':
                    return self._mask(key._values)
                return self._take([self._position(k) for k in key._values])
            if isinstance(key, slice):
                return Series(self._values[key], index=self._index[key], name=self.name)
            if isinstance(key, list):
                if len(key) == len(self._values) and _infer_dtype(key) == 'bool':
                    return self._mask(key)
                return self._take([self._position(k) for k in key])
            return self._values[self._position(key)]

        def __setitem__(self, key, value):
            if key in self._index:
                self._values[self._index.index(key)] = value
            else:
                self._values.append(value)
                self._index.append(key)
            self._values, self._dtype = _normalize(self._values)
            self._sync()

        def _mask(self, mask):
            vals = []
            idx = []
            for i in range(len(mask)):
                if mask[i]:
                    vals.append(self._values[i])
                    idx.append(self._index[i])
            return Series(vals, index=idx, name=self.name)

        def _take(self, positions):
            return Series([self._values[i] for i in positions],
                          index=[self._index[i] for i in positions], name=self.name)

        # --- attributes (Monty has no @property, so they are kept in sync)
        def _sync(self):
            self.values = _skein_values_array(self._values, (len(self._values),), [self._dtype])
            self.dtype = self._dtype
            self._index_obj = Index(self._index)
            self.index = self._index_obj
            self.shape = (len(self._values),)
            self.size = len(self._values)
            self.empty = len(self._values) == 0
            self.iloc = _ILoc(self)
            self.loc = _Loc(self)

        def _pull(self):
            # pick up `s.index = [...]` assignments
            if self.index is not self._index_obj:
                self._index = _labels(self.index, len(self._values))
                self._sync()

        def _aligned(self, index, n):
            self._pull()
            if index is None or self._index == list(index):
                return list(self._values)
            lookup = {}
            for i in range(len(self._index)):
                lookup[self._index[i]] = self._values[i]
            return [lookup[k] if k in lookup else NAN for k in index]

        def tolist(self):
            return list(self._values)

        def to_list(self):
            return list(self._values)

        def copy(self):
            return Series(list(self._values), index=list(self._index), name=self.name)

        def head(self, n=5):
            return Series(self._values[:n], index=self._index[:n], name=self.name)

        def tail(self, n=5):
            if n == 0:
                return Series([], index=[], name=self.name)
            return Series(self._values[-n:], index=self._index[-n:], name=self.name)

        # --- reductions
        def _valid(self):
            return [v for v in self._values if not _is_nan(v)]

        def sum(self):
            return _nansum(self._values, self._dtype)

        def count(self):
            return len(self._valid())

        def mean(self):
            n = self.count()
            if n == 0:
                return NAN
            return _nansum(self._values, self._dtype) / n

        def max(self):
            vals = self._valid()
            if len(vals) == 0:
                return NAN
            return max(vals)

        def min(self):
            vals = self._valid()
            if len(vals) == 0:
                return NAN
            return min(vals)

        def median(self):
            vals = sorted(self._valid())
            n = len(vals)
            if n == 0:
                return NAN
            if n % 2 == 1:
                return float(vals[n // 2])
            return (vals[n // 2 - 1] + vals[n // 2]) / 2

        def var(self, ddof=1):
            vals = self._valid()
            n = len(vals)
            if n - ddof <= 0:
                return NAN
            m = self.mean()
            return sum([(v - m) * (v - m) for v in vals]) / (n - ddof)

        def std(self, ddof=1):
            v = self.var(ddof)
            if v != v:
                return v
            return v ** 0.5

        def unique(self):
            out = []
            for v in self._values:
                if v not in out:
                    out.append(v)
            return out

        def apply(self, func):
            return Series([func(v) for v in self._values], index=list(self._index), name=self.name)

        def map(self, func):
            if isinstance(func, dict):
                return Series([func[v] if v in func else NAN for v in self._values],
                              index=list(self._index), name=self.name)
            return self.apply(func)

        def astype(self, dtype):
            return Series(self._values, index=list(self._index), name=self.name, dtype=dtype)

        def abs(self):
            return self.apply(abs)

        def round(self, decimals=0):
            return Series([round(v, decimals) for v in self._values],
                          index=list(self._index), name=self.name)

        def plot(self, *args, **kwargs):
            _skein_plot_series([float(v) for v in self._values], self.name)
            return _SkeinArtist("<Axes: >")

        def to_frame(self, name=None):
            col = name
            if col is None:
                col = 0 if self.name is None else self.name
            return pd.DataFrame({col: list(self._values)}, index=list(self._index))

        # --- element-wise operations
        def _other_values(self, other):
            self._pull()
            if isinstance(other, Series):
                if other._index == self._index:
                    return list(other._values)
                lookup = {}
                for i in range(len(other._index)):
                    lookup[other._index[i]] = other._values[i]
                return [lookup[k] if k in lookup else NAN for k in self._index]
            if isinstance(other, (list, tuple)):
                if len(other) != len(self._values):
                    raise ValueError('Lengths must match to compare')
                return list(other)
            return [other] * len(self._values)

        def _binop(self, other, op):
            ov = self._other_values(other)
            out = []
            for i in range(len(self._values)):
                a = self._values[i]
                b = ov[i]
                if _is_nan(a) or _is_nan(b):
                    out.append(NAN)
                else:
                    out.append(op(a, b))
            return Series(out, index=list(self._index), name=self.name)

        def _cmp(self, other, op):
            ov = self._other_values(other)
            out = []
            for i in range(len(self._values)):
                a = self._values[i]
                b = ov[i]
                if _is_nan(a) or _is_nan(b):
                    out.append(op is _ne)
                else:
                    out.append(bool(op(a, b)))
            return Series(out, index=list(self._index), name=self.name, dtype='bool')

        def __add__(self, other):
            return self._binop(other, lambda a, b: a + b)

        def __radd__(self, other):
            return self._binop(other, lambda a, b: b + a)

        def __sub__(self, other):
            return self._binop(other, lambda a, b: a - b)

        def __rsub__(self, other):
            return self._binop(other, lambda a, b: b - a)

        def __mul__(self, other):
            return self._binop(other, lambda a, b: a * b)

        def __rmul__(self, other):
            return self._binop(other, lambda a, b: b * a)

        def __truediv__(self, other):
            return self._binop(other, _div)

        def __rtruediv__(self, other):
            return self._binop(other, lambda a, b: _div(b, a))

        def __floordiv__(self, other):
            return self._binop(other, lambda a, b: a // b)

        def __mod__(self, other):
            return self._binop(other, lambda a, b: a % b)

        def __pow__(self, other):
            return self._binop(other, lambda a, b: a ** b)

        def __neg__(self):
            return Series([-v for v in self._values], index=list(self._index), name=self.name)

        def __gt__(self, other):
            return self._cmp(other, lambda a, b: a > b)

        def __ge__(self, other):
            return self._cmp(other, lambda a, b: a >= b)

        def __lt__(self, other):
            return self._cmp(other, lambda a, b: a < b)

        def __le__(self, other):
            return self._cmp(other, lambda a, b: a <= b)

        def __eq__(self, other):
            return self._cmp(other, _eq)

        def __ne__(self, other):
            return self._cmp(other, _ne)

        # Monty 1.4 only dispatches `==` to user classes; these methods
        # (real pandas API) are the portable spelling of the comparisons.
        def gt(self, other):
            return self.__gt__(other)

        def ge(self, other):
            return self.__ge__(other)

        def lt(self, other):
            return self.__lt__(other)

        def le(self, other):
            return self.__le__(other)

        def eq(self, other):
            return self.__eq__(other)

        def ne(self, other):
            return self.__ne__(other)

        def add(self, other):
            return self.__add__(other)

        def sub(self, other):
            return self.__sub__(other)

        def mul(self, other):
            return self.__mul__(other)

        def div(self, other):
            return self.__truediv__(other)

        def truediv(self, other):
            return self.__truediv__(other)

        def isna(self):
            return Series([_is_nan(v) for v in self._values], index=list(self._index),
                          name=self.name, dtype='bool')

        def notna(self):
            return Series([not _is_nan(v) for v in self._values], index=list(self._index),
                          name=self.name, dtype='bool')

        def __and__(self, other):
            ov = self._other_values(other)
            return Series([bool(self._values[i]) and bool(ov[i]) for i in range(len(ov))],
                          index=list(self._index), name=self.name, dtype='bool')

        def __or__(self, other):
            ov = self._other_values(other)
            return Series([bool(self._values[i]) or bool(ov[i]) for i in range(len(ov))],
                          index=list(self._index), name=self.name, dtype='bool')

        def __invert__(self):
            if self._dtype == 'bool':
                return Series([not v for v in self._values], index=list(self._index),
                              name=self.name, dtype='bool')
            return Series([~v for v in self._values], index=list(self._index), name=self.name)

        # --- repr
        def __repr__(self):
            self._pull()
            n = len(self._values)
            footer = ''
            if self.name is not None:
                footer = 'Name: ' + str(self.name)
            truncated = n > MAX_ROWS
            if truncated:
                if footer:
                    footer += ', '
                footer += 'Length: ' + str(n)
            if footer:
                footer += ', '
            footer += 'dtype: ' + self._dtype
            if n == 0:
                return 'Series([], ' + footer + ')'
            if truncated:
                half = MIN_ROWS // 2
                vals = self._values[:half] + self._values[n - half:]
                idx = self._index[:half] + self._index[n - half:]
            else:
                vals = self._values
                idx = self._index
            fmt_vals = _fixed_width(_format_values(vals, self._dtype), 'right')
            fmt_idx = [str(x) for x in idx]
            if truncated:
                half = MIN_ROWS // 2
                width = len(fmt_vals[half - 1])
                dots = '...' if width > 3 else '..'
                fmt_vals.insert(half, dots.center(width))
                fmt_idx.insert(half, '')
            return _adjoin(3, [fmt_idx, fmt_vals]) + '\n' + footer

        def __str__(self):
            return self.__repr__()

    def _div(a, b):
        if b == 0:
            if a == 0 or a != a:
                return NAN
            return float('inf') if a > 0 else float('-inf')
        return a / b

    def _eq(a, b):
        return a == b

    def _ne(a, b):
        return a != b

    # ------------------------------------------------------------------ indexers

    class _ILoc:
        def __init__(self, obj):
            self._obj = obj

        def __getitem__(self, key):
            obj = self._obj
            if isinstance(key, tuple):
                rows, col = key
                if isinstance(obj, pd.DataFrame):
                    sub = _ILoc(obj)[rows]
                    if isinstance(col, int):
                        name = obj._columns[col]
                        if isinstance(sub, pd.DataFrame):
                            return sub[name]
                        return sub[name]
                    names = obj._columns[col] if isinstance(col, slice) else [obj._columns[c] for c in col]
                    if isinstance(sub, pd.DataFrame):
                        return sub[names]
                    return sub[names]
            if isinstance(obj, Series):
                if isinstance(key, slice):
                    return Series(obj._values[key], index=obj._index[key], name=obj.name)
                if isinstance(key, list):
                    return obj._take(key)
                return obj._values[key]
            # DataFrame
            if isinstance(key, slice):
                return obj._take(list(range(len(obj._index)))[key])
            if isinstance(key, list):
                return obj._take(key)
            return obj._row_series(key)

    class _Loc:
        def __init__(self, obj):
            self._obj = obj

        def __getitem__(self, key):
            obj = self._obj
            if isinstance(obj, Series):
                return obj[key]
            col = None
            if isinstance(key, tuple):
                key, col = key
            if isinstance(key, Series) or (isinstance(key, list) and _infer_dtype(key) == 'bool'):
                res = obj[key]
            elif isinstance(key, list):
                res = obj._take([obj._index.index(k) for k in key])
            elif isinstance(key, slice):
                res = obj
            else:
                res = obj._row_series(obj._index.index(key))
            if col is None:
                return res
            return res[col]

    pd.Index = Index
    pd.Series = Series
    pd._ILoc = _ILoc
    pd._Loc = _Loc
