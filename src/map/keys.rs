//! Keys and the operation sequence, all generated before the timed region.
//!
//! - [`SplitMix64`]: a small deterministic RNG, seeded per thread.
//! - [`Zipf`]: a precomputed-CDF Zipf sampler (rank 0 hottest).
//! - [`KeySpace`] / [`Layout`]: which keys are always present (*stable*),
//!   which are inserted and removed (*churn*), and which never exist
//!   (*absent*); and which thread owns each churn key.
//! - [`op_slice`]: one thread's prepared operations, indexed by the driver
//!   with a wrapping cursor.
//!
//! # Hot keys
//!
//! Key `k` has popularity rank `k`: the distribution samples a rank and the
//! rank *is* the key. The classes are interleaved along the ranks in
//! proportion (stable, churn, absent, churn, stable, … for the default
//! 25/50/25 split), starting with a stable key, so under Zipf the hottest key
//! is always present and every class has its share of hot keys.

use std::fmt;

/// SplitMix64 (Steele, Lea, Flood 2014): 64 bits of state, one add and a
/// finaliser per output. Deterministic for a seed; good enough to drive key
/// choice, not for anything cryptographic.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (Lemire's multiply-shift; bias below 2^-32 for the
    /// sizes used here). `n` must be positive.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A uniform float in `[0, 1)` with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// The Zipf skew used by the `zipf` scenarios: rank `r` is drawn with
/// probability proportional to `1 / (r + 1)^0.99` (YCSB's constant).
pub const DEFAULT_SKEW: f64 = 0.99;

/// Zipf distribution over ranks `0..n`, sampled by binary search in a
/// precomputed cumulative distribution.
#[derive(Clone, Debug)]
pub struct Zipf {
    cdf: Box<[f64]>,
}

impl Zipf {
    /// Zipf over `n` ranks with skew `s` (`s = 0` is uniform).
    pub fn new(n: usize, s: f64) -> Zipf {
        assert!(n > 0, "a Zipf distribution needs at least one rank");
        assert!(s.is_finite() && s >= 0.0, "Zipf skew must be >= 0, got {s}");
        let mut acc = 0.0;
        let mut cdf: Box<[f64]> = (0..n)
            .map(|r| {
                acc += 1.0 / ((r + 1) as f64).powf(s);
                acc
            })
            .collect();
        let total = acc;
        for c in cdf.iter_mut() {
            *c /= total;
        }
        // Guard against rounding: the last bucket must catch every u < 1.
        cdf[n - 1] = 1.0;
        Zipf { cdf }
    }

    /// Number of ranks.
    pub fn len(&self) -> usize {
        self.cdf.len()
    }

    /// Always false: a distribution has at least one rank.
    pub fn is_empty(&self) -> bool {
        self.cdf.is_empty()
    }

    /// Probability of rank `r`.
    pub fn probability(&self, r: usize) -> f64 {
        self.cdf[r] - if r == 0 { 0.0 } else { self.cdf[r - 1] }
    }

    /// A rank in `0..len()`, 0 the most likely.
    pub fn sample(&self, rng: &mut SplitMix64) -> usize {
        let u = rng.next_f64();
        self.cdf
            .partition_point(|&c| c <= u)
            .min(self.cdf.len() - 1)
    }
}

/// How keys are chosen for reads and updates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Distribution {
    /// Every key equally likely: contention spread over the whole map.
    Uniform,
    /// Zipf with the given skew: a few hot keys that many threads hit at once.
    Zipf(f64),
}

impl Distribution {
    /// Zipf with [`DEFAULT_SKEW`].
    pub fn zipf() -> Distribution {
        Distribution::Zipf(DEFAULT_SKEW)
    }

    /// The scenario name in benchmark ids: `uniform` or `zipf`.
    pub fn name(self) -> &'static str {
        match self {
            Distribution::Uniform => "uniform",
            Distribution::Zipf(_) => "zipf",
        }
    }
}

/// A [`Distribution`] prepared for a population of `n` ranks.
#[derive(Clone, Debug)]
pub enum Sampler {
    /// Uniform over `0..n`.
    Uniform(u64),
    /// Zipf over `0..n`.
    Zipf(Zipf),
}

impl Sampler {
    /// Prepares `dist` over `n` ranks.
    pub fn new(dist: Distribution, n: usize) -> Sampler {
        assert!(n > 0, "cannot sample from an empty population");
        match dist {
            Distribution::Uniform => Sampler::Uniform(n as u64),
            Distribution::Zipf(s) => Sampler::Zipf(Zipf::new(n, s)),
        }
    }

