//! Dask's coordination primitives as host functions (`prelude/coordination.py` is the Python
//! side): `Variable` (`_skein_variable_*`), `Queue` (`_skein_queue_*`), `Lock` and
//! `Semaphore` (`_skein_lease_*`), `Event` (`_skein_event_*`) and the client's published
//! datasets (`_skein_dataset_*`). Their state is the
//! session's (`coordination.rs`), so the notebook and every task see the same primitives.
//!
//! A wait takes a timeout in seconds (`None`: no limit) and ends early for an interrupt. On
//! the page's only thread, where nothing else can run while it waits, a wait without a
//! limit that cannot be answered at once is an error instead of a hang.

use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};

use super::args::{Args, NoArgs, Timeout, host_args};
use super::{Host, HostResult, errors, exc};
use crate::classes::Kind;
use crate::coordination::{AlreadyPublished, Coordination, Held, Take};
use crate::pyvalue::{PyValue, for_each_instance, instance_attr};

host_args! {
    /// `_skein_variable_set(name, value)`, `_skein_queue_put(name, value)`.
    pub(super) struct Store<'a> { name: &'a str, value: ObjectRef<'a> }
}

host_args! {
    /// `_skein_variable_get(name, timeout)`, `_skein_event_wait(name, timeout)`.
    pub(super) struct Wait<'a> { name: &'a str, timeout: Timeout }
}

host_args! {
    /// `_skein_queue_get(name, timeout, batch)`: `batch` is Dask's (`False`, `True` or a
    /// count).
    pub(super) struct QueueGet<'a> { name: &'a str, timeout: Timeout, batch: ObjectRef<'a> }
}

host_args! {
    /// `_skein_lease_acquire(name, max_leases, timeout)`.
    pub(super) struct Acquire<'a> { name: &'a str, max_leases: i64, timeout: Timeout }
}

host_args! {
    /// `_skein_variable_delete(name)`, `_skein_queue_qsize(name)`, `_skein_lease_release(name)`,
    /// `_skein_lease_count(name)`.
    pub(super) struct Named<'a> { name: &'a str }
}

host_args! {
    /// `_skein_dataset_publish(name, value, overwrite)`.
    pub(super) struct Publish<'a> { name: &'a str, value: ObjectRef<'a>, overwrite: bool }
}

host_args! {
    /// `_skein_event_set(name, set)`: sets or clears the event.
    pub(super) struct SetEvent<'a> { name: &'a str, set: bool }
}

/// `_skein_variable_set` (`Variable.set`).
pub(super) fn variable_set(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Store { name, value } = args.parse()?;
    let held = hold(host, value)?;
    let replaced = host.session.coordination().set_variable(name, held);
    drop(replaced);
    Ok(MontyObject::none())
}

/// `_skein_variable_get` (`Variable.get`): the value, once the variable is set.
pub(super) fn variable_get(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Wait { name, timeout } = args.parse()?;
    let held = wait(host, timeout, |c| c.variable(name))?
        .ok_or_else(|| timed_out(format!("Variable '{name}' was not set in time")))?;
    Ok(hand_over(host, vec![held]).remove(0))
}

/// `_skein_variable_delete` (`Variable.delete`).
pub(super) fn variable_delete(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Named { name } = args.parse()?;
    let deleted = host.session.coordination().delete_variable(name);
    drop(deleted);
    Ok(MontyObject::none())
}

/// `_skein_queue_put` (`Queue.put`).
pub(super) fn queue_put(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Store { name, value } = args.parse()?;
    let held = hold(host, value)?;
    host.session.coordination().put(name, held);
    Ok(MontyObject::none())
}

/// `_skein_queue_get` (`Queue.get`): one item, or a list of them for a batch.
pub(super) fn queue_get(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let QueueGet {
        name,
        timeout,
        batch,
    } = args.parse()?;
    let take = match (batch.as_bool(), batch.as_int()) {
        (Some(false), _) => Take::One,
        (Some(true), _) => Take::All,
        (None, Some(n)) if n >= 0 => Take::Many(usize::try_from(n).unwrap_or(usize::MAX)),
        _ => {
            return Err(exc(
                ExcType::TypeError,
                format!("batch must be a bool or a count, not {}", batch.py_repr()),
            ));
        }
    };
    let items = wait(host, timeout, |c| c.take(name, take))?
        .ok_or_else(|| timed_out(format!("Queue '{name}' had nothing to get in time")))?;
    let mut answers = hand_over(host, items);
    Ok(match take {
        Take::One => answers.remove(0),
        Take::All | Take::Many(_) => MontyObject::list(answers),
    })
}

/// `_skein_queue_qsize` (`Queue.qsize`).
pub(super) fn queue_qsize(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Named { name } = args.parse()?;
    let len = host.session.coordination().queue_len(name);
    Ok(MontyObject::int(i64::try_from(len).unwrap_or(i64::MAX)))
}

