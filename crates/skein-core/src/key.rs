//! Task keys `"{name}-{token}"`, the stable tokens that make pure calls share a key, and the
//! one rule for which tasks are pure ([`Key::task`], [`Purity`]).
//!
//! A *pure* task's token is a hash of its function's identity and its inputs computed with
//! [`TokenHasher`], a fixed-seed hasher over a byte encoding that is the same on every run,
//! machine and target (integers are widened to 64 bits, little-endian): equal calls share a key
//! and run once. An *impure* task gets a fresh token from a process-wide counter. Which is
//! which follows Dask:
//!
//! | task | key |
//! | --- | --- |
//! | `Client::submit`, `map` | pure (`submit_impure`, `map_impure` are `pure=False`) |
//! | `delayed(f).call(…)` | impure unless [`pure`](crate::DelayedFn::pure) (Dask's `delayed_pure` is off) |
//! | operators on `Delayed` (`add`, `sub`, `mul`, `truediv`), `sum`, `Delayed::map` (`getitem`) | pure |
//! | `Delayed::value` (Dask's `delayed(obj)`) | impure |
//! | `Bag::from_sequence` | `from_sequence-`, tokenized from each partition's data |
//! | `Bag::map`, `filter`, `fold` | pure (`map-`, `filter-`, `fold-`, `fold-aggregate-`) |
//!
//! A function takes part in a token by its type, which names it only when the function is a
//! plain `fn` item or a closure capturing nothing. A closure that captures values (or a
//! function pointer) cannot be hashed, so its calls are impure whatever was asked, as Dask gives
//! a random token to what it cannot tokenize: two calls that only differ in what the closure
//! captured must never share a result.
//!
//! ```
//! use skein_core::{Key, Purity, TokenHasher};
//! let a = Key::pure("square", &3_i64);
//! assert_eq!(a, Key::pure("square", &3_i64));
//! assert_ne!(Key::impure("square"), Key::impure("square"));
//! assert_eq!(a.group(), "square");
//! assert!(a.as_str().starts_with("square-"));
//! let token = TokenHasher::new();
//! assert_eq!(Key::task("f", Purity::Pure, &token), Key::task("f", Purity::Pure, &token));
//! assert_ne!(Key::task("f", Purity::Impure, &token), Key::task("f", Purity::Impure, &token));
//! ```

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::mem::MaybeUninit;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Whether a task's key is a token of its function and inputs (Dask's `pure=True`: equal
/// calls share a key and a result) or fresh (`pure=False`: every call runs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purity {
    /// The key hashes the function and its inputs.
    Pure,
    /// The key is new.
    Impure,
}

/// The name of a task: `"{group}-{token}"`. Cheap to clone.
#[derive(Clone)]
pub struct Key {
    text: Arc<str>,
    group_len: u32,
    /// A hash of `text`, computed once when the key is made (it fits in what would otherwise
    /// be padding): the scheduler's key map and graph walks look keys up several times per
    /// task, and rehashing a 40-byte string each time was a visible part of the overhead.
    hash: u32,
}

impl Key {
    /// `"{name}-{token}"` with a 32-hex-digit token.
    pub fn new(name: &str, token: u128) -> Key {
        // Every task gets a key, so this is on the hot path of building graphs: the text is
        // written straight into its one allocation, the token eight digits at a time.
        let len = name.len() + 33;
        let mut text: Arc<[MaybeUninit<u8>]> = Arc::new_uninit_slice(len);
        // Invariant: `text` was created on the line above and never shared, so its count is 1.
        #[allow(clippy::expect_used)]
        let buf = Arc::get_mut(&mut text).expect("a new Arc is unique");
        let (head, hex) = buf.split_at_mut(name.len() + 1);
        head[..name.len()].write_copy_of_slice(name.as_bytes());
        head[name.len()].write(b'-');
        let words = [
            (token >> 96) as u32,
            (token >> 64) as u32,
            (token >> 32) as u32,
            token as u32,
        ];
        for (digits, word) in hex.chunks_exact_mut(8).zip(words) {
            digits.write_copy_of_slice(&hex8(word));
        }
        // SAFETY: every byte was written above (`name`, `-`, 4 × 8 digits), and they are
        // UTF-8 (`name` is a `&str`, the rest ASCII), so the slice is an initialised `str`
        // with the same layout as `[u8]`.
        let text: Arc<str> =
            unsafe { Arc::from_raw(Arc::into_raw(text.assume_init()) as *const str) };
        Key {
            hash: text_hash(text.as_bytes()),
            text,
            group_len: name.len() as u32,
        }
    }

