//! Transactions and locks: a group of calls run as one transaction on one database (atomic
//! commit or rollback, with its begin and commit round trips and the commit's latency), named
//! locks (hot rows) taken by its steps with FIFO waiters and a lock-wait timeout, and, when a
//! variant spreads the transaction over several databases, a two-phase commit. See
//! `docs/semantics.md`, "Transactions and locks".
//!
//! # Configuration
//!
//! A `transaction = [ { op, compensate, locks }, ... ]` group among the calls of an operation,
//! with `lock_timeout` and `commit_latency` on the group; a variant's `transactions = "saga" |
//! "2pc"` says how a transaction spanning units or databases runs (a local one needs nothing).
//!
//! # Files
//!
//! - `mod.rs`: how a transaction runs ([`TxMode`]) and its record ([`TxRep`]).
//! - `raw.rs`: the variant's `transactions` key ([`raw::RawTxMode`]).
//! - `spec.rs`: the defaults.
//! - `resolve.rs`: the group's keys (`lock_timeout`, `commit_latency`). Whether a
//!   transaction is local in a variant is decided with the variant
//!   (`crate::scenario`), its plan compiled with the calls (`crate::model`).
//! - `sim.rs`: transactions and locks in a replication ([`Transactions`]).
//! - `report.rs`: transactions and locks in the results ([`report::TxResult`],
//!   [`report::LockResult`]).
//! - `estimate.rs`: a transaction as its steps plus its round trips, and each lock as an M/G/1
//!   queue.

pub mod estimate;
pub mod raw;
pub mod report;
pub(crate) mod resolve;
mod sim;
pub mod spec;

pub use sim::*;

/// How a variant runs a transaction that spans units or databases (a transaction within one
/// unit and one database is always local).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxMode {
    /// As a saga of its steps and their compensations.
    Saga,
    /// As a two-phase commit across the databases it reaches.
    TwoPc,
}

/// Outcomes of one transaction over the measured interval (transactions started in it and
/// finished).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct TxRep {
    /// Every step succeeded and the commit is durable.
    pub committed: u64,
    /// A step failed: rolled back, nothing of it remains.
    pub rolled_back: u64,
    /// A lock was waited for longer than the lock timeout: rolled back.
    pub lock_timeouts: u64,
    /// Sum of the time spent waiting for locks \[ns\].
    pub lock_wait_ns: f64,
    /// Round trips to the databases for begin, prepare, commit and rollback.
    pub round_trips: u64,
    /// Sum of the durations from start to the end of commit or rollback \[ns\].
    pub duration_ns: f64,
    /// Two-phase commits whose coordinator crashed after PREPARE and has come back (their
    /// participants held the locks in doubt meanwhile).
    #[serde(default)]
    pub in_doubt: u64,
    /// Sum of the times those held their locks in doubt, from the coordinator's crash to its
    /// return \[ns\].
    #[serde(default)]
    pub in_doubt_ns: f64,
}

/// Figures of one lock over the measured interval.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct LockRep {
    /// Acquisitions.
    pub acquires: u64,
    /// Sum of the waits of the acquisitions \[ns\].
    pub wait_ns: f64,
    /// Time-averaged holders (0 to 1: the lock's utilization).
    pub held: f64,
    /// Time-averaged waiters.
    pub waiting: f64,
    /// Waits that ended in `lock_timeout`.
    pub timeouts: u64,
}

/// The record of one replication.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct TxsRep {
    /// Per transaction (indexed like [`Plan::txs`]).
    pub txs: Vec<TxRep>,
    /// Per lock (indexed like [`Plan::locks`]).
    pub locks: Vec<LockRep>,
}
