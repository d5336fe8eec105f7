//! Interactive work does not wait behind background work: a small computation a cell starts
//! while an earlier cell's `persist` runs waits for the batches already running, as in Dask;
//! and Dask's generations order work of the same function.

mod common;

use common::run;
use skein_kernel::{CellOutcome, Kernel, KernelConfig};

/// A kernel on a client of its own with two workers, whose task groups a test can read.
fn kernel_on_two_workers() -> (skein_core::Client, Kernel) {
    let client = skein_core::Client::with_config(skein_core::Config {
        workers: Some(2),
        ..Default::default()
    });
    let kernel = Kernel::with_config(KernelConfig {
        client: Some(client.clone()),
    });
    (client, kernel)
}

/// How many `multi_sample` tasks have run.
fn finished_batches(client: &skein_core::Client) -> u64 {
    client
        .groups()
        .into_iter()
        .find(|g| g.name.as_ref() == "multi_sample")
        .map_or(0, |batches| {
            batches.memory + batches.released + batches.erred
        })
}

#[test]
fn seed_ones_small_computes_right_after_a_persist_wait_only_for_the_running_batches() {
    let (client, mut kernel) = kernel_on_two_workers();
    let workers = client.workers();
    let cells = [
        // Seed 1's batches, slowed so that the whole persist lasts many batch lengths.
        "import time\nfrom dask import delayed\n\
         def multi_sample(n):\n    time.sleep(0.02)\n    return n\n\
         batch = delayed(multi_sample)\n\
         @delayed\ndef load(i):\n    return [i, i + 1]\n",
        "persisted = sum([batch(i) for i in range(40)]).persist()",
        "small = sum([load(i).compute()[0] for i in range(3)])",
    ];
    for cell in cells {
        let (outputs, outcome) = run(&mut kernel, cell);
        assert!(
            matches!(outcome, CellOutcome::Ok { .. }),
            "{cell}\n=> {outcome:?}\n{outputs:?}"
        );
    }
    let batches = client
        .groups()
        .into_iter()
        .find(|g| g.name.as_ref() == "multi_sample")
        .expect("the batches' group");
    let finished = 40 - batches.pending();
    assert!(
        finished <= workers as u64 + 2,
        "the small computes waited for {finished} of the persist's 40 batches"
    );
    assert_eq!(common::value(&mut kernel, "persisted.compute()"), "780");
}

/// Seed 1 runs `multi_sample` on a `concurrent.futures.ThreadPoolExecutor` right after its
/// persist of 100 `multi_sample` batches; in CPython the executor's own thread starts it at
/// once. Here it goes before every queued batch, as does `priority=10` on a `submit`, a
/// `compute` or a `persist`, while one at `priority=-1` waits behind everything.
#[test]
fn the_executor_and_a_higher_priority_go_before_a_running_persist() {
    let (client, mut kernel) = kernel_on_two_workers();
    let workers = client.workers() as u64;
    let setup = "import time\nimport concurrent.futures\nimport dask\nfrom dask import delayed\n\
                 from dask.distributed import Client\nclient = Client()\n\
                 def multi_sample(n):\n    time.sleep(0.02)\n    return n\n\
                 batch = delayed(multi_sample)\n";
    for cell in [
        setup,
        "persisted = sum([batch(i) for i in range(60)]).persist()",
        "executor = concurrent.futures.ThreadPoolExecutor()\n\
         out = executor.submit(multi_sample, 1000)\nout.result()",
    ] {
        let (outputs, outcome) = run(&mut kernel, cell);
        assert!(
            matches!(outcome, CellOutcome::Ok { .. }),
            "{cell}\n=> {outcome:?}\n{outputs:?}"
        );
    }
    let after_executor = finished_batches(&client);
    assert!(
        after_executor <= 2 * workers + 1,
        "the executor's task waited for {after_executor} of the persist's 60 batches"
    );
    let mut before = after_executor;
    for urgent in [
        "client.submit(multi_sample, 1, priority=10).result()",
        "client.compute(batch(1), priority=10).result()",
        "dask.compute(batch(2), priority=10)",
        "batch(3).persist(priority=10).compute()",
    ] {
        common::value(&mut kernel, urgent);
        let after = finished_batches(&client);
        assert!(
            after <= before + 2 * workers + 2,
            "{urgent} waited for {} more batches",
            after - before
        );
        before = after;
    }
    assert_eq!(
        common::value(
            &mut kernel,
            "last = client.submit(multi_sample, 2, priority=-1)\nlast.result()"
        ),
        "2"
    );
    // The 60 batches, the executor's task, the four urgent ones and the last.
    assert_eq!(
        finished_batches(&client),
        66,
        "priority=-1 ran before the persist's end"
    );
    assert_eq!(common::value(&mut kernel, "persisted.compute()"), "1770");
}

