//! The raw `rate_limit = { ... }` table of a gateway, as the file says it (its doc comments are
//! the JSON Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::raw::Num;

/// `rate_limit = { rate, burst }` of a gateway: a token bucket.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRateLimit {
    /// Sustained requests per second (> 0).
    pub rate: Num,
    /// Bucket size: requests admitted at once after a quiet period (≥ 1, default `rate`).
    pub burst: Option<Num>,
}
