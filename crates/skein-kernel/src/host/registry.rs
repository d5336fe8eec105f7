//! The one list of host functions (`host_functions!` below, grouped by the file that answers
//! them): each `_skein_*` name the prelude calls, the handler that answers it, and whether it
//! puts entries in the session's tables. The interpreter offers exactly these names ([`lookup`];
//! Monty asks for a name the Python does not define), so a name cannot drift between Rust
//! and Python: a test checks that the prelude calls every one and calls no other.
//!
//! The native lab functions are one family, `_skein_lab_<name>` for each of
//! [`LAB_FUNCTIONS`], the list the prelude's `skein.labs` bindings are generated from.

use super::args::Args;
use super::{Host, HostResult, arrays, cluster, coordination, display, files, frames};
use super::{futures, graphs};
use super::{keys, labs, modules, runner, tasks};
use crate::lab_names::LAB_FUNCTIONS;

/// A host function's handler: reads its typed arguments from the call and answers it.
pub(super) type Handler = fn(&mut Host, Args<'_, '_>) -> HostResult;

/// One host function.
#[derive(Clone, Copy)]
pub(crate) struct HostFunction {
    /// Whether it puts entries in the session's tables (a future, a pending or persisted
    /// `Delayed`, an `as_completed`): a task's call of it holds entries no sweep sees
    /// (`release.rs`).
    pub(crate) makes_entries: bool,
    pub(super) handler: Handler,
}

const fn function(handler: Handler) -> HostFunction {
    HostFunction {
        makes_entries: false,
        handler,
    }
}

const fn makes_entries(handler: Handler) -> HostFunction {
    HostFunction {
        makes_entries: true,
        handler,
    }
}

/// Makes [`find`] and the list of names of the one list below.
macro_rules! host_functions {
    ($($kind:ident($name:literal, $handler:path),)*) => {
        /// The host function `name` but the labs: a `match`, which compiles to comparisons
        /// of lengths before any of bytes.
        fn find(name: &str) -> Option<HostFunction> {
            match name {
                $($name => Some($kind($handler)),)*
                _ => None,
            }
        }

        /// Every host function's name but the labs'.
        const NAMES: &[&str] = &[$($name),*];
    };
}

host_functions! {
    // futures.rs
    makes_entries("_skein_submit", futures::submit),
    makes_entries("_skein_map", futures::map),
    makes_entries("_skein_future_of", futures::future_of),
    makes_entries("_skein_scatter", futures::scatter),
    function("_skein_gather", futures::gather),
    function("_skein_gather_keys", futures::gather_keys),
    function("_skein_gather_quiet", futures::gather_quiet),
    function("_skein_result", futures::result),
    function("_skein_exception", futures::exception),
    function("_skein_states", futures::states),
    function("_skein_placement", futures::placement),
    function("_skein_memory_keys", futures::memory_keys),
    function("_skein_cancel", futures::cancel),
    function("_skein_forget", futures::forget),
    function("_skein_traceback_frames", futures::traceback_frames),
    function("_skein_progress", futures::progress),
    makes_entries("_skein_as_completed", futures::as_completed),
    function("_skein_as_completed_add", futures::as_completed_add),
    function("_skein_as_completed_count", futures::as_completed_count),
    makes_entries("_skein_as_completed_next", futures::as_completed_next),
    // graphs.rs
    makes_entries("_skein_register", graphs::register),
    function("_skein_compute", graphs::compute),
    makes_entries("_skein_persist", graphs::persist),
    function("_skein_visualize", graphs::visualize),
    function("_skein_graph_keys", graphs::graph_keys),
    makes_entries("_skein_futures_of", graphs::futures_of),
    makes_entries("_skein_bag_map", graphs::bag_map),
    // keys.rs, tasks.rs
    function("_skein_pure_key", keys::pure_key_of),
    function("_skein_value_names", tasks::value_names),
    function("_skein_is_function", tasks::is_function_call),
    function("_skein_served", runner::served),
    // modules.rs
    function("_skein_public_names", modules::public_names),
    // arrays.rs
    function("_skein_np", arrays::np),
    // frames.rs
    function("_skein_show_table", frames::show_table),
    function("_skein_plot_series", frames::plot_series),
    // display.rs
    function("_skein_show", display::show),
    function("_skein_show_graph", display::show_graph),
    function("_skein_plt", display::plt),
    // files.rs
    function("_skein_read_text", files::read_text),
    function("_skein_write_text", files::write_text),
    function("_skein_glob", files::glob),
    // cluster.rs
    function("_skein_workers", cluster::workers),
    function("_skein_worker_index", cluster::worker_index),
    function("_skein_scale", cluster::scale),
    function("_skein_release", cluster::release),
    function("_skein_restart", cluster::restart),
    function("_skein_task_stream_start", cluster::task_stream_start),
    function("_skein_task_stream_stop", cluster::task_stream_stop),
    function("_skein_performance_report", cluster::performance_report),
    // coordination.rs
    function("_skein_variable_set", coordination::variable_set),
    makes_entries("_skein_variable_get", coordination::variable_get),
    function("_skein_variable_delete", coordination::variable_delete),
    function("_skein_queue_put", coordination::queue_put),
    makes_entries("_skein_queue_get", coordination::queue_get),
    function("_skein_queue_qsize", coordination::queue_qsize),
    function("_skein_lease_acquire", coordination::lease_acquire),
    function("_skein_lease_release", coordination::lease_release),
    function("_skein_lease_count", coordination::lease_count),
    function("_skein_event_set", coordination::event_set),
    function("_skein_event_wait", coordination::event_wait),
    function("_skein_dataset_publish", coordination::dataset_publish),
    makes_entries("_skein_dataset_get", coordination::dataset_get),
    function("_skein_dataset_list", coordination::dataset_list),
    function("_skein_dataset_unpublish", coordination::dataset_unpublish),
}

