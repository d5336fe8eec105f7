//! Threads for real: these tests run in headless Chromium inside a dedicated Web Worker (where
//! blocking is allowed), on a wasm-bindgen-rayon pool of real Web Workers.

#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use skein_app::mailbox::Mailbox;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

thread_local! {
    // One wasm instance serves every test here, and rayon's global pool starts once.
    static POOL: js_sys::Promise = skein_app::init_thread_pool(4);
}

async fn pool() {
    wasm_bindgen_futures::JsFuture::from(POOL.with(|p| p.clone()))
        .await
        .expect("the worker pool starts");
}

#[wasm_bindgen_test]
async fn pi_batches_run_on_several_workers_and_agree_with_one_thread() {
    pool().await;
    let report = skein_app::pi::compare(4, 64, 50_000, skein_app::now_ms);
    assert!(
        report.threads_used > 1,
        "batches ran on {} thread(s): the pool fell back to one",
        report.threads_used
    );
    assert_eq!(report.samples, 64 * 50_000);
    assert!(
        (report.estimate - std::f64::consts::PI).abs() < 0.01,
        "{report:?}"
    );
}

#[wasm_bindgen_test]
async fn mailbox_carries_messages_between_workers_in_order() {
    pool().await;
    let requests = Mailbox::new();
    let replies = Mailbox::new();
    {
        let (requests, replies) = (Arc::clone(&requests), Arc::clone(&replies));
        rayon::spawn(move || {
            for _ in 0..500 {
                let n: u32 = requests.take();
                replies.post((n * 2, rayon::current_thread_index()));
            }
        });
    }
    for n in 0..500 {
        requests.post(n);
    }
    let received: Vec<_> = (0..500).map(|_| replies.take()).collect();
    assert_eq!(
        received.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        (0..500).map(|n| n * 2).collect::<Vec<_>>()
    );
    assert!(
        received.iter().all(|(_, worker)| worker.is_some()),
        "the consumer ran on a pool worker"
    );
}
