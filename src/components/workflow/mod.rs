//! Workflows (a Step Functions-like state machine): an execution runs named states one after
//! the other — `task` (a call of an operation, with the call's `timeout` and `retry`),
//! `choice` (branches taken with probabilities), `parallel` (branches run at once, joined when
//! all have ended), `map` (a branch run once per item, N items drawn from a distribution, at
//! most `concurrency` at once) and `wait` (a fixed or drawn duration) — each state with an
//! optional `catch` (on failure, go to a named state). A `standard` workflow may run up to a
//! year and is priced per state transition; an `express` one up to 5 minutes, priced per
//! request and per GB-second. The workflow holds no cores: the operations its tasks call are
//! the only compute, billed only for their own run time.
//!
//! # Configuration
//!
//! `[workflows.NAME]` with `mode`, `memory`, `start` and `states.STATE = { type, … }`; an
//! operation starts an execution with the call `{ workflow = "NAME" }` (`wait = true`, express
//! only, waits for its end). See docs/format.md, "Workflows", and docs/semantics.md,
//! "Workflows".
//!
//! # Files
//!
//! - `mod.rs`: the validated [`WorkflowSpec`] and its states.
//! - `raw.rs`: the TOML keys ([`raw::RawWorkflow`]).
//! - `resolve.rs`: raw → validated (states, modes, the limits), with located diagnostics.
//! - `sim.rs`: executions in a replication ([`Workflows`]).
//! - `report.rs`: executions in the results ([`report::WorkflowResult`]).
//! - `cost.rs`: the bill, one line `workflow/NAME` per workflow.
//! - `estimate.rs`: a workflow's tasks in the analytic estimate.

pub mod cost;
pub mod estimate;
pub mod raw;
pub mod report;
pub(crate) mod resolve;
mod sim;

pub use sim::*;

use crate::kernel::dist::Dist;

/// A state index meaning "none": the end of a branch (`next`) or no `catch`.
pub const END: u32 = u32::MAX;

/// Longest execution of a standard workflow: one year (365 days) \[ns\]
/// (docs/sources.md row *Step Functions quotas*).
pub const STANDARD_LIMIT_NS: u64 = 365 * 24 * 3600 * 1_000_000_000;
/// Longest execution of an express workflow: 5 minutes \[ns\].
pub const EXPRESS_LIMIT_NS: u64 = 300 * 1_000_000_000;
/// Express memory billing increment: 64 MB \[bytes\].
pub const MEMORY_CHUNK: u64 = 64 * 1_000_000;

/// How a workflow runs and is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Up to a year; priced per state transition.
    Standard,
    /// Up to 5 minutes; priced per request and per GB-second.
    Express,
}

impl Mode {
    /// Its longest execution \[ns\].
    pub fn limit_ns(self) -> u64 {
        match self {
            Mode::Standard => STANDARD_LIMIT_NS,
            Mode::Express => EXPRESS_LIMIT_NS,
        }
    }

    /// Its word in the file and the results.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Standard => "standard",
            Mode::Express => "express",
        }
    }
}

/// What a state does.
#[derive(Debug, Clone, PartialEq)]
pub enum StateKind {
    /// Calls task `task` (the k-th task state, in file order) and waits for its answer.
    Task {
        /// Index among the workflow's tasks.
        task: u32,
    },
    /// Goes to `branches[i].1` with probability `branches[i].0`, else to `default`.
    Choice {
        /// (probability, state), in file order.
        branches: Vec<(f64, u32)>,
        /// Where the rest goes ([`END`]: the branch ends).
        default: u32,
    },
    /// Runs a branch from each start state at once; joins when all have ended.
    Parallel {
        /// The first state of each branch.
        branches: Vec<u32>,
    },
    /// Runs the branch starting at `iterator` once per item, at most `concurrency` at once.
    Map {
        /// Number of items (a draw, rounded to the nearest integer ≥ 0).
        items: Dist,
        /// Most iterations at once.
        concurrency: u32,
        /// The first state of an iteration.
        iterator: u32,
    },
    /// Waits for a duration drawn from `duration` \[ns\].
    Wait {
        /// The duration \[ns\].
        duration: Dist,
    },
}

/// One validated state.
#[derive(Debug, Clone, PartialEq)]
pub struct StateSpec {
    /// Its name.
    pub name: String,
    /// What it does.
    pub kind: StateKind,
    /// The state after it ([`END`]: its branch ends).
    pub next: u32,
    /// Where a failure goes ([`END`]: the branch fails).
    pub catch: u32,
}

/// One validated `[workflows.NAME]`.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowSpec {
    /// Its name.
    pub name: String,
    /// Standard or express.
    pub mode: Mode,
    /// Memory billed per express execution, rounded up to 64 MB \[bytes\].
    pub billed_memory: u64,
    /// The first state.
    pub start: u32,
    /// Every state, in file order.
    pub states: Vec<StateSpec>,
    /// Number of task states.
    pub tasks: u32,
}
