//! Raw → validated: resolves names to ids, converts units, checks every invariant and limit,
//! and records a located diagnostic for each problem (as many as practical, not just the first).

use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;

use petgraph::algo::toposort;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::raw::*;
use super::types::*;
use crate::components::cache::CacheSpec;
use crate::components::rate_limit::RateLimit;
use crate::flow::balance::LbAlgorithm;
use crate::kernel::dist::Dist;
use crate::spec::check::*;
use crate::spec::error::Sink;
use crate::spec::locate::key_segment;
use crate::spec::units::{describe, did_you_mean, number_from_value, suggest};

mod arrival;
mod front;
mod org;
mod placement;
mod policies;

/// Default replications.
pub const DEFAULT_REPLICATIONS: u32 = 10;
/// Most replications accepted.
pub const MAX_REPLICATIONS: i64 = 100_000;
/// Most replicas of a unit.
pub const MAX_REPLICAS: i64 = 100_000;
/// Most workers per instance.
pub const MAX_WORKERS: i64 = 1_000_000;
/// Longest queue per instance.
pub const MAX_QUEUE: i64 = 100_000_000;
/// Most repetitions of a call.
pub const MAX_COUNT: i64 = 10_000;
/// Most cores of an instance or database.
pub const MAX_CORES: f64 = 4096.0;
/// Highest arrival rate of an entry \[1/s\].
pub const MAX_RATE: f64 = 1e8;
/// Most database connections.
pub const MAX_CONNECTIONS: i64 = 1_000_000;
/// Most cycles reported.
const MAX_CYCLES: usize = 20;

/// Who a name in the shared module/data-store namespace refers to.
#[derive(Clone, Copy)]
enum Owner {
    Module(ModuleId),
    Store(StoreId),
}

/// A call edge, for the cycle search and reachability.
struct Edge {
    from: OpId,
    to: OpId,
    span: Range<usize>,
    field: String,
    /// A synchronous call (part of the cycle check); publishes are asynchronous.
    sync: bool,
}

struct Names<'r> {
    owners: BTreeMap<&'r str, Owner>,
    /// `(owner name, op names)` per module.
    module_ops: Vec<(&'r str, Vec<&'r str>)>,
    /// `(owner name, op names)` per data store.
    store_ops: Vec<(&'r str, Vec<&'r str>)>,
    /// Qualified op name → id.
    ops: BTreeMap<String, OpId>,
    /// Queue names published to, in order of first use (index = [`QueueId`]).
    queues: Vec<&'r str>,
}

/// Reports duplicate names among `names` (each with its span), naming the first occurrence.
fn duplicates<'r>(
    s: &mut Sink<'_>,
    names: impl IntoIterator<Item = (&'r Sp<String>, String)>,
    what: &str,
) {
    let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (n, field) in names {
        let (line, _) = s.line_col(n.span().start);
        if let Some((first_line, _)) = seen.get(n.get().as_str()) {
            s.error(
                n.span(),
                field,
                format!(
                    "duplicate {what} name `{}` (first defined on line {first_line}); names must be unique",
                    n.get()
                ),
                None,
            );
        } else {
            seen.insert(n.get().as_str(), (line, 0));
        }
    }
}

impl<'r> Names<'r> {
    fn owner_ops(&self, o: Owner) -> &(&'r str, Vec<&'r str>) {
        match o {
            Owner::Module(m) => &self.module_ops[m],
            Owner::Store(d) => &self.store_ops[d],
        }
    }

