//! Hostile arguments to every array operation give a value or an `ArrayError`, never a
//! panic: in the browser a panic would abort every worker.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test, as wanted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use skein_array::ops::{self, BinaryOp, Reduction};
use skein_array::{DType, Index, NdArray, Nested, Scalar};

fn shape() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0usize..5, 0..4)
}

fn array() -> impl Strategy<Value = NdArray> {
    (
        shape(),
        prop::sample::select(vec![DType::Bool, DType::Int64, DType::Float64]),
        any::<u64>(),
    )
        .prop_map(|(shape, dtype, seed)| {
            let size: usize = shape.iter().product();
            let values: Vec<f64> = (0..size)
                .map(|i| match (seed as usize + i) % 7 {
                    0 => f64::NAN,
                    1 => f64::INFINITY,
                    2 => -0.0,
                    3 => 1e300,
                    _ => ((seed >> (i % 32)) % 17) as f64 - 8.0,
                })
                .collect();
            NdArray::from_f64(&shape, values)
                .expect("small shape")
                .astype(dtype)
        })
}

fn index() -> impl Strategy<Value = Index> {
    prop_oneof![
        any::<i64>().prop_map(Index::Int),
        (-6i64..6).prop_map(Index::Int),
        (
            prop::option::of(any::<i64>()),
            prop::option::of(-8i64..8),
            prop::option::of(prop_oneof![
                Just(0i64),
                -3i64..3,
                Just(i64::MIN),
                Just(i64::MAX)
            ])
        )
            .prop_map(|(start, stop, step)| Index::Slice { start, stop, step }),
        prop::collection::vec(any::<i64>(), 0..4).prop_map(Index::Ints),
        array().prop_map(Index::Mask),
    ]
}

fn op() -> impl Strategy<Value = BinaryOp> {
    prop::sample::select(
        [
            "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "eq", "ne", "lt", "le", "gt",
            "ge", "and", "or",
        ]
        .iter()
        .filter_map(|n| BinaryOp::parse(n))
        .collect::<Vec<_>>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn indexing_never_panics(mut a in array(), keys in prop::collection::vec(index(), 0..4), v in array()) {
        let _ = a.get(&keys);
        let _ = a.set(&keys, &v);
        let _ = a.repr();
        let _ = a.str();
    }

    #[test]
    fn arithmetic_reductions_and_shapes_never_panic(a in array(), b in array(), op in op(), axis in prop::option::of(-4i64..4), dims in prop::collection::vec(-3i64..30, 0..4), n in 0usize..6) {
        let _ = ops::binary(op, &a, &b);
        for reduction in ["sum", "mean", "max", "min", "any", "all"] {
            let _ = ops::reduce(&a, Reduction::parse(reduction).expect("known"), axis);
        }
        let _ = a.reshape(&dims);
        let _ = ops::split(&a, n, n % 3);
        let _ = ops::concatenate(&[a.clone(), b.clone()], n % 3);
        let _ = ops::percentile(&a, (n as f64) * 25.0);
        let _ = NdArray::from_bytes(a.dtype(), b.shape(), &a.to_bytes());
    }

    #[test]
    fn ragged_or_huge_input_is_an_error(depth in 0usize..40, width in 0usize..4, big in prop::collection::vec(any::<usize>(), 0..4)) {
        let mut nested = Nested::Scalar(Scalar::Float(1.0));
        for level in 0..depth {
            nested = Nested::List(vec![nested.clone(); if level % 5 == 0 { width } else { 1 }]);
        }
        let _ = NdArray::from_nested(&nested, None);
        let _ = NdArray::zeros(&big, DType::Float64);
        let _ = NdArray::full(&big, Scalar::Int(1));
    }
}

#[test]
fn an_empty_axis_split_past_the_budget_is_a_memory_error() {
    let empty = NdArray::from_f64(&[0], Vec::new()).unwrap();
    let err = ops::split(&empty, usize::MAX, 0).unwrap_err();
    assert_eq!(err.kind, skein_array::ErrorKind::Memory);
    assert_eq!(ops::split(&empty, 3, 0).unwrap().len(), 3);
}
