//! `delayed`: lazy calls that build a task graph, as in `dask.delayed`.
//!
//! ```rhai
//! fn square(x) { x * x }
//! let sq = delayed(square);          // a function value: calling it builds a graph
//! let d = sq(sq(3));
//! d.visualize();                      // the graph, drawn in the cell's output
//! d.compute()                         // 81
//! sum([sq(1), sq(2)]).compute()       // 5: `sum`, `+ - * /` work on delayed values
//! let p = d.persist();                // computing starts now; the result stays in memory
//! compute([sq(2), 7])                 // [4, 7]: several values at once
//! ```
//!
//! `delayed(f)` calls are impure by default (each call is a new task), as in Dask;
//! `delayed(f, #{ pure: true })` gives equal calls one key.

use std::fmt;
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, FLOAT, FnPtr, INT, Map, NativeCallContext};
use skein_core::{Delayed, Input, Key, TaskError, TaskFn, Value};

use crate::api::options::Options;
use crate::convert;
use crate::errors;
use crate::output::Output;
use crate::session::Session;
use crate::task::{self, ScriptFn};

/// A lazy value: the result of a task graph not run yet (`Delayed` in scripts).
#[derive(Clone)]
pub(crate) struct DelayedValue(Delayed<Value>);

impl DelayedValue {
    pub(crate) fn new(d: Delayed<Value>) -> DelayedValue {
        DelayedValue(d)
    }

    pub(crate) fn inner(&self) -> &Delayed<Value> {
        &self.0
    }

    pub(crate) fn key(&self) -> &Key {
        self.0.key()
    }
}

impl fmt::Display for DelayedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Delayed('{}')", self.0.key())
    }
}

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// Registers `delayed`, the `Delayed` type, its methods and operators, and `compute`/`persist`
/// of arrays.
pub(crate) fn register(engine: &mut Engine, session: &Arc<Session>) {
    engine.register_type_with_name::<DelayedValue>("Delayed");
    engine.register_fn("to_string", |d: &mut DelayedValue| d.to_string());
    engine.register_fn("to_debug", |d: &mut DelayedValue| d.to_string());
    engine.register_get("key", |d: &mut DelayedValue| d.key().to_string());

    let s = session.clone();
    engine.register_fn("delayed", move |f: FnPtr| {
        make_delayed(&s, f, Options::default())
    });
    let s = session.clone();
    engine.register_fn("delayed", move |f: FnPtr, opts: Map| -> RhaiResult<FnPtr> {
        make_delayed(&s, f, Options::parse(&opts)?)
    });

    let s = session.clone();
    engine.register_fn("compute", move |d: &mut DelayedValue| {
        compute(&s, std::slice::from_ref(d)).map(|mut v| v.remove(0))
    });
    let s = session.clone();
    engine.register_fn(
        "persist",
        move |d: &mut DelayedValue| -> RhaiResult<DelayedValue> {
            d.0.persist_on(&s.client)
                .map(DelayedValue)
                .map_err(errors::from_core)
        },
    );
    let s = session.clone();
    engine.register_fn("visualize", move |d: &mut DelayedValue| {
        let v = d.0.visualize();
        s.outbox.emit(Output::Graph {
            dot: v.dot(),
            svg: v.svg(),
        });
    });

    // dask.compute(*values) / dask.persist(*values): delayed items computed together, other
    // items passed through.
    let s = session.clone();
    engine.register_fn("compute", move |items: Array| compute_array(&s, items));
    let s = session.clone();
    engine.register_fn("persist", move |items: Array| -> RhaiResult<Array> {
        items
            .into_iter()
            .map(
                |item| match item.read_lock::<DelayedValue>().map(|d| d.0.clone()) {
                    Some(d) => d
                        .persist_on(&s.client)
                        .map(|p| Dynamic::from(DelayedValue(p)))
                        .map_err(errors::from_core),
                    None => Ok(item),
                },
            )
            .collect()
    });

    register_operators(engine);
}

/// `delayed(f)`: a function value whose calls build tasks.
fn make_delayed(session: &Arc<Session>, f: FnPtr, opts: Options) -> RhaiResult<FnPtr> {
    let session = session.clone();
    let label = if f.is_anonymous() {
        "lambda".to_owned()
    } else {
        f.fn_name().to_owned()
    };
    #[allow(deprecated)] // FnPtr::from_fn is "volatile", not deprecated
    FnPtr::from_fn(
        label,
        move |ctx: NativeCallContext, args: &mut [&mut Dynamic]| {
            let func = ScriptFn::new(&ctx, f.clone());
            let args: Vec<Dynamic> = args.iter_mut().map(|a| std::mem::take(&mut **a)).collect();
            let key = match (&opts.key, opts.pure.unwrap_or(false)) {
                (Some(key), _) => Key::from_text(key),
                (None, true) => func.pure_key(func.key_seed(), &args),
                (None, false) => Key::impure(func.name()),
            };
            let inputs = args.into_iter().map(task::input).collect();
            Ok(Dynamic::from(DelayedValue(Delayed::from_task(
                key,
                func.task_fn(&session),
                inputs,
            ))))
        },
    )
}

/// Computes `values` together and returns their results in order.
pub(crate) fn compute(session: &Session, values: &[DelayedValue]) -> RhaiResult<Vec<Dynamic>> {
    let delayed: Vec<Delayed<Value>> = values.iter().map(|d| d.0.clone()).collect();
    let futures = session
        .client
        .compute_many(&delayed)
        .map_err(errors::from_core)?;
    session.wait(&futures)?;
    futures
        .iter()
        .map(|f| {
            f.result()
                .map_err(errors::from_core)
                .and_then(|v| convert::value_to_dynamic(&v))
        })
        .collect()
}

