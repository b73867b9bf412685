//! N-way sharded map: `N` cache-padded `std::sync::RwLock<HashMap>` shards,
//! the key's hash picking the shard (the design DashMap packages).
//!
//! Invariant: a key lives in exactly one shard, chosen by the log2(N) bits
//! just below bit 57 of its [`Hasher`] hash; each shard is an independent
//! `RwLock<HashMap>` on its own cache line. The shard bits sit just below
//! the seven top bits hashbrown uses as its control tag and far above the
//! bits that pick a bucket, so every shard's table still sees well spread
//! hashes. The key is hashed twice (shard choice, then inside the shard's
//! `HashMap`, with the same hasher state), about a nanosecond with foldhash.
//!
//! N defaults to the smallest power of two at least 4× the thread count
//! ([`ShardedRwLock::default_shards`]); [`ShardedRwLock::with_shards`] takes
//! any power of two.
//!
//! Contention: two operations contend only if their keys share a shard, so
//! with uniform keys most lookups and writes proceed in parallel, each paying
//! one uncontended lock round trip on its shard's line. Under Zipf the
//! hottest keys pin their shards: every thread's lookups and updates of the
//! hottest key meet on one shard lock, which behaves like the single
//! `RwLock` for that share of the operations.

use std::hash::BuildHasher;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use crossbeam::utils::CachePadded;

use crate::harness::{Family, Strategy};

use super::mutex::add_one;
use super::{Hasher, Map, StdMap};

/// `N` × `CachePadded<std::sync::RwLock<HashMap<u64, u64>>>`.
#[derive(Debug)]
pub struct ShardedRwLock {
    shards: Box<[CachePadded<RwLock<StdMap>>]>,
    hasher: Hasher,
    /// `hash >> shift` leaves the shard bits at the bottom…
    shift: u32,
    /// …and `& mask` keeps only them (`shards - 1`).
    mask: u64,
}

impl ShardedRwLock {
    /// The default shard count for `threads` threads: the smallest power of
    /// two at least `4 * threads`.
    pub fn default_shards(threads: usize) -> usize {
        (4 * threads.max(1)).next_power_of_two()
    }

    /// A map holding `entries` in `shards` shards (a power of two, at most
    /// 2^57), sized for `capacity` entries in all.
    pub fn with_shards(entries: &[(u64, u64)], capacity: usize, shards: usize) -> Self {
        assert!(
            shards.is_power_of_two() && shards.trailing_zeros() <= 57,
            "shard count {shards} is not a power of two up to 2^57"
        );
        let hasher = super::hasher();
        let bits = shards.trailing_zeros();
        let mut map = ShardedRwLock {
            shards: Box::new([]),
            hasher,
            shift: 57 - bits,
            mask: shards as u64 - 1,
        };
        // Hash-distributed shards fill unevenly; leave a little slack.
        let per_shard = capacity / shards + capacity / shards / 8 + 16;
        let mut parts: Vec<Vec<(u64, u64)>> = vec![Vec::new(); shards];
        for &(k, v) in entries {
            parts[map.shard_of(k)].push((k, v));
        }
        map.shards = parts
            .iter()
            .map(|part| {
                // The shard's table hashes with the same state as shard
                // selection: one hash function throughout.
                let mut m =
                    StdMap::with_capacity_and_hasher(per_shard.max(part.len()), map.hasher.clone());
                m.extend(part.iter().copied());
                CachePadded::new(RwLock::new(m))
            })
            .collect();
        map
    }

    /// Number of shards.
    pub fn shards(&self) -> usize {
        self.shards.len()
    }

    /// The shard index of `key`.
    #[inline]
    fn shard_of(&self, key: u64) -> usize {
        ((self.hasher.hash_one(key) >> self.shift) & self.mask) as usize
    }

    // Poisoning only follows a panic while locked, which the harness already
    // reports; every map operation leaves its shard consistent.
    #[inline]
    fn read(&self, key: u64) -> RwLockReadGuard<'_, StdMap> {
        self.shards[self.shard_of(key)]
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    #[inline]
    fn write(&self, key: u64) -> RwLockWriteGuard<'_, StdMap> {
        self.shards[self.shard_of(key)]
            .write()
            .unwrap_or_else(|e| e.into_inner())
    }
}

impl Strategy for ShardedRwLock {
    const NAME: &'static str = "sharded-rwlock";
    const FAMILY: Family = Family::Sharded;
}

impl Map for ShardedRwLock {
    type Local = ();

    fn new(entries: &[(u64, u64)], capacity: usize, threads: usize) -> Self {
        Self::with_shards(entries, capacity, Self::default_shards(threads))
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn get(&self, _: &mut (), key: u64) -> Option<u64> {
        self.read(key).get(&key).copied()
    }
    #[inline]
    fn insert(&self, _: &mut (), key: u64, value: u64) -> Option<u64> {
        self.write(key).insert(key, value)
    }
    #[inline]
    fn remove(&self, _: &mut (), key: u64) -> Option<u64> {
        self.write(key).remove(&key)
    }
    #[inline]
    fn update(&self, _: &mut (), key: u64) -> Option<u64> {
        add_one(&mut self.write(key), key)
    }
    fn entries(&self) -> Vec<(u64, u64)> {
        let mut all = Vec::new();
        for shard in self.shards.iter() {
            let shard = shard.read().unwrap_or_else(|e| e.into_inner());
            all.extend(shard.iter().map(|(&k, &v)| (k, v)));
        }
        all
    }
    fn describe(&self) -> Option<serde_json::Value> {
        Some(serde_json::json!({ "shards": self.shards() }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_land_in_their_shard_for_any_power_of_two() {
        let entries: Vec<(u64, u64)> = (0..1000).map(|k| (k, k * 3)).collect();
        for shards in [1, 2, 4, 64] {
            let m = ShardedRwLock::with_shards(&entries, 1000, shards);
            assert_eq!(m.shards(), shards);
            for k in 0..1000 {
                assert_eq!(m.get(&mut (), k), Some(k * 3));
                let home = m.shard_of(k);
                assert!(m.shards[home].read().unwrap().contains_key(&k));
            }
            assert_eq!(m.remove(&mut (), 5), Some(15));
            assert_eq!(m.update(&mut (), 6), Some(18));
            assert_eq!(m.get(&mut (), 6), Some(19));
            assert_eq!(m.entries().len(), 999);
            if shards <= 4 {
                // Hash-spread: no shard is empty with 1000 keys (the chance
                // that one of four is, for a random hasher seed, is ~1e-124).
                assert!(m.shards.iter().all(|s| !s.read().unwrap().is_empty()));
            }
        }
        assert_eq!(ShardedRwLock::default_shards(1), 4);
        assert_eq!(ShardedRwLock::default_shards(3), 16);
        assert_eq!(ShardedRwLock::default_shards(4), 16);
    }
}
