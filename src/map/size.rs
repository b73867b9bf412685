//! The map-size axis: the benches' default key space (65,536 keys, a map
//! that sits in the caches, so the answer is about lock traffic alone) and
//! a key space past the machine's last-level cache, read at run time, where
//! every operation also pays for a cache miss.
//!
//! # The large size
//!
//! [`large_space`]: the smallest power-of-two key space whose hash table
//! takes at least [`LLC_MULTIPLE`] times the last-level cache. Half the keys
//! are present, so a table sized for them has about one bucket per key:
//! 16 bytes of entry and one control byte ([`TABLE_BYTES_PER_KEY`]). On a
//! 32 MiB cache that is 8,388,608 keys, 4.2 million present, a table of
//! about 136 MiB: a uniform lookup finds its bucket in the cache at most
//! about a quarter of the time. Capped at
//! [`MAX_KEYS`] (values carry their key in 24 bits)
//! and at a quarter of the machine's memory at [`PEAK_BYTES_PER_KEY`].
//!
//! Why not larger: every benchmark id builds its own map and compares it
//! with the model at the end, outside the timed region, once per pass. With
//! the measurement, an id takes about 1.1 s a pass at 8 million keys and
//! 1.5 s at 16 million; at 8 million the axis already takes about 3.4
//! minutes of a default run on a 2-core machine.
//!
//! # What changes at the large size
//!
//! - Only uniform keys: under Zipf the hot keys stay cached whatever the
//!   map's size.
//! - One mix per scenario ([`Scenario::large_mix`](super::Scenario::large_mix)):
//!   99/1 and 10/90, and only the strategies of [`LARGE_AXIS`].
//! - Each thread's prepared operations are [`LARGE_SLICE_LEN`] long, so a
//!   thread does not replay the same few keys (which would stay cached)
//!   within a measurement.
//! - The whole map is compared with the model after the first round, after
//!   any round that ends at least as many operations as keys after the last
//!   comparison, and once when the id's measurement ends
//!   ([`Config::check_every`](super::Config)); every operation's own result
//!   is still checked in every round.

use std::path::Path;

use super::keys::{KeySpace, MAX_KEYS};

/// The component that marks a large-size scenario: `map/read-heavy/99-1/uniform/large`.
pub const LARGE: &str = "large";

/// Bytes of one entry of the benches' `u64 → u64` map.
pub const ENTRY_BYTES: u64 = 16;

/// Table bytes per key of the key space: one bucket (an entry and a
/// control byte) per key, half of them full.
pub const TABLE_BYTES_PER_KEY: u64 = ENTRY_BYTES + 1;

/// The table takes at least this many times the last-level cache.
pub const LLC_MULTIPLE: u64 = 4;

/// The last-level cache assumed where the machine does not say.
pub const FALLBACK_LLC: u64 = 32 << 20;

/// The smallest large key space, whatever the cache.
pub const MIN_LARGE_KEYS: usize = 1 << 20;

/// Memory per key while a large map exists, at its peak (the key layout,
/// the prefill entries, the table, the whole-map comparison), rounded up.
pub const PEAK_BYTES_PER_KEY: u64 = 64;

/// Operations prepared per thread at the large size (32 MiB each).
pub const LARGE_SLICE_LEN: usize = 1 << 22;

/// The strategies measured at the large size: the fastest member of each
/// family at the small size, std's and parking_lot's `RwLock` (the guide's
/// read-heavy rule and conc-map-bench's baselines) and the spinlock users
/// reach for. `arc-swap-cow` is not among them: each of its writes copies
/// the whole map, hundreds of megabytes here.
pub const LARGE_AXIS: &[&str] = &[
    "parking_lot-mutex",
    "std-rwlock",
    "parking_lot-rwlock",
    "spin-mutex",
    "sharded-rwlock",
    "dashmap",
    "actor-crossbeam",
];

/// The machine facts the large size is derived from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Machine {
    /// The last-level cache, bytes (`None`: not reported).
    pub llc: Option<u64>,
    /// Physical memory, bytes (`None`: not reported).
    pub memory: Option<u64>,
}

impl Machine {
    /// This machine, from Linux's sysfs and `/proc/meminfo`.
    pub fn here() -> Machine {
        Machine {
            llc: last_level_cache(Path::new("/sys/devices/system/cpu/cpu0/cache")),
            memory: std::fs::read_to_string("/proc/meminfo")
                .ok()
                .and_then(|s| mem_total(&s)),
        }
    }
}

