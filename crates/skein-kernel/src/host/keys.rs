//! Keys: reading the key a `Delayed` or `Future` holds, finding the ones inside a value, and
//! the key of a pure call (`_skein_pure_key`), hashed from the call's full value by core's
//! rule ([`Key::task`]).

use monty_types::unstable::{MontyNode, node};
use monty_types::{MontyObject, ObjectRef};
use skein_core::{Key, Purity, TokenHasher};

use super::args::{Args, FromArg, Mismatch, host_args};
use super::{Host, HostResult};
use crate::classes::Kind;
use crate::pyvalue::for_each_instance;
pub(super) use crate::token::delayed_key;
use crate::token::feed_token;

host_args! {
    /// `_skein_pure_key(name, func, args, kwargs)`: the call `delayed(func, pure=True)(…)`
    /// would make, with `_SkeinRef`s for its pending arguments.
    pub(super) struct PureKey<'a> {
        /// The task's name (a non-`str` one gives no key).
        name: ObjectRef<'a>,
        func: ObjectRef<'a>,
        args: ObjectRef<'a>,
        kwargs: ObjectRef<'a>,
    }
}

/// Keys as the prelude passes them: a list of `str`s, or of objects holding one (`_key`).
pub(super) struct Keys(pub(super) Vec<String>);

impl<'a> FromArg<'a> for Keys {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        let arg = arg.ok_or(Mismatch::Missing)?;
        let items = arg
            .items()
            .ok_or_else(|| Mismatch::wrong("a list of keys", arg))?;
        Ok(Keys(
            items
                .iter()
                .filter_map(|k| k.as_str().map(str::to_owned).or_else(|| delayed_key(*k)))
                .collect(),
        ))
    }
}

/// `_skein_pure_key`: the key of a pure call ([`pure_key`]), or `None`.
pub(super) fn pure_key_of(_: &mut Host, args: Args<'_, '_>) -> HostResult {
    let PureKey {
        name,
        func,
        args,
        kwargs,
    } = args.parse()?;
    Ok(pure_key(name, func, args, kwargs)
        .map_or_else(MontyObject::none, |k| MontyObject::string(k.to_string())))
}

/// The key of `obj` if it is a `Delayed` (not a `_SkeinRef` or anything else).
pub(super) fn delayed_of(obj: ObjectRef<'_>) -> Option<String> {
    (Kind::of(obj) == Some(Kind::Delayed))
        .then(|| delayed_key(obj))
        .flatten()
}

/// The keys of the `Delayed`s (and their `_SkeinRef`s) inside `obj`.
pub(super) fn collect_delayed(obj: ObjectRef<'_>, keys: &mut Vec<String>) {
    for_each_instance(obj, &mut |_, value| {
        if Kind::of(value).is_some_and(Kind::is_pending)
            && let Some(key) = delayed_key(value)
        {
            keys.push(key);
        }
    });
}

/// The keys of the `Future`s inside `obj`.
pub(super) fn collect_futures(obj: ObjectRef<'_>, keys: &mut Vec<String>) {
    for_each_instance(obj, &mut |_, value| {
        if Kind::of(value) == Some(Kind::Future)
            && let Some(key) = delayed_key(value)
        {
            keys.push(key);
        }
    });
}

/// The key of a pure call of `func` as the task `name` (`delayed(f, pure=True)(…)`, a bag's
/// partition), by core's rule: a [`TokenHasher`] fed with the name, the function's identity
/// and every argument by its full value. `None` if an argument has no token.
///
/// A cell's function counts by its repr (`<function 'inc' at 0x…>`: redefining it may give
/// new keys), a native lab function or a prelude helper by its name.
fn pure_key(
    name: ObjectRef<'_>,
    func: ObjectRef<'_>,
    args: ObjectRef<'_>,
    kwargs: ObjectRef<'_>,
) -> Option<Key> {
    let name = name.as_str()?;
    let mut token = TokenHasher::new();
    token.write_str(name);
    match node(func) {
        MontyNode::Function { name, .. } | MontyNode::String(name) => token.write_str(name),
        _ => token.write_str(&func.py_repr()),
    }
    (feed_token(args, &mut token) && feed_token(kwargs, &mut token))
        .then(|| Key::task(name, Purity::Pure, &token))
}
