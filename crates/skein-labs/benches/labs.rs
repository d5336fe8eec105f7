//! Criterion benchmarks of the labs' hot paths, each beside a same-process baseline.
//! Targets: `multi_sample` ≥ 200 M samples/s per core; the 16-zone lab with 100 samples per
//! zone ≤ 10 ms; APSP of a 64×64 grid ≤ 1 s on 2 cores. Kept short: `cargo bench -p
//! skein-labs` runs in about a minute.

// A benchmark's setup: a failed unwrap aborts the run, which is the right outcome.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::RngExt;
use skein_core::Client;
use skein_labs::adjacency::build_adj_matrix;
use skein_labs::drivers;
use skein_labs::monte_carlo::multi_sample_seeded;
use skein_labs::rng::rng_from_seed;
use skein_labs::schemes::{LabConfig, activity4_schemes, run_scheme};
use skein_labs::shortest_path::{shortest_path, shortest_path_from};
use skein_labs::traffic::{CityConfig, synthetic_city};

/// The seed's loop, literally: two float draws and a branch per sample.
fn literal_multi_sample(n: u64, seed: u64) -> u64 {
    let mut rng = rng_from_seed(seed);
    let mut total = 0;
    for _ in 0..n {
        let (x, y): (f64, f64) = (rng.random(), rng.random());
        if x * x + y * y < 1.0 {
            total += 1;
        }
    }
    total
}

fn monte_carlo(c: &mut Criterion) {
    let n = 1_000_000;
    let mut group = c.benchmark_group("multi_sample");
    group.throughput(Throughput::Elements(n));
    group.bench_function("fast", |b| b.iter(|| multi_sample_seeded(black_box(n), 1)));
    group.bench_function("literal_loop", |b| {
        b.iter(|| literal_multi_sample(black_box(n), 1))
    });
    group.finish();
}

fn emergency(c: &mut Criterion) {
    let city = synthetic_city(CityConfig {
        size: 16,
        seed: 2024,
    })
    .unwrap();
    let config = LabConfig {
        samples_per_zone: 100,
        bins: 20,
        seed: 1,
    };
    let client = Client::new();
    let mut group = c.benchmark_group("emergency_lab_16_zones");
    group.bench_function("plain", |b| {
        b.iter(|| run_scheme(&city, activity4_schemes()[0], config).unwrap())
    });
    group.bench_function("engine", |b| {
        b.iter(|| {
            drivers::emergency::run_scheme(&client, &city, activity4_schemes()[0], config).unwrap()
        })
    });
    group.finish();
}

fn apsp(c: &mut Criterion) {
    let graph =
        build_adj_matrix(&synthetic_city(CityConfig { size: 64, seed: 5 }).unwrap()).unwrap();
    let mut group = c.benchmark_group("apsp_64x64");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("parallel", |b| b.iter(|| shortest_path(&graph).unwrap()));
    group.bench_function("one_thread", |b| {
        b.iter(|| {
            (0..graph.nodes())
                .map(|s| shortest_path_from(&graph, s).unwrap())
                .collect::<Vec<_>>()
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = monte_carlo, emergency, apsp
}
criterion_main!(benches);
