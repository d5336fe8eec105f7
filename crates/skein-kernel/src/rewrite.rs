//! The rewrites that route a cell's Python through the prelude where Monty cannot call the
//! host itself, and the renderer that applies nested rewrites to the text:
//!
//! - subscripts, everywhere: `a[i, j]` → `_skein_getitem(a, (i, j))`, `a[i] = v` →
//!   `_skein_setitem(a, (i,), v)`: an array's `[]` runs Rust, which Monty only allows
//!   in a method called as a method;
//! - `for` loops and comprehensions over anything but `range`, literals and the like →
//!   `_skein_for(…)`, which waits for an `as_completed` and walks an array's rows;
//! - top-level comparisons → `_skein_cmp(op, a, b)` (Monty does not call a class's `<`);
//! - `print(…)` → `_skein_print(…)`, which evaluates pending array expressions first;
//! - `next(…)` → `_skein_next(…)`, which waits for an `as_completed`;
//! - `bool(…)` → `_skein_bool(…)` and top-level `if`/`while` tests → `_skein_truth(…)`, where
//!   a Delayed's truth is Dask's TypeError (Monty does not call `__bool__`);
//! - `del …` (`delete.rs`) and top-level lambdas (`lambdas.rs`);
//! - what `list(…)`, `zip(…)`, `sorted(…)` and the like iterate → `_skein_iterable(…)`,
//!   an array's rows.
//!
//! Every rewrite keeps the lines where they were, so tracebacks point at the user's lines.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{CmpOp, Expr, ExprContext, Operator, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::closures::{self, Inner, Scope};
use crate::lambdas::{self, Lambda};

mod source;
pub(crate) use source::RewrittenSource;

/// Part of a rewrite: new text, or a range of the cell (whose own rewrites apply).
#[derive(Clone, Debug)]
pub(crate) enum Piece {
    Text(String),
    Source(TextRange),
}

/// Text that replaces `range`.
#[derive(Clone, Debug)]
pub(crate) struct Edit {
    pub(crate) range: TextRange,
    pub(crate) pieces: Vec<Piece>,
    /// A call wrapped around an expression goes outside any rewrite of the same expression.
    wraps: bool,
}

impl Edit {
    /// Replaces `range` with `text` alone.
    pub(crate) fn text(range: TextRange, text: String) -> Edit {
        Edit {
            range,
            pieces: vec![Piece::Text(text)],
            wraps: false,
        }
    }

    /// Replaces `range` with `pieces`.
    pub(crate) fn new(range: TextRange, pieces: Vec<Piece>) -> Edit {
        Edit {
            range,
            pieces,
            wraps: false,
        }
    }

    /// Wraps `range` in `pieces` (which hold the range itself).
    pub(crate) fn wrapping(range: TextRange, pieces: Vec<Piece>) -> Edit {
        Edit {
            range,
            pieces,
            wraps: true,
        }
    }

    /// Wraps `range` in a call: `name(` … `)`.
    fn wrap(range: TextRange, name: &str) -> Edit {
        Edit {
            range,
            pieces: vec![
                Piece::Text(format!("{name}(")),
                Piece::Source(range),
                Piece::Text(")".into()),
            ],
            wraps: true,
        }
    }
}

/// The text of `range` with the edits inside it applied, inner ones inside outer ones.
pub(crate) fn render(text: &str, range: TextRange, edits: &[Edit]) -> RewrittenSource {
    let mut sorted: Vec<&Edit> = edits
        .iter()
        .filter(|e| range.contains_range(e.range))
        .collect();
    sorted.sort_by_key(|e| {
        (
            e.range.start(),
            std::cmp::Reverse(e.range.end()),
            std::cmp::Reverse(e.wraps),
        )
    });
    RewrittenSource::new(render_sorted(text, range, &sorted))
}

