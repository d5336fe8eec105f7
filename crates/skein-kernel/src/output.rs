//! What a cell shows: printed text, the value of its last expression, tables, plots, task
//! graphs and errors — as data for the UI to draw, never as HTML.
//!
//! Every type here is `serde`-serializable; the JSON form is tagged by `"kind"`:
//!
//! ```
//! use skein_kernel::Output;
//! let json = serde_json::to_string(&Output::Text { text: "hi".into() }).unwrap();
//! assert_eq!(json, r#"{"kind":"text","text":"hi"}"#);
//! ```

use serde::{Deserialize, Serialize};

use crate::errors::CellError;
use crate::ticks::AxisTicks;

/// One item of a cell's output, in the order the cell produced it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Output {
    /// A line printed with `print` (without its trailing newline).
    Text {
        /// The line.
        text: String,
    },
    /// The value of the cell's last expression.
    Value {
        /// How the value displays (`81`, `[1, 2, 3]`, `Delayed('square-…')`).
        display: String,
        /// Its Python type name (`int`, `list`, `Delayed`, `Future`, `DataFrame`).
        type_name: String,
    },
    /// A table: a pandas `DataFrame` shown as a cell's value (index first, up to 60 rows).
    Table(Table),
    /// A figure of `matplotlib.pyplot` (`plt.hist`, `plt.plot`, `plt.imshow`, `Series.plot`).
    Plot(Plot),
    /// A task graph from `d.visualize()`.
    Graph {
        /// Graphviz DOT source.
        dot: String,
        /// The same graph laid out as SVG.
        svg: String,
    },
    /// A file a cell wrote (`open(name, 'w')`, `df.to_csv(name)`), offered for download.
    File {
        /// The suggested file name.
        name: String,
        /// Its contents.
        text: String,
    },
    /// The error that stopped the cell.
    Error(CellError),
}

impl Output {
    /// What the output shows as plain text, as Jupyter keeps it in an `.ipynb` (`None` for
    /// pictures, files and tables without text).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Output::Text { text } => Some(format!("{text}\n")),
            Output::Value { display, .. } => Some(format!("{display}\n")),
            Output::Error(err) => Some(format!("{}\n", err.message)),
            Output::Table(table) if !table.text.is_empty() => Some(format!("{}\n", table.text)),
            _ => None,
        }
    }
}

/// Rows of named columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Column names, in first-seen order.
    pub columns: Vec<String>,
    /// One entry per row and column; a row missing a column has `Cell::Empty` there.
    pub rows: Vec<Vec<Cell>>,
    /// The table as Jupyter's `text/plain` shows it (a DataFrame's pandas repr); empty when
    /// the table has no such text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// One table cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Cell {
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// Anything else, as it displays.
    Text(String),
    /// No value.
    Empty,
}

/// A plot description; the UI chooses how to draw it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "plot", rename_all = "snake_case")]
pub enum Plot {
    /// A histogram from `plt.hist(values, bins=…)`, binned here as numpy does.
    Histogram {
        /// Lower edges of the bins, then the upper edge of the last (`counts.len() + 1` edges).
        edges: Vec<f64>,
        /// How many values fell in each bin.
        counts: Vec<u64>,
        /// Further `plt.hist` calls on the same axes, drawn over the first, as matplotlib does.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        overlays: Vec<HistogramLayer>,
        /// The labels.
        #[serde(flatten)]
        labels: Labels,
        /// Limits and ticks, as matplotlib chooses them.
        #[serde(default)]
        axes: Box<Axes>,
    },
    /// Lines from `plt.plot(ys)` / `plt.plot(xs, ys, label=…)`, one series or several.
    Line {
        /// The series.
        series: Vec<Series>,
        /// The labels.
        #[serde(flatten)]
        labels: Labels,
        /// Limits and ticks, as matplotlib chooses them.
        #[serde(default)]
        axes: Box<Axes>,
    },
    /// A matrix as an image, from `plt.imshow(grid)` (and `plt.colorbar()`).
    Image {
        /// Row count.
        rows: usize,
        /// Column count.
        cols: usize,
        /// The values, row-major (`rows * cols`).
        values: Vec<f64>,
        /// The smallest value (the colour scale's low end).
        min: f64,
        /// The largest value (the colour scale's high end).
        max: f64,
        /// Whether to draw a colour bar.
        colorbar: bool,
        /// The labels.
        #[serde(flatten)]
        labels: Labels,
        /// Limits and ticks, as matplotlib chooses them.
        #[serde(default)]
        axes: Box<Axes>,
    },
}

impl Plot {
    /// Its title and axis labels.
    pub fn labels(&self) -> &Labels {
        match self {
            Plot::Histogram { labels, .. }
            | Plot::Line { labels, .. }
            | Plot::Image { labels, .. } => labels,
        }
    }

    /// Its limits and ticks.
    pub fn axes(&self) -> &Axes {
        match self {
            Plot::Histogram { axes, .. } | Plot::Line { axes, .. } | Plot::Image { axes, .. } => {
                axes
            }
        }
    }
}

/// A histogram drawn over another on the same axes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistogramLayer {
    /// Its legend entry (`label=`).
    pub label: String,
    /// Bin edges, as in [`Plot::Histogram`].
    pub edges: Vec<f64>,
    /// Counts per bin.
    pub counts: Vec<u64>,
}

/// One line of a line plot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Its legend entry (empty for a single unnamed series).
    pub name: String,
    /// X coordinates.
    pub xs: Vec<f64>,
    /// Y coordinates (as many as `xs`).
    pub ys: Vec<f64>,
}

/// A plot's title and axis labels (empty when not given).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    /// The title.
    pub title: String,
    /// The x axis label.
    pub x_label: String,
    /// The y axis label.
    pub y_label: String,
}

/// A plot's axes as matplotlib draws them by default ([`crate::ticks`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Axes {
    /// The x axis: limits, tick positions and texts.
    pub x: AxisTicks,
    /// The y axis (an image's runs downwards: its limits are high to low).
    pub y: AxisTicks,
    /// Whether `plt.grid()` turned grid lines on (matplotlib draws none by default).
    #[serde(default)]
    pub grid: bool,
}
