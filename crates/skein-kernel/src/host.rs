//! The host functions behind the prelude's Python (`_skein_*`): building tasks from Python
//! calls, computing and persisting `Delayed`s, futures, `as_completed`, pyplot, files and
//! the native labs. The same host answers the kernel's interpreter and the workers'.
//!
//! A task's function is one of three things: a function a cell defined (captured into a
//! [`Capsule`] and run in the workers' interpreters), one of the prelude's helpers
//! (`_skein_apply_op` for operators and attribute access), or a native lab function (run
//! as Rust, no interpreter). Its arguments may hold `Delayed`s and `Future`s anywhere inside;
//! those become the task's dependencies, and the worker puts their values in their place.
//!
//! A task's key follows core's rule ([`Key::task`]). `client.submit` and friends make theirs
//! here; a pending `Delayed` gets its key when the prelude builds it, from
//! `_skein_pure_key` (see [`pure_key`]) when the call is pure.

use std::hash::Hasher;
use std::sync::Arc;

use monty_types::unstable::{MontyNode, child, node};
use monty_types::{CallArgs, ExcType, MontyException, MontyObject, ObjectRef};
use skein_core::{
    Delayed, Error, Future, Input, Key, Purity, Status, TaskError, TaskFn, TokenHasher, Value,
};

use crate::client_call::{ClientCall, TaskOptions};
use crate::errors::{self, TaskFailure};
use crate::interp::{self, LAB_FUNCTIONS};
use crate::labs;
use crate::output::Output;
use crate::pyvalue::{DEP_TAG, PyValue, for_each_instance, instance_attr, instance_class, rebuild};
use crate::sendable;
use crate::session::Session;
use crate::worker::{self, Capsule, Mode};

/// Answers the interpreter's calls of `_skein_*` functions.
pub(crate) struct Host {
    session: Arc<Session>,
    /// The failure of the task whose exception was raised last (for the cell's traceback).
    pub(crate) last_failure: Option<TaskFailure>,
}

type HostResult = Result<MontyObject, MontyException>;

/// Builtins the prelude redefines in Python (see `prelude/compat.py`).
const PRELUDE_BUILTINS: &[&str] = &["sum", "max", "min", "len", "map", "filter"];

fn exc(exc_type: ExcType, message: impl Into<String>) -> MontyException {
    MontyException::new(exc_type, Some(message.into()))
}

fn type_error(message: impl Into<String>) -> MontyException {
    exc(ExcType::TypeError, message)
}

fn strings(values: impl IntoIterator<Item = String>) -> MontyObject {
    MontyObject::list(values.into_iter().map(MontyObject::string))
}

/// What a task calls.
enum Callee {
    Python(Arc<Capsule>),
    /// A Python builtin (`sum`, `len`): the prelude's `_skein_apply_call` calls it.
    Builtin(Arc<Capsule>, MontyObject),
    Native(String),
}

/// One argument slot of a task: a dependency's value as it is, or a value with
/// dependencies inside it.
#[derive(Clone)]
enum Slot {
    Input(usize),
    Template(Vec<usize>),
}

/// How a task's inputs make its call.
#[derive(Clone)]
struct Layout {
    positional: Vec<Slot>,
    kwargs: Slot,
}

impl Host {
    pub(crate) fn new(session: Arc<Session>) -> Host {
        Host {
            session,
            last_failure: None,
        }
    }

    pub(crate) fn session(&self) -> &Arc<Session> {
        &self.session
    }

