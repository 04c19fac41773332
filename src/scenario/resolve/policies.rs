//! Resolution of resilience policies (`retry`, `breaker`, `bulkhead`, `fallback`, unit
//! `resilience` and `shed`) and of `[[faults]]`.

use super::*;
use crate::components::breaker::{BreakerPolicy, BreakerWindow, DEFAULT_BREAKER};
use crate::components::bulkhead::DEFAULT_BULKHEAD;
use crate::components::faults::{Fault, FaultKind, FaultTarget, RandomFailures};
use crate::components::policy::{CallPolicy, Fallback};
use crate::components::retry::{
    Jitter, RetryBudget, RetryPolicy, DEFAULT_ATTEMPTS, DEFAULT_BASE_NS, DEFAULT_BUDGET_MIN_PER_S,
    DEFAULT_CAP_NS, DEFAULT_JITTER,
};
use crate::components::shed::ShedPolicy;

/// Most attempts of a retry policy.
pub const MAX_ATTEMPTS: i64 = 100;

pub(super) fn retry(s: &mut Sink<'_>, r: &RawRetry, f: &str) -> Option<RetryPolicy> {
    let mut ok = true;
    let attempts = match &r.attempts {
        Some(v) => match int(
            s,
            v,
            &format!("{f}.attempts"),
            1,
            MAX_ATTEMPTS,
            "attempts in all, the first included",
        ) {
            Some(x) => x as u32,
            None => {
                ok = false;
                DEFAULT_ATTEMPTS
            }
        },
        None => DEFAULT_ATTEMPTS,
    };
    let mut d = |v: &Option<Duration>, k: &str, def: u64| match v {
        Some(v) => match dur_positive(s, v, &format!("{f}.{k}"), &format!("the backoff {k}")) {
            Some(x) => x,
            None => {
                ok = false;
                def
            }
        },
        None => def,
    };
    let base = d(&r.base, "base", DEFAULT_BASE_NS);
    let cap = d(&r.cap, "cap", DEFAULT_CAP_NS);
    if cap < base {
        if let Some(c) = &r.cap {
            s.error(
                c.span(),
                format!("{f}.cap"),
                "the backoff cap must be ≥ the base",
                Some(format!("base is {} ns", base)),
            );
            ok = false;
        }
    }
    let jitter = match r.jitter.as_ref().map(|j| *j.get()) {
        None => DEFAULT_JITTER,
        Some(RawJitter::None) => Jitter::None,
        Some(RawJitter::Full) => Jitter::Full,
        Some(RawJitter::Equal) => Jitter::Equal,
        Some(RawJitter::Decorrelated) => Jitter::Decorrelated,
    };
    let ratio = r.budget.as_ref().and_then(|v| {
        let x = num(
            s,
            v,
            &format!("{f}.budget"),
            (0.0, true),
            1.0,
            "retries per call, a ratio from 0 to 1",
        );
        if x.is_none() {
            ok = false;
        }
        x
    });
    let min_per_s = match &r.min_per_s {
        Some(v) => {
            if r.budget.is_none() {
                s.error(
                    v.span(),
                    format!("{f}.min_per_s"),
                    "`min_per_s` is the floor of a retry budget; it needs `budget`",
                    Some("add e.g. `budget = 0.2`".into()),
                );
                ok = false;
            }
            num(
                s,
                v,
                &format!("{f}.min_per_s"),
                (0.0, true),
                1e6,
                "retries per second always allowed",
            )
            .unwrap_or_else(|| {
                ok = false;
                0.0
            })
        }
        None => DEFAULT_BUDGET_MIN_PER_S,
    };
    ok.then_some(RetryPolicy {
        attempts,
        base,
        cap,
        jitter,
        budget: ratio.map(|ratio| RetryBudget { ratio, min_per_s }),
    })
}

