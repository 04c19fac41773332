//! Compiling the gateway: a plain gateway is a delay and a hop in front of every entry; a
//! gateway with node keys (or in front of a CDN) becomes a node whose operation per entry does
//! the overhead (and authentication) on its cores and forwards the request, or runs the entry's
//! operation when the gateway hosts it. The gateway node carries the rate limit and the route
//! caches.

use super::spec::{Gateway, GatewayNode};
use crate::components::cache;
use crate::components::{bit, Plans};
use crate::flow::topology::{CallKind, NodeKind, StationSpec, Topology, NO_CACHE};

/// Compiles gateway `g` in front of the entries (`entries[e]` names entry `e`; `entry_ops[e]`,
/// the operation its client calls, becomes the gateway's). `cdn`: a CDN will sit in front of
/// it (a plain gateway then becomes a pure-delay node so that the CDN comes first).
pub fn compile(
    g: &Gateway,
    cdn: bool,
    entries: &[&str],
    entry_ops: &mut [u32],
    topo: &mut Topology,
    plans: &mut Plans,
) {
    let plain = GatewayNode {
        replicas: 1,
        cores: f64::INFINITY,
        memory: 0,
        workers: u32::MAX,
        queue: None,
        auth_cpu: None,
        auth_op: None,
        rate_limit: None,
        route_cache: vec![None; entries.len()],
    };
    let gn = match (&g.node, cdn) {
        (Some(gn), _) => gn,
        (None, true) => &plain,
        (None, false) => {
            plans.gateway.overhead = Some(g.overhead.clone());
            topo.gateway_hop = true;
            return;
        }
    };
    let st = StationSpec {
        cores: gn.cores,
        workers: gn.workers,
        queue: gn.queue.unwrap_or(u32::MAX),
        // An event-loop proxy: a worker is held only while the request uses the CPU.
        async_io: true,
        dedicated: gn.workers as f64 <= gn.cores,
        ..StationSpec::delay()
    };
    let node = topo.add_node("gateway", NodeKind::Gateway, gn.replicas, st);
    plans.gateway.node = Some(node);
    topo.nodes[node as usize].memory_per_instance = gn.memory;
    if let Some(r) = gn.rate_limit {
        plans.rate_limit.limit = Some((r, node));
        topo.nodes[node as usize].hooks |= bit::rate_limit;
    }
    let auth = match (&gn.auth_cpu, gn.auth_op) {
        (Some(cpu), _) => {
            let a = topo.add_op("gateway: auth".into(), node, cpu.clone(), &[]);
            Some(cache::call_through(a, CallKind::Local, NO_CACHE))
        }
        // An auth operation hosted on the gateway runs on the same instance.
        (None, Some(op)) if topo.ops[op].node == node => {
            Some(cache::call_through(op as u32, CallKind::Local, NO_CACHE))
        }
        (None, Some(op)) => Some(cache::call_through(op as u32, CallKind::Remote, NO_CACHE)),
        (None, None) => None,
    };
    for (e, entry_op) in entry_ops.iter_mut().enumerate() {
        let name = format!("gateway: {}", entries[e]);
        let c = match gn.route_cache.get(e).cloned().flatten() {
            Some(spec) => cache::add(&mut plans.cache, name.clone(), spec),
            None => NO_CACHE,
        };
        let mut cs: Vec<_> = auth.iter().copied().collect();
        // An entry whose operation the gateway hosts runs it on the same instance.
        let target = *entry_op;
        let kind = if topo.ops[target as usize].node == node {
            CallKind::Local
        } else {
            CallKind::Forward
        };
        cs.push(cache::call_through(target, kind, c));
        *entry_op = topo.add_op(name, node, g.overhead.clone(), &cs);
    }
}
