//! A message queue (SQS-like): visible messages waiting for a consumer, a pool of consumer
//! slots, and the counters of one replication.
//!
//! The engine owns the messages themselves (frames in its arena, so that a message in flight
//! can be matched with its consumer's answer and its visibility timeout); this component keeps
//! which messages are visible, in what order they are received, and how many consumer
//! invocations are in flight.
//!
//! Visible messages are received **oldest first** (by publish time, ties in publish order): a
//! first delivery is FIFO, and a message made visible again after a failed receive goes ahead
//! of younger ones. This also makes the age of the oldest visible message O(1).
//!
//! # Complexity
//! Publish and receive are O(log n) in the number of visible messages.
//!
//! # Configuration
//!
//! `[[variants.queues]]`: `name` (a queue some call publishes to), `publish_latency`,
//! `visibility_timeout` and `consumers` (required: docs/sources.md row *SQS visibility
//! timeout*), `max_receives` (1 to 1000; default none, no dead-letter queue), `batch_size`
//! (1 to 10, to 10,000 with a window; default 1) and `batching_window` (0 to 300 s; default 0:
//! docs/sources.md row *SQS event source batching*). A call publishes
//! with `{ publish = "NAME", op = "module.op" }` (the call is the scenario's).
//!
//! # Files
//!
//! - `mod.rs`: the visible messages and consumer slots of a queue, and its counters
//!   ([`QueueRep`]).
//! - `raw.rs`: the TOML keys ([`raw::RawQueue`]).
//! - `spec.rs`: the validated [`spec::Queue`].
//! - `resolve.rs`: raw → the variant's [`spec::Queue`]s, with located diagnostics.
//! - `sim.rs`: the queues in a replication ([`Queues`]).
//! - `report.rs`: a queue and its series in the results ([`report::QueueResult`],
//!   [`report::QueueSeries`]).
//! - `cost.rs`: the queues' bill per million requests.
//! - `estimate.rs`: a publish as a delay; each message a job of its consumer.

pub mod cost;
pub mod estimate;
pub mod raw;
pub mod report;
pub(crate) mod resolve;
mod sim;
pub mod spec;

pub use sim::*;

use crate::stats::LogHistogram;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Counters of one queue over the measured interval (messages published in it).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct QueueRep {
    /// Messages published (the billed usage counter: requests to the queue service).
    pub published: u64,
    /// Receives of a message (each message of a batch counts one), first deliveries and
    /// redeliveries.
    pub receives: u64,
    /// Consumer invocations started (batches received; equal to `receives` without batching).
    pub batches: u64,
    /// Billed requests to the queue service: sends, receives and deletes, each counted in
    /// 64 KB chunks of its payload (see `docs/cost.md`).
    pub requests: u64,
    /// Receives beyond the first of their message.
    pub redelivered: u64,
    /// Messages processed successfully and deleted.
    pub delivered: u64,
    /// Messages moved to the dead-letter queue after `max_receives` receives.
    pub dead_lettered: u64,
    /// Receives whose consumer failed.
    pub failed_receives: u64,
    /// Receives whose consumer was still running when the visibility timeout expired.
    pub expired_receives: u64,
    /// Messages still in the queue (visible or being processed) at the end.
    pub in_queue_end: u64,
    /// Receives of the messages that finished (deleted or dead-lettered).
    pub finished_receives: u64,
    /// Sum of the waits from becoming visible to being received \[ns\].
    pub wait_sum_ns: f64,
    /// End-to-end latency of deleted messages, publish call → consumer done \[ns\].
    pub end_to_end: LogHistogram,
}

impl QueueRep {
    /// Mean wait from visible to received \[s\] (0 without receives).
    pub fn mean_wait_s(&self) -> f64 {
        if self.receives == 0 {
            0.0
        } else {
            self.wait_sum_ns / self.receives as f64 / 1e9
        }
    }
}

/// Runtime state of one queue in one replication.
#[derive(Debug)]
pub struct QueueState {
    visible: BinaryHeap<Reverse<(u64, u64, u64)>>,
    seq: u64,
    /// Consumer invocations in flight.
    pub busy: u32,
    /// Consumer slots.
    pub consumers: u32,
    /// Messages published and not yet deleted or dead-lettered (visible or in flight).
    pub live: u64,
    /// Set while the engine hands messages to consumers (guards against re-entrant dispatch).
    pub dispatching: bool,
    /// When the poller began gathering the next batch \[ns\] (a batching window runs).
    pub gather_since: Option<u64>,
    /// Batches taken so far: a window timer of an earlier batch is stale.
    pub gather_gen: u32,
    /// A window timer of the current gathering is pending.
    pub gather_armed: bool,
    /// Measured counters.
    pub stats: QueueRep,
}

