//! The scheduler's promises: bounded memory, error propagation, release on drop and cancel,
//! growing the pool, events, cycles.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{all_released, client, eventually};
use skein_core::{
    Client, Config, Delayed, Error, EventKind, FailureKind, GraphError, Input, Key, Status, TaskFn,
    TaskState, Value, delayed, sum,
};

#[test]
fn a_sum_of_1000_batches_holds_o_workers_intermediates() {
    let client = client();
    // A batch result of 64 KiB, so memory by bytes shows what is held.
    let batch = delayed(|seed: u64| {
        let mut acc = seed;
        for i in 0..20_000 {
            acc = acc.wrapping_mul(6364136223846793005).wrapping_add(i);
        }
        vec![acc; 8 * 1024]
    })
    .named("multi_sample");
    let total = sum((0..1000_u64).map(|i| batch.call(i).map(|v| v[0] % 1000)));
    total.compute_on(&client).unwrap();
    let stats = client.group("multi_sample").unwrap();
    assert_eq!(stats.released, 1000);
    let workers = client.workers() as u64;
    assert!(
        stats.peak_memory <= 2 * workers + 2,
        "peak {} results in memory",
        stats.peak_memory
    );
    assert!(
        stats.peak_bytes <= (2 * workers + 2) * 66_000,
        "peak {} bytes",
        stats.peak_bytes
    );
    let adds = client.group("add").unwrap();
    assert!(
        adds.peak_memory <= 2 * workers + 2,
        "peak {} sums in memory",
        adds.peak_memory
    );
    assert!(eventually(|| all_released(&client)));
}

fn failing_graph() -> (Vec<Delayed>, [Key; 5]) {
    let ok: TaskFn = Arc::new(|args: &[Value]| {
        Ok(Value::new(
            args.iter()
                .filter_map(|v| v.downcast_ref::<i64>())
                .sum::<i64>()
                + 1,
        ))
    });
    let boom: TaskFn = Arc::new(|_: &[Value]| Err("boom".into()));
    let keys = ["bad-0", "dep-1", "dep-2", "free-3", "join-4"].map(Key::from_text);
    let [bad, dep1, dep2, free, join] = keys.clone();
    let bad = Delayed::from_task(bad, boom, vec![]);
    let dep1 = Delayed::from_task(dep1, ok.clone(), vec![Input::Delayed(bad.clone())]);
    let dep2 = Delayed::from_task(dep2, ok.clone(), vec![Input::Delayed(dep1.clone())]);
    let free = Delayed::from_task(free, ok.clone(), vec![Input::value(1_i64)]);
    let join = Delayed::from_task(
        join,
        ok,
        vec![Input::Delayed(dep2.clone()), Input::Delayed(free.clone())],
    );
    (vec![bad, dep1, dep2, free, join], keys)
}

#[test]
fn errors_reach_exactly_the_dependents_with_the_root_cause() {
    let client = client();
    let (graph, keys) = failing_graph();
    let futures = client.compute_many(&graph).unwrap();
    let statuses: Vec<_> = futures
        .iter()
        .map(|f| {
            f.wait();
            f.status()
        })
        .collect();
    use Status::{Error as E, Finished as F};
    assert_eq!(statuses, [E, E, E, F, E]);
    assert_eq!(futures[3].result().unwrap().downcast_ref::<i64>(), Some(&2));
    for f in [&futures[0], &futures[2], &futures[4]] {
        let err = f.result().unwrap_err();
        assert_eq!(err.root_key(), Some(&keys[0]));
        assert_eq!(err.to_string(), "task `bad-0` failed: boom");
    }
    assert_eq!(client.group("dep").unwrap().erred, 2);
    drop(futures);
    assert!(eventually(|| all_released(&client)));
}

