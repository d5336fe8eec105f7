//! The list of completions to pick from, under the caret.

use leptos::prelude::*;

/// Completions offered for the text `text`, replacing its bytes `start..end`.
#[derive(Clone, Debug, PartialEq)]
pub struct Menu {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub matches: Vec<String>,
    pub selected: usize,
}

impl Menu {
    /// Moves the selection by `step`, wrapping around.
    pub fn step(&mut self, step: isize) {
        let n = self.matches.len() as isize;
        self.selected = (self.selected as isize + step).rem_euclid(n.max(1)) as usize;
    }

    /// The line (0-based) and column (in characters) where the replaced name starts.
    fn position(&self) -> (usize, usize) {
        let before = &self.text[..self.start.min(self.text.len())];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (
            before.matches('\n').count(),
            before[line_start..].chars().count(),
        )
    }
}

#[component]
pub fn CompletionMenu(
    /// The menu shown, if any.
    menu: RwSignal<Option<Menu>>,
    /// The textarea's scroll offsets, which the menu follows.
    scroll: RwSignal<(i32, i32)>,
    /// Called with the index of a clicked completion.
    on_pick: Callback<usize>,
) -> impl IntoView {
    move || {
        let shown = menu.get()?;
        let (line, column) = shown.position();
        let (left, top) = scroll.get();
        let style = format!(
            "top: calc(0.5rem + {} * 1.4 * 0.85rem - {top}px); left: calc(0.5rem + {column}ch - {left}px)",
            line + 1
        );
        let items = shown
            .matches
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let class = if i == shown.selected { "selected" } else { "" };
                view! {
                    <li class=class on:mousedown=move |ev| {
                        // Keep the focus (and the caret) in the textarea.
                        ev.prevent_default();
                        on_pick.run(i);
                    }>{name.clone()}</li>
                }
            })
            .collect_view();
        Some(view! { <ul class="completions" data-testid="completions" style=style>{items}</ul> })
    }
}
