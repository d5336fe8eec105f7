//! Stopping long native work: a [`Cancel`] the caller passes in, asked every few milliseconds.
//!
//! Python code in a notebook stops at the interpreter's next checkpoint when the user presses
//! Interrupt, but a native call such as `multi_sample(10**10)` runs Rust that never returns
//! to the interpreter. The labs' long loops therefore take a `&dyn Cancel` and ask it between
//! chunks of a few milliseconds of work; when it says stop they return
//! [`LabError::Interrupted`], which the kernel raises as `KeyboardInterrupt`.
//!
//! Checks are made between chunks, never inside the hot loop, so a run that is not stopped
//! costs the same as before and a seeded run gives the same answer either way.

use crate::error::LabError;

/// Whether the computation asking should stop. Called from whichever thread runs the work
/// (rayon's too, hence `Sync`), every few milliseconds: keep it to an atomic load or two.
pub trait Cancel: Sync {
    /// `true` once the work should stop.
    fn cancelled(&self) -> bool;
}

impl<F: Fn() -> bool + Sync> Cancel for F {
    fn cancelled(&self) -> bool {
        self()
    }
}

/// Never stops: for callers that have no interrupt (the CLI, benchmarks).
#[derive(Clone, Copy, Debug, Default)]
pub struct Never;

impl Cancel for Never {
    fn cancelled(&self) -> bool {
        false
    }
}

/// `Err(LabError::Interrupted)` once `cancel` says stop.
///
/// # Errors
/// [`LabError::Interrupted`] when [`Cancel::cancelled`] is true.
pub fn check(cancel: &dyn Cancel) -> Result<(), LabError> {
    if cancel.cancelled() {
        Err(LabError::Interrupted)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn closures_and_never_cancel() {
        let stop = AtomicBool::new(false);
        let flag = || stop.load(Ordering::Relaxed);
        assert_eq!(check(&flag), Ok(()));
        stop.store(true, Ordering::Relaxed);
        assert_eq!(check(&flag), Err(LabError::Interrupted));
        assert_eq!(check(&Never), Ok(()));
    }
}
