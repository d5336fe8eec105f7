//! The scheduler: the task state machine, reference counting, depth-first ordering and the
//! runners that execute ready tasks on rayon. See `README.md` beside this file for the design.
//!
//! This file owns the [`Scheduler`] itself: its tables, its worker count and how a state
//! change is reported. A task's life is told by the files beside it: `submit` (new tasks wired
//! to their dependencies), `runner` (ready tasks run, their dependents made ready),
//! `release` (references dropped, failures spread, cancelling), `handle` (the counted
//! reference that `Future` and `Delayed` hold) and `wait` (blocking for a result).

mod cell;
mod generation;
mod handle;
mod map;
mod pool;
mod queue;
mod release;
mod runner;
mod slots;
mod stamp;
mod submit;
mod wait;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::events::{Event, EventKind, EventLog};
use crate::key::Key;
use crate::stats::{GroupStats, Registry};
use crate::task_stream::TaskStream;

pub use crate::task_state::TaskState;
use cell::Cell;
pub(crate) use handle::Handle;
use map::TaskMap;
pub(crate) use pool::Pool;
use queue::ReadyQueue;
use stamp::Stamp;
pub(crate) use submit::{GroupSizes, NewArg, NewTask};
pub(crate) use wait::{STOP_POLL, park};

pub(crate) struct Scheduler {
    tasks: TaskMap,
    queue: ReadyQueue,
    pool: Pool,
    /// How many runners may run at once ("workers"); at most the pool's threads.
    workers: AtomicUsize,
    /// Runners currently spawned.
    active: AtomicUsize,
    /// Which worker each runner is.
    slots: slots::Slots,
    generations: generation::Generations,
    pub(crate) events: EventLog,
    pub(crate) task_stream: Arc<TaskStream>,
    groups: Registry,
    idle: wait::Idle,
}

impl Scheduler {
    pub(crate) fn new(pool: Pool, workers: usize, event_capacity: usize) -> Arc<Scheduler> {
        let workers = workers.clamp(1, pool.threads().max(1));
        Arc::new(Scheduler {
            tasks: TaskMap::new(),
            queue: ReadyQueue::default(),
            pool,
            workers: AtomicUsize::new(workers),
            active: AtomicUsize::new(0),
            slots: slots::Slots::default(),
            generations: generation::Generations::default(),
            events: EventLog::new(event_capacity),
            task_stream: Arc::default(),
            groups: Registry::default(),
            idle: wait::Idle::default(),
        })
    }

    /// Inside a task, the worker (`0..workers`) running it: its runner's slot, or 0 for a
    /// task run by a thread that helps while it waits but runs no runner.
    pub(crate) fn current_worker() -> Option<usize> {
        slots::current().or_else(|| wait::in_task().then_some(0))
    }

    pub(crate) fn workers(&self) -> usize {
        self.workers.load(Ordering::SeqCst)
    }

    pub(crate) fn max_workers(&self) -> usize {
        self.pool.threads()
    }

    pub(crate) fn is_sole_thread_here(&self) -> bool {
        self.pool.is_sole_thread_here()
    }

    /// Raises the number of workers by `n` (up to the pool's threads); queued work starts on
    /// the new ones at once. Returns the new count.
    pub(crate) fn add_workers(self: &Arc<Self>, n: usize) -> usize {
        let max = self.pool.threads().max(1);
        let mut now = self.workers.load(Ordering::SeqCst);
        loop {
            let want = (now + n).min(max);
            match self
                .workers
                .compare_exchange(now, want, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => break,
                Err(seen) => now = seen,
            }
        }
        self.wake_runners();
        self.workers()
    }

    pub(crate) fn group_stats(&self) -> Vec<GroupStats> {
        self.groups.snapshot()
    }

    pub(crate) fn live_tasks(&self) -> usize {
        self.tasks.len()
    }

    /// The live task with `key`, as a handle.
    pub(crate) fn lookup(self: &Arc<Self>, key: &Key) -> Option<Handle> {
        let cell = self.tasks.acquire(key)?;
        Some(Handle {
            cell,
            sched: self.clone(),
        })
    }

    // ---- reporting state changes ------------------------------------------------------

    /// Reports a change of state (counted by `Cell::transit`) at the step's time `at`.
    fn report(&self, cell: &Cell, from: TaskState, to: TaskState, at: &mut Stamp) {
        if self.events.wants() {
            self.events.push(Event {
                key: cell.key.clone(),
                kind: EventKind::State { from, to },
                time: at.get(),
            });
        }
    }

    fn make_ready(&self, cell: &Cell, at: &mut Stamp) -> bool {
        let moved = cell.transit(TaskState::Waiting, TaskState::Ready);
        if moved {
            self.report(cell, TaskState::Waiting, TaskState::Ready, at);
        }
        moved
    }
}
