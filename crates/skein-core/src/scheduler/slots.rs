//! Which worker a runner is: each runner holds one of the `workers` slots while it runs, so
//! the tasks it runs (and the tasks a task of it helps along while it waits) are reported as
//! run by worker `0..workers`, however many threads the pool has (the page's pool has spare
//! threads) and whichever of them rayon picks.

use std::cell::Cell as ThreadCell;
use std::sync::{Mutex, MutexGuard};

/// The slots runners hold now.
#[derive(Debug, Default)]
pub(super) struct Slots {
    taken: Mutex<Vec<bool>>,
}

thread_local! {
    /// The slot of the runner on this thread, if one runs here.
    static CURRENT: ThreadCell<Option<usize>> = const { ThreadCell::new(None) };
}

/// The worker the calling thread runs tasks as, if it is a runner's.
pub(super) fn current() -> Option<usize> {
    CURRENT.with(ThreadCell::get)
}

impl Slots {
    /// Takes the lowest free slot for the calling thread until the guard drops. A runner
    /// claims one only after counting itself active and gives it back before it stops
    /// counting, so with at most `workers` runners active the slot is below `workers`.
    pub(super) fn claim(&self) -> SlotGuard<'_> {
        let slot = {
            let mut taken = self.lock();
            match taken.iter().position(|t| !t) {
                Some(free) => {
                    taken[free] = true;
                    free
                }
                None => {
                    taken.push(true);
                    taken.len() - 1
                }
            }
        };
        // A runner nested in another on this thread (rayon runs a queued job inside a task's
        // parallel iterator) restores the outer one's slot when it ends.
        let outer = CURRENT.with(|c| c.replace(Some(slot)));
        SlotGuard {
            slots: self,
            slot,
            outer,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<bool>> {
        self.taken.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A claimed slot; dropping it frees the slot.
pub(super) struct SlotGuard<'a> {
    slots: &'a Slots,
    slot: usize,
    outer: Option<usize>,
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.outer));
        self.slots.lock()[self.slot] = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runner_takes_the_lowest_free_slot_and_a_nested_one_gives_the_outer_back() {
        let slots = Slots::default();
        assert_eq!(current(), None);
        let outer = slots.claim();
        assert_eq!(current(), Some(0));
        {
            let _nested = slots.claim();
            assert_eq!(current(), Some(1));
        }
        assert_eq!(current(), Some(0), "the outer runner's slot again");
        let elsewhere = std::thread::scope(|s| {
            s.spawn(|| {
                let _other = slots.claim();
                current()
            })
            .join()
            .ok()
            .flatten()
        });
        assert_eq!(elsewhere, Some(1), "slot 1 was free again, slot 0 is taken");
        drop(outer);
        assert_eq!(current(), None);
        let _again = slots.claim();
        assert_eq!(current(), Some(0));
    }
}
