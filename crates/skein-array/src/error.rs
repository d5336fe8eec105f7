//! The errors array operations report, each naming the Python exception NumPy raises.

use std::fmt;

/// The Python exception type an [`ArrayError`] becomes in a notebook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `ValueError`: shapes that do not fit, ragged lists, empty reductions.
    Value,
    /// `IndexError`: an index past an axis, too many indices.
    Index,
    /// `TypeError`: an operand or index of the wrong kind.
    Type,
    /// `MemoryError`: an array larger than [`crate::MAX_ELEMENTS`].
    Memory,
}

/// What went wrong, worded as NumPy words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArrayError {
    /// Which Python exception this is.
    pub kind: ErrorKind,
    /// The message, without the exception's name.
    pub message: String,
}

impl ArrayError {
    pub(crate) fn value(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Value,
            message: message.into(),
        }
    }

    pub(crate) fn index(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Index,
            message: message.into(),
        }
    }

    pub(crate) fn type_error(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Type,
            message: message.into(),
        }
    }

    pub(crate) fn memory(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Memory,
            message: message.into(),
        }
    }
}

impl fmt::Display for ArrayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArrayError {}
