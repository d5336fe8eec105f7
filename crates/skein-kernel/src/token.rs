//! The one hash of a Python value's contents ([`feed_token`]): a pure call's key (`host/keys.rs`)
//! and a captured function's identity (`worker.rs`'s `Capsule`) both come from it.

use std::hash::Hasher;

use monty_types::ObjectRef;
use monty_types::unstable::{MontyNode, child, node};
use skein_core::TokenHasher;

use crate::classes::Kind;
use crate::pyvalue::{instance_attr, instance_class};

/// `Delayed._key` / `Future._key`.
pub(crate) fn delayed_key(obj: ObjectRef<'_>) -> Option<String> {
    instance_attr(obj, "_key")
        .and_then(|k| k.as_str())
        .map(str::to_owned)
}

/// Feeds `obj` to `token`: its type, then its contents in full (an array's bytes, every
/// cell of a frame), never a shortened repr. A `Delayed` or `Future` counts by its key, as
/// core's `Delayed::tokenize` does. False for a class, a module or a cycle: no token.
pub(crate) fn feed_token(obj: ObjectRef<'_>, token: &mut TokenHasher) -> bool {
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
