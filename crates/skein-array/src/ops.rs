//! Element-wise arithmetic and comparisons with NumPy's broadcasting and type promotion,
//! and the reductions (`sum`, `mean`, `max`, `min`, `any`, `all`) over all or one axis.

use ndarray::{ArrayD, Axis, IxDyn, Zip};

use crate::array::{DType, NdArray, Scalar, shape_repr};
use crate::error::ArrayError;

/// A binary operator, as Python spells its dunder (`add` for `+`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    TrueDiv,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `&`
    And,
    /// `|`
    Or,
}

impl BinaryOp {
    /// The operator named as its dunder without underscores (`"add"`, `"lt"`, …).
    pub fn parse(name: &str) -> Option<BinaryOp> {
        Some(match name {
            "add" => BinaryOp::Add,
            "sub" => BinaryOp::Sub,
            "mul" => BinaryOp::Mul,
            "truediv" => BinaryOp::TrueDiv,
            "floordiv" => BinaryOp::FloorDiv,
            "mod" => BinaryOp::Mod,
            "pow" => BinaryOp::Pow,
            "eq" => BinaryOp::Eq,
            "ne" => BinaryOp::Ne,
            "lt" => BinaryOp::Lt,
            "le" => BinaryOp::Le,
            "gt" => BinaryOp::Gt,
            "ge" => BinaryOp::Ge,
            "and" => BinaryOp::And,
            "or" => BinaryOp::Or,
            _ => return None,
        })
    }

    fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }
}

/// NumPy's broadcast of two shapes.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Result<Vec<usize>, ArrayError> {
    let ndim = a.len().max(b.len());
    let dim = |s: &[usize], i: usize| (i + s.len()).checked_sub(ndim).map_or(1, |j| s[j]);
    (0..ndim)
        .map(|i| match (dim(a, i), dim(b, i)) {
            (x, y) if x == y => Ok(x),
            (1, y) => Ok(y),
            (x, 1) => Ok(x),
            _ => Err(ArrayError::value(format!(
                "operands could not be broadcast together with shapes {} {} ",
                shape_repr(a),
                shape_repr(b)
            ))),
        })
        .collect()
}

fn broadcast_pair<'a, T>(
    a: &'a ArrayD<T>,
    b: &'a ArrayD<T>,
    shape: &[usize],
) -> Option<(ndarray::ArrayViewD<'a, T>, ndarray::ArrayViewD<'a, T>)> {
    Some((a.broadcast(IxDyn(shape))?, b.broadcast(IxDyn(shape))?))
}

