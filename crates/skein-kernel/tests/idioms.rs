//! Dask code from the wild, run unchanged (issue 21): each test is an idiom that CPython and
//! Dask run, with Dask's answer.

mod common;

use common::{kernel, run, value};
use skein_kernel::{CellOutcome, Kernel};

const SETUP: &str = "import dask\nfrom dask import delayed\nfrom dask.distributed import Client, as_completed, wait\nclient = Client()\ndef inc(x):\n    return x + 1\ndef add(a, b):\n    return a + b\n";

fn ready() -> Kernel {
    let mut k = kernel();
    let (outputs, outcome) = run(&mut k, SETUP);
    assert!(
        matches!(outcome, CellOutcome::Ok { .. }),
        "{outcome:?} {outputs:?}"
    );
    k
}

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
fn lambdas_partials_and_module_functions_are_tasks() {
    let mut k = ready();
    assert_eq!(
        value(
            &mut k,
            "client.gather(client.map(lambda x: x * 2, [1, 2, 3]))"
        ),
        "[2, 4, 6]"
    );
    assert_eq!(
        value(&mut k, "dask.delayed(lambda x: x + 1)(1).compute()"),
        "2"
    );
    assert_eq!(
        value(&mut k, "delayed(lambda x: x + 1)(1)")
            .split('-')
            .next()
            .unwrap(),
        "Delayed('lambda"
    );
    assert_eq!(
        value(
            &mut k,
            "import dask.bag as db\ndb.from_sequence(range(6), npartitions=2).map(lambda x: x * 10).filter(lambda x: x > 20).compute()"
        ),
        "[30, 40, 50]"
    );
    // A lambda reads the globals it names as they are when it is submitted.
    assert_eq!(
        value(
            &mut k,
            "k = 5\nf = client.submit(lambda x: x * k, 2)\nk = 6\nf.result()"
        ),
        "10"
    );
    assert_eq!(
        value(
            &mut k,
            "import functools\nclient.submit(functools.partial(add, 10), 1).result()"
        ),
        "11"
    );
    assert_eq!(
        value(
            &mut k,
            "client.gather(client.map(functools.partial(add, b=100), [1, 2]))"
        ),
        "[101, 102]"
    );
    assert_eq!(
        value(&mut k, "delayed(functools.partial(add, 1))(2).compute()"),
        "3"
    );
    assert_eq!(
        value(
            &mut k,
            "import numpy as np\na = np.array([1, 2, 3])\nclient.submit(np.sum, a).result()"
        ),
        "6"
    );
    // Functions of Monty's own modules, and imports inside the task function (Dask's advice).
    assert_eq!(
        value(
            &mut k,
            "import time, math\nclient.submit(time.sleep, 0.01).result(), client.submit(math.sqrt, 16).result()"
        ),
        "(None, 4.0)"
    );
    assert_eq!(
        value(
            &mut k,
            "def uses_numpy(n):\n    import numpy as np\n    from operator import mul\n    return mul(int(np.arange(n).sum()), 2)\nclient.submit(uses_numpy, 10).result()"
        ),
        "90"
    );
    assert_eq!(
        value(
            &mut k,
            "from scipy.sparse.csgraph import shortest_path
g = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
f = client.map(shortest_path, [g])[0]
(f.key.startswith('shortest_path-'), f.result()[0, 2])"
        ),
        "(True, 2.0)"
    );
    assert_eq!(
        value(
            &mut k,
            "client.gather(client.map(np.sqrt, [np.array([4, 9])]))[0].sum()"
        ),
        "5.0"
    );
}

