//! Futures: `client.submit`, `client.map`, `scatter`, `gather`, a future's `result`,
//! `exception`, `status` and `cancel`, `as_completed` and `progress`. A future is a key in
//! the session's tables; the prelude's `Future` holds the key.

use std::sync::Arc;

use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};
use skein_core::{Delayed, Key, Status, TaskFn, Value};

use super::client_call::{ClientCall, TaskOptions};
use super::keys::{collect_futures, delayed_key};
use super::{Host, HostResult, answer, exc, py_value, strings, type_error};
use crate::output::Output;
use crate::pyvalue::{PyValue, rebuild};
use crate::worker::Mode;

impl Host {
    /// `_skein_future_of(delayed)`: computes a pending `Delayed` as a future of its key.
    pub(super) fn future_of(&mut self, delayed: ObjectRef<'_>) -> HostResult {
        let key = delayed_key(delayed).ok_or_else(|| type_error("not a Delayed"))?;
        let delayed = self.delayed(&key)?;
        let future = self
            .session
            .client
            .compute(&delayed)
            .map_err(|e| self.engine_error(&e))?;
        self.session.tables().futures.insert(key.clone(), future);
        Ok(MontyObject::string(key))
    }

    /// `client.map`: a pending task per element, all submitted at once; their keys.
    pub(super) fn map(&mut self, call: &ClientCall<'_>) -> HostResult {
        let (callee, name) = self.callee(call.func, call.values)?;
        let callee = Arc::new(callee);
        let lists: Vec<Vec<ObjectRef<'_>>> = call
            .args
            .items()
            .unwrap_or_default()
            .iter()
            .map(|l| l.items().unwrap_or_default())
            .collect();
        let count = lists.iter().map(Vec::len).min().unwrap_or(0);
        let mut keys = Vec::with_capacity(count);
        for i in 0..count {
            let args = MontyObject::tuple(lists.iter().map(|l| rebuild(l[i], &mut |_, _| None)));
            let explicit = call.key.as_str().map(|k| format!("{k}-{i}"));
            let options = TaskOptions {
                key: explicit.as_deref(),
                retries: call.retries,
                ..TaskOptions::pending(call.pure)
            };
            let args = args.as_ref();
            keys.push(self.task_with(&callee, &name, args, call.kwargs, Mode::Call, options)?);
        }
        // One submission for the whole map, as Dask sends it: the scheduler (and the
        // dashboard's graph) sees one computation, not a hundred thousand.
        let delayed: Vec<Delayed<Value>> = {
            let tables = self.session.tables();
            keys.iter()
                .filter_map(|k| tables.delayed.get(k).cloned())
                .collect()
        };
        let futures = self
            .session
            .client
            .compute_many(&delayed)
            .map_err(|e| self.engine_error(&e))?;
        let mut tables = self.session.tables();
        for (key, future) in keys.iter().zip(futures) {
            tables.delayed.remove(key);
            tables.futures.insert(key.clone(), future);
        }
        drop(tables);
        Ok(strings(keys))
    }

    /// `client.gather`: `obj` with every `Future` inside replaced by its result, as
    /// `(needs_rebuild, value)`.
    pub(super) fn gather(&mut self, obj: ObjectRef<'_>) -> HostResult {
        let mut keys = Vec::new();
        collect_futures(obj, &mut keys);
        let futures = self.futures_of(&keys)?;
        self.wait(&futures)?;
        let mut values = Vec::with_capacity(futures.len());
        let mut needs_rebuild = false;
        for future in &futures {
            let value = future.result().map_err(|e| self.engine_error(&e))?;
            let py = py_value(&value)?;
            needs_rebuild |= py.needs_rebuild();
            values.push(py.object().clone());
        }
        let mut next = values.into_iter();
        let gathered = rebuild(obj, &mut |class, _| {
            (class == "Future").then(|| next.next()).flatten()
        });
        Ok(MontyObject::tuple([
            MontyObject::bool(needs_rebuild),
            gathered,
        ]))
    }

    /// `wait`: waits for the futures of `keys`, whatever their outcome.
    pub(super) fn gather_quiet(&mut self, keys: &[String]) -> HostResult {
        let futures = self.futures_of(keys)?;
        self.wait(&futures)?;
        Ok(MontyObject::none())
    }

    /// `Future.result()`, as `(needs_rebuild, value)`.
    pub(super) fn result(&mut self, key: &str) -> HostResult {
        let future = self.future(key)?;
        self.wait(std::slice::from_ref(&future))?;
        let value = future.result().map_err(|e| self.engine_error(&e))?;
        answer(&value)
    }

