//! Embeds the example notebooks of `web/examples/`, and the data files beside them (the toy
//! dataframe's `df-demo.csv`), in the app, so opening one needs no fetch.

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/examples");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let entries: String = files
        .iter()
        .map(|path| {
            let name = path.file_stem().unwrap_or_default().to_string_lossy();
            let path = path.canonicalize().unwrap_or_else(|_| path.clone());
            format!(
                "    ({name:?}, include_str!({:?})),\n",
                path.display().to_string()
            )
        })
        .collect();
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out_dir).join("examples.rs");
    std::fs::write(out, format!("&[\n{entries}]")).expect("OUT_DIR is writable");

    let mut data: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| {
                    path.extension()
                        .is_some_and(|ext| ext == "csv" || ext == "npy")
                })
                .collect()
        })
        .unwrap_or_default();
    data.sort();
    let data: String = data
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let path = path.canonicalize().unwrap_or_else(|_| path.clone());
            format!(
                "    ({name:?}, include_bytes!({:?})),\n",
                path.display().to_string()
            )
        })
        .collect();
    let out = Path::new(&out_dir).join("data.rs");
    std::fs::write(out, format!("&[\n{data}]")).expect("OUT_DIR is writable");
}
