//! The front door of a variant: cache nodes, explicit load balancers, the gateway and the CDN,
//! each compiled by its component into ordinary nodes and synthetic operations (the gateway
//! route of an entry, the balancer's pass-through, a cache lookup) that pass the request on,
//! possibly answered by a cache. The engine then needs no special path beyond the components'
//! hooks.

use crate::components::{cache, gateway, lb, Plans};
use crate::flow::topology::Topology;
use crate::scenario::{OpOwner, Scenario, Variant, ON_GATEWAY};

/// Compiles the front door of `var` into `topo` and the components' plans; `entry_ops` (the
/// operation each entry's client calls) are rewritten to the outermost front node: the CDN,
/// then the gateway, then a load balancer.
pub(super) fn compile(
    s: &Scenario,
    var: &Variant,
    topo: &mut Topology,
    plans: &mut Plans,
    entry_ops: &mut [u32],
) {
    // Cache nodes redirect the reads of cached stores (before any synthetic call exists).
    // A read already redirected by an earlier cache node calls its lookup operation (a
    // synthetic one, beyond the scenario's operations): not a store read any more.
    let store_of = |op: usize| match s.ops.get(op).map(|o| o.owner) {
        Some(OpOwner::Store(st)) => Some(st),
        _ => None,
    };
    for c in &var.caches {
        cache::compile_node(c, &store_of, topo, &mut plans.cache);
    }
    let unit_of = |op: u32| match s.ops[op as usize].owner {
        OpOwner::Module(m) if var.module_unit[m] != ON_GATEWAY => Some(var.module_unit[m]),
        _ => None,
    };
    lb::compile(
        &var.load_balancers,
        &unit_of,
        entry_ops,
        topo,
        &mut plans.lb,
    );
    let entries: Vec<&str> = s.workload.entries.iter().map(|e| e.name.as_str()).collect();
    if let Some(g) = &var.gateway {
        gateway::compile(g, var.cdn.is_some(), &entries, entry_ops, topo, plans);
        debug_assert!(
            !var.module_unit.contains(&ON_GATEWAY)
                || plans
                    .gateway
                    .node
                    .is_some_and(|n| topo.ops.iter().any(|o| o.node == n)),
            "gateway-hosted operations were compiled onto another node"
        );
    }
    if let Some(cdn) = &var.cdn {
        cache::compile_cdn(cdn, &entries, entry_ops, topo, &mut plans.cache);
    }
}
