//! The host functions behind the prelude's Python (`_skein_*`): building tasks from Python
//! calls, computing and persisting `Delayed`s, futures, `as_completed`, pyplot, files and
//! the native labs. The same host answers the kernel's interpreter and the workers'.
//!
//! One file per area: [`futures`] (`submit`, `map`, `gather`, a future's result,
//! `as_completed`), [`graphs`] (pending `Delayed`s, `compute`, `persist`, `visualize`, bags),
//! [`arrays`] (numpy), [`frames`] (pandas' tables and plots), [`display`] (values, graphs and
//! pyplot's figure), [`files`], [`labs`], [`cluster`] (workers, `scale`, the memory sweep's
//! release); and the machinery they share: [`keys`] (a value's token, pure keys), [`tasks`]
//! (what a task calls and how its arguments become inputs) and [`runner`] (the worker's side
//! of a task).
//!
//! A task's function is one of three things: a function a cell defined (captured into a
//! [`Capsule`](crate::worker::Capsule) and run in the workers' interpreters), one of the
//! prelude's helpers (`_skein_apply_op` for operators and attribute access), or a native lab
//! function (run as Rust, no interpreter). Its arguments may hold `Delayed`s and `Future`s
//! anywhere inside; those become the task's dependencies, and the worker puts their values in
//! their place.
//!
//! A task's key follows core's rule ([`Key::task`]). `client.submit` and friends make theirs
//! here; a pending `Delayed` gets its key when the prelude builds it, from
//! `_skein_pure_key` (see [`pure_key`]) when the call is pure.

use std::sync::Arc;

use monty_types::{CallArgs, ExcType, MontyException, MontyObject, ObjectRef};
use skein_core::{Delayed, Error, Future, Key, Value};

use crate::errors::{self, TaskFailure};
use crate::pyvalue::PyValue;
use crate::session::Session;

mod arrays;
pub(crate) mod client_call;
mod cluster;
mod display;
mod files;
mod frames;
mod futures;
mod graphs;
mod keys;
mod labs;
mod runner;
mod tasks;

use client_call::ClientCall;
use keys::{key_list, key_text, pure_key};

/// Answers the interpreter's calls of `_skein_*` functions.
pub(crate) struct Host {
    session: Arc<Session>,
    /// The failure of the task whose exception was raised last (for the cell's traceback).
    pub(crate) last_failure: Option<TaskFailure>,
}

type HostResult = Result<MontyObject, MontyException>;

fn exc(exc_type: ExcType, message: impl Into<String>) -> MontyException {
    MontyException::new(exc_type, Some(message.into()))
}

fn type_error(message: impl Into<String>) -> MontyException {
    exc(ExcType::TypeError, message)
}

fn strings(values: impl IntoIterator<Item = String>) -> MontyObject {
    MontyObject::list(values.into_iter().map(MontyObject::string))
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
        let text = |i: usize| arg(i).map(|a| a.as_str().unwrap_or_default());
        if let Some(lab) = name.strip_prefix("_skein_lab_") {
            return self.lab(lab, &args);
        }
        match name {
            "_skein_np" => self.np(&args),
            "_skein_value_names" => Ok(self.value_names(arg(0)?)),
            "_skein_is_function" => Ok(MontyObject::bool(tasks::is_function(arg(0)?))),
            "_skein_pure_key" => Ok(pure_key(arg(0)?, arg(1)?, arg(2)?, arg(3)?)
                .map_or_else(MontyObject::none, |k| MontyObject::string(k.to_string()))),
            "_skein_register" => {
                self.register(arg(0)?)?;
                Ok(MontyObject::none())
            }
            "_skein_compute" => self.compute(arg(0)?),
            "_skein_release" => self.release(arg(0)?, arg(1)?, arg(2)?),
            "_skein_persist" => self.persist(arg(0)?),
            "_skein_visualize" => self.visualize(arg(0)?),
            "_skein_future_of" => self.future_of(arg(0)?),
            "_skein_submit" => Ok(MontyObject::string(self.task(&ClientCall::parse(&args)?)?)),
            "_skein_map" => self.map(&ClientCall::parse(&args)?),
            "_skein_bag_map" => {
                self.bag_map(arg(0)?, arg(1)?, arg(2)?, arg(3)?, args.get(4).copied())
            }
            "_skein_gather" => self.gather(arg(0)?),
            "_skein_gather_quiet" => self.gather_quiet(&key_list(arg(0)?)),
            "_skein_result" => self.result(&key_text(arg(0)?)?),
            "_skein_exception" => self.exception(&key_text(arg(0)?)?),
            "_skein_status" => self.status(&key_text(arg(0)?)?),
            "_skein_type" => self.result_type(&key_text(arg(0)?)?),
            "_skein_cancel" => self.cancel(&key_list(arg(0)?)),
            "_skein_scatter" => self.scatter(arg(0)?),
            "_skein_as_completed" => self.as_completed(&key_list(arg(0)?)),
            "_skein_as_completed_add" => self.as_completed_add(arg(0)?, &key_text(arg(1)?)?),
            "_skein_as_completed_count" => self.as_completed_count(arg(0)?),
            "_skein_as_completed_next" => self.as_completed_next(arg(0)?),
            "_skein_workers" => self.workers(),
            "_skein_worker_index" => self.worker_index(),
            "_skein_scale" => self.scale(arg(0)?),
            "_skein_progress" => self.progress(&key_list(arg(0)?)),
            "_skein_show" => self.show(text(0)?, text(1)?),
            "_skein_show_graph" => self.show_graph(text(0)?, text(1)?),
            "_skein_show_table" => self.show_table(arg(0)?, arg(1)?, arg(2)?, arg(3)?),
            "_skein_plt" => self.plt(text(0)?, arg(1)?),
            "_skein_plot_series" => self.plot_series(arg(0)?, arg(1).ok()),
            "_skein_read_text" => self.read_text(
                arg(0)?
                    .as_str()
                    .ok_or_else(|| type_error("a path must be a str"))?,
            ),
            "_skein_write_text" => self.write_text(
                arg(0)?
                    .as_str()
                    .ok_or_else(|| type_error("a path must be a str"))?,
                arg(1)?
                    .as_str()
                    .ok_or_else(|| type_error("text must be a str"))?,
            ),
            other => Err(exc(
                ExcType::NameError,
                format!("name '{other}' is not defined"),
            )),
        }
    }

    fn wait(&self, futures: &[Future<Value>]) -> Result<(), MontyException> {
        self.session
            .wait(futures)
            .map_err(|_| errors::interrupted())
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
