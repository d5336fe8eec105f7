//! The live dashboard: task stream, progress per function, the task graph, memory by key (by
//! key prefix, as Dask groups it) and workers, read from the engine's lock-free event stream
//! and counters every animation frame.
//!
//! Nothing here waits: events are taken with `EventLog::pop` within a time budget per frame,
//! counters read as snapshots. The task stream keeps the latest bars only and draws one
//! rectangle per pixel column of a lane when bars are narrower than a pixel, and the graph
//! folds large computations into function groups, so 100,000 tasks cost no more than the
//! screen.

use std::collections::{HashMap, VecDeque};

use leptos::prelude::*;
use skein_core::{Client, EventKind, GroupStats, LiveGraph};
use web_sys::HtmlCanvasElement;

use crate::frames::{self, Tick};
use crate::graph_view::{self, Drawn};
use crate::{canvas, now_ms};

/// How long a frame may spend taking events, so drawing keeps up with the screen.
const EVENT_BUDGET_MS: f64 = 6.0;
/// Bars kept for the task stream; older ones scroll out of history.
const MAX_BARS: usize = 50_000;
const LANE_HEIGHT: f64 = 18.0;
const COLORS: [&str; 8] = [
    "#2f6fdf", "#e87928", "#2ea05a", "#8259c8", "#c83c46", "#1ba3b3", "#b38a1b", "#787878",
];

/// One finished task in the stream.
#[derive(Clone, Copy)]
struct Bar {
    worker: usize,
    start: f64,
    end: f64,
    group: usize,
    erred: bool,
}

/// What the dashboard has learned from the events so far.
#[derive(Default)]
struct StreamModel {
    bars: VecDeque<Bar>,
    groups: HashMap<String, usize>,
    workers_seen: usize,
    graph: LiveGraph,
    tasks_seen: u64,
}

impl StreamModel {
    /// The colour index of a function; allocates only for a function not seen before (on the
    /// main thread the allocator's lock, contended by busy workers, can only be spun on).
    fn group_index(&mut self, name: &str) -> usize {
        if let Some(&index) = self.groups.get(name) {
            return index;
        }
        let next = self.groups.len();
        self.groups.insert(name.to_owned(), next);
        next
    }

    /// Takes events until the log is empty or `budget_ms` have passed, so a burst of 100,000
    /// tasks spreads over several frames instead of stalling one. Returns whether any came.
    fn absorb(&mut self, client: &Client, budget_ms: f64) -> bool {
        let deadline = now_ms() + budget_ms;
        let mut taken = 0usize;
        while let Some(event) = client.events().pop() {
            taken += 1;
            self.graph.apply(&event);
            if let EventKind::Finished {
                worker,
                start,
                erred,
                ..
            } = event.kind
            {
                let group = self.group_index(event.key.group());
                self.workers_seen = self.workers_seen.max(worker + 1);
                self.tasks_seen += 1;
                if self.bars.len() == MAX_BARS {
                    self.bars.pop_front();
                }
                self.bars.push_back(Bar {
                    worker,
                    start,
                    end: event.time,
                    group,
                    erred,
                });
            }
            // Reading the clock costs more than an event: look every so often.
            if taken.is_multiple_of(512) && now_ms() > deadline {
                break;
            }
        }
        taken > 0
    }
}

