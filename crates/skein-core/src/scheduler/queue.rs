//! The ready queue: tasks whose dependencies are all in memory, lowest priority number first.

use std::cmp::Ordering as CmpOrdering;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::cell::Cell;

/// A queued task with its priority copied beside it: sifting through a heap of 10^5 tasks
/// would otherwise read each visited task's cell, a cache miss per level.
struct Ready {
    priority: u64,
    cell: Arc<Cell>,
}

impl Ready {
    fn new(cell: Arc<Cell>) -> Ready {
        Ready {
            priority: cell.priority,
            cell,
        }
    }
}

impl PartialEq for Ready {
    fn eq(&self, other: &Self) -> bool {
        self.priority == other.priority
    }
}
impl Eq for Ready {}
impl PartialOrd for Ready {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ready {
    // BinaryHeap is a max-heap: reverse so the lowest priority number pops first.
    fn cmp(&self, other: &Self) -> CmpOrdering {
        other.priority.cmp(&self.priority)
    }
}

#[derive(Default)]
pub(crate) struct ReadyQueue {
    heap: Mutex<BinaryHeap<Ready>>,
    len: AtomicUsize,
}

impl ReadyQueue {
    pub(crate) fn push_all(&self, cells: impl IntoIterator<Item = Arc<Cell>>) {
        let mut heap = self.heap.lock().unwrap_or_else(|e| e.into_inner());
        let before = heap.len();
        heap.extend(cells.into_iter().map(Ready::new));
        let added = heap.len() - before;
        self.len.fetch_add(added, Ordering::SeqCst);
    }

    pub(crate) fn pop(&self) -> Option<Arc<Cell>> {
        if self.len.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let mut heap = self.heap.lock().unwrap_or_else(|e| e.into_inner());
        let top = heap.pop()?;
        self.len.fetch_sub(1, Ordering::SeqCst);
        Some(top.cell)
    }

    pub(crate) fn len(&self) -> usize {
        self.len.load(Ordering::SeqCst)
    }
}
