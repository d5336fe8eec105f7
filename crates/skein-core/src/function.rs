//! Typed task functions: Rust closures and `fn`s of one to four arguments, turned into untyped
//! [`TaskFn`]s that unpack [`Value`]s, and named after the function (as Dask names tasks).
//!
//! A function may return a plain value or a `Result<T, E: Display>`; an `Err` fails the task.

use std::any::{TypeId, type_name};
use std::fmt::Display;
use std::hash::Hash;
use std::sync::Arc;

use crate::error::TaskError;
use crate::graph::TaskFn;
use crate::key::TokenHasher;
use crate::value::{Data, FromValue, Value};

/// What a typed task function may return: a value, or a `Result` whose `Err` fails the task.
pub trait TaskReturn: Send + 'static {
    /// The value type.
    type Output: Data;
    /// The value, or the task's error.
    fn into_result(self) -> Result<Self::Output, TaskError>;
}

impl<T: Data> TaskReturn for T {
    type Output = T;
    fn into_result(self) -> Result<T, TaskError> {
        Ok(self)
    }
}

impl<T: Data, E: Display + Send + 'static> TaskReturn for Result<T, E> {
    type Output = T;
    fn into_result(self) -> Result<T, TaskError> {
        self.map_err(|e| TaskError::new(e.to_string()))
    }
}

/// A Rust function usable as a task; `M` is its argument tuple (inferred).
pub trait Function<M>: Send + Sync + 'static {
    /// What the task returns.
    type Output: Data;
    /// The untyped function the scheduler runs.
    fn into_task_fn(self) -> TaskFn;
}

fn arg<A: FromValue>(args: &[Value], i: usize) -> Result<A, TaskError> {
    let v = args
        .get(i)
        .ok_or_else(|| TaskError::new(format!("argument {i} is missing")))?;
    A::from_value(v.clone()).map_err(|v| {
        TaskError::new(format!(
            "argument {i} is a `{}`, but the function takes a `{}`",
            v.type_name(),
            type_name::<A>()
        ))
    })
}

macro_rules! function {
    ($n:literal; $($A:ident $i:tt),+) => {
        impl<F, R, $($A),+> Function<($($A,)+)> for F
        where
            F: Fn($($A),+) -> R + Send + Sync + 'static,
            R: TaskReturn,
            $($A: FromValue,)+
        {
            type Output = R::Output;
            fn into_task_fn(self) -> TaskFn {
                Arc::new(move |args: &[Value]| {
                    if args.len() != $n {
                        return Err(TaskError::new(format!(
                            "the function takes {} arguments, got {}", $n, args.len()
                        )));
                    }
                    self($(arg::<$A>(args, $i)?),+).into_result().map(Value::new)
                })
            }
        }
    };
}
function!(1; A 0);
function!(2; A 0, B 1);
function!(3; A 0, B 1, C 2);
function!(4; A 0, B 1, C 2, D 3);

/// A function's task name and the token prefix that identifies it in pure keys.
#[derive(Clone, Debug)]
pub(crate) struct FunctionId {
    pub(crate) name: Arc<str>,
    seed: TokenHasher,
}

impl FunctionId {
    /// Names `F` after its last path segment (`square` for `my_crate::square`); closures are
    /// `lambda`, as in Dask, and are told apart in pure keys by their type.
    pub(crate) fn of<F: 'static>() -> FunctionId {
        let path = type_name::<F>();
        let closure = path.contains("{{closure}}");
        let name = if closure {
            "lambda"
        } else {
            path.rsplit("::").next().unwrap_or(path)
        };
        FunctionId::with_name::<F>(name, path, closure)
    }

    pub(crate) fn named<F: 'static>(name: &str) -> FunctionId {
        let path = type_name::<F>();
        FunctionId::with_name::<F>(name, path, path.contains("{{closure}}"))
    }

    fn with_name<F: 'static>(name: &str, path: &str, closure: bool) -> FunctionId {
        let mut seed = TokenHasher::new();
        seed.write_str(name);
        seed.write_str(path);
        if closure {
            // Closures in one function share a type name; their type ids differ. (Stable for a
            // given build, which is what deduplication within a process needs.)
            TypeId::of::<F>().hash(&mut seed);
        }
        FunctionId {
            name: Arc::from(name),
            seed,
        }
    }

    /// A hasher already fed with this function's identity.
    pub(crate) fn hasher(&self) -> TokenHasher {
        self.seed.clone()
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn square(x: i64) -> i64 {
        x * x
    }

    #[test]
    fn functions_are_named_like_dask() {
        assert_eq!(&*FunctionId::of::<fn(i64) -> i64>().name, "fn(i64) -> i64");
        fn id_of<F: 'static>(_: &F) -> FunctionId {
            FunctionId::of::<F>()
        }
        assert_eq!(&*id_of(&square).name, "square");
        assert_eq!(&*id_of(&|x: i64| x).name, "lambda");
    }

    #[test]
    fn typed_functions_unpack_values() {
        let f = (|a: i64, b: String| format!("{b}{a}")).into_task_fn();
        let out = f(&[Value::new(1_i64), Value::new(String::from("x"))]).unwrap();
        assert_eq!(out.downcast_ref::<String>().map(String::as_str), Some("x1"));
        let err = f(&[Value::new(1_i64)]).unwrap_err();
        assert!(err.message().contains("takes 2 arguments"));
        let err = f(&[Value::new(1_i64), Value::new(2_i64)]).unwrap_err();
        assert!(err.message().contains("argument 1 is a `i64`"), "{err}");
        let fallible = (|x: i64| if x > 0 { Ok(x) } else { Err("not positive") }).into_task_fn();
        assert_eq!(
            fallible(&[Value::new(-1_i64)]).unwrap_err().message(),
            "not positive"
        );
    }
}