pub(super) fn breaker(s: &mut Sink<'_>, b: &RawBreaker, f: &str) -> Option<BreakerPolicy> {
    let mut p = DEFAULT_BREAKER;
    let mut ok = true;
    if let Some(w) = &b.window {
        let wf = format!("{f}.window");
        match w.value() {
            toml::Value::Integer(n) if (1..=1_000_000).contains(n) => {
                p.window = BreakerWindow::Calls(*n as u32)
            }
            toml::Value::String(_) => {
                let d = Duration(w.0.clone());
                match dur_positive(s, &d, &wf, "the breaker window") {
                    Some(ns) => p.window = BreakerWindow::Time(ns),
                    None => ok = false,
                }
            }
            other => {
                s.error(
                    w.span(),
                    wf,
                    format!("expected a number of calls from 1 to 1000000 or a duration such as \"10s\", found {}", describe(other)),
                    None,
                );
                ok = false;
            }
        }
    }
    let mut rate = |v: &Option<Num>, k: &str, out: &mut f64| {
        if let Some(v) = v {
            match num(
                s,
                v,
                &format!("{f}.{k}"),
                (0.0, false),
                1.0,
                "a rate in (0, 1]",
            ) {
                Some(x) => *out = x,
                None => ok = false,
            }
        }
    };
    rate(&b.failure_rate, "failure_rate", &mut p.failure_rate);
    rate(&b.slow_call_rate, "slow_call_rate", &mut p.slow_call_rate);
    let mut d = |v: &Option<Duration>, k: &str, out: &mut u64| {
        if let Some(v) = v {
            match dur_positive(s, v, &format!("{f}.{k}"), k) {
                Some(x) => *out = x,
                None => ok = false,
            }
        }
    };
    d(&b.slow_call, "slow_call", &mut p.slow_call);
    d(&b.open, "open", &mut p.open);
    let mut i = |v: &Option<Int>, k: &str, what: &str, out: &mut u32| {
        if let Some(v) = v {
            match int(s, v, &format!("{f}.{k}"), 1, 1_000_000, what) {
                Some(x) => *out = x as u32,
                None => ok = false,
            }
        }
    };
    i(
        &b.min_calls,
        "min_calls",
        "calls before rates are evaluated",
        &mut p.min_calls,
    );
    i(
        &b.half_open,
        "half_open",
        "probe calls in half-open",
        &mut p.half_open,
    );
    ok.then_some(p)
}

pub(super) fn bulkhead(s: &mut Sink<'_>, b: &Bulkhead, f: &str) -> Option<u32> {
    match b.value() {
        toml::Value::Boolean(true) => Some(DEFAULT_BULKHEAD),
        toml::Value::Integer(n) if (1..=1_000_000).contains(n) => Some(*n as u32),
        other => {
            s.error(
                b.span(),
                f,
                format!("expected the most attempts in flight on this call edge, an integer from 1 to 1000000 (or true for 10, Hystrix's pool), found {}", describe(other)),
                None,
            );
            None
        }
    }
}

fn fallback(f: &Option<Sp<RawFallback>>) -> Option<Fallback> {
    f.as_ref().map(|x| match x.get() {
        RawFallback::Degraded => Fallback::Degraded,
    })
}

/// The policies of a call (its `timeout` is resolved with the call).
pub(super) fn call_policy(
    s: &mut Sink<'_>,
    c: &RawCall,
    f: &str,
    timeout: Option<u64>,
) -> CallPolicy {
    CallPolicy {
        timeout,
        retry: c
            .retry
            .as_ref()
            .and_then(|r| retry(s, r, &format!("{f}.retry"))),
        breaker: c
            .breaker
            .as_ref()
            .and_then(|b| breaker(s, b, &format!("{f}.breaker"))),
        bulkhead: c
            .bulkhead
            .as_ref()
            .and_then(|b| bulkhead(s, b, &format!("{f}.bulkhead"))),
        fallback: fallback(&c.fallback),
    }
}

/// A unit's `resilience` defaults.
pub(super) fn unit_policy(s: &mut Sink<'_>, r: &RawResilience, f: &str) -> CallPolicy {
    CallPolicy {
        timeout: r
            .timeout
            .as_ref()
            .and_then(|t| dur_positive(s, t, &format!("{f}.timeout"), "a timeout")),
        retry: r
            .retry
            .as_ref()
            .and_then(|x| retry(s, x, &format!("{f}.retry"))),
        breaker: r
            .breaker
            .as_ref()
            .and_then(|b| breaker(s, b, &format!("{f}.breaker"))),
        bulkhead: r
            .bulkhead
            .as_ref()
            .and_then(|b| bulkhead(s, b, &format!("{f}.bulkhead"))),
        fallback: fallback(&r.fallback),
    }
}

pub(super) fn shed(s: &mut Sink<'_>, r: &RawShed, f: &str) -> Option<ShedPolicy> {
    dur_positive(
        s,
        &r.max_wait,
        &format!("{f}.max_wait"),
        "the bound on the queue wait",
    )
    .map(|max_wait| ShedPolicy { max_wait })
}

