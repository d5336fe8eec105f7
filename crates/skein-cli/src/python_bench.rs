//! `skein bench`'s Python figures: what a Python task costs on the engine beside a native
//! one, the seed's pure-Python `multi_sample` in Monty — one core, all workers — and the code
//! notebook cells are made of (subscripts, a loop at a cell's top level, a dict), each with
//! CPython timing the same code when `python3` is installed.

use std::time::Instant;

use serde_json::json;
use skein_core::Client;
use skein_kernel::{CellOutcome, Kernel, KernelConfig, Output};

/// The seed's sampling loop, as the notebook has it.
const MULTI_SAMPLE: &str = "import random\n\
def multi_sample(n):\n    total = 0\n    for i in range(n):\n        x = random.uniform(0, 1)\n        y = random.uniform(0, 1)\n        d = x*x + y*y\n        if d < 1:\n            total += 1\n    return total\n";

/// Code as notebook cells have it, as `(case, setup, timed)`: `timed` runs at the cell's top
/// level, after `setup`, with `N` its size.
const CELL_CODE: &[(&str, &str, &str)] = &[
    (
        "subscripts_floyd_warshall",
        "def floyd(n):\n    d = [[0 if i == j else (1 if abs(i - j) == 1 else 10 ** 9) for j in range(n)] for i in range(n)]\n\
         \x20   for k in range(n):\n        dk = d[k]\n        for i in range(n):\n            di = d[i]\n            dik = di[k]\n\
         \x20           for j in range(n):\n                if dik + dk[j] < di[j]:\n                    di[j] = dik + dk[j]\n\
         \x20   return d[0][n - 1]\n",
        "floyd(N // 5000)\n",
    ),
    (
        "top_level_loop",
        "",
        "hits = 0\nfor i in range(N):\n    x = (i * 7919) % 1000 / 1000\n    if x < 0.5:\n        hits += 1\n",
    ),
    (
        "dict_counts",
        "def counts(words):\n    c = {}\n    for w in words:\n        c[w] = c.get(w, 0) + 1\n    return c\n",
        "counts([str(i % 100) for i in range(N)])\n",
    ),
];

/// What a Python task may cost beyond a native one (issue 20's goal).
const TASK_OVERHEAD_TARGET_US: f64 = 5.0;

/// Runs `source` and returns the seconds it took; a failing cell is a bench error.
fn timed_cell(kernel: &mut Kernel, source: &str) -> Result<f64, String> {
    let started = Instant::now();
    let outcome = kernel.run_cell(source, &mut |_| {});
    let seconds = started.elapsed().as_secs_f64();
    match outcome {
        CellOutcome::Ok { .. } => Ok(seconds),
        CellOutcome::Err(err) => Err(format!("bench cell failed:\n{source}\n{}", err.message)),
    }
}

/// Runs `statement` in a cell that times it with `time.perf_counter()`: the statement's
/// seconds, and the whole cell's.
fn self_timed_cell(kernel: &mut Kernel, statement: &str) -> Result<(f64, f64), String> {
    let started = Instant::now();
    let source = format!("_t = time.perf_counter()\n{statement}\ntime.perf_counter() - _t");
    let inside = value(kernel, &source)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("bench cell failed:\n{source}"))?;
    Ok((inside, started.elapsed().as_secs_f64()))
}

fn value(kernel: &mut Kernel, source: &str) -> Option<String> {
    match kernel.run_cell(source, &mut |_| {}) {
        CellOutcome::Ok {
            value: Some(Output::Value { display, .. }),
        } => Some(display),
        _ => None,
    }
}

