//! Where a submission's tasks queue: Dask's `priority=` and `fifo_timeout=`.
//!
//! Dask serves submissions first come, first served, but coarsely: a submission made within
//! `fifo_timeout` of the start of the current *generation* joins it, and the tasks of one
//! generation run in the order of their places in their own graphs, so a small computation
//! started while a large one of the same generation is queued starts next. A later
//! submission starts a new generation, which runs after every older one. `client.submit` and
//! `client.map` wait 100 ms; `client.compute`, `persist` and `dask.compute`, 60 s.

use std::time::Duration;

/// A submission's priority.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Priority {
    /// Dask's `priority=`: a higher one runs before every queued task of a lower one,
    /// whatever their ages; 0 by default.
    pub user: i32,
    /// Dask's `fifo_timeout=`: how long after a generation starts a submission still joins it.
    /// Zero, the default here, makes each submission a generation of its own: strictly first
    /// come, first served.
    pub fifo_timeout: Duration,
}

impl Priority {
    /// Dask's `fifo_timeout` for `client.submit` and `client.map`.
    pub const SUBMIT_FIFO: Duration = Duration::from_millis(100);
    /// Dask's `fifo_timeout` for `client.compute`, `client.persist` and `dask.compute`.
    pub const COMPUTE_FIFO: Duration = Duration::from_secs(60);

    /// The user's `priority` with Dask's `fifo_timeout`.
    pub fn new(user: i32, fifo_timeout: Duration) -> Priority {
        Priority { user, fifo_timeout }
    }
}

impl From<i32> for Priority {
    fn from(user: i32) -> Priority {
        Priority {
            user,
            ..Priority::default()
        }
    }
}
