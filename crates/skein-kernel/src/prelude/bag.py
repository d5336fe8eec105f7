

# --- dask.bag ---------------------------------------------------------------------------------
# Dask's bags: `Bag`, `Item` (what a reduction gives), `from_sequence` and `range`. A bag is a
# list of partitions, each a Delayed of a list. Every method is a task per partition and, for
# a reduction, one task that combines their results, as Dask's graphs are: the per-partition
# work runs on the workers. Steps that need the user's function run `_skein_apply_bag` on the
# worker with that function (the host's `_skein_bag_map`, mode `Partition`); steps that need
# none are `_skein_apply_bag` tasks of the prelude's own.


class _SkeinNoDefault:
    def __repr__(self):
        return '<no_default>'


# Dask's `no_default`: `fold(binop, initial=None)` folds from None, which is not no initial.
_skein_no_default = _SkeinNoDefault()


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
        _skein_seen = {}
        for _skein_x in _skein_part:
            _skein_seen[_skein_x] = True
        return list(_skein_seen.keys())
    if h == 'distinct_combine':
        return _skein_apply_bag('distinct', None, _skein_concat(_skein_part))
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
        return list(_skein_fn(_skein_part, *_skein_extra[0], **_skein_extra[1]))
    if h == 'starmap':
        return [_skein_fn(*_skein_x) for _skein_x in _skein_part]
    if h == 'partial':
        # `map(partial(f, a, k=1))`: the bound arguments, then each element.
        return [_skein_fn(*(tuple(_skein_extra[0]) + (_skein_x,)), **_skein_extra[1]) for _skein_x in _skein_part]
    if h == 'keyed':
        return [(_skein_fn(_skein_x), _skein_x) for _skein_x in _skein_part]
    if h == 'fold' or h == 'fold_combine':
        return _skein_reduce(_skein_fn, _skein_part, _skein_extra[0])
    if h == 'groupby':
        _skein_groups = {}
        for _skein_k, _skein_x in _skein_concat(_skein_part):
            if _skein_k not in _skein_groups:
                _skein_groups[_skein_k] = []
            _skein_groups[_skein_k].append(_skein_x)
        return list(_skein_groups.items())
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


def _skein_bag_step(_skein_how, _skein_part, *_skein_extra):
    # A step that needs no user function: a pure task of the prelude's.
    return _skein_pending('_skein_apply_bag', (_skein_how, None, _skein_part) + _skein_extra, {}, _skein_how, _SKEIN_PURE)


def _skein_bag_user_step(_skein_fn, _skein_parts, _skein_how, *_skein_extra):
    # A step per element of `_skein_parts` that calls the user's `_skein_fn` on a worker.
    _skein_materialize((_skein_parts, _skein_extra))
    _skein_fn, _skein_vals = _skein_send(_skein_fn)
    return [Delayed(_skein_k) for _skein_k in _skein_bag_map(_skein_fn, _skein_parts, _skein_how, _skein_vals, _skein_extra)]


def _skein_initial(_skein_x):
    return () if type(_skein_x) is _SkeinNoDefault else (_skein_x,)


class Item:
    # One value a bag reduces to (Dask's `dask.bag.Item`): a Delayed's task underneath.
    def __init__(self, delayed):
        self._delayed = delayed
        self.key = delayed.key

    def compute(self, **kwargs):
        return self._delayed.compute()

    def persist(self, **kwargs):
        return Item(self._delayed.persist())

    def visualize(self, filename=None, **kwargs):
        return visualize(self._delayed)

    def to_delayed(self, optimize_graph=True):
        return self._delayed

    def __repr__(self):
        # Dask's Item has the default repr.
        return '<dask.bag.core.Item object at 0x' + self.key[-12:] + '>'


