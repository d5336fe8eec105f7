//! The prelude's calls of Python's builtins, made through private aliases: `type(x)` in the
//! prelude runs as `_skein_bi_type(x)`, with `_skein_bi_type = type` bound before anything
//! else. A cell shares the prelude's globals (Monty has one namespace per interpreter), so
//! without the aliases a cell's `type = 'fire'` or `max = 0` would change what every prelude
//! function calls, where in CPython a notebook's names never reach a library's.
//!
//! The builtins the prelude redefines for cells (`len`, `sum`, `max`, … in `compat.py`) are
//! aliased again after their definitions there (`_skein_bi_len = len`), so the prelude's
//! functions call those versions, as they did through the shared name.
//!
//! A name a function binds itself (a parameter, a local, a comprehension's variable) is left
//! as it is in that function, and so is everything in a statement that binds an alias.

use std::collections::{BTreeSet, HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{ExceptHandler, Expr, ExprContext, Parameters, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::names;
use crate::python_builtins::{BUILTIN_FUNCTIONS, EXCEPTION_TYPES};

/// What an alias is called: the builtin's name after this.
pub(crate) const ALIAS_PREFIX: &str = "_skein_bi_";

/// Whether the prelude calls `name` through an alias: Monty's builtin functions and
/// exception types, but `range` (loops over it stay as Monty compiles them) and `super`.
/// `callable`, which Monty lacks, `compat.py` defines, as it does `len` and others.
fn aliased(name: &str) -> bool {
    !matches!(name, "range" | "super")
        && (BUILTIN_FUNCTIONS.contains(&name) || EXCEPTION_TYPES.contains(&name))
}

/// `prelude` with its builtins called through aliases, and the aliases bound first.
pub(crate) fn alias_builtins(prelude: &str) -> String {
    let Ok(parsed) = ruff_python_parser::parse_module(prelude) else {
        // The prelude always parses (every test loads it); were it not to, the interpreter
        // would report the error where it ran it.
        return prelude.to_owned();
    };
    let mut finder = Finder::default();
    finder.visit_body(parsed.suite());
    let mut out: String = finder
        .used
        .iter()
        .map(|name| format!("{ALIAS_PREFIX}{name} = {name}\n"))
        .collect();
    // The walk visits a comprehension's element after its clauses: the text's order first.
    finder.renames.sort_by_key(|(range, _)| range.start());
    let mut at = 0;
    for (range, name) in &finder.renames {
        out.push_str(&prelude[at..range.start().to_usize()]);
        out.push_str(ALIAS_PREFIX);
        out.push_str(name);
        at = range.end().to_usize();
    }
    out.push_str(&prelude[at..]);
    out
}

/// Finds the builtin names to rename, scope by scope.
#[derive(Default)]
struct Finder<'a> {
    /// The names each enclosing function binds, innermost last.
    locals: Vec<HashSet<&'a str>>,
    /// Each reference to rename.
    renames: Vec<(TextRange, &'a str)>,
    /// The builtins renamed at least once.
    used: BTreeSet<&'a str>,
}

impl<'a> Visitor<'a> for Finder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Assign(assign)
                if assign.targets.iter().any(
                    |t| matches!(t, Expr::Name(n) if n.id.as_str().starts_with(ALIAS_PREFIX)),
                ) => {}
            Stmt::FunctionDef(function) => {
                for decorator in &function.decorator_list {
                    self.visit_decorator(decorator);
                }
                visit_defaults(self, &function.parameters);
                self.locals.push(bound_in(function));
                self.visit_body(&function.body);
                self.locals.pop();
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.ctx == ExprContext::Load => {
                let id = name.id.as_str();
                if aliased(id) && !self.locals.iter().any(|scope| scope.contains(id)) {
                    self.renames.push((name.range(), id));
                    self.used.insert(id);
                }
            }
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                let mut binder = Binder::default();
                for generator in names::generators(expr) {
                    binder.visit_expr(&generator.target);
                }
                self.locals.push(binder.names);
                visitor::walk_expr(self, expr);
                self.locals.pop();
            }
            Expr::Lambda(lambda) => {
                let mut scope = HashSet::new();
                if let Some(parameters) = &lambda.parameters {
                    visit_defaults(self, parameters);
                    parameter_names(parameters, &mut scope);
                }
                self.locals.push(scope);
                self.visit_expr(&lambda.body);
                self.locals.pop();
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// Visits a function's default values, which run in the scope around it.
fn visit_defaults<'a>(finder: &mut Finder<'a>, parameters: &'a Parameters) {
    for parameter in parameters.iter_non_variadic_params() {
        if let Some(default) = &parameter.default {
            finder.visit_expr(default);
        }
    }
}

fn parameter_names<'a>(parameters: &'a Parameters, names: &mut HashSet<&'a str>) {
    names.extend(parameters.iter().map(|p| p.name().as_str()));
}

/// The names `function` binds in its own scope: its parameters, and what its body assigns,
/// imports, defines, catches or loops over (comprehensions' variables included: one bound
/// there only hides the builtin from renaming, which is safe).
fn bound_in(function: &StmtFunctionDef) -> HashSet<&str> {
    let mut binder = Binder::default();
    parameter_names(&function.parameters, &mut binder.names);
    binder.visit_body(&function.body);
    binder.names
}

#[derive(Default)]
struct Binder<'a> {
    names: HashSet<&'a str>,
}