#[component]
pub fn Dashboard(
    /// The client whose workers and tasks are shown.
    client: Client,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let graph_canvas = NodeRef::<leptos::html::Canvas>::new();
    let model = StoredValue::new_local(StreamModel::default());
    let window_ms = RwSignal::new(5_000.0_f64);
    let groups = RwSignal::new(Vec::<GroupStats>::new());
    let workers = RwSignal::new(client.workers());
    let lanes = RwSignal::new(0usize);
    let tasks = RwSignal::new(0u64);
    let stream_rects = RwSignal::new(0usize);
    let graph_drawn = RwSignal::new(Drawn::default());
    let graph_tasks = RwSignal::new(0usize);
    // The slowest frame of the last second, in ms: what a 100,000-task run costs the page,
    // with its parts (taking events, drawing the stream, drawing the graph).
    let slowest_frame = RwSignal::new((0.0_f64, 0.0_f64, 0.0_f64, 0.0_f64));
    let dropped = RwSignal::new(0u64);

    let frame_client = client.clone();
    let mut frame = 0u64;
    let mut graph_version = u64::MAX;
    let mut unshown = false;
    let mut slowest = (0.0, 0.0, 0.0, 0.0);
    let mut stream_drawn_for = None;
    frames::paced(move || {
        let began = now_ms();
        frame += 1;
        let changed = model
            .try_update_value(|m| m.absorb(&frame_client, EVENT_BUDGET_MS))
            .unwrap_or(false);
        let absorbed = now_ms();
        if let Some(canvas) = canvas.get_untracked() {
            // The stream is a picture of the events, the window and the canvas's size only:
            // redrawn when one of them changes, so an idle page leaves the cores to the
            // workers (a redraw every frame cost a quarter of a core, a third of the π
            // check's speed-up on two cores).
            let view = (window_ms.get_untracked(), canvas.width(), canvas.height());
            if changed || stream_drawn_for != Some(view) {
                stream_drawn_for = Some(view);
                let rects = model.with_value(|m| draw_stream(&canvas, m, view.0));
                set_if_changed(stream_rects, rects);
            }
        }
        let streamed = now_ms();
        if let Some(canvas) = graph_canvas.get_untracked() {
            model.with_value(|m| {
                // 15 redraws a second follow a graph as well as 60, at a quarter of the cost.
                if m.graph.version() != graph_version && frame.is_multiple_of(4) {
                    graph_version = m.graph.version();
                    graph_drawn.set(graph_view::draw(&canvas, &m.graph));
                    graph_tasks.set(m.graph.tasks().len());
                }
            });
        }
        let ended = now_ms();
        if ended - began > slowest.0 {
            slowest = (
                ended - began,
                absorbed - began,
                streamed - absorbed,
                ended - streamed,
            );
        }
        if frame.is_multiple_of(60) {
            set_if_changed(slowest_frame, slowest);
            slowest = (0.0, 0.0, 0.0, 0.0);
        }
        // Counters and tables need not change faster than the eye reads them: 15 times a
        // second while events come, 4 times a second otherwise.
        unshown |= changed;
        if (unshown && frame.is_multiple_of(4)) || frame.is_multiple_of(15) {
            unshown = false;
            set_if_changed(groups, frame_client.groups());
            set_if_changed(dropped, frame_client.events().dropped());
            set_if_changed(workers, frame_client.workers());
            model.with_value(|m| {
                set_if_changed(lanes, m.workers_seen);
                set_if_changed(tasks, m.tasks_seen);
            });
        }
        let graph_behind = model.with_value(|m| m.graph.version() != graph_version);
        if changed || unshown || graph_behind {
            Tick::Busy
        } else {
            Tick::Idle
        }
    });

    let max_workers = client.max_workers();
    let at_limit = Signal::derive(move || workers.get() >= max_workers);
    view! {
        <aside
            class="dashboard"
            data-testid="dashboard"
            data-slowest-frame-ms=move || format!("{:.1}", slowest_frame.get().0)
            data-slowest-frame-parts=move || {
                let (_, events, stream, graph) = slowest_frame.get();
                format!("events {events:.1} ms, stream {stream:.1} ms, graph {graph:.1} ms")
            }
            data-dropped=move || dropped.get().to_string()
        >
            <section class="workers">
                <span data-testid="dashboard-workers" data-value=move || workers.get().to_string()>
                    {move || workers.get()} " workers"
                </span>
                <button
                    class="small"
                    data-testid="add-worker"
                    title="Let one more pool thread run tasks"
                    disabled=at_limit
                    on:click=move |_| workers.set(client.add_workers(1))
                >"+ worker"</button>
            </section>
            <h3>"Task stream"</h3>
            <canvas
                node_ref=canvas
                class="stream"
                width=420
                height=160
                data-testid="task-stream"
                data-lanes=move || lanes.get().to_string()
                data-tasks=move || tasks.get().to_string()
                data-rects=move || stream_rects.get().to_string()
                title="Scroll to zoom the time window"
                on:wheel=move |ev| {
                    ev.prevent_default();
                    let factor = if ev.delta_y() > 0.0 { 1.25 } else { 0.8 };
                    window_ms.update(|w| *w = (*w * factor).clamp(10.0, 600_000.0));
                }
            ></canvas>
            <p class="caption">{move || format!("last {:.1} s, one lane per worker", window_ms.get() / 1000.0)}</p>
            <h3>"Progress"</h3>
            <div class="progress" data-testid="progress">
                <For each=move || groups.get() key=|g| (g.name.clone(), g.released, g.memory, g.processing, g.waiting, g.erred) let:group>
                    <ProgressBar group />
                </For>
            </div>
            <h3>"Task graph"</h3>
            <canvas
                node_ref=graph_canvas
                class="graph"
                width=420
                height=200
                data-testid="task-graph"
                data-mode=move || if graph_drawn.get().by_group { "groups" } else { "tasks" }
                data-nodes=move || graph_drawn.get().nodes.to_string()
                data-tasks=move || graph_tasks.get().to_string()
            ></canvas>
            <p class="caption legend">
                {move || if graph_drawn.get().by_group {
                    "the last computation, one box per function: "
                } else {
                    "the last computation, one dot per task: "
                }}
                {graph_view::legend()
                    .map(|(name, fill)| view! {
                        <span class="state">
                            <span class="swatch" style=format!("background: {fill}")></span>
                            {name}
                        </span>
                        " "
                    })
                    .collect_view()}
                {move || (dropped.get() > 0).then(|| format!(
                    "({} events came faster than the page drew them and were skipped; the \
                     progress bars count every task)",
                    dropped.get(),
                ))}
            </p>
            <h3>"Memory by key"</h3>
            <table class="memory" data-testid="memory">
                <For each=move || in_memory(&groups.get()) key=|row| row.clone() let:row>
                    <tr>
                        <td class="key">{row.0}</td>
                        <td>{format!("{} ×", row.1)}</td>
                        <td>{human_bytes(row.2)}</td>
                    </tr>
                </For>
            </table>
            <p class="caption">"results held, by key prefix (function)"</p>
        </aside>
    }
}

