//! The task functions every worker already has, which the prelude (`prelude/sendable.py`)
//! sends by name instead of as a cell's `def`: a function of a module Skein provides in
//! Python (`np.sum`, `operator.add`), sent as the expression that reaches it,
//! `_skein_modules['numpy'].sum`, and a top-level prelude function (`_skein_shortest_path`).
//! Also the names Dask gives such tasks' keys.

use monty_types::ObjectRef;
use monty_types::unstable::{MontyNode, node};

use crate::rewrite::{INNER_PREFIX, LAMBDA_PREFIX};

/// A named function's name from Monty's repr of it: `inc` from `<function 'inc' at 0x…>`
/// (a cell's) or `<function sleep at 0x…>` (a module's); `None` for a lambda, a method or
/// anything else. The one reading of a function's identity off its repr, which is all Monty
/// says of a function that crosses to the host.
pub(crate) fn function_name(repr: &str) -> Option<&str> {
    let rest = repr.strip_prefix("<function ")?;
    let rest = rest.strip_prefix('\'').unwrap_or(rest);
    let name = &rest[..rest.find(['\'', ' ']).unwrap_or(rest.len())];
    (!name.is_empty() && !name.contains('<') && !name.contains('.')).then_some(name)
}

/// What the prelude sends a class a cell defined as, before its name (`_SKEIN_CLASS_PREFIX`
/// in `prelude/sendable.py`): the class itself must not cross to the host.
const CLASS_PREFIX: &str = "_skein_class_";

/// The class `sent` names, if it is a cell's class as the prelude sends it.
pub(crate) fn class_name(sent: &str) -> Option<&str> {
    sent.strip_prefix(CLASS_PREFIX)
        .filter(|name| !name.is_empty() && !name.starts_with("_skein_"))
}

/// Whether `name` is the definition the kernel made for a lambda or an inner function.
pub(crate) fn is_kept(name: &str) -> bool {
    name.starts_with(LAMBDA_PREFIX) || name.starts_with(INNER_PREFIX)
}

/// `(entry, name)` for a function every worker's prelude defines: the expression the worker
/// calls and the name of its tasks' keys.
pub(crate) fn prelude_entry(func: ObjectRef<'_>) -> Option<(String, String)> {
    match node(func) {
        MontyNode::String(path) => {
            let (_, name) = module_path(path)?;
            Some((path.clone(), name.to_owned()))
        }
        _ => None,
    }
}

/// The module and function of `_skein_modules['numpy.linalg'].norm` (a module Skein provides)
/// or `_skein_std_modules['time'].sleep` (one of Monty's), checked strictly: the text becomes
/// code in the worker's interpreter.
fn module_path(path: &str) -> Option<(&str, &str)> {
    let rest = path
        .strip_prefix("_skein_modules['")
        .or_else(|| path.strip_prefix("_skein_std_modules['"))?;
    let (module, name) = rest.split_once("'].")?;
    let identifier = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    (module.split('.').all(identifier) && identifier(name)).then_some((module, name))
}

/// Whether `name` is a top-level prelude function (`_skein_shortest_path`), not a helper
/// the host treats on its own (`_skein_apply_*`, `_skein_lab_*`) or a lambda.
pub(crate) fn is_prelude_function(name: &str) -> bool {
    name.starts_with("_skein_")
        && !is_kept(name)
        && !name.starts_with("_skein_lab_")
        && !name.starts_with("_skein_apply")
}

/// The name Dask gives a task of the function `name`: `lambda` for a lambda, a prelude
/// function's name without `_skein_`.
pub(crate) fn display_name(name: &str) -> String {
    if name.starts_with(LAMBDA_PREFIX) {
        "lambda".to_owned()
    } else if let Some(rest) = name.strip_prefix(INNER_PREFIX) {
        rest.split_once('_').map_or(rest, |(_, n)| n).to_owned()
    } else if let Some(rest) = name.strip_prefix("_skein_") {
        rest.to_owned()
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn module_paths_are_checked_before_they_become_code() {
        assert_eq!(
            module_path("_skein_modules['numpy.linalg'].norm"),
            Some(("numpy.linalg", "norm"))
        );
        assert_eq!(
            module_path("_skein_std_modules['time'].sleep"),
            Some(("time", "sleep"))
        );
        assert_eq!(module_path("_skein_modules['os'].system('x')"), None);
        assert_eq!(module_path("_skein_std_modules['os'].system('x')"), None);
        assert_eq!(module_path("_skein_modules['a'b'].c"), None);
        assert_eq!(module_path("print"), None);
        assert_eq!(function_name("<function 'inc' at 0x4c>"), Some("inc"));
        assert_eq!(function_name("<function sleep at 0x22002b>"), Some("sleep"));
        assert_eq!(function_name("<function '<lambda>' at 0x4c>"), None);
        assert_eq!(function_name("<function 'A.f' at 0x4c>"), None);
        assert_eq!(function_name("<bound method A.f of <A object>>"), None);
        assert_eq!(class_name("_skein_class_Point"), Some("Point"));
        assert_eq!(class_name("_skein_class_"), None);
        assert_eq!(class_name("Point"), None);
        assert_eq!(display_name("_skein_lambda_0123"), "lambda");
        assert_eq!(display_name("_skein_inner_0123_make_f"), "make_f");
        assert!(is_prelude_function("_skein_shortest_path"));
        assert!(!is_prelude_function("_skein_apply_op"));
    }
}
