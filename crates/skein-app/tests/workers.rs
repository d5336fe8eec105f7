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

/// A task that takes long enough for other workers to pick up its siblings.
fn spin(n: u64) -> u64 {
    (0..n).fold(0u64, |acc, i| acc ^ i.wrapping_mul(31)) % 2 + 1
}

#[wasm_bindgen_test]
async fn a_delayed_graph_runs_on_several_workers_and_releases_its_intermediates() {
    pool().await;
    let client = skein_core::Client::with_config(skein_core::Config {
        workers: Some(4),
        ..skein_core::Config::default()
    });
    let lazy_spin = skein_core::delayed(spin).named("spin");
    let total = skein_core::sum((0..200u64).map(|i| lazy_spin.call(20_000 + i)));
    let expected: u64 = (0..200u64).map(|i| spin(20_000 + i)).sum();
    assert_eq!(total.compute_on(&client).unwrap(), expected);
    let workers: std::collections::BTreeSet<usize> = client
        .events()
        .drain()
        .into_iter()
        .filter_map(|event| match event.kind {
            skein_core::EventKind::Finished { worker, .. } => Some(worker),
            _ => None,
        })
        .collect();
    assert!(workers.len() > 1, "tasks ran on workers {workers:?}");
    let spin_stats = client.group("spin").expect("the spin group was seen");
    assert_eq!(spin_stats.memory, 0, "every intermediate was released");
    assert_eq!(spin_stats.released, 200);
}

#[wasm_bindgen_test]
async fn a_cell_runs_its_user_function_on_several_workers() {
    pool().await;
    let client = skein_core::Client::with_config(skein_core::Config {
        workers: Some(4),
        ..skein_core::Config::default()
    });
    let mut kernel = skein_script::Kernel::with_config(skein_script::KernelConfig {
        client: Some(client),
        ..skein_script::KernelConfig::default()
    });
    let mut outputs = Vec::new();
    let outcome = kernel.run_cell(
        "fn busy(i) { let s = 0; for k in 0..20000 { s += k; } worker() }\n\
         let client = Client();\n\
         let seen = client.gather(client.map(busy, range(0, 64)));\n\
         let distinct = [];\n\
         for w in seen { if !distinct.contains(w) { distinct.push(w); } }\n\
         distinct.len()",
        &mut |output| outputs.push(output),
    );
    let Some(skein_script::Output::Value { display, .. }) = outputs.last() else {
        panic!("no value: {outcome:?} {outputs:?}");
    };
    let distinct: usize = display.parse().expect("a count");
    assert!(
        distinct > 1,
        "the user function ran on {distinct} worker(s)"
    );
}