    /// Resolves a qualified operation reference, reporting what is wrong with it.
    fn op_ref(&self, s: &mut Sink<'_>, r: &Sp<String>, field: &str) -> Option<OpId> {
        let text = r.get().as_str();
        if let Some(&id) = self.ops.get(text) {
            return Some(id);
        }
        let Some((owner, op)) = text.split_once('.') else {
            // Not qualified.
            let mut candidates: Vec<String> = Vec::new();
            for (o, ops) in self.module_ops.iter().chain(self.store_ops.iter()) {
                if ops.contains(&text) {
                    candidates.push(format!("`{o}.{text}`"));
                }
            }
            let help = if !candidates.is_empty() {
                Some(format!("did you mean {}?", candidates.join(" or ")))
            } else if let Some(&o) = self.owners.get(text) {
                let (name, ops) = self.owner_ops(o);
                Some(format!(
                    "`{name}` is not an operation; name one of its operations: {}",
                    ops.iter()
                        .map(|x| format!("{name}.{x}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            } else {
                None
            };
            s.error(
                r.span(),
                field,
                format!(
                    "operation reference `{text}` is not qualified: write `module.op` or `datastore.op`, e.g. `orders.checkout`"
                ),
                help,
            );
            return None;
        };
        match self.owners.get(owner) {
            None => {
                let help = did_you_mean(owner, self.owners.keys().copied())
                    .map(|m| format!("did you mean `{m}.{op}`?"));
                s.error(
                    r.span(),
                    field,
                    format!("unknown module or data store `{owner}` in `{text}`"),
                    help,
                );
            }
            Some(&o) => {
                let (name, ops) = self.owner_ops(o);
                let kind = match o {
                    Owner::Module(_) => "module",
                    Owner::Store(_) => "data store",
                };
                let valid = if ops.is_empty() {
                    format!("`{name}` has no operations")
                } else {
                    format!("operations of `{name}`: {}", list(ops))
                };
                let help = match did_you_mean(op, ops.iter().copied()) {
                    Some(m) => format!("did you mean `{name}.{m}`? {valid}"),
                    None => valid,
                };
                s.error(
                    r.span(),
                    field,
                    format!("{kind} `{name}` has no operation `{op}`"),
                    Some(help),
                );
            }
        }
        None
    }
}

/// Resolves one call (not a parallel group).
fn call(
    s: &mut Sink<'_>,
    names: &Names<'_>,
    raw: &Sp<RawCall>,
    field: &str,
    from: OpId,
    edges: &mut Vec<Edge>,
    in_saga: bool,
) -> Option<Call> {
    let c = raw.get();
    let Some(op_ref) = &c.op else {
        s.error(
            raw.span(),
            field,
            "a call needs `op` (the operation called, e.g. `payments.charge`)",
            None,
        );
        return None;
    };
    let op_field = format!("{field}.op");
    let to = names.op_ref(s, op_ref, &op_field);
    let p = c.p.as_ref().and_then(|v| {
        num(
            s,
            v,
            &format!("{field}.p"),
            (0.0, true),
            1.0,
            "a probability from 0 to 1",
        )
    });
    let count = c.count.as_ref().and_then(|v| {
        int(
            s,
            v,
            &format!("{field}.count"),
            1,
            MAX_COUNT,
            "times the call is made",
        )
    });
    let timeout = c
        .timeout
        .as_ref()
        .and_then(|v| dur_positive(s, v, &format!("{field}.timeout"), "a timeout"));
    if let (Some(cmp), false) = (&c.compensate, in_saga) {
        s.error(
            cmp.span(),
            format!("{field}.compensate"),
            "`compensate` is only allowed on the steps of a `saga`",
            Some("wrap the calls in `{ saga = [ { op = ..., compensate = ... }, ... ] }`".into()),
        );
    }
    if c.saga.is_some() {
        s.error(
            raw.span(),
            format!("{field}.saga"),
            "a call has either `op` or `saga`, not both; sagas cannot be nested or put in `parallel`",
            None,
        );
    }
    let publish = match &c.publish {
        None => None,
        Some(q) => {
            let qf = format!("{field}.publish");
            for (k, present) in [
                ("count", c.count.is_some()),
                ("timeout", c.timeout.is_some()),
                ("retry", c.retry.is_some()),
                ("breaker", c.breaker.is_some()),
                ("bulkhead", c.bulkhead.is_some()),
                ("fallback", c.fallback.is_some()),
            ] {
                if present {
                    s.error(
                        raw.span(),
                        format!("{field}.{k}"),
                        format!("`{k}` is not allowed on a publish: the caller does not wait for the consumer"),
                        None,
                    );
                }
            }
            if in_saga {
                s.error(
                    q.span(),
                    &qf,
                    "a saga step cannot be a publish: a saga waits for the outcome of each step",
                    None,
                );
            }
            let owner = op_ref.get().split_once('.').map_or("", |x| x.0);
            if to.is_some() {
                if let Some(Owner::Store(_)) = names.owners.get(owner) {
                    s.error(
                        op_ref.span(),
                        &op_field,
                        format!("the consumer of a published message must be a module operation, not the data-store operation `{}`", op_ref.get()),
                        Some("add a module operation that calls the data store and consume with it".into()),
                    );
                }
            }
            names.queues.iter().position(|n| *n == q.get().as_str())
        }
    };
    let to = to?;
    edges.push(Edge {
        from,
        to,
        span: op_ref.span(),
        field: op_field,
        sync: publish.is_none(),
    });
    let policy = policies::call_policy(s, c, field, timeout);
    Some(Call {
        op: to,
        p: p.unwrap_or(1.0),
        count: count.map_or(1, |c| c as u32),
        timeout,
        policy,
        publish,
    })
}

/// Resolves the call list of one module operation into steps.
fn steps(
    s: &mut Sink<'_>,
    names: &Names<'_>,
    calls: &[Sp<RawCall>],
    field: &str,
    from: OpId,
    edges: &mut Vec<Edge>,
) -> Vec<Step> {
    let mut out = Vec::new();
    for (i, raw) in calls.iter().enumerate() {
        let f = format!("{field}.calls[{i}]");
        let c = raw.get();
        if let Some(saga_steps) = &c.saga {
            if let Some(st) = saga(s, names, raw, saga_steps, &f, from, edges) {
                out.push(st);
            }
            continue;
        }
        match &c.parallel {
            None => {
                if let Some(c) = call(s, names, raw, &f, from, edges, false) {
                    out.push(Step::Call(c));
                }
            }
            Some(branches) => {
                if c.op.is_some() {
                    s.error(
                        raw.span(),
                        &f,
                        "a call has either `op` or `parallel`, not both",
                        Some("move this call into the `parallel` list".into()),
                    );
                    continue;
                }
                let extra = [
                    ("p", c.p.is_some()),
                    ("count", c.count.is_some()),
                    ("timeout", c.timeout.is_some()),
                    ("retry", c.retry.is_some()),
                    ("breaker", c.breaker.is_some()),
                    ("bulkhead", c.bulkhead.is_some()),
                    ("fallback", c.fallback.is_some()),
                ];
                for (k, present) in extra {
                    if present {
                        s.error(
                            raw.span(),
                            format!("{f}.{k}"),
                            format!("`{k}` is not allowed on a `parallel` group"),
                            Some(format!("put `{k}` on the calls inside `parallel`")),
                        );
                    }
                }
                if branches.is_empty() {
                    s.error(
                        raw.span(),
                        format!("{f}.parallel"),
                        "a `parallel` group needs at least one call",
                        None,
                    );
                    continue;
                }
                let mut group = Vec::new();
                for (j, b) in branches.iter().enumerate() {
                    let bf = format!("{f}.parallel[{j}]");
                    if b.get().parallel.is_some() {
                        s.error(
                            b.span(),
                            &bf,
                            "`parallel` groups cannot be nested",
                            Some("list every branch in one `parallel` group".into()),
                        );
                        continue;
                    }
                    if let Some(c) = call(s, names, b, &bf, from, edges, false) {
                        group.push(c);
                    }
                }
                out.push(Step::Parallel(group));
            }
        }
    }
    out
}

/// Resolves a `{ saga = [ ... ] }` group.
fn saga(
    s: &mut Sink<'_>,
    names: &Names<'_>,
    raw: &Sp<RawCall>,
    items: &[Sp<RawCall>],
    f: &str,
    from: OpId,
    edges: &mut Vec<Edge>,
) -> Option<Step> {
    let c = raw.get();
    let extra = [
        ("op", c.op.is_some()),
        ("parallel", c.parallel.is_some()),
        ("p", c.p.is_some()),
        ("count", c.count.is_some()),
        ("timeout", c.timeout.is_some()),
        ("retry", c.retry.is_some()),
        ("breaker", c.breaker.is_some()),
        ("publish", c.publish.is_some()),
        ("compensate", c.compensate.is_some()),
    ];
    for (k, present) in extra {
        if present {
            s.error(
                raw.span(),
                format!("{f}.{k}"),
                format!("`{k}` is not allowed on a `saga` group"),
                Some(
                    "a saga group holds only `saga = [ { op = ..., compensate = ... }, ... ]`"
                        .into(),
                ),
            );
        }
    }
    if items.is_empty() {
        s.error(
            raw.span(),
            format!("{f}.saga"),
            "a `saga` needs at least one step",
            None,
        );
        return None;
    }
    let mut out = Vec::new();
    for (j, b) in items.iter().enumerate() {
        let bf = format!("{f}.saga[{j}]");
        let bc = b.get();
        if bc.parallel.is_some() || bc.saga.is_some() {
            s.error(
                b.span(),
                &bf,
                "a saga step is one call: `parallel` and nested `saga` are not allowed",
                None,
            );
            continue;
        }
        if let Some(p) = &bc.p {
            s.error(
                p.span(),
                format!("{bf}.p"),
                "`p` is not allowed on a saga step: every step runs until one fails",
                None,
            );
        }
        let compensate = bc.compensate.as_ref().and_then(|cmp| {
            let cf = format!("{bf}.compensate");
            let id = names.op_ref(s, cmp, &cf)?;
            edges.push(Edge {
                from,
                to: id,
                span: cmp.span(),
                field: cf,
                sync: true,
            });
            Some(id)
        });
        if let Some(call) = call(s, names, b, &bf, from, edges, true) {
            out.push(SagaStep { call, compensate });
        }
    }
    Some(Step::Saga(out))
}

/// Queue names used by `publish` anywhere in the module operations, in file order.
fn publish_names(raw: &RawScenario) -> Vec<&str> {
    fn walk<'r>(calls: &'r [Sp<RawCall>], out: &mut Vec<&'r str>) {
        for c in calls {
            let c = c.get();
            if let Some(q) = &c.publish {
                if !out.contains(&q.get().as_str()) {
                    out.push(q.get().as_str());
                }
            }
            if let Some(b) = &c.parallel {
                walk(b, out);
            }
            if let Some(b) = &c.saga {
                walk(b, out);
            }
        }
    }
    let mut out = Vec::new();
    for (_, m) in &raw.modules.0 {
        for (_, o) in &m.ops.0 {
            walk(&o.calls, &mut out);
        }
    }
    out
}

/// The shortest cycle through `start`, as a list of edges.
fn cycle_through(g: &DiGraph<OpId, usize>, start: NodeIndex) -> Vec<EdgeIndex> {
    let mut parent: BTreeMap<NodeIndex, EdgeIndex> = BTreeMap::new();
    let mut queue = VecDeque::new();
    queue.push_back(start);
    while let Some(n) = queue.pop_front() {
        let mut outgoing: Vec<_> = g.edges(n).collect();
        outgoing.sort_by_key(|e| e.id());
        for e in outgoing {
            let m = e.target();
            if m == start {
                let mut path = vec![e.id()];
                let mut cur = n;
                while cur != start {
                    let pe = parent[&cur];
                    path.push(pe);
                    cur = g.edge_endpoints(pe).map_or(start, |(a, _)| a);
                }
                path.reverse();
                return path;
            }
            if let std::collections::btree_map::Entry::Vacant(v) = parent.entry(m) {
                v.insert(e.id());
                queue.push_back(m);
            }
        }
    }
    Vec::new()
}

/// Reports cycles of synchronous calls (self-calls included), each printed as `a.x -> b.y -> a.x`.
fn cycles(s: &mut Sink<'_>, ops: &[Operation], edges: &[Edge]) {
    let mut g: DiGraph<OpId, usize> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..ops.len()).map(|i| g.add_node(i)).collect();
    for (i, e) in edges.iter().enumerate() {
        if e.sync {
            g.add_edge(nodes[e.from], nodes[e.to], i);
        }
    }
    for _ in 0..MAX_CYCLES {
        let Err(c) = toposort(&g, None) else {
            return;
        };
        let path = cycle_through(&g, c.node_id());
        let Some(&first) = path.first() else {
            return;
        };
        let mut names: Vec<&str> = vec![ops[g[c.node_id()]].name.as_str()];
        for &e in &path {
            if let Some((_, b)) = g.edge_endpoints(e) {
                names.push(ops[g[b]].name.as_str());
            }
        }
        let edge = &edges[g[first]];
        let msg = if path.len() == 1 {
            format!(
                "operation `{}` calls itself: synchronous calls must not form a cycle ({})",
                names[0],
                names.join(" -> ")
            )
        } else {
            format!("cycle of synchronous calls: {}", names.join(" -> "))
        };
        s.error(
            edge.span.clone(),
            &edge.field,
            msg,
            Some("a synchronous call cycle never returns; remove one of these calls".into()),
        );
        g.remove_edge(first);
    }
}

/// Resolves and validates the whole scenario; `None` if something essential is missing.
pub(crate) fn resolve(raw: &RawScenario, s: &mut Sink<'_>) -> Option<Scenario> {
    // ---- top level ----
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

    // ---- network (docs/sources.md: RTT same AZ 0.2–0.5 ms; marshalling 10–30 µs/KB per side) ----
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
    if let Some(n) = &raw.network {
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
    }

    // ---- teams ----
    let mut team_ids: BTreeMap<&str, TeamId> = BTreeMap::new();
    let mut teams = Vec::new();
    for (k, t) in &raw.teams.0 {
        let f = join("teams", k.get());
        check_name(s, k, &f, "team");
        if let Some(size) = &t.size {
            int(
                s,
                size,
                &format!("{f}.size"),
                1,
                1_000_000,
                "people in the team",
            );
        }
        team_ids.insert(k.get().as_str(), teams.len());
        teams.push(Team {
            name: k.get().clone(),
        });
    }

    // ---- modules and data stores: names ----
    let mut names = Names {
        owners: BTreeMap::new(),
        module_ops: Vec::new(),
        store_ops: Vec::new(),
        ops: BTreeMap::new(),
        queues: publish_names(raw),
    };
    for (i, (k, m)) in raw.modules.0.iter().enumerate() {
        check_name(s, k, &join("modules", k.get()), "module");
        names.owners.insert(k.get().as_str(), Owner::Module(i));
        let ops = m.ops.0.iter().map(|(o, _)| o.get().as_str()).collect();
        names.module_ops.push((k.get().as_str(), ops));
    }
    for (i, (k, d)) in raw.datastores.0.iter().enumerate() {
        let f = join("datastores", k.get());
        check_name(s, k, &f, "data store");
        if names.owners.contains_key(k.get().as_str()) {
            s.error(
                k.span(),
                &f,
                format!(
                    "`{}` is both a module and a data store; they share one namespace",
                    k.get()
                ),
                Some("rename the data store, e.g. with a `_db` suffix".into()),
            );
        } else {
            names.owners.insert(k.get().as_str(), Owner::Store(i));
        }
        let ops = d.ops.0.iter().map(|(o, _)| o.get().as_str()).collect();
        names.store_ops.push((k.get().as_str(), ops));
    }

    // ---- operations ----
    let mut ops: Vec<Operation> = Vec::new();
    let mut modules = Vec::new();
    for (mi, (k, m)) in raw.modules.0.iter().enumerate() {
        let f = join("modules", k.get());
        let team = m
            .team
            .as_ref()
            .and_then(|t| match team_ids.get(t.get().as_str()) {
                Some(&id) => Some(id),
                None => {
                    let help = match did_you_mean(t.get(), team_ids.keys().copied()) {
                        Some(x) => format!("did you mean `{x}`?"),
                        None if teams.is_empty() => {
                            format!("declare it with a `[teams.{}]` table", key_segment(t.get()))
                        }
                        None => format!(
                            "teams: {}; or declare it with a `[teams.{}]` table",
                            teams
                                .iter()
                                .map(|t| t.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                            key_segment(t.get())
                        ),
                    };
                    s.error(
                        t.span(),
                        format!("{f}.team"),
                        format!("unknown team `{}`", t.get()),
                        Some(help),
                    );
                    None
                }
            });
        let memory = m
            .memory
            .as_ref()
            .and_then(|v| size(s, v, &format!("{f}.memory")))
            .unwrap_or(0);
        let mut op_ids = Vec::new();
        for (ok, o) in &m.ops.0 {
            let of = format!("{f}.ops.{}", key_segment(ok.get()));
            check_name(s, ok, &of, "operation");
            let demand = dist(s, &o.cpu, &format!("{of}.cpu")).unwrap_or(Dist::Const(0.0));
            let payload = o
                .payload
                .as_ref()
                .and_then(|v| size(s, v, &format!("{of}.payload")))
                .unwrap_or(0);
            let errors = op_errors(s, &o.errors, &of);
            let qname = format!("{}.{}", k.get(), ok.get());
            names.ops.insert(qname.clone(), ops.len());
            op_ids.push(ops.len());
            ops.push(Operation {
                name: qname,
                owner: OpOwner::Module(mi),
                demand,
                payload,
                steps: Vec::new(),
                write: false,
                errors,
            });
        }
        let loc = org::loc(s, m, &f);
        modules.push(Module {
            name: k.get().clone(),
            team,
            memory,
            loc,
            ops: op_ids,
        });
    }
    let mut datastores = Vec::new();
    for (di, (k, d)) in raw.datastores.0.iter().enumerate() {
        let f = join("datastores", k.get());
        let mut op_ids = Vec::new();
        for (ok, o) in &d.ops.0 {
            let of = format!("{f}.ops.{}", key_segment(ok.get()));
            check_name(s, ok, &of, "operation");
            let demand = dist(s, &o.time, &format!("{of}.time")).unwrap_or(Dist::Const(0.0));
            let payload = o
                .payload
                .as_ref()
                .and_then(|v| size(s, v, &format!("{of}.payload")))
                .unwrap_or(0);
            let errors = op_errors(s, &o.errors, &of);
            let qname = format!("{}.{}", k.get(), ok.get());
            names.ops.insert(qname.clone(), ops.len());
            op_ids.push(ops.len());
            ops.push(Operation {
                name: qname,
                owner: OpOwner::Store(di),
                demand,
                payload,
                steps: Vec::new(),
                write: matches!(o.kind.as_ref().map(|k| *k.get()), Some(RawQueryKind::Write)),
                errors,
            });
        }
        datastores.push(DataStore {
            name: k.get().clone(),
            ops: op_ids,
        });
    }

    // ---- calls ----
    let mut edges = Vec::new();
    for (mi, (k, m)) in raw.modules.0.iter().enumerate() {
        for (oi, (ok, o)) in m.ops.0.iter().enumerate() {
            let of = format!(
                "modules.{}.ops.{}",
                key_segment(k.get()),
                key_segment(ok.get())
            );
            let id = modules[mi].ops[oi];
            ops[id].steps = steps(s, &names, &o.calls, &of, id, &mut edges);
        }
    }
    cycles(s, &ops, &edges);

    // ---- workload ----
    let (workload, workload_ok) = workload(s, raw, &names, &ops);
    let queues: Vec<String> = names.queues.iter().map(|q| q.to_string()).collect();

    // ---- reachability: ops reachable from the entries ----
    let mut reachable = vec![false; ops.len()];
    let mut via: Vec<Option<OpId>> = vec![None; ops.len()];
    let mut adj: Vec<Vec<OpId>> = vec![Vec::new(); ops.len()];
    for e in &edges {
        adj[e.from].push(e.to);
    }
    let mut stack: Vec<OpId> = workload.entries.iter().map(|e| e.op).collect();
    for &o in &stack {
        reachable[o] = true;
    }
    while let Some(o) = stack.pop() {
        for &t in &adj[o] {
            if !reachable[t] {
                reachable[t] = true;
                via[t] = Some(o);
                stack.push(t);
            }
        }
    }

    // ---- variants ----
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
    let mut variants: Vec<Variant> = raw
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            variant(
                s,
                v,
                i,
                &names,
                &modules,
                &datastores,
                &ops,
                &reachable,
                &via,
            )
        })
        .collect();

    front::front_door(s, raw, &names, &workload, &ops, &reachable, &mut variants);
    let faults = policies::faults(s, raw, &modules, &datastores, &variants);
    let prices = prices(s, raw.prices.as_ref());
    org::owners(s, raw, &team_ids, &modules, &mut variants);
    let evolution = org::evolution(s, raw, &variants);
    let delivery = org::delivery(s, raw, &teams, &team_ids);

    if !workload_ok {
        return None;
    }
    let slos = super::uncertain::resolve_slo(s, raw.slo.as_ref(), &workload);
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
        ops,
        variants,
        faults,
        prices,
        evolution,
        delivery,
        queues,
        uncertain: None,
        slos,
    })
}

