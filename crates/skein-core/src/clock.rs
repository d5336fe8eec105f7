//! The time source for events: milliseconds since the Unix epoch, from a settable function.
//!
//! `std::time::Instant::now()` panics on `wasm32-unknown-unknown`, so the engine never calls it
//! there. The browser app installs `performance.timeOrigin + performance.now()` with
//! [`set_source`]; natively the default reads a monotonic [`Instant`](std::time::Instant)
//! anchored to the wall clock at first use. On wasm without a source, [`now_ms`] returns `0.0`.
//!
//! ```
//! fn fixed() -> f64 { 42.0 }
//! skein_core::clock::set_source(fixed);
//! assert_eq!(skein_core::clock::now_ms(), 42.0);
//! skein_core::clock::reset_source();
//! ```

use std::sync::atomic::{AtomicPtr, Ordering};

/// The installed source as a type-erased function pointer; null means "the default".
static SOURCE: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());

/// Installs `source` as the process-wide clock (milliseconds, ideally since the Unix epoch).
pub fn set_source(source: fn() -> f64) {
    SOURCE.store(source as *mut (), Ordering::Release);
}

/// Goes back to the built-in clock.
pub fn reset_source() {
    SOURCE.store(std::ptr::null_mut(), Ordering::Release);
}

/// The current time in milliseconds. Never blocks and never panics.
pub fn now_ms() -> f64 {
    let raw = SOURCE.load(Ordering::Acquire);
    if raw.is_null() {
        return default_now();
    }
    // SAFETY: the only non-null values ever stored are `fn() -> f64` pointers cast in
    // `set_source`; function and data pointers have the same size on every target Rust supports.
    let source: fn() -> f64 = unsafe { std::mem::transmute::<*mut (), fn() -> f64>(raw) };
    source()
}

#[cfg(not(target_family = "wasm"))]
fn default_now() -> f64 {
    use std::sync::OnceLock;
    use std::time::{Instant, SystemTime, UNIX_EPOCH};
    static ANCHOR: OnceLock<(Instant, f64)> = OnceLock::new();
    let (start, wall) = ANCHOR.get_or_init(|| {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1e3);
        (Instant::now(), wall)
    });
    wall + start.elapsed().as_secs_f64() * 1e3
}

#[cfg(target_family = "wasm")]
fn default_now() -> f64 {
    0.0
}

#[cfg(test)]
mod test {
    #[test]
    fn default_clock_is_monotonic_and_after_2020() {
        let a = super::default_now();
        let b = super::default_now();
        assert!(b >= a);
        assert!(a > 1.5e12);
    }
}
