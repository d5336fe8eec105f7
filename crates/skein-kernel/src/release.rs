//! Releasing what nobody holds: the host's half of the sweep that runs after every cell.
//!
//! Dask keeps a key's result while a `Future`, a persisted `Delayed` or a dependent task
//! needs it, and releases it when the last reference goes. The kernel's tables
//! ([`Tables`]) map the keys the notebook's Python objects hold to core's handles, and a
//! handle in a table keeps its task alive; Monty has no finalizers, weakrefs or reference
//! counts to say when a Python object goes. So after each cell the kernel runs the prelude's
//! `_skein_sweep(locals())` (`prelude/memory.py`) at module scope: it walks the notebook's
//! globals and calls `_skein_release(keys, count, as_completed ids, functions)` with what it found,
//! and this module drops every other entry. Core does the rest: a task whose last handle is
//! dropped is released once its dependents are done (or never runs, if it had not started).
//!
//! The walk is conservative: what it cannot look into stops the sweep before it gets here.
//! Functions it hands over because only the host knows what they are: a top-level `def` of
//! a cell whose defaults are literals holds nothing but globals (which the walk sees), and so
//! does a native or builtin function; anything else (a lambda, a closure, a function with
//! computed defaults) might hold a `Future`, and then nothing is released. A closure that
//! shares its name with a top-level `def` cannot be told from it (Monty's repr of a function
//! is its bare name): that is the one case the sweep may get wrong.

use std::cell::Cell;

use monty::MontyRepl;

use monty_types::unstable::{MontyNode, node};
use monty_types::{MontyException, MontyObject, ObjectRef};
use ruff_python_ast::{Expr, Stmt, UnaryOp};
use rustc_hash::{FxHashMap, FxHashSet};

use skein_core::{AsCompleted, Client, Delayed, Future, Value};

use crate::capture::Definitions;
use crate::interp::{self, HostCalls};
use crate::sendable;
use crate::session::{Session, Tables};

/// How many entries the tables hold, by kind (see `Kernel::held`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Held {
    /// Tasks a `Delayed` refers to (pending ones handed to the host, persisted ones).
    pub delayed: usize,
    /// Futures (`submit`, `map`, `compute`, `scatter`, `as_completed`'s).
    pub futures: usize,
    /// `as_completed` iterators.
    pub iterators: usize,
}