/// The prefix of a native lab function's name.
pub(crate) const LAB_PREFIX: &str = "_skein_lab_";

/// The host function `name`, if there is one: one of the list above, or
/// `_skein_lab_<name>` (labs.rs) for each of [`LAB_FUNCTIONS`].
pub(crate) fn lookup(name: &str) -> Option<HostFunction> {
    find(name).or_else(|| {
        let lab = name.strip_prefix(LAB_PREFIX)?;
        LAB_FUNCTIONS.contains(&lab).then_some(function(labs::lab))
    })
}

/// Every host function's name.
pub(crate) fn names() -> impl Iterator<Item = String> {
    NAMES
        .iter()
        .map(|&name| name.to_owned())
        .chain(LAB_FUNCTIONS.iter().map(|lab| format!("{LAB_PREFIX}{lab}")))
}

#[cfg(test)]
mod test {
    use std::collections::BTreeSet;

    use ruff_python_ast::visitor::{self, Visitor};
    use ruff_python_ast::{ExceptHandler, Expr, ExprContext, Parameter, Stmt};

    use super::*;

    /// The `_skein_*` names a Python text reads and the ones it binds.
    #[derive(Default)]
    struct Names {
        read: BTreeSet<String>,
        bound: BTreeSet<String>,
    }

    impl Names {
        fn bind(&mut self, name: &str) {
            self.bound.insert(name.to_owned());
        }
    }

    impl<'a> Visitor<'a> for Names {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(def) => self.bind(def.name.as_str()),
                Stmt::ClassDef(class) => self.bind(class.name.as_str()),
                Stmt::Import(import) => import.names.iter().for_each(|alias| {
                    self.bind(alias.asname.as_ref().unwrap_or(&alias.name).as_str());
                }),
                Stmt::ImportFrom(import) => import.names.iter().for_each(|alias| {
                    self.bind(alias.asname.as_ref().unwrap_or(&alias.name).as_str());
                }),
                _ => {}
            }
            visitor::walk_stmt(self, stmt);
        }

        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Name(name) = expr {
                match name.ctx {
                    ExprContext::Load => self.read.insert(name.id.to_string()),
                    _ => self.bound.insert(name.id.to_string()),
                };
            }
            visitor::walk_expr(self, expr);
        }

        fn visit_parameter(&mut self, parameter: &'a Parameter) {
            self.bind(parameter.name.as_str());
            visitor::walk_parameter(self, parameter);
        }

        fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
            let ExceptHandler::ExceptHandler(inner) = handler;
            if let Some(name) = &inner.name {
                self.bind(name.as_str());
            }
            visitor::walk_except_handler(self, handler);
        }
    }

    #[test]
    fn lookups_find_every_name_and_only_those() {
        let unique: BTreeSet<&str> = NAMES.iter().copied().collect();
        assert_eq!(unique.len(), NAMES.len(), "a name twice");
        for name in names() {
            assert!(lookup(&name).is_some(), "{name}");
        }
        assert!(lookup("_skein_lab_nothing").is_none());
        assert!(lookup("_skein_nothing").is_none());
        assert!(lookup("_skein_apply_op").is_none(), "a prelude function");
    }

    #[test]
    fn the_prelude_calls_every_host_function_and_no_other() {
        let prelude = crate::interp::prelude();
        let parsed = ruff_python_parser::parse_module(prelude)
            .unwrap_or_else(|e| panic!("the prelude does not parse: {e}"));
        let mut found = Names::default();
        found.visit_body(&parsed.syntax().body);
        // What the prelude reads but never defines is what it asks the host for.
        let called: BTreeSet<String> = found
            .read
            .difference(&found.bound)
            .filter(|n| n.starts_with("_skein_"))
            .cloned()
            .collect();
        let registered: BTreeSet<String> = names().collect();
        let unknown: Vec<&String> = called.difference(&registered).collect();
        let unused: Vec<&String> = registered.difference(&called).collect();
        assert!(
            unknown.is_empty(),
            "the prelude calls host functions the registry does not have: {unknown:?}"
        );
        assert!(
            unused.is_empty(),
            "the registry has host functions the prelude never calls: {unused:?}"
        );
    }
}
