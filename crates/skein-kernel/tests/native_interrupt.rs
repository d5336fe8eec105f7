//! Interrupt stops native lab calls as it stops Python: on the kernel thread and on the
//! workers, which are free again afterwards.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test, as wanted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

mod common;

use common::kernel;
use skein_kernel::{CellOutcome, ErrorKind, Kernel, Output};

fn run(kernel: &mut Kernel, source: &str) -> CellOutcome {
    kernel.run_cell(source, &mut |_| {})
}

/// Runs `source` while another thread interrupts until the cell ends. An interrupt only
/// stops cells already started, so it is repeated rather than timed.
fn run_interrupted(kernel: &mut Kernel, source: &str) -> CellOutcome {
    let handle = kernel.interrupt_handle();
    let done = Arc::new(AtomicBool::new(false));
    let stopper = {
        let done = done.clone();
        std::thread::spawn(move || {
            while !done.load(Ordering::Acquire) {
                handle.interrupt();
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        })
    };
    let outcome = run(kernel, source);
    done.store(true, Ordering::Release);
    stopper.join().unwrap();
    outcome
}

fn assert_interrupted(outcome: &CellOutcome) {
    let CellOutcome::Err(err) = outcome else {
        panic!("not interrupted: {outcome:?}")
    };
    assert_eq!(err.kind, ErrorKind::Interrupted, "{err:?}");
    assert!(err.message.contains("KeyboardInterrupt"), "{}", err.message);
}

#[test]
fn a_huge_native_call_is_interrupted_on_the_kernel_and_on_workers() {
    let mut k = kernel();
    let setup = "from skein.labs import multi_sample\nfrom dask.distributed import Client\nclient = Client()";
    assert!(matches!(run(&mut k, setup), CellOutcome::Ok { .. }));

    // A quadrillion samples: hours of work unless the call stops.
    assert_interrupted(&run_interrupted(&mut k, "multi_sample(10**15)"));

    // Both workers busy with one each; the next task only runs if they stopped.
    assert_interrupted(&run_interrupted(
        &mut k,
        "client.gather([client.submit(multi_sample, 10**15, pure=False) for _ in range(2)])",
    ));
    let mut shown = None;
    let outcome = k.run_cell(
        "client.submit(multi_sample, 1000, pure=False).result() <= 1000",
        &mut |o| {
            if let Output::Value { display, .. } = o {
                shown = Some(display);
            }
        },
    );
    assert!(matches!(outcome, CellOutcome::Ok { .. }), "{outcome:?}");
    assert_eq!(shown.as_deref(), Some("True"));
}
