//! Arrays made from numbers (`np.arange`, `np.linspace`, `np.random.randint`), each checked
//! against the element budget before anything is built.

use monty_types::unstable::{MontyNode, node};
use monty_types::{ExcType, MontyException, MontyObject, ObjectRef};
use skein_array::{DType, NdArray, Nested, Scalar};

use super::convert::{scalar_of, shape_of, wrap};
use super::{NpResult, type_error, value_error};
use crate::errors::array_exception as exception;

pub(super) fn arange(start: ObjectRef<'_>, stop: ObjectRef<'_>, step: ObjectRef<'_>) -> NpResult {
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
pub(super) fn linspace(start: ObjectRef<'_>, stop: ObjectRef<'_>, num: ObjectRef<'_>) -> NpResult {
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

pub(super) fn randint(low: ObjectRef<'_>, high: ObjectRef<'_>, size: ObjectRef<'_>) -> NpResult {
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
