//! `dashmap::DashMap<u64, u64>`: the packaged sharded map, used the way its
//! docs show (`get`, `insert`, `remove`, `get_mut` for read-modify-write).
//!
//! Invariant: DashMap keeps `RwLock<hashbrown table>` shards (its own
//! `lock_api` RwLock, cache-padded), picks the shard from the key's hash and
//! hashes once per operation.
//! Shards: DashMap's default, the smallest power of two at least 4× the
//! machine's logical CPUs (fixed per machine, not per thread count, unlike
//! [`ShardedRwLock`](super::sharded::ShardedRwLock)); recorded in the sidecar.
//! Contention: as for the sharded RwLock map: operations on different
//! shards run in parallel; under Zipf the hottest key's shard takes every
//! thread's lookups and updates of that key.

use dashmap::DashMap;

use crate::harness::{Family, Strategy};

use super::{Hasher, Map};

/// `DashMap<u64, u64>` with [`Hasher`] and DashMap's default shard count.
#[derive(Debug)]
pub struct Dash(DashMap<u64, u64, Hasher>);

impl Dash {
    /// DashMap's default shard count, computed as dashmap 6 computes it
    /// (passed explicitly so that the recorded count is the one used).
    pub fn default_shards() -> usize {
        (crate::harness::threads::available_parallelism() * 4).next_power_of_two()
    }
}

impl Strategy for Dash {
    const NAME: &'static str = "dashmap";
    const FAMILY: Family = Family::Sharded;
}

impl Map for Dash {
    type Local = ();

    fn new(entries: &[(u64, u64)], capacity: usize, _threads: usize) -> Self {
        let map = DashMap::with_capacity_and_hasher_and_shard_amount(
            capacity,
            super::hasher(),
            Self::default_shards(),
        );
        for &(k, v) in entries {
            map.insert(k, v);
        }
        Dash(map)
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn get(&self, _: &mut (), key: u64) -> Option<u64> {
        self.0.get(&key).map(|v| *v)
    }
    #[inline]
    fn insert(&self, _: &mut (), key: u64, value: u64) -> Option<u64> {
        self.0.insert(key, value)
    }
    #[inline]
    fn remove(&self, _: &mut (), key: u64) -> Option<u64> {
        self.0.remove(&key).map(|(_, v)| v)
    }
    #[inline]
    fn update(&self, _: &mut (), key: u64) -> Option<u64> {
        self.0.get_mut(&key).map(|mut v| {
            let old = *v;
            *v += 1;
            old
        })
    }
    fn entries(&self) -> Vec<(u64, u64)> {
        self.0.iter().map(|e| (*e.key(), *e.value())).collect()
    }
    fn describe(&self) -> Option<serde_json::Value> {
        Some(serde_json::json!({ "shards": Self::default_shards() }))
    }
}
