//! The kernel end to end: Python cells with Dask's API, run on a real multi-threaded client.

mod common;

use common::{kernel, ready, run, texts, value};
use skein_kernel::{CellOutcome, Kernel, KernelConfig, Output};

#[test]
fn delayed_functions_build_graphs_that_compute_on_the_workers() {
    let mut k = kernel();
    run(
        &mut k,
        "from dask import delayed\n\n@delayed\ndef square(x):\n    return x*x\n",
    );
    let shown = value(
        &mut k,
        "my_delayed_square_of_3 = square(3)\nmy_delayed_square_of_3",
    );
    assert!(shown.starts_with("Delayed('square-"), "{shown}");
    assert_eq!(value(&mut k, "square(square(3)).compute()"), "81");
    assert_eq!(
        value(
            &mut k,
            "persisted = square(3).persist()\npersisted.compute()"
        ),
        "9"
    );
    let (outputs, _) = run(&mut k, "square(square(3)).visualize()");
    assert!(
        outputs.iter().any(|o| matches!(o, Output::Graph { .. })),
        "{outputs:?}"
    );
}

#[test]
fn the_seed_monte_carlo_cells_run_as_written() {
    let mut k = kernel();
    let cells = [
        "import random\n\ndef sample():\n    x = random.uniform(0, 1)\n    y = random.uniform(0, 1)\n    d = x*x + y*y\n    return 1 if d < 1 else 0\n\nsample()",
        "def bunch_of_samples(n):\n    total = 0\n    for i in range(n):\n        total += sample()\n    return total/n\n\nbunch_of_samples(1000)",
        "from dask import delayed\nsample = delayed(sample)\n\noutput = bunch_of_samples(5)\noutput",
        "output.compute()",
        "@delayed\ndef multi_sample(n):\n    total = 0\n    for i in range(n):\n        x = random.uniform(0, 1)\n        y = random.uniform(0, 1)\n        d = x*x + y*y\n        if d < 1:\n            total += 1\n    return total",
        "def run_batches(batches, per_batch):    \n    return sum([multi_sample(per_batch) for i in range(batches)])\n\nrun_batches(10, 1000).compute() * 4 / 10e3",
    ];
    let shown: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.starts_with("@delayed") {
                run(&mut k, c).0.len().to_string()
            } else {
                value(&mut k, c)
            }
        })
        .collect();
    assert!(shown[0] == "0" || shown[0] == "1");
    assert!(shown[2].starts_with("Delayed('truediv-"), "{}", shown[2]);
    let pi: f64 = shown[5].parse().unwrap();
    assert!((2.8..3.5).contains(&pi), "{pi}");
}

#[test]
fn futures_compose_and_pure_keys_repeat_as_in_dask() {
    let mut k = kernel();
    run(
        &mut k,
        "from dask.distributed import Client, as_completed\nclient = Client()\nimport random\ndef multi_sample(n):\n    total = 0\n    for i in range(n):\n        if random.random() < 0.5:\n            total += 1\n    return total\n",
    );
    let f = value(
        &mut k,
        "sample_future = client.submit(multi_sample, 1000)\nsample_future.result()\nsample_future",
    );
    assert!(
        f.starts_with("<Future: finished, type: int, key: multi_sample-"),
        "{f}"
    );
    assert_eq!(
        value(
            &mut k,
            "client.submit(multi_sample, 1000).key == sample_future.key"
        ),
        "True"
    );
    assert_eq!(
        value(
            &mut k,
            "client.submit(multi_sample, 1000, pure=False).key == sample_future.key"
        ),
        "False"
    );
    assert_eq!(
        value(
            &mut k,
            "len(client.gather(client.map(multi_sample, [10, 20, 30], pure=False)))"
        ),
        "3"
    );
    run(
        &mut k,
        "def add2(x):\n    return 2 + x\n\ndef make_list(n):\n    return [None] * (2*n)\n\ndef write(a_list, index, val):\n    a_list[index] = val\n    return a_list\n\ndef combine_lists(list1, list2):\n    return list1 + list2\n",
    );
    let (outputs, _) = run(
        &mut k,
        "try:\n    make_list(client.submit(add2, 1))\nexcept TypeError as e:\n    print(e)",
    );
    assert_eq!(texts(&outputs).len(), 1, "{outputs:?}");
    run(
        &mut k,
        "r1 = client.submit(add2, 1)\nr2 = client.submit(make_list, r1)\nr3 = client.submit(write, r2, r1, 7)\nr4 = client.submit(combine_lists, r3, [-1, -2])",
    );
    assert_eq!(
        value(&mut k, "r4.result()"),
        "[None, None, None, 7, None, None, -1, -2]"
    );
    let (outputs, outcome) = run(
        &mut k,
        "batch_size = 1000\ninitial_future = client.submit(multi_sample, batch_size, pure=False)\ncompletion_iterator = as_completed([initial_future])\nold_estimate = 0.0\nn = 0\nfor future in completion_iterator:\n    result = future.result()\n    n += 1\n    if n < 5:\n        completion_iterator.add(client.submit(multi_sample, batch_size, pure=False))\n    print(result)",
    );
    assert!(matches!(outcome, CellOutcome::Ok { .. }), "{outcome:?}");
    assert_eq!(texts(&outputs).len(), 5);
}

