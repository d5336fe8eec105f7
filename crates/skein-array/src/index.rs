//! NumPy's indexing: integers, slices, integer lists and boolean masks, to read
//! (`a[i, j]`, `a[0:4, 0:4]`, `a[mask]`) and to assign (`a[i, j] = v`, `a[:, 0] = row`).

use ndarray::{ArrayD, IxDyn};

use crate::array::{NdArray, Scalar, each};
use crate::error::ArrayError;

/// One position of a subscript.
#[derive(Clone, Debug, PartialEq)]
pub enum Index {
    /// `a[3]`, `a[-1]`: one position; the axis goes away.
    Int(i64),
    /// `a[1:5:2]`, `a[:]`: Python's slice; the axis stays.
    Slice {
        /// First position (`None`: the start, or the end for a negative step).
        start: Option<i64>,
        /// Position to stop before.
        stop: Option<i64>,
        /// Stride (`None`: 1).
        step: Option<i64>,
    },
    /// `a[[0, 2, 3]]`: the listed positions, in order.
    Ints(Vec<i64>),
    /// `a[a > 2]`: where the mask is true.
    Mask(NdArray),
}

/// What reading an index gives: one element, or an array.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// Every axis was indexed by an integer.
    Scalar(Scalar),
    /// Some axis remains.
    Array(NdArray),
}

/// The positions picked on each axis, and whether the axis remains in the result.
struct Picks {
    axes: Vec<(Vec<usize>, bool)>,
}

impl Picks {
    fn result_shape(&self) -> Vec<usize> {
        self.axes
            .iter()
            .filter(|(_, keep)| *keep)
            .map(|(p, _)| p.len())
            .collect()
    }

    /// Row-major offsets into the source, in the result's order.
    fn offsets(&self, source_shape: &[usize]) -> Vec<usize> {
        let mut strides = vec![1usize; source_shape.len()];
        for axis in (0..source_shape.len().saturating_sub(1)).rev() {
            strides[axis] = strides[axis + 1] * source_shape[axis + 1];
        }
        let mut offsets = vec![0usize];
        for ((positions, _), stride) in self.axes.iter().zip(strides) {
            offsets = offsets
                .iter()
                .flat_map(|&base| positions.iter().map(move |&p| base + p * stride))
                .collect();
        }
        offsets
    }
}

impl NdArray {
    /// `self[keys]`.
    pub fn get(&self, keys: &[Index]) -> Result<Item, ArrayError> {
        if let Some(mask) = self.whole_mask(keys)? {
            return Ok(Item::Array(self.masked(&mask)));
        }
        let picks = self.picks(keys)?;
        let shape = picks.result_shape();
        let offsets = picks.offsets(self.shape());
        let all_ints = picks.axes.iter().all(|(_, keep)| !keep);
        let values = match self {
            NdArray::Bool(a) => NdArray::Bool(gather(a, &offsets, &shape)?),
            NdArray::Int(a) => NdArray::Int(gather(a, &offsets, &shape)?),
            NdArray::Float(a) => NdArray::Float(gather(a, &offsets, &shape)?),
        };
        if all_ints {
            return values.item().map(Item::Scalar);
        }
        Ok(Item::Array(values))
    }

    /// `self[keys] = value`, broadcasting `value` and casting it to this array's type.
    pub fn set(&mut self, keys: &[Index], value: &NdArray) -> Result<(), ArrayError> {
        let offsets: Vec<usize> = match self.whole_mask(keys)? {
            Some(mask) => (0..mask.len())
                .filter(|&i| mask.as_slice().is_some_and(|m| m[i]))
                .collect(),
            None => {
                let picks = self.picks(keys)?;
                let offsets = picks.offsets(self.shape());
                let shape = picks.result_shape();
                return self.assign(&offsets, &shape, value);
            }
        };
        let count = offsets.len();
        self.assign(&offsets, &[count], value)
    }

