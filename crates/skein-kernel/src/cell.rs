//! What the kernel does to a cell's text before Monty runs it, and what it learns from it.
//!
//! - IPython magics (`%%time`, `%time`, `%timeit`, `%matplotlib inline`) are rewritten or
//!   removed by `magics.rs`.
//! - Imports of the modules Skein provides in Python (`dask`, `pandas`, `matplotlib`, …)
//!   become look-ups in the prelude's module table, on the same lines, so tracebacks keep
//!   their line numbers. Other imports (`random`, `math`, `time`) are Monty's own.
//! - The last statement, if it is an expression, is shown as Jupyter shows it: wrapped in
//!   `_skein_display(…)`, which hands its `repr` to the kernel.
//! - Top-level `def`, `class` and `import` statements are [`Definitions`] the kernel keeps,
//!   so a function sent to a worker can take its code and the code it calls along.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprContext, Stmt};
use ruff_text_size::{TextRange, TextSize};

use crate::magics::{self, CellMagic};
use crate::rewrite::{self, Edit, RewrittenSource};

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
];

/// A top-level definition of a cell, kept by name.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Definition {
    /// A `def` or `class`: its text without decorators, rewritten, and the names it reads.
    Code {
        source: RewrittenSource,
        names: Vec<String>,
    },
    /// An import that binds the name, as a statement of its own.
    Import { statement: String },
}

/// A top-level binding found while reading a cell, before its rewrites are known.
enum Found<'a> {
    Code(&'a Stmt, TextRange),
    Import(String),
}

/// A cell ready for Monty.
#[derive(Debug)]
pub(crate) struct PreparedCell {
    /// The text to run.
    pub(crate) text: RewrittenSource,
    /// The cell magic of its first line (`%%time`, `%%timeit`).
    pub(crate) magic: CellMagic,
    /// The names the cell defines at top level, in order.
    pub(crate) definitions: Vec<(String, Definition)>,
}

/// Prepares `source` to run. Text that does not parse is left for Monty to report.
pub(crate) fn prepare(source: &str, display_last: bool) -> PreparedCell {
    let (text, magic) = magics::rewrite(source);
    // IPython's `%%timeit` shows no value.
    let display_last = display_last && magic != CellMagic::Timeit;
    let whole = TextRange::new(TextSize::from(0), TextSize::of(text.as_str()));
    let Ok(parsed) = ruff_python_parser::parse_module(&text) else {
        // No rewrites: the text as it is, for Monty to report.
        return PreparedCell {
            text: rewrite::render(&text, whole, &[]),
            magic,
            definitions: Vec::new(),
        };
    };
    let body = &parsed.syntax().body;
    let rewrite::Kept {
        mut edits,
        lambdas,
        inners,
    } = rewrite::edits(&text, body);
    let mut found: Vec<(String, Found<'_>)> = Vec::new();
    for stmt in body {
        match stmt {
            Stmt::Import(import) => {
                let mut assignments = Vec::new();
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
                    found.push((bound.to_owned(), Found::Import(statement)));
                    if is_skein_module(module) {
                        let target = if alias.asname.is_some() {
                            module
                        } else {
                            top_level(module)
                        };
                        assignments.push(format!("{bound} = _skein_import('{target}')"));
                    }
                }
                if assignments.len() == import.names.len() {
                    edits.push(Edit::text(
                        import.range,
                        same_lines(&text, import.range, assignments.join("; ")),
                    ));
                }
            }
            Stmt::ImportFrom(from) if from.level == 0 => {
                let module = from.module.as_ref().map_or("", |m| m.id.as_str());
                let mut assignments = Vec::new();
                for alias in &from.names {
                    let name = alias.name.id.as_str();
                    let bound = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                    let statement = if bound == name {
                        format!("from {module} import {name}")
                    } else {
                        format!("from {module} import {name} as {bound}")
                    };
                    found.push((bound.to_owned(), Found::Import(statement)));
                    assignments.push(format!("{bound} = _skein_from('{module}', '{name}')"));
                }
                if is_skein_module(module) {
                    edits.push(Edit::text(
                        from.range,
                        same_lines(&text, from.range, assignments.join("; ")),
                    ));
                }
            }
            Stmt::FunctionDef(def) => {
                let start = def.decorator_list.last().map_or(def.range.start(), |d| {
                    keyword_after(&text, d.range.end(), def.range.start())
                });
                let range = TextRange::new(start, def.range.end());
                found.push((def.name.id.to_string(), Found::Code(stmt, range)));
            }
            Stmt::ClassDef(class) => {
                let start = class
                    .decorator_list
                    .last()
                    .map_or(class.range.start(), |d| {
                        keyword_after(&text, d.range.end(), class.range.start())
                    });
                let range = TextRange::new(start, class.range.end());
                found.push((class.name.id.to_string(), Found::Code(stmt, range)));
            }
            _ => {}
        }
    }
    if display_last && let Some(Stmt::Expr(last)) = body.last() {
        edits.push(rewrite::display(&last.value));
    }
    // A function sent to a worker takes its rewritten text along (its subscripts, loops).
    let mut definitions: Vec<(String, Definition)> = lambdas
        .iter()
        .map(|l| crate::lambdas::definition(&text, l, &edits))
        .chain(
            inners
                .iter()
                .map(|i| crate::closures::definition(&text, i, &edits)),
        )
        .collect();
    definitions.extend(found.into_iter().map(|(name, found)| {
        let definition = match found {
            Found::Code(stmt, range) => code(stmt, rewrite::render(&text, range, &edits)),
            Found::Import(statement) => Definition::Import { statement },
        };
        (name, definition)
    }));
    let text = rewrite::render(&text, whole, &edits);
    PreparedCell {
        text,
        magic,
        definitions,
    }
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

/// Where `def`/`class` starts after the decorators (the statement's range includes them).
fn keyword_after(
    text: &str,
    from: ruff_text_size::TextSize,
    fallback: ruff_text_size::TextSize,
) -> ruff_text_size::TextSize {
    let from_index = usize::from(from);
    let rest = &text[from_index..];
    ["async def", "def", "class"]
        .iter()
        .filter_map(|kw| find_keyword(rest, kw))
        .min()
        .and_then(|offset| u32::try_from(from_index + offset).ok())
        .map_or(fallback, ruff_text_size::TextSize::from)
}

fn find_keyword(text: &str, keyword: &str) -> Option<usize> {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(keyword) {
            return Some(line_start + (line.len() - trimmed.len()));
        }
        line_start += line.len();
    }
    None
}

