//! `Delayed<T>`: a lazy value — a task and everything it depends on — that runs nothing until
//! [`compute`](Delayed::compute) or [`persist`](Delayed::persist).
//!
//! A `Delayed` is a node of an immutable DAG shared through `Arc`s, so combining values (the
//! seed's `sum` of a thousand calls) costs O(1) per step and building is O(N), unlike graphs
//! that copy a dictionary at each merge.
//!
//! ```
//! use skein_core::{delayed, Delayed};
//! fn square(x: i64) -> i64 { x * x }
//! let sq = delayed(square);
//! let d: Delayed<i64> = sq.call(sq.call(3));
//! assert_eq!(d.compute().unwrap(), 81);
//! assert!(d.key().as_str().starts_with("square-"));
//! ```

use std::any::TypeId;
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Add, Div, Mul, Sub};
use std::sync::Arc;

use smallvec::smallvec;

use crate::client::Client;
use crate::error::{Error, TaskError};
use crate::function::{Function, FunctionId};
use crate::future::Future;
use crate::graph::{Arg, Graph, TaskFn, TaskSpec};
use crate::input::{Input, Inputs, IntoInput};
use crate::key::{Key, Purity, TokenHasher, Tokenize};
pub use crate::node::Delayed;
use crate::node::Node;
use crate::priority::Priority;
use crate::submission;
use crate::value::{Data, FromValue, Value};
use crate::visualize::Visualization;

impl<T> Delayed<T> {
    /// Starts computing on the current client and returns a delayed value whose result stays in
    /// memory while it (or a clone) lives: computing it, or anything built on it, again runs
    /// nothing for it. Returns at once.
    pub fn persist(&self) -> Result<Delayed<T>, Error> {
        self.persist_on(&Client::current())
    }

    /// [`persist`](Delayed::persist) on `client`: submitted as [`compute`](Client::compute)
    /// submits, then held by the returned value instead of a future.
    pub fn persist_on(&self, client: &Client) -> Result<Delayed<T>, Error> {
        self.persist_with_priority(client, 0)
    }

    /// [`persist_on`](Delayed::persist_on) at a [`Priority`], as
    /// [`Client::compute_with_priority`] computes.
    pub fn persist_with_priority(
        &self,
        client: &Client,
        priority: impl Into<Priority>,
    ) -> Result<Delayed<T>, Error> {
        let future = client.compute_with_priority(self, priority)?;
        Ok(Delayed::from_node(Node::Persisted(future.handle().clone())))
    }

    /// The task graph behind this value (persisted values appear as keys, not tasks).
    pub fn graph(&self) -> Graph {
        let mut graph = Graph::new();
        if let Ok(order) = submission::post_order(&[self.node()]) {
            for &node in order.nodes() {
                if let Node::Task { key, func, args } = node {
                    let args = args
                        .iter()
                        .map(|a| match a {
                            Input::Value(v) => Arg::Value(v.clone()),
                            Input::Delayed(d) => Arg::Key(d.key().clone()),
                            Input::Future(f) => Arg::Key(f.key().clone()),
                        })
                        .collect();
                    graph.insert(TaskSpec::new(key.clone(), func.clone(), args));
                }
            }
        }
        graph
    }

    /// The futures this value holds, as Dask's `futures_of` finds them: its own result's if it
    /// is persisted, and those its graph's tasks take as arguments, each once, in the order
    /// met depth-first. A persisted value's inputs are not looked into: it needs none of them.
    ///
    /// ```
    /// use skein_core::{delayed, Client, Delayed};
    /// let client = Client::new();
    /// let f = client.submit(|x: i64| x + 1, 1);
    /// let d: Delayed<i64> = delayed(|a: i64, b: i64| a + b).call(&f, 2);
    /// assert_eq!(d.futures().len(), 1);
    /// let p = d.persist_on(&client).unwrap();
    /// assert_eq!(p.futures()[0].key(), p.key());
    /// ```
    pub fn futures(&self) -> Vec<Future<Value>> {
        let mut found: Vec<Future<Value>> = Vec::new();
        let mut seen: HashSet<*const Node> = HashSet::new();
        let mut stack: Vec<&Node> = vec![self.node()];
        while let Some(node) = stack.pop() {
            if !seen.insert(node as *const Node) {
                continue;
            }
            match node {
                Node::Persisted(handle) => found.push(Future::from_handle(handle.clone())),
                Node::Task { args, .. } => {
                    for arg in args.iter().rev() {
                        match arg {
                            Input::Delayed(d) => stack.push(d.node()),
                            Input::Future(f) => found.push(f.clone()),
                            Input::Value(_) => {}
                        }
                    }
                }
            }
        }
        let mut keys = HashSet::new();
        found.retain(|f| keys.insert(f.key().clone()));
        found
    }

