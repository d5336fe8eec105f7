//! NumPy's `repr` and `str` of arrays (`numpy/_core/arrayprint.py` with default options):
//! one width for every element, floats in the fewest digits that tell them apart (at most
//! 8 after the point, scientific when they span more than 1000× or are tiny or huge),
//! lines wrapped at 75 columns, and arrays over 1000 elements summarised with `...`.

use crate::array::{DType, NdArray, Scalar, shape_repr};

const LINE_WIDTH: usize = 75;
const THRESHOLD: usize = 1000;
const EDGE_ITEMS: usize = 3;
const PRECISION: usize = 8;

impl NdArray {
    /// `repr(a)`: `array([[1, 2],\n       [3, 4]])`.
    pub fn repr(&self) -> String {
        let prefix = "array(";
        let shape = self.shape();
        let mut extras = Vec::new();
        if (self.size() == 0 && shape != [0]) || self.size() > THRESHOLD {
            extras.push(format!("shape={}", shape_repr(shape)));
        }
        if self.size() == 0 {
            extras.push(format!("dtype={}", self.dtype().name()));
        }
        let body = if shape.is_empty() {
            self.flat(0)
                .map_or_else(String::new, |s| Formatter::new(self).scalar(s))
        } else {
            self.to_text(", ", " ".repeat(prefix.len() + 1).as_str(), LINE_WIDTH - 1)
        };
        if extras.is_empty() {
            return format!("{prefix}{body})");
        }
        let start = format!("{prefix}{body},");
        let extra = format!("{})", extras.join(", "));
        let last_line = start.len() - start.rfind('\n').map_or(0, |i| i + 1);
        let spacer = if last_line + extra.len() + 1 > LINE_WIDTH {
            format!("\n{}", " ".repeat(prefix.len()))
        } else {
            " ".to_owned()
        };
        format!("{start}{spacer}{extra}")
    }

    /// `str(a)`: `[[1 2]\n [3 4]]`.
    pub fn str(&self) -> String {
        if self.shape().is_empty() {
            return self
                .flat(0)
                .map_or_else(String::new, |s| Formatter::new(self).scalar(s));
        }
        self.to_text(" ", " ", LINE_WIDTH)
    }

    fn to_text(&self, separator: &str, hanging: &str, width: usize) -> String {
        if self.size() == 0 {
            return "[]".to_owned();
        }
        let formatter = Formatter::new(self);
        let summarise = self.size() > THRESHOLD;
        let mut index = Vec::new();
        recurse(
            self, &formatter, &mut index, hanging, width, separator, summarise,
        )
    }
}

