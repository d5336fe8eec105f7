//! Embeds the example notebooks of `web/examples/` (Skein's `.json` and Jupyter's `.ipynb`,
//! top level only) in the app, and the data files they read (`.csv`, `.npy`, in folders too:
//! `df-demo.csv`, `data/traffic.npy`), so opening or running one needs no fetch.

// A build script's failure is the build's: cargo shows the panic's message as the error.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

/// Every file under `dir`, named by its `/`-separated path relative to `dir`, sorted by name.
fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for path in entries.filter_map(Result::ok).map(|entry| entry.path()) {
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let name = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((name, path));
            }
        }
    }
    files.sort();
    files
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| extensions.contains(&ext))
}

/// `&[(name, include_…!("path")), …]`, the text `include!` reads back in `examples.rs`.
fn table<'a>(entries: impl Iterator<Item = (String, &'a Path)>, include: &str) -> String {
    let rows: String = entries
        .map(|(name, path)| {
            let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
            format!(
                "    ({name:?}, {include}!({:?})),\n",
                path.display().to_string()
            )
        })
        .collect();
    format!("&[\n{rows}]")
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/examples");
    // Cargo watches a directory's whole tree, so files added to `data/` rebuild too.
    println!("cargo:rerun-if-changed={}", dir.display());
    let files = files_under(&dir);

    let notebooks: Vec<(String, &Path)> = files
        .iter()
        .filter(|(name, path)| !name.contains('/') && has_extension(path, &["json", "ipynb"]))
        .map(|(_, path)| {
            let id = path.file_stem().unwrap_or_default().to_string_lossy();
            (id.into_owned(), path.as_path())
        })
        .collect();
    // The menu finds an example by its id, the file stem: two files must not share one.
    for (i, (id, path)) in notebooks.iter().enumerate() {
        if let Some((_, other)) = notebooks[..i].iter().find(|(earlier, _)| earlier == id) {
            panic!(
                "examples {} and {} share the id {id:?}; rename one",
                other.display(),
                path.display()
            );
        }
    }
    let data = files
        .iter()
        .filter(|(_, path)| has_extension(path, &["csv", "npy"]))
        .map(|(name, path)| (name.clone(), path.as_path()));

    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out_dir = Path::new(&out_dir);
    std::fs::write(
        out_dir.join("examples.rs"),
        table(notebooks.into_iter(), "include_str"),
    )
    .expect("OUT_DIR is writable");
    std::fs::write(out_dir.join("data.rs"), table(data, "include_bytes"))
        .expect("OUT_DIR is writable");
}
