//! The raw `breaker = { ... }` table of a call or of a unit's `resilience`, as the file says it
//! (its doc comments are the JSON Schema's descriptions).

use std::borrow::Cow;
use std::ops::Range;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;

use crate::spec::raw::{value_wrapper, Duration, Int, Num, Sp};

value_wrapper!(
    /// A breaker window: an integer (the last N calls) or a duration (the calls of the last
    /// D, in one-second buckets).
    BreakerWindowSpec, "BreakerWindow", |g| {
        let d = g.subschema_for::<Duration>();
        json_schema!({
            "description": "Sliding window of a circuit breaker: an integer (count-based: the last N calls) or a duration (time-based: the calls of the last D, whole seconds).",
            "oneOf": [ { "type": "integer", "minimum": 1 }, d ]
        })
    }
);

/// `breaker = { ... }`: a circuit breaker (defaults: resilience4j).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBreaker {
    /// Sliding window: calls (integer, default 100) or a duration.
    pub window: Option<BreakerWindowSpec>,
    /// Failure rate that opens it (0 to 1, default 0.5).
    pub failure_rate: Option<Num>,
    /// Slow-call rate that opens it (0 to 1, default 1).
    pub slow_call_rate: Option<Num>,
    /// Duration above which a call is slow (default "60s").
    pub slow_call: Option<Duration>,
    /// Calls in the window before rates count (1 to 1000000, default 100).
    pub min_calls: Option<Int>,
    /// Time open before half-open (default "60s").
    pub open: Option<Duration>,
    /// Probe calls in half-open (1 to 1000000, default 10).
    pub half_open: Option<Int>,
}
