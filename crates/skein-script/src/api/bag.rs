//! Bags: many small items in few partitions, so a million calls make a hundred tasks
//! (`dask.bag`).
//!
//! ```rhai
//! let b = bag_from_sequence(range(0, 1000).to_array(), 100);   // 100 partitions of 10
//! let results = b.map(|x| x * 2).filter(|x| x % 3 == 0).compute();
//! b.map(|x| x * 2).sum().compute()
//! ```

use std::fmt;
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, FnPtr, INT, NativeCallContext};
use skein_core::{Delayed, Input, Key, TaskError, TaskFn, Value};

use crate::api::delayed::{self, DelayedValue};
use crate::convert;
use crate::errors;
use crate::interrupt;
use crate::session::Session;
use crate::task::ScriptFn;

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// A partitioned collection: each partition is a lazy array (`Bag`).
#[derive(Clone)]
pub(crate) struct BagValue {
    partitions: Vec<Delayed<Value>>,
    /// The last operation, for display (`from_sequence`, `map`, `filter`).
    op: &'static str,
}

impl fmt::Display for BagValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "dask.bag<{}, npartitions={}>",
            self.op,
            self.partitions.len()
        )
    }
}

/// Registers `bag_from_sequence` and the `Bag` methods.
pub(crate) fn register(engine: &mut Engine, session: &Arc<Session>) {
    engine.register_type_with_name::<BagValue>("Bag");
    engine.register_fn("to_string", |b: &mut BagValue| b.to_string());
    engine.register_fn("bag_from_sequence", from_sequence);
    engine.register_get("npartitions", |b: &mut BagValue| b.partitions.len() as INT);

    let s = session.clone();
    engine.register_fn(
        "map",
        move |ctx: NativeCallContext, b: &mut BagValue, f: FnPtr| {
            per_item(&s, b, ScriptFn::new(&ctx, f), "map")
        },
    );
    let s = session.clone();
    engine.register_fn(
        "filter",
        move |ctx: NativeCallContext, b: &mut BagValue, f: FnPtr| {
            per_item(&s, b, ScriptFn::new(&ctx, f), "filter")
        },
    );
    engine.register_fn("sum", |b: &mut BagValue| {
        let sums = b
            .partitions
            .iter()
            .map(|p| Dynamic::from(partition_sum(p)))
            .collect();
        delayed::sum(sums)
    });
    engine.register_fn("count", |b: &mut BagValue| {
        let counts = b
            .partitions
            .iter()
            .map(|p| Dynamic::from(partition_count(p)))
            .collect();
        delayed::sum(counts)
    });
    let s = session.clone();
    engine.register_fn("compute", move |b: &mut BagValue| -> RhaiResult<Array> {
        let parts: Vec<DelayedValue> = b
            .partitions
            .iter()
            .cloned()
            .map(DelayedValue::new)
            .collect();
        let mut items = Array::new();
        for part in delayed::compute(&s, &parts)? {
            items.extend(part.try_cast::<Array>().unwrap_or_default());
        }
        Ok(items)
    });
}

/// `bag_from_sequence(items, npartitions)`: items split into that many partitions (fewer if
/// there are fewer items), in order.
fn from_sequence(items: Array, npartitions: INT) -> RhaiResult<BagValue> {
    let n = usize::try_from(npartitions)
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| {
            errors::runtime(format!("npartitions must be positive, not {npartitions}"))
        })?;
    let size = items.len().div_ceil(n).max(1);
    let partitions = items
        .chunks(size)
        .enumerate()
        .map(|(i, chunk)| {
            let chunk: Array = chunk.to_vec();
            let key = Key::pure_with("from_sequence", |h| {
                h.write_str(&i.to_string());
                convert::tokenize(&Dynamic::from(chunk.clone()), h);
            });
            let identity: TaskFn = Arc::new(|args: &[Value]| Ok(args[0].clone()));
            Delayed::from_task(
                key,
                identity,
                vec![Input::Value(convert::to_value(Dynamic::from(chunk)))],
            )
        })
        .collect();
    Ok(BagValue {
        partitions,
        op: "from_sequence",
    })
}

/// A new bag with `f` applied per item of each partition: `map` keeps results, `filter` keeps
/// items whose result is `true`. One task per partition, named after `f`.
fn per_item(session: &Arc<Session>, bag: &BagValue, f: ScriptFn, op: &'static str) -> BagValue {
    let name = format!("{op}-{}", f.name());
    let generation = interrupt::running_generation();
    let partitions = bag
        .partitions
        .iter()
        .map(|p| {
            let s = session.clone();
            let f = f.clone();
            let func: TaskFn = Arc::new(move |args: &[Value]| {
                let items = convert::to_dynamic(&args[0])?
                    .try_cast::<Array>()
                    .unwrap_or_default();
                let engine = s
                    .engine()
                    .ok_or_else(|| TaskError::new("the kernel was restarted"))?;
                let run = |item: &Dynamic| {
                    interrupt::run_as(generation, || {
                        if s.interrupt.is_cancelled(generation) {
                            return Err(interrupt::interrupted());
                        }
                        f.call(&engine, vec![item.clone()])
                    })
                    .map_err(|e| TaskError::new(errors::task_message(&e)))
                };
                let mut out = Array::with_capacity(items.len());
                for item in items {
                    let r = run(&item)?;
                    match op {
                        "filter" if r.as_bool().unwrap_or(false) => out.push(item),
                        "filter" => {}
                        _ => out.push(r),
                    }
                }
                Ok(convert::to_value(Dynamic::from(out)))
            });
            Delayed::from_task(Key::impure(&name), func, vec![Input::Delayed(p.clone())])
        })
        .collect();
    BagValue { partitions, op }
}

/// A partition's sum, lazily.
fn partition_sum(p: &Delayed<Value>) -> DelayedValue {
    fold(p, "sum-part", delayed::sum_now)
}

/// A partition's length, lazily.
fn partition_count(p: &Delayed<Value>) -> DelayedValue {
    fold(p, "count-part", |items| {
        Ok(Dynamic::from(items.len() as INT))
    })
}

fn fold(
    p: &Delayed<Value>,
    name: &str,
    f: impl Fn(Array) -> Result<Dynamic, TaskError> + Send + Sync + 'static,
) -> DelayedValue {
    let func: TaskFn = Arc::new(move |args: &[Value]| {
        let items = convert::to_dynamic(&args[0])?
            .try_cast::<Array>()
            .unwrap_or_default();
        f(items).map(convert::to_value)
    });
    let key = Key::pure_with(name, |h| h.write_str(p.key().as_str()));
    DelayedValue::new(Delayed::from_task(
        key,
        func,
        vec![Input::Delayed(p.clone())],
    ))
}