/// The `errors` probability of an operation (default 0).
fn op_errors(s: &mut Sink<'_>, v: &Option<Num>, of: &str) -> f64 {
    v.as_ref()
        .and_then(|v| {
            num(
                s,
                v,
                &format!("{of}.errors"),
                (0.0, true),
                1.0,
                "the probability an invocation fails with `error`",
            )
        })
        .unwrap_or(0.0)
}

fn workload(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    names: &Names<'_>,
    ops: &[Operation],
) -> (Workload, bool) {
    let mut w = Workload {
        duration: 0,
        warmup: 0,
        window: 1_000_000_000,
        entries: Vec::new(),
    };
    let Some(rw) = &raw.workload else {
        s.error(
            0..0,
            "workload",
            "missing `[workload]`: a scenario needs a workload with a `duration` and at least one `[[workload.entries]]`",
            Some("add e.g.\n[workload]\nduration = \"10m\"\nwarmup = \"1m\"\n[[workload.entries]]\nname = \"browse\"\nop = \"catalog.browse\"\narrival = { process = \"poisson\", rate = 100 }".into()),
        );
        return (w, false);
    };
    // Tables have no span of their own (see `Table`); point at the first key found.
    let span = [
        rw.duration.as_ref().map(|d| d.span()),
        rw.warmup.as_ref().map(|d| d.span()),
        rw.window.as_ref().map(|d| d.span()),
        rw.entries.first().map(|e| e.span()),
    ]
    .into_iter()
    .flatten()
    .min_by_key(|r| r.start)
    .unwrap_or(0..0);
    match &rw.duration {
        Some(d) => {
            if let Some(x) = dur_positive(s, d, "workload.duration", "the measured duration") {
                w.duration = x;
            }
        }
        None => s.error(
            span.clone(),
            "workload.duration",
            "missing `duration`: the measured simulated time after warm-up, e.g. duration = \"10m\"",
            None,
        ),
    }
    if let Some(d) = &rw.warmup {
        if let Some(x) = dur(s, d, "workload.warmup") {
            w.warmup = x.round() as u64;
        }
    }
    if let Some(d) = &rw.window {
        if let Some(x) = dur_positive(s, d, "workload.window", "the time-series window") {
            w.window = x;
        }
    }
    if rw.entries.is_empty() {
        s.error(
            span.clone(),
            "workload.entries",
            "no entries: the workload needs at least one `[[workload.entries]]` naming the module operation clients call",
            Some("add e.g.\n[[workload.entries]]\nname = \"browse\"\nop = \"catalog.browse\"\narrival = { process = \"poisson\", rate = 100 }".into()),
        );
    }
    duplicates(
        s,
        rw.entries
            .iter()
            .enumerate()
            .map(|(i, e)| (&e.get().name, format!("workload.entries[{i}].name"))),
        "entry",
    );
    for (i, e) in rw.entries.iter().enumerate() {
        let f = format!("workload.entries[{i}]");
        let e = e.get();
        check_name(s, &e.name, &format!("{f}.name"), "entry");
        let op = names.op_ref(s, &e.op, &format!("{f}.op"));
        let op = op.filter(|&o| match ops[o].owner {
            OpOwner::Module(_) => true,
            OpOwner::Store(_) => {
                s.error(
                    e.op.span(),
                    format!("{f}.op"),
                    format!(
                        "entry `{}` calls the data-store operation `{}`; an entry must call a module operation",
                        e.name.get(),
                        ops[o].name
                    ),
                    Some("add a module operation that calls the data store, and use it as the entry".into()),
                );
                false
            }
        });
        let horizon = w.warmup.saturating_add(w.duration);
        let arrival = arrival::arrival(s, &e.arrival, &f, e.name.span(), horizon);
        let timeout = e
            .timeout
            .as_ref()
            .and_then(|t| dur_positive(s, t, &format!("{f}.timeout"), "a timeout"));
        let retry = e
            .retry
            .as_ref()
            .and_then(|r| policies::retry(s, r, &format!("{f}.retry")));
        if let (Some(op), Some(arrival)) = (op, arrival) {
            w.entries.push(Entry {
                name: e.name.get().clone(),
                op,
                arrival,
                timeout,
                retry,
            });
        }
    }
    (w, true)
}

