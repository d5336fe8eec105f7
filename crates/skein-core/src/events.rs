//! The event stream: every state change and every task's start and end, in a lock-free ring
//! that a UI thread drains without ever blocking (the browser's main thread cannot wait).
//!
//! The ring has a fixed capacity. What happens when it is full depends on whether anyone reads
//! it:
//!
//! - **Nobody has read the log yet** (a benchmark, the CLI, a client without a dashboard): the
//!   log keeps its first `capacity` events and drops every later one, counting it in
//!   [`EventLog::dropped`]. Such an event is not even built: the scheduler asks the log first
//!   whether it wants it, which is two or three plain loads and a counter add, instead of
//!   cloning keys, reading the clock and pushing out the oldest event (at five events per task
//!   that was the largest single cost of the scheduler).
//! - **Someone has read it** (any [`pop`](EventLog::pop) or [`drain`](EventLog::drain), even
//!   one that found nothing): from then on a full log drops its *oldest* event for each new
//!   one, also counted, so a UI that keeps reading always sees the latest events — a
//!   dashboard that falls behind in a burst, or whose tab stops animating for a while, still
//!   ends on the tasks' final states.
//!
//! Being read is sticky on purpose: a reader that has merely fallen behind is
//! indistinguishable from one that left, and guessing "left" would freeze a dashboard on stale
//! states. A reader that does leave costs what every event cost before, the drop-oldest push.
//!
//! ```
//! use skein_core::{Client, Config, delayed, sum};
//! let client = Client::with_config(Config { event_capacity: 8, ..Config::default() });
//! let inc = delayed(|x: u64| x + 1);
//! sum((0..10).map(|i| inc.call(i))).compute_on(&client).unwrap();
//! // Nobody read during the run: the first 8 events are kept, the rest counted.
//! let first = client.events().drain();
//! assert_eq!(first.len(), 8);
//! assert!(client.events().dropped() > 0);
//! ```

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crossbeam_queue::ArrayQueue;

use crate::key::Key;
use crate::task_state::TaskState;

/// What happened to a task.
#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    /// A new task, now `Waiting`, and the keys of the tasks it depends on: the edges of the
    /// task graph, each reported once.
    Added {
        /// The keys of its dependencies, in argument order (a key appears once per use).
        deps: Vec<Key>,
    },
    /// A state change of a known task. The changes into `Processing` and out of it to
    /// `Memory`/`Erred` are reported by [`Started`](EventKind::Started) and
    /// [`Finished`](EventKind::Finished) instead.
    State {
        /// The state before.
        from: TaskState,
        /// The state after.
        to: TaskState,
    },
    /// The task started running on `worker` (it is now `Processing`).
    Started {
        /// The rayon thread index of the worker.
        worker: usize,
    },
    /// The task finished running (now `Memory`, or `Erred` if `erred`): one bar of the task
    /// stream, from `start` to the event's `time`.
    Finished {
        /// The rayon thread index of the worker.
        worker: usize,
        /// When it started, in clock milliseconds.
        start: f64,
        /// The approximate size of the result in bytes (0 if it erred).
        bytes: usize,
        /// Whether it failed.
        erred: bool,
    },
}

/// One event: which task, what, and when (milliseconds from [`clock`](crate::clock)).
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The task's key; its function group is `key.group()`.
    pub key: Key,
    /// What happened.
    pub kind: EventKind,
    /// When, in clock milliseconds.
    pub time: f64,
}

/// A bounded, lock-free buffer of [`Event`]s: drop-newest until someone reads it, drop-oldest
/// after (see the [module docs](self)).
pub struct EventLog {
    ring: Option<ArrayQueue<Event>>,
    /// Whether `pop` or `drain` has ever been called. Read by every event, written once: a
    /// reader re-storing `true` on each pop would bounce this line between the workers.
    read: AtomicBool,
    /// Written by every dropped event: kept off the line every event reads.
    dropped: Padded<AtomicU64>,
}

/// A value alone on its cache line (128 bytes covers adjacent-line prefetching).
#[repr(align(128))]
struct Padded<T>(T);

impl EventLog {
    /// A log holding up to `capacity` events; 0 turns events off.
    pub fn new(capacity: usize) -> EventLog {
        EventLog {
            ring: (capacity > 0).then(|| ArrayQueue::new(capacity)),
            read: AtomicBool::new(false),
            dropped: Padded(AtomicU64::new(0)),
        }
    }

    /// Whether events are recorded at all.
    pub fn enabled(&self) -> bool {
        self.ring.is_some()
    }

