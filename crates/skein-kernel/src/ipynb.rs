//! Jupyter notebooks (`.ipynb`, nbformat 4): a [`Notebook`] reads from and writes to them,
//! sources and text outputs round-tripping, so a notebook moves between Skein and Jupyter
//! (and from there to real Dask).
//!
//! A notebook exported for Dask (`export.rs`) reads back as the notebook it came from: this
//! module owns the marks an export leaves in the file (the inserted cell's metadata, the
//! namespace its rewritten imports read from, the import each rewritten line carries as a
//! comment), so reading needs nothing from `export`, which builds on this module to write.

use serde_json::{Value, json};

use crate::notebook::{Cell, CellKind, Notebook, NotebookError};

/// Jupyter keeps a cell's text as a list of lines, each but the last ending in `\n`.
fn lines(text: &str) -> Value {
    Value::Array(
        text.split_inclusive('\n')
            .map(|l| Value::String(l.to_owned()))
            .collect(),
    )
}

/// A `source` or `text` field: one string or a list of lines.
fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

fn output_text(output: &Value) -> Option<String> {
    match output.get("output_type")?.as_str()? {
        "stream" => Some(text(output.get("text"))),
        "execute_result" | "display_data" => Some(text(output.get("data")?.get("text/plain"))),
        "error" => Some(format!(
            "{}: {}",
            output.get("ename")?.as_str()?,
            output.get("evalue")?.as_str()?
        )),
        _ => None,
    }
}

