//! The code editor: a monospace textarea with line numbers over a highlighted copy of its
//! text (`highlight`), long lines scrolling sideways, the bracket beside the caret matched
//! (`brackets`), Tab to complete a name through the kernel (`menu`) or to indent,
//! Shift+Enter to run and move on, Ctrl+Enter to run in place.
//!
//! The textarea keeps its own value and undo history: the page writes into it only when the
//! source changes from outside (a notebook loaded), and edits the editor makes are typed
//! (`textarea`), so Ctrl+Z undoes them and running a cell leaves the history alone.

mod brackets;
mod highlight;
mod menu;
mod offsets;
mod textarea;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;

use crate::kernel::Kernel;
use menu::{CompletionMenu, Menu};

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
    /// The kernel that completes names, once it is up.
    #[prop(into)]
    kernel: Signal<Option<Kernel>>,
    /// Set to focus this editor.
    #[prop(optional)]
    node_ref: NodeRef<leptos::html::Textarea>,
) -> impl IntoView {
    // Where the caret is (bytes) while the editor has it and nothing is selected.
    let caret = RwSignal::new(None::<usize>);
    let scroll = RwSignal::new((0, 0));
    let menu = RwSignal::new(None::<Menu>);
    Effect::new(move || {
        let text = source.get();
        if let Some(area) = node_ref.get()
            && area.value() != text
        {
            area.set_value(&text);
        }
    });
    let line_count =
        move || source.with(|s| s.lines().count().max(1) + usize::from(s.ends_with('\n')));
    let highlighted = move || {
        source.with(|text| {
            let marked = caret
                .get()
                .and_then(|c| brackets::matching(text, c))
                .map_or_else(Vec::new, |(a, b)| vec![a, b]);
            highlight::html(text, &marked)
        })
    };
    let pick = move |area: &HtmlTextAreaElement, index: usize| {
        let Some(shown) = menu.get_untracked() else {
            return;
        };
        menu.set(None);
        if let Some(name) = shown.matches.get(index)
            && area.value() == shown.text
        {
            textarea::replace(area, shown.start, shown.end, name);
        }
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let Some(area) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
        else {
            return;
        };
        if let Some(shown) = menu.get_untracked() {
            let handled = match ev.key().as_str() {
                "ArrowDown" => {
                    menu.update(|m| m.as_mut().map_or((), |m| m.step(1)));
                    true
                }
                "ArrowUp" => {
                    menu.update(|m| m.as_mut().map_or((), |m| m.step(-1)));
                    true
                }
                "Enter" | "Tab" => {
                    pick(&area, shown.selected);
                    true
                }
                "Escape" => {
                    menu.set(None);
                    true
                }
                _ => false,
            };
            if handled {
                ev.prevent_default();
                return;
            }
        }
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
                if textarea::tab_indents(&area) {
                    textarea::type_text(&area, INDENT);
                } else if let (Some(kernel), Some(at)) =
                    (kernel.get_untracked(), textarea::caret(&area))
                {
                    spawn_local(complete(kernel, area, at, menu));
                }
            }
            _ => {}
        }
    };
    let track = move |ev: leptos::ev::Event| {
        if let Some(area) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
        {
            caret.set(textarea::caret(&area));
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
            <div class="code-column">
                <div class="code-wrap">
                    <pre
                        class="highlight"
                        aria-hidden="true"
                        style:transform=move || {
                            let (left, top) = scroll.get();
                            format!("translate({}px, {}px)", -left, -top)
                        }
                        inner_html=highlighted
                    ></pre>
                    <textarea
                        node_ref=node_ref
                        class="code"
                        spellcheck="false"
                        autocapitalize="off"
                        wrap="off"
                        rows=line_count
                        on:input=move |ev| {
                            source.set(event_target_value(&ev));
                            menu.set(None);
                            track(ev);
                        }
                        on:keydown=on_keydown
                        on:keyup=move |ev| track(ev.into())
                        on:click=move |ev| track(ev.into())
                        on:focus=move |ev| track(ev.into())
                        on:blur=move |_| {
                            caret.set(None);
                            menu.set(None);
                        }
                        on:scroll=move |ev| {
                            if let Some(area) = ev
                                .target()
                                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
                            {
                                scroll.set((area.scroll_left(), area.scroll_top()));
                            }
                        }
                    ></textarea>
                </div>
                <CompletionMenu
                    menu
                    scroll
                    on_pick=Callback::new(move |i| {
                        if let Some(area) = node_ref.get_untracked() {
                            pick(&area, i);
                        }
                    })
                />
            </div>
        </div>
    }
}

/// Asks the kernel for the completions at byte `at` and applies them, unless the user
/// typed on meanwhile: one match is typed in, several open the menu.
async fn complete(
    kernel: Kernel,
    area: HtmlTextAreaElement,
    at: usize,
    menu: RwSignal<Option<Menu>>,
) {
    let text = area.value();
    let completion = kernel.complete(text.clone(), at).await;
    if area.value() != text || textarea::caret(&area) != Some(at) {
        return;
    }
    match completion.matches.as_slice() {
        [] => {}
        [only] => textarea::replace(&area, completion.start, at, only),
        _ => menu.set(Some(Menu {
            text,
            start: completion.start,
            end: at,
            matches: completion.matches,
            selected: 0,
        })),
    }
}
