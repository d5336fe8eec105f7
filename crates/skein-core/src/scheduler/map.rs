//! The scheduler's key → task map, sharded so that submissions and releases on different
//! workers rarely meet on a lock. Only submitting and releasing touch it; running does not.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::key::Key;

use super::cell::Cell;

const SHARDS: usize = 32;

/// FxHash: keys are already random tokens, so a fast multiplicative hash spreads them well.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(b as u64);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type Shard = HashMap<Key, Arc<Cell>, BuildHasherDefault<FxHasher>>;

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
        let mut h = FxHasher::default();
        key.hash(&mut h);
        // Pick the shard with a second mix: reusing the bits the shard's own table uses for
        // buckets and tags would leave every key in a shard with the same tag.
        let i = (h.finish().wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 59) as usize % SHARDS;
        self.shards[i].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The live task with `key`, with a reference taken for the caller.
    pub(crate) fn acquire(&self, key: &Key) -> Option<Arc<Cell>> {
        let shard = self.shard(key);
        shard.get(key).filter(|c| c.try_acquire()).cloned()
    }

    /// Forgets `cell` if it is still the task under its key.
    pub(crate) fn remove(&self, cell: &Arc<Cell>) {
        let mut shard = self.shard(&cell.key);
        if shard.get(&cell.key).is_some_and(|c| Arc::ptr_eq(c, cell)) {
            shard.remove(&cell.key);
        }
    }

    /// How many tasks the scheduler knows (not yet released).
    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).len())
            .sum()
    }
}
