//! Export to Dask: a notebook as a Jupyter notebook that runs under CPython with the real
//! dask, distributed, numpy, pandas, scipy and matplotlib, on a laptop's `LocalCluster` or
//! any Dask cluster.
//!
//! What a cell says with Dask's, pandas' or matplotlib's names means the same under CPython,
//! and the IPython magics Skein takes (`%%time`, `%matplotlib inline`) are Jupyter's own, so
//! cells go out as they are, with the outputs of their Skein run. Only `skein.labs`, the
//! seed workloads Skein runs in Rust, exists nowhere else. So the export:
//!
//! - inserts, before the first cell that imports `skein.labs`, a code cell defining the lab
//!   functions the notebook uses in plain Python (`export/skein_labs.py`, NumPy and SciPy)
//!   inside a namespace, `skein_labs`. They are defined in the notebook's `__main__`, which
//!   cloudpickle pickles by value, so they reach any cluster's workers with nothing to
//!   install there (a module file would have to be on every worker);
//! - rewrites each import of `skein.labs`, wherever it stands, into assignments from that
//!   namespace on the same lines (`multi_sample = skein_labs.multi_sample  # from skein.labs
//!   import multi_sample`): a name rebinds where the notebook imported it, even after the
//!   notebook redefined it, and tracebacks keep their line numbers.
//!
//! The inserted cell's metadata is `{"skein": {"inserted": "skein.labs"}}`, so tools can
//! tell it from the notebook's own cells, and [`Notebook::from_ipynb`] reads an export back
//! as the notebook it came from: without that cell, its imports restored.
//!
//! ```
//! use skein_kernel::{CellKind, Notebook, NotebookCell, export};
//!
//! let nb = Notebook {
//!     title: "Pi".into(),
//!     cells: vec![NotebookCell::new(CellKind::Code, "from skein.labs import multi_sample\nmulti_sample(10)")],
//! };
//! let ipynb = export::to_dask_ipynb(&nb);
//! assert!(ipynb.contains("def multi_sample(n):"));
//! assert!(ipynb.contains("multi_sample = skein_labs.multi_sample  # from skein.labs import multi_sample"));
//! assert_eq!(Notebook::parse(&ipynb).unwrap(), nb);
//! ```

use std::collections::BTreeSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};
use serde_json::{Value, json};

use crate::interp::LAB_FUNCTIONS;
use crate::notebook::{Cell, CellKind, Notebook};

/// The lab functions in plain Python.
const LABS_SOURCE: &str = include_str!("export/skein_labs.py");

/// The name the inserted cell binds the lab functions' namespace to.
const NAMESPACE: &str = "skein_labs";

/// The notebook as a Jupyter notebook (nbformat 4.5) that runs on Dask; see the
/// [module docs](self).
pub fn to_dask_ipynb(notebook: &Notebook) -> String {
    let (exported, inserted) = for_dask(notebook);
    let text = exported.to_ipynb();
    let Some(index) = inserted else {
        return text;
    };
    let Ok(mut doc) = serde_json::from_str::<Value>(&text) else {
        return text;
    };
    if let Some(cell) = doc.get_mut("cells").and_then(|c| c.get_mut(index)) {
        cell["metadata"] = json!({ "skein": { "inserted": "skein.labs" } });
    }
    serde_json::to_string_pretty(&doc).unwrap_or(text)
}

/// The notebook with its `skein.labs` imports rewritten and the lab cell inserted, and the
/// inserted cell's index.
fn for_dask(notebook: &Notebook) -> (Notebook, Option<usize>) {
    let mut cells = Vec::with_capacity(notebook.cells.len() + 1);
    let mut first_use = None;
    let mut found = Found::default();
    for cell in &notebook.cells {
        let mut cell = cell.clone();
        if cell.kind == CellKind::Code
            && let Some(rewritten) = rewrite_cell(&cell.source, &mut found)
        {
            first_use.get_or_insert(cells.len());
            cell.source = rewritten;
        }
        cells.push(cell);
    }
    let Some(index) = first_use else {
        return (notebook.clone(), None);
    };
    cells.insert(index, Cell::new(CellKind::Code, labs_cell(&found.used())));
    let exported = Notebook {
        title: notebook.title.clone(),
        cells,
    };
    (exported, Some(index))
}

