//! A cell's top-level comparisons and `if`/`while` tests: `a < b` → `_skein_cmp('lt', a, b)`,
//! a test → `_skein_truth(test)` (see the table in `rewrite.rs`). A comparison of two names or
//! literals runs inline behind a type test, `(x < 0.5 if _skein_type(x) in _skein_scalars else
//! _skein_cmp('lt', x, 0.5))`, since a loop at a cell's top level compares numbers far more
//! often than Series or Delayeds, and two calls a comparison made it ten times slower there.

use ruff_python_ast::{CmpOp, Expr, UnaryOp};
use ruff_text_size::Ranged;

use super::{Edit, Piece};

/// Whether the comparison is an `if`/`while` test, whose value `_skein_truth` checks.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Use {
    Value,
    Test,
}

/// A top-level `if`/`while` test: a comparison's rewrite with the truth check inside, a
/// name tested inline unless it holds a Delayed (whose truth is Dask's `TypeError`), or else
/// `_skein_truth(test)`.
pub(super) fn truth_test(test: &Expr) -> Edit {
    if let Some(edit) = edit(test, Use::Test) {
        return edit;
    }
    if let Expr::Name(_) = test {
        let name = Piece::Source(test.range());
        return Edit::new(
            test.range(),
            vec![
                Piece::Text("(".into()),
                name.clone(),
                Piece::Text(" if _skein_type(".into()),
                name.clone(),
                Piece::Text(") is not _skein_api_Delayed else _skein_truth(".into()),
                name,
                Piece::Text("))".into()),
            ],
        );
    }
    Edit::wrap(test.range(), "_skein_truth")
}

/// The rewrite of `expr` if it is a comparison of one operator `_skein_cmp` takes.
pub(super) fn edit(expr: &Expr, usage: Use) -> Option<Edit> {
    let Expr::Compare(compare) = expr else {
        return None;
    };
    let ([op], [a, b]) = (&compare.ops[..], &compare.operands[..]) else {
        return None;
    };
    let name = op_name(*op)?;
    let call = |pieces: &mut Vec<Piece>| {
        if usage == Use::Test {
            pieces.push(Piece::Text("_skein_truth(".into()));
        }
        pieces.extend([
            Piece::Text(format!("_skein_cmp('{name}', ")),
            Piece::Source(a.range()),
            Piece::Text(", ".into()),
            Piece::Source(b.range()),
            Piece::Text(")".into()),
        ]);
        if usage == Use::Test {
            pieces.push(Piece::Text(")".into()));
        }
    };
    let mut pieces = Vec::new();
    if !(plain(a) && plain(b)) {
        call(&mut pieces);
        return Some(Edit::new(compare.range, pieces));
    }
    // Which operands' types decide: both for an order or equality, the container for `in`.
    let (checked, kinds): (Vec<&Expr>, &str) = match op {
        CmpOp::In | CmpOp::NotIn => (vec![b], "_skein_containers"),
        _ => (vec![a, b], "_skein_scalars"),
    };
    let checks: Vec<&Expr> = checked
        .into_iter()
        .filter(|e| matches!(e, Expr::Name(_)))
        .collect();
    pieces.extend([
        Piece::Text("(".into()),
        Piece::Source(a.range()),
        Piece::Text(format!(" {} ", op.as_str())),
        Piece::Source(b.range()),
    ]);
    if !checks.is_empty() {
        pieces.push(Piece::Text(" if ".into()));
        for (i, e) in checks.iter().enumerate() {
            if i > 0 {
                pieces.push(Piece::Text(" and ".into()));
            }
            pieces.extend([
                Piece::Text("_skein_type(".into()),
                Piece::Source(e.range()),
                Piece::Text(format!(") in {kinds}")),
            ]);
        }
        pieces.push(Piece::Text(" else ".into()));
        call(&mut pieces);
    }
    pieces.push(Piece::Text(")".into()));
    Some(Edit::new(compare.range, pieces))
}

fn op_name(op: CmpOp) -> Option<&'static str> {
    match op {
        CmpOp::Lt => Some("lt"),
        CmpOp::LtE => Some("le"),
        CmpOp::Gt => Some("gt"),
        CmpOp::GtE => Some("ge"),
        CmpOp::NotEq => Some("ne"),
        CmpOp::Eq => Some("eq"),
        CmpOp::In => Some("in"),
        CmpOp::NotIn => Some("not in"),
        CmpOp::Is | CmpOp::IsNot => None,
    }
}

/// A name or a literal: read twice, it is the same value, and it holds no rewrite.
fn plain(e: &Expr) -> bool {
    match e {
        Expr::Name(_)
        | Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_) => true,
        Expr::UnaryOp(u) => {
            matches!(u.op, UnaryOp::USub | UnaryOp::UAdd)
                && matches!(*u.operand, Expr::NumberLiteral(_))
        }
        _ => false,
    }
}
