# --- dask.bag's steps on the workers ------------------------------------------------------------
# What each task of a bag method does with one partition (a list) or, for a combining step, with
# the list of the partitions' results: `_skein_apply_bag(how, fn, part, *extra)`, where `fn` is
# the user's function or None. The bag itself is `bag.py`.


def _skein_reduce(_skein_fn, _skein_xs, _skein_init):
    # `_skein_init` is `(initial,)`, or `()` for none.
    _skein_xs = list(_skein_xs)
    if len(_skein_init) == 0:
        if not _skein_xs:
            raise TypeError('reduce() of empty iterable with no initial value')
        _skein_acc = _skein_xs[0]
        _skein_xs = _skein_xs[1:]
    else:
        _skein_acc = _skein_init[0]
    for _skein_x in _skein_xs:
        _skein_acc = _skein_fn(_skein_acc, _skein_x)
    return _skein_acc


def _skein_concat(_skein_parts):
    _skein_out = []
    for _skein_p in _skein_parts:
        _skein_out.extend(_skein_p)
    return _skein_out


def _skein_apply_bag(_skein_how, _skein_fn, _skein_part, *_skein_extra):
    # One step of a bag method, on a worker. `_skein_part` is a partition (a list), or for a
    # combining step the list of the partitions' results; `_skein_fn` is the user's function
    # or None. An initial value travels as a 1-tuple, `()` for none (Dask's `no_default`).
    h = _skein_how
    if h == 'concat':
        # Partitions of something else than lists (`map_partitions(len)`) are the elements
        # themselves, as Dask's `finalize` keeps them.
        if _skein_part and type(_skein_part[0]) is not list:
            return list(_skein_part)
        return _skein_concat(_skein_part)
    if h == 'sum':
        return sum(_skein_part)
    if h == 'count':
        return len(_skein_part)
    if h == 'max' or h == 'min':
        if len(_skein_part) == 0:
            # CPython's words (Dask's), not Monty's.
            raise ValueError(h + '() arg is an empty sequence')
        return max(_skein_part) if h == 'max' else min(_skein_part)
    if h == 'any':
        return any(_skein_part)
    if h == 'all':
        return all(_skein_part)
    if h == 'sum_count':
        return (sum(_skein_part), len(_skein_part))
    if h == 'mean':
        _skein_total = sum([_skein_p[0] for _skein_p in _skein_part])
        _skein_count = sum([_skein_p[1] for _skein_p in _skein_part])
        if _skein_count == 0:
            raise ZeroDivisionError('float division by zero')
        return 1.0 * _skein_total / _skein_count
    if h == 'pluck':
        return [_skein_x[_skein_extra[0]] for _skein_x in _skein_part]
    if h == 'flatten':
        return _skein_concat(_skein_part)
    if h == 'distinct':
        # The first element of each key, in order: the key is the user's function, a field
        # named in `_skein_extra`, or the element itself.
        _skein_seen = {}
        for _skein_x in _skein_part:
            if _skein_fn is not None:
                _skein_k = _skein_fn(_skein_x)
            elif _skein_extra:
                _skein_k = _skein_x[_skein_extra[0]]
            else:
                _skein_k = _skein_x
            if _skein_k not in _skein_seen:
                _skein_seen[_skein_k] = _skein_x
        return list(_skein_seen.values())
    if h == 'distinct_combine':
        return _skein_apply_bag('distinct', _skein_fn, _skein_concat(_skein_part), *_skein_extra)
    if h == 'random_sample':
        _skein_draw = _skein_random.Random(_skein_extra[1])
        return [_skein_x for _skein_x in _skein_part if _skein_draw.random() < _skein_extra[0]]
    if h == 'frequencies':
        _skein_counts = {}
        for _skein_x in _skein_part:
            _skein_counts[_skein_x] = _skein_counts.get(_skein_x, 0) + 1
        return list(_skein_counts.items())
    if h == 'frequencies_combine':
        _skein_counts = {}
        for _skein_k, _skein_n in _skein_concat(_skein_part):
            _skein_counts[_skein_k] = _skein_counts.get(_skein_k, 0) + _skein_n
        return list(_skein_counts.items())
    if h == 'by_count':
        return sorted(_skein_part, key=_skein_second, reverse=True)
    if h == 'take':
        return list(_skein_part[:_skein_extra[0]])
    if h == 'topk':
        if _skein_fn is None:
            _skein_s = sorted(_skein_part, reverse=True)
        else:
            _skein_s = sorted(_skein_part, key=_skein_fn, reverse=True)
        return _skein_s[:_skein_extra[0]]
    if h == 'topk_combine':
        return _skein_apply_bag('topk', _skein_fn, _skein_concat(_skein_part), _skein_extra[0])
    if h == 'partitions':
        return _skein_as_partition(_skein_fn(_skein_part, *_skein_extra[0], **_skein_extra[1]))
    if h == 'starmap':
        _skein_kw = _skein_extra[0] if _skein_extra else {}
        return [_skein_fn(*_skein_x, **_skein_kw) for _skein_x in _skein_part]
    if h == 'apply':
        # `reduction`'s functions take the whole partition, or the partitions' results.
        return _skein_fn(_skein_part)
    if h == 'remove':
        return [_skein_x for _skein_x in _skein_part if not _skein_fn(_skein_x)]
    if h == 'var':
        # Dask's `var_chunk` and `var_aggregate`, with the same float arithmetic.
        _skein_sq = 0.0
        _skein_total = 0.0
        for _skein_x in _skein_part:
            _skein_sq += _skein_x ** 2
            _skein_total += _skein_x
        return (_skein_sq, _skein_total, len(_skein_part))
    if h == 'var_combine' or h == 'std_combine':
        _skein_sq = float(sum([_skein_p[0] for _skein_p in _skein_part]))
        _skein_total = float(sum([_skein_p[1] for _skein_p in _skein_part]))
        _skein_n = sum([_skein_p[2] for _skein_p in _skein_part])
        _skein_var = ((_skein_sq / _skein_n) - (_skein_total / _skein_n) ** 2) * _skein_n / (_skein_n - _skein_extra[0])
        return _skein_std_math.sqrt(_skein_var) if h == 'std_combine' else _skein_var
    if h == 'product':
        return [(_skein_a, _skein_b) for _skein_a in _skein_part[0] for _skein_b in _skein_part[1]]
    if h == 'zip':
        return list(zip(*_skein_part))
    if h == 'fill':
        # `db.map(f, bag, 2, other_bag)`: each element's arguments, constants in their places.
        _skein_out = []
        for _skein_xs in _skein_part:
            _skein_xs = list(_skein_xs)
            _skein_out.append(tuple([_skein_xs.pop(0) if _skein_is_bag else _skein_v for _skein_is_bag, _skein_v in _skein_extra[0]]))
        return _skein_out
    if h == 'split':
        # Piece `i` of `n` of a partition, as Dask's `split` cuts it (`repartition`).
        _skein_n, _skein_i = _skein_extra
        _skein_size = len(_skein_part) / _skein_n
        if _skein_i == _skein_n - 1:
            return _skein_part[int(_skein_size * _skein_i):]
        return _skein_part[int(_skein_size * _skein_i):int(_skein_size * (_skein_i + 1))]
    if h == 'accumulate':
        # Dask's `accumulate_part`: a later partition starts from the last value before it.
        _skein_out = _skein_accumulate(_skein_fn, _skein_part, _skein_extra[0])
        if _skein_extra[1]:
            # An empty first partition hands on `[]`, as Dask's does.
            return (_skein_out, _skein_out[-1] if _skein_out else [])
        return (_skein_out[1:], _skein_out[-1])
    if h == 'item':
        return _skein_part[_skein_extra[0]]
    if h == 'str':
        _skein_method = _SKEIN_STR_METHODS[_skein_extra[0]]
        return [_skein_method(_skein_x, *_skein_extra[1]) for _skein_x in _skein_part]
    if h == 'join':
        # toolz's `join(on_other, other, on_self, partition)`: (other's element, this one's).
        _skein_index = {}
        for _skein_k, _skein_y in _skein_extra[0]:
            if _skein_k not in _skein_index:
                _skein_index[_skein_k] = []
            _skein_index[_skein_k].append(_skein_y)
        return [(_skein_y, _skein_x) for _skein_x in _skein_part for _skein_y in _skein_index.get(_skein_fn(_skein_x), [])]
    if h == 'partial':
        # `map(partial(f, a, k=1))`: the bound arguments, then each element.
        return [_skein_fn(*(tuple(_skein_extra[0]) + (_skein_x,)), **_skein_extra[1]) for _skein_x in _skein_part]
    if h == 'keyed':
        return [(_skein_fn(_skein_x), _skein_x) for _skein_x in _skein_part]
    if h == 'keyed_by_item':
        return [(_skein_x[_skein_extra[0]], _skein_x) for _skein_x in _skein_part]
    if h == 'fold' or h == 'fold_combine':
        return _skein_reduce(_skein_fn, _skein_part, _skein_extra[0])
    if h == 'groupby':
        _skein_groups = {}
        for _skein_k, _skein_x in _skein_concat(_skein_part):
            if _skein_k not in _skein_groups:
                _skein_groups[_skein_k] = []
            _skein_groups[_skein_k].append(_skein_x)
        return _skein_dask_group_order(list(_skein_groups.items()), len(_skein_part))
    if h == 'foldby':
        # Pairs (key, element) in, (key, folded) out, keys in the order first seen.
        _skein_acc = {}
        for _skein_k, _skein_x in _skein_part:
            if _skein_k in _skein_acc:
                _skein_acc[_skein_k] = _skein_fn(_skein_acc[_skein_k], _skein_x)
            elif len(_skein_extra[0]) == 0:
                _skein_acc[_skein_k] = _skein_x
            else:
                _skein_acc[_skein_k] = _skein_fn(_skein_extra[0][0], _skein_x)
        return list(_skein_acc.items())
    if h == 'foldby_combine':
        return _skein_apply_bag('foldby', _skein_fn, _skein_concat(_skein_part), _skein_extra[0])
    raise ValueError('unknown bag step ' + h)


