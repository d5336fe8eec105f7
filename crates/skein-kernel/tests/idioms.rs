//! Dask code from the wild, run unchanged (issue 21): each test is an idiom that CPython and
//! Dask run, with Dask's answer.

mod common;

use common::{ready, run, value};
use skein_kernel::CellOutcome;

#[test]
fn compute_takes_delayeds_inside_lists_and_dicts() {
    let mut k = ready();
    run(&mut k, "d1 = delayed(inc)(1)\nd2 = delayed(inc)(2)");
    assert_eq!(value(&mut k, "dask.compute([d1, d2])"), "([2, 3],)");
    assert_eq!(value(&mut k, "dask.compute({'a': d1})"), "({'a': 2},)");
    assert_eq!(value(&mut k, "dask.compute([d1, 5])"), "([2, 5],)");
    assert_eq!(value(&mut k, "dask.compute([[[[d1]]]])"), "([[[[2]]]],)");
    assert_eq!(
        value(&mut k, "dask.compute((d1, [d2]), d1)"),
        "((2, [3]), 2)"
    );
    // Dask's tree reduction: `dask.compute(L)` of a list of Delayeds.
    assert_eq!(
        value(
            &mut k,
            "L = [delayed(inc)(i) for i in range(4)]\ntotal = dask.compute(L)[0]\ntotal"
        ),
        "[1, 2, 3, 4]"
    );
}

#[test]
fn futures_report_dask_s_status_and_retry() {
    let mut k = ready();
    run(
        &mut k,
        "def fail(x):\n    raise ValueError('no')\ndef slow(x):\n    import time\n    time.sleep(5)\n    return x\n",
    );
    assert_eq!(
        value(&mut k, "f = client.submit(inc, 1)\nf.result()\nf.status"),
        "'finished'"
    );
    assert_eq!(
        value(&mut k, "f.done(), f.cancelled(), f.exception()"),
        "(True, False, None)"
    );
    assert_eq!(
        value(&mut k, "g = client.submit(fail, 1)\nwait([g])\ng.status"),
        "'error'"
    );
    assert_eq!(value(&mut k, "repr(g.exception())"), "\"ValueError('no')\"");
    assert_eq!(
        value(
            &mut k,
            "h = client.submit(slow, 1, pure=False)\nh.cancel()\nh.status"
        ),
        "'cancelled'"
    );
    assert_eq!(value(&mut k, "h.cancelled(), h.done()"), "(True, True)");
    // Placement and priority options are accepted (and mean nothing on one machine).
    assert_eq!(
        value(
            &mut k,
            "client.submit(inc, 1, priority=10, workers=['w1'], resources={'GPU': 1}, allow_other_workers=True, key='inc-mine').result()"
        ),
        "2"
    );
    assert_eq!(
        value(&mut k, "client.submit(inc, 41, key='my-key').key"),
        "'my-key'"
    );
    // A flaky function that fails twice, counting its calls in a file.
    run(
        &mut k,
        "def flaky(x):\n    try:\n        n = int(open('calls.txt').read())\n    except FileNotFoundError:\n        n = 0\n    with open('calls.txt', 'w') as out:\n        out.write(str(n + 1))\n    if n < 2:\n        raise RuntimeError('flaky')\n    return x * 10\n",
    );
    assert_eq!(
        value(
            &mut k,
            "client.submit(flaky, 4, retries=5, pure=False).result()"
        ),
        "40"
    );
    assert_eq!(value(&mut k, "open('calls.txt').read()"), "'3'");
    let (_, outcome) = run(
        &mut k,
        "with open('calls.txt', 'w') as out:\n    out.write('0')\nclient.submit(flaky, 4, retries=1, pure=False).result()",
    );
    assert!(matches!(outcome, CellOutcome::Err(_)), "{outcome:?}");
    assert_eq!(
        value(
            &mut k,
            "with open('calls.txt', 'w') as out:\n    out.write('0')\nclient.gather(client.map(flaky, [1], retries=5, pure=False))"
        ),
        "[10]"
    );
    // `Future.retry()` and `client.retry(futures)` run a failed task again under its key.
    assert_eq!(
        value(
            &mut k,
            "with open('calls.txt', 'w') as out:\n    out.write('0')\nr = client.submit(flaky, 7, pure=False)\nwait([r])\nkey = r.key\nr.status"
        ),
        "'error'"
    );
    assert_eq!(
        value(&mut k, "r.retry()\nwait([r])\nr.status, r.key == key"),
        "('error', True)"
    );
    assert_eq!(
        value(
            &mut k,
            "client.retry([r])\nr.result(), open('calls.txt').read()"
        ),
        "(70, '3')"
    );
    assert_eq!(
        value(&mut k, "f.retry()\nf.result()"),
        "2",
        "a finished future stays"
    );
}

