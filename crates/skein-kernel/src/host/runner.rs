//! The worker's side of a task: its inputs put back into its arguments ([`Layout`]), then
//! its function called, natively for a lab function, else in the worker's interpreter for
//! the capsule (`worker.rs`), whose host calls a [`Host`] of its own answers.

use std::sync::Arc;

use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};
use skein_core::{TaskError, Value};

use super::args::Args;
use super::tasks::{Callee, Layout, Slot};
use super::{Host, HostResult};
use crate::errors;
use crate::labs;
use crate::pyvalue::{PyValue, first_unsendable};
use crate::session::Session;
use crate::worker::{self, Mode};

/// `_skein_served`: the serving loop's hand-over of a result, which the worker's driver
/// takes before any host sees it (`worker.rs`); called anywhere else, it is an error.
pub(super) fn served(_: &mut Host, _: Args<'_, '_>) -> HostResult {
    Err(MontyException::new(
        ExcType::RuntimeError,
        Some("_skein_served is the worker's: only its serving loop calls it".into()),
    ))
}

/// Runs one task on this worker.
pub(super) fn run_task(
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
    let kwargs = layout.kwargs.as_ref().map(fill);
    let (capsule, args, kwargs) = match callee {
        Callee::Native(name) => {
            let arg_refs: Vec<ObjectRef<'_>> = args.as_ref().items().unwrap_or_default();
            return labs::call(name, &arg_refs, &session.interrupt.canceller())
                .map(|v| Value::new(PyValue::from_export(v)))
                .map_err(|e| TaskError::new(errors::encode_task_error(&e, "")));
        }
        Callee::Builtin(capsule, builtin) => {
            let kwargs = kwargs.unwrap_or_else(worker::no_keywords);
            (
                capsule,
                MontyObject::tuple([builtin.clone(), args, kwargs]),
                None,
            )
        }
        Callee::Python(capsule) => (capsule, args, kwargs),
    };
    let mut host = Host::new(session.clone());
    match worker::run(&mut host, capsule, mode, args, kwargs, rebuild) {
        // A value no interpreter can make again fails the task here, not the cell that asks.
        Ok(value) => match first_unsendable(value.as_ref()) {
            Some(repr) => {
                let message = format!(
                    "the task returned {repr}, which cannot come back from a worker: a \
                     function or a generator stays in the interpreter that made it"
                );
                let error = MontyException::new(ExcType::TypeError, Some(message));
                Err(TaskError::new(errors::encode_task_error(&error, "")))
            }
            None => Ok(Value::new(PyValue::from_export(value))),
        },
        Err((e, prelude)) => Err(TaskError::new(errors::encode_task_error(&e, &prelude))),
    }
}
