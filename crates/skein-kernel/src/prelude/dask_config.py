

# --- dask.config ------------------------------------------------------------------------------
# Settings Dask code makes (`dask.config.set(scheduler='sync')`, often as a `with` block): kept
# and read back as Dask does, keys with `_` and `-` alike. Skein runs every graph on its one
# scheduler, so none of them changes how a graph runs.

_skein_config_values = {}


def _skein_config_key(_skein_k):
    return _skein_k.replace('_', '-')


class _SkeinConfigSet:
    def __init__(self, arg, kwargs):
        self._old = dict(_skein_config_values)
        for _skein_k, _skein_v in list((arg or {}).items()) + list(kwargs.items()):
            _skein_config_values[_skein_config_key(_skein_k)] = _skein_v

    def __enter__(self):
        return self

    def __exit__(self, *_skein_exc):
        _skein_config_values.clear()
        _skein_config_values.update(self._old)
        return False


class _SkeinConfigMissing:
    pass


_skein_config_missing = _SkeinConfigMissing()


def _skein_config_set(arg=None, **kwargs):
    return _SkeinConfigSet(arg, kwargs)


def _skein_config_get(key, default=_skein_config_missing):
    _skein_k = _skein_config_key(key)
    if _skein_k in _skein_config_values:
        return _skein_config_values[_skein_k]
    if default is _skein_config_missing:
        raise KeyError(key)
    return default


_skein_config = _skein_module('dask.config')
_skein_config.set = _skein_config_set
_skein_config.get = _skein_config_get
_skein_dask.config = _skein_config
