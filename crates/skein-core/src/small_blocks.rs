//! A global allocator for threaded wasm: std's allocator with a cache of small freed blocks
//! in front. Skein's page installs it; a wasm app of your own that runs Skein on Web Workers
//! can too:
//!
//! ```
//! #[cfg(target_family = "wasm")]
//! #[global_allocator]
//! static ALLOCATOR: skein_core::SmallBlocks<std::alloc::System> =
//!     skein_core::SmallBlocks::new(std::alloc::System);
//! ```
//!
//! Why: in a threaded page every thread (the kernel, each worker, the main thread) shares one
//! dlmalloc behind one spin lock, and Python allocates a block for most values it makes.
//! Profiled in Chromium during a 20,000-task `client.map`, a worker spent about a third of
//! its time allocating, much of it in the functions where the lock's spin loop is inlined. A
//! small block freed here goes to a lock-free list of its size class and is handed out again
//! by the next allocation of that class, so the common alloc/free pair takes a
//! compare-and-swap and a counter update each and never waits for a thread that holds the lock.
//!
//! Why not per-thread caches: wasm-bindgen starts each worker by allocating that thread's
//! stack and thread-local storage through this allocator, before the thread-local storage
//! exists, so the allocator must not touch thread-locals. Instead the lists come in
//! [`SHARDS`] sets, and a thread uses the set its stack's address picks: each thread's stack
//! is its own 2 MiB allocation, so threads started one after another pick different sets,
//! and each list's head stays in the cache of the core that uses it. (One set for every
//! thread made each small allocation and free move that line between cores: profiled in
//! Chromium during a `client.map`, a third of the kernel's and the workers' time.) A thread
//! whose set is empty takes from the others before the backing allocator; the choice is only
//! about speed, any thread may take any block.
//!
//! Classes: every multiple of [`GRAIN`] up to 256 bytes, then each power of two up to
//! [`MAX_SMALL`] (a parser's and a hash table's buffers are often a few hundred bytes).
//!
//! Bounds: each class keeps at most [`CLASS_BYTES`] of free blocks in each set; beyond that
//! a freed block goes back to std's allocator, where it can merge with its neighbours. A block
//! bigger than [`MAX_SMALL`] bytes, or aligned to more than [`GRAIN`], never enters a list.
//!
//! Each list is a Treiber stack whose head packs the first block's address with a counter
//! bumped by every change, so a pop that raced with a pop and a push of the same block (the
//! ABA problem) fails its compare-and-swap and retries. A pop may read the link of a block
//! another thread has just popped; the read is atomic and its value is then discarded, and
//! the memory stays mapped because a wasm memory never shrinks.
//!
//! For wasm32 only, as the example installs it. Natively (where its unit tests run) a block
//! popped and then handed back to the backing allocator could be unmapped before such a read,
//! and the head keeps only 16 bits for the counter beside a 48-bit address.

use std::alloc::{GlobalAlloc, Layout};
use std::ptr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Size classes are multiples of this, and it is the alignment every cached block has.
pub const GRAIN: usize = 16;
/// The largest block the cache keeps.
pub const MAX_SMALL: usize = 4096;
/// Up to this size, classes are [`GRAIN`] apart; above it, a power of two apart.
const FINE: usize = 256;
/// Free bytes one class of one set may hold before freed blocks go back to the backing
/// allocator.
pub const CLASS_BYTES: usize = 128 * 1024;
/// Sets of lists, one per thread (threads beyond it share).
pub const SHARDS: usize = 4;
/// A thread's set is its stack address over this, modulo [`SHARDS`]: wasm-bindgen gives each
/// thread a stack of this size.
const STACK_BYTES_LOG2: u32 = 21;
const CLASSES: usize = FINE / GRAIN + (MAX_SMALL / FINE).trailing_zeros() as usize;

/// Bits of the head word that hold the address: all of a wasm32 address, and the 48 bits a
/// 64-bit user-space address uses (the unit tests run natively).
const ADDRESS_BITS: u32 = if usize::BITS == 32 { 32 } else { 48 };
const ADDRESS_MASK: u64 = (1 << ADDRESS_BITS) - 1;

/// `backing` with free blocks of up to [`MAX_SMALL`] bytes cached per size class.
pub struct SmallBlocks<A> {
    backing: A,
    lists: [[FreeList; CLASSES]; SHARDS],
}

