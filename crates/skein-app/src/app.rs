//! The page: a notebook beside the live dashboard, with the toolbar that drives the kernel.

use leptos::prelude::*;
use leptos::task::spawn_local;
use skein_kernel::{CellKind, Notebook, Output};
use skein_labs::drivers::speed_check::SpeedReport;

use crate::dashboard::Dashboard;
use crate::editor::{Editor, RunKey};
use crate::examples;
use crate::frames::{self, Tick};
use crate::kernel::{CellId, Kernel, Request, Response};
use crate::markdown;
use crate::notebook::{CellModel, NotebookModel, RunState};
use crate::outputs::OutputView;
use crate::share;
use crate::share_panel::{LinkBanner, SharePanel, Shared};
use crate::storage::{self, Slot};
use crate::threads::{self, Environment, Threads};

/// A hundred million samples, 100 batches of a million: ten times the seed's ten million,
/// because in release wasm those take about 20 ms, too little to tell a speed-up from the
/// wake-up of sleeping workers and the noise of a busy machine.
const PI_BATCHES: u32 = 100;
const PI_PER_BATCH: u64 = 1_000_000;

/// Cells asked to run and not finished yet. All of a "run all" go to the kernel at once; the
/// kernel turns away queued cells after an interrupt or a failure, and the page mirrors that
/// by the same rule: a cell queued before the latest interrupt count will not run.
#[derive(Default)]
struct RunQueue {
    /// Asked to run before the kernel was up.
    unsent: Vec<CellId>,
    /// Sent, not finished, with the interrupt count they were queued at.
    sent: Vec<(CellId, u64)>,
}

/// Everything the page's controls act on.
#[derive(Clone, Copy)]
struct Page {
    kernel: RwSignal<Option<Kernel>>,
    notebook: NotebookModel,
    queue: StoredValue<RunQueue>,
    /// Where edits are autosaved: the user's own notebook, or one opened from a link.
    slot: RwSignal<Slot>,
    /// The last share link made, or why a link could not be made or read.
    shared: RwSignal<Option<Shared>>,
}

impl Page {
    /// Queues `cells` to run in order.
    fn run(&self, cells: impl IntoIterator<Item = CellModel>) {
        for cell in cells {
            if cell.kind.get_untracked() == CellKind::Code {
                cell.state.set(RunState::Queued);
                self.queue.update_value(|q| q.unsent.push(cell.id));
            }
        }
        self.pump();
    }

    /// Sends the queued cells to the kernel, once it is up.
    fn pump(&self) {
        let Some(kernel) = self.kernel.get_untracked() else {
            return;
        };
        let ids = self
            .queue
            .try_update_value(|q| std::mem::take(&mut q.unsent))
            .unwrap_or_default();
        let cells: Vec<(CellId, String)> = ids
            .into_iter()
            .filter_map(|id| self.notebook.find(id))
            .map(|cell| (cell.id, cell.source.get_untracked()))
            .collect();
        if cells.is_empty() {
            return;
        }
        let queued_at = kernel.interrupts();
        self.queue.update_value(|q| {
            q.sent.extend(cells.iter().map(|(id, _)| (*id, queued_at)));
        });
        kernel.send(Request::RunCells { cells, queued_at });
    }

    /// Opens the notebook a share link carries (the page's fragment), kept apart from the user's
    /// own; a damaged link says why and leaves the page as it is. `false` if the fragment is
    /// not a share link.
    fn open_link(&self, fragment: &str) -> bool {
        match share::from_fragment(fragment) {
            None => false,
            Some(Ok(notebook)) => {
                self.interrupt();
                self.slot.set(Slot::FromLink);
                self.notebook.replace(&notebook);
                true
            }
            Some(Err(error)) => {
                self.shared.set(Some(Err(error.to_string())));
                storage::clear_fragment();
                true
            }
        }
    }

