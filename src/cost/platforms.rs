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
//! - `serverless`: per request, per GB-s billed (each invocation rounded up to 1 ms), plus
//!   provisioned concurrency per GB-s provisioned and per GB-s executed on it; optionally minus
//!   the free tier prorated to the window (line `serverless_free_tier`).
//! - databases: per server vCPU-hour (`pricing = "hourly"`), the primary and each read replica
//!   alike, or per million reads and writes (`pricing = "request"`).
//! - hosts: each `[[variants.hosts]]` is a VM of its size for the whole window (its cores and
//!   memory at the `vm` prices), a line `host NAME`; the units placed on hosts are not priced
//!   again (their line is 0).

use super::Usage;
use super::{CostLine, HOURS_PER_MONTH};
use crate::components::function::NO_FUNCTION;
use crate::flow::topology::NodeKind;
use crate::flow::topology::Platform;
use crate::model::Model;
use crate::spec::prices::{FREE_TIER_GB_S, FREE_TIER_REQUESTS};

/// Gigabytes in `bytes` (10⁹ bytes, as everywhere in archsim).
fn gb(bytes: u64) -> f64 {
    bytes as f64 / 1e9
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
    let mut sl_requests = 0.0;
    let mut sl_gb_s = 0.0;
    for (n, node) in m.topo.nodes.iter().enumerate() {
        let u = usage.nodes.get(n).unwrap_or(&empty);
        let inst = inst_of(n);
        let usd = match node.kind {
            // Priced as services (`services.rs`): per request, per hour and LCU, per cache-hour.
            NodeKind::Gateway | NodeKind::LoadBalancer | NodeKind::Cache | NodeKind::Cdn => {
                continue
            }
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
                let g = gb(f.memory);
                let gb_s = u.billed_ms as f64 / 1000.0 * g;
                sl_requests += u.invocations as f64;
                sl_gb_s += gb_s;
                u.invocations as f64 * p.serverless_per_million_requests / 1e6
                    + gb_s * p.serverless_gb_second
                    + f.provisioned as f64 * g * window_s * p.serverless_provisioned_gb_second
                    + u.billed_ms_provisioned as f64 / 1000.0
                        * g
                        * p.serverless_provisioned_executed_gb_second
            }
            NodeKind::Unit if m.plans.placement.hosted[n] => 0.0,
            NodeKind::Unit => match node.platform {
                Platform::Container => {
                    let billed_h = hours.max(p.container_minimum_s / 3600.0);
                    inst * (node.cores * p.container_vcpu_hour
                        + gb(node.memory_per_instance) * p.container_gb_hour)
                        * billed_h
                }
                Platform::Kubernetes => {
                    if share_sum > 0.0 {
                        k8s_nodes * p.kubernetes_node_hour * hours * share(n) / share_sum
                    } else {
                        k8s_nodes * p.kubernetes_node_hour * hours / k8s.len() as f64
                    }
                }
                Platform::Vm | Platform::Serverless => {
                    inst * (node.cores * p.vm_vcpu_hour
                        + gb(node.memory_per_instance) * p.vm_gb_hour)
                        * hours
                }
            },
        };
        lines.push(CostLine {
            name: node.name.clone(),
            window_usd: usd,
        });
    }
    for h in &m.plans.placement.hosts {
        // A host without `memory` is priced for the memory its instances need.
        let mem = h.memory.unwrap_or_else(|| {
            h.stations
                .iter()
                .map(|&s| {
                    m.topo.nodes[m.topo.stations[s as usize].node as usize].memory_per_instance
                })
                .sum()
        });
        lines.push(CostLine {
            name: format!("host {}", h.name),
            window_usd: (h.cores * p.vm_vcpu_hour + gb(mem) * p.vm_gb_hour) * hours,
        });
    }
    if !k8s.is_empty() {
        lines.push(CostLine {
            name: "kubernetes_cluster".into(),
            window_usd: p.kubernetes_cluster_hour * hours,
        });
    }
    if p.serverless_free_tier && !m.plans.function.functions.is_empty() {
        let frac = window_s / (HOURS_PER_MONTH * 3600.0);
        let credit = sl_requests.min(FREE_TIER_REQUESTS * frac) * p.serverless_per_million_requests
            / 1e6
            + sl_gb_s.min(FREE_TIER_GB_S * frac) * p.serverless_gb_second;
        lines.push(CostLine {
            name: "serverless_free_tier".into(),
            window_usd: -credit,
        });
    }
    lines
}