#[test]
fn a_task_s_exception_comes_back_as_the_same_type() {
    let mut k = kernel();
    run(
        &mut k,
        "from dask.distributed import Client\nclient = Client()\ndef boom(x):\n    raise ValueError('bad ' + str(x))\n",
    );
    let (outputs, _) = run(
        &mut k,
        "try:\n    client.submit(boom, 3).result()\nexcept ValueError as e:\n    print('caught', e)",
    );
    assert_eq!(texts(&outputs), ["caught bad 3"]);
    let (_, outcome) = run(&mut k, "f = client.submit(boom, 4)\nf.result()");
    let CellOutcome::Err(err) = outcome else {
        panic!()
    };
    assert_eq!(err.kind, skein_kernel::ErrorKind::Task);
    assert!(
        err.task_key
            .as_deref()
            .unwrap_or_default()
            .starts_with("boom-"),
        "{err:?}"
    );
    assert!(err.message.contains("ValueError: bad 4"), "{}", err.message);
    assert_eq!(err.line, Some(2));
}

#[test]
fn a_runaway_cell_and_a_runaway_task_are_interrupted() {
    let mut k = kernel();
    let handle = k.interrupt_handle();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        handle.interrupt();
    });
    let (_, outcome) = run(&mut k, "x = 1\nwhile True:\n    pass");
    stopper.join().unwrap();
    let CellOutcome::Err(err) = outcome else {
        panic!()
    };
    assert_eq!(err.kind, skein_kernel::ErrorKind::Interrupted);
    assert_eq!(value(&mut k, "x"), "1", "state survives an interrupt");
    run(
        &mut k,
        "from dask.distributed import Client\nclient = Client()\ndef spin():\n    while True:\n        pass\n",
    );
    let handle = k.interrupt_handle();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        handle.interrupt();
    });
    let (_, outcome) = run(&mut k, "client.submit(spin, pure=False).result()");
    stopper.join().unwrap();
    assert!(matches!(outcome, CellOutcome::Err(_)));
    assert_eq!(value(&mut k, "1 + 1"), "2");
}

#[test]
fn globals_are_captured_when_a_task_is_submitted() {
    let mut k = kernel();
    run(
        &mut k,
        "from dask.distributed import Client\nclient = Client()\nscale = 10\ndef scaled(x):\n    return x * scale\n",
    );
    run(&mut k, "f = client.submit(scaled, 2)\nscale = 1000");
    assert_eq!(value(&mut k, "f.result()"), "20");
    assert_eq!(value(&mut k, "client.submit(scaled, 2).result()"), "2000");
}

