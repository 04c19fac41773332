//! Raw → validated: resolves names to ids, converts units, checks every invariant and limit,
//! and records a located diagnostic for each problem (as many as practical, not just the first).
//!
//! This module orchestrates the resolution of the whole file: the top level and the network
//! (here), the logical model (`model.rs`, its names in `refs.rs`, the call graph in
//! `calls.rs`), the workload (`workload.rs`, `arrival.rs`), the variants (`variant.rs`,
//! `unit.rs`) and their front door (`front.rs`), the organization keys (`org.rs`). Each
//! component's keys are resolved by its own resolver (`crate::components::NAME::resolve`),
//! which gets what it refers to by name as a [`Names`] or [`VariantNames`] table.

use std::collections::BTreeMap;

use super::raw::*;
use super::types::*;
use crate::components::faults::resolve::{self as faults_resolve, FaultScope};
use crate::components::faults::Fault;
use crate::kernel::dist::Dist;
use crate::spec::check::*;
use crate::spec::error::Sink;
use crate::spec::names::{NameList, Names, OpInfo, VariantNames};
use crate::spec::units::suggest;

mod arrival;
mod calls;
mod front;
mod model;
mod month;
mod org;
mod refs;
mod sizes;
mod tx;
mod unit;
mod variant;
mod workflows;
mod workload;
mod zero_time;

#[cfg(test)]
mod tests;

/// Default replications.
pub const DEFAULT_REPLICATIONS: u32 = 10;
/// Most replications accepted.
pub const MAX_REPLICATIONS: i64 = 100_000;

/// The logical model and what the entries reach, as the variants' resolution needs it.
struct Logical<'a> {
    refs: &'a refs::Refs<'a>,
    names: &'a Names<'a>,
    modules: &'a [Module],
    datastores: &'a [DataStore],
    ops: &'a [Operation],
    reachable: &'a [bool],
    via: &'a [Option<OpId>],
}

/// Resolves and validates the whole scenario; `None` if something essential is missing.
pub(crate) fn resolve(raw: &RawScenario, s: &mut Sink<'_>, strict_sizes: bool) -> Option<Scenario> {
    let (name, description, seed, replications) = header(s, raw);
    let network = network(s, raw.network.as_ref());
    let (teams, team_ids) = model::teams(s, raw);
    let mut refs = refs::Refs::new(s, raw);
    let mut ops: Vec<Operation> = Vec::new();
    let modules = model::modules(s, raw, &teams, &team_ids, &mut refs, &mut ops);
    let datastores = model::datastores(s, raw, &mut refs, &mut ops);
    let externals = model::externals(s, raw, &mut refs, &mut ops);
    let wfs = workflows::workflows(s, raw, &refs);
    let edges = model::calls(s, raw, &refs, &wfs, &modules, &mut ops);
    let (workload, workload_ok) = workload::workload(s, raw, &refs, &ops);
    let queues: Vec<String> = refs.queues.iter().map(|q| q.to_string()).collect();
    let (reachable, via) =
        calls::reachability(ops.len(), &edges, workload.entries.iter().map(|e| e.op));
    let names = names(&refs, &ops, &reachable, &workload);
    let logical = Logical {
        refs: &refs,
        names: &names,
        modules: &modules,
        datastores: &datastores,
        ops: &ops,
        reachable: &reachable,
        via: &via,
    };
    let mut variants = variants(s, raw, &logical);
    zero_time::publish_cycles(s, &ops, &edges, &network, &variants, &queues);
    front::front_door(s, raw, &names, &mut variants);
    let strict = strict_sizes || raw.strict_sizes.as_ref().is_some_and(|b| *b.get());
    sizes::sizes(s, raw, &modules, &mut variants, strict);
    let faults = faults(s, raw, &names, &variants);
    let prices = prices(s, raw.prices.as_ref());
    org::owners(s, raw, &team_ids, &modules, &mut variants);
    let evolution = org::evolution(s, raw, &variants);
    let delivery = org::delivery(s, raw, &teams, &team_ids);

    if !workload_ok {
        return None;
    }
    let slos = super::uncertain::resolve_slo(s, raw.slo.as_ref(), &workload);
    let month = month::month(s, raw.month.as_ref());
    Some(Scenario {
        name,
        description,
        seed,
        replications,
        network,
        workload,
        teams,
        modules,
        datastores,
        externals,
        workflows: wfs.specs.into_iter().flatten().collect(),
        ops,
        variants,
        faults,
        prices,
        evolution,
        delivery,
        queues,
        locks: refs.locks.iter().map(|l| l.to_string()).collect(),
        uncertain: None,
        slos,
        month,
    })
}

