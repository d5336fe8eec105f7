//! Running Python: the prelude every interpreter starts with, the printer that streams
//! `print` and polls for interrupts, and the loop that answers the interpreter's calls to
//! the host until a snippet completes.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use monty::{MontyRepl, ReplFunctionCall, ReplProgress, ReplStartError};
use monty_types::{
    CallArgs, CompileOptions, DateTimeSource, ExcType, ExtFunctionResult, MontyException,
    MontyFileHandle, MontyObject, NameLookupResult, OsFunctionCall, OsPolicy, PrintWriter,
    PrintWriterCallback, ResourceLimits, ResourceTracker, SleepMode,
};

use crate::lab_names::LAB_FUNCTIONS;
use crate::output::Output;
use crate::session::Session;
use crate::snapshot;

/// What running Python needs from the host: the session it runs in, which names are host
/// functions and their answers. `host::Host` is the one implementation; the trait keeps
/// `interp`, and `worker` and `release`, which run Python through it, below `host`.
pub(crate) trait HostCalls {
    /// The session the Python runs in.
    fn session(&self) -> &Arc<Session>;

    /// Whether `name` is a host function (Monty asks for a name the Python does not define).
    fn offers(&self, name: &str) -> bool;

    /// Every host function's name.
    fn names(&self) -> Vec<String>;

    /// Calls the host function `name`.
    fn call(&mut self, name: &str, args: &CallArgs) -> Result<MontyObject, MontyException>;
}

/// Methods of `str` a cell can name as functions (`b.map(str.upper)`): Monty's `str` has no
/// attributes, so the prelude defines each as a function of its own (`prelude/compat.py`).
const STR_METHODS: &[&str] = &[
    "capitalize",
    "casefold",
    "center",
    "count",
    "encode",
    "endswith",
    "find",
    "format",
    "index",
    "isalnum",
    "isalpha",
    "isdecimal",
    "isdigit",
    "isidentifier",
    "islower",
    "isnumeric",
    "isspace",
    "istitle",
    "isupper",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rfind",
    "rindex",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "startswith",
    "strip",
    "swapcase",
    "title",
    "upper",
    "zfill",
];

/// Builtins bound as the prelude's globals (see `prelude()`).
const BOUND_BUILTINS: &[&str] = &[
    "type",
    "id",
    "repr",
    "isinstance",
    "list",
    "tuple",
    "dict",
    "set",
    "str",
    "int",
    "float",
    "bool",
    "getattr",
    "hasattr",
    "setattr",
    "range",
    "enumerate",
    "zip",
    "iter",
    "next",
    "sorted",
    "reversed",
    "abs",
    "round",
    "hash",
    "any",
    "all",
    "print",
];

/// The script name every interpreter runs under.
const SCRIPT: &str = "notebook.py";

/// The prelude's Python: Dask's API, pyplot and pandas.
pub(crate) fn prelude() -> &'static str {
    static PRELUDE: OnceLock<String> = OnceLock::new();
    PRELUDE.get_or_init(|| {
        let str_methods: String = STR_METHODS
            .iter()
            .map(|name| {
                format!(
                    "    def {name}(self, *args, **kwargs):\n        return self.{name}(*args, **kwargs)\n    str_methods.{name} = {name}\n"
                )
            })
            .collect();
        let labs: String = LAB_FUNCTIONS
            .iter()
            .map(|name| format!("_skein_labs.{name} = _skein_lab_{name}\n"))
            .collect();
        let mut text = include_str!("prelude/dask_runtime.py").to_owned();
        text.push_str(include_str!("prelude/dask_delayed.py"));
        text.push_str(&include_str!("prelude/dask_distributed.py").replace("# SKEIN-LABS\n", &labs));
        text.push_str(include_str!("prelude/dask_config.py"));
        text.push_str(include_str!("prelude/bag_steps.py"));
        text.push_str(include_str!("prelude/bag.py"));
        text.push_str(include_str!("prelude/collections.py"));
        text.push_str(include_str!("prelude/as_completed.py"));
        text.push_str(include_str!("prelude/future_extras.py"));
        text.push_str(include_str!("prelude/tasks_from_tasks.py"));
        text.push_str(include_str!("prelude/coordination.py"));
        text.push_str(include_str!("prelude/sendable.py"));
        text.push_str(include_str!("prelude/delete.py"));
        text.push_str(include_str!("prelude/numpy.py"));
        text.push_str(include_str!("prelude/scipy.py"));
        // The Monty workarounds: after `numpy.py`, whose `ndarray` the builtins' overrides test.
        text.push_str(
            &include_str!("prelude/compat.py")
                .replace("    # SKEIN-STR-METHODS\n    pass\n", &str_methods),
        );
        text.push_str(include_str!("prelude/display.py"));
        text.push_str(include_str!("prelude/magics.py"));
        text.push_str(include_str!("prelude/diagnostics.py"));
        text.push_str(include_str!("prelude/operator.py"));
        text.push_str(include_str!("prelude/pyplot.py"));
        text.push_str(include_str!("prelude/pandas_values.py"));
        text.push_str(include_str!("prelude/pandas_format.py"));
        text.push_str(include_str!("prelude/pandas_series.py"));
        text.push_str(include_str!("prelude/pandas_frame.py"));
        text.push_str(include_str!("prelude/pandas_io.py"));
        text.push_str(
            "_skein_pandas = _skein_module('pandas')\n_skein_module_pandas(_skein_pandas)\n\
             _skein_classes['DataFrame'] = _skein_pandas.DataFrame\n_skein_classes['Series'] = _skein_pandas.Series\n\
             _skein_classes['Index'] = _skein_pandas.Index\n",
        );
        // The builtins the prelude's functions call, bound as globals: inside a function,
        // Monty finds an unbound global's builtin by its name's text at every call.
        for name in BOUND_BUILTINS {
            text.push_str(&format!("{name} = {name}\n"));
        }
        // Last: it records every value the prelude defined (see `release.rs`).
        text.push_str(include_str!("prelude/memory.py"));
        crate::builtin_aliases::alias_builtins(&text)
    })
}

