//! `skein bench`: the labs' speed, each figure next to a baseline run in the same process.
//!
//! Prints one JSON object per line. Times are the best of several runs (the least disturbed
//! by other work on the machine). Where a figure uses several threads, the CPU time of the
//! best run is given too (`cpu_seconds`, all threads together): on a machine shared with
//! other work the wall time can stretch, but `cpu_seconds / cores` is what an idle machine's
//! wall time would be with perfect scaling. Each line also carries the one-minute load
//! average, so readers can tell a busy run from a quiet one.

use std::hint::black_box;
use std::time::Instant;

use rand::RngExt;
use serde_json::json;
use skein_core::{Client, delayed, sum};
use skein_labs::adjacency::build_adj_matrix;
use skein_labs::drivers;
use skein_labs::error::LabError;
use skein_labs::monte_carlo::multi_sample_seeded;
use skein_labs::rng::rng_from_seed;
use skein_labs::schemes::{LabConfig, activity4_schemes, run_scheme};
use skein_labs::shortest_path::{shortest_path, shortest_path_from};
use skein_labs::traffic::{CityConfig, synthetic_city};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Fewer repetitions and smaller inputs (a smoke run, not a measurement).
    #[arg(long)]
    quick: bool,
}

/// Wall and CPU seconds of the fastest of `reps` runs of `f`.
#[derive(Clone, Copy, Debug)]
struct Timing {
    wall: f64,
    cpu: f64,
}

fn timed<T>(reps: usize, mut f: impl FnMut() -> T) -> Timing {
    (0..reps.max(1))
        .map(|_| {
            let (cpu_start, start) = (cpu_seconds(), Instant::now());
            black_box(f());
            Timing {
                wall: start.elapsed().as_secs_f64(),
                cpu: cpu_seconds() - cpu_start,
            }
        })
        .fold(
            Timing {
                wall: f64::INFINITY,
                cpu: f64::INFINITY,
            },
            |best, t| if t.wall < best.wall { t } else { best },
        )
}

/// Best wall time of `reps` runs of `f`, in seconds.
fn best_of<T>(reps: usize, f: impl FnMut() -> T) -> f64 {
    timed(reps, f).wall
}

