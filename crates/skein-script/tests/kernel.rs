//! The kernel: state across cells, errors with line and column, task errors with keys,
//! interrupts, streaming, and user functions on several workers.

mod common;

use std::time::{Duration, Instant};

use common::{run, value};
use skein_script::{CellOutcome, ErrorKind, Kernel, Output};

fn error(kernel: &mut Kernel, source: &str) -> skein_script::CellError {
    match run(kernel, source) {
        (outputs, CellOutcome::Err(e)) => {
            assert_eq!(
                outputs.last(),
                Some(&Output::Error(e.clone())),
                "the error is also an output"
            );
            e
        }
        other => panic!("{source} should fail: {other:?}"),
    }
}

#[test]
fn state_persists_across_cells_until_restart() {
    let mut kernel = Kernel::new();
    run(&mut kernel, "fn double(x) { x * 2 }\nlet base = 20;");
    assert_eq!(value(&mut kernel, "double(base) + 2"), "42");
    assert_eq!(
        value(&mut kernel, "let f = delayed(double); f(f(base)).compute()"),
        "80"
    );
    kernel.restart();
    assert_eq!(error(&mut kernel, "base").kind, ErrorKind::Runtime);
    assert_eq!(error(&mut kernel, "double(1)").kind, ErrorKind::Runtime);
}

#[test]
fn syntax_errors_have_line_and_column() {
    let mut kernel = Kernel::new();
    let e = error(&mut kernel, "let a = 1;\nlet b = (a + ;");
    assert_eq!(
        (e.kind, e.line, e.column),
        (ErrorKind::Syntax, Some(2), Some(14))
    );
    // Columns are the user's, not those of the rewritten `f.call(…)`.
    let e = error(&mut kernel, "let f = |x| x;\nf(1) + f(2) + nope");
    assert_eq!((e.line, e.column), (Some(2), Some(15)), "{e:?}");
}

#[test]
fn runtime_errors_point_into_the_cell() {
    let mut kernel = Kernel::new();
    let e = error(
        &mut kernel,
        "fn boom(x) {\n  let y = 1;\n  y / x\n}\nboom(0)",
    );
    assert_eq!(
        (e.kind, e.line, e.column),
        (ErrorKind::Runtime, Some(3), Some(5)),
        "{e:?}"
    );
    assert!(e.message.contains("Division by zero"), "{}", e.message);
    // A function of an earlier cell: the error points at the call here and names the function.
    let e = error(&mut kernel, "let a = 1;\nboom(0)");
    assert_eq!((e.line, e.column), (Some(2), Some(1)), "{e:?}");
    assert!(e.message.contains("`boom`"), "{}", e.message);
    let e = error(&mut kernel, "throw \"nope\"");
    assert_eq!(e.message, "nope");
}

#[test]
fn task_errors_name_the_task_key() {
    let mut kernel = Kernel::new();
    let e = error(
        &mut kernel,
        "fn inverse(x) { 1 / x }\nlet d = delayed(inverse)(0);\nlet key = d.key;\nd.compute()",
    );
    assert_eq!(e.kind, ErrorKind::Task);
    let key = value(&mut kernel, "key");
    assert_eq!(e.task_key.as_deref(), Some(key.as_str()));
    assert!(key.starts_with("inverse-"), "{key}");
    assert!(
        e.message.contains("Division by zero") && e.message.contains(&key),
        "{}",
        e.message
    );
    assert_eq!((e.line, e.column), (Some(4), Some(3)), "{e:?}");
    // The future reports it too, and the kernel goes on.
    let e = error(&mut kernel, "Client().submit(inverse, 0).result()");
    assert!(e.task_key.unwrap().starts_with("inverse-"));
    assert_eq!(value(&mut kernel, "inverse(2.0)"), "0.5");
}

#[test]
fn prints_stream_before_the_cell_ends() {
    let mut kernel = Kernel::new();
    let handle = kernel.interrupt_handle();
    let mut seen_at = None;
    let start = Instant::now();
    let outcome = kernel.run_cell("print(\"first\");\nloop {}", &mut |o| {
        if o == (Output::Text {
            text: "first".into(),
        }) {
            seen_at = Some(start.elapsed());
            handle.interrupt(); // only possible if the line arrived while the cell ran
        }
    });
    assert!(seen_at.is_some());
    assert!(matches!(outcome, CellOutcome::Err(e) if e.kind == ErrorKind::Interrupted));
}

/// Interrupts `source` from another thread after a moment; returns how long it ran on.
fn interrupt_after_start(kernel: &mut Kernel, source: &str) -> (CellOutcome, Duration) {
    let handle = kernel.interrupt_handle();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        handle.interrupt();
        Instant::now()
    });
    let (_, outcome) = run(kernel, source);
    let ended = Instant::now();
    let interrupted_at = stopper.join().unwrap();
    (outcome, ended.saturating_duration_since(interrupted_at))
}