/// A fresh interpreter with the prelude run, and the name of the prelude's snippet: loaded
/// from the process's snapshot once there is one, else the prelude is run (its host calls
/// answered by `host`) and the snapshot taken.
pub(crate) fn new_repl(host: &mut dyn HostCalls) -> Result<(MontyRepl, String), MontyException> {
    if let Some(loaded) = snapshot::load() {
        return Ok(loaded);
    }
    let (repl, prelude_name) = run_prelude(host)?;
    snapshot::keep(&repl, &prelude_name);
    Ok((repl, prelude_name))
}

/// A new interpreter that has run the prelude.
fn run_prelude(host: &mut dyn HostCalls) -> Result<(MontyRepl, String), MontyException> {
    let limits = ResourceLimits::default();
    let policy = OsPolicy {
        datetime: DateTimeSource::CallHost,
        sleep: SleepMode::CallHost,
        ..OsPolicy::default()
    };
    let repl = MontyRepl::new(
        SCRIPT,
        ResourceTracker::new(limits),
        CompileOptions::default(),
    )
    .with_os_policy(policy);
    let prelude_name = repl.next_script_name();
    let (repl, result) = drive(repl, prelude(), Vec::new(), host);
    result?;
    // Inside a function, Monty looks a name no global binds up as a builtin, then makes a new
    // external function of it, at every call; bound as globals, the host's functions are
    // found at once (what the prelude's functions call most).
    let bindings: String = host
        .names()
        .iter()
        .map(|name| format!("{name} = {name}\n"))
        .collect();
    let (repl, result) = drive(repl, &bindings, Vec::new(), host);
    result?;
    // The host knows the prelude's classes by the identity they cross with (`classes.rs`);
    // crossing now also puts that identity in the snapshot every later interpreter loads.
    let (repl, classes) = drive(repl, crate::classes::PRELUDE_CLASSES, Vec::new(), host);
    crate::classes::register(&classes?)
        .map_err(|message| MontyException::new(ExcType::RuntimeError, Some(message)))?;
    Ok((repl, prelude_name))
}

/// Streams `print` output as lines and stops the code when its cell is interrupted.
pub(crate) struct Printer<'a> {
    session: &'a Session,
    line: String,
}

impl<'a> Printer<'a> {
    pub(crate) fn new(session: &'a Session) -> Printer<'a> {
        Printer {
            session,
            line: String::new(),
        }
    }

    fn flush_line(&mut self) {
        let text = std::mem::take(&mut self.line);
        self.session.outbox.emit(Output::Text { text });
    }

    /// Emits a last unfinished line.
    pub(crate) fn finish(&mut self) {
        if !self.line.is_empty() {
            self.flush_line();
        }
    }
}

impl PrintWriterCallback for Printer<'_> {
    fn stdout_write(&mut self, output: Cow<'_, str>) -> Result<(), MontyException> {
        let mut parts = output.split('\n');
        if let Some(first) = parts.next() {
            self.line.push_str(first);
        }
        for part in parts {
            self.flush_line();
            self.line.push_str(part);
        }
        Ok(())
    }

    fn stdout_push(&mut self, end: char) -> Result<(), MontyException> {
        if end == '\n' {
            self.flush_line();
        } else {
            self.line.push(end);
        }
        Ok(())
    }

