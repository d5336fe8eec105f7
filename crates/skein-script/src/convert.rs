//! Script values in and out of the engine: a Rhai [`Dynamic`] travels through the task graph
//! as a [`Value`], sized for "memory by key", and hashed for pure keys.

use std::hash::{Hash, Hasher};

use rhai::{Dynamic, EvalAltResult};
use skein_core::{TaskError, TokenHasher, Value};
use std::sync::atomic::{AtomicU64, Ordering};

use skein_labs::adjacency::Adjacency;
use skein_labs::dataframe::Partition;
use skein_labs::matrix::Matrix;
use skein_labs::zones::Zone;

use crate::api::client::FutureValue;
use crate::api::delayed::DelayedValue;

/// `value` as an engine value.
pub(crate) fn to_value(value: Dynamic) -> Value {
    let bytes = approx_bytes(&value);
    Value::with_size(value, bytes)
}

/// An engine value as a script value.
pub(crate) fn to_dynamic(value: &Value) -> Result<Dynamic, TaskError> {
    value
        .downcast_ref::<Dynamic>()
        .cloned()
        .ok_or_else(|| TaskError::new(format!("a `{}` is not a script value", value.type_name())))
}

/// An engine value as a script value, for script functions.
pub(crate) fn value_to_dynamic(value: &Value) -> Result<Dynamic, Box<EvalAltResult>> {
    to_dynamic(value).map_err(|e| crate::errors::runtime(e.message()))
}

/// Approximate bytes held by `value`, heap included.
pub(crate) fn approx_bytes(value: &Dynamic) -> usize {
    const SLOT: usize = std::mem::size_of::<Dynamic>();
    if let Some(s) = value.read_lock::<rhai::ImmutableString>() {
        return SLOT + s.len();
    }
    if let Some(a) = value.read_lock::<rhai::Array>() {
        return SLOT + a.iter().map(approx_bytes).sum::<usize>();
    }
    if let Some(m) = value.read_lock::<rhai::Map>() {
        return SLOT
            + m.iter()
                .map(|(k, v)| k.len() + approx_bytes(v))
                .sum::<usize>();
    }
    if let Some(b) = value.read_lock::<rhai::Blob>() {
        return SLOT + b.len();
    }
    if let Some(m) = value.read_lock::<Matrix>() {
        return SLOT + m.as_slice().len() * 8;
    }
    SLOT
}

/// Feeds `value` to a pure key's hasher: equal values hash equally.
pub(crate) fn tokenize(value: &Dynamic, h: &mut TokenHasher) {
    value.type_name().hash(h);
    if let Ok(i) = value.as_int() {
        i.hash(h);
    } else if let Ok(f) = value.as_float() {
        f.to_bits().hash(h);
    } else if let Ok(b) = value.as_bool() {
        b.hash(h);
    } else if let Ok(c) = value.as_char() {
        c.hash(h);
    } else if let Some(s) = value.read_lock::<rhai::ImmutableString>() {
        h.write_str(&s);
    } else if let Some(a) = value.read_lock::<rhai::Array>() {
        a.len().hash(h);
        a.iter().for_each(|v| tokenize(v, h));
    } else if let Some(m) = value.read_lock::<rhai::Map>() {
        // Rhai maps are ordered by key.
        for (k, v) in m.iter() {
            h.write_str(k);
            tokenize(v, h);
        }
    } else if let Some(b) = value.read_lock::<rhai::Blob>() {
        h.write(&b);
    } else if let Some(m) = value.read_lock::<Matrix>() {
        matrix(&m, h);
    } else if let Some(z) = value.read_lock::<Zone>() {
        (z.index, z.row0, z.col0).hash(h);
        matrix(&z.costs, h);
    } else if let Some(a) = value.read_lock::<Adjacency>() {
        matrix(&a.to_dense(), h);
    } else if let Some(p) = value.read_lock::<Partition>() {
        p.partition.hash(h);
        p.columns.hash(h);
        p.rows.iter().for_each(|r| r.fields.hash(h));
    } else if let Some(d) = value.read_lock::<DelayedValue>() {
        h.write_str(d.key().as_str());
    } else if let Some(f) = value.read_lock::<FutureValue>() {
        h.write_str(f.key().as_str());
    } else {
        // A value this crate cannot compare: never share its key with another call.
        static UNIQUE: AtomicU64 = AtomicU64::new(0);
        UNIQUE.fetch_add(1, Ordering::Relaxed).hash(h);
    }
}

fn matrix(m: &Matrix, h: &mut TokenHasher) {
    m.shape().hash(h);
    m.as_slice().iter().for_each(|x| x.to_bits().hash(h));
}

#[cfg(test)]
mod test {
    use super::*;

    fn token(v: Dynamic) -> u128 {
        let mut h = TokenHasher::new();
        tokenize(&v, &mut h);
        h.finish128()
    }

    #[test]
    fn equal_values_share_tokens() {
        let a: rhai::Array = vec![1_i64.into(), 2.5_f64.into(), "x".into()];
        assert_eq!(token(a.clone().into()), token(a.into()));
        assert_ne!(token(1_i64.into()), token(1.0_f64.into()));
        assert_ne!(token("1".into()), token(1_i64.into()));
    }

    #[test]
    fn values_round_trip_and_are_sized() {
        let v = to_value(Dynamic::from("hello"));
        assert!(v.bytes() >= 5);
        assert_eq!(to_dynamic(&v).unwrap().into_string().unwrap(), "hello");
        assert!(to_dynamic(&Value::new(1_u8)).is_err());
    }
}
