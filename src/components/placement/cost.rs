//! Placement's bill: each host is a VM of its size for the whole window, and bytes crossing
//! zones are billed per GB.

#[cfg(doc)]
use super::PlacementRep;
use super::Plan;
use crate::flow::topology::Topology;
use crate::spec::prices::{CostLine, Prices, ResourceKind};

/// One line per host of `plan` (`host/NAME`) over a window of `window_s` seconds: its EC2
/// instance type's hourly price, or, when the catalogue has none that large, its cores and
/// memory at the `vm` prices (a host without `memory` priced for the memory its instances and
/// the database, cache and broker servers on it need). What runs on a host is billed here
/// only.
pub fn host_lines(plan: &Plan, topo: &Topology, p: &Prices, window_s: f64) -> Vec<CostLine> {
    let hours = window_s / 3600.0;
    plan.hosts
        .iter()
        .map(|h| {
            let mem = h.memory.unwrap_or_else(|| {
                h.extra_memory
                    + h.stations
                        .iter()
                        .map(|&s| {
                            topo.nodes[topo.stations[s as usize].node as usize].memory_per_instance
                        })
                        .sum::<u64>()
            });
            let hourly = h.instance.as_ref().map_or_else(
                || h.cores * p.vm_vcpu_hour + mem as f64 / 1e9 * p.vm_gb_hour,
                |i| i.usd_per_hour(p),
            );
            CostLine {
                kind: ResourceKind::Host,
                name: h.name.clone(),
                window_usd: hourly * hours,
            }
        })
        .collect()
}

/// The line `cross_zone`, when bytes crossed zones (`cross_zone_bytes`: a replication's
/// [`PlacementRep::cross_zone_bytes`]).
pub fn cross_zone_line(cross_zone_bytes: f64, p: &Prices) -> Option<CostLine> {
    (cross_zone_bytes > 0.0).then(|| CostLine {
        kind: ResourceKind::Transfer,
        name: "cross_zone".into(),
        window_usd: cross_zone_bytes / 1e9 * p.cross_zone_per_gb,
    })
}
