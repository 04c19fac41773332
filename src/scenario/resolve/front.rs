//! The front door of each variant, resolved once the workload's entries and every variant's
//! nodes are known: the gateway as a node, explicit load balancers, cache nodes and the CDN,
//! each by its component's resolver.

use crate::components::cache::resolve::{caches, cdn, CacheScope};
use crate::components::gateway::resolve::node;
use crate::components::lb::resolve::load_balancer;
use crate::scenario::raw::RawScenario;
use crate::scenario::types::Variant;
use crate::spec::error::Sink;
use crate::spec::names::{NameList, Names};

/// Resolves the front-door keys of every variant into `variants`.
pub(super) fn front_door(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    names: &Names<'_>,
    variants: &mut [Variant],
) {
    for (vi, (rv, var)) in raw.variants.iter().zip(variants.iter_mut()).enumerate() {
        let vf = format!("variants[{vi}]");
        let v = rv.get();
        if let (Some(rg), Some(g)) = (&v.gateway, var.gateway.as_mut()) {
            g.node = node(s, rg.get(), &vf, names);
        }
        let unit_names: NameList<'_> = var.units.iter().map(|u| u.name.as_str()).collect();
        let mut taken: Vec<String> = var.units.iter().map(|u| u.name.clone()).collect();
        taken.extend(var.databases.iter().map(|d| d.name.clone()));
        taken.push("gateway".into());
        taken.push("cdn".into());
        let mut fronted: Vec<Option<usize>> = vec![None; var.units.len()];
        let mut load_balancers = Vec::new();
        for (li, rl) in v.load_balancers.iter().enumerate() {
            let lf = format!("{vf}.load_balancers[{li}]");
            let lb = load_balancer(s, rl.get(), &lf, &unit_names, &mut fronted, li, &taken);
            taken.push(lb.name.clone());
            load_balancers.push(lb);
        }
        let scope = CacheScope {
            vf: &vf,
            variant: &var.name,
            stores: &names.stores,
            store_db: &var.store_db,
        };
        let mut cache_nodes = caches(s, &v.caches, &scope, &mut taken);
        for c in &mut cache_nodes {
            let raw = v.caches.iter().find(|r| *r.get().name.get() == c.name);
            c.host =
                super::variant::host_named(&var.hosts, raw.and_then(|r| r.get().host.as_ref()));
        }
        let cdn = v
            .cdn
            .as_ref()
            .and_then(|rc| cdn(s, rc, &vf, &names.entries));
        var.load_balancers = load_balancers;
        var.caches = cache_nodes;
        var.cdn = cdn;
    }
}