/// One cache line each: the threads that allocate at once mostly use different classes, and
/// a shared line would make every change to one class's list stall the others.
#[repr(align(64))]
struct FreeList {
    /// The first free block's address (low bits) and a change counter (high bits).
    head: AtomicU64,
    /// How many blocks the list holds (approximately, while pushes and pops race).
    len: AtomicUsize,
}

impl FreeList {
    const fn new() -> Self {
        FreeList {
            head: AtomicU64::new(0),
            len: AtomicUsize::new(0),
        }
    }

    fn next_head(head: u64, address: usize) -> u64 {
        let count = (head >> ADDRESS_BITS).wrapping_add(1);
        (count << ADDRESS_BITS) | (address as u64 & ADDRESS_MASK)
    }

    /// A block from the list, or null when it is empty.
    fn pop(&self) -> *mut u8 {
        let mut head = self.head.load(Ordering::Acquire);
        loop {
            let address = (head & ADDRESS_MASK) as usize;
            if address == 0 {
                return ptr::null_mut();
            }
            // SAFETY: `address` was pushed as a block of at least GRAIN bytes, aligned to
            // GRAIN, that stays mapped (module doc); its first word is the link.
            let next = unsafe { (*(address as *const AtomicUsize)).load(Ordering::Relaxed) };
            match self.head.compare_exchange_weak(
                head,
                Self::next_head(head, next),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    self.len.fetch_sub(1, Ordering::Relaxed);
                    return address as *mut u8;
                }
                Err(now) => head = now,
            }
        }
    }

    /// Pushes `block` unless the list is full; `false` if it was not taken.
    ///
    /// # Safety
    /// `block` is a free block of this list's class, aligned to [`GRAIN`].
    unsafe fn push(&self, block: *mut u8, capacity: usize) -> bool {
        if self.len.fetch_add(1, Ordering::Relaxed) >= capacity {
            self.len.fetch_sub(1, Ordering::Relaxed);
            return false;
        }
        let link = block as *const AtomicUsize;
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            // SAFETY: the caller gives a free block big and aligned enough for the link.
            unsafe { (*link).store((head & ADDRESS_MASK) as usize, Ordering::Relaxed) };
            match self.head.compare_exchange_weak(
                head,
                Self::next_head(head, block as usize),
                Ordering::Release,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(now) => head = now,
            }
        }
    }
}

impl<A> SmallBlocks<A> {
    /// `backing` behind an empty cache.
    pub const fn new(backing: A) -> Self {
        SmallBlocks {
            backing,
            lists: [const { [const { FreeList::new() }; CLASSES] }; SHARDS],
        }
    }

    /// The set of lists this thread uses (see the module doc).
    fn shard() -> usize {
        let marker = 0u8;
        let address = std::hint::black_box(&marker) as *const u8 as usize;
        (address >> STACK_BYTES_LOG2) % SHARDS
    }

    /// A cached block of `class`: from this thread's set, else from another's.
    fn take(&self, class: usize) -> *mut u8 {
        let own = Self::shard();
        (0..SHARDS)
            .map(|i| self.lists[(own + i) % SHARDS][class].pop())
            .find(|block| !block.is_null())
            .unwrap_or(ptr::null_mut())
    }

    /// The size class of `layout` (its index), if it is a small one.
    fn class_of(layout: Layout) -> Option<usize> {
        let size = layout.size();
        if size > MAX_SMALL || layout.align() > GRAIN {
            None
        } else if size <= FINE {
            Some(size.max(1).div_ceil(GRAIN) - 1)
        } else {
            let above = (size.next_power_of_two() / FINE).trailing_zeros() as usize;
            Some(FINE / GRAIN - 1 + above)
        }
    }

    /// The size of every block of class `class`.
    fn class_size(class: usize) -> usize {
        let fine = FINE / GRAIN;
        if class < fine {
            (class + 1) * GRAIN
        } else {
            FINE << (class + 1 - fine)
        }
    }

    /// The layout every block of class `class` is allocated with.
    fn class_layout(class: usize) -> Layout {
        // At most MAX_SMALL bytes, and GRAIN is a power of two: always valid.
        Layout::from_size_align(Self::class_size(class), GRAIN).unwrap_or(Layout::new::<u8>())
    }
}

