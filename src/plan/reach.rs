//! What an SLO can see of a variant, read from its compiled model before anything is
//! simulated:
//!
//! - **whether it can detect overload at all** ([`overload_blind`]): an error clause only
//!   rises with load when something on the path of an entry it covers fails a request as load
//!   rises — a client or call timeout, a bounded queue (finite workers and queue), load
//!   shedding, a component that throttles, limits or refuses (a function's concurrency, a rate
//!   limit, a connection pool, a bulkhead, a breaker, a message queue, a saga); a latency
//!   clause only rises when some station on the path can queue (finite cores or workers, a
//!   host's shared cores, a component). A clause on an entry whose rate does not change (with
//!   `--entry`) rises only when that entry's path shares a node with the scaled entry's. An
//!   SLO none of whose clauses can rise with load is met at every rate (or every plan), so the
//!   search cannot answer;
//! - **the fastest possible successful request of an entry** ([`floor_s`]): the sum, along the
//!   calls every request makes, of the smallest CPU demand of each operation (a distribution's
//!   minimum: 0 for `exp`, `lognormal`, `gamma`; `min` of a `uniform`; the scale of a `pareto`;
//!   the smallest sample) and of the smallest network hop each way of a remote call or a query.
//!   A call that may be skipped or answered otherwise (probability below 1, a cache, a policy
//!   with a fallback, a component taking it over) counts 0. Every successful request takes at
//!   least this long at any load, so a latency bound at or below it is not met at any rate
//!   ([`below_floor`]);
//! - **whether latency can fall as load rises** (functions' cold starts, caches' hit ratios):
//!   then a violation at low load does not prove the SLO unmeetable ([`falls_with_load`]).

use crate::components::bit;
use crate::flow::topology::{CallKind, Topology, NO_CACHE, NO_HOST, NO_POLICY};
use crate::kernel::dist::Dist;
use crate::spec::slo::{Clause, Metric, Slo};
use crate::spec::units::fmt_secs;

/// What the path of one entry (every operation its requests may reach) holds.
#[derive(Debug, Clone, Default)]
struct EntryPath {
    /// Nodes reached.
    nodes: Vec<bool>,
    /// What on the path can fail a request as load rises (a phrase each).
    failing: Vec<String>,
    /// Some station on the path can queue.
    queueing: bool,
    /// A function or a cache on the path: latency may fall as load rises.
    falls: bool,
}

/// Node components that never fail a request: shared host cores, an autoscaler.
const HARMLESS_NODE_BITS: u32 = bit::placement | bit::autoscaler;

fn entry_path(t: &Topology, entry: usize) -> EntryPath {
    let mut p = EntryPath {
        nodes: vec![false; t.nodes.len()],
        ..Default::default()
    };
    let e = &t.entries[entry];
    if e.timeout > 0 {
        p.failing.push("a client timeout".into());
    }
    if e.hooks != 0 {
        p.failing.push("client retries".into());
    }
    let mut seen = vec![false; t.ops.len()];
    let mut todo = vec![e.op as usize];
    while let Some(o) = todo.pop() {
        if o >= t.ops.len() || std::mem::replace(&mut seen[o], true) {
            continue;
        }
        let op = &t.ops[o];
        if (op.node as usize) < t.nodes.len() {
            visit_node(t, op.node as usize, &mut p);
        }
        for step in t.op_steps(o) {
            for c in &t.calls[step.first as usize..(step.first + step.len) as usize] {
                if c.timeout > 0 {
                    p.failing.push(format!("a call timeout on `{}`", op.name));
                }
                if c.policy != NO_POLICY {
                    p.failing.push(format!("a call policy on `{}`", op.name));
                }
                if c.cache != NO_CACHE || c.hooks & bit::cache != 0 {
                    p.falls = true;
                }
                if c.hooks & !bit::cache != 0 {
                    p.failing
                        .push(format!("a component on a call of `{}`", op.name));
                }
                todo.push(c.op as usize);
            }
        }
    }
    p
}

