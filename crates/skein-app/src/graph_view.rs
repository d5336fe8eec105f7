//! Drawing the live task graph: the current computation's tasks as dots coloured by state,
//! in columns by depth with their dependency edges, or — when there are more tasks than the
//! panel can show — one box per function group with the share of its tasks in each state.

use std::collections::HashMap;

use skein_core::{LiveGraph, TaskState};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::canvas;

/// Above this many tasks the graph is drawn by function group.
pub const MAX_TASK_NODES: usize = 400;

/// Up to this many tasks, each is labelled with its function.
const LABELLED_TASKS: usize = 16;

/// Colours shared with the progress bars, one per state.
const STATE_COLORS: [(TaskState, &str); 6] = [
    (TaskState::Waiting, "#c8ccd4"),
    (TaskState::Ready, "#8a919e"),
    (TaskState::Processing, "#2ea05a"),
    (TaskState::Memory, "#2f6fdf"),
    (TaskState::Erred, "#d22"),
    (TaskState::Released, "#8fb3ef"),
];

const BACKGROUND: &str = "#fbfbf8";
const EDGE: &str = "rgba(90, 96, 110, 0.35)";
const MARGIN: f64 = 10.0;

/// What the last drawing showed, for the page's data attributes and the tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drawn {
    /// Whether tasks were folded into function groups.
    pub by_group: bool,
    /// How many nodes (tasks or groups) were drawn.
    pub nodes: usize,
}

/// Draws `graph` on `canvas`, by task when it is small enough, else by function group.
pub fn draw(canvas: &HtmlCanvasElement, graph: &LiveGraph) -> Drawn {
    let Some(ctx) = canvas::context_2d(canvas) else {
        return Drawn::default();
    };
    let size = (f64::from(canvas.width()), f64::from(canvas.height()));
    ctx.set_fill_style_str(BACKGROUND);
    ctx.fill_rect(0.0, 0.0, size.0, size.1);
    if graph.tasks().len() <= MAX_TASK_NODES {
        draw_tasks(&ctx, graph, size)
    } else {
        draw_groups(&ctx, graph, size)
    }
}

/// Places node centres in columns by depth, `inset` from the left and right edges; within a
/// column, by the mean height of their dependencies, so a tree's branches stay apart instead
/// of crossing.
fn layout<'a>(
    nodes: usize,
    depth: impl Fn(usize) -> u32,
    deps: impl Fn(usize) -> &'a [usize],
    (width, height): (f64, f64),
    inset: f64,
) -> Vec<(f64, f64)> {
    let mut columns: Vec<Vec<usize>> = Vec::new();
    for n in 0..nodes {
        let d = depth(n) as usize;
        if columns.len() <= d {
            columns.resize_with(d + 1, Vec::new);
        }
        columns[d].push(n);
    }
    let step_x = (width - 2.0 * inset) / (columns.len().max(2) - 1) as f64;
    let mut at = vec![(0.0, 0.0); nodes];
    let mut rank = vec![0.0_f64; nodes];
    for (c, column) in columns.iter().enumerate() {
        let mut keyed: Vec<(f64, usize)> = column
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let ds = deps(n);
                let key = if ds.is_empty() {
                    i as f64 / column.len() as f64
                } else {
                    ds.iter().map(|&d| rank[d]).sum::<f64>() / ds.len() as f64
                };
                (key, n)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        let step_y = (height - 2.0 * MARGIN) / keyed.len() as f64;
        for (row, &(_, n)) in keyed.iter().enumerate() {
            rank[n] = (row as f64 + 0.5) / keyed.len() as f64;
            let x = if columns.len() == 1 {
                width / 2.0
            } else {
                inset + c as f64 * step_x
            };
            at[n] = (x, MARGIN + (row as f64 + 0.5) * step_y);
        }
    }
    at
}

/// Draws every node's edges to its dependencies (`at`: node centres), as one path.
fn stroke_edges<'a>(
    ctx: &CanvasRenderingContext2d,
    at: &[(f64, f64)],
    deps: impl Fn(usize) -> &'a [usize],
    line_width: f64,
) {
    ctx.set_stroke_style_str(EDGE);
    ctx.set_line_width(line_width);
    ctx.begin_path();
    for (n, &(x, y)) in at.iter().enumerate() {
        for &d in deps(n) {
            ctx.move_to(at[d].0, at[d].1);
            ctx.line_to(x, y);
        }
    }
    ctx.stroke();
}

fn draw_tasks(ctx: &CanvasRenderingContext2d, graph: &LiveGraph, size: (f64, f64)) -> Drawn {
    let tasks = graph.tasks();
    if tasks.is_empty() {
        return Drawn::default();
    }
    let at = layout(
        tasks.len(),
        |n| tasks[n].depth,
        |n| graph.deps(n),
        size,
        MARGIN,
    );
    let deepest = tasks.iter().map(|t| t.depth).max().unwrap_or(0) as f64;
    let widest = tasks.len() as f64 / (deepest + 1.0);
    let radius = (size.0 / (deepest + 2.0))
        .min(size.1 / (widest + 1.0))
        .clamp(1.5, 6.0);
    stroke_edges(ctx, &at, |n| graph.deps(n), 1.0);
    // One path per state: six fills instead of one per task.
    for (state, fill) in STATE_COLORS {
        ctx.set_fill_style_str(fill);
        ctx.begin_path();
        for (n, _) in tasks.iter().enumerate().filter(|(_, t)| t.state == state) {
            ctx.move_to(at[n].0 + radius, at[n].1);
            let _ = ctx.arc(at[n].0, at[n].1, radius, 0.0, std::f64::consts::TAU);
        }
        ctx.fill();
    }
    // A handful of tasks can say what they are, as the cell's `visualize()` does.
    if tasks.len() <= LABELLED_TASKS {
        ctx.set_fill_style_str("#333");
        ctx.set_font("10px ui-monospace, monospace");
        for (n, task) in tasks.iter().enumerate() {
            let name = &graph.groups()[task.group].name;
            let (x, y) = at[n];
            // Anchored so that labels of nodes near either edge stay on the canvas.
            let (align, x) = match x / size.0 {
                f if f < 0.3 => ("left", x - radius),
                f if f > 0.7 => ("right", x + radius),
                _ => ("center", x),
            };
            ctx.set_text_align(align);
            let _ = ctx.fill_text(name, x, y - radius - 3.0);
        }
        ctx.set_text_align("start");
    }
    Drawn {
        by_group: false,
        nodes: tasks.len(),
    }
}