/// Whether a cell of an `.ipynb` is the lab cell an export inserted.
pub(crate) fn is_inserted(cell: &Value) -> bool {
    cell.pointer("/metadata/skein/inserted")
        .and_then(Value::as_str)
        == Some("skein.labs")
}

/// Turns the rewritten imports of an export's code cells back into the imports they were
/// (the comment each rewritten line carries).
pub(crate) fn restore_imports(cells: &mut [Cell]) {
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
            value == NAMESPACE
                || value.starts_with(&format!("{NAMESPACE}."))
                || value == "types.ModuleType(\"skein\")"
        })
    };
    let imports = ["from skein.labs import ", "from skein import ", "import "];
    code.contains(NAMESPACE)
        && code.split("; ").all(generated)
        && imports.iter().any(|i| said.starts_with(i))
}

/// What the notebook takes from `skein.labs`.
#[derive(Default)]
struct Found {
    /// Functions imported by name.
    imported: BTreeSet<String>,
    /// Whether the module itself was imported (`import skein.labs as labs`), so functions
    /// are reached as attributes.
    module: bool,
    /// Every attribute name the notebook's code reads.
    attributes: BTreeSet<String>,
}

impl Found {
    /// The lab functions the notebook uses: imported by name, or read as an attribute of
    /// the module; all of them when the module is used but no attribute names one.
    fn used(&self) -> Vec<&'static str> {
        let by_attribute: Vec<&'static str> = LAB_FUNCTIONS
            .iter()
            .copied()
            .filter(|f| self.module && self.attributes.contains(*f))
            .collect();
        LAB_FUNCTIONS
            .iter()
            .copied()
            .filter(|f| {
                self.imported.contains(*f)
                    || by_attribute.contains(f)
                    || (self.module && by_attribute.is_empty())
            })
            .collect()
    }
}

/// The cell with its `skein.labs` imports rewritten, or `None` when it has none. A cell that
/// does not parse is left alone (Skein could not run it either).
fn rewrite_cell(source: &str, found: &mut Found) -> Option<String> {
    // IPython's magic lines become comments of the same length for the parser.
    let masked: String = source
        .split_inclusive('\n')
        .map(|line| match line.strip_prefix('%') {
            Some(rest) => format!("#{rest}"),
            None => line.to_owned(),
        })
        .collect();
    let parsed = ruff_python_parser::parse_module(&masked).ok()?;
    let mut imports = Imports {
        text: source,
        found,
        edits: Vec::new(),
    };
    imports.visit_body(&parsed.syntax().body);
    if imports.edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (range, replacement) in imports.edits {
        out.push_str(&source[at..usize::from(range.start())]);
        out.push_str(&replacement);
        at = usize::from(range.end());
    }
    out.push_str(&source[at..]);
    Some(out)
}

/// Finds the imports of `skein.labs` at any depth and notes attribute reads.
struct Imports<'t, 'f> {
    text: &'t str,
    found: &'f mut Found,
    edits: Vec<(TextRange, String)>,
}

impl<'a> Visitor<'a> for Imports<'_, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Some(statements) = self.replacement(stmt) {
            let range = stmt.range();
            let original = &self.text[range];
            let rest_of_line = self.text[usize::from(range.end())..]
                .split('\n')
                .next()
                .unwrap_or("")
                .trim();
            let mut line = statements.join("; ");
            if rest_of_line.is_empty() || rest_of_line.starts_with('#') {
                let said: Vec<&str> = original.split_whitespace().collect();
                line = format!("{line}  # {}", said.join(" "));
            }
            let padding = "\n".repeat(original.matches('\n').count());
            let start = usize::from(range.start());
            let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
            let indent = &self.text[line_start..start];
            if !padding.is_empty() && indent.trim().is_empty() {
                // On the statement's last line, so what follows it there stays beside it.
                let whole = TextRange::new(
                    TextSize::try_from(line_start).unwrap_or_default(),
                    range.end(),
                );
                self.edits.push((whole, format!("{padding}{indent}{line}")));
            } else {
                self.edits.push((range, line + &padding));
            }
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Attribute(attribute) = expr
            && matches!(attribute.ctx, ExprContext::Load)
        {
            self.found.attributes.insert(attribute.attr.id.to_string());
        }
        visitor::walk_expr(self, expr);
    }
}

