//! Failure propagation in the results: the failure-origin matrix, per-edge retry amplification,
//! circuit-breaker state changes and the blast radius of each fault (see `docs/results.md`), and
//! how the replications' measurements combine into them. The call edges' counters, the client
//! retries' amplification, the breaker changes and the episodes of random failures are combined
//! by their components (`report.rs` in `crate::components::policy`, `retry` and `faults`); the
//! failure origins and the blast radius of scheduled faults, read from the variant's series,
//! here.

use super::combine::view;
use super::SeriesResult;
pub use crate::components::faults::report::{EpisodeEntry, RandomBlastRadius};
pub use crate::components::policy::report::{BreakerChangeResult, EdgeResult};
use crate::components::{faults, policy, retry};
use crate::engine::record::RepResult;
use crate::model::Model;
use crate::stats::{mean_series, Stat};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Width of the baseline band, in standard deviations of the baseline windows.
pub const BAND_SD: f64 = 3.0;
/// Smallest half-width of the availability band (noise-free baselines).
pub const BAND_MIN_AVAILABILITY: f64 = 0.001;
/// Smallest half-width of the p99 band, relative to the baseline p99.
pub const BAND_MIN_P99_REL: f64 = 0.05;
/// In-band windows in a row that make a recovery.
pub const RECOVERY_WINDOWS: usize = 3;

fn origin_name(m: &Model, n: usize) -> String {
    m.topo
        .nodes
        .get(n)
        .map_or_else(|| "gateway".to_string(), |x| x.name.clone())
}

/// Chains kept per entry (the most frequent; the rest are counted in the origins only).
pub const CHAINS_KEPT: usize = 10;

/// Per entry, the failure chains (origin first, up to the entry), most frequent first, with
/// the failures per replication that took each.
fn chains(m: &Model, reps: &[RepResult]) -> IndexMap<String, Vec<FailureChain>> {
    let mut out = IndexMap::new();
    for (e, plan) in m.topo.entries.iter().enumerate() {
        let mut keys: Vec<&Vec<u32>> = Vec::new();
        for r in reps {
            for (c, _) in r.failure_chains.get(e).into_iter().flatten() {
                if !keys.contains(&c) {
                    keys.push(c);
                }
            }
        }
        if keys.is_empty() {
            continue;
        }
        let count = |r: &RepResult, k: &Vec<u32>| -> f64 {
            r.failure_chains
                .get(e)
                .and_then(|v| v.iter().find(|(c, _)| c == k))
                .map_or(0.0, |(_, n)| *n as f64)
        };
        let mut list: Vec<FailureChain> = keys
            .into_iter()
            .map(|k| FailureChain {
                chain: k.iter().map(|&n| origin_name(m, n as usize)).collect(),
                failed: Stat::over(reps, |r| count(r, k)),
            })
            .collect();
        list.sort_by(|a, b| {
            b.failed
                .mean
                .total_cmp(&a.failed.mean)
                .then_with(|| a.chain.cmp(&b.chain))
        });
        list.truncate(CHAINS_KEPT);
        out.insert(plan.name.clone(), list);
    }
    out
}

/// The failure-propagation part of a variant's results; `series` is the variant's combined
/// time series.
pub fn combine(m: &Model, reps: &[RepResult], series: &SeriesResult) -> ResilienceResult {
    let ne = m.topo.entries.len();
    let mut out = ResilienceResult::default();
    for n in 0..=m.topo.nodes.len() {
        for (e, plan) in m.topo.entries.iter().enumerate() {
            let k = n * ne + e;
            if reps
                .iter()
                .any(|r| r.origins.get(k).copied().unwrap_or(0) > 0)
            {
                out.failure_origins
                    .entry(origin_name(m, n))
                    .or_default()
                    .insert(
                        plan.name.clone(),
                        Stat::over(reps, |r| r.origins.get(k).copied().unwrap_or(0) as f64),
                    );
            }
            let any_series = reps.iter().any(|r| {
                r.series
                    .failures
                    .get(k)
                    .is_some_and(|s| s.iter().any(|&x| x > 0.0))
            });
            if any_series {
                let avg = mean_series(reps, |r| &r.series.failures[k]);
                out.failure_origins_series
                    .entry(origin_name(m, n))
                    .or_default()
                    .insert(plan.name.clone(), avg);
            }
        }
    }
    out.failure_chains = chains(m, reps);
    let policy = view(reps, |c| &c.policy);
    out.edges = policy::report::edges(&m.plans.policy, &policy);
    out.client_amplification =
        retry::report::client_amplification(&m.topo.entries, &view(reps, |c| &c.retry));
    if let Some(r0) = reps.first() {
        out.breaker_changes =
            policy::report::breaker_changes(&m.plans.policy, &r0.components.policy);
    }
    out.random_blast_radius = faults::report::random_blast_radius(
        &m.plans.faults,
        &m.topo.entries,
        &view(reps, |c| &c.faults),
    );
    for f in m.plans.faults.faults.iter().filter(|f| f.random.is_none()) {
        out.blast_radius.push(blast(m, f, series));
    }
    out
}

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    if xs.is_empty() {
        return (0.0, 0.0);
    }
    let mean = xs.iter().sum::<f64>() / n;
    let var = if xs.len() > 1 {
        xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}

