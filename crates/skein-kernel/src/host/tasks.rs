//! Making engine tasks from Python calls: what a task calls ([`Callee`]: a cell's function
//! captured into a [`Capsule`], a prelude helper or builtin, a native lab function), how its
//! arguments become inputs ([`Layout`]: a `Delayed` or `Future` anywhere inside an argument
//! is a dependency whose value the worker puts in its place), and its key.

use std::hash::Hasher;
use std::sync::Arc;

use monty_types::unstable::{MontyNode, node};
use monty_types::{MontyException, MontyObject, ObjectRef};
use skein_core::{Delayed, Input, Key, Purity, TaskError, TaskFn, TokenHasher, Value};

use super::args::{Args, host_args};
use super::client_call::{ClientCall, TaskOptions};
use super::keys::delayed_key;
use super::{Host, HostResult, runner, strings, type_error};
use crate::classes::Kind;
use crate::lab_names::LAB_FUNCTIONS;
use crate::pyvalue::{DEP_TAG, PyValue, first_unsendable, rebuild, unsendable_message};
use crate::sendable;
use crate::token::feed_token;
use crate::worker::{Capsule, Mode};

/// Builtins the prelude redefines in Python (see `prelude/compat.py`).
const PRELUDE_BUILTINS: &[&str] = &["sum", "max", "min", "len", "map", "filter"];

/// What a task calls.
pub(super) enum Callee {
    Python(Arc<Capsule>),
    /// A Python builtin (`sum`, `len`): the prelude's `_skein_apply_call` calls it.
    Builtin(Arc<Capsule>, MontyObject),
    Native(String),
}

/// One argument slot of a task: a dependency's value as it is, or a value with
/// dependencies inside it.
#[derive(Clone)]
pub(super) enum Slot {
    Input(usize),
    Template(Vec<usize>),
}

/// How a task's inputs make its call.
#[derive(Clone)]
pub(super) struct Layout {
    pub(super) positional: Vec<Slot>,
    /// `None` for no keyword arguments.
    pub(super) kwargs: Option<Slot>,
}

host_args! {
    /// `_skein_value_names(func)`, `_skein_is_function(func)`.
    pub(super) struct Function<'a> { func: ObjectRef<'a> }
}

/// `_skein_value_names`: the names of `func`'s globals that are values to capture now.
pub(super) fn value_names(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Function { func } = args.parse()?;
    let Some(name) = function_name(func) else {
        return Ok(strings([]));
    };
    let definitions = host
        .session
        .definitions
        .read()
        .unwrap_or_else(|e| e.into_inner());
    Ok(strings(
        definitions
            .plan(&name)
            .map(|p| p.value_names.clone())
            .unwrap_or_default(),
    ))
}

/// `_skein_is_function`: whether the value is a function (`delayed` of one wraps it, of
/// anything else makes it a `Delayed` value).
pub(super) fn is_function_call(_: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Function { func } = args.parse()?;
    Ok(MontyObject::bool(is_function(func)))
}

