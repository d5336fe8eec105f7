//! The top-level modules of `skein-core` and `skein-kernel` must not reference each other in
//! a circle (`crate::a` in `b.rs` and `crate::b` in `a.rs`, or longer circles): a circle
//! means neither module can be read, tested or moved without the other.
//!
//! A module is a `src/<name>.rs` file or a `src/<name>/` directory (all its files count as
//! the one module). A reference is `crate::<name>` or a name in a `use crate::{…}` group,
//! outside `//` comments. Every edge inside a strongly connected component is a circle's;
//! those not in [`ALLOWED`] fail the test, and so do entries of [`ALLOWED`] that no longer
//! close a circle (the list only shrinks).
//!
//! The same scan checks `skein-kernel`'s layers (ARCHITECTURE.md, "Layers"): the front end
//! ([`FRONT_END`]) only transforms text and the notebook formats ([`FORMATS`]) only read and
//! write files, so neither names Monty's crates nor a module outside its own layer but the
//! shared leaves ([`SHARED`], which use no module at all), except for the references in
//! [`LAYER_BREAKS`] (a list that also only shrinks).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Circles known when this test was written (issue 22), as the edges that close them:
/// `(crate, from, to)`. Remove an entry when its circle is broken; never add one.
const ALLOWED: &[(&str, &str, &str)] = &[];

/// `skein-kernel`'s front end: cell text in, rewritten text and definitions out.
const FRONT_END: &[&str] = &["cell", "rewrite", "capture", "magics"];

/// `skein-kernel`'s notebook formats: Skein's JSON, Jupyter's `.ipynb`, the export to Dask.
const FORMATS: &[&str] = &["notebook", "ipynb", "export"];

/// Leaves every layer may use: Python syntax helpers that use no other module of the crate
/// and none of Monty's crates.
const SHARED: &[&str] = &["names", "lab_names", "python_builtins"];

/// References that break a layer's rule today, as `(from, to)`, `to` being `monty` for a use
/// of Monty's crates. Remove an entry when its reference goes; never add one.
const LAYER_BREAKS: &[(&str, &str)] = &[];

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path()
        })
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each top-level module of `src` and the files that make it up.
fn modules(src: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in std::fs::read_dir(src).unwrap_or_else(|e| panic!("{}: {e}", src.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.is_dir() {
            let mut files = Vec::new();
            rust_files(&path, &mut files);
            modules.entry(stem.to_owned()).or_default().extend(files);
        } else if path.extension().is_some_and(|e| e == "rs") && !["lib", "main"].contains(&stem) {
            modules.entry(stem.to_owned()).or_default().push(path);
        }
    }
    modules
}

fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The module names `text` references through `crate::`.
fn references(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = code[at + "crate::".len()..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            // The names at the group's first level: `use crate::{a, b::{c, d}}` names a, b.
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        found.insert(identifier(&group[i..]).to_owned());
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(identifier(rest).to_owned());
        }
    }
    found
}

/// Whether `text` names one of Monty's crates (`monty::`, `monty_types::`, …) outside `//`
/// comments.
fn names_monty(text: &str) -> bool {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .any(|code| {
            code.match_indices("monty").any(|(at, _)| {
                let before = code[..at].chars().next_back();
                let path = identifier(&code[at..]);
                !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    && code[at + path.len()..].starts_with("::")
            })
        })
}

fn graph(src: &Path) -> Graph {
    let modules = modules(src);
    let mut graph = Graph::new();
    for (name, files) in &modules {
        let edges = graph.entry(name.clone()).or_default();
        for file in files {
            let text =
                std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            for target in references(&text) {
                if modules.contains_key(&target) && &target != name {
                    edges.insert(target);
                }
            }
        }
    }
    graph
}

