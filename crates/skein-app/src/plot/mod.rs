//! Drawing the script's plot descriptions on a canvas as matplotlib draws its default
//! figure: the kernel's limits and tick texts (`skein_kernel::ticks`), matplotlib's box,
//! tick and font sizes (`layout.rs`), its colour cycle, no grid unless `plt.grid()`, lines
//! at sub-pixel positions, a colour bar with its own ticks and a legend in the emptiest
//! corner.
//!
//! The canvas's 2-D context draws everything: matplotlib's layout is in fractions of the
//! figure and points, which a chart library's label areas and whole-pixel lines cannot
//! follow.

mod layout;

use std::f64::consts::FRAC_PI_2;

use skein_kernel::ticks::{self, AxisTicks};
use skein_kernel::{Axes, HistogramLayer, Labels, Plot, Series};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::canvas::context_2d;
use layout::{Figure, ImageShape, Rect, Scale, pt};

/// Matplotlib's default colour cycle, `C0` to `C9` (`tab10`).
const PALETTE: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];

/// Matplotlib's grid line colour.
const GRID: &str = "#b0b0b0";

/// DejaVu Sans is matplotlib's font; the browser's sans-serif stands in where it is missing.
fn font(points: f64) -> String {
    format!("{:.2}px 'DejaVu Sans', sans-serif", pt(points))
}

/// Tick length and the gap to its label (`xtick.major.size`, `xtick.major.pad`).
fn tick_reach() -> (f64, f64) {
    (pt(3.5), pt(3.5))
}

/// The colour bar's tick texts for values `min..max`, as matplotlib's `AutoLocator` puts
/// them on the bar's long axis (the default figure gives it nine bins).
pub fn colorbar_ticks(min: f64, max: f64) -> AxisTicks {
    ticks::axis((min, max), 9)
}

/// Draws `plot` onto `canvas`, replacing what was there.
pub fn draw(canvas: HtmlCanvasElement, plot: &Plot) -> Result<(), String> {
    let ctx = context_2d(&canvas).ok_or("the canvas has no 2D context")?;
    let size = (f64::from(canvas.width()), f64::from(canvas.height()));
    ctx.set_fill_style_str("white");
    ctx.fill_rect(0.0, 0.0, size.0, size.1);
    let image = match plot {
        Plot::Image {
            rows,
            cols,
            colorbar,
            ..
        } => Some(ImageShape {
            rows: *rows,
            cols: *cols,
            colorbar: *colorbar,
        }),
        _ => None,
    };
    let figure = Figure::new(size, image);
    let axes = plot.axes();
    let scale = Scale::new(figure.axes, &axes.x, &axes.y);
    let pen = Pen(&ctx);
    if axes.grid {
        pen.grid(&scale, axes);
    }
    pen.clipped(figure.axes, || match plot {
        Plot::Histogram {
            edges,
            counts,
            overlays,
            ..
        } => pen.histogram(&scale, edges, counts, overlays),
        Plot::Line { series, .. } => pen.lines(&scale, series),
        Plot::Image {
            rows,
            cols,
            values,
            min,
            max,
            ..
        } => pen.image(&scale, (*rows, *cols, values), (*min, *max)),
    });
    pen.frame(&scale, axes, plot.labels());
    match plot {
        Plot::Image {
            min,
            max,
            colorbar: true,
            ..
        } => {
            if let Some(bar) = figure.colorbar {
                pen.colorbar(bar, *min, *max);
            }
        }
        Plot::Line { series, .. } => {
            let entries: Vec<(&str, Handle)> = series
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.name.is_empty())
                .map(|(i, s)| (s.name.as_str(), Handle::Line(PALETTE[i % PALETTE.len()])))
                .collect();
            let points = series
                .iter()
                .flat_map(|s| s.xs.iter().zip(&s.ys).map(|(&x, &y)| scale.point((x, y))));
            pen.legend(figure.axes, &entries, points.collect());
        }
        Plot::Histogram {
            edges,
            counts,
            overlays,
            ..
        } => {
            let entries: Vec<(&str, Handle)> = overlays
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.label.is_empty())
                .map(|(i, l)| {
                    let colour = PALETTE[(i + 1) % PALETTE.len()];
                    (l.label.as_str(), Handle::Patch(colour))
                })
                .collect();
            // Bar tops, as matplotlib's `best` weighs a bar by its corners.
            let tops = std::iter::once((edges.as_slice(), counts.as_slice()))
                .chain(
                    overlays
                        .iter()
                        .map(|l| (l.edges.as_slice(), l.counts.as_slice())),
                )
                .flat_map(|(edges, counts)| {
                    edges
                        .windows(2)
                        .zip(counts)
                        .map(|(e, &c)| scale.point(((e[0] + e[1]) / 2.0, c as f64)))
                        .collect::<Vec<_>>()
                });
            pen.legend(figure.axes, &entries, tops.collect());
        }
        Plot::Image { .. } => {}
    }
    Ok(())
}

