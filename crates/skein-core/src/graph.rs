//! The untyped task graph: a task is a function, its key and its arguments, each a literal
//! [`Value`] or another task's key. Graphs merge; [`Graph::order`] checks for cycles and missing
//! dependencies and gives the depth-first run order (see `scheduler/README.md`).
//!
//! This is the layer other crates build on (the script crate's tasks call script closures).
//!
//! ```
//! use std::sync::Arc;
//! use skein_core::{Arg, Client, Graph, Key, TaskFn, TaskSpec, Value};
//! let inc: TaskFn = Arc::new(|args: &[Value]| {
//!     Ok(Value::new(args[0].downcast_ref::<i64>().copied().unwrap_or(0) + 1))
//! });
//! let a = Key::from_text("a");
//! let b = Key::from_text("b");
//! let mut g = Graph::new();
//! g.insert(TaskSpec::new(a.clone(), inc.clone(), vec![Arg::Value(Value::new(1_i64))]));
//! g.insert(TaskSpec::new(b.clone(), inc, vec![Arg::Key(a)]));
//! let client = Client::new();
//! let futures = client.compute_graph(&g, &[b]).unwrap();
//! assert_eq!(futures[0].result().unwrap().downcast_ref::<i64>(), Some(&3));
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::error::{GraphError, TaskError};
use crate::key::Key;
use crate::value::Value;

/// A task's function: takes its arguments in order, with dependencies already replaced by their
/// values.
pub type TaskFn = Arc<dyn Fn(&[Value]) -> Result<Value, TaskError> + Send + Sync>;

/// One argument of a task.
#[derive(Clone, Debug)]
pub enum Arg {
    /// A literal value.
    Value(Value),
    /// The result of the task with this key.
    Key(Key),
}

/// A task: key, function and arguments.
#[derive(Clone)]
pub struct TaskSpec {
    /// Its key; the function group is `key.group()`.
    pub key: Key,
    /// What it runs.
    pub func: TaskFn,
    /// Its arguments.
    pub args: Vec<Arg>,
}

impl TaskSpec {
    /// A task.
    pub fn new(key: Key, func: TaskFn, args: Vec<Arg>) -> TaskSpec {
        TaskSpec { key, func, args }
    }

    /// The keys this task depends on, in argument order (repeats included).
    pub fn dependencies(&self) -> impl Iterator<Item = &Key> {
        self.args.iter().filter_map(|a| match a {
            Arg::Key(k) => Some(k),
            Arg::Value(_) => None,
        })
    }
}

impl fmt::Debug for TaskSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskSpec")
            .field("key", &self.key)
            .field("args", &self.args)
            .finish()
    }
}

/// A set of tasks by key. Building one runs nothing.
#[derive(Clone, Default, Debug)]
pub struct Graph {
    tasks: HashMap<Key, TaskSpec>,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Graph {
        Graph::default()
    }

    /// Adds `task`, replacing a task with the same key.
    pub fn insert(&mut self, task: TaskSpec) {
        self.tasks.insert(task.key.clone(), task);
    }

    /// Adds every task of `other` (a key in both is the same task, as keys name computations).
    pub fn merge(&mut self, other: Graph) {
        if self.tasks.is_empty() {
            self.tasks = other.tasks;
        } else {
            self.tasks.extend(other.tasks);
        }
    }

    /// The task with `key`.
    pub fn get(&self, key: &Key) -> Option<&TaskSpec> {
        self.tasks.get(key)
    }

    /// Whether `key` is a task here.
    pub fn contains(&self, key: &Key) -> bool {
        self.tasks.contains_key(key)
    }

    /// The number of tasks.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether there are no tasks.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// The tasks, in no particular order.
    pub fn tasks(&self) -> impl Iterator<Item = &TaskSpec> {
        self.tasks.values()
    }

