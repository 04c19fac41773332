//! The raw `shed = { ... }` table of a unit, as the file says it (its doc comments are the JSON
//! Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::raw::Duration;

/// `shed = { max_wait = ... }` on a unit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawShed {
    /// Reject arrivals with reason `shed` when the expected queue wait exceeds this (required).
    pub max_wait: Duration,
}