/// The large key space for `machine`; see the module docs.
pub fn large_space(machine: Machine) -> KeySpace {
    let llc = machine.llc.unwrap_or(FALLBACK_LLC);
    let wanted = (LLC_MULTIPLE * llc).div_ceil(TABLE_BYTES_PER_KEY);
    let mut keys = usize::try_from(wanted)
        .unwrap_or(usize::MAX)
        .checked_next_power_of_two()
        .unwrap_or(MAX_KEYS)
        .clamp(MIN_LARGE_KEYS, MAX_KEYS);
    if let Some(memory) = machine.memory {
        while keys > MIN_LARGE_KEYS && keys as u64 * PEAK_BYTES_PER_KEY > memory / 4 {
            keys /= 2;
        }
    }
    KeySpace::new(keys, 25, 50).expect("a power of two of at least 2^20 keys lays out")
}

/// The size of the highest-level data or unified cache under `dir`
/// (`/sys/devices/system/cpu/cpu0/cache`: `index*/{level,type,size}`).
pub fn last_level_cache(dir: &Path) -> Option<u64> {
    let mut best: Option<(u32, u64)> = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let p = entry.path();
        let read = |f: &str| std::fs::read_to_string(p.join(f)).ok();
        let (Some(level), Some(kind), Some(size)) = (read("level"), read("type"), read("size"))
        else {
            continue;
        };
        if kind.trim() == "Instruction" {
            continue;
        }
        let (Ok(level), Some(size)) = (level.trim().parse::<u32>(), cache_size(&size)) else {
            continue;
        };
        if best.is_none_or(|(l, _)| level > l) {
            best = Some((level, size));
        }
    }
    best.map(|(_, size)| size)
}

/// A sysfs cache size (`32768K`, `1M`, `512`), bytes.
pub fn cache_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let (num, scale) = match t.chars().last()? {
        'K' | 'k' => (&t[..t.len() - 1], 1 << 10),
        'M' | 'm' => (&t[..t.len() - 1], 1 << 20),
        'G' | 'g' => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .filter(|&n| n > 0)
}

/// `MemTotal` of a `/proc/meminfo` text, bytes.
pub fn mem_total(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line
        .trim_start_matches("MemTotal:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    kib.checked_mul(1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_space_is_past_the_cache_and_capped() {
        let m = |llc_mib: u64, mem_gib: u64| Machine {
            llc: Some(llc_mib << 20),
            memory: Some(mem_gib << 30),
        };
        // 4 x 32 MiB of 17-byte buckets: 7.9 million, 2^23 keys.
        assert_eq!(large_space(m(32, 24)).keys(), 1 << 23);
        assert_eq!(large_space(m(8, 24)).keys(), 1 << 21);
        assert_eq!(large_space(m(64, 24)).keys(), 1 << 24);
        // Never below 2^20 keys, never above 2^24.
        assert_eq!(large_space(m(1, 24)).keys(), MIN_LARGE_KEYS);
        assert_eq!(large_space(m(256, 512)).keys(), MAX_KEYS);
        // A quarter of 1 GiB at 64 bytes a key: 2^22 keys.
        assert_eq!(large_space(m(32, 1)).keys(), 1 << 22);
        // Unknown cache: the fallback.
        let unknown = Machine {
            llc: None,
            memory: None,
        };
        assert_eq!(large_space(unknown).keys(), 1 << 23);
        for machine in [m(32, 24), m(1, 1), unknown] {
            let s = large_space(machine);
            assert_eq!(s.stable() + s.churn() + s.absent(), s.keys());
        }
    }

    #[test]
    fn reads_sysfs_and_meminfo() {
        assert_eq!(cache_size("32768K\n"), Some(32 << 20));
        assert_eq!(cache_size("1M"), Some(1 << 20));
        assert_eq!(cache_size("512"), Some(512));
        assert_eq!(cache_size("K"), None);
        assert_eq!(cache_size("0K"), None);
        assert_eq!(cache_size("lots"), None);
        let meminfo = "MemTotal:       24567892 kB\nMemFree:  1 kB\n";
        assert_eq!(mem_total(meminfo), Some(24_567_892 * 1024));
        assert_eq!(mem_total("MemFree: 1 kB"), None);

        let dir = std::env::temp_dir().join(format!("syncbench-cache-{}", std::process::id()));
        let index = |i: u32, level: &str, kind: &str, size: &str| {
            let d = dir.join(format!("index{i}"));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("level"), level).unwrap();
            std::fs::write(d.join("type"), kind).unwrap();
            std::fs::write(d.join("size"), size).unwrap();
        };
        index(0, "1\n", "Data\n", "48K\n");
        index(1, "1\n", "Instruction\n", "32K\n");
        index(2, "2\n", "Unified\n", "1024K\n");
        index(3, "3\n", "Unified\n", "32768K\n");
        assert_eq!(last_level_cache(&dir), Some(32 << 20));
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(last_level_cache(&dir), None);
    }
}