def _skein_as_partition(_skein_r):
    # What `map_partitions`'s function gave, as a partition: a list, or (a number, a string:
    # not a sequence of elements) the value itself.
    if type(_skein_r) is list or type(_skein_r) is str:
        return _skein_r
    try:
        return list(_skein_r)
    except TypeError:
        return _skein_r


def _skein_accumulate(_skein_fn, _skein_xs, _skein_init):
    # itertools.accumulate, `_skein_init` `(initial,)` or `()`.
    _skein_out = list(_skein_init)
    for _skein_x in _skein_xs:
        _skein_out.append(_skein_fn(_skein_out[-1], _skein_x) if _skein_out else _skein_x)
    return _skein_out


# `bag.str`'s methods (Monty's `getattr` finds no method of a `str`).
_SKEIN_STR_METHODS = {
    'split': lambda s, *a: s.split(*a),
    'rsplit': lambda s, *a: s.rsplit(*a),
    'strip': lambda s, *a: s.strip(*a),
    'lstrip': lambda s, *a: s.lstrip(*a),
    'rstrip': lambda s, *a: s.rstrip(*a),
    'lower': lambda s: s.lower(),
    'upper': lambda s: s.upper(),
    'title': lambda s: s.title(),
    'capitalize': lambda s: s.capitalize(),
    'startswith': lambda s, *a: s.startswith(*a),
    'endswith': lambda s, *a: s.endswith(*a),
    'replace': lambda s, *a: s.replace(*a),
    'count': lambda s, *a: s.count(*a),
    'find': lambda s, *a: s.find(*a),
    'isdigit': lambda s: s.isdigit(),
    'isalpha': lambda s: s.isalpha(),
    'isspace': lambda s: s.isspace(),
    'zfill': lambda s, *a: s.zfill(*a),
}


import math as _skein_math


def _skein_dask_group_order(_skein_groups, _skein_n):
    # The order Dask's tasks shuffle gives `groupby`'s groups (keys first seen first, as here,
    # within each of its output partitions): output partition `hash % slots`, the hash Dask's
    # token of the key, the slots `k ** stages` for at most 32 inputs a stage. A key Dask's
    # token cannot be matched for stays where it was first seen.
    _skein_stages = int(_skein_math.ceil(_skein_math.log(max(_skein_n, 1)) / _skein_math.log(32))) or 1
    _skein_k = int(_skein_math.ceil(_skein_n ** (1 / _skein_stages))) if _skein_stages > 1 else max(_skein_n, 1)
    _skein_slots = _skein_k ** _skein_stages

    def _skein_slot(_skein_group):
        _skein_t = _skein_dask_token((_skein_group[0],), {})
        return 0 if _skein_t is None else int(_skein_t, 16) % _skein_slots

    return sorted(_skein_groups, key=_skein_slot)
