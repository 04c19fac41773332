//! Compiling caches: a cache node in front of the reads of its stores (the reads are
//! redirected to a lookup operation on the cache node, which queries the database on a miss),
//! the CDN in front of its entries, and the cache a call may be answered by.

use super::spec::{CacheNode, Cdn};
use super::{CachePlan, CacheSpec, Plan};
use crate::components::bit;
use crate::flow::topology::{CallKind, CallPlan, NodeKind, StationSpec, Topology, NO_CACHE};

/// A direct call to `op` of `kind`, answered by cache `cache` on a hit ([`NO_CACHE`]: none).
pub fn call_through(op: u32, kind: CallKind, cache: u32) -> CallPlan {
    let mut c = CallPlan::direct(op, kind);
    if cache != NO_CACHE {
        c.cache = cache;
        c.hooks = bit::cache;
    }
    c
}

/// A new cache of `plan` named `name` deciding hits by `spec`; returns its index.
pub fn add(plan: &mut Plan, name: String, spec: CacheSpec) -> u32 {
    plan.caches.push(CachePlan::new(name, spec));
    (plan.caches.len() - 1) as u32
}

/// Compiles cache node `c`: a node, and a lookup operation per data-store read it caches, which
/// every database call of `topo` to that read now calls instead. `store_of(op)` is the data
/// store of operation `op` (`None` for a module's operation). Runs before any synthetic call
/// exists.
pub fn compile_node(
    c: &CacheNode,
    store_of: &dyn Fn(usize) -> Option<usize>,
    topo: &mut Topology,
    plan: &mut Plan,
) {
    let node = topo.add_node(&c.name, NodeKind::Cache, 1, StationSpec::delay());
    plan.nodes.push(node);
    plan.hosted.push(c.host.is_some());
    let cache = add(plan, c.name.clone(), c.spec.clone());
    let mut lookup_of: Vec<(u32, u32)> = Vec::new();
    for i in 0..topo.calls.len() {
        let cp = topo.calls[i];
        if cp.kind != CallKind::Database || cp.op == u32::MAX {
            continue;
        }
        let target = cp.op as usize;
        let Some(st) = store_of(target) else {
            continue;
        };
        if topo.ops[target].write || !c.stores.contains(&st) {
            continue;
        }
        let lookup = match lookup_of.iter().find(|(o, _)| *o == cp.op) {
            Some(&(_, l)) => l,
            None => {
                let l = topo.add_op(
                    format!("{}: {}", c.name, topo.ops[target].name),
                    node,
                    c.latency.clone(),
                    &[call_through(cp.op, CallKind::Database, cache)],
                );
                lookup_of.push((cp.op, l));
                l
            }
        };
        topo.calls[i].op = lookup;
    }
}

/// Compiles the CDN, outermost: a node whose operation per entry it serves answers a share of
/// the requests at the edge and forwards the others. `entries[e]` names entry `e`;
/// `entry_ops[e]` (the operation its client calls) becomes the CDN's.
pub fn compile_cdn(
    cdn: &Cdn,
    entries: &[&str],
    entry_ops: &mut [u32],
    topo: &mut Topology,
    plan: &mut Plan,
) {
    let node = topo.add_node("cdn", NodeKind::Cdn, 1, StationSpec::delay());
    topo.cdn_station = topo.nodes[node as usize].first_station;
    for &e in &cdn.entries {
        let name = format!("cdn: {}", entries[e]);
        let cache = add(plan, name.clone(), CacheSpec::Ratio(cdn.hit_ratio));
        entry_ops[e] = topo.add_op(
            name,
            node,
            cdn.latency.clone(),
            &[call_through(entry_ops[e], CallKind::Forward, cache)],
        );
    }
}
