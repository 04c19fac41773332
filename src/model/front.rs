//! Compiles the front-door components of a variant into ordinary nodes and operations: the
//! gateway (as a node), explicit load balancers, cache nodes and the CDN each become a node
//! whose instances run small synthetic operations (the gateway route of an entry, the
//! balancer's pass-through, a cache lookup) that pass the request on with a
//! [`CallKind::Forward`] or database call, possibly answered by a cache
//! ([`CallPlan::cache`]). The engine then needs no special path beyond the cache test and the
//! rate limiter.

use crate::components::cache::{CachePlan, CacheSpec};
use crate::components::{bit, Plans};
use crate::flow::topology::{CallKind, CallPlan, NodeKind, StationSpec, Topology, NO_CACHE};
use crate::scenario::{GatewayNode, OpOwner, Scenario, Variant, ON_GATEWAY};

/// A direct call to `op` of `kind`, possibly answered by cache `cache`.
fn call(op: u32, kind: CallKind, cache: u32) -> CallPlan {
    let mut c = CallPlan::direct(op, kind);
    if cache != NO_CACHE {
        c.cache = cache;
        c.hooks = bit::cache;
    }
    c
}

fn cache_plan(plans: &mut Plans, name: String, spec: CacheSpec) -> u32 {
    plans.cache.caches.push(CachePlan::new(name, spec));
    (plans.cache.caches.len() - 1) as u32
}