class Bag:
    def __init__(self, partitions, name='from_sequence'):
        self._partitions = partitions
        self.npartitions = len(partitions)
        self._name = name

    # Element by element ------------------------------------------------------------------

    def map(self, func, **kwargs):
        if _skein_is_partial(func) or kwargs:
            func, _skein_args, _skein_kw = _skein_unpartial(func, (), kwargs)
            return Bag(_skein_bag_user_step(func, self._partitions, 'partial', _skein_args, _skein_kw), _skein_fn_name(func))
        _skein_name = _skein_fn_name(func)
        _skein_materialize(self._partitions)
        func, _skein_vals = _skein_send(func)
        return Bag([Delayed(_skein_k) for _skein_k in _skein_bag_map(func, self._partitions, 'map', _skein_vals)], _skein_name)

    def filter(self, predicate):
        _skein_materialize(self._partitions)
        predicate, _skein_vals = _skein_send(predicate)
        return Bag([Delayed(_skein_k) for _skein_k in _skein_bag_map(predicate, self._partitions, 'filter', _skein_vals)], 'filter')

    def starmap(self, func, **kwargs):
        return Bag(_skein_bag_user_step(func, self._partitions, 'starmap'), 'starmap')

    def map_partitions(self, func, *args, **kwargs):
        # Dask's `map_partitions(f, *args, **kwargs)`: `f(partition, *args, **kwargs)`.
        _skein_name = _skein_fn_name(func)
        func, _skein_bound, _skein_kw = _skein_unpartial(func, (), kwargs)
        if _skein_bound:
            raise TypeError('Skein: map_partitions takes a partial without positional arguments')
        return Bag(_skein_bag_user_step(func, self._partitions, 'partitions', args, _skein_kw), _skein_name)

    def pluck(self, key, default=None):
        return Bag([_skein_bag_step('pluck', _skein_p, key) for _skein_p in self._partitions], 'pluck')

    def flatten(self):
        return Bag([_skein_bag_step('flatten', _skein_p) for _skein_p in self._partitions], 'flatten')

    # Reductions ----------------------------------------------------------------------------

    def _skein_reduction(self, how, combine):
        _skein_parts = [_skein_bag_step(how, _skein_p) for _skein_p in self._partitions]
        return Item(_skein_bag_step(combine, _skein_parts))

    def sum(self, split_every=None):
        return self._skein_reduction('sum', 'sum')

    def count(self, split_every=None):
        return self._skein_reduction('count', 'sum')

    def max(self, split_every=None):
        return self._skein_reduction('max', 'max')

    def min(self, split_every=None):
        return self._skein_reduction('min', 'min')

    def any(self, split_every=None):
        return self._skein_reduction('any', 'any')

    def all(self, split_every=None):
        return self._skein_reduction('all', 'all')

    def mean(self):
        # An empty bag divides by zero, as Dask's does.
        return self._skein_reduction('sum_count', 'mean')

    def fold(self, binop, combine=None, initial=_skein_no_default, split_every=None, out_type=Item):
        _skein_init = _skein_initial(initial)
        _skein_parts = _skein_bag_user_step(binop, self._partitions, 'fold', _skein_init)
        # Dask folds the partitions' results without `initial`.
        return Item(_skein_bag_user_step(combine or binop, [_skein_parts], 'fold_combine', ())[0])

    def foldby(self, key, binop, initial=_skein_no_default, combine=None, combine_initial=_skein_no_default, split_every=None):
        _skein_keyed = _skein_bag_user_step(key, self._partitions, 'keyed')
        _skein_parts = _skein_bag_user_step(binop, _skein_keyed, 'foldby', _skein_initial(initial))
        return Bag(_skein_bag_user_step(combine or binop, [_skein_parts], 'foldby_combine', _skein_initial(combine_initial)), 'foldby')

    def groupby(self, grouper, method=None, npartitions=None, **kwargs):
        _skein_keyed = _skein_bag_user_step(grouper, self._partitions, 'keyed')
        return Bag([_skein_bag_step('groupby', _skein_keyed)], 'groupby-collect')

    def frequencies(self, split_every=None, sort=False):
        _skein_parts = [_skein_bag_step('frequencies', _skein_p) for _skein_p in self._partitions]
        _skein_out = Bag([_skein_bag_step('frequencies_combine', _skein_parts)], 'frequencies')
        if sort:
            return Bag([_skein_bag_step('by_count', _skein_out._partitions[0])], 'frequencies')
        return _skein_out

    def distinct(self, key=None):
        if key is not None:
            raise TypeError('Skein: distinct(key=...) is not supported')
        _skein_parts = [_skein_bag_step('distinct', _skein_p) for _skein_p in self._partitions]
        return Bag([_skein_bag_step('distinct_combine', _skein_parts)], 'distinct')

    def topk(self, k, key=None, split_every=None):
        if key is None:
            _skein_parts = [_skein_bag_step('topk', _skein_p, k) for _skein_p in self._partitions]
            return Bag([_skein_bag_step('topk_combine', _skein_parts, k)], 'topk')
        _skein_parts = _skein_bag_user_step(key, self._partitions, 'topk', k)
        return Bag(_skein_bag_user_step(key, [_skein_parts], 'topk_combine', k), 'topk')

    def take(self, k, npartitions=1, compute=True, warn=True):
        if npartitions == -1:
            npartitions = self.npartitions
        if npartitions > self.npartitions:
            raise ValueError('only ' + str(self.npartitions) + ' partitions, take received ' + str(npartitions))
        _skein_parts = [_skein_bag_step('take', _skein_p, k) for _skein_p in self._partitions[:npartitions]]
        _skein_b = Bag([_skein_bag_step('take', _skein_bag_step('concat', _skein_parts), k)], 'take')
        if compute:
            return tuple(_skein_b.compute())
        return _skein_b

    # The whole bag ---------------------------------------------------------------------------

    def _skein_collect(self):
        return _skein_bag_step('concat', self._partitions)

    def compute(self, **kwargs):
        return self._skein_collect().compute()

    def __iter__(self):
        # Dask's bag computes when iterated (`list(b)`).
        return iter(self.compute())

    def persist(self, **kwargs):
        return Bag(list(persist(*self._partitions)), self._name)

    def visualize(self, **kwargs):
        return visualize(*self._partitions)

    def to_delayed(self, optimize_graph=True):
        return list(self._partitions)

    def __repr__(self):
        return 'dask.bag<' + self._name + ', npartitions=' + str(len(self._partitions)) + '>'


