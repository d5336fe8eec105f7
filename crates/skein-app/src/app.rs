//! The page: thread status and the Monte Carlo π comparison.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::kernel::{Kernel, Request, Response};
use crate::pi::PiReport;
use crate::threads::{self, Environment, Threads};

/// Ten million samples, as in the seed: 100 batches of 100,000.
const PI_BATCHES: u32 = 100;
const PI_PER_BATCH: u64 = 100_000;

/// How often the page looks for kernel output; the kernel never waits on the page.
const POLL_INTERVAL: Duration = Duration::from_millis(16);

#[component]
pub fn App() -> impl IntoView {
    let env = Environment::detect();
    let isolated = env.cross_origin_isolated;
    let kernel = RwSignal::new(None::<Kernel>);
    let pi = RwSignal::new(None::<PiReport>);
    let running = RwSignal::new(false);

    spawn_local(async move {
        let threads = threads::start(&env).await;
        let started = Kernel::start(threads);
        let polled = started.clone();
        kernel.set(Some(started));
        set_interval(
            move || {
                while let Some(response) = polled.poll() {
                    match response {
                        Response::Pi(report) => {
                            pi.set(Some(report));
                            running.set(false);
                        }
                    }
                }
            },
            POLL_INTERVAL,
        );
    });

    let estimate_pi = move |_| {
        if let Some(kernel) = kernel.get_untracked() {
            running.set(true);
            kernel.send(Request::EstimatePi {
                batches: PI_BATCHES,
                per_batch: PI_PER_BATCH,
            });
        }
    };

    view! {
        <main class="skein">
            <header>
                <h1>"Skein"</h1>
                <p class="tagline">"Task-parallel computing in your browser"</p>
            </header>
            <ThreadStatus threads=Signal::derive(move || kernel.get().map(|k| k.threads().clone())) isolated />
            <section class="pi-demo">
                <h2>"Monte Carlo π"</h2>
                <p>
                    "Estimates π from 10 million random points in the unit square, in "
                    {PI_BATCHES} " batches spread over the workers, then times the same work on one thread."
                </p>
                <button
                    data-testid="run-pi"
                    on:click=estimate_pi
                    disabled=move || kernel.with(Option::is_none) || running.get()
                >
                    {move || if running.get() { "Running…" } else { "Monte Carlo π" }}
                </button>
                {move || pi.get().map(|report| view! { <PiResult report /> })}
            </section>
        </main>
    }
}

/// The worker count, or a banner explaining why the page runs on one thread.
#[component]
fn ThreadStatus(
    /// How the thread pool came up; `None` while it is starting.
    threads: Signal<Option<Threads>>,
    /// Whether the page is cross-origin isolated.
    isolated: bool,
) -> impl IntoView {
    view! {
        <section class="threads">
            <span data-testid="isolated" data-value=isolated.to_string()>
                {if isolated { "cross-origin isolated" } else { "not cross-origin isolated" }}
            </span>
            {move || match threads.get() {
                None => view! { <span data-testid="workers">"starting workers…"</span> }.into_any(),
                Some(Threads::Pool { workers }) => view! {
                    <span data-testid="workers" data-value=workers.to_string()>
                        {workers} " workers running"
                    </span>
                }.into_any(),
                Some(Threads::Single { reason }) => view! {
                    <span data-testid="workers" data-value="1">"1 thread"</span>
                    <p class="banner" data-testid="single-thread-banner">
                        "Running on one thread: " {reason} "."
                    </p>
                }.into_any(),
            }}
        </section>
    }
}

/// One π comparison: estimate, both timings and the speed-up.
#[component]
fn PiResult(
    /// The finished comparison.
    report: PiReport,
) -> impl IntoView {
    view! {
        <dl class="pi-result">
            <dt>"π ≈"</dt>
            <dd data-testid="pi-estimate">{format!("{:.5}", report.estimate)}</dd>
            <dt>"on the workers"</dt>
            <dd data-testid="pi-parallel-ms">{format!("{:.0} ms", report.parallel_ms)}</dd>
            <dt>"on one thread"</dt>
            <dd data-testid="pi-single-ms">{format!("{:.0} ms", report.single_ms)}</dd>
            <dt>"speed-up"</dt>
            <dd data-testid="pi-speedup">{format!("{:.2}×", report.speedup())}</dd>
            <dt>"threads used"</dt>
            <dd data-testid="pi-threads">{report.threads_used}</dd>
        </dl>
    }
}
