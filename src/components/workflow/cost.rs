//! The workflows' bill, us-east-1 list prices (docs/cost.md, "How each node is billed";
//! docs/sources.md row *Step Functions pricing*): a standard workflow per state transition made in the measured
//! interval; an express workflow per execution started in it and per GB-second of the
//! executions that ended in it, each execution's duration rounded up to 100 ms and its memory
//! to 64 MB. One line `workflow/NAME` per workflow. The free tier (4,000 standard transitions
//! a month) is not credited.

use super::{Mode, Plan, WorkflowsRep};
use crate::spec::prices::{CostLine, ResourceKind};

/// Standard: US dollars per state transition ($0.025 per 1,000).
pub const STANDARD_PER_TRANSITION: f64 = 0.025 / 1000.0;
/// Express: US dollars per request ($1.00 per million).
pub const EXPRESS_PER_REQUEST: f64 = 1.0 / 1e6;
/// Express: US dollars per GB-second (the first tier, $0.00001667; the lower tiers beyond
/// 1,000 GB-hours a month are not applied).
pub const EXPRESS_GB_SECOND: f64 = 0.000_016_67;

/// One line per workflow of `plan`, from the usage in `rep`.
pub fn lines(plan: &Plan, rep: &WorkflowsRep) -> Vec<CostLine> {
    plan.workflows
        .iter()
        .enumerate()
        .map(|(w, spec)| {
            let r = rep.workflows.get(w).cloned().unwrap_or_default();
            let window_usd = match spec.mode {
                Mode::Standard => r.transitions as f64 * STANDARD_PER_TRANSITION,
                Mode::Express => {
                    let gb = spec.billed_memory as f64 / 1e9;
                    r.started as f64 * EXPRESS_PER_REQUEST
                        + r.billed_ms as f64 / 1000.0 * gb * EXPRESS_GB_SECOND
                }
            };
            CostLine {
                kind: ResourceKind::Workflow,
                name: spec.name.clone(),
                window_usd,
            }
        })
        .collect()
}
