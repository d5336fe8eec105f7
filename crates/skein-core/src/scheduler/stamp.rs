//! One clock read shared by the events of one scheduler step.
//!
//! A task finishing, its dependents becoming ready and its inputs being released happen at the
//! same moment as far as a dashboard can tell, so they share a timestamp instead of reading the
//! clock once per event (reads were a visible part of the per-task overhead). The clock is read
//! lazily: a step that reports nothing (events off, or a full log nobody reads) never reads it.

use crate::clock;

pub(crate) struct Stamp {
    time: Option<f64>,
}

impl Stamp {
    /// A stamp not yet read.
    pub(crate) fn new() -> Stamp {
        Stamp { time: None }
    }

    /// The step's time, read from the clock the first time it is asked for.
    pub(crate) fn get(&mut self) -> f64 {
        *self.time.get_or_insert_with(clock::now_ms)
    }
}