/// `a <op> b`, element-wise.
pub fn binary(op: BinaryOp, a: &NdArray, b: &NdArray) -> Result<NdArray, ArrayError> {
    let shape = broadcast_shape(a.shape(), b.shape())?;
    crate::array::checked_size(&shape)?;
    let common = a.dtype().max(b.dtype());
    let mismatch = || ArrayError::value("operands could not be broadcast together");
    if matches!(op, BinaryOp::And | BinaryOp::Or) {
        return match (a.astype(common), b.astype(common)) {
            (NdArray::Bool(x), NdArray::Bool(y)) => {
                let (x, y) = broadcast_pair(&x, &y, &shape).ok_or_else(mismatch)?;
                Ok(NdArray::Bool(Zip::from(&x).and(&y).map_collect(
                    |&p, &q| {
                        if op == BinaryOp::And { p && q } else { p || q }
                    },
                )))
            }
            (NdArray::Int(x), NdArray::Int(y)) => {
                let (x, y) = broadcast_pair(&x, &y, &shape).ok_or_else(mismatch)?;
                Ok(NdArray::Int(Zip::from(&x).and(&y).map_collect(|&p, &q| {
                    if op == BinaryOp::And { p & q } else { p | q }
                })))
            }
            _ => Err(ArrayError::type_error(format!(
                "ufunc 'bitwise_{}' not supported for the input types",
                if op == BinaryOp::And { "and" } else { "or" }
            ))),
        };
    }
    if op.is_comparison() {
        // Integers compare as integers (exact past 2^53), everything else as floats.
        let as_type = if common == DType::Float64 {
            DType::Float64
        } else {
            DType::Int64
        };
        return match (a.astype(as_type), b.astype(as_type)) {
            (NdArray::Int(x), NdArray::Int(y)) => {
                let (x, y) = broadcast_pair(&x, &y, &shape).ok_or_else(mismatch)?;
                Ok(NdArray::Bool(
                    Zip::from(&x).and(&y).map_collect(|p, q| compare(op, p, q)),
                ))
            }
            (NdArray::Float(x), NdArray::Float(y)) => {
                let (x, y) = broadcast_pair(&x, &y, &shape).ok_or_else(mismatch)?;
                Ok(NdArray::Bool(
                    Zip::from(&x).and(&y).map_collect(|p, q| compare(op, p, q)),
                ))
            }
            _ => Err(mismatch()),
        };
    }
    let integer = common != DType::Float64 && op != BinaryOp::TrueDiv;
    if integer {
        let (NdArray::Int(x), NdArray::Int(y)) = (a.astype(DType::Int64), b.astype(DType::Int64))
        else {
            return Err(mismatch());
        };
        if op == BinaryOp::Pow && y.iter().any(|&q| q < 0) {
            return Err(ArrayError::value(
                "Integers to negative integer powers are not allowed.",
            ));
        }
        let (x, y) = broadcast_pair(&x, &y, &shape).ok_or_else(mismatch)?;
        let result = Zip::from(&x).and(&y).map_collect(|&p, &q| match op {
            BinaryOp::Add => p.wrapping_add(q),
            BinaryOp::Sub => p.wrapping_sub(q),
            BinaryOp::Mul => p.wrapping_mul(q),
            // NumPy gives 0 (with a warning) for integer division by zero.
            BinaryOp::FloorDiv => floor_div(p, q),
            BinaryOp::Mod => {
                if q == 0 {
                    0
                } else {
                    p.wrapping_sub(floor_div(p, q).wrapping_mul(q))
                }
            }
            _ => p.wrapping_pow(u32::try_from(q).unwrap_or(u32::MAX)),
        });
        return Ok(NdArray::Int(result));
    }
    let (NdArray::Float(x), NdArray::Float(y)) =
        (a.astype(DType::Float64), b.astype(DType::Float64))
    else {
        return Err(mismatch());
    };
    let (x, y) = broadcast_pair(&x, &y, &shape).ok_or_else(mismatch)?;
    Ok(NdArray::Float(Zip::from(&x).and(&y).map_collect(
        |&p, &q| match op {
            BinaryOp::Add => p + q,
            BinaryOp::Sub => p - q,
            BinaryOp::Mul => p * q,
            BinaryOp::TrueDiv => p / q,
            BinaryOp::FloorDiv => (p / q).floor(),
            BinaryOp::Mod => {
                let r = p % q;
                if r != 0.0 && ((r < 0.0) != (q < 0.0)) {
                    r + q
                } else {
                    r
                }
            }
            _ => p.powf(q),
        },
    )))
}

/// `p <op> q` for a comparison operator.
fn compare<T: PartialOrd>(op: BinaryOp, p: &T, q: &T) -> bool {
    match op {
        BinaryOp::Eq => p == q,
        BinaryOp::Ne => p != q,
        BinaryOp::Lt => p < q,
        BinaryOp::Le => p <= q,
        BinaryOp::Gt => p > q,
        _ => p >= q,
    }
}

/// Python's `//` on integers (rounds toward negative infinity); 0 for a zero divisor.
fn floor_div(p: i64, q: i64) -> i64 {
    if q == 0 {
        return 0;
    }
    let d = p.wrapping_div(q);
    if (p % q != 0) && ((p < 0) != (q < 0)) {
        d - 1
    } else {
        d
    }
}

/// A reduction over all elements or one axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    /// `sum`
    Sum,
    /// `mean`
    Mean,
    /// `max`
    Max,
    /// `min`
    Min,
    /// `any`
    Any,
    /// `all`
    All,
}

impl Reduction {
    /// The reduction called `name`.
    pub fn parse(name: &str) -> Option<Reduction> {
        Some(match name {
            "sum" => Reduction::Sum,
            "mean" => Reduction::Mean,
            "max" | "amax" => Reduction::Max,
            "min" | "amin" => Reduction::Min,
            "any" => Reduction::Any,
            "all" => Reduction::All,
            _ => return None,
        })
    }

