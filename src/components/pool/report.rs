//! Connection pools in the results document: a unit's pools (every instance, every database)
//! and their time series, combined over replications.

use super::{Plan, PoolsRep};
use crate::components::report::Replication;
use crate::flow::topology::Topology;
use crate::stats::{mean_series, Stat};
use serde::{Deserialize, Serialize};

/// The connection pools of a unit (every instance, every database), over the measured interval.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PoolResult {
    /// Connections over all the unit's pools.
    pub size: u32,
    /// Stat: time-averaged connections in use.
    pub in_use: Stat,
    /// Stat: saturation, `in_use / size`.
    pub saturation: Stat,
    /// Stat: time-averaged queries waiting for a connection.
    pub waiting: Stat,
    /// Stat: connections acquired.
    pub acquires: Stat,
    /// Stat: mean wait of an acquired connection \[s\].
    pub wait_mean_s: Stat,
    /// Stat: waits that ended in `pool_timeout`.
    pub timeouts: Stat,
}

/// The pool figures of node `n`, if its instances hold pools.
pub fn node_result(reps: &[Replication<'_, PoolsRep>], n: usize) -> Option<PoolResult> {
    let of = |r: &Replication<'_, PoolsRep>| r.rep.nodes.get(n).cloned().unwrap_or_default();
    let size = reps.first().map_or(0, |r| of(r).size);
    (size > 0).then(|| PoolResult {
        size,
        in_use: Stat::over(reps, |r| of(r).in_use),
        saturation: Stat::over(reps, |r| {
            let p = of(r);
            p.in_use / p.size.max(1) as f64
        }),
        waiting: Stat::over(reps, |r| of(r).waiting),
        acquires: Stat::over(reps, |r| of(r).acquires as f64),
        wait_mean_s: Stat::over(reps, |r| of(r).wait_s),
        timeouts: Stat::over(reps, |r| of(r).timeouts as f64),
    })
}

/// The pool series of one node, averaged over replications (empty for a node without pools).
#[derive(Debug, Clone, Default)]
pub struct PoolSeries {
    /// Connections in use / connections, per window.
    pub saturation: Vec<f64>,
    /// Time-averaged queries waiting for a connection, per window.
    pub waiting: Vec<f64>,
}

/// Per node of `topo`: its pool series (the series exist in every replication for the nodes
/// holding pools).
pub fn series(plan: &Plan, topo: &Topology, reps: &[Replication<'_, PoolsRep>]) -> Vec<PoolSeries> {
    let mut pooled = vec![false; topo.nodes.len()];
    for p in &plan.pools {
        pooled[topo.stations[p.station as usize].node as usize] = true;
    }
    pooled
        .iter()
        .enumerate()
        .map(|(n, &pooled)| {
            if pooled {
                PoolSeries {
                    saturation: mean_series(reps, |r| &r.rep.saturation[n]),
                    waiting: mean_series(reps, |r| &r.rep.waiting[n]),
                }
            } else {
                PoolSeries::default()
            }
        })
        .collect()
}
