//! Canaries for the prelude's workarounds (`src/prelude/compat.py`, whose header table
//! lists them): each runs the plain Python form under bare Monty, without Skein's prelude,
//! and asserts that Monty still gets it wrong. A canary that starts failing means Monty
//! gained the feature: delete the shim its message names, then the canary.

use monty::{MontyRun, RunProgress};
use monty_types::{
    CompileOptions, ExtFunctionResult, MontyObject, NameLookupResult, PrintWriter, ResourceLimits,
    ResourceTracker,
};

/// Runs `code` under bare Monty and gives its last expression's value and what it printed,
/// or its error's text. `host()` is a host function returning 7: the stand-in for the
/// host calls the prelude's shims make possible.
fn run(code: &str) -> (Result<MontyObject, String>, String) {
    let mut printed = String::new();
    let runner = match MontyRun::new(
        code.to_owned(),
        "canary.py",
        Vec::new(),
        CompileOptions::default(),
    ) {
        Ok(runner) => runner,
        Err(error) => return (Err(error.to_string()), printed),
    };
    let mut progress = runner.start(
        Vec::new(),
        ResourceTracker::new(ResourceLimits::default()),
        PrintWriter::CollectString(&mut printed, None),
    );
    let result = loop {
        progress = match progress {
            Err(error) => break Err(error.to_string()),
            Ok(RunProgress::Complete(value)) => break Ok(value),
            Ok(RunProgress::NameLookup(lookup)) => {
                let found = if lookup.name == "host" {
                    NameLookupResult::Value(MontyObject::function("host".to_owned(), None))
                } else {
                    NameLookupResult::Undefined
                };
                lookup.resume(found, PrintWriter::CollectString(&mut printed, None))
            }
            Ok(RunProgress::FunctionCall(call)) => call.resume(
                ExtFunctionResult::Return(MontyObject::int(7)),
                PrintWriter::CollectString(&mut printed, None),
            ),
            Ok(other) => break Err(format!("unexpected progress: {other:?}")),
        };
    };
    (result, printed)
}

/// Asserts Monty still gets `code` wrong: it raises, or its value's `repr` is not `python`
/// (CPython's answer). The message names the shim in `compat.py` to delete.
fn still_wrong(code: &str, python: &str, shim: &str) {
    if let (Ok(value), _) = run(code) {
        assert_ne!(
            value.py_repr(),
            python,
            "Monty now runs this as Python does: delete {shim} from prelude/compat.py\n{code}"
        );
    }
}

/// An iterator whose `__next__` calls the host once.
const ONCE: &str = "class Once:
    def __init__(self):
        self.done = False
    def __iter__(self):
        return self
    def __next__(self):
        if self.done:
            raise StopIteration
        self.done = True
        return host()
";

#[test]
fn len_ignores_dunder_len() {
    still_wrong(
        "class C:\n    def __len__(self):\n        return 3\nlen(C())",
        "3",
        "`len`",
    );
}

#[test]
fn sum_cannot_reach_host() {
    still_wrong(&format!("{ONCE}sum(Once())"), "7", "`sum`");
}

#[test]
fn max_cannot_reach_host() {
    still_wrong(&format!("{ONCE}max(Once())"), "7", "`max` and `min`");
}

#[test]
fn map_cannot_reach_host() {
    still_wrong("list(map(lambda x: host() + x, [1]))", "[8]", "`map`");
}

#[test]
fn filter_cannot_reach_host() {
    still_wrong(
        "list(filter(lambda x: host() == 7, [1]))",
        "[1]",
        "`filter`",
    );
}

#[test]
fn print_repr_cannot_reach_host() {
    let (result, printed) =
        run("class C:\n    def __repr__(self):\n        return str(host())\nprint(C())");
    assert!(
        result.is_err() || printed != "7\n",
        "Monty now runs `print` as Python does: delete `_skein_print` from prelude/compat.py"
    );
}

#[test]
fn lt_ignores_dunder_lt() {
    still_wrong(
        "class C:\n    def __lt__(self, o):\n        return 'lt'\nC() < 1",
        "'lt'",
        "`_skein_cmp`",
    );
}

#[test]
fn ne_ignores_dunder_ne() {
    still_wrong(
        "class C:\n    def __ne__(self, o):\n        return 'ne'\nC() != 1",
        "'ne'",
        "`_skein_cmp`",
    );
}

#[test]
fn bool_ignores_dunder_bool() {
    still_wrong(
        "class C:\n    def __bool__(self):\n        return False\nbool(C())",
        "False",
        "`_skein_bool`",
    );
}

#[test]
fn if_ignores_dunder_bool() {
    still_wrong(
        "class C:\n    def __bool__(self):\n        return False\nx = 1\nif C():\n    x = 2\nx",
        "1",
        "`_skein_truth`",
    );
}

#[test]
fn getattr_is_never_called() {
    still_wrong(
        "class C:\n    def __getattr__(self, n):\n        return n\nC().shape",
        "'shape'",
        "`_skein_getattr` and the rewrite of attribute reads (rewrite/finder.rs)",
    );
}

#[test]
fn str_methods_are_not_attributes() {
    still_wrong(
        "f = str.upper\nf('a')",
        "'A'",
        "`_skein_str_methods` (and interp.rs's STR_METHODS)",
    );
}

#[test]
fn callable_is_missing() {
    still_wrong(
        "def f():\n    pass\n(callable(f), callable(len), callable(3))",
        "(True, True, False)",
        "`callable`",
    );
}

#[test]
fn operator_cannot_reach_host() {
    still_wrong(
        "class C:\n    def __add__(self, o):\n        return host() + o\nC() + 1",
        "8",
        "`_skein_op_keys` (and ndarray's pending `_expr` in numpy.py)",
    );
}

#[test]
fn for_cannot_reach_host() {
    still_wrong(
        &format!("{ONCE}t = 0\nfor x in Once():\n    t += x\nt"),
        "7",
        "`_skein_for` (and as_completed's `_skein_fill`)",
    );
}

#[test]
fn list_cannot_reach_host() {
    still_wrong(&format!("{ONCE}list(Once())"), "[7]", "`_skein_iterable`");
}

#[test]
fn getitem_cannot_reach_host() {
    still_wrong(
        "class C:\n    def __getitem__(self, k):\n        return host() + k\nC()[1]",
        "8",
        "`_skein_getitem`",
    );
}

#[test]
fn setitem_cannot_reach_host() {
    still_wrong(
        "class C:\n    def __setitem__(self, k, v):\n        self.v = host() + v\nc = C()\nc[0] = 1\nc.v",
        "8",
        "`_skein_setitem`",
    );
}

#[test]
fn contains_cannot_reach_host() {
    still_wrong(
        "class C:\n    def __contains__(self, k):\n        return host() == k\n7 in C()",
        "True",
        "`_skein_cmp`'s `in`",
    );
}

/// The harness itself: the same forms without the gap run as Python does, so a canary's
/// failure to fail is Monty's, not the harness's.
#[test]
fn the_harness_runs_what_monty_supports() {
    let ok = |code: &str, python: &str| {
        let (result, _) = run(code);
        assert_eq!(result.map(|v| v.py_repr()), Ok(python.to_owned()), "{code}");
    };
    ok("host() + 1", "8");
    ok(
        "class C:\n    def __add__(self, o):\n        return 5 + o\nC() + 1",
        "6",
    );
    ok(
        "class C:\n    def __getitem__(self, k):\n        return 5 + k\nC()[1]",
        "6",
    );
    ok(&format!("{ONCE}next(Once())"), "7");
    let (_, printed) = run("print(host())");
    assert_eq!(printed, "7\n");
}