#[test]
fn bags_executors_and_toy_frames_work() {
    let mut k = kernel();
    run(
        &mut k,
        "import dask.bag as db\ndef double(x):\n    return 2 * x\n",
    );
    assert_eq!(
        value(
            &mut k,
            "db.from_sequence(list(range(10)), npartitions=3).map(double).compute()"
        ),
        "[0, 2, 4, 6, 8, 10, 12, 14, 16, 18]"
    );
    assert_eq!(
        value(
            &mut k,
            "db.from_sequence(list(range(10)), npartitions=3).map(double).sum().compute()"
        ),
        "90"
    );
    run(
        &mut k,
        "import concurrent.futures\nexecutor = concurrent.futures.ThreadPoolExecutor()\nout = executor.submit(double, 21)",
    );
    assert_eq!(value(&mut k, "out.result()"), "42");
    run(&mut k, "executor.shutdown(wait=True)");
    k.set_file(
        "df-demo.csv",
        std::fs::read("../skein-labs/fixtures/df-demo.csv").unwrap(),
    );
    run(
        &mut k,
        "import pandas as pd\nimport dask\ndef load_csv(filename, blocksize, partition, schema):\n    return pd.read_csv(filename, skiprows=partition*blocksize, nrows=blocksize, names=schema, header=0)\nload_csv = dask.delayed(load_csv)\nparts = [load_csv('df-demo.csv', 6, i, ['player', 'points']) for i in range(3)]\ndef df_count(df):\n    return sum(p.shape[0] for p in df)\n",
    );
    assert_eq!(value(&mut k, "df_count(parts).compute()"), "14");
    let total = value(&mut k, "sum(p['points'].sum() for p in parts).compute()");
    assert!(!total.is_empty());
}

#[test]
fn prints_plots_and_timing_show_as_jupyter_shows_them() {
    let mut k = kernel();
    let (outputs, _) = run(
        &mut k,
        "%%time\n%matplotlib inline\nfrom matplotlib import pyplot as plt\nprint('a', 1)\nplt.hist([1, 2, 2, 3], bins=3)\nplt.title('t')",
    );
    assert_eq!(texts(&outputs)[0], "a 1");
    assert!(texts(&outputs).iter().any(|t| t.starts_with("Wall time: ")));
    assert!(
        outputs.iter().any(|o| matches!(o, Output::Plot(_))),
        "{outputs:?}"
    );
    let (_, outcome) = run(&mut k, "x = [1,\n  2]\nundefined_name + 1");
    let CellOutcome::Err(err) = outcome else {
        panic!()
    };
    assert!(err.message.contains("NameError"), "{}", err.message);
    assert_eq!(err.line, Some(3));
    assert!(
        err.message.contains("undefined_name + 1") && !err.message.contains("_skein_display"),
        "{}",
        err.message
    );
}

#[test]
fn a_task_can_wait_on_tasks_it_submits() {
    // Two workers: a task waiting inside a task helps run queued work, but the scheduler
    // cannot yet hand it the task it waits for in every case (issue 13 makes one worker safe).
    let mut k = kernel();
    run(
        &mut k,
        "from dask.distributed import Client\nfrom dask import delayed\nclient = Client()\ndef inc(x):\n    return x + 1\ndef nested(x):\n    return client.submit(inc, x).result() + delayed(inc)(x).compute()\n",
    );
    assert_eq!(value(&mut k, "client.submit(nested, 1).result()"), "4");
}

#[test]
fn futures_inside_lists_and_dicts_are_dependencies_and_restart_forgets() {
    let mut k = kernel();
    run(
        &mut k,
        "from dask.distributed import Client\nclient = Client()\ndef inc(x):\n    return x + 1\ndef total(xs, extra):\n    return sum(xs) + extra['k']\n",
    );
    assert_eq!(
        value(
            &mut k,
            "a = client.submit(inc, 1)\nb = client.submit(inc, 2)\nclient.submit(total, [a, b], {'k': a}).result()"
        ),
        "7"
    );
    k.restart();
    let (_, outcome) = run(&mut k, "client");
    let CellOutcome::Err(err) = outcome else {
        panic!("the client survived a restart")
    };
    assert!(err.message.contains("NameError"), "{}", err.message);
    assert_eq!(value(&mut k, "1 + 1"), "2");
}

