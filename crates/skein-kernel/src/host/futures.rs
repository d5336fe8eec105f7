//! Futures: `client.submit`, `client.map`, `scatter`, `gather`, a future's `result`,
//! `exception`, `status` and `cancel`, `as_completed` and `progress`. A future is a key in
//! the session's tables; the prelude's `Future` holds the key.

use std::sync::Arc;

use monty_types::unstable::{MontyNode, node};
use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};
use skein_core::{Delayed, Error, Key, Status, TaskFn, Value};

use super::args::{Args, NoArgs, host_args};
use super::client_call::{ClientCall, TaskOptions, UserPriority};
use super::keys::{Keys, collect_futures, delayed_key};
use super::{Host, HostResult, answer, exc, py_value, strings, type_error};
use crate::classes::Kind;
use crate::errors;
use crate::output::Output;
use crate::pyvalue::{PyValue, rebuild};
use crate::worker::Mode;

host_args! {
    /// `_skein_future_of(delayed[, priority])`.
    pub(super) struct FutureOf<'a> { delayed: ObjectRef<'a>, priority: UserPriority }
}

host_args! {
    /// `_skein_gather(obj)`: any value with futures inside.
    pub(super) struct Gather<'a> { obj: ObjectRef<'a> }
}

host_args! {
    /// `_skein_result(key)`, `_skein_exception(key)`, `_skein_forget(key)`,
    /// `_skein_traceback_frames(key)`: one future, by its key.
    pub(super) struct OneFuture<'a> { key: &'a str }
}

host_args! {
    /// `_skein_gather_keys(keys)`, `_skein_gather_quiet(keys)`, `_skein_cancel(keys)`,
    /// `_skein_as_completed(keys)`, `_skein_progress(keys)`, `_skein_states(keys)`: futures,
    /// by their keys.
    pub(super) struct Futures { keys: Keys }
}

host_args! {
    /// `_skein_scatter(data)`.
    pub(super) struct Scatter<'a> { data: ObjectRef<'a> }
}

host_args! {
    /// `_skein_as_completed_add(id, key)`.
    pub(super) struct AsCompletedAdd<'a> { id: i64, key: &'a str }
}

host_args! {
    /// `_skein_as_completed_count(id)`, `_skein_as_completed_next(id)`.
    pub(super) struct AsCompleted { id: i64 }
}

/// `_skein_future_of`: computes a pending `Delayed` as a future of its key.
pub(super) fn future_of(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let FutureOf { delayed, priority } = args.parse()?;
    let key = delayed_key(delayed).ok_or_else(|| type_error("not a Delayed"))?;
    let delayed = host.delayed(&key)?;
    let future = host
        .session
        .client
        .compute_with_priority(&delayed, priority.computed())
        .map_err(|e| host.engine_error(&e))?;
    host.session.tables().futures.insert(key.clone(), future);
    Ok(MontyObject::string(key))
}

/// `_skein_submit` (`client.submit`): submits a task now; its key.
pub(super) fn submit(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let call: ClientCall<'_> = args.parse()?;
    Ok(MontyObject::string(host.task(&call)?))
}

/// `_skein_map` (`client.map`): a pending task per element, all submitted at once; their
/// keys.
pub(super) fn map(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let call: ClientCall<'_> = args.parse()?;
    let (callee, name) = host.callee(call.func, call.values)?;
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
    let mut delayed = Vec::with_capacity(count);
    let mut args = Vec::with_capacity(lists.len());
    for i in 0..count {
        args.clear();
        args.extend(lists.iter().map(|l| l[i]));
        // Dask's `key=`: a list names each task, a string is the prefix of their names.
        let explicit = match call.key.items() {
            Some(names) => names.get(i).and_then(|k| k.as_str()).map(str::to_owned),
            None => call.key.as_str().map(|k| format!("{k}-{i}")),
        };
        let options = TaskOptions {
            key: explicit.as_deref(),
            retries: call.retries.0,
            ..TaskOptions::pending(call.pure)
        };
        let (key, d) = host.make_task(&callee, &name, &args, call.kwargs, Mode::Call, &options)?;
        keys.push(key);
        delayed.push(d);
    }
    // One submission for the whole map, as Dask sends it: the scheduler (and the
    // dashboard's graph) sees one computation, not a hundred thousand.
    let futures = host
        .session
        .client
        .compute_many_with_priority(&delayed, call.priority.submitted())
        .map_err(|e| host.engine_error(&e))?;
    let mut tables = host.session.tables();
    for (key, future) in keys.iter().zip(futures) {
        tables.futures.insert(key.clone(), future);
    }
    drop(tables);
    Ok(strings(keys))
}

