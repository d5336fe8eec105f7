//! Skein's browser app: the notebook page, its kernel thread and the dashboard.
//!
//! The page starts a pool of Web Workers (see [`threads`]), hands work to the [`kernel`]
//! thread through a never-blocking [`mailbox`], and polls for results every animation frame.

mod app;
mod kernel;
pub mod mailbox;
pub mod pi;
mod threads;

pub use app::App;
pub use wasm_bindgen_rayon::init_thread_pool;
