//! Compiles the front-door components of a variant into ordinary nodes and operations: the
//! gateway (as a node), explicit load balancers, cache nodes and the CDN each become a node
//! whose instances run small synthetic operations (the gateway route of an entry, the
//! balancer's pass-through, a cache lookup) that pass the request on with a
//! [`CallKind::Forward`] or database call, possibly answered by a cache
//! ([`CallPlan::cache`]). The engine then needs no special path beyond the cache test and the
//! rate limiter.

use super::{
    CallKind, CallPlan, Node, NodeKind, OpPlan, StationSpec, StepPlan, NO_AUTOSCALE, NO_CACHE,
    NO_FUNCTION, NO_HOST, NO_POLICY, NO_ZONE,
};
use crate::components::cache::CachePlan;
use crate::components::cache::CacheSpec;
use crate::components::lb::LbAlgorithm;
use crate::components::rate_limit::RateLimit;
use crate::kernel::dist::Dist;
use crate::scenario::{GatewayNode, OpOwner, Platform, Scenario, Variant, ON_GATEWAY};

/// The model's vectors the front door extends.
pub(super) struct Parts<'a> {
    pub nodes: &'a mut Vec<Node>,
    pub stations: &'a mut Vec<StationSpec>,
    pub ops: &'a mut Vec<OpPlan>,
    pub steps: &'a mut Vec<StepPlan>,
    pub calls: &'a mut Vec<CallPlan>,
    /// The operation each entry's client calls (rewritten to the outermost front node).
    pub entry_ops: &'a mut Vec<u32>,
}

/// What the front door adds to the model besides nodes and operations.
pub(super) struct Front {
    pub caches: Vec<CachePlan>,
    pub rate_limit: Option<(RateLimit, u32)>,
    pub gateway_node: Option<u32>,
    pub lb_nodes: Vec<u32>,
    pub cache_nodes: Vec<u32>,
    /// The CDN's station, [`super::NO_STATION`] without a CDN.
    pub cdn_station: u32,
}

fn call(op: u32, kind: CallKind, cache: u32) -> CallPlan {
    CallPlan {
        op,
        kind,
        p: 1.0,
        count: 1,
        timeout: 0,
        policy: NO_POLICY,
        direct: true,
        aux: 0,
        cache,
    }
}

impl Parts<'_> {
    /// A node of `kind` with `instances` identical stations.
    fn node(&mut self, name: &str, kind: NodeKind, instances: u32, st: StationSpec) -> u32 {
        let node = self.nodes.len() as u32;
        let first_station = self.stations.len() as u32;
        for _ in 0..instances {
            self.stations.push(StationSpec { node, ..st });
        }
        self.nodes.push(Node {
            name: name.to_string(),
            kind,
            first_station,
            instances,
            lb: LbAlgorithm::RoundRobin,
            serverless: false,
            memory_per_instance: 0,
            cores: st.cores,
            platform: Platform::Vm,
            function: NO_FUNCTION,
            request_priced: false,
            hooked: false,
            read_replicas: 0,
            hosted: false,
            autoscale: NO_AUTOSCALE,
            restart_delay: 0,
        });
        node
    }

    /// A synthetic operation on `node` doing `demand` of CPU then the calls, one step each.
    fn op(&mut self, name: String, node: u32, demand: Dist, calls: &[CallPlan]) -> u32 {
        let first_step = self.steps.len() as u32;
        for c in calls {
            self.steps.push(StepPlan {
                first: self.calls.len() as u32,
                len: 1,
            });
            self.calls.push(*c);
        }
        self.ops.push(OpPlan {
            name,
            node,
            demand,
            marshal_ns: 0.0,
            first_step,
            steps: calls.len() as u32,
            write: false,
            errors: 0.0,
            payload: 0.0,
        });
        (self.ops.len() - 1) as u32
    }
}

/// A station that delays each request by its demand and never queues (∞ cores, unlimited
/// workers), with `workers`/`queue` overridden by the caller where it has a capacity.
fn delay_station() -> StationSpec {
    StationSpec {
        node: 0,
        cores: f64::INFINITY,
        speed: 1.0,
        workers: u32::MAX,
        queue: u32::MAX,
        async_io: false,
        shed_max_wait: 0,
        dedicated: true,
        host: NO_HOST,
        zone: NO_ZONE,
    }
}

