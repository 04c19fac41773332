//! The validated explicit load balancer of a variant.

use crate::flow::balance::LbAlgorithm;
use crate::kernel::dist::Dist;
use crate::spec::names::UnitId;

/// An explicit load balancer in front of the entry requests of some units.
#[derive(Debug, Clone)]
pub struct LoadBalancer {
    /// Name.
    pub name: String,
    /// Units fronted.
    pub units: Vec<UnitId>,
    /// Balancing across the units' replicas.
    pub algorithm: Option<LbAlgorithm>,
    /// Balancer instances.
    pub replicas: u32,
    /// Requests in flight per balancer instance (`u32::MAX` = unlimited).
    pub capacity: u32,
    /// Added latency \[ns\].
    pub latency: Dist,
    /// What it is, for its bill.
    pub product: LbProduct,
}

/// What a load balancer is, for its bill (docs/cost.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LbProduct {
    /// AWS Application Load Balancer: one billed resource (whatever its `replicas`), per hour
    /// and per LCU-hour.
    AwsAlb,
    /// AWS Network Load Balancer: per hour and per NLCU-hour.
    AwsNlb,
    /// A self-hosted fleet: every instance billed at the `vm` prices for its size.
    SelfHosted {
        /// vCPUs per instance.
        cores: f64,
        /// Memory per instance \[bytes\].
        memory: u64,
    },
}
