//! Waiting inside tasks: a task that computes, gathers or reads a result runs what it needs on
//! its own worker instead of parking it, without growing the stack per waiting task, and a
//! wait with a stop check can be interrupted.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use skein_core::{Client, Config, Future, Stopped, as_completed, delayed, sum};

fn one_worker() -> Client {
    Client::with_config(Config {
        threads: Some(1),
        ..Config::default()
    })
}

/// Holds the only worker until `gate` opens, so everything submitted meanwhile is queued.
fn hold(client: &Client, gate: &Arc<AtomicBool>) -> Future<bool> {
    let gate = gate.clone();
    client.submit_impure(
        move |_: u8| {
            while !gate.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            true
        },
        0_u8,
    )
}

#[test]
fn a_task_computing_a_nested_graph_finishes_on_one_worker() {
    let client = one_worker();
    let inner = client.clone();
    let outer = client.submit_impure(
        move |n: u64| {
            let inc = delayed(|x: u64| x + 1);
            sum((0..n).map(|i| inc.call(i))).compute_on(&inner)
        },
        1_000_u64,
    );
    assert_eq!(outer.result().unwrap(), 1_000 * 1_001 / 2);
}

#[test]
fn a_thousand_tasks_each_waiting_on_a_sibling_finish_on_one_worker() {
    const N: usize = 1_000;
    let client = one_worker();
    let gate = Arc::new(AtomicBool::new(false));
    let held = hold(&client, &gate);
    // The waiters are queued first, so they are ahead of their siblings: a worker that ran
    // any queued task while waiting would start the next waiter on top of this one, a
    // thousand deep.
    let siblings: Arc<OnceLock<Vec<Future<u64>>>> = Arc::new(OnceLock::new());
    let shared = siblings.clone();
    let waiters = client.map_impure(
        move |i: usize| match shared.get() {
            Some(s) => s[i].result().map(|v| v + 1).map_err(|e| e.to_string()),
            None => Err(String::from("the siblings are not submitted yet")),
        },
        0..N,
    );
    let _ = siblings.set(client.map_impure(|i: usize| i as u64 * 2, 0..N));
    gate.store(true, Ordering::SeqCst);
    assert!(held.result().unwrap());
    let results = client.gather(&waiters).unwrap();
    assert_eq!(
        results,
        (0..N as u64).map(|i| 2 * i + 1).collect::<Vec<_>>()
    );
}

#[test]
fn tasks_that_submit_and_wait_finish_on_one_worker() {
    let client = one_worker();
    let inner = client.clone();
    let futures = client.map_impure(
        move |i: u64| inner.submit_impure(|x: u64| x * x, i).result(),
        0..1_000_u64,
    );
    let total: u64 = client.gather(&futures).unwrap().into_iter().sum();
    assert_eq!(total, (0..1_000_u64).map(|i| i * i).sum::<u64>());
}

#[test]
fn tasks_iterating_as_completed_finish_on_one_worker() {
    // A task's `as_completed` loop cannot park the only worker: it runs what it waits for.
    let client = one_worker();
    let inner = client.clone();
    let futures = client.map_impure(
        move |i: u64| {
            let squares = inner.map_impure(|x: u64| x * x, [i, i + 1, i + 2]);
            as_completed(squares)
                .map(|f| f.result().unwrap_or(0))
                .sum::<u64>()
        },
        0..200_u64,
    );
    let total: u64 = client.gather(&futures).unwrap().into_iter().sum();
    let expected = (0..200_u64)
        .map(|i| i * i + (i + 1) * (i + 1) + (i + 2) * (i + 2))
        .sum::<u64>();
    assert_eq!(total, expected);
}

#[test]
fn a_stopped_wait_returns_off_the_pool() {
    let client = one_worker();
    let gate = Arc::new(AtomicBool::new(false));
    let held = hold(&client, &gate);
    let stop = AtomicBool::new(false);
    let stopper = std::thread::scope(|s| {
        s.spawn(|| stop.store(true, Ordering::SeqCst));
        held.wait_or_stop(|| stop.load(Ordering::SeqCst))
    });
    assert_eq!(stopper, Err(Stopped));
    assert!(!held.done());
    gate.store(true, Ordering::SeqCst);
    assert_eq!(held.wait_or_stop(|| false), Ok(()));
}