    /// Calls the host function `name`.
    pub(crate) fn call(&mut self, name: &str, call: &CallArgs) -> HostResult {
        let args: Vec<ObjectRef<'_>> = call.args().collect();
        let arg = |i: usize| {
            args.get(i)
                .copied()
                .ok_or_else(|| type_error(format!("{name}() is missing an argument")))
        };
        if let Some(lab) = name.strip_prefix("_skein_lab_") {
            return labs::call(lab, &args, &self.session.interrupt.canceller());
        }
        match name {
            "_skein_np" => crate::numpy::call(&args, &self.session.interrupt.canceller()),
            "_skein_value_names" => Ok(self.value_names(arg(0)?)),
            "_skein_is_function" => Ok(MontyObject::bool(is_function(arg(0)?))),
            "_skein_pure_key" => Ok(pure_key(arg(0)?, arg(1)?, arg(2)?, arg(3)?)
                .map_or_else(MontyObject::none, |k| MontyObject::string(k.to_string()))),
            "_skein_register" => {
                self.register(arg(0)?)?;
                Ok(MontyObject::none())
            }
            "_skein_compute" => self.compute(arg(0)?),
            "_skein_release" => crate::release::release(&self.session, arg(0)?, arg(1)?, arg(2)?),
            "_skein_persist" => self.persist(arg(0)?),
            "_skein_visualize" => self.visualize(arg(0)?),
            "_skein_future_of" => {
                let key = delayed_key(arg(0)?).ok_or_else(|| type_error("not a Delayed"))?;
                let delayed = self.delayed(&key)?;
                let future = self
                    .session
                    .client
                    .compute(&delayed)
                    .map_err(|e| self.engine_error(&e))?;
                self.session.tables().futures.insert(key.clone(), future);
                Ok(MontyObject::string(key))
            }
            "_skein_submit" => Ok(MontyObject::string(self.task(&ClientCall::parse(&args)?)?)),
            "_skein_map" => self.map(&ClientCall::parse(&args)?),
            "_skein_bag_map" => {
                self.bag_map(arg(0)?, arg(1)?, arg(2)?, arg(3)?, args.get(4).copied())
            }
            "_skein_gather" => self.gather(arg(0)?),
            "_skein_gather_quiet" => {
                let futures = self.futures_of(&key_list(arg(0)?))?;
                self.wait(&futures)?;
                Ok(MontyObject::none())
            }
            "_skein_result" => {
                let future = self.future(&key_text(arg(0)?)?)?;
                self.wait(std::slice::from_ref(&future))?;
                let value = future.result().map_err(|e| self.engine_error(&e))?;
                answer(&value)
            }
            "_skein_exception" => {
                let future = self.future(&key_text(arg(0)?)?)?;
                self.wait(std::slice::from_ref(&future))?;
                Ok(match future.result() {
                    Ok(_) => MontyObject::none(),
                    Err(e) => {
                        let err = self.engine_error(&e);
                        MontyObject::exception(err.exc_type(), err.message().map(str::to_owned))
                    }
                })
            }
            "_skein_status" => {
                let future = self.future(&key_text(arg(0)?)?)?;
                Ok(MontyObject::string(match future.status() {
                    Status::Pending => "pending",
                    Status::Finished => "finished",
                    Status::Error => "error",
                    Status::Cancelled => "cancelled",
                }))
            }
            "_skein_type" => {
                let future = self.future(&key_text(arg(0)?)?)?;
                Ok(MontyObject::string(match future.try_result() {
                    Some(Ok(value)) => value
                        .downcast_ref::<PyValue>()
                        .map_or_else(|| value.type_name().to_owned(), PyValue::type_name),
                    _ => "NoneType".to_owned(),
                }))
            }
            "_skein_cancel" => {
                for key in key_list(arg(0)?) {
                    if let Ok(future) = self.future(&key) {
                        self.session.client.cancel(&future);
                    }
                }
                Ok(MontyObject::none())
            }
            "_skein_scatter" => {
                let value = PyValue::from_export(arg(0)?.to_owned());
                let key = Key::impure("data");
                let func: TaskFn = Arc::new(move |_: &[Value]| Ok(Value::new(value.clone())));
                let future = self
                    .session
                    .client
                    .compute(&Delayed::from_task(key.clone(), func, Vec::new()))
                    .map_err(|e| self.engine_error(&e))?;
                self.session
                    .tables()
                    .futures
                    .insert(key.to_string(), future);
                Ok(MontyObject::string(key.to_string()))
            }
            "_skein_as_completed" => {
                let futures = self.futures_of(&key_list(arg(0)?))?;
                let id = self.session.tables().add_iterator(futures);
                Ok(MontyObject::int(id))
            }
            "_skein_as_completed_add" => {
                let future = self.future(&key_text(arg(1)?)?)?;
                let tables = self.session.tables();
                let it = iterator(&tables, arg(0)?)?;
                it.add(future);
                Ok(MontyObject::none())
            }
            "_skein_as_completed_count" => {
                let tables = self.session.tables();
                Ok(MontyObject::int(iterator(&tables, arg(0)?)?.count() as i64))
            }
            "_skein_as_completed_next" => {
                let it = {
                    let tables = self.session.tables();
                    iterator(&tables, arg(0)?)?.clone()
                };
                match self.session.next_completed(&it) {
                    Ok(Some(future)) => {
                        let key = future.key().to_string();
                        self.session.tables().futures.insert(key.clone(), future);
                        Ok(MontyObject::string(key))
                    }
                    Ok(None) => Ok(MontyObject::none()),
                    Err(_) => Err(interp::interrupted()),
                }
            }
            "_skein_workers" => Ok(MontyObject::int(self.session.client.workers() as i64)),
            "_skein_worker_index" => Ok(rayon::current_thread_index()
                .map_or_else(MontyObject::none, |i| MontyObject::int(i as i64))),
            "_skein_scale" => {
                // Saturating: on wasm32 `as usize` would make `scale(2**32 + 1)` one worker.
                let want =
                    usize::try_from(arg(0)?.as_int().unwrap_or(0).max(0)).unwrap_or(usize::MAX);
                let have = self.session.client.workers();
                if want > have {
                    self.session.client.add_workers(want - have);
                }
                Ok(MontyObject::none())
            }
            "_skein_progress" => {
                let futures = self.futures_of(&key_list(arg(0)?))?;
                let started = skein_core::clock::now_ms();
                self.wait(&futures)?;
                let done = futures.iter().filter(|f| f.done()).count();
                let seconds = (skein_core::clock::now_ms() - started) / 1e3;
                let bar = "#".repeat(40 * done / futures.len().max(1));
                self.session.outbox.emit(Output::Text {
                    text: format!(
                        "[{bar:<40}] | {}% Completed | {seconds:.1}s",
                        100 * done / futures.len().max(1)
                    ),
                });
                Ok(MontyObject::none())
            }
            "_skein_show" => {
                let display = arg(0)?.as_str().unwrap_or_default().to_owned();
                let type_name = arg(1)?.as_str().unwrap_or_default().to_owned();
                self.flush_figure();
                self.session
                    .outbox
                    .emit(Output::Value { display, type_name });
                Ok(MontyObject::none())
            }
            "_skein_show_graph" => {
                let dot = arg(0)?.as_str().unwrap_or_default().to_owned();
                let svg = arg(1)?.as_str().unwrap_or_default().to_owned();
                self.flush_figure();
                self.session.outbox.emit(Output::Graph { dot, svg });
                Ok(MontyObject::none())
            }
            "_skein_show_table" => {
                self.flush_figure();
                let table = crate::table::from_display(arg(0)?, arg(1)?, arg(2)?, arg(3)?);
                self.session.outbox.emit(Output::Table(table));
                Ok(MontyObject::none())
            }
            "_skein_plt" => {
                let command = arg(0)?.as_str().unwrap_or_default().to_owned();
                let (value, shown) = self.session.tables().figure.command(&command, arg(1)?)?;
                shown.into_iter().for_each(|o| self.session.outbox.emit(o));
                Ok(value)
            }
            "_skein_plot_series" => {
                let ys = arg(0)?;
                let xs = MontyObject::list(
                    (0..ys.items().map_or(0, |i| i.len())).map(|i| MontyObject::float(i as f64)),
                );
                let payload = MontyObject::tuple([
                    xs,
                    ys.to_owned(),
                    arg(1)
                        .map(|n| n.to_owned())
                        .unwrap_or_else(|_| MontyObject::none()),
                ]);
                self.session
                    .tables()
                    .figure
                    .command("plot", payload.as_ref())?;
                Ok(MontyObject::none())
            }
            "_skein_read_text" => {
                let path = arg(0)?
                    .as_str()
                    .ok_or_else(|| type_error("a path must be a str"))?
                    .to_owned();
                let text = self
                    .session
                    .read_text(&path)
                    .map_err(|m| exc(ExcType::FileNotFoundError, m))?;
                Ok(MontyObject::string(text))
            }
            "_skein_write_text" => {
                let path = arg(0)?
                    .as_str()
                    .ok_or_else(|| type_error("a path must be a str"))?;
                let text = arg(1)?
                    .as_str()
                    .ok_or_else(|| type_error("text must be a str"))?
                    .to_owned();
                self.session.save_file(path, text.into_bytes());
                Ok(MontyObject::none())
            }
            other => Err(exc(
                ExcType::NameError,
                format!("name '{other}' is not defined"),
            )),
        }
    }

