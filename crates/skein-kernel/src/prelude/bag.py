

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


def _skein_bag_step(_skein_how, _skein_part, *_skein_extra):
    # A step that needs no user function: a pure task of the prelude's.
    return _skein_pending('_skein_apply_bag', (_skein_how, None, _skein_part) + _skein_extra, {}, _skein_how, _SKEIN_PURE)


def _skein_bag_user_step(_skein_fn, _skein_parts, _skein_how, *_skein_extra):
    # A step per element of `_skein_parts` that calls the user's `_skein_fn` on a worker.
    _skein_materialize((_skein_parts, _skein_extra))
    _skein_fn, _skein_vals = _skein_send(_skein_fn)
    return [_skein_api_Delayed(_skein_k) for _skein_k in _skein_bag_map(_skein_fn, _skein_parts, _skein_how, _skein_vals, _skein_extra)]


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
        return _skein_api_Item(self._delayed.persist())

    def visualize(self, filename=None, **kwargs):
        return _skein_api_visualize(self._delayed)

    def to_delayed(self, optimize_graph=True):
        return self._delayed

    def __repr__(self):
        # Dask's Item has the default repr.
        return '<dask.bag.core.Item object at 0x' + self.key[-12:] + '>'


_skein_api_Item = Item


class Bag:
    def __init__(self, partitions, name='from_sequence'):
        self._partitions = partitions
        self.npartitions = len(partitions)
        self._name = name
        # Dask's `bag.str` is a property; Monty has none, so it is made with the bag.
        self.str = _SkeinStrAccessor(partitions)

    # Element by element ------------------------------------------------------------------

    def map(self, func, **kwargs):
        if _skein_is_partial(func) or kwargs:
            func, _skein_args, _skein_kw = _skein_unpartial(func, (), kwargs)
            return _skein_api_Bag(_skein_bag_user_step(func, self._partitions, 'partial', _skein_args, _skein_kw), _skein_fn_name(func))
        _skein_name = _skein_fn_name(func)
        _skein_materialize(self._partitions)
        func, _skein_vals = _skein_send(func)
        return _skein_api_Bag([_skein_api_Delayed(_skein_k) for _skein_k in _skein_bag_map(func, self._partitions, 'map', _skein_vals)], _skein_name)

    def filter(self, predicate):
        _skein_materialize(self._partitions)
        predicate, _skein_vals = _skein_send(predicate)
        return _skein_api_Bag([_skein_api_Delayed(_skein_k) for _skein_k in _skein_bag_map(predicate, self._partitions, 'filter', _skein_vals)], 'filter')

    def starmap(self, func, **kwargs):
        return _skein_api_Bag(_skein_bag_user_step(func, self._partitions, 'starmap'), 'starmap')

    def map_partitions(self, func, *args, **kwargs):
        # Dask's `map_partitions(f, *args, **kwargs)`: `f(partition, *args, **kwargs)`.
        _skein_name = _skein_fn_name(func)
        func, _skein_bound, _skein_kw = _skein_unpartial(func, (), kwargs)
        if _skein_bound:
            raise TypeError('Skein: map_partitions takes a partial without positional arguments')
        return _skein_api_Bag(_skein_bag_user_step(func, self._partitions, 'partitions', args, _skein_kw), _skein_name)

    def remove(self, predicate):
        return _skein_api_Bag(_skein_bag_user_step(predicate, self._partitions, 'remove'), 'remove')

    def accumulate(self, binop, initial=_skein_no_default):
        _skein_parts = []
        _skein_init = _skein_initial(initial)
        for _skein_i in range(self.npartitions):
            _skein_acc = _skein_bag_user_step(binop, [self._partitions[_skein_i]], 'accumulate', _skein_init, _skein_i == 0)[0]
            _skein_parts.append(_skein_bag_step('item', _skein_acc, 0))
            _skein_init = (_skein_bag_step('item', _skein_acc, 1),)
        return _skein_api_Bag(_skein_parts, _skein_fn_name(binop) + '-first')

    def product(self, other):
        return _skein_api_Bag([_skein_bag_step('product', [_skein_p, _skein_q]) for _skein_p in self._partitions for _skein_q in other._partitions], 'product')

    def join(self, other, on_self, on_other=None):
        if type(other) is _skein_api_Bag:
            raise TypeError('Skein: join takes a list (an iterable held in memory), not a Bag')
        _skein_keyed = _skein_bag_user_step(on_other or on_self, [_skein_pending('_skein_apply_identity', (list(other),), {}, 'join', _SKEIN_PURE)], 'keyed')[0]
        return _skein_api_Bag(_skein_bag_user_step(on_self, self._partitions, 'join', _skein_keyed), 'join')

    def unzip(self, n):
        return tuple([self.pluck(_skein_i) for _skein_i in range(n)])

    def repartition(self, npartitions=None, partition_size=None):
        # Dask's `repartition_npartitions`: fewer partitions join neighbours; more split each
        # partition into equal pieces, the last one into the remainder too.
        if npartitions is None or partition_size is not None:
            raise ValueError('Skein: repartition takes npartitions')
        _skein_n = self.npartitions
        if npartitions == _skein_n:
            return self
        _skein_parts = []
        if npartitions < _skein_n:
            _skein_ratio = _skein_n / npartitions
            _skein_bounds = [int(_skein_i * _skein_ratio) for _skein_i in range(npartitions + 1)]
            _skein_bounds[-1] = _skein_n
            for _skein_i in range(npartitions):
                _skein_parts.append(_skein_bag_step('concat', self._partitions[_skein_bounds[_skein_i]:_skein_bounds[_skein_i + 1]]))
        else:
            _skein_div = npartitions // _skein_n
            for _skein_i in range(_skein_n):
                _skein_k = _skein_div + (npartitions % _skein_n if _skein_i == _skein_n - 1 else 0)
                for _skein_j in range(_skein_k):
                    _skein_parts.append(_skein_bag_step('split', self._partitions[_skein_i], _skein_k, _skein_j))
        return _skein_api_Bag(_skein_parts, 'repartition')

    def pluck(self, key, default=None):
        return _skein_api_Bag([_skein_bag_step('pluck', _skein_p, key) for _skein_p in self._partitions], 'pluck')

    def flatten(self):
        return _skein_api_Bag([_skein_bag_step('flatten', _skein_p) for _skein_p in self._partitions], 'flatten')

    # Reductions ----------------------------------------------------------------------------

    def _skein_reduction(self, how, combine, *extra):
        _skein_parts = [_skein_bag_step(how, _skein_p) for _skein_p in self._partitions]
        return _skein_api_Item(_skein_bag_step(combine, _skein_parts, *extra))

    def reduction(self, perpartition, aggregate, split_every=None, out_type=Item, name=None):
        _skein_parts = _skein_bag_user_step(perpartition, self._partitions, 'apply')
        _skein_total = _skein_bag_user_step(aggregate, [_skein_parts], 'apply')[0]
        if out_type is _skein_api_Bag:
            return _skein_api_Bag([_skein_total], name or 'reduction')
        return _skein_api_Item(_skein_total)

    def var(self, ddof=0):
        return self._skein_reduction('var', 'var_combine', ddof)

    def std(self, ddof=0):
        return self._skein_reduction('var', 'std_combine', ddof)

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
        return _skein_api_Item(_skein_bag_user_step(combine or binop, [_skein_parts], 'fold_combine', ())[0])

    def foldby(self, key, binop, initial=_skein_no_default, combine=None, combine_initial=_skein_no_default, split_every=None):
        # A key that is not a function names a field of each element (toolz's `reduceby`).
        if callable(key):
            _skein_keyed = _skein_bag_user_step(key, self._partitions, 'keyed')
        else:
            _skein_keyed = [_skein_bag_step('keyed_by_item', _skein_p, key) for _skein_p in self._partitions]
        _skein_parts = _skein_bag_user_step(binop, _skein_keyed, 'foldby', _skein_initial(initial))
        return _skein_api_Bag(_skein_bag_user_step(combine or binop, [_skein_parts], 'foldby_combine', _skein_initial(combine_initial)), 'foldby')

    def groupby(self, grouper, method=None, npartitions=None, **kwargs):
        _skein_keyed = _skein_bag_user_step(grouper, self._partitions, 'keyed')
        return _skein_api_Bag([_skein_bag_step('groupby', _skein_keyed)], 'groupby-collect')

    def frequencies(self, split_every=None, sort=False):
        _skein_parts = [_skein_bag_step('frequencies', _skein_p) for _skein_p in self._partitions]
        _skein_out = _skein_api_Bag([_skein_bag_step('frequencies_combine', _skein_parts)], 'frequencies')
        if sort:
            return _skein_api_Bag([_skein_bag_step('by_count', _skein_out._partitions[0])], 'frequencies')
        return _skein_out

    def distinct(self, key=None):
        # Dask's `chunk_distinct`: each key's first element; a key that is not a function names
        # a field of each element.
        if key is not None and callable(key):
            _skein_parts = _skein_bag_user_step(key, self._partitions, 'distinct')
            return _skein_api_Bag(_skein_bag_user_step(key, [_skein_parts], 'distinct_combine'), 'distinct')
        _skein_extra = () if key is None else (key,)
        _skein_parts = [_skein_bag_step('distinct', _skein_p, *_skein_extra) for _skein_p in self._partitions]
        return _skein_api_Bag([_skein_bag_step('distinct_combine', _skein_parts, *_skein_extra)], 'distinct')

    def random_sample(self, prob, random_state=None):
        # Each element kept with probability `prob`, each partition drawing from its own
        # generator seeded from `random_state` (an int or a `random.Random`): the same state
        # gives the same sample, as in Dask, though not Dask's sample (its seeds come from
        # numpy's PCG64).
        if not 0 <= prob <= 1:
            raise ValueError('prob must be a number in the interval [0, 1]')
        if type(random_state).__name__ != 'Random':
            random_state = _skein_random.Random(random_state)
        _skein_seeds = [random_state.randint(0, 4294967295) for _skein_p in self._partitions]
        return _skein_api_Bag([_skein_bag_step('random_sample', _skein_p, prob, _skein_s) for _skein_p, _skein_s in zip(self._partitions, _skein_seeds)], 'random-sample')

    def topk(self, k, key=None, split_every=None):
        if key is None:
            _skein_parts = [_skein_bag_step('topk', _skein_p, k) for _skein_p in self._partitions]
            return _skein_api_Bag([_skein_bag_step('topk_combine', _skein_parts, k)], 'topk')
        _skein_parts = _skein_bag_user_step(key, self._partitions, 'topk', k)
        return _skein_api_Bag(_skein_bag_user_step(key, [_skein_parts], 'topk_combine', k), 'topk')

    def take(self, k, npartitions=1, compute=True, warn=True):
        if npartitions == -1:
            npartitions = self.npartitions
        if npartitions > self.npartitions:
            raise ValueError('only ' + str(self.npartitions) + ' partitions, take received ' + str(npartitions))
        _skein_parts = [_skein_bag_step('take', _skein_p, k) for _skein_p in self._partitions[:npartitions]]
        _skein_b = _skein_api_Bag([_skein_bag_step('take', _skein_bag_step('concat', _skein_parts), k)], 'take')
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
        return _skein_api_Bag(list(_skein_api_persist(*self._partitions)), self._name)

    def visualize(self, **kwargs):
        return _skein_api_visualize(*self._partitions)

    def to_delayed(self, optimize_graph=True):
        return list(self._partitions)

    def __repr__(self):
        return 'dask.bag<' + self._name + ', npartitions=' + str(len(self._partitions)) + '>'