#[test]
fn an_as_completed_wait_stops_and_then_yields_what_finishes() {
    let client = one_worker();
    let gate = Arc::new(AtomicBool::new(false));
    let completion = as_completed([hold(&client, &gate)]);
    let stop = AtomicBool::new(false);
    let stopped = std::thread::scope(|s| {
        s.spawn(|| stop.store(true, Ordering::SeqCst));
        completion.next_or_stop(|| stop.load(Ordering::SeqCst))
    });
    assert!(matches!(stopped, Err(Stopped)));
    assert!(!completion.is_empty(), "a stopped wait loses nothing");
    gate.store(true, Ordering::SeqCst);
    let finished = completion.next_or_stop(|| false).unwrap().unwrap();
    assert!(finished.result().unwrap());
    assert!(completion.next_or_stop(|| false).unwrap().is_none());
}

#[test]
fn a_stopped_wait_returns_inside_a_task() {
    // Two workers: one held, one running a task that waits on the held one until stopped.
    let client = Client::with_config(Config {
        threads: Some(2),
        ..Config::default()
    });
    let gate = Arc::new(AtomicBool::new(false));
    let held = hold(&client, &gate);
    let stop = Arc::new(AtomicBool::new(false));
    let (awaited, flag) = (held.clone(), stop.clone());
    let waiter = client.submit_impure(
        move |_: u8| match awaited.wait_or_stop(|| flag.load(Ordering::SeqCst)) {
            Ok(()) => "finished",
            Err(Stopped) => "stopped",
        },
        0_u8,
    );
    stop.store(true, Ordering::SeqCst);
    assert_eq!(waiter.result().unwrap(), "stopped");
    gate.store(true, Ordering::SeqCst);
    assert!(held.result().unwrap());
}

#[test]
fn a_waiter_helps_with_work_queued_while_it_was_parked() {
    // Two workers, both tied up: one holds the gate, the other runs a task that waits on a
    // graph whose first step is the held task. When the gate opens, the graph's next steps
    // are queued while the waiter is parked; it must wake and run them (or the freed worker
    // does), never sleep through them.
    let client = Client::with_config(Config {
        threads: Some(2),
        ..Config::default()
    });
    let gate = Arc::new(AtomicBool::new(false));
    let held = hold(&client, &gate);
    let inner = client.clone();
    let base = held.clone();
    let waiter = client.submit_impure(
        move |n: u64| {
            let step = delayed(|ok: bool, i: u64| if ok { i } else { 0 });
            let parts: Vec<_> = (0..n).map(|i| step.call(&base, i)).collect();
            sum(parts).compute_on(&inner)
        },
        100_u64,
    );
    gate.store(true, Ordering::SeqCst);
    assert_eq!(waiter.result().unwrap(), (0..100).sum::<u64>());
}

#[test]
fn a_wait_outside_any_task_never_runs_tasks_even_on_a_pool_thread() {
    // The browser's kernel is a thread of the (only) pool, yet not a worker. Here: a thread
    // of another rayon pool waits on a task queued behind the only worker's held task. Were
    // it to help, it would run the task itself while the worker is held.
    let client = one_worker();
    let gate = Arc::new(AtomicBool::new(false));
    let held = hold(&client, &gate);
    let queued = client.submit_impure(
        |_: u8| std::thread::current().name().map(String::from),
        0_u8,
    );
    let kernel_like = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| String::from("kernel"))
        .build()
        .unwrap();
    let opener = gate.clone();
    let ran_on = std::thread::scope(|s| {
        s.spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            opener.store(true, Ordering::SeqCst);
        });
        kernel_like.install(|| queued.result().unwrap())
    });
    assert!(held.result().unwrap());
    assert_eq!(ran_on.as_deref(), Some("skein-worker-0"));
}
