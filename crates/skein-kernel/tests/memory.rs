//! Releasing what nobody holds: after each cell the kernel keeps only the futures, persisted
//! results and `as_completed` iterators the notebook's variables still reach, as Dask does
//! when the last reference to a key goes.

mod common;

use common::{kernel, run, value};
use skein_kernel::{CellOutcome, Held, Kernel};

fn ok(k: &mut Kernel, source: &str) {
    let (outputs, outcome) = run(k, source);
    assert!(
        matches!(outcome, CellOutcome::Ok { .. }),
        "{source}\n=> {outcome:?}\n{outputs:?}"
    );
}

const SETUP: &str = "from dask.distributed import Client, as_completed\nfrom dask import delayed\nimport dask\nimport time\nimport random\nimport numpy as np\nimport pandas as pd\nclient = Client()\nrng = random.Random(1)\narr = np.arange(4)\ndef inc(x):\n    return x + 1\n";

#[test]
fn rebinding_a_gathered_map_releases_its_futures_while_held_ones_stay_usable() {
    let mut k = kernel();
    ok(&mut k, SETUP);
    ok(
        &mut k,
        "kept = [client.submit(inc, 1)]\nby_name = {'f': client.submit(inc, 10, pure=False)}\n\
         p = delayed(inc)(100).persist()\nac = as_completed([client.submit(inc, 1000, pure=False)])\n\
         single = client.submit(inc, 5000, pure=False)",
    );
    let base = k.held();
    let live_base = k.client().live_tasks();
    for _ in 0..6 {
        ok(
            &mut k,
            "r = client.gather(client.map(inc, list(range(2000)), pure=False))",
        );
        let held = k.held();
        assert!(
            held.futures <= base.futures + 1 && held.delayed <= base.delayed + 1,
            "{held:?} vs {base:?}"
        );
        assert!(
            k.client().live_tasks() <= live_base + 2,
            "{} live tasks, {live_base} at first",
            k.client().live_tasks()
        );
    }
    assert_eq!(value(&mut k, "r[-1]"), "2000");
    // What the notebook holds still works, across cells.
    assert_eq!(value(&mut k, "kept[0].result()"), "2");
    assert_eq!(value(&mut k, "by_name['f'].result()"), "11");
    assert_eq!(value(&mut k, "p.compute()"), "101");
    assert_eq!(
        value(&mut k, "[f.result() for f in ac]"),
        "[1001]",
        "an as_completed in a variable stays usable"
    );
    assert_eq!(value(&mut k, "single.result()"), "5001");
    // Rebinding releases: a future nothing holds any more is gone.
    let before = k.held();
    ok(&mut k, "single = None\nkept = []");
    let after = k.held();
    assert_eq!(after.futures + 2, before.futures, "{after:?} vs {before:?}");
    ok(&mut k, "ac = None");
    assert_eq!(k.held().iterators, 0);
    ok(&mut k, "p = 3");
    assert_eq!(k.held().delayed, 0, "{:?}", k.held());
}

#[test]
fn computed_delayed_lists_are_released_once_rebound() {
    let mut k = kernel();
    ok(&mut k, SETUP);
    ok(&mut k, "@delayed\ndef add(a, b):\n    return a + b\n");
    for _ in 0..3 {
        ok(
            &mut k,
            "t = dask.compute(*[add(i, i) for i in range(1000)])",
        );
        assert_eq!(k.held(), Held::default(), "{:?}", k.held());
    }
    assert_eq!(value(&mut k, "t[-1]"), "1998");
    assert_eq!(k.client().live_tasks(), 0);
    // A pending graph in a variable keeps what it was built on.
    ok(&mut k, "x = add(1, 2).persist()\ny = add(x, 10)");
    ok(&mut k, "z = 0");
    assert_eq!(value(&mut k, "y.compute()"), "13");
}

#[test]
fn futures_nested_in_containers_and_prelude_objects_stay_alive() {
    let mut k = kernel();
    ok(&mut k, SETUP);
    ok(
        &mut k,
        "nested = ({'a': [client.submit(inc, 1, pure=False)]},)\n\
         keyed = {client.submit(inc, 2, pure=False): 'x'}\n\
         s = {client.submit(inc, 3, pure=False)}\n\
         import dask.bag as db\nb = db.from_sequence([1, 2, 3], npartitions=2).map(inc).persist()\n\
         import pandas as pd\nframe = pd.DataFrame({'f': [client.submit(inc, 4, pure=False)]})",
    );
    ok(
        &mut k,
        "junk = client.map(inc, list(range(50)), pure=False)\njunk = None",
    );
    assert_eq!(value(&mut k, "nested[0]['a'][0].result()"), "2");
    assert_eq!(value(&mut k, "list(keyed)[0].result()"), "3");
    assert_eq!(value(&mut k, "list(s)[0].result()"), "4");
    assert_eq!(value(&mut k, "sorted(b.compute())"), "[2, 3, 4]");
    assert_eq!(value(&mut k, "frame['f'][0].result()"), "5");
    let held = k.held();
    assert!(held.futures <= 5, "{held:?}");
}

