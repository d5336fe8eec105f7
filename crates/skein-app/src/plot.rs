//! Drawing the script's plot descriptions on a canvas with plotters, as matplotlib draws
//! them: the kernel's limits and tick texts (`skein_kernel::ticks`), no grid unless
//! `plt.grid()` asked for one, and matplotlib's colour cycle.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use skein_kernel::{Axes, Labels, Plot};
use web_sys::HtmlCanvasElement;

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// Matplotlib's default colour cycle, `C0` to `C9` (`tab10`).
const PALETTE: [RGBColor; 10] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
];

/// Matplotlib's grid line colour (`#b0b0b0`).
const GRID: RGBColor = RGBColor(0xb0, 0xb0, 0xb0);

type Chart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Plotters' own ticks off; the kernel's ticks, offset texts and (if asked) grid drawn on
/// `canvas` (the whole canvas, so the chart's backend coordinates are its own).
fn draw_axes(
    canvas: &Area,
    chart: &mut Chart,
    axes: &Axes,
    (x_desc, y_desc): (&str, &str),
) -> DrawResult {
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    let (x0, x1) = axes.x.limits;
    let (y0, y1) = axes.y.limits;
    let font = ("sans-serif", 13).into_font();
    let below = TextStyle::from(font.clone()).pos(Pos::new(HPos::Center, VPos::Top));
    let left = TextStyle::from(font.clone()).pos(Pos::new(HPos::Right, VPos::Center));
    for (&x, text) in axes.x.ticks.iter().zip(&axes.x.labels) {
        let (px, py) = chart.backend_coord(&(x, y0));
        if axes.grid {
            let top = chart.backend_coord(&(x, y1));
            canvas.draw(&PathElement::new([(px, py), top], GRID.stroke_width(1)))?;
        }
        canvas.draw(&PathElement::new(
            [(px, py), (px, py + 5)],
            BLACK.stroke_width(1),
        ))?;
        canvas.draw(&Text::new(text.clone(), (px, py + 7), below.clone()))?;
    }
    for (&y, text) in axes.y.ticks.iter().zip(&axes.y.labels) {
        let (px, py) = chart.backend_coord(&(x0, y));
        if axes.grid {
            let right = chart.backend_coord(&(x1, y));
            canvas.draw(&PathElement::new([(px, py), right], GRID.stroke_width(1)))?;
        }
        canvas.draw(&PathElement::new(
            [(px - 5, py), (px, py)],
            BLACK.stroke_width(1),
        ))?;
        canvas.draw(&Text::new(text.clone(), (px - 7, py), left.clone()))?;
    }
    // Matplotlib writes an axis's offset and power of ten at its far end.
    if !axes.x.offset.is_empty() {
        let (px, py) = chart.backend_coord(&(x1, y0));
        let style = TextStyle::from(font.clone()).pos(Pos::new(HPos::Right, VPos::Top));
        canvas.draw(&Text::new(axes.x.offset.clone(), (px, py + 24), style))?;
    }
    if !axes.y.offset.is_empty() {
        let (px, py) = chart.backend_coord(&(x0, y1));
        let style = TextStyle::from(font).pos(Pos::new(HPos::Left, VPos::Bottom));
        canvas.draw(&Text::new(axes.y.offset.clone(), (px, py - 4), style))?;
    }
    Ok(())
}

/// Draws `plot` onto `canvas`, replacing what was there.
pub fn draw(canvas: HtmlCanvasElement, plot: &Plot) -> DrawResult {
    let backend =
        CanvasBackend::with_canvas_object(canvas).ok_or("the canvas has no 2D context")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE)?;
    match plot {
        Plot::Histogram {
            edges,
            counts,
            overlays,
            labels,
            axes,
        } => histogram(&root, edges, counts, overlays, labels, axes)?,
        Plot::Line {
            series,
            labels,
            axes,
        } => lines(&root, series, labels, axes)?,
        Plot::Image {
            rows,
            cols,
            values,
            min,
            max,
            colorbar,
            labels,
            axes,
        } => image(
            &root,
            (*rows, *cols, values),
            (*min, *max),
            *colorbar,
            labels,
            axes,
        )?,
    }
    root.present()?;
    Ok(())
}

type Area<'a> = DrawingArea<CanvasBackend, plotters::coord::Shift>;

