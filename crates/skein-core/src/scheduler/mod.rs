//! The scheduler: the task state machine, reference counting, depth-first ordering and the
//! runners that execute ready tasks on rayon. See `README.md` beside this file for the design.

mod cell;
mod map;
mod pool;
mod queue;
mod stamp;
mod wait;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::Waker;

use smallvec::{SmallVec, smallvec};

use crate::error::{Error, Failure, FailureKind};
use crate::events::{Event, EventKind, EventLog};
use crate::graph::TaskFn;
use crate::key::Key;
use crate::stats::{GroupCounters, GroupStats, Registry};
use crate::value::Value;

pub use crate::task_state::TaskState;
use cell::{Cell, CellArg, CellArgs, Dependents, Outcome};
use map::TaskMap;
pub(crate) use pool::Pool;
use queue::ReadyQueue;
use stamp::Stamp;
pub(crate) use wait::{STOP_POLL, park};

/// A task to submit: its arguments may point at other tasks of the same submission (by
/// index, which must come earlier: submissions are in dependency order) or at live tasks.
pub(crate) struct NewTask {
    pub(crate) key: Key,
    pub(crate) func: TaskFn,
    pub(crate) args: NewArgs,
}

/// A new task's arguments: inline for the usual one or two.
pub(crate) type NewArgs = SmallVec<[NewArg; 2]>;

pub(crate) enum NewArg {
    Value(Value),
    Local(usize),
    Existing(Handle),
}

/// How many tasks of one submission share a timestamp for their `Waiting`/`Ready` events.
const STAMP_EVERY: usize = 64;

/// The function groups of one submission, most recent last: a graph has few distinct function
/// names (a `sum` alternates two), and a registry lookup loads the published map and hashes
/// the name.
#[derive(Default)]
struct GroupCache {
    recent: SmallVec<[Arc<GroupCounters>; 4]>,
}

impl GroupCache {
    fn get(&mut self, registry: &Registry, name: &str) -> Arc<GroupCounters> {
        if let Some(g) = self.recent.iter().rev().find(|g| g.name() == name) {
            return g.clone();
        }
        let g = registry.group(name);
        if self.recent.len() == self.recent.inline_size() {
            self.recent.remove(0);
        }
        self.recent.push(g.clone());
        g
    }
}

