//! The results document. Field names are a contract (see `docs/results.md`); extend, never
//! rename.

use crate::montecarlo::stat::Stat;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Version of the results document layout.
pub const SCHEMA_VERSION: u32 = 1;

/// One run of a scenario: every variant, every replication combined.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    /// Layout version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per variant that finished.
    pub replications: u32,
    /// Worker threads used. Not written to the document: it changes no number but the
    /// timings, and documents from any thread count must compare equal apart from those.
    #[serde(skip)]
    pub threads: usize,
    /// Per variant, in scenario order.
    pub variants: Vec<VariantResult>,
    /// Paired differences of each variant against the first (common random numbers).
    pub comparisons: Vec<Comparison>,
    /// Warnings about the run (few samples for a percentile, one replication, …).
    pub warnings: Vec<String>,
    /// Outcome of the self-check (Little's law and conservation on every replication).
    pub self_check: SelfCheck,
}

/// Outcome of the invariants checked on every replication.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SelfCheck {
    /// Whether every invariant held.
    pub ok: bool,
    /// Violations, prefixed with variant and replication.
    pub violations: Vec<String>,
}

/// Results of one variant.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VariantResult {
    /// Variant name.
    pub name: String,
    /// Per entry, in scenario order.
    pub entries: IndexMap<String, EntryResult>,
    /// Per unit, in scenario order.
    pub units: IndexMap<String, NodeResult>,
    /// Per database, in scenario order.
    pub databases: IndexMap<String, NodeResult>,
    /// Memory provisioned by the variant's instances \[GB\] (base memory of each instance plus
    /// the memory of the modules it holds).
    pub memory_provisioned_gb: Stat,
    /// Successful requests / all requests that got an answer, over every entry.
    pub availability: Stat,
    /// Time series, averaged over replications.
    pub series: SeriesResult,
    /// Engine figures (timings vary from run to run).
    pub engine: EngineFigures,
    /// Failure propagation: origins, retry amplification, breaker changes, blast radius.
    pub resilience: crate::report::ResilienceResult,
}

/// Results of one entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntryResult {
    /// Requests that arrived in the measured interval.
    pub arrived: Stat,
    /// Of those, answered successfully.
    pub completed: Stat,
    /// Of those, failed.
    pub failed: Stat,
    /// Of those, unanswered at the end of the run.
    pub in_flight: Stat,
    /// Successful answers per second.
    pub throughput_per_s: Stat,
    /// completed / (completed + failed).
    pub success_ratio: Stat,
    /// Failures by reason (only reasons that occurred).
    pub failed_by_reason: IndexMap<String, Stat>,
    /// Latency of successful requests \[s\].
    pub latency_s: LatencyResult,
    /// Latency CDF of all replications merged: `[latency_s, fraction ≤]` pairs.
    pub latency_cdf: Vec<[f64; 2]>,
    /// Of the completed, those answered degraded (a fallback stood in for a failed call).
    pub degraded: Stat,
    /// Attempts made by the client (arrived + client retries).
    pub attempts: Stat,
}

/// Latency summary \[s\]; each percentile is computed per replication and then combined.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

/// Results of one node (unit or database), summed over its instances.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeResult {
    /// Instances.
    pub instances: u32,
    /// Time-averaged busy cores / cores (0 for serverless units).
    pub utilization: Stat,
    /// Time-averaged requests present (queued, in service, or waiting on calls).
    pub mean_in_system: Stat,
    /// Time-averaged requests waiting for a worker.
    pub mean_in_queue: Stat,
    /// Completed invocations per second.
    pub throughput_per_s: Stat,
    /// Invocations rejected because the queue was full.
    pub rejected: Stat,
    /// Mean residence of an invocation \[s\].
    pub mean_residence_s: Stat,
    /// Invocations lost in crashes of its instances.
    pub crashed: Stat,
    /// Time-averaged instances up (= `instances` without crashes).
    pub instances_up: Stat,
    /// Fraction of the measured time with no instance up.
    pub all_down_fraction: Stat,
}

/// Time series averaged over replications, one value per window.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeriesResult {
    /// Window width \[s\].
    pub window_s: f64,
    /// Window start times \[s\].
    pub t_s: Vec<f64>,
    /// Per entry.
    pub entries: IndexMap<String, EntrySeries>,
    /// Per node (units then databases).
    pub nodes: IndexMap<String, NodeSeries>,
}

/// Time series of an entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntrySeries {
    /// Successful answers per second.
    pub throughput_per_s: Vec<f64>,
    /// Failures per second.
    pub errors_per_s: Vec<f64>,
    /// Median latency of the window \[s\].
    pub p50_s: Vec<f64>,
    /// 99th percentile latency of the window \[s\].
    pub p99_s: Vec<f64>,
}

/// Time series of a node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeSeries {
    /// Utilization.
    pub utilization: Vec<f64>,
    /// Mean requests present.
    pub in_system: Vec<f64>,
    /// Instances.
    pub instances: Vec<f64>,
}

/// Engine figures of a variant, summed over replications.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EngineFigures {
    /// Events processed.
    pub events: u64,
    /// Sum of the replications' wall-clock times \[s\].
    pub wall_s: f64,
    /// events / wall_s.
    pub events_per_s: f64,
}

/// Paired differences `variant − baseline` (replication k against replication k; common random
/// numbers make these intervals much tighter than two independent ones).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comparison {
    /// The variant compared.
    pub variant: String,
    /// The baseline (the first variant).
    pub baseline: String,
    /// Per entry.
    pub entries: IndexMap<String, EntryDiff>,
    /// Memory provisioned difference \[GB\].
    pub memory_provisioned_gb: Stat,
}

/// Paired differences for one entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntryDiff {
    /// Mean latency difference \[s\].
    pub latency_mean_s: Stat,
    /// Median latency difference \[s\].
    pub latency_p50_s: Stat,
    /// p99 latency difference \[s\].
    pub latency_p99_s: Stat,
    /// Throughput difference \[1/s\].
    pub throughput_per_s: Stat,
    /// Success ratio difference.
    pub success_ratio: Stat,
}

impl Results {
    /// Serializes to pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}
