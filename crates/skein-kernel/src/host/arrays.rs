//! numpy and scipy: `_skein_np(op, *args)`, every array operation run in Rust (`numpy/`),
//! which reads each operation's own arguments.

use super::args::Args;
use super::{Host, HostResult};

/// `_skein_np`: one numpy operation; long ones stop when the cell is interrupted.
pub(super) fn np(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    crate::numpy::call(args.items, &host.session.interrupt.canceller())
}
