//! The ready queue: tasks whose dependencies are all in memory, lowest priority number first.
//!
//! Most tasks arrive in priority order (a submission queues its ready tasks in the order it
//! numbered them; a finishing task queues its ready dependents sorted), so they go to a sorted
//! deque, where pushing and popping touch its ends only. Only a batch that would break the
//! deque's order goes to a binary heap (whose pops sift through log n levels, a cache miss
//! each with 10^5 tasks queued); `pop` takes the smaller of the two fronts.

use std::cmp::Ordering as CmpOrdering;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::cell::Cell;

/// A queued task with its priority copied beside it: sifting through a heap of 10^5 tasks
/// would otherwise read each visited task's cell, a cache miss per level. Tasks of equal
/// priority (the same place in graphs of one generation) pop in the order they came.
struct Ready {
    priority: u64,
    arrival: u64,
    cell: Arc<Cell>,
}

impl Ready {
    fn rank(&self) -> (u64, u64) {
        (self.priority, self.arrival)
    }
}

impl PartialEq for Ready {
    fn eq(&self, other: &Self) -> bool {
        self.rank() == other.rank()
    }
}
impl Eq for Ready {}
impl PartialOrd for Ready {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ready {
    // BinaryHeap is a max-heap: reverse so the lowest rank pops first.
    fn cmp(&self, other: &Self) -> CmpOrdering {
        other.rank().cmp(&self.rank())
    }
}

#[derive(Default)]
pub(crate) struct ReadyQueue {
    queued: Mutex<Queued>,
    len: AtomicUsize,
}

#[derive(Default)]
struct Queued {
    /// In increasing rank order.
    sorted: VecDeque<Ready>,
    heap: BinaryHeap<Ready>,
    arrivals: u64,
}

impl ReadyQueue {
    pub(crate) fn push_all(&self, cells: impl IntoIterator<Item = Arc<Cell>>) {
        let mut q = self.queued.lock().unwrap_or_else(|e| e.into_inner());
        let mut added = 0;
        for cell in cells {
            let ready = Ready {
                priority: cell.priority,
                arrival: q.arrivals,
                cell,
            };
            q.arrivals += 1;
            added += 1;
            match q.sorted.back() {
                Some(last) if last.priority > ready.priority => q.heap.push(ready),
                _ => q.sorted.push_back(ready),
            }
        }
        self.len.fetch_add(added, Ordering::SeqCst);
    }

    pub(crate) fn pop(&self) -> Option<Arc<Cell>> {
        if self.len.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let mut q = self.queued.lock().unwrap_or_else(|e| e.into_inner());
        let from_heap = match (q.sorted.front(), q.heap.peek()) {
            (Some(s), Some(h)) => h.rank() < s.rank(),
            (None, Some(_)) => true,
            (_, None) => false,
        };
        let top = if from_heap {
            q.heap.pop()
        } else {
            q.sorted.pop_front()
        }?;
        self.len.fetch_sub(1, Ordering::SeqCst);
        Some(top.cell)
    }

    pub(crate) fn len(&self) -> usize {
        self.len.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::key::Key;
    use crate::stats::Registry;

    fn cells(priorities: &[u64]) -> Vec<Arc<Cell>> {
        let group = Registry::default().group("t");
        priorities
            .iter()
            .map(|&p| Arc::new(Cell::new(Key::new("t", p.into()), group.clone(), p)))
            .collect()
    }

    fn drain(q: &ReadyQueue) -> Vec<u64> {
        std::iter::from_fn(|| q.pop()).map(|c| c.priority).collect()
    }

    #[test]
    fn tasks_pop_lowest_priority_first_whatever_order_they_came_in() {
        let q = ReadyQueue::default();
        q.push_all(cells(&[3, 5, 8]));
        // Below the sorted run's end: these go to the heap.
        q.push_all(cells(&[1, 6, 4]));
        q.push_all(cells(&[9, 10]));
        q.push_all(cells(&[2, 7]));
        assert_eq!(q.len(), 10);
        assert_eq!(q.pop().map(|c| c.priority), Some(1));
        q.push_all(cells(&[0, 11]));
        assert_eq!(drain(&q), [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        assert_eq!(q.len(), 0);
        assert!(q.pop().is_none());
    }

    #[test]
    fn tasks_of_equal_priority_pop_in_the_order_they_came() {
        let q = ReadyQueue::default();
        let group = Registry::default().group("t");
        let cell =
            |name: &str, p: u64| Arc::new(Cell::new(Key::new(name, 0u64.into()), group.clone(), p));
        q.push_all([cell("a", 4), cell("b", 6)]);
        // All below the sorted run's end, so all go to the heap, which must keep their order.
        let names: Vec<String> = (0..12).map(|i| format!("e{i}")).collect();
        for pair in names.chunks(3) {
            q.push_all(pair.iter().map(|n| cell(n, 5)));
        }
        q.push_all([cell("w", 6)]);
        let popped: Vec<String> = std::iter::from_fn(|| q.pop())
            .map(|c| c.key.group().to_owned())
            .collect();
        let mut expected = vec!["a".to_owned()];
        expected.extend(names);
        expected.extend(["b".to_owned(), "w".to_owned()]);
        assert_eq!(popped, expected);
    }
}
