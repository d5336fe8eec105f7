//! The prelude's classes the host knows ([`Kind`]): a `Delayed`, the `_SkeinRef` a pending
//! task's argument holds for one, a `Future`, and numpy's `ndarray`. An instance is known by
//! its class's identity, not its name, so a cell's own `class Future` is an ordinary object
//! to the host.
//!
//! The identity is the uuid Monty gives a class the first time it crosses to the host and
//! keeps on the heap, through `dump`/`load` too. Each interpreter that runs the prelude
//! hands its classes over once ([`register`], from `interp.rs`); every interpreter loaded
//! from the prelude's snapshot has the same classes, so usually one set is ever registered.
//! A second set comes only from a thread that ran the prelude itself while another took the
//! snapshot.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use monty_types::unstable::{MontyNode, child, node};
use monty_types::{MontyObject, MontyUuid, ObjectRef};

/// What the host recognises an object of the prelude as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A `Delayed`: a pending or persisted task.
    Delayed,
    /// A `_SkeinRef`: a `Delayed` as a pending task's argument.
    Ref,
    /// A `Future`.
    Future,
    /// numpy's `ndarray`.
    Ndarray,
}

/// The Python that gives an instance of each of the prelude's classes, in [`PRELUDE_ORDER`]:
/// a class crosses with its identity only as an instance's (alone it crosses as its repr).
pub(crate) const PRELUDE_CLASSES: &str =
    "(_skein_api_Delayed(''), _SkeinRef(''), _skein_api_Future(None), _skein_ndarray())";
const PRELUDE_ORDER: [Kind; 4] = [Kind::Delayed, Kind::Ref, Kind::Future, Kind::Ndarray];

/// The first interpreter's classes: read without a lock by every task's argument walk.
static FIRST: OnceLock<Vec<(MontyUuid, Kind)>> = OnceLock::new();
/// Those of interpreters that ran the prelude beside the first.
static MORE: Mutex<Vec<(MontyUuid, Kind)>> = Mutex::new(Vec::new());
/// Whether [`MORE`] holds any.
static HAS_MORE: AtomicBool = AtomicBool::new(false);

/// Records the classes an interpreter's prelude made: `instances` is the value of
/// [`PRELUDE_CLASSES`] run in it.
pub(crate) fn register(instances: &MontyObject) -> Result<(), String> {
    let items = instances.as_ref().items().unwrap_or_default();
    let ids: Vec<(MontyUuid, Kind)> = items
        .iter()
        .zip(PRELUDE_ORDER)
        .filter_map(|(&instance, kind)| Some((class_id(instance)?, kind)))
        .collect();
    if ids.len() != PRELUDE_ORDER.len() {
        return Err(format!(
            "the prelude's objects did not cross as instances: {instances:?}"
        ));
    }
    if let Err(ids) = FIRST.set(ids) {
        let mut more = MORE.lock().unwrap_or_else(|e| e.into_inner());
        if !more.iter().any(|known| known.0 == ids[0].0) {
            more.extend(ids);
            HAS_MORE.store(true, Ordering::Release);
        }
    }
    Ok(())
}

/// The identity of the class of `r`, an instance.
fn class_id(r: ObjectRef<'_>) -> Option<MontyUuid> {
    let MontyNode::ClassInstance { class_type, .. } = node(r) else {
        return None;
    };
    match node(child(r, *class_type)) {
        MontyNode::ClassType(class) => Some(class.id),
        _ => None,
    }
}

impl Kind {
    /// The kind of `r`, if it is an instance of one of the prelude's classes the host knows.
    pub(crate) fn of(r: ObjectRef<'_>) -> Option<Kind> {
        let class = class_id(r)?;
        let known = |ids: &[(MontyUuid, Kind)]| {
            ids.iter()
                .find(|(id, _)| *id == class)
                .map(|&(_, kind)| kind)
        };
        // Most instances a task's arguments hold are of other classes: only a process that
        // registered a second set pays for the lock.
        FIRST.get().and_then(|ids| known(ids)).or_else(|| {
            HAS_MORE
                .load(Ordering::Acquire)
                .then(|| known(&MORE.lock().unwrap_or_else(|e| e.into_inner())))
                .flatten()
        })
    }

    /// Whether it stands for a task still in a graph (a `Delayed` or its `_SkeinRef`).
    pub(crate) fn is_pending(self) -> bool {
        matches!(self, Kind::Delayed | Kind::Ref)
    }
}
