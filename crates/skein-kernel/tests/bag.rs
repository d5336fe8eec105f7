//! `dask.bag` beyond map and filter: reductions, folds, groupby and the rest, each with the
//! answer Dask gives (checked against Dask itself), and the errors a cell gets.

mod common;

use common::{kernel, run, value};
use skein_kernel::{CellOutcome, Kernel};

const SETUP: &str = "import dask\nimport dask.bag as db\nimport operator\nfrom functools import partial\n\
def inc(x):\n    return x + 1\ndef add(a, b):\n    return a + b\n\
b = db.from_sequence(range(10), npartitions=3)\niseven = lambda v: v % 2 == 0\n";

fn ready() -> Kernel {
    let mut k = kernel();
    let (outputs, outcome) = run(&mut k, SETUP);
    assert!(
        matches!(outcome, CellOutcome::Ok { .. }),
        "{outcome:?} {outputs:?}"
    );
    k
}

/// The message of the error a cell ends with; panics if it ran to the end.
fn error(k: &mut Kernel, source: &str) -> String {
    let (outputs, outcome) = run(k, source);
    match outcome {
        CellOutcome::Err(e) => format!("{e:?}"),
        other => panic!("{source}\n=> {other:?}\n{outputs:?}"),
    }
}

#[test]
fn reductions_compute_per_partition_and_combine() {
    let mut k = ready();
    assert_eq!(
        value(
            &mut k,
            "b.sum().compute(), b.count().compute(), b.max().compute(), b.min().compute()"
        ),
        "(45, 10, 9, 0)"
    );
    assert_eq!(value(&mut k, "b.mean().compute()"), "4.5");
    assert_eq!(
        value(
            &mut k,
            "db.from_sequence([1, 2, 3]).any().compute(), db.from_sequence([0, 1]).all().compute()"
        ),
        "(True, False)"
    );
    // Items and bags inside `dask.compute`, as Dask computes them.
    assert_eq!(
        value(&mut k, "dask.compute(b.sum(), b.max(), b.map(inc))"),
        "(45, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])"
    );
}

#[test]
fn folds_follow_dask_s_initial_values() {
    let mut k = ready();
    assert_eq!(
        value(&mut k, "b.fold(lambda acc, v: acc + v).compute()"),
        "45"
    );
    // `initial` starts each partition's fold, not the combine: 45 + 3 * 100.
    assert_eq!(
        value(
            &mut k,
            "b.fold(lambda acc, v: acc + v, initial=100).compute()"
        ),
        "345"
    );
    assert_eq!(
        value(
            &mut k,
            "b.fold(lambda acc, v: acc + v, lambda p, q: p * q, 1).compute()"
        ),
        "2898"
    );
    assert_eq!(
        value(
            &mut k,
            "dict(b.foldby(iseven, lambda acc, v: acc + v).compute())"
        ),
        "{True: 20, False: 25}"
    );
    assert_eq!(
        value(
            &mut k,
            "sorted(b.foldby(iseven, lambda acc, v: acc + v, 0, lambda p, q: p + q, 0).compute())"
        ),
        "[(False, 25), (True, 20)]"
    );
}

#[test]
fn groupby_gives_its_groups_in_the_order_dask_s_shuffle_does() {
    let mut k = ready();
    // Dask's order (read from Dask 2026.8 with a distributed client): by the output partition
    // Dask's token of the key lands in, not by first appearance.
    assert_eq!(
        value(
            &mut k,
            "db.from_sequence(['Alice', 'Bob', 'Charlie', 'Dan', 'Edith', 'Frank'], npartitions=2).groupby(len).compute()"
        ),
        "[(3, ['Bob', 'Dan']), (7, ['Charlie']), (5, ['Alice', 'Edith', 'Frank'])]"
    );
    // 40 partitions: Dask's shuffle takes two stages of 7.
    assert_eq!(
        value(
            &mut k,
            "[g for g, _ in db.from_sequence(list(range(40)), npartitions=40).groupby(lambda x: x % 7).compute()]"
        ),
        "[2, 4, 0, 5, 3, 1, 6]"
    );
}

