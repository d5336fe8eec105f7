//! Drawing the script's plot descriptions on a canvas with plotters.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use skein_kernel::{Labels, Plot};
use web_sys::HtmlCanvasElement;

type DrawResult = Result<(), Box<dyn std::error::Error>>;

const PALETTE: [RGBColor; 6] = [
    RGBColor(47, 111, 223),
    RGBColor(232, 121, 40),
    RGBColor(46, 160, 90),
    RGBColor(200, 60, 70),
    RGBColor(130, 90, 200),
    RGBColor(120, 120, 120),
];

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
        } => histogram(&root, edges, counts, overlays, labels)?,
        Plot::Line { series, labels } => lines(&root, series, labels)?,
        Plot::Image {
            rows,
            cols,
            values,
            min,
            max,
            colorbar,
            labels,
        } => image(&root, *rows, *cols, values, (*min, *max), *colorbar, labels)?,
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
) -> DrawResult {
    let layers: Vec<(&str, &[f64], &[u64])> = std::iter::once(("", edges, counts))
        .chain(
            overlays
                .iter()
                .map(|l| (l.label.as_str(), l.edges.as_slice(), l.counts.as_slice())),
        )
        .collect();
    let all_edges = || layers.iter().flat_map(|(_, e, _)| e.iter().copied());
    let lo = all_edges().fold(f64::INFINITY, f64::min);
    let hi = all_edges().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = match (lo.is_finite(), hi.is_finite()) {
        (true, true) if hi > lo => (lo, hi),
        (true, _) => (lo - 0.5, lo + 0.5),
        _ => (0.0, 1.0),
    };
    let tallest = layers
        .iter()
        .flat_map(|(_, _, c)| c.iter().copied())
        .max()
        .unwrap_or(1);
    let top = tallest.max(1) as f64 * 1.05;
    let mut chart = ChartBuilder::on(root)
        .caption(&labels.title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(lo..hi, 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc(&labels.x_label)
        .y_desc(if labels.y_label.is_empty() {
            "count"
        } else {
            &labels.y_label
        })
        .disable_x_mesh()
        .draw()?;
    // Overlaid histograms are see-through, as matplotlib's `alpha=` makes them.
    let opacity = if layers.len() > 1 { 0.5 } else { 0.8 };
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

fn lines(root: &Area, series: &[skein_kernel::Series], labels: &Labels) -> DrawResult {
    let points = || series.iter().flat_map(|s| s.xs.iter().zip(&s.ys));
    let range = |values: &mut dyn Iterator<Item = f64>| {
        let (lo, hi) = values
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        if lo.is_finite() && hi > lo {
            lo..hi
        } else if lo.is_finite() {
            lo - 1.0..lo + 1.0
        } else {
            0.0..1.0
        }
    };
    let x_range = range(&mut points().map(|(x, _)| *x));
    let y_range = range(&mut points().map(|(_, y)| *y));
    let mut chart = ChartBuilder::on(root)
        .caption(&labels.title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(x_range, y_range)?;
    chart
        .configure_mesh()
        .x_desc(&labels.x_label)
        .y_desc(&labels.y_label)
        .draw()?;
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

fn image(
    root: &Area,
    rows: usize,
    cols: usize,
    values: &[f64],
    (min, max): (f64, f64),
    colorbar: bool,
    labels: &Labels,
) -> DrawResult {
    let root = root.titled(&labels.title, ("sans-serif", 18))?;
    let (plot_area, bar_area) = if colorbar {
        let width = root.dim_in_pixel().0;
        root.split_horizontally(width.saturating_sub(70))
    } else {
        (root.clone(), root.clone().shrink((0, 0), (0, 0)))
    };
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(8)
        .x_label_area_size(24)
        .y_label_area_size(32)
        .build_cartesian_2d(0.0..cols as f64, rows as f64..0.0)?;
    chart.configure_mesh().disable_mesh().draw()?;
    let span = if max > min { max - min } else { 1.0 };
    chart.draw_series(
        (0..rows)
            .flat_map(|r| (0..cols).map(move |c| (r, c)))
            .map(|(r, c)| {
                let v = values.get(r * cols + c).copied().unwrap_or(min);
                Rectangle::new(
                    [(c as f64, r as f64), (c as f64 + 1.0, r as f64 + 1.0)],
                    viridis((v - min) / span).filled(),
                )
            }),
    )?;
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
