# Minimal `pandas` for Skein, written in the Python subset that Monty runs.
#
# Everything lives inside `_skein_module_pandas(module)`, which installs
# `read_csv`, `DataFrame`, `Series` and `concat` on the given module object,
# so no helper leaks into the user's namespace.
#
# Host functions used: `_skein_read_text(path)`, `_skein_write_text(path, text)`,
# `_skein_plot_series(values, name)`.
#
# Reprs follow pandas 2.x (display.precision=6, max_rows=60, min_rows=10,
# max_colwidth=50, width=80, max_columns=20).


def _skein_module_pandas(module):
    import random

    NAN = float('nan')
    MAX_ROWS = 60
    MIN_ROWS = 10
    MAX_COLS = 20
    MAX_COLWIDTH = 50
    LINE_WIDTH = 80
    NA_STRINGS = [
        '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan',
        '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None',
        'n/a', 'nan', 'null',
    ]

    # ------------------------------------------------------------------ helpers

    def _is_bool(v):
        return v is True or v is False

    def _is_int(v):
        return isinstance(v, int) and not _is_bool(v)

    def _is_float(v):
        return isinstance(v, float)

    def _is_nan(v):
        return v is None or (isinstance(v, float) and v != v)

    def _skein_values_array(nested, shape, dtypes):
        # `.values` as NumPy gives it: an array for numbers, pending until first used so a
        # frame can be made where Monty cannot call the host; object columns stay lists.
        if len(dtypes) == 0 or 'object' in dtypes:
            return nested
        if 'float64' in dtypes:
            kind = 'float64'
        elif 'int64' in dtypes:
            kind = 'int64'
        else:
            kind = 'bool'
        return _skein_numpy._pending(nested, shape, kind)

    def _infer_dtype(values):
        if len(values) == 0:
            return 'object'
        all_bool = True
        all_int = True
        all_num = True
        any_real = False
        for v in values:
            if _is_bool(v):
                all_int = False
                all_num = False
                any_real = True
            elif _is_int(v):
                all_bool = False
                any_real = True
            elif _is_float(v):
                all_bool = False
                all_int = False
                any_real = True
            elif v is None:
                all_bool = False
                all_int = False
            else:
                return 'object'
        if not any_real:
            return 'object'
        if all_bool:
            return 'bool'
        if all_int:
            return 'int64'
        if all_num:
            return 'float64'
        return 'object'

    def _normalize(values):
        # Returns (values, dtype); ints become floats in a float64 column.
        values = list(values)
        dtype = _infer_dtype(values)
        if dtype == 'float64':
            values = [NAN if v is None else float(v) for v in values]
        return values, dtype

    def _labels(index, n):
        if index is None:
            return list(range(n))
        labels = list(index)
        if len(labels) != n:
            raise ValueError(
                'Length of values (' + str(n) + ') does not match length of index ('
                + str(len(labels)) + ')')
        return labels

    def _pairwise_sum(vals, lo, hi):
        # numpy's pairwise summation, so float sums match pandas bit for bit
        n = hi - lo
        if n < 8:
            res = 0.0
            i = lo
            while i < hi:
                res += vals[i]
                i += 1
            return res
        if n <= 128:
            r = [vals[lo], vals[lo + 1], vals[lo + 2], vals[lo + 3],
                 vals[lo + 4], vals[lo + 5], vals[lo + 6], vals[lo + 7]]
            i = lo + 8
            last = lo + n - (n % 8)
            while i < last:
                r[0] += vals[i]
                r[1] += vals[i + 1]
                r[2] += vals[i + 2]
                r[3] += vals[i + 3]
                r[4] += vals[i + 4]
                r[5] += vals[i + 5]
                r[6] += vals[i + 6]
                r[7] += vals[i + 7]
                i += 8
            res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < hi:
                res += vals[i]
                i += 1
            return res
        n2 = n // 2
        n2 -= n2 % 8
        return _pairwise_sum(vals, lo, lo + n2) + _pairwise_sum(vals, lo + n2, hi)

    def _nansum(values, dtype):
        if dtype == 'int64' or dtype == 'bool':
            total = 0
            for v in values:
                total += int(v)
            return total
        vals = [v for v in values if not _is_nan(v)]
        if dtype == 'float64':
            return _pairwise_sum(vals, 0, len(vals))
        if len(vals) == 0:
            return 0
        total = vals[0]
        for v in vals[1:]:
            total = total + v
        return total

    # ------------------------------------------------------------------ formatting

    def _trim_zeros_float(strs):
        def is_num(x):
            s = x.strip()
            if s[:1] == '+' or s[:1] == '-':
                s = s[1:]
            if '.' not in s:
                return False
            a, b = s.split('.', 1)
            return len(a) > 0 and a.isdigit() and (b == '' or b.isdigit())

        def should_trim(vals):
            nums = [x for x in vals if is_num(x)]
            if len(nums) == 0:
                return False
            for x in nums:
                if not x.endswith('0'):
                    return False
            return True

        trimmed = list(strs)
        while should_trim(trimmed):
            trimmed = [x[:-1] if is_num(x) else x for x in trimmed]
        return [x + '0' if is_num(x) and x.endswith('.') else x for x in trimmed]

    def _trim_zeros_single(s):
        while s.endswith('0') and '.' in s and not s.endswith('.0'):
            s = s[:-1]
        if s.endswith('.'):
            s = s + '0'
        return s

    def _format_float_values(values, lead):
        def fmt_all(kind):
            out = []
            for v in values:
                if v != v:
                    out.append('NaN')
                elif lead:
                    out.append(('{: .6' + kind + '}').format(v))
                else:
                    out.append(('{:.6' + kind + '}').format(v))
            return _trim_zeros_float(out)

        res = fmt_all('f')
        too_long = len(res) > 0 and max([len(x) for x in res]) > 12
        large = False
        small = False
        for v in values:
            if v == v:
                a = abs(v)
                if a > 1e6:
                    large = True
                if a < 1e-6 and a > 0:
                    small = True
        if small or (too_long and large):
            res = fmt_all('e')
        return res

    def _format_values(values, dtype, lead=True):
        sp = ' ' if lead else ''
        if dtype == 'float64':
            return _format_float_values(values, lead)
        if dtype == 'int64':
            return [sp + str(v) if v >= 0 else str(v) for v in values]
        out = []
        for v in values:
            if v is None:
                out.append(sp + 'None')
            elif _is_float(v):
                if v != v:
                    out.append(sp + 'NaN')
                else:
                    out.append(_trim_zeros_single('{: .6f}'.format(v)))
            else:
                out.append(sp + str(v))
        return out

    def _fixed_width(strings, justify, minimum=0):
        if len(strings) == 0:
            return strings
        max_len = max([len(x) for x in strings])
        if minimum > max_len:
            max_len = minimum
        if max_len > MAX_COLWIDTH:
            max_len = MAX_COLWIDTH
        out = []
        for x in strings:
            if len(x) > max_len:
                x = x[:max_len - 3] + '...'
            if justify == 'left':
                out.append(x.ljust(max_len))
            else:
                out.append(x.rjust(max_len))
        return out

    def _adjoin(space, cols):
        if len(cols) == 0:
            return ''
        widths = []
        for i in range(len(cols)):
            w = max([len(x) for x in cols[i]]) if len(cols[i]) > 0 else 0
            if i < len(cols) - 1:
                w += space
            widths.append(w)
        nrows = max([len(c) for c in cols])
        padded = []
        for i in range(len(cols)):
            c = [x.ljust(widths[i]) for x in cols[i]]
            c = [' ' * widths[i]] * (nrows - len(c)) + c
            padded.append(c)
        lines = []
        for r in range(nrows):
            lines.append(''.join([c[r] for c in padded]))
        return '\n'.join(lines)

    def _binify(widths, line_width):
        bins = []
        curr = 0
        last = len(widths) - 1
        for i in range(len(widths)):
            wa = widths[i] + 1
            curr += wa
            if i == last:
                wrap = curr + 1 > line_width and i > 0
            else:
                wrap = curr + 2 > line_width and i > 0
            if wrap:
                bins.append(i)
                curr = wa
        bins.append(len(widths))
        return bins

    def _pprint_list(items):
        return '[' + ', '.join([str(x) for x in items]) + ']'

    def _index_repr(labels):
        n = len(labels)
        if labels == list(range(n)):
            return 'RangeIndex(start=0, stop=' + str(n) + ', step=1)'
        dtype = _infer_dtype(labels)
        return 'Index([' + ', '.join([repr(x) for x in labels]) + "], dtype='" + dtype + "')"

    def _csv_field(v):
        if _is_nan(v):
            return ''
        if _is_float(v):
            s = repr(v)
        else:
            s = str(v)
        if ',' in s or '"' in s or '\n' in s or '\r' in s:
            s = '"' + s.replace('"', '""') + '"'
        return s

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
            return DataFrame({col: list(self._values)}, index=list(self._index))

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
            return self._cmp(other, lambda a, b: a > b)

        def ge(self, other):
            return self._cmp(other, lambda a, b: a >= b)

        def lt(self, other):
            return self._cmp(other, lambda a, b: a < b)

        def le(self, other):
            return self._cmp(other, lambda a, b: a <= b)

        def eq(self, other):
            return self._cmp(other, _eq)

        def ne(self, other):
            return self._cmp(other, _ne)

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
                if isinstance(obj, DataFrame):
                    sub = _ILoc(obj)[rows]
                    if isinstance(col, int):
                        name = obj._columns[col]
                        if isinstance(sub, DataFrame):
                            return sub[name]
                        return sub[name]
                    names = obj._columns[col] if isinstance(col, slice) else [obj._columns[c] for c in col]
                    if isinstance(sub, DataFrame):
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

    # ------------------------------------------------------------------ DataFrame

    def _frame_from_parts(columns, data, dtypes, index):
        df = DataFrame()
        df._columns = list(columns)
        df._data = data
        df._dtypes = dtypes
        df._index = list(index)
        df._sync()
        return df

    class DataFrame:
        def __init__(self, data=None, columns=None, index=None):
            cols = []
            store = {}
            dtypes = {}
            n = 0
            if isinstance(data, DataFrame):
                cols = list(data._columns)
                for c in cols:
                    store[c] = list(data._data[c])
                    dtypes[c] = data._dtypes[c]
                n = len(data._index)
                if index is None:
                    index = list(data._index)
                if columns is not None:
                    cols = list(columns)
            elif isinstance(data, dict):
                keys = list(data.keys()) if columns is None else list(columns)
                lengths = []
                for k in keys:
                    v = data[k] if k in data else None
                    if isinstance(v, Series):
                        if index is None and len(lengths) == 0:
                            index = list(v._index)
                        lengths.append(len(v._values))
                    elif isinstance(v, (list, tuple, range)) or (v is not None and not isinstance(v, (str, int, float, bool))):
                        lengths.append(len(list(v)))
                if len(lengths) > 0:
                    n = lengths[0]
                elif index is not None:
                    n = len(list(index))
                for k in keys:
                    v = data[k] if k in data else None
                    if isinstance(v, Series):
                        vals = Series(v)._aligned(index, n)
                    elif v is None or isinstance(v, (str, int, float, bool)):
                        vals = [NAN if v is None else v] * n
                    else:
                        vals = list(v)
                        if len(vals) != n:
                            raise ValueError('All arrays must be of the same length')
                    cols.append(k)
                    store[k], dtypes[k] = _normalize(vals)
            elif data is not None:
                if type(data).__name__ == 'ndarray':
                    data = data.tolist()
                rows = []
                for r in data:
                    if isinstance(r, dict):
                        rows.append(r)
                    elif isinstance(r, (str, int, float, bool)):
                        rows.append([r])
                    else:
                        rows.append(list(r))
                n = len(rows)
                if n > 0 and isinstance(rows[0], dict):
                    if columns is None:
                        columns = []
                        for r in rows:
                            for k in r:
                                if k not in columns:
                                    columns.append(k)
                    rows = [[r[k] if k in r else NAN for k in columns] for r in rows]
                width = max([len(r) for r in rows]) if n > 0 else 0
                if columns is None:
                    columns = list(range(width))
                else:
                    columns = list(columns)
                    if n > 0 and width != len(columns):
                        raise ValueError(
                            str(len(columns)) + ' columns passed, passed data had '
                            + str(width) + ' columns')
                for j in range(len(columns)):
                    c = columns[j]
                    cols.append(c)
                    store[c], dtypes[c] = _normalize([r[j] if j < len(r) else NAN for r in rows])
                columns = None
            elif columns is not None:
                n = 0 if index is None else len(list(index))
                for c in columns:
                    cols.append(c)
                    store[c], dtypes[c] = _normalize([NAN] * n)
                columns = None
            self._columns = cols
            self._data = store
            self._dtypes = dtypes
            self._index = _labels(index, n)
            self._sync()

        # --- attributes (Monty has no @property, so they are kept in sync)
        def _sync(self):
            n = len(self._index)
            self.shape = (n, len(self._columns))
            self.columns = list(self._columns)
            self._index_obj = Index(self._index)
            self.index = self._index_obj
            cols = [self._data[c] for c in self._columns]
            rows = [[col[i] for col in cols] for i in range(n)]
            self.values = _skein_values_array(rows, self.shape, [self._dtypes[c] for c in self._columns])
            self.empty = n == 0 or len(self._columns) == 0
            self.size = n * len(self._columns)
            self.iloc = _ILoc(self)
            self.loc = _Loc(self)

        def _pull(self):
            # pick up `df.columns = [...]` / `df.index = [...]` assignments
            changed = False
            if self.columns != self._columns:
                new = list(self.columns)
                if len(new) != len(self._columns):
                    raise ValueError('Length mismatch: Expected axis has ' + str(len(self._columns))
                                     + ' elements, new values have ' + str(len(new)) + ' elements')
                data = {}
                dtypes = {}
                for j in range(len(new)):
                    data[new[j]] = self._data[self._columns[j]]
                    dtypes[new[j]] = self._dtypes[self._columns[j]]
                self._columns = new
                self._data = data
                self._dtypes = dtypes
                changed = True
            if self.index is not self._index_obj:
                self._index = _labels(self.index, len(self._index))
                changed = True
            if changed:
                self._sync()

        def dtypes_series(self):
            return Series([self._dtypes[c] for c in self._columns], index=list(self._columns))

        def __len__(self):
            return len(self._index)

        def __iter__(self):
            return iter(list(self._columns))

        def __contains__(self, key):
            return key in self._columns

        # --- selection
        def _column(self, key):
            self._pull()
            if key not in self._data:
                raise KeyError(key)
            return Series(list(self._data[key]), index=list(self._index), name=key)

        def _take(self, positions):
            self._pull()
            data = {}
            for c in self._columns:
                col = self._data[c]
                data[c] = [col[i] for i in positions]
            return _frame_from_parts(self._columns, data, dict(self._dtypes),
                                         [self._index[i] for i in positions])

        def _row_series(self, pos):
            return Series([self._data[c][pos] for c in self._columns],
                          index=list(self._columns), name=self._index[pos])

        def __getitem__(self, key):
            self._pull()
            if isinstance(key, Series):
                if key._dtype == 'bool':
                    if key._index == self._index:
                        mask = key._values
                    else:
                        lookup = {}
                        for i in range(len(key._index)):
                            lookup[key._index[i]] = key._values[i]
                        mask = [lookup[k] if k in lookup else False for k in self._index]
                    return self._take([i for i in range(len(mask)) if mask[i]])
                key = list(key._values)
            if isinstance(key, slice):
                return self._take(list(range(len(self._index)))[key])
            if isinstance(key, list):
                if len(key) == len(self._index) and len(key) > 0 and _infer_dtype(key) == 'bool':
                    return self._take([i for i in range(len(key)) if key[i]])
                data = {}
                dtypes = {}
                for c in key:
                    if c not in self._data:
                        raise KeyError(c)
                    data[c] = list(self._data[c])
                    dtypes[c] = self._dtypes[c]
                return _frame_from_parts(key, data, dtypes, self._index)
            return self._column(key)

        def __setitem__(self, key, value):
            self._pull()
            n = len(self._index)
            if isinstance(value, Series):
                vals = value._aligned(self._index, n)
            elif isinstance(value, (str, int, float, bool)) or value is None:
                vals = [NAN if value is None else value] * n
            else:
                vals = list(value)
                if len(vals) != n:
                    raise ValueError('Length of values (' + str(len(vals))
                                     + ') does not match length of index (' + str(n) + ')')
            if key not in self._data:
                self._columns.append(key)
            self._data[key], self._dtypes[key] = _normalize(vals)
            self._sync()

        def __delitem__(self, key):
            self._columns.remove(key)
            self._data.pop(key)
            self._dtypes.pop(key)
            self._sync()

        def head(self, n=5):
            return self._take(list(range(len(self._index)))[:n])

        def tail(self, n=5):
            if n == 0:
                return self._take([])
            return self._take(list(range(len(self._index)))[-n:])

        def copy(self):
            return self._take(list(range(len(self._index))))

        def sample(self, n=None, frac=None, random_state=None):
            if n is None:
                n = 1 if frac is None else int(round(frac * len(self._index)))
            if random_state is not None:
                random.seed(random_state)
            return self._take(random.sample(range(len(self._index)), n))

        def drop(self, columns=None):
            if isinstance(columns, str):
                columns = [columns]
            keep = [c for c in self._columns if c not in columns]
            return self[keep]

        def reset_index(self, drop=False):
            df = self.copy()
            if not drop:
                name = 'index'
                df._columns.insert(0, name)
                df._data[name], df._dtypes[name] = _normalize(list(self._index))
            df._index = list(range(len(self._index)))
            df._sync()
            return df

        def iterrows(self):
            return [(self._index[i], self._row_series(i)) for i in range(len(self._index))]

        def itertuples(self, index=True):
            out = []
            for i in range(len(self._index)):
                row = [self._data[c][i] for c in self._columns]
                if index:
                    row = [self._index[i]] + row
                out.append(tuple(row))
            return out

        def apply(self, func, axis=0):
            if axis == 1 or axis == 'columns':
                return Series([func(self._row_series(i)) for i in range(len(self._index))],
                              index=list(self._index))
            return Series([func(self._column(c)) for c in self._columns], index=list(self._columns))

        def _reduce(self, name):
            cols = [c for c in self._columns if self._dtypes[c] in ('int64', 'float64', 'bool')]
            out = []
            for c in cols:
                s = self._column(c)
                if name == 'sum':
                    out.append(s.sum())
                elif name == 'mean':
                    out.append(s.mean())
                elif name == 'max':
                    out.append(s.max())
                elif name == 'min':
                    out.append(s.min())
                elif name == 'std':
                    out.append(s.std())
                else:
                    out.append(s.count())
            return Series(out, index=cols)

        def sum(self):
            return self._reduce('sum')

        def mean(self):
            return self._reduce('mean')

        def max(self):
            return self._reduce('max')

        def min(self):
            return self._reduce('min')

        def std(self):
            return self._reduce('std')

        def count(self):
            return Series([self._column(c).count() for c in self._columns], index=list(self._columns))

        def to_dict(self, orient='dict'):
            if orient == 'list':
                return {c: list(self._data[c]) for c in self._columns}
            if orient == 'records':
                return [{c: self._data[c][i] for c in self._columns} for i in range(len(self._index))]
            out = {}
            for c in self._columns:
                out[c] = {self._index[i]: self._data[c][i] for i in range(len(self._index))}
            return out

        def to_csv(self, path_or_buf=None, sep=',', index=True, header=True):
            self._pull()
            lines = []
            if header:
                head = [_csv_field(c) for c in self._columns]
                if index:
                    head = [''] + head
                lines.append(sep.join(head))
            for i in range(len(self._index)):
                row = [_csv_field(self._data[c][i]) for c in self._columns]
                if index:
                    row = [_csv_field(self._index[i])] + row
                lines.append(sep.join(row))
            text = '\n'.join(lines) + '\n'
            if path_or_buf is None:
                return text
            _skein_write_text(path_or_buf, text)
            return None

        # --- repr
        def _strcols(self, rows, cols):
            # rows: positions to show, cols: column names to show
            idx = [str(self._index[i]) for i in rows]
            strcols = [[''] + _fixed_width(idx, 'left')]
            for c in cols:
                dt = self._dtypes[c]
                head = str(c)
                if dt != 'object':
                    head = ' ' + head
                vals = [self._data[c][i] for i in rows]
                fmt = _fixed_width(_format_values(vals, dt), 'right', len(head))
                width = len(head)
                for x in fmt:
                    if len(x) > width:
                        width = len(x)
                strcols.append([head.rjust(width)] + fmt)
            return strcols

        def __repr__(self):
            self._pull()
            nrows = len(self._index)
            ncols = len(self._columns)
            if nrows == 0 or ncols == 0:
                return ('Empty DataFrame\nColumns: ' + _pprint_list(self._columns)
                        + '\nIndex: ' + _pprint_list(self._index))
            trunc_v = nrows > MAX_ROWS
            trunc_h = ncols > MAX_COLS
            if trunc_v:
                half = MIN_ROWS // 2
                rows = list(range(half)) + list(range(nrows - half, nrows))
            else:
                rows = list(range(nrows))
            if trunc_h:
                hc = MAX_COLS // 2
                cols = self._columns[:hc] + self._columns[ncols - hc:]
            else:
                cols = list(self._columns)
            strcols = self._strcols(rows, cols)
            if trunc_h:
                strcols.insert(MAX_COLS // 2 + 1, [' ...'] * (len(rows) + 1))
            if trunc_v:
                row_num = MIN_ROWS // 2
                for ix in range(len(strcols)):
                    col = strcols[ix]
                    cwidth = len(col[row_num])
                    is_dot = trunc_h and ix == MAX_COLS // 2 + 1
                    dots = '...' if (cwidth > 3 or is_dot) else '..'
                    if ix == 0:
                        dot_str = dots.ljust(cwidth)
                    elif is_dot:
                        dot_str = dots.rjust(4)
                    else:
                        dot_str = dots.rjust(cwidth)
                    col.insert(row_num + 1, dot_str)
            # wrap columns to the line width like pandas' expand_frame_repr
            idx = strcols[0]
            rest = strcols[1:]
            lwidth = LINE_WIDTH - (max([len(x) for x in idx]) + 1)
            widths = [max([len(x) for x in c]) for c in rest]
            bins = _binify(widths, lwidth)
            parts = []
            start = 0
            for b in range(len(bins)):
                end = bins[b]
                row = [idx] + rest[start:end]
                if len(bins) > 1:
                    nr = len(row[-1])
                    if end <= len(rest) and b < len(bins) - 1:
                        row.append([' \\'] + ['  '] * (nr - 1))
                    else:
                        row.append([' '] * nr)
                parts.append(_adjoin(1, row))
                start = end
            text = '\n\n'.join(parts)
            if trunc_v or trunc_h:
                text += '\n\n[' + str(nrows) + ' rows x ' + str(ncols) + ' columns]'
            return text

        def __str__(self):
            return self.__repr__()


    # ------------------------------------------------------------------ CSV

    def _parse_csv(text, sep):
        # returns list of (record, is_blank)
        records = []
        field = ''
        row = []
        in_quotes = False
        i = 0
        n = len(text)
        had_content = False
        while i < n:
            ch = text[i]
            if in_quotes:
                if ch == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        field += '"'
                        i += 1
                    else:
                        in_quotes = False
                else:
                    field += ch
            elif ch == '"':
                in_quotes = True
                had_content = True
            elif ch == sep:
                row.append(field)
                field = ''
                had_content = True
            elif ch == '\n' or ch == '\r':
                if ch == '\r' and i + 1 < n and text[i + 1] == '\n':
                    i += 1
                row.append(field)
                records.append(row if (had_content or field != '') else None)
                row = []
                field = ''
                had_content = False
            else:
                field += ch
                had_content = True
            i += 1
        if had_content or field != '' or len(row) > 0:
            row.append(field)
            records.append(row)
        return records

    def _is_int_text(s):
        s = s.strip()
        if s[:1] == '+' or s[:1] == '-':
            s = s[1:]
        return len(s) > 0 and s.isdigit()

    def _to_float(s):
        if '_' in s:
            return None
        try:
            return float(s)
        except ValueError:
            return None

    def _convert_column(raw):
        na = [s is None or s in NA_STRINGS for s in raw]
        vals = [raw[i] for i in range(len(raw)) if not na[i]]
        if len(vals) == 0:
            if len(raw) == 0:
                return []
            return [NAN for s in raw]
        if all([_is_int_text(s) for s in vals]):
            if any(na):
                return [NAN if na[i] else float(int(raw[i].strip())) for i in range(len(raw))]
            return [int(s.strip()) for s in raw]
        floats = [_to_float(s) for s in vals]
        if all([f is not None for f in floats]):
            return [NAN if na[i] else _to_float(raw[i]) for i in range(len(raw))]
        trues = ['True', 'TRUE', 'true']
        falses = ['False', 'FALSE', 'false']
        if not any(na) and all([s in trues or s in falses for s in vals]):
            return [s in trues for s in raw]
        return [NAN if na[i] else raw[i] for i in range(len(raw))]

    def read_csv(filepath_or_buffer, sep=',', delimiter=None, header='infer', names=None,
                 index_col=None, usecols=None, skiprows=None, nrows=None):
        if delimiter is not None:
            sep = delimiter
        text = _skein_read_text(filepath_or_buffer)
        records = _parse_csv(text, sep)
        # skiprows counts raw lines of the file
        if skiprows is not None:
            if isinstance(skiprows, int):
                records = records[skiprows:]
            else:
                skip = list(skiprows)
                records = [records[i] for i in range(len(records)) if i not in skip]
        records = [r for r in records if r is not None]
        if header == 'infer':
            header = 0 if names is None else None
        if header is not None:
            if len(records) <= header:
                if names is None:
                    raise ValueError('No columns to parse from file')
                records = []
                header_row = None
            else:
                header_row = records[header]
                records = records[header + 1:]
            if names is None:
                columns = list(header_row)
                seen = {}
                for j in range(len(columns)):
                    c = columns[j]
                    if c == '':
                        columns[j] = 'Unnamed: ' + str(j)
                    elif c in seen:
                        seen[c] += 1
                        columns[j] = c + '.' + str(seen[c])
                    else:
                        seen[c] = 0
            else:
                columns = list(names)
        else:
            if names is not None:
                columns = list(names)
            else:
                width = max([len(r) for r in records]) if len(records) > 0 else 0
                columns = list(range(width))
        if nrows is not None:
            records = records[:nrows]
        ncols = len(columns)
        data = {}
        dtypes = {}
        for j in range(ncols):
            raw = [r[j] if j < len(r) else None for r in records]
            if len(records) == 0:
                data[columns[j]] = []
                dtypes[columns[j]] = 'object'
            else:
                data[columns[j]], dtypes[columns[j]] = _normalize(_convert_column(raw))
        df = _frame_from_parts(columns, data, dtypes, list(range(len(records))))
        if usecols is not None:
            df = df[[c for c in columns if c in usecols or columns.index(c) in usecols]]
        if index_col is not None and index_col is not False:
            key = df._columns[index_col] if isinstance(index_col, int) else index_col
            labels = df._data[key]
            df = df.drop(key)
            df._index = list(labels)
            df._sync()
        return df

    # ------------------------------------------------------------------ concat

    def concat(objs, ignore_index=False):
        objs = [o for o in objs if o is not None]
        if len(objs) == 0:
            raise ValueError('No objects to concatenate')
        if isinstance(objs[0], Series):
            vals = []
            idx = []
            for s in objs:
                vals.extend(s._values)
                idx.extend(s._index)
            if ignore_index:
                idx = None
            name = objs[0].name
            for s in objs:
                if s.name != name:
                    name = None
            return Series(vals, index=idx, name=name)
        columns = []
        for df in objs:
            for c in df._columns:
                if c not in columns:
                    columns.append(c)
        data = {}
        dtypes = {}
        index = []
        for df in objs:
            index.extend(df._index)
        for c in columns:
            vals = []
            kinds = []
            for df in objs:
                if c in df._data:
                    vals.extend(df._data[c])
                    if len(df._index) > 0:
                        kinds.append(df._dtypes[c])
                else:
                    vals.extend([NAN] * len(df._index))
                    kinds.append('float64')
            data[c], dtypes[c] = _normalize(vals)
            if len(vals) == 0:
                dtypes[c] = 'object'
        if ignore_index:
            index = list(range(len(index)))
        return _frame_from_parts(columns, data, dtypes, index)

    module.read_csv = read_csv
    module.DataFrame = DataFrame
    module.Series = Series
    module.concat = concat
    module.Index = Index
    module.NA = NAN
    module.__version__ = '2.3.3-skein'