    /// A rank in `0..n`.
    pub fn sample(&self, rng: &mut SplitMix64) -> usize {
        match self {
            Sampler::Uniform(n) => rng.below(*n) as usize,
            Sampler::Zipf(z) => z.sample(rng),
        }
    }
}

/// What the model says about a key at every moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Prefilled and never removed: every lookup must hit; updates target these.
    Stable,
    /// Inserted and removed by its owner thread; present about half the time.
    Churn,
    /// Never inserted: every lookup must miss.
    Absent,
}

/// Largest key space: values carry their key in the bits above
/// [`TAG_SHIFT`](super::TAG_SHIFT), so keys must fit in 24 bits.
pub const MAX_KEYS: usize = 1 << 24;

/// Key space parameters: size and the split into stable, churn and absent keys.
///
/// The default, 65,536 keys of which 25% stable, 50% churn and 25% absent,
/// keeps half the key space present at any moment (all stable keys plus half
/// the churn keys), so a uniform lookup hits about half the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpace {
    keys: usize,
    stable_pct: u32,
    churn_pct: u32,
}

/// A [`KeySpace`] that cannot be laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySpaceError(String);

impl fmt::Display for KeySpaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid key space: {}", self.0)
    }
}

impl std::error::Error for KeySpaceError {}

impl Default for KeySpace {
    fn default() -> KeySpace {
        KeySpace::DEFAULT
    }
}

impl KeySpace {
    /// 65,536 keys: 25% stable, 50% churn, 25% absent (half present).
    pub const DEFAULT: KeySpace = KeySpace {
        keys: 1 << 16,
        stable_pct: 25,
        churn_pct: 50,
    };

    /// `keys` keys, `stable_pct` percent stable, `churn_pct` percent churn,
    /// the rest absent. At least one stable key and two churn keys are
    /// required (updates need a stable key; a churn window needs two).
    pub fn new(keys: usize, stable_pct: u32, churn_pct: u32) -> Result<KeySpace, KeySpaceError> {
        let err = |m: String| Err(KeySpaceError(m));
        if keys > MAX_KEYS {
            return err(format!("{keys} keys exceed the maximum of {MAX_KEYS}"));
        }
        if stable_pct.checked_add(churn_pct).is_none_or(|p| p > 100) {
            return err(format!(
                "{stable_pct}% stable + {churn_pct}% churn exceeds 100%"
            ));
        }
        let space = KeySpace {
            keys,
            stable_pct,
            churn_pct,
        };
        if space.stable() < 1 || space.churn() < 2 {
            return err(format!(
                "{keys} keys at {stable_pct}% stable / {churn_pct}% churn leave {} stable and {} \
                 churn keys (need at least 1 and 2)",
                space.stable(),
                space.churn()
            ));
        }
        Ok(space)
    }

    /// Total keys.
    pub fn keys(&self) -> usize {
        self.keys
    }

    /// Number of stable keys.
    pub fn stable(&self) -> usize {
        self.keys * self.stable_pct as usize / 100
    }

    /// Number of churn keys.
    pub fn churn(&self) -> usize {
        self.keys * self.churn_pct as usize / 100
    }

    /// Number of absent keys.
    pub fn absent(&self) -> usize {
        self.keys - self.stable() - self.churn()
    }
}

/// A [`KeySpace`] laid out: the class of every key, the stable keys in rank
/// order, the churn keys in rank order.
#[derive(Clone, Debug)]
pub struct Layout {
    class: Box<[Class]>,
    stable: Box<[u32]>,
    churn: Box<[u32]>,
}

impl Layout {
    /// Interleaves the classes along the ranks in proportion, stable first:
    /// each key goes to the class furthest behind its target share.
    pub fn new(space: &KeySpace) -> Layout {
        let targets = [space.stable(), space.churn(), space.absent()];
        let classes = [Class::Stable, Class::Churn, Class::Absent];
        let mut taken = [0usize; 3];
        let mut class = Vec::with_capacity(space.keys());
        let (mut stable, mut churn) = (Vec::new(), Vec::new());
        for key in 0..space.keys() {
            // Furthest behind: smallest taken/target, compared exactly.
            let c = (0..3)
                .filter(|&c| taken[c] < targets[c])
                .min_by(|&a, &b| (taken[a] * targets[b]).cmp(&(taken[b] * targets[a])))
                .expect("targets add up to the key count");
            taken[c] += 1;
            class.push(classes[c]);
            match classes[c] {
                Class::Stable => stable.push(key as u32),
                Class::Churn => churn.push(key as u32),
                Class::Absent => {}
            }
        }
        Layout {
            class: class.into(),
            stable: stable.into(),
            churn: churn.into(),
        }
    }