    fn poll_flush(&mut self) -> Result<(), MontyException> {
        if self.session.should_stop() {
            return Err(interrupted());
        }
        Ok(())
    }
}

pub(crate) use crate::errors::interrupted;

/// Runs `code` on `repl` with `inputs` bound, answering its host calls with `host`, and
/// gives the interpreter back with the snippet's value or exception.
pub(crate) fn drive(
    repl: MontyRepl,
    code: &str,
    inputs: Vec<(String, MontyObject)>,
    host: &mut dyn HostCalls,
) -> (MontyRepl, Result<MontyObject, MontyException>) {
    let session = host.session().clone();
    let mut printer = Printer::new(&session);
    let progress = repl.feed_start(code, inputs, PrintWriter::Callback(&mut printer));
    match advance(progress, host, &mut printer, None) {
        Stop::Done(repl, result) => (repl, result),
        // Nothing pauses without a pause point; were it to, the snippet is abandoned.
        Stop::Paused(call) => (
            call.into_repl(),
            Err(MontyException::new(
                ExcType::RuntimeError,
                Some("a snippet paused unasked".into()),
            )),
        ),
    }
}

/// Where [`advance`] left a snippet.
// Moved once per task: a box would be an allocation per task.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Stop {
    /// It ran to its end: the interpreter, with the snippet's value or exception.
    Done(MontyRepl, Result<MontyObject, MontyException>),
    /// It called the host function named as the pause point, and waits there for its answer.
    Paused(ReplFunctionCall),
}

/// Runs a started snippet on, answering its host calls with `host`, until it ends or calls
/// the host function `pause_at`.
pub(crate) fn advance(
    mut progress: Result<ReplProgress, Box<ReplStartError>>,
    host: &mut dyn HostCalls,
    printer: &mut Printer<'_>,
    pause_at: Option<&str>,
) -> Stop {
    let session = host.session().clone();
    loop {
        let step = match progress {
            Err(error) => {
                printer.finish();
                return Stop::Done(error.repl, Err(error.error));
            }
            Ok(ReplProgress::Complete { repl, value }) => {
                printer.finish();
                return Stop::Done(repl, Ok(value));
            }
            Ok(ReplProgress::FunctionCall(call))
                if pause_at.is_some_and(|name| call.function_name == name) =>
            {
                printer.finish();
                return Stop::Paused(call);
            }
            Ok(ReplProgress::FunctionCall(call)) => {
                let answer = if call.object_id.is_some() {
                    Err(MontyException::new(
                        ExcType::TypeError,
                        Some(format!(
                            "'{}' cannot be called on this object",
                            call.function_name
                        )),
                    ))
                } else {
                    host.call(&call.function_name, &call.args)
                };
                let answer = match answer {
                    Ok(value) => ExtFunctionResult::Return(value),
                    Err(exc) => ExtFunctionResult::Error(exc),
                };
                call.resume(answer, PrintWriter::Callback(printer))
            }
            Ok(ReplProgress::NameLookup(lookup)) => {
                let result = if host.offers(&lookup.name) {
                    NameLookupResult::Value(MontyObject::function(lookup.name.clone(), None))
                } else {
                    NameLookupResult::Undefined
                };
                lookup.resume(result, PrintWriter::Callback(printer))
            }
            Ok(ReplProgress::OsCall(call)) => {
                let answer = os_call(&session, &call.function_call);
                call.resume(answer, PrintWriter::Callback(printer))
            }
            Ok(ReplProgress::ResolveFutures(futures)) => futures.abort(
                MontyException::new(
                    ExcType::RuntimeError,
                    Some("asyncio is not supported in Skein cells".into()),
                ),
                PrintWriter::Callback(printer),
            ),
        };
        progress = step;
    }
}

