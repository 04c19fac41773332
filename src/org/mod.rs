//! Organizations: who owns what, and what that does to delivery.
//!
//! - [`conway`]: ownership and Conway metrics of a variant (cross-team and cross-unit calls per
//!   request, units per team, the mirroring score, communication channels);
//! - [`delivery`]: the delivery-process simulation (change requests, build pipelines,
//!   coordination, deploys, failures) on the same kernel as the engine, with DORA metrics;
//! - [`decompose`]: a graph partitioner that suggests a K-unit decomposition of the modules.
//!
//! Everything here is library code: no printing, no command-line concerns.

// Matrix code over module, team and unit ids reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

pub mod conway;
pub mod decompose;
pub mod delivery;

use crate::estimate::expected_visits;
use crate::scenario::{ModuleId, OpOwner, Scenario, Step, StoreId};

/// Traffic of the logical model, independent of the variant: mean calls per entry request
/// between modules and mean queries per request from modules to data stores.
///
/// "Per request" averages over the entries weighted by their arrival rates:
/// `Σ_e λ_e · visits_e / Σ_e λ_e`, with the expected visits of
/// [`crate::estimate::expected_visits`] (a call with probability `p` and repeat
/// `count` counts `p·count`). The entry's own call (client → first operation) is not a
/// module-to-module call and is not counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Traffic {
    /// `calls[a][b]`: mean calls per request from operations of module `a` to operations of
    /// module `b` (a ≠ b or a = b).
    pub calls: Vec<Vec<f64>>,
    /// `queries[m][d]`: mean calls per request from operations of module `m` to data store `d`.
    pub queries: Vec<Vec<f64>>,
}

impl Traffic {
    /// The traffic of `s` from the analytic expected visits.
    ///
    /// # Complexity
    /// O(entries × (operations + calls) + modules²).
    pub fn analytic(s: &Scenario) -> Traffic {
        let nm = s.modules.len();
        let mut calls = vec![vec![0.0; nm]; nm];
        let mut queries = vec![vec![0.0; s.datastores.len()]; nm];
        let total: f64 = s.workload.entries.iter().map(|e| e.arrival.rate()).sum();
        if total <= 0.0 {
            return Traffic { calls, queries };
        }
        for e in &s.workload.entries {
            let w = e.arrival.rate() / total;
            let visits = expected_visits(s, e.op);
            for (a, op) in s.ops.iter().enumerate() {
                let OpOwner::Module(ma) = op.owner else {
                    continue;
                };
                if visits[a] == 0.0 {
                    continue;
                }
                for c in step_calls(&op.steps) {
                    let x = w * visits[a] * c.p * f64::from(c.count);
                    match s.ops[c.op].owner {
                        OpOwner::Module(mb) => calls[ma][mb] += x,
                        OpOwner::Store(d) => queries[ma][d] += x,
                        // Outside the system: no coupling between teams.
                        OpOwner::External(_) => {}
                    }
                }
            }
        }
        Traffic { calls, queries }
    }

    /// Mean calls per request between modules `a` and `b` in either direction (0 for a = b).
    pub fn between(&self, a: ModuleId, b: ModuleId) -> f64 {
        if a == b {
            0.0
        } else {
            self.calls[a][b] + self.calls[b][a]
        }
    }

    /// Data stores that both `a` and `b` query (with positive traffic), in store order.
    pub fn shared_stores(&self, a: ModuleId, b: ModuleId) -> Vec<StoreId> {
        (0..self.queries.first().map_or(0, Vec::len))
            .filter(|&d| self.queries[a][d] > 0.0 && self.queries[b][d] > 0.0)
            .collect()
    }
}

/// Every call of a step list, parallel branches and saga steps flattened.
pub(crate) fn step_calls(steps: &[Step]) -> impl Iterator<Item = &crate::scenario::Call> {
    steps.iter().flat_map(
        |st| -> Box<dyn Iterator<Item = &crate::scenario::Call> + '_> {
            match st {
                Step::Call(c) => Box::new(std::iter::once(c)),
                Step::Parallel(v) => Box::new(v.iter()),
                // The forward calls; compensations run only when a later step fails.
                Step::Saga(v) => Box::new(v.iter().map(|s| &s.call)),
                Step::Transaction(t) => Box::new(t.steps.iter().map(|s| &s.call)),
                // Each task once (its choices are not weighed).
                Step::Workflow(w) => Box::new(w.tasks.iter()),
            }
        },
    )
}

/// Whether module `a` has a call (of any probability) to module `b` in the logical model.
pub(crate) fn static_calls(s: &Scenario) -> Vec<Vec<bool>> {
    let nm = s.modules.len();
    let mut out = vec![vec![false; nm]; nm];
    for op in &s.ops {
        let OpOwner::Module(a) = op.owner else {
            continue;
        };
        for c in step_calls(&op.steps) {
            if let OpOwner::Module(b) = s.ops[c.op].owner {
                if c.p > 0.0 {
                    out[a][b] = true;
                }
            }
        }
    }
    out
}

/// Data stores each module's operations call (statically), per module, in store order.
pub(crate) fn static_stores(s: &Scenario) -> Vec<Vec<StoreId>> {
    let mut out = vec![Vec::new(); s.modules.len()];
    for op in &s.ops {
        let OpOwner::Module(a) = op.owner else {
            continue;
        };
        for c in step_calls(&op.steps) {
            if let OpOwner::Store(d) = s.ops[c.op].owner {
                if c.p > 0.0 && !out[a].contains(&d) {
                    out[a].push(d);
                }
            }
        }
    }
    for v in &mut out {
        v.sort_unstable();
    }
    out
}
