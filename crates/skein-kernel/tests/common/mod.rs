//! What every kernel test starts from: a kernel on a real two-worker client, and running a
//! cell for its outputs or its displayed value.

// Each test crate includes this module and uses part of it.
#![allow(dead_code)]

use skein_kernel::{CellOutcome, Kernel, KernelConfig, Output};

/// A fresh kernel whose tasks run on two worker threads of its own client.
pub fn kernel() -> Kernel {
    let client = skein_core::Client::with_config(skein_core::Config {
        workers: Some(2),
        ..Default::default()
    });
    Kernel::with_config(KernelConfig {
        client: Some(client),
    })
}

/// Runs one cell: what it printed and showed, and how it ended.
pub fn run(kernel: &mut Kernel, source: &str) -> (Vec<Output>, CellOutcome) {
    let mut outputs = Vec::new();
    let outcome = kernel.run_cell(source, &mut |o| outputs.push(o));
    (outputs, outcome)
}

/// The display of a cell's last expression; panics, showing the outcome, if there is none.
pub fn value(kernel: &mut Kernel, source: &str) -> String {
    let (outputs, outcome) = run(kernel, source);
    match outcome {
        CellOutcome::Ok {
            value: Some(Output::Value { display, .. }),
        } => display,
        other => panic!("{source}\n=> {other:?}\n{outputs:?}"),
    }
}

/// A cell that sets up what Dask's documented idioms assume: `dask`, `delayed`, a `Client`,
/// `inc` and `add`.
const DASK_SETUP: &str = "import dask\nfrom dask import delayed\nfrom dask.distributed import Client, as_completed, wait\nclient = Client()\ndef inc(x):\n    return x + 1\ndef add(a, b):\n    return a + b\n";

/// A fresh kernel that has run [`DASK_SETUP`].
pub fn ready() -> Kernel {
    let mut k = kernel();
    let (outputs, outcome) = run(&mut k, DASK_SETUP);
    assert!(
        matches!(outcome, CellOutcome::Ok { .. }),
        "{outcome:?} {outputs:?}"
    );
    k
}

/// The printed lines among `outputs`.
pub fn texts(outputs: &[Output]) -> Vec<String> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Text { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}
