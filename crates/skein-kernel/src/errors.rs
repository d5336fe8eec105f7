//! Errors a cell reports, as Python shows them: a traceback naming the cell's lines (as the
//! user wrote them, not as the kernel rewrote them), the line and column, and for an
//! exception raised inside a task, the task's key and its own traceback.
//!
//! A task's exception travels through the engine as text, `"{type}: {message}"` on the
//! first line and the worker's traceback after it ([`encode_task_error`]); the kernel raises
//! it again at `.result()` / `.compute()` as the same exception type
//! ([`task_exception`]), so `except ValueError:` works.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use monty_types::{ExcType, MontyException, StackFrame};
use serde::{Deserialize, Serialize};

/// What kind of error stopped a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The cell does not parse.
    Syntax,
    /// The cell raised an exception.
    Runtime,
    /// A task raised an exception; `task_key` names it.
    Task,
    /// The cell was interrupted.
    Interrupted,
}

/// Why a cell stopped, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellError {
    /// The kind of error.
    pub kind: ErrorKind,
    /// The traceback, as Python prints it (ending with `Type: message`).
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
        f.write_str(&self.message)
    }
}

impl std::error::Error for CellError {}

/// The prefix the display rewrite puts around a cell's last expression.
pub(crate) const DISPLAY_CALL: &str = "_skein_display(";

/// Where a cell's code ran: how to read the interpreter's frames back as the user's cell.
pub(crate) struct CellSource<'a> {
    /// The interpreter's name for the cell's snippet (`<python-input-7>`).
    pub(crate) snippet: &'a str,
    /// The cell as the user wrote it.
    pub(crate) original: &'a str,
    /// The cell as it ran.
    pub(crate) rewritten: &'a str,
    /// `In [n]`.
    pub(crate) label: &'a str,
    /// The prelude's snippet name: its frames are Skein's, not the user's.
    pub(crate) prelude: &'a str,
}

/// The failure of a task, remembered so the cell's error can show the task's traceback.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TaskFailure {
    pub(crate) key: String,
    pub(crate) exc_type: ExcType,
    pub(crate) message: String,
    pub(crate) traceback: String,
}

impl CellError {
    /// The error of a cell that raised `exc`; `task` is the task failure it re-raised, if any.
    pub(crate) fn from_exception(
        exc: &MontyException,
        source: &CellSource<'_>,
        task: Option<&TaskFailure>,
    ) -> CellError {
        let exc = user_view(exc, source);
        // A column counts in the text Monty ran; on a line the kernel rewrote (beyond the
        // display wrapper `user_view` takes off) it would point into the rewritten text, so
        // such a line is reported without one.
        let (line, column) = exc
            .traceback()
            .iter()
            .rev()
            .find(|f| f.filename == source.label)
            .map_or((None, None), |f| {
                let line = f.start.line as usize;
                let column = (!rewritten_line(source, line)).then_some(f.start.column as usize);
                (Some(line), column)
            });
        let kind = match exc.exc_type() {
            ExcType::SyntaxError => ErrorKind::Syntax,
            ExcType::KeyboardInterrupt => ErrorKind::Interrupted,
            _ if task.is_some() => ErrorKind::Task,
            _ => ErrorKind::Runtime,
        };
        let mut message = String::new();
        if let Some(task) = task {
            message.push_str(&format!(
                "The task `{}` raised this exception on a worker:\n",
                task.key
            ));
            message.push_str(&task.traceback);
            message.push_str("\n\nwhich this cell received:\n");
        }
        message.push_str(exc.to_string().trim_end());
        CellError {
            kind,
            message,
            line,
            column,
            task_key: task.map(|t| t.key.clone()),
        }
    }
}

/// `exc` with Skein's own frames left out and the cell's frames showing the user's text.
fn user_view(exc: &MontyException, source: &CellSource<'_>) -> MontyException {
    let original: Vec<&str> = source.original.lines().collect();
    let rewritten: Vec<&str> = source.rewritten.lines().collect();
    let frames: Vec<StackFrame> = exc
        .traceback()
        .iter()
        .filter(|f| f.filename != source.prelude)
        .cloned()
        .map(|mut frame| {
            if frame.filename == source.snippet {
                frame.filename = source.label.to_owned();
                let index = (frame.start.line as usize).saturating_sub(1);
                if let (Some(user), Some(ran)) = (original.get(index), rewritten.get(index)) {
                    if let Some(at) = ran.find(DISPLAY_CALL) {
                        let at = ran[..at].chars().count() as u32;
                        let shift = DISPLAY_CALL.len() as u32;
                        for loc in [&mut frame.start, &mut frame.end] {
                            if loc.column > at + shift {
                                loc.column -= shift;
                            }
                        }
                    }
                    frame.preview_line = Some(Arc::from(*user));
                    // Carets would mark the rewritten text's columns under the user's line.
                    frame.hide_caret |= rewritten_line(source, index + 1);
                }
            }
            frame
        })
        .collect();
    MontyException::with_traceback(exc.exc_type(), exc.message().map(str::to_owned), frames)
}

/// The Python exception of an array operation's error.
pub(crate) fn array_exception(error: skein_array::ArrayError) -> MontyException {
    let kind = match error.kind {
        skein_array::ErrorKind::Value => ExcType::ValueError,
        skein_array::ErrorKind::Index => ExcType::IndexError,
        skein_array::ErrorKind::Type => ExcType::TypeError,
        skein_array::ErrorKind::Memory => ExcType::MemoryError,
    };
    MontyException::new(kind, Some(error.message))
}

/// The exception an interrupted cell or task stops with.
pub(crate) fn interrupted() -> MontyException {
    MontyException::new(ExcType::KeyboardInterrupt, None)
}

