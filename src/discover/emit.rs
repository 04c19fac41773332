//! The discovered scenario: names, the call lists, the workload, the "as observed" variant.

use super::fit::{dur, fit, Fit, Fitted};
use super::graph::{CallAgg, Observed, OpKey, Target};
use super::names::ident;
use super::report::{CallReport, DbReport, EntryReport, OpReport, Report, UnitReport};
use super::Options;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Scenario names of the services, operations, stores and queues.
pub(crate) struct Names {
    /// Service → module.
    pub module: BTreeMap<String, String>,
    /// Operation → `module.op`.
    pub op: BTreeMap<OpKey, String>,
    /// Store → data store name.
    pub store: BTreeMap<String, String>,
    /// (store, op) → `store.op`.
    pub db_op: BTreeMap<(String, String), String>,
}

fn unique(base: String, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.clone();
    let mut k = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{k}");
        k += 1;
    }
    name
}

pub(crate) fn names(o: &Observed) -> Names {
    let mut taken = BTreeSet::new();
    let mut module = BTreeMap::new();
    for svc in o.ops.keys().map(|k| &k.service) {
        if !module.contains_key(svc) {
            module.insert(svc.clone(), unique(ident(svc, "service"), &mut taken));
        }
    }
    let mut op = BTreeMap::new();
    let mut per_module: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for k in o.ops.keys() {
        let m = &module[&k.service];
        let t = per_module.entry(m.clone()).or_default();
        op.insert(
            k.clone(),
            format!("{m}.{}", unique(ident(&k.name, "op"), t)),
        );
    }
    let mut store = BTreeMap::new();
    let mut db_op = BTreeMap::new();
    let mut per_store: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (s, q) in o.db.keys() {
        if !store.contains_key(s) {
            let base = ident(s, "db");
            let base = if taken.contains(&base) {
                format!("{base}_db")
            } else {
                base
            };
            store.insert(s.clone(), unique(base, &mut taken));
        }
        let st = &store[s];
        let t = per_store.entry(st.clone()).or_default();
        db_op.insert(
            (s.clone(), q.clone()),
            format!("{st}.{}", unique(ident(q, "query"), t)),
        );
    }
    Names {
        module,
        op,
        store,
        db_op,
    }
}

fn target_name(n: &Names, t: &Target) -> String {
    match t {
        Target::Op(k) => n.op[k].clone(),
        Target::Db { store, op } => n.db_op[&(store.clone(), op.clone())].clone(),
        Target::Publish { queue, consumer } => {
            format!("{} → {}", ident(queue, "queue"), n.op[consumer])
        }
    }
}

/// One element of an operation's call list.
enum Item {
    One(Target),
    Parallel(Vec<Target>),
}

