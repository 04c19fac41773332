//! Response caches: a gateway route cache, the CDN, or a cache node in front of data-store
//! reads — a fixed hit ratio, or a TTL cache simulated per key. The engine asks one question per
//! lookup; the cache keeps its own state and counters.
//!
//! # Configuration
//!
//! - `[[variants.caches]]`: `name`, `stores` (deployed data stores, each behind one cache at
//!   most), the hit decision, `latency` (default 200 µs: docs/sources.md row *cache lookup
//!   latency*).
//! - `cdn = { entries, hit_ratio, latency }` on a variant: `latency` default 5 ms
//!   (docs/sources.md row *CDN edge latency*).
//! - The hit decision of a cache node or of a gateway route's `cache` (the route is the
//!   gateway's): exactly one of `hit_ratio` (0 to 1) or `ttl` (> 0), with `keys` (1 to
//!   1,000,000, default 1000) and `popularity` (`"uniform"`, default, or `{ zipf = s }`,
//!   s in (0, 10]) for a TTL cache.
//!
//! # Files
//!
//! - `mod.rs`: the hit decision ([`CacheSpec`]) and a cache's state.
//! - `raw.rs`: the TOML keys ([`raw::RawCache`], [`raw::RawCdn`], [`raw::Popularity`]).
//! - `spec.rs`: the validated [`spec::CacheNode`] and [`spec::Cdn`].
//! - `resolve.rs`: raw → validated, with located diagnostics.
//! - `sim.rs`: the caches in a replication ([`Cache`]).
//! - `report.rs`: lookups and hits in the results ([`report::CacheResult`]).
//! - `cost.rs`: the caches' bill and the owner of each cache ([`cost::CacheOwner`]).
//! - `compile.rs`: caches and the CDN as plan entries, and the calls routed through them.
//! - `estimate.rs`: the hit ratio of a cache's lookups (fixed, or the TTL closed form).

mod compile;
pub mod cost;
pub mod estimate;
pub mod raw;
pub mod report;
pub(crate) mod resolve;
mod sim;
pub mod spec;

pub use compile::*;
pub use sim::*;

use crate::kernel::Rng64;
use rand::Rng;

/// How a cache decides hits.
#[derive(Debug, Clone, PartialEq)]
pub enum CacheSpec {
    /// Each lookup hits with this probability.
    Ratio(f64),
    /// Per key: a lookup hits if the key was filled less than `ttl` ago; a miss fills it.
    Ttl {
        /// Time to live \[ns\].
        ttl: u64,
        /// Distinct keys.
        keys: u32,
        /// Zipf exponent of key popularity (`None` = uniform).
        zipf: Option<f64>,
    },
}

impl CacheSpec {
    /// The probability of each key of a Zipf TTL cache, P(k) ∝ k⁻ˢ for k = 1..=keys (empty for
    /// a uniform TTL cache and a fixed ratio). Shared by the engine's key draw and the
    /// analytic hit ratio.
    ///
    /// # Complexity
    /// O(keys).
    pub fn zipf_probabilities(&self) -> Vec<f64> {
        let CacheSpec::Ttl {
            keys,
            zipf: Some(s),
            ..
        } = *self
        else {
            return Vec::new();
        };
        let mut w: Vec<f64> = (1..=keys).map(|k| f64::from(k).powf(-s)).collect();
        let total: f64 = w.iter().sum();
        w.iter_mut().for_each(|x| *x /= total);
        w
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

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
