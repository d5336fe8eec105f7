# Skein's minimal `pandas`, part 4 of 5: `DataFrame`.
#
# pandas is written in the Python subset Monty runs. Each part is a function that defines its
# names as locals (so no helper reaches the user's namespace) and publishes the ones later parts
# use on `pd`, a private namespace object; a part reads what it needs from earlier parts into
# locals up front, and names from later parts (`pd.DataFrame` in a `Series` method) when used.


def _skein_pandas_frame(pd):
    import random

    NAN = pd.NAN
    MAX_ROWS = pd.MAX_ROWS
    MIN_ROWS = pd.MIN_ROWS
    MAX_COLS = pd.MAX_COLS
    LINE_WIDTH = pd.LINE_WIDTH
    _skein_values_array = pd._skein_values_array
    _infer_dtype = pd._infer_dtype
    _normalize = pd._normalize
    _labels = pd._labels
    _format_values = pd._format_values
    _fixed_width = pd._fixed_width
    _adjoin = pd._adjoin
    _binify = pd._binify
    _pprint_list = pd._pprint_list
    _csv_field = pd._csv_field
    Index = pd.Index
    Series = pd.Series
    _ILoc = pd._ILoc
    _Loc = pd._Loc

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

    pd._frame_from_parts = _frame_from_parts
    pd.DataFrame = DataFrame
