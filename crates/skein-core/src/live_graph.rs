//! The live task graph a dashboard draws: the tasks of the current computation, their
//! dependency edges and states, rebuilt from the [`EventLog`](crate::EventLog) by whoever
//! drains it.
//!
//! A *computation* starts when a task is added while nothing else is waiting or running, so
//! the graph shows the last thing run, with its final states, until the next one begins.
//! Each task also gets a depth (one more than its deepest dependency) and a function group;
//! when a graph is too large to draw task by task, [`LiveGraph::groups`] gives the same graph
//! folded to one node per function group, with the counts of its tasks in each state.

use rustc_hash::FxHashMap;

use crate::events::{Event, EventKind};
use crate::key::Key;
use crate::scheduler::TaskState;

/// Above this many tasks a computation's graph starts over, so a loop that submits forever
/// does not grow the model without bound.
const MAX_TASKS: usize = 1 << 20;

/// One task of the current computation.
#[derive(Clone, Debug)]
pub struct TaskNode {
    /// Its key.
    pub key: Key,
    /// Where it is now.
    pub state: TaskState,
    /// 0 for a task with no dependencies in this computation, else one more than the deepest.
    pub depth: u32,
    /// Its function group: an index into [`LiveGraph::groups`].
    pub group: usize,
    /// Where its dependencies are in the graph's one edge list (see [`LiveGraph::deps`]).
    edges: std::ops::Range<usize>,
}

/// One function group of the current computation: its tasks folded into one node.
#[derive(Clone, Debug)]
pub struct GroupNode {
    /// The function's name.
    pub name: String,
    /// The smallest depth of its tasks.
    pub depth: u32,
    /// How many of its tasks are in each state, indexed by `TaskState as usize`.
    pub counts: [u64; 6],
    /// The groups its tasks depend on (indices into [`LiveGraph::groups`]), each once, never
    /// itself.
    pub deps: Vec<usize>,
}

impl GroupNode {
    /// How many of its tasks are in `state`.
    pub fn count(&self, state: TaskState) -> u64 {
        self.counts[state as usize]
    }

    /// How many tasks it has.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// The graph of the current computation, kept up to date from events.
#[derive(Clone, Debug, Default)]
pub struct LiveGraph {
    tasks: Vec<TaskNode>,
    /// Every task's dependencies end to end: one list, so that following a computation costs
    /// no allocation per task (on a page's main thread, the allocator's lock is contended by
    /// busy workers and cannot be waited for, only spun on).
    edges: Vec<usize>,
    index: FxHashMap<Key, usize>,
    groups: Vec<GroupNode>,
    group_index: FxHashMap<String, usize>,
    /// Tasks waiting, ready or processing: when none are, the next new task starts afresh.
    active: usize,
    /// Bumped by every change, so a view redraws only when there is something new.
    version: u64,
    /// How many computations have started.
    computations: u64,
}

impl LiveGraph {
    /// Empty.
    pub fn new() -> Self {
        LiveGraph::default()
    }

    /// Updates from one event. Events of tasks added before the current computation began are
    /// ignored.
    pub fn apply(&mut self, event: &Event) {
        match &event.kind {
            EventKind::Added { deps } => self.add(&event.key, deps),
            EventKind::State { to, .. } => self.change(&event.key, *to),
            EventKind::Started { .. } => self.change(&event.key, TaskState::Processing),
            EventKind::Finished { erred, .. } => {
                let to = if *erred {
                    TaskState::Erred
                } else {
                    TaskState::Memory
                };
                self.change(&event.key, to);
            }
        }
    }

    /// The tasks of the current computation, in the order they were added (so every task
    /// comes after its dependencies).
    pub fn tasks(&self) -> &[TaskNode] {
        &self.tasks
    }

    /// The function groups of the current computation, in order of first appearance.
    pub fn groups(&self) -> &[GroupNode] {
        &self.groups
    }

    /// The dependencies of the task at `index` in [`tasks`](LiveGraph::tasks): indices into
    /// the same list, in argument order.
    pub fn deps(&self, index: usize) -> &[usize] {
        &self.edges[self.tasks[index].edges.clone()]
    }

    /// The task with `key`, if it belongs to the current computation.
    pub fn task(&self, key: &Key) -> Option<&TaskNode> {
        self.index.get(key).map(|&i| &self.tasks[i])
    }

