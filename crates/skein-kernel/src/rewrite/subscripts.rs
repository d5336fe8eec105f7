//! Subscripts as calls to the prelude: `a[i, j]` → `_skein_getitem(a, (i, j, ))`,
//! `a[i] = v` → `_skein_setitem(a, i, v)`, `a[k] += v` → `_skein_setitem(a, k,
//! _skein_getitem(a, k) + (v))`. An array's `[]` runs Rust, which Monty 1.4 only allows in a
//! method called as a method, not in a `__getitem__` it calls itself.

use ruff_python_ast::{Expr, ExprSubscript, Operator, StmtAssign, StmtAugAssign};
use ruff_text_size::Ranged;

use super::{Edit, Piece};

/// `a[k]` read. When `a` is a name and `k` plain, a list's `[]` runs inline:
/// `(a[k] if _skein_type(a) is _skein_list else _skein_getitem(a, k))`, a test where a call
/// cost several times the subscript itself (`k` is still evaluated once: one branch runs; a
/// key with subscripts or calls inside keeps the call, so nested keys are not written twice
/// over at each level).
pub(super) fn getitem(subscript: &ExprSubscript) -> Edit {
    let value = Piece::Source(subscript.value.range());
    let key = key_pieces(&subscript.slice);
    let inline = matches!(*subscript.value, Expr::Name(_)) && simple(&subscript.slice);
    let mut pieces = Vec::new();
    if inline {
        pieces.extend([
            Piece::Text("(".into()),
            value.clone(),
            Piece::Text("[".into()),
        ]);
        pieces.extend(key.clone());
        pieces.extend([
            Piece::Text("] if _skein_type(".into()),
            value.clone(),
            Piece::Text(") is _skein_list else ".into()),
        ]);
    }
    pieces.extend([
        Piece::Text("_skein_getitem(".into()),
        value,
        Piece::Text(", ".into()),
    ]);
    pieces.extend(key);
    pieces.push(Piece::Text(")".into()));
    if inline {
        pieces.push(Piece::Text(")".into()));
    }
    Edit::new(subscript.range, pieces)
}

/// `a[k] = v`, whose target is `target`.
pub(super) fn setitem(assign: &StmtAssign, target: &ExprSubscript) -> Edit {
    let mut pieces = vec![
        Piece::Text("_skein_setitem(".into()),
        Piece::Source(target.value.range()),
        Piece::Text(", ".into()),
    ];
    pieces.extend(key_pieces(&target.slice));
    pieces.push(Piece::Text(", ".into()));
    pieces.push(Piece::Source(assign.value.range()));
    pieces.push(Piece::Text(")".into()));
    Edit::new(assign.range, pieces)
}

/// `a[k] op= v`, whose target is `target`, or `None` when evaluating `a` or `k` twice could
/// differ from evaluating them once.
pub(super) fn aug_setitem(aug: &StmtAugAssign, target: &ExprSubscript) -> Option<Edit> {
    if !(simple(&target.value) && simple(&target.slice)) {
        return None;
    }
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
    Some(Edit::new(aug.range, pieces))
}

/// A subscript's index as an expression: slices become `slice(…)` calls, `a[i, j]`'s
/// index the tuple `(i, j, )`.
pub(super) fn key_pieces(slice: &Expr) -> Vec<Piece> {
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