impl<'a> Visitor<'a> for Binder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // A nested function or class binds its name here; its body is its own scope.
            Stmt::FunctionDef(f) => {
                self.names.insert(f.name.as_str());
            }
            Stmt::ClassDef(c) => {
                self.names.insert(c.name.as_str());
            }
            Stmt::Import(import) => self.names.extend(import.names.iter().map(|alias| {
                alias
                    .asname
                    .as_ref()
                    .unwrap_or(&alias.name)
                    .as_str()
                    .split('.')
                    .next()
                    .unwrap_or_default()
            })),
            Stmt::ImportFrom(import) => self.names.extend(
                import
                    .names
                    .iter()
                    .map(|alias| alias.asname.as_ref().unwrap_or(&alias.name).as_str()),
            ),
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.ctx != ExprContext::Load => {
                self.names.insert(name.id.as_str());
            }
            Expr::Lambda(_) => {}
            _ => visitor::walk_expr(self, expr),
        }
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        let ExceptHandler::ExceptHandler(caught) = handler;
        if let Some(name) = &caught.name {
            self.names.insert(name.as_str());
        }
        visitor::walk_except_handler(self, handler);
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn the_prelude_s_builtins_become_aliases_bound_first() {
        let aliased = alias_builtins(
            "def f(x):\n    return type(x) is list and len(x) > 0\nclass C:\n    kind = str\n",
        );
        assert_eq!(
            aliased,
            "_skein_bi_len = len\n_skein_bi_list = list\n_skein_bi_str = str\n_skein_bi_type = type\n\
             def f(x):\n    return _skein_bi_type(x) is _skein_bi_list and _skein_bi_len(x) > 0\n\
             class C:\n    kind = _skein_bi_str\n"
        );
    }

    #[test]
    fn a_name_a_function_binds_stays_that_function_s_own() {
        let text = "def f(type, xs):\n    id = 3\n    for max in xs:\n        pass\n    \
                    g = lambda len: len\n    try:\n        pass\n    except Exception as str:\n        \
                    pass\n    return type, id, max, len, str, [sum for sum in xs]\n";
        let aliased = alias_builtins(text);
        // Only `Exception`, and `len` outside the lambda, are the builtins' in `f`.
        assert_eq!(
            aliased,
            format!(
                "_skein_bi_Exception = Exception\n_skein_bi_len = len\n{}",
                text.replace("except Exception", "except _skein_bi_Exception")
                    .replace("max, len, str", "max, _skein_bi_len, str")
            )
        );
        // A comprehension's variable at the top level is its own too.
        assert_eq!(
            alias_builtins("s = [id for id in range(3)]\n"),
            "s = [id for id in range(3)]\n"
        );
    }

    #[test]
    fn defaults_and_decorators_run_in_the_scope_around_and_alias_lines_stay() {
        let aliased = alias_builtins(
            "def len(obj, key=hash):\n    return 1\n_skein_bi_len = len\ndef g(n):\n    return len(n)\n",
        );
        assert_eq!(
            aliased,
            "_skein_bi_hash = hash\n_skein_bi_len = len\n\
             def len(obj, key=_skein_bi_hash):\n    return 1\n_skein_bi_len = len\n\
             def g(n):\n    return _skein_bi_len(n)\n"
        );
    }
}
