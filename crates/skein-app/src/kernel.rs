//! The kernel thread: runs notebook cells (and the π speed check) so the main thread never
//! waits on compute.
//!
//! With a worker pool, the kernel occupies one extra pool thread and may block freely there.
//! Without one, requests run on the main thread itself: with a single thread nothing can
//! contend, so nothing waits.
//!
//! The page talks to the kernel through two [`Mailbox`]es. What must reach the kernel while a
//! cell runs — an interrupt — bypasses the queue through the [`InterruptHandle`], an atomic.

use std::sync::Arc;

use skein_core::{Client, Config};
use skein_kernel::{CellOutcome, Completion, InterruptHandle, KernelConfig, Output};
use skein_labs::drivers::speed_check::{self, SpeedReport};

use crate::frames;
use crate::mailbox::Mailbox;
use crate::threads::Threads;

/// Identifies a notebook cell across requests and responses.
pub type CellId = u64;

/// Work the page asks the kernel to do, in order.
#[derive(Clone, Debug)]
pub enum Request {
    /// Runs cells in order, all sent at once so a "run all" does not wait on the page between
    /// cells. `queued_at` is the interrupt count when they were queued: an interrupt since,
    /// or a failing cell, turns away the ones not yet started.
    RunCells {
        cells: Vec<(CellId, String)>,
        queued_at: u64,
    },
    Restart,
    /// Makes an uploaded file available to scripts under `name`.
    AddFile {
        name: String,
        bytes: Arc<[u8]>,
    },
    EstimatePi {
        batches: u32,
        per_batch: u64,
    },
    /// Completes the name that ends at byte `cursor` of `code`; the answer goes to `reply`,
    /// not to the responses, so only the editor that asked waits for it.
    Complete {
        code: String,
        cursor: usize,
        reply: Arc<Mailbox<Completion>>,
    },
}

/// What the kernel sends back, as it happens.
#[derive(Clone, Debug)]
pub enum Response {
    CellStarted { cell: CellId, count: u64 },
    CellOutput { cell: CellId, output: Output },
    CellFinished { cell: CellId, ok: bool },
    Restarted,
    Pi(SpeedReport),
}

/// The page's end of the kernel.
#[derive(Clone)]
pub struct Kernel {
    requests: Arc<Mailbox<Request>>,
    responses: Arc<Mailbox<Response>>,
    interrupt: InterruptHandle,
    client: Client,
    threads: Threads,
}

impl Kernel {
    /// Starts the kernel with a client of `threads.workers()` task workers.
    pub fn start(threads: Threads) -> Self {
        // Task-stream times come from the engine's clock; every thread shares this source.
        skein_core::clock::set_source(now_ms);
        let client = Client::with_config(Config {
            workers: Some(threads.workers()),
            // Room for the burst of a 100,000-task submission (two events a task before any
            // runs) between two frames, so the dashboard sees the whole graph: ~20 MB.
            event_capacity: 1 << 18,
            ..Config::default()
        });
        let mut script = skein_kernel::Kernel::with_config(KernelConfig {
            client: Some(client.clone()),
        });
        for (name, bytes) in crate::examples::DATA {
            script.set_file(name, *bytes);
        }
        let kernel = Self {
            requests: Mailbox::new(),
            responses: Mailbox::new(),
            interrupt: script.interrupt_handle(),
            client,
            threads,
        };
        let mut worker = KernelThread {
            script,
            responses: kernel.responses.clone(),
            workers: kernel.threads.workers(),
        };
        match kernel.threads {
            Threads::Pool { .. } => {
                let requests = kernel.requests.clone();
                // The main thread may not wait, so the starter spawns the kernel's loop; every
                // later rayon call comes from the kernel thread.
                crate::starter::spawn(move || {
                    loop {
                        worker.handle(requests.take());
                    }
                });
            }
            Threads::Single { .. } => {
                let requests = kernel.requests.clone();
                // One thread: run each request as soon as the page's current event is over.
                leptos::task::spawn_local(async move {
                    loop {
                        match requests.try_take() {
                            Some(request) => worker.handle(request),
                            None => frames::sleep_ms(10).await,
                        }
                    }
                });
            }
        }
        kernel
    }

