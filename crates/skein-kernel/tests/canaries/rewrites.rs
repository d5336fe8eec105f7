//! Canaries of the front end's text rewrites (the table in `src/rewrite.rs`'s docs): each
//! runs, under bare Monty, the plain Python a rewrite stands in for and expects it to fail or
//! misbehave. A canary that fails names the rewrite Monty no longer needs.
//!
//! `host(x)` is a call to the host, which answers with `x`: what the prelude's `_skein_*`
//! functions do to reach Rust (an array's data, an `as_completed`'s wait).

use monty::{MontyRun, RunProgress};
use monty_types::{
    CompileOptions, ExtFunctionResult, MontyException, MontyObject, MontyUuid, NameLookupResult,
    OsFunctionCall, PrintWriter, ResourceLimits, ResourceTracker,
};

/// Runs `code` under bare Monty, answering `host(x)` with `x`; the value of its last line.
fn run(code: &str) -> Result<MontyObject, MontyException> {
    let runner = MontyRun::new(
        code.to_owned(),
        "canary.py",
        Vec::new(),
        CompileOptions::default(),
    )?;
    let mut progress = runner.start(
        Vec::new(),
        ResourceTracker::new(ResourceLimits::default()),
        PrintWriter::Disabled,
    )?;
    loop {
        progress = match progress {
            RunProgress::Complete(value) => return Ok(value),
            RunProgress::FunctionCall(call) => {
                let answer = match call.args.arg(0) {
                    Some(arg) if call.function_name == "host" => {
                        ExtFunctionResult::Return(arg.to_owned())
                    }
                    _ => ExtFunctionResult::NotFound(call.function_name.clone()),
                };
                call.resume(answer, PrintWriter::Disabled)?
            }
            RunProgress::NameLookup(lookup) => {
                let found = if lookup.name == "host" {
                    NameLookupResult::Value(MontyObject::function("host", None))
                } else {
                    NameLookupResult::Undefined
                };
                lookup.resume(found, PrintWriter::Disabled)?
            }
            RunProgress::OsCall(call) => {
                let module = match &call.function_call {
                    OsFunctionCall::Import(name) => hook_module(name),
                    _ => None,
                };
                let answer = match module {
                    Some(module) => ExtFunctionResult::Return(module),
                    None => ExtFunctionResult::Error(call.function_call.on_no_handler()),
                };
                call.resume(answer, PrintWriter::Disabled)?
            }
            RunProgress::ResolveFutures(_) => panic!("no futures in a canary"),
        };
    }
}

/// What the import hook answers: `m`, whose attribute `sub` is the number 5, and `m.sub`, a
/// module of its own holding `x = 7` (as `dask.delayed` is a function as an attribute of
/// `dask` and a module as an import).
fn hook_module(name: &str) -> Option<MontyObject> {
    let module = |name: &str, id: u128, attr: &str, value: i64| {
        MontyObject::module(
            name,
            MontyUuid::from_u128(id),
            [(MontyObject::string(attr), MontyObject::int(value))],
        )
    };
    match name {
        "m" => Some(module("m", 1, "sub", 5)),
        "m.sub" => Some(module("m.sub", 2, "x", 7)),
        _ => None,
    }
}

/// Asserts that `plain`, the Python the rewrite `rewrite` stands in for, still fails (or
/// gives something other than `works`) under Monty, while `control`, the same done the way
/// the workaround does it, gives `works`: so the canary fails for Monty's gap, not the
/// harness's.
#[track_caller]
fn still_needed(rewrite: &str, plain: &str, control: Option<&str>, works: &str) {
    if let Some(control) = control {
        let value = run(control).unwrap_or_else(|e| panic!("{control}\n=> {e:?}"));
        assert_eq!(value.to_string(), works, "{control}");
    }
    if let Ok(value) = run(plain) {
        assert_ne!(
            value.to_string(),
            works,
            "Monty now runs the plain form of the `{rewrite}` rewrite: delete that rewrite \
             (and its prelude function) and this canary\n{plain}"
        );
    }
}

/// The sanity check of the harness: plain code runs, and `host` answers.
#[test]
fn the_harness_runs_plain_code_and_answers_host_calls() {
    assert_eq!(run("host(41) + 1").unwrap().to_string(), "42");
    assert!(run("undefined_name").is_err());
}

#[test]
fn subscripts_call_a_getitem_that_calls_the_host() {
    still_needed(
        "subscripts → _skein_getitem",
        "class A:\n    def __getitem__(self, k):\n        return host(k)\nA()[7]",
        Some("class A:\n    def __getitem__(self, k):\n        return host(k)\nA().__getitem__(7)"),
        "7",
    );
}

