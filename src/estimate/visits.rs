//! Expected visits of the logical model (independent of any variant): how many times each
//! operation is invoked per call of a root operation. Used by the organization metrics.

use crate::scenario::{Call, OpId, SagaStep, Scenario, Step};

/// Expected number of invocations of every operation (indexed by [`OpId`]) per call of
/// `root`: `root` itself counts 1, a call with probability `p` and repeat `count` contributes
/// `p·count` per invocation of its caller, every `parallel` branch is made. Independent of the
/// variant. A (validation-rejected) call cycle is cut at its back edge.
///
/// # Complexity
/// O(V + E) over the operations and calls reachable from `root`.
pub fn expected_visits(s: &Scenario, root: OpId) -> Vec<f64> {
    let mut visits = vec![0.0; s.ops.len()];
    if root >= s.ops.len() {
        return visits;
    }
    let order = topo_order(s, root);
    let mut pos = vec![usize::MAX; s.ops.len()];
    for (i, &o) in order.iter().enumerate() {
        pos[o] = i;
    }
    visits[root] = 1.0;
    for &a in &order {
        let va = visits[a];
        if va == 0.0 {
            continue;
        }
        for c in calls(&s.ops[a].steps) {
            // Every reachable op is in `order`; an edge going backwards closes a cycle.
            if c.op < visits.len() && pos[c.op] > pos[a] {
                visits[c.op] += va * c.p * f64::from(c.count);
            }
        }
    }
    visits
}

/// Every call of a step list, parallel branches flattened.
fn calls(steps: &[Step]) -> impl Iterator<Item = &Call> {
    steps.iter().flat_map(|st| {
        let (calls, saga): (&[Call], &[SagaStep]) = match st {
            Step::Call(c) => (std::slice::from_ref(c), &[]),
            Step::Parallel(v) => (v, &[]),
            // Forward steps only: compensations run on failures.
            Step::Saga(v) => (&[], v),
            // The forward steps: a transaction's compensations run only in a saga, on failures.
            Step::Transaction(t) => (&[], &t.steps),
            // Each task of a workflow once (see `components::workflow::estimate`).
            Step::Workflow(w) => (&w.tasks[..], &[]),
        };
        calls.iter().chain(saga.iter().map(|x| &x.call))
    })
}

/// Reverse post-order of the operations reachable from `root` (a topological order of the
/// acyclic call graph). Iterative DFS, O(V + E).
fn topo_order(s: &Scenario, root: OpId) -> Vec<OpId> {
    let n = s.ops.len();
    super::graph::reverse_postorder(n, [root], |o| {
        calls(&s.ops[o].steps)
            .map(|c| c.op)
            .filter(|&b| b < n)
            .collect()
    })
}
