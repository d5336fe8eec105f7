//! Axis limits, tick positions and tick texts as matplotlib chooses them by default for a
//! linear axis: `autoscale_view` (data limits, `nonsingular`, 5% margins, sticky edges),
//! `AutoLocator` (`MaxNLocator(nbins='auto', steps=[1, 2, 2.5, 5, 10])`) and
//! `ScalarFormatter` (shortest common decimals, an offset and a power of ten where
//! matplotlib uses them, `−` for minus).
//!
//! The arithmetic follows matplotlib 3.11's `ticker.py` step by step, Python's float floor
//! division and numpy's rounding included, so the texts match it exactly;
//! `tests/ticks.rs` compares them with real matplotlib's for a few hundred ranges
//! (`tests/dask/ticks.json`, written by `tests/dask/ticks.py`). Non-finite or empty data give
//! matplotlib's default limits (`-0.055..0.055`), never a panic.

use serde::{Deserialize, Serialize};

/// One axis as drawn: its limits and the ticks within them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AxisTicks {
    /// The view limits, low then high (an image's y axis runs high to low).
    pub limits: (f64, f64),
    /// The tick positions within the limits, increasing.
    pub ticks: Vec<f64>,
    /// Their texts (`0`, `50`, `0.25`, `−1.5`), one per position.
    pub labels: Vec<String>,
    /// Matplotlib's offset text at the axis end (`1e6`, `+1.338e8`), or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub offset: String,
}

/// The default figure (6.4 × 4.8 in) less its subplot margins, in inches.
const AXES_WIDTH: f64 = 6.4 * (0.9 - 0.125);
const AXES_HEIGHT: f64 = 4.8 * (0.88 - 0.11);
/// `AutoLocator`'s bin count on the default figure's axes (10 pt tick labels).
const DEFAULT_BINS: usize = 9;

/// Axes for lines over `data_x` × `data_y` (finite minimum and maximum, or `None`).
pub fn line_axes(data_x: Option<(f64, f64)>, data_y: Option<(f64, f64)>) -> (AxisTicks, AxisTicks) {
    (
        axis(autoscale(data_x, None), DEFAULT_BINS),
        axis(autoscale(data_y, None), DEFAULT_BINS),
    )
}

/// Axes for a histogram whose bars span `edges` (lowest to highest edge) and rise to `top`:
/// the bars stand on a sticky zero, as matplotlib's do.
pub fn histogram_axes(edges: Option<(f64, f64)>, top: f64) -> (AxisTicks, AxisTicks) {
    let data_y = if top.is_finite() {
        Some((top.min(0.0), top.max(0.0)))
    } else {
        None
    };
    (
        axis(autoscale(edges, None), DEFAULT_BINS),
        axis(autoscale(data_y, Some(0.0)), DEFAULT_BINS),
    )
}

/// Axes for `imshow` of a `rows` × `cols` grid: pixel centres at integers, limits at the
/// pixels' outer edges, the y axis downwards, and the box shrunk to square pixels.
pub fn image_axes(rows: usize, cols: usize) -> (AxisTicks, AxisTicks) {
    let (r, c) = (rows.max(1) as f64, cols.max(1) as f64);
    let (width, height) = if r / c > AXES_HEIGHT / AXES_WIDTH {
        (AXES_HEIGHT * c / r, AXES_HEIGHT)
    } else {
        (AXES_WIDTH, AXES_WIDTH * r / c)
    };
    // `get_tick_space`: a tick label is taken as 3 (x) or 2 (y) font sizes long.
    let bins = |length: f64, per: f64| ((length * 72.0 / per).floor() as usize).clamp(1, 9);
    (
        axis((-0.5, c - 0.5), bins(width, 30.0)),
        axis((r - 0.5, -0.5), bins(height, 20.0)),
    )
}

