//! What the kernel shares with the tasks it starts: the client, the interrupt state, the
//! outbox, uploaded files, the cells' definitions, the coordination primitives' state
//! (`coordination.rs`), and the tables that map the keys the
//! Python objects hold (`Delayed._key`, `Future._key`) to the engine's handles. An entry
//! keeps its task's result alive; after each cell `release.rs` drops those the notebook no
//! longer reaches.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use rustc_hash::FxHashMap;
use skein_core::{AsCompleted, Client, Delayed, Future, TaskStreamRecording, Value};

use crate::capture::Definitions;
use crate::coordination::Coordination;
use crate::emit::Outbox;
use crate::interrupt::InterruptState;
use crate::plots::Figure;

/// The kernel's shared state.
pub(crate) struct Session {
    pub(crate) client: Client,
    pub(crate) interrupt: Arc<InterruptState>,
    pub(crate) outbox: Outbox,
    pub(crate) definitions: RwLock<Definitions>,
    tables: Mutex<Tables>,
    /// A task put entries in the tables since the last sweep (see `release.rs`).
    task_entries: AtomicBool,
    files: RwLock<HashMap<String, Arc<[u8]>>>,
    coordination: Mutex<Coordination>,
}

/// The engine handles behind the notebook's Python objects.
#[derive(Default)]
pub(crate) struct Tables {
    pub(crate) delayed: FxHashMap<String, Delayed<Value>>,
    pub(crate) futures: FxHashMap<String, Future<Value>>,
    /// `as_completed` iterators by id (`as_completed._id`); ids are never reused, so a
    /// released one cannot be mistaken for a newer one.
    pub(crate) iterators: HashMap<i64, AsCompleted<Value>>,
    pub(crate) next_iterator: i64,
    /// Open `get_task_stream` recordings by id, from the same count as the iterators.
    pub(crate) recordings: HashMap<i64, TaskStreamRecording>,
    pub(crate) figure: Figure,
}

impl Tables {
    /// Keeps a new `as_completed` of `futures` and returns its id.
    pub(crate) fn add_iterator(&mut self, futures: Vec<Future<Value>>) -> i64 {
        let id = self.next_iterator;
        self.next_iterator += 1;
        self.iterators.insert(id, skein_core::as_completed(futures));
        id
    }
}

/// Waiting stopped because the cell was interrupted.
#[derive(Debug)]
pub(crate) struct Interrupted;

impl Session {
    pub(crate) fn new(client: Client) -> Arc<Session> {
        Arc::new(Session {
            client,
            interrupt: Arc::new(InterruptState::default()),
            outbox: Outbox::default(),
            definitions: RwLock::new(Definitions::default()),
            tables: Mutex::new(Tables::default()),
            task_entries: AtomicBool::new(false),
            files: RwLock::new(HashMap::new()),
            coordination: Mutex::new(Coordination::default()),
        })
    }

    pub(crate) fn tables(&self) -> MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn coordination(&self) -> MutexGuard<'_, Coordination> {
        self.coordination.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes that a task put entries in the tables (a task that submits).
    pub(crate) fn note_task_entries(&self) {
        self.task_entries.store(true, Ordering::SeqCst);
    }

    /// Whether a task put entries in the tables since [`forget_task_entries`](Self::forget_task_entries).
    pub(crate) fn tasks_made_entries(&self) -> bool {
        self.task_entries.load(Ordering::SeqCst)
    }

    /// Called by a sweep that will look at every entry.
    pub(crate) fn forget_task_entries(&self) {
        self.task_entries.store(false, Ordering::SeqCst);
    }

    /// Forgets the notebook's objects (a restart); uploaded files stay.
    pub(crate) fn reset(&self) {
        *self.tables() = Tables::default();
        *self.coordination() = Coordination::default();
        self.definitions
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub(crate) fn set_file(&self, name: &str, bytes: Arc<[u8]>) {
        self.files
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_owned(), bytes);
    }