    /// The graph drawn as Dask draws it: tasks as circles, data as boxes.
    pub fn visualize(&self) -> Visualization {
        Visualization::new(&self.graph(), std::slice::from_ref(self.key()))
    }
}

impl<T: FromValue> Delayed<T> {
    /// Runs the graph on the current client and returns the result.
    pub fn compute(&self) -> Result<T, Error> {
        self.compute_on(&Client::current())
    }

    /// Runs the graph on `client` and returns the result.
    pub fn compute_on(&self, client: &Client) -> Result<T, Error> {
        client.compute(self)?.result()
    }
}

impl<T: Data> Delayed<T> {
    /// A literal value as a one-task graph, named after its type with a fresh key (as Dask's
    /// `delayed(obj)`).
    pub fn value(value: T) -> Delayed<T> {
        let path = std::any::type_name::<T>();
        let base = path.split('<').next().unwrap_or(path);
        let name = base.rsplit("::").next().unwrap_or(base);
        Delayed::literal(Key::impure(name), Value::new(value))
    }

    /// A lazy `f(&value)`: field or index access, as the seed's `p.shape[0]`. Pure, as Dask's
    /// `getitem` (if `f` captures nothing; see `key.rs`).
    pub fn map<U: Data, F>(&self, f: F) -> Delayed<U>
    where
        F: Fn(&T) -> U + Send + Sync + 'static,
    {
        let key = FunctionId::named::<F>("getitem").key(Purity::Pure, |h| self.key().tokenize(h));
        let func: TaskFn =
            Arc::new(
                move |args: &[Value]| match args.first().map(Value::downcast_ref::<T>) {
                    Some(Some(t)) => Ok(Value::new(f(t))),
                    _ => Err(TaskError::new(format!(
                        "getitem expects a `{}`",
                        std::any::type_name::<T>()
                    ))),
                },
            );
        let args = smallvec![Input::Delayed(self.clone().into_dyn())];
        Delayed::from_node(Node::Task { key, func, args })
    }
}

impl<T> Delayed<T> {
    pub(crate) fn literal(key: Key, value: Value) -> Delayed<T> {
        let func: TaskFn = Arc::new(|args: &[Value]| {
            args.first()
                .cloned()
                .ok_or_else(|| TaskError::new("a literal needs its value"))
        });
        let args = smallvec![Input::Value(value)];
        Delayed::from_node(Node::Task { key, func, args })
    }
}

/// Computes several delayed values together on the current client (shared tasks run once).
pub fn compute_all<T: FromValue>(values: &[Delayed<T>]) -> Result<Vec<T>, Error> {
    let client = Client::current();
    let futures = client.compute_many(values)?;
    futures.iter().map(|f| f.result()).collect()
}

// ---- wrapping functions ----------------------------------------------------------------

/// Marker: every call gets a fresh key (the default for `delayed`, as in Dask).
#[derive(Clone, Copy, Debug)]
pub struct Impure;
/// Marker: a call's key is a hash of the function and its arguments, so equal calls share a
/// key (and a result).
#[derive(Clone, Copy, Debug)]
pub struct Pure;

/// The compile-time parts of a [`DelayedFn`]: function type, argument tuple, purity.
type Marker<F, M, P> = PhantomData<fn() -> (F, M, P)>;

/// A function wrapped by [`delayed`]: calling it builds a task instead of running it.
pub struct DelayedFn<F, M, P = Impure> {
    id: FunctionId,
    func: TaskFn,
    _marker: Marker<F, M, P>,
}

impl<F, M, P> Clone for DelayedFn<F, M, P> {
    fn clone(&self) -> Self {
        DelayedFn {
            id: self.id.clone(),
            func: self.func.clone(),
            _marker: PhantomData,
        }
    }
}

impl<F, M, P> fmt::Debug for DelayedFn<F, M, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "delayed({})", self.id.name)
    }
}

/// Wraps `f` so that calls build tasks: `delayed(square).call(3)` is a `Delayed<i64>`.
/// Calls are impure (fresh keys) unless [`pure`](DelayedFn::pure) is asked for.
pub fn delayed<F: Function<M>, M>(f: F) -> DelayedFn<F, M, Impure> {
    DelayedFn {
        id: FunctionId::of::<F>(),
        func: f.into_task_fn(),
        _marker: PhantomData,
    }
}

