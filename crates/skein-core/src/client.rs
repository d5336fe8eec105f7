//! `Client`: the one API over the scheduler — submit work, get futures, gather results, watch
//! workers, counters and events.
//!
//! `submit` is pure by default, as in Dask: the same function with the same arguments gives the
//! same key, and a key already known is not computed again. `submit_impure` gives a fresh key
//! (as does a closure that captures values: see `key.rs` for the rule).
//!
//! ```
//! use skein_core::Client;
//! fn add2(x: i64) -> i64 { 2 + x }
//! fn make_list(n: i64) -> Vec<Option<i64>> { vec![None; 2 * n as usize] }
//! let client = Client::new();
//! let r1 = client.submit(add2, 1);
//! let r2 = client.submit(make_list, &r1); // waits for r1 on a worker, not here
//! assert_eq!(r2.result().unwrap().len(), 6);
//! assert_eq!(client.submit(add2, 1).key(), r1.key()); // pure: same key, computed once
//! ```

use std::sync::Arc;

use arc_swap::ArcSwapOption;

use crate::error::Error;
use crate::events::EventLog;
use crate::function::{self, Function, FunctionId};
use crate::future::Future;
use crate::graph::TaskFn;
use crate::input::{Input, Inputs};
use crate::key::{Key, Purity, Tokenize};
use crate::node::Delayed;
use crate::priority::Priority;
use crate::scheduler::{Pool, Scheduler};
use crate::stats::GroupStats;
use crate::submission;
use crate::task_stream::TaskStreamRecording;
use crate::value::{FromValue, Value};

/// How to build a [`Client`].
#[derive(Clone, Debug)]
pub struct Config {
    /// Workers running at first (default: every thread of the pool). More can be added with
    /// [`Client::add_workers`], up to the pool's threads.
    pub workers: Option<usize>,
    /// Natively, run on a pool of this many threads owned by the client instead of rayon's
    /// global pool. Ignored on wasm, where only wasm-bindgen-rayon's global pool exists.
    pub threads: Option<usize>,
    /// Events buffered for the UI; 0 turns events off. A full buffer drops new events until
    /// someone reads it and the oldest after (see [`EventLog`]).
    pub event_capacity: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            workers: None,
            threads: None,
            event_capacity: 1 << 16,
        }
    }
}

/// A handle to a scheduler; clones share it.
#[derive(Clone)]
pub struct Client {
    sched: Arc<Scheduler>,
}

static DEFAULT: ArcSwapOption<Scheduler> = ArcSwapOption::const_empty();

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<Client: {} workers>", self.workers())
    }
}

impl Client {
    /// A client on rayon's global pool, with every thread as a worker.
    pub fn new() -> Client {
        Client::with_config(Config::default())
    }

    /// A client built from `config`.
    pub fn with_config(config: Config) -> Client {
        let pool = pool_for(&config);
        let workers = config.workers.unwrap_or(usize::MAX);
        Client {
            sched: Scheduler::new(pool, workers, config.event_capacity),
        }
    }

    /// The default client, used by [`Delayed::compute`] and [`Delayed::persist`]: the last one
    /// made default with [`set_as_default`](Client::set_as_default), else a new one on the
    /// global pool (then kept as the default).
    pub fn current() -> Client {
        if let Some(sched) = DEFAULT.load_full() {
            return Client { sched };
        }
        let client = Client::new();
        DEFAULT.compare_and_swap(&None::<Arc<Scheduler>>, Some(client.sched.clone()));
        Client {
            sched: DEFAULT.load_full().unwrap_or(client.sched),
        }
    }

    /// Makes this the default client.
    pub fn set_as_default(&self) {
        DEFAULT.store(Some(self.sched.clone()));
    }

    // ---- workers ----------------------------------------------------------------------

    /// Inside a task, the worker (`0..workers`) running it, as [`Future::worker`] reports
    /// it; `None` outside tasks (Dask's `get_worker()` then raises).
    ///
    /// ```
    /// let client = skein_core::Client::new();
    /// assert_eq!(skein_core::Client::current_worker(), None);
    /// let inside = client.submit(|_: u64| skein_core::Client::current_worker().map(|w| w as u64), 0);
    /// let ran_on = inside.result().unwrap();
    /// assert_eq!(ran_on, inside.worker().map(|w| w as u64));
    /// assert!(ran_on.is_some());
    /// ```
    pub fn current_worker() -> Option<usize> {
        Scheduler::current_worker()
    }

