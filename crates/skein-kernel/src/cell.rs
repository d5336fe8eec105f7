//! What the kernel does to a cell's text before Monty runs it, and what it learns from it.
//!
//! - IPython magics (`%%time`, `%time`, `%timeit`, `%matplotlib inline`) are rewritten or
//!   removed by `magics.rs`.
//! - What Monty 1.4 cannot run is rewritten by `rewrite` (its docs list every rewrite and
//!   the Monty gap it stands in for), imports of Skein's Python modules included.
//! - The last statement, if it is an expression, is shown as Jupyter shows it: wrapped in
//!   `_skein_display(…)`, which hands its `repr` to the kernel.
//! - Top-level `def`, `class` and `import` statements are [`Definition`]s the kernel keeps,
//!   so a function sent to a worker can take its code and the code it calls along.

use ruff_python_ast::Stmt;
use ruff_text_size::{TextRange, TextSize};

use crate::magics::{self, CellMagic};
pub(crate) use crate::rewrite::Definition;
use crate::rewrite::{self, RewrittenSource, StarNames};

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

/// The modules `source` imports with `*` at top level, whose names the runtime finds before
/// [`prepare`] (`rewrite::star_probe`).
pub(crate) fn star_modules(source: &str) -> Vec<String> {
    if !source.contains("import *") && !source.contains("import*") {
        return Vec::new();
    }
    let (text, _) = magics::rewrite(source);
    let Ok(parsed) = ruff_python_parser::parse_module(&text) else {
        return Vec::new();
    };
    parsed
        .syntax()
        .body
        .iter()
        .filter_map(rewrite::star_module)
        .map(str::to_owned)
        .collect()
}

/// Prepares `source` to run. Text that does not parse is left for Monty to report, and so is
/// a `from m import *` (see [`prepare_importing`]).
pub(crate) fn prepare(source: &str, display_last: bool) -> PreparedCell {
    prepare_importing(source, display_last, &StarNames::new())
}

