//! The raw `pool = { ... }` table of a unit, as the file says it (its doc comments are the JSON
//! Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::raw::{Duration, Int};

/// `pool = { size, acquire_timeout }`: a unit instance's connection pool per database.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPool {
    /// Connections (1 to 100000, default 10).
    pub size: Option<Int>,
    /// Longest wait for a connection before `pool_timeout` (a duration > 0, default "30s").
    pub acquire_timeout: Option<Duration>,
}