impl Notebook {
    /// Reads a Jupyter notebook. The title is the notebook's `metadata.title`, else its first
    /// markdown heading.
    pub fn from_ipynb(text_of_file: &str) -> Result<Notebook, NotebookError> {
        let doc: Value =
            serde_json::from_str(text_of_file).map_err(|e| NotebookError(e.to_string()))?;
        let major = doc.get("nbformat").and_then(Value::as_u64).unwrap_or(0);
        if major != 4 {
            return Err(NotebookError(format!(
                "nbformat {major} is not supported; save it as nbformat 4"
            )));
        }
        let raw_cells = doc
            .get("cells")
            .and_then(Value::as_array)
            .ok_or_else(|| NotebookError("it has no cells".into()))?;
        let mut cells = Vec::with_capacity(raw_cells.len());
        let mut exported = false;
        for cell in raw_cells {
            // An export to Dask reads back as the notebook it came from.
            if is_inserted(cell) {
                exported = true;
                continue;
            }
            let kind = match cell.get("cell_type").and_then(Value::as_str) {
                Some("code") => CellKind::Code,
                Some("markdown") | Some("raw") => CellKind::Markdown,
                other => return Err(NotebookError(format!("unknown cell type {other:?}"))),
            };
            let outputs = cell
                .get("outputs")
                .and_then(Value::as_array)
                .map(|outs| outs.iter().filter_map(output_text).collect())
                .unwrap_or_default();
            cells.push(Cell {
                kind,
                source: text(cell.get("source")),
                outputs,
            });
        }
        if exported {
            restore_imports(&mut cells);
        }
        let title = doc
            .get("metadata")
            .and_then(|m| m.get("title"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| {
                cells
                    .iter()
                    .filter(|c| c.kind == CellKind::Markdown)
                    .flat_map(|c| c.source.lines())
                    .find_map(|l| {
                        l.strip_prefix('#')
                            .map(|t| t.trim_start_matches('#').trim().to_owned())
                    })
            })
            .unwrap_or_else(|| "Untitled".to_owned());
        Ok(Notebook { title, cells })
    }

    /// The notebook as a Jupyter notebook (nbformat 4.5, Python 3 kernel), with each code
    /// cell's text outputs.
    pub fn to_ipynb(&self) -> String {
        let cells: Vec<Value> = self
            .cells
            .iter()
            .enumerate()
            .map(|(index, cell)| match cell.kind {
                CellKind::Markdown => json!({
                    "cell_type": "markdown",
                    "id": format!("cell-{index}"),
                    "metadata": {},
                    "source": lines(&cell.source),
                }),
                CellKind::Code => json!({
                    "cell_type": "code",
                    "execution_count": null,
                    "id": format!("cell-{index}"),
                    "metadata": {},
                    "outputs": cell.outputs.iter().map(|text| json!({
                        "name": "stdout",
                        "output_type": "stream",
                        "text": lines(text),
                    })).collect::<Vec<_>>(),
                    "source": lines(&cell.source),
                }),
            })
            .collect();
        let doc = json!({
            "cells": cells,
            "metadata": {
                "title": self.title,
                "kernelspec": { "display_name": "Python 3", "language": "python", "name": "python3" },
                "language_info": { "name": "python" },
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }
}

// ---- an export to Dask, read back ----------------------------------------------------------

/// The name an export binds the lab functions' namespace to, which its rewritten imports
/// read from.
pub(crate) const LABS_NAMESPACE: &str = "skein_labs";

/// Marks a cell of an `.ipynb` as the lab cell an export inserted.
pub(crate) fn mark_inserted(cell: &mut Value) {
    cell["metadata"] = json!({ "skein": { "inserted": "skein.labs" } });
}

/// Whether a cell of an `.ipynb` is the lab cell an export inserted.
fn is_inserted(cell: &Value) -> bool {
    cell.pointer("/metadata/skein/inserted")
        .and_then(Value::as_str)
        == Some("skein.labs")
}

/// Turns the rewritten imports of an export's code cells back into the imports they were
/// (the comment each rewritten line carries).
fn restore_imports(cells: &mut [Cell]) {
    for cell in cells.iter_mut().filter(|c| c.kind == CellKind::Code) {
        let restored: String = cell
            .source
            .split_inclusive('\n')
            .map(|line| match line.split_once("  # ") {
                Some((code, said)) if is_rewritten(code.trim(), said) => {
                    let indent = &code[..code.len() - code.trim_start().len()];
                    format!("{indent}{said}")
                }
                _ => line.to_owned(),
            })
            .collect();
        cell.source = restored;
    }
}

/// Whether `code  # said` is a line the export wrote for an import: only statements of the
/// forms it writes, and the import they came from.
fn is_rewritten(code: &str, said: &str) -> bool {
    let generated = |statement: &str| {
        if statement.starts_with("import ") || statement.starts_with("from skein import ") {
            return true;
        }
        statement.split_once(" = ").is_some_and(|(_, value)| {
            value == LABS_NAMESPACE
                || value.starts_with(&format!("{LABS_NAMESPACE}."))
                || value == "types.ModuleType(\"skein\")"
        })
    };
    let imports = ["from skein.labs import ", "from skein import ", "import "];
    code.contains(LABS_NAMESPACE)
        && code.split("; ").all(generated)
        && imports.iter().any(|i| said.starts_with(i))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn a_notebook_round_trips_through_ipynb() {
        let mut nb = Notebook {
            title: "Pi".into(),
            cells: vec![
                Cell::new(CellKind::Markdown, "# Pi\nestimate it"),
                Cell::new(CellKind::Code, "x = 1\nprint(x)"),
            ],
        };
        nb.cells[1].outputs.push("1\n".into());
        let text = nb.to_ipynb();
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["nbformat"], 4);
        assert_eq!(doc["cells"][1]["source"], json!(["x = 1\n", "print(x)"]));
        assert_eq!(Notebook::parse(&text).unwrap(), nb);
    }

    #[test]
    fn the_seed_notebooks_read_with_their_cells() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
        let Ok(text) =
            std::fs::read_to_string(dir.join("parallelizing-your-own-python-algorithms.ipynb"))
        else {
            return;
        };
        let nb = Notebook::parse(&text).unwrap();
        assert_eq!(nb.title, "Parallelizing Your Own Python Algorithms");
        assert!(nb.code_cells().any(|c| c.contains("def multi_sample(n):")));
    }

    #[test]
    fn other_files_are_refused_with_a_reason() {
        let err = Notebook::parse("{\"nbformat\": 3, \"cells\": []}").unwrap_err();
        assert!(err.to_string().contains("nbformat 3"));
        assert!(Notebook::parse("not json").is_err());
    }
}