/// `autoscale_view` for one axis: `nonsingular`, 5% margins, clipped at a sticky edge.
fn autoscale(data: Option<(f64, f64)>, sticky: Option<f64>) -> (f64, f64) {
    let (lo, hi) = data.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
    let (lo, hi) = nonsingular(lo, hi, 0.05, 1e-15);
    let delta = (hi - lo) * 0.05;
    let delta = if delta.is_finite() { delta } else { 0.0 };
    let (mut x0, mut x1) = (lo - delta, hi + delta);
    if let Some(s) = sticky {
        let tol = 1e-5 * (hi - lo).abs();
        if s < lo + tol {
            x0 = x0.max(s);
        }
        if s >= hi - tol {
            x1 = x1.min(s);
        }
    }
    nonsingular(x0, x1, 1e-12, 1e-13)
}

/// `transforms._nonsingular`: widens an empty or non-finite range (keeping its order).
fn nonsingular(vmin: f64, vmax: f64, expander: f64, tiny: f64) -> (f64, f64) {
    if !vmin.is_finite() || !vmax.is_finite() {
        return (-expander, expander);
    }
    let swapped = vmax < vmin;
    let (mut lo, mut hi) = if swapped { (vmax, vmin) } else { (vmin, vmax) };
    let largest = lo.abs().max(hi.abs());
    if largest < (1e6 / tiny) * f64::MIN_POSITIVE {
        (lo, hi) = (-expander, expander);
    } else if hi - lo <= largest * tiny {
        if hi == 0.0 && lo == 0.0 {
            (lo, hi) = (-expander, expander);
        } else {
            lo -= expander * lo.abs();
            hi += expander * hi.abs();
        }
    }
    if swapped { (hi, lo) } else { (lo, hi) }
}

/// The axis over `limits`: `MaxNLocator` with `bins`, then `ScalarFormatter`.
pub fn axis(limits: (f64, f64), bins: usize) -> AxisTicks {
    let (a, b) = limits;
    if !a.is_finite() || !b.is_finite() {
        return AxisTicks {
            limits,
            ..AxisTicks::default()
        };
    }
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let locs = locate(lo, hi, bins);
    let formatter = Formatter::new(&locs, limits);
    let slack = (hi - lo) * 1e-10;
    let ticks: Vec<f64> = locs
        .iter()
        .copied()
        .filter(|&t| lo - slack <= t && t <= hi + slack)
        .collect();
    AxisTicks {
        limits,
        labels: ticks.iter().map(|&t| formatter.text(t)).collect(),
        ticks,
        offset: formatter.offset_text(),
    }
}

/// Python's `divmod` on floats (floor division, the remainder with the divisor's sign).
fn divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0_f64.copysign(y);
    }
    let floor = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 { f + 1.0 } else { f }
    } else {
        0.0_f64.copysign(x / y)
    };
    (floor, m)
}

/// `10 ** k` as Python computes it for a float `k`.
fn pow10(k: f64) -> f64 {
    10f64.powf(k)
}

/// `MaxNLocator.tick_values` with steps `[1, 2, 2.5, 5, 10]` and at least two ticks.
fn locate(vmin: f64, vmax: f64, bins: usize) -> Vec<f64> {
    let (vmin, vmax) = nonsingular(vmin, vmax, 1e-13, 1e-14);
    let n = bins.max(1) as f64;
    // `scale_range`
    let dv = (vmax - vmin).abs();
    let mean = (vmax + vmin) / 2.0;
    let offset = if mean.abs() / dv < 100.0 {
        0.0
    } else {
        pow10(divmod(mean.abs().log10(), 1.0).0).copysign(mean)
    };
    let scale = pow10(divmod((dv / n).log10(), 1.0).0);
    let (lo, hi) = (vmin - offset, vmax - offset);
    let steps: Vec<f64> = [0.1, 0.1 * 2.0, 0.1 * 2.5, 0.1 * 5.0]
        .into_iter()
        .chain([1.0, 2.0, 2.5, 5.0, 10.0, 20.0])
        .map(|s| s * scale)
        .collect();
    let raw = (hi - lo) / n;
    let first_large = steps
        .iter()
        .position(|&s| s >= raw)
        .unwrap_or(steps.len() - 1);
    let mut ticks = Vec::new();
    for &step in steps[..=first_large].iter().rev() {
        let best = divmod(lo, step).0 * step;
        let low = edge_le(lo - best, step, offset);
        let high = edge_ge(hi - best, step, offset);
        let count = (high + 1.0 - low).ceil();
        if !(0.0..=1000.0).contains(&count) {
            return Vec::new();
        }
        ticks = (0..count as usize)
            .map(|i| (low + i as f64) * step + best)
            .collect();
        let inside = ticks.iter().filter(|&&t| t <= hi && t >= lo).count();
        if inside >= 2 {
            break;
        }
    }
    ticks.into_iter().map(|t| t + offset).collect()
}

