//! The call graph: each operation's `calls` (single calls, `parallel` groups, sagas,
//! publishes) resolved into steps, the call edges, the check that synchronous calls form no
//! cycle, and which operations the entries reach.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;

use petgraph::algo::toposort;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::refs::{Owner, Refs};
use crate::components::policy::resolve::{call_policy, CallKeys};
use crate::scenario::raw::{RawCall, RawCompensate, Sp};
use crate::scenario::types::{Call, OpId, Operation, SagaStep, Step, Transaction, TxReach};
use crate::spec::check::{dur_positive, int, num};
use crate::spec::error::Sink;

/// Most repetitions of a call.
pub const MAX_COUNT: i64 = 10_000;
/// Most cycles reported.
const MAX_CYCLES: usize = 20;

/// A call edge, for the cycle search and reachability.
pub(super) struct Edge {
    pub(super) from: OpId,
    pub(super) to: OpId,
    pub(super) span: Range<usize>,
    pub(super) field: String,
    /// A synchronous call (part of the cycle check); publishes are asynchronous.
    pub(super) sync: bool,
    /// A publish: its queue (index in `Scenario::queues`).
    pub(super) queue: Option<usize>,
}

/// Resolves one call (not a parallel group).
fn call(
    s: &mut Sink<'_>,
    names: &Refs<'_>,
    raw: &Sp<RawCall>,
    field: &str,
    from: OpId,
    edges: &mut Vec<Edge>,
    group: Option<&str>,
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
    misplaced(s, raw, field, group);
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
            if group == Some("transaction") {
                s.error(
                    q.span(),
                    &qf,
                    "a transaction step cannot be a publish: it waits for the outcome of each step",
                    Some("for steps linked by events, use a choreographed `saga` whose every step names its queue with `publish`".into()),
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
        queue: publish,
    });
    let keys = CallKeys {
        retry: c.retry.as_ref(),
        breaker: c.breaker.as_ref(),
        bulkhead: c.bulkhead.as_ref(),
        fallback: c.fallback.as_ref(),
    };
    let policy = call_policy(s, keys, field, timeout);
    Some(Call {
        op: to,
        p: p.unwrap_or(1.0),
        count: count.map_or(1, |c| c as u32),
        timeout,
        policy,
        publish,
    })
}

/// Reports the group keys written on a call that is not in (or not) such a group: `compensate`
/// outside a saga or transaction step, `locks` outside a transaction step, the transaction
/// group's keys on a call, and a nested group.
fn misplaced(s: &mut Sink<'_>, raw: &Sp<RawCall>, field: &str, group: Option<&str>) {
    let c = raw.get();
    if let Some(w) = &c.workflow {
        s.error(
            w.span(),
            format!("{field}.workflow"),
            "a `workflow` call is a step of its own: it cannot be inside `parallel`, a `saga` or a `transaction`",
            None,
        );
    }
    if let Some(w) = &c.wait {
        s.error(
            w.span(),
            format!("{field}.wait"),
            "`wait` is only allowed on a `workflow` call",
            Some("write `{ workflow = \"NAME\", wait = true }`".into()),
        );
    }
    let in_saga = group.is_some();
    if let (Some(cmp), false) = (&c.compensate, in_saga) {
        s.error(
            cmp.span(),
            format!("{field}.compensate"),
            "`compensate` is only allowed on the steps of a `saga` or a `transaction`",
            Some("wrap the calls in `{ saga = [ { op = ..., compensate = ... }, ... ] }`".into()),
        );
    }
    if let (Some(l), false) = (&c.locks, group == Some("transaction")) {
        s.error(
            l.span(),
            format!("{field}.locks"),
            "`locks` is only allowed on the steps of a `transaction`",
            Some(
                "wrap the calls in `{ transaction = [ { op = ..., locks = [\"row\"] }, ... ] }`"
                    .into(),
            ),
        );
    }
    for (k, present) in [
        ("lock_timeout", c.lock_timeout.is_some()),
        ("commit_latency", c.commit_latency.is_some()),
    ] {
        if present {
            s.error(
                raw.span(),
                format!("{field}.{k}"),
                format!("`{k}` is only allowed on a `transaction` group"),
                Some(format!("write `{{ transaction = [ ... ], {k} = ... }}`")),
            );
        }
    }
    for (k, present) in [
        ("saga", c.saga.is_some()),
        ("transaction", c.transaction.is_some()),
    ] {
        if present {
            s.error(
                raw.span(),
                format!("{field}.{k}"),
                format!("a call has either `op` or `{k}`, not both; sagas and transactions cannot be nested or put in `parallel`"),
                None,
            );
        }
    }
}