#[test]
fn panics_become_task_errors() {
    let client = client();
    let f = client.submit_impure(
        |x: i64| -> i64 {
            if x > 0 {
                panic!("no positives: {x}")
            } else {
                x
            }
        },
        3,
    );
    let Some(Error::Failed(failure)) = f.exception() else {
        panic!("expected a failure")
    };
    assert_eq!(failure.kind, FailureKind::Panic);
    assert_eq!(failure.message, "no positives: 3");
    assert_eq!(failure.key, *f.key());
    // The pool survives.
    assert_eq!(client.submit_impure(|x: i64| x, 5).result().unwrap(), 5);
}

#[test]
fn compute_names_the_failing_key() {
    let client = client();
    let parse = delayed(|s: String| s.parse::<i64>().map_err(|e| format!("{s:?}: {e}")));
    let bad = parse.call(String::from("x"));
    let total = parse.call(String::from("1")) + bad.clone();
    let err = total.compute_on(&client).unwrap_err();
    assert_eq!(err.root_key(), Some(bad.key()));
    assert!(err.to_string().contains("invalid digit"), "{err}");
}

#[test]
fn dropping_futures_releases_their_results() {
    let client = client();
    let futures = client.map(|n: usize| vec![0_u8; n], [1000_usize, 2000, 3000]);
    client.wait(&futures);
    let stats = client.group("lambda").unwrap();
    assert_eq!(stats.memory, 3);
    assert!(stats.bytes >= 6000);
    let kept = futures[0].clone();
    drop(futures);
    assert!(eventually(|| client.group("lambda").unwrap().memory == 1));
    assert_eq!(kept.result().unwrap().len(), 1000);
    drop(kept);
    assert!(eventually(|| all_released(&client)));
}

/// A task that holds its worker until `gate` opens.
fn blocker(client: &Client, gate: &Arc<AtomicBool>) -> skein_core::Future<bool> {
    let gate = gate.clone();
    client.submit_impure(
        move |_: u8| {
            let start = Instant::now();
            while !gate.load(Ordering::SeqCst) && start.elapsed() < Duration::from_secs(10) {
                std::thread::sleep(Duration::from_millis(1));
            }
            true
        },
        0_u8,
    )
}

/// A one-thread client whose only worker is held by a [`blocker`] until the gate opens, so
/// tasks submitted meanwhile stay queued: the client, the gate, the blocker and a counter for
/// queued tasks to bump if they ever run.
fn busy_worker() -> (
    Client,
    Arc<AtomicBool>,
    skein_core::Future<bool>,
    Arc<AtomicUsize>,
) {
    let client = Client::with_config(Config {
        threads: Some(1),
        ..Config::default()
    });
    let gate = Arc::new(AtomicBool::new(false));
    let busy = blocker(&client, &gate);
    (client, gate, busy, Arc::new(AtomicUsize::new(0)))
}

#[test]
fn a_cancelled_task_that_had_not_started_never_runs() {
    let (client, gate, busy, ran) = busy_worker();
    let r = ran.clone();
    let queued = client.submit_impure(move |x: i64| r.fetch_add(1, Ordering::SeqCst) as i64 + x, 1);
    let dependent = client.submit_impure(|x: i64| x + 1, &queued);
    assert_eq!(queued.status(), Status::Pending);
    client.cancel(&queued);
    assert_eq!(queued.status(), Status::Cancelled);
    assert_eq!(dependent.status(), Status::Cancelled);
    gate.store(true, Ordering::SeqCst);
    assert!(busy.result().unwrap());
    assert!(matches!(dependent.result(), Err(Error::Cancelled { .. })));
    assert_eq!(ran.load(Ordering::SeqCst), 0);
    drop((busy, queued, dependent));
    assert!(eventually(|| all_released(&client)));
}

#[test]
fn dropping_the_last_future_of_a_queued_task_means_it_never_runs() {
    let (client, gate, busy, ran) = busy_worker();
    let r = ran.clone();
    drop(client.submit_impure(move |_: u8| r.fetch_add(1, Ordering::SeqCst), 0_u8));
    gate.store(true, Ordering::SeqCst);
    busy.result().unwrap();
    drop(busy);
    assert!(eventually(|| all_released(&client)));
    assert_eq!(ran.load(Ordering::SeqCst), 0);
}