fn visit_node(t: &Topology, n: usize, p: &mut EntryPath) {
    if std::mem::replace(&mut p.nodes[n], true) {
        return;
    }
    let node = &t.nodes[n];
    if node.hooks & !HARMLESS_NODE_BITS != 0 {
        p.failing.push(format!(
            "a throttling or limiting component at `{}`",
            node.name
        ));
    }
    if node.hooks != 0 {
        p.queueing = true;
    }
    if node.serverless || node.hooks & bit::function != 0 {
        p.falls = true;
    }
    for s in node.stations() {
        let st = &t.stations[s as usize];
        if st.queue != u32::MAX && st.workers != u32::MAX {
            p.failing
                .push(format!("a bounded queue at `{}`", node.name));
        }
        if st.shed_max_wait > 0 {
            p.failing.push(format!("load shedding at `{}`", node.name));
        }
        if st.cores.is_finite() || st.workers != u32::MAX || st.host != NO_HOST {
            p.queueing = true;
        }
    }
}

/// Whether the clause gets worse as the load rises on an entry whose path is `p`, `affected`
/// saying whether that load changes at all, `scaled` whether the entry's own rate does.
fn rises(c: &Clause, p: &EntryPath, affected: bool, scaled: bool) -> bool {
    match c.metric {
        m if m.is_latency() => c.op.upper_bound() && affected && p.queueing,
        Metric::Errors => c.op.upper_bound() && affected && !p.failing.is_empty(),
        Metric::Availability => !c.op.upper_bound() && affected && !p.failing.is_empty(),
        Metric::Throughput => c.op.upper_bound() && scaled,
        _ => false,
    }
}

/// The entries (indices in `t.entries`) a clause covers.
fn covered(t: &Topology, c: &Clause) -> Vec<usize> {
    (0..t.entries.len())
        .filter(|&i| c.entry.as_deref().map_or(true, |e| e == t.entries[i].name))
        .collect()
}

/// Why `slo` cannot detect overload on the variant `t` when the rate of `scaled` (every
/// entry when `None`) rises, or `None` when some clause can.
pub(crate) fn overload_blind(t: &Topology, slo: &Slo, scaled: Option<&str>) -> Option<String> {
    let paths: Vec<EntryPath> = (0..t.entries.len()).map(|i| entry_path(t, i)).collect();
    let scaled_ix = scaled.and_then(|s| t.entries.iter().position(|e| e.name == s));
    let own = |i: usize| scaled.is_none() || scaled_ix == Some(i);
    let affected = |i: usize| {
        own(i)
            || scaled_ix.is_some_and(|s| {
                paths[i]
                    .nodes
                    .iter()
                    .zip(&paths[s].nodes)
                    .any(|(a, b)| *a && *b)
            })
    };
    let any = slo.clauses.iter().any(|c| {
        covered(t, c)
            .into_iter()
            .any(|i| rises(c, &paths[i], affected(i), own(i)))
    });
    if any {
        return None;
    }
    let mut why = Vec::new();
    for c in &slo.clauses {
        for i in covered(t, c) {
            let name = &t.entries[i].name;
            let p = &paths[i];
            let reason = if !affected(i) {
                format!("entry `{name}` shares no node with the entry whose rate changes")
            } else if c.metric.is_latency() && c.op.upper_bound() {
                format!(
                    "every station on the path of entry `{name}` serves without limit, so its \
                     latency does not rise with load"
                )
            } else if matches!(c.metric, Metric::Errors | Metric::Availability)
                && p.failing.is_empty()
            {
                format!(
                    "nothing on the path of entry `{name}` fails a request as load rises (no \
                     timeout, no bounded queue, no load shedding, no throttling or concurrency \
                     limit), so its errors stay where they are however high the rate"
                )
            } else {
                format!("`{}` does not get worse as load rises", c.text)
            };
            if !why.contains(&reason) {
                why.push(reason);
            }
        }
    }
    Some(format!(
        "the SLO `{slo}` cannot detect overload: {}; add a latency clause (e.g. `p99<…`) or \
         model the timeout, queue limit or concurrency limit the real system has",
        why.join("; ")
    ))
}