/// `python_tasks` and `python_multi_sample` lines.
pub fn lines(quick: bool) -> Result<Vec<serde_json::Value>, String> {
    let client = Client::new();
    let workers = client.workers();
    let mut out = vec![interpreter_start(&client)];
    let mut kernel = Kernel::with_config(KernelConfig {
        client: Some(client.clone()),
    });

    // Per-task cost: a trivial Python function through client.map, beside a native one.
    let tasks: u64 = if quick { 2_000 } else { 20_000 };
    timed_cell(
        &mut kernel,
        "from dask.distributed import Client\nclient = Client()\ndef inc(x):\n    return x + 1\n",
    )?;
    timed_cell(
        &mut kernel,
        "client.gather(client.map(inc, list(range(100)), pure=False))",
    )?;
    let python = (0..3)
        .map(|_| {
            timed_cell(
                &mut kernel,
                &format!("r = client.gather(client.map(inc, list(range({tasks})), pure=False))"),
            )
        })
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    let native = (0..3)
        .map(|_| {
            let started = Instant::now();
            let futures = client.map_impure(|x: u64| x + 1, 0..tasks);
            let _ = client.gather(&futures);
            started.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    let overhead_us = (python - native) / tasks as f64 * 1e6;
    out.push(json!({
        "bench": "python_tasks", "tasks": tasks, "workers": workers,
        "seconds": python, "us_per_task": python / tasks as f64 * 1e6,
        "baseline": "the same client.map of a native function", "baseline_seconds": native,
        "overhead_us_per_task": overhead_us,
        "target_overhead_us_per_task": TASK_OVERHEAD_TARGET_US,
        "meets_target": overhead_us <= TASK_OVERHEAD_TARGET_US,
    }));

    out.push(building(
        &mut kernel,
        &client,
        if quick { 500 } else { 5_000 },
    )?);

    // The seed's multi_sample in Python: one run on the kernel thread, then ten on the workers.
    let n: u64 = if quick { 100_000 } else { 1_000_000 };
    timed_cell(&mut kernel, MULTI_SAMPLE)?;
    let one = timed_cell(&mut kernel, &format!("multi_sample({n})"))?;
    let ten = timed_cell(
        &mut kernel,
        &format!("sum(client.gather(client.map(multi_sample, [{n}] * 10, pure=False)))"),
    )?;
    let hits: f64 = value(&mut kernel, &format!("multi_sample({n}) * 4 / {n}"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    let cpython = cpython_samples_per_sec(n);
    out.push(json!({
        "bench": "python_multi_sample", "samples": n, "workers": workers,
        "monty_samples_per_sec_per_core": n as f64 / one,
        "parallel_10_runs_seconds": ten, "parallel_samples_per_sec": 10.0 * n as f64 / ten,
        "speedup": 10.0 * one / ten, "target_speedup_on_2_workers": 1.8,
        "pi_estimate": hits,
        "baseline": "CPython 3 running the same function (when python3 exists)",
        "cpython_samples_per_sec": cpython,
        "monty_vs_cpython": cpython.map(|c| n as f64 / one / c),
    }));

    out.push(interactive_during_persist(
        &mut kernel,
        n / 10,
        one / 10.0,
        workers,
    )?);
    let size: u64 = if quick { 30_000 } else { 300_000 };
    for case in CELL_CODE {
        out.push(cell_code(&mut kernel, case, size)?);
    }
    Ok(out)
}

/// One of [`CELL_CODE`] in a cell, beside CPython running the same text.
fn cell_code(
    kernel: &mut Kernel,
    &(case, setup, timed): &(&str, &str, &str),
    size: u64,
) -> Result<serde_json::Value, String> {
    let body = format!("N = {size}\n{setup}_t = time.perf_counter()\n{timed}");
    let source = format!("{body}time.perf_counter() - _t");
    let skein: f64 = value(kernel, &source)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("bench cell failed:\n{source}"))?;
    let cpython = cpython_seconds(&format!(
        "import time\n{body}print(time.perf_counter() - _t)\n"
    ));
    Ok(json!({
        "bench": "python_cell_code", "case": case, "size": size, "skein_seconds": skein,
        "baseline": "CPython 3 running the same cell (when python3 exists)",
        "cpython_seconds": cpython, "skein_vs_cpython_speed": cpython.map(|c| c / skein),
    }))
}

/// What a new interpreter costs: the process's first runs the prelude, every later one (a
/// worker's for each function it meets, a restarted kernel's) loads the snapshot the first
/// took. Timed as whole kernels, so it must run before any other interpreter of the process.
fn interpreter_start(client: &Client) -> serde_json::Value {
    let new_kernel = || {
        let started = Instant::now();
        let kernel = Kernel::with_config(KernelConfig {
            client: Some(client.clone()),
        });
        let seconds = started.elapsed().as_secs_f64();
        drop(kernel);
        seconds
    };
    let prelude_run = new_kernel();
    let snapshot_load = (0..5).map(|_| new_kernel()).fold(f64::INFINITY, f64::min);
    json!({
        "bench": "interpreter_start",
        "snapshot_load_ms": snapshot_load * 1e3,
        "baseline": "the process's first interpreter, which runs the prelude",
        "baseline_ms": prelude_run * 1e3,
        "speedup": prelude_run / snapshot_load,
    })
}

/// What a cell pays per `delayed(f)(i)` and per `client.submit(f, i)`, key included, beside
/// the engine's own `delayed` call and `submit` in the same process: timed inside the cell,
/// and as the whole cell (which adds the cell's own start and its end-of-cell sweep, a cost
/// per cell that grows with what the notebook holds, not per call).
fn building(kernel: &mut Kernel, client: &Client, calls: u64) -> Result<serde_json::Value, String> {
    timed_cell(
        kernel,
        "import time\nfrom dask import delayed\nfrom dask.distributed import wait",
    )?;
    let (delayed_seconds, delayed_cell) = self_timed_cell(
        kernel,
        &format!("built = [delayed(inc)(i) for i in range({calls})]"),
    )?;
    let (submit_seconds, submit_cell) = self_timed_cell(
        kernel,
        &format!("submitted = [client.submit(inc, i) for i in range({calls})]"),
    )?;
    timed_cell(kernel, "wait(submitted)\nbuilt = None\nsubmitted = None")?;
    let started = Instant::now();
    let inc = skein_core::delayed(|x: u64| x + 1);
    let native_built: Vec<_> = (0..calls).map(|i| inc.call(i)).collect();
    let native_delayed = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let native_submitted: Vec<_> = (0..calls)
        .map(|i| client.submit(|x: u64| x + 1, i))
        .collect();
    let native_submit = started.elapsed().as_secs_f64();
    client.wait(&native_submitted);
    drop(native_built);
    let per_call = |seconds: f64| seconds / calls as f64 * 1e6;
    Ok(json!({
        "bench": "python_building", "calls": calls,
        "delayed_us_per_call": per_call(delayed_seconds),
        "submit_us_per_call": per_call(submit_seconds),
        "cell_delayed_us_per_call": per_call(delayed_cell),
        "cell_submit_us_per_call": per_call(submit_cell),
        "baseline": "the engine's own delayed call and submit, natively, in the same process",
        "native_delayed_us_per_call": per_call(native_delayed),
        "native_submit_us_per_call": per_call(native_submit),
        "target_us_per_call": 20.0,
    }))
}

/// Seed 1's small `compute`s run right after `run_batches(…).persist()`, then one more batch
/// of the persist's own function: the time each takes, in lengths of one batch, beside the
/// small computes on an idle client (Dask waits for the batches already running, not the
/// whole persist).
fn interactive_during_persist(
    kernel: &mut Kernel,
    per_batch: u64,
    batch_seconds: f64,
    workers: usize,
) -> Result<serde_json::Value, String> {
    let batches = 20 * workers;
    timed_cell(
        kernel,
        "from dask import delayed\nbatch = delayed(multi_sample)\n@delayed\ndef load(i):\n    return [i, i + 1]\n",
    )?;
    let small = "sum([load(i).compute()[0] for i in range(3)])";
    let idle = timed_cell(kernel, small)?;
    let started = Instant::now();
    timed_cell(
        kernel,
        &format!("persisted = sum([batch({per_batch}) for i in range({batches})]).persist()"),
    )?;
    let busy = timed_cell(kernel, small)?;
    // One more batch of the persist's own function: Dask's generations put it first among
    // the persist's queued batches (it joins their generation, and is first in its graph).
    let same_function = timed_cell(kernel, &format!("batch({per_batch}).compute()"))?;
    timed_cell(kernel, "persisted.compute()")?;
    let persist = started.elapsed().as_secs_f64();
    Ok(json!({
        "bench": "interactive_during_persist", "batches": batches, "samples_per_batch": per_batch,
        "workers": workers, "batch_seconds": batch_seconds, "persist_seconds": persist,
        "seconds": busy, "batches_waited": busy / batch_seconds,
        "same_function_seconds": same_function,
        "same_function_batches_waited": same_function / batch_seconds,
        "baseline": "the same small computes on an idle client", "baseline_seconds": idle,
        "target": "a few batch lengths, not the whole persist",
    }))
}

/// CPython's samples per second on the same loop, timed inside CPython.
fn cpython_samples_per_sec(n: u64) -> Option<f64> {
    cpython_seconds(&format!(
        "{MULTI_SAMPLE}import time\nt = time.perf_counter()\nmulti_sample({n})\nprint(time.perf_counter() - t)\n"
    ))
    .map(|seconds| n as f64 / seconds)
}

/// The number `script` prints when CPython runs it, if `python3` exists.
fn cpython_seconds(script: &str) -> Option<f64> {
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stdout).trim().parse().ok()
}
