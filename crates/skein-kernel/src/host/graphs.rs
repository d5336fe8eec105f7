//! Task graphs: the pending tasks `delayed` calls build in Python, handed to the host when
//! they are computed, persisted, visualized or made futures (`_skein_register`); `compute`,
//! `persist`, `visualize`; and `dask.bag`'s tasks, one per partition.

use std::collections::HashMap;
use std::sync::Arc;

use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};
use skein_core::{Delayed, Key, Value};

use super::args::{Args, HostArgs, host_args};
use super::client_call::{TaskOptions, UserPriority};
use super::keys::{collect_delayed, delayed_of};
use super::{Host, HostResult, exc, py_value, strings, type_error};
use crate::worker::{self, Mode};

host_args! {
    /// `_skein_register(tasks)`: pending tasks, each a [`PendingTask`] tuple.
    pub(super) struct Register<'a> { tasks: Vec<ObjectRef<'a>> }
}

host_args! {
    /// One pending task as `_skein_register` receives it: `(key, function, args, kwargs,
    /// captured values, pure)`, the arguments holding `_SkeinRef`s for the pending tasks
    /// they depend on.
    pub(super) struct PendingTask<'a> {
        key: ObjectRef<'a>,
        func: ObjectRef<'a>,
        args: ObjectRef<'a>,
        kwargs: ObjectRef<'a>,
        values: ObjectRef<'a>,
        pure: bool,
    }
}

host_args! {
    /// `_skein_compute(objs[, priority])`, `_skein_persist(objs[, priority])`,
    /// `_skein_visualize(objs)`, `_skein_graph_keys(objs)`: a list of values, the `Delayed`s
    /// among them the ones that count, and Dask's `priority=`.
    pub(super) struct Collections<'a> { objs: Vec<ObjectRef<'a>>, priority: UserPriority }
}

host_args! {
    /// `_skein_bag_map(func, partitions, how, values[, extra])`.
    pub(super) struct BagMap<'a> {
        func: ObjectRef<'a>,
        partitions: Vec<ObjectRef<'a>>,
        /// `map`, `filter` or the bag step that takes whole partitions.
        how: ObjectRef<'a>,
        /// The globals `func` reads, by value.
        values: ObjectRef<'a>,
        /// The step's further arguments.
        extra: Option<Vec<ObjectRef<'a>>>,
    }
}

/// `_skein_register`: registers pending tasks, each after the pending tasks it depends on.
pub(super) fn register(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Register { tasks } = args.parse()?;
    let tasks: Vec<PendingTask<'_>> = tasks
        .iter()
        .map(|t| PendingTask::parse(&t.items().unwrap_or_default()))
        .collect::<Result<_, _>>()
        .map_err(|_| type_error("a pending task has six fields"))?;
    let index: HashMap<&str, usize> = tasks
        .iter()
        .enumerate()
        .filter_map(|(i, t)| Some((t.key.as_str()?, i)))
        .collect();
    let mut done = vec![false; tasks.len()];
    for start in 0..tasks.len() {
        let mut stack = vec![(start, false)];
        while let Some((i, expanded)) = stack.pop() {
            if done[i] {
                continue;
            }
            let task = &tasks[i];
            if expanded {
                let (callee, name) = host.callee(task.func, task.values)?;
                let options = TaskOptions {
                    key: task.key.as_str(),
                    ..TaskOptions::pending(task.pure)
                };
                let callee = Arc::new(callee);
                let args = task.args.items().unwrap_or_default();
                host.task_with(&callee, &name, &args, task.kwargs, Mode::Call, options)?;
                done[i] = true;
                continue;
            }
            stack.push((i, true));
            let mut deps = Vec::new();
            collect_delayed(task.args, &mut deps);
            collect_delayed(task.kwargs, &mut deps);
            stack.extend(
                deps.iter()
                    .filter_map(|k| index.get(k.as_str()))
                    .filter(|&&j| !done[j])
                    .map(|&j| (j, false)),
            );
        }
    }
    Ok(MontyObject::none())
}

/// `_skein_compute` (`dask.compute(*objs)`): each `Delayed`'s value, the rest as they are,
/// as `(needs_rebuild, values)`.
pub(super) fn compute(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Collections {
        objs: items,
        priority,
    } = args.parse()?;
    let keys: Vec<Option<String>> = items.iter().map(|o| delayed_of(*o)).collect();
    let delayed: Vec<Delayed<Value>> = keys
        .iter()
        .flatten()
        .map(|k| host.delayed(k))
        .collect::<Result<_, _>>()?;
    let futures = host
        .session
        .client
        .compute_many_with_priority(&delayed, priority.computed())
        .map_err(|e| host.engine_error(&e))?;
    host.wait(&futures)?;
    let mut results = futures.iter();
    let mut needs_rebuild = false;
    let mut out = Vec::with_capacity(items.len());
    for (item, key) in items.iter().zip(&keys) {
        match key {
            Some(_) => {
                let future = results
                    .next()
                    .ok_or_else(|| exc(ExcType::RuntimeError, "missing result"))?;
                let value = future.result().map_err(|e| host.engine_error(&e))?;
                let py = py_value(&value)?;
                needs_rebuild |= py.needs_rebuild();
                out.push(py.object().clone());
            }
            None => out.push(item.to_owned()),
        }
    }
    Ok(MontyObject::tuple([
        MontyObject::bool(needs_rebuild),
        MontyObject::list(out),
    ]))
}