    /// Total keys.
    pub fn keys(&self) -> usize {
        self.class.len()
    }

    /// The class of `key`.
    pub fn class(&self, key: u32) -> Class {
        self.class[key as usize]
    }

    /// The stable keys, hottest first.
    pub fn stable(&self) -> &[u32] {
        &self.stable
    }

    /// The churn keys, hottest first.
    pub fn churn(&self) -> &[u32] {
        &self.churn
    }

    /// The churn keys thread `index` of `threads` owns (every `threads`-th,
    /// starting at `index`): only that thread inserts and removes them.
    pub fn owned(&self, index: usize, threads: usize) -> Box<[u32]> {
        self.churn
            .iter()
            .skip(index)
            .step_by(threads)
            .copied()
            .collect()
    }
}

/// One prepared operation. 8 bytes: a slice of 64k of them is 512 KiB per
/// thread, read sequentially.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Op {
    /// The key (unused by [`OpKind::Churn`], whose key comes from the
    /// thread's churn window at run time).
    pub key: u32,
    /// What to do, and what the answer must be.
    pub kind: OpKind,
}

/// The operation kinds, with the check each one's result must pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum OpKind {
    /// Lookup of a stable key: must hit, value tagged with the key.
    ReadStable,
    /// Lookup of a churn key: may miss; a hit must be the key's fresh value.
    ReadChurn,
    /// Lookup of an absent key: must miss.
    ReadAbsent,
    /// Add one to a stable key's value: must find it.
    Update,
    /// The next insert or remove of the thread's churn window, alternating.
    Churn,
}

