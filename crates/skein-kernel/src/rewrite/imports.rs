//! Imports of the modules Skein provides in Python (`dask`, `pandas`, `matplotlib`, …) as
//! look-ups in the prelude's module table, on the same lines so tracebacks keep their line
//! numbers: `import dask.bag as db` → `db = _skein_import('dask.bag')`, `from dask import
//! delayed` → `delayed = _skein_from('dask', 'delayed')`. Other imports (`random`, `math`,
//! `time`) are Monty's own and stay as written. An import inside a function or a block (Dask's
//! advice: import inside the task function) is rewritten the same way, a local assignment.
//!
//! Monty 1.4 has an import hook (`OsFunctionCall::Import`), but its answer is a value copied
//! across the boundary (`MontyObject`), while the prelude's modules are Python objects in the
//! interpreter's heap, holding its functions and classes: see the table in `rewrite.rs`.

use ruff_python_ast::Stmt;
use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_text_size::TextRange;

use super::Edit;

/// Top-level modules whose imports the prelude answers.
const SKEIN_MODULES: &[&str] = &[
    "dask",
    "operator",
    "distributed",
    "pandas",
    "matplotlib",
    "concurrent",
    "skein",
    "numpy",
    "scipy",
    "traceback",
];

/// What an import statement binds.
pub(crate) struct Imported {
    /// Each name it binds, with the import of that name alone as a statement.
    pub(crate) bindings: Vec<(String, String)>,
    /// Its rewrite, when it imports from Skein's modules only.
    pub(crate) edit: Option<Edit>,
}

/// The names `stmt` imports and its rewrite, or `None` if it is not an absolute import.
pub(crate) fn import(text: &str, stmt: &Stmt) -> Option<Imported> {
    let mut bindings = Vec::new();
    let mut assignments = Vec::new();
    let rewritten = match stmt {
        Stmt::Import(import) => {
            for alias in &import.names {
                let module = alias.name.id.as_str();
                let bound = alias
                    .asname
                    .as_ref()
                    .map_or_else(|| top_level(module), |a| a.id.as_str());
                let statement = match &alias.asname {
                    Some(asname) => format!("import {module} as {}", asname.id),
                    None => format!("import {module}"),
                };
                if is_skein_module(module) {
                    let target = if alias.asname.is_some() {
                        module
                    } else {
                        top_level(module)
                    };
                    assignments.push(format!("{bound} = _skein_import('{target}')"));
                } else {
                    // `import numpy as np, time`: Monty's own module stays an import.
                    assignments.push(statement.clone());
                }
                bindings.push((bound.to_owned(), statement));
            }
            import
                .names
                .iter()
                .any(|alias| is_skein_module(alias.name.id.as_str()))
        }
        Stmt::ImportFrom(from) if from.level == 0 => {
            let module = from.module.as_ref().map_or("", |m| m.id.as_str());
            for alias in &from.names {
                let name = alias.name.id.as_str();
                let bound = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                let statement = if bound == name {
                    format!("from {module} import {name}")
                } else {
                    format!("from {module} import {name} as {bound}")
                };
                bindings.push((bound.to_owned(), statement));
                assignments.push(format!("{bound} = _skein_from('{module}', '{name}')"));
            }
            is_skein_module(module)
        }
        _ => return None,
    };
    let range = match stmt {
        Stmt::Import(import) => import.range,
        Stmt::ImportFrom(from) => from.range,
        _ => return None,
    };
    let edit =
        rewritten.then(|| Edit::text(range, same_lines(text, range, assignments.join("; "))));
    Some(Imported { bindings, edit })
}

/// The rewrites of the imports nested in `stmt` (in a function's body, an `if`, a `try`…),
/// which bind names where they stand, not in the notebook.
pub(crate) fn nested_imports(text: &str, stmt: &Stmt) -> Vec<Edit> {
    struct Nested<'t> {
        text: &'t str,
        edits: Vec<Edit>,
    }
    impl<'a> StatementVisitor<'a> for Nested<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match import(self.text, stmt) {
                Some(imported) => self.edits.extend(imported.edit),
                None => walk_stmt(self, stmt),
            }
        }
    }
    let mut nested = Nested {
        text,
        edits: Vec::new(),
    };
    walk_stmt(&mut nested, stmt);
    nested.edits
}

fn is_skein_module(module: &str) -> bool {
    SKEIN_MODULES.contains(&top_level(module))
}

fn top_level(module: &str) -> &str {
    module.split('.').next().unwrap_or(module)
}

/// `replacement`, padded with the newlines `range` spanned so later lines keep their numbers.
fn same_lines(text: &str, range: TextRange, replacement: String) -> String {
    let spanned = text[range].matches('\n').count();
    replacement + &"\n".repeat(spanned)
}
