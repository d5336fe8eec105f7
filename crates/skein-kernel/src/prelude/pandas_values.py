# Skein's minimal `pandas`, part 1 of 5: the display limits, and values: dtype inference,
# NaN, labels and numpy's pairwise sums.
#
# pandas is written in the Python subset Monty runs. Each part is a function that defines its
# names as locals (so no helper reaches the user's namespace) and publishes the ones later parts
# use on `pd`, a private namespace object; a part reads what it needs from earlier parts into
# locals up front, and names from later parts (`pd.DataFrame` in a `Series` method) when used.
#
# Host functions used: `_skein_read_text(path)`, `_skein_write_text(path, text)`,
# `_skein_plot_series(values, name)`.
#
# Reprs follow pandas 2.x (display.precision=6, max_rows=60, min_rows=10,
# max_colwidth=50, width=80, max_columns=20).


def _skein_pandas_values(pd):
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

    pd.NAN = NAN
    pd.MAX_ROWS = MAX_ROWS
    pd.MIN_ROWS = MIN_ROWS
    pd.MAX_COLS = MAX_COLS
    pd.MAX_COLWIDTH = MAX_COLWIDTH
    pd.LINE_WIDTH = LINE_WIDTH
    pd.NA_STRINGS = NA_STRINGS
    pd._is_int = _is_int
    pd._is_float = _is_float
    pd._is_nan = _is_nan
    pd._skein_values_array = _skein_values_array
    pd._infer_dtype = _infer_dtype
    pd._normalize = _normalize
    pd._labels = _labels
    pd._nansum = _nansum
