//! One scheduler workload, run once, for instruction counts under a profiler (wall-clock on a
//! shared machine is noisy; `valgrind --tool=callgrind` counts are not):
//!
//! ```text
//! cargo build --release -p skein-core --example overhead
//! valgrind --tool=callgrind target/release/examples/overhead summed 100000
//! ```
//!
//! Workloads: `summed` (N independent calls summed: N + N−1 tasks), `chain` (N dependent
//! calls), `futures` (N `submit_impure` + `gather`), `build` (`sum` of N calls, not run),
//! `none` (nothing: the process's own start-up, to subtract). Prints the task count so a
//! profile's total divides into instructions per task. A third argument, `events-off`, runs
//! with events turned off (the default records them), to see what recording costs.

// A profiling example: a failed unwrap aborts the run, which is the right outcome.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use skein_core::{Client, Config, Delayed, delayed, sum};

fn inc(x: u64) -> u64 {
    x.wrapping_add(1)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let workload = args.next().unwrap_or_else(|| String::from("summed"));
    let n: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let events_off = args.next().is_some_and(|s| s == "events-off");
    // One thread: a profile under valgrind serialises threads anyway, and one thread makes
    // the count repeatable.
    let client = Client::with_config(Config {
        threads: Some(1),
        event_capacity: if events_off {
            0
        } else {
            Config::default().event_capacity
        },
        ..Config::default()
    });
    let f = delayed(inc);
    let tasks = match workload.as_str() {
        "summed" => {
            let total = sum((0..n).map(|i| f.call(i))).compute_on(&client).unwrap();
            assert_eq!(total, n * (n + 1) / 2);
            2 * n - 1
        }
        "chain" => {
            let mut d = Delayed::value(0_u64);
            for _ in 0..n {
                d = f.call(d);
            }
            assert_eq!(d.compute_on(&client).unwrap(), n);
            n + 1
        }
        "futures" => {
            let futures: Vec<_> = (0..n).map(|i| client.submit_impure(inc, i)).collect();
            let out = client.gather(&futures).unwrap();
            assert_eq!(out.len() as u64, n);
            n
        }
        "build" => {
            let d = sum((0..n).map(|i| f.call(i)));
            std::hint::black_box(&d);
            2 * n - 1
        }
        "none" => 0,
        other => panic!("unknown workload `{other}`"),
    };
    println!("{workload} n={n} tasks={tasks}");
}