fn code(stmt: &Stmt, source: RewrittenSource) -> Definition {
    let mut names = NameCollector::default();
    match stmt {
        Stmt::FunctionDef(def) => {
            for param in def.parameters.iter() {
                if let Some(default) = param.default() {
                    names.visit_expr(default);
                }
                names.stores.push(param.name().id.to_string());
            }
            names.visit_body(&def.body);
        }
        other => names.visit_stmt(other),
    }
    // A name the function assigns is local to it (Python's rule), so never a global it reads.
    let stores = names.stores;
    let mut names = names.names;
    names.retain(|n| !stores.contains(n));
    names.sort_unstable();
    names.dedup();
    Definition::Code { source, names }
}

/// Every name a piece of code reads, and every name it assigns.
#[derive(Default)]
pub(crate) struct NameCollector {
    pub(crate) names: Vec<String>,
    pub(crate) stores: Vec<String>,
}

impl<'a> Visitor<'a> for NameCollector {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr {
            if matches!(name.ctx, ExprContext::Store) {
                self.stores.push(name.id.to_string());
            } else {
                self.names.push(name.id.to_string());
            }
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn skein_imports_become_lookups_on_the_same_lines() {
        let cell = prepare(
            "import random\nfrom dask.distributed import Client, as_completed as ac\nimport dask.bag as db\nimport dask.delayed\n",
            true,
        );
        let lines: Vec<&str> = cell.text.as_str().lines().collect();
        assert_eq!(lines[0], "import random");
        assert_eq!(
            lines[1],
            "Client = _skein_from('dask.distributed', 'Client'); ac = _skein_from('dask.distributed', 'as_completed')"
        );
        assert_eq!(lines[2], "db = _skein_import('dask.bag')");
        assert_eq!(lines[3], "dask = _skein_import('dask')");
        let names: Vec<&str> = cell.definitions.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["random", "Client", "ac", "db", "dask"]);
    }

    #[test]
    fn the_last_expression_is_displayed_and_magics_are_removed() {
        let cell = prepare("%%time\nx = 1\nx + 1", true);
        assert_eq!(cell.magic, CellMagic::Time);
        assert_eq!(cell.text, "\nx = 1\n_skein_display(x + 1)");
        let cell = prepare("%%timeit\nx + 1", true);
        assert_eq!(cell.text, "\nx + 1");
        let cell = prepare("%matplotlib inline\nprint(1)", true);
        assert_eq!(cell.magic, CellMagic::None);
        assert_eq!(cell.text, "\n_skein_display(_skein_print(1))");
    }

    #[test]
    fn functions_are_kept_without_decorators_with_the_names_they_read() {
        let cell = prepare(
            "@delayed\ndef multi_sample(n, k=batch):\n    return helper(n) + random.random()\n",
            true,
        );
        let (name, Definition::Code { source, names }) = &cell.definitions[0] else {
            panic!("{:?}", cell.definitions)
        };
        assert_eq!(name, "multi_sample");
        assert!(source.as_str().starts_with("def multi_sample"), "{source}");
        assert!(names.contains(&"helper".to_owned()) && names.contains(&"batch".to_owned()));
        assert!(names.contains(&"random".to_owned()));
    }

    #[test]
    fn top_level_comparisons_call_the_class_s_methods() {
        let cell = prepare("f = df[df['x'] > 2]\ndef g(a):\n    return a < 1\n", false);
        assert_eq!(
            cell.text,
            "f = _skein_getitem(df, _skein_cmp('gt', _skein_getitem(df, 'x'), 2))\ndef g(a):\n    return a < 1\n"
        );
    }

    #[test]
    fn loops_that_may_wait_go_through_the_prelude() {
        let cell = prepare(
            "for f in completed:\n    for i in range(3):\n        pass\n",
            false,
        );
        assert_eq!(
            cell.text,
            "for f in _skein_for(completed):\n    for i in range(3):\n        pass\n"
        );
    }

    #[test]
    fn text_that_does_not_parse_is_left_alone() {
        let cell = prepare("def (:\n", true);
        assert_eq!(cell.text, "def (:\n");
    }
}