thread_local! {
    /// Whether this thread is running a task's Python (see [`as_task`]).
    static IN_TASK: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, a task's Python, noting that host calls on this thread come from a task.
pub(crate) fn as_task<R>(f: impl FnOnce() -> R) -> R {
    // Restored after, not cleared: the kernel's thread may run a task inside its own wait.
    let outer = IN_TASK.with(|t| t.replace(true));
    let result = f();
    IN_TASK.with(|t| t.set(outer));
    result
}

/// Called before every call of a host function that puts entries in the tables
/// (`HostFunction::makes_entries`): when a task makes it (a task that submits), the entry
/// belongs to Python objects on a worker, which no sweep sees (see [`release`]), and the
/// session is marked.
pub(crate) fn note_entries(session: &Session) {
    if IN_TASK.with(Cell::get) {
        session.note_task_entries();
    }
}

/// The entries a sweep took out of the tables, dropped once the lock is let go.
type Dead = (
    Vec<(String, Delayed<Value>)>,
    Vec<(String, Future<Value>)>,
    Vec<(i64, AsCompleted<Value>)>,
);

impl Tables {
    /// Counts the entries.
    pub(crate) fn held(&self) -> Held {
        Held {
            delayed: self.delayed.len(),
            futures: self.futures.len(),
            iterators: self.iterators.len(),
        }
    }

    /// Takes out the entries the notebook no longer reaches: all but `keys` and the
    /// iterators `ids`.
    pub(crate) fn take_dead(&mut self, keys: &FxHashSet<&str>, ids: &FxHashSet<i64>) -> Dead {
        let dead = (
            self.delayed
                .extract_if(|k, _| !keys.contains(k.as_str()))
                .collect(),
            self.futures
                .extract_if(|k, _| !keys.contains(k.as_str()))
                .collect(),
            self.iterators
                .extract_if(|id, _| !ids.contains(id))
                .collect(),
        );
        // A long session's peak would otherwise stay allocated in the maps' buckets; shrinking
        // only well below the capacity keeps a sweep that drops nothing from rehashing.
        shrink_if_sparse(&mut self.delayed);
        shrink_if_sparse(&mut self.futures);
        dead
    }
}

fn shrink_if_sparse<V>(map: &mut FxHashMap<String, V>) {
    if map.len() < map.capacity() / 4 {
        map.shrink_to_fit();
    }
}

/// `_skein_release(keys, count, ids, functions)`: drops the table entries not among `keys`
/// and `ids` (ints). `keys` is the `count` live keys joined by NUL characters: one string
/// crosses from the interpreter where a list would cross key by key, every cell, for every
/// future the notebook holds. True if it released; it releases nothing (false) when a key
/// held a NUL itself (the count then differs), when a function in `functions` might hold a
/// key the walk could not see, or when tasks made entries (a task that submits holds its
/// futures in its worker's interpreter) and tasks are still running: once none runs, those
/// entries are the notebook's to keep or lose like any other.
pub(crate) fn release(
    session: &Session,
    keys: &str,
    count: i64,
    ids: ObjectRef<'_>,
    functions: ObjectRef<'_>,
) -> Result<MontyObject, MontyException> {
    let opaque = {
        let definitions = session
            .definitions
            .read()
            .unwrap_or_else(|e| e.into_inner());
        functions
            .items()
            .unwrap_or_default()
            .iter()
            .any(|f| !holds_nothing(*f, &definitions))
    };
    if opaque || (session.tasks_made_entries() && !idle(&session.client)) {
        return Ok(MontyObject::bool(false));
    }
    let keys: Vec<&str> = if count == 0 {
        Vec::new()
    } else {
        keys.split(KEY_SEPARATOR).collect()
    };
    if keys.len() as i64 != count {
        return Ok(MontyObject::bool(false));
    }
    session.forget_task_entries();
    // Every live key of the notebook, every cell: FxHash, not SipHash, on the way in and out.
    let keys: FxHashSet<&str> = keys.into_iter().collect();
    let ids: FxHashSet<i64> = ids
        .items()
        .unwrap_or_default()
        .iter()
        .filter_map(|i| i.as_int())
        .collect();
    // Dropped after the lock is let go: releasing a large graph takes a while, and a
    // worker's task may want the tables meanwhile.
    let dead = session.tables().take_dead(&keys, &ids);
    drop(dead);
    Ok(MontyObject::bool(true))
}

/// What joins the keys `_skein_release` is handed (`prelude/memory.py`).
const KEY_SEPARATOR: char = '\0';

/// Runs the sweep on the notebook's interpreter, at module scope (where `locals()` is the
/// globals), `host` answering its calls. Its failure (an interrupt, say) only means nothing
/// was released this time.
pub(crate) fn sweep(repl: MontyRepl, host: &mut dyn HostCalls) -> MontyRepl {
    let (repl, _) = interp::drive(repl, "_skein_sweep(locals())", Vec::new(), host);
    repl
}

/// Whether no task is waiting, ready or running.
fn idle(client: &Client) -> bool {
    client.groups().iter().all(|g| g.pending() == 0)
}

/// Whether the function `f` holds nothing the walk did not see: a native or builtin
/// function, or a cell's top-level `def` whose defaults are all literals.
fn holds_nothing(f: ObjectRef<'_>, definitions: &Definitions) -> bool {
    match node(f) {
        MontyNode::Function { .. } | MontyNode::BuiltinFunction(_) => true,
        MontyNode::Repr(text) => sendable::function_name(text)
            .is_some_and(|name| def_with_literal_defaults(definitions, name)),
        _ => false,
    }
}

/// Whether a cell's latest top-level definition of `name` is a `def` with literal defaults.
fn def_with_literal_defaults(definitions: &Definitions, name: &str) -> bool {
    let Some(source) = definitions.code(name) else {
        return false;
    };
    let Ok(parsed) = ruff_python_parser::parse_module(source) else {
        return false;
    };
    let body = &parsed.syntax().body;
    let Some(Stmt::FunctionDef(def)) = body.first() else {
        return false;
    };
    def.name.as_str() == name
        && def
            .parameters
            .iter_non_variadic_params()
            .filter_map(|p| p.default.as_deref())
            .all(is_literal)
}

fn is_literal(e: &Expr) -> bool {
    match e {
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_) => true,
        Expr::UnaryOp(op) => {
            matches!(op.op, UnaryOp::USub | UnaryOp::UAdd) && is_literal(&op.operand)
        }
        Expr::Tuple(t) => t.elts.iter().all(is_literal),
        _ => false,
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::cell::Definition;

    fn definitions(cells: &[(&str, &str)]) -> Definitions {
        let mut d = Definitions::default();
        d.extend(cells.iter().map(|(name, source)| {
            (
                (*name).to_owned(),
                Definition::Code {
                    source: crate::rewrite::RewrittenSource::for_test(source),
                    names: Vec::new(),
                },
            )
        }));
        d
    }

    #[test]
    fn a_top_level_def_with_literal_defaults_holds_nothing() {
        let d = definitions(&[
            (
                "inc",
                "def inc(x, step=1, name='a', neg=-2.5, t=(1, None)):\n    return x + step",
            ),
            ("held", "def held(x, f=fut):\n    return f"),
            ("Point", "class Point:\n    pass"),
        ]);
        let f = |name: &str| MontyObject::repr(format!("<function '{name}' at 0x4c>"));
        assert!(holds_nothing(f("inc").as_ref(), &d));
        assert!(!holds_nothing(f("held").as_ref(), &d), "computed default");
        assert!(!holds_nothing(f("Point").as_ref(), &d), "not a def");
        assert!(
            !holds_nothing(f("inner").as_ref(), &d),
            "no cell defined it"
        );
        assert!(!holds_nothing(f("<lambda>").as_ref(), &d), "a lambda");
        let method = MontyObject::repr("<bound method Foo.bar of <Foo object at 0x1>>");
        assert!(!holds_nothing(method.as_ref(), &d));
        let native = MontyObject::function("_skein_lab_multi_sample".to_owned(), None);
        assert!(holds_nothing(native.as_ref(), &d));
    }

    #[test]
    fn take_dead_keeps_only_what_is_reached() {
        use skein_core::{Client, Config, Delayed, Key, Value};
        use std::sync::Arc;
        let client = Client::with_config(Config {
            workers: Some(1),
            ..Config::default()
        });
        let mut tables = Tables::default();
        for i in 0..4 {
            let key = Key::impure("t");
            let func: skein_core::TaskFn =
                Arc::new(move |_: &[Value]| Ok(Value::new(i64::from(i))));
            let d = Delayed::from_task(key.clone(), func, Vec::new());
            let f = client.compute(&d).unwrap();
            f.wait();
            tables.futures.insert(key.to_string(), f);
        }
        tables.add_iterator(Vec::new());
        let id = tables.add_iterator(Vec::new());
        let keep: String = tables.futures.keys().next().unwrap().clone();
        assert_eq!(client.live_tasks(), 4);
        drop(tables.take_dead(
            &FxHashSet::from_iter([keep.as_str()]),
            &FxHashSet::from_iter([id]),
        ));
        assert_eq!(
            tables.held(),
            Held {
                delayed: 0,
                futures: 1,
                iterators: 1
            }
        );
        assert!(tables.futures.contains_key(&keep) && tables.iterators.contains_key(&id));
        assert_eq!(client.live_tasks(), 1, "core releases what no handle holds");
    }
}