/// The strongly connected components of more than one module (Tarjan's algorithm).
fn circles(graph: &Graph) -> Vec<BTreeSet<String>> {
    struct Walk<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        found: Vec<BTreeSet<String>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, v: &'g str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            for w in &self.graph[v] {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.stack.contains(&w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = BTreeSet::new();
                while let Some(w) = self.stack.pop() {
                    component.insert(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

/// The edges that close circles in `krate`'s `src`, as `(from, to)`.
fn circle_edges(src: &Path) -> (Vec<BTreeSet<String>>, BTreeSet<(String, String)>) {
    let graph = graph(src);
    let components = circles(&graph);
    let mut edges = BTreeSet::new();
    for component in &components {
        for from in component {
            for to in graph[from].intersection(component) {
                edges.insert((from.clone(), to.clone()));
            }
        }
    }
    (components, edges)
}

#[test]
fn top_level_modules_reference_each_other_in_no_new_circle() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut report = Vec::new();
    for krate in ["skein-core", "skein-kernel"] {
        let (components, edges) = circle_edges(&crates.join(krate).join("src"));
        let allowed: BTreeSet<(String, String)> = ALLOWED
            .iter()
            .filter(|(c, _, _)| *c == krate)
            .map(|(_, from, to)| ((*from).to_owned(), (*to).to_owned()))
            .collect();
        for (from, to) in edges.difference(&allowed) {
            let component = components.iter().find(|c| c.contains(from));
            report.push(format!(
                "{krate}: `{from}` uses `crate::{to}`, closing a circle among {component:?}"
            ));
        }
        for (from, to) in allowed.difference(&edges) {
            report.push(format!(
                "{krate}: `{from}` → `{to}` no longer closes a circle: remove it from ALLOWED"
            ));
        }
    }
    assert!(report.is_empty(), "\n{}", report.join("\n"));
}

#[test]
fn the_front_end_and_the_formats_stay_in_their_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    let graph = graph(&src);
    let mut found = BTreeSet::new();
    for layer in [FRONT_END, FORMATS] {
        for &name in layer {
            let files = modules
                .get(name)
                .unwrap_or_else(|| panic!("no module `{name}`: update the layers"));
            for file in files {
                let text = std::fs::read_to_string(file)
                    .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                if names_monty(&text) {
                    found.insert((name.to_owned(), "monty".to_owned()));
                }
            }
            for to in &graph[name] {
                if !layer.contains(&to.as_str()) && !SHARED.contains(&to.as_str()) {
                    found.insert((name.to_owned(), to.clone()));
                }
            }
        }
    }
    for &name in SHARED {
        let files = modules
            .get(name)
            .unwrap_or_else(|| panic!("no module `{name}`: update SHARED"));
        for file in files {
            let text =
                std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            if names_monty(&text) {
                found.insert((name.to_owned(), "monty".to_owned()));
            }
        }
        for to in &graph[name] {
            found.insert((name.to_owned(), to.clone()));
        }
    }
    let allowed: BTreeSet<(String, String)> = LAYER_BREAKS
        .iter()
        .map(|(from, to)| ((*from).to_owned(), (*to).to_owned()))
        .collect();
    let mut report = Vec::new();
    for (from, to) in found.difference(&allowed) {
        report.push(format!("`{from}` uses `{to}`, outside its layer"));
    }
    for (from, to) in allowed.difference(&found) {
        report.push(format!(
            "`{from}` no longer uses `{to}`: remove it from LAYER_BREAKS"
        ));
    }
    assert!(report.is_empty(), "\n{}", report.join("\n"));
}

#[test]
fn references_are_read_from_paths_and_use_groups_but_not_comments() {
    let found = references(
        "use crate::a::X;\nuse crate::{b, c::{D, E}, f};\n// crate::g\nlet x = crate::h::y(); // crate::i\n",
    );
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(found, ["a", "b", "c", "f", "h"]);
    let mut g = Graph::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "d")] {
        g.entry(from.to_owned()).or_default().insert(to.to_owned());
        g.entry(to.to_owned()).or_default();
    }
    g.get_mut("d").unwrap().clear();
    let circles = circles(&g);
    assert_eq!(circles.len(), 1);
    assert_eq!(circles[0].len(), 3);
    assert!(names_monty("use monty_types::ObjectRef;"));
    assert!(names_monty("let r = monty::MontyRepl::new();"));
    assert!(!names_monty(
        "// monty::x\nlet montys = 1; skein_monty::y();"
    ));
}
