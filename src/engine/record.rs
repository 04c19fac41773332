//! What one replication of one variant returns: the core measurements, the usage of each node
//! that the bill prices, and every component's record.

use crate::components::Reps;
use crate::flow::anatomy::AnatomyRep;
use crate::flow::record::{EntryRep, NodeRep, NodeUsage, Series};

/// Everything one replication of one variant measured.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RepResult {
    /// Per entry, in scenario order.
    pub entries: Vec<EntryRep>,
    /// Per node (units, databases, then the components' nodes).
    pub nodes: Vec<NodeRep>,
    /// Time series.
    pub series: Series,
    /// Events processed.
    pub events: u64,
    /// Wall-clock time \[s\] (excluded from determinism comparisons).
    pub wall_s: f64,
    /// Self-check violations (empty when every invariant holds).
    pub violations: Vec<String>,
    /// Measured interval \[s\].
    pub measured_s: f64,
    /// Failures by origin: `origins[node × entries + entry]` over the measured interval (node
    /// `nodes.len()` is the plain gateway).
    pub origins: Vec<u64>,
    /// Per node: what it consumed that has a price (an input of `crate::cost::bill`).
    pub usage: Vec<NodeUsage>,
    /// Every component's record.
    pub components: Reps,
    /// The latency anatomy of the successful measured requests (see `crate::flow::anatomy`).
    #[serde(default)]
    pub anatomy: AnatomyRep,
    /// Per entry: measured failures by chain, the nodes from the failure's origin up to the
    /// entry (node indices), in chain order.
    #[serde(default)]
    pub failure_chains: Vec<Vec<(Vec<u32>, u64)>>,
}