    /// Back from a linked notebook to the user's own, as autosaved.
    fn open_own(&self) {
        self.interrupt();
        self.slot.set(Slot::Own);
        self.notebook.replace(&own_notebook());
        storage::clear_fragment();
    }

    fn interrupt(&self) {
        if let Some(kernel) = self.kernel.get_untracked() {
            kernel.interrupt();
        }
        self.forget_turned_away();
    }

    /// Shows as not run the queued cells the kernel will turn away: everything not yet sent,
    /// and what was sent before the latest interrupt or failure and has not started.
    fn forget_turned_away(&self) {
        let interrupts = self.kernel.get_untracked().map(|k| k.interrupts());
        let notebook = self.notebook;
        self.queue.update_value(|q| {
            for id in q.unsent.drain(..) {
                if let Some(cell) = notebook.find(id) {
                    cell.state.set(RunState::Idle);
                }
            }
            q.sent.retain(|&(id, queued_at)| {
                let Some(cell) = notebook.find(id) else {
                    return false;
                };
                let turned_away = interrupts.is_some_and(|now| queued_at < now)
                    && cell.state.get_untracked() == RunState::Queued;
                if turned_away {
                    cell.state.set(RunState::Idle);
                }
                !turned_away
            });
        });
    }

    fn on_response(&self, response: Response, pi: RwSignal<Option<SpeedReport>>) {
        match response {
            Response::CellStarted { cell, count } => {
                if let Some(cell) = self.notebook.find(cell) {
                    cell.outputs.set(Vec::new());
                    cell.count.set(Some(count));
                    cell.state.set(RunState::Running);
                }
            }
            Response::CellOutput { cell, output } => {
                if let Some(cell) = self.notebook.find(cell) {
                    cell.outputs.update(|outputs| outputs.push(output));
                }
            }
            Response::CellFinished { cell, ok } => {
                if let Some(model) = self.notebook.find(cell) {
                    model
                        .state
                        .set(if ok { RunState::Idle } else { RunState::Failed });
                }
                self.queue
                    .update_value(|q| q.sent.retain(|&(id, _)| id != cell));
                if !ok {
                    // As in Jupyter, a failing cell stops the cells queued after it (the
                    // kernel counted the failure before reporting it).
                    self.forget_turned_away();
                }
            }
            Response::Restarted => {
                for cell in self.notebook.cells.get_untracked() {
                    cell.count.set(None);
                }
            }
            Response::Pi(report) => pi.set(Some(report)),
        }
    }
}

/// The user's own notebook: the autosaved one, else the first example.
fn own_notebook() -> Notebook {
    storage::load_own()
        .and_then(|json| Notebook::from_json(&json).ok())
        .or_else(|| examples::all().into_iter().next().map(|e| e.notebook))
        .unwrap_or_else(|| Notebook {
            title: "Untitled".into(),
            cells: Vec::new(),
        })
}

