//! The raw `[[variants.queues]]` table, as the file says it (its doc comments are the JSON
//! Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::raw::{DistSpec, Duration, Int, Sp};

/// `[[variants.queues]]`: a message queue (SQS-like) with its consumers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQueue {
    /// Name, as used by `publish = "NAME"` in calls.
    pub name: Sp<String>,
    /// Delay before the publisher continues and the message becomes visible (a distribution
    /// of durations, required).
    pub publish_latency: DistSpec,
    /// How long a received message stays invisible before it is redelivered if not deleted
    /// (a duration > 0, required).
    pub visibility_timeout: Duration,
    /// Receives after which an undeleted message is dead-lettered (1 to 1000; default: never).
    pub max_receives: Option<Int>,
    /// Consumer invocations in flight at once (1 to 100000, required).
    pub consumers: Int,
}
