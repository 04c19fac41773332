//! The validated message queue of a variant.

use crate::kernel::dist::Dist;

/// A message queue (SQS-like) of a variant.
#[derive(Debug, Clone)]
pub struct Queue {
    /// Name (a key of `Scenario::queues`).
    pub name: String,
    /// Delay before a publishing caller continues and the message becomes visible \[ns\].
    pub publish_latency: Dist,
    /// How long a received message stays invisible; a message not deleted by then (its
    /// consumer failed or is still running) becomes visible again \[ns\].
    pub visibility_timeout: u64,
    /// Receives after which an undeleted message goes to the dead-letter queue; `None` =
    /// redelivered forever.
    pub max_receives: Option<u32>,
    /// Consumer invocations in flight at once (≥ 1).
    pub consumers: u32,
    /// Most messages per consumer invocation (1 to 10; to 10,000 with a batching window).
    pub batch_size: u32,
    /// Longest a batch is gathered before the consumer is invoked with fewer messages \[ns\]
    /// (0: at once, with what is visible).
    pub batching_window: u64,
    /// The host its broker runs on (index in the variant's hosts), if any: billed as part of
    /// the host, not per request.
    pub host: Option<usize>,
}
