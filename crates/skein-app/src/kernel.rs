//! The kernel: a long-lived thread that runs what the page asks for, so the main thread never
//! waits on compute.
//!
//! With a worker pool, the kernel occupies one extra pool thread and may block freely there.
//! Without one, requests run on the main thread itself: with a single thread nothing can
//! contend, so nothing waits.

use std::sync::Arc;

use crate::mailbox::Mailbox;
use crate::pi::{self, PiReport};
use crate::threads::Threads;

/// Work the page asks the kernel to do.
#[derive(Clone, Debug)]
pub enum Request {
    EstimatePi { batches: u32, per_batch: u64 },
}

/// What the kernel sends back, in the order it finishes.
#[derive(Clone, Debug)]
pub enum Response {
    Pi(PiReport),
}

/// The page's end of the kernel.
#[derive(Clone)]
pub struct Kernel {
    requests: Arc<Mailbox<Request>>,
    responses: Arc<Mailbox<Response>>,
    threads: Threads,
}

impl Kernel {
    pub fn start(threads: Threads) -> Self {
        let kernel = Self {
            requests: Mailbox::new(),
            responses: Mailbox::new(),
            threads,
        };
        if let Threads::Pool { .. } = kernel.threads {
            let (requests, responses) = (kernel.requests.clone(), kernel.responses.clone());
            // The one rayon call the main thread makes: every later one comes from the kernel.
            rayon::spawn(move || {
                loop {
                    responses.post(handle(requests.take()));
                }
            });
        }
        kernel
    }

    pub fn threads(&self) -> &Threads {
        &self.threads
    }

    /// Sends a request without waiting for it to run.
    pub fn send(&self, request: Request) {
        match self.threads {
            Threads::Pool { .. } => self.requests.post(request),
            Threads::Single { .. } => self.responses.post(handle(request)),
        }
    }

    /// The next finished response, if any; never blocks.
    pub fn poll(&self) -> Option<Response> {
        self.responses.try_take()
    }
}

fn handle(request: Request) -> Response {
    match request {
        Request::EstimatePi { batches, per_batch } => {
            Response::Pi(pi::compare(batches, per_batch, now_ms))
        }
    }
}

/// Milliseconds from this thread's `performance` clock (windows and workers both have one).
fn now_ms() -> f64 {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    if let Some(scope) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        scope.performance().map_or(0.0, |p| p.now())
    } else if let Some(window) = global.dyn_ref::<web_sys::Window>() {
        window.performance().map_or(0.0, |p| p.now())
    } else {
        0.0
    }
}
