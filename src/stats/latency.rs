//! The latency summary every latency of the results document is reported as (an entry's
//! requests, a queue's messages end to end), and the quantile of a histogram in seconds.

use super::{bootstrap, LogHistogram, Stat};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Latency summary \[s\]; each percentile is computed per replication and then combined, over
/// the replications that have at least one sample (a replication in which no request completed
/// has no latency: it is not counted as 0).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct LatencyResult {
    /// Mean.
    pub mean: Stat,
    /// Median.
    pub p50: Stat,
    /// 90th percentile.
    pub p90: Stat,
    /// 95th percentile.
    pub p95: Stat,
    /// 99th percentile.
    pub p99: Stat,
    /// 99.9th percentile.
    pub p999: Stat,
    /// How the p99 and p99.9 intervals were computed: `"student_t"` or `"bootstrap"`
    /// (expanded percentile bootstrap over replications, for 6 to 9 replications).
    #[serde(default)]
    pub tail_interval: String,
    /// The p99 rests on too few requests: fewer than 1,000 successful requests in some
    /// replication (fewer than 10 expected beyond the percentile).
    #[serde(default)]
    pub p99_low_samples: bool,
    /// The p99.9 rests on too few requests: fewer than 10,000 in some replication.
    #[serde(default)]
    pub p999_low_samples: bool,
    /// Replications without a single sample (no request completed): they are left out of
    /// every Stat above. When it equals the replication count there is no latency at all, the
    /// Stats are 0 and read "n/a".
    #[serde(default)]
    pub replications_without_samples: u32,
}

impl LatencyResult {
    /// The summary of one histogram \[ns\] per replication: the mean and the percentiles of
    /// each non-empty histogram, combined over those replications (the p99 and p99.9 with
    /// [`bootstrap::tail_stat`]); the empty ones are counted in
    /// [`LatencyResult::replications_without_samples`]. The low-sample flags look at the
    /// smallest non-empty histogram (and are set when every histogram is empty).
    ///
    /// # Complexity
    /// O(n · histogram buckets).
    pub fn from_histograms(hs: &[&LogHistogram]) -> LatencyResult {
        let kept: Vec<&LogHistogram> = hs.iter().copied().filter(|h| !h.is_empty()).collect();
        let q = |q: f64| -> Vec<f64> { kept.iter().map(|h| quantile_s(h, q)).collect() };
        let means: Vec<f64> = kept.iter().map(|h| h.mean() / 1e9).collect();
        let (p99, method) = bootstrap::tail_stat(&q(0.99));
        let (p999, _) = bootstrap::tail_stat(&q(0.999));
        let min_samples = kept.iter().map(|h| h.len()).min().unwrap_or(0);
        LatencyResult {
            mean: Stat::from_samples(&means),
            p50: Stat::from_samples(&q(0.5)),
            p90: Stat::from_samples(&q(0.9)),
            p95: Stat::from_samples(&q(0.95)),
            p99,
            p999,
            tail_interval: method.name().to_string(),
            p99_low_samples: bootstrap::low_samples(0.99, min_samples),
            p999_low_samples: bootstrap::low_samples(0.999, min_samples),
            replications_without_samples: u32::try_from(hs.len() - kept.len()).unwrap_or(u32::MAX),
        }
    }

    /// Whether no replication of `replications` had a sample: the latency is "n/a".
    pub fn is_na(&self, replications: u32) -> bool {
        self.replications_without_samples > 0 && self.replications_without_samples >= replications
    }
}

/// The `q`-quantile of `h` \[s\] (`h` in ns; 0 when empty).
pub fn quantile_s(h: &LogHistogram, q: f64) -> f64 {
    if h.is_empty() {
        0.0
    } else {
        h.quantile(q) as f64 / 1e9
    }
}