#[test]
fn interrupt_stops_a_runaway_cell_and_keeps_state() {
    let mut kernel = Kernel::new();
    run(&mut kernel, "let kept = 7;");
    let (outcome, after) = interrupt_after_start(&mut kernel, "let i = 0;\nwhile true { i += 1; }");
    let CellOutcome::Err(e) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!((e.kind, e.line), (ErrorKind::Interrupted, Some(2)));
    assert!(after < Duration::from_secs(1), "{after:?}");
    assert_eq!(value(&mut kernel, "kept + 1"), "8");
}

#[test]
fn interrupt_stops_a_runaway_task_and_keeps_state() {
    let mut kernel = Kernel::new();
    run(
        &mut kernel,
        "let kept = 7;\nfn forever(x) { loop { x += 1; } }",
    );
    let (outcome, after) = interrupt_after_start(
        &mut kernel,
        "let c = Client();\nc.submit(forever, 1).result()",
    );
    let CellOutcome::Err(e) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(e.kind, ErrorKind::Interrupted);
    assert!(after < Duration::from_secs(1), "{after:?}");
    assert_eq!(
        value(&mut kernel, "kept + delayed(|x| x + 1)(1).compute()"),
        "9"
    );
}

#[test]
fn user_functions_run_on_several_workers() {
    let client = skein_core::Client::with_config(skein_core::Config {
        threads: Some(4),
        ..Default::default()
    });
    let mut kernel = Kernel::with_config(skein_script::KernelConfig {
        client: Some(client),
        ..Default::default()
    });
    // Each task spins a few ms so the four workers all get some; `worker()` is the thread index.
    let shown = value(
        &mut kernel,
        "fn busy(i) { let s = 0; for j in 0..50_000 { s += j; } worker() }
         let workers = Client().gather(Client().map(busy, range(0, 32).to_array()));
         let distinct = [];
         for w in workers { if !distinct.contains(w) { distinct.push(w); } }
         distinct.len()",
    );
    assert!(shown.parse::<usize>().unwrap() > 1, "{shown}");
}

#[test]
fn outputs_serialize_as_tagged_data() {
    let mut kernel = Kernel::new();
    let (outputs, _) = run(
        &mut kernel,
        "hist([1, 2, 2, 3], #{ bins: 3, title: \"t\" });\ntable([#{ a: 1 }]);\n2 + 2",
    );
    let json = serde_json::to_string(&outputs).unwrap();
    assert!(
        json.contains(r#""kind":"plot","plot":"histogram""#),
        "{json}"
    );
    assert!(json.contains(r#""counts":[1,2,1]"#), "{json}");
    assert!(
        json.contains(r#""kind":"table","columns":["a"],"rows":[[1]]"#),
        "{json}"
    );
    assert!(
        json.contains(r#""kind":"value","display":"4","type_name":"i64""#),
        "{json}"
    );
}

#[test]
fn queued_cells_are_turned_away_after_an_interrupt_or_a_failure() {
    let mut kernel = Kernel::new();
    let handle = kernel.interrupt_handle();
    let queued_at = handle.interrupts();
    let run_queued = |kernel: &mut Kernel, queued_at: u64, source: &str| {
        let admitted = kernel.admit(queued_at)?;
        Some(kernel.run_admitted(admitted, source, &mut |_| {}))
    };
    assert!(matches!(
        run_queued(&mut kernel, queued_at, "let a = 1;"),
        Some(CellOutcome::Ok { .. })
    ));
    // An interrupt while nothing runs still stops what was queued before it…
    handle.interrupt();
    assert!(run_queued(&mut kernel, queued_at, "a = 2;").is_none());
    // …but not what is queued after it.
    let queued_at = handle.interrupts();
    assert!(run_queued(&mut kernel, queued_at, "a += 10;").is_some());
    // A failing queued cell stops the cells queued with it, as in Jupyter.
    assert!(matches!(
        run_queued(&mut kernel, queued_at, "a += undefined_name;"),
        Some(CellOutcome::Err(_))
    ));
    assert!(run_queued(&mut kernel, queued_at, "a = 100;").is_none());
    assert_eq!(
        value(&mut kernel, "a"),
        "11",
        "turned-away cells did not run"
    );
}

#[test]
fn a_failing_queued_cell_leaves_running_futures_alone() {
    let mut kernel = Kernel::new();
    run(
        &mut kernel,
        "fn slow(x) { let t = 0; for i in 0..200000 { t += i; } t + x }\n\
         let c = Client();\nlet f = c.submit(slow, 1);",
    );
    let queued_at = kernel.interrupt_handle().interrupts();
    let admitted = kernel.admit(queued_at).expect("nothing interrupted");
    let outcome = kernel.run_admitted(admitted, "no_such_function()", &mut |_| {});
    assert!(matches!(outcome, CellOutcome::Err(_)));
    assert_eq!(value(&mut kernel, "f.result()"), "19999900001");
}
