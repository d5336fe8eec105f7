//! Hostile arguments to the notebook's API give a value or a Python exception, never a panic:
//! in the browser a panic aborts every worker and loses the session.
//!
//! Each case is one cell calling one function of the API — numpy and its arrays, pandas,
//! pyplot, `skein.labs`, the client, `delayed`, bags — with arguments drawn from values that
//! break code: huge, negative, NaN, infinite, empty, ragged, deeply nested, the wrong type.
//! A panic anywhere, on the kernel thread or on a worker, is caught by the panic hook and
//! fails the case with the cell's source. A watchdog interrupts a cell that runs long (a
//! valid but huge request), so the run stays short; an interrupted cell is an exception too.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use skein_kernel::{CellOutcome, Kernel};

/// How many cells the test runs (each through the interpreter, a few ms in a debug build).
const CASES: u32 = 6000;
/// How long a cell may run before the watchdog interrupts it.
const WATCHDOG: Duration = Duration::from_secs(2);

const SETUP: &str = "\
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import dask
import dask.bag as db
from dask import delayed
from dask.distributed import Client, as_completed
from skein.labs import multi_sample, traffic_grid, build_adj_matrix, shortest_path
from skein.labs import split_zones, response_to_random_fire, nearest_truck_response
from skein.labs import summarize, random_params
from scipy.sparse.csgraph import shortest_path as csgraph_shortest_path
client = Client()
a = np.arange(12.0).reshape(3, 4)
i = np.arange(6)
m = a > 5
df = pd.DataFrame({'x': [1.0, 2.0, float('nan')], 'y': [3, 4, 5], 'z': ['a', 'b', 'c']})
s = df['x']
def f(*args, **kwargs):
    return args
";

/// Values that break code, as Python source. Modules and classes (`np`, `pd.Series`) are
/// left out: Monty 1.4's exporter panics ("class instance node … does not point at a class
/// type") when one crossing to the host holds a class and then an instance of it. The
/// prelude refuses them on the way into tasks; other host calls can still meet it.
const VALUES: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "-1",
    "-7",
    "4097",
    "17_000_000",
    "2**31",
    "2**32 + 1",
    "2**63 - 1",
    "-2**63",
    "2**64",
    "10**100",
    "0.5",
    "-0.0",
    "1e308",
    "-1e-308",
    "float('nan')",
    "float('inf')",
    "-float('inf')",
    "True",
    "None",
    "'x'",
    "''",
    "'float64'",
    "[]",
    "[[]]",
    "()",
    "{}",
    "{'a': 1}",
    "[1, 2, 3]",
    "[[1, 2], [3]]",
    "[[1.0, 2.0], [3.0, 4.0]]",
    "[[0, 1], [1, 0]]",
    "[[0.0, -1.0], [1.0, 0.0]]",
    "[float('nan'), 1.0]",
    "[1, 'a']",
    "(2, 3)",
    "(-1, 2)",
    "(0, 5)",
    "(2**40, 2**40)",
    "(3, 4)",
    "[True, False, True]",
    "np.zeros(0)",
    "np.zeros((0, 3))",
    "a",
    "i",
    "m",
    "a[0]",
    "df",
    "s",
    "f",
    "lambda x: x",
    "print",
    "[[1] * 3] * 3",
    "range(5)",
    "[a, a]",
    "[df, df]",
];

/// Callables of the API, as Python source.
const FUNCTIONS: &[&str] = &[
    "np.array",
    "np.asarray",
    "np.zeros",
    "np.ones",
    "np.full",
    "np.empty",
    "np.arange",
    "np.linspace",
    "np.hsplit",
    "np.vsplit",
    "np.split",
    "np.concatenate",
    "np.shape",
    "np.percentile",
    "np.median",
    "np.std",
    "np.var",
    "np.ravel",
    "np.transpose",
    "np.reshape",
    "np.sum",
    "np.mean",
    "np.max",
    "np.min",
    "np.any",
    "np.all",
    "np.sqrt",
    "np.exp",
    "np.log",
    "np.abs",
    "np.floor",
    "np.ceil",
    "np.isnan",
    "np.random.random",
    "np.random.rand",
    "np.random.randint",
    "np.random.uniform",
    "np.load",
    "csgraph_shortest_path",
    "a.sum",
    "a.mean",
    "a.max",
    "a.min",
    "a.any",
    "a.all",
    "a.tolist",
    "a.item",
    "a.copy",
    "a.reshape",
    "a.flatten",
    "a.ravel",
    "a.std",
    "a.var",
    "a.transpose",
    "a.astype",
    "i.reshape",
    "m.sum",
    "pd.DataFrame",
    "pd.Series",
    "pd.read_csv",
    "pd.concat",
    "df.head",
    "df.tail",
    "df.sample",
    "df.drop",
    "df.reset_index",
    "df.apply",
    "df.sum",
    "df.mean",
    "df.to_dict",
    "df.to_csv",
    "s.head",
    "s.round",
    "s.apply",
    "s.map",
    "s.astype",
    "s.gt",
    "s.add",
    "s.div",
    "s.var",
    "s.std",
    "s.median",
    "s.unique",
    "s.plot",
    "plt.hist",
    "plt.plot",
    "plt.imshow",
    "plt.title",
    "plt.figure",
    "plt.legend",
    "plt.xlabel",
    "multi_sample",
    "traffic_grid",
    "build_adj_matrix",
    "shortest_path",
    "split_zones",
    "response_to_random_fire",
    "nearest_truck_response",
    "summarize",
    "random_params",
    "client.submit",
    "client.map",
    "client.gather",
    "client.scatter",
    "client.compute",
    "client.cancel",
    "delayed",
    "dask.compute",
    "db.from_sequence",
    "as_completed",
    "f",
];

