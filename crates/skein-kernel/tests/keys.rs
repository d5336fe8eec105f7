//! Task keys as Dask makes them: a pure call's, an operator's and a bag partition's repeat
//! for equal inputs, an impure call's never does, and a repeated pure call reuses the result.

mod common;

use common::{kernel, run, texts, value};
use skein_kernel::CellOutcome;

#[test]
fn keys_follow_dask_s_rule_pure_calls_operators_and_bags_repeat_impure_calls_do_not() {
    let mut k = kernel();
    run(
        &mut k,
        "from dask import delayed\nimport dask.bag as db\nimport numpy as np\nfrom dask.distributed import Client\nclient = Client()\ndef inc(x, by=1):\n    print('ran', x)\n    return x + by\ndef get_inc():\n    return inc\na = delayed(inc)(1)",
    );
    let checks = [
        // Pure calls: a token of the function and the arguments (a Delayed by its key).
        (
            "delayed(inc, pure=True)(1).key == delayed(inc, pure=True)(1).key",
            "True",
        ),
        (
            "delayed(inc, pure=True)(1).key == delayed(inc, pure=True)(2).key",
            "False",
        ),
        (
            "delayed(inc, pure=True)(1, by=2).key == delayed(inc, pure=True)(1, by=3).key",
            "False",
        ),
        (
            "delayed(inc, pure=True)(a).key == delayed(inc, pure=True)(a).key",
            "True",
        ),
        (
            "delayed(inc)(1, pure=True).key == delayed(inc, pure=True)(1).key",
            "True",
        ),
        ("delayed(inc, pure=True)(1).key.startswith('inc-')", "True"),
        // Arrays count by their whole data, not their (shortened) repr.
        (
            "delayed(inc, pure=True)(np.zeros(5000)).key == delayed(inc, pure=True)(np.zeros(5000)).key",
            "True",
        ),
        (
            "b = np.zeros(5000)\nb[2500] = 1.0\ndelayed(inc, pure=True)(b).key == delayed(inc, pure=True)(np.zeros(5000)).key",
            "False",
        ),
        // A set counts by its elements, whatever order it was built in.
        (
            "delayed(inc, pure=True)({1, 'b', 3.0}).key == delayed(inc, pure=True)({3.0, 'b', 1}).key",
            "True",
        ),
        (
            "delayed(inc, pure=True)({1, 2}).key == delayed(inc, pure=True)({1, 3}).key",
            "False",
        ),
        (
            "delayed(inc, pure=True)(1, dask_key_name='mine').key",
            "'mine'",
        ),
        // Impure by default.
        ("delayed(inc)(1).key == delayed(inc)(1).key", "False"),
        // Operators and attribute access are pure.
        ("(a + 1).key == (a + 1).key", "True"),
        ("(a + 1).key == (a + 2).key", "False"),
        ("(a + 1).key == (a + 1.0).key", "False"),
        ("(a + 1).key.startswith('add-')", "True"),
        (
            "a[0].key == a[0].key and a[0].key.startswith('getitem-')",
            "True",
        ),
        ("(-a).key == (-a).key", "True"),
        ("(a.shape + 0).key == (a.shape + 0).key", "True"),
        // Method calls are impure unless the call says otherwise, as in Dask.
        ("a.sum().key == a.sum().key", "False"),
        ("a.sum(pure=True).key == a.sum(pure=True).key", "True"),
        ("a.sum(pure=True).key == a.sum(1, pure=True).key", "False"),
        ("a.sum(dask_key_name='total').key", "'total'"),
        // Calling a Delayed is Dask's `apply`: impure unless `pure=True`.
        (
            "g = delayed(get_inc)()
g(1).key == g(1).key",
            "False",
        ),
        (
            "g(1, pure=True).key == g(1, pure=True).key and g(1, pure=True).key.startswith('apply-')",
            "True",
        ),
        ("g(1, pure=True).key == g(2, pure=True).key", "False"),
        ("g(1, dask_key_name='called').key", "'called'"),
        // A literal is named by its type and tokenized from its value.
        (
            "delayed(5).key == delayed(5).key and delayed(5).key.startswith('int-')",
            "True",
        ),
        ("delayed(5).key == delayed(6).key", "False"),
        ("delayed([1, 2]).key.startswith('list-')", "True"),
        ("delayed(5, name='five').key", "'five'"),
        // Bags: each partition tokenized from its data.
        (
            "[p.key for p in db.from_sequence([1, 2, 3, 4], npartitions=2)._partitions] == [p.key for p in db.from_sequence([1, 2, 3, 4], npartitions=2)._partitions]",
            "True",
        ),
        (
            "db.from_sequence([1, 2, 3, 4], npartitions=2)._partitions[1].key == db.from_sequence([1, 2, 3, 5], npartitions=2)._partitions[1].key",
            "False",
        ),
        (
            "db.from_sequence([1, 2, 3, 4], npartitions=2)._partitions[0].key.startswith('from_sequence-')",
            "True",
        ),
        (
            "db.from_sequence([1, 2, 3, 4], npartitions=2).sum().compute()",
            "10",
        ),
        ("((a + 1) * 2).compute()", "6"),
    ];
    for (cell, want) in checks {
        assert_eq!(value(&mut k, cell), want, "{cell}");
    }
    // A class has no token: the pure call gets a random key, and sending it is the TypeError.
    assert_eq!(
        value(
            &mut k,
            "class C:\n    pass\ndelayed(inc, pure=True)(C).key == delayed(inc, pure=True)(C).key"
        ),
        "False"
    );
    // A pure call made twice is one task: it runs once.
    let (outputs, outcome) = run(
        &mut k,
        "x = delayed(inc, pure=True)(10)\ny = delayed(inc, pure=True)(10)\nclient.gather([client.compute(x), client.compute(y)])",
    );
    assert!(matches!(outcome, CellOutcome::Ok { .. }), "{outcome:?}");
    assert_eq!(texts(&outputs), ["ran 10"]);
    let (outputs, _) = run(
        &mut k,
        "x = delayed(inc)(20)\ny = delayed(inc)(20)\nclient.gather([client.compute(x), client.compute(y)])",
    );
    assert_eq!(texts(&outputs), ["ran 20", "ran 20"]);
    // The operators' key table is bounded: past its limit it starts afresh, and equal
    // operations still share a key within it.
    assert_eq!(
        value(
            &mut k,
            "_SKEIN_OP_KEYS_MAX = 3
keys = [(a + i).key for i in range(10)]
(len(_skein_op_keys) <= 3, (a + 9).key == keys[9], ((a * 2) + 1).compute())"
        ),
        "(True, True, 5)"
    );
}
