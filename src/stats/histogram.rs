//! A mergeable log-linear histogram of non-negative integers (latencies in nanoseconds), in the
//! spirit of HdrHistogram: exact below 1,024, and above that 512 buckets per power of two, so
//! every recorded value is known to within 1/512 (≈ 0.2%) of itself — three significant digits —
//! over the whole `u64` range.
//!
//! # Complexity
//! `record` is O(1) (a leading-zero count and a shift; the bucket array grows on demand to the
//! largest value seen, at most 28,672 counters); `add`, `quantile` and `iter` are O(buckets).

const SUB_BITS: u32 = 10;
const SUB: u64 = 1 << SUB_BITS;
const HALF: u64 = SUB / 2;

/// Bucket index of `v`.
#[inline]
fn index(v: u64) -> usize {
    if v < SUB {
        v as usize
    } else {
        let msb = 63 - v.leading_zeros();
        let shift = msb - (SUB_BITS - 1);
        (shift as u64 * HALF + (v >> shift)) as usize
    }
}

/// Lowest and highest value of bucket `i`.
#[inline]
fn bounds(i: usize) -> (u64, u64) {
    let i = i as u64;
    if i < SUB {
        (i, i)
    } else {
        let shift = i / HALF - 1;
        let m = i % HALF + HALF;
        (m << shift, ((m + 1) << shift) - 1)
    }
}

/// A histogram of `u64` values; see the module docs.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LogHistogram {
    counts: Vec<u64>,
    total: u64,
    sum: f64,
    min: u64,
    max: u64,
}

impl LogHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        LogHistogram {
            counts: Vec::new(),
            total: 0,
            sum: 0.0,
            min: u64::MAX,
            max: 0,
        }
    }

    /// Records one value.
    #[inline]
    pub fn record(&mut self, v: u64) {
        let i = index(v);
        if i >= self.counts.len() {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
        self.total += 1;
        self.sum += v as f64;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    /// Adds every value recorded in `other`.
    pub fn add(&mut self, other: &LogHistogram) {
        if other.counts.len() > self.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Values recorded.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Exact mean of the recorded values (0 when empty).
    pub fn mean(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.sum / self.total as f64
        }
    }

    /// Exact smallest and largest recorded values (`None` when empty).
    pub fn min_max(&self) -> Option<(u64, u64)> {
        (self.total > 0).then_some((self.min, self.max))
    }

    /// The `q`-quantile (nearest rank, `0 ≤ q ≤ 1`): the midpoint of the bucket holding the
    /// value of rank ⌈q·n⌉, clamped to the exact extremes. 0 when empty.
    pub fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let (lo, hi) = bounds(i);
                return (lo + (hi - lo) / 2).clamp(self.min, self.max);
            }
        }
        self.max
    }

    /// Non-empty buckets as `(representative value, count)`, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        let (min, max) = (self.min, self.max);
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(move |(i, &c)| {
                let (lo, hi) = bounds(i);
                ((lo + (hi - lo) / 2).clamp(min, max), c)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn buckets_tile_the_range_and_bound_the_relative_error() {
        let mut prev_hi = None;
        for i in 0..(index(u64::MAX) + 1) {
            let (lo, hi) = bounds(i);
            assert!(lo <= hi);
            if let Some(p) = prev_hi {
                assert_eq!(lo, p + 1, "bucket {i} starts after the previous one ends");
            }
            prev_hi = Some(hi);
            assert!(
                (hi - lo) as f64 <= lo as f64 / 512.0 + 1.0,
                "bucket {i}: {lo}..{hi}"
            );
            assert_eq!(index(lo), i);
            assert_eq!(index(hi), i);
        }
        assert_eq!(prev_hi, Some(u64::MAX));
    }

    #[test]
    fn quantiles_match_a_sort_within_precision() {
        let mut r = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(9);
        let mut h = LogHistogram::new();
        let mut xs: Vec<u64> = (0..100_000)
            .map(|_| (r.random::<f64>().powi(3) * 1e9) as u64)
            .collect();
        for &x in &xs {
            h.record(x);
        }
        xs.sort_unstable();
        for q in [0.01, 0.5, 0.9, 0.99, 0.999, 1.0] {
            let exact = xs[((q * xs.len() as f64).ceil() as usize).max(1) - 1] as f64;
            let got = h.quantile(q) as f64;
            assert!(
                (got - exact).abs() <= exact / 512.0 + 1.0,
                "q {q}: {got} vs {exact}"
            );
        }
        let mean = xs.iter().map(|&x| x as f64).sum::<f64>() / xs.len() as f64;
        assert!((h.mean() - mean).abs() < 1e-6 * mean);
        assert_eq!(h.min_max(), Some((xs[0], xs[xs.len() - 1])));
    }

    #[test]
    fn merge_equals_recording_everything_in_one() {
        let mut a = LogHistogram::new();
        let mut b = LogHistogram::new();
        let mut all = LogHistogram::new();
        for v in 0..5000u64 {
            let x = v * v * 37;
            if v % 3 == 0 {
                a.record(x)
            } else {
                b.record(x)
            }
            all.record(x);
        }
        let mut m = a.clone();
        m.add(&b);
        assert_eq!(m.len(), all.len());
        assert_eq!(m.quantile(0.5), all.quantile(0.5));
        assert_eq!(m.quantile(0.99), all.quantile(0.99));
        assert_eq!(m.iter().collect::<Vec<_>>(), all.iter().collect::<Vec<_>>());
    }

    #[test]
    fn constant_values_are_exact() {
        let mut h = LogHistogram::new();
        for _ in 0..10 {
            h.record(8_020_000);
        }
        assert_eq!(h.quantile(0.5), 8_020_000);
        assert_eq!(h.quantile(0.999), 8_020_000);
        assert!(LogHistogram::new().is_empty());
        assert_eq!(LogHistogram::new().quantile(0.5), 0);
    }
}