/// `_Edge_integer.closeto`.
fn close_to(ms: f64, edge: f64, step: f64, offset: f64) -> bool {
    let tol = if offset != 0.0 {
        let digits = (offset.abs() / step).log10();
        pow10(digits - 12.0).clamp(1e-10, 0.4999)
    } else {
        1e-10
    };
    (ms - edge).abs() < tol
}

/// `_Edge_integer.le`: the largest n with n·step <= x.
fn edge_le(x: f64, step: f64, offset: f64) -> f64 {
    let (d, m) = divmod(x, step);
    if close_to(m / step, 1.0, step, offset) {
        d + 1.0
    } else {
        d
    }
}

/// `_Edge_integer.ge`: the smallest n with n·step >= x.
fn edge_ge(x: f64, step: f64, offset: f64) -> f64 {
    let (d, m) = divmod(x, step);
    if close_to(m / step, 0.0, step, offset) {
        d
    } else {
        d + 1.0
    }
}

/// `ScalarFormatter` after `set_locs`: offset, order of magnitude and decimals.
struct Formatter {
    offset: f64,
    order: i32,
    decimals: usize,
}

impl Formatter {
    fn new(locs: &[f64], view: (f64, f64)) -> Formatter {
        let (vmin, vmax) = if view.0 <= view.1 {
            view
        } else {
            (view.1, view.0)
        };
        let visible: Vec<f64> = locs
            .iter()
            .copied()
            .filter(|&l| vmin <= l && l <= vmax)
            .collect();
        let offset = compute_offset(&visible);
        // `_set_order_of_magnitude`, with the default power limits (-5, 6).
        let order = if visible.is_empty() {
            0
        } else {
            let oom = if offset != 0.0 {
                (vmax - vmin).log10().floor()
            } else {
                let top = visible.iter().fold(0.0_f64, |m, l| m.max(l.abs()));
                if top == 0.0 { 0.0 } else { top.log10().floor() }
            };
            if oom <= -5.0 || oom >= 6.0 {
                oom as i32
            } else {
                0
            }
        };
        // `_set_format`
        let mut all = locs.to_vec();
        if locs.len() < 2 {
            all.extend([view.0, view.1]);
        }
        let scaled: Vec<f64> = all
            .iter()
            .map(|l| (l - offset) / pow10(f64::from(order)))
            .collect();
        let (lo, hi) = scaled
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let mut range = hi - lo;
        if range == 0.0 {
            range = scaled.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        }
        if range == 0.0 || !range.is_finite() {
            range = 1.0;
        }
        let checked = if locs.len() < 2 {
            &scaled[..scaled.len() - 2]
        } else {
            &scaled[..]
        };
        let range_oom = range.log10().floor();
        let mut sigfigs = (3.0 - range_oom).max(0.0) as i32;
        let thresh = 1e-3 * pow10(range_oom);
        while sigfigs >= 0 {
            let f = pow10(f64::from(sigfigs));
            let worst = checked
                .iter()
                .map(|x| (x - (x * f).round_ties_even() / f).abs())
                .fold(f64::NEG_INFINITY, f64::max);
            if worst < thresh {
                sigfigs -= 1;
            } else {
                break;
            }
        }
        Formatter {
            offset,
            order,
            decimals: (sigfigs + 1).clamp(0, 60) as usize,
        }
    }

    /// The text of the tick at `x`.
    fn text(&self, x: f64) -> String {
        let mut xp = (x - self.offset) / pow10(f64::from(self.order));
        if xp.abs() < 1e-8 {
            xp = 0.0;
        }
        minus(format!("{xp:.prec$}", prec = self.decimals))
    }

