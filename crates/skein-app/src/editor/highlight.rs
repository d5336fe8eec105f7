//! Python syntax highlighting with Ruff's lexer (the one Monty already compiles in): the
//! cell's text as HTML spans whose classes the stylesheet colours as Jupyter does, laid
//! under the transparent text of the editor's textarea.

use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{Mode, lexer};
use skein_kernel::BUILTIN_FUNCTIONS;

/// A highlighted stretch of the text: bytes `start..end` and the CSS class they take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub class: &'static str,
}

/// The spans of `source` that take a colour, in order. Text the lexer cannot read (an
/// unterminated string while typing) is left plain.
pub fn spans(source: &str) -> Vec<Span> {
    let mut lexer = lexer::lex(source, Mode::Module);
    let mut spans = Vec::new();
    let mut after_def = false;
    loop {
        let kind = lexer.next_token();
        if kind == TokenKind::EndOfFile {
            break;
        }
        let range = lexer.current_range();
        let (start, end) = (range.start().to_usize(), range.end().to_usize());
        let text = source.get(start..end).unwrap_or_default();
        let class = match kind {
            TokenKind::Name if after_def => Some("def"),
            TokenKind::Name if BUILTIN_FUNCTIONS.contains(&text) => Some("builtin"),
            TokenKind::Int | TokenKind::Float | TokenKind::Complex => Some("num"),
            TokenKind::String
            | TokenKind::FStringStart
            | TokenKind::FStringMiddle
            | TokenKind::FStringEnd
            | TokenKind::TStringStart
            | TokenKind::TStringMiddle
            | TokenKind::TStringEnd => Some("str"),
            TokenKind::Comment => Some("com"),
            TokenKind::At => Some("deco"),
            k if k.is_keyword() => Some("kw"),
            k if k.is_operator() => Some("op"),
            _ => None,
        };
        after_def = matches!(kind, TokenKind::Def | TokenKind::Class);
        if let Some(class) = class
            && start < end
            && end <= source.len()
        {
            spans.push(Span { start, end, class });
        }
    }
    spans
}

/// `source` as HTML: the [`spans`] as `<span class="tok-…">`, the bytes in `marked` (a
/// matched bracket pair) wrapped in `<span class="bracket-match">`, everything escaped.
pub fn html(source: &str, marked: &[usize]) -> String {
    let mut out = String::with_capacity(source.len() * 2);
    let mut at = 0;
    let put = |out: &mut String, text_start: usize, text_end: usize| {
        let mut from = text_start;
        for &m in marked
            .iter()
            .filter(|&&m| (text_start..text_end).contains(&m))
        {
            escape(out, &source[from..m]);
            out.push_str("<span class=\"bracket-match\">");
            escape(out, &source[m..m + 1]);
            out.push_str("</span>");
            from = m + 1;
        }
        escape(out, &source[from..text_end]);
    };
    for span in spans(source) {
        if span.start < at || !source.is_char_boundary(span.start) {
            continue;
        }
        put(&mut out, at, span.start);
        out.push_str("<span class=\"tok-");
        out.push_str(span.class);
        out.push_str("\">");
        put(&mut out, span.start, span.end);
        out.push_str("</span>");
        at = span.end;
    }
    put(&mut out, at, source.len());
    // A final newline shows as an empty line in the textarea, not in a `<pre>`.
    out.push('\n');
    out
}

fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use wasm_bindgen_test::*;

    fn classes(source: &str) -> Vec<(&str, &'static str)> {
        spans(source)
            .into_iter()
            .map(|s| (&source[s.start..s.end], s.class))
            .collect()
    }

    #[wasm_bindgen_test]
    fn keywords_strings_comments_numbers_and_builtins_take_their_classes() {
        let got = classes("def f(x):\n    return len('a') + 1.5  # done\n");
        for want in [
            ("def", "kw"),
            ("f", "def"),
            ("return", "kw"),
            ("len", "builtin"),
            ("'a'", "str"),
            ("1.5", "num"),
            ("# done", "com"),
            ("+", "op"),
        ] {
            assert!(got.contains(&want), "{want:?} in {got:?}");
        }
    }

    #[wasm_bindgen_test]
    fn unfinished_text_highlights_what_it_can_and_escapes_the_rest() {
        let html = html("if a < b:\n    s = 'open", &[]);
        assert!(html.contains("<span class=\"tok-kw\">if</span>"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
    }

    #[wasm_bindgen_test]
    fn marked_brackets_are_wrapped() {
        let html = html("f(x)", &[1, 3]);
        assert_eq!(html.matches("bracket-match").count(), 2, "{html}");
    }
}
