//! Task arguments as callers give them: literal values, delayed values, or futures.
//!
//! [`IntoInput<A>`] says "this can stand for an argument of type `A`": an `A` itself, a
//! `Delayed<A>` or a `Future<A>` (by value or by reference). [`Inputs<M>`] does the same for a
//! whole argument list: one argument as itself, several as a tuple. [`Input`] itself lives in
//! `node`, beside the `Delayed` it may hold.

use crate::future::Future;
use crate::node::Delayed;
pub use crate::node::Input;
use crate::value::{Data, Value};

/// Something that can stand for an argument of type `A`.
pub trait IntoInput<A> {
    /// The untyped argument.
    fn into_input(self) -> Input;
}

impl<A: Data> IntoInput<A> for A {
    fn into_input(self) -> Input {
        Input::Value(Value::new(self))
    }
}
impl<A> IntoInput<A> for Delayed<A> {
    fn into_input(self) -> Input {
        Input::Delayed(self.into_dyn())
    }
}
impl<A> IntoInput<A> for &Delayed<A> {
    fn into_input(self) -> Input {
        Input::Delayed(self.clone().into_dyn())
    }
}
impl<A> IntoInput<A> for Future<A> {
    fn into_input(self) -> Input {
        Input::Future(self.into_dyn())
    }
}
impl<A> IntoInput<A> for &Future<A> {
    fn into_input(self) -> Input {
        Input::Future(self.clone().into_dyn())
    }
}

/// An argument list for a function whose argument tuple is `M`: a single argument for a
/// one-argument function, a tuple for more.
pub trait Inputs<M> {
    /// The untyped arguments, in order.
    fn into_inputs(self) -> Vec<Input>;
}

impl<A, X: IntoInput<A>> Inputs<(A,)> for X {
    fn into_inputs(self) -> Vec<Input> {
        vec![self.into_input()]
    }
}

macro_rules! inputs {
    ($($A:ident $X:ident $x:ident),+) => {
        impl<$($A, $X: IntoInput<$A>),+> Inputs<($($A,)+)> for ($($X,)+) {
            fn into_inputs(self) -> Vec<Input> {
                let ($($x,)+) = self;
                vec![$($x.into_input()),+]
            }
        }
    };
}
inputs!(A X a, B Y b);
inputs!(A X a, B Y b, C Z c);
inputs!(A X a, B Y b, C Z c, D W d);