#[test]
fn grouping_counting_and_picking() {
    let mut k = ready();
    assert_eq!(
        value(&mut k, "sorted(b.groupby(iseven).compute())"),
        "[(False, [1, 3, 5, 7, 9]), (True, [0, 2, 4, 6, 8])]"
    );
    run(
        &mut k,
        "words = db.from_sequence(['apple', 'banana', 'apple', 'cherry', 'banana', 'apple'], npartitions=4)",
    );
    assert_eq!(
        value(&mut k, "sorted(words.frequencies().compute())"),
        "[('apple', 3), ('banana', 2), ('cherry', 1)]"
    );
    assert_eq!(
        value(&mut k, "sorted(words.distinct().compute())"),
        "['apple', 'banana', 'cherry']"
    );
    assert_eq!(
        value(
            &mut k,
            "db.from_sequence([5, 1, 9, 3, 7], npartitions=2).topk(2).compute()"
        ),
        "[9, 7]"
    );
    assert_eq!(
        value(
            &mut k,
            "db.from_sequence([5, 1, 9, 3, 7], npartitions=2).topk(2, key=lambda v: -v).compute()"
        ),
        "[1, 3]"
    );
    assert_eq!(
        value(
            &mut k,
            "db.from_sequence([{'name': 'Alice'}, {'name': 'Bob'}]).pluck('name').compute()"
        ),
        "['Alice', 'Bob']"
    );
    assert_eq!(
        value(
            &mut k,
            "db.from_sequence([[1, 2], [3], [4, 5, 6]]).flatten().compute()"
        ),
        "[1, 2, 3, 4, 5, 6]"
    );
    // `take` looks in the first partition only unless told otherwise, and gives a tuple.
    assert_eq!(value(&mut k, "b.take(3)"), "(0, 1, 2)");
    assert_eq!(value(&mut k, "b.take(5)"), "(0, 1, 2, 3)");
    assert_eq!(
        value(&mut k, "b.take(5, npartitions=-1)"),
        "(0, 1, 2, 3, 4)"
    );
}

#[test]
fn partitions_starmap_partial_range_and_iteration() {
    let mut k = ready();
    assert_eq!(
        value(
            &mut k,
            "db.from_sequence(range(6), npartitions=3).map_partitions(lambda part: [sum(part)]).compute()"
        ),
        "[1, 5, 9]"
    );
    assert_eq!(
        value(
            &mut k,
            "def scale(part, by, plus=0):\n    return [x * by + plus for x in part]\ndb.from_sequence(range(4), npartitions=2).map_partitions(scale, 10, plus=1).compute()"
        ),
        "[1, 11, 21, 31]"
    );
    assert_eq!(
        value(
            &mut k,
            "db.from_sequence([(1, 2), (3, 4)]).starmap(add).compute()"
        ),
        "[3, 7]"
    );
    assert_eq!(
        value(
            &mut k,
            "db.from_sequence(range(5)).map(partial(operator.add, 100)).compute()"
        ),
        "[100, 101, 102, 103, 104]"
    );
    assert_eq!(
        value(
            &mut k,
            "r = db.range(10, npartitions=3)\nr.npartitions, r.map(inc).compute()"
        ),
        "(3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])"
    );
    assert_eq!(
        value(
            &mut k,
            "list(b.filter(lambda v: v % 2 == 0).map(lambda v: v * 10))"
        ),
        "[0, 20, 40, 60, 80]"
    );
    assert_eq!(
        value(
            &mut k,
            "total = 0\nfor v in b.map(inc):\n    total += v\ntotal"
        ),
        "55"
    );
}

#[test]
fn failures_reach_the_cell_as_python_errors() {
    let mut k = ready();
    let err = error(&mut k, "db.from_sequence([]).mean().compute()");
    assert!(err.contains("ZeroDivisionError"), "{err}");
    let err = error(&mut k, "db.from_sequence([]).max().compute()");
    assert!(err.contains("max() arg is an empty sequence"), "{err}");
    let err = error(
        &mut k,
        "def bad(part):\n    return [1 / 0]\ndb.from_sequence([1, 2, 3], npartitions=2).map_partitions(bad).compute()",
    );
    assert!(err.contains("ZeroDivisionError"), "{err}");
    let err = error(&mut k, "b.fold(lambda acc, v: acc + 'x').compute()");
    assert!(err.contains("TypeError"), "{err}");
    // The kernel is still usable after the failures.
    assert_eq!(value(&mut k, "b.sum().compute()"), "45");
}

