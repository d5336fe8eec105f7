//! User functions on the workers: a [`Capsule`] is a function as it was captured (its code,
//! what it calls, its imports and captured values); each worker thread keeps its own
//! interpreters, one per capsule it has run lately, and calls the function in them.
//!
//! Monty's interpreters are `Send` but not `Sync`, so none is shared: a thread builds its
//! own (prelude, then the capsule's setup) the first time it meets a capsule and reuses it
//! for every later task of that capsule.
//!
//! A plain call (`f(*args)`, the tasks of `client.map` and `submit`) runs in the prelude's
//! serving loop (`_skein_serve`): its result goes out through the host function
//! `_skein_served`, where the interpreter stays paused until this thread's next task of
//! the capsule resumes it with that task's arguments. Compiling a call snippet per task
//! would cost more than the call itself.

use std::cell::RefCell;
use std::sync::Arc;

use monty::{MontyRepl, ReplFunctionCall};
use monty_types::{ExcType, ExtFunctionResult, MontyException, MontyObject, PrintWriter};
use skein_core::TokenHasher;

use crate::interp::{self, HostCalls, Printer, Stop};
use crate::pyvalue::PyValue;
use crate::rewrite::RewrittenSource;
use crate::token::feed_token;

/// Interpreters a worker keeps, most recently used last.
const CACHED: usize = 8;
/// Snippets an interpreter runs before it is rebuilt (each leaves a little source text).
const RUNS_PER_INTERPRETER: u32 = 10_000;
/// The host function the serving loop hands each result to (`prelude/dask_runtime.py`).
pub(crate) const SERVED: &str = "_skein_served";

/// How a task applies its function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `f(*args, **kwargs)`.
    Call,
    /// `[f(x) for x in args[0]]` (a bag's `map` over one partition).
    MapEach,
    /// `[x for x in args[0] if f(x)]` (a bag's `filter`).
    FilterEach,
    /// `_skein_apply_bag(args[1], f, args[0], *args[2:])`: one step of a bag method that
    /// hands the user's function a whole partition (`prelude/bag.py`).
    Partition,
}

/// A function captured for the workers.
#[derive(Debug)]
pub(crate) struct Capsule {
    /// Identifies the setup and values (equal capsules share interpreters).
    pub(crate) id: u128,
    /// The name the function has in the worker's interpreter.
    pub(crate) entry: String,
    /// Imports and code run once per interpreter, already rewritten: a worker runs it as
    /// it is.
    pub(crate) setup: RewrittenSource,
    /// Captured globals, bound before the setup runs.
    pub(crate) values: Vec<(String, PyValue)>,
}

impl Capsule {
    /// A function every worker's prelude defines (`entry`): nothing to set up or capture.
    pub(crate) fn prelude(entry: String) -> Capsule {
        Capsule::new(entry, RewrittenSource::default(), Vec::new())
    }

    pub(crate) fn new(
        entry: String,
        setup: RewrittenSource,
        values: Vec<(String, PyValue)>,
    ) -> Capsule {
        let mut h = TokenHasher::new();
        h.write_str(&entry);
        h.write_str(setup.as_str());
        for (name, value) in &values {
            h.write_str(name);
            let object = value.object().as_ref();
            if !feed_token(object, &mut h) {
                h.write_str(&object.py_repr());
            }
        }
        Capsule {
            id: h.finish128(),
            entry,
            setup,
            values,
        }
    }
}

struct Cached {
    capsule: u128,
    session: usize,
    state: Option<State>,
    prelude: String,
    runs: u32,
}

/// An interpreter between two tasks.
// Taken out and put back once per task: a box would be an allocation per task.
#[allow(clippy::large_enum_variant)]
enum State {
    /// Between snippets.
    Idle(MontyRepl),
    /// Paused in the serving loop, at its call of `_skein_served`.
    Serving(ReplFunctionCall),
}

impl State {
    fn into_repl(self) -> MontyRepl {
        match self {
            State::Idle(repl) => repl,
            // Leaves the loop; the arguments it bound stay a global.
            State::Serving(call) => call.into_repl(),
        }
    }
}