#[component]
fn ProgressBar(
    /// One function group's counters.
    group: GroupStats,
) -> impl IntoView {
    let done = group.memory + group.released;
    let total = (done + group.pending() + group.erred).max(1) as f64;
    let pct = |n: u64| format!("width: {:.2}%", 100.0 * n as f64 / total);
    view! {
        <div class="group">
            <span class="name">{group.name.to_string()}</span>
            <span class="counts">{format!("{done} / {}", total as u64)}</span>
            <div class="bar">
                <span class="done" style=pct(group.released)></span>
                <span class="memory" style=pct(group.memory)></span>
                <span class="processing" style=pct(group.processing)></span>
                <span class="erred" style=pct(group.erred)></span>
            </div>
        </div>
    }
}

/// The function groups holding results, largest first: name, results, bytes. From the
/// scheduler's counters, which are exact even when events were skipped.
fn in_memory(groups: &[GroupStats]) -> Vec<(String, u64, u64)> {
    let mut rows: Vec<_> = groups
        .iter()
        .filter(|g| g.memory > 0)
        .map(|g| (g.name.to_string(), g.memory, g.bytes))
        .collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.2));
    rows.truncate(8);
    rows
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// Draws the last `window_ms` of bars, one lane per worker, one colour per function, and
/// returns how many rectangles that took (never more than lanes × pixel columns).
/// Sets `signal` only to a new value: every set re-renders what reads it, and an unchanged
/// page should cost the browser nothing.
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|current| *current != value) {
        signal.set(value);
    }
}

fn draw_stream(canvas: &HtmlCanvasElement, model: &StreamModel, window_ms: f64) -> usize {
    let Some(ctx) = canvas::context_2d(canvas) else {
        return 0;
    };
    let (width, height) = (f64::from(canvas.width()), f64::from(canvas.height()));
    ctx.set_fill_style_str("#fbfbf8");
    ctx.fill_rect(0.0, 0.0, width, height);
    let Some(latest) = model.bars.back().map(|b| b.end) else {
        return 0;
    };
    let lanes = model.workers_seen.max(1);
    let lane_height = (height / lanes as f64).min(LANE_HEIGHT);
    let from = latest - window_ms;
    let scale = width / window_ms;
    // One entry per lane and pixel column: bars thinner than a pixel share a column.
    let mut columns: Vec<Option<(usize, bool)>> = vec![None; lanes * width as usize];
    for bar in model
        .bars
        .iter()
        .rev()
        .take_while(|b| b.end >= from - window_ms)
    {
        if bar.end < from {
            continue;
        }
        let x0 = ((bar.start - from).max(0.0) * scale).floor() as usize;
        let x1 = (((bar.end - from) * scale).ceil() as usize)
            .max(x0 + 1)
            .min(width as usize);
        for x in x0..x1 {
            let cell = &mut columns[bar.worker.min(lanes - 1) * width as usize + x];
            cell.get_or_insert((bar.group, bar.erred));
        }
    }
    let mut rects = 0;
    for lane in 0..lanes {
        let y = lane as f64 * lane_height;
        let row = &columns[lane * width as usize..(lane + 1) * width as usize];
        let mut x = 0;
        while x < row.len() {
            let Some((group, erred)) = row[x] else {
                x += 1;
                continue;
            };
            let run = row[x..]
                .iter()
                .take_while(|c| **c == Some((group, erred)))
                .count();
            ctx.set_fill_style_str(if erred {
                "#d22"
            } else {
                COLORS[group % COLORS.len()]
            });
            ctx.fill_rect(x as f64, y + 1.0, run as f64, lane_height - 2.0);
            rects += 1;
            x += run;
        }
    }
    rects
}
