//! Starting the Web Worker thread pool (through the [`starter`](crate::starter)), or explaining
//! why the page runs on one thread.
//!
//! Threads in wasm need `SharedArrayBuffer`, which browsers only hand to cross-origin isolated
//! pages (served with COOP `same-origin` and COEP `require-corp`).

use wasm_bindgen::{JsCast, JsValue};

/// How the page's compute threads came up.
#[derive(Clone, Debug, PartialEq)]
pub enum Threads {
    /// A pool of Web Workers: `workers` run tasks at first; one more hosts the kernel.
    Pool { workers: usize },
    /// No pool could start; everything runs on the page's own thread.
    Single { reason: String },
}

impl Threads {
    /// Workers that run tasks at first.
    pub fn workers(&self) -> usize {
        match self {
            Threads::Pool { workers } => *workers,
            Threads::Single { .. } => 1,
        }
    }
}

/// What the browser offers: `navigator.hardwareConcurrency` and `crossOriginIsolated`.
pub struct Environment {
    pub hardware_concurrency: usize,
    pub cross_origin_isolated: bool,
}

impl Environment {
    pub fn detect() -> Self {
        let window = web_sys::window().expect("the app runs in a window");
        let hardware_concurrency = (window.navigator().hardware_concurrency() as usize).max(1);
        let cross_origin_isolated = js_sys::Reflect::get(&window, &"crossOriginIsolated".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        Self {
            hardware_concurrency,
            cross_origin_isolated,
        }
    }
}

/// Starts one task worker per hardware thread, when the page allows it. The pool has twice
/// as many threads plus one: one hosts the kernel, and the spares let the dashboard's
/// "+ worker" oversubscribe the cores, as the seed's `start_worker` does.
pub async fn start(env: &Environment) -> Threads {
    if !env.cross_origin_isolated {
        return Threads::Single {
            reason: "this page is not cross-origin isolated (it needs the COOP/COEP headers), \
                     so the browser withholds SharedArrayBuffer and Web Worker threads"
                .into(),
        };
    }
    let workers = env.hardware_concurrency;
    match crate::starter::start_pool(2 * workers + 1).await {
        Ok(()) => Threads::Pool { workers },
        Err(error) => Threads::Single {
            reason: format!("the worker pool failed to start: {}", describe(&error)),
        },
    }
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
