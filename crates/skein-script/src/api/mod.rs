//! Skein's API in the script language, one module per concept, each registering its
//! functions and types on the engine.

pub(crate) mod arrays;
pub(crate) mod bag;
pub(crate) mod client;
pub(crate) mod delayed;
pub(crate) mod files;
pub(crate) mod labs;
pub(crate) mod options;
pub(crate) mod plots;
pub(crate) mod tables;

use std::sync::Arc;

use rhai::Engine;

use crate::session::Session;

/// Registers the whole API.
pub(crate) fn register(engine: &mut Engine, session: &Arc<Session>) {
    arrays::register(engine);
    delayed::register(engine, session);
    client::register(engine, session);
    bag::register(engine, session);
    plots::register(engine, session);
    tables::register(engine, session);
    files::register(engine, session);
    labs::register(engine, session);
}
