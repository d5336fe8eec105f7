//! Drawing a task graph the way Dask does: each task is a circle labelled with its function,
//! pointing at a box for its output data; a task's inputs are the boxes pointing at it.
//! [`Visualization::dot`] gives Graphviz text, [`Visualization::svg`] an SVG laid out by
//! layout-rs (no Graphviz needed, also in wasm).

use std::collections::HashMap;
use std::fmt::Write;

use layout::backends::svg::SVGWriter;
use layout::core::base::Orientation;
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

use crate::graph::Graph;
use crate::key::Key;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// A task: a circle with the function name.
    Task,
    /// Data: a box with the (shortened) key.
    Data,
}

/// A drawable graph: nodes (tasks and data) and edges between them.
#[derive(Clone, Debug)]
pub struct Visualization {
    nodes: Vec<(Shape, String)>,
    edges: Vec<(usize, usize)>,
}

/// `square-0a1b2c…` → `square-0a1b2c` (Dask shortens keys the same way in its drawings).
fn short(key: &Key) -> String {
    let text = key.as_str();
    let cut = (key.group().len() + 7).min(text.len());
    text.get(..cut).unwrap_or(text).to_owned()
}

impl Visualization {
    /// Draws `graph`; `targets` not in the graph (persisted values) appear as data boxes.
    pub fn new(graph: &Graph, targets: &[Key]) -> Visualization {
        let mut v = Visualization {
            nodes: Vec::new(),
            edges: Vec::new(),
        };
        let mut data: HashMap<Key, usize> = HashMap::new();
        let mut data_node = |v: &mut Visualization, key: &Key| {
            *data.entry(key.clone()).or_insert_with(|| {
                v.nodes.push((Shape::Data, short(key)));
                v.nodes.len() - 1
            })
        };
        let mut tasks: Vec<_> = graph.tasks().collect();
        tasks.sort_by(|a, b| a.key.cmp(&b.key));
        for task in tasks {
            v.nodes.push((Shape::Task, task.key.group().to_owned()));
            let circle = v.nodes.len() - 1;
            let out = data_node(&mut v, &task.key);
            v.edges.push((circle, out));
            for dep in task.dependencies() {
                let input = data_node(&mut v, dep);
                v.edges.push((input, circle));
            }
        }
        for t in targets {
            data_node(&mut v, t);
        }
        v
    }

    /// The number of circles (tasks).
    pub fn tasks(&self) -> usize {
        self.nodes.iter().filter(|(s, _)| *s == Shape::Task).count()
    }

    /// Graphviz DOT text, bottom to top as Dask draws it.
    pub fn dot(&self) -> String {
        let mut out = String::from("digraph {\n  graph [rankdir=BT];\n");
        for (i, (shape, label)) in self.nodes.iter().enumerate() {
            let shape = match shape {
                Shape::Task => "circle",
                Shape::Data => "box",
            };
            let label = label.replace('\\', "\\\\").replace('"', "\\\"");
            let _ = writeln!(out, "  n{i} [label=\"{label}\", shape={shape}];");
        }
        for (a, b) in &self.edges {
            let _ = writeln!(out, "  n{a} -> n{b};");
        }
        out.push_str("}\n");
        out
    }

    /// An SVG drawing.
    pub fn svg(&self) -> String {
        let mut vg = VisualGraph::new(Orientation::TopToBottom);
        let handles: Vec<_> = self
            .nodes
            .iter()
            .map(|(shape, label)| {
                let (kind, size) = match shape {
                    Shape::Task => {
                        let d = (label.len() as f64 * 8.0 + 20.0).max(50.0);
                        (ShapeKind::new_circle(label), Point::new(d, d))
                    }
                    Shape::Data => (
                        ShapeKind::new_box(label),
                        Point::new(label.len() as f64 * 8.0 + 20.0, 36.0),
                    ),
                };
                vg.add_node(Element::create(
                    kind,
                    StyleAttr::simple(),
                    Orientation::TopToBottom,
                    size,
                ))
            })
            .collect();
        for &(a, b) in &self.edges {
            vg.add_edge(Arrow::simple(""), handles[a], handles[b]);
        }
        if self.nodes.is_empty() {
            return String::from(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"0\"></svg>",
            );
        }
        let mut svg = SVGWriter::new();
        vg.do_it(false, false, false, &mut svg);
        svg.finalize()
    }
}
