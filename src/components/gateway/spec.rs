//! The validated API gateway of a variant.

use crate::components::cache::CacheSpec;
use crate::components::rate_limit::RateLimit;
use crate::kernel::dist::Dist;
use crate::spec::names::OpId;

/// What the gateway is, for its bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayProduct {
    /// A self-hosted proxy fleet (APISIX, Envoy, NGINX, …) billed as its instances at the `vm`
    /// prices (default when neither `product` nor `api` is given).
    SelfHosted,
    /// AWS API Gateway HTTP API, billed per request.
    AwsHttpApi,
    /// AWS API Gateway REST API, billed per request.
    AwsRestApi,
}

/// An API gateway in front of the entries of a variant.
#[derive(Debug, Clone)]
pub struct Gateway {
    /// Per-request overhead \[ns\]: a pure delay, or CPU demand on the gateway's instances
    /// when it is a node with `cores`.
    pub overhead: Dist,
    /// What the gateway is (`product`, or the older `api`), for its bill.
    pub product: GatewayProduct,
    /// The gateway as a node with instances (any of its node keys given); `None` = the plain
    /// delay of the original form.
    pub node: Option<GatewayNode>,
}

/// The capacity and features of a gateway that is a node.
#[derive(Debug, Clone)]
pub struct GatewayNode {
    /// Instances (≥ 1).
    pub replicas: u32,
    /// Cores per instance (∞ = the overhead is a pure delay).
    pub cores: f64,
    /// Memory per instance, for the bill of a self-hosted gateway \[bytes\] (0 = not given).
    pub memory: u64,
    /// CPU phases in progress at once per instance.
    pub workers: u32,
    /// Requests waiting for a worker per instance; `None` = unbounded.
    pub queue: Option<u32>,
    /// Authentication as fixed CPU on the gateway.
    pub auth_cpu: Option<Dist>,
    /// Authentication as a call to this operation.
    pub auth_op: Option<OpId>,
    /// Token bucket over the whole gateway.
    pub rate_limit: Option<RateLimit>,
    /// Response cache per entry (indexed like the workload's entries).
    pub route_cache: Vec<Option<CacheSpec>>,
}
