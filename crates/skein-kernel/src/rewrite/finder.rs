//! [`Finder`]: the walk over a cell's statements that finds every rewrite of the table in
//! `rewrite.rs`, nested, and the functions the kernel keeps as definitions.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::closures::{self, Inner, Scope};
use super::compare::{self, Use};
use super::lambdas::{self, Lambda};
use super::{Edit, Piece, delete, subscripts};
use crate::names::{self, Names};
use crate::python_builtins::EXCEPTION_TYPES;

pub(super) struct Finder<'t> {
    text: &'t str,
    edits: Vec<Edit>,
    lambdas: Vec<Lambda>,
    inners: Vec<Inner>,
    /// The top-level function we are in, directly (`closures.rs`).
    scope: Option<Scope>,
    /// How many `def`/`class`/`lambda` bodies we are in (comparisons and most attribute reads
    /// stay as they are there).
    depth: usize,
    /// The variables of the comprehensions we are in.
    bound: Vec<String>,
    /// The top-level tests rewritten with their comparison (`compare.rs`).
    tests: Vec<TextRange>,
}

impl<'t> Finder<'t> {
    /// A walk over the statements of the cell `text`.
    pub(super) fn new(text: &'t str) -> Finder<'t> {
        Finder {
            text,
            edits: Vec::new(),
            lambdas: Vec::new(),
            inners: Vec::new(),
            scope: None,
            depth: 0,
            bound: Vec::new(),
            tests: Vec::new(),
        }
    }

    /// The rewrites found, the top-level lambdas and the inner functions to keep.
    pub(super) fn finish(self) -> (Vec<Edit>, Vec<Lambda>, Vec<Inner>) {
        (self.edits, self.lambdas, self.inners)
    }

    /// A top-level `if`/`while` test (`compare.rs`); a comparison there is rewritten with it.
    fn truth_test(&mut self, test: &Expr) {
        if let Expr::Compare(compare) = test {
            self.tests.push(compare.range);
        }
        self.edits.push(compare::truth_test(test));
    }
}

/// Builtins whose first argument Monty iterates without calling the host: an array there
/// becomes its rows first.
const ITERATING_BUILTINS: &[&str] = &[
    "list",
    "tuple",
    "set",
    "frozenset",
    "sorted",
    "enumerate",
    "reversed",
    "iter",
];

/// Iterables a loop can take as they are: `range(…)`, `enumerate(…)`, literals.
fn plain_iterable(iter: &Expr) -> bool {
    match iter {
        Expr::Call(call) => {
            matches!(&*call.func, Expr::Name(n) if ["range", "enumerate", "zip", "reversed", "sorted"].contains(&n.id.as_str()))
        }
        Expr::List(_) | Expr::Tuple(_) | Expr::ListComp(_) | Expr::StringLiteral(_) => true,
        _ => false,
    }
}

/// Names a cell usually binds to a module: what they hold is never a `Delayed`, so reading
/// their attributes (`np.pi`, `np.random`) skips the prelude's `getattr` in top-level loops.
const MODULE_NAMES: &[&str] = &[
    "np",
    "numpy",
    "pd",
    "pandas",
    "plt",
    "matplotlib",
    "math",
    "random",
    "dask",
    "db",
    "da",
    "dd",
    "distributed",
    "scipy",
    "time",
    "datetime",
    "os",
    "sys",
    "json",
    "csv",
    "re",
    "itertools",
    "functools",
    "operator",
    "collections",
    "statistics",
    "string",
    "skein",
];

/// Attributes read through the prelude inside functions too: the ones Dask users read on a
/// `Delayed` of an array or a frame in the functions they call on it (`sum(p.shape[0] for p
/// in parts)`, seed 1's `df_count`), and a `Future`'s `status`, which the prelude asks the
/// host for. Elsewhere a function's attribute reads stay as they are: each read through the
/// prelude costs a call.
const PROXIED_ATTRIBUTES: &[&str] = &[
    "shape", "values", "T", "dtype", "size", "columns", "index", "status",
];

/// `str` itself, whose methods (`str.upper`) Monty does not have as attributes: the prelude
/// has them as functions (`_skein_str_methods`), in cells and in functions alike.
fn is_str_type(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(name) if name.id.as_str() == "str")
}

