//! What the traces show: operations, their calls, own times, errors, instances.

use super::names::normalize;
use super::span::{Kind, Span};
use super::traces::{Trace, TraceSet};
use std::collections::{BTreeMap, BTreeSet};

/// An operation: a service and a normalized span name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpKey {
    /// `service.name`.
    pub service: String,
    /// The span name with its ids collapsed.
    pub name: String,
}

/// What an operation calls.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// Another operation, synchronously.
    Op(OpKey),
    /// A database operation.
    Db {
        /// Data store (`db.name`/`db.namespace`, else `db.system`).
        store: String,
        /// `db.operation` (or the statement's first word).
        op: String,
    },
    /// A message published on a queue and consumed by an operation.
    Publish {
        /// `messaging.destination.name`.
        queue: String,
        /// The consuming operation.
        consumer: OpKey,
    },
}

/// One call seen inside one invocation.
#[derive(Clone, Debug)]
struct CallObs {
    /// `None`: a call to something not traced (kept out of own time, not in the graph).
    target: Option<Target>,
    start: i64,
    end: i64,
    error: bool,
}

/// A call edge over all the invocations of its caller that count for the graph.
#[derive(Clone, Debug, Default)]
pub struct CallAgg {
    /// Invocations that made this call at least once.
    pub with: u64,
    /// Calls in all.
    pub total: u64,
    /// Sum over `with` invocations of the first call's start after the caller's start, s.
    pub offset_sum: f64,
    /// Invocations whose calls to this target overlapped each other (a parallel fan-out).
    pub self_overlap: u64,
}

/// Everything seen of one operation.
#[derive(Clone, Debug, Default)]
pub struct OpObs {
    /// The span names merged into it.
    pub originals: BTreeSet<String>,
    /// Invocations (spans) seen.
    pub invocations: u64,
    /// Own times (duration minus the union of its calls' intervals), s.
    pub self_times: Vec<f64>,
    /// Invocations in error whose calls did not fail (the error is its own).
    pub errors_own: u64,
    /// Invocations in error.
    pub errors: u64,
    /// Invocations from the traces the call graph counts.
    pub graph_invocations: u64,
    /// Its calls.
    pub calls: BTreeMap<Target, CallAgg>,
    /// For two targets: (invocations calling both, of which with overlapping calls).
    pub overlaps: BTreeMap<(Target, Target), (u64, u64)>,
    /// Start times (ns) of the invocations that began a request (entries).
    pub root_starts: Vec<i64>,
    /// Durations of those invocations (the requests' latencies as the entry saw them), s.
    pub root_durations: Vec<f64>,
}

/// A database operation seen.
#[derive(Clone, Debug, Default)]
pub struct DbObs {
    /// `db.system`.
    pub system: String,
    /// Writes (INSERT, UPDATE, …) rather than reads.
    pub write: bool,
    /// Call durations, s.
    pub samples: Vec<f64>,
    /// Calls in error.
    pub errors: u64,
}

/// Everything discovery read off the traces.
#[derive(Debug, Default)]
pub struct Observed {
    /// Operations.
    pub ops: BTreeMap<OpKey, OpObs>,
    /// Database operations by (store, op).
    pub db: BTreeMap<(String, String), DbObs>,
    /// Publish latencies (producer span durations) by queue, s.
    pub queues: BTreeMap<String, Vec<f64>>,
    /// Distinct instances per service.
    pub instances: BTreeMap<String, BTreeSet<String>>,
    /// One-way network latency samples: (client duration − server duration) / 2, s.
    pub net_one_way: Vec<f64>,
    /// What could not be mapped (reason → spans).
    pub unmapped: BTreeMap<String, u64>,
    /// Earliest span start and latest span end, ns.
    pub window: (i64, i64),
    /// Traces complete / incomplete.
    pub complete: usize,
    /// Traces with a missing parent or several roots.
    pub incomplete: usize,
    /// The call graph was counted on complete traces only (false: no trace was complete, so
    /// all were used).
    pub graph_complete_only: bool,
}

/// The operation of an operation span.
pub fn op_key(s: &Span) -> OpKey {
    OpKey {
        service: s.service.clone(),
        name: normalize(&s.name),
    }
}

fn is_op(s: &Span) -> bool {
    matches!(s.kind, Kind::Server | Kind::Consumer)
}

const DB_WRITES: &[&str] = &[
    "insert", "update", "delete", "upsert", "merge", "replace", "create", "drop", "alter",
    "truncate", "set", "put", "del", "hset", "incr", "lpush", "rpush", "sadd", "zadd", "write",
    "copy", "grant",
];