#[test]
fn cancelling_a_running_task_drops_its_result() {
    let client = client();
    let gate = Arc::new(AtomicBool::new(false));
    let busy = blocker(&client, &gate);
    assert!(eventually(|| busy.state() == TaskState::Processing));
    busy.cancel();
    assert_eq!(busy.status(), Status::Cancelled);
    gate.store(true, Ordering::SeqCst);
    assert!(eventually(|| client
        .groups()
        .iter()
        .all(|g| g.processing == 0 && g.memory == 0)));
    assert!(matches!(busy.result(), Err(Error::Cancelled { .. })));
}

#[test]
fn added_workers_pick_up_queued_work() {
    let client = Client::with_config(Config {
        threads: Some(2),
        workers: Some(1),
        ..Config::default()
    });
    assert_eq!((client.workers(), client.max_workers()), (1, 2));
    let running = Arc::new(AtomicUsize::new(0));
    let both_ran_together = |running: Arc<AtomicUsize>| {
        move |_: u8| {
            running.fetch_add(1, Ordering::SeqCst);
            let start = Instant::now();
            while running.load(Ordering::SeqCst) < 2 && start.elapsed() < Duration::from_secs(10) {
                std::thread::sleep(Duration::from_millis(1));
            }
            running.load(Ordering::SeqCst) >= 2
        }
    };
    let a = client.submit_impure(both_ran_together(running.clone()), 0_u8);
    let b = client.submit_impure(both_ran_together(running.clone()), 1_u8);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(
        running.load(Ordering::SeqCst),
        1,
        "one worker runs one task at a time"
    );
    assert_eq!(client.add_workers(1), 2);
    assert_eq!(client.add_workers(5), 2, "no more workers than threads");
    assert!(a.result().unwrap() && b.result().unwrap());
}

#[test]
fn waiting_inside_a_task_does_not_deadlock_a_single_worker() {
    let client = Client::with_config(Config {
        threads: Some(1),
        ..Config::default()
    });
    let gate = Arc::new(AtomicBool::new(false));
    let busy = blocker(&client, &gate);
    let inner = client.submit_impure(|x: i64| x * 2, 21);
    let inner_for_task = inner.clone();
    let outer = client.submit_impure(move |_: u8| inner_for_task.result(), 0_u8);
    gate.store(true, Ordering::SeqCst);
    busy.result().unwrap();
    assert_eq!(outer.result().unwrap(), 42);
}

#[test]
fn cycles_are_errors_at_submission_naming_their_keys_and_nothing_runs() {
    let client = client();
    let ran = Arc::new(AtomicUsize::new(0));
    let r = ran.clone();
    let f: TaskFn = Arc::new(move |_: &[Value]| {
        r.fetch_add(1, Ordering::SeqCst);
        Ok(Value::new(()))
    });
    let task = |key: &Key, args: Vec<Input>| Delayed::from_task(key.clone(), f.clone(), args);
    // `a` needs `b`, which needs a node with `a`'s key: the same task, so a cycle, below a
    // root that is not on it.
    let [root, a, b, c] = ["root-0", "a-1", "b-2", "c-3"].map(Key::from_text);
    let b_node = task(&b, vec![Input::Delayed(task(&a, vec![]))]);
    let a_node = task(&a, vec![Input::Delayed(b_node)]);
    let top = task(&root, vec![Input::Delayed(a_node)]);
    let err = client
        .compute_many(&[task(&c, vec![]), top.clone()])
        .unwrap_err();
    assert_eq!(
        err,
        Error::Graph(GraphError::Cycle {
            keys: vec![a.clone(), b.clone()]
        })
    );
    assert!(err.to_string().contains("`a-1` -> `b-2` -> `a-1`"), "{err}");
    assert!(top.persist_on(&client).is_err());
    // A submit whose argument closes the cycle fails its future with the same report.
    let submitted = client.submit_impure(|x: ()| x, top.downcast::<()>());
    assert!(
        submitted
            .result()
            .unwrap_err()
            .to_string()
            .contains("`a-1` -> `b-2` -> `a-1`"),
        "{:?}",
        submitted.result()
    );
    drop(submitted);
    assert_eq!(ran.load(Ordering::SeqCst), 0);
    assert!(eventually(|| all_released(&client)));
}