_skein_api_Bag = Bag


class _SkeinStrAccessor:
    # `bag.str`: Python's string methods on every element (Dask's `StringAccessor`, which
    # finds them with `__getattr__`; Monty calls none, so each is named here).
    def __init__(self, partitions):
        self._partitions = partitions

    def _skein_each(self, method, args):
        return _skein_api_Bag([_skein_bag_step('str', _skein_p, method, args) for _skein_p in self._partitions], method)

    def split(self, *args):
        return self._skein_each('split', args)

    def rsplit(self, *args):
        return self._skein_each('rsplit', args)

    def strip(self, *args):
        return self._skein_each('strip', args)

    def lstrip(self, *args):
        return self._skein_each('lstrip', args)

    def rstrip(self, *args):
        return self._skein_each('rstrip', args)

    def lower(self):
        return self._skein_each('lower', ())

    def upper(self):
        return self._skein_each('upper', ())

    def title(self):
        return self._skein_each('title', ())

    def capitalize(self):
        return self._skein_each('capitalize', ())

    def startswith(self, *args):
        return self._skein_each('startswith', args)

    def endswith(self, *args):
        return self._skein_each('endswith', args)

    def replace(self, *args):
        return self._skein_each('replace', args)

    def count(self, *args):
        return self._skein_each('count', args)

    def find(self, *args):
        return self._skein_each('find', args)

    def isdigit(self):
        return self._skein_each('isdigit', ())

    def isalpha(self):
        return self._skein_each('isalpha', ())

    def isspace(self):
        return self._skein_each('isspace', ())

    def zfill(self, *args):
        return self._skein_each('zfill', args)


