//! The `del` statement, which Monty 1.4's parser refuses ("does not yet support the 'del'
//! statement"), as text Monty runs on the same line:
//!
//! - `del d[k]`, `del lst[i]`, `del lst[a:b]` → `_skein_delitem(d, k)` (`prelude/delete.py`,
//!   Python's errors);
//! - `del name` at a cell's top level → `name; exec(…)` where the `exec`'d snippet binds the
//!   name in an `except … as name:` clause, which Python (and Monty) unbind when the clause
//!   ends: the one way Monty has to remove a global. `name;` first gives Python's
//!   `NameError` for a name that is not bound.
//!
//! A `del` inside a function, or of an attribute, stays as written (Monty reports it).

use ruff_python_ast::{Expr, StmtDelete};
use ruff_text_size::Ranged;

use super::subscripts::key_pieces;
use super::{Edit, Piece};

/// The rewrite of `del …` in `text`, or `None` if one of its targets has none. `top_level`
/// says the statement is not inside a `def` or `class`.
pub(crate) fn edit(text: &str, stmt: &StmtDelete, top_level: bool) -> Option<Edit> {
    // A name's rewrite is one line: a `del` of names spread over lines (`del a, \⏎ b`) would
    // move the lines after it.
    let one_line = text
        .get(usize::from(stmt.range.start())..usize::from(stmt.range.end()))
        .is_some_and(|s| !s.contains('\n'));
    let mut pieces = Vec::new();
    for (index, target) in stmt.targets.iter().enumerate() {
        if index > 0 {
            pieces.push(Piece::Text("; ".into()));
        }
        match target {
            Expr::Subscript(subscript) => {
                pieces.push(Piece::Text("_skein_delitem(".into()));
                pieces.push(Piece::Source(subscript.value.range()));
                pieces.push(Piece::Text(", ".into()));
                pieces.extend(key_pieces(&subscript.slice));
                pieces.push(Piece::Text(")".into()));
            }
            Expr::Name(name) if top_level && one_line => {
                let name = name.id.as_str();
                pieces.push(Piece::Text(format!(
                    "{name}; exec('try:\\n    raise BaseException()\\nexcept BaseException as {name}:\\n    pass\\n')"
                )));
            }
            _ => return None,
        }
    }
    Some(Edit::new(stmt.range, pieces))
}

#[cfg(test)]
mod test {
    use super::super::test::cell;

    #[test]
    fn del_becomes_calls_on_the_same_line() {
        let (text, _) = cell("del d[k], x\ny = 1\n");
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("_skein_delitem(d, k); x; exec("),
            "{text}"
        );
        assert_eq!(lines[1], "y = 1");
        // Inside a function a name stays as written: Monty reports it.
        let (text, _) = cell("def f():\n    del x\n");
        assert_eq!(text, "def f():\n    del x\n");
    }
}
