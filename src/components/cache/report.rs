//! Caches in the results document: lookups and hits of every cache decision point, combined
//! over replications.

use super::Plan;
use crate::components::report::Replication;
use crate::stats::Stat;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Lookups and hits of one cache over the measured interval.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CacheResult {
    /// Lookups.
    pub lookups: Stat,
    /// Hits.
    pub hits: Stat,
    /// Hits / lookups per replication.
    pub hit_ratio: Stat,
}

/// Per cache of `plan`, by name: its figures (`reps`: per replication, every cache's
/// `(lookups, hits)`).
pub fn combine(
    plan: &Plan,
    reps: &[Replication<'_, Vec<(u64, u64)>>],
) -> IndexMap<String, CacheResult> {
    plan.caches
        .iter()
        .enumerate()
        .map(|(c, cache)| {
            let of = |r: &Replication<'_, Vec<(u64, u64)>>| r.rep.get(c).copied().unwrap_or((0, 0));
            (
                cache.name.clone(),
                CacheResult {
                    lookups: Stat::over(reps, |r| of(r).0 as f64),
                    hits: Stat::over(reps, |r| of(r).1 as f64),
                    hit_ratio: Stat::over(reps, |r| {
                        let (l, h) = of(r);
                        if l > 0 {
                            h as f64 / l as f64
                        } else {
                            0.0
                        }
                    }),
                },
            )
        })
        .collect()
}