impl Host {
    /// What calling `func` (with the captured globals `values`) makes a task call, and the
    /// name of its tasks' keys.
    pub(super) fn callee(
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
        let builtin = match node(func) {
            MontyNode::BuiltinFunction(builtin) => Some(builtin.to_string()),
            // A builtin type called as a function (`delayed(list)`, `client.map(int, xs)`):
            // named as Dask names it, `list` from `<class 'list'>`.
            MontyNode::Type(_) => func.py_repr().split('\'').nth(1).map(str::to_owned),
            _ => None,
        };
        if let Some(builtin) = builtin {
            let capsule = Capsule::prelude("_skein_apply_call".to_owned());
            return Ok((Callee::Builtin(Arc::new(capsule), func.to_owned()), builtin));
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
        let mut captured = Vec::new();
        for (name, value) in values.pairs().unwrap_or_default() {
            let Some(name) = name.as_str() else { continue };
            if let Some(repr) = first_unsendable(value) {
                return Err(type_error(format!(
                    "the global `{name}` the function reads: {}",
                    unsendable_message(repr)
                )));
            }
            captured.push((name.to_owned(), PyValue::from_export(value.to_owned())));
        }
        Ok((
            Callee::Python(Arc::new(Capsule::new(
                name.clone(),
                plan.setup.clone(),
                captured,
            ))),
            sendable::display_name(&name),
        ))
    }

    /// Submits a task now (`client.submit`).
    pub(super) fn task(&mut self, call: &ClientCall<'_>) -> Result<String, MontyException> {
        let (callee, name) = self.callee(call.func, call.values)?;
        let options = TaskOptions {
            pure: call.pure,
            key: call.key.as_str(),
            future: true,
            retries: call.retries.0,
            priority: call.priority,
        };
        let callee = Arc::new(callee);
        let args = call.args.items().unwrap_or_default();
        self.task_with(&callee, &name, &args, call.kwargs, Mode::Call, options)
    }

    /// Makes the task of calling `callee` with `args` and `kwargs`, and keeps it in the
    /// session's tables as a future or a pending `Delayed`; its key.
    pub(super) fn task_with(
        &mut self,
        callee: &Arc<Callee>,
        name: &str,
        args: &[ObjectRef<'_>],
        kwargs: ObjectRef<'_>,
        mode: Mode,
        options: TaskOptions<'_>,
    ) -> Result<String, MontyException> {
        let (key_text, d) = self.make_task(callee, name, args, kwargs, mode, &options)?;
        if options.future {
            let f = self
                .session
                .client
                .compute_with_priority(&d, options.priority.submitted())
                .map_err(|e| self.engine_error(&e))?;
            self.session.tables().futures.insert(key_text.clone(), f);
        } else {
            self.session.tables().delayed.insert(key_text.clone(), d);
        }
        Ok(key_text)
    }

    /// The task of calling `callee` with `args` and `kwargs`, and its key, kept nowhere yet.
    pub(super) fn make_task(
        &self,
        callee: &Arc<Callee>,
        name: &str,
        args: &[ObjectRef<'_>],
        kwargs: ObjectRef<'_>,
        mode: Mode,
        options: &TaskOptions<'_>,
    ) -> Result<(String, Delayed<Value>), MontyException> {
        let mut inputs = Vec::new();
        let mut token = TokenHasher::new();
        token.write_str(name);
        if let Callee::Python(capsule) | Callee::Builtin(capsule, _) = &**callee {
            token.write_u128(capsule.id);
        }
        let positional = args
            .iter()
            .map(|&a| self.slot(a, &mut inputs, &mut token))
            .collect::<Result<Vec<_>, _>>()?;
        // No keywords, no input: most calls have none.
        let kwargs = if matches!(node(kwargs), MontyNode::Dict(pairs) if pairs.is_empty()) {
            feed_token(kwargs, &mut token);
            None
        } else {
            Some(self.slot(kwargs, &mut inputs, &mut token)?)
        };
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
        let key_text = key.to_string();
        let func = self.task_fn(callee.clone(), layout, mode, options.retries);
        Ok((key_text, Delayed::from_task(key, func, inputs)))
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
        let template = rebuild(arg, &mut |_, value| match self.dependency(value) {
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
        });
        if let Some(e) = failure {
            return Err(e);
        }
        // Refused here, in the cell, rather than by the worker that cannot rebuild it.
        if let Some(repr) = first_unsendable(template.as_ref()) {
            return Err(type_error(unsendable_message(repr)));
        }
        if !feed_token(template.as_ref(), token) {
            token.write_str(&template.py_repr());
        }
        let value = PyValue::from_export(template);
        inputs.push(Input::Value(Value::new(value)));
        if found.is_empty() {
            // Nothing to put in: the value is the argument.
            return Ok(Slot::Input(inputs.len() - 1));
        }
        found.insert(0, inputs.len() - 1);
        Ok(Slot::Template(found))
    }

    fn dependency(&self, arg: ObjectRef<'_>) -> Result<Option<Input>, MontyException> {
        match Kind::of(arg) {
            Some(Kind::Delayed | Kind::Ref) => {
                let key = delayed_key(arg).ok_or_else(|| type_error("a Delayed without a key"))?;
                Ok(Some(Input::Delayed(self.delayed(&key)?)))
            }
            Some(Kind::Future) => {
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
                    || runner::run_task(&session, &callee, &layout, mode, values),
                )
            })
        })
    }
}

/// The name of a function a cell defined, from how it crosses to the host.
fn function_name(func: ObjectRef<'_>) -> Option<String> {
    match node(func) {
        // A lambda or inner function the prelude sends by the name of its definition
        // (`lambdas.rs`, `closures.rs`).
        MontyNode::String(name) if sendable::is_kept(name) => Some(name.clone()),
        // A cell's class, called as a task: the worker calls it by its name.
        MontyNode::String(sent) => sendable::class_name(sent).map(str::to_owned),
        MontyNode::Repr(text) => sendable::function_name(text).map(str::to_owned),
        _ => None,
    }
}

/// Whether `obj` is a function, or a builtin type (which calls as one).
fn is_function(obj: ObjectRef<'_>) -> bool {
    match node(obj) {
        MontyNode::Function { .. } | MontyNode::BuiltinFunction(_) | MontyNode::Type(_) => true,
        MontyNode::Repr(text) => {
            text.starts_with("<function ") || text.starts_with("<bound method ")
        }
        _ => false,
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