/// Resolves the call list of one module operation into steps.
pub(super) fn steps(
    s: &mut Sink<'_>,
    names: &Refs<'_>,
    wfs: &super::workflows::Workflows,
    calls: &[Sp<RawCall>],
    field: &str,
    from: OpId,
    edges: &mut Vec<Edge>,
) -> Vec<Step> {
    let mut out = Vec::new();
    for (i, raw) in calls.iter().enumerate() {
        let f = format!("{field}.calls[{i}]");
        let c = raw.get();
        if let Some(name) = &c.workflow {
            if let Some(st) = super::workflows::call(s, wfs, raw, name, &f, from, edges) {
                out.push(st);
            }
            continue;
        }
        for (kind, items) in [("saga", &c.saga), ("transaction", &c.transaction)] {
            if let Some(items) = items {
                if let Some(st) = group(s, names, raw, items, &f, from, edges, kind) {
                    out.push(st);
                }
            }
        }
        if c.saga.is_some() || c.transaction.is_some() {
            continue;
        }
        match &c.parallel {
            None => {
                if let Some(c) = call(s, names, raw, &f, from, edges, None) {
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
                    if let Some(c) = call(s, names, b, &bf, from, edges, None) {
                        group.push(c);
                    }
                }
                out.push(Step::Parallel(group));
            }
        }
    }
    out
}

/// Resolves a `{ saga = [ ... ] }` or `{ transaction = [ ... ] }` group (`kind`).
#[allow(clippy::too_many_arguments)]
fn group(
    s: &mut Sink<'_>,
    names: &Refs<'_>,
    raw: &Sp<RawCall>,
    items: &[Sp<RawCall>],
    f: &str,
    from: OpId,
    edges: &mut Vec<Edge>,
    kind: &str,
) -> Option<Step> {
    let c = raw.get();
    let tx = kind == "transaction";
    let extra = [
        ("op", c.op.is_some()),
        ("parallel", c.parallel.is_some()),
        ("p", c.p.is_some()),
        ("count", c.count.is_some()),
        ("timeout", c.timeout.is_some()),
        ("retry", c.retry.is_some()),
        ("breaker", c.breaker.is_some()),
        ("bulkhead", c.bulkhead.is_some()),
        ("fallback", c.fallback.is_some()),
        ("publish", c.publish.is_some()),
        ("compensate", c.compensate.is_some()),
        ("locks", c.locks.is_some()),
        ("saga", tx && c.saga.is_some()),
        ("lock_timeout", !tx && c.lock_timeout.is_some()),
        ("commit_latency", !tx && c.commit_latency.is_some()),
    ];
    for (k, present) in extra {
        if present {
            s.error(
                raw.span(),
                format!("{f}.{k}"),
                format!("`{k}` is not allowed on a `{kind}` group"),
                Some(if tx {
                    "a transaction group holds `transaction = [ { op = ..., locks = [...] }, ... ]`, `lock_timeout` and `commit_latency`".into()
                } else {
                    "a saga group holds only `saga = [ { op = ..., compensate = ... }, ... ]`".into()
                }),
            );
        }
    }
    if items.is_empty() {
        s.error(
            raw.span(),
            format!("{f}.{kind}"),
            format!("a `{kind}` needs at least one step"),
            None,
        );
        return None;
    }
    // A saga whose steps name their queues (`publish`) is a choreography: every step must.
    let choreo = !tx && items.iter().any(|b| b.get().publish.is_some());
    let mut out = Vec::new();
    for (j, b) in items.iter().enumerate() {
        let bf = format!("{f}.{kind}[{j}]");
        let bc = b.get();
        if choreo && bc.publish.is_none() {
            s.error(
                b.span(),
                format!("{bf}.publish"),
                "a choreographed saga step needs `publish` (the queue its event goes through): some steps of this saga publish, so every step must",
                Some("give every step `publish = \"QUEUE\"`, or none (an orchestrated saga)".into()),
            );
        }
        let queue = if choreo {
            bc.publish
                .as_ref()
                .and_then(|q| names.queues.iter().position(|n| *n == q.get().as_str()))
        } else {
            None
        };
        if bc.parallel.is_some() || bc.saga.is_some() || bc.transaction.is_some() {
            s.error(
                b.span(),
                &bf,
                format!("a {kind} step is one call: `parallel`, `saga` and `transaction` are not allowed in it"),
                None,
            );
            continue;
        }
        if let Some(p) = &bc.p {
            s.error(
                p.span(),
                format!("{bf}.p"),
                format!("`p` is not allowed on a {kind} step: every step runs until one fails"),
                None,
            );
        }
        let compensate = bc
            .compensate
            .as_ref()
            .and_then(|cmp| compensation(s, names, cmp, &bf, from, edges, queue));
        let locks = step_locks(s, names, bc, &bf);
        if let Some(call) = call(s, names, b, &bf, from, edges, Some(kind)) {
            out.push(SagaStep {
                call,
                compensate,
                locks,
            });
        }
    }
    if !tx {
        return Some(Step::Saga(out));
    }
    let (lock_timeout, commit_latency) = crate::components::tx::resolve::group_keys(
        s,
        c.lock_timeout.as_ref(),
        c.commit_latency.as_ref(),
        f,
    );
    let mut locks: Vec<u32> = out.iter().flat_map(|x| x.locks.iter().copied()).collect();
    locks.sort_unstable();
    locks.dedup();
    Some(Step::Transaction(Transaction {
        steps: out,
        locks,
        lock_timeout,
        commit_latency,
        reach: TxReach::default(),
        span: raw.span(),
        field: f.to_string(),
    }))
}

