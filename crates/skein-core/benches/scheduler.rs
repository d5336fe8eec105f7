//! Scheduler overhead, each workload beside a plain rayon (or plain Rust) baseline doing the same
//! work in the same group, so the figures read as ratios.
//!
//! Run briefly: `cargo bench -p skein-core -- --warm-up-time 1 --measurement-time 2`.

// A benchmark's setup: a failed unwrap aborts the run, which is the right outcome.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use skein_core::{Client, Delayed, delayed, sum};

fn inc(x: u64) -> u64 {
    x.wrapping_add(1)
}

/// 100,000 independent trivial tasks, summed by an `add` chain (the seed's pattern).
fn independent_summed(c: &mut Criterion) {
    const N: u64 = 100_000;
    let client = Client::new();
    let mut g = c.benchmark_group("independent_100k_summed");
    g.sample_size(10);
    // Tasks run: N `inc` + (N - 1) `add`.
    g.throughput(Throughput::Elements(2 * N - 1));
    g.bench_function("skein", |b| {
        let f = delayed(inc);
        b.iter(|| sum((0..N).map(|i| f.call(i))).compute_on(&client).unwrap())
    });
    g.bench_function("rayon", |b| {
        b.iter(|| {
            (0..N)
                .into_par_iter()
                .map(|i| black_box(inc(i)))
                .sum::<u64>()
        })
    });
    g.finish();
}

/// Building `sum` of N delayed calls (no computing): O(N) time and memory.
fn build_sum(c: &mut Criterion) {
    let mut g = c.benchmark_group("build_sum");
    g.sample_size(10);
    for n in [10_000_u64, 100_000, 1_000_000] {
        g.throughput(Throughput::Elements(n));
        g.bench_with_input(BenchmarkId::new("skein", n), &n, |b, &n| {
            let f = delayed(inc);
            b.iter_with_large_drop(|| sum((0..n).map(|i| f.call(i))))
        });
        // Baseline: the same number of boxed closures in a vector.
        g.bench_with_input(BenchmarkId::new("boxed_closures", n), &n, |b, &n| {
            b.iter_with_large_drop(|| {
                (0..n)
                    .map(|i| Arc::new(move || inc(i)) as Arc<dyn Fn() -> u64 + Send + Sync>)
                    .collect::<Vec<_>>()
            })
        });
    }
    g.finish();
}

/// A chain of 100,000 dependent tasks.
fn chain(c: &mut Criterion) {
    const N: u64 = 100_000;
    let client = Client::new();
    let mut g = c.benchmark_group("chain_100k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N));
    g.bench_function("skein", |b| {
        let f = delayed(inc);
        b.iter(|| {
            let mut d = Delayed::value(0_u64);
            for _ in 0..N {
                d = f.call(d);
            }
            d.compute_on(&client).unwrap()
        })
    });
    g.bench_function("rayon", |b| {
        b.iter(|| rayon::scope(|_| (0..N).fold(0_u64, |x, _| black_box(inc(x)))))
    });
    g.finish();
}

/// `submit` + `gather` of 100,000 trivial futures.
fn submit_gather(c: &mut Criterion) {
    const N: u64 = 100_000;
    let client = Client::new();
    let mut g = c.benchmark_group("submit_gather_100k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N));
    g.bench_function("skein", |b| {
        b.iter(|| {
            let futures: Vec<_> = (0..N).map(|i| client.submit_impure(inc, i)).collect();
            client.gather(&futures).unwrap()
        })
    });
    g.bench_function("rayon", |b| {
        b.iter(|| {
            (0..N)
                .into_par_iter()
                .map(|i| black_box(inc(i)))
                .collect::<Vec<u64>>()
        })
    });
    g.finish();
}

criterion_group!(benches, independent_summed, build_sum, chain, submit_gather);
criterion_main!(benches);
