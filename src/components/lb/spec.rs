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
}