#[test]
fn one_worker_runs_a_task_that_waits_on_another() {
    let client = skein_core::Client::with_config(skein_core::Config {
        workers: Some(1),
        ..Default::default()
    });
    let mut k = Kernel::with_config(KernelConfig {
        client: Some(client),
    });
    run(
        &mut k,
        "from dask.distributed import Client\nfrom dask import delayed\nclient = Client()\ndef inc(x):\n    return x + 1\ndef nested(x):\n    return client.submit(inc, x).result() + delayed(inc)(x).compute()\n",
    );
    assert_eq!(value(&mut k, "client.submit(nested, 1).result()"), "4");
}

#[test]
fn the_pandas_prelude_passes_its_own_asserts() {
    let mut k = kernel();
    let fixture = std::fs::read("../skein-labs/fixtures/df-demo.csv").unwrap();
    k.set_file("crates/skein-labs/fixtures/df-demo.csv", fixture);
    run(&mut k, "import pandas as pd");
    let (outputs, outcome) = run(&mut k, include_str!("../src/prelude/pandas_test.py"));
    assert!(
        matches!(outcome, CellOutcome::Ok { .. }),
        "{outcome:?}\n{outputs:?}"
    );
}

#[test]
fn classes_and_modules_sent_to_a_task_are_type_errors_and_pending_tasks_stay_pending() {
    let mut k = kernel();
    run(
        &mut k,
        "from dask.distributed import Client\nfrom dask import delayed\nimport numpy as np\nimport pandas as pd\nclient = Client()\ndef f(x, y):\n    return x + y\ns = pd.Series([1, 2])\nd = delayed(f)(1, 2)",
    );
    // A class then an instance of it in one crossing once panicked inside Monty's exporter.
    let (outputs, outcome) = run(
        &mut k,
        "for send in [lambda: client.submit(pd.Series, s).result(), lambda: client.submit(f, s, np), lambda: client.compute(delayed(f)(d, pd.Series))]:\n    try:\n        print(type(send()).__name__)\n    except TypeError as e:\n        print(e)",
    );
    assert!(matches!(outcome, CellOutcome::Ok { .. }), "{outcome:?}");
    assert_eq!(
        texts(&outputs),
        [
            // A module's class as the task's callable travels by the path that reaches it.
            "Series",
            "the module numpy cannot be sent to a task: import it inside the function that uses it",
            "<class 'Series'> cannot be sent to a task: Skein sends functions and values, not classes",
        ]
    );
    assert_eq!(value(&mut k, "d.compute()"), "3");
}

#[test]
fn scalar_reads_of_an_array_in_a_loop_agree_with_numpy_and_see_assignments() {
    let mut k = kernel();
    run(
        &mut k,
        "import numpy as np\na = np.arange(12).reshape(3, 4) * 1.5\nreads = [a[i % 3, (i * 5) % 4] for i in range(40)]",
    );
    // Past the first reads the elements come from a cached list: the same values either way
    // (CPython with NumPy gives these).
    assert_eq!(
        value(&mut k, "reads[:6], reads[-3:], a[-1, -1], a[2, 3]"),
        "([0.0, 7.5, 15.0, 4.5, 6.0, 13.5], [7.5, 15.0, 4.5], 16.5, 16.5)"
    );
    assert_eq!(
        value(&mut k, "a[1, 2] = 99.0\na[1, 2], a[1][2]"),
        "(99.0, 99.0)"
    );
    let (_, outcome) = run(&mut k, "a[3, 0]");
    let CellOutcome::Err(error) = outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        error
            .message
            .contains("IndexError: index 3 is out of bounds for axis 0 with size 3"),
        "{}",
        error.message
    );
}

