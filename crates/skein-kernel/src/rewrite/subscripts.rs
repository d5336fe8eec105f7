//! Subscripts as calls to the prelude: `a[i, j]` → `_skein_getitem(a, (i, j, ))`,
//! `a[i] = v` → `_skein_setitem(a, i, v)`, `a[k] += v` → `_skein_setitem(a, k,
//! _skein_getitem(a, k) + (v))`. An array's `[]` runs Rust, which Monty 1.4 only allows in a
//! method called as a method, not in a `__getitem__` it calls itself.

use ruff_python_ast::{Expr, ExprSubscript, Operator, StmtAssign, StmtAugAssign};
use ruff_text_size::Ranged;

use super::{Edit, Piece};

/// `a[k]` read.
pub(super) fn getitem(subscript: &ExprSubscript) -> Edit {
    let mut pieces = vec![
        Piece::Text("_skein_getitem(".into()),
        Piece::Source(subscript.value.range()),
        Piece::Text(", ".into()),
    ];
    pieces.extend(key_pieces(&subscript.slice));
    pieces.push(Piece::Text(")".into()));
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
