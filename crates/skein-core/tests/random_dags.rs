//! Property test over random DAGs: parallel results equal a sequential evaluation, errors reach
//! exactly the dependents of failing tasks, and every result not held by a future is released.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use common::{all_released, client, eventually};
use proptest::prelude::*;
use skein_core::{Delayed, Input, Key, TaskFn, Value};

#[derive(Clone, Debug)]
struct Node {
    deps: Vec<usize>,
    fails: bool,
}

fn dag() -> impl Strategy<Value = Vec<Node>> {
    (1_usize..40).prop_flat_map(|n| {
        (0..n)
            .map(|i| {
                let deps = if i == 0 {
                    Just(Vec::new()).boxed()
                } else {
                    proptest::collection::vec(0..i, 0..4).boxed()
                };
                (deps, proptest::bool::weighted(0.08))
                    .prop_map(|(deps, fails)| Node { deps, fails })
            })
            .collect::<Vec<_>>()
    })
}

/// The sequential truth: each node's value, or the set of failing nodes it depends on.
fn evaluate(nodes: &[Node]) -> Vec<Result<i64, HashSet<usize>>> {
    let mut out: Vec<Result<i64, HashSet<usize>>> = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let mut causes = HashSet::new();
        let mut total = i as i64;
        for &d in &node.deps {
            match &out[d] {
                Ok(v) => total = total.wrapping_mul(31).wrapping_add(*v),
                Err(c) => causes.extend(c.iter().copied()),
            }
        }
        if node.fails {
            causes.insert(i);
        }
        out.push(if causes.is_empty() {
            Ok(total)
        } else {
            Err(causes)
        });
    }
    out
}

fn key(i: usize) -> Key {
    Key::from_text(&format!("node-{i}"))
}

fn func(i: usize, fails: bool) -> TaskFn {
    Arc::new(move |args: &[Value]| {
        if fails {
            return Err(format!("node {i} fails").into());
        }
        let mut total = args[0].downcast_ref::<i64>().copied().unwrap_or(0);
        for v in &args[1..] {
            total = total
                .wrapping_mul(31)
                .wrapping_add(*v.downcast_ref::<i64>().unwrap_or(&0));
        }
        Ok(Value::new(total))
    })
}

/// The same DAG as `Delayed` values. Where `copies` says so, an argument is a second node
/// built with the same key instead of the shared one (equal keys are one task however many
/// nodes spell them), so the walk meets tasks again both by address and by key.
fn delayed(nodes: &[Node], copies: &[bool]) -> Vec<Delayed> {
    let mut out: Vec<Delayed> = Vec::with_capacity(nodes.len());
    let mut args_of: Vec<Vec<Input>> = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let mut args = vec![Input::value(i as i64)];
        for (j, &d) in node.deps.iter().enumerate() {
            let dep = if copies[(i + j) % copies.len()] {
                Delayed::from_task(key(d), func(d, nodes[d].fails), args_of[d].clone())
            } else {
                out[d].clone()
            };
            args.push(Input::Delayed(dep));
        }
        out.push(Delayed::from_task(
            key(i),
            func(i, node.fails),
            args.clone(),
        ));
        args_of.push(args);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn delayed_graphs_equal_sequential(nodes in dag(), copies in proptest::collection::vec(any::<bool>(), 1..8)) {
        let client = client();
        let expected = evaluate(&nodes);
        let values = delayed(&nodes, &copies);
        // Roots in reverse, so that most are already ordered behind a later one.
        let roots: Vec<Delayed> = values.iter().rev().cloned().collect();
        let futures = client.compute_many(&roots).unwrap();
        for (f, i) in futures.iter().zip((0..nodes.len()).rev()) {
            match (f.result(), &expected[i]) {
                (Ok(v), Ok(w)) => prop_assert_eq!(v.downcast_ref::<i64>(), Some(w), "node {}", i),
                (Err(_), Err(_)) => {}
                (got, want) => prop_assert!(false, "node {}: got {:?}, want {:?}", i, got.map(|_| ()), want),
            }
        }
        drop(futures);
        prop_assert!(eventually(|| all_released(&client)));
    }

    #[test]
    fn parallel_equals_sequential(nodes in dag(), held in proptest::collection::vec(any::<bool>(), 40)) {
        let client = client();
        let expected = evaluate(&nodes);
        let futures = client.compute_many(&delayed(&nodes, &[false])).unwrap();
        for (i, (f, want)) in futures.iter().zip(&expected).enumerate() {
            match (f.result(), want) {
                (Ok(v), Ok(w)) => prop_assert_eq!(v.downcast_ref::<i64>(), Some(w), "node {}", i),
                (Err(e), Err(causes)) => {
                    let root = e.root_key().unwrap().as_str().trim_start_matches("node-").parse::<usize>().unwrap();
                    prop_assert!(causes.contains(&root), "node {} failed from {}, not {:?}", i, root, causes);
                }
                (got, want) => prop_assert!(false, "node {}: got {:?}, want {:?}", i, got.map(|_| ()), want),
            }
        }
        // Keep the futures of some nodes ("persisted"); everything else must be released.
        let kept: Vec<_> = futures.into_iter().zip(&held).filter(|(_, h)| **h).map(|(f, _)| f).collect();
        let kept_ok = kept.iter().filter(|f| f.try_result().is_some_and(|r| r.is_ok())).count() as u64;
        let kept_err = kept.len() as u64 - kept_ok;
        prop_assert!(eventually(|| client.group("node").is_some_and(|g| g.memory == kept_ok && g.erred == kept_err && g.pending() == 0)));
        prop_assert_eq!(client.live_tasks(), kept.len());
        drop(kept);
        prop_assert!(eventually(|| all_released(&client)));
    }
}
