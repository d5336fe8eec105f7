//! Notebook files: a title and cells of markdown or code, as JSON.
//!
//! ```json
//! { "title": "Delayed basics",
//!   "cells": [ { "kind": "markdown", "source": "# Delayed" },
//!              { "kind": "code", "source": "fn square(x) { x * x }" } ] }
//! ```
//!
//! ```
//! use skein_script::{CellKind, Notebook};
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
pub struct NotebookError(serde_json::Error);

impl fmt::Display for NotebookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not a notebook file ({}); expected {{ title, cells: [{{ kind, source }}] }}",
            self.0
        )
    }
}

impl std::error::Error for NotebookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl Notebook {
    /// Reads a notebook from its JSON text.
    pub fn from_json(text: &str) -> Result<Notebook, NotebookError> {
        serde_json::from_str(text).map_err(NotebookError)
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