impl Imports<'_, '_> {
    /// The statements an import becomes, if it imports from Skein.
    fn replacement(&mut self, stmt: &Stmt) -> Option<Vec<String>> {
        match stmt {
            Stmt::Import(import) => {
                let is_skein = |name: &str| name == "skein" || name == "skein.labs";
                if !import.names.iter().any(|a| is_skein(a.name.id.as_str())) {
                    return None;
                }
                let statements = import.names.iter().map(|alias| {
                    let name = alias.name.id.as_str();
                    let asname = alias.asname.as_ref().map(|a| a.id.as_str());
                    match (name, asname) {
                        ("skein.labs", Some(bound)) => {
                            self.found.module = true;
                            format!("{bound} = {NAMESPACE}")
                        }
                        ("skein" | "skein.labs", bound) => {
                            self.found.module = true;
                            // A package that holds the labs, as `import skein` binds it.
                            let bound = bound.unwrap_or("skein");
                            format!(
                                "{bound} = types.ModuleType(\"skein\"); {bound}.labs = {NAMESPACE}"
                            )
                        }
                        (_, Some(bound)) => format!("import {name} as {bound}"),
                        (_, None) => format!("import {name}"),
                    }
                });
                Some(statements.collect())
            }
            Stmt::ImportFrom(from) if from.level == 0 => {
                let module = from.module.as_ref().map(|m| m.id.as_str());
                let statements = match module {
                    Some("skein.labs") => from
                        .names
                        .iter()
                        .flat_map(|alias| {
                            let name = alias.name.id.as_str();
                            let bound = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                            if name == "*" {
                                self.found
                                    .imported
                                    .extend(LAB_FUNCTIONS.iter().map(|f| f.to_string()));
                                LAB_FUNCTIONS
                                    .iter()
                                    .map(|f| format!("{f} = {NAMESPACE}.{f}"))
                                    .collect()
                            } else {
                                self.found.imported.insert(name.to_owned());
                                vec![format!("{bound} = {NAMESPACE}.{name}")]
                            }
                        })
                        .collect(),
                    Some("skein") if from.names.iter().any(|a| a.name.id.as_str() == "labs") => {
                        from.names
                            .iter()
                            .map(|alias| {
                                let name = alias.name.id.as_str();
                                let bound = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                                if name == "labs" {
                                    self.found.module = true;
                                    format!("{bound} = {NAMESPACE}")
                                } else if bound == name {
                                    format!("from skein import {name}")
                                } else {
                                    format!("from skein import {name} as {bound}")
                                }
                            })
                            .collect()
                    }
                    _ => return None,
                };
                Some(statements)
            }
            _ => None,
        }
    }
}

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
fn labs_cell(used: &[&str]) -> String {
    let (docstring, chunks) = labs_chunks();
    let mut wanted: Vec<&str> = used.to_vec();
    let mut picked = vec![false; chunks.len()];
    while let Some(name) = wanted.pop() {
        for (index, chunk) in chunks.iter().enumerate() {
            if !picked[index] && chunk.binds.iter().any(|b| b == name) {
                picked[index] = true;
                wanted.extend(chunk.reads.iter().map(String::as_str));
            }
        }
    }
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
            reads: names.reads,
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

/// The names a statement reads and the names it assigns.
#[derive(Default)]
struct Names {
    reads: BTreeSet<String>,
    stores: Vec<String>,
}

impl<'a> Visitor<'a> for Names {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr {
            if matches!(name.ctx, ExprContext::Store) {
                self.stores.push(name.id.to_string());
            } else {
                self.reads.insert(name.id.to_string());
            }
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn code(source: &str) -> Cell {
        Cell::new(CellKind::Code, source)
    }

    fn notebook(cells: Vec<Cell>) -> Notebook {
        Notebook {
            title: "t".into(),
            cells,
        }
    }

    fn rewrite(source: &str) -> (String, Found) {
        let mut found = Found::default();
        let text = rewrite_cell(source, &mut found).unwrap_or_else(|| source.to_owned());
        (text, found)
    }

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
    fn imports_become_assignments_on_the_same_lines() {
        let (text, found) = rewrite(
            "%%time\nimport random, skein.labs as L\nfrom skein.labs import (multi_sample,\n    traffic_grid as tg)\nx = 1",
        );
        assert_eq!(
            text,
            "%%time\nimport random; L = skein_labs  # import random, skein.labs as L\n\
             \nmulti_sample = skein_labs.multi_sample; tg = skein_labs.traffic_grid  \
             # from skein.labs import (multi_sample, traffic_grid as tg)\nx = 1"
        );
        assert!(found.module);
        assert_eq!(
            found.imported.iter().collect::<Vec<_>>(),
            ["multi_sample", "traffic_grid"]
        );
    }

    #[test]
    fn nested_and_package_imports_are_rewritten_too() {
        let (text, _) = rewrite(
            "def f():\n    from skein.labs import summarize; return summarize([1])\nimport skein\nfrom skein import labs as lb\n",
        );
        assert_eq!(
            text,
            "def f():\n    summarize = skein_labs.summarize; return summarize([1])\n\
             skein = types.ModuleType(\"skein\"); skein.labs = skein_labs  # import skein\n\
             lb = skein_labs  # from skein import labs as lb\n"
        );
        let (text, _) = rewrite(
            "def g():\n    from skein.labs import (summarize,\n        split_zones)\n    return 1",
        );
        assert_eq!(
            text,
            "def g():\n\n    summarize = skein_labs.summarize; split_zones = skein_labs.split_zones  \
             # from skein.labs import (summarize, split_zones)\n    return 1"
        );
        let mut found = Found::default();
        assert_eq!(rewrite_cell("import dask\nprint(1)", &mut found), None);
        assert_eq!(rewrite_cell("def broken(:", &mut found), None);
    }

    #[test]
    fn the_module_s_attributes_say_which_functions_are_used() {
        let (_, found) = rewrite("import skein.labs as labs\nlabs.split_zones(g, 2)");
        assert_eq!(found.used(), ["split_zones"]);
        let (_, found) = rewrite("import skein.labs as labs\ngetattr(labs, name)()");
        assert_eq!(found.used(), LAB_FUNCTIONS);
        let (_, found) = rewrite("from skein.labs import *");
        assert_eq!(found.used(), LAB_FUNCTIONS);
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

    #[test]
    fn the_lab_cell_goes_before_the_first_cell_that_imports_the_labs() {
        let mut plot = code("from skein.labs import traffic_grid\ngrid = traffic_grid(4, 1)");
        plot.outputs.push("a grid\n".into());
        let nb = notebook(vec![
            Cell::new(CellKind::Markdown, "# Title"),
            code("import random"),
            plot,
            code("import skein.labs as labs\nlabs.multi_sample(10)"),
        ]);
        let doc: Value = serde_json::from_str(&to_dask_ipynb(&nb)).unwrap();
        let cells = doc["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 5);
        assert_eq!(cells[2]["metadata"]["skein"]["inserted"], "skein.labs");
        let inserted: String = cells[2]["source"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert!(inserted.contains("def traffic_grid(") && inserted.contains("def multi_sample("));
        assert_eq!(
            cells[3]["source"][0],
            "traffic_grid = skein_labs.traffic_grid  # from skein.labs import traffic_grid\n"
        );
        assert_eq!(cells[3]["outputs"][0]["text"][0], "a grid\n");
        assert_eq!(cells[1]["source"][0], "import random");
    }

    #[test]
    fn an_export_reads_back_as_the_notebook_it_came_from() {
        let mut first = code(
            "%%time\nfrom skein.labs import (multi_sample,\n    traffic_grid)  # both\ndef f():\n    import skein.labs as labs\n    return labs.summarize([1])\n",
        );
        first.outputs.push("3.14\n".into());
        let nb = notebook(vec![
            Cell::new(CellKind::Markdown, "# Labs"),
            first,
            code("import skein\nprint(skein_labs)  # from skein.labs, not an import"),
        ]);
        let exported = to_dask_ipynb(&nb);
        let back = Notebook::parse(&exported).unwrap();
        assert_eq!(back.cells[0], nb.cells[0]);
        assert_eq!(
            back.cells[1].source,
            "%%time\n\nfrom skein.labs import (multi_sample, traffic_grid)  # both\ndef f():\n    import skein.labs as labs\n    return labs.summarize([1])\n"
        );
        assert_eq!(back.cells[1].outputs, nb.cells[1].outputs);
        assert_eq!(back.cells[2], nb.cells[2]);
        assert_eq!(back.cells.len(), 3);
    }

    #[test]
    fn a_notebook_without_labs_exports_as_it_is() {
        let nb = notebook(vec![code(
            "%%time\nfrom dask import delayed\ndelayed(sum)([1, 2])",
        )]);
        assert_eq!(to_dask_ipynb(&nb), nb.to_ipynb());
    }
}