#[test]
fn subscript_assignments_call_a_setitem_that_calls_the_host() {
    still_needed(
        "subscript assignments → _skein_setitem",
        "class A:\n    def __setitem__(self, k, v):\n        self.got = host(v)\na = A()\na[0] = 7\na.got",
        Some(
            "class A:\n    def __setitem__(self, k, v):\n        self.got = host(v)\na = A()\na.__setitem__(0, 7)\na.got",
        ),
        "7",
    );
}

#[test]
fn loops_call_an_iterator_that_calls_the_host() {
    still_needed(
        "for loops and comprehensions → _skein_for",
        "class A:\n    def __iter__(self):\n        return iter(host([1, 2, 3]))\nt = 0\nfor x in A():\n    t += x\nt",
        Some(
            "class A:\n    def __iter__(self):\n        return iter(host([1, 2, 3]))\nt = 0\nfor x in A().__iter__():\n    t += x\nt",
        ),
        "6",
    );
}

#[test]
fn iterating_builtins_call_an_iterator_that_calls_the_host() {
    still_needed(
        "list(…), zip(…), sorted(…) arguments → _skein_iterable",
        "class A:\n    def __iter__(self):\n        return iter(host([1, 2, 3]))\nlist(A())",
        Some(
            "class A:\n    def __iter__(self):\n        return iter(host([1, 2, 3]))\nlist(A().__iter__())",
        ),
        "[1, 2, 3]",
    );
}

#[test]
fn print_calls_a_repr_that_calls_the_host() {
    still_needed(
        "print(…) → _skein_print",
        "class A:\n    def __repr__(self):\n        return host('seven')\nprint(A())\nrepr(A())",
        Some("class A:\n    def __repr__(self):\n        return host('seven')\nA().__repr__()"),
        "seven",
    );
}

#[test]
fn comparisons_call_a_class_s_operators() {
    still_needed(
        "top-level comparisons → _skein_cmp",
        "class A:\n    def __lt__(self, other):\n        return 'lt'\n    def __gt__(self, other):\n        return 'gt'\n    def __ne__(self, other):\n        return 'ne'\n[A() < 1, A() > 1, A() != 1]",
        Some(
            "class A:\n    def __lt__(self, other):\n        return 'lt'\n    def __gt__(self, other):\n        return 'gt'\n    def __ne__(self, other):\n        return 'ne'\n[A().__lt__(1), A().__gt__(1), A().__ne__(1)]",
        ),
        "['lt', 'gt', 'ne']",
    );
}

#[test]
fn truth_calls_a_class_s_bool() {
    still_needed(
        "bool(…) → _skein_bool, if/while tests → _skein_truth",
        "class A:\n    def __bool__(self):\n        raise TypeError('no truth')\nr = 'truth raised'\ntry:\n    if A():\n        r = 'true'\nexcept TypeError:\n    pass\nr",
        Some(
            "class A:\n    def __bool__(self):\n        raise TypeError('no truth')\nr = 'truth raised'\ntry:\n    if A().__bool__():\n        r = 'true'\nexcept TypeError:\n    pass\nr",
        ),
        "truth raised",
    );
}

#[test]
fn del_statements_parse() {
    still_needed(
        "del → _skein_delitem and the except-clause unbinding (rewrite/delete.rs)",
        "d = {'a': 1, 'b': 2}\nx = 1\ndel d['a'], x\nlist(d)",
        Some("d = {'a': 1, 'b': 2}\nd.pop('a')\nlist(d)"),
        "['b']",
    );
}

#[test]
fn a_dotted_import_is_asked_of_the_import_hook() {
    still_needed(
        "imports of Skein's modules → _skein_import, _skein_from (rewrite/imports.rs)",
        "from m.sub import x\nx",
        Some("import m\nm.sub + 2"),
        "7",
    );
}

#[test]
fn wildcard_imports_parse() {
    still_needed(
        "from m import * → one binding per public name (rewrite/imports.rs)",
        "from math import *\nfloor(2.5)",
        Some("from math import floor\nfloor(2.5)"),
        "2",
    );
}

#[test]
fn a_function_s_source_can_be_read() {
    still_needed(
        "top-level lambdas → _skein_lambda (rewrite/lambdas.rs)",
        "import inspect\nf = lambda x: x + 1\ninspect.getsource(f)",
        None,
        "f = lambda x: x + 1\\n",
    );
}

#[test]
fn a_function_s_closure_can_be_read() {
    still_needed(
        "inner functions returned → _skein_lambda with their closure (rewrite/closures.rs)",
        "def make(k):\n    def f(x):\n        return x * k\n    return f\nf = make(3)\n[c.cell_contents for c in f.__closure__]",
        None,
        "[3]",
    );
}

#[test]
fn exceptions_take_one_string() {
    still_needed(
        "exception calls → _skein_exc_text",
        "try:\n    raise ValueError(3)\nexcept ValueError as e:\n    x = str(e)\nx",
        Some("try:\n    raise ValueError(str(3))\nexcept ValueError as e:\n    x = str(e)\nx"),
        "3",
    );
}