#[test]
fn delayed_values_can_take_live_futures() {
    let client = client();
    let base = client.submit(|x: i64| x + 1, 1);
    let times_ten: TaskFn = Arc::new(|args: &[Value]| {
        Ok(Value::new(
            args[0].downcast_ref::<i64>().copied().unwrap_or(0) * 10,
        ))
    });
    let top = Delayed::from_task(
        Key::from_text("top-1"),
        times_ten,
        vec![Input::Future(base.into_dyn())],
    );
    let out = client.compute(&top).unwrap();
    assert_eq!(out.result().unwrap().downcast_ref::<i64>(), Some(&20));
}

#[test]
fn events_describe_every_task() {
    let client = client();
    let d = delayed(|x: i64| x + 1).named("inc");
    let total = sum((0..10).map(|i| d.call(i)));
    assert_eq!(total.compute_on(&client).unwrap(), 55);
    assert!(eventually(|| all_released(&client)));
    let events = client.events().drain();
    assert_eq!(client.events().dropped(), 0);
    let finished: Vec<_> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Finished {
                worker,
                start,
                bytes,
                erred,
            } => Some((e, worker, start, bytes, erred)),
            _ => None,
        })
        .collect();
    assert_eq!(finished.len(), 19); // 10 inc + 9 add
    for (e, worker, start, bytes, erred) in &finished {
        assert!(*worker < 2 && !erred && *bytes == 8);
        assert!(e.time >= *start);
    }
    let started = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Started { .. }))
        .count();
    assert_eq!(started, 19);
    let released = events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::State {
                    to: TaskState::Released,
                    ..
                }
            )
        })
        .count();
    assert_eq!(released, 19);
    // Each task's own events are complete and in life order, with times that never go back
    // (events of one step share a clock read, so equal times are expected).
    let mut by_key: std::collections::HashMap<_, Vec<_>> = std::collections::HashMap::new();
    for e in &events {
        by_key.entry(e.key.clone()).or_default().push(e);
    }
    assert_eq!(by_key.len(), 19);
    for (key, life) in &by_key {
        let kinds: Vec<&str> = life
            .iter()
            .map(|e| match e.kind {
                EventKind::Added { .. } => "new",
                EventKind::State {
                    from: TaskState::Waiting,
                    to: TaskState::Ready,
                } => "ready",
                EventKind::Started { .. } => "started",
                EventKind::Finished { .. } => "finished",
                EventKind::State {
                    from: TaskState::Memory,
                    to: TaskState::Released,
                } => "released",
                _ => "other",
            })
            .collect();
        assert_eq!(
            kinds,
            ["new", "ready", "started", "finished", "released"],
            "{key}"
        );
        assert!(life.windows(2).all(|w| w[0].time <= w[1].time), "{key}");
    }
    // The `Added` events carry the graph's edges: each of the 9 adds takes two inputs, the
    // incs take none.
    let mut edges = 0;
    for e in &events {
        if let EventKind::Added { deps } = &e.kind {
            match e.key.group() {
                "inc" => assert!(deps.is_empty()),
                _ => {
                    assert_eq!(deps.len(), 2, "{}", e.key);
                    assert!(deps.iter().all(|d| by_key.contains_key(d)));
                }
            }
            edges += deps.len();
        }
    }
    assert_eq!(edges, 18);
    // Every result that entered memory left it.
    let mut in_memory = std::collections::HashSet::new();
    for e in &events {
        match &e.kind {
            EventKind::Finished { erred: false, .. } => {
                in_memory.insert(e.key.clone());
            }
            EventKind::State {
                to: TaskState::Released,
                ..
            } => {
                in_memory.remove(&e.key);
            }
            _ => {}
        }
    }
    assert!(in_memory.is_empty(), "{in_memory:?}");
}

