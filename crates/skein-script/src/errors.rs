//! Errors a cell reports: what went wrong, where in the cell (line and column), and for a
//! failed task, its key — what a user needs to act.
//!
//! Rhai reports a runtime error inside a function as a chain of "in function `f`, called at
//! …" frames around the innermost error. Lines and columns always point into the *running*
//! cell: at the innermost frame defined in this cell, else at the call in this cell that led
//! to the error (a function from an earlier cell is named in the message, with its own line).

use std::fmt;

use rhai::{Dynamic, EvalAltResult, ParseError, Position};
use serde::{Deserialize, Serialize};

use crate::interrupt::INTERRUPTED;

/// What kind of error stopped a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The cell does not parse.
    Syntax,
    /// The script failed while running.
    Runtime,
    /// A task failed; `task_key` names it.
    Task,
    /// The cell was interrupted.
    Interrupted,
}

/// Why a cell stopped, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellError {
    /// The kind of error.
    pub kind: ErrorKind,
    /// What happened, in words.
    pub message: String,
    /// The 1-based line in the cell, when known.
    pub line: Option<usize>,
    /// The 1-based column in the cell, when known.
    pub column: Option<usize>,
    /// The key of the failed task, for task errors.
    pub task_key: Option<String>,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, " (line {l}, column {c})"),
            (Some(l), None) => write!(f, " (line {l})"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for CellError {}

/// A failed task, as scripts see it: raised by `compute`, `result` and `gather`.
#[derive(Clone, Debug)]
pub(crate) struct TaskFailure {
    /// The key of the task that failed first.
    pub(crate) key: String,
    /// What went wrong (with "task `key` failed: " in front).
    pub(crate) message: String,
}

impl fmt::Display for TaskFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// An engine error as a script error: task failures keep their key.
pub(crate) fn from_core(err: skein_core::Error) -> Box<EvalAltResult> {
    match err {
        skein_core::Error::Failed(failure)
            if failure.kind != skein_core::FailureKind::Cancelled =>
        {
            let failure = TaskFailure {
                key: failure.key.to_string(),
                message: failure.to_string(),
            };
            Box::new(EvalAltResult::ErrorRuntime(
                Dynamic::from(failure),
                Position::NONE,
            ))
        }
        other => runtime(other.to_string()),
    }
}

/// A plain runtime error with `message`.
pub(crate) fn runtime(message: impl Into<String>) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message.into()),
        Position::NONE,
    ))
}

/// Maps positions of the text Rhai parsed back to the text the user wrote.
pub(crate) trait PositionMap {
    /// The user's (line, column) for a parsed position.
    fn original(&self, pos: Position) -> (Option<usize>, Option<usize>);
}

impl CellError {
    /// A syntax error.
    pub(crate) fn syntax(err: &ParseError, map: &dyn PositionMap) -> CellError {
        let (line, column) = map.original(err.position());
        CellError {
            kind: ErrorKind::Syntax,
            message: format!("syntax error: {}", err.err_type()),
            line,
            column,
            task_key: None,
        }
    }

    /// A runtime error. `defined_here(name)` says whether function `name` was defined by the
    /// running cell (so positions inside it are positions in this cell).
    pub(crate) fn runtime(
        err: &EvalAltResult,
        defined_here: &dyn Fn(&str) -> bool,
        map: &dyn PositionMap,
    ) -> CellError {
        let chain = Chain::of(err);
        // Where in this cell: inside the innermost function defined here, if the chain of
        // frames stays in this cell that far; else at the outermost call.
        let mut pos = chain.frames.first().map_or(chain.pos, |f| f.call_pos);
        for (i, frame) in chain.frames.iter().enumerate() {
            if !defined_here(&frame.name) {
                break;
            }
            pos = chain.frames.get(i + 1).map_or(chain.pos, |f| f.call_pos);
        }
        let (line, column) = map.original(pos);
        let (kind, mut message, task_key) = describe(chain.inner);
        if let Some(frame) = chain.frames.last() {
            message.push_str(&format!(" (in function `{}`", frame.name));
            if let (false, Some(l), Some(c)) = (
                defined_here(&frame.name),
                chain.pos.line(),
                chain.pos.position(),
            ) {
                message.push_str(&format!(", at its line {l}, column {c}"));
            }
            message.push(')');
        }
        CellError {
            kind,
            message,
            line,
            column,
            task_key,
        }
    }
}

/// The message a task reports when the script function it runs fails.
pub(crate) fn task_message(err: &EvalAltResult) -> String {
    let chain = Chain::of(err);
    let (_, mut message, _) = describe(chain.inner);
    if let Some(frame) = chain.frames.last() {
        message.push_str(&format!(" (in function `{}`", frame.name));
        if let (Some(l), Some(c)) = (chain.pos.line(), chain.pos.position()) {
            message.push_str(&format!(", line {l}, column {c}"));
        }
        message.push(')');
    }
    message
}

/// Whether `err` is (or wraps) an interrupt.
pub(crate) fn is_interrupt(err: &EvalAltResult) -> bool {
    matches!(describe(Chain::of(err).inner).0, ErrorKind::Interrupted)
}

struct Frame {
    name: String,
    call_pos: Position,
}

/// An error unwrapped: the call frames from outermost to innermost, the innermost error and
/// its position.
struct Chain<'a> {
    frames: Vec<Frame>,
    inner: &'a EvalAltResult,
    pos: Position,
}

impl<'a> Chain<'a> {
    fn of(mut err: &'a EvalAltResult) -> Chain<'a> {
        let mut frames = Vec::new();
        while let EvalAltResult::ErrorInFunctionCall(name, _, inner, call_pos) = err {
            frames.push(Frame {
                name: display_fn_name(name),
                call_pos: *call_pos,
            });
            err = inner;
        }
        Chain {
            frames,
            inner: err,
            pos: err.position(),
        }
    }
}

/// Closures are compiled to functions named `anon$…`; users know them as closures.
fn display_fn_name(name: &str) -> String {
    if name.starts_with("anon$") {
        "<closure>".to_owned()
    } else {
        name.to_owned()
    }
}

/// The kind, message (without position) and task key of an innermost error.
fn describe(err: &EvalAltResult) -> (ErrorKind, String, Option<String>) {
    match err {
        EvalAltResult::ErrorTerminated(token, _)
            if token.clone().into_string().as_deref() == Ok(INTERRUPTED) =>
        {
            (ErrorKind::Interrupted, "interrupted".to_owned(), None)
        }
        EvalAltResult::ErrorRuntime(value, _) => match value.clone().try_cast::<TaskFailure>() {
            Some(failure) => (ErrorKind::Task, failure.message, Some(failure.key)),
            None => (ErrorKind::Runtime, display_runtime_value(value), None),
        },
        other => {
            // Display ends with " (line l, position c)" when there is a position; the cell
            // error carries those separately.
            let text = other.to_string();
            let text = match (other.position().is_none(), text.rfind(" (line ")) {
                (false, Some(at)) => text[..at].to_owned(),
                _ => text,
            };
            (ErrorKind::Runtime, text, None)
        }
    }
}

/// `throw "boom"` shows `boom`, not `"boom"`.
fn display_runtime_value(value: &Dynamic) -> String {
    match value.clone().into_string() {
        Ok(s) => s,
        Err(_) => value.to_string(),
    }
}