#[test]
fn the_rest_of_the_bag_api_answers_as_dask_does() {
    // Each answer is Dask 2026.8's for the same line (`b` is range(10) in 3 partitions).
    let mut k = ready();
    let checks = [
        (
            "b.var().compute(), round(b.std(ddof=1).compute(), 6)",
            "(8.25, 3.02765)",
        ),
        (
            "b.reduction(sum, sum).compute(), b.reduction(len, max).compute()",
            "(45, 4)",
        ),
        ("b.remove(iseven).compute()", "[1, 3, 5, 7, 9]"),
        (
            "b.accumulate(add).compute()",
            "[0, 1, 3, 6, 10, 15, 21, 28, 36, 45]",
        ),
        (
            "b.accumulate(add, initial=100).take(3, npartitions=1)",
            "(100, 100, 101)",
        ),
        ("b.map_partitions(len).compute()", "[4, 4, 2]"),
        (
            "b.repartition(2).map_partitions(lambda p: len(list(p))).compute()",
            "[4, 6]",
        ),
        (
            "b.repartition(7).map_partitions(lambda p: len(list(p))).compute()",
            "[2, 2, 2, 2, 0, 1, 1]",
        ),
        (
            "db.map(add, b, 1).compute()",
            "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
        ),
        (
            "db.zip(b, b.map(inc)).take(2, npartitions=1)",
            "((0, 1), (1, 2))",
        ),
        ("db.concat([b, b]).npartitions", "6"),
        (
            "db.from_sequence(['a B', ' c ']).str.upper().str.strip().compute()",
            "['A B', 'C']",
        ),
        (
            "db.from_sequence(['Alice', 'Bob']).join(['Apple', 'Banana', 'Avocado'], lambda x: x[0]).compute()",
            "[('Apple', 'Alice'), ('Avocado', 'Alice'), ('Banana', 'Bob')]",
        ),
        (
            "db.from_sequence([1, 2], npartitions=2).product(db.from_sequence('ab', npartitions=1)).compute()",
            "[(1, 'a'), (1, 'b'), (2, 'a'), (2, 'b')]",
        ),
    ];
    for (line, dask) in checks {
        assert_eq!(value(&mut k, line), dask, "{line}");
    }
    assert!(
        error(&mut k, "db.map(inc, 1, 2)").contains("db.map needs at least one Bag"),
        "a map without a bag"
    );
}

#[test]
fn read_text_makes_a_partition_per_file_a_pattern_names() {
    let mut k = ready();
    run(
        &mut k,
        "import json\nwith open('rec-1.json', 'w') as f:\n    f.write('{\"n\": 1}\\n{\"n\": 2}\\n')\nwith open('data/rec-2.json', 'w') as f:\n    f.write('{\"n\": 4}')\n",
    );
    // Lines keep their ends, as Dask's do; files are the notebook's, matched as a glob.
    assert_eq!(
        value(&mut k, "db.read_text('rec-*.json').compute()"),
        r#"['{"n": 1}\n', '{"n": 2}\n']"#
    );
    assert_eq!(
        value(
            &mut k,
            "b2 = db.read_text(['data/rec-2.json', 'rec-1.json'])\nb2.npartitions, b2.map(json.loads).pluck('n').compute()"
        ),
        "(2, [4, 1, 2])"
    );
    assert_eq!(
        value(
            &mut k,
            "db.read_text('./rec-1.json', include_path=True).take(1)"
        ),
        r#"(('{"n": 1}\n', 'rec-1.json'),)"#
    );
    assert!(
        error(&mut k, "db.read_text('nothing-*.txt')")
            .contains("ValueError: ('No files found', 'nothing-*.txt')")
    );
    // A bag of Delayed partitions, from a builtin called as a task.
    assert_eq!(
        value(
            &mut k,
            "db.from_delayed([dask.delayed(list)([1, 2]), dask.delayed(sorted)([9, 3])]).compute()"
        ),
        "[1, 2, 3, 9]"
    );
}