#[allow(clippy::too_many_arguments)]
fn variant(
    s: &mut Sink<'_>,
    rv: &Sp<RawVariant>,
    vi: usize,
    names: &Names<'_>,
    modules: &[Module],
    datastores: &[DataStore],
    ops: &[Operation],
    reachable: &[bool],
    via: &[Option<OpId>],
) -> Variant {
    let vf = format!("variants[{vi}]");
    let v = rv.get();
    let vname = v.name.get().as_str();
    check_name(s, &v.name, &format!("{vf}.name"), "variant");
    let gateway = v.gateway.as_ref().map(|g| g.get()).map(|g| Gateway {
        // docs/sources.md, "self-hosted gateway overhead": ~0.7 ms p50, ~1.4 ms p99 (APISIX) → a
        // log-normal with median 0.7 ms and p99/p50 = 2: σ ≈ 0.30, mean ≈ 0.73 ms.
        overhead: g
            .overhead
            .as_ref()
            .and_then(|o| dist(s, o, &format!("{vf}.gateway.overhead")))
            .unwrap_or_else(|| Dist::lognormal(730e3, 0.3)),
        api: match g.api.as_ref().map(|a| *a.get()) {
            None | Some(RawGatewayApi::Http) => GatewayApi::Http,
            Some(RawGatewayApi::Rest) => GatewayApi::Rest,
        },
        node: None,
    });
    // docs/sources.md serverless "account concurrency": 1,000 per region.
    let account_concurrency = v
        .account_concurrency
        .as_ref()
        .and_then(|a| {
            int(
                s,
                a,
                &format!("{vf}.account_concurrency"),
                1,
                1_000_000,
                "serverless instances of the variant at once",
            )
        })
        .map_or(1000, |x| x as u32);
    if v.units.is_empty() {
        s.error(
            v.name.span(),
            format!("{vf}.units"),
            format!(
                "variant `{vname}` has no units: add a `[[variants.units]]` holding its modules"
            ),
            None,
        );
    }
    duplicates(
        s,
        v.units
            .iter()
            .enumerate()
            .map(|(i, u)| (&u.get().name, format!("{vf}.units[{i}].name"))),
        "unit",
    );
    duplicates(
        s,
        v.databases
            .iter()
            .enumerate()
            .map(|(i, d)| (&d.get().name, format!("{vf}.databases[{i}].name"))),
        "database",
    );

    let mut module_unit: Vec<Option<UnitId>> = vec![None; modules.len()];
    let unit_names: Vec<&str> = v
        .units
        .iter()
        .map(|u| u.get().name.get().as_str())
        .collect();
    let module_names: Vec<&str> = modules.iter().map(|m| m.name.as_str()).collect();
    let mut units_out = Vec::new();
    for (ui, ru) in v.units.iter().enumerate() {
        let uf = format!("{vf}.units[{ui}]");
        let u = ru.get();
        check_name(s, &u.name, &format!("{uf}.name"), "unit");
        let mods = place(
            s,
            names,
            Placed::Modules,
            Container {
                field: &uf,
                index: ui,
                names: &unit_names,
            },
            &u.modules,
            &mut module_unit,
            &module_names,
            vname,
        );
        units_out.push(unit(s, u, &uf, mods));
    }
    // Modules hosted on the gateway: placed like a unit's, the gateway being one more container
    // (so that a module both in a unit and on the gateway is an error naming both).
    if let Some(list) = v.gateway.as_ref().and_then(|g| g.get().modules.as_ref()) {
        let gf = format!("{vf}.gateway");
        if list.get().is_empty() {
            s.error(
                list.span(),
                format!("{gf}.modules"),
                "the gateway's `modules` lists no module",
                Some("list the composition modules run on the gateway, or remove the key".into()),
            );
        } else {
            let mut containers = unit_names.clone();
            containers.push("gateway");
            place(
                s,
                names,
                Placed::Modules,
                Container {
                    field: &gf,
                    index: unit_names.len(),
                    names: &containers,
                },
                list,
                &mut module_unit,
                &module_names,
                vname,
            );
            for u in module_unit.iter_mut() {
                if *u == Some(unit_names.len()) {
                    *u = Some(ON_GATEWAY);
                }
            }
        }
    }
    for (mi, placed) in module_unit.iter().enumerate() {
        if placed.is_none() && !v.units.is_empty() {
            s.error(
                v.name.span(),
                format!("{vf}.units"),
                format!(
                    "module `{}` is in no unit of variant `{vname}`; every module must be in exactly one unit (or on the gateway)",
                    modules[mi].name
                ),
                Some(format!(
                    "add \"{}\" to the `modules` of one of the units: {}",
                    modules[mi].name,
                    v.units.iter().map(|u| u.get().name.get().as_str()).collect::<Vec<_>>().join(", ")
                )),
            );
        }
    }

    // ---- databases ----
    let mut store_db: Vec<Option<DbId>> = vec![None; datastores.len()];
    let db_names: Vec<&str> = v
        .databases
        .iter()
        .map(|d| d.get().name.get().as_str())
        .collect();
    let store_names: Vec<&str> = datastores.iter().map(|d| d.name.as_str()).collect();
    let mut dbs = Vec::new();
    for (di, rd) in v.databases.iter().enumerate() {
        let df = format!("{vf}.databases[{di}]");
        let d = rd.get();
        check_name(s, &d.name, &format!("{df}.name"), "database");
        let stores = place(
            s,
            names,
            Placed::Stores,
            Container {
                field: &df,
                index: di,
                names: &db_names,
            },
            &d.stores,
            &mut store_db,
            &store_names,
            vname,
        );
        let cores = d
            .cores
            .as_ref()
            .and_then(|c| {
                num(
                    s,
                    c,
                    &format!("{df}.cores"),
                    (0.0, false),
                    MAX_CORES,
                    "database server cores",
                )
            })
            .unwrap_or(2.0);
        let max_connections = d
            .max_connections
            .as_ref()
            .and_then(|c| {
                int(
                    s,
                    c,
                    &format!("{df}.max_connections"),
                    1,
                    MAX_CONNECTIONS,
                    "queries executed at once",
                )
            })
            .map_or(100, |x| x as u32);
        let pricing = match d.pricing.as_ref().map(|p| *p.get()) {
            None | Some(RawDbPricing::Hourly) => DbPricing::Hourly,
            Some(RawDbPricing::Request) => DbPricing::Request,
        };
        dbs.push(Database {
            name: d.name.get().clone(),
            stores,
            cores,
            max_connections,
            pricing,
            read_replicas: 0,
            zone: None,
        });
    }
    let (hosts, zones) = placement::placement(s, v, &vf, modules, &mut units_out, &mut dbs);
    // Stores called by reachable operations must be deployed.
    let mut reported = vec![false; datastores.len()];
    for (oi, op) in ops.iter().enumerate() {
        if !reachable[oi] {
            continue;
        }
        let OpOwner::Store(st) = op.owner else {
            continue;
        };
        if store_db[st].is_some() || reported[st] {
            continue;
        }
        reported[st] = true;
        let caller = via[oi].map(|c| ops[c].name.as_str()).unwrap_or("an entry");
        let dbs_list = if dbs.is_empty() {
            format!(
                "add a `[[variants.databases]]` to variant `{vname}` with stores = [\"{}\"]",
                datastores[st].name
            )
        } else {
            format!(
                "add \"{}\" to the `stores` of one of the databases: {}",
                datastores[st].name,
                dbs.iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        s.error(
            v.name.span(),
            format!("{vf}.databases"),
            format!(
                "data store `{}` is called by `{caller}` (reachable from an entry) but is on no database of variant `{vname}`",
                datastores[st].name
            ),
            Some(dbs_list),
        );
    }

    let queues = queues(s, v, &vf, vname, names);
    Variant {
        name: vname.to_string(),
        units: units_out,
        databases: dbs,
        gateway,
        module_unit: module_unit.into_iter().map(|u| u.unwrap_or(0)).collect(),
        store_db,
        account_concurrency,
        module_team: modules.iter().map(|m| m.team).collect(),
        queues,
        load_balancers: Vec::new(),
        caches: Vec::new(),
        cdn: None,
        hosts,
        zones,
    }
}

/// The queues of a variant, indexed like [`Scenario::queues`]: each queue published to must be
/// configured exactly once, and each configured queue must be published to.
fn queues(
    s: &mut Sink<'_>,
    v: &RawVariant,
    vf: &str,
    vname: &str,
    names: &Names<'_>,
) -> Vec<Queue> {
    duplicates(
        s,
        v.queues
            .iter()
            .enumerate()
            .map(|(i, q)| (&q.get().name, format!("{vf}.queues[{i}].name"))),
        "queue",
    );
    let mut out: Vec<Option<Queue>> = vec![None; names.queues.len()];
    for (qi, rq) in v.queues.iter().enumerate() {
        let qf = format!("{vf}.queues[{qi}]");
        let q = rq.get();
        check_name(s, &q.name, &format!("{qf}.name"), "queue");
        let Some(id) = names
            .queues
            .iter()
            .position(|n| *n == q.name.get().as_str())
        else {
            let help = if names.queues.is_empty() {
                "no operation publishes to a queue: add a call `{ publish = \"NAME\", op = \"module.op\" }`".to_string()
            } else {
                suggest(
                    q.name.get(),
                    names.queues.iter().copied(),
                    "queues published to",
                )
            };
            s.error(
                q.name.span(),
                format!("{qf}.name"),
                format!("no operation publishes to queue `{}`", q.name.get()),
                Some(help),
            );
            continue;
        };
        let publish_latency = dist(s, &q.publish_latency, &format!("{qf}.publish_latency"));
        let visibility_timeout = dur_positive(
            s,
            &q.visibility_timeout,
            &format!("{qf}.visibility_timeout"),
            "the visibility timeout",
        );
        let max_receives = q.max_receives.as_ref().map(|m| {
            int(
                s,
                m,
                &format!("{qf}.max_receives"),
                1,
                1000,
                "receives before dead-lettering",
            )
        });
        let consumers = int(
            s,
            &q.consumers,
            &format!("{qf}.consumers"),
            1,
            100_000,
            "consumer invocations in flight at once",
        );
        if let (Some(publish_latency), Some(visibility_timeout), Some(consumers)) =
            (publish_latency, visibility_timeout, consumers)
        {
            let max_receives = match max_receives {
                Some(Some(m)) => Some(m as u32),
                Some(None) => continue,
                None => None,
            };
            if out[id].is_none() {
                out[id] = Some(Queue {
                    name: q.name.get().clone(),
                    publish_latency,
                    visibility_timeout,
                    max_receives,
                    consumers: consumers as u32,
                });
            }
        }
    }
    let mut missing = false;
    for (id, q) in out.iter().enumerate() {
        if q.is_none()
            && !v
                .queues
                .iter()
                .any(|r| r.get().name.get() == names.queues[id])
        {
            missing = true;
            s.error(
                v.name.span(),
                format!("{vf}.queues"),
                format!(
                    "queue `{}` is published to but not configured in variant `{vname}`",
                    names.queues[id]
                ),
                Some(format!(
                    "add\n[[variants.queues]]\nname = \"{}\"\npublish_latency = \"10ms\"\nvisibility_timeout = \"30s\"\nconsumers = 10",
                    names.queues[id]
                )),
            );
        }
    }
    if missing || out.iter().any(Option::is_none) {
        return Vec::new();
    }
    out.into_iter().flatten().collect()
}

/// What a variant places into its containers: modules into units, data stores into databases.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Placed {
    Modules,
    Stores,
}

impl Placed {
    /// (item, items, container, preposition, list key, container table)
    fn words(
        self,
    ) -> (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) {
        match self {
            Placed::Modules => (
                "module",
                "modules",
                "unit",
                "in",
                "modules",
                "[[variants.units]]",
            ),
            Placed::Stores => (
                "data store",
                "data stores",
                "database",
                "on",
                "stores",
                "[[variants.databases]]",
            ),
        }
    }
}

/// A unit or database being filled: its field path, index and the names of all its siblings.
struct Container<'a> {
    field: &'a str,
    index: usize,
    names: &'a [&'a str],
}

