//! The browser side of files: the autosaved notebooks in `localStorage`, the URL fragment,
//! the clipboard, downloads, uploads.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Where a notebook is autosaved: the user's own, or one opened from a share link, which is
/// kept apart so that opening a link never overwrites the user's work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Own,
    FromLink,
}

impl Slot {
    fn key(self) -> &'static str {
        match self {
            Slot::Own => "skein.notebook.v1",
            Slot::FromLink => "skein.shared.v1",
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The user's own notebook as the last visit left it, if any.
pub fn load_own() -> Option<String> {
    local_storage()?.get_item(Slot::Own.key()).ok().flatten()
}

/// Saves the notebook in `slot`; a full or disabled storage is not an error worth
/// interrupting for.
pub fn autosave(slot: Slot, json: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(slot.key(), json);
    }
}

/// The page URL's fragment (`#…`), or an empty string.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page's URL without its fragment.
pub fn page_url() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let href = location.href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

/// Drops the fragment from the address bar without reloading or adding a history entry.
pub fn clear_fragment() {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&page_url()));
    }
}

/// Puts `text` on the clipboard; browsers refuse without a user gesture, which the caller had.
pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    Url::revoke_object_url(&url)
}

/// Reads the bytes of a file the user picked.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, JsValue> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