fn cache_plan(front: &mut Front, name: String, spec: CacheSpec) -> u32 {
    front.caches.push(CachePlan::new(name, spec));
    (front.caches.len() - 1) as u32
}

/// Compiles the front door of `var` into `p`.
pub(super) fn compile(s: &Scenario, var: &Variant, mut p: Parts<'_>) -> Front {
    let mut front = Front {
        caches: Vec::new(),
        rate_limit: None,
        gateway_node: None,
        lb_nodes: Vec::new(),
        cache_nodes: Vec::new(),
        cdn_station: super::NO_STATION,
    };
    let n_entries = s.workload.entries.len();

    // ---- cache nodes: redirect reads of cached stores (before any synthetic call exists) ----
    for c in &var.caches {
        let node = p.node(&c.name, NodeKind::Cache, 1, delay_station());
        front.cache_nodes.push(node);
        let cache = cache_plan(&mut front, c.name.clone(), c.spec.clone());
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
                    let l = p.op(
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
            ..delay_station()
        };
        let node = p.node(&lb.name, NodeKind::LoadBalancer, lb.replicas, st);
        front.lb_nodes.push(node);
        for &u in &lb.units {
            lb_of_unit[u] = Some((node, li));
            if let Some(alg) = lb.algorithm {
                p.nodes[u].lb = alg;
            }
        }
    }
    let mut lb_op: Vec<(u32, u32)> = Vec::new();
    for e in 0..n_entries {
        let target = p.entry_ops[e];
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
                let o = p.op(
                    format!("{}: {}", lb.name, s.ops[target as usize].name),
                    node,
                    lb.latency.clone(),
                    &[call(target, CallKind::Forward, NO_CACHE)],
                );
                lb_op.push((target, o));
                o
            }
        };
        p.entry_ops[e] = op;
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
            ..delay_station()
        };
        let node = p.node("gateway", NodeKind::Gateway, gn.replicas, st);
        debug_assert!(
            !var.module_unit.contains(&ON_GATEWAY) || p.ops.iter().any(|o| o.node == node),
            "gateway-hosted operations were compiled onto another node"
        );
        front.gateway_node = Some(node);
        if let Some(r) = gn.rate_limit {
            front.rate_limit = Some((r, node));
            p.nodes[node as usize].hooked = true;
        }
        let auth = match (&gn.auth_cpu, gn.auth_op) {
            (Some(cpu), _) => {
                let a = p.op("gateway: auth".into(), node, cpu.clone(), &[]);
                Some(call(a, CallKind::Local, NO_CACHE))
            }
            // An auth operation hosted on the gateway runs on the same instance.
            (None, Some(op)) if p.ops[op].node == node => {
                Some(call(op as u32, CallKind::Local, NO_CACHE))
            }
            (None, Some(op)) => Some(call(op as u32, CallKind::Remote, NO_CACHE)),
            (None, None) => None,
        };
        for e in 0..n_entries {
            let cache = match gn.route_cache.get(e).cloned().flatten() {
                Some(spec) => cache_plan(
                    &mut front,
                    format!("gateway: {}", s.workload.entries[e].name),
                    spec,
                ),
                None => NO_CACHE,
            };
            let mut cs: Vec<CallPlan> = auth.iter().copied().collect();
            // An entry whose operation the gateway hosts runs it on the same instance.
            let target = p.entry_ops[e];
            let kind = if p.ops[target as usize].node == node {
                CallKind::Local
            } else {
                CallKind::Forward
            };
            cs.push(call(target, kind, cache));
            p.entry_ops[e] = p.op(
                format!("gateway: {}", s.workload.entries[e].name),
                node,
                g.overhead.clone(),
                &cs,
            );
        }
    }

    // ---- the CDN, outermost ----
    if let Some(cdn) = &var.cdn {
        let node = p.node("cdn", NodeKind::Cdn, 1, delay_station());
        front.cdn_station = p.nodes[node as usize].first_station;
        for &e in &cdn.entries {
            let cache = cache_plan(
                &mut front,
                format!("cdn: {}", s.workload.entries[e].name),
                CacheSpec::Ratio(cdn.hit_ratio),
            );
            p.entry_ops[e] = p.op(
                format!("cdn: {}", s.workload.entries[e].name),
                node,
                cdn.latency.clone(),
                &[call(p.entry_ops[e], CallKind::Forward, cache)],
            );
        }
    }
    front
}