/// The call list of an operation: targets by their mean first start; consecutive targets that
/// overlapped in more than half of the invocations calling both form a parallel group;
/// publishes are never in a group.
fn call_list(
    calls: &BTreeMap<Target, CallAgg>,
    ov: &BTreeMap<(Target, Target), (u64, u64)>,
) -> Vec<Item> {
    let mut order: Vec<(&Target, f64)> = calls
        .iter()
        .map(|(t, a)| (t, a.offset_sum / a.with.max(1) as f64))
        .collect();
    order.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    let parallel = |a: &Target, b: &Target| {
        let key = if a < b {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        ov.get(&key).is_some_and(|&(both, over)| 2 * over > both)
    };
    let mut out: Vec<Vec<Target>> = Vec::new();
    for (t, _) in order {
        let publish = matches!(t, Target::Publish { .. });
        if let Some(g) = out.last_mut() {
            if !publish
                && !matches!(g[0], Target::Publish { .. })
                && g.iter().all(|m| parallel(m, t))
            {
                g.push(t.clone());
                continue;
            }
        }
        out.push(vec![t.clone()]);
    }
    out.into_iter()
        .map(|mut g| {
            if g.len() == 1 {
                Item::One(g.remove(0))
            } else {
                Item::Parallel(g)
            }
        })
        .collect()
}

fn num(x: f64) -> String {
    let r = (x * 1e6).round() / 1e6;
    format!("{r}")
}

fn call_text(n: &Names, t: &Target, a: &CallAgg, inv: u64) -> String {
    let p = a.with as f64 / inv.max(1) as f64;
    let count = (a.total as f64 / a.with.max(1) as f64).round().max(1.0) as u64;
    let mut s = match t {
        Target::Publish { queue, consumer } => {
            format!(
                "{{ publish = \"{}\", op = \"{}\"",
                ident(queue, "queue"),
                n.op[consumer]
            )
        }
        _ => format!("{{ op = \"{}\"", target_name(n, t)),
    };
    if p < 1.0 {
        let _ = write!(s, ", p = {}", num(p));
    }
    if count > 1 && !matches!(t, Target::Publish { .. }) {
        let _ = write!(s, ", count = {count}");
    }
    s.push_str(" }");
    s
}

/// Removes the synchronous calls that close a cycle (depth-first, in name order); returns them.
fn break_cycles(o: &mut Observed, n: &Names) -> Vec<String> {
    let keys: Vec<OpKey> = o.ops.keys().cloned().collect();
    let mut state: BTreeMap<OpKey, u8> = BTreeMap::new();
    let mut dropped = Vec::new();
    fn dfs(
        k: &OpKey,
        o: &mut Observed,
        n: &Names,
        state: &mut BTreeMap<OpKey, u8>,
        dropped: &mut Vec<String>,
    ) {
        state.insert(k.clone(), 1);
        let targets: Vec<OpKey> = o.ops[k]
            .calls
            .keys()
            .filter_map(|t| match t {
                Target::Op(c) => Some(c.clone()),
                _ => None,
            })
            .collect();
        for c in targets {
            match state.get(&c).copied().unwrap_or(0) {
                1 => {
                    if let Some(obs) = o.ops.get_mut(k) {
                        obs.calls.remove(&Target::Op(c.clone()));
                    }
                    dropped.push(format!(
                        "call {} -> {} closes a cycle of synchronous calls: dropped",
                        n.op[k], n.op[&c]
                    ));
                }
                0 if o.ops.contains_key(&c) => dfs(&c, o, n, state, dropped),
                _ => {}
            }
        }
        state.insert(k.clone(), 2);
    }
    for k in keys {
        if !state.contains_key(&k) {
            dfs(&k, o, n, &mut state, &mut dropped);
        }
    }
    dropped
}

/// Writes the scenario and fills the report's model parts.
/// Root spans below which an entry's observed rate is flagged as indicative.
const MIN_ROOTS_FOR_RATE: usize = 30;

pub(crate) fn scenario(
    o: &mut Observed,
    opts: &Options,
    demands: &BTreeMap<OpKey, f64>,
    r: &mut Report,
) -> String {
    let n = names(o);
    for d in break_cycles(o, &n) {
        r.unmapped
            .push(super::report::Unmapped { what: d, spans: 0 });
    }
    let window = ((o.window.1 - o.window.0).max(0) as f64) * 1e-9;
    r.window_s = window;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Discovered from {} spans in {} traces ({} complete) over {}.\n# See the discovery \
         report for the fits, what was merged and what could not be mapped.",
        r.spans_read,
        r.traces,
        r.traces_complete,
        dur(window)
    );
    let _ = writeln!(t, "name = {}", toml_str(&opts.name));
    let _ = writeln!(t, "seed = 1\nreplications = 10\n");
    // Network: one-way latency from client/server pairs.
    let net = (!o.net_one_way.is_empty()).then(|| fit(&o.net_one_way, opts.fit));
    let net_mean = net.as_ref().map_or(0.0, |f| f.dist.mean());
    let _ = writeln!(
        t,
        "[network]\nlatency = {}\nmarshal_per_kb = \"0us\"  # marshalling is inside the measured own times\n",
        net.as_ref().map_or("\"0us\"".to_string(), |f| f.dist.toml())
    );
    if net.is_none() {
        r.assumptions.push(
            "network latency 0: no client span with a server span of another service below it"
                .into(),
        );
    }
    r.network = net;
    workload(o, opts, &n, window, &mut t, r);
    modules(o, opts, &n, demands, &mut t, r);
    datastores(o, opts, &n, net_mean, &mut t, r);
    variant(o, opts, &n, &mut t, r);
    t
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// An entry as the traces show it: the operation its root spans start, their count and rate.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedEntry {
    /// The entry's name in the scenario (the operation's, qualified when two modules share it).
    pub name: String,
    /// The operation, `module.op`.
    pub op: String,
    /// The key of the operation.
    pub key: OpKey,
    /// Requests (root spans) seen.
    pub requests: usize,
    /// Mean arrival rate over the traces' window, 1/s (0 for an empty window).
    pub rate_per_s: f64,
}

