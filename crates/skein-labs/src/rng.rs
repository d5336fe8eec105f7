//! Seeds and generators for every random draw in the labs.
//!
//! Dask distinguishes *pure* calls (same arguments, same answer) from *impure* ones (fresh
//! randomness on every call). The labs mirror that with seeds:
//!
//! * a function that takes a `seed` is pure: [`rng_from_seed`] turns the seed into a
//!   [`LabRng`] and the same seed always gives the same numbers, natively and in wasm;
//! * an impure call draws its seed from [`fresh_seed`], a process-wide SplitMix64 sequence
//!   kept in one atomic, so two calls never share a seed, even on different workers.
//!
//! The sequence starts from a fixed constant, so a process that never mixes in entropy is
//! reproducible run to run. Call [`reseed_entropy`] once at start-up with real randomness:
//! the browser app passes `crypto.getRandomValues`, the native CLI hashes the time and a
//! `RandomState`. Nothing here asks the operating system for entropy, so the crate needs no
//! `getrandom` backend in wasm.

use std::sync::atomic::{AtomicU64, Ordering};

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator used by every lab: xoshiro256++, fast, small and good enough for
/// simulation (not for cryptography).
pub type LabRng = Xoshiro256PlusPlus;

/// SplitMix64's increment (the golden ratio in 64-bit fixed point).
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// State of the process-wide seed sequence.
static SEED_STATE: AtomicU64 = AtomicU64::new(0x5EED_5EED_C0FF_EE00);

/// SplitMix64's output function: a bijective mix of a 64-bit state.
#[must_use]
pub fn splitmix64_mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The next seed of the process-wide sequence; never the same twice in one process (the
/// sequence has period 2^64). Thread-safe and lock-free.
#[must_use]
pub fn fresh_seed() -> u64 {
    let state = SEED_STATE
        .fetch_add(GOLDEN_GAMMA, Ordering::Relaxed)
        .wrapping_add(GOLDEN_GAMMA);
    splitmix64_mix(state)
}

/// Mixes outside entropy into the seed sequence, so that impure calls differ between runs.
///
/// Call it once at start-up (more calls only add entropy). The browser app passes browser
/// randomness; the native CLI a hash of the clock and `std`'s `RandomState`.
pub fn reseed_entropy(entropy: u64) {
    let mixed = splitmix64_mix(entropy ^ GOLDEN_GAMMA);
    // XOR keeps every earlier contribution; the atomic makes concurrent reseeds safe.
    SEED_STATE.fetch_xor(mixed, Ordering::Relaxed);
}

/// The seed of sub-stream `stream` of `seed`: independent-looking seeds for each zone or
/// batch of one seeded run, so that running the parts in any order, or on any worker,
/// gives the same numbers.
#[must_use]
pub fn derive_seed(seed: u64, stream: u64) -> u64 {
    splitmix64_mix(splitmix64_mix(seed) ^ stream.wrapping_add(1).wrapping_mul(GOLDEN_GAMMA))
}

/// A generator for a pure call: the same seed always gives the same stream.
#[must_use]
pub fn rng_from_seed(seed: u64) -> LabRng {
    LabRng::seed_from_u64(seed)
}

/// A generator for an impure call, seeded from [`fresh_seed`].
#[must_use]
pub fn fresh_rng() -> LabRng {
    rng_from_seed(fresh_seed())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn splitmix_matches_reference_vector() {
        // First outputs of the reference SplitMix64 (Vigna) seeded with 1234567.
        let mut state: u64 = 1_234_567;
        let mut next = || {
            state = state.wrapping_add(GOLDEN_GAMMA);
            splitmix64_mix(state)
        };
        assert_eq!(next(), 6_457_827_717_110_365_317);
        assert_eq!(next(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn derived_seeds_differ_by_stream_and_seed() {
        let seeds: std::collections::HashSet<u64> = (0..4)
            .flat_map(|s| (0..100).map(move |i| derive_seed(s, i)))
            .collect();
        assert_eq!(seeds.len(), 400);
        assert_eq!(derive_seed(3, 7), derive_seed(3, 7));
    }

    #[test]
    fn fresh_seeds_differ() {
        let a = fresh_seed();
        let b = fresh_seed();
        assert_ne!(a, b);
    }

    #[test]
    fn seeded_rng_is_reproducible() {
        let mut a = rng_from_seed(42);
        let mut b = rng_from_seed(42);
        let mut c = rng_from_seed(43);
        let xa = a.next_u64();
        assert_eq!(xa, b.next_u64());
        assert_ne!(xa, c.next_u64());
    }
}