def _skein_second(_skein_pair):
    return _skein_pair[1]


def from_sequence(seq, partition_size=None, npartitions=None):
    _skein_items = list(_skein_iterable(seq))
    _skein_n = len(_skein_items)
    if npartitions is None:
        if partition_size is None:
            npartitions = min(100, max(1, _skein_n))
        else:
            npartitions = max(1, (_skein_n + partition_size - 1) // partition_size)
    npartitions = max(1, min(npartitions, max(1, _skein_n)))
    _skein_size = (_skein_n + npartitions - 1) // npartitions
    _skein_parts = []
    for _skein_i in range(0, max(_skein_n, 1), max(_skein_size, 1)):
        # Each partition's key is a token of its data: equal sequences give equal bags.
        _skein_parts.append(_skein_pending('_skein_apply_identity', (_skein_items[_skein_i:_skein_i + _skein_size],), {}, 'from_sequence', _SKEIN_PURE))
    return Bag(_skein_parts)


def _skein_bag_range(n, npartitions):
    # Dask's split: `n // npartitions` a partition, the rest in the last.
    _skein_size = max(1, n // npartitions)
    _skein_parts = []
    for _skein_i in range(npartitions):
        _skein_lo = _skein_i * _skein_size
        _skein_hi = n if _skein_i == npartitions - 1 else min(_skein_lo + _skein_size, n)
        _skein_parts.append(_skein_pending('_skein_apply_identity', (list(range(_skein_lo, _skein_hi)),), {}, 'range', _SKEIN_PURE))
    return Bag(_skein_parts, 'range')


_skein_bag = _skein_module('dask.bag')
_skein_bag.from_sequence = from_sequence
_skein_bag.range = _skein_bag_range
_skein_bag.Bag = Bag
_skein_bag.Item = Item
_skein_dask.bag = _skein_bag
_skein_classes['Bag'] = lambda: Bag([])
_skein_classes['Item'] = lambda: Item(Delayed(''))
