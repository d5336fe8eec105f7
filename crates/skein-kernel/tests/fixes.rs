//! Defects of issue 22, each pinned by a test: captured loops (that their text is rewritten
//! once is `capture.rs`'s unit test), error columns on rewritten lines, showing a graph
//! later, `datetime.now()`, and comparing a Delayed.

mod common;

use common::{kernel, run, value};
use skein_kernel::{CellOutcome, Output};

#[test]
fn a_captured_function_with_a_loop_runs_on_a_worker() {
    let mut k = kernel();
    run(
        &mut k,
        "from dask.distributed import Client\nclient = Client()\ndef total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n",
    );
    assert_eq!(
        value(&mut k, "client.submit(total, [1, 2, 3]).result()"),
        "6"
    );
}

#[test]
fn an_error_on_a_rewritten_line_gives_no_column_of_the_rewritten_text() {
    let mut k = kernel();
    let (_, outcome) = run(&mut k, "d = {'a': 1}\nz = [d['a'], d['missing']]\n");
    let CellOutcome::Err(err) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(err.line, Some(2), "{err:?}");
    // `_skein_getitem(d, 'missing')` starts far right of the user's `d['missing']`.
    assert_eq!(err.column, None, "{err:?}");
    // A line the kernel did not rewrite keeps its column.
    let (_, outcome) = run(&mut k, "x = 1\ny = x + undefined_name\n");
    let CellOutcome::Err(err) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(err.line, Some(2), "{err:?}");
    assert!(err.column.is_some(), "{err:?}");
}

#[test]
fn a_graph_kept_in_a_variable_is_shown_when_displayed() {
    let mut k = kernel();
    run(
        &mut k,
        "from dask import delayed\n@delayed\ndef inc(x):\n    return x + 1\n",
    );
    // Like Jupyter: assigning the picture shows nothing, displaying it shows the graph.
    let (outputs, _) = run(&mut k, "g = inc(inc(1)).visualize()");
    assert!(
        !outputs.iter().any(|o| matches!(o, Output::Graph { .. })),
        "{outputs:?}"
    );
    let (outputs, _) = run(&mut k, "g");
    let graphs = outputs
        .iter()
        .filter(|o| matches!(o, Output::Graph { dot, svg } if dot.contains("inc") && svg.contains("<svg")))
        .count();
    assert_eq!(graphs, 1, "{outputs:?}");
}

#[test]
fn datetime_now_is_a_datetime() {
    let mut k = kernel();
    let year: i64 = value(&mut k, "import datetime\ndatetime.datetime.now().year")
        .parse()
        .unwrap();
    assert!((2024..10_000).contains(&year), "{year}");
    let shown = value(
        &mut k,
        "from datetime import datetime, date\n(type(datetime.now()).__name__, date.today().month >= 1)",
    );
    assert_eq!(shown, "('datetime', True)");
}

#[test]
fn comparing_a_delayed_gives_the_delayed_s_own_comparison_task() {
    let mut k = kernel();
    run(&mut k, "from dask import delayed\nd = delayed(1)\n");
    assert!(value(&mut k, "d < 3").starts_with("Delayed('lt-"));
    assert_eq!(
        value(&mut k, "(d < 3).compute(), (d >= 3).compute()"),
        "(True, False)"
    );
    // Python's reflected comparison, as in Dask: `3 > d` is `d.__lt__(3)`, the same task.
    assert_eq!(value(&mut k, "(3 > d).key == (d < 3).key"), "True");
    assert_eq!(
        value(&mut k, "(d == 1).compute(), (d != 1).compute()"),
        "(True, False)"
    );
}