/// The whole page: the notebook (the autosaved one, else the first example) beside the
/// dashboard.
#[component]
pub fn App() -> impl IntoView {
    let env = Environment::detect();
    let isolated = env.cross_origin_isolated;
    let page = Page {
        kernel: RwSignal::new(None),
        notebook: NotebookModel::new(&own_notebook()),
        queue: StoredValue::new(RunQueue::default()),
        slot: RwSignal::new(Slot::Own),
        shared: RwSignal::new(None),
    };
    page.open_link(&storage::fragment());
    // A share link pasted into this tab's address bar changes only the fragment.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        page.open_link(&storage::fragment());
    });
    let pi = RwSignal::new(None::<SpeedReport>);
    let pi_running = RwSignal::new(false);
    markdown::show_alt_text_for_broken_images();

    spawn_local(async move {
        let threads = threads::start(&env).await;
        let kernel = Kernel::start(threads);
        let polled = kernel.clone();
        page.kernel.set(Some(kernel));
        frames::paced(move || {
            let mut tick = Tick::Idle;
            while let Some(response) = polled.poll() {
                tick = Tick::Busy;
                if matches!(response, Response::Pi(_)) {
                    pi_running.set(false);
                }
                page.on_response(response, pi);
            }
            tick
        });
        page.pump();
    });

    // Autosave on every edit; reading the notebook here subscribes to every cell's source.
    Effect::new(move |_| {
        let json = page.notebook.to_notebook().to_json();
        storage::autosave(page.slot.get_untracked(), &json);
    });
    // Effects run a moment after an edit: save once more when the page goes away.
    let _ = window_event_listener(leptos::ev::pagehide, move |_| {
        let json = untrack(|| page.notebook.to_notebook()).to_json();
        storage::autosave(page.slot.get_untracked(), &json);
    });

    view! {
        <div class="skein">
            <header>
                <div class="brand">
                    <h1>"Skein"</h1>
                    <span class="tagline">"task-parallel computing in your browser"</span>
                </div>
                <ThreadStatus threads=Signal::derive(move || page.kernel.get().map(|k| k.threads().clone())) isolated />
            </header>
            <Toolbar page pi pi_running />
            <SharePanel shared=page.shared />
            <Show when=move || page.slot.get() == Slot::FromLink>
                <LinkBanner on_back=Callback::new(move |()| page.open_own()) />
            </Show>
            {move || pi.get().map(|report| view! { <PiResult report /> })}
            <div class="workspace">
                <NotebookView page />
                {move || page.kernel.get().map(|k| view! { <Dashboard client=k.client().clone() /> })}
            </div>
        </div>
    }
}

#[component]
fn Toolbar(
    /// The page's state.
    page: Page,
    /// The last π speed check.
    pi: RwSignal<Option<SpeedReport>>,
    /// Whether a π speed check is running.
    pi_running: RwSignal<bool>,
) -> impl IntoView {
    let examples = StoredValue::new(examples::all());
    let open_example = move |ev| {
        let id = event_target_value(&ev);
        examples.with_value(|all| {
            if let Some(example) = all.iter().find(|e| e.id == id) {
                page.interrupt();
                page.notebook.replace(&example.notebook);
            }
        });
    };
    let export = move |_| {
        let notebook = page.notebook.to_notebook_with_outputs();
        let name = format!("{}.ipynb", slug(&notebook.title));
        // Ready for Jupyter and any Dask cluster: skein.labs inlined in plain Python.
        let ipynb = skein_kernel::export::to_dask_ipynb(&notebook);
        let _ = storage::download(&name, &ipynb, "application/x-ipynb+json");
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else { return };
        spawn_local(async move {
            let text = storage::read_file(&file)
                .await
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            match text.as_deref().map(Notebook::parse) {
                Some(Ok(notebook)) => page.notebook.replace(&notebook),
                Some(Err(error)) => {
                    alert(&format!("{} is not a Skein notebook: {error}", file.name()))
                }
                None => alert(&format!("could not read {}", file.name())),
            }
        });
    };
    let upload = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else { return };
        spawn_local(async move {
            match storage::read_file(&file).await {
                Ok(bytes) => {
                    if let Some(kernel) = page.kernel.get_untracked() {
                        kernel.send(Request::AddFile {
                            name: file.name(),
                            bytes: bytes.into(),
                        });
                        let cell = page.notebook.insert_after(None);
                        cell.source.set(format!("// {} is uploaded; read it with read_text(\"{0}\") or load_npy(\"{0}\")", file.name()));
                    }
                }
                Err(_) => alert(&format!("could not read {}", file.name())),
            }
        });
    };
    let ready = move || page.kernel.with(Option::is_some);
    view! {
        <nav class="toolbar">
            <select data-testid="examples" on:change=open_example>
                <option value="" selected>"Open an example…"</option>
                {examples.with_value(|all| all.iter().map(|e| view! { <option value=e.id>{e.notebook.title.clone()}</option> }).collect_view())}
            </select>
            <button data-testid="run-all" disabled=move || !ready() on:click=move |_| page.run(page.notebook.cells.get_untracked())>"▶▶ Run all"</button>
            <button data-testid="interrupt" on:click=move |_| page.interrupt()>"■ Interrupt"</button>
            <button data-testid="restart" disabled=move || !ready() on:click=move |_| {
                page.interrupt();
                if let Some(kernel) = page.kernel.get_untracked() {
                    kernel.send(Request::Restart);
                }
            }>"↻ Restart kernel"</button>
            <button on:click=move |_| { page.notebook.insert_after(None); }>"+ Cell"</button>
            <button on:click=export>"Export"</button>
            <button data-testid="share" title="A link that carries this notebook's sources" on:click=move |_| {
                let link = crate::share_panel::share(&untrack(|| page.notebook.to_notebook()));
                if let Ok(link) = &link {
                    storage::copy_to_clipboard(link);
                }
                page.shared.set(Some(link));
            }>"Share"</button>
            <label class="button">"Import" <input type="file" accept=".ipynb,.json" on:change=import /></label>
            <label class="button" data-testid="upload">"Upload data" <input type="file" accept=".csv,.npy,.txt" on:change=upload /></label>
            <button data-testid="run-pi" disabled=move || !ready() || pi_running.get() on:click=move |_| {
                if let Some(kernel) = page.kernel.get_untracked() {
                    pi_running.set(true);
                    pi.set(None);
                    kernel.send(Request::EstimatePi { batches: PI_BATCHES, per_batch: PI_PER_BATCH });
                }
            }>{move || if pi_running.get() { "Running π…" } else { "π speed check" }}</button>
        </nav>
    }
}

