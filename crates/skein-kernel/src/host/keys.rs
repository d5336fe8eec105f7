//! Keys: reading the key a `Delayed` or `Future` holds, finding the ones inside a value, and
//! the key of a pure call (`_skein_pure_key`), hashed from the call's full value by core's
//! rule ([`Key::task`]).

use std::hash::Hasher;

use monty_types::unstable::{MontyNode, child, node};
use monty_types::{MontyObject, ObjectRef};
use skein_core::{Key, Purity, TokenHasher};

use super::args::{Args, FromArg, Mismatch, host_args};
use super::{Host, HostResult};
use crate::pyvalue::{Kind, for_each_instance, instance_attr, instance_class};

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

/// `Delayed._key` / `Future._key`.
pub(super) fn delayed_key(obj: ObjectRef<'_>) -> Option<String> {
    instance_attr(obj, "_key")
        .and_then(|k| k.as_str())
        .map(str::to_owned)
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

/// Feeds `obj` to `token`: its type, then its contents in full (an array's bytes, every
/// cell of a frame), never a shortened repr. A `Delayed` or `Future` counts by its key, as
/// core's `Delayed::tokenize` does. False for a class, a module or a cycle: no token.
fn feed_token(obj: ObjectRef<'_>, token: &mut TokenHasher) -> bool {
    match node(obj) {
        MontyNode::ClassInstance { attrs, .. } => {
            if Kind::of(obj).is_some()
                && let Some(key) = delayed_key(obj)
            {
                token.write_str("key");
                token.write_str(&key);
                return true;
            }
            token.write_str(instance_class(obj).unwrap_or_default());
            token.write_u64(attrs.len() as u64);
            attrs
                .iter()
                .all(|&(k, v)| feed_token(child(obj, k), token) && feed_token(child(obj, v), token))
        }
        MontyNode::ClassType(_) | MontyNode::Module { .. } | MontyNode::Cycle(_) => false,
        MontyNode::List(ids) | MontyNode::Tuple(ids) => {
            token.write_str(obj.type_name());
            token.write_u64(ids.len() as u64);
            ids.iter().all(|&id| feed_token(child(obj, id), token))
        }
        // Equal sets may iterate in different orders (insertion order decides among
        // colliding hashes): their elements count as a sorted list of their own tokens.
        MontyNode::Set(ids) | MontyNode::FrozenSet(ids) => {
            let mut elements = Vec::with_capacity(ids.len());
            for &id in ids {
                let mut element = TokenHasher::new();
                if !feed_token(child(obj, id), &mut element) {
                    return false;
                }
                elements.push(element.finish128());
            }
            elements.sort_unstable();
            token.write_str(obj.type_name());
            token.write_u64(ids.len() as u64);
            elements.iter().for_each(|&e| token.write_u128(e));
            true
        }
        MontyNode::Dict(pairs) => {
            token.write_str("dict");
            token.write_u64(pairs.len() as u64);
            pairs
                .iter()
                .all(|&(k, v)| feed_token(child(obj, k), token) && feed_token(child(obj, v), token))
        }
        MontyNode::String(s) => {
            token.write_str("str");
            token.write_str(s);
            true
        }
        MontyNode::Bytes(b) => {
            token.write_str("bytes");
            token.write_u64(b.len() as u64);
            token.write(b);
            true
        }
        MontyNode::Int(i) => {
            token.write_str("int");
            token.write_i64(*i);
            true
        }
        MontyNode::Float(f) => {
            token.write_str("float");
            token.write_u64(f.to_bits());
            true
        }
        // The rest (None, bools, big ints, dates, functions…) are told apart by their repr.
        _ => {
            token.write_str(obj.type_name());
            token.write_str(&obj.py_repr());
            true
        }
    }
}
