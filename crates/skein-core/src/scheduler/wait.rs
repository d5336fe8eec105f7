//! Waiting for a task: every blocking call (`Future::result`, `compute`, `gather`) ends here.
//!
//! A waiter outside any task (the kernel thread, a test's main thread) parks until the task's
//! completion wakes it — even on a pool thread, as the kernel's is in the browser: the
//! workers are the ones the user asked for, and a client that also ran tasks would be one
//! more thread competing for the cores (the browser's π check ran three threads on two
//! cores that way, at 1.47× instead of nearly 2×) and a worker the dashboard never counted.
//! A task waiting on another task is different: parking would take a worker away, and with
//! one worker nothing would ever run the awaited task. So a task's wait *helps*: it runs
//! ready tasks that the awaited task needs (its dependencies, found by walking down from it,
//! and the task itself), one after another at this stack level, and parks only when
//! everything it needs is running elsewhere. The only thread of a one-thread pool (the page's
//! main thread when the browser gives no workers) helps too, task or not: nobody else would
//! run what it waits for.
//!
//! Helping only with what the awaited task needs is what bounds the stack. Running *any*
//! queued task instead lets a task that itself waits start on top of this one, which then
//! helps with another waiting task, and so on: a map of twenty tasks that each wait nested
//! twenty interpreters deep on one worker and overflowed its stack. Here a nested wait only
//! happens when the task run here genuinely needs it, so the depth is the depth of the
//! user's own nesting (a task waiting on a task waiting on a task …), not the queue's length.
//! It also cannot deadlock without a real cycle: each task under another on a thread's stack
//! is one the task below needs.
//!
//! A wait may carry a stop check (the kernel's interrupt). Nothing wakes a waiter when the
//! check's answer changes — an interrupt is one atomic store, made from a thread that must not
//! block — so a waiter with a stop check parks for at most [`STOP_POLL`] at a time.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Wake, Waker};
use std::thread::Thread;
use std::time::Duration;

use smallvec::SmallVec;

use super::cell::{Cell, CellArg};
use super::stamp::Stamp;
use super::{Scheduler, TaskState};

/// How long a waiter with a stop check parks before looking at the check again.
pub(crate) const STOP_POLL: Duration = Duration::from_millis(2);

/// Helpers parked because everything their task needs is running elsewhere. Queueing work
/// wakes them: what was queued may be what they need, and with every worker waiting nobody
/// else would run it.
#[derive(Default)]
pub(super) struct Idle {
    /// Bumped by every notification, so a helper about to park can tell that work was queued
    /// after it last looked (and look again instead of sleeping through it).
    epoch: AtomicU64,
    parked: AtomicUsize,
    threads: Mutex<Vec<Thread>>,
}