#[test]
fn as_completed_is_an_iterator_for_the_tree_reduction() {
    let mut k = ready();
    let shown = value(
        &mut k,
        "futures = client.map(inc, range(8))\nseq = as_completed(futures)\nwhile seq.count() > 1:\n    a = next(seq)\n    b = next(seq)\n    seq.add(client.submit(add, a, b))\nlast = next(seq)\n(last.result(), seq.count(), seq.is_empty())",
    );
    assert_eq!(shown, "(36, 0, True)");
    assert_eq!(
        value(
            &mut k,
            "seq = as_completed(client.map(inc, [1, 2]), with_results=True)\nsorted([r for f, r in seq])"
        ),
        "[2, 3]"
    );
    assert_eq!(
        value(
            &mut k,
            "seq = as_completed(with_results=True)\nseq.update(client.map(inc, [5]))\nnext(seq)[1]"
        ),
        "6"
    );
    let (_, outcome) = run(&mut k, "seq = as_completed([])\nnext(seq)");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if format!("{e:?}").contains("StopIteration")),
        "{outcome:?}"
    );
    assert_eq!(value(&mut k, "next(iter([7]))"), "7");
    // `next` calls `as_completed.__next__` itself (no rewrite), default included.
    assert_eq!(
        value(&mut k, "next(as_completed([]), 'none left')"),
        "'none left'"
    );
}

#[test]
fn comparisons_of_delayeds_are_delayed_and_their_truth_is_an_error() {
    let mut k = ready();
    run(&mut k, "d = delayed(inc)(1)");
    for (op, want) in [
        ("<", "True"),
        ("<=", "True"),
        (">", "False"),
        (">=", "False"),
        ("==", "False"),
        ("!=", "True"),
    ] {
        let shown = value(&mut k, &format!("d {op} 3"));
        assert!(shown.starts_with("Delayed('"), "{op}: {shown}");
        assert_eq!(
            value(&mut k, &format!("(d {op} 3).compute()")),
            want,
            "{op}"
        );
    }
    assert_eq!(value(&mut k, "(3 > d).compute()"), "True");
    let (_, outcome) = run(&mut k, "bool(d)");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if format!("{e:?}").contains("Truth of Delayed objects is not supported")),
        "{outcome:?}"
    );
}

#[test]
fn wildcard_imports_bind_a_module_s_public_names_for_cells_and_tasks() {
    let mut k = ready();
    assert_eq!(
        value(&mut k, "from math import *\nfloor(2.5), pi > 3, sqrt(16)"),
        "(2, True, 4.0)"
    );
    // A task takes the names it uses along.
    run(&mut k, "def hyp(a, b):\n    return sqrt(a * a + b * b)\n");
    assert_eq!(value(&mut k, "client.submit(hyp, 3, 4).result()"), "5.0");
    // Skein's modules too; numpy's names then shadow the builtins, as in CPython.
    assert_eq!(
        value(
            &mut k,
            "from numpy import *\nsum(array([1, 2, 3])), floor(2.5), type(linspace(0, 1, 3)).__name__"
        ),
        "(6, 2.0, 'ndarray')"
    );
    assert_eq!(value(&mut k, "delayed(hyp)(6, 8).compute()"), "10.0");
    let (_, outcome) = run(&mut k, "from dask.nope import *");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if e.message.contains("ModuleNotFoundError: No module named 'dask.nope'")),
        "{outcome:?}"
    );
    let (_, outcome) = run(&mut k, "from re import *");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if e.message.contains("Wildcard imports")),
        "Monty's own modules without a list of names are Monty's to report: {outcome:?}"
    );
}

