//! `Bag<T>`: many small items in a few partitions, so a million items cost a handful of tasks
//! (the seed's advice: make each task do more work). A partition is a `Delayed<Vec<T>>`.
//!
//! Keys follow Dask's (see `key.rs`): a partition of [`from_sequence`](Bag::from_sequence) is
//! tokenized from its data, and each step's tasks from the step, its function and the
//! partition it reads, so building the same bag twice gives the same tasks.
//!
//! ```
//! use skein_core::Bag;
//! let b = Bag::from_sequence(1..=1000_i64, 4);
//! let evens = b.filter(|x| x % 2 == 0).map(|x| x * 10);
//! assert_eq!(evens.npartitions(), 4);
//! assert_eq!(evens.sum().compute().unwrap(), 10 * 250_500);
//! assert_eq!(evens.count().compute().unwrap(), 500);
//! ```

use std::ops::Add;
use std::sync::Arc;

use crate::client::Client;
use crate::delayed::Delayed;
use crate::error::{Error, TaskError};
use crate::function::FunctionId;
use crate::graph::TaskFn;
use crate::input::Input;
use crate::key::{Key, Purity, TokenHasher, Tokenize};
use crate::value::{Data, Value};

/// A lazily computed collection split into partitions.
pub struct Bag<T> {
    partitions: Vec<Delayed<Vec<T>>>,
}

impl<T> Clone for Bag<T> {
    fn clone(&self) -> Self {
        Bag {
            partitions: self.partitions.clone(),
        }
    }
}

impl<T> std::fmt::Debug for Bag<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bag<npartitions={}>", self.partitions.len())
    }
}

