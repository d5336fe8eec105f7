//! What `from m import *` binds for a module of Skein's (`_skein_public_names`): the public
//! attributes of the prelude's module object. Monty has no `dir()` and no `__dict__`, but an
//! object's attributes cross to the host with it.

use monty_types::ObjectRef;

use super::args::{Args, host_args};
use super::{HostResult, strings, type_error};

host_args! {
    /// `_skein_public_names(module)`: a module object of the prelude.
    pub(super) struct Module<'a> { module: ObjectRef<'a> }
}

/// `_skein_public_names`: the names of `module`'s attributes that do not start with `_`, in
/// the order the prelude set them.
pub(super) fn public_names(_: &mut super::Host, args: Args<'_, '_>) -> HostResult {
    let Module { module } = args.parse()?;
    let pairs = module
        .pairs()
        .ok_or_else(|| type_error("_skein_public_names() takes a module"))?;
    Ok(strings(pairs.iter().filter_map(|(name, _)| {
        name.as_str()
            .filter(|n| !n.starts_with('_'))
            .map(str::to_owned)
    })))
}
