//! Submitting: a submission's tasks (in dependency order) become cells, each wired to its
//! dependencies as it is made, and the ready ones are queued.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use rustc_hash::FxBuildHasher;
use smallvec::SmallVec;

use super::cell::{Cell, CellArg, CellArgs};
use super::{Handle, Scheduler, Stamp, TaskState};
use crate::events::{Event, EventKind};
use crate::graph::TaskFn;
use crate::key::Key;
use crate::priority::Priority;
use crate::stats::{GroupCounters, Registry};
use crate::value::Value;

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

/// Where a task's priority number keeps its place in submission order (its generation's
/// number plus its place in its graph, see `generation.rs`): below the root-ish flag and the
/// user's priority, 2^46 tasks (at a million a second, two years of them).
const ORDER_BITS: u32 = 46;

/// Added to the priority of a root-ish task, so that every other ready task of the same user
/// priority runs first whatever its submission's age.
///
/// Dask's rule: a task with no dependencies in a function group with more than twice as many
/// tasks as there are threads is "root-ish", and waits in the scheduler's queue (oldest
/// submission first) while every other task goes to a worker at once. So a small computation
/// started while a large `persist` or `map` is running starts after the tasks already
/// running, not after the whole batch, and a batch's combining tasks run as their inputs
/// arrive. Root-ish tasks keep generation order among themselves, as do the others.
const ROOTISH: u64 = 1 << ORDER_BITS;

/// Where the user's priority goes, above all else: Dask's `priority=` is the first part of a
/// task's priority, so a higher one runs before every queued task of a lower one.
const USER_SHIFT: u32 = ORDER_BITS + 1;

/// The top bits of a submission's priority numbers for the user's `priority` (Dask's: higher
/// runs first, 0 by default), clamped to 16 bits.
fn user_rank(priority: i32) -> u64 {
    let clamped = priority.clamp(i32::from(i16::MIN) + 1, i32::from(i16::MAX));
    // In 0..=65534, falling as the priority rises: the lowest number runs first.
    ((i32::from(i16::MAX) - clamped) as u64) << USER_SHIFT
}

/// How many tasks of each function group one submission brings. Dask counts a group's tasks
/// in the graph being submitted as well as those already there, so the first batches of a
/// large `persist` are as root-ish as its last.
#[derive(Default)]
pub(crate) struct GroupSizes<'k> {
    /// Empty for a submission of one task.
    sizes: HashMap<&'k str, u64, FxBuildHasher>,
}

impl<'k> GroupSizes<'k> {
    /// The sizes of the groups of `keys`, the keys of a submission's tasks.
    pub(crate) fn of(keys: impl Iterator<Item = &'k Key>) -> GroupSizes<'k> {
        let mut sizes = HashMap::default();
        for key in keys {
            *sizes.entry(key.group()).or_insert(0) += 1;
        }
        GroupSizes { sizes }
    }

    fn get(&self, group: &str) -> u64 {
        self.sizes.get(group).copied().unwrap_or(1)
    }
}

/// A function group as one submission sees it.
struct SeenGroup {
    counters: Arc<GroupCounters>,
    /// Its tasks without dependencies are root-ish: the group's unfinished tasks before the
    /// submission, plus the submission's own, are more than twice the workers.
    rootish: bool,
}

/// The function groups of one submission, most recent last: a graph has few distinct function
/// names (a `sum` alternates two), and a registry lookup loads the published map and hashes
/// the name.
#[derive(Default)]
struct GroupCache {
    recent: SmallVec<[SeenGroup; 4]>,
}

impl GroupCache {
    fn get(
        &mut self,
        registry: &Registry,
        name: &str,
        sizes: &GroupSizes<'_>,
        workers: usize,
    ) -> &SeenGroup {
        let found = self.recent.iter().rposition(|g| g.counters.name() == name);
        let at = match found {
            Some(at) => at,
            None => {
                if self.recent.len() == self.recent.inline_size() {
                    self.recent.remove(0);
                }
                let counters = registry.group(name);
                // Read before any of the submission's tasks is counted in, and again when the
                // group comes back after being evicted: then its count includes some of the
                // submission twice, which only errs towards root-ish in a graph that large.
                let rootish = counters.unfinished() + sizes.get(name) > 2 * workers as u64;
                self.recent.push(SeenGroup { counters, rootish });
                self.recent.len() - 1
            }
        };
        &self.recent[at]
    }
}

impl SeenGroup {
    /// The priority of the group's next task, `order` being its place in generation order
    /// and `user` the submission's [`user_rank`].
    fn priority(&self, user: u64, order: u64, args: &NewArgs) -> u64 {
        let is_root = args.iter().all(|a| matches!(a, NewArg::Value(_)));
        let order = order & (ROOTISH - 1);
        if self.rootish && is_root {
            user | ROOTISH | order
        } else {
            user | order
        }
    }
}

impl Scheduler {
    /// Adds `tasks` (in dependency order), reusing live tasks with the same keys, and returns
    /// handles to `targets` (indices into `tasks`). `sizes` counts `tasks` by function group;
    /// `priority` is Dask's `priority=` and `fifo_timeout=` ([`Priority`]).
    ///
    /// One pass: a task's local dependencies come before it, so each new task is created and
    /// wired to its dependencies at once (and its `Waiting` and `Ready` events share a time).
    pub(crate) fn submit<I>(
        self: &Arc<Self>,
        tasks: I,
        targets: &[usize],
        sizes: &GroupSizes<'_>,
        priority: Priority,
    ) -> SmallVec<[Handle; 1]>
    where
        I: IntoIterator<Item = NewTask>,
        I::IntoIter: ExactSizeIterator,
    {
        let tasks = tasks.into_iter();
        self.tasks.reserve(tasks.len());
        let base = self.generations.claim(tasks.len(), priority.fifo_timeout);
        let mut cells: SmallVec<[Arc<Cell>; 1]> = SmallVec::with_capacity(tasks.len());
        let mut ready: SmallVec<[Arc<Cell>; 1]> = SmallVec::new();
        let mut keep: Vec<Handle> = Vec::new();
        let mut groups = GroupCache::default();
        let mut at = Stamp::new();
        let workers = self.workers();
        let user = user_rank(priority.user);
        for (i, NewTask { key, func, args }) in tasks.enumerate() {
            let seen = groups.get(&self.groups, key.group(), sizes, workers);
            let priority = seen.priority(user, base + i as u64, &args);
            let group = seen.counters.clone();
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
}