/// What a legend entry shows beside its text.
#[derive(Clone, Copy)]
enum Handle {
    Line(&'static str),
    Patch(&'static str),
}

/// Drawing on one canvas context.
struct Pen<'a>(&'a CanvasRenderingContext2d);

impl Pen<'_> {
    /// Runs `draw` with everything outside `rect` left untouched, as matplotlib clips
    /// artists to the axes.
    fn clipped(&self, rect: Rect, draw: impl FnOnce()) {
        let ctx = self.0;
        ctx.save();
        ctx.begin_path();
        ctx.rect(rect.left, rect.top, rect.width(), rect.height());
        ctx.clip();
        draw();
        ctx.restore();
    }

    fn line(&self, from: (f64, f64), to: (f64, f64), colour: &str, width: f64) {
        let ctx = self.0;
        ctx.begin_path();
        ctx.move_to(from.0, from.1);
        ctx.line_to(to.0, to.1);
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(width);
        ctx.stroke();
    }

    fn text(&self, text: &str, (x, y): (f64, f64), (align, baseline): (&str, &str), points: f64) {
        let ctx = self.0;
        ctx.set_font(&font(points));
        ctx.set_fill_style_str("black");
        ctx.set_text_align(align);
        ctx.set_text_baseline(baseline);
        let _ = ctx.fill_text(text, x, y);
    }

    fn text_width(&self, text: &str, points: f64) -> f64 {
        self.0.set_font(&font(points));
        self.0.measure_text(text).map_or(0.0, |m| m.width())
    }

    fn grid(&self, scale: &Scale, axes: &Axes) {
        let rect = scale.rect;
        for &x in &axes.x.ticks {
            let px = scale.x(x);
            self.line((px, rect.top), (px, rect.bottom), GRID, pt(0.8));
        }
        for &y in &axes.y.ticks {
            let py = scale.y(y);
            self.line((rect.left, py), (rect.right, py), GRID, pt(0.8));
        }
    }

    fn histogram(&self, scale: &Scale, edges: &[f64], counts: &[u64], overlays: &[HistogramLayer]) {
        let ctx = self.0;
        let layers = std::iter::once((edges, counts)).chain(
            overlays
                .iter()
                .map(|l| (l.edges.as_slice(), l.counts.as_slice())),
        );
        // Overlaid histograms are see-through, as matplotlib's `alpha=` makes them.
        ctx.set_global_alpha(if overlays.is_empty() { 1.0 } else { 0.5 });
        for (i, (edges, counts)) in layers.enumerate() {
            ctx.set_fill_style_str(PALETTE[i % PALETTE.len()]);
            let base = scale.y(0.0);
            for (edge, &count) in edges.windows(2).zip(counts) {
                // Whole-pixel sides, so that neighbouring bars leave no hairline between.
                let (left, right) = (scale.x(edge[0]).round(), scale.x(edge[1]).round());
                let top = scale.y(count as f64);
                ctx.fill_rect(left, top, right - left, base - top);
            }
        }
        ctx.set_global_alpha(1.0);
    }

    fn lines(&self, scale: &Scale, series: &[Series]) {
        let ctx = self.0;
        ctx.set_line_width(pt(1.5));
        ctx.set_line_join("round");
        for (i, s) in series.iter().enumerate() {
            ctx.set_stroke_style_str(PALETTE[i % PALETTE.len()]);
            ctx.begin_path();
            // A non-finite point breaks the line, as in matplotlib.
            let mut pen_down = false;
            for (&x, &y) in s.xs.iter().zip(&s.ys) {
                if !(x.is_finite() && y.is_finite()) {
                    pen_down = false;
                    continue;
                }
                let (px, py) = scale.point((x, y));
                if pen_down {
                    ctx.line_to(px, py);
                } else {
                    ctx.move_to(px, py);
                    pen_down = true;
                }
            }
            ctx.stroke();
        }
    }

