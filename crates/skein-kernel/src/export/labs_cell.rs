//! The cell an export inserts: the lab functions the notebook uses, in plain Python from
//! `skein_labs.py`, with the helpers they need (found by the names each top-level statement
//! reads) and no more, defined inside a function that returns them as a module.

use std::collections::BTreeSet;

use ruff_python_ast::Stmt;
use ruff_python_ast::visitor::Visitor;
use ruff_text_size::{Ranged, TextSize};

use crate::ipynb::LABS_NAMESPACE as NAMESPACE;
use crate::names::{Names, reachable};

/// The lab functions in plain Python.
const LABS_SOURCE: &str = include_str!("skein_labs.py");

/// One top-level statement of the labs' Python: its text with the comment lines right
/// above it, the names it binds and the names it reads.
struct Chunk<'s> {
    text: &'s str,
    binds: Vec<String>,
    reads: BTreeSet<String>,
    /// A `def` or `class`, which a blank line sets apart.
    block: bool,
    /// Whether a blank line stands before it in the file (a new group of statements).
    blank_before: bool,
}

/// The inserted cell: the `used` lab functions, the helpers they need, and the namespace.
pub(super) fn labs_cell(used: &[&str]) -> String {
    let (docstring, chunks) = labs_chunks();
    let needed = reachable(used.iter().copied(), |name| {
        chunks
            .iter()
            .filter(|chunk| chunk.binds.iter().any(|b| b == name))
            .flat_map(|chunk| chunk.reads.iter().map(String::as_str))
            .collect()
    });
    let picked: Vec<bool> = chunks
        .iter()
        .map(|chunk| chunk.binds.iter().any(|b| needed.contains(&b.as_str())))
        .collect();
    let mut body = String::new();
    if let Some(docstring) = docstring {
        body.push_str(docstring);
        body.push_str("\n\n");
    }
    let kept: Vec<&Chunk> = chunks
        .iter()
        .zip(&picked)
        .filter_map(|(chunk, p)| p.then_some(chunk))
        .collect();
    for (index, chunk) in kept.iter().enumerate() {
        body.push_str(chunk.text);
        let apart = kept
            .get(index + 1)
            .is_none_or(|next| next.block || next.blank_before);
        body.push_str(if chunk.block || apart { "\n\n" } else { "\n" });
    }
    // A module, so it shows as Skein's does (`<module 'skein.labs'>`); cloudpickle sends a
    // module that no worker can import by value.
    body.push_str("labs = types.ModuleType(\"skein.labs\")\n");
    for function in used {
        body.push_str(&format!("labs.{function} = {function}\n"));
    }
    body.push_str("return labs");
    let indented: Vec<String> = body
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect();
    format!(
        "# skein.labs in plain Python, inserted by Skein's export: Skein runs these functions in\n\
         # Rust. Defined in this notebook (__main__), they travel by value to any Dask cluster's\n\
         # workers, so nothing needs installing there.\n\
         import types\n\n\n\
         def _skein_labs():\n{}\n\n\n{NAMESPACE} = _skein_labs()",
        indented.join("\n")
    )
}

/// The labs' module docstring and its other top-level statements, in order.
fn labs_chunks() -> (Option<&'static str>, Vec<Chunk<'static>>) {
    let Ok(parsed) = ruff_python_parser::parse_module(LABS_SOURCE) else {
        return (None, Vec::new());
    };
    let body = &parsed.syntax().body;
    let mut docstring = None;
    let mut chunks = Vec::new();
    let mut previous_end = TextSize::default();
    for (index, stmt) in body.iter().enumerate() {
        if index == 0
            && let Stmt::Expr(expr) = stmt
            && expr.value.is_string_literal_expr()
        {
            docstring = Some(&LABS_SOURCE[stmt.range()]);
            continue;
        }
        let start = with_comments_above(LABS_SOURCE, stmt.range().start());
        let mut names = Names::default();
        names.visit_stmt(stmt);
        let binds = match stmt {
            Stmt::FunctionDef(def) => vec![def.name.id.to_string()],
            Stmt::ClassDef(class) => vec![class.name.id.to_string()],
            Stmt::Import(import) => import
                .names
                .iter()
                .map(|a| {
                    a.asname
                        .as_ref()
                        .map_or_else(|| a.name.id.to_string(), |n| n.id.to_string())
                })
                .collect(),
            _ => names.stores,
        };
        chunks.push(Chunk {
            text: &LABS_SOURCE[usize::from(start)..usize::from(stmt.range().end())],
            binds,
            reads: names.reads.into_iter().collect(),
            block: matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)),
            blank_before: LABS_SOURCE[usize::from(previous_end)..usize::from(start)]
                .contains("\n\n"),
        });
        previous_end = stmt.range().end();
    }
    (docstring, chunks)
}

/// Where the comment lines directly above `start` begin (or `start` when there are none).
fn with_comments_above(text: &str, start: TextSize) -> TextSize {
    let mut begin = usize::from(start);
    while begin > 0 {
        let line_start = text[..begin - 1].rfind('\n').map_or(0, |i| i + 1);
        if !text[line_start..begin].trim_start().starts_with('#') {
            break;
        }
        begin = line_start;
    }
    TextSize::try_from(begin).unwrap_or(start)
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::lab_names::LAB_FUNCTIONS;

    #[test]
    fn every_lab_function_has_a_python_twin() {
        let (docstring, chunks) = labs_chunks();
        assert!(docstring.is_some_and(|d| d.contains("skein.labs")));
        for function in LAB_FUNCTIONS {
            let twin = chunks
                .iter()
                .find(|c| c.binds.iter().any(|b| b == function));
            assert!(
                twin.is_some_and(|c| c.text.starts_with(&format!("def {function}("))),
                "{function} has no def in skein_labs.py"
            );
        }
    }

    #[test]
    fn the_lab_cell_holds_what_the_used_functions_need_and_no_more() {
        let cell = labs_cell(&["traffic_grid", "response_to_random_fire"]);
        for needed in [
            "def traffic_grid(",
            "class _LabRng:",
            "def _rotl(",
            "_MASK64 = ",
            "# SplitMix64's increment",
            "import math",
            "def response_to_random_fire(",
            "def nearest_truck_response(",
            "import random",
            "    labs.traffic_grid = traffic_grid\n    labs.response_to_random_fire = response_to_random_fire\n    return labs\n",
        ] {
            assert!(cell.contains(needed), "{needed} missing from\n{cell}");
        }
        for absent in ["def multi_sample(", "def summarize(", "def shortest_path("] {
            assert!(!cell.contains(absent), "{absent} in\n{cell}");
        }
        assert!(cell.ends_with("\nskein_labs = _skein_labs()"));
        let parsed = ruff_python_parser::parse_module(&cell);
        assert!(parsed.is_ok(), "{parsed:?}\n{cell}");
    }
}
