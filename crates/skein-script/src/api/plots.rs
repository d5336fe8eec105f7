//! Plots as data: `hist`, `plot` and `imshow` describe a plot and show it in the cell's
//! output; the UI draws it.
//!
//! ```rhai
//! hist(samples, #{ bins: 30, title: "Response time (min)", x_label: "minutes" });
//! plot(results);                         // y against 0, 1, 2, …
//! plot(xs, ys, #{ title: "estimate", name: "pi" });
//! imshow(traffic, #{ title: "Traffic", colorbar: true });
//! ```

use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, FLOAT, Map};
use skein_labs::matrix::Matrix;

use crate::errors;
use crate::output::{Labels, Output, Plot, Series};
use crate::session::Session;

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// Registers `hist`, `plot` and `imshow`.
pub(crate) fn register(engine: &mut Engine, session: &Arc<Session>) {
    let s = session.clone();
    engine.register_fn("hist", move |values: Array| {
        show(&s, hist(&values, &Map::new())?)
    });
    let s = session.clone();
    engine.register_fn("hist", move |values: Array, opts: Map| {
        show(&s, hist(&values, &opts)?)
    });

    let s = session.clone();
    engine.register_fn("plot", move |ys: Array| {
        show(&s, line(None, &ys, &Map::new())?)
    });
    let s = session.clone();
    engine.register_fn("plot", move |ys: Array, opts: Map| {
        show(&s, line(None, &ys, &opts)?)
    });
    let s = session.clone();
    engine.register_fn("plot", move |xs: Array, ys: Array| {
        show(&s, line(Some(&xs), &ys, &Map::new())?)
    });
    let s = session.clone();
    engine.register_fn("plot", move |xs: Array, ys: Array, opts: Map| {
        show(&s, line(Some(&xs), &ys, &opts)?)
    });

    let s = session.clone();
    engine.register_fn("imshow", move |grid: Matrix| {
        show(&s, image(grid, &Map::new()))
    });
    let s = session.clone();
    engine.register_fn("imshow", move |grid: Matrix, opts: Map| {
        show(&s, image(grid, &opts))
    });
    let s = session.clone();
    engine.register_fn("imshow", move |grid: Array| {
        show(&s, image(matrix_of(&grid)?, &Map::new()))
    });
    let s = session.clone();
    engine.register_fn("imshow", move |grid: Array, opts: Map| {
        show(&s, image(matrix_of(&grid)?, &opts))
    });
}

/// Shows `grid` as an image (also for lab types that draw as matrices).
pub(crate) fn show_image(session: &Session, grid: Matrix, opts: &Map) -> RhaiResult<()> {
    show(session, image(grid, opts))
}

fn show(session: &Session, plot: Plot) -> RhaiResult<()> {
    session.outbox.emit(Output::Plot(plot));
    Ok(())
}

/// Numbers of an array (integers become floats); `what` names the argument in errors.
pub(crate) fn floats(values: &Array, what: &str) -> RhaiResult<Vec<FLOAT>> {
    values
        .iter()
        .map(|v| {
            v.as_float()
                .or_else(|_| v.as_int().map(|i| i as FLOAT))
                .map_err(|t| errors::runtime(format!("{what} must be numbers, found a `{t}`")))
        })
        .collect()
}

fn text(opts: &Map, name: &str) -> String {
    opts.get(name).map(Dynamic::to_string).unwrap_or_default()
}

fn labels(opts: &Map) -> Labels {
    Labels {
        title: text(opts, "title"),
        x_label: text(opts, "x_label"),
        y_label: text(opts, "y_label"),
    }
}

/// Equal-width bins from the smallest to the largest value (`bins` of them, default 10).
fn hist(values: &Array, opts: &Map) -> RhaiResult<Plot> {
    let xs = floats(values, "hist values")?;
    let bins = match opts.get("bins").map(Dynamic::as_int) {
        None => 10,
        Some(Ok(n)) if n > 0 => n as usize,
        Some(_) => return Err(errors::runtime("`bins` must be a positive integer")),
    };
    let lo = xs.iter().copied().fold(FLOAT::INFINITY, FLOAT::min);
    let hi = xs.iter().copied().fold(FLOAT::NEG_INFINITY, FLOAT::max);
    let (lo, hi) = match (lo.is_finite(), hi.is_finite()) {
        (true, true) if hi > lo => (lo, hi),
        (true, true) => (lo - 0.5, lo + 0.5),
        _ => (0.0, 1.0),
    };
    let width = (hi - lo) / bins as FLOAT;
    let edges = (0..=bins).map(|i| lo + width * i as FLOAT).collect();
    let mut counts = vec![0_u64; bins];
    for x in xs.iter().filter(|x| x.is_finite()) {
        let i = (((x - lo) / width) as usize).min(bins - 1);
        counts[i] += 1;
    }
    Ok(Plot::Histogram {
        edges,
        counts,
        labels: labels(opts),
    })
}

fn line(xs: Option<&Array>, ys: &Array, opts: &Map) -> RhaiResult<Plot> {
    let ys = floats(ys, "plot values")?;
    let xs = match xs {
        Some(xs) => floats(xs, "plot x values")?,
        None => (0..ys.len()).map(|i| i as FLOAT).collect(),
    };
    if xs.len() != ys.len() {
        return Err(errors::runtime(format!(
            "plot needs as many x values as y values ({} and {})",
            xs.len(),
            ys.len()
        )));
    }
    Ok(Plot::Line {
        series: vec![Series {
            name: text(opts, "name"),
            xs,
            ys,
        }],
        labels: labels(opts),
    })
}

/// An array of equally long arrays of numbers as a matrix.
pub(crate) fn matrix_of(grid: &Array) -> RhaiResult<Matrix> {
    let rows: Vec<Vec<FLOAT>> = grid
        .iter()
        .map(|row| {
            row.read_lock::<Array>()
                .ok_or_else(|| errors::runtime("a grid is an array of rows (arrays of numbers)"))
                .and_then(|r| floats(&r, "grid values"))
        })
        .collect::<RhaiResult<_>>()?;
    let cols = rows.first().map_or(0, Vec::len);
    Matrix::from_row_major(rows.len(), cols, rows.concat())
        .map_err(|_| errors::runtime("every row of a grid must have the same length"))
}

fn image(grid: Matrix, opts: &Map) -> Plot {
    let values = grid.as_slice().to_vec();
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let min = finite.clone().fold(FLOAT::INFINITY, FLOAT::min);
    let max = finite.fold(FLOAT::NEG_INFINITY, FLOAT::max);
    Plot::Image {
        rows: grid.rows(),
        cols: grid.cols(),
        values,
        min: if min.is_finite() { min } else { 0.0 },
        max: if max.is_finite() { max } else { 0.0 },
        colorbar: opts
            .get("colorbar")
            .and_then(|c| c.as_bool().ok())
            .unwrap_or(false),
        labels: labels(opts),
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn histograms_count_every_value() {
        let values: Array = (0..100).map(|i| Dynamic::from(i as FLOAT)).collect();
        let mut opts = Map::new();
        opts.insert("bins".into(), Dynamic::from(4_i64));
        let Plot::Histogram { edges, counts, .. } = hist(&values, &opts).unwrap() else {
            panic!("a histogram")
        };
        assert_eq!(edges.len(), 5);
        assert_eq!(counts.iter().sum::<u64>(), 100);
        assert_eq!(counts, [25, 25, 25, 25]);
    }
}
