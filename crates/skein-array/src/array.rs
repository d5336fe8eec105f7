//! The array type: NumPy's `bool`, `int64` and `float64` arrays of any shape, row-major,
//! and the conversions in and out of it (bytes, nested lists, scalars).

use ndarray::{ArrayD, IxDyn};

use crate::error::ArrayError;

/// The most elements one array may hold (128 MiB of `float64`): a cell asking for more
/// gets a `MemoryError` instead of taking the page down.
pub const MAX_ELEMENTS: usize = 1 << 24;

/// An element type. Other NumPy types (`float32`, `int32`, `uint8`, …) widen to these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DType {
    /// `bool`
    Bool,
    /// `int64`
    Int64,
    /// `float64`
    Float64,
}

impl DType {
    /// NumPy's name for the type.
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::Int64 => "int64",
            DType::Float64 => "float64",
        }
    }

    /// The type NumPy's name (or Python's `bool`/`int`/`float`) stands for.
    pub fn parse(name: &str) -> Result<DType, ArrayError> {
        match name {
            "bool" | "bool_" | "?" => Ok(DType::Bool),
            "int" | "int64" | "int32" | "int16" | "int8" | "uint8" | "uint16" | "uint32" | "i8"
            | "i4" => Ok(DType::Int64),
            "float" | "float64" | "float32" | "f8" | "f4" | "double" => Ok(DType::Float64),
            other => Err(ArrayError::type_error(format!(
                "data type '{other}' not understood"
            ))),
        }
    }

    fn item_size(self) -> usize {
        match self {
            DType::Bool => 1,
            DType::Int64 | DType::Float64 => 8,
        }
    }
}

/// One element, or a NumPy scalar as Python sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    /// A `bool` element.
    Bool(bool),
    /// An `int64` element.
    Int(i64),
    /// A `float64` element.
    Float(f64),
}

impl Scalar {
    /// The element type that holds this scalar.
    pub fn dtype(self) -> DType {
        match self {
            Scalar::Bool(_) => DType::Bool,
            Scalar::Int(_) => DType::Int64,
            Scalar::Float(_) => DType::Float64,
        }
    }

    /// The scalar as a float (NumPy's cast).
    pub fn as_f64(self) -> f64 {
        match self {
            Scalar::Bool(b) => f64::from(u8::from(b)),
            Scalar::Int(i) => i as f64,
            Scalar::Float(f) => f,
        }
    }

    /// The scalar as an integer (NumPy's cast: floats truncate, NaN becomes 0).
    pub fn as_i64(self) -> i64 {
        match self {
            Scalar::Bool(b) => i64::from(b),
            Scalar::Int(i) => i,
            Scalar::Float(f) => f as i64,
        }
    }

    /// The scalar's truth.
    pub fn as_bool(self) -> bool {
        match self {
            Scalar::Bool(b) => b,
            Scalar::Int(i) => i != 0,
            Scalar::Float(f) => f != 0.0,
        }
    }
}

/// A value as nested Python lists of scalars (what `np.array` takes and `.tolist()` gives).
#[derive(Clone, Debug, PartialEq)]
pub enum Nested {
    /// A number or a bool.
    Scalar(Scalar),
    /// A list (or tuple, or row of an array).
    List(Vec<Nested>),
}

/// An n-dimensional array of one element type.
#[derive(Clone, Debug, PartialEq)]
pub enum NdArray {
    /// `dtype=bool`
    Bool(ArrayD<bool>),
    /// `dtype=int64`
    Int(ArrayD<i64>),
    /// `dtype=float64`
    Float(ArrayD<f64>),
}

/// Applies the same code to whichever variant an [`NdArray`] is.
macro_rules! each {
    ($array:expr, $a:ident => $body:expr) => {
        match $array {
            NdArray::Bool($a) => $body,
            NdArray::Int($a) => $body,
            NdArray::Float($a) => $body,
        }
    };
}
pub(crate) use each;

/// Checks that `shape` holds at most [`MAX_ELEMENTS`] and returns its element count.
pub fn checked_size(shape: &[usize]) -> Result<usize, ArrayError> {
    shape
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .filter(|&n| n <= MAX_ELEMENTS)
        .ok_or_else(|| {
            ArrayError::memory(format!(
                "Unable to allocate an array with shape {} (Skein's limit is {MAX_ELEMENTS} elements)",
                shape_repr(shape)
            ))
        })
}

/// A shape as Python writes the tuple: `(3,)`, `(2, 4)`, `()`.
pub fn shape_repr(shape: &[usize]) -> String {
    tuple_text(shape)
}

