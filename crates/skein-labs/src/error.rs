//! [`LabError`]: everything a lab can reject, with what the user can do about it.
//!
//! Every task function in this crate returns `Result<_, LabError>` instead of panicking: in
//! the browser a panic on one Web Worker aborts them all, so bad input must come back as a
//! value the notebook can show.

use std::fmt;

/// An error from one of the labs. The message names the offending row, column, file or
/// parameter and says how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub enum LabError {
    /// A `.npy` file could not be read.
    Npy {
        /// What went wrong, from the reader.
        reason: String,
    },
    /// A `.npy` file holds something other than 2-D float32/float64.
    UnsupportedArray {
        /// What the file holds, e.g. `dtype <i8` or `shape [2, 3, 4]`.
        found: String,
    },
    /// A traffic cost that cannot be a travel time (negative or NaN).
    InvalidCost {
        /// Row of the cost in its grid.
        row: usize,
        /// Column of the cost in its grid.
        col: usize,
        /// The cost.
        value: f64,
    },
    /// A dense adjacency matrix that is not square or has a negative weight.
    InvalidAdjacency {
        /// What is wrong with it.
        reason: String,
    },
    /// A parameter outside its allowed range (grid size, zone count, samples, blocksize…).
    InvalidParameter {
        /// The parameter's name as the user wrote it.
        name: &'static str,
        /// Why the value was refused and what would be accepted.
        reason: String,
    },
    /// A CSV row that could not be read or has the wrong number of fields.
    MalformedRow {
        /// 1-based line number in the file.
        line: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// A column asked for that the schema does not have.
    MissingColumn {
        /// The column asked for.
        column: String,
        /// The columns there are.
        schema: Vec<String>,
    },
    /// A value that should be a number but is not.
    NonNumeric {
        /// 1-based line number in the file.
        line: u64,
        /// The column of the value.
        column: String,
        /// The text found.
        value: String,
    },
    /// A partition past the end of the data.
    PartitionOutOfRange {
        /// The partition asked for.
        partition: usize,
        /// How many partitions the data has at this blocksize.
        partitions: usize,
    },
    /// A task run by the engine failed; the message names the task's key and the cause.
    Engine {
        /// The engine's message (for a lab task, its `LabError` message).
        reason: String,
    },
    /// The caller stopped the work (a notebook's Interrupt; see [`crate::cancel`]).
    Interrupted,
    /// A file could not be read or written.
    Io {
        /// The path.
        path: String,
        /// The operating system's message.
        reason: String,
    },
}

impl fmt::Display for LabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Npy { reason } => write!(
                f,
                "not a readable .npy file ({reason}); save the array with numpy.save"
            ),
            Self::UnsupportedArray { found } => write!(
                f,
                "the .npy file holds {found}, but a traffic grid must be a 2-D float32 or \
                 float64 array; convert it with arr.astype(numpy.float64)"
            ),
            Self::InvalidCost { row, col, value } => write!(
                f,
                "traffic cost at row {row}, column {col} is {value}; costs are minutes and \
                 must be zero or positive (use inf for a closed intersection)"
            ),
            Self::InvalidAdjacency { reason } => write!(f, "invalid adjacency matrix: {reason}"),
            Self::InvalidParameter { name, reason } => write!(f, "invalid {name}: {reason}"),
            Self::MalformedRow { line, reason } => {
                write!(f, "malformed CSV row at line {line}: {reason}")
            }
            Self::MissingColumn { column, schema } => write!(
                f,
                "no column {column:?}; the schema has {}",
                schema.join(", ")
            ),
            Self::NonNumeric {
                line,
                column,
                value,
            } => write!(
                f,
                "line {line}, column {column:?}: {value:?} is not a number; fix the value or \
                 choose a numeric column"
            ),
            Self::PartitionOutOfRange {
                partition,
                partitions,
            } => write!(
                f,
                "partition {partition} does not exist: the data has {partitions} partition(s) \
                 at this blocksize (numbered from 0)"
            ),
            Self::Engine { reason } => f.write_str(reason),
            Self::Interrupted => f.write_str("interrupted"),
            Self::Io { path, reason } => write!(f, "cannot access {path}: {reason}"),
        }
    }
}

impl std::error::Error for LabError {}

impl LabError {
    /// Shorthand for [`LabError::InvalidParameter`].
    pub(crate) fn parameter(name: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidParameter {
            name,
            reason: reason.into(),
        }
    }
}

impl From<skein_core::Error> for LabError {
    fn from(e: skein_core::Error) -> Self {
        Self::Engine {
            reason: e.to_string(),
        }
    }
}
