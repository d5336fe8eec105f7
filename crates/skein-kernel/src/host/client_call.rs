//! What the host needs to make tasks from one prelude call: a `client.submit` or
//! `client.map` as the prelude passes it ([`ClientCall`]), and how each task is made
//! ([`TaskOptions`]: purity, key, future or pending, retries).

use monty_types::ObjectRef;

use super::args::{FromArg, Mismatch, host_args};

host_args! {
    /// `_skein_submit(func, args, kwargs, values, pure, key[, retries[, priority]])`, or
    /// `_skein_map` with the argument lists in place of `args`.
    pub(crate) struct ClientCall<'a> {
        func: ObjectRef<'a>,
        /// `submit`'s positional arguments, or `map`'s argument lists.
        args: ObjectRef<'a>,
        kwargs: ObjectRef<'a>,
        /// The globals the function reads, by value.
        values: ObjectRef<'a>,
        /// Whether equal calls share a key (Dask's `pure=`).
        pure: bool,
        /// `key=`, or `None`.
        key: ObjectRef<'a>,
        /// `retries=`; `Executor.submit` passes none.
        retries: Retries,
        /// `priority=`.
        priority: Priority,
    }
}

/// `priority=` (Dask's: higher runs first; any number): left out or `None`, 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Priority(pub(crate) i32);

impl<'a> FromArg<'a> for Priority {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        let Some(arg) = arg.filter(ObjectRef::is_truthy) else {
            // Absent, `None` or zero.
            return Ok(Priority(0));
        };
        // A float ranks with the ints it lies between. The cast saturates, and the engine
        // clamps to the 16 bits it keeps (Dask's examples use small numbers).
        let number = arg
            .as_int()
            .map(|n| n as f64)
            .or_else(|| arg.as_float())
            .ok_or_else(|| Mismatch::wrong("a number", arg))?;
        Ok(Priority(number.ceil() as i32))
    }
}

/// `retries=` (`retry.rs`): how many times a failing call runs again. Left out, `None` or
/// negative: none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Retries(pub(crate) u32);

impl<'a> FromArg<'a> for Retries {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        Ok(Retries(crate::retry::count(arg)))
    }
}

/// How one task is made.
#[derive(Clone, Copy)]
pub(crate) struct TaskOptions<'k> {
    /// Whether equal calls share a key (Dask's `pure=`).
    pub(crate) pure: bool,
    /// The key the caller chose, if any.
    pub(crate) key: Option<&'k str>,
    /// Computed at once as a future (`submit`), or kept pending (`delayed`, `map`'s tasks
    /// before their one submission).
    pub(crate) future: bool,
    /// How many times a failing call runs again.
    pub(crate) retries: u32,
    /// The user's priority (`priority=`), for a future.
    pub(crate) priority: i32,
}

impl TaskOptions<'_> {
    /// A pending task of a `delayed` graph or a bag: no key of its own, no retries.
    pub(crate) fn pending(pure: bool) -> TaskOptions<'static> {
        TaskOptions {
            pure,
            key: None,
            future: false,
            retries: 0,
            priority: 0,
        }
    }
}
