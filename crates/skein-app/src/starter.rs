//! The starter: one Web Worker that makes every rayon call the page needs, so the browser's
//! main thread makes none.
//!
//! Both of the page's rayon calls may wait on a lock: starting the pool waits until each of its
//! threads has begun, and handing the pool a job wakes a sleeping thread under that thread's
//! sleep mutex, which the thread itself holds for a moment on its way to sleep. A wait traps on
//! the main thread (`Atomics.wait cannot be called in this context`), so a loaded machine could
//! lose the kernel at start-up. The starter is a worker on the page's memory, where waiting is
//! allowed: it starts the pool (whose workers are its children, so it lives as long as the page)
//! and spawns the jobs the page posts to it.

use js_sys::{JsString, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/starter.js")]
extern "C" {
    #[wasm_bindgen(js_name = startStarter)]
    fn start_starter(
        module: JsValue,
        memory: JsValue,
        main_js: JsString,
        threads: usize,
    ) -> Promise;

    #[wasm_bindgen(js_name = postToStarter)]
    fn post_to_starter(job: usize);
}

#[wasm_bindgen]
extern "C" {
    /// The URL of the page's wasm-bindgen glue, which the starter imports to join the memory.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MAIN_JS: JsString;
}

/// A job for the pool, boxed twice so it crosses to the starter as one thin pointer.
type Job = Box<dyn FnOnce() + Send>;

/// Starts the starter and, from it, a rayon pool of `threads` Web Workers; resolves once the
/// pool runs.
pub async fn start_pool(threads: usize) -> Result<(), JsValue> {
    let started = start_starter(
        wasm_bindgen::module(),
        wasm_bindgen::memory(),
        MAIN_JS.with(Clone::clone),
        threads,
    );
    JsFuture::from(started).await.map(drop)
}

/// Runs `job` on the pool without waiting: the starter spawns it.
pub fn spawn(job: impl FnOnce() + Send + 'static) {
    let job: Box<Job> = Box::new(Box::new(job));
    post_to_starter(Box::into_raw(job) as usize);
}

/// In the starter: starts the pool.
#[wasm_bindgen]
#[doc(hidden)]
pub async fn skein_starter_start_pool(threads: usize) -> Result<(), JsValue> {
    JsFuture::from(wasm_bindgen_rayon::init_thread_pool(threads))
        .await
        .map(drop)
}

/// In the starter: spawns a job that [`spawn`] posted.
#[wasm_bindgen]
#[doc(hidden)]
pub fn skein_starter_spawn(job: usize) {
    // SAFETY: `job` came from `Box::into_raw` in `spawn`, and each posted message is handled
    // once, so the box is taken back exactly once.
    let job = unsafe { Box::from_raw(job as *mut Job) };
    rayon::spawn(job);
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use wasm_bindgen_test::*;

    use super::*;
    use crate::mailbox::Mailbox;

    wasm_bindgen_test_configure!(run_in_browser);

    /// The page's path end to end: from the main thread, start a pool through the starter and
    /// post it jobs in bursts, with pauses in which the pool's threads fall asleep. (The race
    /// the starter removes, a wake that meets a thread holding its sleep lock, is too rare to
    /// provoke on demand: it cost one start-up in a few hundred on a loaded CI machine.)
    #[wasm_bindgen_test]
    async fn jobs_posted_from_the_main_thread_run_on_the_pool() {
        assert!(
            web_sys::window().is_some(),
            "this test runs on the page's main thread"
        );
        start_pool(8).await.expect("the pool starts");
        let replies = Mailbox::new();
        let (bursts, per_burst) = (20, 200);
        for burst in 0..bursts {
            for i in 0..per_burst {
                let replies = Arc::clone(&replies);
                spawn(move || replies.post((burst * per_burst + i, rayon::current_thread_index())));
            }
            crate::frames::sleep_ms(2).await;
        }
        let mut received = Vec::new();
        for _ in 0..2_000 {
            while let Some(reply) = replies.try_take() {
                received.push(reply);
            }
            if received.len() == bursts * per_burst {
                break;
            }
            crate::frames::sleep_ms(5).await;
        }
        received.sort_unstable();
        let ids: Vec<usize> = received.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, (0..bursts * per_burst).collect::<Vec<_>>());
        assert!(
            received.iter().all(|(_, thread)| thread.is_some()),
            "every job ran on a pool thread"
        );
    }
}