    /// `Future.exception()`: the exception its task raised, or `None`.
    pub(super) fn exception(&mut self, key: &str) -> HostResult {
        let future = self.future(key)?;
        self.wait(std::slice::from_ref(&future))?;
        Ok(match future.result() {
            Ok(_) => MontyObject::none(),
            Err(e) => {
                let err = self.engine_error(&e);
                MontyObject::exception(err.exc_type(), err.message().map(str::to_owned))
            }
        })
    }

    /// `Future.status`.
    pub(super) fn status(&mut self, key: &str) -> HostResult {
        let future = self.future(key)?;
        Ok(MontyObject::string(match future.status() {
            Status::Pending => "pending",
            Status::Finished => "finished",
            Status::Error => "error",
            Status::Cancelled => "cancelled",
        }))
    }

    /// The type name of a future's result (`NoneType` until it has one), for its repr.
    pub(super) fn result_type(&mut self, key: &str) -> HostResult {
        let future = self.future(key)?;
        Ok(MontyObject::string(match future.try_result() {
            Some(Ok(value)) => value
                .downcast_ref::<PyValue>()
                .map_or_else(|| value.type_name().to_owned(), PyValue::type_name),
            _ => "NoneType".to_owned(),
        }))
    }

    /// `Future.cancel()`, `client.cancel(futures)`.
    pub(super) fn cancel(&mut self, keys: &[String]) -> HostResult {
        for key in keys {
            if let Ok(future) = self.future(key) {
                self.session.client.cancel(&future);
            }
        }
        Ok(MontyObject::none())
    }

    /// `client.scatter(data)`: a future already holding `data`.
    pub(super) fn scatter(&mut self, data: ObjectRef<'_>) -> HostResult {
        let value = PyValue::from_export(data.to_owned());
        let key = Key::impure("data");
        let func: TaskFn = Arc::new(move |_: &[Value]| Ok(Value::new(value.clone())));
        let future = self
            .session
            .client
            .compute(&Delayed::from_task(key.clone(), func, Vec::new()))
            .map_err(|e| self.engine_error(&e))?;
        self.session
            .tables()
            .futures
            .insert(key.to_string(), future);
        Ok(MontyObject::string(key.to_string()))
    }

    /// `as_completed(futures)`: the id of a new iterator.
    pub(super) fn as_completed(&mut self, keys: &[String]) -> HostResult {
        let futures = self.futures_of(keys)?;
        let id = self.session.tables().add_iterator(futures);
        Ok(MontyObject::int(id))
    }

    /// `as_completed.add(future)`.
    pub(super) fn as_completed_add(&mut self, id: ObjectRef<'_>, key: &str) -> HostResult {
        let future = self.future(key)?;
        let tables = self.session.tables();
        let it = iterator(&tables, id)?;
        it.add(future);
        Ok(MontyObject::none())
    }

    /// `as_completed.count()`.
    pub(super) fn as_completed_count(&mut self, id: ObjectRef<'_>) -> HostResult {
        let tables = self.session.tables();
        Ok(MontyObject::int(iterator(&tables, id)?.count() as i64))
    }

    /// The key of the next future to complete, or `None` when there is none left.
    pub(super) fn as_completed_next(&mut self, id: ObjectRef<'_>) -> HostResult {
        let it = {
            let tables = self.session.tables();
            iterator(&tables, id)?.clone()
        };
        match self.session.next_completed(&it) {
            Ok(Some(future)) => {
                let key = future.key().to_string();
                self.session.tables().futures.insert(key.clone(), future);
                Ok(MontyObject::string(key))
            }
            Ok(None) => Ok(MontyObject::none()),
            Err(_) => Err(crate::errors::interrupted()),
        }
    }

    /// `dask.distributed.progress`: waits, then shows a finished progress bar.
    pub(super) fn progress(&mut self, keys: &[String]) -> HostResult {
        let futures = self.futures_of(keys)?;
        let started = skein_core::clock::now_ms();
        self.wait(&futures)?;
        let done = futures.iter().filter(|f| f.done()).count();
        let seconds = (skein_core::clock::now_ms() - started) / 1e3;
        let bar = "#".repeat(40 * done / futures.len().max(1));
        self.session.outbox.emit(Output::Text {
            text: format!(
                "[{bar:<40}] | {}% Completed | {seconds:.1}s",
                100 * done / futures.len().max(1)
            ),
        });
        Ok(MontyObject::none())
    }
}

fn iterator<'a>(
    tables: &'a crate::session::Tables,
    id: ObjectRef<'_>,
) -> Result<&'a skein_core::AsCompleted<Value>, MontyException> {
    id.as_int()
        .and_then(|i| tables.iterators.get(&i))
        .ok_or_else(|| {
            exc(
                ExcType::ValueError,
                "this as_completed is gone (was the kernel restarted?)",
            )
        })
}