/// Places the names listed by container `c` (its `modules` or `stores`) and returns the ids
/// placed. `placed[id]` records each item's container; an item placed twice, a name of the
/// wrong kind, an unknown name and an empty list are errors with field and line.
#[allow(clippy::too_many_arguments)]
fn place(
    s: &mut Sink<'_>,
    names: &Names<'_>,
    kind: Placed,
    c: Container<'_>,
    list: &Sp<Vec<Sp<String>>>,
    placed: &mut [Option<usize>],
    candidates: &[&str],
    vname: &str,
) -> Vec<usize> {
    let (item, items, container, prep, key, _) = kind.words();
    let cname = c.names[c.index];
    if list.get().is_empty() {
        s.error(
            list.span(),
            format!("{}.{key}", c.field),
            format!("{container} `{cname}` holds no {items}: list at least one"),
            None,
        );
    }
    let mut ids = Vec::new();
    for (j, name) in list.get().iter().enumerate() {
        let f = format!("{}.{key}[{j}]", c.field);
        let id = match (kind, names.owners.get(name.get().as_str())) {
            (Placed::Modules, Some(Owner::Module(id)))
            | (Placed::Stores, Some(Owner::Store(id))) => *id,
            (_, Some(_)) => {
                let other = match kind {
                    Placed::Modules => Placed::Stores,
                    Placed::Stores => Placed::Modules,
                };
                let (other_item, _, _, _, other_key, other_table) = other.words();
                s.error(
                    name.span(),
                    &f,
                    format!("`{}` is a {other_item}, not a {item}", name.get()),
                    Some(format!(
                        "{other_item}s go in the `{other_key}` of a `{other_table}`"
                    )),
                );
                continue;
            }
            (_, None) => {
                let help = Some(suggest(name.get(), candidates.iter().copied(), items));
                s.error(
                    name.span(),
                    &f,
                    format!("unknown {item} `{}`", name.get()),
                    help,
                );
                continue;
            }
        };
        match placed[id] {
            Some(other) => s.error(
                name.span(),
                &f,
                format!(
                    "{item} `{}` is {prep} two {container}s of variant `{vname}`: `{}` and `{cname}`",
                    name.get(),
                    c.names[other]
                ),
                Some(format!(
                    "a {item} lives {prep} exactly one {container} per variant; remove it from one of them"
                )),
            ),
            None => {
                placed[id] = Some(c.index);
                ids.push(id);
            }
        }
    }
    ids
}

