//! What one replication of one variant returns: the core measurements and every component's
//! record, and the usage that the bill prices.

use crate::components::faults::EpisodeRep;
use crate::components::lb::LbUsage;
use crate::components::policy::EdgeRep;
use crate::components::queue::QueueUsage;
use crate::components::saga::SagaRep;
use crate::flow::record::{EntryRep, NodeRep, NodeUsage, Series};

/// Everything one replication of one variant measured.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RepResult {
    /// Per entry, in scenario order.
    pub entries: Vec<EntryRep>,
    /// Per node (units then databases).
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
    /// What the replication consumed that has a price (the input of [`crate::cost::bill`]).
    pub usage: Usage,
    /// Per serverless function (indexed like [`crate::model::Model::functions`]).
    pub functions: Vec<crate::components::function::FunctionRep>,
    /// Per queue (indexed like the model's queues).
    pub queues: Vec<crate::components::queue::QueueRep>,
    /// Per saga (indexed like the model's sagas).
    pub sagas: Vec<SagaRep>,
    /// Per cache of the model: `(lookups, hits)` in the measured interval.
    #[serde(default)]
    pub caches: Vec<(u64, u64)>,
    /// Failures by origin: `origins[node × entries + entry]` over the measured interval (node
    /// `nodes.len()` is the gateway).
    pub origins: Vec<u64>,
    /// Per call edge with policies (indexed like `Model::policies`).
    pub edges: Vec<EdgeRep>,
    /// Per fault (indexed like `Model::faults`; zeros for scheduled faults): the episodes of
    /// random failures in the measured interval.
    #[serde(default)]
    pub episodes: Vec<EpisodeRep>,
    /// Circuit-breaker state changes `(time ns, edge, from, to)` over the whole run.
    pub breaker_changes: Vec<(
        u64,
        u32,
        crate::components::breaker::BreakerState,
        crate::components::breaker::BreakerState,
    )>,
}

/// Everything one replication consumed that has a price.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    /// Per model node.
    pub nodes: Vec<NodeUsage>,
    /// Entry requests that went through the variant's API gateway.
    pub gateway_requests: u64,
    /// Explicit load balancers.
    pub load_balancers: Vec<LbUsage>,
    /// Message queues.
    pub queues: Vec<QueueUsage>,
    /// Bytes that crossed zones (each direction counts) \[bytes\].
    pub cross_zone_bytes: f64,
}