    fn image(
        &self,
        scale: &Scale,
        (rows, cols, values): (usize, usize, &[f64]),
        (min, max): (f64, f64),
    ) {
        let ctx = self.0;
        let span = if max > min { max - min } else { 1.0 };
        for r in 0..rows {
            let (top, bottom) = (
                scale.y(r as f64 - 0.5).round(),
                scale.y(r as f64 + 0.5).round(),
            );
            let (top, bottom) = (top.min(bottom), top.max(bottom));
            for c in 0..cols {
                let v = values.get(r * cols + c).copied().unwrap_or(min);
                let (left, right) = (
                    scale.x(c as f64 - 0.5).round(),
                    scale.x(c as f64 + 0.5).round(),
                );
                ctx.set_fill_style_str(&viridis((v - min) / span));
                ctx.fill_rect(left, top, right - left, bottom - top);
            }
        }
    }

    /// The four spines, the ticks outside them with their texts, the offsets, the axis
    /// labels and the title.
    fn frame(&self, scale: &Scale, axes: &Axes, labels: &Labels) {
        let rect = scale.rect;
        let (reach, pad) = tick_reach();
        self.0.set_stroke_style_str("black");
        self.0.set_line_width(pt(0.8));
        self.0
            .stroke_rect(rect.left, rect.top, rect.width(), rect.height());
        for (&x, text) in axes.x.ticks.iter().zip(&axes.x.labels) {
            let px = scale.x(x);
            self.line(
                (px, rect.bottom),
                (px, rect.bottom + reach),
                "black",
                pt(0.8),
            );
            self.text(
                text,
                (px, rect.bottom + reach + pad),
                ("center", "top"),
                10.0,
            );
        }
        let mut widest = 0.0_f64;
        for (&y, text) in axes.y.ticks.iter().zip(&axes.y.labels) {
            let py = scale.y(y);
            self.line((rect.left - reach, py), (rect.left, py), "black", pt(0.8));
            self.text(
                text,
                (rect.left - reach - pad, py),
                ("right", "middle"),
                10.0,
            );
            widest = widest.max(self.text_width(text, 10.0));
        }
        // Matplotlib writes an axis's offset and power of ten at its far end.
        let below_ticks = rect.bottom + reach + pad + pt(10.0) * 1.2;
        if !axes.x.offset.is_empty() {
            self.text(
                &axes.x.offset,
                (rect.right, below_ticks),
                ("right", "top"),
                10.0,
            );
        }
        if !axes.y.offset.is_empty() {
            self.text(
                &axes.y.offset,
                (rect.left, rect.top - pt(3.0)),
                ("left", "bottom"),
                10.0,
            );
        }
        // `axes.labelpad`: 4 pt beyond the tick texts.
        if !labels.x_label.is_empty() {
            let centre = (rect.left + rect.right) / 2.0;
            let y = below_ticks + pt(4.0) - pt(10.0) * 0.2;
            self.text(&labels.x_label, (centre, y), ("center", "top"), 10.0);
        }
        if !labels.y_label.is_empty() {
            let ctx = self.0;
            ctx.save();
            let x = rect.left - reach - pad - widest - pt(4.0);
            let _ = ctx.translate(x, (rect.top + rect.bottom) / 2.0);
            let _ = ctx.rotate(-FRAC_PI_2);
            self.text(&labels.y_label, (0.0, 0.0), ("center", "bottom"), 10.0);
            ctx.restore();
        }
        // `axes.titlesize` large (12 pt), `axes.titlepad` 6 pt.
        if !labels.title.is_empty() {
            let centre = (rect.left + rect.right) / 2.0;
            self.text(
                &labels.title,
                (centre, rect.top - pt(6.0)),
                ("center", "alphabetic"),
                12.0,
            );
        }
    }

    /// The bar's colours from `min` (bottom) to `max` (top), framed, ticked on the right.
    fn colorbar(&self, bar: Rect, min: f64, max: f64) {
        let ctx = self.0;
        let steps = bar.height().ceil().max(1.0) as usize;
        let slice = bar.height() / steps as f64;
        for i in 0..steps {
            let t = (i as f64 + 0.5) / steps as f64;
            ctx.set_fill_style_str(&viridis(t));
            let top = bar.bottom - (i + 1) as f64 * slice;
            // A hair taller than a slice, so that no background shows between slices.
            ctx.fill_rect(bar.left, top, bar.width(), slice + 0.5);
        }
        ctx.set_stroke_style_str("black");
        ctx.set_line_width(pt(0.8));
        ctx.stroke_rect(bar.left, bar.top, bar.width(), bar.height());
        let axis = colorbar_ticks(min, max);
        let scale = Scale::from_limits(bar, (0.0, 1.0), axis.limits);
        let (reach, pad) = tick_reach();
        for (&v, text) in axis.ticks.iter().zip(&axis.labels) {
            let y = scale.y(v);
            self.line((bar.right, y), (bar.right + reach, y), "black", pt(0.8));
            self.text(text, (bar.right + reach + pad, y), ("left", "middle"), 10.0);
        }
    }

