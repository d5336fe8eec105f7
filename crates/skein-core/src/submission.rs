//! The one way into the scheduler. Whatever a user builds — a `Delayed` graph to `compute` or
//! `persist`, a `submit` or `map` call (a one-task graph whose arguments may be futures or
//! delayed values) — is a set of root [`Node`]s, lowered here into the scheduler's list of new
//! tasks: each key once, dependencies first, in depth-first post-order from the roots (the
//! run priority, see `scheduler/README.md`), with a cycle reported by exactly the keys on it.
//!
//! A graph of `Arc`-shared nodes cannot point back at itself, but keys name computations: two
//! nodes with the same key are one task, so a key reused further down (an explicit
//! `dask_key_name`, `Key::from_text`) can close a cycle.

use std::sync::Arc;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use crate::error::GraphError;
use crate::node::{Input, Node};
use crate::priority::Priority;
use crate::scheduler::{GroupSizes, Handle, NewArg, NewTask, Scheduler};

/// Positions of task nodes by key, probed with the hash each `Key` caches (no string hashing
/// per visit). Entries keep the node, so a lookup for the very same node (the usual case: a
/// value used twice is one shared node) matches by address without reading the stored key;
/// distinct nodes with equal keys still count as one task, as keys name computations.
#[derive(Default)]
struct KeyIndex<'a> {
    table: HashTable<(&'a Node, usize)>,
}

impl<'a> KeyIndex<'a> {
    fn matches<'k>(node: &'k Node) -> impl Fn(&(&'a Node, usize)) -> bool + 'k {
        move |&(n, _)| std::ptr::eq(n, node) || n.key() == node.key()
    }

    fn get(&self, node: &Node) -> Option<usize> {
        self.table
            .find(node.key().prehash(), Self::matches(node))
            .map(|&(_, i)| i)
    }

    fn insert(&mut self, node: &'a Node, value: usize) {
        let entry = self
            .table
            .entry(node.key().prehash(), Self::matches(node), |(n, _)| {
                n.key().prehash()
            });
        match entry {
            Entry::Occupied(mut e) => e.get_mut().1 = value,
            Entry::Vacant(e) => {
                e.insert((node, value));
            }
        }
    }
}

/// A task node while it is being ordered: on the walk's stack, or already placed.
const OPEN: u32 = u32::MAX;

/// A node's position in the order as the walk stores it: 32 bits halve the walk's vectors,
/// which a large submission holds alongside every task it creates (the peak of its memory).
fn pos32(position: usize) -> Result<u32, GraphError> {
    u32::try_from(position)
        .ok()
        .filter(|&p| p != OPEN)
        .ok_or(GraphError::TooLarge)
}

/// The tasks behind some roots in run order.
pub(crate) struct Order<'a> {
    /// Task nodes (never `Persisted`), dependencies first, depth-first post-order from the
    /// roots.
    nodes: Vec<&'a Node>,
    /// The positions in `nodes` of each node's `Delayed` task arguments, in argument order,
    /// node after node: `edges[edge_ends[i - 1]..edge_ends[i]]` are those of `nodes[i]`.
    /// Recorded during the walk, which meets every edge anyway, so that submitting does not
    /// look each argument up in `index` again (with 10^5 tasks, each probe is a cache miss).
    edges: Vec<u32>,
    edge_ends: Vec<u32>,
    /// Visit number by key: numbers are handed out in the order nodes are first met.
    index: KeyIndex<'a>,
    /// By visit number: the node's position in `nodes`, or `OPEN` while it is on the stack.
    /// Kept beside the index so that placing a node updates a vector, not the hash table.
    placed: Vec<u32>,
}

impl<'a> Order<'a> {
    /// The task nodes, dependencies first.
    pub(crate) fn nodes(&self) -> &[&'a Node] {
        &self.nodes
    }

    /// The visit number of a new node, now `OPEN`.
    fn open(&mut self, node: &'a Node) -> usize {
        let visit = self.placed.len();
        self.placed.push(OPEN);
        self.index.insert(node, visit);
        visit
    }

    /// The position of a task known to be in the order.
    fn position(&self, node: &Node) -> usize {
        // Invariant: `post_order` opens every task node it meets from the roots (a root
        // included) before returning the order, so the lookup cannot miss.
        #[allow(clippy::expect_used)]
        let visit = self
            .index
            .get(node)
            .expect("every task behind a root is in the order");
        self.placed[visit] as usize
    }
}

/// One node on the walk's stack.
struct Frame<'a> {
    node: &'a Node,
    /// Its next argument to look at.
    next: usize,
    visit: usize,
    /// Where its argument positions start on the pending-edges stack.
    edges: usize,
}