/// Resolves a fault target name in variant `v`.
fn target(
    name: &str,
    v: &Variant,
    modules: &[Module],
    datastores: &[DataStore],
) -> Option<FaultTarget> {
    if name == "gateway" && v.gateway.is_some() {
        return Some(FaultTarget::Gateway);
    }
    if let Some(u) = v.units.iter().position(|u| u.name == name) {
        return Some(FaultTarget::Unit(u));
    }
    if let Some(m) = modules.iter().position(|m| m.name == name) {
        if v.module_unit[m] == ON_GATEWAY {
            return Some(FaultTarget::Gateway);
        }
        return Some(FaultTarget::Unit(v.module_unit[m]));
    }
    if let Some(d) = v.databases.iter().position(|d| d.name == name) {
        return Some(FaultTarget::Database(d));
    }
    if let Some(l) = v.load_balancers.iter().position(|l| l.name == name) {
        return Some(FaultTarget::LoadBalancer(l));
    }
    if let Some(c) = v.caches.iter().position(|c| c.name == name) {
        return Some(FaultTarget::Cache(c));
    }
    if let Some(st) = datastores.iter().position(|d| d.name == name) {
        return v.store_db[st].map(FaultTarget::Database);
    }
    None
}

fn target_help(v: &Variant, modules: &[Module]) -> String {
    let mut names: Vec<&str> = v.units.iter().map(|u| u.name.as_str()).collect();
    names.extend(modules.iter().map(|m| m.name.as_str()));
    names.extend(v.databases.iter().map(|d| d.name.as_str()));
    names.extend(v.load_balancers.iter().map(|l| l.name.as_str()));
    names.extend(v.caches.iter().map(|c| c.name.as_str()));
    if v.gateway.is_some() {
        names.push("gateway");
    }
    names.sort_unstable();
    names.dedup();
    format!("targets in variant `{}`: {}", v.name, names.join(", "))
}

