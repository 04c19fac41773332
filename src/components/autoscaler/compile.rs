//! Compiling a unit's autoscaling into the autoscaler's plan.

use super::{Autoscale, AutoscalePlan, Plan};

/// Instances an autoscaled unit allocates up front: its `max` (at least its `initial`); the
/// instances beyond the initial ones stay down until the autoscaler starts them.
pub fn instances(spec: &Autoscale, initial: u32) -> u32 {
    spec.max.max(initial)
}

/// Compiles the autoscaling `spec` of the unit at `node` (`initial` instances ready at the
/// start) into `plan`; returns its index.
pub fn compile(node: u32, initial: u32, spec: &Autoscale, plan: &mut Plan) -> u32 {
    plan.scalers.push(AutoscalePlan {
        node,
        initial,
        spec: spec.clone(),
    });
    (plan.scalers.len() - 1) as u32
}
