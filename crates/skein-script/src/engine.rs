//! The script engine of a kernel: Rhai with its standard library, limits that keep a cell
//! from exhausting memory, the interrupt check on every operation, `print` streaming to the
//! cell's output, and Skein's API.

use std::sync::Arc;

use rhai::{Dynamic, Engine};

use crate::api;
use crate::interrupt::INTERRUPTED;
use crate::output::Output;
use crate::session::Session;

/// Limits on what one script may build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Operations a script may run before it is stopped (0: no limit; interrupt still works).
    pub max_operations: u64,
    /// Nested function calls (deep recursion fails instead of overflowing the stack).
    pub max_call_levels: usize,
    /// Nesting of expressions at the top level and inside functions (parse time).
    pub max_expr_depths: (usize, usize),
    /// Characters in one string.
    pub max_string_size: usize,
    /// Items in one array.
    pub max_array_size: usize,
    /// Entries in one object map.
    pub max_map_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 0,
            max_call_levels: 48,
            max_expr_depths: (256, 128),
            max_string_size: 16 << 20,
            max_array_size: 16 << 20,
            max_map_size: 1 << 20,
        }
    }
}

/// Builds the engine for `session` and makes it the one the session's tasks use.
pub(crate) fn build(session: &Arc<Session>, limits: Limits) -> Arc<Engine> {
    let mut engine = Engine::new();
    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(limits.max_expr_depths.0, limits.max_expr_depths.1)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_array_size)
        .set_max_map_size(limits.max_map_size);

    let state = session.interrupt.clone();
    engine.on_progress(move |_| state.should_stop().then(|| Dynamic::from(INTERRUPTED)));
    let s = session.clone();
    engine.on_print(move |text| {
        s.outbox.emit(Output::Text {
            text: text.to_owned(),
        })
    });
    let s = session.clone();
    engine.on_debug(move |text, _, _| {
        s.outbox.emit(Output::Text {
            text: text.to_owned(),
        })
    });

    api::register(&mut engine, session);
    let engine = Arc::new(engine);
    session.set_engine(&engine);
    engine
}