impl QueueState {
    /// An empty queue with `consumers` slots.
    pub fn new(consumers: u32) -> Self {
        QueueState {
            visible: BinaryHeap::new(),
            seq: 0,
            busy: 0,
            consumers,
            live: 0,
            dispatching: false,
            gather_since: None,
            gather_gen: 0,
            gather_armed: false,
            stats: QueueRep::default(),
        }
    }

    /// Makes message `msg` (published at `born` \[ns\]) visible.
    pub fn push(&mut self, born: u64, msg: u64) {
        self.seq += 1;
        self.visible.push(Reverse((born, self.seq, msg)));
    }

    /// The next message to receive, if a consumer slot is free (the slot is taken).
    pub fn take(&mut self) -> Option<u64> {
        if self.busy >= self.consumers {
            return None;
        }
        let Reverse((_, _, msg)) = self.visible.pop()?;
        self.busy += 1;
        Some(msg)
    }

    /// The oldest visible message, without taking a slot.
    pub fn pop(&mut self) -> Option<u64> {
        self.visible.pop().map(|Reverse((_, _, msg))| msg)
    }

    /// The oldest visible message, left visible.
    pub fn peek(&self) -> Option<u64> {
        self.visible.peek().map(|Reverse((_, _, msg))| *msg)
    }

    /// Visible messages.
    pub fn backlog(&self) -> usize {
        self.visible.len()
    }

    /// Age of the oldest visible message at `now` \[ns\] (0 when none is visible).
    pub fn oldest_age(&self, now: u64) -> u64 {
        self.visible
            .peek()
            .map_or(0, |Reverse((born, _, _))| now.saturating_sub(*born))
    }
}

/// A request to the queue service is billed per 64 KB (65,536 bytes) of its payload, at least
/// one (docs/sources.md row *SQS*).
pub const CHUNK_BYTES: f64 = 65_536.0;
/// Messages per `ReceiveMessage` or `DeleteMessageBatch` call at most (same row).
pub const PER_CALL: u64 = 10;

/// Billed requests of one call carrying `bytes` of payload.
pub fn chunks(bytes: f64) -> u64 {
    ((bytes / CHUNK_BYTES).ceil() as u64).max(1)
}

/// Billed requests to receive a batch of `n` messages of `bytes` each: `ReceiveMessage`
/// calls of at most 10 messages, each billed per 64 KB of the messages it returns.
pub fn receive_requests(n: u64, bytes: f64) -> u64 {
    let full = n / PER_CALL;
    let rest = n % PER_CALL;
    let mut r = full * chunks(PER_CALL as f64 * bytes);
    if rest > 0 {
        r += chunks(rest as f64 * bytes);
    }
    r
}

/// Billed requests to delete `n` processed messages: `DeleteMessageBatch` calls of at most 10
/// receipt handles (no message body: one request each).
pub fn delete_requests(n: u64) -> u64 {
    n.div_ceil(PER_CALL)
}

/// Usage of a message queue (an input for the message-bus component).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QueueUsage {
    /// Queue name (its cost line).
    pub name: String,
    /// Billed requests (each send, receive and delete, in 64 KB chunks of its payload).
    pub requests: u64,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn oldest_first_and_slots() {
        let mut q = QueueState::new(2);
        q.push(30, 3);
        q.push(10, 1);
        q.push(10, 2);
        assert_eq!(q.oldest_age(100), 90);
        assert_eq!(q.take(), Some(1));
        assert_eq!(q.take(), Some(2));
        assert_eq!(q.take(), None); // both slots busy
        q.busy -= 1;
        assert_eq!(q.take(), Some(3));
        assert_eq!(q.backlog(), 0);
    }

    #[test]
    fn requests_in_chunks_and_calls_of_ten() {
        assert_eq!(chunks(0.0), 1);
        assert_eq!(chunks(65_536.0), 1);
        assert_eq!(chunks(65_537.0), 2);
        assert_eq!(chunks(256.0 * 1024.0), 4);
        // 25 messages of 10 KB: calls of 10, 10, 5 messages; 100 KB → 2 chunks each, 50 KB → 1.
        assert_eq!(receive_requests(25, 10_000.0), 2 + 2 + 1);
        assert_eq!(receive_requests(1, 0.0), 1);
        assert_eq!(delete_requests(25), 3);
        assert_eq!(delete_requests(10), 1);
        assert_eq!(delete_requests(1), 1);
    }
}