#[component]
fn NotebookView(
    /// The page's state.
    page: Page,
) -> impl IntoView {
    view! {
        <main class="notebook">
            <input class="title" prop:value=move || page.notebook.title.get() on:input=move |ev| page.notebook.title.set(event_target_value(&ev)) />
            <For each=move || page.notebook.cells.get() key=|cell| cell.id let:cell>
                <CellView page cell />
            </For>
            <button class="add-cell" on:click=move |_| { page.notebook.insert_after(None); }>"+ Add a cell"</button>
        </main>
    }
}

#[component]
fn CellView(
    /// The page's state.
    page: Page,
    /// The cell shown.
    cell: CellModel,
) -> impl IntoView {
    let editor = NodeRef::<leptos::html::Textarea>::new();
    let editing_markdown = RwSignal::new(false);
    let error_line = Signal::derive(move || {
        cell.outputs.with(|outputs| {
            outputs.iter().find_map(|o| match o {
                Output::Error(e) => e.line,
                _ => None,
            })
        })
    });
    let on_run = Callback::new(move |key: RunKey| {
        editing_markdown.set(false);
        page.run([cell]);
        if key == RunKey::AndAdvance {
            let next = page
                .notebook
                .next_of(cell.id)
                .unwrap_or_else(|| page.notebook.insert_after(Some(cell.id)));
            focus_later(next.id);
        }
    });
    let status = move || match cell.state.get() {
        RunState::Queued => "[*]".to_string(),
        RunState::Running => "[…]".to_string(),
        _ => cell
            .count
            .get()
            .map_or("[ ]".to_string(), |n| format!("[{n}]")),
    };
    let body = move || {
        match cell.kind.get() {
        CellKind::Markdown if !editing_markdown.get() => view! {
            <div class="markdown" on:dblclick=move |_| editing_markdown.set(true) inner_html=move || markdown::render(&cell.source.get())></div>
        }
        .into_any(),
        _ => view! {
            <Editor source=cell.source marked_line=error_line on_run kernel=page.kernel node_ref=editor />
        }
        .into_any(),
    }
    };
    view! {
        <section
            class=move || {
                let editing = if editing_markdown.get() { " editing" } else { "" };
                format!("cell {:?} {:?}{editing}", cell.kind.get(), cell.state.get()).to_lowercase()
            }
            data-testid="cell"
            data-cell=cell.id.to_string()
            data-state=move || format!("{:?}", cell.state.get()).to_lowercase()
        >
            <div class="cell-side">
                <span class="count">{status}</span>
                <button class="icon" title="Run (Ctrl+Enter)" data-testid="run-cell" on:click=move |_| {
                    editing_markdown.set(false);
                    page.run([cell]);
                }>"▶"</button>
            </div>
            <div class="cell-main">
                {body}
                <div class="outputs" data-testid="outputs">
                    <For each=move || cell.outputs.get().into_iter().enumerate() key=|(i, _)| *i let:item>
                        <OutputView output=item.1 />
                    </For>
                </div>
            </div>
            <div class="cell-tools">
                <button class="icon" title="Move up" on:click=move |_| page.notebook.shift(cell.id, -1)>"↑"</button>
                <button class="icon" title="Move down" on:click=move |_| page.notebook.shift(cell.id, 1)>"↓"</button>
                <button class="icon" title="Code / text" on:click=move |_| cell.kind.update(|k| *k = match k { CellKind::Code => CellKind::Markdown, CellKind::Markdown => CellKind::Code })>"¶"</button>
                <button class="icon" title="Delete" on:click=move |_| page.notebook.remove(cell.id)>"✕"</button>
            </div>
        </section>
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
    report: SpeedReport,
) -> impl IntoView {
    view! {
        <dl
            class="pi-result"
            data-last-worker-joined-ms=format!("{:.1}", report.last_worker_joined_ms)
            data-tail-ms=format!("{:.1}", report.tail_ms)
            data-plain-last-joined-ms=format!("{:.1}", report.plain_last_joined_ms)
        >
            <dt>"π ≈"</dt>
            <dd data-testid="pi-estimate">{format!("{:.5}", report.estimate)}</dd>
            <dt>"on the workers"</dt>
            <dd data-testid="pi-parallel-ms">{format!("{:.0} ms", report.parallel_ms)}</dd>
            <dt>"on one thread"</dt>
            <dd data-testid="pi-single-ms">{format!("{:.0} ms", report.single_ms)}</dd>
            <dt title="the same batches split over the workers as plain threads, without the scheduler">
                "on plain threads"
            </dt>
            <dd data-testid="pi-plain-ms">{format!("{:.0} ms", report.plain_threads_ms)}</dd>
            <dt>"speed-up"</dt>
            <dd data-testid="pi-speedup">{format!("{:.2}×", report.speedup())}</dd>
            <dt>"threads that ran batches"</dt>
            <dd data-testid="pi-threads">{report.threads_used}</dd>
            <dt title="the share of the workers' time spent inside batches; the rest went to waking and scheduling">
                "workers busy"
            </dt>
            <dd data-testid="pi-busy">{format!("{:.0}%", 100.0 * report.busy_share)}</dd>
            <dt title="the mean time of one batch: side by side on the workers, and alone on one thread">
                "one batch"
            </dt>
            <dd data-testid="pi-batch-ms">
                {format!(
                    "{:.2} ms side by side, {:.2} ms alone",
                    report.parallel_batch_ms,
                    report.single_ms / f64::from(PI_BATCHES),
                )}
            </dd>
        </dl>
    }
}

fn picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0);
    input.set_value("");
    file
}

fn alert(message: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.alert_with_message(message);
    }
}

/// Focuses a cell's editor once it is on the page.
fn focus_later(cell: CellId) {
    request_animation_frame(move || {
        let selector = format!("[data-cell=\"{cell}\"] textarea");
        if let Some(el) = document().query_selector(&selector).ok().flatten() {
            use wasm_bindgen::JsCast;
            if let Ok(area) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = area.focus();
            }
        }
    });
}

fn slug(title: &str) -> String {
    let slug: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "notebook".into()
    } else {
        slug
    }
}
