//! The state behind Dask's coordination primitives, shared by the notebook and every task:
//! named variables (`Variable`), queues (`Queue`), leases (`Lock`, `Semaphore`), events
//! (`Event`) and published datasets (`Client.publish_dataset`), as `dask.distributed` keeps
//! them on its scheduler.
//!
//! A value is kept in its travelling form ([`PyValue`]) with the futures inside it: while a
//! variable or a queue holds a future, that future's result stays in memory, as in Dask, and
//! whoever takes the value gets a future that still works. Each operation here answers at
//! once; waiting for a value, a lease or an event is [`Session::wait_for`]'s loop around one.
//!
//! [`Session::wait_for`]: crate::session::Session::wait_for

use std::collections::{HashMap, HashSet, VecDeque};

use skein_core::{Future, Value};

use crate::pyvalue::PyValue;

/// A value a primitive holds, with the futures found inside it, by key.
#[derive(Clone)]
pub(crate) struct Held {
    pub(crate) value: PyValue,
    pub(crate) futures: Vec<(String, Future<Value>)>,
}

/// Every primitive of a session, by name.
#[derive(Default)]
pub(crate) struct Coordination {
    variables: HashMap<String, Held>,
    queues: HashMap<String, VecDeque<Held>>,
    /// Leases held, by name: a `Lock` is a `Semaphore` of one lease.
    leases: HashMap<String, usize>,
    events: HashSet<String>,
    /// Published datasets, in the order they were published (Dask lists them so).
    datasets: Vec<(String, Held)>,
}

/// What a queue hands over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Take {
    /// The next item, once there is one.
    One,
    /// Every item there is now, perhaps none (`batch=True`).
    All,
    /// The next `n` items, once there are `n` (`batch=n`).
    Many(usize),
}

/// A dataset of that name is published already.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct AlreadyPublished;

/// A lease was released more often than it was acquired.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ReleasedTooOften;

impl Coordination {
    /// Sets variable `name`; the value it held before, to drop outside the lock.
    pub(crate) fn set_variable(&mut self, name: &str, held: Held) -> Option<Held> {
        self.variables.insert(name.to_owned(), held)
    }

    /// Variable `name`'s value, if it was set.
    pub(crate) fn variable(&self, name: &str) -> Option<Held> {
        self.variables.get(name).cloned()
    }

    /// Forgets variable `name`; its value, to drop outside the lock.
    pub(crate) fn delete_variable(&mut self, name: &str) -> Option<Held> {
        self.variables.remove(name)
    }

    /// Puts `held` at the back of queue `name`.
    pub(crate) fn put(&mut self, name: &str, held: Held) {
        self.queues
            .entry(name.to_owned())
            .or_default()
            .push_back(held);
    }

    /// Items from the front of queue `name`, or `None` while it has too few for `take`.
    pub(crate) fn take(&mut self, name: &str, take: Take) -> Option<Vec<Held>> {
        let queue = self.queues.entry(name.to_owned()).or_default();
        let n = match take {
            Take::One => 1,
            Take::All => queue.len(),
            Take::Many(n) => n,
        };
        (queue.len() >= n).then(|| queue.drain(..n).collect())
    }

    /// How many items queue `name` holds.
    pub(crate) fn queue_len(&self, name: &str) -> usize {
        self.queues.get(name).map_or(0, VecDeque::len)
    }

    /// Takes one of `max_leases` leases of `name`, if one is free.
    pub(crate) fn acquire(&mut self, name: &str, max_leases: usize) -> bool {
        let held = self.leases.entry(name.to_owned()).or_default();
        let free = *held < max_leases;
        if free {
            *held += 1;
        }
        free
    }

    /// Gives back a lease of `name`.
    pub(crate) fn release(&mut self, name: &str) -> Result<(), ReleasedTooOften> {
        match self.leases.get_mut(name) {
            Some(held) if *held > 0 => {
                *held -= 1;
                Ok(())
            }
            _ => Err(ReleasedTooOften),
        }
    }

    /// How many leases of `name` are held.
    pub(crate) fn leases(&self, name: &str) -> usize {
        self.leases.get(name).copied().unwrap_or(0)
    }

    /// Sets or clears event `name`.
    pub(crate) fn set_event(&mut self, name: &str, set: bool) {
        if set {
            self.events.insert(name.to_owned());
        } else {
            self.events.remove(name);
        }
    }

    /// Whether event `name` is set.
    pub(crate) fn is_set(&self, name: &str) -> bool {
        self.events.contains(name)
    }

    /// Publishes dataset `name`, replacing one of that name only if `overwrite`; the value it
    /// replaced, to drop outside the lock.
    pub(crate) fn publish(
        &mut self,
        name: &str,
        held: Held,
        overwrite: bool,
    ) -> Result<Option<Held>, AlreadyPublished> {
        match self.datasets.iter_mut().find(|(known, _)| known == name) {
            Some(_) if !overwrite => Err(AlreadyPublished),
            Some((_, old)) => Ok(Some(std::mem::replace(old, held))),
            None => {
                self.datasets.push((name.to_owned(), held));
                Ok(None)
            }
        }
    }

