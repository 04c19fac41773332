//! The raw `[externals.NAME]` tables, as the file says them (their doc comments are the JSON
//! Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::components::rate_limit::raw::RawRateLimit;
use crate::spec::raw::{DistSpec, Num, Sp, Table};

/// `[externals.NAME]`: a service outside the system (a card processor, an e-mail API): it is
/// called like a data store (`NAME.op`) but has no cores and no connections; it answers after
/// its `latency`, fails with its `error_rate`, refuses calls beyond its `quota` with 429 and
/// bills a `price` per call.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExternal {
    /// Response time of a call beyond the network hops, as the provider answers (a
    /// distribution of durations); required unless every operation gives its own.
    pub latency: Option<DistSpec>,
    /// Probability a call fails with reason `error` (0 to 1, default 0).
    pub error_rate: Option<Num>,
    /// The provider's quota: a token bucket of `rate` calls per second and `burst` calls
    /// (default `rate`, at least 1) over every caller of every variant's deployment; a call
    /// finding no token fails `rate_limited` (429) with a `Retry-After` that retries honour.
    pub quota: Option<Sp<RawRateLimit>>,
    /// Price of one admitted call in US dollars (default 0).
    pub price: Option<Num>,
    /// The operations callable as `NAME.op` (at least one).
    #[serde(default)]
    pub ops: Table<RawExternalOp>,
}

/// `[externals.E.ops.NAME]`: one operation of an external service; every key overrides the
/// service's own.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExternalOp {
    /// Response time of a call (a distribution of durations; default the service's `latency`).
    pub latency: Option<DistSpec>,
    /// Probability a call fails with `error` (0 to 1; default the service's `error_rate`).
    pub error_rate: Option<Num>,
    /// Price of one admitted call in US dollars (default the service's `price`).
    pub price: Option<Num>,
}