    fn over(self, values: &[Scalar], dtype: DType) -> Result<Scalar, ArrayError> {
        let empty = |name: &str| {
            ArrayError::value(format!(
                "zero-size array to reduction operation {name} which has no identity"
            ))
        };
        Ok(match self {
            Reduction::Any => Scalar::Bool(values.iter().any(|s| s.as_bool())),
            Reduction::All => Scalar::Bool(values.iter().all(|s| s.as_bool())),
            Reduction::Mean => {
                let n = values.len() as f64;
                Scalar::Float(values.iter().map(|s| s.as_f64()).sum::<f64>() / n)
            }
            Reduction::Sum => match dtype {
                DType::Float64 => Scalar::Float(values.iter().map(|s| s.as_f64()).sum()),
                _ => Scalar::Int(values.iter().fold(0i64, |t, s| t.wrapping_add(s.as_i64()))),
            },
            Reduction::Max | Reduction::Min => {
                let first = *values.first().ok_or_else(|| {
                    empty(if self == Reduction::Max {
                        "maximum"
                    } else {
                        "minimum"
                    })
                })?;
                values.iter().skip(1).fold(first, |best, &s| {
                    let better = if self == Reduction::Max {
                        s.as_f64() > best.as_f64() || s.as_f64().is_nan()
                    } else {
                        s.as_f64() < best.as_f64() || s.as_f64().is_nan()
                    };
                    if best.as_f64().is_nan() || !better {
                        best
                    } else {
                        s
                    }
                })
            }
        })
    }
}

/// What a reduction gives: a scalar over all elements, an array over one axis.
#[derive(Clone, Debug, PartialEq)]
pub enum Reduced {
    /// Over every element.
    Scalar(Scalar),
    /// Over one axis.
    Array(NdArray),
}

/// `a.<reduction>(axis=axis)`.
pub fn reduce(a: &NdArray, reduction: Reduction, axis: Option<i64>) -> Result<Reduced, ArrayError> {
    let dtype = a.dtype();
    let Some(axis) = axis else {
        return reduction.over(&a.scalars(), dtype).map(Reduced::Scalar);
    };
    let ndim = a.shape().len();
    let ndim_i = i64::try_from(ndim).unwrap_or(i64::MAX);
    let wrapped = if axis < 0 { axis + ndim_i } else { axis };
    let axis = usize::try_from(wrapped)
        .ok()
        .filter(|&x| x < ndim)
        .ok_or_else(|| {
            ArrayError::value(format!(
                "axis {axis} is out of bounds for array of dimension {ndim}"
            ))
        })?;
    let as_float = a.astype(DType::Float64);
    let NdArray::Float(floats) = &as_float else {
        return Err(ArrayError::value("reduction failed"));
    };
    let lanes: Vec<Scalar> = floats
        .lanes(Axis(axis))
        .into_iter()
        .map(|lane| {
            let values: Vec<Scalar> = lane
                .iter()
                .map(|&f| match dtype {
                    DType::Float64 => Scalar::Float(f),
                    DType::Int64 => Scalar::Int(f as i64),
                    DType::Bool => Scalar::Bool(f != 0.0),
                })
                .collect();
            reduction.over(&values, dtype)
        })
        .collect::<Result<_, _>>()?;
    let mut shape = a.shape().to_vec();
    shape.remove(axis);
    let nested = crate::array::Nested::List(
        lanes
            .into_iter()
            .map(crate::array::Nested::Scalar)
            .collect(),
    );
    let flat = NdArray::from_nested(&nested, None)?;
    let dims: Vec<i64> = shape
        .iter()
        .map(|&d| i64::try_from(d).unwrap_or(i64::MAX))
        .collect();
    flat.reshape(&dims).map(Reduced::Array)
}

