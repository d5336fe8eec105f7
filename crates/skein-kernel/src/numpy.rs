//! The host side of the prelude's `numpy` and `scipy`: `_skein_np(op, …)` turns Python
//! values into [`skein_array::NdArray`]s, runs the operation in Rust and hands arrays back
//! as `('__ndarray__', bytes, dtype, shape, repr, str)`, which `prelude/numpy.py` wraps in
//! an `ndarray`. Arrays live in Python as those bytes, so they travel to workers like any
//! other value, and every operation on them is Rust's.

use monty_types::unstable::{MontyNode, child, node};
use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};
use skein_array::ops::{self, BinaryOp, Reduced, Reduction};
use skein_array::{DType, Index, Item, NdArray, Nested, Scalar};
use skein_labs::cancel::Cancel;
use skein_labs::matrix::Matrix;

use crate::errors::array_exception as exception;
use crate::pyvalue::{instance_attr, instance_class};

/// The tag of an array crossing back to Python.
const ARRAY_TAG: &str = "__ndarray__";
/// The tag the prelude gives a `slice` in a subscript.
const SLICE_TAG: &str = "__slice__";

type NpResult = Result<MontyObject, MontyException>;

fn type_error(message: impl Into<String>) -> MontyException {
    MontyException::new(ExcType::TypeError, Some(message.into()))
}

fn value_error(message: impl Into<String>) -> MontyException {
    MontyException::new(ExcType::ValueError, Some(message.into()))
}

