//! The host side of the prelude's `numpy` and `scipy`: `_skein_np(op, …)` turns Python
//! values into [`skein_array::NdArray`]s, runs the operation in Rust and hands arrays back
//! as `('__ndarray__', bytes, dtype, shape, repr, str)`, which `prelude/numpy.py` wraps in
//! an `ndarray`. Arrays live in Python as those bytes, so they travel to workers like any
//! other value, and every operation on them is Rust's.
//!
//! `call` dispatches on the operation's name; the files beside it hold the rest: `convert`
//! (values across the border: arrays, scalars, shapes, dtypes), `index` (subscripts),
//! `creation` (`arange`, `linspace`, `randint`), `ufunc` (element-wise functions) and
//! `scipy` (`shortest_path`).

mod convert;
mod creation;
mod index;
mod scipy;
mod ufunc;

use monty_types::unstable::{MontyNode, node};
use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};
use skein_array::ops::{self, BinaryOp, Reduced, Reduction};
use skein_array::{DType, Index, Item, NdArray};
use skein_labs::cancel::Cancel;

use crate::errors::array_exception as exception;
use convert::{
    array_of, count, items_of, nested, optional_dtype, scalar, scalar_of, shape_of, wrap,
};
use creation::{arange, linspace, randint};
use index::keys_of;
use scipy::shortest_path;
use ufunc::unary;

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
