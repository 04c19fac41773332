//! The raw policy keys: a unit's `resilience = { ... }` defaults and the `fallback` of a call,
//! as the file says them (their doc comments are the JSON Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::components::breaker::raw::RawBreaker;
use crate::components::bulkhead::raw::Bulkhead;
use crate::components::retry::raw::RawRetry;
use crate::spec::raw::{Duration, Sp};

/// Fallbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawFallback {
    /// The call succeeds, degraded.
    Degraded,
}

/// `resilience = { ... }` on a unit: defaults for the calls its operations make.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResilience {
    /// Per-attempt timeout.
    pub timeout: Option<Duration>,
    /// Retries.
    pub retry: Option<RawRetry>,
    /// Circuit breaker (one per call edge).
    pub breaker: Option<RawBreaker>,
    /// Bulkhead per call edge.
    pub bulkhead: Option<Bulkhead>,
    /// Fallback.
    pub fallback: Option<Sp<RawFallback>>,
}
