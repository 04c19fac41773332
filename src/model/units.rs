//! Units and databases: their nodes and instances, and the components that live on them
//! (serverless functions, autoscalers, hosts and zones, connection pools).

use crate::components::autoscaler::{AutoscalePlan, NO_AUTOSCALE};
use crate::components::function::{FunctionPlan, NO_FUNCTION};
use crate::components::placement::HostPlan;
use crate::components::pool::{PoolPlan, NO_POOL};
use crate::components::{bit, Plans};
use crate::flow::topology::{Node, NodeKind, Platform, StationSpec, Topology, NO_HOST, NO_ZONE};
use crate::scenario::{DbPricing, Io, Scenario, Unit, Variant};

/// vCPU share of a serverless function with `memory` bytes: 1,769 MB = 1 vCPU (docs/sources.md,
/// serverless "memory / CPU"), capped at one core per request since one invocation is one
/// thread.
pub fn serverless_speed(memory: Option<u64>) -> f64 {
    match memory {
        Some(m) => (m as f64 / 1_769e6).clamp(0.01, 1.0),
        None => 1.0,
    }
}

/// Memory of a serverless function whose unit gives none: one full vCPU (speed 1), billed as
/// 1,769 MB.
pub const DEFAULT_FUNCTION_MEMORY: u64 = 1_769_000_000;

/// Compiles the units and databases of `var` into `topo` and the components' plans; returns
/// the memory provisioned \[bytes\].
pub(super) fn compile(s: &Scenario, var: &Variant, topo: &mut Topology, plans: &mut Plans) -> u64 {
    let mut memory = 0u64;
    let mut hosts = Hosts::new(var);
    for u in &var.units {
        memory += unit(s, var, u, topo, plans, &mut hosts);
    }
    topo.db_base = topo.nodes.len() as u32;
    for d in &var.databases {
        let node = topo.nodes.len() as u32;
        let first_station = topo.stations.len() as u32;
        for _ in 0..=d.read_replicas {
            topo.stations.push(StationSpec {
                node,
                cores: d.cores,
                speed: 1.0,
                workers: d.max_connections,
                queue: u32::MAX,
                async_io: false,
                shed_max_wait: 0,
                dedicated: d.max_connections as f64 <= d.cores,
                host: NO_HOST,
                zone: d.zone.map_or(NO_ZONE, |z| z as u32),
            });
        }
        let mut n = Node::plain(
            &d.name,
            NodeKind::Database,
            first_station,
            1 + d.read_replicas,
            d.cores,
        );
        n.request_priced = d.pricing == DbPricing::Request;
        n.read_replicas = d.read_replicas;
        if d.zone.is_some() {
            n.hooks |= bit::placement;
        }
        topo.nodes.push(n);
        plans.placement.hosted.push(false);
        plans.function.of_node.push(NO_FUNCTION);
        plans.autoscaler.of_node.push(NO_AUTOSCALE);
    }
    plans.placement.hosts = hosts.finish(var);
    plans.placement.cross_zone_latency = s.network.cross_zone_latency.clone();
    plans.function.account_concurrency = var.account_concurrency;
    pools(var, topo, plans);
    memory
}

/// The instances placed on each host, while the units are compiled.
struct Hosts {
    stations: Vec<Vec<u32>>,
    shared: Vec<Vec<u32>>,
    limited: Vec<f64>,
}

impl Hosts {
    fn new(var: &Variant) -> Hosts {
        Hosts {
            stations: vec![Vec::new(); var.hosts.len()],
            shared: vec![Vec::new(); var.hosts.len()],
            limited: vec![0.0; var.hosts.len()],
        }
    }

    fn finish(mut self, var: &Variant) -> Vec<HostPlan> {
        var.hosts
            .iter()
            .enumerate()
            .map(|(h, x)| HostPlan {
                name: x.name.clone(),
                cores: x.cores,
                shared_cores: (x.cores - self.limited[h]).max(0.0),
                memory: x.memory,
                shared: std::mem::take(&mut self.shared[h]),
                stations: std::mem::take(&mut self.stations[h]),
            })
            .collect()
    }
}

