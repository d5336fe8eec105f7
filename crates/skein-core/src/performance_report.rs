//! Dask's `performance_report` for Skein: one self-contained HTML page that sums up a task
//! stream recording (how long it took, how many tasks ran, each task group's count, compute
//! time and result bytes) and draws the stream, one lane per worker, each task a bar coloured
//! by its group with its key and duration on hover. It fetches nothing, so it opens from a
//! file, as Dask's report does.
//!
//! ```
//! let client = skein_core::Client::new();
//! let recording = client.record_task_stream();
//! let futures: Vec<_> = (0..4u64).map(|i| client.submit(|x: u64| x * 2, i)).collect();
//! client.wait(&futures);
//! let html = skein_core::performance_report(&recording.records(), client.workers());
//! assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
//! ```

use std::collections::HashMap;
use std::fmt::Write;

use crate::task_stream::TaskRecord;

/// At most this many bars are drawn; the table still counts every task.
pub const MAX_BARS: usize = 20_000;

const WIDTH: f64 = 960.0;
const LANE: f64 = 18.0;

/// One task group's line of the table.
#[derive(Default)]
struct GroupLine {
    tasks: usize,
    erred: usize,
    compute_ms: f64,
    longest_ms: f64,
    bytes: usize,
}

/// The report of `records` (a recording's, in the order they finished) on `workers` workers.
pub fn performance_report(records: &[TaskRecord], workers: usize) -> String {
    let start = records
        .iter()
        .map(|r| r.start)
        .fold(f64::INFINITY, f64::min);
    let stop = records
        .iter()
        .map(|r| r.stop)
        .fold(f64::NEG_INFINITY, f64::max);
    let span_ms = if records.is_empty() {
        0.0
    } else {
        stop - start
    };
    let lanes = records
        .iter()
        .map(|r| r.worker + 1)
        .max()
        .unwrap_or(0)
        .max(workers);

    let mut groups: HashMap<&str, GroupLine> = HashMap::new();
    for record in records {
        let line = groups.entry(record.key.group()).or_default();
        let ms = record.stop - record.start;
        line.tasks += 1;
        line.erred += usize::from(record.erred);
        line.compute_ms += ms;
        line.longest_ms = line.longest_ms.max(ms);
        line.bytes += record.bytes;
    }
    let mut groups: Vec<(&str, GroupLine)> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.compute_ms.total_cmp(&a.1.compute_ms).then(a.0.cmp(b.0)));

    let compute_ms: f64 = groups.iter().map(|(_, g)| g.compute_ms).sum();
    let erred: usize = groups.iter().map(|(_, g)| g.erred).sum();
    let mut html = String::from(HEAD);
    let _ = write!(
        html,
        "<h1>Dask Performance Report</h1>\n<p class=\"by\">made by Skein</p>\n\
         <table class=\"summary\">\n<tr><th>Duration</th><td>{}</td></tr>\n\
         <tr><th>Tasks</th><td>{}</td></tr>\n<tr><th>Failed tasks</th><td>{erred}</td></tr>\n\
         <tr><th>Compute time</th><td>{}</td></tr>\n<tr><th>Workers</th><td>{lanes}</td></tr>\n\
         </table>\n",
        duration(span_ms),
        records.len(),
        duration(compute_ms),
    );
    html.push_str("<h2>Task stream</h2>\n");
    stream_svg(&mut html, records, start, span_ms, lanes);
    html.push_str(
        "<h2>Task groups</h2>\n<table class=\"groups\">\n<tr><th></th><th>Group</th>\
         <th>Tasks</th><th>Failed</th><th>Compute time</th><th>Mean</th><th>Longest</th>\
         <th>Result bytes</th></tr>\n",
    );
    for (group, line) in &groups {
        let _ = writeln!(
            html,
            "<tr><td><span class=\"swatch\" style=\"background:{}\"></span></td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            colour(group),
            escape(group),
            line.tasks,
            line.erred,
            duration(line.compute_ms),
            duration(line.compute_ms / line.tasks as f64),
            duration(line.longest_ms),
            line.bytes,
        );
    }
    html.push_str("</table>\n</body>\n</html>\n");
    html
}

