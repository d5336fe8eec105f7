//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use skein_core::{Client, Config};

/// A client on its own two-thread pool, so counters are not shared with other tests.
pub fn client() -> Client {
    Client::with_config(Config {
        threads: Some(2),
        ..Config::default()
    })
}

/// Waits (up to 5 s) for `cond`, for effects that land just after a result is handed out.
pub fn eventually(mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    cond()
}

/// Every group's results released: nothing in memory, no bytes held, no tasks left.
pub fn all_released(client: &Client) -> bool {
    client
        .groups()
        .iter()
        .all(|g| g.memory == 0 && g.bytes == 0 && g.pending() == 0 && g.erred == 0)
        && client.live_tasks() == 0
}

/// A small xorshift generator: seeded per call so impure calls differ and pure calls repeat.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    pub fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The seed's `multi_sample(n)`: points of the unit square inside the unit circle.
pub fn multi_sample_seeded(n: u64, seed: u64) -> u64 {
    let mut rng = Rng::new(seed);
    (0..n)
        .filter(|_| {
            let (x, y) = (rng.uniform(), rng.uniform());
            x * x + y * y < 1.0
        })
        .count() as u64
}