impl<F: 'static, M, P> DelayedFn<F, M, P> {
    /// Names the tasks `name` (the function group on the dashboard) instead of the function's
    /// own name.
    pub fn named(self, name: &str) -> DelayedFn<F, M, P> {
        DelayedFn {
            id: FunctionId::named::<F>(name),
            func: self.func,
            _marker: PhantomData,
        }
    }

    /// Makes calls pure: equal arguments give equal keys.
    pub fn pure(self) -> DelayedFn<F, M, Pure> {
        DelayedFn {
            id: self.id,
            func: self.func,
            _marker: PhantomData,
        }
    }

    /// The task name.
    pub fn name(&self) -> &str {
        &self.id.name
    }
}

macro_rules! delayed_call {
    ($($A:ident $X:ident $x:ident),+) => {
        impl<F: Function<($($A,)+)>, $($A),+> DelayedFn<F, ($($A,)+), Impure> {
            /// Builds the task `f(args…)` with a fresh key; runs nothing.
            #[allow(clippy::too_many_arguments)]
            pub fn call<$($X: IntoInput<$A>),+>(&self, $($x: $X),+) -> Delayed<F::Output> {
                let key = Key::impure(&self.id.name);
                Delayed::call_untyped(key, self.func.clone(), smallvec![$($x.into_input()),+])
            }
        }

        impl<F: Function<($($A,)+)>, $($A),+> DelayedFn<F, ($($A,)+), Pure> {
            /// Builds the task `f(args…)` with a key hashed from the function and arguments.
            #[allow(clippy::too_many_arguments)]
            pub fn call<$($X: IntoInput<$A> + Tokenize),+>(&self, $($x: $X),+) -> Delayed<F::Output> {
                let key = self.id.key(Purity::Pure, |h| { $($x.tokenize(h);)+ });
                Delayed::call_untyped(key, self.func.clone(), smallvec![$($x.into_input()),+])
            }
        }
    };
}
delayed_call!(A X a);
delayed_call!(A X a, B Y b);
delayed_call!(A X a, B Y b, C Z c);
delayed_call!(A X a, B Y b, C Z c, D W d);

impl<F: Function<M>, M> DelayedFn<F, M, Impure> {
    /// Builds the task from an argument list (a value, or a tuple for several arguments).
    pub fn apply(&self, args: impl Inputs<M>) -> Delayed<F::Output> {
        Delayed::call_untyped(
            Key::impure(&self.id.name),
            self.func.clone(),
            args.into_inputs().into(),
        )
    }
}

// ---- operators and sum -----------------------------------------------------------------

