//! An autoscaled unit in the results document: its instances and scaling over the measured
//! interval, combined over replications.

use super::{Plan, ScalerRep, NO_AUTOSCALE};
use crate::components::report::Replication;
use crate::stats::Stat;
use serde::{Deserialize, Serialize};

/// Instances of an autoscaled unit over the measured interval (`instances` of the node is then
/// its `max`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AutoscaleResult {
    /// Time-averaged instances provisioned (starting or ready); the unit's instance-hours are
    /// this × the measured hours, and its cost follows them.
    pub instances_mean: Stat,
    /// Fewest instances provisioned.
    pub instances_min: Stat,
    /// Most instances provisioned.
    pub instances_max: Stat,
    /// Syncs that changed the instance count.
    pub scaling_events: Stat,
}

/// The autoscaling figures of node `n`, if it is autoscaled (`reps`: the records of every
/// autoscaler, per replication).
pub fn node_result(
    plan: &Plan,
    n: usize,
    reps: &[Replication<'_, Vec<ScalerRep>>],
) -> Option<AutoscaleResult> {
    let a = plan.of_node[n];
    (a != NO_AUTOSCALE).then(|| {
        let a = a as usize;
        let st = |f: &dyn Fn(&ScalerRep) -> f64| Stat::over(reps, |r| f(&r.rep[a]));
        AutoscaleResult {
            instances_mean: st(&|x| x.instances_mean),
            instances_min: st(&|x| x.instances_min as f64),
            instances_max: st(&|x| x.instances_max as f64),
            scaling_events: st(&|x| x.scaling_events as f64),
        }
    })
}