/// [`prepare`], each `from m import *` binding the names `stars` holds for `m`.
pub(crate) fn prepare_importing(
    source: &str,
    display_last: bool,
    stars: &StarNames,
) -> PreparedCell {
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
    let mut kept = rewrite::edits(&text, body);
    let mut found: Vec<(String, Found<'_>)> = Vec::new();
    for stmt in body {
        if let Some(imported) = rewrite::import(&text, stmt, stars) {
            found.extend(
                imported
                    .bindings
                    .into_iter()
                    .map(|(bound, statement)| (bound, Found::Import(statement))),
            );
            kept.edits.extend(imported.edit);
            continue;
        }
        kept.edits.extend(rewrite::nested_imports(&text, stmt));
        match stmt {
            Stmt::FunctionDef(def) => {
                let start = def.decorator_list.last().map_or(def.range.start(), |d| {
                    keyword_after(&text, d.range.end(), def.range.start())
                });
                let range = TextRange::new(start, def.range.end());
                found.push((def.name.id.to_string(), Found::Code(stmt, range)));
            }
            // A class keeps its decorators (`@dataclass` makes its `__init__`); a function
            // is kept bare, since a task calls the function itself, not `delayed` of it.
            Stmt::ClassDef(class) => {
                found.push((class.name.id.to_string(), Found::Code(stmt, class.range)));
            }
            _ => {}
        }
    }
    if display_last && let Some(Stmt::Expr(last)) = body.last() {
        kept.edits.push(rewrite::display(&last.value));
    }
    // A function sent to a worker takes its rewritten text along (its subscripts, loops).
    let mut definitions = kept.definitions(&text);
    let edits = kept.edits;
    definitions.extend(found.into_iter().map(|(name, found)| {
        let definition = match found {
            Found::Code(stmt, range) => {
                Definition::code(stmt, rewrite::render(&text, range, &edits))
            }
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

/// Where `def` starts after the decorators (the statement's range includes them).
fn keyword_after(
    text: &str,
    from: ruff_text_size::TextSize,
    fallback: ruff_text_size::TextSize,
) -> ruff_text_size::TextSize {
    let from_index = usize::from(from);
    let rest = &text[from_index..];
    ["async def", "def"]
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

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn skein_imports_become_lookups_on_the_same_lines() {
        let cell = prepare(
            "import random\nfrom dask.distributed import Client, as_completed as ac\nimport dask.bag as db\nimport dask.delayed\nimport numpy as np, time\n",
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
        assert_eq!(lines[4], "np = _skein_import('numpy'); import time");
        let names: Vec<&str> = cell.definitions.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["random", "Client", "ac", "db", "dask", "np", "time"]
        );
    }

    #[test]
    fn a_wildcard_import_binds_each_name_the_runtime_found() {
        let source = "from numpy import *\nfrom math import *\nfrom re import *\nfrom dask.nope import *\nx = 1\n";
        assert_eq!(star_modules(source), ["numpy", "math", "re", "dask.nope"]);
        assert!(star_modules("x = a * b\nimport math\n").is_empty());
        let stars = StarNames::from([
            (
                "numpy".to_owned(),
                vec!["array".to_owned(), "pi".to_owned()],
            ),
            ("math".to_owned(), vec!["floor".to_owned(), "e".to_owned()]),
        ]);
        let cell = prepare_importing(source, false, &stars);
        let lines: Vec<&str> = cell.text.as_str().lines().collect();
        assert_eq!(
            lines[..4],
            [
                "array = _skein_from('numpy', 'array'); pi = _skein_from('numpy', 'pi')",
                "from math import floor, e",
                "from re import *",
                "_skein_import('dask.nope')",
            ],
            "a module of Monty's without names is left for Monty to report, one of Skein's fails as its import does"
        );
        // A task that uses a name takes that name's import along, not the `*`.
        let imports: Vec<(&str, &str)> = cell
            .definitions
            .iter()
            .filter_map(|(name, d)| match d {
                Definition::Import { statement } => Some((name.as_str(), statement.as_str())),
                Definition::Code { .. } => None,
            })
            .collect();
        assert_eq!(
            imports,
            [
                ("array", "from numpy import array"),
                ("pi", "from numpy import pi"),
                ("floor", "from math import floor"),
                ("e", "from math import e"),
            ]
        );
        let probe = rewrite::star_probe("math").unwrap_or_default();
        assert!(probe.starts_with("import math as ") && probe.contains("'floor'"));
        assert_eq!(
            rewrite::star_probe("numpy").as_deref(),
            Some("_skein_star_names('numpy')")
        );
        assert_eq!(rewrite::star_probe("re"), None);
    }

    #[test]
    fn imports_inside_functions_and_blocks_become_local_lookups() {
        let cell = prepare(
            "def uses_numpy(n):\n    import numpy as np\n    if n:\n        from operator import add\n    import math\n    return np.arange(n)\n",
            true,
        );
        let lines: Vec<&str> = cell.text.as_str().lines().collect();
        assert_eq!(lines[1], "    np = _skein_import('numpy')");
        assert_eq!(lines[3], "        add = _skein_from('operator', 'add')");
        assert_eq!(lines[4], "    import math", "Monty's own modules stay");
        // They bind names in the function, not in the notebook.
        let names: Vec<&str> = cell.definitions.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["uses_numpy"]);
        let Definition::Code { source, .. } = &cell.definitions[0].1 else {
            panic!("{:?}", cell.definitions[0]);
        };
        assert!(
            source.as_str().contains("np = _skein_import('numpy')"),
            "{source:?}"
        );
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
            "f = _skein_getitem(df, _skein_cmp('gt', (df['x'] if _skein_type(df) is _skein_list else _skein_getitem(df, 'x')), 2))\ndef g(a):\n    return a < 1\n"
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
