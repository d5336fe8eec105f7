//! `Future<T>`: a handle to a submitted task's result (or failure). While any future (or
//! persisted `Delayed`) refers to a task, its result stays in memory; when the last one is
//! dropped it is released.
//!
//! [`result`](Future::result) blocks (fine on native threads and Web Workers); the browser's main
//! thread uses [`try_result`](Future::try_result) or `.await`, which never block.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::{Error, FailureKind};
use crate::key::{Key, TokenHasher, Tokenize};
use crate::scheduler::{Handle, TaskState};
use crate::value::{FromValue, Value};

/// A future's status, as Dask reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Not finished yet.
    Pending,
    /// The result is in memory.
    Finished,
    /// The task or one of its dependencies failed.
    Error,
    /// The task, or one it depends on, was cancelled.
    Cancelled,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Pending => "pending",
            Status::Finished => "finished",
            Status::Error => "error",
            Status::Cancelled => "cancelled",
        })
    }
}

/// A wait given up because its stop check said so ([`Future::wait_or_stop`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped;

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the wait was stopped")
    }
}

impl std::error::Error for Stopped {}

/// A submitted task's eventual result of type `T` (untyped when `T` is [`Value`]).
pub struct Future<T = Value> {
    handle: Handle,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Future<T> {
    fn clone(&self) -> Self {
        Future {
            handle: self.handle.clone(),
            _type: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Future<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Future: {}, key: {}>", self.status(), self.key())
    }
}

impl<T> Tokenize for Future<T> {
    fn tokenize(&self, h: &mut TokenHasher) {
        self.key().tokenize(h);
    }
}

impl Future<Value> {
    /// Views an untyped future as a `T` (checked when the result is read).
    pub fn downcast<T>(self) -> Future<T> {
        Future {
            handle: self.handle,
            _type: PhantomData,
        }
    }
}

impl<T> Future<T> {
    pub(crate) fn from_handle(handle: Handle) -> Future<T> {
        Future {
            handle,
            _type: PhantomData,
        }
    }

    pub(crate) fn handle(&self) -> &Handle {
        &self.handle
    }

    /// The task's key.
    pub fn key(&self) -> &Key {
        self.handle.key()
    }

    /// Forgets the type.
    pub fn into_dyn(self) -> Future<Value> {
        Future {
            handle: self.handle,
            _type: PhantomData,
        }
    }

    /// Whether both futures refer to the same task (e.g. two equal pure submissions).
    pub fn same_task<U>(&self, other: &Future<U>) -> bool {
        self.handle.same_task(&other.handle)
    }

    /// The task's scheduler state.
    pub fn state(&self) -> TaskState {
        self.handle.state()
    }

    /// The worker (`0..workers`) that ran the task, once it has: where Dask's `who_has` says
    /// a result lives. Every worker reads every result from the one memory.
    ///
    /// ```
    /// let client = skein_core::Client::new();
    /// let f = client.submit(|x: u64| x + 1, 1);
    /// f.result().unwrap();
    /// assert!(f.worker().is_some_and(|w| w < client.workers()));
    /// ```
    pub fn worker(&self) -> Option<usize> {
        self.handle.worker()
    }

    /// `pending`, `finished`, `error` or `cancelled`. Never blocks.
    pub fn status(&self) -> Status {
        if self.handle.is_cancelled() {
            return Status::Cancelled;
        }
        match self.handle.outcome() {
            None => Status::Pending,
            Some(Ok(_)) => Status::Finished,
            Some(Err(Error::Cancelled { .. })) => Status::Cancelled,
            Some(Err(Error::Failed(f))) if f.kind == FailureKind::Cancelled => Status::Cancelled,
            Some(Err(_)) => Status::Error,
        }
    }

    /// Whether the task is finished, failed or cancelled. Never blocks.
    pub fn done(&self) -> bool {
        self.handle.is_done()
    }

    /// Blocks until [`done`](Future::done). On a worker (a task waiting on another), runs the
    /// tasks this one needs meanwhile, so even a single worker cannot deadlock.
    pub fn wait(&self) {
        self.handle.wait(None);
    }

    /// Like [`wait`](Future::wait), but gives up when `stop()` returns true (checked every few
    /// milliseconds while blocked): a notebook's interrupt stops a cell waiting here.
    pub fn wait_or_stop(&self, stop: impl Fn() -> bool) -> Result<(), Stopped> {
        if self.handle.wait(Some(&stop)) {
            Ok(())
        } else {
            Err(Stopped)
        }
    }

    /// Cancels the task: if it has not started it never runs; a running task finishes but its
    /// result is dropped; a result in memory is released. Every future of this key, and of the
    /// tasks depending on it, reports `cancelled`.
    pub fn cancel(&self) {
        self.handle.cancel();
    }

    /// Blocks until done and returns the error, if the task failed.
    pub fn exception(&self) -> Option<Error> {
        self.wait();
        self.handle.outcome().and_then(Result::err)
    }
}

impl<T: FromValue> Future<T> {
    /// Blocks until done and returns the result (a clone of it; the result stays in memory).
    pub fn result(&self) -> Result<T, Error> {
        self.wait();
        match self.try_result() {
            Some(r) => r,
            None => Err(Error::Cancelled {
                key: self.key().clone(),
                cause: self.key().clone(),
            }),
        }
    }

    /// The result if the task is done, `None` if not. Never blocks.
    pub fn try_result(&self) -> Option<Result<T, Error>> {
        let outcome = self.handle.outcome()?;
        Some(outcome.and_then(|v| {
            T::from_value(v).map_err(|v| Error::WrongType {
                key: self.key().clone(),
                expected: std::any::type_name::<T>(),
                found: v.type_name(),
            })
        }))
    }
}

/// Awaiting a future never blocks the thread: the task's completion wakes the waker.
impl<T: FromValue> std::future::Future for Future<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(r) = self.try_result() {
            return Poll::Ready(r);
        }
        if !self.handle.register_nonblocking(cx.waker())
            && let Some(r) = self.try_result()
        {
            return Poll::Ready(r);
        }
        Poll::Pending
    }
}