/// The entries of the traces and their mean arrival rates: root spans of each operation over
/// the window from the earliest span start to the latest span end.
pub(crate) fn observed_entries(o: &Observed, n: &Names) -> Vec<ObservedEntry> {
    let window = ((o.window.1 - o.window.0).max(0) as f64) * 1e-9;
    let mut taken = BTreeSet::new();
    let mut out = Vec::new();
    for (k, obs) in &o.ops {
        if obs.root_starts.is_empty() {
            continue;
        }
        let op = &n.op[k];
        let short = op.split('.').nth(1).unwrap_or(op).to_string();
        let name = if taken.contains(&short) {
            op.replace('.', "_")
        } else {
            short
        };
        taken.insert(name.clone());
        let requests = obs.root_starts.len();
        out.push(ObservedEntry {
            name,
            op: op.clone(),
            key: k.clone(),
            requests,
            rate_per_s: if window > 0.0 {
                requests as f64 / window
            } else {
                0.0
            },
        });
    }
    out
}

fn workload(o: &Observed, opts: &Options, n: &Names, window: f64, t: &mut String, r: &mut Report) {
    let mut profiled = false;
    let mut entries = Vec::new();
    for e in observed_entries(o, n) {
        let (name, op, count, rate) = (e.name, e.op, e.requests, e.rate_per_s);
        let obs = &o.ops[&e.key];
        if count < MIN_ROOTS_FOR_RATE {
            // A Poisson count of n has a relative standard error of 1/√n.
            r.assumptions.push(format!(
                "entry `{name}`: its rate rests on {count} request(s) (relative standard error {:.0}%); treat it as indicative and capture a longer window",
                100.0 / (count.max(1) as f64).sqrt()
            ));
        }
        // Requests per window of `opts.window` from the first span's start.
        let w = opts.window_s;
        let nwin = if w > 0.0 {
            (window / w).floor() as usize
        } else {
            0
        };
        let mut profile = None;
        let mut p_const = None;
        if nwin >= 4 {
            let mut counts = vec![0u64; nwin];
            for &s in &obs.root_starts {
                let i = (((s - o.window.0) as f64 * 1e-9) / w) as usize;
                if i < nwin {
                    counts[i] += 1;
                }
            }
            let m = counts.iter().sum::<u64>() as f64 / nwin as f64;
            if m > 0.0 {
                let d: f64 = counts.iter().map(|&c| (c as f64 - m).powi(2)).sum::<f64>() / m;
                let p = chi2_sf(d, (nwin - 1) as f64);
                p_const = Some(p);
                if p < 0.001 {
                    profile = Some(counts);
                }
            }
        }
        entries.push((name, op, count, rate, profile, p_const));
    }
    let dur_s = if entries.iter().any(|e| e.4.is_some()) {
        profiled = true;
        (window / opts.window_s).floor() * opts.window_s
    } else {
        window.max(60.0)
    };
    let _ = writeln!(
        t,
        "[workload]\nduration = \"{}\"\nwarmup = \"0s\"\n",
        dur(dur_s)
    );
    if !profiled && window < 60.0 {
        r.assumptions.push(format!(
            "the window observed is {}: the workload runs 60s at the observed rates",
            dur(window)
        ));
    }
    for (name, op, count, rate, profile, p) in entries {
        let _ = writeln!(
            t,
            "[[workload.entries]]\nname = {}\nop = \"{op}\"",
            toml_str(&name)
        );
        match &profile {
            Some(c) => {
                let steps: Vec<String> = c
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| {
                        format!(
                            "[\"{}\", {}]",
                            dur(i as f64 * opts.window_s),
                            num(k as f64 / opts.window_s)
                        )
                    })
                    .collect();
                let _ = writeln!(
                    t,
                    "arrival = {{ profile = {{ steps = [{}] }} }}\n",
                    steps.join(", ")
                );
            }
            None => {
                let _ = writeln!(
                    t,
                    "arrival = {{ process = \"poisson\", rate = {} }}\n",
                    num(rate.max(1e-6))
                );
            }
        }
        r.entries.push(EntryReport {
            name,
            op,
            requests: count,
            rate_per_s: rate,
            profile,
            constant_rate_p: p,
        });
    }
}

