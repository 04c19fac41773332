//! A serverless function in the results document: its figures over the measured interval,
//! combined over replications.

use super::{FunctionPlan, FunctionRep, Plan, NO_FUNCTION};
use crate::components::report::Replication;
use crate::stats::Stat;
use serde::{Deserialize, Serialize};

/// Figures of a serverless function over the measured interval.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FunctionResult {
    /// Invocations admitted.
    pub invocations: Stat,
    /// Invocations that paid a cold start.
    pub cold_starts: Stat,
    /// cold starts / invocations admitted.
    pub cold_start_fraction: Stat,
    /// Invocations throttled (429).
    pub throttles: Stat,
    /// Invocations killed at `max_duration`.
    pub max_duration_failures: Stat,
    /// Time-averaged concurrent executions (busy instances, cold starts included).
    pub mean_concurrency: Stat,
    /// Most concurrent executions.
    pub peak_concurrency: Stat,
    /// Time-averaged instances alive: busy, idle until their keep-alive ends, and provisioned
    /// (the time average of `series.nodes.<unit>.instances`, exactly rather than sampled).
    #[serde(default)]
    pub instances_mean: Stat,
    /// GB-seconds billed (each invocation rounded up to 1 ms; provisioned-served included).
    pub gb_s_billed: Stat,
}

/// The figures of the function on node `n`, if the node is one (`reps`: the records of every
/// function, per replication).
pub fn node_result(
    plan: &Plan,
    n: usize,
    reps: &[Replication<'_, Vec<FunctionRep>>],
) -> Option<FunctionResult> {
    let f = plan.of_node[n];
    (f != NO_FUNCTION).then(|| {
        let f = f as usize;
        let own: Vec<Replication<'_, FunctionRep>> =
            reps.iter().map(|r| r.map(|v| &v[f])).collect();
        combine(&plan.functions[f], &own)
    })
}

/// The figures of function `plan` from its records `reps`.
pub fn combine(plan: &FunctionPlan, reps: &[Replication<'_, FunctionRep>]) -> FunctionResult {
    let gb = plan.memory as f64 / 1e9;
    FunctionResult {
        invocations: Stat::over(reps, |r| r.rep.invocations as f64),
        cold_starts: Stat::over(reps, |r| r.rep.cold_starts as f64),
        cold_start_fraction: Stat::over(reps, |r| {
            let f = r.rep;
            if f.invocations > 0 {
                f.cold_starts as f64 / f.invocations as f64
            } else {
                0.0
            }
        }),
        throttles: Stat::over(reps, |r| r.rep.throttles as f64),
        max_duration_failures: Stat::over(reps, |r| r.rep.max_duration_kills as f64),
        mean_concurrency: Stat::over(reps, |r| {
            if r.measured_s > 0.0 {
                r.rep.busy_area / (r.measured_s * 1e9)
            } else {
                0.0
            }
        }),
        peak_concurrency: Stat::over(reps, |r| r.rep.peak as f64),
        instances_mean: Stat::over(reps, |r| {
            let on_demand = if r.measured_s > 0.0 {
                r.rep.live_area / (r.measured_s * 1e9)
            } else {
                0.0
            };
            on_demand + plan.provisioned as f64
        }),
        gb_s_billed: Stat::over(reps, |r| {
            let f = r.rep;
            (f.billed_ms + f.billed_ms_provisioned) as f64 / 1000.0 * gb
        }),
    }
}