fn render_sorted(text: &str, range: TextRange, edits: &[&Edit]) -> String {
    let mut out = String::new();
    let mut at = range.start();
    let mut index = 0;
    while index < edits.len() {
        let edit = edits[index];
        // Edits inside this one come right after it in the order; they render within it.
        let inner_end = edits[index + 1..]
            .iter()
            .position(|e| !edit.range.contains_range(e.range))
            .map_or(edits.len(), |p| index + 1 + p);
        let inner = &edits[index + 1..inner_end];
        if edit.range.start() < at {
            index = inner_end;
            continue;
        }
        out.push_str(&text[TextRange::new(at, edit.range.start())]);
        for piece in &edit.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Source(r) => {
                    let nested: Vec<&Edit> = inner
                        .iter()
                        .copied()
                        .filter(|e| r.contains_range(e.range))
                        .collect();
                    out.push_str(&render_sorted(text, *r, &nested));
                }
            }
        }
        at = edit.range.end();
        index = inner_end;
    }
    out.push_str(&text[TextRange::new(at, range.end())]);
    out
}

/// Collects every rewrite of a cell's statements (`text`), and the lambdas it registers.
pub(crate) fn edits(text: &str, body: &[Stmt]) -> Kept {
    let mut finder = Finder {
        text,
        edits: Vec::new(),
        lambdas: Vec::new(),
        inners: Vec::new(),
        depth: 0,
        bound: Vec::new(),
        scope: None,
    };
    finder.visit_body(body);
    Kept {
        edits: finder.edits,
        lambdas: finder.lambdas,
        inners: finder.inners,
    }
}

/// A cell's rewrites, and the functions it makes that the kernel keeps as definitions.
pub(crate) struct Kept {
    pub(crate) edits: Vec<Edit>,
    pub(crate) lambdas: Vec<Lambda>,
    pub(crate) inners: Vec<Inner>,
}

struct Finder<'t> {
    text: &'t str,
    edits: Vec<Edit>,
    lambdas: Vec<Lambda>,
    inners: Vec<Inner>,
    /// The top-level function we are in, directly (`closures.rs`).
    scope: Option<Scope>,
    /// How many `def`/`class`/`lambda` bodies we are in (comparisons stay as they are there).
    depth: usize,
    /// The variables of the comprehensions we are in.
    bound: Vec<String>,
}

/// A subscript's index as an expression: slices become `slice(…)` calls, `a[i, j]`'s
/// index the tuple `(i, j, )`.
pub(crate) fn key_pieces(slice: &Expr) -> Vec<Piece> {
    match slice {
        Expr::Tuple(tuple) => {
            let mut pieces = vec![Piece::Text("(".into())];
            for element in &tuple.elts {
                pieces.extend(element_pieces(element));
                pieces.push(Piece::Text(", ".into()));
            }
            pieces.push(Piece::Text(")".into()));
            pieces
        }
        other => element_pieces(other),
    }
}

fn element_pieces(element: &Expr) -> Vec<Piece> {
    match element {
        Expr::Slice(slice) => {
            let part = |e: &Option<Box<Expr>>| match e {
                Some(e) => Piece::Source(e.range()),
                None => Piece::Text("None".into()),
            };
            vec![
                Piece::Text("slice(".into()),
                part(&slice.lower),
                Piece::Text(", ".into()),
                part(&slice.upper),
                Piece::Text(", ".into()),
                part(&slice.step),
                Piece::Text(")".into()),
            ]
        }
        other => vec![Piece::Source(other.range())],
    }
}

/// Whether evaluating `e` twice is harmless (for `a[k] += v`).
fn simple(e: &Expr) -> bool {
    match e {
        Expr::Name(_) | Expr::NumberLiteral(_) | Expr::StringLiteral(_) => true,
        Expr::Attribute(a) => simple(&a.value),
        Expr::Tuple(t) => t.elts.iter().all(simple),
        Expr::UnaryOp(u) => simple(&u.operand),
        Expr::BinOp(b) => simple(&b.left) && simple(&b.right),
        _ => false,
    }
}