    /// Changes whenever the graph does.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// How many computations have started since the graph was created.
    pub fn computations(&self) -> u64 {
        self.computations
    }

    fn add(&mut self, key: &Key, deps: &[Key]) {
        if self.active == 0 || self.tasks.len() >= MAX_TASKS {
            self.start_computation();
        }
        let group = self.group_of(key);
        let first = self.edges.len();
        let mut depth = 0;
        for dep in deps {
            let Some(&d) = self.index.get(dep) else {
                continue;
            };
            self.edges.push(d);
            depth = depth.max(self.tasks[d].depth + 1);
            let dep_group = self.tasks[d].group;
            let node = &mut self.groups[group];
            if dep_group != group && !node.deps.contains(&dep_group) {
                node.deps.push(dep_group);
            }
        }
        let edges = first..self.edges.len();
        let node = &mut self.groups[group];
        node.depth = node.depth.min(depth);
        node.counts[TaskState::Waiting as usize] += 1;
        self.active += 1;
        self.version += 1;
        if let Some(&again) = self.index.get(key) {
            // A pure key computed again after it was released: the same node, alive again.
            let old = self.tasks[again].state;
            self.groups[group].counts[old as usize] -= 1;
            self.active -= usize::from(is_active(old));
            let task = &mut self.tasks[again];
            task.state = TaskState::Waiting;
            task.edges = edges;
            return;
        }
        self.index.insert(key.clone(), self.tasks.len());
        self.tasks.push(TaskNode {
            key: key.clone(),
            state: TaskState::Waiting,
            depth,
            group,
            edges,
        });
    }

    /// Moves a known task to `to`.
    fn change(&mut self, key: &Key, to: TaskState) {
        let Some(&i) = self.index.get(key) else {
            return;
        };
        let task = &mut self.tasks[i];
        let old = task.state;
        if old == to {
            return;
        }
        task.state = to;
        let counts = &mut self.groups[task.group].counts;
        counts[old as usize] -= 1;
        counts[to as usize] += 1;
        self.active = self.active + usize::from(is_active(to)) - usize::from(is_active(old));
        self.version += 1;
    }

    fn start_computation(&mut self) {
        self.tasks.clear();
        self.edges.clear();
        self.index.clear();
        self.groups.clear();
        self.group_index.clear();
        self.active = 0;
        self.computations += 1;
    }

    fn group_of(&mut self, key: &Key) -> usize {
        let name = key.group();
        if let Some(&g) = self.group_index.get(name) {
            return g;
        }
        self.groups.push(GroupNode {
            name: name.to_owned(),
            depth: u32::MAX,
            counts: [0; 6],
            deps: Vec::new(),
        });
        self.group_index
            .insert(name.to_owned(), self.groups.len() - 1);
        self.groups.len() - 1
    }
}

fn is_active(state: TaskState) -> bool {
    matches!(
        state,
        TaskState::Waiting | TaskState::Ready | TaskState::Processing
    )
}

#[cfg(test)]
mod test {
    use super::*;

    fn key(text: &str) -> Key {
        Key::from_text(text)
    }

    fn added(k: &str, deps: &[&str]) -> Event {
        Event {
            key: key(k),
            kind: EventKind::Added {
                deps: deps.iter().map(|d| key(d)).collect(),
            },
            time: 0.0,
        }
    }

    fn state(k: &str, from: TaskState, to: TaskState) -> Event {
        Event {
            key: key(k),
            kind: EventKind::State { from, to },
            time: 0.0,
        }
    }

    fn run(k: &str, erred: bool) -> [Event; 3] {
        [
            state(k, TaskState::Waiting, TaskState::Ready),
            Event {
                key: key(k),
                kind: EventKind::Started { worker: 0 },
                time: 0.0,
            },
            Event {
                key: key(k),
                kind: EventKind::Finished {
                    worker: 0,
                    start: 0.0,
                    bytes: 8,
                    erred,
                },
                time: 0.0,
            },
        ]
    }

    fn apply_all(graph: &mut LiveGraph, events: impl IntoIterator<Item = Event>) {
        for e in events {
            graph.apply(&e);
        }
    }

