//! Publish cycles that take no time: a queue's consumer publishing back to the queue
//! (directly or through the operations it calls) when neither the operations on the way, the
//! network nor the queue's publish latency take any time. The simulation would deliver and
//! republish the messages forever at one instant; such a scenario is refused.

use super::calls::Edge;
use crate::scenario::types::{Network, Operation, Variant};
use crate::spec::error::Sink;

/// Reports, per publish edge, the first variant in which it closes a zero-time cycle.
pub(super) fn publish_cycles(
    s: &mut Sink<'_>,
    ops: &[Operation],
    edges: &[Edge],
    network: &Network,
    variants: &[Variant],
    queues: &[String],
) {
    // Every hop is free only on a network without latency or marshalling.
    if !network.latency.is_zero() || network.marshal_per_kb_ns > 0.0 {
        return;
    }
    let free_op = |o: usize| ops.get(o).is_some_and(|op| op.demand.is_zero());
    for v in variants {
        let free_queue = |q: usize| {
            queues
                .get(q)
                .and_then(|name| v.queues.iter().find(|x| &x.name == name))
                .is_some_and(|x| x.publish_latency.is_zero())
        };
        let instant = |e: &Edge| free_op(e.from) && e.queue.map_or(true, free_queue);
        for e in edges.iter().filter(|e| e.queue.is_some() && instant(e)) {
            let Some(path) = path_back(ops.len(), edges, &instant, e.to, e.from) else {
                continue;
            };
            let names: Vec<&str> = std::iter::once(e.from)
                .chain(path)
                .filter_map(|o| ops.get(o).map(|op| op.name.as_str()))
                .collect();
            let q = e
                .queue
                .and_then(|q| queues.get(q))
                .map_or("", String::as_str);
            s.error(
                e.span.clone(),
                &e.field,
                format!(
                    "in variant `{}`, messages of queue `{q}` go round a cycle that takes no time ({}): \
                     the simulation would republish them forever without the clock advancing",
                    v.name,
                    names.join(" -> ")
                ),
                Some(
                    "give an operation on the cycle some cpu time, the queue a publish_latency, \
                     or the network a latency"
                        .into(),
                ),
            );
            return;
        }
    }
}

/// The operations from `from` to `to` through edges for which `instant` holds (both ends
/// included), if `to` is reachable.
fn path_back(
    n: usize,
    edges: &[Edge],
    instant: &dyn Fn(&Edge) -> bool,
    from: usize,
    to: usize,
) -> Option<Vec<usize>> {
    let mut parent: Vec<Option<usize>> = vec![None; n];
    let mut seen = vec![false; n];
    let mut queue = std::collections::VecDeque::from([from]);
    *seen.get_mut(from)? = true;
    while let Some(o) = queue.pop_front() {
        if o == to {
            let mut path = vec![to];
            let mut cur = to;
            while let Some(p) = parent.get(cur).copied().flatten() {
                path.push(p);
                cur = p;
            }
            path.reverse();
            return Some(path);
        }
        for e in edges.iter().filter(|e| e.from == o && instant(e)) {
            if let Some(false) = seen.get(e.to) {
                seen[e.to] = true;
                parent[e.to] = Some(o);
                queue.push_back(e.to);
            }
        }
    }
    None
}