#[test]
fn the_operator_module_works_in_cells_and_tasks() {
    let mut k = ready();
    assert_eq!(
        value(
            &mut k,
            "import operator\nL = [10, 20, 30]\nclient.submit(operator.getitem, L, 1).result()"
        ),
        "20"
    );
    assert_eq!(
        value(
            &mut k,
            "client.submit(operator.add, 1, 2).key.startswith('add-')"
        ),
        "True"
    );
    assert_eq!(
        value(
            &mut k,
            "client.gather(client.map(operator.mul, [1, 2], [3, 4]))"
        ),
        "[3, 8]"
    );
    assert_eq!(
        value(
            &mut k,
            "from operator import add as plus\ndelayed(plus)(1, 2).compute()"
        ),
        "3"
    );
    assert_eq!(
        value(
            &mut k,
            "from functools import reduce\nreduce(operator.mul, [1, 2, 3, 4])"
        ),
        "24"
    );
    run(
        &mut k,
        "def total(xs):\n    return operator.add(xs[0], xs[1])\n",
    );
    assert_eq!(value(&mut k, "client.submit(total, [4, 5]).result()"), "9");
}

#[test]
fn del_removes_names_and_items() {
    let mut k = ready();
    let (_, outcome) = run(&mut k, "x = 1\ndel x\nx");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if format!("{e:?}").contains("NameError")),
        "{outcome:?}"
    );
    assert_eq!(value(&mut k, "a = 1\nb = 2\nc = 3\ndel a, b\nc"), "3");
    let (_, outcome) = run(&mut k, "a");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if format!("{e:?}").contains("NameError")),
        "{outcome:?}"
    );
    assert_eq!(
        value(
            &mut k,
            "d = {'k': 1, 'j': 2}\nlst = [1, 2, 3, 4, 5]\ndel d['k']\ndel lst[0]\ndel lst[1:3]\n(d, lst)"
        ),
        "({'j': 2}, [2, 5])"
    );
    // Errors keep Python's types, and lines keep their numbers.
    let (_, outcome) = run(&mut k, "d = {}\n\ndel d['missing']");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if format!("{e:?}").contains("KeyError")),
        "{outcome:?}"
    );
    let (_, outcome) = run(&mut k, "del y\n\nnot_defined");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if format!("{e:?}").contains("'y'")),
        "{outcome:?}"
    );
    let (_, outcome) = run(&mut k, "del lst[0], lst[0]\n\nz = 1 / 0");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if format!("{e:?}").contains("line 3")),
        "{outcome:?}"
    );
}

#[test]
fn a_failed_future_has_a_traceback_and_a_finished_one_none() {
    let mut k = ready();
    run(&mut k, "def div(x, y):\n    return x / y\n");
    assert_eq!(
        value(
            &mut k,
            "bad = client.submit(div, 1, 0)\nwait([bad])\nbad.traceback() is not None, bad.traceback()"
        ),
        "(True, <traceback object>)"
    );
    assert_eq!(
        value(&mut k, "ok = client.submit(inc, 1)\nok.traceback() is None"),
        "True"
    );
    // The docs' `traceback.format_tb(future.traceback())`: the user's frames, with their code.
    assert_eq!(
        value(
            &mut k,
            "import traceback\nframes = traceback.format_tb(bad.traceback())\nlen(frames), frames[0].split('\\n')[1].strip()"
        ),
        "(1, 'return x / y')"
    );
    assert!(
        value(&mut k, "frames[0]").contains(", in div"),
        "the frame names the function"
    );
}

#[test]
fn done_callbacks_run_with_the_future_after_wait_or_at_the_cell_s_end() {
    let mut k = ready();
    assert_eq!(
        value(
            &mut k,
            "seen = []\nf = client.submit(inc, 41)\nf.add_done_callback(lambda fut: seen.append(fut.result()))\nwait([f])\nseen"
        ),
        "[42]"
    );
    // Added to a future that is done already: called at once, as Dask does.
    assert_eq!(
        value(
            &mut k,
            "f.add_done_callback(lambda fut: seen.append(fut.key == f.key))\nseen"
        ),
        "[42, True]"
    );
    // Finished by a cell that does not look at callbacks: they run at the cell's end.
    run(
        &mut k,
        "late = []\ng = client.submit(inc, 1)\ng.add_done_callback(lambda fut: late.append(fut.status))",
    );
    run(&mut k, "g.result()");
    assert_eq!(value(&mut k, "late"), "['finished']");
    // A failing callback fails nothing.
    assert_eq!(
        value(
            &mut k,
            "h = client.submit(inc, 2)\nh.add_done_callback(lambda fut: 1 / 0)\nh.result()"
        ),
        "3"
    );
}