fn histogram(
    root: &Area,
    edges: &[f64],
    counts: &[u64],
    overlays: &[skein_kernel::HistogramLayer],
    labels: &Labels,
    axes: &Axes,
) -> DrawResult {
    let layers: Vec<(&str, &[f64], &[u64])> = std::iter::once(("", edges, counts))
        .chain(
            overlays
                .iter()
                .map(|l| (l.label.as_str(), l.edges.as_slice(), l.counts.as_slice())),
        )
        .collect();
    let (x0, x1) = axes.x.limits;
    let (y0, y1) = axes.y.limits;
    let mut chart = ChartBuilder::on(root)
        .caption(&labels.title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    draw_axes(root, &mut chart, axes, (&labels.x_label, &labels.y_label))?;
    // Overlaid histograms are see-through, as matplotlib's `alpha=` makes them.
    let opacity = if layers.len() > 1 { 0.5 } else { 1.0 };
    for (i, (label, edges, counts)) in layers.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let drawn =
            chart.draw_series(edges.windows(2).zip(counts.iter()).map(|(edge, &count)| {
                Rectangle::new(
                    [(edge[0], 0.0), (edge[1], count as f64)],
                    color.mix(opacity).filled(),
                )
            }))?;
        if !label.is_empty() {
            drawn.label(*label).legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.mix(opacity).filled())
            });
        }
    }
    if overlays.iter().any(|l| !l.label.is_empty()) {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .draw()?;
    }
    Ok(())
}

fn lines(root: &Area, series: &[skein_kernel::Series], labels: &Labels, axes: &Axes) -> DrawResult {
    let (x0, x1) = axes.x.limits;
    let (y0, y1) = axes.y.limits;
    let mut chart = ChartBuilder::on(root)
        .caption(&labels.title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    draw_axes(root, &mut chart, axes, (&labels.x_label, &labels.y_label))?;
    for (i, s) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let drawn = chart.draw_series(LineSeries::new(
            s.xs.iter().copied().zip(s.ys.iter().copied()),
            color.stroke_width(2),
        ))?;
        if !s.name.is_empty() {
            drawn.label(&s.name).legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 16, y)], color.stroke_width(2))
            });
        }
    }
    if series.iter().any(|s| !s.name.is_empty()) {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .draw()?;
    }
    Ok(())
}

/// The image is its rows, columns and values (row-major).
fn image(
    root: &Area,
    (rows, cols, values): (usize, usize, &[f64]),
    (min, max): (f64, f64),
    colorbar: bool,
    labels: &Labels,
    axes: &Axes,
) -> DrawResult {
    let canvas = root;
    let root = root.titled(&labels.title, ("sans-serif", 18))?;
    let (plot_area, bar_area) = if colorbar {
        let width = root.dim_in_pixel().0;
        root.split_horizontally(width.saturating_sub(70))
    } else {
        (root.clone(), root.clone().shrink((0, 0), (0, 0)))
    };
    let (x0, x1) = axes.x.limits;
    let (y0, y1) = axes.y.limits;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(8)
        .x_label_area_size(40)
        .y_label_area_size(48)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let span = if max > min { max - min } else { 1.0 };
    chart.draw_series(
        (0..rows)
            .flat_map(|r| (0..cols).map(move |c| (r, c)))
            .map(|(r, c)| {
                let v = values.get(r * cols + c).copied().unwrap_or(min);
                let (x, y) = (c as f64, r as f64);
                Rectangle::new(
                    [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                    viridis((v - min) / span).filled(),
                )
            }),
    )?;
    // After the pixels, so that the ticks and grid lie on top as matplotlib's do.
    draw_axes(canvas, &mut chart, axes, (&labels.x_label, &labels.y_label))?;
    if colorbar {
        let mut bar = ChartBuilder::on(&bar_area)
            .margin(8)
            .margin_right(36)
            .y_label_area_size(0)
            .right_y_label_area_size(34)
            .build_cartesian_2d(0.0..1.0, min..min + span)?;
        bar.configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .draw()?;
        let steps = 64;
        bar.draw_series((0..steps).map(|i| {
            let (a, b) = (i as f64 / steps as f64, (i + 1) as f64 / steps as f64);
            Rectangle::new(
                [(0.0, min + a * span), (1.0, min + b * span)],
                viridis(a).filled(),
            )
        }))?;
    }
    Ok(())
}

/// Matplotlib's default colour map, by linear steps between five of its colours.
fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 5] = [
        (68, 1, 84),
        (59, 82, 139),
        (33, 145, 140),
        (94, 201, 98),
        (253, 231, 37),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    } * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}
