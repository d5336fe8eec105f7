//! The kernel: runs Python cells one after another in one interpreter whose state persists
//! between them, like a Jupyter kernel, streaming each cell's outputs as they appear.
//!
//! A cell runs on the thread that calls [`Kernel::run_cell`] — in the browser a dedicated
//! pool thread, so `compute()` and `result()` may block there while the page stays
//! responsive. The functions it hands to Dask's API run on the workers, each in the
//! worker's own interpreter (`worker.rs`).

use std::sync::Arc;

use monty::MontyRepl;
use monty_types::{ExcType, MontyException};
use skein_core::Client;

use crate::cell;
use crate::complete::{Completer, Completion};
use crate::emit;
use crate::errors::{CellError, CellSource};
use crate::host::Host;
use crate::interp;
use crate::interrupt::{self, InterruptHandle};
use crate::magics::CellMagic;
use crate::output::Output;
use crate::pyvalue::strings_in;
use crate::release::Held;
use crate::rewrite::{self, StarNames};
use crate::session::Session;

/// What a cell reports when the interpreter was lost to a panic in an earlier cell.
const LOST_INTERPRETER: &str = "The Python interpreter was lost (an earlier cell crashed it), so the kernel was restarted: every variable is gone. Run your cells again.";

/// A queued cell let in by [`Kernel::admit`]: it runs under the generation it was given there.
#[derive(Debug)]
#[must_use = "an admitted cell runs with Kernel::run_admitted"]
pub struct Admitted {
    generation: u64,
}

/// How to build a [`Kernel`].
#[derive(Clone, Debug, Default)]
pub struct KernelConfig {
    /// The client whose workers run the tasks (default: [`Client::current`], the engine's
    /// default client).
    pub client: Option<Client>,
}

/// How a cell ended. Its outputs — including the value or the error — were already sent to
/// the sink; this repeats the last one for the caller's bookkeeping.
#[derive(Clone, Debug, PartialEq)]
pub enum CellOutcome {
    /// The cell ran to the end.
    Ok {
        /// The [`Output::Value`] the cell showed last, if any.
        value: Option<Output>,
    },
    /// The cell stopped with an error (also sent as [`Output::Error`]).
    Err(CellError),
}

/// Runs notebook cells: Python with Dask's API.
///
/// ```
/// use skein_kernel::{CellOutcome, Kernel, Output};
/// let mut kernel = Kernel::new();
/// let mut outputs = Vec::new();
/// kernel.run_cell("def square(x):\n    return x * x\nprint(square(3))", &mut |o| outputs.push(o));
/// let outcome = kernel.run_cell("from dask import delayed\ndelayed(square)(4).compute()", &mut |o| outputs.push(o));
/// assert_eq!(outputs[0], Output::Text { text: "9".into() });
/// let CellOutcome::Ok { value: Some(Output::Value { display, .. }) } = outcome else { panic!("{outcome:?}") };
/// assert_eq!(display, "16");
/// ```
pub struct Kernel {
    session: Arc<Session>,
    repl: Option<MontyRepl>,
    /// The prelude's snippet name (its frames are left out of tracebacks), or why it failed.
    prelude: Result<String, String>,
    /// Cells run since the start (or restart): `In [n]`.
    execution_count: u64,
    /// The names `from m import *` binds, by module, found the first time a cell asks.
    star_names: StarNames,
}

impl Default for Kernel {
    fn default() -> Self {
        Kernel::new()
    }
}

impl Kernel {
    /// A kernel on the default client.
    pub fn new() -> Kernel {
        Kernel::with_config(KernelConfig::default())
    }

    /// A kernel built from `config`.
    pub fn with_config(config: KernelConfig) -> Kernel {
        let session = Session::new(config.client.unwrap_or_else(Client::current));
        let mut kernel = Kernel {
            session,
            repl: None,
            prelude: Err(String::new()),
            execution_count: 0,
            star_names: StarNames::new(),
        };
        kernel.start();
        kernel
    }

    fn start(&mut self) {
        match interp::new_repl(&mut Host::new(self.session.clone())) {
            Ok((repl, prelude)) => {
                self.repl = Some(repl);
                self.prelude = Ok(prelude);
            }
            Err(err) => {
                self.repl = None;
                self.prelude = Err(format!("Skein's prelude failed to start:\n{err}"));
            }
        }
    }

    /// The client the kernel's tasks run on (for the dashboard: events, workers, memory).
    pub fn client(&self) -> &Client {
        &self.session.client
    }

