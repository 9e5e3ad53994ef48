//! A fast, seeded hasher for the build's internal hash maps (ids, names, namespaces).
//!
//! std's SipHash cost a few percent of a build, a third of the name-reference fix-up. Keys
//! come from the user's files, so, as with std's `RandomState`, every map gets its own random
//! seed: collisions can't be computed ahead of time. The mixing step is a folded 64x64->128
//! multiplication (as in foldhash and ahash's fallback), one per 8 bytes of input.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};

/// A hash map with [`FastState`].
pub type FastMap<K, V> = HashMap<K, V, FastState>;
/// A hash set with [`FastState`].
pub type FastSet<K> = HashSet<K, FastState>;

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;
const FINISH: u64 = 0xF135_7AEA_2E62_A9C5;

#[inline]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

thread_local! {
    /// A per-thread random start, stepped for every new state (as std does for its keys).
    static NEXT_SEED: Cell<u64> = Cell::new(std::hash::RandomState::new().hash_one(0x5EED_u64) | 1);
}

/// Builds [`FastHasher`]s with a random seed of its own.
#[derive(Clone, Copy, Debug)]
pub struct FastState {
    seed: u64,
}

impl Default for FastState {
    fn default() -> Self {
        let seed = NEXT_SEED.with(|s| {
            let v = s.get();
            s.set(v.wrapping_add(MUL));
            v
        });
        FastState { seed: folded_multiply(seed, FINISH) | 1 }
    }
}

impl BuildHasher for FastState {
    type Hasher = FastHasher;
    #[inline]
    fn build_hasher(&self) -> FastHasher {
        FastHasher { h: self.seed, seed: self.seed }
    }
}

pub struct FastHasher {
    h: u64,
    seed: u64,
}

impl FastHasher {
    #[inline]
    fn mix(&mut self, x: u64) {
        self.h = folded_multiply(self.h ^ x, MUL ^ self.seed);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            // The tail's length in the top bits: "a" and "a\0" differ.
            self.mix(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 61));
        }
    }
    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.mix(u64::from(n) | 0x100);
    }
    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }
    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        folded_multiply(self.h, FINISH ^ self.seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_near_keys_spread() {
        let s = FastState::default();
        assert_eq!(s.hash_one("app-config"), s.hash_one(String::from("app-config")));
        assert_eq!(s.hash_one(("a", "b")), s.hash_one(("a", "b")));
        // Prefix-free: tuples of strings and strings with a trailing NUL differ.
        assert_ne!(s.hash_one(("ab", "c")), s.hash_one(("a", "bc")));
        assert_ne!(s.hash_one("a"), s.hash_one("a\0"));
        // Names differing in one character spread over the buckets of a small table.
        let mut buckets = [0usize; 64];
        for i in 0..6400 {
            buckets[(s.hash_one(format!("app{:04}-config", i)) >> 58) as usize] += 1;
        }
        assert!(buckets.iter().all(|&n| (50..=150).contains(&n)), "{:?}", buckets);
        // Every map has its own seed.
        assert_ne!(FastState::default().hash_one("x"), FastState::default().hash_one("x"));
    }

    #[test]
    fn maps_work() {
        let mut m: FastMap<String, usize> = FastMap::default();
        for i in 0..1000 {
            m.insert(format!("k{}", i), i);
        }
        assert!((0..1000).all(|i| m[&format!("k{}", i)] == i));
        let set: FastSet<&str> = ["a", "b", "a"].into_iter().collect();
        assert_eq!(set.len(), 2);
    }
}