// SAFETY: small blocks are allocated from `backing` with their class's layout and only ever
// handed out again for a layout of the same class, or returned to `backing` with that layout.
// Everything else is `backing`'s own.
unsafe impl<A: GlobalAlloc> GlobalAlloc for SmallBlocks<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match Self::class_of(layout) {
            Some(class) => {
                let block = self.take(class);
                if block.is_null() {
                    // SAFETY: a non-zero-sized layout.
                    unsafe { self.backing.alloc(Self::class_layout(class)) }
                } else {
                    block
                }
            }
            // SAFETY: forwarded as given.
            None => unsafe { self.backing.alloc(layout) },
        }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        match Self::class_of(layout) {
            Some(class) => {
                let capacity = CLASS_BYTES / Self::class_size(class);
                // SAFETY: `block` came from `alloc` for a layout of this class.
                if !unsafe { self.lists[Self::shard()][class].push(block, capacity) } {
                    // SAFETY: small blocks are allocated with their class's layout.
                    unsafe { self.backing.dealloc(block, Self::class_layout(class)) }
                }
            }
            // SAFETY: forwarded as given.
            None => unsafe { self.backing.dealloc(block, layout) },
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller promises `new_size` rounded up to `layout.align()` does not
        // overflow, and `layout.align()` is a power of two.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (Self::class_of(layout), Self::class_of(new_layout)) {
            // Both big: the backing allocator may grow or shrink in place.
            // SAFETY: forwarded as given.
            (None, None) => unsafe { self.backing.realloc(block, layout, new_size) },
            (Some(old), Some(new)) if old == new => block,
            _ => {
                // SAFETY: a non-zero-sized layout (the caller's promise).
                let moved = unsafe { self.alloc(new_layout) };
                if !moved.is_null() {
                    // SAFETY: both blocks hold at least the smaller size, and are distinct.
                    unsafe {
                        ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                        self.dealloc(block, layout);
                    }
                }
                moved
            }
        }
    }
}

// Every unsafe call below hands the allocator a layout it gave the block, and touches a block
// only within its layout.
#[cfg(test)]
#[allow(clippy::undocumented_unsafe_blocks)]
mod tests {
    use super::*;
    use std::alloc::System;
    use std::sync::atomic::AtomicIsize;

