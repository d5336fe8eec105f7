//! Calling function values with call syntax: `sq(3)` for `let sq = delayed(square)`.
//!
//! Rhai calls a function *value* only through `.call(…)`: `f(x)` always looks for a function
//! named `f`. Dask code calls delayed functions like any other (`square(square(3))`,
//! `delayed(multi_sample)(100_000)`), so before parsing, the cell is rewritten:
//!
//! - `name(` becomes `name.call(` when `name` is a variable visible there: declared with
//!   `let`/`const`/`for`, a parameter of the enclosing `fn` or of a closure, or (at the top
//!   level, outside `fn` bodies, which cannot see globals) a variable kept from earlier cells.
//!   As in Python, a variable shadows a function of the same name:
//!   `let sample = delayed(sample); sample()` calls the delayed one.
//! - `)(` and `](` become `).call(` and `].call(` (calling the value of an expression).
//!
//! Rhai's own tokenizer finds the tokens, so strings and comments are never touched. The
//! inserted text shifts later columns on the same line; [`Rewritten`] maps positions back so
//! errors point at what the user wrote.

use std::collections::HashSet;

use rhai::{Engine, Position, Token};

use crate::errors::PositionMap;

const CALL: &str = ".call";

/// A cell's text as parsed, and where `.call` was inserted.
#[derive(Debug)]
pub(crate) struct Rewritten {
    /// The text to parse.
    pub(crate) text: String,
    /// (line, column in `text` where an insertion starts), in text order.
    inserts: Vec<(usize, usize)>,
}

impl PositionMap for Rewritten {
    fn original(&self, pos: Position) -> (Option<usize>, Option<usize>) {
        let (Some(line), Some(col)) = (pos.line(), pos.position()) else {
            return (pos.line(), None);
        };
        let shift: usize = self
            .inserts
            .iter()
            .filter(|&&(l, c)| l == line && c < col)
            .map(|&(_, c)| (col - c).min(CALL.len()))
            .sum();
        (Some(line), Some(col - shift))
    }
}

/// A scope of variable names: the cell's top level, or a `fn` body (which sees nothing
/// outside itself).
struct Frame {
    vars: HashSet<String>,
    /// The brace depth inside the body (`None` for the top level).
    depth: Option<usize>,
}