/// The stream as SVG: time across, one lane per worker.
fn stream_svg(html: &mut String, records: &[TaskRecord], start: f64, span_ms: f64, lanes: usize) {
    let height = LANE * lanes.max(1) as f64 + 20.0;
    let _ = writeln!(
        html,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {WIDTH} {height}\">"
    );
    for lane in 0..lanes {
        let y = LANE * lane as f64;
        let _ = writeln!(
            html,
            "<text x=\"0\" y=\"{:.1}\" class=\"lane\">worker {lane}</text>",
            y + 13.0
        );
    }
    let plot = WIDTH - 70.0;
    let scale = if span_ms > 0.0 { plot / span_ms } else { 0.0 };
    for record in records.iter().take(MAX_BARS) {
        let x = 70.0 + (record.start - start) * scale;
        let w = ((record.stop - record.start) * scale).max(1.0);
        let y = LANE * record.worker as f64 + 2.0;
        let fill = if record.erred {
            "#000".to_owned()
        } else {
            colour(record.key.group())
        };
        let _ = writeln!(
            html,
            "<rect x=\"{x:.2}\" y=\"{y:.1}\" width=\"{w:.2}\" height=\"{:.1}\" fill=\"{fill}\">\
             <title>{} ({})</title></rect>",
            LANE - 4.0,
            escape(record.key.as_str()),
            duration(record.stop - record.start),
        );
    }
    let _ = writeln!(
        html,
        "<text x=\"70\" y=\"{:.1}\" class=\"lane\">0</text><text x=\"{WIDTH}\" y=\"{:.1}\" \
         class=\"lane\" text-anchor=\"end\">{}</text>\n</svg>",
        height - 4.0,
        height - 4.0,
        duration(span_ms)
    );
    if records.len() > MAX_BARS {
        let _ = writeln!(
            html,
            "<p>The first {MAX_BARS} of {} tasks are drawn.</p>",
            records.len()
        );
    }
}

/// A group's colour: a hue from its name, the same in every report.
fn colour(group: &str) -> String {
    let hash = group.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("hsl({}, 60%, 55%)", hash % 360)
}

/// `ms` as a person reads it: µs, ms or s.
fn duration(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 1.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.0} µs", ms * 1000.0)
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const HEAD: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<title>Dask Performance Report</title>\n<style>\n\
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }\n\
.by { color: #777; margin-top: -0.8em; }\n\
table { border-collapse: collapse; margin-bottom: 1.5em; }\n\
th, td { padding: 0.25em 0.8em; text-align: right; border-bottom: 1px solid #ddd; }\n\
th { background: #f4f4f4; }\n\
.summary th, .groups td:nth-child(2) { text-align: left; }\n\
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; }\n\
svg { border: 1px solid #ddd; margin-bottom: 1.5em; }\n\
.lane { font-size: 10px; fill: #555; }\n\
</style>\n</head>\n<body>\n";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::Key;

    fn record(key: &str, worker: usize, start: f64, stop: f64, erred: bool) -> TaskRecord {
        TaskRecord {
            key: Key::from_text(key),
            worker,
            start,
            stop,
            erred,
            bytes: if erred { 0 } else { 8 },
        }
    }

    #[test]
    fn the_report_sums_up_each_group_and_draws_each_task_on_its_worker() {
        let records = [
            record("inc-aaaa", 0, 100.0, 102.0, false),
            record("inc-bbbb", 1, 100.5, 101.5, false),
            record("boom-<cc>", 1, 102.0, 102.5, true),
        ];
        let html = performance_report(&records, 2);
        assert!(
            html.contains("<tr><th>Duration</th><td>2.5 ms</td></tr>"),
            "{html}"
        );
        assert!(html.contains("<tr><th>Tasks</th><td>3</td></tr>"));
        assert!(html.contains("<tr><th>Failed tasks</th><td>1</td></tr>"));
        assert!(
            html.contains("<td>inc</td><td>2</td><td>0</td><td>3.0 ms</td><td>1.5 ms</td><td>2.0 ms</td><td>16</td>"),
            "inc's line: two tasks, 3 ms in all, the longest 2 ms, 16 bytes: {html}"
        );
        assert!(html.contains("<td>boom</td><td>1</td><td>1</td>"));
        assert!(
            html.find("<td>inc</td>") < html.find("<td>boom</td>"),
            "the group that took longest first"
        );
        assert_eq!(html.matches("<rect ").count(), 3);
        assert!(html.contains("worker 0") && html.contains("worker 1"));
        assert!(
            html.contains("boom-&lt;cc&gt;") && !html.contains("boom-<cc>"),
            "keys are escaped"
        );
        // The second task's bar starts a fifth of the way along (0.5 of 2.5 ms).
        let plot = WIDTH - 70.0;
        assert!(html.contains(&format!("<rect x=\"{:.2}\" y=\"20.0\"", 70.0 + plot / 5.0)));
    }

    #[test]
    fn an_empty_recording_makes_a_report_without_tasks() {
        let html = performance_report(&[], 2);
        assert!(html.contains("<tr><th>Tasks</th><td>0</td></tr>"));
        assert!(html.contains("<tr><th>Duration</th><td>0 µs</td></tr>"));
        assert_eq!(html.matches("<rect ").count(), 0);
        assert!(html.contains("worker 1"), "every worker's lane");
    }
}
