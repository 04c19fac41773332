//! The raw `gateway = { ... }` table of a variant with its `auth`, `routes` and their `cache`,
//! as the file says them (their doc comments are the JSON Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::components::cache::raw::Popularity;
use crate::components::rate_limit::raw::RawRateLimit;
use crate::spec::raw::{DistSpec, Duration, Int, Num, Size, Sp};

/// `cache = { ... }` of a gateway route.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRouteCache {
    /// Fraction of requests answered from the cache (0 to 1).
    pub hit_ratio: Option<Num>,
    /// Time-to-live of a cached response (TTL cache simulated per key).
    pub ttl: Option<Duration>,
    /// TTL cache: number of distinct keys (1 to 1000000, default 1000).
    pub keys: Option<Int>,
    /// TTL cache: key popularity, `"uniform"` (default) or `{ zipf = s }`.
    pub popularity: Option<Popularity>,
}

/// `[[variants.gateway.routes]]`: per-entry settings of the gateway.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    /// The entry routed.
    pub entry: Sp<String>,
    /// Response cache of the route.
    pub cache: Option<Sp<RawRouteCache>>,
}

/// `auth = { cpu = ... }` or `auth = { op = ... }` of a gateway.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAuth {
    /// Fixed CPU cost on the gateway (a distribution of durations).
    pub cpu: Option<DistSpec>,
    /// A call to this operation (`module.op`) per request.
    pub op: Option<Sp<String>>,
}

/// `gateway = { overhead = ... }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGateway {
    /// Per-request overhead (a distribution of durations). Default
    /// `{ dist = "lognormal", mean = "730us", cv = 0.3 }`.
    pub overhead: Option<DistSpec>,
    /// What the gateway is, for its bill: `self_hosted` (default: a proxy fleet billed as its
    /// instances), `aws_http_api` or `aws_rest_api` (managed, billed per request).
    pub product: Option<Sp<RawGatewayProduct>>,
    /// The older way to name a managed product: `http` (= `product = "aws_http_api"`) or
    /// `rest` (= `"aws_rest_api"`); not with `product`.
    pub api: Option<Sp<RawGatewayApi>>,
    /// Memory per gateway instance (a size), billed with its cores when the gateway is
    /// self-hosted; makes the gateway a node.
    pub memory: Option<Size>,
    /// Gateway instances (1 to 100000, default 1); any of the keys below makes the gateway a
    /// node with instances.
    pub replicas: Option<Int>,
    /// Cores per gateway instance (> 0, ≤ 4096; default: unlimited, the overhead a pure delay).
    pub cores: Option<Num>,
    /// CPU phases in progress at once per instance (1 to 1000000, default 1024).
    pub workers: Option<Int>,
    /// Requests allowed to wait for a worker per instance (default unbounded).
    pub queue: Option<Int>,
    /// Authentication per request.
    pub auth: Option<Sp<RawAuth>>,
    /// Token-bucket rate limit over the whole gateway.
    pub rate_limit: Option<Sp<RawRateLimit>>,
    /// Per-entry settings (response cache).
    #[serde(default)]
    pub routes: Vec<Sp<RawRoute>>,
    /// Logical modules hosted on the gateway's instances (composition operations, a
    /// backend-for-frontend) instead of in a unit; makes the gateway a node.
    pub modules: Option<Sp<Vec<Sp<String>>>>,
}

/// What a gateway is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawGatewayProduct {
    /// A self-hosted proxy fleet, billed as its instances.
    SelfHosted,
    /// AWS API Gateway HTTP API.
    AwsHttpApi,
    /// AWS API Gateway REST API.
    AwsRestApi,
}

/// Managed gateway products, the older key `api`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawGatewayApi {
    /// HTTP API.
    Http,
    /// REST API.
    Rest,
}