fn partition<'a, T: 'static>(args: &'a [Value], what: &str) -> Result<&'a Vec<T>, TaskError> {
    args.first()
        .and_then(Value::downcast_ref::<Vec<T>>)
        .ok_or_else(|| {
            TaskError::new(format!(
                "{what} expects a partition of `{}`",
                std::any::type_name::<T>()
            ))
        })
}

impl<T: Data> Bag<T> {
    /// Splits `items` into `npartitions` partitions of nearly equal size (fewer if there are
    /// fewer items).
    pub fn from_sequence(items: impl IntoIterator<Item = T>, npartitions: usize) -> Bag<T>
    where
        T: Tokenize,
    {
        let items: Vec<T> = items.into_iter().collect();
        let n = npartitions.clamp(1, items.len().max(1));
        let size = items.len().div_ceil(n).max(1);
        let mut partitions = Vec::with_capacity(n);
        let mut rest = items.into_iter();
        loop {
            let chunk: Vec<T> = rest.by_ref().take(size).collect();
            if chunk.is_empty() && !partitions.is_empty() {
                break;
            }
            let mut token = TokenHasher::new();
            token.write_str("from_sequence");
            chunk.tokenize(&mut token);
            let key = Key::task("from_sequence", Purity::Pure, &token);
            partitions.push(Delayed::literal(key, Value::new(chunk)));
        }
        Bag { partitions }
    }

    /// A bag over partitions computed elsewhere.
    pub fn from_delayed(partitions: Vec<Delayed<Vec<T>>>) -> Bag<T> {
        Bag { partitions }
    }

    /// The number of partitions (tasks per step).
    pub fn npartitions(&self) -> usize {
        self.partitions.len()
    }

    /// The partitions.
    pub fn partitions(&self) -> &[Delayed<Vec<T>>] {
        &self.partitions
    }

    /// A task per partition running `func`, keyed by `id`, what `feed` writes and the
    /// partition's key.
    fn per_partition<U>(
        &self,
        id: &FunctionId,
        func: TaskFn,
        feed: impl Fn(&mut TokenHasher),
    ) -> Vec<Delayed<U>> {
        self.partitions
            .iter()
            .map(|p| {
                let key = id.key(Purity::Pure, |h| {
                    feed(h);
                    p.key().tokenize(h);
                });
                let args = vec![Input::Delayed(p.clone().into_dyn())];
                Delayed::<Value>::from_task(key, func.clone(), args).downcast()
            })
            .collect()
    }

    /// `f` applied to every item.
    pub fn map<U: Data, F>(&self, f: F) -> Bag<U>
    where
        F: Fn(&T) -> U + Send + Sync + 'static,
    {
        let func: TaskFn = Arc::new(move |args: &[Value]| {
            let items = partition::<T>(args, "map")?;
            Ok(Value::new(items.iter().map(&f).collect::<Vec<U>>()))
        });
        Bag {
            partitions: self.per_partition(&FunctionId::named::<F>("map"), func, |_| ()),
        }
    }

    /// The items for which `keep` is true.
    pub fn filter<F>(&self, keep: F) -> Bag<T>
    where
        F: Fn(&T) -> bool + Send + Sync + 'static,
    {
        let func: TaskFn = Arc::new(move |args: &[Value]| {
            let items = partition::<T>(args, "filter")?;
            Ok(Value::new(
                items
                    .iter()
                    .filter(|x| keep(x))
                    .cloned()
                    .collect::<Vec<T>>(),
            ))
        });
        Bag {
            partitions: self.per_partition(&FunctionId::named::<F>("filter"), func, |_| ()),
        }
    }

    /// Folds each partition from `init` with `fold`, then combines the partial results with
    /// `combine` in one final task.
    pub fn fold<A, F, C>(&self, init: A, fold: F, combine: C) -> Delayed<A>
    where
        A: Data + Tokenize,
        F: Fn(A, &T) -> A + Send + Sync + 'static,
        C: Fn(A, A) -> A + Send + Sync + 'static,
    {
        let start = init.clone();
        let fold_id = FunctionId::named::<F>("fold");
        let aggregate_id = FunctionId::named::<C>("fold-aggregate");
        let func: TaskFn = Arc::new(move |args: &[Value]| {
            let items = partition::<T>(args, "fold")?;
            Ok(Value::new(items.iter().fold(start.clone(), &fold)))
        });
        let partials: Vec<Delayed<A>> = self.per_partition(&fold_id, func, |h| init.tokenize(h));
        let key = aggregate_id.key(Purity::Pure, |h| {
            init.tokenize(h);
            partials.tokenize(h);
        });
        let aggregate: TaskFn = Arc::new(move |args: &[Value]| {
            let mut acc = init.clone();
            for v in args {
                let part = v
                    .downcast_ref::<A>()
                    .ok_or_else(|| TaskError::new("fold-aggregate got a wrong partial"))?;
                acc = combine(acc, part.clone());
            }
            Ok(Value::new(acc))
        });
        let args = partials
            .into_iter()
            .map(|d| Input::Delayed(d.into_dyn()))
            .collect();
        Delayed::<Value>::from_task(key, aggregate, args).downcast()
    }

    /// The sum of the items.
    pub fn sum(&self) -> Delayed<T>
    where
        T: Add<Output = T> + Default + Tokenize,
    {
        self.fold(T::default(), |acc, x| acc + x.clone(), |a, b| a + b)
    }

    /// The number of items.
    pub fn count(&self) -> Delayed<usize> {
        self.fold(0_usize, |n, _| n + 1, |a, b| a + b)
    }

    /// Computes every partition on the current client and concatenates them.
    pub fn compute(&self) -> Result<Vec<T>, Error> {
        self.compute_on(&Client::current())
    }

    /// [`compute`](Bag::compute) on `client`.
    pub fn compute_on(&self, client: &Client) -> Result<Vec<T>, Error> {
        let futures = client.compute_many(&self.partitions)?;
        let mut out = Vec::new();
        for f in futures {
            out.extend(f.result()?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn keys<T: Data>(bag: &Bag<T>) -> Vec<Key> {
        bag.partitions().iter().map(|p| p.key().clone()).collect()
    }

    #[test]
    fn partitions_are_tokenized_from_their_data() {
        let a = Bag::from_sequence(0..10_i64, 3);
        assert_eq!(keys(&a), keys(&Bag::from_sequence(0..10_i64, 3)));
        assert_ne!(keys(&a), keys(&Bag::from_sequence(1..11_i64, 3)));
        assert!(keys(&a).iter().all(|k| k.group() == "from_sequence"));
        assert_eq!(
            keys(&a)
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len(),
            3
        );
    }

    #[test]
    fn steps_are_pure_by_their_function_and_input() {
        let a = Bag::from_sequence(0..10_i64, 2);
        let double = |x: &i64| x * 2;
        assert_eq!(keys(&a.map(double)), keys(&a.map(double)));
        assert_ne!(keys(&a.map(double)), keys(&a.map(|x: &i64| x * 2)));
        assert!(keys(&a.map(double)).iter().all(|k| k.group() == "map"));
        let even = |x: &i64| x % 2 == 0;
        assert_eq!(keys(&a.filter(even)), keys(&a.filter(even)));
        assert_eq!(a.sum().key(), a.sum().key());
        assert_eq!(a.sum().key().group(), "fold-aggregate");
        assert_ne!(a.sum().key(), a.count().key());
        // What a closure captures is not in its type: such steps get fresh keys.
        let k = 3;
        let shifted = move |x: &i64| x + k;
        assert_ne!(keys(&a.map(shifted)), keys(&a.map(shifted)));
        assert_eq!(a.map(shifted).sum().compute().unwrap(), 45 + 30);
    }
}