/// `_skein_lease_acquire` (`Lock.acquire`, `Semaphore.acquire`): whether a lease was taken
/// in time.
pub(super) fn lease_acquire(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Acquire {
        name,
        max_leases,
        timeout,
    } = args.parse()?;
    if max_leases < 1 {
        return Err(exc(ExcType::ValueError, "max_leases must be more than 0"));
    }
    let max = usize::try_from(max_leases).unwrap_or(usize::MAX);
    let taken = wait(host, timeout, |c| c.acquire(name, max).then_some(()))?;
    Ok(MontyObject::bool(taken.is_some()))
}

/// `_skein_lease_release` (`Lock.release`, `Semaphore.release`).
pub(super) fn lease_release(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Named { name } = args.parse()?;
    host.session
        .coordination()
        .release(name)
        .map_err(|_| exc(ExcType::RuntimeError, "Released too often"))?;
    Ok(MontyObject::none())
}

/// `_skein_lease_count` (`Lock.locked`, `Semaphore.get_value`).
pub(super) fn lease_count(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Named { name } = args.parse()?;
    let held = host.session.coordination().leases(name);
    Ok(MontyObject::int(i64::try_from(held).unwrap_or(i64::MAX)))
}

/// `_skein_event_set` (`Event.set`, `Event.clear`).
pub(super) fn event_set(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let SetEvent { name, set } = args.parse()?;
    host.session.coordination().set_event(name, set);
    Ok(MontyObject::none())
}

/// `_skein_event_wait` (`Event.wait`, `Event.is_set`): whether the event was set in time.
pub(super) fn event_wait(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Wait { name, timeout } = args.parse()?;
    let set = wait(host, timeout, |c| c.is_set(name).then_some(()))?;
    Ok(MontyObject::bool(set.is_some()))
}

/// `_skein_dataset_publish` (`Client.publish_dataset`).
pub(super) fn dataset_publish(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Publish {
        name,
        value,
        overwrite,
    } = args.parse()?;
    let held = hold(host, value)?;
    let replaced = host
        .session
        .coordination()
        .publish(name, held, overwrite)
        .map_err(|AlreadyPublished| {
            exc(ExcType::KeyError, format!("Dataset {name} already exists"))
        })?;
    drop(replaced);
    Ok(MontyObject::none())
}

/// `_skein_dataset_get` (`Client.get_dataset`): the value, or `None` when there is no such
/// dataset (the prelude raises Dask's `KeyError` or returns the default).
pub(super) fn dataset_get(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Named { name } = args.parse()?;
    let found = host.session.coordination().dataset(name);
    Ok(match found {
        Some(held) => hand_over(host, vec![held]).remove(0),
        None => MontyObject::none(),
    })
}

/// `_skein_dataset_list` (`Client.list_datasets`): the names, oldest first.
pub(super) fn dataset_list(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let NoArgs {} = args.parse()?;
    let names = host.session.coordination().dataset_names();
    Ok(MontyObject::list(
        names.into_iter().map(MontyObject::string),
    ))
}

/// `_skein_dataset_unpublish` (`Client.unpublish_dataset`).
pub(super) fn dataset_unpublish(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Named { name } = args.parse()?;
    let removed = host.session.coordination().unpublish(name);
    drop(removed);
    Ok(MontyObject::none())
}

/// A value to keep, with the futures inside it: each keeps its result while the value is
/// held.
fn hold(host: &Host, value: ObjectRef<'_>) -> Result<Held, MontyException> {
    let mut keys = Vec::new();
    for_each_instance(value, &mut |_, instance| {
        if Kind::of(instance) == Some(Kind::Future)
            && let Some(key) = instance_attr(instance, "key").and_then(|k| k.as_str())
        {
            keys.push(key.to_owned());
        }
    });
    let futures = host.futures_of(&keys)?;
    Ok(Held {
        value: PyValue::from_export(value.to_owned()),
        futures: keys.into_iter().zip(futures).collect(),
    })
}

/// Values taken from a primitive, as the prelude's `_skein_value` reads them; their futures
/// go back into the tables, so the `Future` objects made of them find their tasks.
fn hand_over(host: &Host, items: Vec<Held>) -> Vec<MontyObject> {
    if items.iter().any(|held| !held.futures.is_empty()) {
        let mut tables = host.session.tables();
        for (key, future) in items.iter().flat_map(|held| &held.futures) {
            tables
                .futures
                .entry(key.clone())
                .or_insert_with(|| future.clone());
        }
    }
    items.iter().map(|held| held.value.to_answer()).collect()
}

/// Tries `attempt` until it answers or `timeout` runs out.
fn wait<T>(
    host: &Host,
    Timeout(limit): Timeout,
    mut attempt: impl FnMut(&mut Coordination) -> Option<T>,
) -> Result<Option<T>, MontyException> {
    let session = &host.session;
    if limit.is_none() && !session.client.may_block_here() {
        return attempt(&mut session.coordination())
            .map(Some)
            .ok_or_else(|| {
                exc(
                    ExcType::RuntimeError,
                    "this would wait forever: on the page's only thread nothing else runs \
                 while it waits (give a timeout)",
                )
            });
    }
    session
        .wait_for(limit, attempt)
        .map_err(|_| errors::interrupted())
}

fn timed_out(message: String) -> MontyException {
    exc(ExcType::TimeoutError, message)
}
