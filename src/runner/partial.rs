//! Per-replication partial results, reported while a run is in progress (the desktop app shows
//! them as replications finish; the combined [`crate::results::Results`] come at the end).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The headline values of one finished replication of one variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReplicationDone {
    /// The variant's name.
    pub variant: String,
    /// Replication index `k` (0-based; the replication's random streams derive from `(seed, k)`).
    pub replication: u32,
    /// Finished (variant, replication) tasks so far, this one included.
    pub done: usize,
    /// All tasks of the run.
    pub total: usize,
    /// Per entry, in scenario order.
    pub entries: Vec<EntryPartial>,
    /// Per unit, in the variant's order.
    #[serde(default)]
    pub units: Vec<UnitPartial>,
}

/// One entry's values in one replication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EntryPartial {
    /// The entry's name.
    pub name: String,
    /// Requests completed in the measured interval; with none the replication has no latency
    /// and the three latency fields are 0 without meaning.
    #[serde(default)]
    pub completed: u64,
    /// Mean latency of the requests completed in the measured interval \[s\].
    pub latency_mean_s: f64,
    /// Median latency \[s\].
    pub latency_p50_s: f64,
    /// 99th percentile latency \[s\].
    pub latency_p99_s: f64,
    /// Completed requests per second of measured time \[1/s\].
    pub throughput_per_s: f64,
    /// Completed / (completed + failed).
    pub success_ratio: f64,
}

/// One unit's values in one replication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnitPartial {
    /// The unit's name.
    pub name: String,
    /// Utilization of its instances over the measured interval (0 to 1).
    pub utilization: f64,
}

/// Every unit's values in replication `r` of model `m`, in the variant's order.
pub(crate) fn unit_values(
    m: &crate::model::Model,
    r: &crate::engine::record::RepResult,
) -> Vec<UnitPartial> {
    m.topo
        .nodes
        .iter()
        .zip(&r.nodes)
        .filter(|(node, _)| node.kind == crate::flow::topology::NodeKind::Unit)
        .map(|(node, nr)| UnitPartial {
            name: node.name.clone(),
            utilization: nr.utilization,
        })
        .collect()
}
