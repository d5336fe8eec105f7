

# --- as_completed ---------------------------------------------------------------------------
# Dask's iterator of futures in the order they finish, both ways Dask code uses it:
#
# - a `for` loop (`_skein_for` in `compat.py`, see `rewrite.rs`): Monty's `for` cannot wait inside
#   `__next__` (a method Monty calls itself cannot call the host), so the loop first waits for
#   the futures the iterator holds and walks them in the order they finished; an `add` during
#   the loop waits for the added future and appends it;
# - `next(seq)` with `count()`, `add()` and `update()` in a `while seq.count() > 1:` loop (the
#   tree reduction): `__next__` waits for one future at a time (a `__next__` that `next(…)`
#   calls may call the host since Monty 1.4).


class as_completed:
    def __init__(self, futures=None, with_results=False, raise_errors=True):
        self._id = _skein_as_completed([_skein_f._key for _skein_f in (futures or [])])
        self._with_results = with_results
        self._raise_errors = raise_errors
        # What a `for` loop walks; `_position` counts what `next` took from it.
        self._ready = []
        self._position = 0
        self._looping = False

    def _skein_item(self, _skein_key):
        _skein_f = _skein_api_Future(_skein_key)
        _skein_f._skein_refresh()
        if not self._with_results:
            return _skein_f
        if _skein_f.status == 'error' and not self._raise_errors:
            return (_skein_f, _skein_f.exception())
        return (_skein_f, _skein_f.result())

    def _skein_fill(self):
        self._looping = True
        while True:
            _skein_key = _skein_as_completed_next(self._id)
            if _skein_key is None:
                return self._ready
            self._ready.append(self._skein_item(_skein_key))

    def _skein_next(self, *_skein_default):
        if self._position < len(self._ready):
            self._position += 1
            return self._ready[self._position - 1]
        _skein_key = _skein_as_completed_next(self._id)
        if _skein_key is None:
            if _skein_default:
                return _skein_default[0]
            raise StopIteration
        return self._skein_item(_skein_key)

    def add(self, future):
        _skein_as_completed_add(self._id, future._key)
        if self._looping:
            self._skein_fill()

    def update(self, futures):
        for _skein_f in futures:
            self.add(_skein_f)

    def count(self):
        # Dask's: the futures added and not yet yielded.
        return _skein_as_completed_count(self._id) + len(self._ready) - self._position

    def is_empty(self):
        return self.count() == 0

    def clear(self):
        while not self.is_empty():
            self._skein_next()

    def __iter__(self):
        return self

    def __next__(self):
        return self._skein_next()

    def __len__(self):
        return self.count()


_skein_api_as_completed = as_completed


_skein_distributed.as_completed = as_completed
