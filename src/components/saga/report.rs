//! Sagas in the results document: the outcomes of each saga, combined over replications.

use super::{Plan, SagaRep};
use crate::components::report::Replication;
use crate::stats::{ratio, Stat};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Outcomes of one saga; counts are of sagas started in the measured interval and finished.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SagaResult {
    /// `"orchestration"` (the calling operation runs the steps and waits) or `"choreography"`
    /// (the steps are events on message queues; the caller waits for the first publish only).
    pub style: String,
    /// Every step succeeded.
    pub committed: Stat,
    /// A step failed and the compensations of the completed steps all succeeded.
    pub compensated: Stat,
    /// A step failed and a compensation failed too.
    pub inconsistent: Stat,
    /// committed / finished.
    pub committed_ratio: Stat,
    /// compensated / finished.
    pub compensated_ratio: Stat,
    /// inconsistent / finished.
    pub inconsistent_ratio: Stat,
    /// Mean time spent compensating, per failed saga (the latency compensation adds) \[s\].
    pub compensation_s: Stat,
    /// Mean inconsistency window of a compensated step: from the step's commit (its answer)
    /// to its compensation's answer, over the steps undone by compensated sagas \[s\].
    pub inconsistency_window_s: Stat,
    /// Compensation calls that answered, after their retries (per replication).
    pub compensations: Stat,
    /// Compensation calls that still failed after their retries; each leaves its saga
    /// inconsistent (per replication).
    pub compensation_failures: Stat,
    /// compensation_failures / compensations (0 when no compensation ran).
    pub compensation_failure_ratio: Stat,
    /// Mean completion time of a finished saga: from its start (the calling operation starts
    /// it) to its last step done, or to its last compensation's answer \[s\].
    pub completion_s: Stat,
    /// Events published per finished saga, forward and compensation (0 for an orchestrated
    /// saga).
    pub messages_per_saga: Stat,
    /// Sagas started in the measured interval still running at the end (per replication).
    pub in_progress_end: Stat,
}

/// Per saga of `plan`, by name: its outcomes (`reps`: every saga's record, per replication).
pub fn combine(
    plan: &Plan,
    reps: &[Replication<'_, Vec<SagaRep>>],
) -> IndexMap<String, SagaResult> {
    let mut out = IndexMap::new();
    for (g, saga) in plan.sagas.iter().enumerate() {
        let st = |f: &dyn Fn(&SagaRep) -> f64| Stat::over(reps, |r| f(&r.rep[g]));
        out.insert(
            saga.name.clone(),
            SagaResult {
                style: if saga.choreo {
                    "choreography"
                } else {
                    "orchestration"
                }
                .to_string(),
                committed: st(&|x| x.committed as f64),
                compensated: st(&|x| x.compensated as f64),
                inconsistent: st(&|x| x.inconsistent as f64),
                committed_ratio: st(&|x| {
                    ratio(x.committed, x.committed + x.compensated + x.inconsistent)
                }),
                compensated_ratio: st(&|x| {
                    ratio(x.compensated, x.committed + x.compensated + x.inconsistent)
                }),
                inconsistent_ratio: st(&|x| {
                    ratio(x.inconsistent, x.committed + x.compensated + x.inconsistent)
                }),
                compensation_s: st(&|x| {
                    let n = x.compensated + x.inconsistent;
                    if n == 0 {
                        0.0
                    } else {
                        x.compensation_ns / n as f64 / 1e9
                    }
                }),
                inconsistency_window_s: st(&|x| ratio(1, x.windows) * x.window_ns / 1e9),
                compensations: st(&|x| x.compensations as f64),
                compensation_failures: st(&|x| x.compensation_failures as f64),
                compensation_failure_ratio: st(&|x| {
                    ratio(x.compensation_failures, x.compensations)
                }),
                completion_s: st(&|x| {
                    ratio(1, x.committed + x.compensated + x.inconsistent) * x.completion_ns / 1e9
                }),
                messages_per_saga: st(&|x| {
                    ratio(x.messages, x.committed + x.compensated + x.inconsistent)
                }),
                in_progress_end: st(&|x| x.in_progress_end as f64),
            },
        );
    }
    out
}
