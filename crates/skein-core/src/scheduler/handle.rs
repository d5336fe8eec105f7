//! [`Handle`]: a counted reference to a task, what `Future` and a persisted `Delayed` hold.
//! Dropping the last one releases the task (see `release.rs`).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::Waker;

use super::cell::Cell;
use super::{Scheduler, Stamp, TaskState};
use crate::error::Error;
use crate::key::Key;
use crate::value::Value;

/// A counted reference to a task: keeps its result in memory while alive.
pub(crate) struct Handle {
    pub(super) cell: Arc<Cell>,
    pub(super) sched: Arc<Scheduler>,
}

impl Clone for Handle {
    fn clone(&self) -> Self {
        // Relaxed, as `Arc::clone`: `self` is a reference, so the count is not zero. Drops
        // stay `SeqCst`: "refs reached zero" is read against the state word (see `finish` in
        // `runner.rs`).
        self.cell.refs.fetch_add(1, Ordering::Relaxed);
        Handle {
            cell: self.cell.clone(),
            sched: self.sched.clone(),
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.sched.drop_ref(&self.cell, &mut Stamp::new());
    }
}

impl Handle {
    pub(crate) fn key(&self) -> &Key {
        &self.cell.key
    }

    pub(crate) fn state(&self) -> TaskState {
        self.cell.state()
    }

    /// The worker that ran the task, once it has.
    pub(crate) fn worker(&self) -> Option<usize> {
        match self.cell.worker.load(Ordering::Relaxed) {
            super::cell::NO_WORKER => None,
            worker => usize::try_from(worker).ok(),
        }
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.cell.cancelled.load(Ordering::SeqCst)
    }

    pub(crate) fn is_done(&self) -> bool {
        self.cell.is_done()
    }

    /// The result if there is one yet. Never blocks.
    pub(crate) fn outcome(&self) -> Option<Result<Value, Error>> {
        if let Some(f) = self.cell.failure() {
            return Some(Err(Error::from_failure(&self.cell.key, &f)));
        }
        match self.cell.outcome.get() {
            Some(Ok(v)) => Some(Ok(v.clone())),
            Some(Err(f)) => Some(Err(Error::from_failure(&self.cell.key, f))),
            None if self.cell.is_done() => Some(Err(Error::from_failure(
                &self.cell.key,
                &self.cell.cancellation(),
            ))),
            None => None,
        }
    }

    /// Blocks the calling thread until the task is done (`true`) or `stop` says to give up
    /// (`false`). On a pool thread, runs what the task needs meanwhile (see `wait.rs`).
    pub(crate) fn wait(&self, stop: Option<&dyn Fn() -> bool>) -> bool {
        self.cell.is_done() || self.sched.wait(&self.cell, stop)
    }

    /// Whether a wait on this thread must run tasks itself rather than park (see `wait.rs`):
    /// inside a task, or on the pool's only thread.
    pub(crate) fn waits_by_helping(&self) -> bool {
        self.sched.helps_here()
    }

    /// Registers `waker` for when the task is done; `false` if it already is. Never blocks:
    /// if the task's lock is busy the waker is woken at once, to poll again.
    pub(crate) fn register_nonblocking(&self, waker: &Waker) -> bool {
        if self.cell.is_done() {
            return false;
        }
        match self.cell.try_lock() {
            Some(mut inner) => {
                if self.cell.is_done() {
                    return false;
                }
                inner.wakers.add(waker);
            }
            None => waker.wake_by_ref(),
        }
        true
    }

    /// Registers `waker` for when the task is done (may block briefly on the task's lock).
    pub(crate) fn register(&self, waker: &Waker) -> bool {
        self.cell.register(waker)
    }

    pub(crate) fn cancel(&self) {
        self.sched.cancel(&self.cell);
    }

    pub(crate) fn same_task(&self, other: &Handle) -> bool {
        Arc::ptr_eq(&self.cell, &other.cell)
    }
}
