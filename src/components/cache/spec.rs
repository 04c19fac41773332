//! The validated cache node and CDN of a variant (a route cache of the gateway is a bare
//! [`CacheSpec`]).

use super::CacheSpec;
use crate::kernel::dist::Dist;
use crate::spec::names::StoreId;

/// A cache node in front of data-store reads.
#[derive(Debug, Clone)]
pub struct CacheNode {
    /// Name.
    pub name: String,
    /// Stores cached.
    pub stores: Vec<StoreId>,
    /// Hit decision.
    pub spec: CacheSpec,
    /// Lookup latency \[ns\].
    pub latency: Dist,
    /// The host it runs on (index in the variant's hosts), if any: billed as part of the host.
    pub host: Option<usize>,
}

/// A CDN in front of some entries.
#[derive(Debug, Clone)]
pub struct Cdn {
    /// Entries served (indices into the workload's entries).
    pub entries: Vec<usize>,
    /// Fraction answered at the edge.
    pub hit_ratio: f64,
    /// Edge latency \[ns\].
    pub latency: Dist,
}