/// User + system CPU time of this process (all threads), in seconds.
#[cfg(unix)]
fn cpu_seconds() -> f64 {
    // SAFETY: `rusage` is plain integers, so all-zero is a valid value; `getrusage` with
    // `RUSAGE_SELF` and a pointer to that live local only writes into it.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &raw mut usage);
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

#[cfg(not(unix))]
fn cpu_seconds() -> f64 {
    f64::NAN
}

/// The one-minute load average (Linux), or `null`.
fn load_average() -> serde_json::Value {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(serde_json::Value::Null, |l| json!(l))
}

/// A line of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`: kB there), Linux only.
fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line[field.len()..]
        .trim_start_matches(':')
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Resets the process's peak RSS to the current RSS (Linux ≥ 4.0); whether it could.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// A sum of `calls` trivial delayed calls (`2 * calls - 1` tasks), built and computed, with
/// the process's peak memory while it lives, against the same sum as a plain rayon loop.
fn million_tasks(client: &Client, calls: u64) -> serde_json::Value {
    fn inc(x: u64) -> u64 {
        x.wrapping_add(1)
    }
    let tasks = 2 * calls - 1;
    let peak_was_reset = reset_peak_rss();
    let rss_before = proc_status_bytes("VmRSS");
    let start = Instant::now();
    let f = delayed(inc);
    let total = sum((0..calls).map(|i| f.call(i)));
    let built = start.elapsed().as_secs_f64();
    let result = total.compute_on(client);
    let seconds = start.elapsed().as_secs_f64();
    drop(total);
    let peak = proc_status_bytes("VmHWM");
    let expected = calls * (calls + 1) / 2;
    let baseline = best_of(3, || {
        use rayon::prelude::*;
        (0..calls)
            .into_par_iter()
            .map(|i| black_box(inc(i)))
            .sum::<u64>()
    });
    let peak_bytes = match (peak, rss_before) {
        (Some(p), Some(b)) => Some(p.saturating_sub(b)),
        _ => None,
    };
    const GIB: u64 = 1 << 30;
    json!({
        "bench": "million_tasks", "calls": calls, "tasks": tasks,
        "completed": result.as_ref().ok() == Some(&expected),
        "build_seconds": built, "seconds": seconds, "us_per_task": seconds / tasks as f64 * 1e6,
        "peak_rss_bytes": peak_bytes, "peak_rss_bytes_per_task": peak_bytes.map(|b| b as f64 / tasks as f64),
        "peak_rss_method": if peak_was_reset { "VmHWM after clear_refs, minus VmRSS before" } else { "VmHWM minus VmRSS before (peak not reset)" },
        "baseline": "the same sum as a rayon map-sum", "baseline_seconds": baseline,
        "ratio": seconds / baseline,
        "target_peak_bytes": GIB, "meets_target": tasks >= 1_000_000 && peak_bytes.is_some_and(|b| b < GIB),
    })
}

/// The seed's loop translated literally: two floats per sample and a branch.
fn plain_loop_multi_sample(n: u64, seed: u64) -> u64 {
    let mut rng = rng_from_seed(seed);
    let mut total = 0;
    for _ in 0..n {
        let x: f64 = rng.random();
        let y: f64 = rng.random();
        if x * x + y * y < 1.0 {
            total += 1;
        }
    }
    total
}

pub fn run(args: &Args) -> Result<(), LabError> {
    let reps = if args.quick { 1 } else { 5 };
    let client = Client::new();
    let cores = client.max_workers().max(1);

    // 0. A graph of a million tasks (500,001 calls and 500,000 adds): time and peak memory.
    // First, while the process is small, so the peak is this graph's.
    emit(&million_tasks(
        &client,
        if args.quick { 20_000 } else { 500_001 },
    ));

    // 1. multi_sample on one core, against the literal loop.
    let n: u64 = if args.quick { 1_000_000 } else { 50_000_000 };
    let fast = best_of(reps, || multi_sample_seeded(n, 1));
    let plain = best_of(reps, || plain_loop_multi_sample(n, 1));
    emit(&json!({
        "bench": "multi_sample", "samples": n, "samples_per_sec_per_core": n as f64 / fast,
        "baseline": "literal loop, two f64 draws and a branch per sample",
        "baseline_samples_per_sec": n as f64 / plain, "speedup": plain / fast,
        "target_samples_per_sec_per_core": 2e8, "meets_target": n as f64 / fast >= 2e8,
    }));

    // 2. run_batches through the engine on every worker, against one core.
    let (batches, per_batch) = if args.quick {
        (8, 100_000)
    } else {
        (100, 1_000_000)
    };
    let total = batches as u64 * per_batch;
    let engine = timed(reps, || {
        drivers::pi::run_batches_seeded(batches, per_batch, 7).compute_on(&client)
    });
    let direct = best_of(reps, || {
        (0..batches as u64)
            .map(|i| multi_sample_seeded(per_batch, i))
            .sum::<u64>()
    });
    emit(&json!({
        "bench": "run_batches_engine", "batches": batches, "per_batch": per_batch, "workers": cores,
        "samples_per_sec": total as f64 / engine.wall, "cpu_seconds": engine.cpu,
        "samples_per_cpu_sec": total as f64 / engine.cpu,
        "baseline": "the same batches in a loop on one thread",
        "baseline_samples_per_sec": total as f64 / direct, "speedup": direct / engine.wall,
    }));

    // 2b. The browser's π speed check, run here the same way and summarised as
    // `bench-browser` summarises Chromium's runs.
    let (batches, per_batch) = if args.quick {
        (8, 100_000)
    } else {
        (100, 1_000_000)
    };
    emit(&crate::pi::speed_check(
        if args.quick { 2 } else { 21 },
        batches,
        per_batch,
    ));

    // 3. The whole 16-zone lab, 100 samples per zone, plain and as engine tasks.
    let city = synthetic_city(CityConfig {
        size: 16,
        seed: 2024,
    })?;
    let config = LabConfig {
        samples_per_zone: 100,
        bins: 20,
        seed: 1,
    };
    let sixteen = activity4_schemes()[0];
    let lab_reps = reps * 20;
    let plain_lab = best_of(lab_reps, || run_scheme(&city, sixteen, config));
    let engine_lab = best_of(lab_reps, || {
        drivers::emergency::run_scheme(&client, &city, sixteen, config)
    });
    let all_schemes = best_of(lab_reps, || {
        drivers::emergency::run_lab(&client, &city, &activity4_schemes(), config)
    });
    emit(&json!({
        "bench": "emergency_lab_16_zones", "samples_per_zone": 100,
        "seconds": plain_lab, "engine_seconds": engine_lab, "engine_overhead": engine_lab / plain_lab,
        "activity4_all_schemes_engine_seconds": all_schemes,
        "target_seconds": 0.010, "meets_target": plain_lab <= 0.010 && engine_lab <= 0.010,
    }));

    // 4. All-pairs shortest paths on a 64×64 grid: parallel against one source at a time.
    let side = if args.quick { 32 } else { 64 };
    let grid = synthetic_city(CityConfig {
        size: side,
        seed: 5,
    })?;
    let graph = build_adj_matrix(&grid)?;
    let apsp_reps = if args.quick { 1 } else { 3 };
    let parallel = timed(apsp_reps, || shortest_path(&graph));
    let serial = best_of(apsp_reps, || {
        (0..graph.nodes())
            .map(|s| shortest_path_from(&graph, s))
            .collect::<Vec<_>>()
    });
    emit(&json!({
        "bench": "apsp", "grid": [side, side], "nodes": graph.nodes(), "threads": rayon::current_num_threads(),
        "seconds": parallel.wall, "cpu_seconds": parallel.cpu,
        "baseline": "one Dijkstra after another on one thread",
        "baseline_seconds": serial, "speedup": serial / parallel.wall,
        "target_seconds": 1.0, "meets_target": parallel.wall <= 1.0,
    }));

    // 5. Python tasks and the seed's pure-Python sampler.
    match crate::python_bench::lines(args.quick) {
        Ok(lines) => lines.iter().for_each(emit),
        Err(error) => emit(&json!({ "bench": "python", "error": error })),
    }
    Ok(())
}

fn emit(line: &serde_json::Value) {
    let mut line = line.clone();
    line["loadavg_1m"] = load_average();
    println!("{line}");
    let line = &line;
    eprintln!("{}", summary(line));
}

/// A one-line human reading of a bench line.
fn summary(line: &serde_json::Value) -> String {
    let num = |k: &str| line[k].as_f64().unwrap_or(f64::NAN);
    match line["bench"].as_str().unwrap_or("") {
        "multi_sample" => format!(
            "multi_sample: {:.0} M samples/s per core ({:.1}x the literal loop)",
            num("samples_per_sec_per_core") / 1e6,
            num("speedup")
        ),
        "run_batches_engine" => format!(
            "run_batches on {} workers: {:.0} M samples/s, {:.0} M per CPU second ({:.2}x one thread)",
            line["workers"],
            num("samples_per_sec") / 1e6,
            num("samples_per_cpu_sec") / 1e6,
            num("speedup")
        ),
        "pi_speed_check" => crate::pi::describe_speed_check(line),
        "emergency_lab_16_zones" => format!(
            "16-zone lab, 100 fires/zone: {:.2} ms plain, {:.2} ms on the engine; all 3 schemes {:.2} ms",
            num("seconds") * 1e3,
            num("engine_seconds") * 1e3,
            num("activity4_all_schemes_engine_seconds") * 1e3
        ),
        "apsp" => format!(
            "APSP {} nodes: {:.3} s on {} threads, {:.3} CPU s ({:.2}x one thread; load {})",
            line["nodes"],
            num("seconds"),
            line["threads"],
            num("cpu_seconds"),
            num("speedup"),
            line["loadavg_1m"]
        ),
        "million_tasks" => format!(
            "{} tasks summed: {:.2} s ({:.2} µs/task, {:.0}x rayon), peak {:.0} MiB ({:.0} B/task)",
            line["tasks"],
            num("seconds"),
            num("us_per_task"),
            num("ratio"),
            num("peak_rss_bytes") / (1 << 20) as f64,
            num("peak_rss_bytes_per_task")
        ),
        "python_tasks" => format!(
            "{} Python tasks: {:.1} µs/task, {:.1} µs over a native task",
            line["tasks"],
            num("us_per_task"),
            num("overhead_us_per_task")
        ),
        "interactive_during_persist" => format!(
            "small computes during a {}-batch persist: {:.3} s ({:.1} batch lengths; idle {:.3} s, whole persist {:.2} s)",
            line["batches"],
            num("seconds"),
            num("batches_waited"),
            num("baseline_seconds"),
            num("persist_seconds")
        ),
        "python_multi_sample" => format!(
            "multi_sample in Python: {:.2} M samples/s per core (CPython {:.2} M/s); 10 runs on {} workers {:.2}x one",
            num("monty_samples_per_sec_per_core") / 1e6,
            num("cpython_samples_per_sec") / 1e6,
            line["workers"],
            num("speedup")
        ),
        other => other.to_owned(),
    }
}
