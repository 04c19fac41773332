//! Random failures in the results document: the episodes of each random-failure fault and the
//! failures of each entry inside and outside them, combined over replications.

use super::{EpisodeRep, FaultPlan, Plan};
use crate::components::report::Replication;
use crate::flow::topology::EntryPlan;
use crate::stats::Stat;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The blast radius of a random-failure fault over the measured interval. An *episode* is a
/// maximal interval during which at least one instance of the fault's targets is down because
/// of it (from the failure to the repair, or to the restart on kubernetes).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RandomBlastRadius {
    /// Fault name.
    pub fault: String,
    /// Episodes (one in progress when the measured interval began counts).
    pub episodes: Stat,
    /// Instance failures.
    pub failures: Stat,
    /// Mean time inside an episode: degraded time / episodes \[s\].
    pub mean_degraded_s: Stat,
    /// Fraction of the measured interval inside an episode.
    pub degraded_fraction: Stat,
    /// Entries whose failure rate inside episodes exceeds their rate outside, in scenario
    /// order (from the means over replications).
    pub entries_affected: Vec<String>,
    /// Per entry: failures inside and outside episodes.
    pub entries: IndexMap<String, EpisodeEntry>,
}

/// Failures of one entry inside and outside the episodes of a random fault.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EpisodeEntry {
    /// Failed requests answered inside an episode.
    pub failed_during: Stat,
    /// Their rate: failed_during / degraded time \[1/s\] (0 without degraded time).
    pub failure_rate_during_per_s: Stat,
    /// The rate of the other failures over the rest of the interval \[1/s\].
    pub failure_rate_outside_per_s: Stat,
}

/// Per random-failure fault of `plan`, in scenario order: its episodes (`entries`: the
/// variant's entries; `reps`: every fault's record, per replication).
pub fn random_blast_radius(
    plan: &Plan,
    entries: &[EntryPlan],
    reps: &[Replication<'_, Vec<EpisodeRep>>],
) -> Vec<RandomBlastRadius> {
    plan.faults
        .iter()
        .enumerate()
        .filter(|(_, f)| f.random.is_some())
        .map(|(fi, f)| random_blast(f, fi, entries, reps))
        .collect()
}

/// The episodes of random-failure fault `fi` (see [`EpisodeRep`]).
fn random_blast(
    fault: &FaultPlan,
    fi: usize,
    entries: &[EntryPlan],
    reps: &[Replication<'_, Vec<EpisodeRep>>],
) -> RandomBlastRadius {
    type R<'a> = Replication<'a, Vec<EpisodeRep>>;
    let ep = |r: &R<'_>| r.rep.get(fi).cloned().unwrap_or_default();
    let degraded_s = |r: &R<'_>| ep(r).degraded_ns / 1e9;
    let mut by_entry = IndexMap::new();
    let mut affected = Vec::new();
    for (e, plan) in entries.iter().enumerate() {
        let during = |r: &R<'_>| ep(r).failed_during.get(e).copied().unwrap_or(0) as f64;
        let rate_in = Stat::over(reps, |r| {
            let d = degraded_s(r);
            if d > 0.0 {
                during(r) / d
            } else {
                0.0
            }
        });
        let rate_out = Stat::over(reps, |r| {
            let rest = r.measured_s - degraded_s(r);
            let other = r.entries[e].failed_total() as f64 - during(r);
            if rest > 0.0 {
                other / rest
            } else {
                0.0
            }
        });
        if rate_in.mean > rate_out.mean {
            affected.push(plan.name.clone());
        }
        by_entry.insert(
            plan.name.clone(),
            EpisodeEntry {
                failed_during: Stat::over(reps, during),
                failure_rate_during_per_s: rate_in,
                failure_rate_outside_per_s: rate_out,
            },
        );
    }
    RandomBlastRadius {
        fault: fault.name.clone(),
        episodes: Stat::over(reps, |r| ep(r).episodes as f64),
        failures: Stat::over(reps, |r| ep(r).failures as f64),
        mean_degraded_s: Stat::over(reps, |r| {
            let n = ep(r).episodes;
            if n > 0 {
                degraded_s(r) / n as f64
            } else {
                0.0
            }
        }),
        degraded_fraction: Stat::over(reps, |r| {
            if r.measured_s > 0.0 {
                degraded_s(r) / r.measured_s
            } else {
                0.0
            }
        }),
        entries_affected: affected,
        entries: by_entry,
    }
}