/// `_skein_persist` (`dask.persist(*objs)`): each `Delayed`'s new key (its result kept),
/// `None` for the rest.
pub(super) fn persist(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Collections { objs, priority } = args.parse()?;
    let mut out = Vec::with_capacity(objs.len());
    for item in objs {
        match delayed_of(item) {
            Some(key) => {
                let persisted = host
                    .delayed(&key)?
                    .persist_with_priority(&host.session.client, priority.computed())
                    .map_err(|e| host.engine_error(&e))?;
                let new_key = persisted.key().to_string();
                host.session
                    .tables()
                    .delayed
                    .insert(new_key.clone(), persisted);
                out.push(MontyObject::string(new_key));
            }
            None => out.push(MontyObject::none()),
        }
    }
    Ok(MontyObject::list(out))
}

/// `_skein_visualize` (`dask.visualize(*objs)`): the graph of the `Delayed`s, as
/// `(dot, svg)`.
pub(super) fn visualize(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Collections { objs, .. } = args.parse()?;
    let (graph, targets) = graph_of(host, &objs)?;
    // Shown when the `_SkeinGraph` the prelude makes of it is displayed.
    let picture = skein_core::visualize::Visualization::new(&graph, &targets);
    Ok(MontyObject::tuple(vec![
        MontyObject::string(picture.dot()),
        MontyObject::string(picture.svg()),
    ]))
}

/// `_skein_graph_keys` (`Delayed.dask`, `__dask_graph__()`): the keys of every task the
/// `Delayed`s among `objs` need, themselves included, each once, with its function group.
pub(super) fn graph_keys(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Collections { objs, .. } = args.parse()?;
    let (graph, targets) = graph_of(host, &objs)?;
    let tasks = graph.tasks().map(|task| &task.key);
    // A persisted value is a key of its own, as in Dask's graph of it.
    let persisted = targets.iter().filter(|key| !graph.contains(key));
    Ok(MontyObject::list(tasks.chain(persisted).map(|key| {
        MontyObject::tuple([
            MontyObject::string(key.as_str()),
            MontyObject::string(key.group()),
        ])
    })))
}

/// `_skein_futures_of(objs)` (Dask's `futures_of`): the keys of the futures the `Delayed`s
/// among `objs` hold (core's [`Delayed::futures`](skein_core::Delayed::futures)), each put in
/// the tables so the prelude's `Future` of it finds it.
pub(super) fn futures_of(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Collections { objs, .. } = args.parse()?;
    let mut found = Vec::new();
    for &item in &objs {
        if let Some(key) = delayed_of(item) {
            found.extend(host.delayed(&key)?.futures());
        }
    }
    let mut tables = host.session.tables();
    Ok(MontyObject::list(found.into_iter().map(|future| {
        let key = future.key().as_str().to_owned();
        tables.futures.entry(key.clone()).or_insert(future);
        MontyObject::string(key)
    })))
}

/// The graph the `Delayed`s among `objs` need, and their own keys.
fn graph_of(
    host: &Host,
    objs: &[ObjectRef<'_>],
) -> Result<(skein_core::Graph, Vec<Key>), MontyException> {
    let mut graph = skein_core::Graph::new();
    let mut targets = Vec::new();
    for &item in objs {
        if let Some(key) = delayed_of(item) {
            let delayed = host.delayed(&key)?;
            targets.push(delayed.key().clone());
            graph.merge(delayed.graph());
        }
    }
    Ok((graph, targets))
}

/// `_skein_bag_map`: one pending task per partition of a bag, applying `func` to each
/// element (`map`, `filter`) or to the whole partition (a bag step, with `extra`
/// arguments); their keys.
pub(super) fn bag_map(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let BagMap {
        func,
        partitions,
        how,
        values,
        extra,
    } = args.parse()?;
    let (callee, name) = host.callee(func, values)?;
    let callee = Arc::new(callee);
    let mode = match how.as_str() {
        Some("filter") => Mode::FilterEach,
        Some("map") => Mode::MapEach,
        _ => Mode::Partition,
    };
    let extra = extra.unwrap_or_default();
    let mut keys = Vec::with_capacity(partitions.len());
    let kwargs = worker::no_keywords();
    for part in partitions {
        let mut args = vec![part];
        if mode == Mode::Partition {
            args.push(how);
            args.extend(extra.iter().copied());
        }
        let options = TaskOptions::pending(true);
        keys.push(host.task_with(&callee, &name, &args, kwargs.as_ref(), mode, options)?);
    }
    Ok(strings(keys))
}
