//! What the host needs to make tasks from one prelude call: a `client.submit` or
//! `client.map` as the prelude passes it ([`ClientCall`]), and how each task is made
//! ([`TaskOptions`]: purity, key, future or pending, retries).

use monty_types::ObjectRef;
use skein_core::Priority;

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
        priority: UserPriority,
    }
}

/// `priority=` (Dask's: higher runs first; any number): left out or `None`, 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct UserPriority(pub(crate) i32);

impl UserPriority {
    /// As Dask's `client.submit` and `client.map` queue their tasks (`fifo_timeout` 100 ms).
    pub(crate) fn submitted(self) -> Priority {
        Priority::new(self.0, Priority::SUBMIT_FIFO)
    }

    /// As Dask's `compute`, `persist` and `dask.compute` queue theirs (`fifo_timeout` 60 s).
    pub(crate) fn computed(self) -> Priority {
        Priority::new(self.0, Priority::COMPUTE_FIFO)
    }
}

impl<'a> FromArg<'a> for UserPriority {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        let Some(arg) = arg.filter(ObjectRef::is_truthy) else {
            // Absent, `None` or zero.
            return Ok(UserPriority(0));
        };
        // A float ranks with the ints it lies between. The cast saturates, and the engine
        // clamps to the 16 bits it keeps (Dask's examples use small numbers).
        let number = arg
            .as_int()
            .map(|n| n as f64)
            .or_else(|| arg.as_float())
            .ok_or_else(|| Mismatch::wrong("a number", arg))?;
        Ok(UserPriority(number.ceil() as i32))
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
    pub(crate) priority: UserPriority,
}

impl TaskOptions<'_> {
    /// A pending task of a `delayed` graph or a bag: no key of its own, no retries.
    pub(crate) fn pending(pure: bool) -> TaskOptions<'static> {
        TaskOptions {
            pure,
            key: None,
            future: false,
            retries: 0,
            priority: UserPriority(0),
        }
    }
}