    /// Shows the current figure (before other output, as Jupyter orders it).
    pub(crate) fn flush_figure(&self) {
        let shown = self.session.tables().figure.take();
        shown.into_iter().for_each(|o| self.session.outbox.emit(o));
    }

    fn wait(&self, futures: &[Future<Value>]) -> Result<(), MontyException> {
        self.session
            .wait(futures)
            .map_err(|_| interp::interrupted())
    }

    fn engine_error(&mut self, err: &Error) -> MontyException {
        match err {
            Error::Failed(failure) => {
                let (raised, failure) =
                    errors::task_exception(failure.key.as_str(), &failure.message);
                self.last_failure = Some(failure);
                raised
            }
            Error::Cancelled { key, .. } => {
                exc(ExcType::RuntimeError, format!("CancelledError: {key}"))
            }
            other => exc(ExcType::RuntimeError, other.to_string()),
        }
    }

    fn delayed(&self, key: &str) -> Result<Delayed<Value>, MontyException> {
        self.session
            .tables()
            .delayed
            .get(key)
            .cloned()
            .ok_or_else(|| {
                exc(
                    ExcType::KeyError,
                    format!("no task {key} (was the kernel restarted?)"),
                )
            })
    }

    fn future(&self, key: &str) -> Result<Future<Value>, MontyException> {
        let found = self.session.tables().futures.get(key).cloned();
        found
            .or_else(|| self.session.client.future_of(&Key::from_text(key)))
            .ok_or_else(|| {
                exc(
                    ExcType::KeyError,
                    format!("no future {key} (was the kernel restarted?)"),
                )
            })
    }

    fn futures_of(&self, keys: &[String]) -> Result<Vec<Future<Value>>, MontyException> {
        keys.iter().map(|k| self.future(k)).collect()
    }

    /// The names of `func`'s globals that are values to capture now.
    fn value_names(&self, func: ObjectRef<'_>) -> MontyObject {
        let Some(name) = function_name(func) else {
            return strings([]);
        };
        let definitions = self
            .session
            .definitions
            .read()
            .unwrap_or_else(|e| e.into_inner());
        strings(
            definitions
                .plan(&name)
                .map(|p| p.value_names)
                .unwrap_or_default(),
        )
    }

