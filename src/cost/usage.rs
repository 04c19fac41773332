//! Usage counters: what one replication consumed over its measured interval, the input of the
//! bill. The engine fills the counters of the nodes it simulates; components that bring their
//! own priced node (explicit load balancers, message queues, zones) push their counters here.

/// Usage of one model node (indexed like [`crate::model::Model::nodes`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NodeUsage {
    /// Invocations admitted (serverless: billed requests; throttled ones are not billed).
    pub invocations: u64,
    /// Serverless: billed duration of on-demand invocations, each rounded up to the next
    /// millisecond \[ms\].
    pub billed_ms: u64,
    /// Serverless: billed duration of invocations served by provisioned instances \[ms\].
    pub billed_ms_provisioned: u64,
    /// Database: queries of data-store operations declared `kind = "read"`.
    pub reads: u64,
    /// Database: queries of data-store operations declared `kind = "write"`.
    pub writes: u64,
    /// Autoscaled unit: time-averaged instances provisioned (0 = its fixed `instances`).
    #[serde(default)]
    pub instances_mean: f64,
}

/// Usage of an explicit load balancer node (an input for the load-balancer component).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LbUsage {
    /// Node name (its cost line).
    pub name: String,
    /// Balancer-hours over the measured interval (1 balancer × window).
    pub hours: f64,
    /// LCU-hours consumed over the measured interval.
    pub lcu_hours: f64,
}

/// Usage of a message queue (an input for the message-bus component).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QueueUsage {
    /// Queue name (its cost line).
    pub name: String,
    /// Billed requests (send, receive, delete each count one).
    pub requests: u64,
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
