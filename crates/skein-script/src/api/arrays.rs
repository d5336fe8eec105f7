//! Array helpers the labs need beyond Rhai's own (`len`, `map`, `filter`, `reduce`, `sort`…):
//! `sum`, `mean`, `min`, `max` of arrays, `map`/`filter`/`to_array` on ranges, and random
//! numbers (Python's `random.random`, `random.uniform`, `random.randint`).
//!
//! ```rhai
//! let xs = range(0, 10).map(|i| i * i);   // [0, 1, 4, …, 81]
//! sum(xs); mean(xs); min(xs); max(xs);
//! sum([delayed(f)(1), delayed(f)(2)])     // delayed items give a delayed sum
//! random(); random(2.0, 3.0); random_int(1, 6);
//! ```

use std::cell::Cell;
use std::ops::{Range, RangeInclusive};

use rhai::{Array, Dynamic, Engine, EvalAltResult, FLOAT, FnPtr, INT, NativeCallContext};
use skein_labs::rng;

use crate::api::delayed::{self, DelayedValue};
use crate::errors;

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// Registers the helpers.
pub(crate) fn register(engine: &mut Engine) {
    engine.register_fn("sum", |items: Array| -> RhaiResult<Dynamic> {
        if items.iter().any(|i| i.is::<DelayedValue>()) {
            Ok(Dynamic::from(delayed::sum(items)))
        } else {
            delayed::sum_now(items).map_err(|e| errors::runtime(e.message()))
        }
    });
    engine.register_fn("mean", |items: Array| -> RhaiResult<FLOAT> {
        let xs = numbers(&items, "mean")?;
        Ok(xs.iter().sum::<FLOAT>() / xs.len() as FLOAT)
    });
    engine.register_fn("min", |items: Array| extreme(items, "min", |a, b| a < b));
    engine.register_fn("max", |items: Array| extreme(items, "max", |a, b| a > b));

    engine.register_fn("to_array", |r: Range<INT>| {
        r.map(Dynamic::from).collect::<Array>()
    });
    engine.register_fn("to_array", |r: RangeInclusive<INT>| {
        r.map(Dynamic::from).collect::<Array>()
    });
    engine.register_fn("map", |ctx: NativeCallContext, r: Range<INT>, f: FnPtr| {
        map(&ctx, r, &f)
    });
    engine.register_fn(
        "map",
        |ctx: NativeCallContext, r: RangeInclusive<INT>, f: FnPtr| map(&ctx, r, &f),
    );
    engine.register_fn(
        "filter",
        |ctx: NativeCallContext, r: Range<INT>, f: FnPtr| filter(&ctx, r, &f),
    );
    engine.register_fn(
        "filter",
        |ctx: NativeCallContext, r: RangeInclusive<INT>, f: FnPtr| filter(&ctx, r, &f),
    );

    engine.register_fn("random", random);
    engine.register_fn("random", |lo: FLOAT, hi: FLOAT| lo + (hi - lo) * random());
    engine.register_fn("random_int", |lo: INT, hi: INT| -> RhaiResult<INT> {
        if hi < lo {
            return Err(errors::runtime(format!(
                "random_int({lo}, {hi}): the range is empty"
            )));
        }
        let span = (hi - lo) as u64 + 1;
        Ok(lo + (next_u64() % span) as INT)
    });
}

/// The items as floats; fails on an empty array or a non-number, naming `what`.
fn numbers(items: &Array, what: &str) -> RhaiResult<Vec<FLOAT>> {
    if items.is_empty() {
        return Err(errors::runtime(format!("{what} of an empty array")));
    }
    items
        .iter()
        .map(|v| {
            v.as_float()
                .or_else(|_| v.as_int().map(|i| i as FLOAT))
                .map_err(|t| errors::runtime(format!("{what} needs numbers, found a `{t}`")))
        })
        .collect()
}

/// The item that beats every other by `better` (the item itself, so integers stay integers).
fn extreme(items: Array, what: &str, better: fn(FLOAT, FLOAT) -> bool) -> RhaiResult<Dynamic> {
    let xs = numbers(&items, what)?;
    let mut best = 0;
    for (i, &x) in xs.iter().enumerate() {
        if better(x, xs[best]) {
            best = i;
        }
    }
    Ok(items[best].clone())
}

fn map(ctx: &NativeCallContext, r: impl Iterator<Item = INT>, f: &FnPtr) -> RhaiResult<Array> {
    r.map(|i| f.call_raw(ctx, None, [Dynamic::from(i)]))
        .collect()
}

fn filter(ctx: &NativeCallContext, r: impl Iterator<Item = INT>, f: &FnPtr) -> RhaiResult<Array> {
    let mut out = Array::new();
    for i in r {
        if f.call_raw(ctx, None, [Dynamic::from(i)])?
            .as_bool()
            .unwrap_or(false)
        {
            out.push(Dynamic::from(i));
        }
    }
    Ok(out)
}

thread_local! {
    /// Per-thread generator state, seeded from fresh entropy (as `random.random` is unseeded).
    static STATE: Cell<u64> = Cell::new(rng::fresh_seed());
}

/// The next pseudo-random number (SplitMix64 over the per-thread state).
fn next_u64() -> u64 {
    STATE.with(|s| {
        let next = s.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        s.set(next);
        rng::splitmix64_mix(next)
    })
}

/// A uniform float in [0, 1).
fn random() -> FLOAT {
    (next_u64() >> 11) as FLOAT * (1.0 / (1_u64 << 53) as FLOAT)
}
