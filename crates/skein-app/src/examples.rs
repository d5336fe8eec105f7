//! The example notebooks of `web/examples/`, embedded at build time (see `build.rs`).

use skein_kernel::Notebook;

/// `(file stem, JSON)` of every example, in file-name order; the first opens on a first visit.
const EXAMPLES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// `(file name, bytes)` of the data files the examples read (`df-demo.csv`): every kernel
/// starts with them, as files beside a notebook on disk would be.
pub const DATA: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/data.rs"));

/// One example notebook for the menu.
pub struct Example {
    pub id: &'static str,
    pub notebook: Notebook,
}

/// Every example that parses; a broken file is reported in the console, not fatal.
pub fn all() -> Vec<Example> {
    EXAMPLES
        .iter()
        .filter_map(|(id, json)| match Notebook::parse(json) {
            Ok(notebook) => Some(Example { id, notebook }),
            Err(error) => {
                web_sys::console::error_1(&format!("example {id}: {error}").into());
                None
            }
        })
        .collect()
}