impl Idle {
    fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// Wakes the parked helpers (cheap when there are none: one load).
    pub(super) fn notify(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        if self.parked.load(Ordering::SeqCst) == 0 {
            return;
        }
        for t in self.lock().iter() {
            t.unpark();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Thread>> {
        self.threads.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Parks this thread (for at most `timeout`) unless work was queued since `seen`.
    fn park(&self, seen: u64, timeout: Option<Duration>) {
        let me = std::thread::current();
        self.lock().push(me.clone());
        // SeqCst with `notify`'s bump-then-load: either it sees this helper counted and
        // unparks it, or this check sees its bump.
        self.parked.fetch_add(1, Ordering::SeqCst);
        if self.epoch() == seen {
            park(timeout);
        }
        self.parked.fetch_sub(1, Ordering::SeqCst);
        let mut threads = self.lock();
        if let Some(i) = threads.iter().position(|t| t.id() == me.id()) {
            threads.swap_remove(i);
        }
    }
}

/// Parks this thread, for at most `timeout` when there is one.
pub(crate) fn park(timeout: Option<Duration>) {
    match timeout {
        Some(t) => std::thread::park_timeout(t),
        None => std::thread::park(),
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

thread_local! {
    /// How many tasks this thread is running, one inside another when a task's wait helps.
    static TASKS_RUNNING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// This thread's waker, made once: `gather` waits on each of many futures.
    static WAKER: Waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
}

/// Marks this thread as running a task while it lives, so that a wait made meanwhile is a
/// task's wait, which helps.
pub(super) struct RunningTask(());

impl RunningTask {
    pub(super) fn enter() -> Self {
        TASKS_RUNNING.with(|n| n.set(n.get() + 1));
        RunningTask(())
    }
}

impl Drop for RunningTask {
    fn drop(&mut self) {
        TASKS_RUNNING.with(|n| n.set(n.get() - 1));
    }
}

pub(super) fn in_task() -> bool {
    TASKS_RUNNING.with(|n| n.get() > 0)
}

impl Scheduler {
    /// Blocks until `cell` is done (`true`) or `stop` says to give up (`false`); inside a
    /// task, runs what `cell` needs meanwhile.
    pub(super) fn wait(
        self: &Arc<Self>,
        cell: &Arc<Cell>,
        stop: Option<&dyn Fn() -> bool>,
    ) -> bool {
        let timeout = stop.map(|_| STOP_POLL);
        let mut needs = self.helps_here().then(Needs::default);
        loop {
            if cell.is_done() {
                return true;
            }
            if stop.is_some_and(|stop| stop()) {
                return false;
            }
            let Some(needs) = needs.as_mut() else {
                if WAKER.with(|w| cell.register(w)) {
                    park(timeout);
                }
                continue;
            };
            let seen = self.idle.epoch();
            match needs.next_ready(cell) {
                Some(task) => self.run_for_waiter(task),
                None => {
                    if WAKER.with(|w| cell.register(w)) {
                        self.idle.park(seen, timeout);
                    }
                    // Whatever woke us, the tasks' states have moved: walk again from the top.
                    needs.restart();
                }
            }
        }
    }

    /// Whether a wait on this thread runs tasks: inside a task, or on the only thread of the
    /// pool, where nobody else would run them (the browser's main thread when the page gets
    /// no workers: rayon then runs on the current thread, and parking it would trap).
    pub(super) fn helps_here(&self) -> bool {
        in_task() || self.pool.is_sole_thread_here()
    }

    /// Runs one task for a waiter. Its newly ready dependents are queued, not run here: they
    /// may be what the waiter needs (its walk finds them by state) or not (a runner takes
    /// them).
    fn run_for_waiter(self: &Arc<Self>, task: Arc<Cell>) {
        if let Some(next) = self.run(task, &mut Stamp::new()) {
            self.queue.push_all([next]);
            self.wake_runners();
        }
    }
}

/// The walk down from an awaited task to the ready tasks it needs: depth-first, without
/// recursion, each task visited once per walk. It persists across the tasks the waiter runs,
/// so a nested graph of N tasks costs one walk, not one per task.
#[derive(Default)]
struct Needs {
    stack: Vec<Frame>,
    /// Tasks met in this walk, by address (the frames keep them alive).
    seen: HashSet<usize>,
    started: bool,
}

struct Frame {
    cell: Arc<Cell>,
    /// Its dependencies, read when it is first found waiting.
    deps: Option<SmallVec<[Arc<Cell>; 4]>>,
    next: usize,
}

impl Frame {
    fn new(cell: Arc<Cell>) -> Frame {
        Frame {
            cell,
            deps: None,
            next: 0,
        }
    }
}

impl Needs {
    fn restart(&mut self) {
        self.stack.clear();
        self.seen.clear();
        self.started = false;
    }

    /// The next ready task that `target` needs (possibly `target`), or `None` if none is
    /// ready: all it needs is running elsewhere or waits on something that is.
    fn next_ready(&mut self, target: &Arc<Cell>) -> Option<Arc<Cell>> {
        if !self.started {
            self.started = true;
            self.seen.insert(Arc::as_ptr(target) as usize);
            self.stack.push(Frame::new(target.clone()));
        }
        while let Some(top) = self.stack.last_mut() {
            match top.cell.state() {
                TaskState::Ready => {
                    // Run it and forget it: once run it is done.
                    return self.stack.pop().map(|f| f.cell);
                }
                TaskState::Waiting => {
                    let deps = top.deps.get_or_insert_with(|| {
                        top.cell
                            .lock()
                            .args
                            .iter()
                            .filter_map(|a| match a {
                                CellArg::Dep(d) => Some(d.clone()),
                                CellArg::Value(_) => None,
                            })
                            .collect()
                    });
                    let unseen = deps[top.next..].iter().position(|d| {
                        !d.is_done() && !self.seen.contains(&(Arc::as_ptr(d) as usize))
                    });
                    match unseen {
                        Some(i) => {
                            let dep = deps[top.next + i].clone();
                            top.next += i + 1;
                            self.seen.insert(Arc::as_ptr(&dep) as usize);
                            self.stack.push(Frame::new(dep));
                        }
                        // Every dependency is done, running elsewhere or already walked: it
                        // becomes ready (or not) without us. Seen again after a restart.
                        None => {
                            self.stack.pop();
                        }
                    }
                }
                // Running elsewhere, or finished.
                _ => {
                    self.stack.pop();
                }
            }
        }
        None
    }
}