    /// Sets the element at each row-major position to its number, cast to the array's type
    /// as NumPy casts (`a[i, j] = x` in a loop, applied in one go): the writes are applied
    /// in order, so a position written twice keeps the last.
    pub fn set_flat(&mut self, writes: &[(usize, Scalar)]) -> Result<(), ArrayError> {
        let size = self.size();
        if let Some(&(position, _)) = writes.iter().find(|&&(position, _)| position >= size) {
            return Err(ArrayError::index(format!(
                "index {position} is out of bounds for an array of size {size}"
            )));
        }
        macro_rules! write {
            ($target:expr, $cast:ident) => {{
                if !$target.is_standard_layout() {
                    *$target = $target.as_standard_layout().into_owned();
                }
                let target = $target
                    .as_slice_mut()
                    .ok_or_else(|| ArrayError::value("array is not contiguous"))?;
                for &(position, value) in writes {
                    target[position] = value.$cast();
                }
            }};
        }
        match self {
            NdArray::Bool(a) => write!(a, as_bool),
            NdArray::Int(a) => write!(a, as_i64),
            NdArray::Float(a) => write!(a, as_f64),
        }
        Ok(())
    }

    fn assign(
        &mut self,
        offsets: &[usize],
        shape: &[usize],
        value: &NdArray,
    ) -> Result<(), ArrayError> {
        let value = value.astype(self.dtype());
        let broadcast_error = || {
            ArrayError::value(format!(
                "could not broadcast input array from shape {} into shape {}",
                crate::array::shape_repr(value.shape()),
                crate::array::shape_repr(shape)
            ))
        };
        macro_rules! fill {
            ($target:expr, $source:expr) => {{
                let source = $source
                    .broadcast(IxDyn(shape))
                    .ok_or_else(broadcast_error)?;
                let target = $target
                    .as_slice_mut()
                    .ok_or_else(|| ArrayError::value("array is not contiguous"))?;
                for (&offset, &v) in offsets.iter().zip(source.iter()) {
                    target[offset] = v;
                }
            }};
        }
        match (self, &value) {
            (NdArray::Bool(t), NdArray::Bool(s)) => fill!(t, s),
            (NdArray::Int(t), NdArray::Int(s)) => fill!(t, s),
            (NdArray::Float(t), NdArray::Float(s)) => fill!(t, s),
            _ => return Err(ArrayError::type_error("mismatched element types")),
        }
        Ok(())
    }

    /// A single boolean mask with this array's shape selects elements, flattened.
    fn whole_mask(&self, keys: &[Index]) -> Result<Option<ArrayD<bool>>, ArrayError> {
        match keys {
            [Index::Mask(NdArray::Bool(mask))]
                if mask.ndim() == self.shape().len() && mask.ndim() > 1 =>
            {
                if mask.shape() != self.shape() {
                    return Err(ArrayError::index(format!(
                        "boolean index did not match indexed array; array shape {}, mask shape {}",
                        crate::array::shape_repr(self.shape()),
                        crate::array::shape_repr(mask.shape())
                    )));
                }
                Ok(Some(mask.as_standard_layout().into_owned()))
            }
            _ => Ok(None),
        }
    }

    fn masked(&self, mask: &ArrayD<bool>) -> NdArray {
        each!(self, a => {
            let values: Vec<_> = a.iter().zip(mask.iter()).filter(|(_, m)| **m).map(|(v, _)| *v).collect();
            let len = values.len();
            ArrayD::from_shape_vec(IxDyn(&[len]), values).unwrap_or_else(|_| ArrayD::from_elem(IxDyn(&[0]), Default::default())).into()
        })
    }