#[test]
fn what_the_sweep_cannot_look_into_keeps_everything() {
    let mut k = kernel();
    ok(&mut k, SETUP);
    // A user class's instance: Monty cannot list its attributes.
    ok(
        &mut k,
        "class Box:\n    def __init__(self, f):\n        self.f = f\n\nbox = Box(client.submit(inc, 1, pure=False))",
    );
    // A closure holding a future.
    ok(
        &mut k,
        "def make():\n    g = client.submit(inc, 2, pure=False)\n    def get():\n        return g.result()\n    return get\n\ngetter = make()",
    );
    ok(
        &mut k,
        "junk = client.map(inc, list(range(20)), pure=False)\njunk = None",
    );
    assert_eq!(value(&mut k, "box.f.result()"), "2");
    assert_eq!(value(&mut k, "getter()"), "3");
    // Once they go, the next sweep releases.
    ok(&mut k, "box = None\ngetter = None\nBox = None");
    assert_eq!(k.held(), Held::default(), "{:?}", k.held());
}

#[test]
fn a_key_with_a_nul_in_it_keeps_everything_until_it_goes() {
    // The sweep hands the host its keys joined by NUL characters: a key holding one could
    // not be told apart, so nothing is released while it is held.
    let mut k = kernel();
    ok(&mut k, SETUP);
    ok(
        &mut k,
        "odd = client.submit(inc, 1, key='a\\x00b')
junk = client.map(inc, list(range(20)), pure=False)",
    );
    ok(&mut k, "junk = None");
    assert_eq!(k.held().futures, 21, "{:?}", k.held());
    assert_eq!(value(&mut k, "odd.result()"), "2");
    ok(&mut k, "odd = None");
    assert_eq!(k.held(), Held::default(), "{:?}", k.held());
}

#[test]
fn a_task_that_submits_keeps_its_futures_while_tasks_run() {
    let mut k = kernel();
    ok(&mut k, SETUP);
    // The task holds its future in its worker's interpreter, where no sweep looks: the
    // sweep after the second cell (inner task done, outer still asleep) must keep it.
    ok(
        &mut k,
        "import time\ndef outer(x):\n    c = Client()\n    f = c.submit(inc, x, pure=False)\n    time.sleep(1.0)\n    return f.result()\n\nfut = client.submit(outer, 41, pure=False)",
    );
    ok(&mut k, "time.sleep(0.5)");
    assert_eq!(value(&mut k, "fut.result()"), "42");
}

#[test]
fn a_future_held_by_a_variable_a_queue_or_a_dataset_keeps_its_result_until_they_let_go() {
    let mut k = kernel();
    ok(&mut k, SETUP);
    ok(&mut k, "from dask.distributed import Variable, Queue");
    let live_base = k.client().live_tasks();
    // The notebook drops its own reference at once: only the primitives hold the futures.
    ok(
        &mut k,
        "v = Variable('x')\nv.set(client.submit(inc, 41, pure=False))\n\
         q = Queue('q')\nq.put([client.submit(inc, 1, pure=False), client.submit(inc, 2, pure=False)])\n\
         client.publish_dataset(answer=client.submit(inc, 99, pure=False))",
    );
    assert_eq!(
        k.held().futures,
        0,
        "the notebook holds none: {:?}",
        k.held()
    );
    assert_eq!(
        k.client().live_tasks(),
        live_base + 4,
        "the primitives keep all four"
    );
    assert_eq!(value(&mut k, "v.get().result()"), "42");
    assert_eq!(value(&mut k, "client.gather(q.get())"), "[2, 3]");
    assert_eq!(
        value(&mut k, "client.get_dataset('answer').result()"),
        "100"
    );
    // The queue let go of its futures when they were taken; the cells' results dropped them.
    assert_eq!(k.client().live_tasks(), live_base + 2);
    ok(&mut k, "v.delete()");
    assert_eq!(
        k.client().live_tasks(),
        live_base + 1,
        "deleting the variable releases its future"
    );
    ok(&mut k, "client.unpublish_dataset('answer')");
    assert_eq!(k.client().live_tasks(), live_base, "so does unpublishing");
}
