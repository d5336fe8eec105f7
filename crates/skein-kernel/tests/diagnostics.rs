//! Dask's diagnostics in cells: the task stream a `get_task_stream` block records and the
//! HTML file a `performance_report` block writes.

mod common;

use common::{ready, run, value};
use skein_kernel::{CellOutcome, Output};

#[test]
fn the_task_stream_names_the_client_s_workers() {
    let mut k = ready();
    run(
        &mut k,
        "from dask.distributed import get_task_stream\nwith get_task_stream() as ts:\n    client.gather(client.map(inc, range(20)))\n",
    );
    assert_eq!(
        value(
            &mut k,
            "len(ts.data), {d['worker'] for d in ts.data} <= set(client.nthreads()), all(d['status'] == 'OK' for d in ts.data)"
        ),
        "(20, True, True)"
    );
}

#[test]
fn a_performance_report_writes_its_tasks_to_an_html_file() {
    let mut k = ready();
    let (outputs, outcome) = run(
        &mut k,
        "from dask.distributed import performance_report\nwith performance_report(filename='report.html'):\n    client.gather(client.map(inc, range(12)))\n    delayed(add)(1, 2).compute()\n",
    );
    assert!(matches!(outcome, CellOutcome::Ok { .. }), "{outcome:?}");
    let report = outputs
        .iter()
        .find_map(|o| match o {
            Output::File { name, text } if name == "report.html" => Some(text.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no report offered: {outputs:?}"));
    assert!(report.starts_with("<!DOCTYPE html>"));
    assert!(
        report.contains("<tr><th>Tasks</th><td>13</td></tr>"),
        "{report}"
    );
    assert!(
        report.contains("<td>inc</td><td>12</td>") && report.contains("<td>add</td><td>1</td>")
    );
    assert_eq!(report.matches("<rect ").count(), 13);
    // The notebook can read the file back, as Dask's is on disk.
    assert_eq!(
        value(
            &mut k,
            "'Dask Performance Report' in open('report.html').read()"
        ),
        "True"
    );
}