    /// The tasks needed for `targets`, dependencies first, in depth-first post-order from the
    /// targets (the run priority: finish what was started before starting more).
    ///
    /// A key that is not in the graph is accepted when `external(key)` says it is available
    /// elsewhere (e.g. in the scheduler's memory). Fails on a cycle or a missing dependency.
    pub fn order(
        &self,
        targets: &[Key],
        external: impl Fn(&Key) -> bool,
    ) -> Result<Vec<&TaskSpec>, GraphError> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Open,
            Done,
        }
        let mut marks: HashMap<&Key, Mark> = HashMap::with_capacity(self.tasks.len());
        let mut out = Vec::with_capacity(self.tasks.len());
        // (task, index of the next argument to visit)
        let mut stack: Vec<(&TaskSpec, usize)> = Vec::new();
        for target in targets {
            let Some(task) = self.tasks.get(target) else {
                if external(target) {
                    continue;
                }
                return Err(GraphError::MissingTarget {
                    key: target.clone(),
                });
            };
            if marks.contains_key(&task.key) {
                continue;
            }
            marks.insert(&task.key, Mark::Open);
            stack.push((task, 0));
            while let Some(top) = stack.last_mut() {
                let (task, next) = (top.0, top.1);
                let Some(arg) = task.args.get(next) else {
                    marks.insert(&task.key, Mark::Done);
                    out.push(task);
                    stack.pop();
                    continue;
                };
                top.1 += 1;
                let Arg::Key(dep) = arg else { continue };
                match (marks.get(dep), self.tasks.get(dep)) {
                    (Some(Mark::Done), _) => {}
                    (Some(Mark::Open), _) => {
                        let start = stack.iter().position(|(t, _)| &t.key == dep).unwrap_or(0);
                        let keys = stack[start..].iter().map(|(t, _)| t.key.clone()).collect();
                        return Err(GraphError::Cycle { keys });
                    }
                    (None, Some(dep_task)) => {
                        marks.insert(&dep_task.key, Mark::Open);
                        stack.push((dep_task, 0));
                    }
                    (None, None) if external(dep) => {}
                    (None, None) => {
                        return Err(GraphError::MissingDependency {
                            key: task.key.clone(),
                            dependency: dep.clone(),
                        });
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn task(key: &str, deps: &[&str]) -> TaskSpec {
        let f: TaskFn = Arc::new(|_: &[Value]| Ok(Value::new(())));
        TaskSpec::new(
            Key::from_text(key),
            f,
            deps.iter().map(|d| Arg::Key(Key::from_text(d))).collect(),
        )
    }

    fn keys(order: Vec<&TaskSpec>) -> Vec<&str> {
        order.into_iter().map(|t| t.key.as_str()).collect()
    }

    #[test]
    fn post_order_visits_dependencies_first() {
        let mut g = Graph::new();
        for t in [
            task("a", &[]),
            task("b", &[]),
            task("s1", &["a", "b"]),
            task("c", &[]),
        ] {
            g.insert(t);
        }
        g.insert(task("s2", &["s1", "c"]));
        let order = g.order(&[Key::from_text("s2")], |_| false).unwrap();
        assert_eq!(keys(order), ["a", "b", "s1", "c", "s2"]);
    }

    #[test]
    fn cycles_and_missing_dependencies_are_errors() {
        let mut g = Graph::new();
        g.insert(task("x", &["y"]));
        g.insert(task("y", &["z"]));
        g.insert(task("z", &["x"]));
        let err = g.order(&[Key::from_text("x")], |_| false).unwrap_err();
        assert!(
            matches!(&err, GraphError::Cycle { keys } if keys.len() == 3),
            "{err}"
        );
        assert!(
            err.to_string().contains("`x` -> `y` -> `z` -> `x`"),
            "{err}"
        );

        let mut g = Graph::new();
        g.insert(task("x", &["nope"]));
        let err = g.order(&[Key::from_text("x")], |_| false).unwrap_err();
        assert_eq!(
            err,
            GraphError::MissingDependency {
                key: Key::from_text("x"),
                dependency: Key::from_text("nope")
            }
        );
        assert!(
            g.order(&[Key::from_text("x")], |k| k.as_str() == "nope")
                .is_ok()
        );
    }

    #[test]
    fn merge_keeps_both_sides() {
        let mut g = Graph::new();
        g.insert(task("a", &[]));
        let mut h = Graph::new();
        h.insert(task("b", &["a"]));
        g.merge(h);
        assert_eq!(g.len(), 2);
        assert!(g.order(&[Key::from_text("b")], |_| false).is_ok());
    }
}