#[test]
fn as_completed_batches_hold_every_future_once() {
    let mut k = ready();
    assert_eq!(
        value(
            &mut k,
            "seq = as_completed(client.map(inc, range(6)))\nout = []\nfor batch in seq.batches():\n    out.extend(f.result() for f in batch)\nsorted(out), seq.is_empty()"
        ),
        "([1, 2, 3, 4, 5, 6], True)"
    );
    assert_eq!(value(&mut k, "as_completed([]).batches()"), "[]");
}

#[test]
fn ipython_time_and_timeit_print_their_report_and_time_shows_the_value() {
    let mut k = ready();
    let (outputs, _) = run(&mut k, "%time sum(range(10))");
    let texts: Vec<String> = outputs.iter().filter_map(|o| o.as_text()).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts[0].starts_with("Wall time: "), "{texts:?}");
    assert_eq!(texts[1], "45\n");
    let (outputs, _) = run(&mut k, "%time y = 5\n%timeit sum(range(100))\ny");
    let texts: Vec<String> = outputs.iter().filter_map(|o| o.as_text()).collect();
    assert!(texts[0].starts_with("Wall time: "), "{texts:?}");
    assert!(
        texts[1].contains(" per loop (mean ± std. dev. of 7 runs, 1 loop each)"),
        "{texts:?}"
    );
    assert_eq!(texts[2], "5\n");
    // `%%timeit` shows its report and no value.
    let (outputs, _) = run(&mut k, "%%timeit\nsum(range(10))");
    let texts: Vec<String> = outputs.iter().filter_map(|o| o.as_text()).collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("per loop (mean ± std. dev. of 1 run, 1 loop each)"));
}

#[test]
fn tasks_launch_tasks_with_get_client_worker_client_and_secede() {
    let mut k = ready();
    run(
        &mut k,
        "from dask.distributed import get_client, secede, rejoin, worker_client\n\
         def fib(n):\n    if n < 2:\n        return n\n    c = get_client()\n    a, b = c.gather([c.submit(fib, n - 1), c.submit(fib, n - 2)])\n    return a + b\n\
         def fib_wc(n):\n    if n < 2:\n        return n\n    with worker_client() as c:\n        return c.submit(fib_wc, n - 1).result() + c.submit(fib_wc, n - 2).result()\n\
         def parent(n):\n    c = get_client()\n    futures = c.map(inc, range(n))\n    secede()\n    out = c.gather(futures)\n    rejoin()\n    return sum(out)\n",
    );
    assert_eq!(value(&mut k, "client.submit(fib, 10).result()"), "55");
    assert_eq!(value(&mut k, "client.submit(fib_wc, 7).result()"), "13");
    assert_eq!(value(&mut k, "client.submit(parent, 5).result()"), "15");
}

#[test]
fn delayed_calls_with_nout_unpack_and_are_keyed_by_their_function() {
    let mut k = ready();
    assert_eq!(
        value(
            &mut k,
            "pair = dask.delayed(lambda: (1, 2), nout=2)()\nfirst, second = pair\nfirst.compute(), second.compute(), len(pair)"
        ),
        "(1, 2, 2)"
    );
    assert_eq!(
        value(
            &mut k,
            "@delayed(nout=3)\ndef three(x):\n    return x, x + 1, x + 2\na, b, c = three(5)\nc.compute()"
        ),
        "7"
    );
    // Without `nout` a Delayed has no length, as in Dask.
    assert!(
        value(
            &mut k,
            "try:\n    len(delayed(inc)(1))\nexcept TypeError as e:\n    print(e)\n'raised'"
        )
        .contains("raised")
    );
    // `name=` names the wrapper; its calls are keyed `inc-…` (Dask's `funcname(func)`).
    assert_eq!(
        value(
            &mut k,
            "dask.delayed(inc, name='my-inc')(1).key.split('-')[0]"
        ),
        "'inc'"
    );
    // The methods users call on a Delayed are tasks of their own.
    assert_eq!(
        value(
            &mut k,
            "import numpy as np\narr = delayed(np.arange)(5)\narr.sum().compute(), arr.max().compute(), arr.shape[0].compute()"
        ),
        "(10, 4, 5)"
    );
}