    /// System's allocator, counting the blocks it has out.
    struct Counting {
        live: AtomicIsize,
    }

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            self.live.fetch_add(1, Ordering::Relaxed);
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
            self.live.fetch_sub(1, Ordering::Relaxed);
            unsafe { System.dealloc(block, layout) }
        }
    }

    fn cache() -> SmallBlocks<Counting> {
        SmallBlocks::new(Counting {
            live: AtomicIsize::new(0),
        })
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn a_freed_small_block_is_reused_by_its_class_only() {
        let cache = cache();
        unsafe {
            let a = cache.alloc(layout(40, 8));
            cache.dealloc(a, layout(40, 8));
            // 33..=48 bytes share a class; 24 bytes does not.
            let other_class = cache.alloc(layout(24, 8));
            assert_ne!(other_class, a);
            let same_class = cache.alloc(layout(48, 16));
            assert_eq!(same_class, a);
            assert_eq!(same_class as usize % GRAIN, 0);
            cache.dealloc(same_class, layout(48, 16));
            cache.dealloc(other_class, layout(24, 8));
        }
        assert_eq!(
            cache.backing.live.load(Ordering::Relaxed),
            2,
            "both stay cached"
        );
    }

    #[test]
    fn every_small_size_has_a_class_that_fits_it() {
        let mut last = 0;
        for size in 1..=MAX_SMALL {
            let class = SmallBlocks::<System>::class_of(layout(size, 1)).unwrap();
            assert!(
                class < CLASSES && class >= last,
                "size {size} -> class {class}"
            );
            assert!(
                SmallBlocks::<System>::class_size(class) >= size,
                "size {size}"
            );
            last = class;
        }
        assert_eq!(last, CLASSES - 1);
        assert_eq!(SmallBlocks::<System>::class_size(CLASSES - 1), MAX_SMALL);
        assert_eq!(
            SmallBlocks::<System>::class_of(layout(300, 8)),
            Some(FINE / GRAIN)
        );
        assert_eq!(SmallBlocks::<System>::class_size(FINE / GRAIN), 512);
    }

    #[test]
    fn big_or_overaligned_blocks_bypass_the_cache() {
        let cache = cache();
        unsafe {
            for l in [layout(MAX_SMALL + 1, 8), layout(64, 64)] {
                let a = cache.alloc(l);
                cache.dealloc(a, l);
            }
        }
        assert_eq!(cache.backing.live.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_full_class_hands_freed_blocks_back() {
        let cache = cache();
        let l = layout(MAX_SMALL, 8);
        let capacity = CLASS_BYTES / MAX_SMALL;
        let blocks: Vec<_> = (0..capacity + 10)
            .map(|_| unsafe { cache.alloc(l) })
            .collect();
        for &b in &blocks {
            unsafe { cache.dealloc(b, l) };
        }
        assert_eq!(
            cache.backing.live.load(Ordering::Relaxed),
            capacity as isize,
            "only a class's capacity stays cached"
        );
    }

    #[test]
    fn realloc_keeps_the_bytes_across_classes_and_to_big_blocks() {
        let cache = cache();
        unsafe {
            let mut block = cache.alloc(layout(10, 1));
            for i in 0..10 {
                *block.add(i) = i as u8;
            }
            let mut size = 10;
            for new_size in [12, 100, 5000, 200, 7] {
                block = cache.realloc(block, layout(size, 1), new_size);
                for i in 0..size.min(new_size) {
                    assert_eq!(
                        *block.add(i),
                        i as u8,
                        "byte {i} after {size} -> {new_size}"
                    );
                }
                for i in size..new_size {
                    *block.add(i) = i as u8;
                }
                size = new_size;
            }
            cache.dealloc(block, layout(size, 1));
        }
    }

    #[test]
    fn zeroed_blocks_are_zero_even_when_reused() {
        let cache = cache();
        unsafe {
            let a = cache.alloc(layout(64, 8));
            a.write_bytes(0xAB, 64);
            cache.dealloc(a, layout(64, 8));
            let b = cache.alloc_zeroed(layout(64, 8));
            assert_eq!(a, b);
            assert!((0..64).all(|i| *b.add(i) == 0));
            cache.dealloc(b, layout(64, 8));
        }
    }

    /// Threads allocating, filling, checking and freeing blocks of every class at once: a
    /// block handed to two owners, or a list losing or duplicating blocks, shows as a block
    /// whose bytes another thread changed.
    #[test]
    fn threads_never_share_a_block() {
        let cache = cache();
        std::thread::scope(|scope| {
            for thread in 0..4u8 {
                let cache = &cache;
                scope.spawn(move || {
                    let mut held: Vec<(*mut u8, Layout, u8)> = Vec::new();
                    let mut seed = 0x9E37_79B9u32.wrapping_mul(u32::from(thread) + 1);
                    for round in 0..60_000u32 {
                        seed ^= seed << 13;
                        seed ^= seed >> 17;
                        seed ^= seed << 5;
                        let size = 1 + (seed as usize % MAX_SMALL);
                        let l = layout(size, 8);
                        let mark = thread.wrapping_mul(64).wrapping_add(round as u8);
                        let block = unsafe { cache.alloc(l) };
                        assert!(!block.is_null());
                        unsafe { block.write_bytes(mark, size) };
                        held.push((block, l, mark));
                        if held.len() > 32 || seed.is_multiple_of(3) {
                            let (block, l, mark) = held.swap_remove(seed as usize % held.len());
                            let intact = (0..l.size()).all(|i| unsafe { *block.add(i) } == mark);
                            assert!(intact, "a block was written by another owner");
                            unsafe { cache.dealloc(block, l) };
                        }
                    }
                    for (block, l, _) in held {
                        unsafe { cache.dealloc(block, l) };
                    }
                });
            }
        });
        let cached: isize = cache
            .lists
            .iter()
            .flatten()
            .map(|list| list.len.load(Ordering::Relaxed) as isize)
            .sum();
        assert_eq!(
            cache.backing.live.load(Ordering::Relaxed),
            cached,
            "every block is either cached or back with the backing allocator"
        );
    }
}
