//! Skein's browser app: a notebook beside a live dashboard.
//!
//! The page starts a pool of Web Workers (see [`threads`]), hands cells to the [`kernel`]
//! thread through a never-blocking [`mailbox`], and polls for outputs and scheduler events
//! every animation frame.

// Browser UI code: the JS handles it unwraps (window, document, canvas contexts) exist on every
// page that loads this app, and a failure there is a broken page, not a recoverable error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod canvas;
mod dashboard;
mod editor;
mod examples;
mod frames;
mod graph_view;
mod kernel;
pub mod mailbox;
mod markdown;
mod notebook;
mod outputs;
mod plot;
mod share;
mod share_panel;
mod starter;
mod storage;
mod threads;

/// Small blocks recycled without the one allocator lock every page thread shares.
#[cfg(target_family = "wasm")]
#[global_allocator]
static ALLOCATOR: skein_core::SmallBlocks<std::alloc::System> =
    skein_core::SmallBlocks::new(std::alloc::System);

pub use app::App;
pub use kernel::now_ms;
pub use wasm_bindgen_rayon::init_thread_pool;
