//! Per-task overhead: 1000 tiny tasks (`x + 1`) summed, as a native Rust task through
//! `skein-core` and as a user-defined Rhai function through the kernel (graph built by the
//! script, each task calling the function on a worker).

use criterion::{Criterion, criterion_group, criterion_main};
use skein_core::{Client, delayed, sum};
use skein_script::{CellOutcome, Kernel};

const TASKS: i64 = 1000;

fn inc(x: i64) -> i64 {
    x + 1
}

fn bench(c: &mut Criterion) {
    let client = Client::current();
    let mut group = c.benchmark_group("1000 tasks");
    group.sample_size(20);

    group.bench_function("native", |b| {
        let f = delayed(inc);
        b.iter(|| {
            sum((0..TASKS).map(|i| f.call(i)))
                .compute_on(&client)
                .unwrap()
        })
    });

    let mut kernel = Kernel::new();
    kernel.run_cell("fn inc(x) { x + 1 }\nlet f = delayed(inc);", &mut |_| {});
    group.bench_function("rhai user fn", |b| {
        b.iter(|| {
            let outcome =
                kernel.run_cell("sum(range(0, 1000).map(|i| f(i))).compute()", &mut |_| {});
            assert!(matches!(outcome, CellOutcome::Ok { value: Some(_) }));
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