thread_local! {
    // Boxed: a cached interpreter moves in and out of the list at every task.
    #[allow(clippy::vec_box)]
    static INTERPRETERS: RefCell<Vec<Box<Cached>>> = const { RefCell::new(Vec::new()) };
}

/// Runs `capsule`'s function on this thread with `args` (a tuple) and `kwargs` (a dict, or
/// `None` for no keywords), `host` answering its host calls; `rebuild` says the arguments
/// carry travelling objects to make again first.
pub(crate) fn run(
    host: &mut dyn HostCalls,
    capsule: &Capsule,
    mode: Mode,
    args: MontyObject,
    kwargs: Option<MontyObject>,
    rebuild: bool,
) -> Result<MontyObject, (MontyException, String)> {
    let session_id = Arc::as_ptr(host.session()) as usize;
    // Out of the cache while it runs: a task that waits may run another task on this thread.
    let cached = INTERPRETERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let found = cache
            .iter()
            .position(|c| c.capsule == capsule.id && c.session == session_id)?;
        Some(cache.remove(found))
    });
    let mut cached = match cached {
        Some(cached) if cached.runs < RUNS_PER_INTERPRETER => cached,
        _ => build(host, capsule).map_err(|e| (e, String::new()))?,
    };
    let plain = mode == Mode::Call && !rebuild && kwargs.is_none();
    if !(plain && matches!(cached.state, Some(State::Serving(_)))) {
        cached.runs += 1;
    }
    let result = crate::release::as_task(|| {
        if plain {
            serve(&mut cached.state, capsule, args, host)
        } else {
            let repl = cached.state.take().map(State::into_repl);
            let Some(repl) = repl else {
                return Err(MontyException::new(
                    ExcType::RuntimeError,
                    Some("no interpreter".into()),
                ));
            };
            let call = call_code(capsule, mode, rebuild);
            let inputs = vec![
                ("__skein_args".to_owned(), args),
                (
                    "__skein_kwargs".to_owned(),
                    kwargs.unwrap_or_else(no_keywords),
                ),
            ];
            let (repl, result) = drive_defining_classes(repl, &call, inputs, host);
            cached.state = Some(State::Idle(repl));
            result
        }
    });
    // The prelude's name only for an error's traceback: a clone per task otherwise.
    let result = result.map_err(|e| (e, cached.prelude.clone()));
    // Every run that had an interpreter puts one back; an entry without one is not kept.
    if cached.state.is_some() {
        INTERPRETERS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.len() >= CACHED {
                cache.remove(0);
            }
            cache.push(cached);
        });
    }
    result
}

/// An empty dict: the keyword arguments of a call that has none.
pub(crate) fn no_keywords() -> MontyObject {
    MontyObject::dict(Vec::<(MontyObject, MontyObject)>::new())
}

/// The snippet that calls `capsule`'s function for a task the serving loop does not take.
fn call_code(capsule: &Capsule, mode: Mode, rebuild: bool) -> String {
    match (mode, rebuild) {
        (Mode::Call, false) => format!("{}(*__skein_args, **__skein_kwargs)", capsule.entry),
        (Mode::Call, true) => format!(
            "{}(*_skein_rebuild(__skein_args), **_skein_rebuild(__skein_kwargs))",
            capsule.entry
        ),
        (Mode::MapEach, _) => format!(
            "[{}(_skein_x) for _skein_x in _skein_rebuild(__skein_args[0])]",
            capsule.entry
        ),
        (Mode::Partition, _) => format!(
            "_skein_apply_bag(__skein_args[1], {}, _skein_rebuild(__skein_args[0]), *_skein_rebuild(list(__skein_args[2:])))",
            capsule.entry
        ),
        (Mode::FilterEach, _) => format!(
            "[_skein_x for _skein_x in _skein_rebuild(__skein_args[0]) if {}(_skein_x)]",
            capsule.entry
        ),
    }
}

