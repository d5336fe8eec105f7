//! Any callable is a task, as cloudpickle makes it one in Dask (issue 21): lambdas, closures,
//! partials, module functions, builtins, a cell's classes and the objects, functions and ranges
//! inside a task's arguments; each test is an idiom CPython and Dask run, with Dask's answer.

mod common;

use common::{ready, run, value};
use skein_kernel::{CellOutcome, Kernel};

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

#[test]
fn str_methods_are_functions_in_cells_and_tasks() {
    let mut k = ready();
    assert_eq!(value(&mut k, "str.upper('abc')"), "'ABC'");
    assert_eq!(
        value(&mut k, "sorted(['b', 'C', 'a'], key=str.lower)"),
        "['a', 'b', 'C']"
    );
    assert_eq!(
        value(
            &mut k,
            "fs = client.map(str.upper, ['a', 'b'])\nclient.gather(fs), fs[0].key.startswith('upper-')"
        ),
        "(['A', 'B'], True)"
    );
    assert_eq!(
        value(
            &mut k,
            "import dask.bag as db\ndb.from_sequence([' a ', 'b '], npartitions=2).map(str.strip).compute()"
        ),
        "['a', 'b']"
    );
    // Inside functions too, in the kernel and in a task.
    assert_eq!(
        value(
            &mut k,
            "def shout(words):\n    return list(map(str.upper, words)), str.strip(' x ')\nshout(['a'])"
        ),
        "(['A'], 'x')"
    );
    assert_eq!(
        value(&mut k, "client.submit(shout, ['b', 'c']).result()"),
        "(['B', 'C'], 'x')"
    );
    let (_, outcome) = run(&mut k, "str.nothing");
    assert!(
        matches!(&outcome, CellOutcome::Err(e) if format!("{e:?}").contains("has no attribute 'nothing'")),
        "{outcome:?}"
    );
}

#[test]
fn a_cell_s_own_names_like_skein_s_leave_skein_working() {
    let mut k = ready();
    run(
        &mut k,
        "class Future:\n    def __init__(self, key):\n        self.key = key\n        self._key = key\nclass Delayed:\n    def __init__(self, key):\n        self._key = key\ndef read(x):\n    return x._key\n",
    );
    // Not taken for Skein's own: no future or task is looked up by their keys.
    assert_eq!(
        value(&mut k, "client.submit(read, Future('inc-123')).result()"),
        "'inc-123'"
    );
    assert_eq!(
        value(&mut k, "delayed(read)(Delayed('add-1')).compute()"),
        "'add-1'"
    );
    // And Skein's keep working beside them.
    assert_eq!(
        value(
            &mut k,
            "f = client.submit(inc, 1)\nd = delayed(inc)(f)\ntype(f).__name__, d.compute(), f.result()"
        ),
        "('Future', 3, 2)"
    );
    // A notebook's own `compute`, `wait`, `persist` and `Bag` (names Dask's functions call
    // inside) are its own business.
    run(
        &mut k,
        "def compute(x):\n    return 'mine'\ndef wait(x):\n    return 'mine'\ndef persist(x):\n    return 'mine'\nclass Bag:\n    pass\n",
    );
    assert_eq!(
        value(
            &mut k,
            "import dask.bag as db\ndelayed(inc)(1).compute(), dask.compute(delayed(inc)(2)), client.persist(delayed(inc)(3)).compute(), db.from_sequence([1, 2]).map(inc).compute()"
        ),
        "(2, (3,), 4, [2, 3])"
    );
    assert_eq!(
        value(
            &mut k,
            "client.gather([client.submit(inc, 1)], errors='skip'), compute(1)"
        ),
        "([2], 'mine')"
    );
}