/// `name`, `description`, `seed` (default 1) and `replications`.
fn header(s: &mut Sink<'_>, raw: &RawScenario) -> (String, String, u64, u32) {
    let name = match &raw.name {
        Some(n) => {
            if n.get().trim().is_empty() {
                s.error(n.span(), "name", "the scenario name is empty", None);
            }
            n.get().clone()
        }
        None => {
            s.error(
                0..0,
                "name",
                "missing `name`: every scenario needs a display name",
                Some("add e.g. `name = \"Online shop\"` at the top of the file".into()),
            );
            String::new()
        }
    };
    let description = raw
        .description
        .as_ref()
        .map(|d| d.get().clone())
        .unwrap_or_default();
    let seed = raw
        .seed
        .as_ref()
        .and_then(|v| int(s, v, "seed", 0, i64::MAX, "the master seed"))
        .map_or(1, |x| x as u64);
    let replications = raw
        .replications
        .as_ref()
        .and_then(|v| {
            int(
                s,
                v,
                "replications",
                1,
                MAX_REPLICATIONS,
                "the number of Monte Carlo replications",
            )
        })
        .map_or(DEFAULT_REPLICATIONS, |x| x as u32);
    (name, description, seed, replications)
}

/// `[network]` over the defaults.
fn network(s: &mut Sink<'_>, raw: Option<&RawNetwork>) -> Network {
    // docs/sources.md: RTT same AZ 0.2–0.5 ms; marshalling 10–30 µs/KB per side.
    let mut network = Network {
        latency: Dist::lognormal(250e3, 0.5),
        marshal_per_kb_ns: 20e3,
        // docs/sources.md "RTT cross AZ" ~1–2 ms vs "RTT same AZ" 0.2–0.5 ms: ≈ 1 ms more per round
        // trip, 0.5 ms more per one-way hop.
        cross_zone_latency: Dist::lognormal(500e3, 0.5),
        // Zero by default: every result so far is measured at the front door, and the distance
        // to the clients depends on where they are (an assumption: docs/sources.md,
        // "client latency").
        client_latency: Dist::Const(0.0),
    };
    let Some(n) = raw else {
        return network;
    };
    if let Some(l) = &n.latency {
        if let Some(d) = dist(s, l, "network.latency") {
            network.latency = d;
        }
    }
    if let Some(m) = &n.marshal_per_kb {
        if let Some(x) = dur(s, m, "network.marshal_per_kb") {
            network.marshal_per_kb_ns = x;
        }
    }
    if let Some(l) = &n.cross_zone_latency {
        if let Some(d) = dist(s, l, "network.cross_zone_latency") {
            network.cross_zone_latency = d;
        }
    }
    if let Some(l) = &n.client_latency {
        if let Some(d) = dist(s, l, "network.client_latency") {
            network.client_latency = d;
        }
    }
    network
}

