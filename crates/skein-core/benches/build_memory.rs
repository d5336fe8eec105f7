//! Memory of building `sum` of N delayed calls, for N = 10^4, 10^5, 10^6: the bytes the built
//! graph holds and the allocator's peak while building, per element, to show they are O(N).
//!
//! A counting allocator wraps the system one in this bench only (never in the library), and
//! lives in its own bench binary so the timing benches in `scheduler.rs` do not pay for it.
//! Run: `cargo bench -p skein-core --bench build_memory`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use skein_core::{delayed, sum};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn inc(x: u64) -> u64 {
    x.wrapping_add(1)
}

fn main() {
    let f = delayed(inc);
    println!("build_sum: N, ns/element (best of 3), retained bytes/element, peak bytes/element");
    for n in [10_000_u64, 100_000, 1_000_000] {
        let mut best = f64::INFINITY;
        let (mut retained, mut peak) = (0, 0);
        for _ in 0..3 {
            let before = LIVE.load(Ordering::Relaxed);
            PEAK.store(before, Ordering::Relaxed);
            let start = Instant::now();
            let total = sum((0..n).map(|i| f.call(i)));
            best = best.min(start.elapsed().as_secs_f64());
            retained = LIVE.load(Ordering::Relaxed) - before;
            peak = PEAK.load(Ordering::Relaxed) - before;
            drop(total);
        }
        println!(
            "build_sum/{n}: {:.1} ns/element, {:.1} B/element retained, {:.1} B/element peak",
            best / n as f64 * 1e9,
            retained as f64 / n as f64,
            peak as f64 / n as f64,
        );
    }
}