#[test]
fn reading_an_attribute_of_a_delayed_is_a_getattr_task() {
    let mut k = ready();
    run(
        &mut k,
        "class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n",
    );
    assert_eq!(
        value(&mut k, "pt = dask.delayed(Point)(3, 4)\npt.x.compute()"),
        "3"
    );
    assert_eq!(
        value(
            &mut k,
            "type(pt.y).__name__, pt.y.key.startswith('getattr-'), (pt.x + pt.y).compute()"
        ),
        "('Delayed', True, 7)"
    );
    // What a Delayed has of its own stays its own.
    assert_eq!(value(&mut k, "pt.key == pt.key"), "True");
    let (_, outcome) = run(&mut k, "pt._hidden");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if format!("{e:?}").contains("Attribute _hidden not found")),
        "{outcome:?}"
    );
    let (_, outcome) = run(&mut k, "p = Point(1, 2)\np.z");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if format!("{e:?}").contains("'Point' object has no attribute 'z'")),
        "{outcome:?}"
    );
}

#[test]
fn futures_of_who_has_has_what_and_run_report_where_results_are() {
    let mut k = ready();
    run(
        &mut k,
        "from dask.distributed import futures_of\nfs = client.map(inc, range(6))\nwait(fs)\np = client.persist(delayed(inc)(41))\nwait(futures_of(p))\n",
    );
    assert_eq!(
        value(
            &mut k,
            "futures_of([fs[2], {'a': fs[0], 'b': (fs[2], 7)}]) == [fs[0], fs[2]]"
        ),
        "True",
        "each future once, in Dask's order (checked against Dask)"
    );
    assert_eq!(
        value(
            &mut k,
            "[f.key for f in futures_of(p)] == [p.key], len(p.dask)"
        ),
        "(True, 1)",
        "a persisted value's own future, and its one key in its graph"
    );
    assert_eq!(
        value(
            &mut k,
            "wh = client.who_has(fs)\nsorted(wh) == sorted(f.key for f in fs), {len(ws) for ws in wh.values()}"
        ),
        "(True, {1})"
    );
    // Two workers, each holding what it computed; `who_has()` knows the persisted key too.
    assert_eq!(
        value(
            &mut k,
            "hw = client.has_what()\nsorted(hw) == sorted(client.nthreads()), len(hw), all(a in ('skein://worker-0', 'skein://worker-1') for ws in wh.values() for a in ws)"
        ),
        "(True, 2, True)"
    );
    assert_eq!(
        value(
            &mut k,
            "p.key in client.who_has(), sum(len(v) for v in hw.values()) >= 7"
        ),
        "(True, True)"
    );
    assert_eq!(
        value(&mut k, "client.run(lambda: 'hi')"),
        "{'skein://worker-0': 'hi', 'skein://worker-1': 'hi'}"
    );
    // Inside a task, `get_worker()` names one of the same workers.
    assert_eq!(
        value(
            &mut k,
            "from dask.distributed import get_worker\ndef where(x):\n    return get_worker().address\nclient.submit(where, 1).result() in client.nthreads()"
        ),
        "True"
    );
    assert_eq!(
        value(
            &mut k,
            "client.publish_dataset(kept=fs[0])\n'kept' in client.datasets, 'gone' in client.datasets, 'gone' not in client.datasets"
        ),
        "(True, False, True)"
    );
    assert_eq!(
        value(
            &mut k,
            "from dask.base import tokenize\ntokenize(1, [2]) == tokenize(1, [2]), tokenize(1) == tokenize(2), len(tokenize('x'))"
        ),
        "(True, False, 32)"
    );
    // Plain values get Dask's own digits (read from Dask 2026.8).
    assert_eq!(
        value(
            &mut k,
            "tokenize(3), tokenize('a', [1, 2.5], None), tokenize(1, k=(2, 'x'))"
        ),
        "('d3395e15f605bc35ab1bac6341a285e2', '14ef6f2d315aa17234f1bb1a73181608', '8d4839e9f61e8c0244e3ba7bccddb545')"
    );
}