const KEYWORDS: &[&str] = &[
    "axis",
    "dtype",
    "bins",
    "pure",
    "npartitions",
    "partition_size",
    "size",
    "key",
    "label",
];

const OPERATORS: &[&str] = &[
    "+", "-", "*", "/", "//", "%", "**", "&", "|", "<", "==", ">=",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(VALUES).prop_map(str::to_owned),
        // Nested lists around the array converter's limit (32) and well past it.
        1 => prop::sample::select(vec![2usize, 31, 33, 64, 100])
            .prop_map(|depth| format!("{}1.5{}", "[".repeat(depth), "]".repeat(depth))),
        1 => (prop::sample::select(VALUES), prop::sample::select(VALUES))
            .prop_map(|(x, y)| format!("[{x}, {y}]")),
    ]
}

fn arguments() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(value(), 0..4),
        prop::option::of((prop::sample::select(KEYWORDS), value())),
    )
        .prop_map(|(positional, keyword)| {
            let mut args = positional;
            args.extend(keyword.map(|(k, v)| format!("{k}={v}")));
            args.join(", ")
        })
}

fn cell() -> impl Strategy<Value = String> {
    let function = || prop::sample::select(FUNCTIONS);
    prop_oneof![
        8 => (function(), arguments()).prop_map(|(f, args)| format!("{f}({args})")),
        1 => (function(), arguments())
            .prop_map(|(f, args)| format!("client.submit({f}, {args}).result()")),
        1 => (function(), value())
            .prop_map(|(f, v)| format!("client.gather(client.map({f}, {v}))")),
        1 => (function(), arguments())
            .prop_map(|(f, args)| format!("delayed({f})({args}).compute()")),
        1 => (function(), value(), value()).prop_map(|(f, v, n)| {
            format!("db.from_sequence({v}, npartitions={n}).map({f}).compute()")
        }),
        2 => (prop::sample::select(vec!["a", "i", "m", "df", "s", "df.iloc", "df.loc"]),
              prop::collection::vec(value(), 1..3))
            .prop_map(|(x, keys)| format!("{x}[{}]", keys.join(", "))),
        1 => (value(), value(), value())
            .prop_map(|(start, stop, step)| format!("a[{start}:{stop}:{step}]")),
        1 => (prop::sample::select(vec!["a", "i", "m", "df", "s"]), value(), value())
            .prop_map(|(x, key, v)| format!("b = {x}.copy()\nb[{key}] = {v}\nb")),
        2 => (prop::sample::select(vec!["a", "i", "m", "s", "df"]),
              prop::sample::select(OPERATORS), value())
            .prop_map(|(x, op, v)| format!("{x} {op} {v}")),
        1 => (value(), prop::sample::select(OPERATORS), prop::sample::select(vec!["a", "i", "s"]))
            .prop_map(|(v, op, x)| format!("{v} {op} {x}")),
        1 => value().prop_map(|v| format!("for row in {v}:\n    print(row)")),
    ]
}

/// A kernel with the hostile cells' names defined.
fn kernel() -> Kernel {
    let mut kernel = common::kernel();
    let outcome = kernel.run_cell(SETUP, &mut |_| {});
    assert!(matches!(outcome, CellOutcome::Ok { .. }), "{outcome:?}");
    kernel
}

/// Panics seen by the hook since the last case, on any thread.
static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Runs `source`, interrupting it (repeatedly, until it ends) once it has run for
/// [`WATCHDOG`].
fn run_watched(kernel: &mut Kernel, source: &str) {
    let handle = kernel.interrupt_handle();
    let (done, finished) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(WATCHDOG) == Err(mpsc::RecvTimeoutError::Timeout) {
            while finished.recv_timeout(Duration::from_millis(1))
                == Err(mpsc::RecvTimeoutError::Timeout)
            {
                handle.interrupt();
            }
        }
    });
    kernel.run_cell(source, &mut |_| {});
    drop(done);
    let _ = watchdog.join();
}

#[test]
fn hostile_calls_give_values_or_python_exceptions() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(info.to_string());
        default_hook(info);
    }));
    let kernel = Mutex::new(kernel());
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        rng_seed: RngSeed::Fixed(0x5ce1_2026),
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&cell(), |source| {
        let mut kernel = kernel.lock().unwrap_or_else(PoisonError::into_inner);
        let ran = catch_unwind(AssertUnwindSafe(|| run_watched(&mut kernel, &source)));
        if ran.is_err() {
            // The panic left the interpreter taken out of the kernel: start afresh.
            *kernel = self::kernel();
        }
        let panics = std::mem::take(&mut *PANICS.lock().unwrap_or_else(PoisonError::into_inner));
        if panics.is_empty() {
            Ok(())
        } else {
            Err(TestCaseError::fail(format!(
                "{source}\npanicked: {}",
                panics.join("\n")
            )))
        }
    });
    let _ = std::panic::take_hook();
    if let Err(err) = result {
        panic!("{err}");
    }
}