/// Calls `capsule`'s function with `args` in the serving loop: resumed where it waits, or
/// started. The loop keeps the arguments in the global `__skein_args`, as a snippet's input
/// is, so a call that must first define a class can be made again as a snippet.
///
/// The interpreter is taken out of `state` and put back where the run ends: it is a few
/// kilobytes, and every move of it is a copy that would cost a task as much as its call.
fn serve(
    state: &mut Option<State>,
    capsule: &Capsule,
    args: MontyObject,
    host: &mut dyn HostCalls,
) -> Result<MontyObject, MontyException> {
    let session = host.session().clone();
    let mut printer = Printer::new(&session);
    let progress = match state.take() {
        Some(State::Serving(call)) => call.resume(
            ExtFunctionResult::Return(args),
            PrintWriter::Callback(&mut printer),
        ),
        Some(State::Idle(repl)) => repl.feed_start(
            &format!("_skein_serve({})", capsule.entry),
            vec![("__skein_args".to_owned(), args)],
            PrintWriter::Callback(&mut printer),
        ),
        None => {
            return Err(MontyException::new(
                ExcType::RuntimeError,
                Some("no interpreter".into()),
            ));
        }
    };
    match interp::advance(progress, host, &mut printer, Some(SERVED)) {
        Stop::Paused(mut call) => {
            // Taken, so that the paused loop does not hold a second copy of the result.
            let served = std::mem::take(&mut call.args);
            *state = Some(State::Serving(call));
            served.arg(0).map(|v| v.to_owned()).ok_or_else(|| {
                MontyException::new(ExcType::RuntimeError, Some("no result served".into()))
            })
        }
        Stop::Done(repl, failed @ Err(_)) => {
            let code = format!("{}(*__skein_args)", capsule.entry);
            let (repl, result) = define_and_retry(repl, &code, failed, host);
            *state = Some(State::Idle(repl));
            result
        }
        Stop::Done(repl, Ok(_)) => {
            *state = Some(State::Idle(repl));
            Err(MontyException::new(
                ExcType::RuntimeError,
                Some("the serving loop ended".into()),
            ))
        }
    }
}

fn build(host: &mut dyn HostCalls, capsule: &Capsule) -> Result<Box<Cached>, MontyException> {
    let session = host.session().clone();
    let (repl, prelude) = interp::new_repl(host)?;
    // Plain values before the setup (a default argument in it may read one); objects of the
    // cells' classes after it, since it may define their classes.
    let mut plain = Bindings::default();
    let mut objects = Bindings::default();
    for (index, (name, value)) in capsule.values.iter().enumerate() {
        let input = format!("__skein_v{index}");
        if value.needs_rebuild() {
            objects.code += &format!("{name} = _skein_rebuild({input})\n");
            objects.inputs.push((input, value.object().clone()));
        } else {
            plain.code += &format!("{name} = {input}\n");
            plain.inputs.push((input, value.object().clone()));
        }
    }
    let (repl, result) = interp::drive(repl, &plain.code, plain.inputs, host);
    result?;
    let (repl, result) = interp::drive(repl, setup_text(capsule), Vec::new(), host);
    result?;
    let (repl, result) = drive_defining_classes(repl, &objects.code, objects.inputs, host);
    result?;
    Ok(Box::new(Cached {
        capsule: capsule.id,
        session: Arc::as_ptr(&session) as usize,
        state: Some(State::Idle(repl)),
        prelude,
        runs: 0,
    }))
}

/// Assignments of captured globals, and the values they read.
#[derive(Default)]
struct Bindings {
    code: String,
    inputs: Vec<(String, MontyObject)>,
}

