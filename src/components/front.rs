//! Front-door components: caches (a fixed hit ratio, or a TTL cache simulated per key) and the
//! gateway's token-bucket rate limiter. The engine asks them one question per request; they
//! keep their own state and counters.

use crate::kernel::Rng64;
use crate::scenario::{CacheSpec, RateLimit};
use rand::Rng;

/// How one compiled cache decides hits (see [`CacheSpec`]).
#[derive(Debug, Clone)]
pub struct CachePlan {
    /// Name in the results (`gateway:ENTRY`, `cdn`, or the cache node's name).
    pub name: String,
    /// Hit decision.
    pub spec: CacheSpec,
    /// TTL caches with Zipf popularity: cumulative key probabilities.
    pub cdf: Vec<f64>,
}

impl CachePlan {
    /// Compiles `spec` (precomputes the popularity CDF of a Zipf TTL cache).
    pub fn new(name: String, spec: CacheSpec) -> CachePlan {
        let mut acc = 0.0;
        let cdf = spec
            .zipf_probabilities()
            .into_iter()
            .map(|p| {
                acc += p;
                acc
            })
            .collect();
        CachePlan { name, spec, cdf }
    }
}

/// State of one cache during a replication.
#[derive(Debug, Clone, Default)]
pub struct CacheState {
    /// TTL cache: per key, when its entry expires \[ns\] (0 = never filled).
    expiry: Vec<u64>,
    /// Lookups and hits in the measured interval.
    pub lookups: u64,
    /// Hits in the measured interval.
    pub hits: u64,
}

impl CacheState {
    /// Empty state for `plan`.
    pub fn new(plan: &CachePlan) -> CacheState {
        let keys = match plan.spec {
            CacheSpec::Ttl { keys, .. } => keys as usize,
            CacheSpec::Ratio(_) => 0,
        };
        CacheState {
            expiry: vec![0; keys],
            lookups: 0,
            hits: 0,
        }
    }

    /// One lookup at `now`: `true` on a hit. A TTL miss fills the key until `now + ttl`.
    pub fn lookup(&mut self, plan: &CachePlan, now: u64, rng: &mut Rng64, measuring: bool) -> bool {
        let hit = match plan.spec {
            CacheSpec::Ratio(p) => rng.random::<f64>() < p,
            CacheSpec::Ttl { ttl, keys, .. } => {
                let k = if plan.cdf.is_empty() {
                    rng.random_range(0..keys) as usize
                } else {
                    let u: f64 = rng.random();
                    plan.cdf.partition_point(|&c| c <= u).min(keys as usize - 1)
                };
                let e = &mut self.expiry[k];
                if *e > now {
                    true
                } else {
                    *e = now.saturating_add(ttl);
                    false
                }
            }
        };
        if measuring {
            self.lookups += 1;
            self.hits += hit as u64;
        }
        hit
    }
}

/// A token bucket (full at the start): `rate` tokens per second, at most `burst` kept; a
/// request takes one token or is refused.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate_per_ns: f64,
    burst: f64,
    tokens: f64,
    last: u64,
    /// Requests refused in the measured interval.
    pub refused: u64,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(r: RateLimit) -> TokenBucket {
        TokenBucket {
            rate_per_ns: r.rate / 1e9,
            burst: r.burst,
            tokens: r.burst,
            last: 0,
            refused: 0,
        }
    }

    /// Takes a token at `now`: `true` if the request is admitted.
    pub fn take(&mut self, now: u64, measuring: bool) -> bool {
        let dt = now.saturating_sub(self.last) as f64;
        self.last = now;
        self.tokens = (self.tokens + dt * self.rate_per_ns).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            if measuring {
                self.refused += 1;
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn bucket_admits_burst_then_rate() {
        let mut b = TokenBucket::new(RateLimit {
            rate: 10.0,
            burst: 5.0,
        });
        // 100 requests at t = 0: the burst only.
        let first = (0..100).filter(|_| b.take(0, true)).count();
        assert_eq!(first, 5);
        // One request every 1 ms for 10 s: 10 per second get through.
        let later = (1..=10_000u64)
            .filter(|i| b.take(i * 1_000_000, true))
            .count();
        assert_eq!(later, 100);
    }

    #[test]
    fn zipf_cdf_ends_at_one_and_favours_low_keys() {
        let p = CachePlan::new(
            "c".into(),
            CacheSpec::Ttl {
                ttl: 1,
                keys: 100,
                zipf: Some(1.0),
            },
        );
        assert!((p.cdf[99] - 1.0).abs() < 1e-12);
        let h100: f64 = (1..=100).map(|k| 1.0 / k as f64).sum();
        assert!((p.cdf[0] - 1.0 / h100).abs() < 1e-12);
        let mut st = CacheState::new(&p);
        let mut rng = Rng64::seed_from_u64(1);
        let _ = st.lookup(&p, 0, &mut rng, true);
        assert_eq!(st.lookups, 1);
    }
}