    fn callee(
        &self,
        func: ObjectRef<'_>,
        values: ObjectRef<'_>,
    ) -> Result<(Callee, String), MontyException> {
        if let Some(entry) = func.as_str()
            && entry.starts_with("_skein_apply")
        {
            let capsule = Capsule::prelude(entry.to_owned());
            return Ok((Callee::Python(Arc::new(capsule)), entry.to_owned()));
        }
        if let MontyNode::Function { name, .. } = node(func)
            && let Some(lab) = name.strip_prefix("_skein_lab_")
            && LAB_FUNCTIONS.contains(&lab)
        {
            return Ok((Callee::Native(lab.to_owned()), lab.to_owned()));
        }
        if let Some((entry, name)) = sendable::prelude_entry(func) {
            let capsule = Capsule::prelude(entry);
            return Ok((Callee::Python(Arc::new(capsule)), name));
        }
        if let MontyNode::BuiltinFunction(builtin) = node(func) {
            let capsule = Capsule::prelude("_skein_apply_call".to_owned());
            return Ok((
                Callee::Builtin(Arc::new(capsule), func.to_owned()),
                builtin.to_string(),
            ));
        }
        // Builtins the prelude wraps (`sum`, `len`, …) are Python functions every worker's
        // prelude also defines, as are its own functions: the worker calls its own.
        if let Some(name) = function_name(func).filter(|n| {
            (PRELUDE_BUILTINS.contains(&n.as_str()) || sendable::is_prelude_function(n))
                && self
                    .session
                    .definitions
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .plan(n)
                    .is_none()
        }) {
            let capsule = Capsule::prelude(name.clone());
            return Ok((
                Callee::Python(Arc::new(capsule)),
                sendable::display_name(&name),
            ));
        }
        let name = function_name(func).ok_or_else(|| {
            type_error(format!(
                "{} is not a function Skein can send to the workers",
                func.py_repr()
            ))
        })?;
        let definitions = self
            .session
            .definitions
            .read()
            .unwrap_or_else(|e| e.into_inner());
        let plan = definitions.plan(&name).ok_or_else(|| {
            type_error(format!(
                "Skein sends to the workers functions defined with `def` at the top level of a cell; `{name}` is not one"
            ))
        })?;
        let captured = values
            .pairs()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(k, v)| {
                let value = PyValue::from_export(v.to_owned());
                Some((k.as_str()?.to_owned(), value))
            })
            .collect();
        Ok((
            Callee::Python(Arc::new(Capsule::new(name.clone(), plan.setup, captured))),
            sendable::display_name(&name),
        ))
    }

    /// Submits a task now (`client.submit`).
    fn task(&mut self, call: &ClientCall<'_>) -> Result<String, MontyException> {
        let (callee, name) = self.callee(call.func, call.values)?;
        let options = TaskOptions {
            pure: call.pure,
            key: call.key.as_str(),
            future: true,
            retries: call.retries,
        };
        let callee = Arc::new(callee);
        self.task_with(&callee, &name, call.args, call.kwargs, Mode::Call, options)
    }

    fn task_with(
        &mut self,
        callee: &Arc<Callee>,
        name: &str,
        args: ObjectRef<'_>,
        kwargs: ObjectRef<'_>,
        mode: Mode,
        options: TaskOptions<'_>,
    ) -> Result<String, MontyException> {
        let mut inputs = Vec::new();
        let mut token = TokenHasher::new();
        token.write_str(name);
        if let Callee::Python(capsule) | Callee::Builtin(capsule, _) = &**callee {
            token.write_str(&format!("{:032x}", capsule.id));
        }
        let positional = args
            .items()
            .unwrap_or_default()
            .into_iter()
            .map(|a| self.slot(a, &mut inputs, &mut token))
            .collect::<Result<Vec<_>, _>>()?;
        let kwargs = self.slot(kwargs, &mut inputs, &mut token)?;
        let layout = Layout { positional, kwargs };
        // Core's rule (`Key::task`): the token of the function and inputs, or fresh.
        let purity = if options.pure {
            Purity::Pure
        } else {
            Purity::Impure
        };
        let key = match options.key {
            Some(text) => Key::from_text(text),
            None => Key::task(name, purity, &token),
        };
        let func = self.task_fn(callee.clone(), layout, mode, options.retries);
        let d = Delayed::from_task(key.clone(), func, inputs);
        if options.future {
            let f = self
                .session
                .client
                .compute(&d)
                .map_err(|e| self.engine_error(&e))?;
            self.session.tables().futures.insert(key.to_string(), f);
        } else {
            self.session.tables().delayed.insert(key.to_string(), d);
        }
        Ok(key.to_string())
    }

    /// Turns one argument into a slot, adding the dependencies inside it to `inputs`.
    fn slot(
        &self,
        arg: ObjectRef<'_>,
        inputs: &mut Vec<Input>,
        token: &mut TokenHasher,
    ) -> Result<Slot, MontyException> {
        if let Some(input) = self.dependency(arg)? {
            token.write_str(&delayed_key(arg).unwrap_or_default());
            inputs.push(input);
            return Ok(Slot::Input(inputs.len() - 1));
        }
        let mut found = Vec::new();
        let mut failure = None;
        let template = rebuild(arg, &mut |class, value| {
            if !matches!(class, "Delayed" | "_SkeinRef" | "Future") {
                return None;
            }
            match self.dependency(value) {
                Ok(Some(input)) => {
                    inputs.push(input);
                    found.push(inputs.len() - 1);
                    Some(MontyObject::tuple([
                        MontyObject::string(DEP_TAG),
                        MontyObject::int(found.len() as i64 - 1),
                    ]))
                }
                Ok(None) => None,
                Err(e) => {
                    failure = Some(e);
                    None
                }
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        token.write_str(&template.py_repr());
        let value = PyValue::from_export(template);
        inputs.push(Input::Value(Value::new(value)));
        found.insert(0, inputs.len() - 1);
        Ok(Slot::Template(found))
    }

    fn dependency(&self, arg: ObjectRef<'_>) -> Result<Option<Input>, MontyException> {
        match instance_class(arg) {
            Some("Delayed" | "_SkeinRef") => {
                let key = delayed_key(arg).ok_or_else(|| type_error("a Delayed without a key"))?;
                Ok(Some(Input::Delayed(self.delayed(&key)?)))
            }
            Some("Future") => {
                let key = delayed_key(arg).ok_or_else(|| type_error("a Future without a key"))?;
                Ok(Some(Input::Future(self.future(&key)?)))
            }
            _ => Ok(None),
        }
    }

    fn task_fn(&self, callee: Arc<Callee>, layout: Layout, mode: Mode, retries: u32) -> TaskFn {
        let session = self.session.clone();
        let generation = crate::interrupt::running_generation();
        Arc::new(move |values: &[Value]| {
            if session.interrupt.is_cancelled(generation) {
                return Err(TaskError::new(crate::interrupt::INTERRUPTED));
            }
            crate::interrupt::run_as(generation, || {
                crate::retry::run(
                    retries,
                    || session.interrupt.is_cancelled(generation),
                    || run_task(&session, &callee, &layout, mode, values),
                )
            })
        })
    }

    fn map(&mut self, call: &ClientCall<'_>) -> HostResult {
        let (callee, name) = self.callee(call.func, call.values)?;
        let callee = Arc::new(callee);
        let lists: Vec<Vec<ObjectRef<'_>>> = call
            .args
            .items()
            .unwrap_or_default()
            .iter()
            .map(|l| l.items().unwrap_or_default())
            .collect();
        let count = lists.iter().map(Vec::len).min().unwrap_or(0);
        let mut keys = Vec::with_capacity(count);
        for i in 0..count {
            let args = MontyObject::tuple(lists.iter().map(|l| rebuild(l[i], &mut |_, _| None)));
            let explicit = call.key.as_str().map(|k| format!("{k}-{i}"));
            let options = TaskOptions {
                key: explicit.as_deref(),
                retries: call.retries,
                ..TaskOptions::pending(call.pure)
            };
            let args = args.as_ref();
            keys.push(self.task_with(&callee, &name, args, call.kwargs, Mode::Call, options)?);
        }
        // One submission for the whole map, as Dask sends it: the scheduler (and the
        // dashboard's graph) sees one computation, not a hundred thousand.
        let delayed: Vec<Delayed<Value>> = {
            let tables = self.session.tables();
            keys.iter()
                .filter_map(|k| tables.delayed.get(k).cloned())
                .collect()
        };
        let futures = self
            .session
            .client
            .compute_many(&delayed)
            .map_err(|e| self.engine_error(&e))?;
        let mut tables = self.session.tables();
        for (key, future) in keys.iter().zip(futures) {
            tables.delayed.remove(key);
            tables.futures.insert(key.clone(), future);
        }
        drop(tables);
        Ok(strings(keys))
    }

    fn bag_map(
        &mut self,
        func: ObjectRef<'_>,
        partitions: ObjectRef<'_>,
        how: ObjectRef<'_>,
        values: ObjectRef<'_>,
        extra: Option<ObjectRef<'_>>,
    ) -> HostResult {
        let (callee, name) = self.callee(func, values)?;
        let callee = Arc::new(callee);
        let mode = match how.as_str() {
            Some("filter") => Mode::FilterEach,
            Some("map") => Mode::MapEach,
            _ => Mode::Partition,
        };
        let extra = extra.and_then(|e| e.items()).unwrap_or_default();
        let mut keys = Vec::new();
        for part in partitions.items().unwrap_or_default() {
            let args = if mode == Mode::Partition {
                let head = [part.to_owned(), how.to_owned()];
                MontyObject::tuple(head.into_iter().chain(extra.iter().map(|e| e.to_owned())))
            } else {
                MontyObject::tuple([part.to_owned()])
            };
            let kwargs = MontyObject::dict(Vec::<(MontyObject, MontyObject)>::new());
            let (args, kwargs) = (args.as_ref(), kwargs.as_ref());
            let options = TaskOptions::pending(true);
            keys.push(self.task_with(&callee, &name, args, kwargs, mode, options)?);
        }
        Ok(strings(keys))
    }

    /// Registers pending tasks `(key, function, args, kwargs, captured values, pure)`,
    /// each after the pending tasks it depends on.
    fn register(&mut self, tasks: ObjectRef<'_>) -> Result<(), MontyException> {
        let tasks = tasks.items().unwrap_or_default();
        let fields: Vec<Vec<ObjectRef<'_>>> = tasks
            .iter()
            .map(|t| t.items().unwrap_or_default())
            .collect();
        if fields.iter().any(|f| f.len() != 6) {
            return Err(type_error("a pending task has six fields"));
        }
        let index: std::collections::HashMap<String, usize> = fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((f[0].as_str()?.to_owned(), i)))
            .collect();
        let mut done = vec![false; fields.len()];
        for start in 0..fields.len() {
            let mut stack = vec![(start, false)];
            while let Some((i, expanded)) = stack.pop() {
                if done[i] {
                    continue;
                }
                if expanded {
                    let f = &fields[i];
                    let (callee, name) = self.callee(f[1], f[4])?;
                    let options = TaskOptions {
                        key: f[0].as_str(),
                        ..TaskOptions::pending(f[5].is_truthy())
                    };
                    let callee = Arc::new(callee);
                    self.task_with(&callee, &name, f[2], f[3], Mode::Call, options)?;
                    done[i] = true;
                    continue;
                }
                stack.push((i, true));
                let mut deps = Vec::new();
                collect_delayed(fields[i][2], &mut deps);
                collect_delayed(fields[i][3], &mut deps);
                stack.extend(
                    deps.iter()
                        .filter_map(|k| index.get(k))
                        .filter(|&&j| !done[j])
                        .map(|&j| (j, false)),
                );
            }
        }
        Ok(())
    }

    fn compute(&mut self, objs: ObjectRef<'_>) -> HostResult {
        let items = objs.items().unwrap_or_default();
        let keys: Vec<Option<String>> = items
            .iter()
            .map(|o| delayed_key(*o).filter(|_| instance_class(*o) == Some("Delayed")))
            .collect();
        let delayed: Vec<Delayed<Value>> = keys
            .iter()
            .flatten()
            .map(|k| self.delayed(k))
            .collect::<Result<_, _>>()?;
        let futures = self
            .session
            .client
            .compute_many(&delayed)
            .map_err(|e| self.engine_error(&e))?;
        self.wait(&futures)?;
        let mut results = futures.iter();
        let mut needs_rebuild = false;
        let mut out = Vec::with_capacity(items.len());
        for (item, key) in items.iter().zip(&keys) {
            match key {
                Some(_) => {
                    let future = results
                        .next()
                        .ok_or_else(|| exc(ExcType::RuntimeError, "missing result"))?;
                    let value = future.result().map_err(|e| self.engine_error(&e))?;
                    let py = py_value(&value)?;
                    needs_rebuild |= py.needs_rebuild();
                    out.push(py.object().clone());
                }
                None => out.push(item.to_owned()),
            }
        }
        Ok(MontyObject::tuple([
            MontyObject::bool(needs_rebuild),
            MontyObject::list(out),
        ]))
    }

    fn persist(&mut self, objs: ObjectRef<'_>) -> HostResult {
        let mut out = Vec::new();
        for item in objs.items().unwrap_or_default() {
            match delayed_key(item).filter(|_| instance_class(item) == Some("Delayed")) {
                Some(key) => {
                    let persisted = self
                        .delayed(&key)?
                        .persist_on(&self.session.client)
                        .map_err(|e| self.engine_error(&e))?;
                    let new_key = persisted.key().to_string();
                    self.session
                        .tables()
                        .delayed
                        .insert(new_key.clone(), persisted);
                    out.push(MontyObject::string(new_key));
                }
                None => out.push(MontyObject::none()),
            }
        }
        Ok(MontyObject::list(out))
    }

    fn visualize(&mut self, objs: ObjectRef<'_>) -> HostResult {
        let mut graph = skein_core::Graph::new();
        let mut targets = Vec::new();
        for item in objs.items().unwrap_or_default() {
            if let Some(key) = delayed_key(item).filter(|_| instance_class(item) == Some("Delayed"))
            {
                let delayed = self.delayed(&key)?;
                targets.push(delayed.key().clone());
                graph.merge(delayed.graph());
            }
        }
        // Shown when the `_SkeinGraph` the prelude makes of it is displayed.
        let picture = skein_core::visualize::Visualization::new(&graph, &targets);
        Ok(MontyObject::tuple(vec![
            MontyObject::string(picture.dot()),
            MontyObject::string(picture.svg()),
        ]))
    }

    fn gather(&mut self, obj: ObjectRef<'_>) -> HostResult {
        let mut keys = Vec::new();
        collect_futures(obj, &mut keys);
        let futures = self.futures_of(&keys)?;
        self.wait(&futures)?;
        let mut values = Vec::with_capacity(futures.len());
        let mut needs_rebuild = false;
        for future in &futures {
            let value = future.result().map_err(|e| self.engine_error(&e))?;
            let py = py_value(&value)?;
            needs_rebuild |= py.needs_rebuild();
            values.push(py.object().clone());
        }
        let mut next = values.into_iter();
        let gathered = rebuild(obj, &mut |class, _| {
            (class == "Future").then(|| next.next()).flatten()
        });
        Ok(MontyObject::tuple([
            MontyObject::bool(needs_rebuild),
            gathered,
        ]))
    }
}

fn collect_delayed(obj: ObjectRef<'_>, keys: &mut Vec<String>) {
    for_each_instance(obj, &mut |class, value| {
        if matches!(class, "Delayed" | "_SkeinRef")
            && let Some(key) = delayed_key(value)
        {
            keys.push(key);
        }
    });
}

fn collect_futures(obj: ObjectRef<'_>, keys: &mut Vec<String>) {
    for_each_instance(obj, &mut |class, value| {
        if class == "Future"
            && let Some(key) = delayed_key(value)
        {
            keys.push(key);
        }
    });
}

fn iterator<'a>(
    tables: &'a crate::session::Tables,
    id: ObjectRef<'_>,
) -> Result<&'a skein_core::AsCompleted<Value>, MontyException> {
    id.as_int()
        .and_then(|i| tables.iterators.get(&i))
        .ok_or_else(|| {
            exc(
                ExcType::ValueError,
                "this as_completed is gone (was the kernel restarted?)",
            )
        })
}

