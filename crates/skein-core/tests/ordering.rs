//! The order tasks run in: Dask's root-ish rule (a small computation started during a large
//! `map` or `persist` waits for the running tasks, not the batch; a batch keeps submission
//! order), the user's priority above it, and Dask's generations (`fifo_timeout`) within it.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::client;
use skein_core::{Delayed, Priority, delayed, sum};

/// `sample(i)` tasks of 20 ms that count in `started` how many have begun.
fn counted_samples(started: &Arc<AtomicUsize>) -> impl Fn(u64) -> Delayed<u64> {
    let counted = started.clone();
    let sample = delayed(move |i: u64| {
        counted.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(20));
        i
    })
    .named("sample");
    move |i| sample.call(i)
}

/// A task of the same group, `sample`, that gives how many `sample`s had begun when it ran.
fn starts_so_far(started: &Arc<AtomicUsize>, i: u64) -> Delayed<usize> {
    let seen = started.clone();
    delayed(move |_: u64| seen.load(Ordering::SeqCst))
        .named("sample")
        .call(i)
}

#[test]
fn a_small_computation_started_during_a_large_map_waits_for_a_few_of_its_tasks_only() {
    let client = client();
    let workers = client.workers();
    // Counted as each task starts, and the tasks long beside a scheduling stall: test
    // binaries run their tests in parallel, so a worker may be descheduled for milliseconds.
    let started = Arc::new(AtomicUsize::new(0));
    let counted = started.clone();
    let batch = client.map_impure(
        move |i: u64| {
            counted.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            i
        },
        0..(40 * workers) as u64,
    );
    // Another function group, with a dependency: a `load` and the `sum` over it.
    let load = delayed(|n: u64| (0..n).collect::<Vec<u64>>()).named("load_csv");
    let small = load.call(4).map(|rows| rows.iter().sum::<u64>());
    assert_eq!(small.compute_on(&client).unwrap(), 6);
    let waited_for = started.load(Ordering::SeqCst);
    // Dask's rule (`submit::ROOTISH`): the map's first 2 × workers tasks come before the
    // small computation, and whatever was running when it arrived finishes first.
    assert!(
        waited_for <= 3 * workers + 2,
        "the small computation waited for {waited_for} of the map's {} tasks",
        40 * workers
    );
    // The rest of the map never runs once its futures are gone.
    drop(batch);
}

#[test]
fn root_tasks_of_a_large_group_keep_submission_order() {
    let client = client();
    let order = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = |tag: u64| {
        let order = order.clone();
        // Recorded as each task starts: a worker descheduled between finishing a task and
        // recording it (test binaries run their tests in parallel) would misplace it.
        move |i: u64| {
            order.lock().unwrap().push((tag, i));
            std::thread::sleep(Duration::from_micros(200));
            i
        }
    };
    let first = client.map_impure(record(1), 0..100_u64);
    let second = client.map_impure(record(2), 0..100_u64);
    client.wait(&first);
    client.wait(&second);
    let order = order.lock().unwrap();
    let last_of_first = order.iter().rposition(|&(tag, _)| tag == 1).unwrap();
    let first_of_second = order.iter().position(|&(tag, _)| tag == 2).unwrap();
    // A later batch of the same kind waits for the earlier one (a task or two may overlap
    // at the seam, one per worker).
    assert!(
        first_of_second + 2 * client.workers() >= last_of_first,
        "the second map started at {first_of_second}, the first ended at {last_of_first}"
    );
}

#[test]
fn a_small_computation_started_during_a_large_persist_waits_only_for_the_running_batches() {
    let client = client();
    let workers = client.workers();
    let finished = Arc::new(AtomicUsize::new(0));
    let counted = finished.clone();
    let batch = delayed(move |i: u64| {
        std::thread::sleep(Duration::from_millis(20));
        counted.fetch_add(1, Ordering::SeqCst);
        i
    })
    .named("multi_sample");
    // One graph, as seed 1's `sum([batch(n) for i in range(100)]).persist()`: Dask counts the
    // group's tasks in the whole graph, so its first batches are as root-ish as its last.
    let persisted = sum((0..20 * workers as u64).map(|i| batch.call(i)))
        .persist_on(&client)
        .unwrap();
    let load = delayed(|n: u64| (0..n).collect::<Vec<u64>>()).named("load_csv");
    let small = load.call(4).map(|rows| rows.iter().sum::<u64>());
    assert_eq!(small.compute_on(&client).unwrap(), 6);
    let waited_for = finished.load(Ordering::SeqCst);
    // The batches running when it came finish first; one more may start on a worker that
    // freed before the small computation was submitted.
    assert!(
        waited_for <= workers + 1,
        "the small computation waited for {waited_for} of the persist's {} batches",
        20 * workers
    );
    let n = 20 * workers as u64;
    assert_eq!(persisted.compute_on(&client).unwrap(), n * (n - 1) / 2);
}

#[test]
fn a_higher_priority_runs_before_everything_queued_and_a_lower_after() {
    let client = client();
    let workers = client.workers();
    let started = Arc::new(AtomicUsize::new(0));
    let sample = counted_samples(&started);
    let batch = client
        .compute_many(&(0..(20 * workers) as u64).map(&sample).collect::<Vec<_>>())
        .unwrap();
    // A task of the same group, so root-ish like the batch's and queued behind it at the
    // default priority, but at a higher one (Dask's `client.submit(f, priority=10)`): it
    // starts as soon as a worker frees.
    let urgent = starts_so_far(&started, 0);
    let started_before_urgent = client
        .compute_with_priority(&urgent, 10)
        .unwrap()
        .result()
        .unwrap();
    assert!(
        started_before_urgent <= 2 * workers + 1,
        "the urgent task started after {started_before_urgent} of the map's {} tasks",
        20 * workers
    );
    // A lower priority than the default waits for the whole map.
    let patient = starts_so_far(&started, 1);
    let started_before_patient = client
        .compute_with_priority(&patient, -1)
        .unwrap()
        .result()
        .unwrap();
    assert_eq!(started_before_patient, 20 * workers);
    assert_eq!(client.gather(&batch).unwrap().len(), 20 * workers);
}

#[test]
fn a_computation_within_the_fifo_timeout_joins_the_generation_and_runs_in_graph_order() {
    let client = client();
    let workers = client.workers();
    let started = Arc::new(AtomicUsize::new(0));
    let sample = counted_samples(&started);
    let tasks = 20 * workers;
    let batch: Vec<_> = (0..tasks as u64).map(&sample).collect();
    // Dask's `client.persist` and `client.compute` wait 60 s for a generation.
    let compute = Priority::new(0, Priority::COMPUTE_FIFO);
    let persisted = client.compute_many_with_priority(&batch, compute).unwrap();
    // A task of the same group, root-ish like the batch's: in the batch's generation, its
    // place in its own graph (the first) puts it before the batch's queued tasks, as Dask's
    // `(generation, order)` priority does.
    let joined = client
        .compute_with_priority(&starts_so_far(&started, 0), compute)
        .unwrap()
        .result()
        .unwrap();
    assert!(
        joined <= 2 * workers + 1,
        "the task in the batch's generation started after {joined} of its {tasks} tasks"
    );
    // With no timeout (the engine's default) it is a generation of its own, after the batch.
    let own = starts_so_far(&started, 1);
    let after = client.compute(&own).unwrap().result().unwrap();
    assert_eq!(after, tasks);
    assert_eq!(client.gather(&persisted).unwrap().len(), tasks);
}
