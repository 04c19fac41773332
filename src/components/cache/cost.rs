//! The caches' bill: a cache-hour for the gateway's response cache (however many routes
//! cache) and for each cache node; the CDN's lookups are not billed.

use super::Plan;
use crate::flow::topology::{NodeKind, Topology, NO_CACHE};
use crate::spec::prices::{CostLine, Prices, ResourceKind};

/// Which part of the deployment a cache belongs to: the node that looks it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOwner {
    /// A route cache of the API gateway.
    GatewayRoute,
    /// The CDN's cache of an entry.
    Cdn,
    /// A cache node in front of data-store reads.
    Node,
}

/// Per cache of `plan` (indexed like [`Plan::caches`]): its owner, the kind of the node whose
/// operation makes the call the cache answers (`None` for a cache no call uses).
///
/// # Complexity
/// O(operations + calls).
pub fn owners(plan: &Plan, topo: &Topology) -> Vec<Option<CacheOwner>> {
    let mut out = vec![None; plan.caches.len()];
    for (o, op) in topo.ops.iter().enumerate() {
        let owner = match topo.nodes.get(op.node as usize).map(|n| n.kind) {
            Some(NodeKind::Gateway) => CacheOwner::GatewayRoute,
            Some(NodeKind::Cdn) => CacheOwner::Cdn,
            Some(NodeKind::Cache) => CacheOwner::Node,
            _ => continue,
        };
        for step in topo.op_steps(o) {
            for c in &topo.calls[step.first as usize..(step.first + step.len) as usize] {
                if c.cache != NO_CACHE {
                    if let Some(x) = out.get_mut(c.cache as usize) {
                        *x = Some(owner);
                    }
                }
            }
        }
    }
    out
}

/// The line `gateway_cache` when a gateway route caches, then one line per cache node (named
/// after it) not on a host, over a window of `window_s` seconds.
pub fn lines(plan: &Plan, topo: &Topology, p: &Prices, window_s: f64) -> Vec<CostLine> {
    let hours = window_s / 3600.0;
    let mut lines = Vec::new();
    if owners(plan, topo).contains(&Some(CacheOwner::GatewayRoute)) {
        lines.push(CostLine {
            kind: ResourceKind::Cache,
            name: "gateway_cache".into(),
            window_usd: hours * p.cache_hour,
        });
    }
    for (i, &n) in plan.nodes.iter().enumerate() {
        if plan.hosted.get(i).copied().unwrap_or(false) {
            continue; // billed with its host
        }
        lines.push(CostLine {
            kind: ResourceKind::Cache,
            name: topo.nodes[n as usize].name.clone(),
            window_usd: hours * p.cache_hour,
        });
    }
    lines
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn owners_follow_the_node_that_looks_the_cache_up() {
        let text = r#"name = "owners"
[workload]
duration = "10s"
[[workload.entries]]
name = "req"
op = "back.work"
arrival = { process = "poisson", rate = 10 }
[[workload.entries]]
name = "home"
op = "back.home"
arrival = { process = "poisson", rate = 10 }
[modules.back]
ops.work = { cpu = "1ms", calls = [{ op = "items.get" }] }
ops.home = { cpu = "1ms" }
[datastores.items]
ops.get = { time = "1ms", kind = "read" }
[[variants]]
name = "v"
cdn = { entries = ["home"], hit_ratio = 0.9 }
[variants.gateway]
replicas = 2
[[variants.gateway.routes]]
entry = "req"
cache = { hit_ratio = 0.5 }
[[variants.caches]]
name = "redis"
stores = ["items"]
hit_ratio = 0.5
[[variants.units]]
name = "back"
modules = ["back"]
[[variants.databases]]
name = "db"
stores = ["items"]
"#;
        let s = crate::scenario::parse(text, "owners.toml").unwrap();
        let m = crate::model::Model::compile(&s, 0);
        let owners: Vec<(&str, Option<CacheOwner>)> = m
            .plans
            .cache
            .caches
            .iter()
            .map(|c| c.name.as_str())
            .zip(owners(&m.plans.cache, &m.topo))
            .collect();
        assert_eq!(
            owners,
            [
                ("redis", Some(CacheOwner::Node)),
                ("gateway: req", Some(CacheOwner::GatewayRoute)),
                ("cdn: home", Some(CacheOwner::Cdn)),
            ]
        );
        let names: Vec<String> = lines(&m.plans.cache, &m.topo, &m.prices, 3600.0)
            .into_iter()
            .map(|l| l.name)
            .collect();
        assert_eq!(names, ["gateway_cache", "redis"]);
    }
}
