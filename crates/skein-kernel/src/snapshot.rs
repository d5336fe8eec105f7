//! The prelude-fed interpreter every later interpreter starts from. The prelude (Dask's
//! API, numpy, pandas, pyplot: thousands of lines) runs once per process; its interpreter
//! is dumped with Monty's `dump`, and each new interpreter — a worker's for each function
//! it meets, the kernel's after a restart — is loaded from the dump instead of running the
//! prelude again (natively about 3 ms against 18 ms).
//!
//! The prelude makes no host calls and reads nothing of its session, so one snapshot serves
//! every session of the process. Monty's heap keeps its slots through a dump, so the ids
//! `memory.py` records for the sweep stay true in a loaded interpreter.

use std::sync::OnceLock;

use monty::{Dump, MontyRepl, Session, SessionRef};

/// The dumped interpreter and the name its prelude snippet ran under (for tracebacks).
struct Snapshot {
    bytes: Vec<u8>,
    prelude_name: String,
}

static SNAPSHOT: OnceLock<Snapshot> = OnceLock::new();

/// An interpreter loaded from the snapshot, and its prelude's name; `None` before the first
/// interpreter of the process has run the prelude.
pub(crate) fn load() -> Option<(MontyRepl, String)> {
    let snapshot = SNAPSHOT.get()?;
    // A dump this same build wrote always loads; should it not, the caller runs the prelude.
    match Dump::load(&snapshot.bytes).ok()?.state {
        Session::Idle(repl) => Some((*repl, snapshot.prelude_name.clone())),
        Session::Suspended(_) | Session::Running(_) => None,
    }
}

/// Takes the snapshot from `repl`, an interpreter that has just run the prelude (as
/// `prelude_name`), unless another thread took it first. Threads meeting their first
/// function at once each run the prelude rather than wait: a wait could be on the browser's
/// main thread, which never blocks.
pub(crate) fn keep(repl: &MontyRepl, prelude_name: &str) {
    if SNAPSHOT.get().is_some() {
        return;
    }
    // A failed dump leaves every interpreter to run the prelude, as before snapshots.
    if let Ok(bytes) = monty::dump(prelude_name, None, &[], SessionRef::Idle(repl)) {
        let _ = SNAPSHOT.set(Snapshot {
            bytes,
            prelude_name: prelude_name.to_owned(),
        });
    }
}
