//! The scheduler: the task state machine, reference counting, depth-first ordering and the
//! runners that execute ready tasks on rayon. See `README.md` beside this file for the design.

mod cell;
mod map;
mod pool;
mod queue;
mod state;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Wake, Waker};
use std::thread::Thread;

use smallvec::SmallVec;

use crate::clock;
use crate::error::{Error, Failure, FailureKind};
use crate::events::{Event, EventKind, EventLog};
use crate::graph::TaskFn;
use crate::key::Key;
use crate::stats::{GroupCounters, GroupStats, Registry};
use crate::value::Value;

use cell::{Cell, CellArg, Outcome};
pub(crate) use map::FxHasher;
use map::TaskMap;
pub(crate) use pool::Pool;
use queue::ReadyQueue;
pub use state::TaskState;

/// A task to submit: its arguments may point at other tasks of the same submission (by
/// index, which must come earlier: submissions are in dependency order) or at live tasks.
pub(crate) struct NewTask {
    pub(crate) key: Key,
    pub(crate) func: TaskFn,
    pub(crate) args: Vec<NewArg>,
}

pub(crate) enum NewArg {
    Value(Value),
    Local(usize),
    Existing(Handle),
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
        })
    }

    pub(crate) fn workers(&self) -> usize {
        self.workers.load(Ordering::SeqCst)
    }

    pub(crate) fn max_workers(&self) -> usize {
        self.pool.threads()
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
    pub(crate) fn submit(self: &Arc<Self>, tasks: Vec<NewTask>, targets: &[usize]) -> Vec<Handle> {
        let base = self
            .next_priority
            .fetch_add(tasks.len() as u64 + 1, Ordering::Relaxed);
        let mut cells: Vec<Arc<Cell>> = Vec::with_capacity(tasks.len());
        let mut fresh: Vec<(usize, TaskFn, Vec<NewArg>)> = Vec::with_capacity(tasks.len());
        let mut last_group: Option<Arc<GroupCounters>> = None;
        for (i, NewTask { key, func, args }) in tasks.into_iter().enumerate() {
            let group = match &last_group {
                Some(g) if g.name() == key.group() => g.clone(),
                _ => {
                    let g = self.groups.group(key.group());
                    last_group = Some(g.clone());
                    g
                }
            };
            let mut shard = self.tasks.shard(&key);
            if let Some(live) = shard.get(&key).filter(|c| c.try_acquire()) {
                cells.push(live.clone());
                continue;
            }
            let cell = Arc::new(Cell::new(key.clone(), group, base + i as u64));
            shard.insert(key, cell.clone());
            drop(shard);
            self.counted(&cell, None, TaskState::Waiting);
            cells.push(cell);
            fresh.push((i, func, args));
        }

        let mut ready = Vec::new();
        let mut keep: Vec<Handle> = Vec::new();
        for (i, func, args) in fresh {
            let cell = &cells[i];
            let mut deps: SmallVec<[Arc<Cell>; 4]> = SmallVec::new();
            let args: Vec<CellArg> = args
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
            cell.pending.store(deps.len() as u32 + 1, Ordering::SeqCst);
            {
                let mut inner = cell.lock();
                inner.func = Some(func);
                inner.args = args;
            }
            let mut failed = None;
            for dep in deps {
                dep.refs.fetch_add(1, Ordering::SeqCst);
                let mut inner = dep.lock();
                if let Some(f) = dep.failure() {
                    failed = Some(f);
                    continue;
                }
                match dep.state() {
                    TaskState::Memory => {
                        cell.pending.fetch_sub(1, Ordering::SeqCst);
                    }
                    TaskState::Erred | TaskState::Released => {
                        failed = Some(dep.cancellation());
                    }
                    _ => inner.dependents.push(cell.clone()),
                }
            }
            if let Some(f) = failed {
                self.fail_all(vec![cell.clone()], f);
            } else if cell.pending.fetch_sub(1, Ordering::SeqCst) == 1 && self.make_ready(cell) {
                ready.push(cell.clone());
            }
        }
        let handles = targets
            .iter()
            .map(|&i| {
                cells[i].refs.fetch_add(1, Ordering::SeqCst);
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
            self.drop_ref(cell);
        }
        if !ready.is_empty() {
            self.queue.push_all(ready);
            self.wake_runners();
        }
        handles
    }

    // ---- state changes ----------------------------------------------------------------

    /// Counts a change of state and reports it.
    fn counted(&self, cell: &Cell, from: Option<TaskState>, to: TaskState) {
        if let Some(from) = from {
            cell.group.leave(from);
        }
        cell.group.enter(to);
        if self.events.enabled() {
            let kind = EventKind::State { from, to };
            self.events.push(Event {
                key: cell.key.clone(),
                kind,
                time: clock::now_ms(),
            });
        }
    }

    fn make_ready(&self, cell: &Cell) -> bool {
        let moved = cell.transit(TaskState::Waiting, TaskState::Ready);
        if moved {
            self.counted(cell, Some(TaskState::Waiting), TaskState::Ready);
        }
        moved
    }

    /// Books a task as released (its state word already says so).
    fn released(&self, cell: &Arc<Cell>, from: TaskState) {
        if from == TaskState::Memory
            && let Some(Ok(v)) = cell.outcome.get()
        {
            cell.group.sub_bytes(v.bytes());
        }
        self.counted(cell, Some(from), TaskState::Released);
        self.tasks.remove(cell);
    }

    fn try_release_finished(&self, cell: &Arc<Cell>) {
        for from in [TaskState::Memory, TaskState::Erred] {
            if cell.transit(from, TaskState::Released) {
                self.released(cell, from);
                return;
            }
        }
    }

    /// Drops one reference; a task no one needs any more is released (and, if it had not run,
    /// never runs and lets go of its own dependencies).
    pub(crate) fn drop_ref(&self, cell: &Arc<Cell>) {
        if cell.refs.fetch_sub(1, Ordering::SeqCst) != 1 {
            return;
        }
        let mut stack = vec![cell.clone()];
        while let Some(cell) = stack.pop() {
            match cell.state() {
                TaskState::Memory | TaskState::Erred => self.try_release_finished(&cell),
                TaskState::Waiting | TaskState::Ready => {
                    for from in [TaskState::Waiting, TaskState::Ready] {
                        if cell.transit(from, TaskState::Released) {
                            self.released(&cell, from);
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
    fn fail_all(&self, start: Vec<Arc<Cell>>, failure: Arc<Failure>) {
        let mut stack = start;
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
            self.counted(&cell, Some(TaskState::Waiting), TaskState::Erred);
            to_wake.extend(wakers);
            stack.extend(dependents);
            unreferenced.extend(args.into_iter().filter_map(|a| match a {
                CellArg::Dep(d) => Some(d),
                CellArg::Value(_) => None,
            }));
            if cell.refs.load(Ordering::SeqCst) == 0 {
                self.try_release_finished(&cell);
            }
        }
        for d in &unreferenced {
            self.drop_ref(d);
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
                Vec::new()
            };
            let dependents = if from.is_some() {
                std::mem::take(&mut inner.dependents)
            } else {
                Vec::new()
            };
            (from, args, dependents, std::mem::take(&mut inner.wakers))
        };
        self.tasks.remove(cell);
        wakers.into_iter().for_each(Waker::wake);
        if let Some(from) = from {
            self.released(cell, from);
        }
        self.fail_all(dependents, cell.cancellation());
        for arg in args {
            if let CellArg::Dep(d) = arg {
                self.drop_ref(&d);
            }
        }
    }

    // ---- running ----------------------------------------------------------------------

    /// Starts runners while there is queued work and room under the worker count.
    fn wake_runners(self: &Arc<Self>) {
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
        loop {
            let cell = match next.take().or_else(|| self.queue.pop()) {
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
            next = self.run(cell);
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
    fn run(self: &Arc<Self>, cell: Arc<Cell>) -> Option<Arc<Cell>> {
        if !cell.transit(TaskState::Ready, TaskState::Processing) {
            return None;
        }
        let worker = rayon::current_thread_index().unwrap_or(0);
        cell.group.leave(TaskState::Ready);
        cell.group.enter(TaskState::Processing);
        let start = if self.events.enabled() {
            let time = clock::now_ms();
            let kind = EventKind::Started { worker };
            self.events.push(Event {
                key: cell.key.clone(),
                kind,
                time,
            });
            time
        } else {
            0.0
        };
        let (func, args) = {
            let mut inner = cell.lock();
            (inner.func.take(), std::mem::take(&mut inner.args))
        };
        let outcome = call(&cell, func, &args);
        self.finish(cell, outcome, args, worker, start)
    }

    fn finish(
        self: &Arc<Self>,
        cell: Arc<Cell>,
        outcome: Outcome,
        args: Vec<CellArg>,
        worker: usize,
        start: f64,
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
            cell.set_state(to);
            (
                std::mem::take(&mut inner.dependents),
                std::mem::take(&mut inner.wakers),
                cancelled,
            )
        };
        cell.group.leave(TaskState::Processing);
        if self.events.enabled() {
            let kind = EventKind::Finished {
                worker,
                start,
                bytes,
                erred,
            };
            self.events.push(Event {
                key: cell.key.clone(),
                kind,
                time: clock::now_ms(),
            });
        }
        if cancelled {
            self.counted(&cell, None, TaskState::Released);
        } else if erred {
            cell.group.enter(TaskState::Erred);
        } else {
            cell.group.enter(TaskState::Memory);
            cell.group.add_bytes(bytes);
        }

        let mut ready: SmallVec<[Arc<Cell>; 4]> = SmallVec::new();
        match cell.failure() {
            None => {
                for d in dependents {
                    if d.pending.fetch_sub(1, Ordering::SeqCst) == 1 && self.make_ready(&d) {
                        ready.push(d);
                    }
                }
            }
            Some(failure) => self.fail_all(dependents, failure),
        }
        for arg in args {
            if let CellArg::Dep(d) = arg {
                self.drop_ref(&d);
            }
        }
        if !cancelled && cell.refs.load(Ordering::SeqCst) == 0 {
            self.try_release_finished(&cell);
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

    /// Waits on a pool thread without idling it: runs queued tasks until `cell` is done.
    fn help_until(self: &Arc<Self>, cell: &Cell) {
        while !cell.is_done() {
            match self.queue.pop() {
                Some(task) => {
                    let mut next = Some(task);
                    while let Some(task) = next {
                        next = self.run(task);
                    }
                }
                None => std::thread::park_timeout(std::time::Duration::from_micros(100)),
            }
        }
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
        self.cell.refs.fetch_add(1, Ordering::SeqCst);
        Handle {
            cell: self.cell.clone(),
            sched: self.sched.clone(),
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.sched.drop_ref(&self.cell);
    }
}

struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
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

    /// Blocks the calling thread until the task is done. On a pool thread, runs other queued
    /// tasks meanwhile instead of idling.
    pub(crate) fn wait(&self) {
        if self.cell.is_done() {
            return;
        }
        if rayon::current_thread_index().is_some() {
            self.sched.help_until(&self.cell);
            return;
        }
        let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
        if !self.cell.register(&waker) {
            return;
        }
        while !self.cell.is_done() {
            std::thread::park();
        }
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
                if !inner.wakers.iter().any(|w| w.will_wake(waker)) {
                    inner.wakers.push(waker.clone());
                }
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
