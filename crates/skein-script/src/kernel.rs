//! The kernel: runs cells one after another with state kept between them, like a Jupyter
//! kernel, streaming each cell's outputs as they appear.
//!
//! State is the variables of earlier cells (a Rhai `Scope`) and their functions (merged into
//! one compiled library that every later cell, and every task on the workers, shares). A
//! cell runs on the thread that calls [`Kernel::run_cell`] — in the browser a dedicated pool
//! thread, so `compute()` and `result()` may block there while the page stays responsive.

use std::collections::HashSet;
use std::sync::Arc;

use rhai::{AST, Dynamic, Engine, Scope};
use skein_core::Client;

use crate::calls;
use crate::display;
use crate::emit;
use crate::engine::{self, Limits};
use crate::errors::CellError;
use crate::interrupt::{self, InterruptHandle};
use crate::output::Output;
use crate::session::Session;

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
    /// default client; its worker count is the engine's).
    pub client: Option<Client>,
    /// Limits on scripts.
    pub limits: Limits,
}

/// How a cell ended. Its outputs — including the value or the error — were already sent to
/// the sink; this repeats the last one for the caller's bookkeeping.
#[derive(Clone, Debug, PartialEq)]
pub enum CellOutcome {
    /// The cell ran to the end.
    Ok {
        /// The [`Output::Value`] of its last expression, if it had one (not `()`).
        value: Option<Output>,
    },
    /// The cell stopped with an error (also sent as [`Output::Error`]).
    Err(CellError),
}

/// Runs notebook cells with Skein's API.
///
/// ```
/// use skein_script::{CellOutcome, Kernel, Output};
/// let mut kernel = Kernel::new();
/// let mut outputs = Vec::new();
/// kernel.run_cell("fn square(x) { x * x }\nprint(square(3));", &mut |o| outputs.push(o));
/// let outcome = kernel.run_cell("delayed(square)(4).compute()", &mut |o| outputs.push(o));
/// assert_eq!(outputs[0], Output::Text { text: "9".into() });
/// let CellOutcome::Ok { value: Some(Output::Value { display, .. }) } = outcome else { panic!() };
/// assert_eq!(display, "16");
/// ```
pub struct Kernel {
    engine: Arc<Engine>,
    session: Arc<Session>,
    /// Variables of earlier cells.
    scope: Scope<'static>,
    /// Functions of earlier cells (no statements).
    lib: AST,
    /// Cells run since the start (or restart): `In [n]`.
    execution_count: u64,
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
        let engine = engine::build(&session, config.limits);
        Kernel {
            engine,
            session,
            scope: Scope::new(),
            lib: AST::empty(),
            execution_count: 0,
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

    /// A handle that interrupts this kernel from any thread.
    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle::new(self.session.interrupt.clone())
    }

    /// Makes `bytes` readable by scripts as the file `name` (`read_text`, `load_npy`,
    /// `load_csv`). Files survive restarts, as files on disk would.
    pub fn set_file(&mut self, name: &str, bytes: impl Into<Arc<[u8]>>) {
        self.session.set_file(name, bytes.into());
    }

    /// Forgets every variable and function and stops every task the cells started.
    pub fn restart(&mut self) {
        self.session.interrupt.cancel_all();
        self.scope.clear();
        self.lib = AST::empty();
        self.execution_count = 0;
    }

    /// Runs one cell. Outputs go to `sink` as they appear: printed lines, tables, plots and
    /// graphs, then the value of the last expression ([`Output::Value`]) or the error
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
            // Not an interrupt: futures the earlier cells started keep running.
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
        self.execution_count += 1;
        let outcome = emit::with_sink(sink, || {
            interrupt::run_as(generation, || {
                self.session.outbox.flush();
                let outcome = self.run(source);
                self.session.outbox.flush();
                outcome
            })
        });
        match &outcome {
            CellOutcome::Ok { value: Some(value) } => sink(value.clone()),
            CellOutcome::Ok { value: None } => {}
            CellOutcome::Err(err) => sink(Output::Error(err.clone())),
        }
        outcome
    }

    fn run(&mut self, source: &str) -> CellOutcome {
        let scope = &self.scope;
        let text = calls::rewrite(&self.engine, source, &|name| scope.contains(name));
        let mut ast = match self.engine.compile(&text.text) {
            Ok(ast) => ast,
            Err(err) => return CellOutcome::Err(CellError::syntax(&err, &text)),
        };
        ast.set_source(format!("In [{}]", self.execution_count));
        let defined_here: HashSet<String> =
            ast.iter_functions().map(|f| f.name.to_owned()).collect();
        let program = self.lib.merge(&ast);
        // Functions are kept even if the cell fails at run time: they compiled, as a Python
        // `def` before the failing line would have run.
        self.lib = program.clone_functions_only();
        match self
            .engine
            .eval_ast_with_scope::<Dynamic>(&mut self.scope, &program)
        {
            Ok(value) if value.is_unit() => CellOutcome::Ok { value: None },
            Ok(value) => CellOutcome::Ok {
                value: Some(Output::Value {
                    display: display::show(&value),
                    type_name: self.engine.map_type_name(value.type_name()).to_owned(),
                }),
            },
            Err(err) => CellOutcome::Err(CellError::runtime(
                &err,
                &|name| defined_here.contains(name) || name.starts_with("anon$"),
                &text,
            )),
        }
    }
}
