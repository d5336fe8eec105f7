//! Subscripts: the prelude sends a tuple of keys, slices tagged `('__slice__', …)`, which
//! become `skein_array`'s indices (integers, slices, integer lists, boolean masks).

use monty_types::unstable::{MontyNode, node};
use monty_types::{ExcType, MontyException, ObjectRef};
use skein_array::{DType, Index, NdArray, Scalar};

use super::convert::array_of;
use super::type_error;
use crate::classes::Kind;

/// The tag the prelude gives a `slice` in a subscript.
const SLICE_TAG: &str = "__slice__";

/// A subscript as indices: the prelude sends a tuple, slices tagged `('__slice__', …)`.
pub(super) fn keys_of(value: ObjectRef<'_>) -> Result<Vec<Index>, MontyException> {
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
        _ if Kind::of(value) == Some(Kind::Ndarray) => index_array(array_of(value)?),
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
