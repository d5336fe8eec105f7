//! [`Edit`]s, the rewrites of ranges of a cell's text, and [`render`], which applies them,
//! nested, to a range of the text.

use ruff_text_size::TextRange;

use super::RewrittenSource;

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
    pub(super) fn wrap(range: TextRange, name: &str) -> Edit {
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