fn unit(s: &mut Sink<'_>, u: &RawUnit, uf: &str, modules: Vec<ModuleId>) -> Unit {
    let platform = match u.platform.as_ref().map(|p| *p.get()) {
        None | Some(RawPlatform::Vm) => Platform::Vm,
        Some(RawPlatform::Container) => Platform::Container,
        Some(RawPlatform::Kubernetes) => Platform::Kubernetes,
        Some(RawPlatform::Serverless) => Platform::Serverless,
    };
    let serverless = platform == Platform::Serverless;
    let replicas = u
        .replicas
        .as_ref()
        .and_then(|r| {
            int(
                s,
                r,
                &format!("{uf}.replicas"),
                1,
                MAX_REPLICAS,
                "instances of the unit",
            )
        })
        .map_or(1, |x| x as u32);
    let cores = u
        .cores
        .as_ref()
        .and_then(|c| {
            num(
                s,
                c,
                &format!("{uf}.cores"),
                (0.0, false),
                MAX_CORES,
                "cores per instance",
            )
        })
        .unwrap_or(1.0);
    let workers = u
        .workers
        .as_ref()
        .and_then(|w| {
            int(
                s,
                w,
                &format!("{uf}.workers"),
                1,
                MAX_WORKERS,
                "requests in service at once per instance",
            )
        })
        .map_or(if serverless { 1 } else { 100 }, |x| x as u32);
    let queue = u
        .queue
        .as_ref()
        .and_then(|q| {
            int(
                s,
                q,
                &format!("{uf}.queue"),
                0,
                MAX_QUEUE,
                "requests waiting per instance",
            )
        })
        .map(|x| x as u32);
    let io = match u.io.as_ref().map(|i| *i.get()) {
        None | Some(RawIo::Blocking) => Io::Blocking,
        Some(RawIo::Async) => Io::Async,
    };
    let lb = match u.lb.as_ref().map(|l| *l.get()) {
        None | Some(RawLb::RoundRobin) => LbAlgorithm::RoundRobin,
        Some(RawLb::Random) => LbAlgorithm::Random,
        Some(RawLb::LeastOutstanding) => LbAlgorithm::LeastOutstanding,
        Some(RawLb::PowerOfTwo) => LbAlgorithm::PowerOfTwo,
    };
    let base_memory = u
        .base_memory
        .as_ref()
        .and_then(|m| size(s, m, &format!("{uf}.base_memory")))
        .unwrap_or(0);
    let memory = u.memory.as_ref().and_then(|m| {
        let f = format!("{uf}.memory");
        let bytes = size(s, m, &f)?;
        if !serverless {
            s.error(
                m.span(),
                &f,
                "`memory` is the configured memory of a serverless function; this unit is not serverless",
                Some("use `base_memory` for the runtime memory of a vm, container or kubernetes instance".into()),
            );
            return None;
        }
        // docs/sources.md, serverless "memory / CPU": 128–10,240 MB.
        if !(128_000_000..=10_240 * 1024 * 1024).contains(&bytes) {
            s.error(
                m.span(),
                &f,
                format!("serverless memory must be from 128MB to 10240MB (the AWS Lambda range), found {bytes} bytes"),
                None,
            );
            return None;
        }
        Some(bytes)
    });
    // Serverless keys: parsed and checked, not yet used by the engine.
    let sl = |k: &str, present: bool, s: &mut Sink<'_>, span: Range<usize>| {
        if present && !serverless {
            s.error(
                span,
                format!("{uf}.{k}"),
                format!("`{k}` applies to serverless units only (platform = \"serverless\")"),
                None,
            );
        }
    };
    let mut function = FunctionSpec::default();
    if let Some(r) = &u.runtime {
        sl("runtime", true, s, r.span());
        function.runtime = match *r.get() {
            RawRuntime::Node => Runtime::Node,
            RawRuntime::Python => Runtime::Python,
            RawRuntime::Go => Runtime::Go,
            RawRuntime::Rust => Runtime::Rust,
            RawRuntime::Java => Runtime::Java,
            RawRuntime::Dotnet => Runtime::Dotnet,
        };
        function.cold_start = function.runtime.cold_start();
    }
    if let Some(x) = &u.reserved_concurrency {
        sl("reserved_concurrency", true, s, x.span());
        function.reserved = int(
            s,
            x,
            &format!("{uf}.reserved_concurrency"),
            0,
            1_000_000,
            "instances reserved",
        )
        .map(|x| x as u32);
    }
    if let Some(x) = &u.provisioned {
        sl("provisioned", true, s, x.span());
        if let Some(p) = int(
            s,
            x,
            &format!("{uf}.provisioned"),
            0,
            1_000_000,
            "instances kept warm",
        ) {
            function.provisioned = p as u32;
        }
    }
    if let (Some(r), Some(x)) = (function.reserved, &u.provisioned) {
        if function.provisioned > r {
            s.error(
                x.span(),
                format!("{uf}.provisioned"),
                format!("provisioned concurrency {} exceeds the function's reserved concurrency {r}", function.provisioned),
                Some("provisioned instances count against the function's concurrency limit: lower `provisioned` or raise `reserved_concurrency`".into()),
            );
        }
    }
    if let Some(x) = &u.keep_alive {
        sl("keep_alive", true, s, x.span());
        if let Some(ns) = dur(s, x, &format!("{uf}.keep_alive")) {
            function.keep_alive = ns.round().max(0.0) as u64;
        }
    }
    if let Some(x) = &u.max_duration {
        sl("max_duration", true, s, x.span());
        let f = format!("{uf}.max_duration");
        if let Some(ns) = dur_positive(s, x, &f, "the maximum duration") {
            // docs/sources.md serverless "timeout": max 900 s.
            if ns > 900_000_000_000 {
                s.error(
                    x.span(),
                    f,
                    "must be at most 900s (the AWS Lambda limit)",
                    Some(
                        "a longer job does not fit a function: run it on a container or vm unit"
                            .into(),
                    ),
                );
            } else {
                function.max_duration = ns;
            }
        }
    }
    if let Some(x) = &u.cold_start {
        sl("cold_start", true, s, x.span());
        if let Some(d) = dist(s, x, &format!("{uf}.cold_start")) {
            function.cold_start = d;
        }
    }
    if let Some(x) = &u.burst_limit {
        sl("burst_limit", true, s, x.span());
        if let Some(b) = int(
            s,
            x,
            &format!("{uf}.burst_limit"),
            1,
            1_000_000,
            "new instances in a burst",
        ) {
            function.burst_limit = b as u32;
        }
    }
    if let Some(x) = &u.burst_interval {
        sl("burst_interval", true, s, x.span());
        if let Some(ns) = dur_positive(s, x, &format!("{uf}.burst_interval"), "the refill time") {
            function.burst_interval = ns;
        }
    }
    let scaling = u
        .autoscale
        .as_ref()
        .and_then(|a| autoscale(s, a, u, uf, serverless));
    let replicas = match &scaling {
        Some(a) => match &u.replicas {
            Some(r) if replicas < a.min || replicas > a.max => {
                s.error(
                    r.span(),
                    format!("{uf}.replicas"),
                    format!(
                        "the initial replicas {replicas} are outside the autoscaling bounds [{}, {}]",
                        a.min, a.max
                    ),
                    Some("with `autoscale`, `replicas` is the initial count: set it between `autoscale.min` and `autoscale.max`, or omit it to start at `min`".into()),
                );
                replicas
            }
            Some(_) => replicas,
            None => a.min,
        },
        None => replicas,
    };
    let restart_delay = match (&u.restart_delay, platform) {
        (Some(d), Platform::Kubernetes) => dur(s, d, &format!("{uf}.restart_delay"))
            .and_then(|ns| {
                if ns < 0.0 {
                    s.error(d.span(), format!("{uf}.restart_delay"), "must be ≥ 0", None);
                    None
                } else {
                    Some(ns.round() as u64)
                }
            })
            .unwrap_or(0),
        (Some(d), _) => {
            s.error(
                d.span(),
                format!("{uf}.restart_delay"),
                "`restart_delay` applies to kubernetes units only (platform = \"kubernetes\"): on other platforms a crashed instance is back when its crash ends",
                None,
            );
            0
        }
        // Assumption (docs/sources.md, "kubelet restart back-off"): the kubelet's first restart
        // back-off, 10 s (Kubernetes docs, "Pod Lifecycle", container restarts).
        (None, Platform::Kubernetes) => 10_000_000_000,
        (None, _) => 0,
    };
    Unit {
        name: u.name.get().clone(),
        modules,
        platform,
        replicas,
        cores,
        workers,
        queue,
        io,
        base_memory,
        memory,
        lb,
        resilience: u
            .resilience
            .as_ref()
            .map(|r| policies::unit_policy(s, r, &format!("{uf}.resilience")))
            .unwrap_or_default(),
        shed: u.shed.as_ref().and_then(|r| {
            if io == Io::Async {
                s.error(
                    r.max_wait.span(),
                    format!("{uf}.shed"),
                    "load shedding is not supported yet on `io = \"async\"` units (their admission happens at the first CPU phase)",
                    Some("use io = \"blocking\", or bound the queue with `queue`".into()),
                );
                return None;
            }
            policies::shed(s, r, &format!("{uf}.shed"))
        }),
        function,
        placement: Placement::default(),
        pool: u.pool.as_ref().map(|p| {
            let pf = format!("{uf}.pool");
            if serverless {
                s.error(
                    p.span(),
                    &pf,
                    "a connection pool per instance is not modelled for serverless functions yet",
                    Some("remove `pool`, or run the unit on `vm`/`container`".into()),
                );
            }
            let p = p.get();
            // docs/sources.md "HikariCP pool": maximumPoolSize 10, connectionTimeout 30 s.
            DbPool {
                size: p
                    .size
                    .as_ref()
                    .and_then(|x| int(s, x, &format!("{pf}.size"), 1, 100_000, "connections"))
                    .map_or(10, |x| x as u32),
                acquire_timeout: p
                    .acquire_timeout
                    .as_ref()
                    .and_then(|x| {
                        dur_positive(s, x, &format!("{pf}.acquire_timeout"), "the acquire timeout")
                    })
                    .unwrap_or(30_000_000_000),
            }
        }),
        autoscale: scaling,
        restart_delay,
    }
}

