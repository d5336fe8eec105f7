//! Running: up to `workers` runners (rayon jobs) pop ready tasks, call their functions (a
//! panic becomes a failure), store the results and run a newly ready dependent next.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::Waker;

use smallvec::SmallVec;

use super::cell::{Cell, CellArg, CellArgs, NO_WORKER, Outcome};
use super::{Scheduler, Stamp, TaskState, slots, wait};
use crate::error::{Failure, FailureKind};
use crate::events::{Event, EventKind};
use crate::graph::TaskFn;
use crate::task_stream::TaskRecord;
use crate::value::Value;

impl Scheduler {
    /// Starts runners while there is queued work and room under the worker count, and tells
    /// parked waiters that work was queued (it may be what they wait for).
    pub(super) fn wake_runners(self: &Arc<Self>) {
        self.idle.notify();
        let mut started = 0;
        loop {
            let active = self.active.load(Ordering::SeqCst);
            if active >= self.workers.load(Ordering::SeqCst) || started >= self.queue.len() {
                return;
            }
            if self
                .active
                .compare_exchange(active, active + 1, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                started += 1;
                let me = self.clone();
                self.pool.spawn(move || me.runner());
            }
        }
    }

    /// One worker: runs ready tasks, each task's first newly ready dependent straight after it
    /// (depth-first), until the queue is empty.
    fn runner(self: Arc<Self>) {
        let mut slot = self.slots.claim();
        let mut next: Option<Arc<Cell>> = None;
        // A continuation (made ready by the task that just finished here) starts at that
        // finish time; a task from the queue may have been made ready later elsewhere, so it
        // gets a fresh time (its start must not precede its `Ready`).
        let mut at = Stamp::new();
        loop {
            let popped = match next.take() {
                Some(cell) => Some(cell),
                None => {
                    at = Stamp::new();
                    self.queue.pop()
                }
            };
            let cell = match popped {
                Some(cell) => cell,
                None => {
                    // The slot goes first: a runner started once we stop counting finds it.
                    drop(slot);
                    self.active.fetch_sub(1, Ordering::SeqCst);
                    // A task queued just before we left may have seen us as still running.
                    if self.queue.len() == 0 || !self.rejoin() {
                        return;
                    }
                    slot = self.slots.claim();
                    continue;
                }
            };
            next = self.run(cell, &mut at);
        }
    }

    fn rejoin(&self) -> bool {
        let mut active = self.active.load(Ordering::SeqCst);
        loop {
            if active >= self.workers.load(Ordering::SeqCst) {
                return false;
            }
            match self.active.compare_exchange(
                active,
                active + 1,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return true,
                Err(seen) => active = seen,
            }
        }
    }

    /// Runs one ready task; returns a newly ready dependent to run next on this thread.
    ///
    /// `at` is this task's start time: the previous task's finish if this is its continuation,
    /// else a fresh stamp. On return it is this task's finish time.
    pub(super) fn run(self: &Arc<Self>, cell: Arc<Cell>, at: &mut Stamp) -> Option<Arc<Cell>> {
        if !cell.transit(TaskState::Ready, TaskState::Processing) {
            return None;
        }
        // The runner's slot; a thread that helps while it waits but runs no runner (the
        // caller's, on a pool of one thread) is worker 0.
        let worker = slots::current().unwrap_or(0);
        // No start time if neither the log wants the `Started` event nor a task stream is
        // recorded: `finish` then reports the task (should either want it) as starting when
        // it finished.
        let start = if self.events.wants() {
            let start = at.get();
            self.events.push(Event {
                key: cell.key.clone(),
                kind: EventKind::Started { worker },
                time: start,
            });
            Some(start)
        } else if self.task_stream.is_recording() {
            Some(at.get())
        } else {
            None
        };
        let (func, args) = {
            let mut inner = cell.lock();
            (inner.func.take(), std::mem::take(&mut inner.args))
        };
        let outcome = {
            let _running = wait::RunningTask::enter();
            call(&cell, func, &args)
        };
        *at = Stamp::new();
        self.finish(cell, outcome, args, worker, start, at)
    }