/// Whether the kernel changed the cell's 1-based `line` other than by wrapping an expression
/// in `_skein_display(…)`, so columns Monty reports there are not the user's.
fn rewritten_line(source: &CellSource<'_>, line: usize) -> bool {
    let index = line.saturating_sub(1);
    let (Some(user), Some(ran)) = (
        source.original.lines().nth(index),
        source.rewritten.lines().nth(index),
    ) else {
        return false;
    };
    if user == ran {
        return false;
    }
    let Some(at) = ran.find(DISPLAY_CALL) else {
        return true;
    };
    // Without the wrapper's opening, the line is the user's with one `)` added.
    let unwrapped = format!("{}{}", &ran[..at], &ran[at + DISPLAY_CALL.len()..]);
    let differs = unwrapped
        .char_indices()
        .zip(user.chars().chain(std::iter::once('\0')))
        .find(|((_, a), b)| a != b);
    match differs {
        Some(((i, ')'), _)) => unwrapped[i + 1..] != user[i..],
        _ => true,
    }
}

/// A task's exception as the engine carries it: its traceback without the prelude's frames
/// or the worker's own call of the task's function.
pub(crate) fn encode_task_error(exc: &MontyException, prelude: &str) -> String {
    let frames: Vec<StackFrame> = exc
        .traceback()
        .iter()
        .filter(|f| f.filename != prelude && !is_worker_call(f))
        .cloned()
        .collect();
    let shown =
        MontyException::with_traceback(exc.exc_type(), exc.message().map(str::to_owned), frames);
    format!("{}\n{}", exc.summary(), shown.to_string().trim_end())
}

/// Whether `frame` is the worker's snippet that calls a task's function (`worker.rs`): the
/// serving loop's start, or a call with the task's arguments.
fn is_worker_call(frame: &StackFrame) -> bool {
    frame.preview_line.as_deref().is_some_and(|line| {
        line.contains("__skein_args") || line.trim_start().starts_with("_skein_serve(")
    })
}

/// The frames of a task's traceback as `traceback.format_tb` gives them, one string per
/// frame (its `File …` line and the source lines under it), from the engine's `message` (see
/// [`encode_task_error`]).
pub(crate) fn traceback_frames(message: &str) -> Vec<String> {
    let mut frames: Vec<String> = Vec::new();
    for line in message.lines() {
        if line.starts_with("  File ") {
            frames.push(format!("{line}\n"));
        } else if line.starts_with("    ")
            && let Some(frame) = frames.last_mut()
        {
            frame.push_str(line);
            frame.push('\n');
        }
    }
    frames
}

/// The exception to raise in the notebook for a task that failed with `message` (see
/// [`encode_task_error`]; other engine messages become a `RuntimeError`).
pub(crate) fn task_exception(key: &str, message: &str) -> (MontyException, TaskFailure) {
    let (first, traceback) = message.split_once('\n').unwrap_or((message, message));
    let (exc_type, text) = match first.split_once(": ") {
        Some((name, text)) if ExcType::from_str(name).is_ok() => (
            ExcType::from_str(name).unwrap_or(ExcType::RuntimeError),
            text.to_owned(),
        ),
        _ if ExcType::from_str(first).is_ok() => (
            ExcType::from_str(first).unwrap_or(ExcType::RuntimeError),
            String::new(),
        ),
        _ => (ExcType::RuntimeError, first.to_owned()),
    };
    let exc = MontyException::new(exc_type, (!text.is_empty()).then(|| text.clone()));
    let failure = TaskFailure {
        key: key.to_owned(),
        exc_type,
        message: text,
        traceback: traceback.to_owned(),
    };
    (exc, failure)
}

#[cfg(test)]
mod test {
    use super::*;

    fn rewritten(original: &str, rewritten: &str, line: usize) -> bool {
        let source = CellSource {
            snippet: "s",
            original,
            rewritten,
            label: "In [1]",
            prelude: "p",
        };
        rewritten_line(&source, line)
    }

    #[test]
    fn a_task_s_traceback_splits_into_format_tb_s_frames() {
        let message = "ZeroDivisionError: division by zero\nTraceback (most recent call last):\n  File \"<python-input-1>\", line 2, in div\n    return a / b\n           ~~^~~\nZeroDivisionError: division by zero";
        assert_eq!(
            traceback_frames(message),
            ["  File \"<python-input-1>\", line 2, in div\n    return a / b\n           ~~^~~\n"]
        );
        assert!(traceback_frames("RuntimeError: lost").is_empty());
    }

    #[test]
    fn only_lines_changed_beyond_the_display_wrapper_count_as_rewritten() {
        assert!(!rewritten(
            "x = 1\nx + 1",
            "x = 1\n_skein_display(x + 1)",
            2
        ));
        assert!(!rewritten("x = 1", "x = 1", 1));
        assert!(rewritten("y = d['k']", "y = _skein_getitem(d, 'k')", 1));
        assert!(rewritten(
            "d['k']",
            "_skein_display(_skein_getitem(d, 'k'))",
            1
        ));
    }

    #[test]
    fn task_errors_round_trip_their_type_and_message() {
        let exc = MontyException::new(ExcType::ValueError, Some("bad value".into()));
        let text = encode_task_error(&exc, "<prelude>");
        let (raised, failure) = task_exception("f-1", &text);
        assert_eq!(raised.exc_type(), ExcType::ValueError);
        assert_eq!(raised.message(), Some("bad value"));
        assert_eq!(failure.key, "f-1");
        let (raised, _) = task_exception("g-2", "task `g-2` panicked: oops");
        assert_eq!(raised.exc_type(), ExcType::RuntimeError);
    }
}