/// Resolves `[[faults]]` against every variant.
pub(super) fn faults(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    modules: &[Module],
    datastores: &[DataStore],
    variants: &[Variant],
) -> Vec<Fault> {
    let mut out = Vec::new();
    for (i, rf) in raw.faults.iter().enumerate() {
        let f = format!("faults[{i}]");
        let r = rf.get();
        let kind_name = match r.kind.get() {
            RawFaultKind::Crash => "crash",
            RawFaultKind::Slow => "slow",
            RawFaultKind::Error => "error",
            RawFaultKind::Latency => "latency",
            RawFaultKind::Partition => "partition",
            RawFaultKind::HostOutage => "host_outage",
            RawFaultKind::ZoneOutage => "zone_outage",
        };
        let mut ok = true;
        // Keys that belong to one kind only.
        let only = |s: &mut Sink<'_>, present: Option<Range<usize>>, key: &str, kinds: &str| {
            if let Some(span) = present {
                s.error(
                    span,
                    format!("{f}.{key}"),
                    format!("`{key}` does not apply to kind = \"{kind_name}\""),
                    Some(format!("`{key}` is for kind = {kinds}")),
                );
                true
            } else {
                false
            }
        };
        let is = |k: RawFaultKind| *r.kind.get() == k;
        if !is(RawFaultKind::Slow) {
            ok &= !only(s, r.factor.as_ref().map(|x| x.span()), "factor", "\"slow\"");
        }
        if !is(RawFaultKind::Error) {
            ok &= !only(s, r.rate.as_ref().map(|x| x.span()), "rate", "\"error\"");
        }
        if !is(RawFaultKind::Latency) {
            ok &= !only(
                s,
                r.added.as_ref().map(|x| x.span()),
                "added",
                "\"latency\"",
            );
        }
        if !is(RawFaultKind::Partition) {
            ok &= !only(
                s,
                r.groups.as_ref().map(|x| x.span()),
                "groups",
                "\"partition\"",
            );
        }
        if !is(RawFaultKind::Crash) {
            ok &= !only(
                s,
                r.instances.as_ref().map(|x| x.span()),
                "instances",
                "\"crash\"",
            );
            ok &= !only(s, r.mtbf.as_ref().map(|x| x.span()), "mtbf", "\"crash\"");
            ok &= !only(s, r.mttr.as_ref().map(|x| x.span()), "mttr", "\"crash\"");
        }
        let kind = match r.kind.get() {
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
        };
        let at = r.at.as_ref().and_then(|v| {
            let x = dur(s, v, &format!("{f}.at"));
            if x.is_none() {
                ok = false;
            }
            x
        });
        let duration = r.duration.as_ref().and_then(|v| {
            let x = dur_positive(s, v, &format!("{f}.duration"), "the fault's duration");
            if x.is_none() {
                ok = false;
            }
            x
        });
        let instances = r.instances.as_ref().and_then(|v| {
            let x = int(
                s,
                v,
                &format!("{f}.instances"),
                1,
                MAX_REPLICAS,
                "instances crashed",
            );
            if x.is_none() {
                ok = false;
            }
            x.map(|x| x as u32)
        });
        let random = match (&r.mtbf, &r.mttr) {
            (None, None) => None,
            (Some(a), Some(b)) => {
                if let Some(x) =
                    r.at.as_ref()
                        .map(|x| x.span())
                        .or(r.duration.as_ref().map(|x| x.span()))
                {
                    s.error(x, format!("{f}.at"), "random failures (`mtbf`, `mttr`) run the whole time; `at` and `duration` do not apply", None);
                    ok = false;
                }
                match (
                    dur_positive(s, a, &format!("{f}.mtbf"), "the mean time between failures"),
                    dur_positive(s, b, &format!("{f}.mttr"), "the mean time to repair"),
                ) {
                    (Some(mtbf), Some(mttr)) => Some(RandomFailures { mtbf, mttr }),
                    _ => {
                        ok = false;
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
                ok = false;
                None
            }
        };
        let Some(kind) = kind else {
            continue;
        };
        // Targets, per variant.
        let mut targets = Vec::new();
        let mut groups = Vec::new();
        let mut name = r.name.as_ref().map(|n| n.get().clone());
        if kind == FaultKind::Partition {
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
                    for v in variants {
                        let mut pair: [Vec<FaultTarget>; 2] = [Vec::new(), Vec::new()];
                        for (gi, grp) in g.get().iter().enumerate() {
                            for (ni, n) in grp.get().iter().enumerate() {
                                match target(n.get(), v, modules, datastores) {
                                    Some(t) => {
                                        if !pair[gi].contains(&t) {
                                            pair[gi].push(t)
                                        }
                                    }
                                    None => {
                                        s.error(n.span(), format!("{f}.groups[{gi}][{ni}]"), format!("`{}` is no unit, module, database or data store of variant `{}`", n.get(), v.name), Some(target_help(v, modules)));
                                        ok = false;
                                    }
                                }
                            }
                        }
                        groups.push(pair);
                        targets.push(Vec::new());
                    }
                    name.get_or_insert_with(|| {
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
        } else if let FaultKind::Outage { zone } = kind {
            let what = if zone { "zone" } else { "host" };
            match &r.target {
                Some(t) => {
                    let mut found = false;
                    for v in variants {
                        let ix = if zone {
                            v.zones.iter().position(|z| *z == *t.get())
                        } else {
                            v.hosts.iter().position(|h| h.name == *t.get())
                        };
                        found |= ix.is_some();
                        targets.push(
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
                    if !found {
                        let mut known: Vec<&str> = variants
                            .iter()
                            .flat_map(|v| -> Vec<&str> {
                                if zone {
                                    v.zones.iter().map(|z| z.as_str()).collect()
                                } else {
                                    v.hosts.iter().map(|h| h.name.as_str()).collect()
                                }
                            })
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
                        ok = false;
                    }
                    name.get_or_insert_with(|| format!("{kind_name} {}", t.get()));
                }
                None => {
                    s.error(
                        rf.span(),
                        format!("{f}.target"),
                        format!("a `{kind_name}` fault needs `target`: a {what} name"),
                        None,
                    );
                    ok = false;
                }
            }
        } else {
            match &r.target {
                Some(t) => {
                    for v in variants {
                        match target(t.get(), v, modules, datastores) {
                            Some(x) => targets.push(vec![x]),
                            None => {
                                let help = target_help(v, modules);
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
                    name.get_or_insert_with(|| format!("{kind_name} {}", t.get()));
                }
                None => {
                    s.error(rf.span(), format!("{f}.target"), format!("a `{kind_name}` fault needs `target`: a unit, module, database, data store, load balancer, cache or `gateway`"), None);
                    ok = false;
                }
            }
        }
        if let (FaultKind::Slow { .. }, Some(t)) = (kind, &r.target) {
            for (vi, v) in variants.iter().enumerate() {
                if let Some(FaultTarget::Unit(u)) = targets.get(vi).and_then(|x| x.first()) {
                    let p = &v.units[*u].placement;
                    if !p.hosts.is_empty() && p.cpu_limit.is_none() {
                        s.error(
                            t.span(),
                            format!("{f}.target"),
                            format!("in variant `{}`, `{}` shares the cores of its host with other instances; a `slow` fault on it alone is not supported", v.name, v.units[*u].name),
                            Some("give the unit a `cpu_limit` (its own cores)".into()),
                        );
                        ok = false;
                    }
                }
            }
        }
        if random.is_some() && targets.iter().flatten().any(|t| *t == FaultTarget::Gateway) {
            s.error(
                r.target.as_ref().map_or(rf.span(), |t| t.span()),
                format!("{f}.target"),
                "random failures apply to unit and database instances, not to the gateway",
                None,
            );
            ok = false;
        }
        if ok {
            out.push(Fault {
                name: name.unwrap_or_default(),
                kind,
                targets,
                groups,
                instances,
                at: at.map_or(0, |x| x.round() as u64),
                duration,
                random,
            });
        }
    }
    out
}
