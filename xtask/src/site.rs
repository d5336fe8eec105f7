//! The static site in `dist/`, and the server that hands it out with the headers threads need.
//!
//! The build is four steps a bundler would otherwise hide: cargo builds `skein-app` for
//! shared-memory wasm in the `web` profile, `wasm-bindgen` writes the JS glue (`--target web`:
//! plain ES modules, which wasm-bindgen-rayon's `no-bundler` workers import by URL),
//! `wasm-opt -Oz` shrinks the module, and `web/` is copied beside it. Doing it here instead
//! of through Trunk spares every fresh machine Trunk's own 20-minute compile, for the same
//! files in `dist/`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::tools::{Tools, root, run};

/// The app's binary, and the stem of the files wasm-bindgen writes for it.
const APP: &str = "skein-app";
/// The cargo profile the browser gets (`Cargo.toml` says why it favours size).
const PROFILE: &str = "web";
const TARGET: &str = "wasm32-unknown-unknown";
/// Where `serve` listens.
pub const ADDRESS: &str = "127.0.0.1:8080";

/// Builds the site into `dist/` and returns its path.
pub fn build(tools: &Tools) -> Result<PathBuf, String> {
    let dist = root().join("dist");
    run(tools.wasm_cargo().current_dir(root()).args([
        "build",
        "--profile",
        PROFILE,
        "--target",
        TARGET,
        "-p",
        APP,
        "--bin",
        APP,
    ]))?;
    // A clean folder: no file of an earlier build (a renamed snippet, say) survives.
    if dist.exists() {
        fs::remove_dir_all(&dist).map_err(|e| format!("cannot empty {}: {e}", dist.display()))?;
    }
    bindgen(tools, &dist)?;
    let module = dist.join(format!("{}_bg.wasm", APP.replace('-', "_")));
    let module = if module.exists() {
        module
    } else {
        dist.join(format!("{APP}_bg.wasm"))
    };
    run(tools
        .command("wasm-opt")
        .args(["-Oz", "--enable-threads", "--enable-bulk-memory"])
        .arg(&module)
        .arg("-o")
        .arg(&module))?;
    copy_dir(&root().join("web"), &dist, &|path| {
        // The examples are compiled into the app (skein-app's build script).
        !path.starts_with(root().join("web").join("examples"))
    })?;
    let index = dist.join("index.html");
    let page = fs::read_to_string(&index).map_err(|e| format!("cannot read index.html: {e}"))?;
    let glue = format!("{APP}.js");
    if !page.contains(&glue) {
        return Err(format!("web/index.html does not load {glue}"));
    }
    // A version on the glue's URL, so a browser never pairs a cached old module with a new page.
    let version = fingerprint(&module)?;
    fs::write(&index, page.replace(&glue, &format!("{glue}?v={version}")))
        .map_err(|e| format!("cannot write index.html: {e}"))?;
    eprintln!("site built in {}", dist.display());
    Ok(dist)
}

/// A copy of the built site whose wasm keeps its function names (wasm-bindgen's output before
/// `wasm-opt`, which drops them), for a CPU profile that names Rust functions. Call after
/// [`build`]; returns the copy's path.
pub fn with_names(tools: &Tools) -> Result<PathBuf, String> {
    let named = crate::target_dir()?.join("profile-dist");
    if named.exists() {
        fs::remove_dir_all(&named).map_err(|e| format!("cannot empty {}: {e}", named.display()))?;
    }
    fs::create_dir_all(&named).map_err(|e| format!("cannot create {}: {e}", named.display()))?;
    copy_dir(&root().join("dist"), &named, &|_| true)?;
    bindgen(tools, &named)?;
    Ok(named)
}

/// Writes the JS glue and the module wasm-bindgen makes of cargo's build of the app into `out`.
fn bindgen(tools: &Tools, out: &Path) -> Result<(), String> {
    let wasm = crate::target_dir()?
        .join(TARGET)
        .join(PROFILE)
        .join(format!("{APP}.wasm"));
    run(tools
        .command("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(out)
        .arg(&wasm))
}

/// Copies the files under `from` that `keep` accepts into `to`, keeping their folders.
fn copy_dir(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) -> Result<(), String> {
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{e}"))?.path();
        if !keep(&path) {
            continue;
        }
        let Some(name) = path.file_name() else {
            continue;
        };
        let dest = to.join(name);
        if path.is_dir() {
            fs::create_dir_all(&dest)
                .map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
            copy_dir(&path, &dest, keep)?;
        } else {
            fs::copy(&path, &dest).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// A short hash of a file's bytes (FNV-1a: a cache key, not a security boundary).
fn fingerprint(path: &Path) -> Result<String, String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    Ok(format!("{:08x}", hash >> 32))
}

/// Serves `dist` on [`ADDRESS`] until the process is stopped, with the cross-origin isolation
/// headers that `SharedArrayBuffer`, and so the worker threads, need.
pub fn serve(dist: &Path) -> Result<(), String> {
    let server =
        tiny_http::Server::http(ADDRESS).map_err(|e| format!("cannot listen on {ADDRESS}: {e}"))?;
    eprintln!(
        "serving {} at http://{ADDRESS}/ (Ctrl+C stops)",
        dist.display()
    );
    for request in server.incoming_requests() {
        let response = respond(dist, request.url());
        // A client that hung up is its own business; the server goes on.
        let _ = request.respond(response);
    }
    Ok(())
}

fn respond(dist: &Path, url: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let file = resolve(dist, url);
    let (status, body, mime) = match file.as_deref().map(fs::read) {
        Some(Ok(bytes)) => (200, bytes, mime_type(file.as_deref().unwrap_or(dist))),
        _ => (404, b"not found".to_vec(), "text/plain; charset=utf-8"),
    };
    let header = |name: &str, value: &str| {
        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
            .unwrap_or_else(|()| unreachable!("header names and values here are ASCII"))
    };
    tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", mime))
        .with_header(header("Cross-Origin-Opener-Policy", "same-origin"))
        .with_header(header("Cross-Origin-Embedder-Policy", "require-corp"))
        .with_header(header("Cache-Control", "no-cache"))
}

/// The file a URL names under `dist`, never outside it.
fn resolve(dist: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let mut file = dist.to_path_buf();
    for part in path.split('/').filter(|part| !part.is_empty()) {
        if part == ".." || part.contains('\\') {
            return None;
        }
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn mime_type(file: &Path) -> &'static str {
    match file.extension().and_then(|ext| ext.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn urls_resolve_inside_dist_only() {
        let dist = root().join("web");
        assert_eq!(
            resolve(&dist, "/style.css?v=1"),
            Some(dist.join("style.css"))
        );
        assert_eq!(resolve(&dist, "/"), Some(dist.join("index.html")));
        assert_eq!(resolve(&dist, "/../Cargo.toml"), None);
        assert_eq!(resolve(&dist, "/missing.js"), None);
    }

    #[test]
    fn a_fingerprint_follows_the_bytes() {
        let dir = std::env::temp_dir().join(format!("skein-xtask-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a.wasm");
        fs::write(&file, b"one").unwrap();
        let first = fingerprint(&file).unwrap();
        fs::write(&file, b"two").unwrap();
        assert_ne!(first, fingerprint(&file).unwrap());
        fs::remove_dir_all(&dir).unwrap();
    }
}
