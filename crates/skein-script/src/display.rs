//! How values show: the text of a cell's last value, of `print`, and of table cells.
//!
//! Like a notebook's repr: strings in quotes inside collections, long arrays elided, Skein's
//! types by their own `to_string` (`Delayed('square-…')`, `<Future: finished, key: …>`).

use rhai::{Array, Dynamic, Map};
use skein_labs::matrix::Matrix;

use crate::api::bag::BagValue;
use crate::api::client::{AsCompletedHandle, ClientHandle, FutureValue};
use crate::api::delayed::DelayedValue;
use crate::api::labs;

/// Items shown of a long array before eliding the rest.
const MAX_ITEMS: usize = 100;

/// `value` as the cell output shows it (a top-level string without quotes).
pub(crate) fn show(value: &Dynamic) -> String {
    match value.read_lock::<rhai::ImmutableString>() {
        Some(s) => s.to_string(),
        None => repr(value),
    }
}

/// `value` as it shows inside a collection.
fn repr(value: &Dynamic) -> String {
    if let Some(s) = value.read_lock::<rhai::ImmutableString>() {
        return format!("{:?}", s.as_str());
    }
    if let Some(a) = value.read_lock::<Array>() {
        return array(&a);
    }
    if let Some(m) = value.read_lock::<Map>() {
        return map(&m);
    }
    if let Ok(f) = value.as_float() {
        return float(f);
    }
    if value.is_unit() {
        return "()".to_owned();
    }
    custom(value).unwrap_or_else(|| value.to_string())
}

fn array(items: &Array) -> String {
    let mut parts: Vec<String> = items.iter().take(MAX_ITEMS).map(repr).collect();
    if items.len() > MAX_ITEMS {
        parts.push(format!("… {} more", items.len() - MAX_ITEMS));
    }
    format!("[{}]", parts.join(", "))
}

fn map(m: &Map) -> String {
    let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}: {}", repr(v))).collect();
    format!("#{{{}}}", parts.join(", "))
}

/// Floats always show a decimal point or exponent, so `4.0` is not mistaken for `4`.
fn float(f: f64) -> String {
    let s = f.to_string();
    if f.is_finite() && !s.contains(['.', 'e', 'E']) {
        format!("{s}.0")
    } else {
        s
    }
}

/// Skein's script types.
fn custom(value: &Dynamic) -> Option<String> {
    if let Some(d) = value.read_lock::<DelayedValue>() {
        return Some(d.to_string());
    }
    if let Some(f) = value.read_lock::<FutureValue>() {
        return Some(f.to_string());
    }
    if let Some(c) = value.read_lock::<ClientHandle>() {
        return Some(c.to_string());
    }
    if let Some(a) = value.read_lock::<AsCompletedHandle>() {
        return Some(a.to_string());
    }
    if let Some(b) = value.read_lock::<BagValue>() {
        return Some(b.to_string());
    }
    if let Some(m) = value.read_lock::<Matrix>() {
        return Some(labs::show_matrix(&m));
    }
    labs::show(value)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn values_show_like_a_notebook() {
        assert_eq!(show(&Dynamic::from("hi")), "hi");
        let a: Array = vec![1_i64.into(), 4.0_f64.into(), "x".into()];
        assert_eq!(show(&Dynamic::from(a)), "[1, 4.0, \"x\"]");
        let long: Array = (0..150_i64).map(Dynamic::from).collect();
        assert!(show(&Dynamic::from(long)).ends_with("… 50 more]"));
    }
}
