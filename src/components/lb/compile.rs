//! Compiling explicit load balancers: a node in front of the entry requests of the units it
//! fronts, with a pass-through operation per entry it serves.

use super::spec::LoadBalancer;
use super::Plan;
use crate::flow::topology::{CallKind, CallPlan, NodeKind, StationSpec, Topology};

/// Compiles `lbs`: their nodes and, for every entry whose operation runs on a unit they front
/// (`unit_of(op)`: the unit running operation `op`, `None` when it is not a unit's), a
/// pass-through operation that becomes the entry's (`entry_ops`). Their algorithm, if given,
/// becomes the fronted units'.
pub fn compile(
    lbs: &[LoadBalancer],
    unit_of: &dyn Fn(u32) -> Option<usize>,
    entry_ops: &mut [u32],
    topo: &mut Topology,
    plan: &mut Plan,
) {
    let mut lb_of_unit: Vec<Option<(u32, usize)>> = vec![None; topo.unit_count()];
    for (li, lb) in lbs.iter().enumerate() {
        let st = StationSpec {
            workers: lb.capacity,
            queue: 0,
            ..StationSpec::delay()
        };
        let node = topo.add_node(&lb.name, NodeKind::LoadBalancer, lb.replicas, st);
        plan.nodes.push(node);
        plan.products.push(lb.product);
        for &u in &lb.units {
            lb_of_unit[u] = Some((node, li));
            if let Some(alg) = lb.algorithm {
                topo.nodes[u].lb = alg;
            }
        }
    }
    let mut lb_op: Vec<(u32, u32)> = Vec::new();
    for entry_op in entry_ops.iter_mut() {
        let target = *entry_op;
        let Some((node, li)) = unit_of(target).and_then(|u| lb_of_unit[u]) else {
            continue;
        };
        let op = match lb_op.iter().find(|(t, _)| *t == target) {
            Some(&(_, o)) => o,
            None => {
                let lb = &lbs[li];
                let o = topo.add_op(
                    format!("{}: {}", lb.name, topo.ops[target as usize].name),
                    node,
                    lb.latency.clone(),
                    &[CallPlan::direct(target, CallKind::Forward)],
                );
                lb_op.push((target, o));
                o
            }
        };
        *entry_op = op;
    }
}