    /// The key of a task named `name`, by the one rule (see the module's docs): pure, the
    /// token is `token` — a hasher fed with the function's identity and the task's inputs —
    /// finished; impure, it is fresh.
    pub fn task(name: &str, purity: Purity, token: &TokenHasher) -> Key {
        match purity {
            Purity::Pure => Key::new(name, token.finish128()),
            Purity::Impure => Key::impure(name),
        }
    }

    /// The key of a pure call: the token hashes `name` and `args`.
    pub fn pure<A: Tokenize + ?Sized>(name: &str, args: &A) -> Key {
        Key::pure_with(name, |h| args.tokenize(h))
    }

    /// The key of a pure call whose arguments the caller feeds to the hasher itself (for
    /// dynamically typed values, e.g. a script's).
    pub fn pure_with(name: &str, feed: impl FnOnce(&mut TokenHasher)) -> Key {
        let mut h = TokenHasher::new();
        h.write_str(name);
        feed(&mut h);
        Key::new(name, h.finish128())
    }

    /// A key with a fresh token, never returned before in this process.
    pub fn impure(name: &str) -> Key {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        // Not a hash of the counter (that cost a full hasher per key) but two bijections of
        // it: the low half alone differs for every `n`, so no two impure keys of a process
        // can collide, and the seed still makes them differ between runs.
        let seed = process_seed();
        let lo = splitmix(n ^ seed);
        let hi = splitmix(lo ^ seed.rotate_left(32));
        Key::new(name, (u128::from(hi) << 64) | u128::from(lo))
    }

    /// A key spelled out by the caller. Its group is the text before the last `-` (as Dask's
    /// `key_split`), or the whole text if it has none.
    pub fn from_text(text: &str) -> Key {
        let group_len = text.rfind('-').filter(|&i| i > 0).unwrap_or(text.len());
        Key {
            text: Arc::from(text),
            group_len: group_len as u32,
            hash: text_hash(text.as_bytes()),
        }
    }

    /// The full key.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The function group: the name before the token (`"square"` in `"square-1f…"`).
    pub fn group(&self) -> &str {
        &self.text[..self.group_len as usize]
    }

    /// A well-mixed 64-bit hash of the text, precomputed: equal keys give equal values.
    /// (Unlike [`Hash`], which must agree with `str`'s because a `Key` borrows as `str`.)
    pub(crate) fn prehash(&self) -> u64 {
        u64::from(self.hash).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
}

/// `word` as eight lower-case hex digits, most significant first, computed for all eight at
/// once in one `u64` (a table lookup per byte was a visible part of making a key).
fn hex8(word: u32) -> [u8; 8] {
    // Spread the nibbles one per byte: nibble i (from the least significant) into byte i.
    let mut x = u64::from(word);
    x = (x | (x << 16)) & 0x0000_ffff_0000_ffff;
    x = (x | (x << 8)) & 0x00ff_00ff_00ff_00ff;
    x = (x | (x << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    // Bytes holding 10..=15 get bit 4 set by adding 6; those digits are letters, 39 past
    // where `'0' + n` would land. No byte carries into the next (each stays below 0x80).
    let letters = ((x + 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101;
    let ascii = x + 0x3030_3030_3030_3030 + letters * 39;
    // Byte 0 holds the least significant digit, which is written last.
    ascii.to_be_bytes()
}

/// FxHash-style over 8-byte words, folded to 32 bits: fast, and keys are mostly random hex.
fn text_hash(bytes: &[u8]) -> u32 {
    let mut h: u64 = bytes.len() as u64;
    let mut add = |w: u64| h = (h.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        add(u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        add(u64::from_le_bytes(w));
    }
    (h ^ (h >> 32)) as u32
}

/// A per-process seed so impure tokens differ between runs (like Dask's uuid4 tokens).
fn process_seed() -> u64 {
    use std::sync::OnceLock;
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| {
        let local = 0u8;
        let mut h = TokenHasher::new();
        h.write_u64(crate::clock::now_ms().to_bits());
        h.write_u64(&local as *const u8 as usize as u64);
        h.finish()
    })
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        // Clones share their text, and different hashes mean different texts: most
        // comparisons end before the bytes are looked at.
        Arc::ptr_eq(&self.text, &other.text) || (self.hash == other.hash && self.text == other.text)
    }
}
impl Eq for Key {}
impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state)
    }
}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        self.text.cmp(&other.text)
    }
}
impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.text
    }
}
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", &*self.text)
    }
}