/// `ValueError(x)` → `ValueError(_skein_exc_text(x))` and `ValueError(a, b)` →
/// `ValueError(_skein_exc_text((a, b)))`, so the exception carries the text CPython's `str`
/// gives it; nothing for no argument, plainly text ([`is_text`]), keywords or a starred
/// argument, so the usual message keeps the line a task's traceback shows as written.
fn exception_text(call: &ExprCall) -> Option<Edit> {
    let args = &call.arguments.args;
    if args.is_empty()
        || !call.arguments.keywords.is_empty()
        || args.iter().any(|arg| matches!(arg, Expr::Starred(_)))
        || (args.len() == 1 && is_text(&args[0]))
    {
        return None;
    }
    let span = TextRange::new(args[0].start(), args[args.len() - 1].end());
    let (open, close) = if args.len() == 1 {
        ("(", ")")
    } else {
        ("((", "))")
    };
    Some(Edit::wrapping(
        span,
        vec![
            Piece::Text(format!("_skein_exc_text{open}")),
            Piece::Source(span),
            Piece::Text(close.into()),
        ],
    ))
}

/// Whether `expr` is plainly a `str`: a string literal or an f-string, `str(…)` or
/// `repr(…)`, a literal's method (`'{}'.format(x)`), or a literal joined to something
/// (`'bad ' + name`, `'%d rows' % n`).
fn is_text(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(_) | Expr::FString(_) => true,
        Expr::Call(call) => match &*call.func {
            Expr::Name(name) => matches!(name.id.as_str(), "str" | "repr"),
            Expr::Attribute(method) => matches!(&*method.value, Expr::StringLiteral(_)),
            _ => false,
        },
        Expr::BinOp(op) => is_text(&op.left) || is_text(&op.right),
        _ => false,
    }
}

fn is_module(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(name) if MODULE_NAMES.contains(&name.id.as_str()))
}