    /// Workers that may run tasks at once.
    pub fn workers(&self) -> usize {
        self.sched.workers()
    }

    /// The most workers this client can have (the pool's threads).
    pub fn max_workers(&self) -> usize {
        self.sched.max_workers()
    }

    /// Whether the calling thread may block (sleep or park). Not on the page's own thread
    /// when the browser gives no workers: rayon's pool is then that one thread, and the
    /// browser traps a blocking wait there. Waits on futures already run tasks instead of
    /// blocking there; code that sleeps must spin.
    pub fn may_block_here(&self) -> bool {
        !(cfg!(target_family = "wasm") && self.sched.is_sole_thread_here())
    }

    /// Adds `n` workers (up to [`max_workers`](Client::max_workers)); queued work starts on
    /// them at once. Returns the new number of workers.
    pub fn add_workers(&self, n: usize) -> usize {
        self.sched.add_workers(n)
    }

    // ---- observing --------------------------------------------------------------------

    /// The event stream (drain it from the UI; never blocks).
    pub fn events(&self) -> &EventLog {
        &self.sched.events
    }

    /// Starts recording the task stream: the recording sees every task that finishes until
    /// it is dropped (Dask's `get_task_stream`; see [`task_stream`](crate::task_stream)).
    pub fn record_task_stream(&self) -> TaskStreamRecording {
        TaskStreamRecording::start(&self.sched.task_stream)
    }

    /// Counters per function group, sorted by name. Never blocks.
    pub fn groups(&self) -> Vec<GroupStats> {
        self.sched.group_stats()
    }

    /// The counters of one function group.
    pub fn group(&self, name: &str) -> Option<GroupStats> {
        self.groups().into_iter().find(|g| &*g.name == name)
    }

    /// Tasks the scheduler holds (not yet released). Takes short locks: not for the UI thread.
    pub fn live_tasks(&self) -> usize {
        self.sched.live_tasks()
    }

    /// A future for the live task `key`, if there is one.
    pub fn future_of(&self, key: &Key) -> Option<Future<Value>> {
        self.sched.lookup(key).map(Future::from_handle)
    }

    // ---- submitting -------------------------------------------------------------------

    /// Runs `f(args)` on a worker and returns its future at once. Pure: equal calls share a
    /// key and run once. `args` is one argument, or a tuple for several; futures among them are
    /// waited for on the workers.
    pub fn submit<F, M, A>(&self, f: F, args: A) -> Future<F::Output>
    where
        F: Function<M>,
        A: Inputs<M> + Tokenize,
    {
        let key = FunctionId::of::<F>().key(Purity::Pure, |h| args.tokenize(h));
        self.submit_inputs(key, f.into_task_fn(), args.into_inputs())
            .downcast()
    }

    /// Like [`submit`](Client::submit) with `pure=False`: a fresh key, so it always runs.
    pub fn submit_impure<F, M, A>(&self, f: F, args: A) -> Future<F::Output>
    where
        F: Function<M>,
        A: Inputs<M>,
    {
        let key = Key::impure(function::name_of::<F>());
        self.submit_inputs(key, f.into_task_fn(), args.into_inputs())
            .downcast()
    }

    /// Submits `f` once per item (pure keys).
    pub fn map<F, M, A, I>(&self, f: F, items: I) -> Vec<Future<F::Output>>
    where
        F: Function<M>,
        A: Inputs<M> + Tokenize,
        I: IntoIterator<Item = A>,
    {
        let id = FunctionId::of::<F>();
        let func = f.into_task_fn();
        items
            .into_iter()
            .map(|args| {
                let key = id.key(Purity::Pure, |h| args.tokenize(h));
                self.submit_inputs(key, func.clone(), args.into_inputs())
                    .downcast()
            })
            .collect()
    }

