//! `as_completed`: futures in the order they finish, with more added while iterating (the
//! seed's "sample until convergence" loop).
//!
//! ```
//! use skein_core::{as_completed, Client};
//! let client = Client::new();
//! let it = as_completed(vec![client.submit_impure(|n: u64| n * 2, 1_u64)]);
//! let mut rounds = 0;
//! for future in it.clone() {
//!     let doubled = future.result().unwrap();
//!     rounds += 1;
//!     if rounds < 3 {
//!         it.add(client.submit_impure(|n: u64| n * 2, doubled));
//!     }
//! }
//! assert_eq!(rounds, 3);
//! ```

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Wake, Waker};
use std::thread::Thread;

use crossbeam_queue::SegQueue;

use crate::error::Error;
use crate::future::{Future, Stopped};
use crate::scheduler::{Handle, STOP_POLL, park};
use crate::value::{FromValue, Value};

struct Shared<T> {
    done: SegQueue<Future<T>>,
    /// Futures added and not yet in `done`.
    pending: AtomicUsize,
    /// The thread blocked in `next`, if any.
    waiter: Mutex<Option<Thread>>,
    /// The tasks of the futures not yet in `done`, oldest first: a waiter that must not park
    /// (inside a task, or the page's only thread) runs what the oldest needs instead.
    unfinished: Mutex<VecDeque<Handle>>,
}

/// What the task's completion wakes: moves the future to the done queue.
struct Arrival<T> {
    shared: Arc<Shared<T>>,
    future: Mutex<Option<Future<T>>>,
}

impl<T> Wake for Arrival<T> {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        let future = self.future.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(future) = future {
            self.shared.arrive(future);
        }
    }
}

impl<T> Shared<T> {
    fn arrive(&self, future: Future<T>) {
        let mut unfinished = self.unfinished.lock().unwrap_or_else(|e| e.into_inner());
        // Futures mostly finish in the order they were added: the search ends near the front.
        if let Some(at) = unfinished.iter().position(|h| h.same_task(future.handle())) {
            unfinished.remove(at);
        }
        drop(unfinished);
        self.done.push(future);
        self.pending.fetch_sub(1, Ordering::SeqCst);
        if let Some(t) = &*self.waiter.lock().unwrap_or_else(|e| e.into_inner()) {
            t.unpark();
        }
    }
}

/// An iterator over futures as they finish. Clones share the same set, so one can
/// [`add`](AsCompleted::add) while iterating another.
pub struct AsCompleted<T = Value> {
    shared: Arc<Shared<T>>,
}

impl<T> Clone for AsCompleted<T> {
    fn clone(&self) -> Self {
        AsCompleted {
            shared: self.shared.clone(),
        }
    }
}

/// Futures in completion order.
pub fn as_completed<T: 'static>(futures: impl IntoIterator<Item = Future<T>>) -> AsCompleted<T> {
    let it = AsCompleted {
        shared: Arc::new(Shared {
            done: SegQueue::new(),
            pending: AtomicUsize::new(0),
            waiter: Mutex::new(None),
            unfinished: Mutex::new(VecDeque::new()),
        }),
    };
    for f in futures {
        it.add(f);
    }
    it
}

impl<T: 'static> AsCompleted<T> {
    /// Adds a future; it is yielded once it finishes (at once if it already has).
    pub fn add(&self, future: Future<T>) {
        self.shared.pending.fetch_add(1, Ordering::SeqCst);
        let handle = future.handle().clone();
        self.shared
            .unfinished
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back(handle.clone());
        let arrival = Arc::new(Arrival {
            shared: self.shared.clone(),
            future: Mutex::new(Some(future)),
        });
        let waker = Waker::from(arrival.clone());
        if !handle.register(&waker) {
            arrival.wake_by_ref();
        }
    }

    /// A finished future if one is waiting. Never blocks.
    pub fn try_next(&self) -> Option<Future<T>> {
        self.shared.done.pop()
    }

    /// How many futures are added and not yet yielded.
    pub fn count(&self) -> usize {
        self.shared.pending.load(Ordering::SeqCst) + self.shared.done.len()
    }

    /// Whether every added future has been yielded.
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    /// Yields each future with its result.
    pub fn with_results(self) -> impl Iterator<Item = (Future<T>, Result<T, Error>)>
    where
        T: FromValue,
    {
        self.map(|f| {
            let r = f.result();
            (f, r)
        })
    }

    /// Like [`next`](Iterator::next), but gives up when `stop()` returns true (checked every
    /// few milliseconds while blocked). A finishing future wakes the waiter at once.
    pub fn next_or_stop(&self, stop: impl Fn() -> bool) -> Result<Option<Future<T>>, Stopped> {
        self.next_waiting(Some(&stop))
    }

    /// The oldest unfinished task, if this thread must run tasks rather than park.
    fn oldest_to_help_with(&self) -> Option<Handle> {
        let unfinished = self
            .shared
            .unfinished
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        unfinished
            .front()
            .filter(|oldest| oldest.waits_by_helping())
            .cloned()
    }

    /// The next future to finish, parking until one does; `None` when none are left.
    fn next_waiting(&self, stop: Option<&dyn Fn() -> bool>) -> Result<Option<Future<T>>, Stopped> {
        loop {
            if let Some(f) = self.shared.done.pop() {
                return Ok(Some(f));
            }
            if self.shared.pending.load(Ordering::SeqCst) == 0 {
                return Ok(self.shared.done.pop());
            }
            if stop.is_some_and(|stop| stop()) {
                return Err(Stopped);
            }
            if let Some(oldest) = self.oldest_to_help_with() {
                // Runs what the oldest unfinished future needs, here; others may finish on
                // the way, and `done` keeps their order.
                if !oldest.wait(stop) {
                    return Err(Stopped);
                }
                continue;
            }
            // Registered before the last look, so an arrival after it unparks this thread.
            *self.shared.waiter.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(std::thread::current());
            if self.shared.done.is_empty() && self.shared.pending.load(Ordering::SeqCst) > 0 {
                park(stop.map(|_| STOP_POLL));
            }
        }
    }
}

impl<T: 'static> Iterator for AsCompleted<T> {
    type Item = Future<T>;

    /// The next future to finish; blocks until one does, `None` when none are left.
    fn next(&mut self) -> Option<Future<T>> {
        self.next_waiting(None).unwrap_or(None)
    }
}