    fn finish(
        self: &Arc<Self>,
        cell: Arc<Cell>,
        outcome: Outcome,
        args: CellArgs,
        worker: usize,
        start: Option<f64>,
        at: &mut Stamp,
    ) -> Option<Arc<Cell>> {
        let (bytes, erred) = match &outcome {
            Ok(v) => (v.bytes(), false),
            Err(_) => (0, true),
        };
        cell.worker.store(
            u32::try_from(worker).unwrap_or(NO_WORKER),
            Ordering::Relaxed,
        );
        let _ = cell.outcome.set(outcome);
        let (dependents, wakers, cancelled) = {
            let mut inner = cell.lock();
            let cancelled = cell.cancelled.load(Ordering::SeqCst);
            let to = match (cancelled, erred) {
                (true, _) => TaskState::Released,
                (false, true) => TaskState::Erred,
                (false, false) => TaskState::Memory,
            };
            // Only the runner moves a task out of `Processing`.
            let moved = cell.transit(TaskState::Processing, to);
            debug_assert!(moved, "a running task left `Processing` elsewhere");
            (
                std::mem::take(&mut inner.dependents),
                std::mem::take(&mut inner.wakers),
                cancelled,
            )
        };
        // The finish time is also when its dependents become ready and its inputs released.
        if self.events.wants() {
            let time = at.get();
            let kind = EventKind::Finished {
                worker,
                start: start.unwrap_or(time),
                bytes,
                erred,
            };
            self.events.push(Event {
                key: cell.key.clone(),
                kind,
                time,
            });
        }
        if self.task_stream.is_recording() {
            let stop = at.get();
            self.task_stream.push(TaskRecord {
                key: cell.key.clone(),
                worker,
                start: start.unwrap_or(stop),
                stop,
                erred,
                bytes,
            });
        }
        if cancelled {
            // Its `Finished` event stands for leaving `Processing`; say where it went.
            self.report(&cell, TaskState::Processing, TaskState::Released, at);
        }

        let mut ready: SmallVec<[Arc<Cell>; 4]> = SmallVec::new();
        match cell.failure() {
            None => {
                for d in dependents {
                    if d.pending.fetch_sub(1, Ordering::AcqRel) == 1 && self.make_ready(&d, at) {
                        ready.push(d);
                    }
                }
            }
            Some(failure) => self.fail_all(dependents, failure, at),
        }
        for arg in args {
            if let CellArg::Dep(d) = arg {
                self.drop_ref(&d, at);
            }
        }
        // SeqCst, with the state change above and `drop_ref`'s decrement-then-read-state: of a
        // finisher and a last reference dropped at the same time, at least one sees the other
        // and releases the result (with weaker orderings both could miss, leaking it).
        if !cancelled && cell.refs.load(Ordering::SeqCst) == 0 {
            self.try_release_finished(&cell, at);
        }
        // Last, so that whoever wakes sees the dependencies' references already dropped.
        wakers.into_iter().for_each(Waker::wake);
        if ready.len() > 1 {
            ready.sort_by_key(|c| c.priority);
            self.queue.push_all(ready.drain(1..));
            self.wake_runners();
        }
        ready.pop()
    }
}

/// Calls the task's function with its arguments' values; a panic becomes a failure.
fn call(cell: &Cell, func: Option<TaskFn>, args: &[CellArg]) -> Outcome {
    let mut values: SmallVec<[Value; 4]> = SmallVec::with_capacity(args.len());
    for arg in args {
        match arg {
            CellArg::Value(v) => values.push(v.clone()),
            CellArg::Dep(d) => match (d.failure(), d.outcome.get()) {
                (None, Some(Ok(v))) => values.push(v.clone()),
                (Some(f), _) => return Err(f),
                (None, _) => return Err(internal(cell, &format!("`{}` has no result", d.key))),
            },
        }
    }
    let Some(func) = func else {
        return Err(internal(cell, "the task has no function (it ran twice)"));
    };
    match catch_unwind(AssertUnwindSafe(|| func(&values))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(Arc::new(Failure {
            key: cell.key.clone(),
            message: e.message().to_owned(),
            kind: FailureKind::Error,
        })),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| String::from("panic with a non-string payload"));
            Err(Arc::new(Failure {
                key: cell.key.clone(),
                message,
                kind: FailureKind::Panic,
            }))
        }
    }
}

fn internal(cell: &Cell, message: &str) -> Arc<Failure> {
    Arc::new(Failure {
        key: cell.key.clone(),
        message: format!("skein internal error: {message}"),
        kind: FailureKind::Error,
    })
}