    fn picks(&self, keys: &[Index]) -> Result<Picks, ArrayError> {
        let shape = self.shape();
        if keys.len() > shape.len() {
            return Err(ArrayError::index(format!(
                "too many indices for array: array is {}-dimensional, but {} were indexed",
                shape.len(),
                keys.len()
            )));
        }
        if keys
            .iter()
            .filter(|k| matches!(k, Index::Ints(_) | Index::Mask(_)))
            .count()
            > 1
        {
            return Err(ArrayError::index(
                "Skein's arrays take at most one integer-list or mask index per subscript",
            ));
        }
        let full = Index::Slice {
            start: None,
            stop: None,
            step: None,
        };
        let axes = shape
            .iter()
            .enumerate()
            .map(|(axis, &len)| pick(keys.get(axis).unwrap_or(&full), axis, len))
            .collect::<Result<_, _>>()?;
        Ok(Picks { axes })
    }
}

fn gather<T: Copy + Default>(
    a: &ArrayD<T>,
    offsets: &[usize],
    shape: &[usize],
) -> Result<ArrayD<T>, ArrayError> {
    let slice = a
        .as_slice()
        .ok_or_else(|| ArrayError::value("array is not contiguous"))?;
    let values = offsets.iter().map(|&o| slice[o]).collect();
    ArrayD::from_shape_vec(IxDyn(shape), values).map_err(|e| ArrayError::value(e.to_string()))
}

fn position(index: i64, axis: usize, len: usize) -> Result<usize, ArrayError> {
    let len_i = i64::try_from(len).unwrap_or(i64::MAX);
    let wrapped = if index < 0 { index + len_i } else { index };
    if (0..len_i).contains(&wrapped) {
        Ok(usize::try_from(wrapped).unwrap_or(0))
    } else {
        Err(ArrayError::index(format!(
            "index {index} is out of bounds for axis {axis} with size {len}"
        )))
    }
}

fn pick(key: &Index, axis: usize, len: usize) -> Result<(Vec<usize>, bool), ArrayError> {
    match key {
        Index::Int(i) => Ok((vec![position(*i, axis, len)?], false)),
        Index::Ints(list) => Ok((
            list.iter()
                .map(|&i| position(i, axis, len))
                .collect::<Result<_, _>>()?,
            true,
        )),
        Index::Mask(NdArray::Bool(mask)) if mask.ndim() == 1 => {
            if mask.len() != len {
                return Err(ArrayError::index(format!(
                    "boolean index did not match indexed array along axis {axis}; size of axis is {len} but size of corresponding boolean axis is {}",
                    mask.len()
                )));
            }
            Ok((
                mask.iter()
                    .enumerate()
                    .filter(|(_, m)| **m)
                    .map(|(i, _)| i)
                    .collect(),
                true,
            ))
        }
        Index::Mask(_) => Err(ArrayError::index(
            "only integers, slices (`:`), integer lists and boolean masks are valid indices",
        )),
        Index::Slice { start, stop, step } => {
            Ok((slice_positions(*start, *stop, *step, len)?, true))
        }
    }
}

/// Python's `slice(start, stop, step).indices(len)`, as the positions it walks.
fn slice_positions(
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
    len: usize,
) -> Result<Vec<usize>, ArrayError> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(ArrayError::value("slice step cannot be zero"));
    }
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let (lower, upper) = if step > 0 { (0, len) } else { (-1, len - 1) };
    let clamp = |value: Option<i64>, default: i64| match value {
        None => default,
        Some(v) if v < 0 => (v.saturating_add(len)).max(lower),
        Some(v) => v.min(upper),
    };
    let start = clamp(start, if step > 0 { lower } else { upper });
    let stop = clamp(stop, if step > 0 { upper } else { lower });
    let mut positions = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        positions.push(usize::try_from(i).unwrap_or(0));
        i = i.saturating_add(step);
    }
    Ok(positions)
}

#[cfg(test)]
mod test {
    use super::*;

    fn grid() -> NdArray {
        NdArray::from_f64(&[4, 4], (1..=16).map(f64::from).collect()).expect("shape")
    }

    fn slice(start: i64, stop: i64) -> Index {
        Index::Slice {
            start: Some(start),
            stop: Some(stop),
            step: None,
        }
    }

