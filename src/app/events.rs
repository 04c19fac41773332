//! What a run, sweep or capacity search reports while in progress, in order. The desktop app
//! streams these to the UI over a channel; the CLI draws its progress bar from them.

use schemars::JsonSchema;
use serde::Serialize;

use crate::runner::partial::ReplicationDone;

/// One message of a run, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunEvent {
    /// The run started: `total` (variant, replication) tasks.
    Started {
        /// All tasks.
        total: usize,
        /// The variants simulated, in order.
        variants: Vec<String>,
    },
    /// A replication finished (or was cut short by cancel).
    Progress {
        /// Finished tasks.
        done: usize,
        /// All tasks.
        total: usize,
        /// Wall-clock seconds since the start (the UI derives the ETA).
        elapsed_s: f64,
    },
    /// The headline values of a replication that finished.
    Replication {
        /// The values.
        data: ReplicationDone,
    },
    /// A run with a precision target: where the precision stands after a replication. Sent
    /// right after that replication's `replication` and `progress`, while no other
    /// replication can report: the three come together, and the last `precision` covers
    /// every replication that finished.
    Precision {
        /// Replications finished so far, per variant (the fewest of any variant).
        replications: u32,
        /// The cap on replications.
        max_replications: u32,
        /// The target relative half-width of every headline 95% interval (0.02 for 2%).
        target: f64,
        /// The worst relative half-width so far of the headline intervals — per entry the
        /// mean latency, p99 and throughput, per unit the utilization — by the stopping rule
        /// of the run itself (`runner::precision::Tracker`) over the replications
        /// finished; infinite (JSON null) before two replications of every variant.
        relative_half_width: f64,
    },
    /// A capacity search evaluated a rate for a variant.
    Step {
        /// The variant.
        variant: String,
        /// The rate simulated \[1/s\].
        rate: f64,
        /// The SLO's verdict there.
        verdict: crate::results::slo::Verdict,
    },
}