/// Compiles unit `u`; returns the memory it provisions \[bytes\].
fn unit(
    s: &Scenario,
    var: &Variant,
    u: &Unit,
    topo: &mut Topology,
    plans: &mut Plans,
    hosts: &mut Hosts,
) -> u64 {
    let serverless = u.platform == Platform::Serverless;
    let initial = if serverless { 1 } else { u.replicas.max(1) };
    // Autoscaled: `max` instances allocated up front, the others down until started.
    let instances = match &u.autoscale {
        Some(a) if !serverless => a.max.max(initial),
        _ => initial,
    };
    let module_mem: u64 = u.modules.iter().map(|&m| s.modules[m].memory).sum();
    let per_instance = if serverless {
        0
    } else {
        u.base_memory + module_mem
    };
    let mut memory = per_instance * initial as u64;
    let node = topo.nodes.len() as u32;
    let mut hooks = 0;
    let autoscale = match &u.autoscale {
        Some(a) if !serverless => {
            plans.autoscaler.scalers.push(AutoscalePlan {
                node,
                initial,
                spec: a.clone(),
            });
            hooks |= bit::autoscaler;
            (plans.autoscaler.scalers.len() - 1) as u32
        }
        _ => NO_AUTOSCALE,
    };
    let function = if serverless {
        let fn_memory = u.memory.unwrap_or(DEFAULT_FUNCTION_MEMORY);
        let f = &u.function;
        memory += fn_memory * f.provisioned as u64;
        plans.function.functions.push(FunctionPlan {
            node,
            memory: fn_memory,
            cold_start: f.cold_start.clone(),
            keep_alive: f.keep_alive,
            max_duration: f.max_duration,
            reserved: f.reserved,
            provisioned: f.provisioned,
            burst_limit: f.burst_limit,
            burst_interval: f.burst_interval,
        });
        hooks |= bit::function;
        (plans.function.functions.len() - 1) as u32
    } else {
        NO_FUNCTION
    };
    let first_station = topo.stations.len() as u32;
    let pl = &u.placement;
    for i in 0..instances as usize {
        let host = pl.hosts.get(i % pl.hosts.len().max(1)).copied();
        let zone = match host {
            Some(h) => var.hosts[h].zone,
            None => pl.zones.get(i % pl.zones.len().max(1)).copied(),
        }
        .map_or(NO_ZONE, |z| z as u32);
        let shared_host = match (host, pl.cpu_limit) {
            (Some(h), None) if !serverless => h as u32,
            _ => NO_HOST,
        };
        if let Some(h) = host {
            hosts.stations[h].push(topo.stations.len() as u32);
            if shared_host != NO_HOST {
                hosts.shared[h].push(topo.stations.len() as u32);
            } else if let Some(l) = pl.cpu_limit {
                hosts.limited[h] += l;
            }
        }
        if shared_host != NO_HOST || zone != NO_ZONE {
            hooks |= bit::placement;
        }
        topo.stations.push(if serverless {
            StationSpec {
                node,
                speed: serverless_speed(u.memory),
                ..StationSpec::delay()
            }
        } else {
            StationSpec {
                node,
                cores: match (host, pl.cpu_limit) {
                    (Some(h), None) => var.hosts[h].cores,
                    (_, Some(l)) => l,
                    (None, None) => u.cores,
                },
                speed: 1.0,
                workers: u.workers,
                queue: u.queue.unwrap_or(u32::MAX),
                async_io: u.io == Io::Async,
                shed_max_wait: u.shed.map_or(0, |p| p.max_wait),
                dedicated: false,
                host: shared_host,
                zone,
            }
        });
    }
    let mut n = Node::plain(
        &u.name,
        NodeKind::Unit,
        first_station,
        instances,
        if serverless { f64::INFINITY } else { u.cores },
    );
    n.lb = u.lb;
    n.serverless = serverless;
    n.memory_per_instance = per_instance;
    n.platform = u.platform;
    n.restart_delay = u.restart_delay;
    n.elastic = autoscale != NO_AUTOSCALE;
    n.hooks = hooks;
    topo.nodes.push(n);
    plans.function.of_node.push(function);
    plans.autoscaler.of_node.push(autoscale);
    plans
        .placement
        .hosted
        .push(!pl.hosts.is_empty() && !serverless);
    memory
}

/// Connection pools: one per instance of a unit with `pool` and per database.
fn pools(var: &Variant, topo: &mut Topology, plans: &mut Plans) {
    let n_dbs = var.databases.len();
    plans.pool.first = vec![NO_POOL; topo.stations.len()];
    for (ui, u) in var.units.iter().enumerate() {
        let Some(p) = u.pool else {
            continue;
        };
        if n_dbs == 0 {
            continue;
        }
        let node = &mut topo.nodes[ui];
        node.hooks |= bit::pool;
        for st in node.stations() {
            plans.pool.first[st as usize] = plans.pool.pools.len() as u32;
            for d in 0..n_dbs {
                plans.pool.pools.push(PoolPlan {
                    station: st,
                    db: topo.db_base + d as u32,
                    size: p.size,
                    acquire_timeout: p.acquire_timeout,
                });
            }
        }
    }
}
