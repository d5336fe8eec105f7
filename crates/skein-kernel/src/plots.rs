//! `matplotlib.pyplot`'s current figure, kept by the host: `plt.hist`, `plt.plot`,
//! `plt.imshow`, `plt.colorbar`, labels and the legend build it; `plt.show()`, the next
//! `plt.figure()` or the end of the cell shows it (Jupyter's inline backend), as an
//! [`Output::Plot`] the UI draws.

use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};

use crate::output::{Axes, HistogramLayer, Labels, Output, Plot, Series};
use crate::ticks;

/// The figure being drawn.
#[derive(Debug, Default)]
pub(crate) struct Figure {
    plots: Vec<Plot>,
    labels: Labels,
    colorbar: bool,
    grid: bool,
}

fn value_error(message: impl Into<String>) -> MontyException {
    MontyException::new(ExcType::ValueError, Some(message.into()))
}

/// Numbers from a list (or tuple) of numbers.
pub(crate) fn floats(r: ObjectRef<'_>, what: &str) -> Result<Vec<f64>, MontyException> {
    let items = r.items().ok_or_else(|| {
        MontyException::new(
            ExcType::TypeError,
            Some(format!("{what} must be a sequence of numbers")),
        )
    })?;
    items
        .iter()
        .map(|x| {
            x.as_float().ok_or_else(|| {
                MontyException::new(
                    ExcType::TypeError,
                    Some(format!("{what} must be numbers, not '{}'", x.type_name())),
                )
            })
        })
        .collect()
}