#[test]
fn element_writes_in_a_loop_are_seen_by_every_later_use_as_numpy_sees_them() {
    let mut k = kernel();
    // The lab's adjacency matrix: writes kept pending, then read back, summed, printed.
    run(
        &mut k,
        "import numpy as np\nfrom dask import delayed\nadj = np.zeros((4, 4))\n\
         for i in range(4):\n    for j in range(4):\n        if i != j:\n            adj[i, j] = i * 4 + j",
    );
    assert_eq!(
        value(
            &mut k,
            "adj[1, 2], adj[2][1], float(adj.sum()), adj.tolist()[3]"
        ),
        "(6.0, 9.0, 90.0, [12.0, 13.0, 14.0, 0.0])"
    );
    // As a task's argument while writes are pending.
    assert_eq!(
        value(
            &mut k,
            "adj[0, 0] = 10.0\ndelayed(lambda m: float(m.sum()))(adj).compute()"
        ),
        "100.0"
    );
    // NumPy's casts into an int array, and what printing shows.
    let (outputs, _) = run(
        &mut k,
        "b = np.zeros(3, dtype=int)\nb[0] = 2.7\nb[1] = True\nb[-1] = -4\nprint(b)",
    );
    assert_eq!(texts(&outputs), ["[ 2  1 -4]"]);
    // Reads and writes interleaved (Floyd–Warshall in Python): each read sees every write.
    run(
        &mut k,
        "d = np.array([[0., 4., 1.], [4., 0., 2.], [1., 2., 0.]])\n\
         for m in range(3):\n    for i in range(3):\n        for j in range(3):\n\
         \x20           if d[i, m] + d[m, j] < d[i, j]:\n                d[i, j] = d[i, m] + d[m, j]",
    );
    assert_eq!(
        value(&mut k, "d.tolist()"),
        "[[0.0, 3.0, 1.0], [3.0, 0.0, 2.0], [1.0, 2.0, 0.0]]"
    );
    // Many writes: applied in bounded batches, none lost.
    assert_eq!(
        value(
            &mut k,
            "c = np.zeros(1000)\nfor i in range(1000):\n    c[i] = i\nfloat(c.sum()), c[999], c[-1]"
        ),
        "(499500.0, 999.0, 999.0)"
    );
    // A write out of range fails where it is made, as in NumPy.
    let (_, outcome) = run(&mut k, "b[5] = 1");
    let CellOutcome::Err(error) = outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        error
            .message
            .contains("IndexError: index 5 is out of bounds for axis 0 with size 3"),
        "{}",
        error.message
    );
}

/// `client.gather` of a plain list of futures (it crosses as keys) and of anything else (it
/// crosses as it is) give the same results, statuses and errors, as Dask's do.
#[test]
fn gather_by_keys_and_by_structure_agree() {
    let mut k = common::ready();
    assert_eq!(
        value(
            &mut k,
            "fs = client.map(inc, range(4))\nclient.gather(fs), [f.status for f in fs], fs[0]._type"
        ),
        "([1, 2, 3, 4], ['finished', 'finished', 'finished', 'finished'], 'int')"
    );
    assert_eq!(
        value(
            &mut k,
            "client.gather([fs[0], 5, [fs[1]]]), client.gather((fs[2], fs[3])), client.gather({'a': fs[0]})"
        ),
        "([1, 5, [2]], (3, 4), {'a': 1})"
    );
    assert_eq!(value(&mut k, "client.gather([])"), "[]");
    let (_, outcome) = run(
        &mut k,
        "def boom(x):\n    raise ValueError('bad ' + str(x))\nbad = client.map(boom, [7])\nclient.gather(fs + bad)",
    );
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if e.message.contains("ValueError: bad 7")),
        "{outcome:?}"
    );
    assert_eq!(value(&mut k, "bad[0].status"), "'error'");
}

#[test]
fn subscripts_of_every_kind_read_as_python_reads_them_in_cells_functions_and_tasks() {
    let mut k = ready();
    // A list's `[]` runs inline (`rewrite/subscripts.rs`); everything else still reaches its
    // own `__getitem__`, at a cell's top level too, and a task sees the same.
    run(
        &mut k,
        "import numpy as np\nimport pandas as pd\nimport dask\nclass Box:\n    def __getitem__(self, k):\n        return ('box', k)\n\
         def reads(xs, d, t, s, a, f, b, i):\n    return [xs[i], xs[-1], xs[i:], d[i], t[i], s[i], int(a[i]), int(f['v'][i]), b[i]]\n\
         xs, d, t, s = [10, 20, 30], {1: 'one'}, (7, 8), 'abc'\na, f, b = np.array([5, 6]), pd.DataFrame({'v': [3, 4]}), Box()\n",
    );
    let expected = "[20, 30, [20, 30], 'one', 8, 'b', 6, 4, ('box', 1)]";
    assert_eq!(value(&mut k, "reads(xs, d, t, s, a, f, b, 1)"), expected);
    assert_eq!(
        value(&mut k, "[xs[1], d[1], t[1], s[1], int(a[1]), b[1]]"),
        "[20, 'one', 8, 'b', 6, ('box', 1)]"
    );
    assert_eq!(
        value(
            &mut k,
            "client.submit(reads, xs, d, t, s, a, f, b, 1).result()"
        ),
        expected
    );
    // A Delayed's `[]` is Dask's getitem task; an error keeps Python's type and message.
    assert_eq!(value(&mut k, "dask.delayed(xs)[2].compute()"), "30");
    let (_, outcome) = run(&mut k, "xs[5]");
    let CellOutcome::Err(err) = outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        err.message.contains("IndexError") && err.line == Some(1),
        "{err:?}"
    );
}

