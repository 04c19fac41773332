//! Sagas: forward steps run in order; when one fails, the compensations of the steps already
//! completed run in reverse order.
//!
//! # Configuration
//!
//! A `saga = [ { op, compensate }, ... ]` group among the calls of an operation: its steps are
//! calls of the call graph, so the scenario resolves them with the other calls (and checks
//! them for cycles); this component has no configuration of its own.
//!
//! # Files
//!
//! - `raw.rs`: a step's `compensate` value ([`raw::RawCompensate`]).
//! - `mod.rs`: the outcomes of the sagas of a replication ([`SagaRep`]).
//! - `sim.rs`: the sagas in a replication ([`Sagas`]).
//! - `report.rs`: a saga's outcomes in the results ([`report::SagaResult`]).
//! - `estimate.rs`: a saga step's forward calls as sequential calls.

pub mod estimate;
pub mod raw;
pub mod report;
mod sim;
pub use sim::*;

/// Outcomes of one saga over the measured interval (sagas started in it and finished).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SagaRep {
    /// Every step succeeded.
    pub committed: u64,
    /// A step failed and every compensation of the completed steps succeeded.
    pub compensated: u64,
    /// A step failed and a compensation failed too.
    pub inconsistent: u64,
    /// Sum over failed sagas of the time spent compensating \[ns\].
    pub compensation_ns: f64,
    /// Inconsistency windows of the compensated sagas: completed steps undone by their
    /// compensation.
    #[serde(default)]
    pub windows: u64,
    /// Sum of those windows, each from the step's commit (its answer) to its compensation's
    /// \[ns\].
    #[serde(default)]
    pub window_ns: f64,
    /// Compensation calls that answered (after their retries), in the sagas counted.
    #[serde(default)]
    pub compensations: u64,
    /// Those that still failed after their retries (each leaves its saga inconsistent).
    #[serde(default)]
    pub compensation_failures: u64,
    /// Sum over finished sagas of their completion time, start (the calling operation starts
    /// the saga) → last step done or last compensation answered \[ns\].
    #[serde(default)]
    pub completion_ns: f64,
    /// Events published by the finished choreographed sagas (forward and compensation).
    #[serde(default)]
    pub messages: u64,
    /// Sagas started in the measured interval still running at the end.
    #[serde(default)]
    pub in_progress_end: u64,
}