/// The host's side of `time`, `open` and friends.
fn os_call(session: &Session, call: &OsFunctionCall) -> ExtFunctionResult {
    match call {
        OsFunctionCall::Sleep(duration) | OsFunctionCall::SystemSleep(duration) => {
            match session.sleep(*duration) {
                Ok(()) => ExtFunctionResult::Return(MontyObject::none()),
                Err(_) => ExtFunctionResult::Error(interrupted()),
            }
        }
        OsFunctionCall::Time(_) => {
            ExtFunctionResult::Return(MontyObject::float(skein_core::clock::now_ms() / 1e3))
        }
        OsFunctionCall::DateTimeNow(tz) => {
            ExtFunctionResult::Return(crate::calendar::now(tz.as_ref()))
        }
        OsFunctionCall::DateToday => ExtFunctionResult::Return(crate::calendar::today()),
        OsFunctionCall::ReadText(path) => match session.read_text(path.as_str()) {
            Ok(text) => ExtFunctionResult::Return(MontyObject::string(text)),
            Err(message) => ExtFunctionResult::Error(MontyException::new(
                ExcType::FileNotFoundError,
                Some(message),
            )),
        },
        OsFunctionCall::ReadBytes(path) => match session.file(path.as_str()) {
            Ok(bytes) => ExtFunctionResult::Return(MontyObject::bytes(bytes.to_vec())),
            Err(message) => ExtFunctionResult::Error(MontyException::new(
                ExcType::FileNotFoundError,
                Some(message),
            )),
        },
        OsFunctionCall::Exists(path) | OsFunctionCall::IsFile(path) => {
            ExtFunctionResult::Return(MontyObject::bool(session.file(path.as_str()).is_ok()))
        }
        OsFunctionCall::Open(open) => {
            let path = open.path.as_str();
            if open.mode.create() {
                if open.mode.truncate() || session.file(path).is_err() {
                    session.save_file(path, Vec::new());
                }
            } else if let Err(message) = session.file(path) {
                return ExtFunctionResult::Error(MontyException::new(
                    ExcType::FileNotFoundError,
                    Some(message),
                ));
            }
            ExtFunctionResult::Return(MontyObject::file_handle(MontyFileHandle {
                path: path.to_owned(),
                mode: open.mode,
                position: 0,
            }))
        }
        OsFunctionCall::WriteText(write) => {
            session.save_file(write.path.as_str(), write.data.clone().into_bytes());
            ExtFunctionResult::Return(MontyObject::int(write.data.chars().count() as i64))
        }
        OsFunctionCall::AppendText(write) => {
            let mut bytes = session
                .file(write.path.as_str())
                .map(|b| b.to_vec())
                .unwrap_or_default();
            bytes.extend_from_slice(write.data.as_bytes());
            session.save_file(write.path.as_str(), bytes);
            ExtFunctionResult::Return(MontyObject::int(write.data.chars().count() as i64))
        }
        OsFunctionCall::Import(name) => ExtFunctionResult::NotFound(name.clone()),
        other => ExtFunctionResult::Error(MontyException::new(
            ExcType::OSError,
            Some(format!(
                "`{}` is not available in Skein's sandbox",
                other.name()
            )),
        )),
    }
}

#[cfg(test)]
mod test {
    use std::sync::Arc;

    use monty::MontyRepl;
    use monty_types::{CallArgs, ExcType, MontyException, MontyObject};
    use skein_core::Client;

    use super::{HostCalls, drive, new_repl};
    use crate::session::Session;
    use crate::snapshot;

    /// The prelude calls no host function (it only names some), so these tests need no host.
    struct NoHost(Arc<Session>);

    impl HostCalls for NoHost {
        fn session(&self) -> &Arc<Session> {
            &self.0
        }

        fn offers(&self, name: &str) -> bool {
            name.starts_with("_skein_")
        }

        fn names(&self) -> Vec<String> {
            Vec::new()
        }

        fn call(&mut self, name: &str, _: &CallArgs) -> Result<MontyObject, MontyException> {
            Err(MontyException::new(
                ExcType::RuntimeError,
                Some(name.to_owned()),
            ))
        }
    }

    fn int(repl: MontyRepl, host: &mut NoHost, code: &str) -> (MontyRepl, i64) {
        let (repl, result) = drive(repl, code, Vec::new(), host);
        match result
            .as_ref()
            .ok()
            .and_then(|value| value.as_ref().as_int())
        {
            Some(n) => (repl, n),
            None => panic!("{code} gave {result:?}"),
        }
    }

    #[test]
    fn interpreters_after_the_first_load_the_prelude_and_stay_apart() {
        let mut host = NoHost(Session::new(Client::new()));
        let (first, first_name) = new_repl(&mut host).unwrap();
        let (second, second_name) =
            snapshot::load().expect("the first interpreter kept a snapshot");
        assert_eq!(first_name, second_name);
        // The prelude's definitions, and the ids the sweep passes by, are the loaded one's too.
        let check = "len([f for f in [Delayed, _skein_module, _skein_sweep] if id(f) in _skein_prelude_ids])";
        let (_, in_first) = int(first, &mut host, check);
        let (second, in_second) = int(second, &mut host, check);
        assert_eq!((in_first, in_second), (3, 3));
        // Each loaded interpreter is its own: a global set in one is not in another.
        let (_, answer) = int(second, &mut host, "x = 41\nx + 1");
        assert_eq!(answer, 42);
        let (third, _) = snapshot::load().unwrap();
        let probe = "try:\n    x\n    defined = 1\nexcept NameError:\n    defined = 0\ndefined";
        let (_, defined) = int(third, &mut host, probe);
        assert_eq!(defined, 0);
    }
}
