//! Script functions as engine tasks: a function value (a `fn` of some cell, a closure, or a
//! native lab function) called on a worker thread.
//!
//! A task holds the function value and the compiled functions of the cell that made it
//! (shared `Arc`s into the cell's AST: nothing is parsed again), and runs under the
//! generation of that cell, so an interrupt stops it.

use std::hash::Hash;
use std::sync::Arc;

use rhai::{Dynamic, FnPtr, Module, NativeCallContext, Position};
use skein_core::{Input, Key, TaskError, TaskFn, TokenHasher, Value};

use crate::convert;
use crate::errors;
use crate::interrupt;
use crate::session::Session;

/// The most arguments a script function called as a task takes.
pub(crate) const MAX_ARGS: usize = 8;

/// A function value bound to the compiled script it came from.
#[derive(Clone)]
pub(crate) struct ScriptFn {
    func: FnPtr,
    lib: Arc<[Arc<Module>]>,
}

impl ScriptFn {
    /// `func` with the functions visible where it is used.
    pub(crate) fn new(ctx: &NativeCallContext, func: FnPtr) -> ScriptFn {
        ScriptFn {
            func,
            lib: ctx.global_runtime_state().lib.iter().cloned().collect(),
        }
    }

    /// The task name: the function's name, `lambda` for closures (as Dask names them).
    pub(crate) fn name(&self) -> &str {
        if self.func.is_anonymous() {
            "lambda"
        } else {
            self.func.fn_name()
        }
    }

    /// What identifies the function in pure keys: its name, its definition (a redefined `fn`
    /// is a new function) and its curried values. Computed once per `submit`/`map`.
    pub(crate) fn key_seed(&self) -> u128 {
        let mut h = TokenHasher::new();
        h.write_str(self.func.fn_name());
        let curried = self.func.curry().len();
        for module in self.lib.iter() {
            for arity in curried..=curried + MAX_ARGS {
                if let Some(def) = module.get_script_fn(self.func.fn_name(), arity) {
                    (Arc::as_ptr(def) as usize as u64).hash(&mut h);
                }
            }
        }
        self.func
            .curry()
            .iter()
            .for_each(|c| convert::tokenize(c, &mut h));
        h.finish128()
    }

    /// A pure key for calling this function (identified by `seed`) with `args`.
    pub(crate) fn pure_key(&self, seed: u128, args: &[Dynamic]) -> Key {
        Key::pure_with(self.name(), |h| {
            seed.hash(h);
            args.len().hash(h);
            args.iter().for_each(|a| convert::tokenize(a, h));
        })
    }

    /// Calls the function here (on this thread) with `args`.
    pub(crate) fn call(
        &self,
        engine: &rhai::Engine,
        args: Vec<Dynamic>,
    ) -> Result<Dynamic, Box<rhai::EvalAltResult>> {
        let mut global = engine.new_global_runtime_state();
        global.lib.extend(self.lib.iter().cloned());
        let ctx = NativeCallContext::new_with_all_fields(
            engine,
            self.func.fn_name(),
            None,
            &global,
            Position::NONE,
        );
        self.func.call_raw(&ctx, None, args)
    }

    /// The engine task: converts the arguments, runs the function under `generation`.
    pub(crate) fn task_fn(self, session: &Arc<Session>) -> TaskFn {
        let session = session.clone();
        let generation = interrupt::running_generation();
        Arc::new(move |args: &[Value]| {
            if session.interrupt.is_cancelled(generation) {
                return Err(TaskError::new(interrupt::INTERRUPTED));
            }
            let engine = session
                .engine()
                .ok_or_else(|| TaskError::new("the kernel was restarted"))?;
            let args = args
                .iter()
                .map(convert::to_dynamic)
                .collect::<Result<Vec<_>, _>>()?;
            interrupt::run_as(generation, || self.call(&engine, args))
                .map(convert::to_value)
                .map_err(|e| {
                    TaskError::new(if errors::is_interrupt(&e) {
                        interrupt::INTERRUPTED.to_owned()
                    } else {
                        errors::task_message(&e)
                    })
                })
        })
    }
}

/// A script argument as a task input: delayed values and futures become dependencies.
pub(crate) fn input(arg: Dynamic) -> Input {
    if let Some(d) = arg.read_lock::<crate::api::delayed::DelayedValue>() {
        return Input::Delayed(d.inner().clone());
    }
    if let Some(f) = arg.read_lock::<crate::api::client::FutureValue>() {
        return Input::Future(f.inner().clone());
    }
    Input::Value(convert::to_value(arg))
}