/// Python's `str()` of a float, which NumPy scalars also use.
pub fn python_float(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let abs = x.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        let text = format!("{x:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    let text = format!("{x}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

fn recurse(
    a: &NdArray,
    formatter: &Formatter,
    index: &mut Vec<usize>,
    hanging: &str,
    width: usize,
    separator: &str,
    summarise: bool,
) -> String {
    let shape = a.shape();
    let axis = index.len();
    if axis == shape.len() {
        let offset = index
            .iter()
            .zip(shape)
            .fold(0, |acc, (&i, &len)| acc * len + i);
        return a
            .flat(offset)
            .map_or_else(String::new, |s| formatter.element(s));
    }
    let next_hanging = format!("{hanging} ");
    let next_width = width - 1;
    let len = shape[axis];
    let show_summary = summarise && 2 * EDGE_ITEMS < len;
    let (leading, trailing) = if show_summary {
        (EDGE_ITEMS, EDGE_ITEMS)
    } else {
        (0, len)
    };
    let child = |i: usize, index: &mut Vec<usize>| {
        index.push(i);
        let text = recurse(
            a,
            formatter,
            index,
            &next_hanging,
            next_width,
            separator,
            summarise,
        );
        index.pop();
        text
    };
    let axes_left = shape.len() - axis;
    let mut s = String::new();
    if axes_left == 1 {
        let elem_width = width - separator.trim_end().len().max(1);
        let mut line = hanging.to_owned();
        for i in 0..leading {
            let word = child(i, index);
            extend_line(&mut s, &mut line, &word, elem_width, hanging);
            line.push_str(separator);
        }
        if show_summary {
            extend_line(&mut s, &mut line, "...", elem_width, hanging);
            line.push_str(separator);
        }
        for i in (2..=trailing).rev() {
            let word = child(len - i, index);
            extend_line(&mut s, &mut line, &word, elem_width, hanging);
            line.push_str(separator);
        }
        let word = child(len - 1, index);
        extend_line(&mut s, &mut line, &word, elem_width, hanging);
        s.push_str(&line);
    } else {
        let line_sep = format!("{}{}", separator.trim_end(), "\n".repeat(axes_left - 1));
        for i in 0..leading {
            s.push_str(hanging);
            s.push_str(&child(i, index));
            s.push_str(&line_sep);
        }
        if show_summary {
            s.push_str(hanging);
            s.push_str("...");
            s.push_str(&line_sep);
        }
        for i in (2..=trailing).rev() {
            s.push_str(hanging);
            s.push_str(&child(len - i, index));
            s.push_str(&line_sep);
        }
        s.push_str(hanging);
        s.push_str(&child(len - 1, index));
    }
    format!("[{}]", &s[hanging.len()..])
}

fn extend_line(s: &mut String, line: &mut String, word: &str, width: usize, hanging: &str) {
    let needs_wrap = line.len() + word.len() > width && line.len() > hanging.len();
    if needs_wrap {
        s.push_str(line.trim_end());
        s.push('\n');
        *line = hanging.to_owned();
    }
    line.push_str(word);
}

/// How every element of one array is written, so they line up.
enum Formatter {
    Bool { scalar: bool },
    Int { width: usize },
    Float(FloatFormat),
}

struct FloatFormat {
    exponential: bool,
    pad_left: usize,
    pad_right: usize,
    /// Digits after the point in scientific mode (all elements alike).
    precision: usize,
    exp_size: usize,
}

impl Formatter {
    fn new(a: &NdArray) -> Formatter {
        let values = shown_values(a);
        match a.dtype() {
            DType::Bool => Formatter::Bool {
                scalar: a.shape().is_empty(),
            },
            DType::Int64 => Formatter::Int {
                width: values
                    .iter()
                    .map(|s| s.as_i64().to_string().len())
                    .max()
                    .unwrap_or(0),
            },
            DType::Float64 => Formatter::Float(FloatFormat::new(
                &values.iter().map(|s| s.as_f64()).collect::<Vec<_>>(),
            )),
        }
    }

    fn element(&self, value: Scalar) -> String {
        match self {
            Formatter::Bool { scalar } => match (value.as_bool(), scalar) {
                (true, false) => " True".into(),
                (true, true) => "True".into(),
                (false, _) => "False".into(),
            },
            Formatter::Int { width } => format!("{:>width$}", value.as_i64()),
            Formatter::Float(format) => format.write(value.as_f64()),
        }
    }

    fn scalar(&self, value: Scalar) -> String {
        self.element(value).trim_start().to_owned()
    }
}

/// The elements the repr shows (the edges of each axis when summarised), which set widths.
fn shown_values(a: &NdArray) -> Vec<Scalar> {
    if a.size() <= THRESHOLD {
        return a.scalars();
    }
    let shape = a.shape();
    let keep = |axis: usize, i: usize| {
        let len = shape[axis];
        len <= 2 * EDGE_ITEMS || i < EDGE_ITEMS || i >= len - EDGE_ITEMS
    };
    let mut out = Vec::new();
    let mut index = vec![0usize; shape.len()];
    for (offset, value) in a.scalars().into_iter().enumerate() {
        let mut rest = offset;
        for axis in (0..shape.len()).rev() {
            index[axis] = rest % shape[axis];
            rest /= shape[axis];
        }
        if index.iter().enumerate().all(|(axis, &i)| keep(axis, i)) {
            out.push(value);
        }
    }
    out
}

impl FloatFormat {
    fn new(values: &[f64]) -> FloatFormat {
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let non_zero: Vec<f64> = finite
            .iter()
            .map(|v| v.abs())
            .filter(|&v| v != 0.0)
            .collect();
        let exponential = match (
            non_zero.iter().copied().reduce(f64::max),
            non_zero.iter().copied().reduce(f64::min),
        ) {
            (Some(max), Some(min)) => max >= 1e8 || min < 1e-4 || max / min > 1000.0,
            _ => false,
        };
        let mut format = FloatFormat {
            exponential,
            pad_left: 0,
            pad_right: 0,
            precision: 0,
            exp_size: 0,
        };
        if finite.is_empty() {
            // Only NaN and infinities: their widths are set below.
        } else if exponential {
            let parts: Vec<(String, String, String)> =
                finite.iter().map(|&v| scientific_parts(v)).collect();
            format.precision = parts.iter().map(|(_, f, _)| f.len()).max().unwrap_or(0);
            format.pad_left = parts.iter().map(|(i, _, _)| i.len()).max().unwrap_or(0);
            format.exp_size = parts.iter().map(|(_, _, e)| e.len()).max().unwrap_or(2);
            format.pad_right = format.exp_size + 2 + format.precision;
        } else {
            let parts: Vec<(String, String)> =
                finite.iter().map(|&v| positional_parts(v)).collect();
            format.pad_left = parts.iter().map(|(i, _)| i.len()).max().unwrap_or(0);
            format.pad_right = parts.iter().map(|(_, f)| f.len()).max().unwrap_or(0);
        }
        if finite.len() != values.len() {
            let negative_inf = values.contains(&f64::NEG_INFINITY);
            let offset = format.pad_right + 1;
            format.pad_left = format
                .pad_left
                .max(3usize.saturating_sub(offset))
                .max((3 + usize::from(negative_inf)).saturating_sub(offset));
        }
        format
    }

    fn write(&self, value: f64) -> String {
        if !value.is_finite() {
            let text = if value.is_nan() {
                "nan"
            } else if value > 0.0 {
                "inf"
            } else {
                "-inf"
            };
            return format!("{text:>width$}", width = self.pad_left + self.pad_right + 1);
        }
        if self.exponential {
            let (int, frac, exp) = scientific_parts(value);
            let frac = format!("{frac:0<width$}", width = self.precision);
            let (sign, digits) = exp.split_at(1);
            let digits = format!("{digits:0>width$}", width = self.exp_size.saturating_sub(1));
            return format!("{int:>pad$}.{frac}e{sign}{digits}", pad = self.pad_left);
        }
        let (int, frac) = positional_parts(value);
        format!(
            "{int:>left$}.{frac:<right$}",
            left = self.pad_left,
            right = self.pad_right
        )
    }
}

/// The shortest digits that read back as `value`, rounded to 8 after the point, split at
/// the point: `2.5` → (`2`, `5`), `1.0` → (`1`, ``).
fn positional_parts(value: f64) -> (String, String) {
    let mut text = format!("{value}");
    if let Some((_, frac)) = text.split_once('.')
        && frac.len() > PRECISION
    {
        text = format!("{value:.PRECISION$}");
        while text.ends_with('0') {
            text.pop();
        }
    }
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    (int.to_owned(), frac.to_owned())
}

/// Scientific digits: `1.5e10` → (`1`, `5`, `+10`), with at least two exponent digits.
fn scientific_parts(value: f64) -> (String, String, String) {
    let mut text = format!("{value:e}");
    if let Some((mantissa, _)) = text.split_once('e')
        && mantissa
            .split_once('.')
            .is_some_and(|(_, f)| f.len() > PRECISION)
    {
        text = format!("{value:.PRECISION$e}");
    }
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let frac = frac.trim_end_matches('0');
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    (
        int.to_owned(),
        frac.to_owned(),
        format!("{sign}{:02}", exponent.abs()),
    )
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::array::Nested;

    fn array(values: &[f64], shape: &[i64]) -> NdArray {
        NdArray::from_f64(&[values.len()], values.to_vec())
            .and_then(|a| a.reshape(shape))
            .expect("shape")
    }

    fn ints(values: impl IntoIterator<Item = i64>, shape: &[i64]) -> NdArray {
        let nested = Nested::List(
            values
                .into_iter()
                .map(|i| Nested::Scalar(Scalar::Int(i)))
                .collect(),
        );
        NdArray::from_nested(&nested, None)
            .and_then(|a| a.reshape(shape))
            .expect("shape")
    }

    // Every expected text below is what NumPy 2.4 prints for the same array.
    #[test]
    fn integers_line_up_in_rows() {
        let example = ints(1..=16, &[4, 4]);
        assert_eq!(
            example.repr(),
            "array([[ 1,  2,  3,  4],\n       [ 5,  6,  7,  8],\n       [ 9, 10, 11, 12],\n       [13, 14, 15, 16]])"
        );
        assert_eq!(
            ints([1, 2, 5, 6], &[2, 2]).repr(),
            "array([[1, 2],\n       [5, 6]])"
        );
        assert_eq!(ints(1..=4, &[2, 2]).str(), "[[1 2]\n [3 4]]");
    }

    #[test]
    fn floats_share_their_digits() {
        assert_eq!(array(&[1.0, 2.5], &[2]).repr(), "array([1. , 2.5])");
        assert_eq!(
            array(&[0.5, 0.25, -3.0], &[3]).repr(),
            "array([ 0.5 ,  0.25, -3.  ])"
        );
        assert_eq!(array(&[1.0 / 3.0], &[1]).repr(), "array([0.33333333])");
        assert_eq!(
            array(&[1e-5, 1.5e10], &[2]).repr(),
            "array([1.0e-05, 1.5e+10])"
        );
        assert_eq!(array(&[f64::NAN, 1.0], &[2]).repr(), "array([nan,  1.])");
        assert_eq!(array(&[0.0, 0.0], &[2]).repr(), "array([0., 0.])");
    }

    #[test]
    fn empty_zero_d_and_bool_arrays() {
        assert_eq!(
            NdArray::zeros(&[0], DType::Float64).expect("empty").repr(),
            "array([], dtype=float64)"
        );
        assert_eq!(
            NdArray::zeros(&[0, 3], DType::Int64).expect("empty").repr(),
            "array([], shape=(0, 3), dtype=int64)"
        );
        assert_eq!(NdArray::from_scalar(Scalar::Int(5)).repr(), "array(5)");
        let mask = crate::ops::binary(
            crate::ops::BinaryOp::Gt,
            &ints([1, 3], &[2]),
            &NdArray::from_scalar(Scalar::Int(2)),
        )
        .expect("cmp");
        assert_eq!(mask.repr(), "array([False,  True])");
    }

    #[test]
    fn long_rows_wrap_at_75_columns_and_big_arrays_are_summarised() {
        let row = ints(0..30, &[30]);
        assert_eq!(
            row.repr(),
            "array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])"
        );
        let big = ints(0..2000, &[2000]);
        assert_eq!(
            big.repr(),
            "array([   0,    1,    2, ..., 1997, 1998, 1999], shape=(2000,))"
        );
        let grid = NdArray::zeros(&[256, 256], DType::Float64).expect("zeros");
        assert_eq!(
            grid.repr(),
            "array([[0., 0., 0., ..., 0., 0., 0.],\n       [0., 0., 0., ..., 0., 0., 0.],\n       [0., 0., 0., ..., 0., 0., 0.],\n       ...,\n       [0., 0., 0., ..., 0., 0., 0.],\n       [0., 0., 0., ..., 0., 0., 0.],\n       [0., 0., 0., ..., 0., 0., 0.]], shape=(256, 256))"
        );
    }

    #[test]
    fn python_floats_print_as_python_does() {
        assert_eq!(python_float(5.0), "5.0");
        assert_eq!(python_float(0.1), "0.1");
        assert_eq!(python_float(1e16), "1e+16");
        assert_eq!(python_float(1.5e-5), "1.5e-05");
    }
}
