//! Reading NumPy's `.npy` files (`np.load`): any numeric or bool type, C or Fortran order,
//! either byte order, widened to Skein's three element types.

use ndarray::{ArrayD, IxDyn, ShapeBuilder};
use npyz::{DType as NpyType, NpyFile, TypeChar};

use crate::array::{NdArray, checked_size};
use crate::error::ArrayError;

/// The array stored in the bytes of a `.npy` file.
pub fn load_npy(bytes: &[u8]) -> Result<NdArray, ArrayError> {
    let bad = |e: std::io::Error| ArrayError::value(format!("not a valid .npy file: {e}"));
    let npy = NpyFile::new(bytes).map_err(bad)?;
    let shape: Vec<usize> = npy
        .shape()
        .iter()
        .map(|&d| usize::try_from(d).unwrap_or(usize::MAX))
        .collect();
    checked_size(&shape)?;
    let fortran = npy.order() == npyz::Order::Fortran;
    let layout = |shape: &[usize]| IxDyn(shape).set_f(fortran);
    let shape_error = |e: ndarray::ShapeError| ArrayError::value(e.to_string());
    let NpyType::Plain(ty) = npy.dtype() else {
        return Err(ArrayError::value(
            "np.load in Skein reads arrays of numbers or bools, not records",
        ));
    };
    let size = ty.size_field();
    let array = match ty.type_char() {
        TypeChar::Float => {
            let values: Vec<f64> = match size {
                4 => npy
                    .into_vec::<f32>()
                    .map_err(bad)?
                    .into_iter()
                    .map(f64::from)
                    .collect(),
                8 => npy.into_vec::<f64>().map_err(bad)?,
                _ => return Err(unsupported(&ty)),
            };
            NdArray::Float(ArrayD::from_shape_vec(layout(&shape), values).map_err(shape_error)?)
        }
        TypeChar::Int | TypeChar::Uint => {
            let values: Vec<i64> = match (ty.type_char(), size) {
                (TypeChar::Int, 1) => npy
                    .into_vec::<i8>()
                    .map_err(bad)?
                    .into_iter()
                    .map(i64::from)
                    .collect(),
                (TypeChar::Int, 2) => npy
                    .into_vec::<i16>()
                    .map_err(bad)?
                    .into_iter()
                    .map(i64::from)
                    .collect(),
                (TypeChar::Int, 4) => npy
                    .into_vec::<i32>()
                    .map_err(bad)?
                    .into_iter()
                    .map(i64::from)
                    .collect(),
                (TypeChar::Int, 8) => npy.into_vec::<i64>().map_err(bad)?,
                (TypeChar::Uint, 1) => npy
                    .into_vec::<u8>()
                    .map_err(bad)?
                    .into_iter()
                    .map(i64::from)
                    .collect(),
                (TypeChar::Uint, 2) => npy
                    .into_vec::<u16>()
                    .map_err(bad)?
                    .into_iter()
                    .map(i64::from)
                    .collect(),
                (TypeChar::Uint, 4) => npy
                    .into_vec::<u32>()
                    .map_err(bad)?
                    .into_iter()
                    .map(i64::from)
                    .collect(),
                _ => return Err(unsupported(&ty)),
            };
            NdArray::Int(ArrayD::from_shape_vec(layout(&shape), values).map_err(shape_error)?)
        }
        TypeChar::Bool => {
            let values: Vec<bool> = npy.into_vec::<bool>().map_err(bad)?;
            NdArray::Bool(ArrayD::from_shape_vec(layout(&shape), values).map_err(shape_error)?)
        }
        _ => return Err(unsupported(&ty)),
    };
    Ok(standard(array))
}

fn unsupported(ty: &npyz::TypeStr) -> ArrayError {
    ArrayError::value(format!(
        "np.load in Skein does not read arrays of type '{ty}'"
    ))
}

/// Row-major again after a Fortran-order read.
fn standard(array: NdArray) -> NdArray {
    match array {
        NdArray::Bool(a) => NdArray::Bool(a.as_standard_layout().into_owned()),
        NdArray::Int(a) => NdArray::Int(a.as_standard_layout().into_owned()),
        NdArray::Float(a) => NdArray::Float(a.as_standard_layout().into_owned()),
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::array::Scalar;

    fn npy_bytes(descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
        let mut header = format!(
            "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}",
            if fortran { "True" } else { "False" }
        );
        while (10 + header.len() + 1) % 64 != 0 {
            header.push(' ');
        }
        header.push('\n');
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend(
            u16::try_from(header.len())
                .expect("short header")
                .to_le_bytes(),
        );
        out.extend(header.as_bytes());
        out.extend(data);
        out
    }

    #[test]
    fn float32_fortran_order_reads_row_major_as_float64() {
        let data: Vec<u8> = [1.0f32, 3.0, 2.0, 4.0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let array = load_npy(&npy_bytes("<f4", true, "(2, 2)", &data)).expect("valid");
        assert_eq!(array.scalars(), [1.0, 2.0, 3.0, 4.0].map(Scalar::Float));
    }

    #[test]
    fn int32_reads_as_int64_and_garbage_is_a_value_error() {
        let data: Vec<u8> = [7i32, -1].iter().flat_map(|v| v.to_le_bytes()).collect();
        let array = load_npy(&npy_bytes("<i4", false, "(2,)", &data)).expect("valid");
        assert_eq!(array.scalars(), [7, -1].map(Scalar::Int));
        let error = load_npy(b"not an npy file").unwrap_err();
        assert_eq!(error.kind, crate::ErrorKind::Value);
        let truncated = npy_bytes("<f8", false, "(4,)", &[0; 8]);
        assert!(load_npy(&truncated).is_err());
    }
}