/// `_skein_gather` (`client.gather`): the value with every `Future` inside replaced by its
/// result, as `(needs_rebuild, value)`.
pub(super) fn gather(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Gather { obj } = args.parse()?;
    let mut keys = Vec::new();
    collect_futures(obj, &mut keys);
    let (needs_rebuild, values) = results(host, &keys)?;
    let mut next = values.into_iter();
    let gathered = rebuild(obj, &mut |_, value| {
        (Kind::of(value) == Some(Kind::Future))
            .then(|| next.next())
            .flatten()
    });
    Ok(MontyObject::tuple([
        MontyObject::bool(needs_rebuild),
        gathered,
    ]))
}

/// `_skein_gather_keys(keys)` (`client.gather` of a list of futures): their results as a
/// list, as `(needs_rebuild, values, type_name)`. The futures cross as their keys: a `Future`
/// instance would cross attribute by attribute, and Monty gives each instance that crosses a
/// uuid from the OS's entropy (in the page, a call out to `crypto.getRandomValues`), which
/// cost more than the task. `type_name` is the results' one type when they share a builtin
/// one (`int` for a `map` of `inc`), else `None`: the prelude then asks `type()` of each,
/// which in Monty cost a third of a gathered task.
pub(super) fn gather_keys(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Futures { keys } = args.parse()?;
    let (needs_rebuild, values) = results(host, &keys.0)?;
    let shared_type = match needs_rebuild {
        false => shared_builtin_type(values.iter().map(MontyObject::as_ref)),
        true => None,
    }
    .map_or_else(MontyObject::none, MontyObject::string);
    Ok(MontyObject::tuple([
        MontyObject::bool(needs_rebuild),
        MontyObject::list(values),
        shared_type,
    ]))
}

/// The type name every value shares, when it is a builtin type whose name Monty's value
/// graph gives exactly as Python's `type(v).__name__` would (not an exception's or a named
/// tuple's, which the graph names only by kind).
fn shared_builtin_type<'a>(mut values: impl Iterator<Item = ObjectRef<'a>>) -> Option<&'a str> {
    let exact = |v: ObjectRef<'a>| {
        matches!(
            node(v),
            MontyNode::None
                | MontyNode::Bool(_)
                | MontyNode::Int(_)
                | MontyNode::BigInt(_)
                | MontyNode::Float(_)
                | MontyNode::Complex(_)
                | MontyNode::String(_)
                | MontyNode::Bytes(_)
                | MontyNode::List(_)
                | MontyNode::Tuple(_)
                | MontyNode::Dict(_)
                | MontyNode::Set(_)
                | MontyNode::FrozenSet(_)
        )
        .then(|| v.type_name())
    };
    let first = exact(values.next()?)?;
    values.all(|v| exact(v) == Some(first)).then_some(first)
}

/// Waits for the futures of `keys` and gives their results, and whether any needs the
/// prelude to rebuild it; the first failure, in the futures' order, is the error.
fn results(host: &mut Host, keys: &[String]) -> Result<(bool, Vec<MontyObject>), MontyException> {
    let futures = host.futures_of(keys)?;
    host.wait(&futures)?;
    let mut values = Vec::with_capacity(futures.len());
    let mut needs_rebuild = false;
    for future in &futures {
        let value = future.result().map_err(|e| host.engine_error(&e))?;
        let py = py_value(&value)?;
        needs_rebuild |= py.needs_rebuild();
        values.push(py.object().clone());
    }
    Ok((needs_rebuild, values))
}

/// `_skein_gather_quiet` (`wait`): waits for the futures, whatever their outcome.
pub(super) fn gather_quiet(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Futures { keys } = args.parse()?;
    let futures = host.futures_of(&keys.0)?;
    host.wait(&futures)?;
    Ok(MontyObject::none())
}

/// `_skein_result` (`Future.result()`), as `(needs_rebuild, value)`.
pub(super) fn result(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let OneFuture { key } = args.parse()?;
    let future = host.future(key)?;
    host.wait(std::slice::from_ref(&future))?;
    let value = future.result().map_err(|e| host.engine_error(&e))?;
    answer(&value)
}