/// `autoscale = { ... }` of unit `u` (field path `uf`).
fn autoscale(
    s: &mut Sink<'_>,
    a: &RawAutoscale,
    u: &RawUnit,
    uf: &str,
    serverless: bool,
) -> Option<crate::components::autoscaler::Autoscale> {
    use crate::components::autoscaler::{Autoscale, Metric};
    let af = format!("{uf}.autoscale");
    if serverless {
        s.error(
            u.name.span(),
            &af,
            "`autoscale` applies to vm, container and kubernetes units; a serverless function scales by itself (one instance per request)",
            Some("remove `autoscale`, or bound the function with `reserved_concurrency`".into()),
        );
        return None;
    }
    let util = a.target_utilization.as_ref().and_then(|v| {
        num(
            s,
            v,
            &format!("{af}.target_utilization"),
            (0.0, false),
            1.0,
            "target busy cores / cores per instance",
        )
    });
    let inflight = a.target_in_flight.as_ref().and_then(|v| {
        num(
            s,
            v,
            &format!("{af}.target_in_flight"),
            (0.0, false),
            1e6,
            "target requests present per instance",
        )
    });
    let metric = match (&a.target_utilization, &a.target_in_flight) {
        (Some(_), Some(v)) => {
            s.error(
                v.span(),
                &af,
                "give one target: `target_utilization` or `target_in_flight`, not both",
                None,
            );
            None
        }
        (None, None) => {
            s.error(
                u.name.span(),
                &af,
                "autoscaling needs a target: `target_utilization` (e.g. 0.6) or `target_in_flight` (e.g. 20)",
                Some("autoscale = { target_utilization = 0.6, max = 10 }".into()),
            );
            None
        }
        (Some(_), None) => util.map(Metric::Utilization),
        (None, Some(_)) => inflight.map(Metric::InFlight),
    };
    let min = match &a.min {
        Some(v) => int(
            s,
            v,
            &format!("{af}.min"),
            1,
            MAX_REPLICAS,
            "fewest instances",
        )? as u32,
        None => 1,
    };
    let Some(max_v) = &a.max else {
        s.error(
            u.name.span(),
            format!("{af}.max"),
            "autoscaling needs `max`, the most instances",
            Some(
                "the instances are allocated up front: keep `max` realistic, e.g. max = 20".into(),
            ),
        );
        return None;
    };
    let max = int(
        s,
        max_v,
        &format!("{af}.max"),
        1,
        MAX_REPLICAS,
        "most instances",
    )? as u32;
    if max < min {
        s.error(
            max_v.span(),
            format!("{af}.max"),
            format!("`max` ({max}) is below `min` ({min})"),
            None,
        );
        return None;
    }
    let mut out = Autoscale::with_defaults(metric?, min, max);
    if let Some(v) = &a.period {
        out.period = dur_positive(s, v, &format!("{af}.period"), "the sync period")?;
    }
    if let Some(v) = &a.tolerance {
        let t = num(
            s,
            v,
            &format!("{af}.tolerance"),
            (0.0, true),
            0.99,
            "a relative band around the target",
        )?;
        out.tolerance = t;
    }
    let window = |s: &mut Sink<'_>, v: &Duration, k: &str| -> Option<u64> {
        let f = format!("{af}.{k}");
        let ns = dur(s, v, &f)?;
        if ns < 0.0 {
            s.error(v.span(), f, "must be ≥ 0", None);
            return None;
        }
        Some(ns.round() as u64)
    };
    if let Some(v) = &a.scale_up_window {
        out.up_window = window(s, v, "scale_up_window")?;
    }
    if let Some(v) = &a.scale_down_window {
        out.down_window = window(s, v, "scale_down_window")?;
    }
    if let Some(v) = &a.startup {
        out.startup = dist(s, v, &format!("{af}.startup"))?;
    }
    if let Some(v) = &a.scale_up_pods {
        out.up_pods = int(
            s,
            v,
            &format!("{af}.scale_up_pods"),
            1,
            MAX_REPLICAS,
            "instances added per rate-limit period",
        )? as u32;
    }
    if let Some(v) = &a.scale_up_percent {
        out.up_percent = num(
            s,
            v,
            &format!("{af}.scale_up_percent"),
            (0.0, false),
            10_000.0,
            "percent added per rate-limit period",
        )?;
    }
    if let Some(v) = &a.scale_up_period {
        out.up_period = dur_positive(
            s,
            v,
            &format!("{af}.scale_up_period"),
            "the rate-limit period",
        )?;
    }
    Some(out)
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
    p
}