/// A kernel on two workers that has defined `multi_sample` (20 ms a call) and
/// `batch = delayed(multi_sample)`, then run `cell`, which starts persisting 60 batches.
fn persisting_sixty_batches(cell: &str) -> (skein_core::Client, Kernel) {
    let (client, mut kernel) = kernel_on_two_workers();
    let setup = "import time\nfrom dask import delayed\nfrom dask.distributed import Client\n\
                 client = Client()\ndef multi_sample(n):\n    time.sleep(0.02)\n    return n\n\
                 batch = delayed(multi_sample)\n";
    for cell in [setup, cell] {
        let (outputs, outcome) = run(&mut kernel, cell);
        assert!(
            matches!(outcome, CellOutcome::Ok { .. }),
            "{cell}\n=> {outcome:?}\n{outputs:?}"
        );
    }
    (client, kernel)
}

/// Dask's generations: `compute` and `persist` join the generation of a submission made in the
/// last 60 s, so a `compute` of the persisted batches' own function runs next (its place in
/// its graph is first); `client.submit` joins only within 100 ms, so one made later waits for
/// the whole persist.
#[test]
fn a_compute_of_the_persist_s_function_joins_its_generation_and_a_late_submit_waits() {
    let (client, mut kernel) =
        persisting_sixty_batches("persisted = sum([batch(i) for i in range(60)]).persist()");
    let workers = client.workers() as u64;
    assert_eq!(common::value(&mut kernel, "batch(1000).compute()"), "1000");
    let after_compute = finished_batches(&client);
    assert!(
        after_compute <= 2 * workers + 2,
        "the compute waited for {after_compute} of the persist's 60 batches"
    );
    assert_eq!(
        common::value(
            &mut kernel,
            "time.sleep(0.15)\nlate = client.submit(multi_sample, 7, pure=False)\nlate.result()"
        ),
        "7"
    );
    // The 60 batches, the compute's and the late submit's.
    assert_eq!(
        finished_batches(&client),
        62,
        "the late submit ran before the persist's end"
    );
    assert_eq!(common::value(&mut kernel, "persisted.compute()"), "1770");
}

/// Dask's `fifo_timeout=`: a submit made later than its 100 ms default still joins the running
/// persist's generation when given a longer one, and so starts before the persist's end.
#[test]
fn a_submit_with_a_longer_fifo_timeout_joins_the_running_generation() {
    let (client, mut kernel) = persisting_sixty_batches(
        "persisted = client.persist(sum([batch(i) for i in range(60)]), fifo_timeout='60s')",
    );
    let workers = client.workers() as u64;
    run(&mut kernel, "time.sleep(0.15)");
    let before = finished_batches(&client);
    assert_eq!(
        common::value(
            &mut kernel,
            "joined = client.submit(multi_sample, 7, pure=False, fifo_timeout='1 minute')\njoined.result()"
        ),
        "7"
    );
    let waited = finished_batches(&client) - before;
    assert!(
        waited <= 2 * workers + 2,
        "the submit waited for {waited} more of the persist's 60 batches ({before} had run)"
    );
    assert_eq!(common::value(&mut kernel, "persisted.compute()"), "1770");
    let (_, outcome) = run(
        &mut kernel,
        "client.submit(multi_sample, 1, fifo_timeout='soon')",
    );
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if e.message.contains("'100 ms'")),
        "{outcome:?}"
    );
}
