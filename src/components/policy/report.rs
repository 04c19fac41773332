//! Call-edge policies in the results document: per edge its calls, attempts, retry
//! amplification, fallbacks and breaker transitions, combined over replications, and the
//! circuit-breaker state changes of the first replication.

use super::{EdgeRep, Plan, PoliciesRep};
use crate::components::report::Replication;
use crate::stats::Stat;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Counters of one call edge with policies.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EdgeResult {
    /// Logical calls.
    pub calls: Stat,
    /// Attempts sent (retries included; calls refused by an open breaker excluded).
    pub attempts: Stat,
    /// attempts / calls (1 without retries).
    pub amplification: Stat,
    /// Retries refused by the retry budget.
    pub budget_refused: Stat,
    /// Calls answered by the fallback (degraded).
    pub degraded: Stat,
    /// Breaker transitions to open (whole run).
    pub breaker_opened: Stat,
    /// Breaker transitions to half-open (whole run).
    pub breaker_half_opened: Stat,
}

/// One circuit-breaker state change.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BreakerChangeResult {
    /// When \[s\] from the start of the run.
    pub t_s: f64,
    /// The call edge.
    pub edge: String,
    /// `closed`, `open` or `half_open`.
    pub from: String,
    /// `closed`, `open` or `half_open`.
    pub to: String,
}

/// Per call edge of `plan` (`caller.op -> callee.op`): its counters.
pub fn edges(plan: &Plan, reps: &[Replication<'_, PoliciesRep>]) -> IndexMap<String, EdgeResult> {
    let mut out = IndexMap::new();
    for (i, edge) in plan.names.iter().enumerate() {
        let g = |f: fn(&EdgeRep) -> u64| {
            Stat::over(reps, move |r| {
                r.rep.edges.get(i).map_or(0.0, |x| f(x) as f64)
            })
        };
        out.insert(
            edge.clone(),
            EdgeResult {
                calls: g(|x| x.calls),
                attempts: g(|x| x.attempts),
                amplification: Stat::over(reps, |r| {
                    r.rep.edges.get(i).map_or(1.0, |x| {
                        if x.calls == 0 {
                            1.0
                        } else {
                            x.attempts as f64 / x.calls as f64
                        }
                    })
                }),
                budget_refused: g(|x| x.budget_refused),
                degraded: g(|x| x.degraded),
                breaker_opened: g(|x| x.opened),
                breaker_half_opened: g(|x| x.half_opened),
            },
        );
    }
    out
}

/// The circuit-breaker state changes of one replication's record `rep`, in time order.
pub fn breaker_changes(plan: &Plan, rep: &PoliciesRep) -> Vec<BreakerChangeResult> {
    rep.breaker_changes
        .iter()
        .map(|&(t, edge, from, to)| BreakerChangeResult {
            t_s: t as f64 / 1e9,
            edge: plan.names[edge as usize].clone(),
            from: from.name().to_string(),
            to: to.name().to_string(),
        })
        .collect()
}
