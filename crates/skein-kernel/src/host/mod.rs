//! The host functions behind the prelude's Python (`_skein_*`): building tasks from Python
//! calls, computing and persisting `Delayed`s, futures, `as_completed`, pyplot, files and
//! the native labs. The same host answers the kernel's interpreter and the workers'.
//!
//! [`registry`] holds the one list of host functions, name → handler; the
//! interpreter offers exactly those names. A handler reads its positional arguments into a
//! typed struct ([`args`]: a wrong call is a `TypeError` naming the function and the
//! argument), then answers.
//!
//! One file per area: [`futures`] (`submit`, `map`, `gather`, a future's result,
//! `as_completed`), [`graphs`] (pending `Delayed`s, `compute`, `persist`, `visualize`, bags),
//! [`arrays`] (numpy), [`frames`] (pandas' tables and plots), [`display`] (values, graphs and
//! pyplot's figure), [`files`], [`labs`], [`modules`] (the names `from m import *` binds), [`cluster`] (workers, `scale`, the memory sweep's
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
//! `_skein_pure_key` (see [`keys`]) when the call is pure.

use std::sync::Arc;

use monty_types::{CallArgs, ExcType, MontyException, MontyObject, ObjectRef};
use skein_core::{Delayed, Error, Future, Key, Value};

use crate::errors::{self, TaskFailure};
use crate::interp::HostCalls;
use crate::pyvalue::PyValue;
use crate::session::Session;

mod args;
mod arrays;
mod client_call;
mod cluster;
mod coordination;
mod display;
mod files;
mod frames;
mod futures;
mod graphs;
mod keys;
mod labs;
mod modules;
pub(crate) mod registry;
mod runner;
mod tasks;

use args::Args;

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

    /// Calls the host function `name` (see [`registry`]).
    pub(crate) fn call(&mut self, name: &str, call: &CallArgs) -> HostResult {
        let Some(function) = registry::lookup(name) else {
            return Err(exc(
                ExcType::NameError,
                format!("name '{name}' is not defined"),
            ));
        };
        if function.makes_entries {
            crate::release::note_entries(&self.session);
        }
        let items: Vec<ObjectRef<'_>> = call.args().collect();
        (function.handler)(
            self,
            Args {
                name,
                items: &items,
            },
        )
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
        self.found_future(key, found)
    }

    /// The futures of `keys`, found under one lock of the tables: a `gather` asks for
    /// thousands.
    fn futures_of(&self, keys: &[String]) -> Result<Vec<Future<Value>>, MontyException> {
        let found: Vec<_> = {
            let tables = self.session.tables();
            keys.iter()
                .map(|k| tables.futures.get(k).cloned())
                .collect()
        };
        keys.iter()
            .zip(found)
            .map(|(key, found)| self.found_future(key, found))
            .collect()
    }

    /// `found` in the tables, or else the client's future of `key` (a key another future
    /// or a persisted Delayed computes).
    fn found_future(
        &self,
        key: &str,
        found: Option<Future<Value>>,
    ) -> Result<Future<Value>, MontyException> {
        found
            .or_else(|| self.session.client.future_of(&Key::from_text(key)))
            .ok_or_else(|| {
                exc(
                    ExcType::KeyError,
                    format!("no future {key} (was the kernel restarted?)"),
                )
            })
    }
}

impl HostCalls for Host {
    fn session(&self) -> &Arc<Session> {
        &self.session
    }

    fn offers(&self, name: &str) -> bool {
        registry::lookup(name).is_some()
    }

    fn names(&self) -> Vec<String> {
        registry::names().collect()
    }

    fn call(&mut self, name: &str, args: &CallArgs) -> HostResult {
        Host::call(self, name, args)
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
