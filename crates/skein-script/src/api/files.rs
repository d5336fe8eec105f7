//! Files without storage: the app hands uploaded files to the kernel
//! ([`Kernel::set_file`](crate::Kernel::set_file)), and scripts read them by name — or write
//! small ones in memory, e.g. a notebook that ships its own CSV. Nothing touches a disk.
//!
//! ```rhai
//! write_text("df-demo.csv", "player,points\nAlice,10\n");
//! read_text("df-demo.csv");
//! files()                                   // ["df-demo.csv"]
//! ```

use std::sync::Arc;

use rhai::{Array, Dynamic, Engine};

use crate::session::Session;

/// Registers `read_text`, `write_text` and `files`.
pub(crate) fn register(engine: &mut Engine, session: &Arc<Session>) {
    let s = session.clone();
    engine.register_fn("read_text", move |name: &str| s.text(name));
    let s = session.clone();
    engine.register_fn("write_text", move |name: &str, text: &str| {
        s.set_file(name, Arc::from(text.as_bytes()));
    });
    let s = session.clone();
    engine.register_fn("files", move || {
        s.file_names()
            .into_iter()
            .map(Dynamic::from)
            .collect::<Array>()
    });
}
