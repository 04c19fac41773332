//! Explicit load balancers: nodes in front of some units' entry requests, with an algorithm,
//! a capacity (connections in flight), a latency, and an hourly plus LCU price. A single
//! instance is a single point of failure.

pub mod raw;
pub(crate) mod resolve;
mod sim;
pub mod spec;

pub use sim::*;

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