/// Runs `_skein_np(op, *args)`; the long ones (`shortest_path`) stop when `cancel` says so.
pub(crate) fn call(args: &[ObjectRef<'_>], cancel: &dyn Cancel) -> NpResult {
    let op = args.first().and_then(|a| a.as_str()).unwrap_or_default();
    let arg = |i: usize| {
        args.get(i + 1)
            .copied()
            .ok_or_else(|| type_error(format!("numpy.{op}() is missing an argument")))
    };
    match op {
        "array" => {
            let dtype = optional_dtype(arg(1)?)?;
            let array = array_of(arg(0)?)?;
            Ok(wrap(&match dtype {
                Some(dtype) => array.astype(dtype),
                None => array,
            }))
        }
        "eval" => Ok(wrap(&array_of(arg(0)?)?)),
        "zeros" => {
            let dtype = optional_dtype(arg(1)?)?.unwrap_or(DType::Float64);
            Ok(wrap(
                &NdArray::zeros(&shape_of(arg(0)?)?, dtype).map_err(exception)?,
            ))
        }
        "full" => {
            let value = scalar_of(arg(1)?)?;
            let array = NdArray::full(&shape_of(arg(0)?)?, value).map_err(exception)?;
            let dtype = optional_dtype(arg(2)?)?;
            Ok(wrap(
                &dtype.map_or_else(|| array.clone(), |d| array.astype(d)),
            ))
        }
        "arange" => arange(arg(0)?, arg(1)?, arg(2)?),
        "linspace" => linspace(arg(0)?, arg(1)?, arg(2)?),
        "random" => {
            let shape = shape_of(arg(0)?)?;
            let mut rng = skein_labs::rng::fresh_rng();
            Ok(wrap(&NdArray::random(&shape, &mut rng).map_err(exception)?))
        }
        "randint" => randint(arg(0)?, arg(1)?, arg(2)?),
        "load" => {
            let bytes = match node(arg(0)?) {
                MontyNode::Bytes(bytes) => bytes,
                _ => return Err(type_error("np.load expects the bytes of a .npy file")),
            };
            Ok(wrap(&skein_array::load_npy(bytes).map_err(exception)?))
        }
        "getitem" => {
            let array = array_of(arg(0)?)?;
            match array.get(&keys_of(arg(1)?)?).map_err(exception)? {
                Item::Scalar(s) => Ok(scalar(s)),
                Item::Array(a) => Ok(wrap(&a)),
            }
        }
        "setitem" => {
            let mut array = array_of(arg(0)?)?;
            let value = array_of(arg(2)?)?;
            array.set(&keys_of(arg(1)?)?, &value).map_err(exception)?;
            Ok(wrap(&array))
        }
        "binary" => {
            let name = arg(0)?.as_str().unwrap_or_default();
            let op =
                BinaryOp::parse(name).ok_or_else(|| type_error(format!("no operator {name}")))?;
            Ok(wrap(
                &ops::binary(op, &array_of(arg(1)?)?, &array_of(arg(2)?)?).map_err(exception)?,
            ))
        }
        "unary" => unary(arg(0)?.as_str().unwrap_or_default(), &array_of(arg(1)?)?),
        "reduce" => {
            let name = arg(0)?.as_str().unwrap_or_default();
            let reduction =
                Reduction::parse(name).ok_or_else(|| type_error(format!("no reduction {name}")))?;
            let axis = arg(2)?;
            let axis = if matches!(node(axis), MontyNode::None) {
                None
            } else {
                Some(
                    axis.as_int()
                        .ok_or_else(|| type_error("axis must be an int"))?,
                )
            };
            match ops::reduce(&array_of(arg(1)?)?, reduction, axis).map_err(exception)? {
                Reduced::Scalar(s) => Ok(scalar(s)),
                Reduced::Array(a) => Ok(wrap(&a)),
            }
        }
        "split" => {
            let sections = count(arg(1)?, "sections")?;
            let axis = count(arg(2)?, "axis")?;
            let parts = ops::split(&array_of(arg(0)?)?, sections, axis).map_err(exception)?;
            Ok(MontyObject::list(parts.iter().map(wrap)))
        }
        "concatenate" => {
            let items = arg(0)?
                .items()
                .ok_or_else(|| type_error("concatenate takes a list of arrays"))?;
            let arrays = items
                .into_iter()
                .map(array_of)
                .collect::<Result<Vec<_>, _>>()?;
            let axis = count(arg(1)?, "axis")?;
            Ok(wrap(&ops::concatenate(&arrays, axis).map_err(exception)?))
        }
        "rows" => {
            let array = array_of(arg(0)?)?;
            if array.shape().is_empty() {
                return Err(type_error("iteration over a 0-d array"));
            }
            let rows = (0..array.shape()[0])
                .map(|i| {
                    array
                        .get(&[Index::Int(i64::try_from(i).unwrap_or(i64::MAX))])
                        .map(|item| match item {
                            Item::Scalar(s) => scalar(s),
                            Item::Array(a) => wrap(&a),
                        })
                        .map_err(exception)
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(MontyObject::list(rows))
        }
        "reshape" => {
            let shape: Vec<i64> = items_of(arg(1)?)?
                .iter()
                .map(|d| d.as_int().ok_or_else(|| type_error("shape must be ints")))
                .collect::<Result<_, _>>()?;
            Ok(wrap(
                &array_of(arg(0)?)?.reshape(&shape).map_err(exception)?,
            ))
        }
        "transpose" => Ok(wrap(&array_of(arg(0)?)?.transpose())),
        "astype" => {
            let dtype = optional_dtype(arg(1)?)?.unwrap_or(DType::Float64);
            Ok(wrap(&array_of(arg(0)?)?.astype(dtype)))
        }
        "tolist" => Ok(nested(&array_of(arg(0)?)?.to_nested())),
        "percentile" => {
            let array = array_of(arg(0)?)?;
            let q = array_of(arg(1)?)?;
            let values = q
                .scalars()
                .into_iter()
                .map(|q| ops::percentile(&array, q.as_f64()))
                .collect::<Result<Vec<f64>, _>>()
                .map_err(exception)?;
            match values.as_slice() {
                [one] if q.shape().is_empty() => Ok(MontyObject::float(*one)),
                _ => Ok(wrap(
                    &NdArray::from_f64(q.shape(), values).map_err(exception)?,
                )),
            }
        }
        "moment" => {
            let array = array_of(arg(0)?)?;
            let variance = ops::variance(&array);
            Ok(MontyObject::float(match arg(1)?.as_str() {
                Some("std") => variance.sqrt(),
                _ => variance,
            }))
        }
        "shortest_path" => shortest_path(&array_of(arg(0)?)?, cancel),
        other => Err(type_error(format!("numpy has no operation {other}"))),
    }
}

/// An array as the tagged tuple the prelude wraps.
fn wrap(array: &NdArray) -> MontyObject {
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

fn scalar(value: Scalar) -> MontyObject {
    match value {
        Scalar::Bool(b) => MontyObject::bool(b),
        Scalar::Int(i) => MontyObject::int(i),
        Scalar::Float(f) => MontyObject::float(f),
    }
}

fn nested(value: &Nested) -> MontyObject {
    match value {
        Nested::Scalar(s) => scalar(*s),
        Nested::List(items) => MontyObject::list(items.iter().map(nested)),
    }
}

fn items_of<'a>(value: ObjectRef<'a>) -> Result<Vec<ObjectRef<'a>>, MontyException> {
    match node(value) {
        MontyNode::Int(_) => Ok(vec![value]),
        MontyNode::List(_) | MontyNode::Tuple(_) => Ok(value.items().unwrap_or_default()),
        _ => Err(type_error(format!(
            "'{}' object cannot be interpreted as a shape",
            value.type_name()
        ))),
    }
}

fn count(value: ObjectRef<'_>, what: &str) -> Result<usize, MontyException> {
    value
        .as_int()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| type_error(format!("{what} must be a non-negative int")))
}

fn shape_of(value: ObjectRef<'_>) -> Result<Vec<usize>, MontyException> {
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

fn optional_dtype(value: ObjectRef<'_>) -> Result<Option<DType>, MontyException> {
    match node(value) {
        MontyNode::None => Ok(None),
        MontyNode::String(name) => DType::parse(name).map(Some).map_err(exception),
        MontyNode::Type(t) => DType::parse(&t.to_string()).map(Some).map_err(exception),
        _ => Err(type_error("dtype must be a type name such as 'float64'")),
    }
}

fn scalar_of(value: ObjectRef<'_>) -> Result<Scalar, MontyException> {
    match node(value) {
        MontyNode::Bool(b) => Ok(Scalar::Bool(*b)),
        MontyNode::Int(i) => Ok(Scalar::Int(*i)),
        MontyNode::Float(f) => Ok(Scalar::Float(*f)),
        _ => array_of(value)?.item().map_err(exception),
    }
}

/// Any array-like Python value as an array: an `ndarray` (evaluating a pending
/// expression), a number, or nested lists and tuples.
fn array_of(value: ObjectRef<'_>) -> Result<NdArray, MontyException> {
    array_at_depth(value, 0)
}

fn array_at_depth(value: ObjectRef<'_>, depth: usize) -> Result<NdArray, MontyException> {
    if depth > 64 {
        return Err(MontyException::new(
            ExcType::RecursionError,
            Some("array expression nested too deeply".into()),
        ));
    }
    if instance_class(value) == Some("ndarray") {
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
        _ if instance_class(value) == Some("ndarray") => {
            Ok(array_at_depth(value, depth)?.to_nested())
        }
        _ => Err(type_error(format!(
            "could not convert '{}' to an array element",
            value.type_name()
        ))),
    }
}

/// A subscript as indices: the prelude sends a tuple, slices tagged `('__slice__', …)`.
fn keys_of(value: ObjectRef<'_>) -> Result<Vec<Index>, MontyException> {
    value
        .items()
        .unwrap_or_default()
        .into_iter()
        .map(index_of)
        .collect()
}

fn index_of(value: ObjectRef<'_>) -> Result<Index, MontyException> {
    let optional = |r: ObjectRef<'_>| match node(r) {
        MontyNode::None => Ok(None),
        _ => r
            .as_int()
            .map(Some)
            .ok_or_else(|| type_error("slice indices must be integers or None")),
    };
    match node(value) {
        MontyNode::Int(i) => Ok(Index::Int(*i)),
        MontyNode::Bool(_) => Err(type_error("a bool is not an index; use a mask array")),
        MontyNode::Tuple(_) => {
            let parts = value.items().unwrap_or_default();
            match parts.as_slice() {
                [tag, start, stop, step] if tag.as_str() == Some(SLICE_TAG) => Ok(Index::Slice {
                    start: optional(*start)?,
                    stop: optional(*stop)?,
                    step: optional(*step)?,
                }),
                _ => Err(type_error("only one level of tuple indexing is supported")),
            }
        }
        MontyNode::List(_) => index_array(array_of(value)?),
        MontyNode::None => Err(MontyException::new(
            ExcType::IndexError,
            Some("np.newaxis (None) in an index is not supported in Skein".into()),
        )),
        _ if instance_class(value) == Some("ndarray") => index_array(array_of(value)?),
        _ => Err(MontyException::new(
            ExcType::IndexError,
            Some(
                "only integers, slices (`:`), integer lists and boolean masks are valid indices"
                    .into(),
            ),
        )),
    }
}

fn index_array(array: NdArray) -> Result<Index, MontyException> {
    match array.dtype() {
        DType::Bool => Ok(Index::Mask(array)),
        DType::Int64 if array.shape().len() == 1 => Ok(Index::Ints(
            array.scalars().into_iter().map(Scalar::as_i64).collect(),
        )),
        _ => Err(MontyException::new(
            ExcType::IndexError,
            Some("arrays used as indices must be of integer (or boolean) type".into()),
        )),
    }
}

fn unary(name: &str, array: &NdArray) -> NpResult {
    Ok(wrap(&unary_array(name, array)?))
}

fn unary_array(name: &str, array: &NdArray) -> Result<NdArray, MontyException> {
    let NdArray::Float(floats) = array.astype(DType::Float64) else {
        return Err(type_error("unary operation failed"));
    };
    let map = |f: fn(f64) -> f64| NdArray::Float(floats.mapv(f));
    Ok(match name {
        "neg" => match array {
            NdArray::Int(a) => NdArray::Int(a.mapv(i64::wrapping_neg)),
            NdArray::Bool(_) => {
                return Err(type_error(
                    "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.",
                ));
            }
            NdArray::Float(_) => map(|x| -x),
        },
        "abs" => match array {
            NdArray::Int(a) => NdArray::Int(a.mapv(i64::wrapping_abs)),
            _ => map(f64::abs),
        },
        "invert" => match array {
            NdArray::Bool(a) => NdArray::Bool(a.mapv(|b| !b)),
            NdArray::Int(a) => NdArray::Int(a.mapv(|i| !i)),
            NdArray::Float(_) => {
                return Err(type_error(
                    "ufunc 'invert' not supported for the input types",
                ));
            }
        },
        "sqrt" => map(f64::sqrt),
        "exp" => map(f64::exp),
        "log" => map(f64::ln),
        "floor" => map(f64::floor),
        "ceil" => map(f64::ceil),
        "round" => map(f64::round_ties_even),
        "isnan" => NdArray::Bool(floats.mapv(f64::is_nan)),
        other => return Err(type_error(format!("numpy has no function {other}"))),
    })
}

fn arange(start: ObjectRef<'_>, stop: ObjectRef<'_>, step: ObjectRef<'_>) -> NpResult {
    let (start, stop, step) = (scalar_of(start)?, scalar_of(stop)?, scalar_of(step)?);
    let floats = [start, stop, step]
        .iter()
        .any(|s| s.dtype() == DType::Float64);
    if step.as_f64() == 0.0 {
        return Err(MontyException::new(
            ExcType::ZeroDivisionError,
            Some("division by zero".into()),
        ));
    }
    // Integers count exactly in i128 (an f64 quotient rounds past 2**53); floats as NumPy.
    let len = if floats {
        let len = ((stop.as_f64() - start.as_f64()) / step.as_f64()).ceil();
        // NumPy's messages for a length that is not a number.
        if len.is_nan() {
            return Err(value_error("arange: cannot compute length"));
        }
        if len.is_infinite() && len > 0.0 {
            return Err(value_error("Maximum allowed size exceeded"));
        }
        len.max(0.0)
    } else {
        let (start, stop, step) = (
            i128::from(start.as_i64()),
            i128::from(stop.as_i64()),
            i128::from(step.as_i64()),
        );
        let span = stop - start;
        let whole = span / step;
        let ceil = if span % step != 0 && (span > 0) == (step > 0) {
            whole + 1
        } else {
            whole
        };
        ceil.max(0) as f64
    };
    // `as` saturates, so a length past the budget (even past `usize::MAX`) stays past it and
    // `checked_size` turns it into NumPy's MemoryError.
    let len = skein_array::checked_size(&[len as usize]).map_err(exception)?;
    let array = if floats {
        let values = (0..len)
            .map(|i| start.as_f64() + i as f64 * step.as_f64())
            .collect();
        NdArray::from_f64(&[len], values).map_err(exception)?
    } else {
        // Every value lies between start and stop, so the wrapping sum is exact even where
        // `i * step` alone would overflow (`np.arange(-2**63, 2**63 - 1, 2**62)`).
        let values = (0..len)
            .map(|i| {
                let offset = (i as i64).wrapping_mul(step.as_i64());
                Nested::Scalar(Scalar::Int(start.as_i64().wrapping_add(offset)))
            })
            .collect();
        NdArray::from_nested(&Nested::List(values), Some(DType::Int64)).map_err(exception)?
    };
    Ok(wrap(&array))
}

/// `np.linspace(start, stop, num)`: checked against the budget before anything is built.
fn linspace(start: ObjectRef<'_>, stop: ObjectRef<'_>, num: ObjectRef<'_>) -> NpResult {
    let num = num.as_int().ok_or_else(|| {
        type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            num.type_name()
        ))
    })?;
    let num = usize::try_from(num)
        .map_err(|_| value_error(format!("Number of samples, {num}, must be non-negative.")))?;
    skein_array::checked_size(&[num]).map_err(exception)?;
    let (start, stop) = (scalar_of(start)?.as_f64(), scalar_of(stop)?.as_f64());
    let step = (stop - start) / num.saturating_sub(1).max(1) as f64;
    let mut values: Vec<f64> = (0..num).map(|i| start + i as f64 * step).collect();
    // As NumPy: the last sample is `stop` itself, not the sum that rounds near it.
    if num > 1
        && let Some(last) = values.last_mut()
    {
        *last = stop;
    }
    Ok(wrap(&NdArray::from_f64(&[num], values).map_err(exception)?))
}

