//! Values across the border: arrays, scalars and nested lists back to Python (an array as the
//! tagged tuple the prelude wraps), and Python's array-likes, shapes, counts and dtypes into
//! Rust (an `ndarray` with a pending expression evaluated on the way).

use monty_types::unstable::{MontyNode, child, node};
use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};
use skein_array::ops::{self, BinaryOp};
use skein_array::{DType, NdArray, Nested, Scalar};

use super::type_error;
use super::ufunc::unary_array;
use crate::classes::Kind;
use crate::errors::array_exception as exception;
use crate::pyvalue::instance_attr;

/// The tag of an array crossing back to Python.
const ARRAY_TAG: &str = "__ndarray__";

/// An array as the tagged tuple the prelude wraps.
pub(super) fn wrap(array: &NdArray) -> MontyObject {
    MontyObject::tuple([
        MontyObject::string(ARRAY_TAG),
        MontyObject::bytes(array.to_bytes()),
        MontyObject::string(array.dtype().name()),
        MontyObject::tuple(
            array
                .shape()
                .iter()
                .map(|&d| MontyObject::int(i64::try_from(d).unwrap_or(i64::MAX))),
        ),
        MontyObject::string(array.repr()),
        MontyObject::string(array.str()),
    ])
}

pub(super) fn scalar(value: Scalar) -> MontyObject {
    match value {
        Scalar::Bool(b) => MontyObject::bool(b),
        Scalar::Int(i) => MontyObject::int(i),
        Scalar::Float(f) => MontyObject::float(f),
    }
}

pub(super) fn nested(value: &Nested) -> MontyObject {
    match value {
        Nested::Scalar(s) => scalar(*s),
        Nested::List(items) => MontyObject::list(items.iter().map(nested)),
    }
}

pub(super) fn items_of<'a>(value: ObjectRef<'a>) -> Result<Vec<ObjectRef<'a>>, MontyException> {
    match node(value) {
        MontyNode::Int(_) => Ok(vec![value]),
        MontyNode::List(_) | MontyNode::Tuple(_) => Ok(value.items().unwrap_or_default()),
        _ => Err(type_error(format!(
            "'{}' object cannot be interpreted as a shape",
            value.type_name()
        ))),
    }
}

pub(super) fn count(value: ObjectRef<'_>, what: &str) -> Result<usize, MontyException> {
    value
        .as_int()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| type_error(format!("{what} must be a non-negative int")))
}

pub(super) fn shape_of(value: ObjectRef<'_>) -> Result<Vec<usize>, MontyException> {
    items_of(value)?
        .iter()
        .map(|d| match d.as_int() {
            Some(n) if n >= 0 => usize::try_from(n).map_err(|_| type_error("shape too large")),
            Some(_) => Err(MontyException::new(
                ExcType::ValueError,
                Some("negative dimensions are not allowed".into()),
            )),
            None => Err(type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                d.type_name()
            ))),
        })
        .collect()
}

pub(super) fn optional_dtype(value: ObjectRef<'_>) -> Result<Option<DType>, MontyException> {
    match node(value) {
        MontyNode::None => Ok(None),
        MontyNode::String(name) => DType::parse(name).map(Some).map_err(exception),
        MontyNode::Type(t) => DType::parse(&t.to_string()).map(Some).map_err(exception),
        _ => Err(type_error("dtype must be a type name such as 'float64'")),
    }
}

pub(super) fn scalar_of(value: ObjectRef<'_>) -> Result<Scalar, MontyException> {
    match node(value) {
        MontyNode::Bool(b) => Ok(Scalar::Bool(*b)),
        MontyNode::Int(i) => Ok(Scalar::Int(*i)),
        MontyNode::Float(f) => Ok(Scalar::Float(*f)),
        _ => array_of(value)?.item().map_err(exception),
    }
}