fn py_value(value: &Value) -> Result<PyValue, MontyException> {
    value.downcast_ref::<PyValue>().cloned().ok_or_else(|| {
        exc(
            ExcType::TypeError,
            format!(
                "a task returned a {}, not a Python value",
                value.type_name()
            ),
        )
    })
}

fn answer(value: &Value) -> HostResult {
    Ok(py_value(value)?.to_answer())
}

/// `Delayed._key` / `Future._key`.
fn delayed_key(obj: ObjectRef<'_>) -> Option<String> {
    instance_attr(obj, "_key")
        .and_then(|k| k.as_str())
        .map(str::to_owned)
}

fn key_text(obj: ObjectRef<'_>) -> Result<String, MontyException> {
    obj.as_str()
        .map(str::to_owned)
        .ok_or_else(|| type_error("a key must be a str"))
}

fn key_list(obj: ObjectRef<'_>) -> Vec<String> {
    obj.items()
        .unwrap_or_default()
        .iter()
        .filter_map(|k| k.as_str().map(str::to_owned).or_else(|| delayed_key(*k)))
        .collect()
}

/// The key of a pure call of `func` as the task `name` (`delayed(f, pure=True)(…)`, a bag's
/// partition), by core's rule: a [`TokenHasher`] fed with the name, the function's identity
/// and every argument by its full value. `None` if an argument has no token.
///
/// A cell's function counts by its repr (`<function 'inc' at 0x…>`: redefining it may give
/// new keys), a native lab function or a prelude helper by its name.
fn pure_key(
    name: ObjectRef<'_>,
    func: ObjectRef<'_>,
    args: ObjectRef<'_>,
    kwargs: ObjectRef<'_>,
) -> Option<Key> {
    let name = name.as_str()?;
    let mut token = TokenHasher::new();
    token.write_str(name);
    match node(func) {
        MontyNode::Function { name, .. } | MontyNode::String(name) => token.write_str(name),
        _ => token.write_str(&func.py_repr()),
    }
    (feed_token(args, &mut token) && feed_token(kwargs, &mut token))
        .then(|| Key::task(name, Purity::Pure, &token))
}

