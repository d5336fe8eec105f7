//! Imports of the modules Skein provides in Python (`dask`, `pandas`, `matplotlib`, …) as
//! look-ups in the prelude's module table, on the same lines so tracebacks keep their line
//! numbers: `import dask.bag as db` → `db = _skein_import('dask.bag')`, `from dask import
//! delayed` → `delayed = _skein_from('dask', 'delayed')`. Other imports (`random`, `math`,
//! `time`) are Monty's own and stay as written. An import inside a function or a block (Dask's
//! advice: import inside the task function) is rewritten the same way, a local assignment.
//!
//! Monty 1.4 has an import hook (`OsFunctionCall::Import`); why this look-up is kept instead
//! is in `rewrite.rs`'s docs.
//!
//! `from m import *` at a cell's top level, which Monty refuses, binds the module's public
//! names one by one. Which names those are is the runtime's to find before the cell is
//! prepared ([`star_probe`] is the Python that asks), since neither Monty's `dir` nor a
//! module's `__dict__` exists: a module of Skein's lists its attributes through the host, and
//! one of Monty's is asked which of CPython's public names of it ([`CPYTHON_PUBLIC`]) it has.

use std::collections::HashMap;

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

/// The public names of each module a cell imports with `*`, as the runtime found them.
pub(crate) type StarNames = HashMap<String, Vec<String>>;

/// CPython's public names of Monty's own modules that a notebook may import with `*` (each
/// module's `__all__`, or its names without a leading `_`). The probe keeps those Monty has.
const CPYTHON_PUBLIC: &[(&str, &[&str])] = &[
    (
        "math",
        &[
            "acos",
            "acosh",
            "asin",
            "asinh",
            "atan",
            "atan2",
            "atanh",
            "cbrt",
            "ceil",
            "comb",
            "copysign",
            "cos",
            "cosh",
            "degrees",
            "dist",
            "e",
            "erf",
            "erfc",
            "exp",
            "exp2",
            "expm1",
            "fabs",
            "factorial",
            "floor",
            "fmod",
            "frexp",
            "fsum",
            "gamma",
            "gcd",
            "hypot",
            "inf",
            "isclose",
            "isfinite",
            "isinf",
            "isnan",
            "isqrt",
            "lcm",
            "ldexp",
            "lgamma",
            "log",
            "log10",
            "log1p",
            "log2",
            "modf",
            "nan",
            "nextafter",
            "perm",
            "pi",
            "pow",
            "prod",
            "radians",
            "remainder",
            "sin",
            "sinh",
            "sqrt",
            "sumprod",
            "tan",
            "tanh",
            "tau",
            "trunc",
            "ulp",
        ],
    ),
    (
        "random",
        &[
            "Random",
            "SystemRandom",
            "betavariate",
            "binomialvariate",
            "choice",
            "choices",
            "expovariate",
            "gammavariate",
            "gauss",
            "getrandbits",
            "getstate",
            "lognormvariate",
            "normalvariate",
            "paretovariate",
            "randbytes",
            "randint",
            "random",
            "randrange",
            "sample",
            "seed",
            "setstate",
            "shuffle",
            "triangular",
            "uniform",
            "vonmisesvariate",
            "weibullvariate",
        ],
    ),
    (
        "time",
        &[
            "gmtime",
            "localtime",
            "mktime",
            "monotonic",
            "monotonic_ns",
            "perf_counter",
            "perf_counter_ns",
            "process_time",
            "process_time_ns",
            "sleep",
            "strftime",
            "strptime",
            "struct_time",
            "thread_time",
            "thread_time_ns",
            "time",
            "time_ns",
        ],
    ),
    (
        "itertools",
        &[
            "accumulate",
            "batched",
            "chain",
            "combinations",
            "combinations_with_replacement",
            "compress",
            "count",
            "cycle",
            "dropwhile",
            "filterfalse",
            "groupby",
            "islice",
            "pairwise",
            "permutations",
            "product",
            "repeat",
            "starmap",
            "takewhile",
            "tee",
            "zip_longest",
        ],
    ),
    (
        "functools",
        &[
            "cache",
            "cached_property",
            "cmp_to_key",
            "lru_cache",
            "partial",
            "partialmethod",
            "reduce",
            "singledispatch",
            "singledispatchmethod",
            "total_ordering",
            "update_wrapper",
            "wraps",
        ],
    ),
    (
        "collections",
        &[
            "ChainMap",
            "Counter",
            "OrderedDict",
            "UserDict",
            "UserList",
            "UserString",
            "defaultdict",
            "deque",
            "namedtuple",
        ],
    ),
];

/// The module `stmt` imports with `*`, if it does.
pub(crate) fn star_module(stmt: &Stmt) -> Option<&str> {
    match stmt {
        Stmt::ImportFrom(from) if from.level == 0 && is_star(from) => {
            from.module.as_ref().map(|m| m.id.as_str())
        }
        _ => None,
    }
}

/// The Python whose value is the list of names `from module import *` binds, for the runtime
/// to run before the cell; `None` for a module whose names cannot be known (Monty then
/// reports the statement).
pub(crate) fn star_probe(module: &str) -> Option<String> {
    if is_skein_module(module) {
        return Some(format!("_skein_star_names('{module}')"));
    }
    let (_, names) = CPYTHON_PUBLIC.iter().find(|(m, _)| *m == module)?;
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    Some(format!(
        "import {module} as _skein_star_module\n\
         [_skein_n for _skein_n in [{}] if hasattr(_skein_star_module, _skein_n)]",
        quoted.join(", ")
    ))
}

fn is_star(from: &ruff_python_ast::StmtImportFrom) -> bool {
    matches!(from.names.as_slice(), [alias] if alias.name.id.as_str() == "*")
}

/// What an import statement binds.
pub(crate) struct Imported {
    /// Each name it binds, with the import of that name alone as a statement.
    pub(crate) bindings: Vec<(String, String)>,
    /// Its rewrite, when it imports from Skein's modules only.
    pub(crate) edit: Option<Edit>,
}

/// The names `stmt` imports and its rewrite, or `None` if it is not an absolute import.
/// `stars` holds the names of the modules imported with `*`; one missing there is left as
/// written, for Monty to report.
pub(crate) fn import(text: &str, stmt: &Stmt, stars: &StarNames) -> Option<Imported> {
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
        Stmt::ImportFrom(from) if from.level == 0 && is_star(from) => {
            let module = from.module.as_ref().map_or("", |m| m.id.as_str());
            let unknown = Vec::new();
            let names = match stars.get(module) {
                Some(names) => names,
                // The probe failed: a missing module of Skein's raises as its import does.
                None if is_skein_module(module) => {
                    assignments.push(format!("_skein_import('{module}')"));
                    &unknown
                }
                None => return None,
            };
            bindings.extend(
                names
                    .iter()
                    .map(|name| (name.clone(), format!("from {module} import {name}"))),
            );
            if is_skein_module(module) {
                assignments.extend(
                    names
                        .iter()
                        .map(|name| format!("{name} = _skein_from('{module}', '{name}')")),
                );
            } else if !names.is_empty() {
                assignments.push(format!("from {module} import {}", names.join(", ")));
            }
            // A module without public names binds nothing: `pass` keeps the line.
            if assignments.is_empty() {
                assignments.push("pass".to_owned());
            }
            true
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
            match import(self.text, stmt, &StarNames::new()) {
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