def _skein_bag_concat(bags):
    return _skein_api_Bag([_skein_p for _skein_b in bags for _skein_p in _skein_b._partitions], 'concat')


def _skein_same_partitions(bags):
    _skein_n = bags[0].npartitions
    for _skein_b in bags:
        if _skein_b.npartitions != _skein_n:
            raise ValueError('Not all bags have the same number of partitions')
    return _skein_n


def _skein_bag_zip(*bags):
    _skein_n = _skein_same_partitions(bags)
    return _skein_api_Bag([_skein_bag_step('zip', [_skein_b._partitions[_skein_i] for _skein_b in bags]) for _skein_i in range(_skein_n)], 'zip')


def _skein_bag_map_fn(func, *args, **kwargs):
    # `db.map(f, bag1, 10, bag2, k=1)`: f per element, the bags zipped, the rest as given.
    _skein_bags = [_skein_a for _skein_a in args if type(_skein_a) is _skein_api_Bag]
    if not _skein_bags:
        raise ValueError('db.map needs at least one Bag argument')
    _skein_template = [(True, None) if type(_skein_a) is _skein_api_Bag else (False, _skein_a) for _skein_a in args]
    _skein_parts = [_skein_bag_step('fill', _skein_p, _skein_template) for _skein_p in _skein_bag_zip(*_skein_bags)._partitions]
    return _skein_api_Bag(_skein_bag_user_step(func, _skein_parts, 'starmap', kwargs), _skein_fn_name(func))


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
    return _skein_api_Bag(_skein_parts)


