//! The caches in the analytic estimate: a call some cache may answer goes through that cache,
//! which answers its hit ratio of them at the rate it is looked up — a fixed ratio, or the
//! closed form of a TTL cache under Poisson lookups ([`hit_ratio`]).

use super::{Cache, CacheSpec};
use crate::components::contract::{Estimate, EstimateCx};
use crate::flow::topology::NO_CACHE;

/// Mean hit ratio of a cache looked up `rate` times per second (Poisson): the fixed ratio, or
/// for a TTL cache Σₖ pₖ·λpₖT/(1 + λpₖT) over the keys' popularity pₖ — exact for Poisson
/// lookups, since each key alternates one miss (which fills it) and the hits within T.
///
/// # Complexity
/// O(keys) for a Zipf TTL cache, O(1) otherwise.
pub fn hit_ratio(spec: &CacheSpec, rate: f64) -> f64 {
    match *spec {
        CacheSpec::Ratio(h) => h,
        CacheSpec::Ttl { ttl, keys, zipf } => {
            let lt = rate * ttl as f64 / 1e9;
            if !(lt > 0.0 && keys > 0) {
                return 0.0;
            }
            // A key read with probability p hits p·λT/(1 + p·λT) of all lookups.
            let hit = |p: f64| p * (lt * p) / (1.0 + lt * p);
            match zipf {
                None => hit(1.0 / f64::from(keys)) * f64::from(keys),
                Some(_) => spec.zipf_probabilities().into_iter().map(hit).sum(),
            }
        }
    }
}

impl Estimate for Cache {
    /// The cache that may answer call `c` (the call's cache index): every lookup of one cache
    /// shares its hit ratio.
    fn gate<C: EstimateCx>(cx: &C, c: u32) -> Option<u32> {
        let k = cx.topo().calls.get(c as usize)?.cache;
        (k != NO_CACHE).then_some(k)
    }

    /// The misses go on: 1 − the hit ratio at the cache's lookup rate.
    fn pass<C: EstimateCx>(cx: &C, key: u32, rate: f64) -> f64 {
        cx.plans()
            .cache
            .caches
            .get(key as usize)
            .map_or(1.0, |c| 1.0 - hit_ratio(&c.spec, rate))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::testing::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn hit_ratio_is_the_fixed_ratio_or_the_ttl_closed_form() {
        assert_eq!(hit_ratio(&CacheSpec::Ratio(0.3), 1e6), 0.3);
        // Uniform keys: each of K keys is read at λ/K; a key hits λT/K / (1 + λT/K).
        let (ttl, keys, rate) = (2_000_000_000, 50, 100.0);
        let uniform = CacheSpec::Ttl {
            ttl,
            keys,
            zipf: None,
        };
        let x = rate * 2.0 / 50.0;
        assert!(close(hit_ratio(&uniform, rate), x / (1.0 + x)));
        // No lookups, no hits.
        assert_eq!(hit_ratio(&uniform, 0.0), 0.0);
        // Zipf: the sum over the keys' popularity, by hand.
        let zipf = CacheSpec::Ttl {
            ttl,
            keys: 10,
            zipf: Some(1.0),
        };
        let h: f64 = (1..=10).map(|k| 1.0 / f64::from(k)).sum();
        let want: f64 = (1..=10)
            .map(|k| {
                let p = 1.0 / (f64::from(k) * h);
                p * (200.0 * p) / (1.0 + 200.0 * p)
            })
            .sum();
        assert!(close(hit_ratio(&zipf, rate), want));
    }

    #[test]
    fn the_estimate_sends_the_misses_of_a_cache_node_to_the_database() {
        // 100 reads/s of a uniform TTL cache of 50 keys, T = 2 s: 4/5 hit; the database sees
        // the 20/s that miss.
        let e = estimate_of(
            r#"name = "c"
[workload]
duration = "10s"
[[workload.entries]]
name = "r"
op = "a.get"
arrival = { process = "poisson", rate = 100 }
[modules.a]
ops.get = { cpu = "0s", calls = [{ op = "items.get" }] }
[datastores.items]
ops.get = { time = "1ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "a"
modules = ["a"]
[[variants.databases]]
name = "db"
stores = ["items"]
[[variants.caches]]
name = "redis"
stores = ["items"]
ttl = "2s"
keys = 50
popularity = "uniform"
"#,
        );
        let db = e.nodes.iter().find(|n| n.name == "db").expect("db");
        assert!(close(db.arrival_rate, 20.0), "{}", db.arrival_rate);
    }
}