/// The `q`-th percentile of all elements, interpolating linearly between the two nearest
/// (NumPy's default method); NaN if any element is NaN.
pub fn percentile(a: &NdArray, q: f64) -> Result<f64, ArrayError> {
    if !(0.0..=100.0).contains(&q) {
        return Err(ArrayError::value(
            "Percentiles must be in the range [0, 100]",
        ));
    }
    let mut values: Vec<f64> = a.scalars().into_iter().map(Scalar::as_f64).collect();
    if values.is_empty() {
        return Ok(f64::NAN);
    }
    if values.iter().any(|v| v.is_nan()) {
        return Ok(f64::NAN);
    }
    values.sort_by(f64::total_cmp);
    let rank = q / 100.0 * (values.len() - 1) as f64;
    let below = rank.floor() as usize;
    let above = rank.ceil() as usize;
    let fraction = rank - below as f64;
    Ok(values[below] + (values[above] - values[below]) * fraction)
}

/// The population variance of all elements (`np.var`, `ddof=0`).
pub fn variance(a: &NdArray) -> f64 {
    let values: Vec<f64> = a.scalars().into_iter().map(Scalar::as_f64).collect();
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n
}

/// Splits `a` into `sections` equal parts along `axis` (`np.hsplit`: axis 1, `np.vsplit`:
/// axis 0).
pub fn split(a: &NdArray, sections: usize, axis: usize) -> Result<Vec<NdArray>, ArrayError> {
    let len = *a.shape().get(axis).ok_or_else(|| {
        ArrayError::value(if axis == 1 {
            "hsplit only works on arrays of 2 or more dimensions"
        } else {
            "vsplit only works on arrays of 2 or more dimensions"
        })
    })?;
    if sections == 0 || len % sections != 0 {
        return Err(ArrayError::value(
            "array split does not result in an equal division",
        ));
    }
    // An empty axis splits into any number of empty parts: the list of them is held to the
    // arrays' budget, or `np.split(np.zeros(0), 10**18)` would fill memory.
    crate::array::checked_size(&[sections])?;
    let step = len / sections;
    let parts = (0..sections)
        .map(|i| {
            let mut keys: Vec<crate::Index> = (0..axis)
                .map(|_| crate::Index::Slice {
                    start: None,
                    stop: None,
                    step: None,
                })
                .collect();
            let start = i64::try_from(i * step).unwrap_or(i64::MAX);
            let stop = i64::try_from((i + 1) * step).unwrap_or(i64::MAX);
            keys.push(crate::Index::Slice {
                start: Some(start),
                stop: Some(stop),
                step: None,
            });
            match a.get(&keys)? {
                crate::Item::Array(part) => Ok(part),
                crate::Item::Scalar(s) => Ok(NdArray::from_scalar(s)),
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(parts)
}

/// Joins arrays along `axis` (`np.concatenate`).
pub fn concatenate(arrays: &[NdArray], axis: usize) -> Result<NdArray, ArrayError> {
    let first = arrays
        .first()
        .ok_or_else(|| ArrayError::value("need at least one array to concatenate"))?;
    let dtype = arrays
        .iter()
        .map(NdArray::dtype)
        .max()
        .unwrap_or(DType::Float64);
    let ndim = first.shape().len();
    if axis >= ndim {
        return Err(ArrayError::value(format!(
            "axis {axis} is out of bounds for array of dimension {ndim}"
        )));
    }
    for (i, a) in arrays.iter().enumerate() {
        if a.shape().len() != ndim {
            return Err(ArrayError::value(format!(
                "all the input arrays must have same number of dimensions, but the array at index 0 has {ndim} dimension(s) and the array at index {i} has {} dimension(s)",
                a.shape().len()
            )));
        }
    }
    macro_rules! join {
        ($variant:ident) => {{
            let parts: Vec<ArrayD<_>> = arrays
                .iter()
                .map(|a| match a.astype(dtype) {
                    NdArray::$variant(x) => Ok(x),
                    _ => Err(ArrayError::value("mixed types")),
                })
                .collect::<Result<_, _>>()?;
            let views: Vec<_> = parts.iter().map(|p| p.view()).collect();
            let joined = ndarray::concatenate(Axis(axis), &views).map_err(|_| {
                ArrayError::value(
                    "all the input array dimensions except for the concatenation axis must match exactly",
                )
            })?;
            crate::array::checked_size(joined.shape())?;
            NdArray::$variant(joined.as_standard_layout().into_owned())
        }};
    }
    Ok(match dtype {
        DType::Bool => join!(Bool),
        DType::Int64 => join!(Int),
        DType::Float64 => join!(Float),
    })
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::array::Nested;

    fn ints(values: &[i64], shape: &[i64]) -> NdArray {
        let nested = Nested::List(
            values
                .iter()
                .map(|&i| Nested::Scalar(Scalar::Int(i)))
                .collect(),
        );
        NdArray::from_nested(&nested, None)
            .and_then(|a| a.reshape(shape))
            .expect("shape")
    }

    #[test]
    fn broadcasting_adds_a_row_to_every_row_and_division_gives_floats() {
        let grid = ints(&[1, 2, 3, 4, 5, 6], &[2, 3]);
        let row = ints(&[10, 20, 30], &[3]);
        let sum = binary(BinaryOp::Add, &grid, &row).expect("broadcast");
        assert_eq!(sum.dtype(), DType::Int64);
        assert_eq!(sum.scalars(), [11, 22, 33, 14, 25, 36].map(Scalar::Int));
        let half = binary(
            BinaryOp::TrueDiv,
            &grid,
            &NdArray::from_scalar(Scalar::Int(2)),
        )
        .expect("div");
        assert_eq!(half.scalars()[0], Scalar::Float(0.5));
        let bad = binary(BinaryOp::Add, &grid, &ints(&[1, 2], &[2])).unwrap_err();
        assert_eq!(
            bad.message,
            "operands could not be broadcast together with shapes (2, 3) (2,) "
        );
    }

    #[test]
    fn floor_division_and_modulo_follow_python_signs() {
        let a = ints(&[7, -7], &[2]);
        let b = NdArray::from_scalar(Scalar::Int(2));
        assert_eq!(
            binary(BinaryOp::FloorDiv, &a, &b).expect("div").scalars(),
            [3, -4].map(Scalar::Int)
        );
        assert_eq!(
            binary(BinaryOp::Mod, &a, &b).expect("mod").scalars(),
            [1, 1].map(Scalar::Int)
        );
    }

    #[test]
    fn comparisons_make_masks_and_reductions_work_per_axis() {
        let grid = ints(&[1, 2, 3, 4, 5, 6], &[2, 3]);
        let mask = binary(BinaryOp::Gt, &grid, &NdArray::from_scalar(Scalar::Int(2))).expect("cmp");
        assert_eq!(mask.dtype(), DType::Bool);
        assert_eq!(
            reduce(&mask, Reduction::Sum, None),
            Ok(Reduced::Scalar(Scalar::Int(4)))
        );
        assert_eq!(
            reduce(&grid, Reduction::Mean, None),
            Ok(Reduced::Scalar(Scalar::Float(3.5)))
        );
        let Ok(Reduced::Array(columns)) = reduce(&grid, Reduction::Max, Some(0)) else {
            panic!("per axis")
        };
        assert_eq!(columns.scalars(), [4, 5, 6].map(Scalar::Int));
        let empty = NdArray::zeros(&[0], DType::Float64).expect("empty");
        assert!(
            reduce(&empty, Reduction::Max, None)
                .unwrap_err()
                .message
                .contains("maximum")
        );
    }

    #[test]
    fn percentiles_interpolate_as_numpy_does() {
        let a = ints(&[1, 2, 3, 4], &[4]);
        assert_eq!(percentile(&a, 50.0), Ok(2.5));
        assert_eq!(percentile(&a, 25.0), Ok(1.75));
        assert!(percentile(&a, 101.0).is_err());
        assert!((variance(&a) - 1.25).abs() < 1e-12);
    }

    #[test]
    fn hsplit_then_vsplit_gives_the_seed_s_quadrants() {
        let example = ints(&(1..=16).collect::<Vec<_>>(), &[4, 4]);
        let halves = split(&example, 2, 1).expect("hsplit");
        let quads = split(&halves[0], 2, 0).expect("vsplit");
        assert_eq!(quads[0].scalars(), [1, 2, 5, 6].map(Scalar::Int));
        assert_eq!(quads[1].scalars(), [9, 10, 13, 14].map(Scalar::Int));
        assert!(split(&example, 3, 1).is_err());
        let back = concatenate(&halves, 1).expect("join");
        assert_eq!(back, example);
    }
}
