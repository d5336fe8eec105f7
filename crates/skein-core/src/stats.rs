//! Per-function-group counters (tasks waiting, ready, processing, in memory, erred, released,
//! bytes in memory, peaks), readable at any moment without blocking: they are atomics, and the
//! list of groups is published through an [`ArcSwap`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use rustc_hash::FxBuildHasher;

use crate::task_state::TaskState;

/// The live counters of one function group.
#[derive(Debug)]
pub(crate) struct GroupCounters {
    name: Arc<str>,
    /// Current counts by state, indexed by `TaskState as usize`; `Released` counts cumulatively.
    states: [AtomicU64; TaskState::COUNT],
    bytes: AtomicU64,
    peak_memory: AtomicU64,
    peak_bytes: AtomicU64,
}

impl GroupCounters {
    fn new(name: Arc<str>) -> Self {
        GroupCounters {
            name,
            states: Default::default(),
            bytes: AtomicU64::new(0),
            peak_memory: AtomicU64::new(0),
            peak_bytes: AtomicU64::new(0),
        }
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Counts a task entering `state` holding `bytes` (non-zero only for `Memory`).
    ///
    /// Only the scheduler's `Cell::transit` calls this and `leave`, inside the task's own
    /// state transition, so a task is always counted into a state before it is counted out and
    /// the counts never dip below zero.
    pub(crate) fn enter(&self, state: TaskState, bytes: usize) {
        let now = self.states[state as usize].fetch_add(1, Ordering::Relaxed) + 1;
        if state == TaskState::Memory {
            self.peak_memory.fetch_max(now, Ordering::Relaxed);
            let bytes = bytes as u64;
            let now = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
            self.peak_bytes.fetch_max(now, Ordering::Relaxed);
        }
    }

    /// Counts a task leaving `state` with the `bytes` it was entered with.
    pub(crate) fn leave(&self, state: TaskState, bytes: usize) {
        let was = self.states[state as usize].fetch_sub(1, Ordering::Relaxed);
        debug_assert!(was > 0, "{} count of `{}` below zero", state, self.name);
        if bytes > 0 {
            self.bytes.fetch_sub(bytes as u64, Ordering::Relaxed);
        }
    }

    /// Tasks counted as waiting, ready or processing now.
    pub(crate) fn unfinished(&self) -> u64 {
        [TaskState::Waiting, TaskState::Ready, TaskState::Processing]
            .iter()
            .map(|&s| self.states[s as usize].load(Ordering::Relaxed))
            .sum()
    }

    fn snapshot(&self) -> GroupStats {
        let n = |s: TaskState| self.states[s as usize].load(Ordering::Relaxed);
        GroupStats {
            name: self.name.clone(),
            waiting: n(TaskState::Waiting),
            ready: n(TaskState::Ready),
            processing: n(TaskState::Processing),
            memory: n(TaskState::Memory),
            erred: n(TaskState::Erred),
            released: n(TaskState::Released),
            bytes: self.bytes.load(Ordering::Relaxed),
            peak_memory: self.peak_memory.load(Ordering::Relaxed),
            peak_bytes: self.peak_bytes.load(Ordering::Relaxed),
        }
    }
}

/// A snapshot of one function group's counters (the dashboard's progress bars).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupStats {
    /// The function group (the key's name part).
    pub name: Arc<str>,
    /// Tasks waiting for dependencies.
    pub waiting: u64,
    /// Tasks ready to run.
    pub ready: u64,
    /// Tasks running.
    pub processing: u64,
    /// Results in memory.
    pub memory: u64,
    /// Failed tasks still referenced.
    pub erred: u64,
    /// Tasks released so far (cumulative).
    pub released: u64,
    /// Bytes in memory.
    pub bytes: u64,
    /// The most results this group ever had in memory at once.
    pub peak_memory: u64,
    /// The most bytes this group ever had in memory at once.
    pub peak_bytes: u64,
}

impl GroupStats {
    /// Tasks not yet finished (waiting, ready or processing).
    pub fn pending(&self) -> u64 {
        self.waiting + self.ready + self.processing
    }
}

type Groups = HashMap<Arc<str>, Arc<GroupCounters>, FxBuildHasher>;

/// Every group's counters. Looking a group up and reading counters never lock; only adding a
/// new group does (and republishes the map, which is small: one entry per function name).
#[derive(Default)]
pub(crate) struct Registry {
    adding: Mutex<()>,
    published: ArcSwap<Groups>,
}

impl Registry {
    pub(crate) fn group(&self, name: &str) -> Arc<GroupCounters> {
        if let Some(g) = self.published.load().get(name) {
            return g.clone();
        }
        let _adding = self.adding.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.published.load_full();
        if let Some(g) = current.get(name) {
            return g.clone();
        }
        let name: Arc<str> = Arc::from(name);
        let g = Arc::new(GroupCounters::new(name.clone()));
        let mut next = (*current).clone();
        next.insert(name, g.clone());
        self.published.store(Arc::new(next));
        g
    }

    /// Every group's counters, sorted by name.
    pub(crate) fn snapshot(&self) -> Vec<GroupStats> {
        let mut out: Vec<GroupStats> = self
            .published
            .load()
            .values()
            .map(|g| g.snapshot())
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
}
