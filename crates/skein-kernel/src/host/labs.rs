//! Skein's native labs (`from skein.labs import multi_sample`): `_skein_lab_<name>(…)` runs
//! the lab function `name` in Rust (`labs.rs`), in the cell or as a task's function.

use monty_types::ObjectRef;

use super::{Host, HostResult};

impl Host {
    /// The lab function `lab` (its name without `_skein_lab_`).
    pub(super) fn lab(&mut self, lab: &str, args: &[ObjectRef<'_>]) -> HostResult {
        crate::labs::call(lab, args, &self.session.interrupt.canceller())
    }
}
