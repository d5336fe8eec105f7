//! Interrupt: stopping a runaway cell, and the tasks it started, from any thread.
//!
//! Every piece of script that runs — a cell on the kernel thread, a user function in a task on
//! a worker — runs under a *generation*: the number of the cell that started it. The kernel
//! counts cells; [`InterruptHandle::interrupt`] marks every generation up to the current one
//! as cancelled with a single atomic store. The interpreter's checkpoint (every few hundred instructions; see `interp.rs`)
//! asks [`InterruptState::should_stop`] whether the script running *on this thread* belongs to
//! a cancelled generation, and if so raises `KeyboardInterrupt` there; native lab calls ask
//! the same through [`InterruptState::canceller`] between chunks of their work. Tasks queued
//! by the interrupted cell stop as soon as they start; the next cell has a new generation and
//! runs.
//!
//! Why generations and not one flag that is cleared: a flag would have to be cleared before the
//! next cell, racing with tasks of the interrupted cell that have not run yet.
//!
//! Cells queued behind the running one are stopped too: each interrupt bumps a count, a queued
//! cell carries the count from when it was queued, and [`Kernel::admit`](crate::Kernel::admit)
//! turns it away if an interrupt came since. Admitting takes the cell's generation *then*
//! reads the count, while an interrupt bumps the count *then* cancels the generations started:
//! with every one of those four steps sequentially consistent, either the cell sees the
//! interrupt and is turned away, or the interrupt sees the cell's generation and stops it.
//!
//! The handle only touches atomics, so the browser's main thread (where `Atomics.wait` traps)
//! may call it.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

thread_local! {
    /// The generation of the script running on this thread (0: none).
    static RUNNING: Cell<u64> = const { Cell::new(0) };
}

/// The kernel's generation counters, shared with its engine and its tasks.
#[derive(Debug, Default)]
pub(crate) struct InterruptState {
    /// The generation of the latest cell.
    current: AtomicU64,
    /// Every generation up to and including this one is cancelled.
    cancelled: AtomicU64,
    /// Bumped by every interrupt and every failing queued cell: a cell queued before the
    /// latest bump is turned away.
    interrupts: AtomicU64,
}

impl InterruptState {
    /// Starts a new generation (a new cell) and returns it.
    pub(crate) fn next_generation(&self) -> u64 {
        self.current.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Cancels every generation started so far.
    pub(crate) fn cancel_all(&self) {
        let current = self.current.load(Ordering::SeqCst);
        self.cancelled.fetch_max(current, Ordering::AcqRel);
    }

    /// Counts an interrupt, then cancels every generation started so far.
    pub(crate) fn interrupt(&self) {
        self.turn_away_queued();
        self.cancel_all();
    }

    /// Turns away the cells queued so far, leaving running scripts and tasks alone.
    pub(crate) fn turn_away_queued(&self) {
        self.interrupts.fetch_add(1, Ordering::SeqCst);
    }

    /// The count of interrupts and failing queued cells so far.
    pub(crate) fn interrupts(&self) -> u64 {
        self.interrupts.load(Ordering::SeqCst)
    }

    /// Whether `generation` is cancelled.
    pub(crate) fn is_cancelled(&self, generation: u64) -> bool {
        generation != 0 && generation <= self.cancelled.load(Ordering::Acquire)
    }

    /// Whether the script running on this thread must stop.
    pub(crate) fn should_stop(&self) -> bool {
        self.is_cancelled(RUNNING.with(Cell::get))
    }

    /// Whether the script running on this thread now must stop, askable from any thread: a
    /// native lab call spreads its work over rayon's threads, where no generation runs.
    pub(crate) fn canceller(&self) -> impl Fn() -> bool + Sync + '_ {
        let generation = running_generation();
        move || self.is_cancelled(generation)
    }
}

/// The generation of the script running on this thread (0 outside scripts).
pub(crate) fn running_generation() -> u64 {
    RUNNING.with(Cell::get)
}

/// Runs `f` as script of `generation` on this thread (nesting restores the outer generation).
pub(crate) fn run_as<R>(generation: u64, f: impl FnOnce() -> R) -> R {
    struct Restore(u64);
    impl Drop for Restore {
        fn drop(&mut self) {
            RUNNING.with(|r| r.set(self.0));
        }
    }
    let _restore = Restore(RUNNING.with(|r| r.replace(generation)));
    f()
}

/// The message of a task stopped by an interrupt.
pub(crate) const INTERRUPTED: &str = "KeyboardInterrupt: interrupted";

/// Stops the kernel's running cell and the tasks its cells started. Cheap to clone; callable
/// from any thread, never blocks.
#[derive(Clone, Debug)]
pub struct InterruptHandle {
    state: Arc<InterruptState>,
}

impl InterruptHandle {
    pub(crate) fn new(state: Arc<InterruptState>) -> InterruptHandle {
        InterruptHandle { state }
    }

    /// Stops the running cell (within milliseconds: scripts check on every operation, waits
    /// poll every few milliseconds, native lab calls check between chunks of work) and every
    /// task started so far. The kernel and its state stay; the next cell runs normally. Cells
    /// queued with an earlier [`interrupts`](InterruptHandle::interrupts) count are not
    /// admitted.
    pub fn interrupt(&self) {
        self.state.interrupt();
    }

    /// The count of interrupts (and failing queued cells) so far: what a queued cell carries,
    /// so that [`Kernel::admit`](crate::Kernel::admit) can turn it away after a later one.
    pub fn interrupts(&self) -> u64 {
        self.state.interrupts()
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn interrupt_cancels_started_generations_only() {
        let state = Arc::new(InterruptState::default());
        let first = state.next_generation();
        InterruptHandle::new(state.clone()).interrupt();
        assert!(state.is_cancelled(first));
        let second = state.next_generation();
        assert!(!state.is_cancelled(second));
        assert!(
            !state.is_cancelled(0),
            "outside scripts nothing is cancelled"
        );
        run_as(first, || assert!(state.should_stop()));
        let on_another_thread = run_as(first, || state.canceller());
        assert!(std::thread::scope(|s| s
            .spawn(on_another_thread)
            .join()
            .unwrap()));
        run_as(second, || {
            assert!(!state.should_stop());
            run_as(first, || assert!(state.should_stop()));
            assert_eq!(running_generation(), second);
        });
    }
}
