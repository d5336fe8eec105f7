//! The cluster as cells see it: how many workers there are (`_skein_workers`), which one
//! runs the caller (`_skein_worker_index`), `cluster.scale(n)`, and the release of what the
//! notebook no longer holds (`_skein_release`, `release.rs`).

use monty_types::{MontyObject, ObjectRef};

use super::{Host, HostResult};

impl Host {
    /// How many workers the client has.
    pub(super) fn workers(&mut self) -> HostResult {
        Ok(MontyObject::int(self.session.client.workers() as i64))
    }

    /// The index of the worker thread running the caller; `None` off the workers.
    pub(super) fn worker_index(&mut self) -> HostResult {
        Ok(rayon::current_thread_index()
            .map_or_else(MontyObject::none, |i| MontyObject::int(i as i64)))
    }

    /// `cluster.scale(n)`: adds workers up to `n` (the pool never shrinks).
    pub(super) fn scale(&mut self, n: ObjectRef<'_>) -> HostResult {
        // Saturating: on wasm32 `as usize` would make `scale(2**32 + 1)` one worker.
        let want = usize::try_from(n.as_int().unwrap_or(0).max(0)).unwrap_or(usize::MAX);
        let have = self.session.client.workers();
        if want > have {
            self.session.client.add_workers(want - have);
        }
        Ok(MontyObject::none())
    }

    /// `_skein_release(keys, ids, functions)` (`release.rs`).
    pub(super) fn release(
        &mut self,
        keys: ObjectRef<'_>,
        ids: ObjectRef<'_>,
        functions: ObjectRef<'_>,
    ) -> HostResult {
        crate::release::release(&self.session, keys, ids, functions)
    }
}