/// A fixed-seed 128-bit hasher whose output depends only on the bytes written.
///
/// Not cryptographic: it only has to make accidental collisions between distinct calls
/// vanishingly unlikely. `usize`/`isize` are hashed as 64-bit so wasm32 and 64-bit targets agree.
#[derive(Clone, Debug)]
pub struct TokenHasher {
    a: u64,
    b: u64,
}

impl Default for TokenHasher {
    fn default() -> Self {
        TokenHasher::new()
    }
}

impl TokenHasher {
    /// A hasher with the fixed default seed.
    pub fn new() -> Self {
        TokenHasher::with_seed(0)
    }

    fn with_seed(seed: u64) -> Self {
        TokenHasher {
            a: 0x243f_6a88_85a3_08d3 ^ seed,
            b: 0x1319_8a2e_0370_7344 ^ seed.rotate_left(17),
        }
    }

    fn mix(&mut self, word: u64) {
        self.a = (self.a ^ word)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
        self.b = (self.b ^ word.rotate_left(32))
            .wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
            .rotate_left(31)
            ^ self.a;
    }

    /// A string, length-prefixed so that `("ab", "c")` and `("a", "bc")` differ.
    pub fn write_str(&mut self, s: &str) {
        self.write_u64(s.len() as u64);
        self.write(s.as_bytes());
    }

    /// The 128-bit token.
    pub fn finish128(&self) -> u128 {
        ((splitmix(self.a ^ self.b.rotate_left(7)) as u128) << 64) | splitmix(self.b) as u128
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Hasher for TokenHasher {
    fn finish(&self) -> u64 {
        self.finish128() as u64
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.mix(i as u64);
    }
    fn write_u16(&mut self, i: u16) {
        self.mix(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.mix(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }
    fn write_u128(&mut self, i: u128) {
        self.mix(i as u64);
        self.mix((i >> 64) as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }
    fn write_i64(&mut self, i: i64) {
        self.mix(i as u64);
    }
    fn write_isize(&mut self, i: isize) {
        self.mix(i as i64 as u64);
    }
}

/// Values that can take part in a pure call's token.
///
/// Implemented for primitives, strings, collections, tuples, options, keys and handles
/// ([`Delayed`](crate::Delayed) and [`Future`](crate::Future) contribute their key).
pub trait Tokenize {
    /// Feeds a stable encoding of `self` to `h`.
    fn tokenize(&self, h: &mut TokenHasher);
}

macro_rules! tokenize_int {
    ($($t:ty),*) => {$(
        impl Tokenize for $t {
            fn tokenize(&self, h: &mut TokenHasher) {
                h.write_u64(*self as i64 as u64);
            }
        }
    )*};
}
tokenize_int!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl Tokenize for i128 {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_u128(*self as u128);
    }
}
impl Tokenize for u128 {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_u128(*self);
    }
}
impl Tokenize for bool {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_u64(*self as u64);
    }
}
impl Tokenize for char {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_u64(*self as u64);
    }
}
impl Tokenize for f32 {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_u64(f64::from(*self).to_bits());
    }
}
impl Tokenize for f64 {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_u64(self.to_bits());
    }
}
impl Tokenize for () {
    fn tokenize(&self, _: &mut TokenHasher) {}
}
impl Tokenize for str {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_str(self);
    }
}
impl Tokenize for String {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_str(self);
    }
}
impl Tokenize for Key {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_str(self.as_str());
    }
}
impl<T: Tokenize> Tokenize for [T] {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_u64(self.len() as u64);
        for item in self {
            item.tokenize(h);
        }
    }
}
impl<T: Tokenize, const N: usize> Tokenize for [T; N] {
    fn tokenize(&self, h: &mut TokenHasher) {
        self[..].tokenize(h);
    }
}
impl<T: Tokenize> Tokenize for Vec<T> {
    fn tokenize(&self, h: &mut TokenHasher) {
        self[..].tokenize(h);
    }
}
impl<T: Tokenize> Tokenize for Option<T> {
    fn tokenize(&self, h: &mut TokenHasher) {
        match self {
            None => h.write_u64(0),
            Some(v) => {
                h.write_u64(1);
                v.tokenize(h);
            }
        }
    }
}
impl<T: Tokenize + ?Sized> Tokenize for &T {
    fn tokenize(&self, h: &mut TokenHasher) {
        (**self).tokenize(h);
    }
}
impl<T: Tokenize + ?Sized> Tokenize for Box<T> {
    fn tokenize(&self, h: &mut TokenHasher) {
        (**self).tokenize(h);
    }
}
impl<T: Tokenize + ?Sized> Tokenize for Arc<T> {
    fn tokenize(&self, h: &mut TokenHasher) {
        (**self).tokenize(h);
    }
}