    /// How many cells ran since the start or the last restart.
    pub fn execution_count(&self) -> u64 {
        self.execution_count
    }

    /// How many engine handles the kernel holds for the notebook's objects. After each cell
    /// it keeps only those the notebook's variables still reach (see [`Held`]).
    pub fn held(&self) -> Held {
        self.session.tables().held()
    }

    /// A handle that interrupts this kernel from any thread.
    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle::new(self.session.interrupt.clone())
    }

    /// Makes `bytes` readable by cells as the file `name` (`open(name)`, `pd.read_csv(name)`).
    /// Files survive restarts, as files on disk would.
    pub fn set_file(&mut self, name: &str, bytes: impl Into<Arc<[u8]>>) {
        self.session.set_file(name, bytes.into());
    }

    /// Forgets every variable and function and stops every task the cells started.
    pub fn restart(&mut self) {
        self.session.interrupt.cancel_all();
        self.session.reset();
        self.execution_count = 0;
        self.start();
    }

    /// The completions of the partial name that ends at byte `cursor` of `code`: the
    /// notebook's globals, builtins and keywords, or an object's attributes after a dot
    /// (see [`Completion`]). Runs on the interpreter, so it waits for a running cell.
    pub fn complete(&mut self, code: &str, cursor: usize) -> Completion {
        Completer {
            repl: &mut self.repl,
            session: &self.session,
        }
        .complete(code, cursor)
    }

    /// Runs one cell. Outputs go to `sink` as they appear: printed lines, tables, plots and
    /// graphs, the value of the last expression ([`Output::Value`]) or the error
    /// ([`Output::Error`]). Blocks until the cell ends or is interrupted.
    pub fn run_cell(&mut self, source: &str, sink: &mut dyn FnMut(Output)) -> CellOutcome {
        let generation = self.session.interrupt.next_generation();
        self.run_generation(generation, source, sink)
    }

    /// Admits a cell queued when the interrupt count was `queued_at` (read from
    /// [`InterruptHandle::interrupts`] when it was queued), unless an interrupt came since —
    /// or a queued cell failed: as in Jupyter, a failure stops the cells queued behind it.
    /// Run the admitted cell with [`run_admitted`](Kernel::run_admitted).
    pub fn admit(&mut self, queued_at: u64) -> Option<Admitted> {
        // The generation first, then the count: see the module docs of `interrupt`.
        let generation = self.session.interrupt.next_generation();
        (self.session.interrupt.interrupts() == queued_at).then_some(Admitted { generation })
    }

    /// Runs an admitted cell, as [`run_cell`](Kernel::run_cell) does; if it fails, the cells
    /// queued before now are not admitted (tasks already running are left alone).
    pub fn run_admitted(
        &mut self,
        admitted: Admitted,
        source: &str,
        sink: &mut dyn FnMut(Output),
    ) -> CellOutcome {
        let outcome = self.run_generation(admitted.generation, source, sink);
        if matches!(outcome, CellOutcome::Err(_)) {
            self.session.interrupt.turn_away_queued();
        }
        outcome
    }

    fn run_generation(
        &mut self,
        generation: u64,
        source: &str,
        sink: &mut dyn FnMut(Output),
    ) -> CellOutcome {
        if self.repl.is_none() && self.prelude.is_ok() {
            // A panic during an earlier cell left the interpreter taken (`drive` owns it
            // while a cell runs): its state is gone, so start afresh, as Jupyter restarts a
            // kernel that died, and say so instead of failing every later cell. Outside the
            // cell's generation: the restart cancels it.
            self.restart();
            let err = CellError {
                kind: crate::ErrorKind::Runtime,
                message: LOST_INTERPRETER.to_owned(),
                line: None,
                column: None,
                task_key: None,
            };
            sink(Output::Error(err.clone()));
            return CellOutcome::Err(err);
        }
        self.execution_count += 1;
        let mut last_value = None;
        let mut forward = |output: Output| {
            if matches!(output, Output::Value { .. }) {
                last_value = Some(output.clone());
            }
            sink(output);
        };
        let outcome = emit::with_sink(&mut forward, || {
            interrupt::run_as(generation, || {
                self.session.outbox.flush();
                let outcome = self.run(source);
                self.session.outbox.flush();
                outcome
            })
        });
        match outcome {
            Ok(()) => CellOutcome::Ok { value: last_value },
            Err(err) => {
                sink(Output::Error(err.clone()));
                CellOutcome::Err(err)
            }
        }
    }

    /// Asks the interpreter for the public names of each module `source` imports with `*`
    /// that no earlier cell did (`rewrite::star_probe`). A module it cannot answer for is left
    /// out, and its statement fails as Monty reports it.
    fn find_star_names(&mut self, mut repl: MontyRepl, source: &str, host: &mut Host) -> MontyRepl {
        for module in cell::star_modules(source) {
            if self.star_names.contains_key(&module) {
                continue;
            }
            let Some(probe) = rewrite::star_probe(&module) else {
                continue;
            };
            let (back, names) = interp::drive(repl, &probe, Vec::new(), host);
            repl = back;
            if let Ok(names) = names {
                self.star_names.insert(module, strings_in(&names));
            }
        }
        repl
    }

    fn run(&mut self, source: &str) -> Result<(), CellError> {
        let (Some(repl), Ok(prelude)) = (self.repl.take(), self.prelude.clone()) else {
            let message = self.prelude.clone().err().unwrap_or_default();
            return Err(CellError {
                kind: crate::ErrorKind::Runtime,
                message,
                line: None,
                column: None,
                task_key: None,
            });
        };
        let mut host = Host::new(self.session.clone());
        let repl = self.find_star_names(repl, source, &mut host);
        let prepared = cell::prepare_importing(source, true, &self.star_names);
        self.session
            .definitions
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .extend(prepared.definitions);
        // The done callbacks of futures that finished since the last cell
        // (`prelude/future_extras.py`): Dask would have called them by now.
        let (repl, _) = interp::drive(repl, "_skein_run_done_callbacks()", Vec::new(), &mut host);
        let snippet = repl.next_script_name();
        let started = skein_core::clock::now_ms();
        let (repl, result) = interp::drive(repl, prepared.text.as_str(), Vec::new(), &mut host);
        // Whether the cell ended or failed, its globals are what the notebook holds now.
        let repl = crate::release::sweep(repl, &mut Host::new(self.session.clone()));
        self.repl = Some(repl);
        host.flush_figure();
        let wall = (skein_core::clock::now_ms() - started) / 1e3;
        let report = match prepared.magic {
            CellMagic::None => None,
            CellMagic::Time => Some(format!("Wall time: {}", format_time(wall))),
            // One run of one loop: a cell's side effects happen once.
            CellMagic::Timeit => Some(format!(
                "{} ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)",
                format_time(wall)
            )),
        };
        if let Some(text) = report {
            self.session.outbox.emit(Output::Text { text });
        }
        let label = format!("In [{}]", self.execution_count);
        result.map(|_| ()).map_err(|exc| {
            let task = host.last_failure.as_ref().filter(|f| {
                f.exc_type == exc.exc_type() && exc.message().unwrap_or_default() == f.message
            });
            let source = CellSource {
                snippet: &snippet,
                original: source,
                rewritten: prepared.text.as_str(),
                label: &label,
                prelude: &prelude,
            };
            let exc = if exc.exc_type() == ExcType::KeyboardInterrupt {
                MontyException::with_traceback(
                    ExcType::KeyboardInterrupt,
                    None,
                    exc.traceback().to_vec(),
                )
            } else {
                exc
            };
            CellError::from_exception(&exc, &source, task)
        })
    }
}

/// Seconds as IPython's `%%time` prints them (`1.25 s`, `312 ms`, `45.2 µs`).
fn format_time(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.3} s")
    } else if seconds >= 1e-3 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn run(kernel: &mut Kernel, source: &str) -> CellOutcome {
        kernel.run_cell(source, &mut |_| {})
    }

    #[test]
    fn a_lost_interpreter_restarts_the_kernel_and_says_so() {
        let mut kernel = Kernel::new();
        assert!(matches!(run(&mut kernel, "x = 1"), CellOutcome::Ok { .. }));
        // What a panic inside `drive` leaves behind: the interpreter taken, never put back.
        kernel.repl = None;
        let CellOutcome::Err(err) = run(&mut kernel, "x") else {
            panic!("the cell ran without an interpreter")
        };
        assert!(err.message.contains("restarted"), "{err:?}");
        // The restarted kernel runs cells again, without the old state.
        let outcome = run(&mut kernel, "y = 2\ny");
        assert!(
            matches!(outcome, CellOutcome::Ok { value: Some(_) }),
            "{outcome:?}"
        );
        assert!(matches!(run(&mut kernel, "x"), CellOutcome::Err(_)));
    }
}
