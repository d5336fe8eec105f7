//! The browser side of files: the autosaved notebook in `localStorage`, downloads, uploads.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

const AUTOSAVE_KEY: &str = "skein.notebook.v1";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The notebook saved by the last visit, if any.
pub fn load_autosave() -> Option<String> {
    local_storage()?.get_item(AUTOSAVE_KEY).ok().flatten()
}

/// Saves the notebook; a full or disabled storage is not an error worth interrupting for.
pub fn autosave(json: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(AUTOSAVE_KEY, json);
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