macro_rules! tokenize_tuple {
    ($($name:ident)+) => {
        impl<$($name: Tokenize),+> Tokenize for ($($name,)+) {
            #[allow(non_snake_case)]
            fn tokenize(&self, h: &mut TokenHasher) {
                let ($($name,)+) = self;
                $($name.tokenize(h);)+
            }
        }
    };
}
tokenize_tuple!(A);
tokenize_tuple!(A B);
tokenize_tuple!(A B C);
tokenize_tuple!(A B C D);
tokenize_tuple!(A B C D E);
tokenize_tuple!(A B C D E F);

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn pure_tokens_are_stable_across_runs() {
        // A fixed expectation: changing the encoding changes every pure key users have seen.
        let k = Key::pure("square", &3_i64);
        assert_eq!(k, Key::pure("square", &3_i64));
        assert_eq!(k.as_str().len(), "square-".len() + 32);
        assert_eq!(
            Key::new("f", 0xab),
            Key::from_text(&format!("f-{:032x}", 0xab))
        );
        assert_eq!(k.as_str(), "square-bd51d3b43bb2626f249a48c80e0193f5");
        assert_ne!(k, Key::pure("square", &4_i64));
        assert_ne!(k, Key::pure("cube", &3_i64));
        assert_ne!(Key::pure("f", &("ab", "c")), Key::pure("f", &("a", "bc")));
        // usize and u64 hash alike, so 32- and 64-bit targets agree.
        assert_eq!(Key::pure("f", &7_usize), Key::pure("f", &7_u64));
    }

    #[test]
    fn tokens_are_spelled_as_32_hex_digits() {
        for token in [
            0,
            1,
            0xab,
            u128::MAX,
            0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
            0x9f0a_00ff_1000_0001_a5a5_5a5a_dead_beef,
        ] {
            assert_eq!(Key::new("f", token).as_str(), format!("f-{token:032x}"));
        }
        for word in [0, 9, 10, 15, 16, 0x9a9a_9a9a, 0xffff_ffff, 0x1234_abcd] {
            assert_eq!(hex8(word), *format!("{word:08x}").as_bytes());
        }
    }

    #[test]
    fn a_task_key_is_its_token_when_pure_and_fresh_when_not() {
        let mut token = TokenHasher::new();
        token.write_str("inc");
        1_i64.tokenize(&mut token);
        let pure = Key::task("inc", Purity::Pure, &token);
        assert_eq!(pure, Key::task("inc", Purity::Pure, &token.clone()));
        assert_eq!(pure, Key::new("inc", token.finish128()));
        assert_eq!(pure.group(), "inc");
        assert_eq!(pure.as_str().len(), "inc-".len() + 32);
        let impure = Key::task("inc", Purity::Impure, &token);
        assert_ne!(impure, Key::task("inc", Purity::Impure, &token));
        assert_ne!(impure, pure);
        assert_eq!(impure.group(), "inc");
    }

    #[test]
    fn impure_tokens_are_fresh() {
        let keys: std::collections::HashSet<Key> = (0..1000).map(|_| Key::impure("f")).collect();
        assert_eq!(keys.len(), 1000);
    }

    #[test]
    fn groups_split_at_the_token() {
        assert_eq!(Key::impure("multi_sample").group(), "multi_sample");
        assert_eq!(Key::from_text("load-csv-3").group(), "load-csv");
        assert_eq!(Key::from_text("x").group(), "x");
        // Names too long for the stack buffer.
        let long = "n".repeat(100);
        let key = Key::new(&long, 0xab);
        assert_eq!(key.group(), long);
        assert_eq!(key, Key::from_text(&format!("{long}-{:032x}", 0xab)));
    }
}
