//! Generations ([`Priority::fifo_timeout`](crate::priority::Priority)): the numbers a
//! submission's tasks are ordered by. Each submission claims a run of numbers from one
//! counter, in submission order; one that starts a generation is numbered from its own claim,
//! one that joins the current generation from the generation's first claim. So a joining
//! submission's tasks interleave with the generation's by their places in their graphs, and
//! stay below every later generation's (a joiner's numbers end before its own claim does).

use std::sync::Mutex;
use std::time::Duration;

use crate::clock;

pub(crate) struct Generations {
    current: Mutex<Current>,
}

struct Current {
    /// The next number to claim.
    next: u64,
    /// The first claim of the current generation.
    base: u64,
    /// When it started, in [`clock::now_ms`] milliseconds.
    started_ms: f64,
}

impl Default for Generations {
    fn default() -> Generations {
        Generations {
            current: Mutex::new(Current {
                next: 0,
                base: 0,
                started_ms: f64::NEG_INFINITY,
            }),
        }
    }
}

impl Generations {
    /// Claims numbers for a submission of `tasks` tasks made with `fifo_timeout`, and returns
    /// the number its first task's place is added to.
    pub(crate) fn claim(&self, tasks: usize, fifo_timeout: Duration) -> u64 {
        let now = clock::now_ms();
        // Claimed and decided under one lock: of two submissions at once, the one that claims
        // first is the one the other may join.
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let claimed = current.next;
        current.next += tasks as u64 + 1;
        let window_ms = fifo_timeout.as_secs_f64() * 1e3;
        if fifo_timeout.is_zero() || now - current.started_ms > window_ms {
            current.base = claimed;
            current.started_ms = now;
        }
        current.base
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn a_submission_joins_the_generation_it_comes_within_the_timeout_of() {
        let g = Generations::default();
        let long = Duration::from_secs(3600);
        let first = g.claim(10, long);
        // Within the hour: numbered from the first's claim, so its places compare with the
        // first's.
        assert_eq!(g.claim(3, long), first);
        // With no timeout: a generation of its own, numbered after both.
        let own = g.claim(2, Duration::ZERO);
        assert!(own > first + 10 + 3, "{own}");
        // The generation is now the last one's: a joiner is numbered from it.
        assert_eq!(g.claim(1, long), own);
    }
}
