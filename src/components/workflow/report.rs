//! Workflows in the results document: each workflow's executions, combined over replications.

use super::{Plan, WorkflowsRep};
use crate::components::report::Replication;
use crate::flow::Reason;
use crate::stats::{ratio, Stat};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One workflow's executions; the counts are of executions started in the measured interval
/// that ended, per replication.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WorkflowResult {
    /// `standard` or `express`.
    pub mode: String,
    /// Executions started in the measured interval (express: the billed requests).
    pub started: Stat,
    /// Executions that ended.
    pub executions: Stat,
    /// Executions that succeeded.
    pub succeeded: Stat,
    /// Failed executions by reason (`max_duration`: ran past the mode's limit), only the
    /// reasons that occurred.
    pub failed: IndexMap<String, Stat>,
    /// Failures turned into a `catch` state's path.
    pub caught: Stat,
    /// Mean state transitions per execution that ended.
    pub transitions_per_execution: Stat,
    /// State transitions made in the measured interval (standard: the billed usage).
    pub transitions: Stat,
    /// Mean duration of an execution that ended, from its start to its end \[s\].
    pub duration_s: Stat,
}

/// Per workflow of `plan`, by name: its executions (`reps`: every replication's record).
pub fn combine(
    plan: &Plan,
    reps: &[Replication<'_, WorkflowsRep>],
) -> IndexMap<String, WorkflowResult> {
    let mut out = IndexMap::new();
    for (w, spec) in plan.workflows.iter().enumerate() {
        let rep =
            |r: &Replication<'_, WorkflowsRep>| r.rep.workflows.get(w).cloned().unwrap_or_default();
        let st = |f: &dyn Fn(&super::WorkflowRep) -> f64| Stat::over(reps, |r| f(&rep(r)));
        let mut failed = IndexMap::new();
        for reason in Reason::ALL {
            let code = reason as usize;
            let any = reps
                .iter()
                .any(|r| rep(r).failed.get(code).copied().unwrap_or(0) > 0);
            if any {
                failed.insert(
                    reason.name().to_string(),
                    st(&|x| x.failed.get(code).copied().unwrap_or(0) as f64),
                );
            }
        }
        out.insert(
            spec.name.clone(),
            WorkflowResult {
                mode: spec.mode.as_str().to_string(),
                started: st(&|x| x.started as f64),
                executions: st(&|x| x.finished as f64),
                succeeded: st(&|x| x.succeeded as f64),
                failed,
                caught: st(&|x| x.caught as f64),
                transitions_per_execution: st(&|x| ratio(x.exec_transitions, x.finished)),
                transitions: st(&|x| x.transitions as f64),
                duration_s: st(&|x| ratio(1, x.finished) * x.duration_ns / 1e9),
            },
        );
    }
    out
}