    /// `get_offset`: `1e6`, `+1.338e8`, `1e−6−3.958e−1` or empty.
    fn offset_text(&self) -> String {
        let mut text = String::new();
        if self.order != 0 {
            text.push_str(&format!("1e{}", self.order));
        }
        if self.offset != 0.0 {
            if self.offset > 0.0 {
                text.push('+');
            }
            text.push_str(&format_data(self.offset));
        }
        minus(text)
    }
}

/// `_compute_offset` with the default offset threshold (4 digits).
fn compute_offset(visible: &[f64]) -> f64 {
    let Some(lmin) = visible.iter().copied().reduce(f64::min) else {
        return 0.0;
    };
    let lmax = visible.iter().copied().fold(lmin, f64::max);
    if lmin == lmax || (lmin <= 0.0 && 0.0 <= lmax) {
        return 0.0;
    }
    let (abs_min, abs_max) = if lmin.abs() <= lmax.abs() {
        (lmin.abs(), lmax.abs())
    } else {
        (lmax.abs(), lmin.abs())
    };
    let floor_div = |a: f64, oom: f64| divmod(a, pow10(oom)).0;
    let oom_max = abs_max.log10().ceil();
    let first = |pred: &dyn Fn(f64) -> bool| {
        (0..2000)
            .map(|i| oom_max - f64::from(i))
            .find(|&oom| pred(oom))
            .map(|oom| oom + 1.0)
    };
    let Some(mut oom) = first(&|oom| floor_div(abs_min, oom) != floor_div(abs_max, oom)) else {
        return 0.0;
    };
    if (abs_max - abs_min) / pow10(oom) <= 1e-2 {
        match first(&|oom| floor_div(abs_max, oom) - floor_div(abs_min, oom) > 1.0) {
            Some(o) => oom = o,
            None => return 0.0,
        }
    }
    if floor_div(abs_max, oom) >= 1000.0 {
        (floor_div(abs_max, oom) * pow10(oom)).copysign(lmin)
    } else {
        0.0
    }
}

/// `ScalarFormatter.format_data`: `1.338e8`, `−3.958e−1`, `5`.
fn format_data(value: f64) -> String {
    let e = value.abs().log10().floor();
    let s: f64 = format!("{:.10}", value / pow10(e)).parse().unwrap_or(value);
    let significand = if s % 1.0 == 0.0 {
        format!("{s:.0}")
    } else {
        let fixed = format!("{s:.9}");
        fixed.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    if e == 0.0 {
        significand
    } else {
        format!("{significand}e{e:.0}")
    }
}

/// Matplotlib's `axes.unicode_minus`.
fn minus(text: String) -> String {
    text.replace('-', "\u{2212}")
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn integers_print_without_a_decimal_point() {
        let (x, y) = image_axes(10, 250);
        assert_eq!(x.labels, ["0", "50", "100", "150", "200"]);
        assert_eq!(x.limits, (-0.5, 249.5));
        assert_eq!(y.limits, (9.5, -0.5));
        let (x, _) = line_axes(Some((-1.0, 1.0)), Some((0.0, 1.0)));
        assert_eq!(x.labels[0], "\u{2212}1.00");
    }

    #[test]
    fn nothing_finite_gives_default_ticks_not_a_panic() {
        let (x, y) = line_axes(None, Some((f64::NAN, 1.0)));
        assert_eq!(x.limits, (-0.05500000000000001, 0.05500000000000001));
        assert_eq!(y.limits, (-0.05500000000000001, 0.05500000000000001));
        let (x, y) = histogram_axes(None, f64::INFINITY);
        assert!(!x.labels.is_empty() && !y.labels.is_empty());
        assert!(axis((f64::NAN, 1.0), 9).ticks.is_empty());
        let (x, y) = image_axes(0, 0);
        assert!(!x.labels.is_empty() && !y.labels.is_empty());
        let huge = axis((-f64::MAX, f64::MAX), 9);
        assert!(huge.ticks.len() <= 1000);
    }
}
