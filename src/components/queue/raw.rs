//! The raw `[[variants.queues]]` table, as the file says it (its doc comments are the JSON
//! Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::raw::{DistSpec, Duration, Int, Size, Sp};

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
    /// Most messages one consumer invocation receives (an event source's batch): 1 to 10, or
    /// to 10000 with a `batching_window` (default 1).
    pub batch_size: Option<Int>,
    /// Longest the poller gathers messages for a batch before it invokes the consumer with
    /// fewer than `batch_size` (0 to 300 s; default "0s": invoke with what is visible).
    pub batching_window: Option<Duration>,
    /// The `[[variants.hosts]]` the message broker runs on (a self-hosted broker such as
    /// RabbitMQ, billed as part of the host; default none: a managed queue priced per request).
    pub host: Option<Sp<String>>,
    /// Memory of the broker on its host (a size, required with `host`).
    pub memory: Option<Size>,
}
