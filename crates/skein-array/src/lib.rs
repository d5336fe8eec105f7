//! The NumPy subset Skein's notebooks use, in Rust: [`NdArray`] holds `bool`, `int64` or
//! `float64` elements in any shape, with NumPy's indexing ([`Index`]), broadcasting
//! arithmetic ([`ops::binary`]), reductions, splits, `.npy` reading and `repr`.
//!
//! The notebook kernel wraps these in Python's `numpy` names; Rust programs can use them
//! directly. Nothing here panics on user input: sizes are checked against
//! [`MAX_ELEMENTS`] and every failure is an [`ArrayError`] naming NumPy's exception.

mod array;
mod error;
mod format;
mod index;
mod npy;
pub mod ops;

pub use array::{DType, MAX_ELEMENTS, NdArray, Nested, Scalar, checked_size, shape_repr};
pub use error::{ArrayError, ErrorKind};
pub use format::python_float;
pub use index::{Index, Item};
pub use npy::load_npy;