/// The cycle closed by an edge to `dep`, which is open on the walk's stack: the keys from
/// `dep` to the top of the stack, each depending on the next and the last on `dep`.
fn cycle(stack: &[Frame<'_>], order: &Order<'_>, dep: &Node) -> GraphError {
    let visit = order.index.get(dep);
    let start = stack
        .iter()
        .rposition(|f| Some(f.visit) == visit)
        .unwrap_or(0);
    GraphError::Cycle {
        keys: stack[start..]
            .iter()
            .map(|f| f.node.key().clone())
            .collect(),
    }
}

/// Collects the unsubmitted tasks behind `roots`, each key once, without recursion.
pub(crate) fn post_order<'a>(roots: &[&'a Arc<Node>]) -> Result<Order<'a>, GraphError> {
    let mut order = Order {
        nodes: Vec::new(),
        edges: Vec::new(),
        edge_ends: Vec::new(),
        index: KeyIndex::default(),
        placed: Vec::new(),
    };
    let mut stack: Vec<Frame<'a>> = Vec::new();
    // The argument positions found so far of the nodes on the stack, innermost last.
    let mut pending: Vec<u32> = Vec::new();
    for root in roots {
        let root: &'a Node = root;
        if matches!(root, Node::Persisted(_)) || order.index.get(root).is_some() {
            continue;
        }
        let visit = order.open(root);
        stack.push(Frame {
            node: root,
            next: 0,
            visit,
            edges: 0,
        });
        while let Some(top) = stack.last_mut() {
            let Node::Task { args, .. } = top.node else {
                unreachable!("only tasks are pushed");
            };
            if let Some(arg) = args.get(top.next) {
                top.next += 1;
                if let Input::Delayed(d) = arg {
                    let dep: &'a Node = d.node();
                    if let Node::Task { .. } = dep {
                        match order.index.get(dep).map(|visit| order.placed[visit]) {
                            None => {
                                let visit = order.open(dep);
                                stack.push(Frame {
                                    node: dep,
                                    next: 0,
                                    visit,
                                    edges: pending.len(),
                                });
                            }
                            Some(OPEN) => return Err(cycle(&stack, &order, dep)),
                            Some(position) => pending.push(position),
                        }
                    }
                }
            } else {
                let position = order.nodes.len();
                let position = pos32(position)?;
                order.placed[top.visit] = position;
                order.nodes.push(top.node);
                order.edges.extend(pending.drain(top.edges..));
                order.edge_ends.push(pos32(order.edges.len())?);
                stack.pop();
                // The node was its parent's current argument.
                if !stack.is_empty() {
                    pending.push(position);
                }
            }
        }
    }
    Ok(order)
}

/// Submits the graphs behind `roots` to `sched` at `priority` and returns a handle per root;
/// on a cycle, submits nothing.
pub(crate) fn submit(
    sched: &Arc<Scheduler>,
    roots: &[&Arc<Node>],
    priority: Priority,
) -> Result<Vec<Handle>, GraphError> {
    if let [root] = roots
        && is_lone_task(root)
    {
        // Every `submit` and each call of a `map`: one task whose arguments are values and
        // futures. It cannot close a cycle and has nothing to order, so it skips the walk,
        // whose index and vectors cost more than the task itself.
        let task = new_task(root, &mut [].iter());
        let one = GroupSizes::default();
        return Ok(sched
            .submit(std::iter::once(task), &[0], &one, priority)
            .into_vec());
    }
    let order = post_order(roots)?;
    let targets: Vec<usize> = roots
        .iter()
        .filter_map(|r| match &***r {
            node @ Node::Task { .. } => Some(order.position(node)),
            Node::Persisted(_) => None,
        })
        .collect();
    // Streamed into the scheduler rather than collected first: for a graph of a million tasks
    // a list of them all would be a sixth of the peak memory.
    let tasks = order.nodes.iter().enumerate().map(|(i, node)| {
        let start = i.checked_sub(1).map_or(0, |j| order.edge_ends[j] as usize);
        new_task(
            node,
            &mut order.edges[start..order.edge_ends[i] as usize].iter(),
        )
    });
    let sizes = GroupSizes::of(order.nodes.iter().filter_map(|node| match node {
        Node::Task { key, .. } => Some(key),
        Node::Persisted(_) => None,
    }));
    let mut submitted = sched.submit(tasks, &targets, &sizes, priority).into_iter();
    let mut handles = Vec::with_capacity(roots.len());
    for root in roots {
        let handle = match &***root {
            Node::Persisted(h) => Some(h.clone()),
            Node::Task { .. } => submitted.next(),
        };
        handles.extend(handle);
    }
    Ok(handles)
}

/// A task node none of whose arguments is a task still to submit.
fn is_lone_task(node: &Node) -> bool {
    match node {
        Node::Task { args, .. } => args.iter().all(|a| match a {
            Input::Delayed(d) => matches!(**d.node(), Node::Persisted(_)),
            Input::Value(_) | Input::Future(_) => true,
        }),
        Node::Persisted(_) => false,
    }
}

/// The scheduler's new task for a task `node`, whose `Delayed` task arguments sit at the
/// positions `edges` yields, in argument order.
fn new_task<'e>(node: &Node, edges: &mut impl Iterator<Item = &'e u32>) -> NewTask {
    let Node::Task { key, func, args } = node else {
        unreachable!("only task nodes become tasks");
    };
    let args = args
        .iter()
        .map(|a| match a {
            Input::Value(v) => NewArg::Value(v.clone()),
            Input::Future(f) => NewArg::Existing(f.handle().clone()),
            Input::Delayed(d) => match &**d.node() {
                Node::Persisted(h) => NewArg::Existing(h.clone()),
                Node::Task { .. } => {
                    // Invariant: `post_order` pushed one edge for each `Delayed` task
                    // argument of this node, in argument order, so there is one to take.
                    #[allow(clippy::expect_used)]
                    let edge = *edges.next().expect("the walk recorded every task argument");
                    NewArg::Local(edge as usize)
                }
            },
        })
        .collect();
    NewTask {
        key: key.clone(),
        func: func.clone(),
        args,
    }
}