/// `_skein_exception` (`Future.exception()`): the exception its task raised, or `None`.
pub(super) fn exception(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let OneFuture { key } = args.parse()?;
    let future = host.future(key)?;
    host.wait(std::slice::from_ref(&future))?;
    Ok(match future.result() {
        Ok(_) => MontyObject::none(),
        Err(e) => {
            let err = host.engine_error(&e);
            MontyObject::exception(err.exc_type(), err.message().map(str::to_owned))
        }
    })
}

/// `_skein_traceback_frames(key)` (`traceback.format_tb(future.traceback())`): the frames of
/// the failed task's traceback, as `format_tb` gives them; empty if it did not fail.
pub(super) fn traceback_frames(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let OneFuture { key } = args.parse()?;
    let future = host.future(key)?;
    host.wait(std::slice::from_ref(&future))?;
    let frames = match future.result() {
        Err(Error::Failed(failure)) => errors::traceback_frames(&failure.message),
        _ => Vec::new(),
    };
    Ok(strings(frames))
}

/// `_skein_states(keys)`: each future's `status` and its result's type name (`NoneType`
/// until it has one), in one call for every future a cell looks at: a host call per future
/// cost more than the task. One `(status, type_name)` pair when every future has the same
/// (a finished `map` of `inc`), else a list with a pair per future.
pub(super) fn states(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Futures { keys } = args.parse()?;
    let futures = host.futures_of(&keys.0)?;
    let states: Vec<(&str, String)> = futures
        .iter()
        .map(|future| {
            let (status, result) = match future.status() {
                Status::Pending => ("pending", None),
                Status::Finished => ("finished", future.try_result()),
                Status::Error => ("error", None),
                Status::Cancelled => ("cancelled", None),
            };
            let type_name = match result {
                Some(Ok(value)) => value
                    .downcast_ref::<PyValue>()
                    .map_or_else(|| value.type_name().to_owned(), PyValue::type_name),
                _ => "NoneType".to_owned(),
            };
            (status, type_name)
        })
        .collect();
    let pair = |(status, type_name): &(&str, String)| {
        MontyObject::tuple([MontyObject::string(*status), MontyObject::string(type_name)])
    };
    Ok(match states.split_first() {
        Some((first, rest)) if rest.iter().all(|state| state == first) => pair(first),
        _ => MontyObject::list(states.iter().map(pair)),
    })
}

/// `_skein_placement` (`client.who_has`, `client.has_what`): for each future, the worker
/// that computed its result if it is in memory (`None` otherwise).
pub(super) fn placement(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Futures { keys } = args.parse()?;
    let futures = host.futures_of(&keys.0)?;
    Ok(MontyObject::list(futures.iter().map(|future| {
        match (future.status(), future.worker()) {
            (Status::Finished, Some(worker)) => MontyObject::int(worker as i64),
            _ => MontyObject::none(),
        }
    })))
}

/// `_skein_memory_keys` (`client.who_has()` of everything): the keys of the notebook's
/// futures and persisted values whose results are in memory.
pub(super) fn memory_keys(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let NoArgs {} = args.parse()?;
    let tables = host.session.tables();
    let client = &host.session.client;
    let persisted = tables
        .delayed
        .keys()
        .filter(|key| !tables.futures.contains_key(*key))
        .filter_map(|key| client.future_of(&Key::from_text(key)));
    let mut keys: Vec<String> = tables
        .futures
        .values()
        .cloned()
        .chain(persisted)
        .filter(|future| future.status() == Status::Finished)
        .map(|future| future.key().as_str().to_owned())
        .collect();
    keys.sort();
    Ok(strings(keys))
}

/// `_skein_cancel` (`Future.cancel()`, `client.cancel(futures)`).
pub(super) fn cancel(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Futures { keys } = args.parse()?;
    for key in &keys.0 {
        if let Ok(future) = host.future(key) {
            host.session.client.cancel(&future);
        }
    }
    Ok(MontyObject::none())
}

/// `_skein_forget(key)` (`Future.retry()`): lets go of a failed future's task, so that the
/// same call submitted again under its key runs afresh instead of finding the failure.
pub(super) fn forget(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let OneFuture { key } = args.parse()?;
    let forgotten = host.session.tables().futures.remove(key);
    drop(forgotten);
    Ok(MontyObject::none())
}