/// Feeds `obj` to `token`: its type, then its contents in full (an array's bytes, every
/// cell of a frame), never a shortened repr. A `Delayed` or `Future` counts by its key, as
/// core's `Delayed::tokenize` does. False for a class, a module or a cycle: no token.
fn feed_token(obj: ObjectRef<'_>, token: &mut TokenHasher) -> bool {
    match node(obj) {
        MontyNode::ClassInstance { attrs, .. } => {
            let class = instance_class(obj).unwrap_or_default();
            if matches!(class, "Delayed" | "_SkeinRef" | "Future")
                && let Some(key) = delayed_key(obj)
            {
                token.write_str("key");
                token.write_str(&key);
                return true;
            }
            token.write_str(class);
            token.write_u64(attrs.len() as u64);
            attrs
                .iter()
                .all(|&(k, v)| feed_token(child(obj, k), token) && feed_token(child(obj, v), token))
        }
        MontyNode::ClassType(_) | MontyNode::Module { .. } | MontyNode::Cycle(_) => false,
        MontyNode::List(ids) | MontyNode::Tuple(ids) => {
            token.write_str(obj.type_name());
            token.write_u64(ids.len() as u64);
            ids.iter().all(|&id| feed_token(child(obj, id), token))
        }
        // Equal sets may iterate in different orders (insertion order decides among
        // colliding hashes): their elements count as a sorted list of their own tokens.
        MontyNode::Set(ids) | MontyNode::FrozenSet(ids) => {
            let mut elements = Vec::with_capacity(ids.len());
            for &id in ids {
                let mut element = TokenHasher::new();
                if !feed_token(child(obj, id), &mut element) {
                    return false;
                }
                elements.push(element.finish128());
            }
            elements.sort_unstable();
            token.write_str(obj.type_name());
            token.write_u64(ids.len() as u64);
            elements.iter().for_each(|&e| token.write_u128(e));
            true
        }
        MontyNode::Dict(pairs) => {
            token.write_str("dict");
            token.write_u64(pairs.len() as u64);
            pairs
                .iter()
                .all(|&(k, v)| feed_token(child(obj, k), token) && feed_token(child(obj, v), token))
        }
        MontyNode::String(s) => {
            token.write_str("str");
            token.write_str(s);
            true
        }
        MontyNode::Bytes(b) => {
            token.write_str("bytes");
            token.write_u64(b.len() as u64);
            token.write(b);
            true
        }
        MontyNode::Int(i) => {
            token.write_str("int");
            token.write_i64(*i);
            true
        }
        MontyNode::Float(f) => {
            token.write_str("float");
            token.write_u64(f.to_bits());
            true
        }
        // The rest (None, bools, big ints, dates, functions…) are told apart by their repr.
        _ => {
            token.write_str(obj.type_name());
            token.write_str(&obj.py_repr());
            true
        }
    }
}

