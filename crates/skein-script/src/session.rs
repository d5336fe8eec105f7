//! What the registered script functions share with their kernel: the engine's client, the
//! interrupt state, the outbox for outputs, the uploaded files, and the engine itself (for
//! tasks that run script functions on workers).

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock, Weak};
use std::task::{Context, Wake, Waker};
use std::thread::Thread;
use std::time::Duration;

use rhai::{Engine, EvalAltResult};
use skein_core::{AsCompleted, Client, Future, Value};

use crate::emit::Outbox;
use crate::interrupt::{self, InterruptState};

/// How often a blocked script looks for an interrupt.
const POLL: Duration = Duration::from_millis(2);

/// A kernel's shared state (one per kernel; registered functions hold an `Arc` of it).
pub(crate) struct Session {
    /// The engine's client: every graph of this kernel runs here.
    pub(crate) client: Client,
    /// Generations and interrupts.
    pub(crate) interrupt: Arc<InterruptState>,
    /// Outputs made off the kernel thread.
    pub(crate) outbox: Outbox,
    /// The script engine, for tasks (weak: the engine owns the functions that own this).
    engine: OnceLock<Weak<Engine>>,
    /// Files the app passed in, by name.
    files: RwLock<HashMap<String, Arc<[u8]>>>,
}

impl Session {
    pub(crate) fn new(client: Client) -> Arc<Session> {
        Arc::new(Session {
            client,
            interrupt: Arc::new(InterruptState::default()),
            outbox: Outbox::default(),
            engine: OnceLock::new(),
            files: RwLock::new(HashMap::new()),
        })
    }

    /// Makes `engine` the one tasks run script functions on (once, when the kernel is built).
    pub(crate) fn set_engine(&self, engine: &Arc<Engine>) {
        let _ = self.engine.set(Arc::downgrade(engine));
    }

    /// The script engine, unless the kernel is gone.
    pub(crate) fn engine(&self) -> Option<Arc<Engine>> {
        self.engine.get().and_then(Weak::upgrade)
    }

    /// Stores a file for `read_text`, `load_npy` and `load_csv`.
    pub(crate) fn set_file(&self, name: &str, bytes: Arc<[u8]>) {
        self.files
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_owned(), bytes);
    }

    /// The file called `name`.
    pub(crate) fn file(&self, name: &str) -> Result<Arc<[u8]>, Box<EvalAltResult>> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.get(name).cloned().ok_or_else(|| {
            let mut known: Vec<&str> = files.keys().map(String::as_str).collect();
            known.sort_unstable();
            crate::errors::runtime(format!(
                "no file named `{name}`; upload it first (files: {})",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    /// The file called `name` as UTF-8 text.
    pub(crate) fn text(&self, name: &str) -> Result<String, Box<EvalAltResult>> {
        String::from_utf8(self.file(name)?.to_vec())
            .map_err(|_| crate::errors::runtime(format!("`{name}` is not UTF-8 text")))
    }

    /// The names of the files, sorted.
    pub(crate) fn file_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .files
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect();
        names.sort_unstable();
        names
    }

    /// Fails if the running script was interrupted.
    pub(crate) fn check(&self) -> Result<(), Box<EvalAltResult>> {
        if self.interrupt.should_stop() {
            Err(interrupt::interrupted())
        } else {
            Ok(())
        }
    }

    /// Blocks until every future is done; on interrupt, cancels them and fails.
    pub(crate) fn wait(&self, futures: &[Future<Value>]) -> Result<(), Box<EvalAltResult>> {
        let wake = Arc::new(Unpark::current());
        let waker = Waker::from(wake.clone());
        for future in futures {
            // Polling registers the waker once; afterwards it only needs re-checking.
            let mut registered = false;
            while !future.done() {
                if self.interrupt.should_stop() {
                    futures.iter().for_each(Future::cancel);
                    return Err(interrupt::interrupted());
                }
                if !registered {
                    registered = true;
                    let mut f = future.clone();
                    if Pin::new(&mut f)
                        .poll(&mut Context::from_waker(&waker))
                        .is_ready()
                    {
                        break;
                    }
                }
                wake.park();
            }
        }
        // Tasks of an interrupted cell end as failures; report the interrupt, not those.
        self.check()
    }

    /// The next future of `it` to finish, `None` when none are left; fails on interrupt.
    pub(crate) fn next_completed(
        &self,
        it: &AsCompleted<Value>,
    ) -> Result<Option<Future<Value>>, Box<EvalAltResult>> {
        loop {
            if let Some(f) = it.try_next() {
                return Ok(Some(f));
            }
            if it.is_empty() {
                return Ok(None);
            }
            self.check()?;
            std::thread::park_timeout(POLL);
        }
    }
}

/// A waker that unparks the waiting thread; parking gives up after [`POLL`] so interrupts are
/// seen.
struct Unpark {
    thread: Thread,
    woken: AtomicBool,
}

impl Unpark {
    fn current() -> Unpark {
        Unpark {
            thread: std::thread::current(),
            woken: AtomicBool::new(false),
        }
    }

    fn park(&self) {
        if !self.woken.swap(false, Ordering::AcqRel) {
            std::thread::park_timeout(POLL);
        }
    }
}

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.thread.unpark();
    }
}
