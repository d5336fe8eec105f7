//! Errors: what a task function returns ([`TaskError`]), the recorded root cause of a failed
//! task ([`Failure`]), graph problems found at submission ([`GraphError`]), and the error users
//! get back from `compute`, `result` and `gather` ([`Error`]). Each names the key involved.

use std::fmt;
use std::sync::Arc;

use crate::key::Key;

/// The error a task function returns; the scheduler attaches the task's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskError {
    message: String,
}

impl TaskError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> TaskError {
        TaskError {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for TaskError {}
impl From<String> for TaskError {
    fn from(message: String) -> Self {
        TaskError { message }
    }
}
impl From<&str> for TaskError {
    fn from(message: &str) -> Self {
        TaskError::new(message)
    }
}

/// Why a task failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// The function returned an error.
    Error,
    /// The function panicked (caught natively; on wasm a panic aborts instead).
    Panic,
    /// The task was cancelled.
    Cancelled,
}

/// The root cause of a failed task, shared by every dependent it failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The key of the task that failed first.
    pub key: Key,
    /// Its message.
    pub message: String,
    /// How it failed.
    pub kind: FailureKind,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            FailureKind::Error => write!(f, "task `{}` failed: {}", self.key, self.message),
            FailureKind::Panic => write!(f, "task `{}` panicked: {}", self.key, self.message),
            FailureKind::Cancelled => write!(f, "task `{}` was cancelled", self.key),
        }
    }
}

/// A graph that cannot run, found when it is submitted (before anything runs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// The tasks on this cycle depend on each other.
    Cycle {
        /// The keys on the cycle, each depending on the next, the last on the first.
        keys: Vec<Key>,
    },
    /// The graph has more tasks, or more task-to-task dependencies, than one submission can
    /// order (fewer than 2^32 - 1 of each).
    TooLarge,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::Cycle { keys } => {
                write!(f, "the graph has a cycle: ")?;
                for key in keys {
                    write!(f, "`{key}` -> ")?;
                }
                match keys.first() {
                    Some(first) => write!(f, "`{first}`; break it to submit the graph"),
                    None => Ok(()),
                }
            }
            GraphError::TooLarge => write!(
                f,
                "the graph has 2^32 - 1 or more tasks or dependencies; submit it in parts"
            ),
        }
    }
}
impl std::error::Error for GraphError {}

/// The error returned by `compute`, `Future::result`, `gather` and friends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The task (or one it depends on) failed; the failure names the root cause's key.
    Failed(Arc<Failure>),
    /// The task was cancelled, or depends on one that was.
    Cancelled {
        /// The key asked for.
        key: Key,
        /// The key that was cancelled.
        cause: Key,
    },
    /// The graph could not be submitted.
    Graph(GraphError),
    /// The result has another type than asked for.
    WrongType {
        /// The key whose result was asked for.
        key: Key,
        /// The type asked for.
        expected: &'static str,
        /// The type of the value in memory.
        found: &'static str,
    },
}

impl Error {
    /// The key of the task that caused the error, if it is a task error.
    pub fn root_key(&self) -> Option<&Key> {
        match self {
            Error::Failed(f) => Some(&f.key),
            Error::Cancelled { cause, .. } => Some(cause),
            Error::WrongType { key, .. } => Some(key),
            Error::Graph(_) => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Failed(failure) => failure.fmt(f),
            Error::Cancelled { key, cause } if key == cause => write!(f, "`{key}` was cancelled"),
            Error::Cancelled { key, cause } => {
                write!(f, "`{key}` did not run: `{cause}` was cancelled")
            }
            Error::Graph(e) => e.fmt(f),
            Error::WrongType {
                key,
                expected,
                found,
            } => {
                write!(
                    f,
                    "the result of `{key}` is a `{found}`, not a `{expected}`"
                )
            }
        }
    }
}
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Graph(e) => Some(e),
            _ => None,
        }
    }
}
impl From<GraphError> for Error {
    fn from(e: GraphError) -> Self {
        Error::Graph(e)
    }
}

impl Error {
    /// The error a request for `key` gets from `failure`.
    pub(crate) fn from_failure(key: &Key, failure: &Arc<Failure>) -> Error {
        match failure.kind {
            FailureKind::Cancelled => Error::Cancelled {
                key: key.clone(),
                cause: failure.key.clone(),
            },
            _ => Error::Failed(failure.clone()),
        }
    }
}
