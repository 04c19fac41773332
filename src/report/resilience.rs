//! Failure propagation in the results: the failure-origin matrix, per-edge retry amplification,
//! circuit-breaker state changes and the blast radius of each fault (see `docs/results.md`).

use crate::montecarlo::stat::Stat;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Failure propagation of one variant.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ResilienceResult {
    /// Failed requests in the measured interval by the node where the failure began
    /// (`gateway` for the API gateway), then by entry; only pairs that ever failed.
    pub failure_origins: IndexMap<String, IndexMap<String, Stat>>,
    /// The same per time window (failures per second, averaged over replications; windows as
    /// in `series.t_s`); only for models with faults or resilience policies.
    pub failure_origins_series: IndexMap<String, IndexMap<String, Vec<f64>>>,
    /// Per call edge with a resilience policy (`caller.op -> callee.op`).
    pub edges: IndexMap<String, EdgeResult>,
    /// Per entry with client retries: attempts / requests.
    pub client_amplification: IndexMap<String, Stat>,
    /// Circuit-breaker state changes of replication 0, in time order.
    pub breaker_changes: Vec<BreakerChangeResult>,
    /// Per scheduled fault, in scenario order.
    pub blast_radius: Vec<BlastRadius>,
    /// Per random-failure fault (`mtbf`/`mttr`), in scenario order: its episodes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub random_blast_radius: Vec<RandomBlastRadius>,
}

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

/// Counters of one call edge with policies.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EdgeResult {
    /// Logical calls.
    pub calls: Stat,
    /// Attempts sent (retries included; calls refused by an open breaker excluded).
    pub attempts: Stat,
    /// attempts / calls (1 without retries).
    pub amplification: Stat,
    /// Retries refused by the retry budget.
    pub budget_refused: Stat,
    /// Calls answered by the fallback (degraded).
    pub degraded: Stat,
    /// Breaker transitions to open (whole run).
    pub breaker_opened: Stat,
    /// Breaker transitions to half-open (whole run).
    pub breaker_half_opened: Stat,
}

/// One circuit-breaker state change.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BreakerChangeResult {
    /// When \[s\] from the start of the run.
    pub t_s: f64,
    /// The call edge.
    pub edge: String,
    /// `closed`, `open` or `half_open`.
    pub from: String,
    /// `closed`, `open` or `half_open`.
    pub to: String,
}

/// What one fault did to the entries.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BlastRadius {
    /// The fault's name.
    pub fault: String,
    /// Its kind.
    pub kind: String,
    /// Start \[s\].
    pub start_s: f64,
    /// End \[s\] (`null`: to the end of the run).
    pub end_s: Option<f64>,
    /// Measured windows before the fault that form the baseline (0: no baseline, nothing
    /// evaluated).
    pub baseline_windows: usize,
    /// Per entry.
    pub entries: IndexMap<String, EntryBlast>,
}

/// The effect of a fault on one entry, from the time series averaged over replications.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EntryBlast {
    /// Whether some window from the fault's start until recovery fell outside the baseline band.
    pub degraded: bool,
    /// Mean window availability before the fault.
    pub availability_baseline: f64,
    /// Lowest window availability from the fault's start until recovery (or the end).
    pub availability_min: f64,
    /// Mean window p99 before the fault \[s\].
    pub p99_baseline_s: f64,
    /// Highest window p99 from the fault's start until recovery (or the end) \[s\].
    pub p99_max_s: f64,
    /// Time spent degraded \[s\] (degraded windows × window).
    pub degraded_s: f64,
    /// Start of the first degraded window, from the fault's start \[s\].
    pub first_degraded_after_s: Option<f64>,
    /// Time to recover after the fault ended \[s\]: from its end to the start of the first window
    /// after it that begins a run of in-band windows lasting to the end or for 3 windows;
    /// `null` if it never did (or the fault lasts to the end).
    pub recovered_after_s: Option<f64>,
}

/// The availability and blast-radius lines printed by `archsim run`.
pub fn render_resilience(r: &crate::report::Results) -> String {
    let mut out = String::new();
    for v in &r.variants {
        let res = &v.resilience;
        if res.blast_radius.is_empty()
            && res.random_blast_radius.is_empty()
            && res.edges.is_empty()
            && res.failure_origins.is_empty()
        {
            continue;
        }
        let _ = writeln!(
            out,
            "\nFailures of `{}`: availability {:.4}% [{:.4}%, {:.4}%]",
            v.name,
            100.0 * v.availability.mean,
            100.0 * v.availability.ci95_low,
            100.0 * v.availability.ci95_high
        );
        for (origin, per) in &res.failure_origins {
            let list: Vec<String> = per
                .iter()
                .map(|(e, s)| format!("{e} {:.1}", s.mean))
                .collect();
            let _ = writeln!(out, "  began at {origin}: {}", list.join(", "));
        }
        for (edge, e) in &res.edges {
            let _ = writeln!(
                out,
                "  edge {edge}: amplification {:.3}, breaker opened {:.1}×, degraded {:.1}",
                e.amplification.mean, e.breaker_opened.mean, e.degraded.mean
            );
        }
        for b in &res.blast_radius {
            let end = b.end_s.map_or("end".to_string(), |e| format!("{e:.1} s"));
            let _ = writeln!(
                out,
                "  blast radius of `{}` ({} s → {end}):",
                b.fault, b.start_s
            );
            if b.baseline_windows == 0 {
                let _ = writeln!(out, "    no measured window before the fault: no baseline");
                continue;
            }
            for (name, e) in &b.entries {
                if !e.degraded {
                    let _ = writeln!(out, "    {name}: not degraded");
                    continue;
                }
                let rec = e
                    .recovered_after_s
                    .map_or("not recovered".to_string(), |s| {
                        format!("recovered {s:.1} s after")
                    });
                let _ = writeln!(
                    out,
                    "    {name}: DEGRADED for {:.1} s — availability {:.2}% → min {:.2}%, p99 {} → max {}; {rec}",
                    e.degraded_s,
                    100.0 * e.availability_baseline,
                    100.0 * e.availability_min,
                    crate::report::fmt_secs(e.p99_baseline_s),
                    crate::report::fmt_secs(e.p99_max_s),
                );
            }
        }
        for b in &res.random_blast_radius {
            let _ = writeln!(
                out,
                "  blast radius of `{}` (random): {:.1} episodes of {:.2} s on average ({:.2}% of the time), {:.1} instance failures; entries affected: {}",
                b.fault,
                b.episodes.mean,
                b.mean_degraded_s.mean,
                100.0 * b.degraded_fraction.mean,
                b.failures.mean,
                if b.entries_affected.is_empty() {
                    "none".to_string()
                } else {
                    b.entries_affected.join(", ")
                }
            );
            for (name, e) in &b.entries {
                let _ = writeln!(
                    out,
                    "    {name}: {:.1} failures inside episodes ({:.3}/s inside vs {:.3}/s outside)",
                    e.failed_during.mean,
                    e.failure_rate_during_per_s.mean,
                    e.failure_rate_outside_per_s.mean
                );
            }
        }
    }
    out
}