fn draw_groups(ctx: &CanvasRenderingContext2d, graph: &LiveGraph, size: (f64, f64)) -> Drawn {
    let groups = graph.groups();
    // Group depths can skip numbers (a group's depth is its shallowest task's): renumber.
    let mut depths: Vec<u32> = groups.iter().map(|g| g.depth).collect();
    depths.sort_unstable();
    depths.dedup();
    let column: HashMap<u32, u32> = depths
        .iter()
        .enumerate()
        .map(|(i, &d)| (d, i as u32))
        .collect();
    let box_w = (size.0 / (depths.len() as f64 + 0.5)).clamp(40.0, 120.0);
    let box_h = 30.0_f64.min((size.1 - 2.0 * MARGIN) / groups.len() as f64 * 0.8);
    let at = layout(
        groups.len(),
        |n| column[&groups[n].depth],
        |n| &groups[n].deps[..],
        size,
        box_w / 2.0 + 2.0,
    );
    stroke_edges(ctx, &at, |n| &groups[n].deps[..], 2.0);
    ctx.set_font("11px ui-monospace, monospace");
    for (n, group) in groups.iter().enumerate() {
        let (x, y) = (at[n].0 - box_w / 2.0, at[n].1 - box_h / 2.0);
        let total = group.total().max(1) as f64;
        let mut left = x;
        for (state, fill) in STATE_COLORS {
            let w = box_w * group.count(state) as f64 / total;
            ctx.set_fill_style_str(fill);
            ctx.fill_rect(left, y, w, box_h);
            left += w;
        }
        ctx.set_stroke_style_str("#555");
        ctx.set_line_width(1.0);
        ctx.stroke_rect(x, y, box_w, box_h);
        ctx.set_fill_style_str("#111");
        let _ = ctx.fill_text_with_max_width(
            &format!("{} ×{}", group.name, group.total()),
            x + 3.0,
            y + box_h / 2.0 + 4.0,
            box_w - 6.0,
        );
    }
    Drawn {
        by_group: true,
        nodes: groups.len(),
    }
}

/// The name and colour of each state, for the legend.
pub fn legend() -> impl Iterator<Item = (&'static str, &'static str)> {
    STATE_COLORS
        .iter()
        .map(|&(state, fill)| (state.name(), fill))
}

#[cfg(test)]
mod tests {
    use skein_core::{Event, EventKind, Key};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn canvas() -> HtmlCanvasElement {
        let canvas: HtmlCanvasElement = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .expect("a canvas")
            .unchecked_into();
        canvas.set_width(420);
        canvas.set_height(200);
        canvas
    }

    /// A fan-in of `n` `load` tasks into one `total`, as events.
    fn fan_in(n: usize) -> LiveGraph {
        let mut graph = LiveGraph::new();
        let loads: Vec<Key> = (0..n)
            .map(|i| Key::from_text(&format!("load-{i}")))
            .collect();
        let added = |key: &Key, deps: Vec<Key>| Event {
            key: key.clone(),
            kind: EventKind::Added { deps },
            time: 0.0,
        };
        for key in &loads {
            graph.apply(&added(key, Vec::new()));
        }
        graph.apply(&added(&Key::from_text("total-0"), loads));
        graph
    }

    /// How many pixels of one colour the canvas shows.
    fn pixels_of(canvas: &HtmlCanvasElement, rgb: [u8; 3]) -> usize {
        let ctx: CanvasRenderingContext2d =
            canvas.get_context("2d").unwrap().unwrap().unchecked_into();
        let data = ctx.get_image_data(0.0, 0.0, 420.0, 200.0).unwrap().data();
        data.chunks(4).filter(|p| p[..3] == rgb).count()
    }

    #[wasm_bindgen_test]
    fn a_small_graph_is_drawn_task_by_task_in_its_states() {
        let graph = fan_in(10);
        let canvas = canvas();
        let drawn = draw(&canvas, &graph);
        assert_eq!(
            drawn,
            Drawn {
                by_group: false,
                nodes: 11
            }
        );
        // Every task is waiting: waiting grey is on the canvas, processing green is not.
        assert!(pixels_of(&canvas, [0xc8, 0xcc, 0xd4]) > 11);
        assert_eq!(pixels_of(&canvas, [0x2e, 0xa0, 0x5a]), 0);
    }

    #[wasm_bindgen_test]
    fn a_large_graph_is_folded_into_one_box_per_function() {
        let graph = fan_in(MAX_TASK_NODES + 100);
        let canvas = canvas();
        let drawn = draw(&canvas, &graph);
        assert_eq!(
            drawn,
            Drawn {
                by_group: true,
                nodes: 2
            }
        );
        assert!(
            pixels_of(&canvas, [0xc8, 0xcc, 0xd4]) > 100,
            "the boxes are filled"
        );
    }
}