/// The task `lhs op rhs`: pure, as Dask's operators, its token the operator, the operand type
/// and the operands (a `Delayed` by its key).
fn binary<T, L, R>(name: &'static str, op: fn(T, T) -> T, lhs: L, rhs: R) -> Delayed<T>
where
    T: Data,
    L: IntoInput<T> + Tokenize,
    R: IntoInput<T> + Tokenize,
{
    let mut token = TokenHasher::new();
    token.write_str(name);
    token.write_str(std::any::type_name::<T>());
    lhs.tokenize(&mut token);
    rhs.tokenize(&mut token);
    Delayed::call_untyped(
        Key::task(name, Purity::Pure, &token),
        operator_fn(name, op),
        smallvec![lhs.into_input(), rhs.into_input()],
    )
}

/// The task function of operator `name` on `T`, made once per thread and shared by every task
/// using it: a `sum` of N values has N `add` tasks, and a fresh closure each was an allocation
/// per task. An operator's name picks its `op` (one per operator and type).
fn operator_fn<T: Data>(name: &'static str, op: fn(T, T) -> T) -> TaskFn {
    thread_local! {
        static MADE: std::cell::RefCell<Vec<(TypeId, &'static str, TaskFn)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let ty = TypeId::of::<T>();
    MADE.with_borrow_mut(|made| {
        if let Some((_, _, f)) = made.iter().find(|(t, n, _)| *t == ty && *n == name) {
            return f.clone();
        }
        let func: TaskFn = Arc::new(move |args: &[Value]| {
            match (
                args.first().and_then(|v| v.downcast_ref::<T>()),
                args.get(1).and_then(|v| v.downcast_ref::<T>()),
            ) {
                (Some(a), Some(b)) => Ok(Value::new(op(a.clone(), b.clone()))),
                _ => Err(TaskError::new(format!(
                    "operands must be `{}`",
                    std::any::type_name::<T>()
                ))),
            }
        });
        made.push((ty, name, func.clone()));
        func
    })
}

macro_rules! operator {
    ($Trait:ident $method:ident $name:literal) => {
        impl<T: Data + $Trait<Output = T>> $Trait for Delayed<T> {
            type Output = Delayed<T>;
            fn $method(self, rhs: Delayed<T>) -> Delayed<T> {
                binary($name, T::$method, self, rhs)
            }
        }
        impl<T: Data + $Trait<Output = T>> $Trait<&Delayed<T>> for &Delayed<T> {
            type Output = Delayed<T>;
            fn $method(self, rhs: &Delayed<T>) -> Delayed<T> {
                binary($name, T::$method, self, rhs)
            }
        }
        impl<T: Data + Tokenize + $Trait<Output = T>> $Trait<T> for Delayed<T> {
            type Output = Delayed<T>;
            fn $method(self, rhs: T) -> Delayed<T> {
                binary($name, T::$method, self, rhs)
            }
        }
        impl<T: Data + Tokenize + $Trait<Output = T>> $Trait<T> for &Delayed<T> {
            type Output = Delayed<T>;
            fn $method(self, rhs: T) -> Delayed<T> {
                binary($name, T::$method, self, rhs)
            }
        }
        operator!(@lhs $Trait $method $name; i32 i64 u32 u64 usize f32 f64);
    };
    (@lhs $Trait:ident $method:ident $name:literal; $($t:ty)*) => {$(
        impl $Trait<Delayed<$t>> for $t {
            type Output = Delayed<$t>;
            fn $method(self, rhs: Delayed<$t>) -> Delayed<$t> {
                binary($name, <$t as $Trait>::$method, self, rhs)
            }
        }
    )*};
}
operator!(Add add "add");
operator!(Sub sub "sub");
operator!(Mul mul "mul");
operator!(Div div "truediv");

/// The lazy sum of `items`, added left to right like Python's `sum` (an `add` task per item);
/// `T::default()` when empty.
pub fn sum<T, I>(items: I) -> Delayed<T>
where
    T: Data + Add<Output = T> + Default,
    I: IntoIterator<Item = Delayed<T>>,
{
    let mut items = items.into_iter();
    let Some(first) = items.next() else {
        return Delayed::value(T::default());
    };
    items.fold(first, |acc, d| acc + d)
}

impl<T: Data + Add<Output = T> + Default> std::iter::Sum for Delayed<T> {
    fn sum<I: Iterator<Item = Delayed<T>>>(iter: I) -> Delayed<T> {
        sum(iter)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn inc(x: i64) -> i64 {
        x + 1
    }

    fn is_token(key: &Key, name: &str) -> bool {
        key.group() == name
            && key.as_str().len() == name.len() + 33
            && key.as_str()[name.len() + 1..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit())
    }

    #[test]
    fn calls_are_impure_unless_asked_and_operators_are_pure() {
        let d = delayed(inc);
        assert_ne!(
            d.call(1).key(),
            d.call(1).key(),
            "delayed_pure is off, as in Dask"
        );
        let p = delayed(inc).pure();
        assert_eq!(p.call(1).key(), p.call(1).key());
        assert_ne!(p.call(1).key(), p.call(2).key());
        assert!(is_token(p.call(1).key(), "inc"));

        let a = p.call(1);
        assert_eq!((&a + 1).key(), (&a + 1).key());
        assert_ne!((&a + 1).key(), (&a + 2).key());
        assert_ne!((&a + 1).key(), (&a * 1).key());
        assert_ne!((&a + 1).key(), (1 + a.clone()).key(), "operands in order");
        assert!(is_token((&a / 2).key(), "truediv"));
        let b = d.call(1);
        assert_ne!(
            (&a + &b).key(),
            (&a + &d.call(1)).key(),
            "an impure operand"
        );
        assert_eq!(
            sum([a.clone(), a.clone()]).key(),
            sum([a.clone(), a.clone()]).key()
        );
        assert_eq!(a.map(|x| x * 2).key().group(), "getitem");
        let twice = |x: &i64| x * 2;
        assert_eq!(a.map(twice).key(), a.map(twice).key());
        assert_ne!(
            Delayed::value(1_i64).key(),
            Delayed::value(1_i64).key(),
            "delayed(obj) is impure, as in Dask"
        );
    }

    #[test]
    fn a_closure_that_captures_values_never_shares_a_key() {
        let client = Client::with_config(crate::Config {
            threads: Some(1),
            ..crate::Config::default()
        });
        let futures: Vec<_> = (0..3_i64)
            .map(|k| client.submit(move |x: i64| x + k, 10))
            .collect();
        assert_eq!(client.gather(&futures).unwrap(), [10, 11, 12]);
        let a = Delayed::value(vec![1_i64, 2, 3]);
        let items: Vec<_> = (0..3).map(|i| a.map(move |v| v[i])).collect();
        assert_eq!(compute_all(&items).unwrap(), [1, 2, 3]);
    }
}
