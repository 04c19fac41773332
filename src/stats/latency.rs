//! The latency summary every latency of the results document is reported as (an entry's
//! requests, a queue's messages end to end), and the quantile of a histogram in seconds.

use super::{LogHistogram, Stat};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Latency summary \[s\]; each percentile is computed per replication and then combined.
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
}

/// The `q`-quantile of `h` \[s\] (`h` in ns; 0 when empty).
pub fn quantile_s(h: &LogHistogram, q: f64) -> f64 {
    if h.is_empty() {
        0.0
    } else {
        h.quantile(q) as f64 / 1e9
    }
}
