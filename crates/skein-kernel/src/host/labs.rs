//! Skein's native labs (`from skein.labs import multi_sample`): `_skein_lab_<name>(…)` runs
//! the lab function `name` in Rust (`labs.rs`, which reads each function's own arguments),
//! in the cell or as a task's function.

use super::args::Args;
use super::registry::LAB_PREFIX;
use super::{Host, HostResult};

/// `_skein_lab_<name>`: the lab function `name`.
pub(super) fn lab(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let lab = args.name.strip_prefix(LAB_PREFIX).unwrap_or(args.name);
    crate::labs::call(lab, args.items, &host.session.interrupt.canceller())
}
