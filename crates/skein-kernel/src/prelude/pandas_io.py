# Skein's minimal `pandas`, part 5 of 5: `read_csv`, `concat`, and `_skein_module_pandas`,
# which runs the five parts and installs pandas' names on the module `import pandas` finds.
#
# pandas is written in the Python subset Monty runs. Each part is a function that defines its
# names as locals (so no helper reaches the user's namespace) and publishes the ones later parts
# use on `pd`, a private namespace object; a part reads what it needs from earlier parts into
# locals up front, and names from later parts (`pd.DataFrame` in a `Series` method) when used.


def _skein_pandas_io(pd):
    NAN = pd.NAN
    NA_STRINGS = pd.NA_STRINGS
    _normalize = pd._normalize
    Series = pd.Series
    _frame_from_parts = pd._frame_from_parts

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

    pd.read_csv = read_csv
    pd.concat = concat


def _skein_module_pandas(module):
    pd = _SkeinModule('pandas internals')
    _skein_pandas_values(pd)
    _skein_pandas_format(pd)
    _skein_pandas_series(pd)
    _skein_pandas_frame(pd)
    _skein_pandas_io(pd)
    module.read_csv = pd.read_csv
    module.DataFrame = pd.DataFrame
    module.Series = pd.Series
    module.concat = pd.concat
    module.Index = pd.Index
    module.NA = pd.NAN
    module.__version__ = '2.3.3-skein'
