//! What the host needs to make tasks from one prelude call: a `client.submit` or
//! `client.map` as the prelude passes it ([`ClientCall`]), and how each task is made
//! ([`TaskOptions`]: purity, key, future or pending, retries).

use monty_types::{ExcType, MontyException, ObjectRef};

/// `_skein_submit(func, args, kwargs, captured values, pure, key[, retries])`, or
/// `_skein_map` with the argument lists in place of `args`.
pub(crate) struct ClientCall<'a> {
    pub(crate) func: ObjectRef<'a>,
    /// `submit`'s positional arguments, or `map`'s argument lists.
    pub(crate) args: ObjectRef<'a>,
    pub(crate) kwargs: ObjectRef<'a>,
    /// The globals the function reads, by value.
    pub(crate) values: ObjectRef<'a>,
    pub(crate) pure: bool,
    /// `key=`, or `None`.
    pub(crate) key: ObjectRef<'a>,
    /// `retries=` (`retry.rs`).
    pub(crate) retries: u32,
}

impl<'a> ClientCall<'a> {
    /// Reads the call's arguments; `retries` is optional (`Executor.submit` has none).
    pub(crate) fn parse(args: &[ObjectRef<'a>]) -> Result<ClientCall<'a>, MontyException> {
        let [func, call_args, kwargs, values, pure, key, rest @ ..] = args else {
            return Err(MontyException::new(
                ExcType::TypeError,
                Some("a submit or map call has at least six arguments".into()),
            ));
        };
        Ok(ClientCall {
            func: *func,
            args: *call_args,
            kwargs: *kwargs,
            values: *values,
            pure: pure.is_truthy(),
            key: *key,
            retries: crate::retry::count(rest.first().copied()),
        })
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
}

impl TaskOptions<'_> {
    /// A pending task of a `delayed` graph or a bag: no key of its own, no retries.
    pub(crate) fn pending(pure: bool) -> TaskOptions<'static> {
        TaskOptions {
            pure,
            key: None,
            future: false,
            retries: 0,
        }
    }
}
