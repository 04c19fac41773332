//! Explicit load balancers: nodes in front of some units' entry requests, with an algorithm,
//! a capacity (connections in flight), a latency, and an hourly plus LCU price. A single
//! instance is a single point of failure.
//!
//! # Configuration
//!
//! - A unit's `lb`: `round_robin` (default: docs/sources.md row *LB algorithms*), `random`,
//!   `least_outstanding`, `power_of_two`.
//! - `[[variants.load_balancers]]`: `name`, `units` (each behind one balancer at most),
//!   `algorithm` (default: the units' own `lb`), `replicas` (1 to 100, default 1: a single
//!   point of failure), `capacity` (default unlimited), `latency` (default 400 µs:
//!   docs/sources.md row *L7 load balancer latency*).
//!
//! # Files
//!
//! - `mod.rs`: the usage of a balancer for its bill ([`LbUsage`]). The algorithms and the pick
//!   of an instance are the request flow's (`crate::flow::balance`).
//! - `raw.rs`: the TOML keys ([`raw::RawLoadBalancer`], [`raw::RawLb`]).
//! - `spec.rs`: the validated [`spec::LoadBalancer`].
//! - `resolve.rs`: raw → validated, with located diagnostics.
//! - `sim.rs`: the balancers in a replication ([`LoadBalancers`]).
//! - `cost.rs`: the balancers' bill per hour and LCU-hour.
//! - `compile.rs`: a load balancer as a node with a pass-through operation per entry.
//! - `estimate.rs`: a load balancer as a pure delay on its units' entry requests.

mod compile;
pub mod cost;
pub mod estimate;
pub mod raw;
pub(crate) mod resolve;
mod sim;
pub mod spec;

pub use compile::*;
pub use sim::*;

/// Usage of an explicit load balancer node (an input for the load-balancer component).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LbUsage {
    /// Node name (its cost line).
    pub name: String,
    /// Hours of the measured interval (a balancer is one billed resource, whatever its
    /// instances).
    pub hours: f64,
    /// Capacity-unit-hours of its product consumed over the measured interval (ALB LCU, NLB
    /// NLCU; 0 self-hosted).
    pub lcu_hours: f64,
}
