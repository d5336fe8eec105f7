//! `Client()`, futures and `as_completed`, as in `dask.distributed`.
//!
//! ```rhai
//! let client = Client();
//! let f = client.submit(multi_sample, 100_000);                    // pure: equal calls, one task
//! let g = client.submit(multi_sample, 100_000, #{ pure: false });  // a fresh task
//! let more = client.map(multi_sample, [100_000, 110_000], #{ pure: false });
//! client.gather(more)                                              // [.., ..]
//! f.status; f.key; f.done(); f.result();
//! let it = as_completed([f]);
//! for fut in it { if fut.result() > 0 && it.count < 3 { it.add(client.submit(multi_sample, 10, #{ pure: false })); } }
//! ```
//!
//! A trailing object map of option names (`pure`, `key`) is read as options; futures among
//! the arguments are waited for on the workers.

use std::any::TypeId;
use std::fmt;
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, FnPtr, INT, NativeCallContext};
use skein_core::{AsCompleted, Client, Future, Key, Status, Value, as_completed};

use crate::api::options::Options;
use crate::convert;
use crate::errors;
use crate::session::Session;
use crate::task::{self, MAX_ARGS, ScriptFn};

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// The engine's client, as scripts see it (`Client`).
#[derive(Clone)]
pub(crate) struct ClientHandle(Client);

impl fmt::Display for ClientHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Client: {} workers>", self.0.workers())
    }
}

/// A submitted task's result, now or later (`Future`).
#[derive(Clone)]
pub(crate) struct FutureValue(Future<Value>);

impl FutureValue {
    pub(crate) fn inner(&self) -> &Future<Value> {
        &self.0
    }

    pub(crate) fn key(&self) -> &Key {
        self.0.key()
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Pending => "pending",
        Status::Finished => "finished",
        Status::Error => "error",
        Status::Cancelled => "cancelled",
    }
}

impl fmt::Display for FutureValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<Future: {}, key: {}>",
            status_name(self.0.status()),
            self.0.key()
        )
    }
}

/// Futures in the order they finish, growing with `add` (`as_completed`).
#[derive(Clone)]
pub(crate) struct AsCompletedHandle {
    it: AsCompleted<Value>,
    session: Arc<Session>,
}

impl fmt::Display for AsCompletedHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<as_completed: {} left>", AsCompleted::count(&self.it))
    }
}

impl IntoIterator for AsCompletedHandle {
    type Item = RhaiResult<FutureValue>;
    type IntoIter = Box<dyn Iterator<Item = RhaiResult<FutureValue>> + Send + Sync>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(std::iter::from_fn(move || {
            self.session
                .next_completed(&self.it)
                .map(|f| f.map(FutureValue))
                .transpose()
        }))
    }
}

