//! The raw load-balancing keys: a unit's `lb` and the `[[variants.load_balancers]]` table, as
//! the file says them (their doc comments are the JSON Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::raw::{DistSpec, Int, Num, Size, Sp};

/// `[[variants.load_balancers]]`: an explicit (ALB-like) load balancer.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLoadBalancer {
    /// Unique name among the variant's nodes.
    pub name: Sp<String>,
    /// Units whose entry requests go through it (at least one).
    pub units: Sp<Vec<Sp<String>>>,
    /// Balancing across the units' replicas (default `round_robin`); replaces the units' `lb`.
    pub algorithm: Option<Sp<RawLb>>,
    /// Balancer instances (1 to 100, default 1: a single point of failure).
    pub replicas: Option<Int>,
    /// Requests in flight through one balancer instance at once (1 to 100000000; default
    /// unlimited); more are rejected.
    pub capacity: Option<Int>,
    /// Latency added per request (a distribution of durations, default `"400us"`).
    pub latency: Option<DistSpec>,
    /// What the balancer is, for its bill: `aws_alb` (default, hourly + LCU), `aws_nlb`
    /// (hourly + NLCU) or `self_hosted` (a proxy fleet billed as its instances).
    pub product: Option<Sp<RawLbProduct>>,
    /// vCPUs per instance of a self-hosted balancer, for its bill (required with
    /// `product = "self_hosted"`, refused otherwise).
    pub cores: Option<Num>,
    /// Memory per instance of a self-hosted balancer (a size), for its bill.
    pub memory: Option<Size>,
}

/// What a load balancer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawLbProduct {
    /// AWS Application Load Balancer.
    AwsAlb,
    /// AWS Network Load Balancer.
    AwsNlb,
    /// A self-hosted proxy fleet (HAProxy, NGINX, Envoy, …).
    SelfHosted,
}

/// Load-balancing algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawLb {
    /// Replicas in turn.
    RoundRobin,
    /// A random replica.
    Random,
    /// The replica with the fewest requests in it.
    LeastOutstanding,
    /// The less loaded of two random replicas.
    PowerOfTwo,
}
