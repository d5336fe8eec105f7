

# --- IPython's %time and %timeit (see `magics.rs`) ------------------------------------------
import time as _skein_time


def _skein_clock():
    return _skein_time.perf_counter()


def _skein_format_time(_skein_s):
    # IPython's `_format_time`: three significant digits in s, ms, µs or ns.
    if _skein_s >= 1.0:
        return _skein_3g(_skein_s) + ' s'
    if _skein_s >= 1e-3:
        return _skein_3g(_skein_s * 1e3) + ' ms'
    if _skein_s >= 1e-6:
        return _skein_3g(_skein_s * 1e6) + ' µs'
    return _skein_3g(_skein_s * 1e9) + ' ns'


def _skein_3g(_skein_x):
    _skein_digits = 2 if _skein_x < 10 else 1 if _skein_x < 100 else 0
    _skein_text = str(round(_skein_x, _skein_digits))
    if '.' in _skein_text:
        _skein_text = _skein_text.rstrip('0').rstrip('.')
    return _skein_text


def _skein_wall_time(_skein_t0):
    print('Wall time: ' + _skein_format_time(_skein_clock() - _skein_t0))


def _skein_lap(_skein_value):
    return _skein_clock()


def _skein_timeit(_skein_t0, _skein_laps):
    _skein_times = []
    _skein_last = _skein_t0
    for _skein_lap_at in _skein_laps:
        _skein_times.append(_skein_lap_at - _skein_last)
        _skein_last = _skein_lap_at
    _skein_n = len(_skein_times)
    _skein_mean = sum(_skein_times) / _skein_n
    _skein_var = sum([(_skein_t - _skein_mean) ** 2 for _skein_t in _skein_times]) / _skein_n
    _skein_runs = str(_skein_n) + (' run' if _skein_n == 1 else ' runs')
    print(_skein_format_time(_skein_mean) + ' ± ' + _skein_format_time(_skein_var ** 0.5)
          + ' per loop (mean ± std. dev. of ' + _skein_runs + ', 1 loop each)')
