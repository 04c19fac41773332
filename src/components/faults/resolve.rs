//! `[[faults]]` → [`Fault`]s with their targets resolved in every variant, each problem a
//! located diagnostic.

use std::ops::Range;

use super::raw::{RawFault, RawFaultKind};
use super::{Fault, FaultKind, FaultTarget, RandomFailures};
use crate::components::placement::spec::Placement;
use crate::spec::check::{dur, dur_positive, int, num};
use crate::spec::error::Sink;
use crate::spec::limits::MAX_REPLICAS;
use crate::spec::names::{Names, VariantNames, ON_GATEWAY};
use crate::spec::raw::Sp;
use crate::spec::units::did_you_mean;

/// One resolved variant as the faults see it: its nodes by name and where its units run.
pub(crate) struct FaultScope<'a> {
    /// The variant's nodes.
    pub names: VariantNames<'a>,
    /// Placement of each unit (by unit id).
    pub placements: Vec<&'a Placement>,
    /// Per database: its server shares its host's cores (on a host without `cpu_limit`).
    pub db_shares_host: Vec<bool>,
}

/// Resolves `[[faults]]` against every variant; the faults with a problem are left out.
pub(crate) fn faults(
    s: &mut Sink<'_>,
    raw: &[Sp<RawFault>],
    names: &Names<'_>,
    variants: &[FaultScope<'_>],
) -> Vec<Fault> {
    raw.iter()
        .enumerate()
        .filter_map(|(i, rf)| fault(s, rf, &format!("faults[{i}]"), names, variants))
        .collect()
}

/// What a fault hits: per variant, its targets, or for a partition its two groups.
#[derive(Default)]
struct Hits {
    targets: Vec<Vec<FaultTarget>>,
    groups: Vec<[Vec<FaultTarget>; 2]>,
    name: Option<String>,
}

/// Fault `rf` at field path `f`; `None` if anything in it is wrong.
fn fault(
    s: &mut Sink<'_>,
    rf: &Sp<RawFault>,
    f: &str,
    names: &Names<'_>,
    variants: &[FaultScope<'_>],
) -> Option<Fault> {
    let r = rf.get();
    let kind_name = kind_name(*r.kind.get());
    let mut ok = keys_of_other_kinds(s, r, f, kind_name);
    let kind = kind(s, r, f);
    let mut valid = |x: Option<Option<u64>>| -> Option<u64> {
        if x == Some(None) {
            ok = false;
        }
        x.flatten()
    };
    let at = valid(
        r.at.as_ref()
            .map(|v| dur(s, v, &format!("{f}.at")).map(|x| x.round() as u64)),
    );
    let duration = valid(
        r.duration
            .as_ref()
            .map(|v| dur_positive(s, v, &format!("{f}.duration"), "the fault's duration")),
    );
    let instances = valid(r.instances.as_ref().map(|v| {
        int(
            s,
            v,
            &format!("{f}.instances"),
            1,
            MAX_REPLICAS,
            "instances crashed",
        )
        .map(|x| x as u64)
    }));
    let random = random(s, rf, f, &mut ok);
    let kind = kind?;
    let mut hits = Hits {
        name: r.name.as_ref().map(|n| n.get().clone()),
        ..Hits::default()
    };
    ok &= match kind {
        FaultKind::Partition => partition(s, rf, f, names, variants, &mut hits),
        FaultKind::Outage { zone } => outage(s, rf, f, zone, kind_name, variants, &mut hits),
        _ => nodes(s, rf, f, kind_name, names, variants, &mut hits),
    };
    if let (FaultKind::Slow { .. }, Some(t)) = (kind, &r.target) {
        ok &= slow_on_own_cores(s, t, f, variants, &hits.targets);
    }
    if random.is_some()
        && hits
            .targets
            .iter()
            .flatten()
            .any(|t| *t == FaultTarget::Gateway)
    {
        s.error(
            r.target.as_ref().map_or(rf.span(), |t| t.span()),
            format!("{f}.target"),
            "random failures apply to unit and database instances, not to the gateway",
            None,
        );
        ok = false;
    }
    ok.then(|| Fault {
        name: hits.name.unwrap_or_default(),
        kind,
        targets: hits.targets,
        groups: hits.groups,
        instances: instances.map(|x| x as u32),
        at: at.unwrap_or(0),
        duration,
        random,
    })
}

/// The kind's name in the file.
fn kind_name(k: RawFaultKind) -> &'static str {
    match k {
        RawFaultKind::Crash => "crash",
        RawFaultKind::Slow => "slow",
        RawFaultKind::CpuHog => "cpu_hog",
        RawFaultKind::Error => "error",
        RawFaultKind::Latency => "latency",
        RawFaultKind::Partition => "partition",
        RawFaultKind::HostOutage => "host_outage",
        RawFaultKind::ZoneOutage => "zone_outage",
    }
}

/// Reports the keys that belong to another kind; `false` if there is one.
fn keys_of_other_kinds(s: &mut Sink<'_>, r: &RawFault, f: &str, kind_name: &str) -> bool {
    let mut ok = true;
    let mut only = |present: Option<Range<usize>>, key: &str, kinds: &str| {
        if let Some(span) = present {
            s.error(
                span,
                format!("{f}.{key}"),
                format!("`{key}` does not apply to kind = \"{kind_name}\""),
                Some(format!("`{key}` is for kind = {kinds}")),
            );
            ok = false;
        }
    };
    let is = |k: RawFaultKind| *r.kind.get() == k;
    if !is(RawFaultKind::Slow) {
        only(r.factor.as_ref().map(|x| x.span()), "factor", "\"slow\"");
    }
    if !is(RawFaultKind::CpuHog) {
        only(r.cores.as_ref().map(|x| x.span()), "cores", "\"cpu_hog\"");
    }
    if !is(RawFaultKind::Error) {
        only(r.rate.as_ref().map(|x| x.span()), "rate", "\"error\"");
    }
    if !is(RawFaultKind::Latency) {
        only(r.added.as_ref().map(|x| x.span()), "added", "\"latency\"");
    }
    if !is(RawFaultKind::Partition) {
        only(
            r.groups.as_ref().map(|x| x.span()),
            "groups",
            "\"partition\"",
        );
    }
    if !is(RawFaultKind::Crash) {
        only(
            r.instances.as_ref().map(|x| x.span()),
            "instances",
            "\"crash\"",
        );
        only(r.mtbf.as_ref().map(|x| x.span()), "mtbf", "\"crash\"");
        only(r.mttr.as_ref().map(|x| x.span()), "mttr", "\"crash\"");
    }
    ok
}

/// The kind with its parameter (`factor`, `rate` or `added`).
fn kind(s: &mut Sink<'_>, r: &RawFault, f: &str) -> Option<FaultKind> {
    match r.kind.get() {
        RawFaultKind::HostOutage => Some(FaultKind::Outage { zone: false }),
        RawFaultKind::ZoneOutage => Some(FaultKind::Outage { zone: true }),
        RawFaultKind::Crash => Some(FaultKind::Crash),
        RawFaultKind::Partition => Some(FaultKind::Partition),
        RawFaultKind::Slow => match &r.factor {
            Some(v) => num(
                s,
                v,
                &format!("{f}.factor"),
                (0.0, false),
                1000.0,
                "the service-demand multiplier",
            )
            .map(|factor| FaultKind::Slow { factor }),
            None => {
                s.error(r.kind.span(), format!("{f}.factor"), "a `slow` fault needs `factor`, the service-demand multiplier (e.g. factor = 5.0)", None);
                None
            }
        },
        RawFaultKind::CpuHog => match &r.cores {
            Some(v) => num(
                s,
                v,
                &format!("{f}.cores"),
                (0.0, false),
                crate::spec::limits::MAX_CORES,
                "the cores the runaway process burns",
            )
            .map(|cores| FaultKind::CpuHog { cores }),
            None => {
                s.error(r.kind.span(), format!("{f}.cores"), "a `cpu_hog` fault needs `cores`, the cores the runaway process burns in each instance (e.g. cores = 1)", None);
                None
            }
        },
        RawFaultKind::Error => match &r.rate {
            Some(v) => num(
                s,
                v,
                &format!("{f}.rate"),
                (0.0, true),
                1.0,
                "the probability a request fails",
            )
            .map(|rate| FaultKind::Error { rate }),
            None => {
                s.error(r.kind.span(), format!("{f}.rate"), "an `error` fault needs `rate`, the probability a request to the target fails (e.g. rate = 0.3)", None);
                None
            }
        },
        RawFaultKind::Latency => match &r.added {
            Some(v) => dur_positive(s, v, &format!("{f}.added"), "the added latency")
                .map(|added| FaultKind::Latency { added }),
            None => {
                s.error(r.kind.span(), format!("{f}.added"), "a `latency` fault needs `added`, the delay added per call (e.g. added = \"200ms\")", None);
                None
            }
        },
    }
}

/// Random failures (`mtbf` with `mttr`), which exclude `at` and `duration`.
fn random(s: &mut Sink<'_>, rf: &Sp<RawFault>, f: &str, ok: &mut bool) -> Option<RandomFailures> {
    let r = rf.get();
    match (&r.mtbf, &r.mttr) {
        (None, None) => None,
        (Some(a), Some(b)) => {
            if let Some(x) =
                r.at.as_ref()
                    .map(|x| x.span())
                    .or(r.duration.as_ref().map(|x| x.span()))
            {
                s.error(x, format!("{f}.at"), "random failures (`mtbf`, `mttr`) run the whole time; `at` and `duration` do not apply", None);
                *ok = false;
            }
            match (
                dur_positive(s, a, &format!("{f}.mtbf"), "the mean time between failures"),
                dur_positive(s, b, &format!("{f}.mttr"), "the mean time to repair"),
            ) {
                (Some(mtbf), Some(mttr)) => Some(RandomFailures { mtbf, mttr }),
                _ => {
                    *ok = false;
                    None
                }
            }
        }
        (Some(a), None) | (None, Some(a)) => {
            s.error(
                a.span(),
                format!("{f}.mtbf"),
                "random failures need both `mtbf` and `mttr`",
                None,
            );
            *ok = false;
            None
        }
    }
}

/// Resolves a fault target name in variant `v`.
fn target(name: &str, v: &VariantNames<'_>, names: &Names<'_>) -> Option<FaultTarget> {
    if name == "gateway" && v.gateway {
        return Some(FaultTarget::Gateway);
    }
    if let Some(u) = v.units.id(name) {
        return Some(FaultTarget::Unit(u));
    }
    if let Some(m) = names.modules.id(name) {
        if v.module_unit[m] == ON_GATEWAY {
            return Some(FaultTarget::Gateway);
        }
        // A module in no unit (an error of the variant, reported there) has no instance.
        let u = v.module_unit[m];
        return (u < v.units.names().len()).then_some(FaultTarget::Unit(u));
    }
    if let Some(d) = v.databases.id(name) {
        return Some(FaultTarget::Database(d));
    }
    if let Some(l) = v.load_balancers.id(name) {
        return Some(FaultTarget::LoadBalancer(l));
    }
    if let Some(c) = v.caches.id(name) {
        return Some(FaultTarget::Cache(c));
    }
    if let Some(st) = names.stores.id(name) {
        return v.store_db[st].map(FaultTarget::Database);
    }
    if let Some(e) = names.externals.id(name) {
        return Some(FaultTarget::External(e));
    }
    None
}

/// Whether `name` is a module that variant `v` places in no unit: an error of the variant,
/// reported with it, so a fault on it says nothing more.
fn unplaced_module(name: &str, v: &VariantNames<'_>, names: &Names<'_>) -> bool {
    names.modules.id(name).is_some_and(|m| {
        let u = v.module_unit[m];
        u != ON_GATEWAY && u >= v.units.names().len()
    })
}

/// "targets in variant `v`: …", every name a fault may target there.
fn target_help(v: &VariantNames<'_>, names: &Names<'_>) -> String {
    let mut all: Vec<&str> = v.units.names().to_vec();
    all.extend(names.modules.names());
    all.extend(v.databases.names());
    all.extend(v.load_balancers.names());
    all.extend(v.caches.names());
    all.extend(names.externals.names());
    if v.gateway {
        all.push("gateway");
    }
    all.sort_unstable();
    all.dedup();
    format!("targets in variant `{}`: {}", v.name, all.join(", "))
}

/// The two `groups` of a partition, per variant; `false` if a name or the groups are wrong.
fn partition(
    s: &mut Sink<'_>,
    rf: &Sp<RawFault>,
    f: &str,
    names: &Names<'_>,
    variants: &[FaultScope<'_>],
    hits: &mut Hits,
) -> bool {
    let r = rf.get();
    let mut ok = true;
    if let Some(t) = &r.target {
        s.error(
            t.span(),
            format!("{f}.target"),
            "a partition has `groups`, not `target`",
            Some("groups = [[\"orders\"], [\"payments\"]]".into()),
        );
        ok = false;
    }
    match &r.groups {
        Some(g) if g.get().len() == 2 && g.get().iter().all(|x| !x.get().is_empty()) => {
            for v in variants.iter().map(|x| &x.names) {
                let mut pair: [Vec<FaultTarget>; 2] = [Vec::new(), Vec::new()];
                for (gi, grp) in g.get().iter().enumerate() {
                    for (ni, n) in grp.get().iter().enumerate() {
                        match target(n.get(), v, names) {
                            Some(t) => {
                                if !pair[gi].contains(&t) {
                                    pair[gi].push(t)
                                }
                            }
                            None if unplaced_module(n.get(), v, names) => ok = false,
                            None => {
                                s.error(n.span(), format!("{f}.groups[{gi}][{ni}]"), format!("`{}` is no unit, module, database or data store of variant `{}`", n.get(), v.name), Some(target_help(v, names)));
                                ok = false;
                            }
                        }
                    }
                }
                hits.groups.push(pair);
                hits.targets.push(Vec::new());
            }
            hits.name.get_or_insert_with(|| {
                let g = g.get();
                let side = |i: usize| {
                    g[i].get()
                        .iter()
                        .map(|n| n.get().as_str())
                        .collect::<Vec<_>>()
                        .join("+")
                };
                format!("partition {} | {}", side(0), side(1))
            });
        }
        _ => {
            s.error(r.groups.as_ref().map_or(rf.span(), |g| g.span()), format!("{f}.groups"), "a partition needs `groups`: two non-empty lists of units, modules, databases or data stores", Some("groups = [[\"orders\"], [\"payments\", \"inventory\"]]".into()));
            ok = false;
        }
    }
    ok
}

/// The host (or zone) of a `host_outage` (`zone_outage`), per variant; `false` if it is no
/// host (zone) of any variant.
fn outage<'v, 'a>(
    s: &mut Sink<'_>,
    rf: &Sp<RawFault>,
    f: &str,
    zone: bool,
    kind_name: &str,
    variants: &'v [FaultScope<'a>],
    hits: &mut Hits,
) -> bool {
    let what = if zone { "zone" } else { "host" };
    let Some(t) = &rf.get().target else {
        s.error(
            rf.span(),
            format!("{f}.target"),
            format!("a `{kind_name}` fault needs `target`: a {what} name"),
            None,
        );
        return false;
    };
    let places = |v: &'v FaultScope<'a>| {
        if zone {
            &v.names.zones
        } else {
            &v.names.hosts
        }
    };
    let mut found = false;
    for v in variants {
        let ix = places(v).id(t.get());
        found |= ix.is_some();
        hits.targets.push(
            ix.map(|i| {
                if zone {
                    FaultTarget::Zone(i)
                } else {
                    FaultTarget::Host(i)
                }
            })
            .into_iter()
            .collect(),
        );
    }
    hits.name
        .get_or_insert_with(|| format!("{kind_name} {}", t.get()));
    if found {
        return true;
    }
    let mut known: Vec<&str> = variants
        .iter()
        .flat_map(|v| places(v).names().iter().copied())
        .collect();
    known.sort_unstable();
    known.dedup();
    let list = if known.is_empty() {
        format!("no variant has a {what}: declare them with [[variants.hosts]] (and `zone`)")
    } else {
        format!("{what}s: {}", known.join(", "))
    };
    let help = match did_you_mean(t.get(), known.iter().copied()) {
        Some(m) => format!("did you mean `{m}`? {list}"),
        None => list,
    };
    s.error(
        t.span(),
        format!("{f}.target"),
        format!("`{}` is no {what} of any variant", t.get()),
        Some(help),
    );
    false
}

/// The node a crash, slow, error or latency fault targets, per variant; `false` if it is
/// missing or unknown in a variant.
fn nodes(
    s: &mut Sink<'_>,
    rf: &Sp<RawFault>,
    f: &str,
    kind_name: &str,
    names: &Names<'_>,
    variants: &[FaultScope<'_>],
    hits: &mut Hits,
) -> bool {
    let Some(t) = &rf.get().target else {
        s.error(rf.span(), format!("{f}.target"), format!("a `{kind_name}` fault needs `target`: a unit, module, database, data store, load balancer, cache or `gateway`"), None);
        return false;
    };
    let mut ok = true;
    for v in variants.iter().map(|x| &x.names) {
        match target(t.get(), v, names) {
            Some(x) => hits.targets.push(vec![x]),
            None if unplaced_module(t.get(), v, names) => ok = false,
            None => {
                let help = target_help(v, names);
                let help = match did_you_mean(
                    t.get(),
                    help.split(": ").nth(1).unwrap_or("").split(", "),
                ) {
                    Some(m) => format!("did you mean `{m}`? {help}"),
                    None => help,
                };
                s.error(t.span(), format!("{f}.target"), format!("`{}` is no unit, module, database, data store, gateway, load balancer or cache of variant `{}`", t.get(), v.name), Some(help));
                ok = false;
            }
        }
    }
    hits.name
        .get_or_insert_with(|| format!("{kind_name} {}", t.get()));
    ok
}

/// A `slow` fault needs a unit with cores of its own: not one sharing its host's cores.
fn slow_on_own_cores(
    s: &mut Sink<'_>,
    t: &Sp<String>,
    f: &str,
    variants: &[FaultScope<'_>],
    targets: &[Vec<FaultTarget>],
) -> bool {
    let mut ok = true;
    for (vi, v) in variants.iter().enumerate() {
        let shares = match targets.get(vi).and_then(|x| x.first()) {
            Some(FaultTarget::Unit(u)) => {
                let p = v.placements[*u];
                (!p.hosts.is_empty() && p.cpu_limit.is_none())
                    .then(|| ("unit", v.names.units.names()[*u]))
            }
            Some(FaultTarget::Database(d)) => v
                .db_shares_host
                .get(*d)
                .copied()
                .unwrap_or(false)
                .then(|| ("database", v.names.databases.names()[*d])),
            _ => None,
        };
        if let Some((kind, name)) = shares {
            s.error(
                t.span(),
                format!("{f}.target"),
                format!("in variant `{}`, `{name}` shares the cores of its host with other processes; a `slow` fault on it alone is not supported", v.names.name),
                Some(format!("give the {kind} a `cpu_limit` (its own cores), or inject a `cpu_hog` fault: a runaway process that takes cores from every neighbour on the host")),
            );
            ok = false;
        }
    }
    ok
}