#[cfg(test)]
mod tests {
    use crate::scenario::{parse, Diagnostic};

    const BASE: &str = r#"name = "t"
[workload]
duration = "10s"
[[workload.entries]]
name = "e"
op = "a.x"
arrival = { rate = 5 }
[modules.a]
ops.x = { cpu = "1ms", calls = [ { op = "b.y" } ] }
[modules.b]
ops.y = { cpu = "1ms", calls = [ { op = "db.q" } ] }
[datastores.db]
ops.q = { time = "1ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "u"
modules = ["a", "b"]
[[variants.databases]]
name = "d"
stores = ["db"]
"#;

    fn diags(from: &str, to: &str) -> Vec<Diagnostic> {
        assert!(BASE.contains(from), "{from}");
        match parse(&BASE.replacen(from, to, 1), "t.toml") {
            Ok(_) => panic!("expected an error for {to}"),
            Err(e) => e.diagnostics().map(|d| d.0.clone()).unwrap_or_default(),
        }
    }

    fn has(d: &[Diagnostic], field: &str, line: usize, text: &str) -> bool {
        d.iter()
            .any(|x| x.field == field && x.line == line && x.to_string().contains(text))
    }

    #[test]
    fn base_is_valid() {
        let s = parse(BASE, "t.toml").expect("valid");
        assert_eq!(s.ops.len(), 3);
        assert_eq!(s.variants[0].store_db, vec![Some(0)]);
    }

    #[test]
    fn error_classes_have_field_and_line() {
        let d = diags("{ op = \"b.y\" }", "{ op = \"a.x\" }");
        assert!(
            has(&d, "modules.a.ops.x.calls[0].op", 9, "a.x -> a.x"),
            "{d:?}"
        );
        let d = diags("{ op = \"db.q\" }", "{ op = \"a.x\" }");
        assert!(
            has(&d, "modules.b.ops.y.calls[0].op", 11, "b.y -> a.x -> b.y")
                || has(&d, "modules.a.ops.x.calls[0].op", 9, "a.x -> b.y -> a.x"),
            "{d:?}"
        );
        let d = diags("op = \"a.x\"", "op = \"x\"");
        assert!(
            has(&d, "workload.entries[0].op", 6, "did you mean `a.x`?"),
            "{d:?}"
        );
        let d = diags("rate = 5", "rate = 0");
        assert!(
            has(&d, "workload.entries[0].arrival.rate", 7, "> 0"),
            "{d:?}"
        );
        let d = diags("stores = [\"db\"]", "stores = [\"dx\"]");
        assert!(
            has(
                &d,
                "variants[0].databases[0].stores[0]",
                21,
                "did you mean `db`?"
            ),
            "{d:?}"
        );
        assert!(
            has(
                &d,
                "variants[0].databases",
                15,
                "data store `db` is called by `b.y`"
            ),
            "{d:?}"
        );
        let d = diags("modules = [\"a\", \"b\"]", "modules = [\"a\"]");
        assert!(
            has(&d, "variants[0].units", 15, "module `b` is in no unit"),
            "{d:?}"
        );
        let d = diags("duration = \"10s\"", "duration = 10");
        assert!(
            has(&d, "workload.duration", 3, "found the number 10"),
            "{d:?}"
        );
    }
}