/// The blast radius of scheduled fault `f`, from the series averaged over replications.
pub fn blast(
    m: &Model,
    f: &crate::components::faults::FaultPlan,
    series: &SeriesResult,
) -> BlastRadius {
    let w = series.window_s;
    let start_s = f.start as f64 / 1e9;
    let end_s = (f.end != u64::MAX).then(|| f.end as f64 / 1e9);
    let warmup_s = m.topo.warmup as f64 / 1e9;
    let nwin = series.t_s.len();
    // Baseline: measured windows wholly before the fault.
    let base: Vec<usize> = (0..nwin)
        .filter(|&i| series.t_s[i] >= warmup_s - 1e-9 && series.t_s[i] + w <= start_s + 1e-9)
        .collect();
    let first = (0..nwin).find(|&i| series.t_s[i] + w > start_s + 1e-9);
    let mut entries = IndexMap::new();
    for (name, es) in &series.entries {
        let avail = |i: usize| {
            let ok = es.throughput_per_s[i];
            let bad = es.errors_per_s[i];
            if ok + bad > 0.0 {
                ok / (ok + bad)
            } else {
                1.0
            }
        };
        let a_base: Vec<f64> = base.iter().map(|&i| avail(i)).collect();
        let p_base: Vec<f64> = base.iter().filter_map(|&i| es.p99_s[i]).collect();
        let (a_mean, a_sd) = mean_sd(&a_base);
        let (p_mean, p_sd) = mean_sd(&p_base);
        let a_band = (BAND_SD * a_sd).max(BAND_MIN_AVAILABILITY);
        let p_band = (BAND_SD * p_sd).max(BAND_MIN_P99_REL * p_mean);
        let bad = |i: usize| {
            avail(i) < a_mean - a_band || es.p99_s[i].is_some_and(|p| p > p_mean + p_band)
        };
        let mut eb = EntryBlast {
            degraded: false,
            availability_baseline: a_mean,
            availability_min: a_mean,
            p99_baseline_s: p_mean,
            p99_max_s: p_mean,
            degraded_s: 0.0,
            first_degraded_after_s: None,
            recovered_after_s: None,
        };
        if base.is_empty() {
            entries.insert(name.clone(), eb);
            continue;
        }
        let Some(first) = first else {
            entries.insert(name.clone(), eb);
            continue;
        };
        // Recovery: the first window starting at or after the fault's end that begins a run of
        // in-band windows (RECOVERY_WINDOWS long, or to the end of the run).
        let recovery = end_s.and_then(|end| {
            (0..nwin)
                .filter(|&i| series.t_s[i] >= end - 1e-9)
                .find(|&i| (i..(i + RECOVERY_WINDOWS).min(nwin)).all(|j| !bad(j)))
        });
        let stop = recovery.unwrap_or(nwin);
        for i in first..stop {
            let a = avail(i);
            eb.availability_min = eb.availability_min.min(a);
            if let Some(p) = es.p99_s[i] {
                eb.p99_max_s = eb.p99_max_s.max(p);
            }
            if bad(i) {
                eb.degraded = true;
                eb.degraded_s += w;
                eb.first_degraded_after_s
                    .get_or_insert((series.t_s[i] - start_s).max(0.0));
            }
        }
        if let (Some(end), Some(r)) = (end_s, recovery) {
            eb.recovered_after_s = Some((series.t_s[r] - end).max(0.0));
        }
        entries.insert(name.clone(), eb);
    }
    BlastRadius {
        fault: f.name.clone(),
        kind: f.kind.name().to_string(),
        start_s,
        end_s,
        baseline_windows: base.len(),
        entries,
    }
}

/// Failure propagation of one variant.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ResilienceResult {
    /// Failed requests in the measured interval by the node where the failure began
    /// (`gateway` for the API gateway), then by entry; only pairs that ever failed.
    pub failure_origins: IndexMap<String, IndexMap<String, Stat>>,
    /// The same per time window (failures per second, averaged over replications; windows as
    /// in `series.t_s`); only for models with faults or resilience policies.
    pub failure_origins_series: IndexMap<String, IndexMap<String, Vec<f64>>>,
    /// Per entry that had failures: the paths they took, each the nodes from the failure's
    /// origin up to the entry (a timeout begins where the request was when time ran out),
    /// the most frequent first (at most [`CHAINS_KEPT`]).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub failure_chains: IndexMap<String, Vec<FailureChain>>,
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

/// One path failures took.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FailureChain {
    /// Node names from the origin up to the entry's node (`gateway`: the API gateway).
    pub chain: Vec<String>,
    /// Failed requests per replication that took it.
    pub failed: Stat,
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
