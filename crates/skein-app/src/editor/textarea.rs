//! Edits made the way typing makes them, so the textarea's own undo history keeps them.

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;

use super::offsets::{byte_of, units_of};

/// The caret as a byte offset, when nothing is selected.
pub fn caret(area: &HtmlTextAreaElement) -> Option<usize> {
    let start = area.selection_start().ok().flatten()?;
    let end = area.selection_end().ok().flatten()?;
    (start == end).then(|| byte_of(&area.value(), start))
}

/// Whether Tab indents here rather than completes: a selection, or nothing but whitespace
/// before the caret on its line, or whitespace just before it — as in Jupyter.
pub fn tab_indents(area: &HtmlTextAreaElement) -> bool {
    let Some(caret) = caret(area) else {
        return true;
    };
    let text = area.value();
    let line = &text[text[..caret].rfind('\n').map_or(0, |i| i + 1)..caret];
    line.trim().is_empty() || line.ends_with(char::is_whitespace)
}

/// Types `text` over the selection: through `insertText`, which the browser records for
/// Ctrl+Z and answers with an `input` event; a direct edit if the browser refuses.
pub fn type_text(area: &HtmlTextAreaElement, text: &str) {
    let typed = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, text)
                .ok()
        })
        .unwrap_or(false);
    if !typed {
        let start = area.selection_start().ok().flatten().unwrap_or(0);
        let end = area.selection_end().ok().flatten().unwrap_or(start);
        let _ = area.set_range_text_with_start_and_end_and_mode(text, start, end, "end");
        let _ = area.dispatch_event(&web_sys::Event::new("input").unwrap());
    }
}

/// Replaces bytes `start..end` of the textarea's text with `text`, as typing would.
pub fn replace(area: &HtmlTextAreaElement, start: usize, end: usize, text: &str) {
    let value = area.value();
    let _ = area.set_selection_range(units_of(&value, start), units_of(&value, end));
    type_text(area, text);
}