/// `base` with the element writes a loop of `a[i, j] = x` left pending (`numpy.py`'s
/// `__setitem__`): a list of `(flat position, number)`.
fn apply_writes(mut base: NdArray, writes: ObjectRef<'_>) -> Result<NdArray, MontyException> {
    let writes = writes
        .items()
        .unwrap_or_default()
        .into_iter()
        .map(|write| match write.items().as_deref() {
            Some([at, value]) => {
                let at = at.as_int().and_then(|n| usize::try_from(n).ok());
                Ok((
                    at.ok_or_else(|| type_error("malformed array write"))?,
                    scalar_of(*value)?,
                ))
            }
            _ => Err(type_error("malformed array write")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    base.set_flat(&writes).map_err(exception)?;
    Ok(base)
}

/// Any array-like Python value as an array: an `ndarray` (evaluating a pending
/// expression), a number, or nested lists and tuples.
pub(super) fn array_of(value: ObjectRef<'_>) -> Result<NdArray, MontyException> {
    array_at_depth(value, 0)
}

fn array_at_depth(value: ObjectRef<'_>, depth: usize) -> Result<NdArray, MontyException> {
    if depth > 64 {
        return Err(MontyException::new(
            ExcType::RecursionError,
            Some("array expression nested too deeply".into()),
        ));
    }
    if Kind::of(value) == Some(Kind::Ndarray) {
        let expr = instance_attr(value, "_expr");
        if let Some(expr) = expr.filter(|e| !matches!(node(*e), MontyNode::None)) {
            let parts = expr.items().unwrap_or_default();
            let [op, a, b] = parts.as_slice() else {
                return Err(type_error("malformed array expression"));
            };
            let name = op.as_str().unwrap_or_default();
            if name == "array" {
                let dtype = instance_attr(value, "dtype")
                    .and_then(|d| instance_attr(d, "name").or(Some(d)))
                    .and_then(|d| d.as_str())
                    .map(DType::parse)
                    .transpose()
                    .map_err(exception)?;
                return NdArray::from_nested(&nested_of(*a, depth)?, dtype).map_err(exception);
            }
            let a = array_at_depth(*a, depth + 1)?;
            if name == "writes" {
                return apply_writes(a, *b);
            }
            if let Some(unary_name) = name.strip_prefix("unary:") {
                return unary_array(unary_name, &a);
            }
            let op =
                BinaryOp::parse(name).ok_or_else(|| type_error(format!("no operator {name}")))?;
            let b = array_at_depth(*b, depth + 1)?;
            return ops::binary(op, &a, &b).map_err(exception);
        }
        let attr = |name: &str| {
            instance_attr(value, name)
                .ok_or_else(|| type_error(format!("an ndarray without {name}")))
        };
        let dtype = attr("dtype")?;
        let dtype = instance_attr(dtype, "name").unwrap_or(dtype);
        let dtype = DType::parse(dtype.as_str().unwrap_or_default()).map_err(exception)?;
        let shape = shape_of(attr("shape")?)?;
        let MontyNode::Bytes(bytes) = node(attr("_data")?) else {
            return Err(type_error("an ndarray without its data"));
        };
        return NdArray::from_bytes(dtype, &shape, bytes).map_err(exception);
    }
    match node(value) {
        MontyNode::Bool(b) => Ok(NdArray::from_scalar(Scalar::Bool(*b))),
        MontyNode::Int(i) => Ok(NdArray::from_scalar(Scalar::Int(*i))),
        MontyNode::Float(f) => Ok(NdArray::from_scalar(Scalar::Float(*f))),
        MontyNode::List(_) | MontyNode::Tuple(_) => {
            NdArray::from_nested(&nested_of(value, depth)?, None).map_err(exception)
        }
        _ => Err(type_error(format!(
            "unsupported operand: '{}' is not a number or an array",
            value.type_name()
        ))),
    }
}

fn nested_of(value: ObjectRef<'_>, depth: usize) -> Result<Nested, MontyException> {
    match node(value) {
        MontyNode::Bool(b) => Ok(Nested::Scalar(Scalar::Bool(*b))),
        MontyNode::Int(i) => Ok(Nested::Scalar(Scalar::Int(*i))),
        MontyNode::Float(f) => Ok(Nested::Scalar(Scalar::Float(*f))),
        MontyNode::List(ids) | MontyNode::Tuple(ids) if depth < 32 => ids
            .iter()
            .map(|&id| nested_of(child(value, id), depth + 1))
            .collect::<Result<_, _>>()
            .map(Nested::List),
        _ if Kind::of(value) == Some(Kind::Ndarray) => {
            Ok(array_at_depth(value, depth)?.to_nested())
        }
        _ => Err(type_error(format!(
            "could not convert '{}' to an array element",
            value.type_name()
        ))),
    }
}