/// The database target of a span with `db.system`: (store, op, write).
fn db_target(s: &Span) -> Option<(String, String, String, bool)> {
    let system = s.attr(&["db.system", "db.system.name"])?.to_string();
    let store = s
        .attr(&["db.name", "db.namespace", "db.instance"])
        .unwrap_or(&system)
        .to_string();
    let stmt_word = s
        .attr(&["db.statement", "db.query.text"])
        .and_then(|q| q.split_whitespace().next())
        .map(str::to_string);
    let op = s
        .attr(&["db.operation", "db.operation.name"])
        .map(str::to_string)
        .or(stmt_word)
        .unwrap_or_else(|| s.name.split_whitespace().next().unwrap_or("query").into())
        .to_ascii_lowercase();
    let write = DB_WRITES.contains(&op.as_str());
    Some((store, op, system, write))
}

fn secs(ns: i64) -> f64 {
    ns as f64 * 1e-9
}

/// Reads the operations and their calls off the traces.
pub fn observe(set: &TraceSet) -> Observed {
    let mut o = Observed {
        window: (i64::MAX, i64::MIN),
        ..Default::default()
    };
    let any_complete = set.traces.iter().any(Trace::complete);
    o.graph_complete_only = any_complete;
    for t in &set.traces {
        if t.complete() {
            o.complete += 1;
        } else {
            o.incomplete += 1;
        }
        let counts = t.complete() || !any_complete;
        for (i, s) in t.spans.iter().enumerate() {
            o.window.0 = o.window.0.min(s.start);
            o.window.1 = o.window.1.max(s.end);
            if let Some(inst) = &s.instance {
                o.instances
                    .entry(s.service.clone())
                    .or_default()
                    .insert(inst.clone());
            } else {
                o.instances.entry(s.service.clone()).or_default();
            }
            let root = s.parent.is_none();
            if root && !is_op(s) {
                if s.kind == Kind::Client && t.children[i].iter().any(|&c| is_op(&t.spans[c])) {
                    *o.unmapped
                        .entry(format!(
                            "root client span `{}` of `{}`: the client is not modelled, the \
                             server spans it calls are the entries",
                            s.name, s.service
                        ))
                        .or_default() += 1;
                    continue;
                }
                if s.kind != Kind::Internal {
                    *o.unmapped
                        .entry(format!(
                            "root {:?} span `{}` of `{}`: not an operation",
                            s.kind, s.name, s.service
                        ))
                        .or_default() += 1;
                    continue;
                }
            }
            let entry_via_client = s.parent.as_ref().is_some_and(|_| {
                t.roots
                    .iter()
                    .any(|&r| t.spans[r].kind == Kind::Client && t.children[r].contains(&i))
            });
            if is_op(s) || root {
                invocation(t, i, counts, root || entry_via_client, &mut o);
            }
        }
    }
    o
}

fn invocation(t: &Trace, i: usize, counts: bool, entry: bool, o: &mut Observed) {
    let s = &t.spans[i];
    let mut calls = Vec::new();
    calls_of(t, i, &mut calls, o);
    // Own time: the span minus the union of its calls' intervals (clamped to the span).
    let mut iv: Vec<(i64, i64)> = calls
        .iter()
        .map(|c| (c.start.max(s.start), c.end.min(s.end)))
        .filter(|(a, b)| b > a)
        .collect();
    iv.sort_unstable();
    let (mut covered, mut cur) = (0i64, None::<(i64, i64)>);
    for (a, b) in iv {
        match cur {
            Some((ca, cb)) if a <= cb => cur = Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                covered += cb - ca;
                cur = Some((a, b));
            }
            None => cur = Some((a, b)),
        }
    }
    if let Some((a, b)) = cur {
        covered += b - a;
    }
    let key = op_key(s);
    let obs = o.ops.entry(key).or_default();
    obs.originals.insert(s.name.clone());
    obs.invocations += 1;
    obs.self_times.push(secs(s.duration() - covered));
    if s.error {
        obs.errors += 1;
        if !calls.iter().any(|c| c.error) {
            obs.errors_own += 1;
        }
    }
    if entry {
        obs.root_starts.push(s.start);
        obs.root_durations.push(secs(s.duration()));
    }
    if !counts {
        return;
    }
    obs.graph_invocations += 1;
    let mut by: BTreeMap<Target, Vec<(i64, i64)>> = BTreeMap::new();
    for c in calls {
        if let Some(tgt) = c.target {
            by.entry(tgt).or_default().push((c.start, c.end));
        }
    }
    let overlap = |x: &(i64, i64), y: &(i64, i64)| x.0 < y.1 && y.0 < x.1;
    for (tgt, v) in &by {
        let a = obs.calls.entry(tgt.clone()).or_default();
        a.with += 1;
        a.total += v.len() as u64;
        a.offset_sum += secs(v[0].0 - s.start);
        if v.iter()
            .enumerate()
            .any(|(k, x)| v[k + 1..].iter().any(|y| overlap(x, y)))
        {
            a.self_overlap += 1;
        }
    }
    let keys: Vec<&Target> = by.keys().collect();
    for (k, a) in keys.iter().enumerate() {
        for b in &keys[k + 1..] {
            let both = by[*a].iter().any(|x| by[*b].iter().any(|y| overlap(x, y)));
            let e = obs
                .overlaps
                .entry(((*a).clone(), (*b).clone()))
                .or_default();
            e.0 += 1;
            e.1 += u64::from(both);
        }
    }
}

