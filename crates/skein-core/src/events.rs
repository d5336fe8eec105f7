//! The event stream: every state change and every task's start and end, in a lock-free ring
//! that a UI thread drains without ever blocking (the browser's main thread cannot wait).
//!
//! The ring has a fixed capacity; when it is full the oldest event is dropped and counted in
//! [`EventLog::dropped`], so a UI that stops draining costs nothing but history.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use crossbeam_queue::ArrayQueue;

use crate::key::Key;
use crate::scheduler::TaskState;

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

/// A bounded, lock-free, drop-oldest buffer of [`Event`]s.
pub struct EventLog {
    ring: Option<ArrayQueue<Event>>,
    dropped: AtomicU64,
}

impl EventLog {
    /// A log holding up to `capacity` events; 0 turns events off.
    pub fn new(capacity: usize) -> EventLog {
        EventLog {
            ring: (capacity > 0).then(|| ArrayQueue::new(capacity)),
            dropped: AtomicU64::new(0),
        }
    }

    /// Whether events are recorded at all.
    pub fn enabled(&self) -> bool {
        self.ring.is_some()
    }

    pub(crate) fn push(&self, event: Event) {
        if let Some(ring) = &self.ring
            && ring.force_push(event).is_some()
        {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The oldest event not yet taken. Never blocks.
    pub fn pop(&self) -> Option<Event> {
        self.ring.as_ref()?.pop()
    }

    /// Takes every event currently buffered, oldest first. Never blocks.
    pub fn drain(&self) -> Vec<Event> {
        let Some(ring) = &self.ring else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(ring.len());
        while let Some(e) = ring.pop() {
            out.push(e);
        }
        out
    }

    /// How many events were dropped because the buffer was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// The capacity (0 when events are off).
    pub fn capacity(&self) -> usize {
        self.ring.as_ref().map_or(0, ArrayQueue::capacity)
    }
}

/// "Memory by key", kept by whoever drains the events: the bytes of each key in memory.
#[derive(Clone, Debug, Default)]
pub struct MemoryByKey {
    bytes: HashMap<Key, usize>,
}

impl MemoryByKey {
    /// Empty.
    pub fn new() -> Self {
        MemoryByKey::default()
    }

    /// Updates from one event.
    pub fn apply(&mut self, event: &Event) {
        match &event.kind {
            EventKind::Finished {
                bytes,
                erred: false,
                ..
            } => {
                self.bytes.insert(event.key.clone(), *bytes);
            }
            EventKind::State {
                to: TaskState::Released,
                ..
            } => {
                self.bytes.remove(&event.key);
            }
            _ => {}
        }
    }

    /// The keys in memory and their sizes in bytes.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, usize)> {
        self.bytes.iter().map(|(k, b)| (k, *b))
    }

    /// The total bytes in memory.
    pub fn total(&self) -> usize {
        self.bytes.values().sum()
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

    #[test]
    fn a_full_log_drops_the_oldest() {
        let log = EventLog::new(4);
        for n in 0..10 {
            log.push(event(n));
        }
        assert_eq!(log.dropped(), 6);
        let times: Vec<f64> = log.drain().iter().map(|e| e.time).collect();
        assert_eq!(times, [6.0, 7.0, 8.0, 9.0]);
        assert!(log.pop().is_none());
    }

    #[test]
    fn a_zero_capacity_log_is_off() {
        let log = EventLog::new(0);
        log.push(event(1));
        assert!(!log.enabled());
        assert!(log.drain().is_empty());
    }
}