/// The names the components' resolvers look up: operations (with what the gateway needs to
/// know of them), the resolved workload's entries, modules, data stores and queues.
fn names<'a>(
    refs: &'a refs::Refs<'a>,
    ops: &[Operation],
    reachable: &[bool],
    workload: &'a Workload,
) -> Names<'a> {
    Names {
        ops: refs
            .ops
            .iter()
            .map(|(k, &id)| {
                let info = OpInfo {
                    id,
                    store: !matches!(ops[id].owner, OpOwner::Module(_)),
                    reachable: reachable[id],
                    calls: !ops[id].steps.is_empty(),
                };
                (k.as_str(), info)
            })
            .collect(),
        entries: workload.entries.iter().map(|e| e.name.as_str()).collect(),
        modules: refs.module_ops.iter().map(|(n, _)| *n).collect(),
        stores: refs.store_ops.iter().map(|(n, _)| *n).collect(),
        externals: refs.external_ops.iter().map(|(n, _)| *n).collect(),
        queues: NameList(refs.queues.clone()),
    }
}

/// Every `[[variants]]` (at least one, with unique names).
fn variants(s: &mut Sink<'_>, raw: &RawScenario, m: &Logical<'_>) -> Vec<Variant> {
    if raw.variants.is_empty() {
        s.error(
            0..0,
            "variants",
            "no variants: a scenario needs at least one `[[variants]]` with a `[[variants.units]]` holding every module",
            Some("add e.g.\n[[variants]]\nname = \"monolith\"\n[[variants.units]]\nname = \"app\"\nmodules = [ ...every module... ]".into()),
        );
    }
    duplicates(
        s,
        raw.variants
            .iter()
            .enumerate()
            .map(|(i, v)| (&v.get().name, format!("variants[{i}].name"))),
        "variant",
    );
    raw.variants
        .iter()
        .enumerate()
        .map(|(i, v)| variant::variant(s, v, i, m))
        .collect()
}

/// `[[faults]]`, with their targets looked up in every resolved variant.
fn faults(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    names: &Names<'_>,
    variants: &[Variant],
) -> Vec<Fault> {
    let scopes: Vec<FaultScope<'_>> = variants
        .iter()
        .map(|v| FaultScope {
            names: VariantNames {
                name: &v.name,
                units: v.units.iter().map(|u| u.name.as_str()).collect(),
                module_unit: &v.module_unit,
                databases: v.databases.iter().map(|d| d.name.as_str()).collect(),
                store_db: &v.store_db,
                gateway: v.gateway.is_some(),
                load_balancers: v.load_balancers.iter().map(|l| l.name.as_str()).collect(),
                caches: v.caches.iter().map(|c| c.name.as_str()).collect(),
                hosts: v.hosts.iter().map(|h| h.name.as_str()).collect(),
                zones: v.zones.iter().map(|z| z.as_str()).collect(),
            },
            placements: v.units.iter().map(|u| &u.placement).collect(),
            db_shares_host: v
                .databases
                .iter()
                .map(|d| d.host.is_some() && d.cpu_limit.is_none())
                .collect(),
        })
        .collect();
    faults_resolve::faults(s, &raw.faults, names, &scopes)
}
/// `[prices]`: the default price tables with the scenario's overrides.
fn prices(s: &mut Sink<'_>, raw: Option<&RawPrices>) -> crate::spec::prices::Prices {
    let mut p = crate::spec::prices::Prices::default();
    let Some(raw) = raw else {
        return p;
    };
    for ((key, v), (_, slot)) in raw.numeric().into_iter().zip(p.numeric_mut()) {
        let Some(v) = v else { continue };
        let positive = matches!(key, "kubernetes_node_vcpus" | "kubernetes_node_memory_gb");
        if let Some(x) = num(
            s,
            v,
            &format!("prices.{key}"),
            (0.0, !positive),
            1e9,
            if positive {
                "a node size"
            } else {
                "a price in US dollars"
            },
        ) {
            *slot = x;
        }
    }
    if let Some(b) = &raw.serverless_free_tier {
        p.serverless_free_tier = *b.get();
    }
    if let Some(b) = &raw.serverless_unbilled_init {
        p.serverless_unbilled_init = *b.get();
    }
    p
}
