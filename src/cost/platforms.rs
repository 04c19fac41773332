//! Compute cost: units by platform (`vm`, `container`, `kubernetes`, `serverless`) and database
//! servers.
//!
//! - `vm`: every instance for the whole window, per vCPU-hour and per GB-hour of its memory
//!   (base memory + modules).
//! - `container` (Fargate-like): the same with container prices; a task is billed at least
//!   `container_minimum_s`.
//! - `kubernetes`: the pods' requests (cores and memory of every instance of every kubernetes
//!   unit of the variant) are packed onto worker nodes: `nodes = max(⌈Σ cores / node vCPUs⌉,
//!   ⌈Σ memory / node memory⌉, 1)`, priced per node-hour; the node cost is split among the
//!   units by their share `max(cores share, memory share)` (normalized); the control-plane fee
//!   is a line of its own, `kubernetes_cluster`.
//! - `serverless`, priced by the function component (`crate::components::function::cost`):
//!   per request, per GB-s billed (each invocation rounded up to 1 ms), plus provisioned
//!   concurrency per GB-s provisioned and per GB-s executed on it; optionally minus the free
//!   tier prorated to the window (line `serverless_free_tier`).
//! - databases: per server vCPU-hour (`pricing = "hourly"`), the primary and each read replica
//!   alike, or per million reads and writes (`pricing = "request"`).
//! - hosts, priced by the placement component (`crate::components::placement::cost`): each
//!   `[[variants.hosts]]` is a VM of its size for the whole window (its cores and memory at the
//!   `vm` prices), a line `host NAME`; the units placed on hosts are not priced again (their
//!   line is 0).

use super::CostLine;
use super::Usage;
use crate::components::function::cost::ServerlessBill;
use crate::components::function::NO_FUNCTION;
use crate::components::lb::spec::LbProduct;
use crate::components::placement;
use crate::flow::topology::NodeKind;
use crate::flow::topology::Platform;
use crate::model::Model;
use crate::scenario::GatewayProduct;
use crate::spec::instances::{self, Family, Instance};
use crate::spec::prices::{Prices, ResourceKind};

/// Gigabytes in `bytes` (10⁹ bytes, as everywhere in archsim).
fn gb(bytes: u64) -> f64 {
    bytes as f64 / 1e9
}

/// `instances` instances of `cores` vCPUs and `memory` bytes each on `platform` (`vm` or
/// `container`; any other is priced as `vm`) over `hours`: the price of a unit's instances,
/// also used for the self-hosted gateway and load balancers. Each instance is billed as its
/// catalogue size `instance` when it has one (docs/cost.md, "Instance catalogue"), else pro
/// rata at the `vm_*` or `container_*` prices (larger than every offering). A container task
/// is billed at least `container_minimum_s`.
pub fn instances_usd(
    p: &Prices,
    platform: Platform,
    instances: f64,
    cores: f64,
    memory: u64,
    instance: Option<&Instance>,
    hours: f64,
) -> f64 {
    match platform {
        Platform::Container => {
            let billed_h = hours.max(p.container_minimum_s / 3600.0);
            let hourly = instance.map_or_else(
                || cores * p.container_vcpu_hour + gb(memory) * p.container_gb_hour,
                |i| i.usd_per_hour(p),
            );
            instances * hourly * billed_h
        }
        _ => {
            let hourly = instance.map_or_else(
                || cores * p.vm_vcpu_hour + gb(memory) * p.vm_gb_hour,
                |i| i.usd_per_hour(p),
            );
            instances * hourly * hours
        }
    }
}

/// The EC2 instance type a self-hosted gateway or balancer instance of `cores` vCPUs and
/// `memory` bytes runs on: the cheapest of the catalogue that fits (`None` when it is larger
/// than every type; it is then priced pro rata).
pub fn front_door_instance(cores: f64, memory: u64) -> Option<Instance> {
    instances::fit(Family::Ec2, cores, memory)
}

/// The self-hosted front door: the gateway (a node with `cores`, product `self_hosted`) and
/// each self-hosted load balancer, every instance at the `vm` prices for its size.
fn front_door_lines(m: &Model, hours: f64) -> Vec<CostLine> {
    let p = &m.prices;
    let mut lines = Vec::new();
    if m.gateway_product == Some(GatewayProduct::SelfHosted) {
        if let Some(g) = m.plans.gateway.node {
            let node = &m.topo.nodes[g as usize];
            if node.cores.is_finite() {
                lines.push(CostLine {
                    kind: ResourceKind::Gateway,
                    name: node.name.clone(),
                    window_usd: instances_usd(
                        p,
                        Platform::Vm,
                        node.instances as f64,
                        node.cores,
                        node.memory_per_instance,
                        front_door_instance(node.cores, node.memory_per_instance).as_ref(),
                        hours,
                    ),
                });
            }
        }
    }
    for (&n, product) in m.plans.lb.nodes.iter().zip(&m.plans.lb.products) {
        if let LbProduct::SelfHosted { cores, memory } = *product {
            let node = &m.topo.nodes[n as usize];
            lines.push(CostLine {
                kind: ResourceKind::Balancer,
                name: node.name.clone(),
                window_usd: instances_usd(
                    p,
                    Platform::Vm,
                    node.instances as f64,
                    cores,
                    memory,
                    front_door_instance(cores, memory).as_ref(),
                    hours,
                ),
            });
        }
    }
    lines
}