    /// Whether an event pushed now would be kept. When it would not (events off, or the log
    /// is full and has never been read), the event counts as dropped here, so that the caller
    /// can skip building it: call this once per event, and [`push`](Self::push) only on `true`.
    pub(crate) fn wants(&self) -> bool {
        let Some(ring) = &self.ring else {
            return false;
        };
        // Relaxed: a pusher that sees a reader's first pop a little late only drops a few more
        // events of the kind that nobody had read so far.
        if self.read.load(Ordering::Relaxed) || !ring.is_full() {
            return true;
        }
        self.count_dropped();
        false
    }

    /// Records `event` (after [`wants`](Self::wants) said yes; the log may have filled since,
    /// so this decides again).
    pub(crate) fn push(&self, event: Event) {
        let Some(ring) = &self.ring else {
            return;
        };
        if let Err(event) = ring.push(event)
            && (!self.read.load(Ordering::Relaxed) || ring.force_push(event).is_some())
        {
            self.count_dropped();
        }
    }

    fn count_dropped(&self) {
        self.dropped.0.fetch_add(1, Ordering::Relaxed);
    }

    /// Marks the log as read (once: see `read`).
    fn mark_read(&self) {
        if !self.read.load(Ordering::Relaxed) {
            self.read.store(true, Ordering::Relaxed);
        }
    }

    /// The oldest event not yet taken. Never blocks. From the first call on, a full log keeps
    /// the latest events (see the [module docs](self)).
    pub fn pop(&self) -> Option<Event> {
        let ring = self.ring.as_ref()?;
        self.mark_read();
        ring.pop()
    }

    /// Takes every event currently buffered, oldest first. Never blocks. Like
    /// [`pop`](Self::pop), marks the log as read.
    pub fn drain(&self) -> Vec<Event> {
        let Some(ring) = &self.ring else {
            return Vec::new();
        };
        self.mark_read();
        let mut out = Vec::with_capacity(ring.len());
        while let Some(e) = ring.pop() {
            out.push(e);
        }
        out
    }

    /// How many events were dropped because the buffer was full: the newest ones while the
    /// log had never been read, the oldest ones after.
    pub fn dropped(&self) -> u64 {
        self.dropped.0.load(Ordering::Relaxed)
    }

    /// The capacity (0 when events are off).
    pub fn capacity(&self) -> usize {
        self.ring.as_ref().map_or(0, ArrayQueue::capacity)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn event(n: usize) -> Event {
        Event {
            key: Key::from_text(&format!("k-{n}")),
            kind: EventKind::Added { deps: Vec::new() },
            time: n as f64,
        }
    }

    /// What the scheduler does for each event.
    fn record(log: &EventLog, n: usize) {
        if log.wants() {
            log.push(event(n));
        }
    }

    fn times(events: Vec<Event>) -> Vec<f64> {
        events.iter().map(|e| e.time).collect()
    }

    #[test]
    fn a_log_never_read_keeps_its_first_events_and_counts_the_rest() {
        let log = EventLog::new(4);
        for n in 0..10 {
            record(&log, n);
        }
        assert_eq!(log.dropped(), 6);
        assert_eq!(times(log.drain()), [0.0, 1.0, 2.0, 3.0]);
        assert!(log.pop().is_none());
    }

    #[test]
    fn a_log_being_read_keeps_the_latest_events() {
        let log = EventLog::new(4);
        // A dashboard polls before anything has happened.
        assert!(log.pop().is_none());
        for n in 0..10 {
            record(&log, n);
        }
        assert_eq!(log.dropped(), 6);
        assert_eq!(times(log.drain()), [6.0, 7.0, 8.0, 9.0]);
    }

    #[test]
    fn a_reader_arriving_late_gets_the_first_events_then_the_latest() {
        let log = EventLog::new(4);
        for n in 0..6 {
            record(&log, n);
        }
        assert_eq!(log.dropped(), 2);
        // The first read finds what was kept before anyone listened...
        assert_eq!(log.pop().map(|e| e.time), Some(0.0));
        // ...and from then on the newest events push out the oldest.
        for n in 6..12 {
            record(&log, n);
        }
        assert_eq!(log.dropped(), 2 + 5);
        assert_eq!(times(log.drain()), [8.0, 9.0, 10.0, 11.0]);
    }

    #[test]
    fn a_push_that_finds_the_log_filled_since_it_was_wanted_still_decides_by_the_reader() {
        let log = EventLog::new(2);
        assert!(log.wants());
        record(&log, 0);
        record(&log, 1);
        // `wants` said yes before the log filled: the push itself drops the newest.
        log.push(event(2));
        assert_eq!(log.dropped(), 1);
        assert_eq!(times(log.drain()), [0.0, 1.0]);
    }

    #[test]
    fn a_zero_capacity_log_is_off() {
        let log = EventLog::new(0);
        assert!(!log.wants());
        log.push(event(1));
        assert!(!log.enabled());
        assert!(log.drain().is_empty());
        assert_eq!(log.dropped(), 0);
    }
}