    /// Writes the file `path` (a cell's `open(path, 'w')`, `df.to_csv(path)`) and offers it for
    /// download.
    pub(crate) fn save_file(&self, path: &str, bytes: Vec<u8>) {
        // Monty's working directory is `/`, so `open('out.txt', 'w')` reaches here as
        // `/out.txt`: a file directly in it is offered by the name the cell wrote. A deeper
        // absolute path (`to_csv('/tmp/out.csv')`) stays as written.
        let name = path.trim_start_matches("./");
        let name = match name.strip_prefix('/') {
            Some(rest) if !rest.contains('/') => rest,
            _ => name,
        }
        .to_owned();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        self.set_file(&name, Arc::from(bytes));
        if !text.is_empty() {
            self.outbox.emit(crate::output::Output::File { name, text });
        }
    }

    /// The file `name` as text (invalid UTF-8 replaced), or a message naming the files there
    /// are: `open(name).read()` and `pd.read_csv(name)` alike.
    pub(crate) fn read_text(&self, name: &str) -> Result<String, String> {
        self.file(name)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The names of the files `pattern` matches, sorted. Names and pattern alike are taken
    /// without a leading `./` or `/` (Monty makes relative paths absolute).
    pub(crate) fn file_names_matching(&self, pattern: &str) -> Result<Vec<String>, String> {
        let pattern = glob::Pattern::new(bare_path(pattern))
            .map_err(|e| format!("bad file pattern {pattern:?}: {e}"))?;
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        let mut names: Vec<String> = files
            .keys()
            .map(|name| bare_path(name).to_owned())
            .filter(|name| pattern.matches(name))
            .collect();
        names.sort_unstable();
        names.dedup();
        Ok(names)
    }

    /// The file `name`, or a message naming the files there are.
    pub(crate) fn file(&self, name: &str) -> Result<Arc<[u8]>, String> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        let name = name.trim_start_matches("./");
        // Monty makes relative paths absolute (`/data/traffic.npy`); files are kept by the
        // names they were given, which may be either.
        let found = files.get(name).or_else(|| {
            files
                .iter()
                .find(|(known, _)| bare_path(known) == bare_path(name))
                .map(|(_, bytes)| bytes)
        });
        if let Some(bytes) = found {
            return Ok(bytes.clone());
        }
        // `data/traffic.npy` finds an upload named `traffic.npy`, as a notebook's relative
        // paths should.
        let base = name.rsplit('/').next().unwrap_or(name);
        files.get(base).cloned().ok_or_else(|| {
            let mut known: Vec<&str> = files.keys().map(String::as_str).collect();
            known.sort_unstable();
            format!(
                "[Errno 2] No such file or directory: '{name}' (files: {})",
                if known.is_empty() {
                    "none; upload one first".to_owned()
                } else {
                    known.join(", ")
                }
            )
        })
    }

    /// Whether the code running on this thread must stop.
    pub(crate) fn should_stop(&self) -> bool {
        self.interrupt.should_stop()
    }

    /// Blocks until every future is done, or the cell is interrupted (then cancels them).
    ///
    /// Inside a task (a user function that calls `.result()` or `.compute()`), the engine's
    /// wait runs what the awaited tasks need on this worker meanwhile, so one worker does not
    /// deadlock on a task waiting for another; the kernel thread parks instead, leaving the
    /// cores to the workers. Either way the interrupt is checked every few milliseconds.
    pub(crate) fn wait(&self, futures: &[Future<Value>]) -> Result<(), Interrupted> {
        let stop = || self.should_stop();
        // Last first: tasks finish about in the order they were submitted, so this parks
        // about once, where waiting in order parks, and is woken, once per task.
        if futures.iter().rev().any(|f| f.wait_or_stop(stop).is_err()) || stop() {
            futures.iter().for_each(Future::cancel);
            return Err(Interrupted);
        }
        Ok(())
    }

    /// The next finished future of `it`, waiting for one; `None` when it is empty.
    pub(crate) fn next_completed(
        &self,
        it: &AsCompleted<Value>,
    ) -> Result<Option<Future<Value>>, Interrupted> {
        it.next_or_stop(|| self.should_stop())
            .map_err(|_| Interrupted)
    }

