//! The raw `retry = { ... }` table of a call, a unit's `resilience` or a workload entry, as
//! the file says it (its doc comments are the JSON Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::raw::{Duration, Int, Num, Sp};

/// `retry = { ... }`: retries with exponential backoff.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRetry {
    /// Attempts in all, the first included (1 to 100, default 3: AWS SDK standard).
    pub attempts: Option<Int>,
    /// Backoff base (default "1s": AWS SDK standard).
    pub base: Option<Duration>,
    /// Backoff cap (default "20s": AWS SDK standard).
    pub cap: Option<Duration>,
    /// `none`, `full` (default), `equal` or `decorrelated` (Brooker).
    pub jitter: Option<Sp<RawJitter>>,
    /// Retry budget: retries at most this share of calls over 10 s, plus `min_per_s` (0 to 1;
    /// default none).
    pub budget: Option<Num>,
    /// Retry budget floor: retries per second always allowed (default 10: Finagle).
    pub min_per_s: Option<Num>,
}

/// Jitter kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawJitter {
    /// `min(cap, base·2ⁿ)`.
    None,
    /// `random(0, min(cap, base·2ⁿ))`.
    Full,
    /// Half fixed, half random.
    Equal,
    /// `min(cap, random(base, 3·previous))`.
    Decorrelated,
}