fn randint(low: ObjectRef<'_>, high: ObjectRef<'_>, size: ObjectRef<'_>) -> NpResult {
    use rand::RngExt;
    let (low, high) = (scalar_of(low)?.as_i64(), scalar_of(high)?.as_i64());
    if high <= low {
        return Err(MontyException::new(
            ExcType::ValueError,
            Some("low >= high".into()),
        ));
    }
    let mut rng = skein_labs::rng::fresh_rng();
    if matches!(node(size), MontyNode::None) {
        return Ok(MontyObject::int(rng.random_range(low..high)));
    }
    let shape = shape_of(size)?;
    let len = skein_array::checked_size(&shape).map_err(exception)?;
    let values = (0..len)
        .map(|_| Nested::Scalar(Scalar::Int(rng.random_range(low..high))))
        .collect();
    let flat =
        NdArray::from_nested(&Nested::List(values), Some(DType::Int64)).map_err(exception)?;
    let dims: Vec<i64> = shape
        .iter()
        .map(|&d| i64::try_from(d).unwrap_or(i64::MAX))
        .collect();
    Ok(wrap(&flat.reshape(&dims).map_err(exception)?))
}

/// `scipy.sparse.csgraph.shortest_path` of a dense matrix: SciPy reads zeros as "no edge",
/// and so do the labs' Dijkstra runs.
fn shortest_path(array: &NdArray, cancel: &dyn Cancel) -> NpResult {
    let shape = array.shape();
    let &[rows, cols] = shape else {
        return Err(MontyException::new(
            ExcType::ValueError,
            Some(format!(
                "expected a 2-D adjacency matrix, got {} dimensions",
                shape.len()
            )),
        ));
    };
    let values = array.scalars().into_iter().map(Scalar::as_f64).collect();
    let matrix = Matrix::from_row_major(rows, cols, values)
        .map_err(|e| MontyException::new(ExcType::ValueError, Some(e.to_string())))?;
    let paths = crate::labs::shortest_paths(&matrix, cancel)?;
    Ok(wrap(
        &NdArray::from_f64(&[rows, cols], paths.as_slice().to_vec()).map_err(exception)?,
    ))
}
