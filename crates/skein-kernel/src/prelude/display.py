

# --- what a cell shows ----------------------------------------------------------------------


def _skein_refresh_futures(_skein_x, _skein_depth):
    # Every future inside is refreshed by one host call, whatever their number.
    _skein_futures = []
    _skein_refresh_within(_skein_x, _skein_depth, _skein_futures)
    if _skein_futures:
        _skein_set_states(_skein_futures)


def _skein_set_states(_skein_futures, _skein_keys=None):
    # `_skein_keys`: the futures' keys, when the caller has them already.
    if _skein_keys is None:
        _skein_keys = [_skein_f._key for _skein_f in _skein_futures]
    _skein_states_now = _skein_states(_skein_keys)
    if type(_skein_states_now) is tuple:
        # One state for them all (see `host/futures.rs`).
        _skein_mark_all(_skein_futures, _skein_states_now[0], _skein_states_now[1])
        return
    for _skein_f, _skein_state in zip(_skein_futures, _skein_states_now):
        _skein_f.status, _skein_f._type = _skein_state


def _skein_mark_all(_skein_futures, _skein_status, _skein_type):
    # Every future in one state, with one result type: what the host answers when they share
    # it, and what a gather knows without asking.
    for _skein_f in _skein_futures:
        _skein_f.status = _skein_status
        _skein_f._type = _skein_type


def _skein_refresh_within(_skein_x, _skein_depth, _skein_futures):
    _skein_t = type(_skein_x)
    if _skein_t is _skein_api_Future:
        _skein_futures.append(_skein_x)
    elif _skein_t is _SkeinExecutorFuture:
        _skein_futures.append(_skein_x._future)
    elif _skein_t is _skein_api_Client or _skein_t is _SkeinCluster:
        _skein_x._skein_refresh()
    elif _skein_t is _skein_ndarray:
        _skein_x._force()
    elif _skein_depth < 3 and (_skein_t is list or _skein_t is tuple):
        # A list of futures (`wait(client.map(...))`) without a call per future.
        _skein_found = [_skein_v for _skein_v in _skein_x if type(_skein_v) is _skein_api_Future]
        if len(_skein_found) == len(_skein_x):
            _skein_futures.extend(_skein_found)
            return
        for _skein_v in _skein_x:
            _skein_refresh_within(_skein_v, _skein_depth + 1, _skein_futures)
    elif _skein_depth < 3 and _skein_t is dict:
        for _skein_v in _skein_x.values():
            _skein_refresh_within(_skein_v, _skein_depth + 1, _skein_futures)


def _skein_display(_skein_x):
    # The cell's last expression, as Jupyter shows it (`None` shows nothing).
    if _skein_x is None:
        return
    _skein_refresh_futures(_skein_x, 0)
    if type(_skein_x) is _SkeinGraph:
        _skein_show_graph(_skein_x.dot, _skein_x.svg)
        return
    if type(_skein_x).__name__ == 'DataFrame':
        _skein_show_table(repr(_skein_x), list(_skein_x.columns), [[str(_skein_c[_skein_i]) for _skein_c in [_skein_x._data[_skein_k] for _skein_k in _skein_x._columns]] for _skein_i in range(min(60, _skein_x.shape[0]))], [str(_skein_i) for _skein_i in list(_skein_x.index)[:60]])
        return
    _skein_show(repr(_skein_x), type(_skein_x).__name__)


def display(*objs, **kwargs):
    for _skein_x in objs:
        _skein_display(_skein_x)
