//! The task states and their order in a task's life: a leaf module, so the scheduler,
//! the event log and the counters all read it without depending on one another.

use std::fmt;

/// Where a task is in its life: `Waiting → Ready → Processing → Memory | Erred`, then
/// `Released` once nothing needs it. A task no one needs any more may be released from
/// `Waiting` or `Ready` without running (cancelled or dropped).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TaskState {
    /// Some dependency is not in memory yet.
    Waiting = 0,
    /// Every dependency is in memory; queued for a worker.
    Ready = 1,
    /// Running on a worker.
    Processing = 2,
    /// Finished; the result is held for its dependents and handles.
    Memory = 3,
    /// Failed, or a dependency failed.
    Erred = 4,
    /// Forgotten: nothing needs the task any more.
    Released = 5,
}

impl TaskState {
    pub(crate) const COUNT: usize = 6;

    pub(crate) fn from_u8(n: u8) -> TaskState {
        match n {
            0 => TaskState::Waiting,
            1 => TaskState::Ready,
            2 => TaskState::Processing,
            3 => TaskState::Memory,
            4 => TaskState::Erred,
            _ => TaskState::Released,
        }
    }

    /// Whether the task will not change any more except to `Released`.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            TaskState::Memory | TaskState::Erred | TaskState::Released
        )
    }

    /// The lower-case name, as Dask spells it.
    pub fn name(self) -> &'static str {
        match self {
            TaskState::Waiting => "waiting",
            TaskState::Ready => "ready",
            TaskState::Processing => "processing",
            TaskState::Memory => "memory",
            TaskState::Erred => "erred",
            TaskState::Released => "released",
        }
    }
}

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