/// Compiles the front door of `var` into `p` and the components' plans; `entry_ops` (the
/// operation each entry's client calls) are rewritten to the outermost front node.
pub(super) fn compile(
    s: &Scenario,
    var: &Variant,
    p: &mut Topology,
    plans: &mut Plans,
    entry_ops: &mut [u32],
) {
    let n_entries = s.workload.entries.len();

    // ---- cache nodes: redirect reads of cached stores (before any synthetic call exists) ----
    for c in &var.caches {
        let node = p.add_node(&c.name, NodeKind::Cache, 1, StationSpec::delay());
        plans.cache.nodes.push(node);
        let cache = cache_plan(plans, c.name.clone(), c.spec.clone());
        let mut lookup_of: Vec<(u32, u32)> = Vec::new();
        for i in 0..p.calls.len() {
            let cp = p.calls[i];
            if cp.kind != CallKind::Database || cp.op == u32::MAX {
                continue;
            }
            let target = cp.op as usize;
            let OpOwner::Store(st) = s.ops[target].owner else {
                continue;
            };
            if s.ops[target].write || !c.stores.contains(&st) {
                continue;
            }
            let lookup = match lookup_of.iter().find(|(o, _)| *o == cp.op) {
                Some(&(_, l)) => l,
                None => {
                    let l = p.add_op(
                        format!("{}: {}", c.name, s.ops[target].name),
                        node,
                        c.latency.clone(),
                        &[call(cp.op, CallKind::Database, cache)],
                    );
                    lookup_of.push((cp.op, l));
                    l
                }
            };
            p.calls[i].op = lookup;
        }
    }

    // ---- load balancers: in front of the entry requests of their units ----
    let mut lb_of_unit: Vec<Option<(u32, usize)>> = vec![None; var.units.len()];
    for (li, lb) in var.load_balancers.iter().enumerate() {
        let st = StationSpec {
            workers: lb.capacity,
            queue: 0,
            ..StationSpec::delay()
        };
        let node = p.add_node(&lb.name, NodeKind::LoadBalancer, lb.replicas, st);
        plans.lb.nodes.push(node);
        for &u in &lb.units {
            lb_of_unit[u] = Some((node, li));
            if let Some(alg) = lb.algorithm {
                p.nodes[u].lb = alg;
            }
        }
    }
    let mut lb_op: Vec<(u32, u32)> = Vec::new();
    for entry_op in entry_ops.iter_mut() {
        let target = *entry_op;
        let OpOwner::Module(m) = s.ops[target as usize].owner else {
            continue;
        };
        if var.module_unit[m] == ON_GATEWAY {
            continue;
        }
        let Some((node, li)) = lb_of_unit[var.module_unit[m]] else {
            continue;
        };
        let op = match lb_op.iter().find(|(t, _)| *t == target) {
            Some(&(_, o)) => o,
            None => {
                let lb = &var.load_balancers[li];
                let o = p.add_op(
                    format!("{}: {}", lb.name, s.ops[target as usize].name),
                    node,
                    lb.latency.clone(),
                    &[call(target, CallKind::Forward, NO_CACHE)],
                );
                lb_op.push((target, o));
                o
            }
        };
        *entry_op = op;
    }

    // ---- the gateway as a node ----
    let gw = var.gateway.as_ref().and_then(|g| {
        let node = g.node.clone().or_else(|| {
            // A CDN in front of a plain gateway: the gateway becomes a pure-delay node so that
            // the CDN comes first.
            var.cdn.as_ref().map(|_| GatewayNode {
                replicas: 1,
                cores: f64::INFINITY,
                workers: u32::MAX,
                queue: None,
                auth_cpu: None,
                auth_op: None,
                rate_limit: None,
                route_cache: vec![None; n_entries],
            })
        })?;
        Some((g, node))
    });
    if let Some((g, gn)) = gw {
        let st = StationSpec {
            cores: gn.cores,
            workers: gn.workers,
            queue: gn.queue.unwrap_or(u32::MAX),
            // An event-loop proxy: a worker is held only while the request uses the CPU.
            async_io: true,
            dedicated: gn.workers as f64 <= gn.cores,
            ..StationSpec::delay()
        };
        let node = p.add_node("gateway", NodeKind::Gateway, gn.replicas, st);
        debug_assert!(
            !var.module_unit.contains(&ON_GATEWAY) || p.ops.iter().any(|o| o.node == node),
            "gateway-hosted operations were compiled onto another node"
        );
        plans.gateway.node = Some(node);
        if let Some(r) = gn.rate_limit {
            plans.rate_limit.limit = Some((r, node));
            p.nodes[node as usize].hooks |= bit::rate_limit;
        }
        let auth = match (&gn.auth_cpu, gn.auth_op) {
            (Some(cpu), _) => {
                let a = p.add_op("gateway: auth".into(), node, cpu.clone(), &[]);
                Some(call(a, CallKind::Local, NO_CACHE))
            }
            // An auth operation hosted on the gateway runs on the same instance.
            (None, Some(op)) if p.ops[op].node == node => {
                Some(call(op as u32, CallKind::Local, NO_CACHE))
            }
            (None, Some(op)) => Some(call(op as u32, CallKind::Remote, NO_CACHE)),
            (None, None) => None,
        };
        #[allow(clippy::needless_range_loop)]
        for e in 0..n_entries {
            let cache = match gn.route_cache.get(e).cloned().flatten() {
                Some(spec) => cache_plan(
                    plans,
                    format!("gateway: {}", s.workload.entries[e].name),
                    spec,
                ),
                None => NO_CACHE,
            };
            let mut cs: Vec<CallPlan> = auth.iter().copied().collect();
            // An entry whose operation the gateway hosts runs it on the same instance.
            let target = entry_ops[e];
            let kind = if p.ops[target as usize].node == node {
                CallKind::Local
            } else {
                CallKind::Forward
            };
            cs.push(call(target, kind, cache));
            entry_ops[e] = p.add_op(
                format!("gateway: {}", s.workload.entries[e].name),
                node,
                g.overhead.clone(),
                &cs,
            );
        }
    }

    // ---- the CDN, outermost ----
    if let Some(cdn) = &var.cdn {
        let node = p.add_node("cdn", NodeKind::Cdn, 1, StationSpec::delay());
        p.cdn_station = p.nodes[node as usize].first_station;
        for &e in &cdn.entries {
            let cache = cache_plan(
                plans,
                format!("cdn: {}", s.workload.entries[e].name),
                CacheSpec::Ratio(cdn.hit_ratio),
            );
            entry_ops[e] = p.add_op(
                format!("cdn: {}", s.workload.entries[e].name),
                node,
                cdn.latency.clone(),
                &[call(entry_ops[e], CallKind::Forward, cache)],
            );
        }
    }
}
