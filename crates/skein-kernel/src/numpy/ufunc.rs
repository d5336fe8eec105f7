//! Element-wise functions of one array (`np.sqrt`, `abs`, `-a`, `~a`, …), as NumPy types
//! them: integers stay integers where NumPy keeps them, the rest is computed in `float64`.

use monty_types::MontyException;
use skein_array::{DType, NdArray};

use super::convert::wrap;
use super::{NpResult, type_error};

pub(super) fn unary(name: &str, array: &NdArray) -> NpResult {
    Ok(wrap(&unary_array(name, array)?))
}

pub(super) fn unary_array(name: &str, array: &NdArray) -> Result<NdArray, MontyException> {
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