fn compute_array(session: &Session, items: Array) -> RhaiResult<Array> {
    let delayed: Vec<DelayedValue> = items
        .iter()
        .filter_map(|i| i.clone().try_cast::<DelayedValue>())
        .collect();
    let mut results = compute(session, &delayed)?.into_iter();
    Ok(items
        .into_iter()
        .map(|item| {
            if item.is::<DelayedValue>() {
                results.next().unwrap_or_default()
            } else {
                item
            }
        })
        .collect())
}

/// `sum(values)` when some values are delayed: one `sum` task over all of them.
pub(crate) fn sum(items: Array) -> DelayedValue {
    let key = Key::pure_with("sum", |h| {
        items.iter().for_each(|i| convert::tokenize(i, h))
    });
    let func: TaskFn = Arc::new(|args: &[Value]| {
        let items = args
            .iter()
            .map(convert::to_dynamic)
            .collect::<Result<Array, _>>()?;
        sum_now(items).map(convert::to_value)
    });
    DelayedValue(Delayed::from_task(
        key,
        func,
        items.into_iter().map(task::input).collect(),
    ))
}

/// The sum of numbers: an integer if all are integers, else a float; 0 for none.
pub(crate) fn sum_now(items: Array) -> Result<Dynamic, TaskError> {
    let mut total = Dynamic::from(0 as INT);
    for item in &items {
        total = arithmetic(Op::Add, &total, item)?;
    }
    Ok(total)
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

impl Op {
    /// Dask's task names for the operators.
    fn name(self) -> &'static str {
        match self {
            Op::Add => "add",
            Op::Sub => "sub",
            Op::Mul => "mul",
            Op::Div => "truediv",
        }
    }
}

/// `a op b` on numbers, with Rhai's rules (integer arithmetic stays integer).
fn arithmetic(op: Op, a: &Dynamic, b: &Dynamic) -> Result<Dynamic, TaskError> {
    if let (Ok(x), Ok(y)) = (a.as_int(), b.as_int()) {
        let r = match op {
            Op::Add => x.checked_add(y),
            Op::Sub => x.checked_sub(y),
            Op::Mul => x.checked_mul(y),
            Op::Div if y == 0 => return Err(TaskError::new("division by zero")),
            Op::Div => x.checked_div(y),
        };
        return r
            .map(Dynamic::from)
            .ok_or_else(|| TaskError::new(format!("integer overflow in {}", op.name())));
    }
    let as_float = |v: &Dynamic| {
        v.as_float()
            .ok()
            .or_else(|| v.as_int().ok().map(|i| i as FLOAT))
    };
    match (as_float(a), as_float(b)) {
        (Some(x), Some(y)) => Ok(Dynamic::from(match op {
            Op::Add => x + y,
            Op::Sub => x - y,
            Op::Mul => x * y,
            Op::Div => x / y,
        })),
        _ => Err(TaskError::new(format!(
            "cannot {} a `{}` and a `{}`",
            op.name(),
            a.type_name(),
            b.type_name()
        ))),
    }
}

/// A lazy `a op b`.
fn lazy(op: Op, a: Dynamic, b: Dynamic) -> DelayedValue {
    let key = Key::pure_with(op.name(), |h| {
        convert::tokenize(&a, h);
        convert::tokenize(&b, h);
    });
    let func: TaskFn = Arc::new(move |args: &[Value]| match args {
        [x, y] => arithmetic(op, &convert::to_dynamic(x)?, &convert::to_dynamic(y)?)
            .map(convert::to_value),
        _ => Err(TaskError::new("an operator takes two arguments")),
    });
    let inputs: Vec<Input> = vec![task::input(a), task::input(b)];
    DelayedValue(Delayed::from_task(key, func, inputs))
}

fn register_operators(engine: &mut Engine) {
    macro_rules! operator {
        ($sym:literal, $op:expr) => {
            engine.register_fn($sym, |a: DelayedValue, b: DelayedValue| {
                lazy($op, Dynamic::from(a), Dynamic::from(b))
            });
            engine.register_fn($sym, |a: DelayedValue, b: INT| {
                lazy($op, Dynamic::from(a), Dynamic::from(b))
            });
            engine.register_fn($sym, |a: DelayedValue, b: FLOAT| {
                lazy($op, Dynamic::from(a), Dynamic::from(b))
            });
            engine.register_fn($sym, |a: INT, b: DelayedValue| {
                lazy($op, Dynamic::from(a), Dynamic::from(b))
            });
            engine.register_fn($sym, |a: FLOAT, b: DelayedValue| {
                lazy($op, Dynamic::from(a), Dynamic::from(b))
            });
        };
    }
    operator!("+", Op::Add);
    operator!("-", Op::Sub);
    operator!("*", Op::Mul);
    operator!("/", Op::Div);
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn arithmetic_follows_rhai() {
        let r = arithmetic(Op::Div, &Dynamic::from(7 as INT), &Dynamic::from(2 as INT)).unwrap();
        assert_eq!(r.as_int(), Ok(3));
        let r = arithmetic(
            Op::Mul,
            &Dynamic::from(2 as INT),
            &Dynamic::from(1.5 as FLOAT),
        )
        .unwrap();
        assert_eq!(r.as_float(), Ok(3.0));
        assert!(arithmetic(Op::Div, &Dynamic::from(1 as INT), &Dynamic::from(0 as INT)).is_err());
        assert!(arithmetic(Op::Add, &Dynamic::from("a"), &Dynamic::from(1 as INT)).is_err());
    }
}