impl<'a> Visitor<'a> for Finder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) if self.depth == 0 => {
                let scope = Scope::of(def);
                let (inners, edits) = closures::inner_functions(self.text, def, &scope);
                self.inners.extend(inners);
                self.edits.extend(edits);
                self.scope = Some(scope);
                self.depth += 1;
                visitor::walk_stmt(self, stmt);
                self.depth -= 1;
                self.scope = None;
                return;
            }
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
                // Deeper than a top-level function's own body: no scope to capture from.
                let scope = self.scope.take();
                self.depth += 1;
                visitor::walk_stmt(self, stmt);
                self.depth -= 1;
                self.scope = scope;
                return;
            }
            Stmt::For(for_loop) if !plain_iterable(&for_loop.iter) => {
                self.edits
                    .push(Edit::wrap(for_loop.iter.range(), "_skein_for"));
            }
            Stmt::Assign(assign) if assign.targets.len() == 1 => {
                if let Expr::Subscript(target) = &assign.targets[0] {
                    self.edits.push(subscripts::setitem(assign, target));
                    self.visit_expr(&target.value);
                    self.visit_expr(&target.slice);
                    self.visit_expr(&assign.value);
                    return;
                }
            }
            Stmt::AugAssign(aug) => {
                if let Expr::Subscript(target) = &*aug.target
                    && let Some(edit) = subscripts::aug_setitem(aug, target)
                {
                    self.edits.push(edit);
                    self.visit_expr(&aug.value);
                    return;
                }
            }
            // A Delayed's truth is Dask's TypeError (`prelude/compat.py`).
            Stmt::If(if_stmt) if self.depth == 0 => {
                self.truth_test(&if_stmt.test);
                for clause in &if_stmt.elif_else_clauses {
                    if let Some(test) = &clause.test {
                        self.truth_test(test);
                    }
                }
            }
            Stmt::While(while_stmt) if self.depth == 0 => self.truth_test(&while_stmt.test),
            Stmt::Delete(delete) => {
                if let Some(edit) = delete::edit(self.text, delete, self.depth == 0) {
                    self.edits.push(edit);
                    visitor::walk_stmt(self, stmt);
                }
                return;
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_annotation(&mut self, _: &'a Expr) {}

    fn visit_comprehension(&mut self, comprehension: &'a ruff_python_ast::Comprehension) {
        if !plain_iterable(&comprehension.iter) {
            self.edits
                .push(Edit::wrap(comprehension.iter.range(), "_skein_for"));
        }
        visitor::walk_comprehension(self, comprehension);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(lambda) => {
                let found = match (self.depth, &self.scope) {
                    (0, _) => lambdas::found(self.text, lambda, &self.bound, None),
                    (1, Some(scope)) => lambdas::found(self.text, lambda, &[], Some(scope)),
                    _ => None,
                };
                if let Some(found) = found {
                    self.edits.push(lambdas::edit(&found));
                    self.lambdas.push(found);
                }
                let scope = self.scope.take();
                self.depth += 1;
                visitor::walk_expr(self, expr);
                self.depth -= 1;
                self.scope = scope;
                return;
            }
            Expr::Subscript(subscript) if matches!(subscript.ctx, ExprContext::Load) => {
                self.edits.push(subscripts::getitem(subscript));
            }
            Expr::Call(call) => {
                if let Expr::Name(name) = &*call.func {
                    let name_text = name.id.as_str();
                    if name_text == "print" {
                        self.edits
                            .push(Edit::text(name.range, "_skein_print".into()));
                    }
                    if EXCEPTION_TYPES.contains(&name_text)
                        && let Some(edit) = exception_text(call)
                    {
                        self.edits.push(edit);
                    }
                    if name_text == "bool" {
                        self.edits
                            .push(Edit::text(name.range, "_skein_bool".into()));
                    }
                    let iterated = match name_text {
                        "zip" => call.arguments.args.len(),
                        _ if ITERATING_BUILTINS.contains(&name_text) => 1,
                        _ => 0,
                    };
                    for arg in call.arguments.args.iter().take(iterated) {
                        if !matches!(arg, Expr::Starred(_)) && !plain_iterable(arg) {
                            self.edits.push(Edit::wrap(arg.range(), "_skein_iterable"));
                        }
                    }
                }
                if let Expr::Attribute(method) = &*call.func
                    && !is_str_type(&method.value)
                {
                    // `d.method(…)` stays a method call: only what it is called on is read
                    // (but `str.strip(s)` takes `str.strip` from the prelude).
                    self.visit_expr(&method.value);
                    self.visit_arguments(&call.arguments);
                    return;
                }
            }
            Expr::Attribute(attribute)
                if matches!(attribute.ctx, ExprContext::Load)
                    && if self.depth == 0 {
                        !is_module(&attribute.value)
                    } else {
                        PROXIED_ATTRIBUTES.contains(&attribute.attr.id.as_str())
                            || is_str_type(&attribute.value)
                    } =>
            {
                self.edits.push(Edit::new(
                    attribute.range,
                    vec![
                        Piece::Text("_skein_getattr(".into()),
                        Piece::Source(attribute.value.range()),
                        Piece::Text(format!(", '{}')", attribute.attr.id)),
                    ],
                ));
            }
            // A test's comparison was rewritten whole with its test (`truth_test`).
            Expr::Compare(compare) if self.depth == 0 && !self.tests.contains(&compare.range) => {
                self.edits.extend(compare::edit(expr, Use::Value));
            }
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                let depth = self.bound.len();
                for generator in names::generators(expr) {
                    let mut names = Names::default();
                    names.visit_expr(&generator.target);
                    self.bound.extend(names.stores);
                }
                visitor::walk_expr(self, expr);
                self.bound.truncate(depth);
                return;
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}