/// `_skein_scatter` (`client.scatter(data)`): a future already holding `data`.
pub(super) fn scatter(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Scatter { data } = args.parse()?;
    let value = PyValue::from_export(data.to_owned());
    let key = Key::impure("data");
    let func: TaskFn = Arc::new(move |_: &[Value]| Ok(Value::new(value.clone())));
    let future = host
        .session
        .client
        .compute(&Delayed::from_task(key.clone(), func, Vec::new()))
        .map_err(|e| host.engine_error(&e))?;
    host.session
        .tables()
        .futures
        .insert(key.to_string(), future);
    Ok(MontyObject::string(key.to_string()))
}

/// `_skein_as_completed` (`as_completed(futures)`): the id of a new iterator.
pub(super) fn as_completed(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Futures { keys } = args.parse()?;
    let futures = host.futures_of(&keys.0)?;
    let id = host.session.tables().add_iterator(futures);
    Ok(MontyObject::int(id))
}

/// `_skein_as_completed_add` (`as_completed.add(future)`).
pub(super) fn as_completed_add(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let AsCompletedAdd { id, key } = args.parse()?;
    let future = host.future(key)?;
    let tables = host.session.tables();
    iterator(&tables, id)?.add(future);
    Ok(MontyObject::none())
}

/// `_skein_as_completed_count` (`as_completed.count()`).
pub(super) fn as_completed_count(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let AsCompleted { id } = args.parse()?;
    let tables = host.session.tables();
    Ok(MontyObject::int(iterator(&tables, id)?.count() as i64))
}

/// `_skein_as_completed_next`: the key of the next future to complete, or `None` when
/// there is none left.
pub(super) fn as_completed_next(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let AsCompleted { id } = args.parse()?;
    let it = {
        let tables = host.session.tables();
        iterator(&tables, id)?.clone()
    };
    match host.session.next_completed(&it) {
        Ok(Some(future)) => {
            let key = future.key().to_string();
            host.session.tables().futures.insert(key.clone(), future);
            Ok(MontyObject::string(key))
        }
        Ok(None) => Ok(MontyObject::none()),
        Err(_) => Err(crate::errors::interrupted()),
    }
}

/// `_skein_progress` (`dask.distributed.progress`): waits, then shows a finished progress
/// bar.
pub(super) fn progress(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Futures { keys } = args.parse()?;
    let futures = host.futures_of(&keys.0)?;
    let started = skein_core::clock::now_ms();
    host.wait(&futures)?;
    let done = futures.iter().filter(|f| f.done()).count();
    let seconds = (skein_core::clock::now_ms() - started) / 1e3;
    let bar = "#".repeat(40 * done / futures.len().max(1));
    host.session.outbox.emit(Output::Text {
        text: format!(
            "[{bar:<40}] | {}% Completed | {seconds:.1}s",
            100 * done / futures.len().max(1)
        ),
    });
    Ok(MontyObject::none())
}

fn iterator(
    tables: &crate::session::Tables,
    id: i64,
) -> Result<&skein_core::AsCompleted<Value>, MontyException> {
    tables.iterators.get(&id).ok_or_else(|| {
        exc(
            ExcType::ValueError,
            "this as_completed is gone (was the kernel restarted?)",
        )
    })
}

#[cfg(test)]
mod test {
    use super::*;

    fn shared(values: &[MontyObject]) -> Option<&str> {
        shared_builtin_type(values.iter().map(MontyObject::as_ref))
    }

    #[test]
    fn a_shared_type_is_named_only_when_every_value_has_it_and_python_names_it_so() {
        let ints = [MontyObject::int(1), MontyObject::int(2)];
        assert_eq!(shared(&ints), Some("int"));
        let lists = [
            MontyObject::list([MontyObject::int(1)]),
            MontyObject::list([]),
        ];
        assert_eq!(shared(&lists), Some("list"));
        assert_eq!(
            shared(&[MontyObject::int(1), MontyObject::string("a")]),
            None
        );
        assert_eq!(shared(&[]), None);
        // The graph calls every exception `Exception`: Python would say `ValueError`.
        let error = MontyObject::exception(ExcType::ValueError, None);
        assert_eq!(shared(&[error]), None);
    }
}