fn operator_text(op: Operator) -> &'static str {
    match op {
        Operator::Add => "+",
        Operator::Sub => "-",
        Operator::Mult => "*",
        Operator::MatMult => "@",
        Operator::Div => "/",
        Operator::Mod => "%",
        Operator::Pow => "**",
        Operator::LShift => "<<",
        Operator::RShift => ">>",
        Operator::BitOr => "|",
        Operator::BitXor => "^",
        Operator::BitAnd => "&",
        Operator::FloorDiv => "//",
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
                    let mut pieces = vec![
                        Piece::Text("_skein_setitem(".into()),
                        Piece::Source(target.value.range()),
                        Piece::Text(", ".into()),
                    ];
                    pieces.extend(key_pieces(&target.slice));
                    pieces.push(Piece::Text(", ".into()));
                    pieces.push(Piece::Source(assign.value.range()));
                    pieces.push(Piece::Text(")".into()));
                    self.edits.push(Edit {
                        range: assign.range,
                        pieces,
                        wraps: false,
                    });
                    self.visit_expr(&target.value);
                    self.visit_expr(&target.slice);
                    self.visit_expr(&assign.value);
                    return;
                }
            }
            Stmt::AugAssign(aug) => {
                if let Expr::Subscript(target) = &*aug.target
                    && simple(&target.value)
                    && simple(&target.slice)
                {
                    let key = key_pieces(&target.slice);
                    let mut pieces = vec![
                        Piece::Text("_skein_setitem(".into()),
                        Piece::Source(target.value.range()),
                        Piece::Text(", ".into()),
                    ];
                    pieces.extend(key.clone());
                    pieces.push(Piece::Text(", _skein_getitem(".into()));
                    pieces.push(Piece::Source(target.value.range()));
                    pieces.push(Piece::Text(", ".into()));
                    pieces.extend(key);
                    pieces.push(Piece::Text(format!(") {} (", operator_text(aug.op))));
                    pieces.push(Piece::Source(aug.value.range()));
                    pieces.push(Piece::Text("))".into()));
                    self.edits.push(Edit {
                        range: aug.range,
                        pieces,
                        wraps: false,
                    });
                    self.visit_expr(&aug.value);
                    return;
                }
            }
            // A Delayed's truth is Dask's TypeError (`prelude/truth.py`).
            Stmt::If(if_stmt) if self.depth == 0 => {
                self.edits
                    .push(Edit::wrap(if_stmt.test.range(), "_skein_truth"));
                for clause in &if_stmt.elif_else_clauses {
                    if let Some(test) = &clause.test {
                        self.edits.push(Edit::wrap(test.range(), "_skein_truth"));
                    }
                }
            }
            Stmt::While(while_stmt) if self.depth == 0 => {
                self.edits
                    .push(Edit::wrap(while_stmt.test.range(), "_skein_truth"));
            }
            Stmt::Delete(delete) => {
                if let Some(edit) = crate::delete::edit(self.text, delete, self.depth == 0) {
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
                let mut pieces = vec![
                    Piece::Text("_skein_getitem(".into()),
                    Piece::Source(subscript.value.range()),
                    Piece::Text(", ".into()),
                ];
                pieces.extend(key_pieces(&subscript.slice));
                pieces.push(Piece::Text(")".into()));
                self.edits.push(Edit {
                    range: subscript.range,
                    pieces,
                    wraps: false,
                });
            }
            Expr::Call(call) => {
                if let Expr::Name(name) = &*call.func {
                    let name_text = name.id.as_str();
                    if name_text == "print" {
                        self.edits
                            .push(Edit::text(name.range, "_skein_print".into()));
                    }
                    if name_text == "next" {
                        self.edits
                            .push(Edit::text(name.range, "_skein_next".into()));
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
            }
            Expr::Compare(compare)
                if self.depth == 0 && compare.ops.len() == 1 && compare.operands.len() == 2 =>
            {
                let op = match compare.ops[0] {
                    CmpOp::Lt => Some("lt"),
                    CmpOp::LtE => Some("le"),
                    CmpOp::Gt => Some("gt"),
                    CmpOp::GtE => Some("ge"),
                    CmpOp::NotEq => Some("ne"),
                    CmpOp::Eq => Some("eq"),
                    _ => None,
                };
                if let Some(op) = op {
                    self.edits.push(Edit {
                        range: compare.range,
                        pieces: vec![
                            Piece::Text(format!("_skein_cmp('{op}', ")),
                            Piece::Source(compare.operands[0].range()),
                            Piece::Text(", ".into()),
                            Piece::Source(compare.operands[1].range()),
                            Piece::Text(")".into()),
                        ],
                        wraps: false,
                    });
                }
            }
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                let depth = self.bound.len();
                let generators: &[ruff_python_ast::Comprehension] = match expr {
                    Expr::ListComp(c) => &c.generators,
                    Expr::SetComp(c) => &c.generators,
                    Expr::DictComp(c) => &c.generators,
                    Expr::Generator(c) => &c.generators,
                    _ => return,
                };
                for generator in generators {
                    let mut names = crate::cell::NameCollector::default();
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

/// Wraps the display of a cell's last expression; a tuple without parentheses
/// (`a, b`) is one argument.
pub(crate) fn display(expr: &Expr) -> Edit {
    match expr {
        Expr::Tuple(tuple) if !tuple.parenthesized => Edit::wrapping(
            tuple.range,
            vec![
                Piece::Text("_skein_display((".into()),
                Piece::Source(tuple.range),
                Piece::Text("))".into()),
            ],
        ),
        other => Edit::wrap(other.range(), "_skein_display"),
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use ruff_text_size::TextSize;

    fn rewrite(source: &str) -> String {
        let parsed = ruff_python_parser::parse_module(source).expect("parses");
        let edits = edits(source, &parsed.syntax().body).edits;
        let all = TextRange::new(TextSize::from(0), TextSize::of(source));
        render(source, all, &edits).as_str().to_owned()
    }

    #[test]
    fn subscripts_read_and_write_through_the_prelude() {
        assert_eq!(rewrite("x = a[i, j]"), "x = _skein_getitem(a, (i, j, ))");
        assert_eq!(
            rewrite("b = t[0:4, ::2]"),
            "b = _skein_getitem(t, (slice(0, 4, None), slice(None, None, 2), ))"
        );
        assert_eq!(
            rewrite("m[r, c] = v[0]"),
            "_skein_setitem(m, (r, c, ), _skein_getitem(v, 0))"
        );
        assert_eq!(
            rewrite("m[k] += 1"),
            "_skein_setitem(m, k, _skein_getitem(m, k) + (1))"
        );
    }

    #[test]
    fn nested_rewrites_compose() {
        assert_eq!(
            rewrite("f = df[df['x'] > 2]"),
            "f = _skein_getitem(df, _skein_cmp('gt', _skein_getitem(df, 'x'), 2))"
        );
        assert_eq!(
            rewrite("for r in grid[1:]:\n    print(r[0])\n"),
            "for r in _skein_for(_skein_getitem(grid, slice(1, None, None))):\n    _skein_print(_skein_getitem(r, 0))\n"
        );
    }

    #[test]
    fn a_displayed_subscript_is_displayed() {
        let parsed = ruff_python_parser::parse_module("r[:5]").expect("parses");
        let mut all = edits("r[:5]", &parsed.syntax().body).edits;
        let last = &parsed.syntax().body[0];
        let Stmt::Expr(last) = last else {
            panic!("an expression")
        };
        all.push(display(&last.value));
        let whole = TextRange::new(TextSize::from(0), TextSize::of("r[:5]"));
        assert_eq!(
            render("r[:5]", whole, &all),
            "_skein_display(_skein_getitem(r, slice(None, 5, None)))"
        );
    }

    #[test]
    fn builtins_that_iterate_take_an_array_s_rows() {
        assert_eq!(
            rewrite("b = list(df.values)\nz = zip(a, range(3))"),
            "b = list(_skein_iterable(df.values))\nz = zip(_skein_iterable(a), range(3))"
        );
    }

    #[test]
    fn functions_keep_their_comparisons_and_annotations() {
        assert_eq!(
            rewrite("def g(a: list[int]) -> dict[str, int]:\n    return a < 1\n"),
            "def g(a: list[int]) -> dict[str, int]:\n    return a < 1\n"
        );
        assert_eq!(
            rewrite("s = sum(p.shape[0] for p in parts)"),
            "s = sum(_skein_getitem(p.shape, 0) for p in _skein_for(parts))"
        );
    }
}
