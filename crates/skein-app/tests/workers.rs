//! Threads for real: these tests run in headless Chromium inside a dedicated Web Worker (where
//! blocking is allowed), on a wasm-bindgen-rayon pool of real Web Workers.

#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are not `#[test]` to clippy: a failed unwrap here is a
// failed test, as wanted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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

/// A client whose four workers are the pool's threads.
fn client_of_the_pool() -> skein_core::Client {
    skein_core::Client::with_config(skein_core::Config {
        workers: Some(4),
        ..skein_core::Config::default()
    })
}

#[wasm_bindgen_test]
async fn pi_batches_run_on_several_workers_and_agree_with_one_thread() {
    pool().await;
    // Enough work (64 M samples) that the first worker cannot finish every batch before the
    // others wake: in release wasm, 64 batches of 50,000 all ran on one thread.
    skein_core::clock::set_source(skein_app::now_ms);
    let report = skein_labs::drivers::speed_check::run(4, 64, 1_000_000);
    assert!(
        report.threads_used > 1,
        "batches ran on {} thread(s): the pool fell back to one",
        report.threads_used
    );
    assert_eq!(report.samples, 64 * 1_000_000);
    // Batches fill at most every worker for the whole run, and none can join after it ended.
    assert!(
        report.busy_share > 0.0 && report.busy_share <= 1.01,
        "{report:?}"
    );
    assert!(
        report.last_worker_joined_ms <= report.parallel_ms,
        "{report:?}"
    );
    assert!(report.tail_ms <= report.parallel_ms, "{report:?}");
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
    let client = client_of_the_pool();
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
async fn a_python_cell_runs_its_user_function_on_several_workers() {
    pool().await;
    let client = client_of_the_pool();
    let mut kernel = skein_kernel::Kernel::with_config(skein_kernel::KernelConfig {
        client: Some(client),
    });
    let mut outputs = Vec::new();
    // A Python function, captured in the kernel's interpreter and run in each worker's own.
    let outcome = kernel.run_cell(
        "from dask.distributed import Client, get_worker\n\
         def busy(i):\n    s = 0\n    for k in range(20000):\n        s += k\n    return get_worker().name\n\
         client = Client()\n\
         seen = client.gather(client.map(busy, list(range(64))))\n\
         len(set(seen))",
        &mut |output| outputs.push(output),
    );
    let Some(skein_kernel::Output::Value { display, .. }) = outputs.last() else {
        panic!("no value: {outcome:?} {outputs:?}");
    };
    let distinct: usize = display.parse().expect("a count");
    assert!(
        distinct > 1,
        "the user function ran on {distinct} worker(s)"
    );
}

fn add2(x: u64) -> u64 {
    x + 2
}

fn make_list(n: u64) -> Vec<u64> {
    vec![0; 2 * n as usize]
}

#[wasm_bindgen_test]
async fn futures_compose_on_the_workers_and_as_completed_grows_until_it_converges() {
    pool().await;
    let client = client_of_the_pool();
    // The seed's r1 → r2 chain: a future is an argument, waited for on a worker.
    let r1 = client.submit(add2, 1u64);
    let r2 = client.submit(make_list, &r1);
    assert_eq!(r2.result().unwrap(), vec![0; 6]);
    assert_eq!(
        client.submit(add2, 1u64).key(),
        r1.key(),
        "pure: same call, same key"
    );

    // The seed's convergence loop: add a batch until successive estimates agree.
    let batch = 100_000;
    let completed = skein_core::as_completed([
        client.submit_impure(skein_labs::monte_carlo::multi_sample, batch)
    ]);
    let (mut old, mut count, mut rounds) = (0.0, 0.0, 0);
    for future in completed.clone() {
        let estimate = 4.0 * future.result().unwrap() as f64 / batch as f64;
        let new = (old * count + estimate) / (count + 1.0);
        count += 1.0;
        rounds += 1;
        if (new - old).abs() >= 1e-3 && rounds < 500 {
            completed.add(client.submit_impure(skein_labs::monte_carlo::multi_sample, batch));
        }
        old = new;
    }
    assert!(
        rounds > 1 && rounds < 500,
        "converged after {rounds} rounds"
    );
    assert!((old - std::f64::consts::PI).abs() < 0.02, "estimate {old}");
}