pub(crate) struct Scheduler {
    tasks: TaskMap,
    queue: ReadyQueue,
    pool: Pool,
    /// How many runners may run at once ("workers"); at most the pool's threads.
    workers: AtomicUsize,
    /// Runners currently spawned.
    active: AtomicUsize,
    next_priority: AtomicU64,
    pub(crate) events: EventLog,
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
            next_priority: AtomicU64::new(0),
            events: EventLog::new(event_capacity),
            groups: Registry::default(),
            idle: wait::Idle::default(),
        })
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

    // ---- submission -------------------------------------------------------------------

    /// Adds `tasks` (in dependency order), reusing live tasks with the same keys, and returns
    /// handles to `targets` (indices into `tasks`).
    ///
    /// One pass: a task's local dependencies come before it, so each new task is created and
    /// wired to its dependencies at once (and its `Waiting` and `Ready` events share a time).
    pub(crate) fn submit<I>(self: &Arc<Self>, tasks: I, targets: &[usize]) -> SmallVec<[Handle; 1]>
    where
        I: IntoIterator<Item = NewTask>,
        I::IntoIter: ExactSizeIterator,
    {
        let tasks = tasks.into_iter();
        self.tasks.reserve(tasks.len());
        let base = self
            .next_priority
            .fetch_add(tasks.len() as u64 + 1, Ordering::Relaxed);
        let mut cells: SmallVec<[Arc<Cell>; 1]> = SmallVec::with_capacity(tasks.len());
        let mut ready: SmallVec<[Arc<Cell>; 1]> = SmallVec::new();
        let mut keep: Vec<Handle> = Vec::new();
        let mut groups = GroupCache::default();
        let mut at = Stamp::new();
        for (i, NewTask { key, func, args }) in tasks.enumerate() {
            let group = groups.get(&self.groups, key.group());
            let priority = base + i as u64;
            let (cell, fresh) = self
                .tasks
                .shard(&key)
                .acquire_or_insert(key, |key| Arc::new(Cell::new(key, group, priority)));
            if fresh {
                // Tasks wired in one go share a time, refreshed every few dozen tasks: a
                // submission of 10^5 tasks takes tens of milliseconds, a few tasks microseconds.
                if i % STAMP_EVERY == 0 {
                    at = Stamp::new();
                }
                if self.wire(&cell, func, args, &cells, &mut keep, &mut at) {
                    ready.push(cell.clone());
                }
            }
            cells.push(cell);
        }
        let handles = targets
            .iter()
            .map(|&i| {
                // Relaxed: the submission holds a reference (see `wire`).
                cells[i].refs.fetch_add(1, Ordering::Relaxed);
                Handle {
                    cell: cells[i].clone(),
                    sched: self.clone(),
                }
            })
            .collect();
        // Drop the submission's own references before anything runs, so that results are
        // released as soon as their dependents are done (not when the submission ends).
        drop(keep);
        for cell in &cells {
            self.drop_ref(cell, &mut at);
        }
        if !ready.is_empty() {
            self.queue.push_all(ready);
            self.wake_runners();
        }
        handles
    }

    /// Books a new task as `Waiting`, gives it its function and arguments and registers it with
    /// its dependencies (`cells`: the submission's tasks so far). Returns whether it is ready
    /// at once.
    fn wire(
        &self,
        cell: &Arc<Cell>,
        func: TaskFn,
        args: NewArgs,
        cells: &[Arc<Cell>],
        keep: &mut Vec<Handle>,
        at: &mut Stamp,
    ) -> bool {
        let mut deps: SmallVec<[Arc<Cell>; 4]> = SmallVec::new();
        let args: CellArgs = args
            .into_iter()
            .map(|a| match a {
                NewArg::Value(v) => CellArg::Value(v),
                NewArg::Local(j) => {
                    deps.push(cells[j].clone());
                    CellArg::Dep(cells[j].clone())
                }
                NewArg::Existing(h) => {
                    deps.push(h.cell.clone());
                    let dep = CellArg::Dep(h.cell.clone());
                    keep.push(h);
                    dep
                }
            })
            .collect();
        self.added(cell, &deps, at);
        // The extra 1 keeps the task from being made ready by a dependency that finishes while
        // it is wired up; the last step below removes it. Relaxed: a finisher only decrements
        // it after finding the task among its dependents, which it reads under the lock this
        // thread takes below to register it, so the lock orders this store first.
        cell.pending.store(deps.len() as u32 + 1, Ordering::Relaxed);
        {
            let mut inner = cell.lock();
            inner.func = Some(func);
            inner.args = args;
        }
        let mut failed = None;
        for dep in deps {
            // Relaxed, as `Arc::clone`: this submission already holds a reference to `dep`, so
            // the count cannot reach zero meanwhile and nothing is published by the increment.
            dep.refs.fetch_add(1, Ordering::Relaxed);
            let mut inner = dep.lock();
            if let Some(f) = dep.failure() {
                failed = Some(f);
                continue;
            }
            match dep.state() {
                TaskState::Memory => {
                    cell.pending.fetch_sub(1, Ordering::AcqRel);
                }
                TaskState::Erred | TaskState::Released => {
                    failed = Some(dep.cancellation());
                }
                _ => inner.dependents.push(cell.clone()),
            }
        }
        if let Some(f) = failed {
            self.fail_all([cell.clone()], f, at);
            return false;
        }
        // `pending` only counts down (never read against another atomic, unlike `refs`
        // against the state word), so acquire-release is enough: whoever brings it to zero
        // sees every dependency's finished result.
        cell.pending.fetch_sub(1, Ordering::AcqRel) == 1 && self.make_ready(cell, at)
    }

    // ---- state changes ----------------------------------------------------------------

    /// Reports a new task (counted as `Waiting` when it was made) with its dependencies'
    /// keys, so that a dashboard can draw the graph.
    ///
    /// Each report asks the log first whether it wants the event: when it does not (events
    /// off, or full and never read) the key clones, the clock read and the dependency list are
    /// skipped, which is most of an event's cost.
    fn added(&self, cell: &Cell, deps: &[Arc<Cell>], at: &mut Stamp) {
        if self.events.wants() {
            let deps = deps.iter().map(|d| d.key.clone()).collect();
            self.events.push(Event {
                key: cell.key.clone(),
                kind: EventKind::Added { deps },
                time: at.get(),
            });
        }
    }

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

    /// Reports a task released (its state word already says so) and forgets its key.
    fn released(&self, cell: &Arc<Cell>, from: TaskState, at: &mut Stamp) {
        self.report(cell, from, TaskState::Released, at);
        self.tasks.remove(cell);
    }

    fn try_release_finished(&self, cell: &Arc<Cell>, at: &mut Stamp) {
        for from in [TaskState::Memory, TaskState::Erred] {
            if cell.transit(from, TaskState::Released) {
                self.released(cell, from, at);
                return;
            }
        }
    }

    /// Drops one reference; a task no one needs any more is released (and, if it had not run,
    /// never runs and lets go of its own dependencies).
    pub(crate) fn drop_ref(&self, cell: &Arc<Cell>, at: &mut Stamp) {
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
    fn fail_all(
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
    pub(crate) fn cancel(&self, cell: &Arc<Cell>) {
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

    // ---- running ----------------------------------------------------------------------

    /// Starts runners while there is queued work and room under the worker count, and tells
    /// parked waiters that work was queued (it may be what they wait for).
    fn wake_runners(self: &Arc<Self>) {
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
                    self.active.fetch_sub(1, Ordering::SeqCst);
                    // A task queued just before we left may have seen us as still running.
                    if self.queue.len() == 0 || !self.rejoin() {
                        return;
                    }
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
    fn run(self: &Arc<Self>, cell: Arc<Cell>, at: &mut Stamp) -> Option<Arc<Cell>> {
        if !cell.transit(TaskState::Ready, TaskState::Processing) {
            return None;
        }
        let worker = rayon::current_thread_index().unwrap_or(0);
        // No start time if the log did not want the `Started` event: `finish` then reports
        // the task (should the log want that event) as starting when it finished.
        let start = if self.events.wants() {
            let start = at.get();
            self.events.push(Event {
                key: cell.key.clone(),
                kind: EventKind::Started { worker },
                time: start,
            });
            Some(start)
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

/// A counted reference to a task: keeps its result in memory while alive.
pub(crate) struct Handle {
    cell: Arc<Cell>,
    sched: Arc<Scheduler>,
}

impl Clone for Handle {
    fn clone(&self) -> Self {
        // Relaxed, as `Arc::clone`: `self` is a reference, so the count is not zero. Drops
        // stay `SeqCst`: "refs reached zero" is read against the state word (see `finish`).
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
