//! The page's side of share links: the panel that shows a notebook's link (or why it cannot
//! have one), and the banner over a notebook opened from a link, which leads back to the
//! user's own.

use leptos::prelude::*;

use crate::share;
use crate::storage;

/// What the Share button produced: a link to copy, or why there is none.
pub type Shared = Result<String, String>;

/// The link for `notebook`, or the reason it cannot be one.
pub fn share(notebook: &skein_kernel::Notebook) -> Shared {
    share::to_fragment(notebook)
        .map(|fragment| format!("{}{fragment}", storage::page_url()))
        .map_err(|error| error.to_string())
}

/// The panel under the toolbar after Share: the link, selected and copied, with its size.
#[component]
pub fn SharePanel(
    /// The last share; `None` hides the panel.
    shared: RwSignal<Option<Shared>>,
) -> impl IntoView {
    move || {
        shared.get().map(|result| {
            let body = match result {
                Ok(link) => {
                    let size = format!(
                        "{:.1} KB link: the sources only, nothing is uploaded.",
                        link.len() as f64 / 1024.0
                    );
                    let copy = link.clone();
                    view! {
                        <input data-testid="share-link" readonly prop:value=link on:focus=|ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        } />
                        <button on:click=move |_| storage::copy_to_clipboard(&copy)>"Copy"</button>
                        <span class="hint">{size}</span>
                    }
                    .into_any()
                }
                Err(why) => view! { <span data-testid="share-error" class="error">{why}</span> }.into_any(),
            };
            view! {
                <div class="share-panel" data-testid="share-panel">
                    {body}
                    <button class="icon" title="Close" on:click=move |_| shared.set(None)>"✕"</button>
                </div>
            }
        })
    }
}

/// Over a notebook opened from a link: says the user's own notebook is safe and leads back.
#[component]
pub fn LinkBanner(
    /// Called when the user asks for their own notebook back.
    on_back: Callback<()>,
) -> impl IntoView {
    view! {
        <p class="banner link-banner" data-testid="link-banner">
            "This notebook was opened from a link; your own notebook is kept as it was. "
            <button data-testid="back-to-own" on:click=move |_| on_back.run(())>"Open my notebook"</button>
        </p>
    }
}