    /// A legend (`loc='best'`): of the corners, in matplotlib's order, the first that covers
    /// the fewest of `points`.
    fn legend(&self, axes: Rect, entries: &[(&str, Handle)], points: Vec<(f64, f64)>) {
        if entries.is_empty() {
            return;
        }
        let em = pt(10.0);
        let (handle_length, handle_pad, border_pad, spacing, axes_pad) =
            (2.0 * em, 0.8 * em, 0.4 * em, 0.5 * em, 0.5 * em);
        let widest = entries
            .iter()
            .map(|(text, _)| self.text_width(text, 10.0))
            .fold(0.0, f64::max);
        let row = em * 1.2;
        let width = 2.0 * border_pad + handle_length + handle_pad + widest;
        let height = 2.0 * border_pad
            + entries.len() as f64 * row
            + (entries.len() - 1) as f64 * (spacing - 0.2 * em).max(0.0);
        let corners = [
            (axes.right - axes_pad - width, axes.top + axes_pad), // upper right
            (axes.left + axes_pad, axes.top + axes_pad),          // upper left
            (axes.left + axes_pad, axes.bottom - axes_pad - height), // lower left
            (
                axes.right - axes_pad - width,
                axes.bottom - axes_pad - height,
            ), // lower right
        ];
        let covered = |&(left, top): &(f64, f64)| {
            let box_ = Rect {
                left,
                top,
                right: left + width,
                bottom: top + height,
            };
            points.iter().filter(|&&p| box_.contains(p)).count()
        };
        let (left, top) = corners
            .iter()
            .copied()
            .min_by_key(covered)
            .unwrap_or(corners[0]);
        let ctx = self.0;
        ctx.set_global_alpha(0.8);
        ctx.set_fill_style_str("white");
        ctx.fill_rect(left, top, width, height);
        ctx.set_global_alpha(1.0);
        ctx.set_stroke_style_str("#cccccc");
        ctx.set_line_width(pt(1.0));
        ctx.stroke_rect(left, top, width, height);
        let row_step = row + (spacing - 0.2 * em).max(0.0);
        for (i, (text, handle)) in entries.iter().enumerate() {
            let middle = top + border_pad + i as f64 * row_step + row / 2.0;
            let x = left + border_pad;
            match handle {
                Handle::Line(colour) => {
                    self.line((x, middle), (x + handle_length, middle), colour, pt(1.5));
                }
                Handle::Patch(colour) => {
                    ctx.set_global_alpha(0.5);
                    ctx.set_fill_style_str(colour);
                    ctx.fill_rect(x, middle - 0.35 * em, handle_length, 0.7 * em);
                    ctx.set_global_alpha(1.0);
                }
            }
            self.text(
                text,
                (x + handle_length + handle_pad, middle),
                ("left", "middle"),
                10.0,
            );
        }
    }
}

/// Matplotlib's default colour map, by linear steps between its colours at eighths.
fn viridis(t: f64) -> String {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 45, 123),
        (59, 82, 139),
        (44, 114, 142),
        (33, 145, 140),
        (40, 174, 128),
        (94, 201, 98),
        (173, 220, 48),
        (253, 231, 37),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    } * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    format!(
        "rgb({}, {}, {})",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn viridis_runs_from_purple_to_yellow_and_never_fails_on_nan() {
        assert_eq!(viridis(0.0), "rgb(68, 1, 84)");
        assert_eq!(viridis(1.0), "rgb(253, 231, 37)");
        assert_eq!(viridis(f64::NAN), viridis(0.0));
        assert_eq!(viridis(0.5), "rgb(33, 145, 140)");
    }

    #[wasm_bindgen_test]
    fn the_colour_bar_ticks_whole_values_within_its_range() {
        // Matplotlib's bar for the traffic grid (values 1.02..9.87): 2, 3, … 9.
        let axis = colorbar_ticks(1.0195013602086074, 9.874248507525047);
        assert_eq!(axis.labels, ["2", "3", "4", "5", "6", "7", "8", "9"]);
    }
}
