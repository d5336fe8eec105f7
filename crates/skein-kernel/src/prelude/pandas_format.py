# Skein's minimal `pandas`, part 2 of 5: text formatting (numbers as pandas prints them,
# justified columns, wrapping at the line width) and CSV fields.
#
# pandas is written in the Python subset Monty runs. Each part is a function that defines its
# names as locals (so no helper reaches the user's namespace) and publishes the ones later parts
# use on `pd`, a private namespace object; a part reads what it needs from earlier parts into
# locals up front, and names from later parts (`pd.DataFrame` in a `Series` method) when used.


def _skein_pandas_format(pd):
    MAX_COLWIDTH = pd.MAX_COLWIDTH
    _is_float = pd._is_float
    _is_nan = pd._is_nan
    _infer_dtype = pd._infer_dtype

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

    pd._format_values = _format_values
    pd._fixed_width = _fixed_width
    pd._adjoin = _adjoin
    pd._binify = _binify
    pd._pprint_list = _pprint_list
    pd._index_repr = _index_repr
    pd._csv_field = _csv_field