/// Upper tail of the χ² distribution.
fn chi2_sf(x: f64, k: f64) -> f64 {
    use statrs::distribution::{ChiSquared, ContinuousCDF};
    ChiSquared::new(k).map_or(1.0, |c| 1.0 - c.cdf(x))
}

fn modules(
    o: &Observed,
    opts: &Options,
    n: &Names,
    demands: &BTreeMap<OpKey, f64>,
    t: &mut String,
    r: &mut Report,
) {
    let mut last_module = String::new();
    for (k, obs) in &o.ops {
        let full = &n.op[k];
        let (m, opn) = full.split_once('.').unwrap_or((full, "op"));
        if m != last_module {
            let _ = writeln!(t, "[modules.{m}]  # service {}", toml_str(&k.service));
            last_module = m.to_string();
        }
        let f: Fit = fit(&obs.self_times, opts.fit);
        let demand = demands.get(k).copied();
        let dist: Fitted = match demand {
            Some(d) if f.mean > 0.0 => f.dist.scaled(d / f.mean),
            Some(d) => Fitted::Const { value: d },
            None => f.dist.clone(),
        };
        let merged: Vec<String> =
            if obs.originals.len() > 1 || obs.originals.iter().any(|x| x != &k.name) {
                obs.originals.iter().cloned().collect()
            } else {
                Vec::new()
            };
        let _ = writeln!(
            t,
            "[modules.{m}.ops.{opn}]  # {}: {} invocations",
            toml_str(&k.name),
            obs.invocations
        );
        let _ = writeln!(t, "cpu = {}", dist.toml());
        let err = obs.errors_own as f64 / obs.invocations.max(1) as f64;
        if err > 0.0 {
            let _ = writeln!(t, "errors = {}", num(err));
        }
        let list = call_list(&obs.calls, &obs.overlaps);
        if !list.is_empty() {
            let _ = writeln!(t, "calls = [");
            for (gi, item) in list.iter().enumerate() {
                let members: Vec<&Target> = match item {
                    Item::One(x) => vec![x],
                    Item::Parallel(v) => v.iter().collect(),
                };
                let texts: Vec<String> = members
                    .iter()
                    .map(|x| call_text(n, x, &obs.calls[*x], obs.graph_invocations))
                    .collect();
                match item {
                    Item::One(_) => {
                        let _ = writeln!(t, "  {},", texts[0]);
                    }
                    Item::Parallel(_) => {
                        let _ = writeln!(t, "  {{ parallel = [ {} ] }},", texts.join(", "));
                    }
                }
                for x in members {
                    let a = &obs.calls[x];
                    r.calls.push(CallReport {
                        from: full.clone(),
                        to: target_name(n, x),
                        p: a.with as f64 / obs.graph_invocations.max(1) as f64,
                        mean_count: a.total as f64 / a.with.max(1) as f64,
                        count: (a.total as f64 / a.with.max(1) as f64).round().max(1.0) as u64,
                        parallel_group: matches!(item, Item::Parallel(_)).then_some(gi),
                    });
                }
            }
            let _ = writeln!(t, "]");
        }
        t.push('\n');
        r.operations.push(OpReport {
            op: full.clone(),
            service: k.service.clone(),
            name: k.name.clone(),
            merged_from: merged,
            invocations: obs.invocations,
            demand_s: dist.mean(),
            demand_from_utilization_s: demand,
            own_time: f,
            error_ratio: err,
        });
    }
}

