//! numpy and scipy: `_skein_np(op, *args)`, every array operation run in Rust (`numpy/`).

use monty_types::ObjectRef;

use super::{Host, HostResult};

impl Host {
    /// One numpy operation; long ones stop when the cell is interrupted.
    pub(super) fn np(&mut self, args: &[ObjectRef<'_>]) -> HostResult {
        crate::numpy::call(args, &self.session.interrupt.canceller())
    }
}
