//! Canaries for the runtime's own workarounds (the second table in `src/rewrite.rs`'s docs):
//! each shows, under bare Monty, the gap a workaround that reads Monty's values stands in
//! for. A canary that fails names the workaround Monty no longer needs.

use monty::{MontyRepl, MontyRun, RunProgress};
use monty_types::unstable::{MontyNode, node};
use monty_types::{
    CompileOptions, ExtFunctionResult, MontyObject, NameLookupResult, PrintWriter, ResourceLimits,
    ResourceTracker,
};

/// Runs `code` under bare Monty and gives its last line's value; `host(x)` answers `x`.
fn run(code: &str) -> MontyObject {
    let runner = MontyRun::new(
        code.to_owned(),
        "canary.py",
        Vec::new(),
        CompileOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{code}\n=> {e:?}"));
    let mut progress = runner
        .start(
            Vec::new(),
            ResourceTracker::new(ResourceLimits::default()),
            PrintWriter::Disabled,
        )
        .unwrap_or_else(|e| panic!("{code}\n=> {e:?}"));
    loop {
        progress = match progress {
            RunProgress::Complete(value) => return value,
            RunProgress::FunctionCall(call) => {
                let answer = ExtFunctionResult::Return(
                    call.args
                        .arg(0)
                        .map_or_else(MontyObject::none, |a| a.to_owned()),
                );
                call.resume(answer, PrintWriter::Disabled)
            }
            RunProgress::NameLookup(lookup) => {
                let found = if lookup.name == "host" {
                    NameLookupResult::Value(MontyObject::function("host", None))
                } else {
                    NameLookupResult::Undefined
                };
                lookup.resume(found, PrintWriter::Disabled)
            }
            other => panic!("unexpected progress: {other:?}"),
        }
        .unwrap_or_else(|e| panic!("{code}\n=> {e:?}"));
    }
}

/// A REPL with `code` fed.
fn repl(code: &str) -> MontyRepl {
    let mut repl = MontyRepl::new(
        "canary.py",
        ResourceTracker::new(ResourceLimits::default()),
        CompileOptions::default(),
    );
    repl.feed_run(
        code,
        Vec::<(String, MontyObject)>::new(),
        PrintWriter::Disabled,
    )
    .unwrap_or_else(|e| panic!("{code}\n=> {e:?}"));
    repl
}

#[test]
fn a_function_crosses_to_the_host_as_its_repr() {
    let f = run("def inc(x):\n    return x + 1\ninc");
    assert!(
        matches!(node(f.as_ref()), MontyNode::Repr(text) if text.starts_with("<function 'inc'")),
        "Monty now sends a Python function as a node of its own ({f:?}): read its name from it, \
         and delete `sendable::function_name` and the prelude's `_skein_fn_name`"
    );
}

#[test]
fn calling_a_function_from_the_host_takes_no_keywords_and_no_host_calls() {
    let mut session = repl("def inc(x):\n    return x + 1\ndef via_host(x):\n    return host(x)\n");
    let direct = session.call_function("inc", vec![MontyObject::int(1)], PrintWriter::Disabled);
    assert_eq!(
        direct.map(|v| v.to_string()).ok().as_deref(),
        Some("2"),
        "the control"
    );
    assert!(
        session
            .call_function("via_host", vec![MontyObject::int(1)], PrintWriter::Disabled)
            .is_err(),
        "Monty's `call_function` now lets a function call the host: run tasks with it \
         (`worker.rs`) instead of feeding a call snippet per task"
    );
}

#[test]
fn no_finalizer_tells_when_an_object_goes() {
    let log = run(
        "log = []\nclass Held:\n    def __del__(self):\n        log.append('gone')\nh = Held()\nh = None\nlog",
    );
    assert_eq!(
        log.to_string(),
        "[]",
        "Monty now calls `__del__`: a Future could release its key itself, and the sweep of \
         the notebook's globals (`release.rs`, `prelude/memory.py`) could go"
    );
}

#[test]
fn no_object_new_makes_an_object_without_its_init() {
    let made = std::panic::catch_unwind(|| {
        run(
            "class P:\n    def __init__(self, x):\n        self.x = x\np = object.__new__(P)\np.x = 3\np.x",
        )
    });
    let failure = made
        .err()
        .and_then(|panic| panic.downcast::<String>().ok())
        .map_or_else(String::new, |message| *message);
    assert!(
        failure.contains("has no attribute '__new__'"),
        "Monty now has `object.__new__`: the prelude's `_skein_blank` (which swaps a class's \
         `__init__` out for a moment) can make an object of a cell's class with it"
    );
}