/// The name of a function a cell defined, from how it crosses to the host.
fn function_name(func: ObjectRef<'_>) -> Option<String> {
    match node(func) {
        // A lambda or inner function the prelude sends by the name of its definition
        // (`lambdas.rs`, `closures.rs`).
        MontyNode::String(name) if sendable::is_kept(name) => Some(name.clone()),
        MontyNode::Repr(text) => {
            let rest = text.strip_prefix("<function ")?;
            let rest = rest.strip_prefix('\'').unwrap_or(rest);
            let name: String = rest
                .chars()
                .take_while(|c| *c != '\'' && *c != ' ')
                .collect();
            (!name.is_empty() && !name.contains('<') && !name.contains('.')).then_some(name)
        }
        _ => None,
    }
}

fn is_function(obj: ObjectRef<'_>) -> bool {
    match node(obj) {
        MontyNode::Function { .. } | MontyNode::BuiltinFunction(_) => true,
        MontyNode::Repr(text) => {
            text.starts_with("<function ") || text.starts_with("<bound method ")
        }
        _ => false,
    }
}

/// Runs one task on this worker.
fn run_task(
    session: &Arc<Session>,
    callee: &Callee,
    layout: &Layout,
    mode: Mode,
    values: &[Value],
) -> Result<Value, TaskError> {
    let objects: Vec<&PyValue> = values
        .iter()
        .map(|v| {
            v.downcast_ref::<PyValue>().ok_or_else(|| {
                TaskError::new(format!(
                    "TypeError: an input is a {}, not a Python value",
                    v.type_name()
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let rebuild = objects.iter().any(|v| v.needs_rebuild());
    let fill = |slot: &Slot| match slot {
        Slot::Input(i) => objects[*i].object().clone(),
        Slot::Template(ids) => {
            let template = objects[ids[0]].object();
            let deps: Vec<&MontyObject> = ids[1..].iter().map(|&i| objects[i].object()).collect();
            crate::pyvalue::substitute(template.as_ref(), &deps)
        }
    };
    let args = MontyObject::tuple(layout.positional.iter().map(fill));
    let kwargs = fill(&layout.kwargs);
    match callee {
        Callee::Native(name) => {
            let arg_refs: Vec<ObjectRef<'_>> = args.as_ref().items().unwrap_or_default();
            labs::call(name, &arg_refs, &session.interrupt.canceller())
                .map(|v| Value::new(PyValue::from_export(v)))
                .map_err(|e| TaskError::new(errors::encode_task_error(&e, "")))
        }
        Callee::Builtin(capsule, builtin) => {
            let call = MontyObject::tuple([builtin.clone(), args, kwargs]);
            let none = MontyObject::dict(Vec::<(MontyObject, MontyObject)>::new());
            match worker::run(session, capsule, mode, call, none, rebuild) {
                Ok(value) => Ok(Value::new(PyValue::from_export(value))),
                Err((e, prelude)) => Err(TaskError::new(errors::encode_task_error(&e, &prelude))),
            }
        }
        Callee::Python(capsule) => match worker::run(session, capsule, mode, args, kwargs, rebuild)
        {
            Ok(value) => Ok(Value::new(PyValue::from_export(value))),
            Err((e, prelude)) => Err(TaskError::new(errors::encode_task_error(&e, &prelude))),
        },
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn function_names_come_from_their_repr() {
        let f = MontyObject::repr("<function 'multi_sample' at 0x4c>");
        assert_eq!(function_name(f.as_ref()).as_deref(), Some("multi_sample"));
        let lambda = MontyObject::repr("<function '<lambda>' at 0x4c>");
        assert_eq!(function_name(lambda.as_ref()), None);
        assert!(is_function(f.as_ref()));
        assert!(!is_function(MontyObject::int(1).as_ref()));
    }
}