/// Thread `index`'s operations: `len` of them, a mix of lookups (keys drawn
/// from `reads` over all keys) and writes at `mix`'s write percentage. Writes
/// cycle update, churn, churn, so inserts, removes and updates are a third
/// each; update keys are drawn from `updates` over the stable keys.
pub fn op_slice(
    layout: &Layout,
    reads: &Sampler,
    updates: &Sampler,
    mix: crate::harness::Mix,
    index: usize,
    len: usize,
    seed: u64,
) -> Box<[Op]> {
    let mut rng = SplitMix64::new(seed ^ (index as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let mut cursor = mix.cursor(index);
    let mut writes = 0u64;
    (0..len)
        .map(|_| {
            if cursor.next_is_write() {
                writes += 1;
                if writes % 3 == 1 {
                    let key = layout.stable()[updates.sample(&mut rng)];
                    Op {
                        key,
                        kind: OpKind::Update,
                    }
                } else {
                    Op {
                        key: 0,
                        kind: OpKind::Churn,
                    }
                }
            } else {
                let key = reads.sample(&mut rng) as u32;
                let kind = match layout.class(key) {
                    Class::Stable => OpKind::ReadStable,
                    Class::Churn => OpKind::ReadChurn,
                    Class::Absent => OpKind::ReadAbsent,
                };
                Op { key, kind }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::Mix;

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let a: Vec<u64> = {
            let mut r = SplitMix64::new(7);
            (0..100).map(|_| r.next_u64()).collect()
        };
        let mut r = SplitMix64::new(7);
        assert!(a.iter().all(|&x| x == r.next_u64()));
        let mut r = SplitMix64::new(1);
        for _ in 0..10_000 {
            assert!(r.below(10) < 10);
            let f = r.next_f64();
            assert!((0.0..1.0).contains(&f));
        }
    }

    #[test]
    fn zipf_is_skewed_toward_low_ranks() {
        let n = 1 << 16;
        let z = Zipf::new(n, DEFAULT_SKEW);
        // Analytically: 1 / H(65536, 0.99), about 8.6%.
        let p0 = z.probability(0);
        assert!((0.07..0.10).contains(&p0), "p0 = {p0}");
        let mut rng = SplitMix64::new(42);
        let draws = 200_000;
        let mut counts = vec![0u32; n];
        for _ in 0..draws {
            counts[z.sample(&mut rng)] += 1;
        }
        let top = f64::from(counts[0]) / f64::from(draws);
        assert!((top - p0).abs() < 0.01, "top key share {top} vs {p0}");
        // The top 1% of keys take a large share; uniform would give 1%.
        let top1: u32 = counts[..n / 100].iter().sum();
        assert!(f64::from(top1) / f64::from(draws) > 0.5);
        assert!(counts[0] > counts[1] && counts[1] > counts[10] && counts[10] > counts[1000]);
    }

    #[test]
    fn zipf_skew_zero_is_uniform_and_every_rank_reachable() {
        let z = Zipf::new(4, 0.0);
        for r in 0..4 {
            assert!((z.probability(r) - 0.25).abs() < 1e-12);
        }
        let mut rng = SplitMix64::new(3);
        let mut seen = [false; 4];
        for _ in 0..1000 {
            seen[z.sample(&mut rng)] = true;
        }
        assert_eq!(seen, [true; 4]);
    }

    #[test]
    fn uniform_sampler_covers_the_population_evenly() {
        let s = Sampler::new(Distribution::Uniform, 8);
        let mut rng = SplitMix64::new(9);
        let mut counts = [0u32; 8];
        for _ in 0..80_000 {
            counts[s.sample(&mut rng)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_000..11_000).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn key_space_validates() {
        assert!(KeySpace::new(1 << 16, 25, 50).is_ok());
        assert!(KeySpace::new(100, 60, 50).is_err());
        assert!(KeySpace::new(MAX_KEYS + 1, 25, 50).is_err());
        assert!(KeySpace::new(4, 0, 50).is_err());
        let d = KeySpace::DEFAULT;
        assert_eq!((d.stable(), d.churn(), d.absent()), (16384, 32768, 16384));
    }

    #[test]
    fn layout_interleaves_classes_in_proportion_stable_first() {
        let layout = Layout::new(&KeySpace::DEFAULT);
        use Class::*;
        let head: Vec<Class> = (0..8).map(|k| layout.class(k)).collect();
        assert_eq!(
            head,
            [Stable, Churn, Absent, Churn, Stable, Churn, Absent, Churn]
        );
        assert_eq!(layout.stable().len(), 16384);
        assert_eq!(layout.churn().len(), 32768);
        let absent = (0..layout.keys() as u32)
            .filter(|&k| layout.class(k) == Absent)
            .count();
        assert_eq!(absent, 16384);
        // Odd proportions still come out exact.
        let s = KeySpace::new(1000, 33, 41).unwrap();
        let l = Layout::new(&s);
        assert_eq!(l.stable().len(), s.stable());
        assert_eq!(l.churn().len(), s.churn());
    }

    #[test]
    fn churn_keys_are_partitioned_across_threads() {
        let layout = Layout::new(&KeySpace::new(1000, 25, 50).unwrap());
        for threads in [1, 3, 8] {
            let mut all: Vec<u32> = (0..threads)
                .flat_map(|i| layout.owned(i, threads).into_vec())
                .collect();
            all.sort_unstable();
            let mut churn = layout.churn().to_vec();
            churn.sort_unstable();
            assert_eq!(all, churn);
        }
    }

    #[test]
    fn op_slice_follows_the_mix_and_is_deterministic() {
        let layout = Layout::new(&KeySpace::DEFAULT);
        let reads = Sampler::new(Distribution::zipf(), layout.keys());
        let updates = Sampler::new(Distribution::zipf(), layout.stable().len());
        let mix = Mix::new(90, 10).unwrap();
        let ops = op_slice(&layout, &reads, &updates, mix, 1, 3000, 5);
        assert_eq!(ops, op_slice(&layout, &reads, &updates, mix, 1, 3000, 5));
        assert_ne!(ops, op_slice(&layout, &reads, &updates, mix, 2, 3000, 5));
        let count = |k: OpKind| ops.iter().filter(|o| o.kind == k).count();
        assert_eq!(count(OpKind::Update) + count(OpKind::Churn), 300);
        assert_eq!(count(OpKind::Update), 100);
        for op in ops.iter() {
            match op.kind {
                OpKind::ReadStable | OpKind::Update => {
                    assert_eq!(layout.class(op.key), Class::Stable)
                }
                OpKind::ReadChurn => assert_eq!(layout.class(op.key), Class::Churn),
                OpKind::ReadAbsent => assert_eq!(layout.class(op.key), Class::Absent),
                OpKind::Churn => {}
            }
        }
        // Zipf: key 0 (stable, hottest) is the most read and most updated.
        let reads_of = |k: u32| {
            ops.iter()
                .filter(|o| o.key == k && o.kind == OpKind::ReadStable)
                .count()
        };
        assert!(reads_of(0) > 100, "{}", reads_of(0));
        let updates_of_0 = ops
            .iter()
            .filter(|o| o.key == 0 && o.kind == OpKind::Update)
            .count();
        assert!(updates_of_0 >= 3, "{updates_of_0}");
    }
}
