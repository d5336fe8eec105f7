//! The cluster as cells see it: how many workers there are (`_skein_workers`), which one
//! runs the caller (`_skein_worker_index`), `cluster.scale(n)`, `client.restart()`, the task
//! stream a `get_task_stream` block records (`_skein_task_stream_*`) and a
//! `performance_report` block writes out, and the release of what
//! the notebook no longer holds (`_skein_release`, `release.rs`).

use monty_types::{MontyObject, ObjectRef};
use skein_core::{Key, TaskRecord};

use super::args::{Args, NoArgs, host_args};
use super::{Host, HostResult};

host_args! {
    /// `_skein_scale(n)`: `n` as the user gave it (not an int: no new workers).
    pub(super) struct Scale<'a> { n: ObjectRef<'a> }
}

host_args! {
    /// `_skein_task_stream_stop(id)`: the recording `_skein_task_stream_start` opened.
    pub(super) struct Recording { id: i64 }
}

host_args! {
    /// `_skein_performance_report(id, filename)`: the recording the report's `with` block
    /// opened, and the file to write.
    pub(super) struct Report<'a> { id: i64, filename: &'a str }
}

host_args! {
    /// `_skein_release(keys, count, ids, functions)`: what the sweep found (`release.rs`),
    /// the `count` keys joined by NUL characters.
    pub(super) struct Release<'a> {
        keys: &'a str,
        count: i64,
        ids: ObjectRef<'a>,
        functions: ObjectRef<'a>,
    }
}

/// `_skein_workers`: how many workers the client has.
pub(super) fn workers(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let NoArgs {} = args.parse()?;
    Ok(MontyObject::int(host.session.client.workers() as i64))
}

/// `_skein_worker_index`: the worker (`0..workers`) running the calling task; `None` outside
/// tasks.
pub(super) fn worker_index(_: &mut Host, args: Args<'_, '_>) -> HostResult {
    let NoArgs {} = args.parse()?;
    Ok(skein_core::Client::current_worker()
        .map_or_else(MontyObject::none, |i| MontyObject::int(i as i64)))
}

/// `_skein_scale` (`cluster.scale(n)`): adds workers up to `n` (the pool never shrinks).
pub(super) fn scale(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Scale { n } = args.parse()?;
    // Saturating: on wasm32 `as usize` would make `scale(2**32 + 1)` one worker.
    let want = usize::try_from(n.as_int().unwrap_or(0).max(0)).unwrap_or(usize::MAX);
    let have = host.session.client.workers();
    if want > have {
        host.session.client.add_workers(want - have);
    }
    Ok(MontyObject::none())
}

/// `_skein_restart` (`client.restart()`): cancels every future and persisted result of the
/// notebook, as Dask's restart of its workers does: their `Future`s report `cancelled`.
/// Variables, queues and datasets stay, as they do on Dask's scheduler.
pub(super) fn restart(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let NoArgs {} = args.parse()?;
    let (futures, persisted) = {
        let tables = host.session.tables();
        let futures: Vec<_> = tables.futures.values().cloned().collect();
        let persisted: Vec<_> = tables.delayed.keys().cloned().collect();
        (futures, persisted)
    };
    let client = &host.session.client;
    let persisted = persisted
        .iter()
        .filter_map(|key| client.future_of(&Key::from_text(key)));
    for future in futures.iter().cloned().chain(persisted) {
        client.cancel(&future);
    }
    Ok(MontyObject::none())
}

/// `_skein_task_stream_start` (`get_task_stream().__enter__`): opens a recording; its id.
pub(super) fn task_stream_start(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let NoArgs {} = args.parse()?;
    let recording = host.session.client.record_task_stream();
    let mut tables = host.session.tables();
    let id = tables.next_iterator;
    tables.next_iterator += 1;
    tables.recordings.insert(id, recording);
    Ok(MontyObject::int(id))
}

/// `_skein_task_stream_stop` (`get_task_stream().__exit__`): closes the recording and
/// returns what it saw as Dask's task stream records, one dict a task.
pub(super) fn task_stream_stop(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Recording { id } = args.parse()?;
    let recording = host.session.tables().recordings.remove(&id);
    let records = recording.map(|r| r.records()).unwrap_or_default();
    Ok(MontyObject::list(records.iter().map(task_record)))
}

/// `_skein_performance_report` (`performance_report().__exit__`): closes the recording and
/// writes its report (`skein_core::performance_report`) to `filename`, offered as a download.
pub(super) fn performance_report(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Report { id, filename } = args.parse()?;
    let recording = host.session.tables().recordings.remove(&id);
    let records = recording.map(|r| r.records()).unwrap_or_default();
    let html = skein_core::performance_report(&records, host.session.client.workers());
    host.session.save_file(filename, html.into_bytes());
    Ok(MontyObject::none())
}

/// A record as Dask's `get_task_stream` gives it (times in seconds).
fn task_record(record: &TaskRecord) -> MontyObject {
    let text = |s: &str| MontyObject::string(s);
    let startstop = MontyObject::dict([
        (text("action"), text("compute")),
        (text("start"), MontyObject::float(record.start / 1e3)),
        (text("stop"), MontyObject::float(record.stop / 1e3)),
    ]);
    let status = if record.erred { "error" } else { "OK" };
    MontyObject::dict([
        (text("key"), text(record.key.as_str())),
        (text("startstops"), MontyObject::tuple([startstop])),
        (text("status"), text(status)),
        (
            text("worker"),
            MontyObject::string(format!("skein://worker-{}", record.worker)),
        ),
        (text("thread"), MontyObject::int(record.worker as i64)),
        (text("nbytes"), MontyObject::int(record.bytes as i64)),
        (text("metadata"), MontyObject::dict([])),
    ])
}

/// `_skein_release`: drops the session's entries the notebook no longer reaches.
pub(super) fn release(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Release {
        keys,
        count,
        ids,
        functions,
    } = args.parse()?;
    crate::release::release(&host.session, keys, count, ids, functions)
}
