//! The scheduler's key → task map, sharded so that submissions and releases on different
//! workers rarely meet on a lock. Only submitting and releasing touch it; running does not.
//!
//! Keys carry a precomputed hash ([`Key::prehash`]), so a lookup hashes nothing, and the table
//! is a `hashbrown::HashTable` so that "insert unless live" and "remove if still this task"
//! are one probe each.

use std::sync::{Arc, Mutex, MutexGuard};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use crate::key::Key;

use super::cell::Cell;

const SHARDS: usize = 32;

/// One shard: tasks by key.
#[derive(Default)]
pub(crate) struct Shard {
    table: HashTable<Arc<Cell>>,
}

impl Shard {
    /// The live task with `key`, if a reference to it could be taken; otherwise `make(key)`
    /// becomes the task under `key` (replacing an unreferenced one about to be released).
    /// Returns the task and whether it is the new one.
    pub(crate) fn acquire_or_insert(
        &mut self,
        key: Key,
        make: impl FnOnce(Key) -> Arc<Cell>,
    ) -> (Arc<Cell>, bool) {
        let hash = key.prehash();
        match self
            .table
            .entry(hash, |c| c.key == key, |c| c.key.prehash())
        {
            Entry::Occupied(mut e) => {
                if e.get().try_acquire() {
                    return (e.get().clone(), false);
                }
                let cell = make(key);
                *e.get_mut() = cell.clone();
                (cell, true)
            }
            Entry::Vacant(e) => {
                let cell = make(key);
                e.insert(cell.clone());
                (cell, true)
            }
        }
    }
}

pub(crate) struct TaskMap {
    shards: Box<[Mutex<Shard>]>,
}

impl TaskMap {
    pub(crate) fn new() -> TaskMap {
        TaskMap {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    pub(crate) fn shard(&self, key: &Key) -> MutexGuard<'_, Shard> {
        // The top bits pick the shard; hashbrown uses the low bits for buckets and the top 7
        // for tags, so take the shard from bits just below the tag bits to keep tags varied.
        let i = (key.prehash() >> 52) as usize % SHARDS;
        self.shards[i].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Makes room for `n` more tasks spread over the shards. A submission of 10^5 tasks
    /// would otherwise rehash every shard's table a dozen times as it grows, each time moving
    /// every entry (and missing the cache on most).
    pub(crate) fn reserve(&self, n: usize) {
        if n < SHARDS * 64 {
            return;
        }
        // Keys spread evenly; an eighth more absorbs the unevenness.
        let per_shard = n / SHARDS + n / SHARDS / 8;
        for shard in &self.shards {
            let mut shard = shard.lock().unwrap_or_else(|e| e.into_inner());
            shard.table.reserve(per_shard, |c| c.key.prehash());
        }
    }

    /// The live task with `key`, with a reference taken for the caller.
    pub(crate) fn acquire(&self, key: &Key) -> Option<Arc<Cell>> {
        let shard = self.shard(key);
        shard
            .table
            .find(key.prehash(), |c| c.key == *key)
            .filter(|c| c.try_acquire())
            .cloned()
    }

    /// Forgets `cell` if it is still the task under its key.
    pub(crate) fn remove(&self, cell: &Arc<Cell>) {
        let mut shard = self.shard(&cell.key);
        if let Ok(e) = shard
            .table
            .find_entry(cell.key.prehash(), |c| Arc::ptr_eq(c, cell))
        {
            e.remove();
        }
    }

    /// How many tasks the scheduler knows (not yet released).
    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).table.len())
            .sum()
    }
}