#[test]
fn functions_a_function_makes_are_tasks_with_the_values_they_close_over() {
    let mut k = ready();
    run(
        &mut k,
        "def f(x):\n    return 'the global f'\ndef make(k):\n    def f(x):\n        return x * k\n    return f\ndef make_lambda(k):\n    return lambda x: x + k\n",
    );
    assert_eq!(value(&mut k, "client.submit(make(3), 2).result()"), "6");
    assert_eq!(
        value(
            &mut k,
            "client.gather([client.submit(make(n), 2) for n in range(3)])"
        ),
        "[0, 2, 4]"
    );
    assert_eq!(
        value(&mut k, "client.submit(make_lambda(10), 1).result()"),
        "11"
    );
    assert_eq!(value(&mut k, "dask.delayed(make(5))(2).compute()"), "10");
    assert_eq!(
        value(&mut k, "client.submit(make(3), 2).key.startswith('f-')"),
        "True"
    );
    // A closure over a variable its function reassigns is refused, never sent as other code.
    run(
        &mut k,
        "def counter(k):\n    k = k + 1\n    def f(x):\n        return x + k\n    return f\n",
    );
    let (_, outcome) = run(&mut k, "client.submit(counter(1), 1).result()");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if e.message.contains("TypeError")),
        "{outcome:?}"
    );
    // So is a lambda reading a comprehension's variable (late binding: its value when the
    // lambda is sent is not known where it is made).
    let (_, outcome) = run(
        &mut k,
        "[client.submit(lambda x: x + i, 1) for i in range(2)]",
    );
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if e.message.contains("TypeError: <function")),
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
fn objects_of_a_cell_s_classes_cross_to_tasks_and_back() {
    let mut k = ready();
    run(
        &mut k,
        "from dataclasses import dataclass\nclass Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n    def norm2(self):\n        return self.x * self.x + self.y * self.y\n    def __repr__(self):\n        return f'Point({self.x}, {self.y})'\n@dataclass\nclass Pair:\n    a: int\n    b: int = 0\norigin = Point(0, 0)\ndef make(x):\n    return Point(x, x + 1)\ndef norm2(p):\n    return p.norm2()\ndef shifted(x):\n    return origin.x + x\ndef pair(i):\n    return Pair(i, 2 * i)\n",
    );
    // A task's result: made again in the kernel, of the kernel's own class.
    assert_eq!(
        value(
            &mut k,
            "p = client.submit(make, 2).result()\np, type(p) is Point, p.norm2()"
        ),
        "(Point(2, 3), True, 13)"
    );
    // An argument, and a dependency's result, on a worker whose function never names Point.
    assert_eq!(
        value(&mut k, "client.submit(norm2, Point(3, 4)).result()"),
        "25"
    );
    assert_eq!(
        value(
            &mut k,
            "client.submit(norm2, client.submit(make, 1)).result()"
        ),
        "5"
    );
    // A captured global, changed between submissions.
    assert_eq!(
        value(&mut k, "client.submit(shifted, 1, pure=False).result()"),
        "1"
    );
    assert_eq!(
        value(
            &mut k,
            "origin.x = 10\nclient.submit(shifted, 1, pure=False).result()"
        ),
        "11"
    );
    // A class as the task's callable, in a graph and as a future; a dataclass keeps its
    // generated `__init__` and repr on the workers.
    assert_eq!(
        value(&mut k, "dask.delayed(Point)(3, 4).compute()"),
        "Point(3, 4)"
    );
    assert_eq!(
        value(&mut k, "client.gather(client.map(Point, [1, 2], [3, 4]))"),
        "[Point(1, 3), Point(2, 4)]"
    );
    assert_eq!(
        value(&mut k, "client.submit(pair, 3).result()"),
        "Pair(a=3, b=6)"
    );
    // Objects made without `__init__` leave the class as it was.
    assert_eq!(value(&mut k, "Point(5, 6).norm2()"), "61");
    // A class a function defines inside itself has no top-level name to be found by.
    let (outputs, outcome) = run(
        &mut k,
        "def hidden():\n    class Hidden:\n        pass\n    return Hidden()\nclient.submit(hidden).result()",
    );
    let CellOutcome::Err(error) = outcome else {
        panic!("{outputs:?}");
    };
    let message = error.message;
    assert!(
        message.contains("TypeError: cannot make an object of class 'Hidden' here"),
        "{message}"
    );
}

#[test]
fn builtin_types_are_tasks_named_as_dask_names_them() {
    let mut k = ready();
    assert_eq!(
        value(&mut k, "client.gather(client.map(int, ['7', '42']))"),
        "[7, 42]"
    );
    assert_eq!(
        value(
            &mut k,
            "dask.delayed(dict)(a=1).compute(), dask.delayed(sorted)([3, 1]).compute()"
        ),
        "({'a': 1}, [1, 3])"
    );
    assert_eq!(
        value(
            &mut k,
            "client.submit(str, 5).key.split('-')[0], dask.delayed(list)([1]).key.split('-')[0]"
        ),
        "('str', 'list')"
    );
}

#[test]
fn functions_and_ranges_in_arguments_travel_and_what_cannot_is_a_type_error() {
    let mut k = ready();
    let refused = |k: &mut Kernel, source: &str| {
        let (outputs, outcome) = run(k, source);
        match outcome {
            CellOutcome::Err(e) => e.message,
            other => panic!("{source}\n=> {other:?} {outputs:?}"),
        }
    };
    // A function inside the arguments goes by name, with the globals it reads; the worker
    // defines it from the cells' text.
    run(
        &mut k,
        "K = 10\ndef addk(x):\n    return x + K\ndef apply(f, x):\n    return f(x)\ndef apply_all(fs, x):\n    return [fs[n](x) for n in sorted(fs)]\ndef give():\n    return addk",
    );
    assert_eq!(
        value(
            &mut k,
            "client.submit(apply, addk, 1).result(), client.submit(apply, lambda v: v * 3, 2).result()"
        ),
        "(11, 6)"
    );
    assert_eq!(
        value(
            &mut k,
            "client.gather(client.map(apply, [addk, inc], [1, 2])), dask.delayed(apply_all)({'a': addk, 'b': inc}, 3).compute()"
        ),
        "([11, 3], [13, 4])"
    );
    // A function cannot come back: the future fails with the reason.
    let message = refused(&mut k, "client.submit(give).result()");
    assert!(
        message.contains("TypeError: the task returned <function 'addk' at"),
        "{message}"
    );
    // Inside a captured global, a function is refused in the cell.
    let message = refused(
        &mut k,
        "fs = {'f': inc}\ndef first(i):\n    return fs['f'](i)\nclient.submit(first, 2)",
    );
    assert!(
        message.contains("the global `fs` the function reads: <function 'inc' at"),
        "{message}"
    );
    // A range travels as itself, in arguments, captured globals and results.
    assert_eq!(
        value(
            &mut k,
            "N = range(10, 0, -3)\ndef pick(i):\n    return N[i]\nclient.submit(pick, 1).result(), client.submit(sum, range(1000)).result()"
        ),
        "(7, 499500)"
    );
    assert_eq!(
        value(
            &mut k,
            "r = client.submit(range, 2, 9, 3).result()\ntype(r).__name__, list(r)"
        ),
        "('range', [2, 5, 8])"
    );
    // Nothing was lost: the next submission runs.
    assert_eq!(value(&mut k, "client.submit(inc, 1).result()"), "2");
}