/// Items as Python writes a tuple of them.
fn tuple_text<T: std::fmt::Display>(items: &[T]) -> String {
    match items {
        [one] => format!("({one},)"),
        _ => format!(
            "({})",
            items
                .iter()
                .map(T::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl NdArray {
    /// An array of zeros (`False` for bools).
    pub fn zeros(shape: &[usize], dtype: DType) -> Result<NdArray, ArrayError> {
        checked_size(shape)?;
        let shape = IxDyn(shape);
        Ok(match dtype {
            DType::Bool => NdArray::Bool(ArrayD::from_elem(shape, false)),
            DType::Int64 => NdArray::Int(ArrayD::zeros(shape)),
            DType::Float64 => NdArray::Float(ArrayD::zeros(shape)),
        })
    }

    /// An array filled with `value`.
    pub fn full(shape: &[usize], value: Scalar) -> Result<NdArray, ArrayError> {
        checked_size(shape)?;
        let shape = IxDyn(shape);
        Ok(match value {
            Scalar::Bool(b) => NdArray::Bool(ArrayD::from_elem(shape, b)),
            Scalar::Int(i) => NdArray::Int(ArrayD::from_elem(shape, i)),
            Scalar::Float(f) => NdArray::Float(ArrayD::from_elem(shape, f)),
        })
    }

    /// A 0-d array holding `value`.
    pub fn from_scalar(value: Scalar) -> NdArray {
        match value {
            Scalar::Bool(b) => NdArray::Bool(ArrayD::from_elem(IxDyn(&[]), b)),
            Scalar::Int(i) => NdArray::Int(ArrayD::from_elem(IxDyn(&[]), i)),
            Scalar::Float(f) => NdArray::Float(ArrayD::from_elem(IxDyn(&[]), f)),
        }
    }

    /// A float array of `shape` from `values` in row-major order.
    pub fn from_f64(shape: &[usize], values: Vec<f64>) -> Result<NdArray, ArrayError> {
        checked_size(shape)?;
        ArrayD::from_shape_vec(IxDyn(shape), values)
            .map(NdArray::Float)
            .map_err(|e| ArrayError::value(e.to_string()))
    }

    /// An array of uniform floats in `[0, 1)` (`np.random.random`).
    pub fn random(shape: &[usize], rng: &mut impl rand::RngExt) -> Result<NdArray, ArrayError> {
        let size = checked_size(shape)?;
        let values = (0..size).map(|_| rng.random::<f64>()).collect();
        NdArray::from_f64(shape, values)
    }

    /// The element type.
    pub fn dtype(&self) -> DType {
        match self {
            NdArray::Bool(_) => DType::Bool,
            NdArray::Int(_) => DType::Int64,
            NdArray::Float(_) => DType::Float64,
        }
    }

    /// The length of each axis.
    pub fn shape(&self) -> &[usize] {
        each!(self, a => a.shape())
    }

    /// The number of elements.
    pub fn size(&self) -> usize {
        each!(self, a => a.len())
    }

    /// The element at a row-major position (`position < size`).
    pub(crate) fn flat(&self, position: usize) -> Option<Scalar> {
        match self {
            NdArray::Bool(a) => flat_of(a, position).map(Scalar::Bool),
            NdArray::Int(a) => flat_of(a, position).map(Scalar::Int),
            NdArray::Float(a) => flat_of(a, position).map(Scalar::Float),
        }
    }

    /// The elements in row-major order.
    pub fn scalars(&self) -> Vec<Scalar> {
        match self {
            NdArray::Bool(a) => a.iter().map(|&b| Scalar::Bool(b)).collect(),
            NdArray::Int(a) => a.iter().map(|&i| Scalar::Int(i)).collect(),
            NdArray::Float(a) => a.iter().map(|&f| Scalar::Float(f)).collect(),
        }
    }

    /// The only element of a 0-d array or an array of one element.
    pub fn item(&self) -> Result<Scalar, ArrayError> {
        match self.flat(0) {
            Some(scalar) if self.size() == 1 => Ok(scalar),
            _ => Err(ArrayError::value(
                "can only convert an array of size 1 to a Python scalar",
            )),
        }
    }

    /// The array converted to `dtype` (NumPy's `astype`).
    pub fn astype(&self, dtype: DType) -> NdArray {
        if self.dtype() == dtype {
            return self.clone();
        }
        match dtype {
            DType::Bool => NdArray::Bool(each!(self, a => a.mapv(|x| Scalar::from(x).as_bool()))),
            DType::Int64 => NdArray::Int(each!(self, a => a.mapv(|x| Scalar::from(x).as_i64()))),
            DType::Float64 => {
                NdArray::Float(each!(self, a => a.mapv(|x| Scalar::from(x).as_f64())))
            }
        }
    }

    /// The same elements in a new shape; one length may be `-1` (NumPy's `reshape`).
    pub fn reshape(&self, shape: &[i64]) -> Result<NdArray, ArrayError> {
        let size = self.size();
        let known: i64 = shape.iter().filter(|&&d| d != -1).product();
        let unknown = shape.iter().filter(|&&d| d == -1).count();
        let bad = || {
            ArrayError::value(format!(
                "cannot reshape array of size {size} into shape {}",
                tuple_text(shape)
            ))
        };
        if unknown > 1 || shape.iter().any(|&d| d < -1) {
            return Err(bad());
        }
        let dims: Vec<usize> = shape
            .iter()
            .map(|&d| {
                if d == -1 {
                    if known == 0 {
                        Err(bad())
                    } else {
                        usize::try_from(size as i64 / known).map_err(|_| bad())
                    }
                } else {
                    usize::try_from(d).map_err(|_| bad())
                }
            })
            .collect::<Result<_, _>>()?;
        if dims.iter().product::<usize>() != size {
            return Err(bad());
        }
        Ok(each!(self, a => {
            let values: Vec<_> = a.iter().copied().collect();
            ArrayD::from_shape_vec(IxDyn(&dims), values).map_err(|_| bad())?.into()
        }))
    }

    /// The array with its axes reversed (`.T`).
    pub fn transpose(&self) -> NdArray {
        each!(self, a => a.t().as_standard_layout().into_owned().into())
    }

    /// The raw bytes, little-endian, row-major: how arrays travel between interpreters.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.size() * self.dtype().item_size());
        match self {
            NdArray::Bool(a) => out.extend(a.iter().map(|&b| u8::from(b))),
            NdArray::Int(a) => a.iter().for_each(|i| out.extend(i.to_le_bytes())),
            NdArray::Float(a) => a.iter().for_each(|f| out.extend(f.to_le_bytes())),
        }
        out
    }

    /// The array that [`NdArray::to_bytes`] wrote.
    pub fn from_bytes(dtype: DType, shape: &[usize], bytes: &[u8]) -> Result<NdArray, ArrayError> {
        let size = checked_size(shape)?;
        if bytes.len() != size * dtype.item_size() {
            return Err(ArrayError::value(format!(
                "buffer of {} bytes does not hold an array of shape {} and dtype {}",
                bytes.len(),
                shape_repr(shape),
                dtype.name()
            )));
        }
        let shape = IxDyn(shape);
        let fail = |e: ndarray::ShapeError| ArrayError::value(e.to_string());
        Ok(match dtype {
            DType::Bool => NdArray::Bool(
                ArrayD::from_shape_vec(shape, bytes.iter().map(|&b| b != 0).collect())
                    .map_err(fail)?,
            ),
            DType::Int64 => NdArray::Int(
                ArrayD::from_shape_vec(
                    shape,
                    bytes
                        .chunks_exact(8)
                        .map(|c| i64::from_le_bytes(c.try_into().unwrap_or_default()))
                        .collect(),
                )
                .map_err(fail)?,
            ),
            DType::Float64 => NdArray::Float(
                ArrayD::from_shape_vec(
                    shape,
                    bytes
                        .chunks_exact(8)
                        .map(|c| f64::from_le_bytes(c.try_into().unwrap_or_default()))
                        .collect(),
                )
                .map_err(fail)?,
            ),
        })
    }

    /// An array from nested lists (`np.array`): the widest element type wins, and every
    /// list at one depth must have the same length.
    pub fn from_nested(value: &Nested, dtype: Option<DType>) -> Result<NdArray, ArrayError> {
        let mut shape = Vec::new();
        let mut probe = value;
        while let Nested::List(items) = probe {
            shape.push(items.len());
            match items.first() {
                Some(first) => probe = first,
                None => break,
            }
        }
        checked_size(&shape)?;
        let mut scalars = Vec::with_capacity(shape.iter().product());
        flatten(value, &shape, 0, &mut scalars)?;
        let widest = scalars.iter().map(|s| s.dtype()).max();
        let dtype = dtype.or(widest).unwrap_or(DType::Float64);
        let shape = IxDyn(&shape);
        let fail = |e: ndarray::ShapeError| ArrayError::value(e.to_string());
        Ok(match dtype {
            DType::Bool => NdArray::Bool(
                ArrayD::from_shape_vec(shape, scalars.iter().map(|s| s.as_bool()).collect())
                    .map_err(fail)?,
            ),
            DType::Int64 => NdArray::Int(
                ArrayD::from_shape_vec(shape, scalars.iter().map(|s| s.as_i64()).collect())
                    .map_err(fail)?,
            ),
            DType::Float64 => NdArray::Float(
                ArrayD::from_shape_vec(shape, scalars.iter().map(|s| s.as_f64()).collect())
                    .map_err(fail)?,
            ),
        })
    }

    /// The array as nested lists (`.tolist()`); a 0-d array gives its scalar.
    pub fn to_nested(&self) -> Nested {
        let scalars = self.scalars();
        nest(&scalars, self.shape())
    }
}

/// The element at a row-major position; arrays are kept in standard layout, so this is an
/// index into their slice.
fn flat_of<T: Copy>(a: &ArrayD<T>, position: usize) -> Option<T> {
    match a.as_slice() {
        Some(slice) => slice.get(position).copied(),
        None => a.iter().nth(position).copied(),
    }
}

fn flatten(
    value: &Nested,
    shape: &[usize],
    depth: usize,
    out: &mut Vec<Scalar>,
) -> Result<(), ArrayError> {
    let ragged = || {
        ArrayError::value(format!(
            "setting an array element with a sequence. The requested array has an inhomogeneous shape after {depth} dimensions."
        ))
    };
    match value {
        Nested::Scalar(s) if depth == shape.len() => {
            out.push(*s);
            Ok(())
        }
        Nested::List(items) if depth < shape.len() && items.len() == shape[depth] => items
            .iter()
            .try_for_each(|item| flatten(item, shape, depth + 1, out)),
        _ => Err(ragged()),
    }
}

fn nest(scalars: &[Scalar], shape: &[usize]) -> Nested {
    match shape.split_first() {
        None => Nested::Scalar(scalars[0]),
        Some((&len, rest)) => {
            let step: usize = rest.iter().product();
            Nested::List(
                (0..len)
                    .map(|i| nest(&scalars[i * step..(i + 1) * step], rest))
                    .collect(),
            )
        }
    }
}

impl From<bool> for Scalar {
    fn from(b: bool) -> Self {
        Scalar::Bool(b)
    }
}

impl From<i64> for Scalar {
    fn from(i: i64) -> Self {
        Scalar::Int(i)
    }
}

impl From<f64> for Scalar {
    fn from(f: f64) -> Self {
        Scalar::Float(f)
    }
}

impl From<ArrayD<bool>> for NdArray {
    fn from(a: ArrayD<bool>) -> Self {
        NdArray::Bool(a)
    }
}

impl From<ArrayD<i64>> for NdArray {
    fn from(a: ArrayD<i64>) -> Self {
        NdArray::Int(a)
    }
}

impl From<ArrayD<f64>> for NdArray {
    fn from(a: ArrayD<f64>) -> Self {
        NdArray::Float(a)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn ints(rows: &[&[i64]]) -> Nested {
        Nested::List(
            rows.iter()
                .map(|r| Nested::List(r.iter().map(|&i| Nested::Scalar(Scalar::Int(i))).collect()))
                .collect(),
        )
    }

    #[test]
    fn nested_lists_round_trip_through_an_array_and_its_bytes() {
        let nested = ints(&[&[1, 2, 3], &[4, 5, 6]]);
        let array = NdArray::from_nested(&nested, None).expect("rectangular");
        assert_eq!(array.shape(), &[2, 3]);
        assert_eq!(array.dtype(), DType::Int64);
        let back = NdArray::from_bytes(DType::Int64, &[2, 3], &array.to_bytes()).expect("bytes");
        assert_eq!(back.to_nested(), nested);
    }

    #[test]
    fn ragged_lists_are_a_value_error() {
        let error = NdArray::from_nested(&ints(&[&[1, 2], &[3]]), None).unwrap_err();
        assert_eq!(error.kind, crate::ErrorKind::Value);
        assert!(
            error
                .message
                .contains("inhomogeneous shape after 1 dimensions")
        );
    }

    #[test]
    fn huge_shapes_are_a_memory_error_not_an_abort() {
        let error = NdArray::zeros(&[1 << 20, 1 << 20], DType::Float64).unwrap_err();
        assert_eq!(error.kind, crate::ErrorKind::Memory);
        assert!(NdArray::zeros(&[usize::MAX, 3], DType::Bool).is_err());
    }

    #[test]
    fn reshape_infers_one_length_and_refuses_a_wrong_size() {
        let a = NdArray::from_f64(&[6], (0..6).map(f64::from).collect()).expect("shape");
        assert_eq!(a.reshape(&[2, -1]).expect("fits").shape(), &[2, 3]);
        let error = a.reshape(&[4, -1]).unwrap_err();
        assert_eq!(
            error.message,
            "cannot reshape array of size 6 into shape (4, -1)"
        );
    }
}