    /// Tries `attempt` on the coordination primitives until it answers, `timeout` runs out
    /// (`Ok(None)`) or the cell is interrupted. It polls every millisecond, unlocked between
    /// tries: what it waits for is a person's `Queue.get()` or `Lock.acquire()`, and whoever
    /// answers it may be a task on any thread.
    pub(crate) fn wait_for<T>(
        &self,
        timeout: Option<Duration>,
        mut attempt: impl FnMut(&mut Coordination) -> Option<T>,
    ) -> Result<Option<T>, Interrupted> {
        let start = skein_core::clock::now_ms();
        loop {
            if let Some(answer) = attempt(&mut self.coordination()) {
                return Ok(Some(answer));
            }
            let waited =
                Duration::from_secs_f64((skein_core::clock::now_ms() - start).max(0.0) / 1e3);
            if timeout.is_some_and(|limit| waited >= limit) {
                return Ok(None);
            }
            self.sleep(Duration::from_millis(1))?;
        }
    }

    /// Sleeps `duration` on this thread, waking early for an interrupt.
    pub(crate) fn sleep(&self, duration: Duration) -> Result<(), Interrupted> {
        let start = skein_core::clock::now_ms();
        let total = duration.as_secs_f64() * 1e3;
        loop {
            if self.should_stop() {
                return Err(Interrupted);
            }
            let left = total - (skein_core::clock::now_ms() - start);
            if left <= 0.0 {
                return Ok(());
            }
            if self.client.may_block_here() {
                std::thread::sleep(Duration::from_secs_f64(left.min(10.0) / 1e3));
            } else {
                // The page's own thread, with no workers: the browser traps a blocking wait.
                std::hint::spin_loop();
            }
        }
    }
}

/// A file's name without the leading `./` or `/` a path may carry.
fn bare_path(name: &str) -> &str {
    name.trim_start_matches("./").trim_start_matches('/')
}

#[cfg(test)]
mod test {
    use std::sync::atomic::{AtomicBool, Ordering};

    use skein_core::Config;

    use super::*;
    use crate::interrupt::run_as;

    /// A future whose task runs until `gate` opens.
    fn held(client: &Client, gate: &Arc<AtomicBool>) -> Future<Value> {
        let gate = gate.clone();
        client
            .submit_impure(
                move |_: u8| {
                    while !gate.load(Ordering::SeqCst) {
                        std::thread::yield_now();
                    }
                    true
                },
                0_u8,
            )
            .into_dyn()
    }

    #[test]
    fn an_interrupt_stops_a_wait_on_the_kernel_thread_and_cancels_what_it_waited_for() {
        let client = Client::with_config(Config {
            threads: Some(1),
            ..Config::default()
        });
        let session = Session::new(client.clone());
        let gate = Arc::new(AtomicBool::new(false));
        let future = held(&client, &gate);
        let generation = session.interrupt.next_generation();
        let waited = std::thread::scope(|s| {
            s.spawn(|| session.interrupt.interrupt());
            run_as(generation, || session.wait(std::slice::from_ref(&future)))
        });
        assert!(waited.is_err());
        assert!(future.status() == skein_core::Status::Cancelled);
        gate.store(true, Ordering::SeqCst);
    }

    #[test]
    fn an_interrupt_stops_a_wait_inside_a_task() {
        let client = Client::with_config(Config {
            threads: Some(2),
            ..Config::default()
        });
        let session = Session::new(client.clone());
        let gate = Arc::new(AtomicBool::new(false));
        let awaited = held(&client, &gate);
        let generation = session.interrupt.next_generation();
        let in_task = session.clone();
        let waiter = client.submit_impure(
            move |_: u8| {
                run_as(generation, || {
                    in_task
                        .wait(std::slice::from_ref(&awaited))
                        .map_or("interrupted", |()| "finished")
                })
            },
            0_u8,
        );
        session.interrupt.interrupt();
        assert_eq!(waiter.result().unwrap(), "interrupted");
        gate.store(true, Ordering::SeqCst);
    }
}
