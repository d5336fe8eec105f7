//! Interactive work does not wait behind background work: a small computation a cell starts
//! while an earlier cell's `persist` runs waits for the batches already running, as in Dask.

mod common;

use common::run;
use skein_kernel::{CellOutcome, Kernel, KernelConfig};

#[test]
fn seed_ones_small_computes_right_after_a_persist_wait_only_for_the_running_batches() {
    let client = skein_core::Client::with_config(skein_core::Config {
        workers: Some(2),
        ..Default::default()
    });
    let workers = client.workers();
    let mut kernel = Kernel::with_config(KernelConfig {
        client: Some(client.clone()),
    });
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