    #[test]
    fn a_diamond_gets_edges_depths_and_final_states() {
        let mut g = LiveGraph::new();
        apply_all(
            &mut g,
            [
                added("load-1", &[]),
                added("inc-1", &["load-1"]),
                added("inc-2", &["load-1"]),
                added("add-1", &["inc-1", "inc-2"]),
            ],
        );
        let depths: Vec<u32> = g.tasks().iter().map(|t| t.depth).collect();
        assert_eq!(depths, [0, 1, 1, 2]);
        assert_eq!(g.deps(3), [1, 2]);
        let names: Vec<&str> = g.groups().iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["load", "inc", "add"]);
        assert_eq!(g.groups()[1].count(TaskState::Waiting), 2);
        assert_eq!(g.groups()[2].deps, [1]);
        assert_eq!(g.groups()[1].deps, [0]);
        for k in ["load-1", "inc-1", "inc-2", "add-1"] {
            apply_all(&mut g, run(k, k == "inc-2"));
        }
        apply_all(
            &mut g,
            [state("load-1", TaskState::Memory, TaskState::Released)],
        );
        let states: Vec<TaskState> = g.tasks().iter().map(|t| t.state).collect();
        assert_eq!(
            states,
            [
                TaskState::Released,
                TaskState::Memory,
                TaskState::Erred,
                TaskState::Memory
            ]
        );
        assert_eq!(g.groups()[1].count(TaskState::Erred), 1);
        assert_eq!(g.groups()[1].total(), 2);
    }

    #[test]
    fn a_new_computation_starts_when_nothing_is_running() {
        let mut g = LiveGraph::new();
        apply_all(&mut g, [added("a-1", &[]), added("b-1", &[])]);
        apply_all(&mut g, run("a-1", false));
        // A task added while another is still to run joins the same computation…
        apply_all(&mut g, [added("b-2", &["a-1"])]);
        assert_eq!(g.tasks().len(), 3);
        assert_eq!(g.computations(), 1);
        // …one added when everything has finished starts a new drawing.
        apply_all(
            &mut g,
            run("b-1", false).into_iter().chain(run("b-2", false)),
        );
        apply_all(&mut g, [added("c-1", &["b-2"])]);
        assert_eq!(g.computations(), 2);
        assert_eq!(g.tasks().len(), 1);
        assert!(g.deps(0).is_empty(), "edges to the old graph are dropped");
        assert!(g.task(&key("a-1")).is_none());
        // Events of tasks from the old computation change nothing.
        let before = g.version();
        apply_all(
            &mut g,
            [state("b-2", TaskState::Memory, TaskState::Released)],
        );
        assert_eq!(g.version(), before);
    }

    #[test]
    fn a_pure_key_run_again_is_one_node() {
        let mut g = LiveGraph::new();
        apply_all(&mut g, [added("sq-1", &[]), added("keep-1", &[])]);
        apply_all(&mut g, run("sq-1", false));
        apply_all(
            &mut g,
            [state("sq-1", TaskState::Memory, TaskState::Released)],
        );
        apply_all(&mut g, [added("sq-1", &[])]);
        assert_eq!(g.tasks().len(), 2);
        assert_eq!(g.task(&key("sq-1")).unwrap().state, TaskState::Waiting);
        let group = &g.groups()[0];
        assert_eq!(group.total(), 1);
        assert_eq!(group.count(TaskState::Waiting), 1);
    }

    #[test]
    fn a_real_computation_ends_with_every_task_finished() {
        use crate::{Client, delayed, sum};
        let client = Client::new();
        let inc = delayed(|x: i64| x + 1).named("inc");
        let total = sum((0..50).map(|i| inc.call(i)));
        assert_eq!(total.compute_on(&client).unwrap(), 1275);
        let mut g = LiveGraph::new();
        // The result's release can trail `compute` by a moment; what matters is the graph.
        for e in client.events().drain() {
            g.apply(&e);
        }
        assert_eq!(g.computations(), 1);
        assert_eq!(g.tasks().len(), 99);
        let inc = g.groups().iter().find(|n| n.name == "inc").unwrap();
        assert_eq!(inc.total(), 50);
        assert_eq!(inc.depth, 0);
        let edges: usize = (0..g.tasks().len()).map(|t| g.deps(t).len()).sum();
        assert_eq!(edges, 98);
        assert!(g.tasks().iter().all(|t| t.state.is_finished()));
    }
}