def _skein_bag_read_text(urlpath, blocksize=None, compression='infer', encoding='utf-8', errors='strict', linedelimiter=None, collection=True, storage_options=None, files_per_partition=None, include_path=False):
    # One partition per file (Dask's default), its lines with their line ends; a pattern names
    # the notebook's files it matches, as a glob does.
    if type(urlpath) is list or type(urlpath) is tuple:
        _skein_paths = list(urlpath)
    else:
        _skein_paths = _skein_glob(urlpath)
        if not _skein_paths:
            # Dask raises ValueError('No files found', urlpath); Monty's exceptions take one
            # argument, so the message is the text that pair prints as.
            raise ValueError(repr(('No files found', urlpath)))
    _skein_parts = [_skein_pending('_skein_apply_read_lines', (_skein_p, include_path), {}, 'read-text', _SKEIN_PURE) for _skein_p in _skein_paths]
    if not collection:
        return _skein_parts
    return _skein_api_Bag(_skein_parts, 'bag-from-delayed')


def _skein_apply_read_lines(_skein_path, _skein_include_path):
    _skein_lines = _skein_read_text(_skein_path).splitlines(True)
    if _skein_include_path:
        return [(_skein_line, _skein_path) for _skein_line in _skein_lines]
    return _skein_lines


def _skein_bag_from_delayed(values):
    # Each Delayed's value is a partition.
    if type(values) is _skein_api_Delayed:
        values = [values]
    return _skein_api_Bag([_skein_bag_item(_skein_v) for _skein_v in values], 'bag-from-delayed')


def _skein_bag_range(n, npartitions):
    # Dask's split: `n // npartitions` a partition, the rest in the last.
    _skein_size = max(1, n // npartitions)
    _skein_parts = []
    for _skein_i in range(npartitions):
        _skein_lo = _skein_i * _skein_size
        _skein_hi = n if _skein_i == npartitions - 1 else min(_skein_lo + _skein_size, n)
        _skein_parts.append(_skein_pending('_skein_apply_identity', (list(range(_skein_lo, _skein_hi)),), {}, 'range', _SKEIN_PURE))
    return _skein_api_Bag(_skein_parts, 'range')


_skein_bag = _skein_module('dask.bag')
_skein_bag.from_sequence = from_sequence
_skein_bag.range = _skein_bag_range
_skein_bag.Bag = Bag
_skein_bag.concat = _skein_bag_concat
_skein_bag.zip = _skein_bag_zip
_skein_bag.map = _skein_bag_map_fn
_skein_bag.read_text = _skein_bag_read_text
_skein_bag.from_delayed = _skein_bag_from_delayed
_skein_bag.Item = Item
_skein_dask.bag = _skein_bag
_skein_classes['Bag'] = lambda: _skein_api_Bag([])
_skein_classes['Item'] = lambda: _skein_api_Item(_skein_api_Delayed(''))