#[test]
fn awaiting_a_future_never_blocks() {
    use std::future::Future as _;
    use std::task::{Context, Poll, Waker};
    let client = client();
    let gate = Arc::new(AtomicBool::new(false));
    let mut busy = blocker(&client, &gate);
    assert!(busy.try_result().is_none());
    let mut cx = Context::from_waker(Waker::noop());
    assert!(std::pin::Pin::new(&mut busy).poll(&mut cx).is_pending());
    gate.store(true, Ordering::SeqCst);
    assert!(eventually(|| matches!(
        std::pin::Pin::new(&mut busy).poll(&mut cx),
        Poll::Ready(Ok(true))
    )));
}

#[test]
fn wrong_types_are_errors_not_panics() {
    let client = client();
    let f = client
        .submit_impure(|x: i64| x, 1)
        .into_dyn()
        .downcast::<String>();
    assert!(matches!(f.result(), Err(Error::WrongType { .. })));
}

/// Counters are booked inside each task's own state change, so a snapshot taken while tasks
/// move between threads never sees a count below zero (an unsigned dip would read as about
/// 1.8e19) nor more tasks in a state than were ever submitted. In debug builds a dip also
/// trips an assertion where it happens.
#[test]
fn group_counters_never_dip_below_zero_while_tasks_move() {
    const ROUNDS: u64 = 40;
    const WIDTH: u64 = 200;
    let client = Client::with_config(Config {
        threads: Some(4),
        ..Config::default()
    });
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = std::thread::spawn({
        let (client, stop) = (client.clone(), stop.clone());
        move || {
            let mut highest = 0;
            while !stop.load(Ordering::SeqCst) {
                for g in client.groups() {
                    let counts = [g.waiting, g.ready, g.processing, g.memory, g.erred];
                    highest = counts.into_iter().fold(highest, u64::max);
                }
            }
            highest
        }
    });
    let inc = delayed(|x: u64| x + 1);
    for round in 0..ROUNDS {
        // Results released by whichever thread drops the last reference: the `add` that
        // consumed them, or this thread dropping futures it never waits for.
        let total = sum((0..WIDTH).map(|i| inc.call(i))).compute_on(&client);
        assert_eq!(total.unwrap(), WIDTH * (WIDTH + 1) / 2, "round {round}");
        drop(client.map(|x: u64| x * 2, 0..WIDTH));
    }
    stop.store(true, Ordering::SeqCst);
    let highest = watcher.join().unwrap();
    assert!(
        highest <= ROUNDS * 3 * WIDTH,
        "a counter read {highest}: it dipped below zero"
    );
    assert!(eventually(|| all_released(&client)));
}

#[test]
fn tasks_run_as_workers_0_to_n_on_a_pool_with_spare_threads() {
    // The page's pool has spare threads beside its workers; whichever threads rayon picks,
    // a task is reported as run by one of the `workers`.
    let client = Client::with_config(Config {
        workers: Some(2),
        threads: Some(6),
        ..Config::default()
    });
    let recording = client.record_task_stream();
    let futures: Vec<_> = (0..400u64)
        .map(|i| {
            client.submit(
                |i: u64| {
                    std::thread::sleep(Duration::from_micros(50));
                    i
                },
                i,
            )
        })
        .collect();
    client.wait(&futures);
    let workers: std::collections::BTreeSet<usize> = futures
        .iter()
        .filter_map(skein_core::Future::worker)
        .collect();
    assert_eq!(
        futures.iter().filter(|f| f.worker().is_some()).count(),
        400,
        "every finished task names its worker"
    );
    assert!(workers.iter().all(|&w| w < 2), "{workers:?}");
    let records = recording.records();
    assert_eq!(records.len(), 400);
    assert!(records.iter().all(|r| r.worker < 2));
}