    /// Dataset `name`, if published.
    pub(crate) fn dataset(&self, name: &str) -> Option<Held> {
        self.datasets
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, held)| held.clone())
    }

    /// The names of the published datasets, oldest first.
    pub(crate) fn dataset_names(&self) -> Vec<String> {
        self.datasets.iter().map(|(name, _)| name.clone()).collect()
    }

    /// Unpublishes dataset `name` (nothing if there is none); its value, to drop outside the
    /// lock.
    pub(crate) fn unpublish(&mut self, name: &str) -> Option<Held> {
        let index = self.datasets.iter().position(|(known, _)| known == name)?;
        Some(self.datasets.remove(index).1)
    }
}

#[cfg(test)]
mod tests {
    use monty_types::MontyObject;

    use super::*;

    fn held(n: i64) -> Held {
        Held {
            value: PyValue::from_export(MontyObject::int(n)),
            futures: Vec::new(),
        }
    }

    fn ints(items: Option<Vec<Held>>) -> Option<Vec<String>> {
        items.map(|items| items.iter().map(|h| h.value.object().py_repr()).collect())
    }

    #[test]
    fn a_variable_keeps_its_last_value_until_deleted() {
        let mut c = Coordination::default();
        assert!(c.variable("x").is_none());
        assert!(c.set_variable("x", held(1)).is_none());
        let old = c
            .set_variable("x", held(2))
            .expect("the first value comes back");
        assert_eq!(old.value.object().py_repr(), "1");
        assert_eq!(
            c.variable("x")
                .map(|h| h.value.object().py_repr())
                .as_deref(),
            Some("2")
        );
        assert!(c.delete_variable("x").is_some());
        assert!(c.variable("x").is_none());
    }

    #[test]
    fn a_queue_hands_items_over_first_in_first_out_and_whole_batches_only() {
        let mut c = Coordination::default();
        assert_eq!(ints(c.take("q", Take::One)), None, "empty: wait");
        assert_eq!(
            ints(c.take("q", Take::All)),
            Some(vec![]),
            "batch=True never waits"
        );
        (1..=3).for_each(|n| c.put("q", held(n)));
        assert_eq!(c.queue_len("q"), 3);
        assert_eq!(
            ints(c.take("q", Take::Many(4))),
            None,
            "too few: wait, take none"
        );
        assert_eq!(c.queue_len("q"), 3);
        assert_eq!(ints(c.take("q", Take::One)), Some(vec!["1".into()]));
        assert_eq!(
            ints(c.take("q", Take::Many(2))),
            Some(vec!["2".into(), "3".into()])
        );
        assert_eq!(c.queue_len("q"), 0);
        assert_eq!(c.queue_len("other"), 0);
    }

    #[test]
    fn leases_are_counted_per_name_and_cannot_be_released_too_often() {
        let mut c = Coordination::default();
        assert!(c.acquire("s", 2));
        assert!(c.acquire("s", 2));
        assert!(!c.acquire("s", 2), "both leases are taken");
        assert!(c.acquire("lock", 1), "another name is free");
        assert_eq!(c.leases("s"), 2);
        assert_eq!(c.release("s"), Ok(()));
        assert!(c.acquire("s", 2));
        assert_eq!(c.release("lock"), Ok(()));
        assert_eq!(c.release("lock"), Err(ReleasedTooOften));
        assert_eq!(c.release("never"), Err(ReleasedTooOften));
    }

    #[test]
    fn datasets_are_listed_in_publishing_order_and_replaced_only_when_asked() {
        let mut c = Coordination::default();
        assert_eq!(
            c.publish("b", held(1), false).map(|old| old.is_none()),
            Ok(true)
        );
        assert_eq!(
            c.publish("a", held(2), false).map(|old| old.is_none()),
            Ok(true)
        );
        assert_eq!(c.dataset_names(), ["b", "a"]);
        assert!(c.publish("b", held(3), false).is_err(), "taken");
        assert_eq!(
            c.dataset("b")
                .map(|h| h.value.object().py_repr())
                .as_deref(),
            Some("1")
        );
        let old = c
            .publish("b", held(3), true)
            .ok()
            .flatten()
            .expect("replaced");
        assert_eq!(old.value.object().py_repr(), "1");
        assert_eq!(
            c.dataset("b")
                .map(|h| h.value.object().py_repr())
                .as_deref(),
            Some("3")
        );
        assert!(c.unpublish("b").is_some());
        assert!(
            c.unpublish("b").is_none(),
            "a second unpublish does nothing"
        );
        assert_eq!(c.dataset_names(), ["a"]);
        assert!(c.dataset("b").is_none());
    }

    #[test]
    fn events_are_set_and_cleared_by_name() {
        let mut c = Coordination::default();
        assert!(!c.is_set("e"));
        c.set_event("e", true);
        assert!(c.is_set("e") && !c.is_set("f"));
        c.set_event("e", false);
        assert!(!c.is_set("e"));
    }
}
