//! Monte Carlo estimation of π: the seed's `sample` and `multi_sample`, fast.
//!
//! A sample is a point `(x, y)` drawn uniformly from the unit square; it is a *hit* when
//! `x² + y² < 1`, which happens with probability π/4.
//!
//! The seed's Python loop draws two floats per sample. Here one 64-bit output of
//! [`LabRng`] gives both coordinates as 31-bit integers `x, y ∈ [0, 2³¹)` (the unit square
//! scaled by 2³¹), and the test `x² + y² < 2⁶²` is exact integer arithmetic that fits in a
//! `u64`. The hit count is added as `0`/`1` with no branch. Resolution 2⁻³¹ per coordinate
//! biases the hit probability by under 10⁻⁹, far below the statistical error of any run.

use rand::Rng;

use crate::cancel::{self, Cancel};
use crate::error::LabError;
use crate::rng::{LabRng, fresh_rng, rng_from_seed};

/// Samples between two cancellation checks: about a millisecond of work optimised, a few in
/// a debug build or in wasm.
const CHUNK: u64 = 1 << 20;

/// `(2³¹)²`: the squared radius of the unit circle on the 31-bit lattice.
const RADIUS_SQUARED: u64 = 1 << 62;
/// Mask for 31 bits.
const LOW_31: u64 = (1 << 31) - 1;

/// One sample, as the seed's `sample()`: `1` if a random point of the unit square falls in
/// the unit circle, else `0`. Impure: every call uses fresh randomness.
#[must_use]
pub fn sample() -> u64 {
    count_hits(&mut fresh_rng(), 1)
}

/// The number of hits among `n` random points, as the seed's `multi_sample(n)`. Impure:
/// every call draws a fresh seed (see [`crate::rng`]), like `pure=False` in Dask.
#[must_use]
pub fn multi_sample(n: u64) -> u64 {
    count_hits(&mut fresh_rng(), n)
}

/// [`multi_sample`] that stops when `cancel` says so (checked every [`CHUNK`] samples): a
/// notebook's `multi_sample(10**10)` runs for minutes, and Interrupt must stop it.
///
/// # Errors
/// [`LabError::Interrupted`] when `cancel` asks to stop.
pub fn multi_sample_until(n: u64, cancel: &dyn Cancel) -> Result<u64, LabError> {
    let mut rng = fresh_rng();
    let mut hits = 0;
    let mut left = n;
    while left > 0 {
        cancel::check(cancel)?;
        let chunk = left.min(CHUNK);
        hits += count_hits(&mut rng, chunk);
        left -= chunk;
    }
    Ok(hits)
}

/// [`multi_sample`] as a pure function: the same `n` and `seed` always give the same count.
#[must_use]
pub fn multi_sample_seeded(n: u64, seed: u64) -> u64 {
    count_hits(&mut rng_from_seed(seed), n)
}

/// The estimate of π from `hits` out of `samples` (`4 · hits / samples`); `NaN` for no
/// samples.
#[must_use]
pub fn pi_estimate(hits: u64, samples: u64) -> f64 {
    4.0 * hits as f64 / samples as f64
}

/// `1` if the point whose coordinates are the high and low 31 bits of `bits` is a hit.
#[inline(always)]
fn hit(bits: u64) -> u64 {
    let x = bits >> 33;
    let y = bits & LOW_31;
    u64::from(x * x + y * y < RADIUS_SQUARED)
}

/// Counts hits among `n` points drawn from `rng`. The loop body is branch-free; four
/// independent accumulators let the CPU overlap the multiplies of successive samples.
fn count_hits(rng: &mut LabRng, n: u64) -> u64 {
    let mut acc = [0u64; 4];
    for _ in 0..n / 4 {
        acc[0] += hit(rng.next_u64());
        acc[1] += hit(rng.next_u64());
        acc[2] += hit(rng.next_u64());
        acc[3] += hit(rng.next_u64());
    }
    let mut total: u64 = acc.iter().sum();
    for _ in 0..n % 4 {
        total += hit(rng.next_u64());
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lattice_test_is_exact_at_the_boundary() {
        // x = 2³¹ - 1, y = 0 lies inside; x = y = 2³⁰·√2 ≈ 1518500250 lies just on either side.
        assert_eq!(hit(((1u64 << 31) - 1) << 33), 1);
        let inside = 1_518_500_249u64;
        let outside = 1_518_500_250u64;
        assert!(inside * inside * 2 < RADIUS_SQUARED);
        assert!(outside * outside * 2 >= RADIUS_SQUARED);
        assert_eq!(hit((inside << 33) | inside), 1);
        assert_eq!(hit((outside << 33) | outside), 0);
    }

    #[test]
    fn hit_rate_is_pi_over_four() {
        // 4·10⁶ samples: the standard error of the estimate is 4·√(p(1-p)/n) ≈ 8.2·10⁻⁴,
        // so 5 standard errors is 4.1·10⁻³.
        let n = 4_000_000;
        let estimate = pi_estimate(multi_sample_seeded(n, 7), n);
        assert!(
            (estimate - std::f64::consts::PI).abs() < 4.1e-3,
            "{estimate}"
        );
    }

    #[test]
    fn seeded_is_pure_and_unseeded_is_not() {
        assert_eq!(
            multi_sample_seeded(10_001, 3),
            multi_sample_seeded(10_001, 3)
        );
        // Two impure draws of 10⁵ samples agree with probability ≈ 0.3 %, and so do the
        // three fresh seeds below all together with probability < 10⁻⁷.
        let draws = [
            multi_sample(100_000),
            multi_sample(100_000),
            multi_sample(100_000),
        ];
        assert!(draws[0] != draws[1] || draws[1] != draws[2]);
    }

    #[test]
    fn a_cancelled_run_stops_between_chunks() {
        use std::sync::atomic::{AtomicU64, Ordering};
        // Cancels at the third check: a run of u64::MAX samples returns after two chunks.
        let checks = AtomicU64::new(0);
        let third = || checks.fetch_add(1, Ordering::Relaxed) == 2;
        assert_eq!(
            multi_sample_until(u64::MAX, &third),
            Err(LabError::Interrupted)
        );
        assert_eq!(checks.load(Ordering::Relaxed), 3);
        let hits = multi_sample_until(2 * CHUNK + 3, &crate::cancel::Never).unwrap();
        assert!(hits <= 2 * CHUNK + 3);
        assert_eq!(multi_sample_until(0, &|| true), Ok(0));
    }

    #[test]
    fn counts_are_bounded_and_tail_handled() {
        for n in [0, 1, 2, 3, 5, 7] {
            assert!(multi_sample_seeded(n, 11) <= n);
        }
        assert!(sample() <= 1);
        // A prefix of the stream gives a prefix of the count.
        let mut rng = rng_from_seed(5);
        let first = count_hits(&mut rng, 6);
        let rest = count_hits(&mut rng, 4);
        assert_eq!(first + rest, multi_sample_seeded(10, 5));
    }
}
