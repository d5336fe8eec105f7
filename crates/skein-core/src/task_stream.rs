//! Recording the task stream: one record per task that ran, where and when, kept while a
//! recording is open (Dask's `get_task_stream`). With none open the scheduler keeps nothing
//! and pays one atomic load per task.
//!
//! ```
//! let client = skein_core::Client::new();
//! let recording = client.record_task_stream();
//! let doubled = client.submit(|x: u64| x * 2, 21);
//! assert_eq!(doubled.result().unwrap(), 42);
//! let records = recording.records();
//! assert_eq!(records.len(), 1);
//! assert!(records[0].start <= records[0].stop && !records[0].erred);
//! ```

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::key::Key;

/// At most this many records are kept, the oldest dropped first: Dask's task stream plugin
/// keeps as many.
pub const MAX_RECORDS: usize = 100_000;

/// One task that ran: one bar of the task stream.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskRecord {
    /// The task's key.
    pub key: Key,
    /// The rayon thread index of the worker that ran it.
    pub worker: usize,
    /// When it started and stopped, in clock milliseconds ([`clock`](crate::clock)).
    pub start: f64,
    /// See [`start`](TaskRecord::start).
    pub stop: f64,
    /// Whether it failed.
    pub erred: bool,
    /// The approximate size of its result in bytes (0 if it failed).
    pub bytes: usize,
}

/// The records of the open recordings, shared by the scheduler and each recording.
#[derive(Debug, Default)]
pub(crate) struct TaskStream {
    recordings: AtomicUsize,
    records: Mutex<Records>,
}

#[derive(Debug, Default)]
struct Records {
    /// The sequence number of `items[0]`: a recording reads from the number it started at.
    first: u64,
    items: VecDeque<TaskRecord>,
}

impl Records {
    fn end(&self) -> u64 {
        self.first + self.items.len() as u64
    }
}

impl TaskStream {
    /// Whether any recording is open: the scheduler's check before it makes a record.
    pub(crate) fn is_recording(&self) -> bool {
        self.recordings.load(Ordering::Relaxed) > 0
    }

    /// Keeps `record` for the open recordings.
    pub(crate) fn push(&self, record: TaskRecord) {
        let mut records = self.lock();
        if records.items.len() == MAX_RECORDS {
            records.items.pop_front();
            records.first += 1;
        }
        records.items.push_back(record);
    }

    fn lock(&self) -> MutexGuard<'_, Records> {
        self.records.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// An open recording of the task stream: it sees every task that finishes from its start
/// until it is dropped ([`Client::record_task_stream`](crate::Client::record_task_stream)).
#[derive(Debug)]
pub struct TaskStreamRecording {
    stream: Arc<TaskStream>,
    from: u64,
}

impl TaskStreamRecording {
    pub(crate) fn start(stream: &Arc<TaskStream>) -> TaskStreamRecording {
        // Counted under the lock, so no record lands between reading `from` and counting.
        let records = stream.lock();
        stream.recordings.fetch_add(1, Ordering::Relaxed);
        let from = records.end();
        drop(records);
        TaskStreamRecording {
            stream: Arc::clone(stream),
            from,
        }
    }

    /// The tasks that finished since this recording started, in the order they finished (at
    /// most [`MAX_RECORDS`], the latest).
    pub fn records(&self) -> Vec<TaskRecord> {
        let records = self.stream.lock();
        let skip = self.from.saturating_sub(records.first);
        let skip = usize::try_from(skip).unwrap_or(usize::MAX);
        records.items.iter().skip(skip).cloned().collect()
    }
}

impl Drop for TaskStreamRecording {
    fn drop(&mut self) {
        let mut records = self.stream.lock();
        if self.stream.recordings.fetch_sub(1, Ordering::Relaxed) == 1 {
            // The last recording closed: nobody reads these any more.
            let dropped = records.items.len() as u64;
            records.items.clear();
            records.first += dropped;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u32) -> TaskRecord {
        TaskRecord {
            key: Key::from_text(&format!("t-{n}")),
            worker: 0,
            start: f64::from(n),
            stop: f64::from(n) + 0.5,
            erred: false,
            bytes: 8,
        }
    }

    fn keys(records: &[TaskRecord]) -> Vec<String> {
        records.iter().map(|r| r.key.as_str().to_owned()).collect()
    }

    #[test]
    fn a_recording_sees_what_finished_after_it_started_and_nothing_is_kept_without_one() {
        let stream = Arc::new(TaskStream::default());
        assert!(!stream.is_recording());
        let first = TaskStreamRecording::start(&stream);
        assert!(stream.is_recording());
        stream.push(record(1));
        let second = TaskStreamRecording::start(&stream);
        stream.push(record(2));
        assert_eq!(keys(&first.records()), ["t-1", "t-2"]);
        assert_eq!(keys(&second.records()), ["t-2"]);
        drop(first);
        assert_eq!(
            keys(&second.records()),
            ["t-2"],
            "the other recording keeps its own"
        );
        drop(second);
        assert!(!stream.is_recording());
        assert!(
            stream.lock().items.is_empty(),
            "the last recording to close empties it"
        );
        let third = TaskStreamRecording::start(&stream);
        stream.push(record(3));
        assert_eq!(keys(&third.records()), ["t-3"]);
    }

    #[test]
    fn the_oldest_records_go_past_the_limit() {
        let stream = Arc::new(TaskStream::default());
        let recording = TaskStreamRecording::start(&stream);
        for n in 0..(MAX_RECORDS as u32 + 3) {
            stream.push(record(n));
        }
        let records = recording.records();
        assert_eq!(records.len(), MAX_RECORDS);
        assert_eq!(records[0].key.as_str(), "t-3");
    }
}