/// One line per unit and database, then `kubernetes_cluster` and `serverless_free_tier` when
/// they apply.
pub fn compute_lines(m: &Model, usage: &Usage<'_>, window_s: f64) -> Vec<CostLine> {
    let p = &m.prices;
    let hours = window_s / 3600.0;
    let empty = crate::flow::record::NodeUsage::default();
    // Kubernetes packing.
    let k8s: Vec<usize> = (0..m.topo.nodes.len())
        .filter(|&n| {
            m.topo.nodes[n].kind == NodeKind::Unit
                && m.topo.nodes[n].platform == Platform::Kubernetes
        })
        .collect();
    // Instances billed: the fixed count, or the time-averaged provisioned instances of an
    // autoscaled unit (its instance-hours over the window).
    let inst_of = |n: usize| match usage.nodes.get(n) {
        Some(u) if u.instances_mean > 0.0 => u.instances_mean,
        _ => m.topo.nodes[n].instances as f64,
    };
    let cpu_of = |n: usize| m.topo.nodes[n].cores * inst_of(n);
    let mem_of = |n: usize| gb(m.topo.nodes[n].memory_per_instance) * inst_of(n);
    let total_cpu: f64 = k8s.iter().map(|&n| cpu_of(n)).sum();
    let total_mem: f64 = k8s.iter().map(|&n| mem_of(n)).sum();
    let k8s_nodes = (total_cpu / p.kubernetes_node_vcpus)
        .ceil()
        .max((total_mem / p.kubernetes_node_memory_gb).ceil())
        .max(1.0);
    let share = |n: usize| {
        let c = if total_cpu > 0.0 {
            cpu_of(n) / total_cpu
        } else {
            0.0
        };
        let g = if total_mem > 0.0 {
            mem_of(n) / total_mem
        } else {
            0.0
        };
        c.max(g)
    };
    let share_sum: f64 = k8s.iter().map(|&n| share(n)).sum();

    let mut lines = Vec::with_capacity(m.topo.nodes.len() + 2);
    let mut serverless = ServerlessBill::default();
    for (n, node) in m.topo.nodes.iter().enumerate() {
        let u = usage.nodes.get(n).unwrap_or(&empty);
        let inst = inst_of(n);
        let kind = match node.kind {
            NodeKind::Database => ResourceKind::Database,
            _ if m.plans.function.of_node[n] != NO_FUNCTION => ResourceKind::Function,
            _ => ResourceKind::Unit,
        };
        let usd = match node.kind {
            // Priced as services (`services.rs`): per request, per hour and LCU, per cache-hour.
            NodeKind::Gateway
            | NodeKind::LoadBalancer
            | NodeKind::Cache
            | NodeKind::Cdn
            | NodeKind::External => continue,
            // A database server on a host is billed with the host.
            NodeKind::Database if m.plans.placement.hosted[n] => 0.0,
            NodeKind::Database => {
                if node.request_priced {
                    u.reads as f64 * p.database_per_million_reads / 1e6
                        + u.writes as f64 * p.database_per_million_writes / 1e6
                } else {
                    inst * node.cores * p.database_vcpu_hour * hours
                }
            }
            NodeKind::Unit if m.plans.function.of_node[n] != NO_FUNCTION => {
                let f = &m.plans.function.functions[m.plans.function.of_node[n] as usize];
                serverless.function(f, u, p, window_s)
            }
            NodeKind::Unit if m.plans.placement.hosted[n] => 0.0,
            NodeKind::Unit => match node.platform {
                Platform::Kubernetes => {
                    if share_sum > 0.0 {
                        k8s_nodes * p.kubernetes_node_hour * hours * share(n) / share_sum
                    } else {
                        k8s_nodes * p.kubernetes_node_hour * hours / k8s.len() as f64
                    }
                }
                platform => instances_usd(
                    p,
                    platform,
                    inst,
                    node.cores,
                    node.memory_per_instance,
                    node.instance.as_ref(),
                    hours,
                ),
            },
        };
        lines.push(CostLine {
            kind,
            name: node.name.clone(),
            window_usd: usd,
        });
    }
    lines.extend(placement::cost::host_lines(
        &m.plans.placement,
        &m.topo,
        p,
        window_s,
    ));
    lines.extend(front_door_lines(m, hours));
    if !k8s.is_empty() {
        lines.push(CostLine {
            kind: ResourceKind::Cluster,
            name: "kubernetes".into(),
            window_usd: p.kubernetes_cluster_hour * hours,
        });
    }
    lines.extend(serverless.free_tier(&m.plans.function, p, window_s));
    lines
}