fn unmapped(o: &mut Observed, why: String) {
    *o.unmapped.entry(why).or_default() += 1;
}

fn calls_of(t: &Trace, i: usize, out: &mut Vec<CallObs>, o: &mut Observed) {
    for &c in &t.children[i] {
        let s = &t.spans[c];
        if is_op(s) {
            out.push(CallObs {
                target: Some(Target::Op(op_key(s))),
                start: s.start,
                end: s.end,
                error: s.error,
            });
            continue;
        }
        if matches!(s.kind, Kind::Client | Kind::Internal) {
            if let Some((store, op, system, write)) = db_target(s) {
                let d = o.db.entry((store.clone(), op.clone())).or_default();
                d.system = system;
                d.write = write;
                d.samples.push(secs(s.duration()));
                d.errors += u64::from(s.error);
                out.push(CallObs {
                    target: Some(Target::Db { store, op }),
                    start: s.start,
                    end: s.end,
                    error: s.error,
                });
                continue;
            }
        }
        match s.kind {
            Kind::Client => {
                let ops: Vec<usize> = t.children[c]
                    .iter()
                    .copied()
                    .filter(|&k| is_op(&t.spans[k]))
                    .collect();
                if ops.is_empty() {
                    let peer = s
                        .attr(&["peer.service", "server.address", "net.peer.name"])
                        .unwrap_or("unknown");
                    unmapped(
                        o,
                        format!(
                            "client span `{}` of `{}` has no server span below it (callee \
                             `{peer}` not traced): its time counts as neither own time nor a call",
                            s.name, s.service
                        ),
                    );
                    // Its interval is still not the caller's own time.
                    out.push(CallObs {
                        target: None,
                        start: s.start,
                        end: s.end,
                        error: s.error,
                    });
                }
                for k in ops {
                    let srv = &t.spans[k];
                    if srv.service != s.service {
                        o.net_one_way
                            .push(secs((s.duration() - srv.duration()).max(0)) / 2.0);
                    }
                    out.push(CallObs {
                        target: Some(Target::Op(op_key(srv))),
                        start: s.start,
                        end: s.end,
                        error: s.error || srv.error,
                    });
                }
            }
            Kind::Producer => {
                let queue = s
                    .attr(&[
                        "messaging.destination.name",
                        "messaging.destination",
                        "messaging.kafka.topic",
                    ])
                    .unwrap_or(&s.name)
                    .to_string();
                let consumers: Vec<usize> = t.children[c]
                    .iter()
                    .copied()
                    .filter(|&k| t.spans[k].kind == Kind::Consumer)
                    .collect();
                if consumers.is_empty() {
                    unmapped(
                        o,
                        format!(
                            "producer span `{}` of `{}` (queue `{queue}`) has no consumer span \
                             below it: the message is not modelled",
                            s.name, s.service
                        ),
                    );
                }
                o.queues
                    .entry(queue.clone())
                    .or_default()
                    .push(secs(s.duration()));
                for k in consumers {
                    out.push(CallObs {
                        target: Some(Target::Publish {
                            queue: queue.clone(),
                            consumer: op_key(&t.spans[k]),
                        }),
                        start: s.start,
                        end: s.end,
                        error: s.error,
                    });
                }
            }
            _ => calls_of(t, c, out, o),
        }
    }
}
