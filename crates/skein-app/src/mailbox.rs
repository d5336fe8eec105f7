//! A one-way, never-blocking hand-off between the browser's main thread and the kernel thread.
//!
//! The main thread may not wait (`Atomics.wait` traps there), so neither direction may take a
//! lock that could be contended: messages go through a lock-free queue, and the kernel sleeps
//! with `std::thread::park`, which the main thread ends with `unpark` — an atomic notify that
//! never waits.

use std::sync::{Arc, OnceLock};
use std::thread::Thread;

use crossbeam_queue::SegQueue;

/// Messages for one consumer thread, which parks while the box is empty.
#[derive(Debug)]
pub struct Mailbox<T> {
    queue: SegQueue<T>,
    consumer: OnceLock<Thread>,
}

impl<T> Mailbox<T> {
    /// An empty mailbox, shared between the producer and the consumer.
    #[allow(clippy::new_ret_no_self)]
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            queue: SegQueue::new(),
            consumer: OnceLock::new(),
        })
    }

    /// Queues a message and wakes the consumer; never blocks.
    pub fn post(&self, message: T) {
        self.queue.push(message);
        if let Some(consumer) = self.consumer.get() {
            consumer.unpark();
        }
    }

    /// Takes a message without waiting; for the main thread's polling loop.
    pub fn try_take(&self) -> Option<T> {
        self.queue.pop()
    }

    /// Waits for the next message; only for the consumer thread, which must not be the
    /// browser's main thread.
    pub fn take(&self) -> T {
        let me = std::thread::current();
        let registered = self.consumer.get_or_init(|| me.clone());
        debug_assert_eq!(registered.id(), me.id(), "a mailbox has one consumer");
        loop {
            if let Some(message) = self.queue.pop() {
                return message;
            }
            std::thread::park();
        }
    }
}