/// Runs `code` like [`interp::drive`]; when it fails on an object of a cell's class, or a
/// cell's function inside the arguments, that this interpreter lacks (a dependency's result,
/// an argument: `_skein_cell_class` and `_skein_fn_ref` in the prelude), defines it from the
/// cells' text, as cloudpickle ships a notebook's class with its objects, and runs `code`
/// again. Objects are made before the task's function
/// is called, so the first run had no effect to repeat.
fn drive_defining_classes(
    repl: MontyRepl,
    code: &str,
    inputs: Vec<(String, MontyObject)>,
    host: &mut dyn HostCalls,
) -> (MontyRepl, Result<MontyObject, MontyException>) {
    let (repl, result) = interp::drive(repl, code, inputs, host);
    define_and_retry(repl, code, result, host)
}

/// While `result`, of running `code`, is the prelude's error for a definition the
/// interpreter lacks, defines it and runs `code` again (its inputs are still bound).
fn define_and_retry(
    mut repl: MontyRepl,
    code: &str,
    mut result: Result<MontyObject, MontyException>,
    host: &mut dyn HostCalls,
) -> (MontyRepl, Result<MontyObject, MontyException>) {
    let mut defined = Vec::new();
    while let Err(error) = &result
        && let Some(name) = missing_definition(error)
        && !defined.iter().any(|d| d == name)
    {
        let setup = host
            .session()
            .definitions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .plan(name)
            .map(|plan| plan.setup.clone());
        let Some(setup) = setup else {
            break;
        };
        defined.push(name.to_owned());
        let (r, made) = interp::drive(repl, setup.as_str(), Vec::new(), host);
        repl = r;
        if made.is_err() {
            break;
        }
        (repl, result) = interp::drive(repl, code, Vec::new(), host);
    }
    (repl, result)
}

/// The class or function named by the prelude's error for one the interpreter lacks.
fn missing_definition(error: &MontyException) -> Option<&str> {
    if error.exc_type() != ExcType::TypeError {
        return None;
    }
    let message = error.message()?;
    let rest = message
        .strip_prefix(NO_CLASS)
        .or_else(|| message.strip_prefix(NO_FUNCTION))?;
    rest.split_once('\'').map(|(name, _)| name)
}

/// The starts of those errors (`_SKEIN_NO_CLASS`, `_SKEIN_NO_FUNCTION` in
/// `prelude/dask_runtime.py`).
const NO_CLASS: &str = "cannot make an object of class '";
const NO_FUNCTION: &str = "cannot find the function '";

/// The text a worker runs once to set up `capsule`'s interpreter.
fn setup_text(capsule: &Capsule) -> &str {
    capsule.setup.as_str()
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::capture::Definitions;
    use crate::cell::prepare;

    #[test]
    fn the_prelude_s_missing_definition_errors_name_it() {
        // The prelude raises them; the texts must be the ones this module reads.
        let prelude = include_str!("prelude/dask_runtime.py");
        assert!(prelude.contains(NO_CLASS) && prelude.contains(NO_FUNCTION));
        let error = MontyException::new(
            ExcType::TypeError,
            Some(format!("{NO_CLASS}Point' here: Skein sends objects of …")),
        );
        assert_eq!(missing_definition(&error), Some("Point"));
        let function =
            MontyException::new(ExcType::TypeError, Some(format!("{NO_FUNCTION}inc' here")));
        assert_eq!(missing_definition(&function), Some("inc"));
        let other = MontyException::new(ExcType::ValueError, Some(format!("{NO_CLASS}Point'")));
        assert_eq!(missing_definition(&other), None);
    }

    #[test]
    fn a_captured_function_is_rewritten_once() {
        let mut defs = Definitions::default();
        defs.extend(
            prepare(
                "from operator import add\ndef total(xs):\n    s = 0\n    for x in xs:\n        s = add(s, x)\n    return s\n",
                true,
            )
            .definitions,
        );
        let plan = defs.plan("total").unwrap();
        let capsule = Capsule::new("total".to_owned(), plan.setup.clone(), Vec::new());
        let text = setup_text(&capsule);
        assert_eq!(text.matches("_skein_for(").count(), 1, "{text}");
        // The setup's imports of Skein's modules still become the prelude's look-ups.
        assert!(
            text.contains("add = _skein_from('operator', 'add')"),
            "{text}"
        );
    }
}