    pub fn threads(&self) -> &Threads {
        &self.threads
    }

    /// The client whose events and counters the dashboard reads (never blocking).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Sends a request without waiting for it to run.
    pub fn send(&self, request: Request) {
        // Cells stream their answers: look for them every frame again. The π check answers
        // once, within the idle poll, and must not share the cores it measures with frames.
        let streams = matches!(request, Request::RunCells { .. } | Request::Restart);
        self.requests.post(request);
        if streams {
            frames::wake_all();
        }
    }

    /// The completions of the name ending at byte `cursor` of `code`. The main thread polls
    /// for the answer between frames; the kernel answers between cells, so while a cell runs
    /// the answer waits for its end.
    pub async fn complete(&self, code: String, cursor: usize) -> Completion {
        let reply = Mailbox::new();
        self.requests.post(Request::Complete {
            code,
            cursor,
            reply: reply.clone(),
        });
        loop {
            if let Some(completion) = reply.try_take() {
                return completion;
            }
            frames::sleep_ms(10).await;
        }
    }

    /// Stops the running cell and turns away the queued ones (atomics only; safe on the main
    /// thread).
    pub fn interrupt(&self) {
        self.interrupt.interrupt();
    }

    /// The interrupt count, for [`Request::RunCells`].
    pub fn interrupts(&self) -> u64 {
        self.interrupt.interrupts()
    }

    /// The next response, if any; never blocks.
    pub fn poll(&self) -> Option<Response> {
        self.responses.try_take()
    }
}

/// The kernel's own state, owned by the thread that runs requests.
struct KernelThread {
    script: skein_kernel::Kernel,
    responses: Arc<Mailbox<Response>>,
    workers: usize,
}

impl KernelThread {
    fn handle(&mut self, request: Request) {
        let responses = &self.responses;
        match request {
            Request::RunCells { cells, queued_at } => {
                for (cell, source) in cells {
                    // Turned away: the page already shows it as not run.
                    let Some(admitted) = self.script.admit(queued_at) else {
                        break;
                    };
                    let count = self.script.execution_count() + 1;
                    responses.post(Response::CellStarted { cell, count });
                    let outcome = self.script.run_admitted(admitted, &source, &mut |output| {
                        responses.post(Response::CellOutput { cell, output });
                    });
                    let ok = matches!(outcome, CellOutcome::Ok { .. });
                    responses.post(Response::CellFinished { cell, ok });
                }
            }
            Request::Restart => {
                self.script.restart();
                responses.post(Response::Restarted);
            }
            Request::AddFile { name, bytes } => self.script.set_file(&name, bytes),
            Request::EstimatePi { batches, per_batch } => {
                let report = speed_check::run(self.workers, batches, per_batch);
                responses.post(Response::Pi(report));
            }
            Request::Complete {
                code,
                cursor,
                reply,
            } => reply.post(self.script.complete(&code, cursor)),
        }
    }
}

thread_local! {
    /// This thread's `performance` and its time origin, found once: finding them is four
    /// calls out to JS, and every task's start and end reads the clock.
    static PERFORMANCE: Option<(web_sys::Performance, f64)> = performance_here();
}

/// Milliseconds since the Unix epoch, from `performance`: consistent across the page and its
/// workers (each has its own `performance.now()` origin, so the origin is added back).
pub fn now_ms() -> f64 {
    PERFORMANCE.with(|found| {
        found
            .as_ref()
            .map_or(0.0, |(performance, origin)| origin + performance.now())
    })
}

fn performance_here() -> Option<(web_sys::Performance, f64)> {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    let performance = if let Some(scope) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        scope.performance()
    } else if let Some(window) = global.dyn_ref::<web_sys::Window>() {
        window.performance()
    } else {
        None
    };
    performance.map(|p| {
        let origin = p.time_origin();
        (p, origin)
    })
}
