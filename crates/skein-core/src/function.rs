//! Typed task functions: Rust closures and `fn`s of one to four arguments, turned into untyped
//! [`TaskFn`]s that unpack [`Value`]s, and named after the function (as Dask names tasks).
//!
//! A function may return a plain value or a `Result<T, E: Display>`; an `Err` fails the task.

use std::any::{TypeId, type_name};
use std::borrow::Cow;
use std::fmt::Display;
use std::hash::Hash;
use std::sync::Arc;

use crate::error::TaskError;
use crate::graph::TaskFn;
use crate::key::{Key, Purity, TokenHasher};
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
    /// Borrowed from the type name unless [`named`](FunctionId::named): submitting a task
    /// makes one of these, so it should not allocate.
    pub(crate) name: Cow<'static, str>,
    seed: TokenHasher,
    /// Whether the type names the function: a zero-sized `fn` item or closure capturing
    /// nothing. A closure with captures, or a function pointer, is more than its type.
    identified: bool,
}

/// The task name of `F` (see [`FunctionId::of`]), without the hashing a pure key needs.
pub(crate) fn name_of<F: 'static>() -> &'static str {
    let path = type_name::<F>();
    if is_closure(path) {
        "lambda"
    } else {
        // Splitting on the char rather than on "::" avoids a substring searcher per call; a
        // path has no lone `:`, so the last segment is the same.
        path.rsplit(':').next().unwrap_or(path)
    }
}

/// Whether a type name is (or contains) a closure's.
fn is_closure(path: &str) -> bool {
    // `str::contains` with a pattern sets up a two-way searcher on every call (and submitting
    // a task names its function); type names are short, so scan for the brace by hand.
    path.bytes()
        .enumerate()
        .any(|(i, b)| b == b'{' && path[i..].starts_with("{{closure}}"))
}

impl FunctionId {
    /// Names `F` after its last path segment (`square` for `my_crate::square`); closures are
    /// `lambda`, as in Dask, and are told apart in pure keys by their type.
    pub(crate) fn of<F: 'static>() -> FunctionId {
        let path = type_name::<F>();
        FunctionId::with_name::<F>(Cow::Borrowed(name_of::<F>()), path, is_closure(path))
    }

    pub(crate) fn named<F: 'static>(name: &str) -> FunctionId {
        let path = type_name::<F>();
        FunctionId::with_name::<F>(Cow::Owned(name.to_owned()), path, is_closure(path))
    }

    fn with_name<F: 'static>(name: Cow<'static, str>, path: &str, closure: bool) -> FunctionId {
        let mut seed = TokenHasher::new();
        seed.write_str(&name);
        seed.write_str(path);
        if closure {
            // Closures in one function share a type name; their type ids differ. (Stable for a
            // given build, which is what deduplication within a process needs.)
            TypeId::of::<F>().hash(&mut seed);
        }
        FunctionId {
            name,
            seed,
            identified: std::mem::size_of::<F>() == 0,
        }
    }

    /// The key of a call of this function on the inputs `feed` writes to the token, by the
    /// one rule (see `key.rs`): `purity` as asked if the function can be named in a token,
    /// else impure.
    pub(crate) fn key(&self, purity: Purity, feed: impl FnOnce(&mut TokenHasher)) -> Key {
        if purity == Purity::Impure || !self.identified {
            return Key::impure(&self.name);
        }
        let mut token = self.seed.clone();
        feed(&mut token);
        Key::task(&self.name, Purity::Pure, &token)
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
    fn only_a_function_its_type_names_gives_pure_keys() {
        fn id_of<F: 'static>(_: &F) -> FunctionId {
            FunctionId::of::<F>()
        }
        let three = |h: &mut TokenHasher| h.write_str("3");
        let f = id_of(&square);
        assert_eq!(f.key(Purity::Pure, three), f.key(Purity::Pure, three));
        assert_ne!(f.key(Purity::Impure, three), f.key(Purity::Impure, three));
        let k = 2_i64;
        let captures = id_of(&move |x: i64| x + k);
        assert_ne!(
            captures.key(Purity::Pure, three),
            captures.key(Purity::Pure, three),
            "what a closure captured is not in its type"
        );
        let pointer: fn(i64) -> i64 = square;
        let p = id_of(&pointer);
        assert_ne!(p.key(Purity::Pure, three), p.key(Purity::Pure, three));
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
