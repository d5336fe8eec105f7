//! One task inside the scheduler: its state word, counters, result slot and the lists that
//! change while it lives (arguments, dependents, wakers).

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::task::Waker;

use smallvec::SmallVec;

use crate::error::{Failure, FailureKind};
use crate::graph::TaskFn;
use crate::key::Key;
use crate::stats::GroupCounters;
use crate::value::Value;

use super::TaskState;

/// Set in the state word while the thread that just moved the task counts the move.
const COUNTING: u8 = 0x80;

/// A task's result once it has one.
pub(crate) type Outcome = Result<Value, Arc<Failure>>;

/// An argument as the scheduler holds it.
pub(crate) enum CellArg {
    Value(Value),
    Dep(Arc<Cell>),
}

/// A task's arguments: inline for the usual one or two, so most tasks allocate no list.
pub(crate) type CellArgs = SmallVec<[CellArg; 2]>;

/// Tasks waiting on a result: inline for the usual one or two (a `sum`'s batches and `add`s,
/// a chain's links each have one dependent).
pub(crate) type Dependents = SmallVec<[Arc<Cell>; 2]>;

/// What changes under the task's lock.
#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) func: Option<TaskFn>,
    pub(crate) args: CellArgs,
    /// Tasks waiting on this one's result (cleared when it finishes).
    pub(crate) dependents: Dependents,
    /// Who to tell when it finishes.
    pub(crate) wakers: Wakers,
}

/// Who to tell when a task finishes. Boxed: most tasks (a graph's inner ones) have nobody
/// waiting on them, and an inline `Vec` would be 16 bytes more in every cell; the box holds
/// the usual one or two wakers itself, so a waited-on task allocates once.
#[derive(Default)]
pub(crate) struct Wakers(Option<Box<SmallVec<[Waker; 2]>>>);

impl Wakers {
    /// Adds `waker` unless it would wake the same task as one already there.
    pub(crate) fn add(&mut self, waker: &Waker) {
        let list = self.0.get_or_insert_default();
        if !list.iter().any(|w| w.will_wake(waker)) {
            list.push(waker.clone());
        }
    }
}

impl IntoIterator for Wakers {
    type Item = Waker;
    type IntoIter = smallvec::IntoIter<[Waker; 2]>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.map(|list| *list).unwrap_or_default().into_iter()
    }
}

pub(crate) struct Cell {
    pub(crate) key: Key,
    pub(crate) group: Arc<GroupCounters>,
    /// Lower runs first: depth-first post-order within a submission, FIFO across submissions,
    /// root-ish tasks after all others (`submit::ROOTISH`).
    pub(crate) priority: u64,
    state: AtomicU8,
    /// Dependencies not yet in memory (plus one while the task is being wired up).
    pub(crate) pending: AtomicU32,
    /// Handles plus unfinished dependents plus submissions in progress.
    pub(crate) refs: AtomicU32,
    pub(crate) cancelled: AtomicBool,
    /// The worker that ran it ([`NO_WORKER`] until it has run), set before it leaves
    /// `Processing`.
    pub(crate) worker: AtomicU32,
    pub(crate) outcome: OnceLock<Outcome>,
    inner: Mutex<Inner>,
}

/// [`Cell::worker`] of a task that has not run.
pub(crate) const NO_WORKER: u32 = u32::MAX;

impl Cell {
    /// A new `Waiting` task, counted as such before anyone else can see it (so a cancel
    /// racing with its submission cannot count it leaving first).
    pub(crate) fn new(key: Key, group: Arc<GroupCounters>, priority: u64) -> Cell {
        group.enter(TaskState::Waiting, 0);
        Cell {
            key,
            group,
            priority,
            state: AtomicU8::new(TaskState::Waiting as u8),
            pending: AtomicU32::new(1),
            refs: AtomicU32::new(1),
            cancelled: AtomicBool::new(false),
            worker: AtomicU32::new(NO_WORKER),
            outcome: OnceLock::new(),
            inner: Mutex::new(Inner::default()),
        }
    }

    pub(crate) fn state(&self) -> TaskState {
        TaskState::from_u8(self.state.load(Ordering::SeqCst) & !COUNTING)
    }

    /// Moves `from → to` if the task is in `from`, and counts the move in its group.
    ///
    /// The counters change inside the transition: the winner of the compare-and-swap marks the
    /// word `COUNTING`, books `from → to`, then clears the mark. A thread that would move the
    /// task on from `to` waits for the mark to clear, so its "leave `to`" never lands before
    /// this "enter `to`" and no counter ever dips below zero. The wait is two relaxed atomic
    /// adds long and takes no lock, so a waiter holding the task's lock cannot deadlock.
    pub(crate) fn transit(&self, from: TaskState, to: TaskState) -> bool {
        let (from_u8, to_u8) = (from as u8, to as u8);
        loop {
            match self.state.compare_exchange(
                from_u8,
                to_u8 | COUNTING,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => break,
                Err(seen) if seen == from_u8 | COUNTING => std::hint::spin_loop(),
                Err(_) => return false,
            }
        }
        self.group.leave(from, self.bytes_in(from));
        self.group.enter(to, self.bytes_in(to));
        // Release: whoever moves the task next reads this store (its CAS acquires), so the
        // counts above happen before that mover's "leave".
        self.state.store(to_u8, Ordering::Release);
        true
    }

    /// The bytes a task in `state` holds in memory (only `Memory` holds any).
    fn bytes_in(&self, state: TaskState) -> usize {
        match (state, self.outcome.get()) {
            (TaskState::Memory, Some(Ok(v))) => v.bytes(),
            _ => 0,
        }
    }

    /// The lock; a panic never happens while it is held, but recover rather than spread one.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, Inner>> {
        match self.inner.try_lock() {
            Ok(g) => Some(g),
            Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// Takes a reference unless the task is already unreferenced (about to be released).
    pub(crate) fn try_acquire(&self) -> bool {
        let mut n = self.refs.load(Ordering::SeqCst);
        loop {
            if n == 0 || self.state() == TaskState::Released {
                return false;
            }
            match self
                .refs
                .compare_exchange_weak(n, n + 1, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return true,
                Err(now) => n = now,
            }
        }
    }

    /// Whether a waiter can stop waiting: finished, failed, released or cancelled.
    pub(crate) fn is_done(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst) || self.state().is_finished()
    }

    /// Why this task cannot give a value (it failed or was cancelled), if so.
    pub(crate) fn failure(&self) -> Option<Arc<Failure>> {
        if self.cancelled.load(Ordering::SeqCst) {
            return Some(self.cancellation());
        }
        match self.outcome.get() {
            Some(Err(f)) => Some(f.clone()),
            _ => None,
        }
    }

    pub(crate) fn cancellation(&self) -> Arc<Failure> {
        match self.outcome.get() {
            Some(Err(f)) if f.kind == FailureKind::Cancelled => f.clone(),
            _ => Arc::new(Failure {
                key: self.key.clone(),
                message: String::from("cancelled"),
                kind: FailureKind::Cancelled,
            }),
        }
    }

    /// Adds `waker` to be woken when the task is done; `false` if it already is.
    pub(crate) fn register(&self, waker: &Waker) -> bool {
        let mut inner = self.lock();
        if self.is_done() {
            return false;
        }
        inner.wakers.add(waker);
        true
    }
}