    /// Submits `f` once per item with fresh keys (`pure=False`).
    pub fn map_impure<F, M, A, I>(&self, f: F, items: I) -> Vec<Future<F::Output>>
    where
        F: Function<M>,
        A: Inputs<M>,
        I: IntoIterator<Item = A>,
    {
        let name = function::name_of::<F>();
        let func = f.into_task_fn();
        items
            .into_iter()
            .map(|args| {
                let key = Key::impure(name);
                self.submit_inputs(key, func.clone(), args.into_inputs())
                    .downcast()
            })
            .collect()
    }

    /// Submits `func` applied to `args` as the task `key` (if `key` is already live, its
    /// future is returned and nothing new runs): a one-task graph, computed as any other.
    fn submit_inputs(&self, key: Key, func: TaskFn, args: Vec<Input>) -> Future<Value> {
        let task = Delayed::from_task(key.clone(), func, args);
        match self.compute(&task) {
            Ok(future) => future,
            // A cycle (a key reused below itself): the future fails with the cycle's report.
            Err(e) => {
                let message = e.to_string();
                let failing: TaskFn = Arc::new(move |_: &[Value]| Err(message.as_str().into()));
                self.submit_inputs(Key::impure(key.group()), failing, Vec::new())
            }
        }
    }

    /// Starts computing `value` and returns its future (Dask's `client.compute`).
    pub fn compute<T>(&self, value: &Delayed<T>) -> Result<Future<T>, Error> {
        self.compute_with_priority(value, 0)
    }

    /// [`compute`](Client::compute) at a [`Priority`]: Dask's `priority=` (a plain `i32`)
    /// and `fifo_timeout=`.
    pub fn compute_with_priority<T>(
        &self,
        value: &Delayed<T>,
        priority: impl Into<Priority>,
    ) -> Result<Future<T>, Error> {
        let mut handles = submission::submit(&self.sched, &[value.node()], priority.into())?;
        // Invariant: `submit` returns one handle per root (a persisted root's own, a task
        // root's from the scheduler, which returns one per target), and there is one root.
        #[allow(clippy::expect_used)]
        let handle = handles.pop().expect("one root gives one handle");
        Ok(Future::from_handle(handle))
    }

    /// Starts computing several values together (shared tasks run once).
    pub fn compute_many<T>(&self, values: &[Delayed<T>]) -> Result<Vec<Future<T>>, Error> {
        self.compute_many_with_priority(values, 0)
    }

    /// [`compute_many`](Client::compute_many) at a priority, as
    /// [`compute_with_priority`](Client::compute_with_priority).
    pub fn compute_many_with_priority<T>(
        &self,
        values: &[Delayed<T>],
        priority: impl Into<Priority>,
    ) -> Result<Vec<Future<T>>, Error> {
        let roots: Vec<_> = values.iter().map(Delayed::node).collect();
        Ok(submission::submit(&self.sched, &roots, priority.into())?
            .into_iter()
            .map(Future::from_handle)
            .collect())
    }

    // ---- collecting -------------------------------------------------------------------

    /// Waits for every future; returns all results, or the first error in list order.
    pub fn gather<T: FromValue>(&self, futures: &[Future<T>]) -> Result<Vec<T>, Error> {
        futures.iter().map(Future::result).collect()
    }

    /// Blocks until every future is done.
    pub fn wait<T>(&self, futures: &[Future<T>]) {
        // Last first: tasks finish about in the order they were submitted, so this parks
        // about once, where waiting in order parks, and is woken, once per task.
        futures.iter().rev().for_each(Future::wait);
    }

    /// Cancels a future (see [`Future::cancel`]).
    pub fn cancel<T>(&self, future: &Future<T>) {
        future.cancel();
    }
}

#[cfg(not(target_family = "wasm"))]
fn pool_for(config: &Config) -> Pool {
    match config.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .thread_name(|i| format!("skein-worker-{i}"))
            .build()
            .map_or(Pool::Global, Pool::Owned),
        None => Pool::Global,
    }
}

#[cfg(target_family = "wasm")]
fn pool_for(_: &Config) -> Pool {
    Pool::Global
}
