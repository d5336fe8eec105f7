//! The first seed's examples ("Parallelizing your own Python algorithms"), line by line.

mod common;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use common::{all_released, client, eventually, multi_sample_seeded};
use skein_core::{Delayed, Status, as_completed, delayed, sum};

fn square(x: i64) -> i64 {
    x * x
}

#[test]
fn square_of_square_of_3_is_81_and_draws_two_tasks() {
    let client = client();
    let sq = delayed(square);
    let d = sq.call(sq.call(3));
    assert_eq!(d.compute_on(&client).unwrap(), 81);
    let picture = d.visualize();
    assert_eq!(picture.tasks(), 2);
    let dot = picture.dot();
    assert_eq!(dot.matches("shape=circle").count(), 2);
    assert_eq!(dot.matches("shape=box").count(), 2);
    assert!(picture.svg().contains("<svg"));
    assert!(eventually(|| all_released(&client)));
}

static SQUARES_RUN: AtomicUsize = AtomicUsize::new(0);

fn counted_square(x: i64) -> i64 {
    SQUARES_RUN.fetch_add(1, Ordering::SeqCst);
    x * x
}

#[test]
fn persist_then_compute_runs_nothing_again() {
    let client = client();
    let persisted = delayed(counted_square).call(3).persist_on(&client).unwrap();
    assert_eq!(persisted.compute_on(&client).unwrap(), 9);
    assert_eq!(persisted.compute_on(&client).unwrap(), 9);
    // Built on the persisted value: only the new task runs.
    assert_eq!((persisted.clone() + 1).compute_on(&client).unwrap(), 10);
    assert_eq!(SQUARES_RUN.load(Ordering::SeqCst), 1);
    // Memory by key shows the persisted square, a few bytes.
    assert!(eventually(|| client
        .group("counted_square")
        .is_some_and(|g| g.memory == 1 && g.bytes == 8)));
    drop(persisted);
    assert!(eventually(|| all_released(&client)));
}

static SEEDS: AtomicU64 = AtomicU64::new(1);

fn multi_sample(n: u64) -> u64 {
    multi_sample_seeded(n, SEEDS.fetch_add(1, Ordering::Relaxed))
}

#[test]
fn sum_of_batches_estimates_pi() {
    let client = client();
    let run_batches = |batches: usize, per_batch: u64| {
        let sample = delayed(multi_sample);
        sum((0..batches).map(|_| sample.call(per_batch)))
    };
    let hits = run_batches(100, 10_000).compute_on(&client).unwrap();
    let pi = hits as f64 * 4.0 / 1e6;
    assert!((pi - std::f64::consts::PI).abs() < 0.02, "{pi}");
    assert!(eventually(|| all_released(&client)));
}

#[test]
fn persisted_sum_keeps_only_the_final_add() {
    let client = client();
    let sample = delayed(multi_sample);
    let total = sum((0..50).map(|_| sample.call(1_000)))
        .persist_on(&client)
        .unwrap();
    total.compute_on(&client).unwrap();
    assert!(eventually(|| {
        let groups = client.groups();
        let memory = |name: &str| {
            groups
                .iter()
                .find(|g| &*g.name == name)
                .map_or(0, |g| g.memory)
        };
        memory("multi_sample") == 0 && memory("add") == 1
    }));
}

#[test]
fn field_access_like_shape_0() {
    let client = client();
    let load = delayed(|n: usize| vec![vec![0_u8; 2]; n]);
    let parts: Vec<Delayed<Vec<Vec<u8>>>> = (0..3).map(|i| load.call(4 + i)).collect();
    let count = sum(parts.iter().map(|p| p.map(|rows| rows.len())));
    assert_eq!(count.compute_on(&client).unwrap(), 4 + 5 + 6);
}

#[test]
fn pure_submissions_share_a_key_and_impure_ones_do_not() {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    fn sample(n: u64) -> u64 {
        RUNS.fetch_add(1, Ordering::SeqCst);
        multi_sample(n)
    }
    let client = client();
    let first = client.submit(sample, 100_000_u64);
    let second = client.submit(sample, 100_000_u64);
    assert_eq!(first.key(), second.key());
    assert!(first.key().as_str().starts_with("sample-"));
    assert_eq!(first.result().unwrap(), second.result().unwrap()); // "the result is identical"
    assert_eq!(second.status(), Status::Finished);
    assert_eq!(RUNS.load(Ordering::SeqCst), 1);
    let third = client.submit_impure(sample, 100_000_u64);
    assert_ne!(third.key(), first.key());
    third.result().unwrap();
    assert_eq!(RUNS.load(Ordering::SeqCst), 2);
    // Delayed: impure by default, `pure()` on request.
    assert_ne!(
        delayed(sample).call(5_u64).key(),
        delayed(sample).call(5_u64).key()
    );
    assert_eq!(
        delayed(sample).pure().call(5_u64).key(),
        delayed(sample).pure().call(5_u64).key()
    );
}

