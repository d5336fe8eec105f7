//! Task graphs: the pending tasks `delayed` calls build in Python, handed to the host when
//! they are computed, persisted, visualized or made futures (`_skein_register`); `compute`,
//! `persist`, `visualize`; and `dask.bag`'s tasks, one per partition.

use std::collections::HashMap;
use std::sync::Arc;

use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};
use skein_core::{Delayed, Value};

use super::client_call::TaskOptions;
use super::keys::{collect_delayed, delayed_key};
use super::{Host, HostResult, exc, py_value, strings, type_error};
use crate::pyvalue::instance_class;
use crate::worker::Mode;

impl Host {
    /// Registers pending tasks `(key, function, args, kwargs, captured values, pure)`,
    /// each after the pending tasks it depends on.
    pub(super) fn register(&mut self, tasks: ObjectRef<'_>) -> Result<(), MontyException> {
        let tasks = tasks.items().unwrap_or_default();
        let fields: Vec<Vec<ObjectRef<'_>>> = tasks
            .iter()
            .map(|t| t.items().unwrap_or_default())
            .collect();
        if fields.iter().any(|f| f.len() != 6) {
            return Err(type_error("a pending task has six fields"));
        }
        let index: HashMap<String, usize> = fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((f[0].as_str()?.to_owned(), i)))
            .collect();
        let mut done = vec![false; fields.len()];
        for start in 0..fields.len() {
            let mut stack = vec![(start, false)];
            while let Some((i, expanded)) = stack.pop() {
                if done[i] {
                    continue;
                }
                if expanded {
                    let f = &fields[i];
                    let (callee, name) = self.callee(f[1], f[4])?;
                    let options = TaskOptions {
                        key: f[0].as_str(),
                        ..TaskOptions::pending(f[5].is_truthy())
                    };
                    let callee = Arc::new(callee);
                    self.task_with(&callee, &name, f[2], f[3], Mode::Call, options)?;
                    done[i] = true;
                    continue;
                }
                stack.push((i, true));
                let mut deps = Vec::new();
                collect_delayed(fields[i][2], &mut deps);
                collect_delayed(fields[i][3], &mut deps);
                stack.extend(
                    deps.iter()
                        .filter_map(|k| index.get(k))
                        .filter(|&&j| !done[j])
                        .map(|&j| (j, false)),
                );
            }
        }
        Ok(())
    }

    /// `dask.compute(*objs)`: each `Delayed`'s value, the rest as they are, as
    /// `(needs_rebuild, values)`.
    pub(super) fn compute(&mut self, objs: ObjectRef<'_>) -> HostResult {
        let items = objs.items().unwrap_or_default();
        let keys: Vec<Option<String>> = items
            .iter()
            .map(|o| delayed_key(*o).filter(|_| instance_class(*o) == Some("Delayed")))
            .collect();
        let delayed: Vec<Delayed<Value>> = keys
            .iter()
            .flatten()
            .map(|k| self.delayed(k))
            .collect::<Result<_, _>>()?;
        let futures = self
            .session
            .client
            .compute_many(&delayed)
            .map_err(|e| self.engine_error(&e))?;
        self.wait(&futures)?;
        let mut results = futures.iter();
        let mut needs_rebuild = false;
        let mut out = Vec::with_capacity(items.len());
        for (item, key) in items.iter().zip(&keys) {
            match key {
                Some(_) => {
                    let future = results
                        .next()
                        .ok_or_else(|| exc(ExcType::RuntimeError, "missing result"))?;
                    let value = future.result().map_err(|e| self.engine_error(&e))?;
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

    /// `dask.persist(*objs)`: each `Delayed`'s new key (its result kept), `None` for the rest.
    pub(super) fn persist(&mut self, objs: ObjectRef<'_>) -> HostResult {
        let mut out = Vec::new();
        for item in objs.items().unwrap_or_default() {
            match delayed_key(item).filter(|_| instance_class(item) == Some("Delayed")) {
                Some(key) => {
                    let persisted = self
                        .delayed(&key)?
                        .persist_on(&self.session.client)
                        .map_err(|e| self.engine_error(&e))?;
                    let new_key = persisted.key().to_string();
                    self.session
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

    /// `dask.visualize(*objs)`: the graph of the `Delayed`s, as `(dot, svg)`.
    pub(super) fn visualize(&mut self, objs: ObjectRef<'_>) -> HostResult {
        let mut graph = skein_core::Graph::new();
        let mut targets = Vec::new();
        for item in objs.items().unwrap_or_default() {
            if let Some(key) = delayed_key(item).filter(|_| instance_class(item) == Some("Delayed"))
            {
                let delayed = self.delayed(&key)?;
                targets.push(delayed.key().clone());
                graph.merge(delayed.graph());
            }
        }
        // Shown when the `_SkeinGraph` the prelude makes of it is displayed.
        let picture = skein_core::visualize::Visualization::new(&graph, &targets);
        Ok(MontyObject::tuple(vec![
            MontyObject::string(picture.dot()),
            MontyObject::string(picture.svg()),
        ]))
    }

    /// One pending task per partition of a bag: `how` is `map`, `filter` or the name of a
    /// bag method that takes whole partitions (with `extra` arguments); their keys.
    pub(super) fn bag_map(
        &mut self,
        func: ObjectRef<'_>,
        partitions: ObjectRef<'_>,
        how: ObjectRef<'_>,
        values: ObjectRef<'_>,
        extra: Option<ObjectRef<'_>>,
    ) -> HostResult {
        let (callee, name) = self.callee(func, values)?;
        let callee = Arc::new(callee);
        let mode = match how.as_str() {
            Some("filter") => Mode::FilterEach,
            Some("map") => Mode::MapEach,
            _ => Mode::Partition,
        };
        let extra = extra.and_then(|e| e.items()).unwrap_or_default();
        let mut keys = Vec::new();
        for part in partitions.items().unwrap_or_default() {
            let args = if mode == Mode::Partition {
                let head = [part.to_owned(), how.to_owned()];
                MontyObject::tuple(head.into_iter().chain(extra.iter().map(|e| e.to_owned())))
            } else {
                MontyObject::tuple([part.to_owned()])
            };
            let kwargs = MontyObject::dict(Vec::<(MontyObject, MontyObject)>::new());
            let (args, kwargs) = (args.as_ref(), kwargs.as_ref());
            let options = TaskOptions::pending(true);
            keys.push(self.task_with(&callee, &name, args, kwargs, mode, options)?);
        }
        Ok(strings(keys))
    }
}
