//! Notebook files: a title and cells of markdown or code, as JSON.
//!
//! ```json
//! { "title": "Delayed basics",
//!   "cells": [ { "kind": "markdown", "source": "# Delayed" },
//!              { "kind": "code", "source": "def square(x):\n    return x * x" } ] }
//! ```
//!
//! Jupyter's own format (`.ipynb`, nbformat 4) reads and writes too: see
//! [`Notebook::from_ipynb`] and [`Notebook::to_ipynb`]; [`Notebook::parse`] takes either.
//!
//! ```
//! use skein_kernel::{CellKind, Notebook};
//! let nb = Notebook::from_json(r#"{"title":"t","cells":[{"kind":"code","source":"1 + 1"}]}"#).unwrap();
//! assert_eq!(nb.cells[0].kind, CellKind::Code);
//! assert_eq!(nb.code_cells().count(), 1);
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// A notebook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notebook {
    /// Its title.
    pub title: String,
    /// Its cells, in order.
    pub cells: Vec<Cell>,
}

/// One cell of a notebook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Markdown or code.
    pub kind: CellKind,
    /// Its text.
    pub source: String,
    /// What the cell showed when it last ran, as text (kept by `.ipynb` files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<String>,
}

impl Cell {
    /// A cell of `kind` with `source` and no outputs.
    pub fn new(kind: CellKind, source: impl Into<String>) -> Cell {
        Cell {
            kind,
            source: source.into(),
            outputs: Vec::new(),
        }
    }
}

/// What a cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellKind {
    /// Text to show.
    Markdown,
    /// A script to run.
    Code,
}

/// A notebook file that cannot be read.
#[derive(Debug)]
pub struct NotebookError(pub(crate) String);

impl fmt::Display for NotebookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not a notebook file ({}); expected a Jupyter notebook (.ipynb, nbformat 4) or Skein's {{ title, cells: [{{ kind, source }}] }}",
            self.0
        )
    }
}

impl std::error::Error for NotebookError {}

impl Notebook {
    /// Reads a notebook from its JSON text.
    pub fn from_json(text: &str) -> Result<Notebook, NotebookError> {
        serde_json::from_str(text).map_err(|e| NotebookError(e.to_string()))
    }

    /// Reads a notebook in either format: Jupyter's `.ipynb` or Skein's own JSON.
    pub fn parse(text: &str) -> Result<Notebook, NotebookError> {
        if text.contains("\"nbformat\"") {
            Notebook::from_ipynb(text)
        } else {
            Notebook::from_json(text)
        }
    }

    /// The notebook as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The code cells' sources, in order.
    pub fn code_cells(&self) -> impl Iterator<Item = &str> {
        self.cells
            .iter()
            .filter(|c| c.kind == CellKind::Code)
            .map(|c| c.source.as_str())
    }
}