/// Rewrites variable calls in `source`. `is_global(name)` says whether `name` is a variable
/// kept from earlier cells.
pub(crate) fn rewrite(
    engine: &Engine,
    source: &str,
    is_global: &dyn Fn(&str) -> bool,
) -> Rewritten {
    let tokens = tokenize(engine, source);
    let mut frames = vec![Frame {
        vars: HashSet::new(),
        depth: None,
    }];
    let mut depth = 0_usize;
    let mut fn_params: Option<HashSet<String>> = None;
    // (line, 0-based character index) before which to insert, in the original text.
    let mut at: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (token, pos) = &tokens[i];
        let prev = i.checked_sub(1).map(|p| &tokens[p].0);
        let next = tokens.get(i + 1).map(|t| &t.0);
        let top = frames.len() - 1;
        match token {
            Token::LeftBrace | Token::MapStart => {
                depth += 1;
                if let Some(vars) = fn_params.take() {
                    frames.push(Frame {
                        vars,
                        depth: Some(depth),
                    });
                }
            }
            Token::RightBrace => {
                if frames[top].depth == Some(depth) {
                    frames.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Token::Fn => {
                // fn name(a, b) {: the parameters belong to the body's frame.
                let mut params = HashSet::new();
                let mut j = i + 1;
                while let Some((t, _)) = tokens.get(j) {
                    match t {
                        Token::Identifier(p) if j > i + 1 => {
                            params.insert(p.to_string());
                        }
                        Token::RightParen | Token::LeftBrace => break,
                        _ => {}
                    }
                    j += 1;
                }
                fn_params = Some(params);
                i = j;
                continue;
            }
            Token::Let | Token::Const | Token::For => {
                let mut j = i + 1;
                while let Some((t, _)) = tokens.get(j) {
                    match t {
                        Token::Identifier(name) => {
                            frames[top].vars.insert(name.to_string());
                        }
                        Token::LeftParen | Token::Comma => {}
                        _ => break,
                    }
                    j += 1;
                }
                i = j;
                continue;
            }
            Token::Pipe if !prev.is_some_and(ends_operand) => {
                // A closure's parameters: visible in its body, which also sees the frame.
                let mut j = i + 1;
                while let Some((t, _)) = tokens.get(j) {
                    match t {
                        Token::Identifier(name) => {
                            frames[top].vars.insert(name.to_string());
                        }
                        Token::Comma => {}
                        _ => break,
                    }
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            Token::Identifier(name) if opens_call(next) => {
                let is_method = matches!(
                    prev,
                    Some(Token::Period | Token::Elvis | Token::DoubleColon | Token::Fn)
                );
                let visible = frames[top].vars.contains(name.as_str())
                    || (frames.len() == 1 && is_global(name));
                if !is_method && visible {
                    at.push((pos_line(pos), pos_col(pos) - 1 + name.chars().count()));
                }
            }
            Token::RightParen | Token::RightBracket if opens_call(next) => {
                at.push((pos_line(pos), pos_col(pos)));
            }
            _ => {}
        }
        i += 1;
    }
    insert_calls(source, &at)
}

fn pos_line(pos: &Position) -> usize {
    pos.line().unwrap_or(0)
}

fn pos_col(pos: &Position) -> usize {
    pos.position().unwrap_or(0)
}

/// Whether a token starts an argument list (`()` is a token of its own).
fn opens_call(token: Option<&Token>) -> bool {
    matches!(token, Some(Token::LeftParen | Token::Unit))
}

/// Whether a token can end an operand (so a `|` after it is bitwise-or, not a closure).
fn ends_operand(token: &Token) -> bool {
    matches!(
        token,
        Token::Identifier(_)
            | Token::IntegerConstant(_)
            | Token::FloatConstant(_)
            | Token::StringConstant(_)
            | Token::CharConstant(_)
            | Token::RightParen
            | Token::RightBracket
            | Token::True
            | Token::False
            | Token::Unit
    )
}

/// Every token of `source`, with positions, up to the end or the first lexing error.
fn tokenize(engine: &Engine, source: &str) -> Vec<(Token, Position)> {
    let inputs = [source];
    let (stream, control) = engine.lex(&inputs);
    let mut tokens = Vec::new();
    let mut depth = 0_usize;
    // Brace depths at which an interpolated string `${ … }` continues as text.
    let mut text_resumes_at: Vec<usize> = Vec::new();
    for (token, pos) in stream {
        match token {
            Token::EOF | Token::LexError(_) => break,
            Token::InterpolatedString(_) => text_resumes_at.push(depth),
            Token::LeftBrace | Token::MapStart => depth += 1,
            Token::RightBrace => {
                depth = depth.saturating_sub(1);
                if text_resumes_at.last() == Some(&depth) {
                    text_resumes_at.pop();
                    // What the parser does: the next token continues the string.
                    control.borrow_mut().is_within_text = true;
                }
            }
            _ => {}
        }
        tokens.push((token, pos));
    }
    tokens
}

/// `source` with `.call` inserted before each (line, 0-based character index) of `at`, which
/// are in text order.
fn insert_calls(source: &str, at: &[(usize, usize)]) -> Rewritten {
    let mut text = String::with_capacity(source.len() + at.len() * CALL.len());
    let mut inserts = Vec::with_capacity(at.len());
    let mut pending = at.iter().copied().peekable();
    for (line_index, line) in source.split_inclusive('\n').enumerate() {
        let line_no = line_index + 1;
        let mut shift = 0;
        for (col, ch) in line.chars().enumerate() {
            while let Some((l, c)) = pending.next_if(|&(l, c)| (l, c) <= (line_no, col)) {
                if (l, c) == (line_no, col) {
                    inserts.push((line_no, col + 1 + shift));
                    text.push_str(CALL);
                    shift += CALL.len();
                }
            }
            text.push(ch);
        }
    }
    Rewritten { text, inserts }
}

#[cfg(test)]
mod test {
    use super::*;

    fn rw(source: &str) -> String {
        rewrite(&Engine::new(), source, &|name| name == "kept").text
    }

    #[test]
    fn variables_are_called_functions_are_not() {
        assert_eq!(
            rw("let sq = delayed(square); sq(sq(3))"),
            "let sq = delayed(square); sq.call(sq.call(3))"
        );
        assert_eq!(rw("square(3); kept(1)"), "square(3); kept.call(1)");
        assert_eq!(rw("delayed(f)(1)[0](2)"), "delayed(f).call(1)[0].call(2)");
        assert_eq!(rw("x.f(1); f(1)"), "x.f(1); f(1)");
        assert_eq!(rw("for x in xs { x(1) }"), "for x in xs { x.call(1) }");
        assert_eq!(
            rw("let g = |f, y| f(y); g(|x| x, 1)"),
            "let g = |f, y| f.call(y); g.call(|x| x, 1)"
        );
        assert_eq!(
            rw("print(\"kept(1)\") // kept(2)"),
            "print(\"kept(1)\") // kept(2)"
        );
        assert_eq!(rw("a | b(1)"), "a | b(1)");
    }

    #[test]
    fn fn_bodies_see_only_their_parameters() {
        assert_eq!(
            rw("let s = 1; fn f(g) { g(1) + s(2) + kept(3) } s(4)"),
            "let s = 1; fn f(g) { g.call(1) + s(2) + kept(3) } s.call(4)"
        );
        assert_eq!(
            rw("fn f() { #{a: 1} } let h = 1; h()"),
            "fn f() { #{a: 1} } let h = 1; h.call()"
        );
    }

    #[test]
    fn interpolated_strings_are_left_alone() {
        assert_eq!(
            rw("let f = 1; `a ${f(1)} f(2)`; f(3)"),
            "let f = 1; `a ${f.call(1)} f(2)`; f.call(3)"
        );
    }

    #[test]
    fn positions_map_back() {
        let r = rewrite(&Engine::new(), "let f = 1;\nf(1) + f(2) + x", &|_| false);
        assert_eq!(r.text, "let f = 1;\nf.call(1) + f.call(2) + x");
        // `x` is at column 15 as written, 25 as parsed.
        assert_eq!(r.original(Position::new(2, 25)), (Some(2), Some(15)));
        assert_eq!(r.original(Position::new(2, 1)), (Some(2), Some(1)));
        assert_eq!(r.original(Position::new(1, 5)), (Some(1), Some(5)));
    }
}