#[test]
fn a_cell_that_binds_a_builtin_s_name_changes_nothing_the_dask_api_does() {
    let mut k = ready();
    // Common names for a notebook's own values; the prelude shares the cell's globals, and
    // calls its builtins through aliases that these leave alone (`builtin_aliases.rs`).
    run(
        &mut k,
        "import numpy as np\nimport pandas as pd\nfrom dask.distributed import as_completed\n\
         type, len, sum, max, min, list, str, id = 'fire', 3, 0, 10, -1, [1], 's', 7\n\
         isinstance, sorted, zip, dict, hash, repr = None, None, None, None, None, None\n",
    );
    assert_eq!(
        value(&mut k, "client.gather(client.map(inc, range(4)))"),
        "[1, 2, 3, 4]"
    );
    assert_eq!(value(&mut k, "(delayed(add)(1, 2) + 1).compute()"), "4");
    assert_eq!(
        value(
            &mut k,
            "f = client.submit(inc, 1)\nf.result()\nrepr_text = f.__repr__()\nrepr_text.split(', key')[0]"
        ),
        "'<Future: finished, type: int'"
    );
    assert_eq!(
        value(
            &mut k,
            "[g.result() for g in as_completed(client.map(inc, [5]))]"
        ),
        "[6]"
    );
    assert_eq!(
        value(
            &mut k,
            "pd.DataFrame({'a': [1, 2]})['a'].sum() + np.arange(3).sum()"
        ),
        "6"
    );
    // The cell's own names are still the cell's.
    assert_eq!(value(&mut k, "(type, len, max)"), "('fire', 3, 10)");
}

#[test]
fn top_level_comparisons_and_tests_agree_with_python_for_plain_values_and_dask_for_the_rest() {
    let mut k = ready();
    run(
        &mut k,
        "import pandas as pd\ns = pd.Series([1, 5, 9])\nd = delayed(inc)(1)\nx, y, w, n = 0.25, 3, 'b', None\nseen = {3, 4}\n",
    );
    // Plain values take the inline comparison (`rewrite/compare.rs`), as Python compares.
    assert_eq!(
        value(
            &mut k,
            "[x < 0.5, y >= 3, w == 'b', n != None, y in seen, 'c' not in w, 2 < 1]"
        ),
        "[True, True, True, False, True, True, False]"
    );
    assert_eq!(
        value(
            &mut k,
            "total = 0\nfor i in range(10):\n    if i < 4:\n        total += 1\ntotal"
        ),
        "4"
    );
    // A Series compares as pandas does, a Delayed is Dask's task, and a Delayed's truth is
    // Dask's TypeError, through names as through other expressions.
    assert_eq!(value(&mut k, "t = 4\nlist(s > t)"), "[False, True, True]");
    assert_eq!(value(&mut k, "(d > y).compute()"), "False");
    for test in ["d > y", "d"] {
        let (_, outcome) = run(&mut k, &format!("if {test}:\n    pass\n"));
        let CellOutcome::Err(err) = outcome else {
            panic!("{outcome:?}")
        };
        assert!(
            err.message
                .contains("Truth of Delayed objects is not supported"),
            "{err:?}"
        );
    }
    assert_eq!(
        value(
            &mut k,
            "flags = []\nfor v in [0, 1, '', 'a', None, [2]]:\n    if v:\n        flags.append(v)\nflags"
        ),
        "[1, 'a', [2]]"
    );
}
