//! The code editor: a monospace textarea with line numbers, Tab to indent, Shift+Enter to run
//! and move on, Ctrl+Enter to run in place.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;

const INDENT: &str = "    ";

/// How the user asked to run a cell from the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKey {
    /// Shift+Enter: run, then move to the next cell.
    AndAdvance,
    /// Ctrl+Enter: run and stay.
    InPlace,
}

#[component]
pub fn Editor(
    /// The text being edited.
    source: RwSignal<String>,
    /// A line to mark (1-based), such as where an error was raised.
    #[prop(into)]
    marked_line: Signal<Option<usize>>,
    /// Called when the user runs the cell from the keyboard.
    on_run: Callback<RunKey>,
    /// Set to focus this editor.
    #[prop(optional)]
    node_ref: NodeRef<leptos::html::Textarea>,
) -> impl IntoView {
    let line_count =
        move || source.with(|s| s.lines().count().max(1) + usize::from(s.ends_with('\n')));
    let on_keydown = move |ev: KeyboardEvent| {
        let Some(area) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
        else {
            return;
        };
        match ev.key().as_str() {
            "Enter" if ev.shift_key() => {
                ev.prevent_default();
                on_run.run(RunKey::AndAdvance);
            }
            "Enter" if ev.ctrl_key() || ev.meta_key() => {
                ev.prevent_default();
                on_run.run(RunKey::InPlace);
            }
            "Tab" if !ev.shift_key() => {
                ev.prevent_default();
                let _ = area.set_range_text_with_start_and_end_and_mode(
                    INDENT,
                    area.selection_start().ok().flatten().unwrap_or(0),
                    area.selection_end().ok().flatten().unwrap_or(0),
                    "end",
                );
                source.set(area.value());
            }
            _ => {}
        }
    };
    view! {
        <div class="editor">
            <pre class="gutter" aria-hidden="true">
                {move || {
                    let marked = marked_line.get();
                    (1..=line_count())
                        .map(|n| {
                            let class = if Some(n) == marked { "line marked" } else { "line" };
                            view! { <span class=class>{n}</span> }
                        })
                        .collect_view()
                }}
            </pre>
            <textarea
                node_ref=node_ref
                class="code"
                spellcheck="false"
                autocapitalize="off"
                rows=line_count
                prop:value=move || source.get()
                on:input=move |ev| source.set(event_target_value(&ev))
                on:keydown=on_keydown
            ></textarea>
        </div>
    }
}