/// Registers `Client()`, its methods, `Future` and `as_completed`.
pub(crate) fn register(engine: &mut Engine, session: &Arc<Session>) {
    engine.register_type_with_name::<ClientHandle>("Client");
    engine.register_type_with_name::<FutureValue>("Future");
    engine.register_type_with_name::<AsCompletedHandle>("as_completed");
    engine.register_fn("to_string", |c: &mut ClientHandle| c.to_string());
    engine.register_fn("to_string", |f: &mut FutureValue| f.to_string());
    engine.register_fn("to_string", |a: &mut AsCompletedHandle| a.to_string());

    let s = session.clone();
    engine.register_fn("Client", move || ClientHandle(s.client.clone()));
    engine.register_get("workers", |c: &mut ClientHandle| c.0.workers() as INT);
    // The index of the worker thread running this code (-1 off the workers).
    engine.register_fn("worker", || {
        rayon::current_thread_index().map_or(-1, |i| i as INT)
    });
    engine.register_fn("add_workers", |c: &mut ClientHandle, n: INT| {
        c.0.add_workers(usize::try_from(n).unwrap_or(0)) as INT
    });

    // submit(f, a, b, …, #{ options }): one registration per argument count.
    for n in 0..=MAX_ARGS + 1 {
        let mut types = vec![TypeId::of::<ClientHandle>(), TypeId::of::<FnPtr>()];
        types.extend(std::iter::repeat_n(TypeId::of::<Dynamic>(), n));
        let s = session.clone();
        engine.register_raw_fn(
            "submit",
            types,
            move |ctx: NativeCallContext, args: &mut [&mut Dynamic]| {
                let f = args[1].clone().cast::<FnPtr>();
                let mut rest: Vec<Dynamic> = args[2..]
                    .iter_mut()
                    .map(|a| std::mem::take(&mut **a))
                    .collect();
                let options = Options::split(&mut rest)?;
                Ok(submit(&s, ScriptFn::new(&ctx, f), rest, &options, None))
            },
        );
    }

    for with_options in [false, true] {
        let mut types = vec![
            TypeId::of::<ClientHandle>(),
            TypeId::of::<FnPtr>(),
            TypeId::of::<Array>(),
        ];
        if with_options {
            types.push(TypeId::of::<rhai::Map>());
        }
        let s = session.clone();
        engine.register_raw_fn(
            "map",
            types,
            move |ctx: NativeCallContext, args: &mut [&mut Dynamic]| {
                let f = ScriptFn::new(&ctx, args[1].clone().cast::<FnPtr>());
                let items = std::mem::take(&mut *args[2]).cast::<Array>();
                let options = match args.get(3) {
                    Some(map) => Options::parse(&(**map).clone().cast::<rhai::Map>())?,
                    None => Options::default(),
                };
                let seed = f.key_seed();
                Ok(items
                    .into_iter()
                    .map(|item| submit(&s, f.clone(), vec![item], &options, Some(seed)))
                    .collect::<Array>())
            },
        );
    }

    let s = session.clone();
    engine.register_fn("gather", move |_: &mut ClientHandle, items: Array| {
        gather(&s, items)
    });
    let s = session.clone();
    engine.register_fn("gather", move |_: &mut ClientHandle, f: FutureValue| {
        result(&s, &f)
    });
    engine.register_fn("cancel", |_: &mut ClientHandle, f: FutureValue| {
        f.0.cancel()
    });
    engine.register_fn("cancel", |_: &mut ClientHandle, items: Array| {
        items
            .iter()
            .filter_map(|i| i.read_lock::<FutureValue>())
            .for_each(|f| f.0.cancel());
    });

    let s = session.clone();
    engine.register_fn("result", move |f: &mut FutureValue| result(&s, f));
    engine.register_fn("done", |f: &mut FutureValue| f.0.done());
    engine.register_fn("cancel", |f: &mut FutureValue| f.0.cancel());
    engine.register_get("status", |f: &mut FutureValue| {
        status_name(f.0.status()).to_owned()
    });
    engine.register_get("key", |f: &mut FutureValue| f.0.key().to_string());

    let s = session.clone();
    engine.register_fn(
        "as_completed",
        move |items: Array| -> RhaiResult<AsCompletedHandle> {
            let futures = items
                .into_iter()
                .map(|i| future_of(&i))
                .collect::<RhaiResult<Vec<_>>>()?;
            Ok(AsCompletedHandle {
                it: as_completed(futures),
                session: s.clone(),
            })
        },
    );
    engine.register_fn("add", |a: &mut AsCompletedHandle, f: FutureValue| {
        a.it.add(f.0)
    });
    engine.register_get("count", |a: &mut AsCompletedHandle| {
        AsCompleted::count(&a.it) as INT
    });
    engine.register_iterator_result::<AsCompletedHandle, FutureValue>();
}

/// `client.submit(f, args…)`: pure unless `#{ pure: false }`.
fn submit(
    session: &Arc<Session>,
    f: ScriptFn,
    args: Vec<Dynamic>,
    options: &Options,
    seed: Option<u128>,
) -> Dynamic {
    let key = match (&options.key, options.pure.unwrap_or(true)) {
        (Some(key), _) => Key::from_text(key),
        (None, true) => f.pure_key(seed.unwrap_or_else(|| f.key_seed()), &args),
        (None, false) => Key::impure(f.name()),
    };
    let inputs = args.into_iter().map(task::input).collect();
    let func = f.task_fn(session);
    Dynamic::from(FutureValue(session.client.submit_task(key, func, inputs)))
}

fn future_of(item: &Dynamic) -> RhaiResult<Future<Value>> {
    item.read_lock::<FutureValue>()
        .map(|f| f.0.clone())
        .ok_or_else(|| errors::runtime(format!("expected a Future, got a `{}`", item.type_name())))
}

/// Waits for `f` (interruptibly) and returns its result.
fn result(session: &Session, f: &FutureValue) -> RhaiResult<Dynamic> {
    session.wait(std::slice::from_ref(&f.0))?;
    let value = f.0.result().map_err(errors::from_core)?;
    convert::value_to_dynamic(&value)
}

/// `client.gather(items)`: futures replaced by their results, other items kept.
fn gather(session: &Session, items: Array) -> RhaiResult<Array> {
    let futures: Vec<Future<Value>> = items
        .iter()
        .filter_map(|i| i.read_lock::<FutureValue>().map(|f| f.0.clone()))
        .collect();
    session.wait(&futures)?;
    items
        .into_iter()
        .map(
            |item| match item.read_lock::<FutureValue>().map(|f| f.clone()) {
                Some(f) => result(session, &f),
                None => Ok(item),
            },
        )
        .collect()
}