fn datastores(
    o: &Observed,
    opts: &Options,
    n: &Names,
    net_mean: f64,
    t: &mut String,
    r: &mut Report,
) {
    let mut last = String::new();
    for ((store, q), d) in &o.db {
        let full = &n.db_op[&(store.clone(), q.clone())];
        let (s, opn) = full.split_once('.').unwrap_or((full, "query"));
        if s != last {
            let _ = writeln!(t, "[datastores.{s}]  # {} {}", d.system, toml_str(store));
            last = s.to_string();
        }
        // The engine adds a network hop each way: the query time is the call's duration less
        // the mean round trip.
        let xs: Vec<f64> = d
            .samples
            .iter()
            .map(|x| (x - 2.0 * net_mean).max(0.0))
            .collect();
        let f = fit(&xs, opts.fit);
        let kind = if d.write { "write" } else { "read" };
        let err = d.errors as f64 / d.samples.len().max(1) as f64;
        let _ = write!(
            t,
            "ops.{opn} = {{ time = {}, kind = \"{kind}\"",
            f.dist.toml()
        );
        if err > 0.0 {
            let _ = write!(t, ", errors = {}", num(err));
        }
        let _ = writeln!(t, " }}");
        r.databases.push(DbReport {
            op: full.clone(),
            system: d.system.clone(),
            kind: kind.into(),
            calls: d.samples.len(),
            time: f,
        });
    }
    if !o.db.is_empty() {
        t.push('\n');
    }
}

fn variant(o: &Observed, opts: &Options, n: &Names, t: &mut String, r: &mut Report) {
    let _ = writeln!(t, "[[variants]]\nname = \"as-observed\"");
    let mut used = BTreeSet::new();
    for (svc, m) in &n.module {
        let seen = o.instances.get(svc).map_or(0, BTreeSet::len).max(1);
        let key = [svc, m]
            .into_iter()
            .find(|k| opts.deployment.contains_key(*k));
        let dep = key.and_then(|k| opts.deployment.get(k));
        if let Some(k) = key {
            used.insert(k.clone());
        } else if !opts.deployment.is_empty() {
            r.services_without_manifest.push(svc.clone());
        }
        let from = |d: &super::Deployed| format!("manifest {}", d.file);
        let (replicas, replicas_from) = match dep.and_then(|d| d.replicas.map(|x| (x, d))) {
            Some((x, d)) => (x, from(d)),
            None => (seen as u64, format!("instances seen ({seen})")),
        };
        let _ = writeln!(
            t,
            "[[variants.units]]\nname = \"{m}\"\nmodules = [\"{m}\"]\nreplicas = {replicas}"
        );
        let (cores, cores_from) = match dep.and_then(|d| d.cores.map(|c| (c, d))) {
            Some((c, d)) => {
                let _ = writeln!(t, "cores = {}", num(c));
                (c, from(d))
            }
            None => {
                r.assumptions.push(format!(
                    "unit `{m}`: cores unknown (no CPU limit in a deployment manifest), 1 core \
                     per replica"
                ));
                (1.0, "default".to_string())
            }
        };
        let (memory_bytes, memory_from) = match dep.and_then(|d| d.memory_bytes.map(|b| (b, d))) {
            Some((b, d)) => {
                let _ = writeln!(t, "base_memory = \"{b}B\"");
                (b, from(d))
            }
            None => (0, "default".to_string()),
        };
        r.replicas.push((m.clone(), replicas as usize));
        r.units.push(UnitReport {
            unit: m.clone(),
            replicas,
            replicas_from,
            cores,
            cores_from,
            memory_bytes,
            memory_from,
        });
    }
    r.manifest_unmatched = opts
        .deployment
        .iter()
        .filter(|(k, _)| !used.contains(*k))
        .map(|(k, d)| format!("{}: {k}", d.file))
        .collect();
    r.manifest_notes.clone_from(&opts.deployment_notes);
    for s in n.store.values() {
        let _ = writeln!(
            t,
            "[[variants.databases]]\nname = \"{s}\"\nstores = [\"{s}\"]"
        );
    }
    if !n.store.is_empty() {
        r.assumptions
            .push("each data store on its own database with the default 2 cores".into());
    }
    for (q, xs) in &o.queues {
        let published = o.ops.values().any(|ob| {
            ob.calls
                .keys()
                .any(|t| matches!(t, Target::Publish { queue, .. } if queue == q))
        });
        if !published {
            continue;
        }
        let f = fit(xs, opts.fit);
        let _ = writeln!(
            t,
            "[[variants.queues]]\nname = \"{}\"\npublish_latency = {}\nvisibility_timeout = \"30s\"\nconsumers = 100",
            ident(q, "queue"),
            f.dist.toml()
        );
        r.assumptions.push(format!(
            "queue `{}`: visibility timeout 30s (the SQS default) and 100 consumers (not in traces)",
            ident(q, "queue")
        ));
    }
}