/// The locks of a transaction step (field path `bf`), ascending, each once.
fn step_locks(s: &mut Sink<'_>, names: &Refs<'_>, bc: &RawCall, bf: &str) -> Vec<u32> {
    let mut locks: Vec<u32> = bc.locks.as_ref().map_or(Vec::new(), |l| {
        if l.get().is_empty() {
            s.error(
                l.span(),
                format!("{bf}.locks"),
                "`locks` needs at least one lock name",
                Some("remove `locks`, or name the hot rows the step writes".into()),
            );
        }
        l.get()
            .iter()
            .filter_map(|n| {
                if n.get().trim().is_empty() {
                    s.error(
                        n.span(),
                        format!("{bf}.locks"),
                        "a lock name is empty",
                        None,
                    );
                    return None;
                }
                names
                    .locks
                    .binary_search(&n.get().as_str())
                    .ok()
                    .map(|i| i as u32)
            })
            .collect()
    });
    locks.sort_unstable();
    locks.dedup();
    locks
}

/// The compensating call of a saga or transaction step at field path `bf`: `compensate =
/// "m.op"` (the calling unit's policy defaults) or `{ op = "m.op", retry = { ... } }`.
fn compensation(
    s: &mut Sink<'_>,
    names: &Refs<'_>,
    cmp: &Sp<RawCompensate>,
    bf: &str,
    from: OpId,
    edges: &mut Vec<Edge>,
    queue: Option<usize>,
) -> Option<Call> {
    let cf = format!("{bf}.compensate");
    let (id, span, retry, of, text) = match cmp.get() {
        RawCompensate::Op(name) => {
            let r = Sp(toml::Spanned::new(cmp.span(), name.clone()));
            (names.op_ref(s, &r, &cf), cmp.span(), None, cf.clone(), name)
        }
        RawCompensate::Call(c) => {
            let of = format!("{cf}.op");
            (
                names.op_ref(s, &c.op, &of),
                c.op.span(),
                c.retry.as_ref(),
                of,
                c.op.get(),
            )
        }
    };
    let keys = CallKeys {
        retry,
        breaker: None,
        bulkhead: None,
        fallback: None,
    };
    if let (Some(_), Some(_)) = (queue, retry) {
        s.error(
            span.clone(),
            format!("{cf}.retry"),
            "a choreographed step's compensation is an event on the step's queue: it is retried by the queue's redeliveries (`max_receives`), not by `retry`",
            Some("write `compensate = \"module.op\"` and set the queue's `visibility_timeout` and `max_receives`".into()),
        );
    }
    let policy = call_policy(s, keys, &cf, None);
    let id = id?;
    if queue.is_some() {
        let owner = text.split_once('.').map_or("", |x| x.0);
        if let Some(Owner::Store(_)) = names.owners.get(owner) {
            s.error(
                span.clone(),
                &of,
                "the compensation of a choreographed step consumes an event: it must be a module operation, not a data-store operation",
                Some("add a module operation that calls the data store and compensate with it".into()),
            );
        }
    }
    edges.push(Edge {
        from,
        to: id,
        span,
        field: of,
        sync: queue.is_none(),
        queue,
    });
    Some(Call {
        op: id,
        p: 1.0,
        count: 1,
        timeout: None,
        policy,
        publish: queue,
    })
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
pub(super) fn cycles(s: &mut Sink<'_>, ops: &[Operation], edges: &[Edge]) {
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

/// Which operations the entries reach through calls, and for each reached operation one
/// caller (`None` for the entries' own).
pub(super) fn reachability(
    n_ops: usize,
    edges: &[Edge],
    entries: impl Iterator<Item = OpId>,
) -> (Vec<bool>, Vec<Option<OpId>>) {
    let mut reachable = vec![false; n_ops];
    let mut via: Vec<Option<OpId>> = vec![None; n_ops];
    let mut adj: Vec<Vec<OpId>> = vec![Vec::new(); n_ops];
    for e in edges {
        adj[e.from].push(e.to);
    }
    let mut stack: Vec<OpId> = entries.collect();
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
    (reachable, via)
}
