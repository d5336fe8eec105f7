//! The untyped task graph, as Dask spells one out: a task is a function, its key and its
//! arguments, each a literal [`Value`] or another task's key. [`Delayed::graph`](crate::Delayed::graph) gives one for
//! inspection and drawing ([`visualize`](crate::visualize)); graphs merge. Running goes through
//! [`Delayed`](crate::Delayed) (`compute`, `persist`), whose nodes hold their dependencies directly.
//!
//! ```
//! use skein_core::{delayed, Key};
//! fn inc(x: i64) -> i64 { x + 1 }
//! let inc = delayed(inc);
//! let a = inc.call(1);
//! let b = inc.call(&a);
//! let g = b.graph();
//! assert_eq!(g.len(), 2);
//! let deps: Vec<&Key> = g.get(b.key()).unwrap().dependencies().collect();
//! assert_eq!(deps, [a.key()]);
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::error::TaskError;
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

    #[test]
    fn merge_keeps_both_sides() {
        let mut g = Graph::new();
        g.insert(task("a", &[]));
        let mut h = Graph::new();
        h.insert(task("b", &["a"]));
        g.merge(h);
        assert_eq!(g.len(), 2);
        let b = g.get(&Key::from_text("b")).unwrap();
        assert_eq!(b.dependencies().collect::<Vec<_>>(), [&Key::from_text("a")]);
    }
}