    #[test]
    fn integer_pairs_read_one_element_and_negative_ones_count_from_the_end() {
        assert_eq!(
            grid().get(&[Index::Int(1), Index::Int(2)]),
            Ok(Item::Scalar(Scalar::Float(7.0)))
        );
        assert_eq!(
            grid().get(&[Index::Int(-1), Index::Int(-1)]),
            Ok(Item::Scalar(Scalar::Float(16.0)))
        );
        let error = grid().get(&[Index::Int(4)]).unwrap_err();
        assert_eq!(
            error.message,
            "index 4 is out of bounds for axis 0 with size 4"
        );
    }

    #[test]
    fn two_slices_cut_a_block_and_one_integer_a_row() {
        let Ok(Item::Array(block)) = grid().get(&[slice(0, 2), slice(2, 4)]) else {
            panic!("a block")
        };
        assert_eq!(block.scalars(), [3.0, 4.0, 7.0, 8.0].map(Scalar::Float));
        let Ok(Item::Array(row)) = grid().get(&[Index::Int(2)]) else {
            panic!("a row")
        };
        assert_eq!(row.shape(), &[4]);
        let reversed = slice_positions(None, None, Some(-1), 4).expect("step");
        assert_eq!(reversed, [3, 2, 1, 0]);
    }

    #[test]
    fn assignment_broadcasts_and_casts() {
        let mut a = grid();
        a.set(
            &[Index::Int(0), Index::Int(0)],
            &NdArray::from_scalar(Scalar::Int(-5)),
        )
        .expect("set");
        a.set(&[slice(1, 3)], &NdArray::from_scalar(Scalar::Float(0.5)))
            .expect("set rows");
        assert_eq!(
            a.get(&[Index::Int(0), Index::Int(0)]),
            Ok(Item::Scalar(Scalar::Float(-5.0)))
        );
        assert_eq!(
            a.get(&[Index::Int(2), Index::Int(3)]),
            Ok(Item::Scalar(Scalar::Float(0.5)))
        );
        let wrong = NdArray::from_f64(&[3], vec![1.0, 2.0, 3.0]).expect("shape");
        assert_eq!(
            a.set(&[Index::Int(0)], &wrong).unwrap_err().kind,
            crate::ErrorKind::Value
        );
    }

    #[test]
    fn a_mask_of_the_same_shape_selects_flattened() {
        let a = grid();
        let mask = NdArray::Bool(
            grid()
                .scalars()
                .iter()
                .map(|s| s.as_f64() > 14.0)
                .collect::<Vec<_>>()
                .into_iter()
                .collect::<ndarray::Array1<bool>>()
                .into_shape_with_order(IxDyn(&[4, 4]))
                .expect("shape"),
        );
        let Ok(Item::Array(picked)) = a.get(&[Index::Mask(mask)]) else {
            panic!("masked")
        };
        assert_eq!(picked.scalars(), [15.0, 16.0].map(Scalar::Float));
    }

    #[test]
    fn flat_writes_cast_apply_in_order_and_refuse_out_of_range() {
        let mut a = NdArray::zeros(&[2, 3], crate::array::DType::Int64).unwrap();
        a.set_flat(&[
            (1, Scalar::Float(2.7)),
            (5, Scalar::Bool(true)),
            (1, Scalar::Int(-4)),
        ])
        .unwrap();
        assert_eq!(a.scalars(), [0, -4, 0, 0, 0, 1].map(Scalar::Int).to_vec());
        // On a transposed (non-standard) layout, positions are the array's row-major ones.
        let mut t = NdArray::from_f64(&[2, 3], vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
            .unwrap()
            .transpose();
        t.set_flat(&[(1, Scalar::Float(9.0))]).unwrap();
        assert_eq!(t.flat(1), Some(Scalar::Float(9.0)));
        assert_eq!(t.flat(2), Some(Scalar::Float(1.0)));
        let err = a.set_flat(&[(6, Scalar::Int(1))]).unwrap_err();
        assert!(err.to_string().contains("out of bounds"), "{err}");
    }
}
