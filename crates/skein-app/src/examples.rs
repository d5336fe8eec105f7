//! The example notebooks of `web/examples/`, embedded at build time (see `build.rs`): Skein's
//! own `.json` notebooks and Jupyter's `.ipynb` (the two seed notebooks whole), both read by
//! [`Notebook::parse`]. An `.ipynb` example's menu title is its `metadata.title`.

use skein_kernel::Notebook;

/// `(file stem, text)` of every example, in file-name order; the first opens on a first visit.
const EXAMPLES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// `(path relative to web/examples, bytes)` of the data files the examples read
/// (`df-demo.csv`, `data/traffic.npy`): every kernel starts with them, as files beside a
/// notebook on disk would be, so `np.load('data/traffic.npy')` finds its file.
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
        .filter_map(|(id, text)| match Notebook::parse(text) {
            Ok(notebook) => Some(Example { id, notebook }),
            Err(error) => {
                web_sys::console::error_1(&format!("example {id}: {error}").into());
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn every_example_parses_and_the_seed_notebooks_are_listed_by_title() {
        let all = all();
        assert_eq!(all.len(), EXAMPLES.len(), "an example failed to parse");
        let title = |id: &str| {
            all.iter()
                .find(|e| e.id == id)
                .map(|e| e.notebook.title.clone())
        };
        assert_eq!(
            title("parallelizing-your-own-python-algorithms").as_deref(),
            Some("Parallelizing your own Python algorithms (seed notebook)")
        );
        assert_eq!(
            title("embarrassingly-parallel-workloads").as_deref(),
            Some("Embarrassingly parallel workloads (seed notebook)")
        );
        assert_eq!(
            all[0].id, "delayed-basics",
            "the first visit opens the basics"
        );
    }

    #[wasm_bindgen_test]
    fn data_files_ship_under_their_paths_and_the_generator_does_not() {
        let names: Vec<&str> = DATA.iter().map(|(name, _)| *name).collect();
        assert!(names.contains(&"df-demo.csv"), "{names:?}");
        let (_, traffic) = DATA
            .iter()
            .find(|(name, _)| *name == "data/traffic.npy")
            .expect("data/traffic.npy is embedded");
        assert!(traffic.starts_with(b"\x93NUMPY"), "a .npy file");
        // The 16x16 float64 grid is the grid the notebook expects.
        let grid = skein_labs::traffic::load_npy(traffic).expect("a traffic grid");
        assert_eq!(grid.shape(), (16, 16));
        assert!(names.iter().all(|name| !name.ends_with(".py")), "{names:?}");
    }
}