#[test]
fn submit_map_and_gather() {
    let client = client();
    let mut results: Vec<_> = (0..5)
        .map(|_| client.submit_impure(multi_sample, 1_000_u64))
        .collect();
    results.extend(client.map_impure(multi_sample, [1_000_u64, 1_100, 900]));
    let keys: std::collections::HashSet<_> = results.iter().map(|f| f.key().clone()).collect();
    assert_eq!(keys.len(), 8);
    let hits = client.gather(&results).unwrap();
    assert_eq!(hits.len(), 8);
    assert!(hits.iter().all(|&h| h > 600 && h < 1_000));
}

#[test]
fn sampling_until_convergence_with_as_completed_and_add() {
    let client = client();
    let batch_size = 100_000_u64;
    let initial = client.submit_impure(multi_sample, batch_size);
    let completion = as_completed([initial]);
    let (mut old_estimate, mut estimate_count) = (0.0, 0.0);
    let epsilon = 0.0001;
    let mut rounds = 0;
    for future in completion.clone() {
        let result = future.result().unwrap() as f64;
        let mut new_estimate = old_estimate * estimate_count + result * 4.0 / batch_size as f64;
        estimate_count += 1.0;
        new_estimate /= estimate_count;
        rounds += 1;
        if (new_estimate - old_estimate).abs() >= epsilon && rounds < 10_000 {
            completion.add(client.submit_impure(multi_sample, batch_size));
        }
        old_estimate = new_estimate;
    }
    assert!(rounds > 1 && rounds < 10_000, "{rounds}");
    assert!(
        (old_estimate - std::f64::consts::PI).abs() < 0.05,
        "{old_estimate}"
    );
    assert!(completion.is_empty());
}

#[test]
fn as_completed_with_results() {
    let client = client();
    let futures = client.map(|x: i64| x * 10, [1_i64, 2, 3]);
    let mut got: Vec<i64> = as_completed(futures)
        .with_results()
        .map(|(_, r)| r.unwrap())
        .collect();
    got.sort();
    assert_eq!(got, [10, 20, 30]);
}

fn add2(x: i64) -> i64 {
    2 + x
}

fn make_list(n: i64) -> Vec<Option<i64>> {
    vec![None; 2 * n as usize]
}

fn write(mut list: Vec<Option<i64>>, index: i64, val: i64) -> Result<Vec<Option<i64>>, String> {
    let slot = list
        .get_mut(index as usize)
        .ok_or_else(|| format!("index {index} out of range"))?;
    *slot = Some(val);
    Ok(list)
}

fn combine_lists(a: Vec<Option<i64>>, b: Vec<Option<i64>>) -> Vec<Option<i64>> {
    a.into_iter().chain(b).collect()
}

#[test]
fn composing_futures_r1_to_r4() {
    let client = client();
    let r1 = client.submit(add2, 1);
    let r2 = client.submit(make_list, &r1);
    assert_eq!(r2.result().unwrap(), vec![None; 6]);
    let r3 = client.submit(write, (&r2, &r1, 7));
    assert_eq!(
        r3.result().unwrap(),
        [None, None, None, Some(7), None, None]
    );
    let r4 = client.submit(combine_lists, (&r3, vec![Some(-1), Some(-2)]));
    assert_eq!(
        r4.result().unwrap(),
        [None, None, None, Some(7), None, None, Some(-1), Some(-2)]
    );
    // A failing input fails the dependents with the input's error.
    let bad = client.submit(write, (&r2, 100, 7));
    let after = client.submit(combine_lists, (&bad, vec![]));
    let err = after.result().unwrap_err();
    assert_eq!(err.root_key(), Some(bad.key()));
    assert!(err.to_string().contains("index 100 out of range"), "{err}");
    assert_eq!(after.status(), Status::Error);
}

#[test]
fn a_bag_batches_many_items_into_few_tasks() {
    let client = client();
    let bag = skein_core::Bag::from_sequence(0..100_000_u64, 8);
    let squares = bag.map(|x| x * x).filter(|x| x % 3 == 0);
    let sum = squares.sum().compute_on(&client).unwrap();
    let expected: u64 = (0..100_000_u64).map(|x| x * x).filter(|x| x % 3 == 0).sum();
    assert_eq!(sum, expected);
    assert_eq!(squares.compute_on(&client).unwrap().len(), 33_334);
    let ran: u64 = client.groups().iter().map(|g| g.released).sum();
    assert!(ran < 100, "{ran} tasks for 100,000 items");
}
