//! Units, databases and external services: their nodes and instances, and the components that live on them
//! (serverless functions, autoscalers, hosts and zones, connection pools), each compiled by its
//! component.

use crate::components::autoscaler::{self, NO_AUTOSCALE};
use crate::components::external;
use crate::components::function::{self, NO_FUNCTION};
use crate::components::placement::spec::Placement;
use crate::components::placement::Hosts;
use crate::components::pool;
use crate::components::{bit, Plans};
use crate::flow::topology::{Node, NodeKind, Platform, StationSpec, Topology, NO_HOST, NO_ZONE};
use crate::scenario::{DbPricing, Io, Scenario, Unit, Variant};

/// Compiles the units and databases of `var` into `topo` and the components' plans; returns
/// the memory provisioned \[bytes\].
pub(super) fn compile(s: &Scenario, var: &Variant, topo: &mut Topology, plans: &mut Plans) -> u64 {
    let mut memory = 0u64;
    let mut hosts = Hosts::new(var.hosts.len());
    for u in &var.units {
        memory += unit(s, var, u, topo, plans, &mut hosts);
    }
    topo.db_base = topo.nodes.len() as u32;
    for d in &var.databases {
        let node = topo.nodes.len() as u32;
        let first_station = topo.stations.len() as u32;
        // A database on a host is placed like a unit's instances: its server and replicas
        // share the host's cores (or have their `cpu_limit`), in the host's zone.
        let on_host = d.host.map(|h| Placement {
            hosts: vec![h],
            cpu_limit: d.cpu_limit,
            zones: Vec::new(),
        });
        let mut hooks = 0;
        for i in 0..=d.read_replicas as usize {
            let station = topo.stations.len() as u32;
            let (cores, host, zone) = match &on_host {
                Some(pl) => {
                    let site = hosts.place(pl, &var.hosts, i, station, false, d.cores);
                    (site.cores, site.shared_host, site.zone)
                }
                None => (d.cores, NO_HOST, d.zone.map_or(NO_ZONE, |z| z as u32)),
            };
            if host != NO_HOST || zone != NO_ZONE {
                hooks |= bit::placement;
            }
            topo.stations.push(StationSpec {
                node,
                cores,
                speed: 1.0,
                workers: d.max_connections,
                queue: u32::MAX,
                async_io: false,
                shed_max_wait: 0,
                dedicated: host == NO_HOST && d.max_connections as f64 <= cores,
                host,
                zone,
            });
        }
        let instances = 1 + d.read_replicas;
        let mut n = Node::plain(
            &d.name,
            NodeKind::Database,
            first_station,
            instances,
            d.cores,
        );
        n.request_priced = d.pricing == DbPricing::Request;
        n.read_replicas = d.read_replicas;
        n.memory_per_instance = d.memory;
        n.hooks |= hooks;
        topo.nodes.push(n);
        plans.placement.hosted.resize(node as usize, false);
        plans.placement.hosted.push(d.host.is_some());
    }
    // The externals come right after the databases, before the components' front-door nodes.
    external::compile(&s.externals, s.ops.len(), topo, &mut plans.external);
    plans.placement.hosts = hosts.finish(&var.hosts);
    plans.placement.cross_zone_latency = s.network.cross_zone_latency.clone();
    plans.function.account_concurrency = var.account_concurrency;
    let unit_pools: Vec<_> = var.units.iter().map(|u| u.pool).collect();
    pool::compile(&unit_pools, var.databases.len(), topo, &mut plans.pool);
    memory
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
    let autoscale = u.autoscale.as_ref().filter(|_| !serverless);
    let instances = autoscale.map_or(initial, |a| autoscaler::instances(a, initial));
    let module_mem: u64 = u.modules.iter().map(|&m| s.modules[m].memory).sum();
    let per_instance = if serverless {
        0
    } else {
        u.base_memory + module_mem
    };
    let mut memory = per_instance * initial as u64;
    let node = topo.nodes.len() as u32;
    let mut hooks = 0;
    let scaler = match autoscale {
        Some(a) => {
            hooks |= bit::autoscaler;
            autoscaler::compile(node, initial, a, &mut plans.autoscaler)
        }
        None => NO_AUTOSCALE,
    };
    let f = if serverless {
        hooks |= bit::function;
        let (f, provisioned) = function::compile(node, u.memory, &u.function, &mut plans.function);
        memory += provisioned;
        f
    } else {
        NO_FUNCTION
    };
    let first_station = topo.stations.len() as u32;
    for i in 0..instances as usize {
        let station = topo.stations.len() as u32;
        let site = hosts.place(&u.placement, &var.hosts, i, station, serverless, u.cores);
        if site.shared_host != NO_HOST || site.zone != NO_ZONE {
            hooks |= bit::placement;
        }
        topo.stations.push(if serverless {
            StationSpec {
                node,
                speed: function::speed(u.memory),
                ..StationSpec::delay()
            }
        } else {
            StationSpec {
                node,
                cores: site.cores,
                speed: 1.0,
                workers: u.workers,
                queue: u.queue.unwrap_or(u32::MAX),
                async_io: u.io == Io::Async,
                shed_max_wait: u.shed.map_or(0, |p| p.max_wait),
                dedicated: false,
                host: site.shared_host,
                zone: site.zone,
            }
        });
    }
    let cores = if serverless { f64::INFINITY } else { u.cores };
    let mut n = Node::plain(&u.name, NodeKind::Unit, first_station, instances, cores);
    n.lb = u.lb;
    n.serverless = serverless;
    n.memory_per_instance = per_instance;
    n.platform = u.platform;
    n.restart_delay = u.restart_delay;
    n.elastic = scaler != NO_AUTOSCALE;
    n.hooks = hooks;
    n.instance = u.instance.clone();
    topo.nodes.push(n);
    plans.function.of_node.push(f);
    plans.autoscaler.of_node.push(scaler);
    plans
        .placement
        .hosted
        .push(!u.placement.hosts.is_empty() && !serverless);
    memory
}