/// The smallest value of a distribution \[ns\], less 1 ns for the rounding of a draw.
fn dist_floor(d: &Dist) -> f64 {
    let m = match d {
        Dist::Const(v) => *v,
        Dist::Uniform { min, .. } => *min,
        Dist::Pareto { scale, .. } => *scale,
        Dist::Empirical(s) => s.iter().copied().fold(f64::INFINITY, f64::min),
        Dist::Exp { .. } | Dist::LogNormal { .. } | Dist::Gamma { .. } => 0.0,
    };
    if m.is_finite() {
        (m - 1.0).max(0.0)
    } else {
        0.0
    }
}

/// The fastest an invocation of operation `o` can finish \[ns\] (`stack`: operations being
/// computed, a cycle counts 0).
fn op_floor(t: &Topology, o: usize, memo: &mut [Option<f64>], stack: &mut [bool]) -> f64 {
    if o >= t.ops.len() || stack[o] {
        return 0.0;
    }
    if let Some(f) = memo[o] {
        return f;
    }
    stack[o] = true;
    let op = &t.ops[o];
    // A function's speed rises with its memory up to one vCPU: a demand never runs faster
    // than at full speed (1), nor than the fastest instance of its node.
    let speed = t
        .nodes
        .get(op.node as usize)
        .map(|n| {
            n.stations()
                .map(|s| t.stations[s as usize].speed)
                .fold(1.0_f64, f64::max)
        })
        .unwrap_or(1.0);
    let mut total = dist_floor(&op.demand) / speed;
    let hop = dist_floor(&t.latency);
    for step in t.op_steps(o) {
        let mut longest: f64 = 0.0;
        for c in &t.calls[step.first as usize..(step.first + step.len) as usize] {
            let skippable = c.p < 1.0
                || c.cache != NO_CACHE
                || c.policy != NO_POLICY
                || c.hooks != 0
                || c.kind == CallKind::Component;
            if skippable {
                continue;
            }
            let hops = match c.kind {
                CallKind::Remote | CallKind::Database | CallKind::External => 2.0 * hop,
                _ => 0.0,
            };
            let one = hops + op_floor(t, c.op as usize, memo, stack);
            longest = longest.max(f64::from(c.count) * one);
        }
        total += longest;
    }
    stack[o] = false;
    memo[o] = Some(total);
    total
}

/// The fastest possible successful request of entry `entry` (index in `t.entries`) \[s\]: a
/// true lower bound of its latency at any load (see the module's documentation).
pub(crate) fn floor_s(t: &Topology, entry: usize) -> f64 {
    let mut memo = vec![None; t.ops.len()];
    let mut stack = vec![false; t.ops.len()];
    t.entries.get(entry).map_or(0.0, |e| {
        op_floor(t, e.op as usize, &mut memo, &mut stack) / 1e9
    })
}

/// Why `slo` is not met at any rate on the variant `t` because a latency bound is at or below
/// the fastest possible request of an entry it covers, or `None`.
pub(crate) fn below_floor(t: &Topology, slo: &Slo) -> Option<String> {
    for c in &slo.clauses {
        if !(c.metric.is_latency() && c.op.upper_bound()) {
            continue;
        }
        for i in covered(t, c) {
            let f = floor_s(t, i);
            if !c.op.holds(f, c.threshold) {
                return Some(format!(
                    "not met at any rate: `{}` asks for less than the fastest possible request \
                     of entry `{}`, {} (the smallest demand and network hop of every call it \
                     always makes)",
                    c.text,
                    t.entries[i].name,
                    fmt_secs(f)
                ));
            }
        }
    }
    None
}

/// Whether latency on the path of some entry a latency clause covers can fall as load rises
/// (a function's cold starts, a cache's hit ratio), so that low load is not its best case.
pub(crate) fn falls_with_load(t: &Topology, slo: &Slo) -> bool {
    slo.clauses
        .iter()
        .any(|c| covered(t, c).into_iter().any(|i| entry_path(t, i).falls))
}
