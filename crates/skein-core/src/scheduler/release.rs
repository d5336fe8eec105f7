//! Releasing: dropping a reference, releasing what nobody needs any more (and, for a task that
//! has not run, what only it needed), spreading a failure to the dependents, cancelling.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::Waker;

use smallvec::{SmallVec, smallvec};

use super::cell::{Cell, CellArg, CellArgs, Dependents};
use super::{Scheduler, Stamp, TaskState};
use crate::error::{Failure, FailureKind};

impl Scheduler {
    /// Reports a task released (its state word already says so) and forgets its key.
    pub(super) fn released(&self, cell: &Arc<Cell>, from: TaskState, at: &mut Stamp) {
        self.report(cell, from, TaskState::Released, at);
        self.tasks.remove(cell);
    }

    pub(super) fn try_release_finished(&self, cell: &Arc<Cell>, at: &mut Stamp) {
        for from in [TaskState::Memory, TaskState::Erred] {
            if cell.transit(from, TaskState::Released) {
                self.released(cell, from, at);
                return;
            }
        }
    }

    /// Drops one reference; a task no one needs any more is released (and, if it had not run,
    /// never runs and lets go of its own dependencies).
    pub(super) fn drop_ref(&self, cell: &Arc<Cell>, at: &mut Stamp) {
        if cell.refs.fetch_sub(1, Ordering::SeqCst) != 1 {
            return;
        }
        // Inline: releasing one task rarely releases more than a few with it.
        let mut stack: SmallVec<[Arc<Cell>; 4]> = smallvec![cell.clone()];
        while let Some(cell) = stack.pop() {
            match cell.state() {
                TaskState::Memory | TaskState::Erred => self.try_release_finished(&cell, at),
                TaskState::Waiting | TaskState::Ready => {
                    for from in [TaskState::Waiting, TaskState::Ready] {
                        if cell.transit(from, TaskState::Released) {
                            self.released(&cell, from, at);
                            let (args, wakers) = {
                                let mut inner = cell.lock();
                                inner.func = None;
                                inner.dependents.clear();
                                (
                                    std::mem::take(&mut inner.args),
                                    std::mem::take(&mut inner.wakers),
                                )
                            };
                            wakers.into_iter().for_each(Waker::wake);
                            for arg in args {
                                if let CellArg::Dep(d) = arg
                                    && d.refs.fetch_sub(1, Ordering::SeqCst) == 1
                                {
                                    stack.push(d);
                                }
                            }
                            break;
                        }
                    }
                }
                // A running task checks its references when it finishes.
                TaskState::Processing | TaskState::Released => {}
            }
        }
    }

    /// Fails `start` and everything that depends on them with `failure`.
    pub(super) fn fail_all(
        &self,
        start: impl IntoIterator<Item = Arc<Cell>>,
        failure: Arc<Failure>,
        at: &mut Stamp,
    ) {
        let mut stack: Vec<Arc<Cell>> = start.into_iter().collect();
        let mut unreferenced = Vec::new();
        let mut to_wake = Vec::new();
        while let Some(cell) = stack.pop() {
            if cell.state() != TaskState::Waiting {
                continue;
            }
            let _ = cell.outcome.set(Err(failure.clone()));
            if !cell.transit(TaskState::Waiting, TaskState::Erred) {
                continue;
            }
            let (args, dependents, wakers) = {
                let mut inner = cell.lock();
                inner.func = None;
                (
                    std::mem::take(&mut inner.args),
                    std::mem::take(&mut inner.dependents),
                    std::mem::take(&mut inner.wakers),
                )
            };
            self.report(&cell, TaskState::Waiting, TaskState::Erred, at);
            to_wake.extend(wakers);
            stack.extend(dependents);
            unreferenced.extend(args.into_iter().filter_map(|a| match a {
                CellArg::Dep(d) => Some(d),
                CellArg::Value(_) => None,
            }));
            if cell.refs.load(Ordering::SeqCst) == 0 {
                self.try_release_finished(&cell, at);
            }
        }
        for d in &unreferenced {
            self.drop_ref(d, at);
        }
        to_wake.into_iter().for_each(Waker::wake);
    }

    /// Cancels a task: if it has not run it never will; if it is running its result is
    /// dropped; a result in memory is released. Its dependents fail as cancelled.
    pub(super) fn cancel(&self, cell: &Arc<Cell>) {
        let failure = Arc::new(Failure {
            key: cell.key.clone(),
            message: String::from("cancelled"),
            kind: FailureKind::Cancelled,
        });
        let _ = cell.outcome.set(Err(failure));
        let (from, args, dependents, wakers) = {
            let mut inner = cell.lock();
            if cell.cancelled.swap(true, Ordering::SeqCst) {
                return;
            }
            let state = cell.state();
            let from = match state {
                TaskState::Processing | TaskState::Released => None,
                _ => cell.transit(state, TaskState::Released).then_some(state),
            };
            let args = if from.is_some() {
                std::mem::take(&mut inner.args)
            } else {
                CellArgs::new()
            };
            let dependents = if from.is_some() {
                std::mem::take(&mut inner.dependents)
            } else {
                Dependents::new()
            };
            (from, args, dependents, std::mem::take(&mut inner.wakers))
        };
        let mut at = Stamp::new();
        self.tasks.remove(cell);
        wakers.into_iter().for_each(Waker::wake);
        if let Some(from) = from {
            self.released(cell, from, &mut at);
        }
        self.fail_all(dependents, cell.cancellation(), &mut at);
        for arg in args {
            if let CellArg::Dep(d) = arg {
                self.drop_ref(&d, &mut at);
            }
        }
    }
}