impl Figure {
    /// Carries out one pyplot command; what it returns goes back to Python.
    pub(crate) fn command(
        &mut self,
        command: &str,
        payload: ObjectRef<'_>,
    ) -> Result<(MontyObject, Vec<Output>), MontyException> {
        let mut shown = Vec::new();
        let answer = match command {
            "figure" => {
                shown = self.take();
                MontyObject::none()
            }
            "show" | "close" => {
                shown = self.take();
                MontyObject::none()
            }
            "hist" => {
                let args = payload.items().unwrap_or_default();
                let values = floats(
                    args.first()
                        .copied()
                        .ok_or_else(|| value_error("hist needs values"))?,
                    "hist values",
                )?;
                let bins = args.get(1).and_then(ObjectRef::as_int).unwrap_or(10);
                let bins = usize::try_from(bins)
                    .ok()
                    .filter(|&b| (1..=10_000).contains(&b))
                    .ok_or_else(|| {
                        value_error(format!("`bins` must be between 1 and 10000, not {bins}"))
                    })?;
                let name = args
                    .get(2)
                    .and_then(ObjectRef::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let (edges, counts) = histogram(&values, bins);
                let answer = MontyObject::tuple([
                    MontyObject::list(counts.iter().map(|&c| MontyObject::float(c as f64))),
                    MontyObject::list(edges.iter().map(|&e| MontyObject::float(e))),
                ]);
                // A second `hist` on the same figure draws over the first, as matplotlib's does.
                let existing = self.plots.iter_mut().find_map(|p| match p {
                    Plot::Histogram { overlays, .. } => Some(overlays),
                    _ => None,
                });
                match existing {
                    Some(overlays) => overlays.push(HistogramLayer {
                        label: name,
                        edges,
                        counts,
                    }),
                    None => self.plots.push(Plot::Histogram {
                        edges,
                        counts,
                        overlays: Vec::new(),
                        labels: Labels {
                            title: name,
                            ..Labels::default()
                        },
                        axes: Box::default(),
                    }),
                }
                answer
            }
            "plot" | "series" => {
                let args = payload.items().unwrap_or_default();
                let xs = floats(
                    args.first()
                        .copied()
                        .ok_or_else(|| value_error("plot needs values"))?,
                    "plot x values",
                )?;
                let ys = floats(
                    args.get(1)
                        .copied()
                        .ok_or_else(|| value_error("plot needs values"))?,
                    "plot y values",
                )?;
                if xs.len() != ys.len() {
                    return Err(value_error(format!(
                        "x and y must have same first dimension, but have shapes ({},) and ({},)",
                        xs.len(),
                        ys.len()
                    )));
                }
                let name = args
                    .get(2)
                    .and_then(ObjectRef::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let series = Series { name, xs, ys };
                match self.plots.iter_mut().find_map(|p| match p {
                    Plot::Line { series, .. } => Some(series),
                    _ => None,
                }) {
                    Some(lines) => lines.push(series),
                    None => self.plots.push(Plot::Line {
                        series: vec![series],
                        labels: Labels::default(),
                        axes: Box::default(),
                    }),
                }
                MontyObject::none()
            }
            "imshow" => {
                let args = payload.items().unwrap_or_default();
                let rows = args.first().and_then(ObjectRef::items).ok_or_else(|| {
                    MontyException::new(ExcType::TypeError, Some("imshow needs a 2-D array".into()))
                })?;
                let mut values = Vec::new();
                let mut cols = None;
                for row in &rows {
                    let row = floats(*row, "imshow values")?;
                    if *cols.get_or_insert(row.len()) != row.len() {
                        return Err(value_error("imshow needs rows of equal length"));
                    }
                    values.extend(row);
                }
                let finite = values.iter().copied().filter(|v| v.is_finite());
                let min = finite.clone().fold(f64::INFINITY, f64::min);
                let max = finite.fold(f64::NEG_INFINITY, f64::max);
                self.plots.push(Plot::Image {
                    rows: rows.len(),
                    cols: cols.unwrap_or(0),
                    values,
                    min: if min.is_finite() { min } else { 0.0 },
                    max: if max.is_finite() { max } else { 0.0 },
                    colorbar: false,
                    labels: Labels::default(),
                    axes: Box::default(),
                });
                MontyObject::none()
            }
            "colorbar" => {
                if !self.plots.iter().any(|p| matches!(p, Plot::Image { .. })) {
                    return Err(MontyException::new(
                        ExcType::RuntimeError,
                        Some("No mappable was found to use for colorbar creation. First define a mappable such as an image (with imshow).".into()),
                    ));
                }
                self.colorbar = true;
                MontyObject::none()
            }
            "title" | "xlabel" | "ylabel" => {
                let text = payload
                    .as_str()
                    .map_or_else(|| payload.py_repr(), str::to_owned);
                match command {
                    "title" => self.labels.title = text,
                    "xlabel" => self.labels.x_label = text,
                    _ => self.labels.y_label = text,
                }
                MontyObject::none()
            }
            "grid" => {
                // `plt.grid()` toggles, `plt.grid(True)` / `plt.grid(False)` set.
                self.grid = payload.as_bool().unwrap_or(!self.grid);
                MontyObject::none()
            }
            "legend" => MontyObject::none(),
            other => return Err(value_error(format!("unknown pyplot command {other}"))),
        };
        Ok((answer, shown))
    }

    /// The figure's plots, labelled, with matplotlib's ticks, leaving an empty figure.
    pub(crate) fn take(&mut self) -> Vec<Output> {
        let figure = std::mem::take(self);
        let axes = |(x, y)| {
            Box::new(Axes {
                x,
                y,
                grid: figure.grid,
            })
        };
        figure
            .plots
            .into_iter()
            .map(|plot| {
                Output::Plot(match plot {
                    Plot::Histogram {
                        edges,
                        counts,
                        overlays,
                        labels,
                        ..
                    } => {
                        let layers = || {
                            std::iter::once((&edges, &counts))
                                .chain(overlays.iter().map(|l| (&l.edges, &l.counts)))
                        };
                        let span = finite_span(layers().flat_map(|(e, _)| e.iter().copied()));
                        let top = layers()
                            .flat_map(|(_, c)| c.iter().copied())
                            .max()
                            .unwrap_or(0);
                        let axes = axes(ticks::histogram_axes(span, top as f64));
                        Plot::Histogram {
                            edges,
                            counts,
                            overlays,
                            labels: merge(&figure.labels, labels),
                            axes,
                        }
                    }
                    Plot::Line { series, labels, .. } => {
                        // Matplotlib's data limits skip points with a non-finite coordinate.
                        let points = || {
                            series
                                .iter()
                                .flat_map(|s| s.xs.iter().copied().zip(s.ys.iter().copied()))
                                .filter(|(x, y)| x.is_finite() && y.is_finite())
                        };
                        let x = finite_span(points().map(|(x, _)| x));
                        let y = finite_span(points().map(|(_, y)| y));
                        Plot::Line {
                            series,
                            labels: merge(&figure.labels, labels),
                            axes: axes(ticks::line_axes(x, y)),
                        }
                    }
                    Plot::Image {
                        rows,
                        cols,
                        values,
                        min,
                        max,
                        labels,
                        ..
                    } => Plot::Image {
                        rows,
                        cols,
                        values,
                        min,
                        max,
                        colorbar: figure.colorbar,
                        labels: merge(&figure.labels, labels),
                        axes: axes(ticks::image_axes(rows, cols)),
                    },
                })
            })
            .collect()
    }
}

/// The smallest and largest finite value, as matplotlib's data limits (`None` if none).
fn finite_span(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite())
        .fold(None, |span, v| match span {
            None => Some((v, v)),
            Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
        })
}

fn merge(figure: &Labels, own: Labels) -> Labels {
    Labels {
        title: if figure.title.is_empty() {
            own.title
        } else {
            figure.title.clone()
        },
        x_label: if figure.x_label.is_empty() {
            own.x_label
        } else {
            figure.x_label.clone()
        },
        y_label: if figure.y_label.is_empty() {
            own.y_label
        } else {
            figure.y_label.clone()
        },
    }
}

/// Equal-width bins from the smallest to the largest value, as numpy's `histogram`.
pub(crate) fn histogram(values: &[f64], bins: usize) -> (Vec<f64>, Vec<u64>) {
    // NumPy's binning is the labs' (`skein_labs::stats::histogram`); matplotlib leaves out
    // the values that are not finite, and draws empty bins over [0, 1] when none is left.
    let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    match skein_labs::stats::histogram(&finite, bins) {
        Ok(h) => (h.edges, h.counts),
        Err(_) => {
            let width = 1.0 / bins.max(1) as f64;
            (
                (0..=bins).map(|i| width * i as f64).collect(),
                vec![0; bins],
            )
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn histograms_count_every_value_like_numpy() {
        let values: Vec<f64> = (0..100).map(f64::from).collect();
        let (edges, counts) = histogram(&values, 4);
        assert_eq!(edges, [0.0, 24.75, 49.5, 74.25, 99.0]);
        assert_eq!(counts, [25, 25, 25, 25]);
        let (_, counts) = histogram(&[1.0, f64::NAN, 1.0], 3);
        assert_eq!(counts.iter().sum::<u64>(), 2);
    }

    #[test]
    fn a_figure_collects_labels_and_shows_once() {
        let mut figure = Figure::default();
        let grid = MontyObject::tuple([MontyObject::list([MontyObject::list([
            MontyObject::float(1.0),
            MontyObject::float(2.0),
        ])])]);
        figure.command("imshow", grid.as_ref()).unwrap();
        figure
            .command("colorbar", MontyObject::none().as_ref())
            .unwrap();
        figure
            .command("title", MontyObject::string("Traffic").as_ref())
            .unwrap();
        let shown = figure.take();
        let [
            Output::Plot(Plot::Image {
                colorbar,
                labels,
                cols,
                ..
            }),
        ] = shown.as_slice()
        else {
            panic!("{shown:?}")
        };
        assert!(*colorbar);
        assert_eq!(labels.title, "Traffic");
        assert_eq!(*cols, 2);
        assert!(figure.take().is_empty());
        assert!(
            figure
                .command("colorbar", MontyObject::none().as_ref())
                .is_err()
        );
    }

    #[test]
    fn shown_plots_carry_matplotlibs_ticks_and_no_grid_unless_asked() {
        let mut figure = Figure::default();
        let values = MontyObject::list((0..=250).map(|i| MontyObject::float(f64::from(i))));
        let args = MontyObject::tuple([values, MontyObject::int(10)]);
        figure.command("hist", args.as_ref()).unwrap();
        let shown = figure.take();
        let [Output::Plot(Plot::Histogram { axes, .. })] = shown.as_slice() else {
            panic!("{shown:?}")
        };
        assert_eq!(axes.x.labels, ["0", "50", "100", "150", "200", "250"]);
        assert_eq!(axes.y.labels, ["0", "5", "10", "15", "20", "25"]);
        assert!(!axes.grid);

        let line = MontyObject::tuple([
            MontyObject::list([MontyObject::float(f64::NAN), MontyObject::float(1.0)]),
            MontyObject::list([MontyObject::float(2.0), MontyObject::float(f64::INFINITY)]),
        ]);
        figure.command("plot", line.as_ref()).unwrap();
        figure
            .command("grid", MontyObject::none().as_ref())
            .unwrap();
        let shown = figure.take();
        let [Output::Plot(Plot::Line { axes, .. })] = shown.as_slice() else {
            panic!("{shown:?}")
        };
        assert!(axes.grid);
        // No point has both coordinates finite: matplotlib's default limits and ticks.
        assert_eq!(axes.y.limits, (-0.05500000000000001, 0.05500000000000001));
        let minus = |t: &str| t.replace('-', "\u{2212}");
        let expected = ["-0.04", "-0.02", "0.00", "0.02", "0.04"].map(minus);
        assert_eq!(axes.x.labels, expected);
    }
}
