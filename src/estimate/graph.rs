//! The estimate's view of the compiled call graph: the operations in topological order, what
//! each call goes through (a component's gate) or stands for (a component call taken over),
//! and the instances carrying each node's load — asked once of the components.

use super::Est;
use crate::components::contract::Taken;
use crate::components::terms;
use crate::flow::topology::{CallKind, Topology};

/// `None` of a call's gate index.
pub(super) const NO_GATE: u32 = u32::MAX;

/// Reverse post-order of the vertices `0..n` reachable from `roots` (in order) through
/// `children`: a topological order of an acyclic graph (a cycle is cut at its back edge).
///
/// # Complexity
/// O(V + E), iterative.
pub(super) fn reverse_postorder<R, F>(n: usize, roots: R, children: F) -> Vec<usize>
where
    R: IntoIterator<Item = usize>,
    F: Fn(usize) -> Vec<usize>,
{
    let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut post = Vec::new();
    let mut stack: Vec<(usize, Vec<usize>)> = Vec::new();
    let open = |v: usize, state: &mut [u8], stack: &mut Vec<(usize, Vec<usize>)>| {
        state[v] = 1;
        let mut ch = children(v);
        ch.reverse();
        stack.push((v, ch));
    };
    for root in roots {
        if root >= n || state[root] != 0 {
            continue;
        }
        open(root, &mut state, &mut stack);
        while let Some((v, pending)) = stack.last_mut() {
            match pending.pop() {
                Some(next) if next < n && state[next] == 0 => open(next, &mut state, &mut stack),
                Some(_) => {}
                None => {
                    state[*v] = 2;
                    post.push(*v);
                    stack.pop();
                }
            }
        }
    }
    post.reverse();
    post
}

/// The structure of the compiled variant the estimate walks, with the components' answers
/// about it.
pub(super) struct Graph {
    /// Per call: its gate's index in [`Graph::gates`], [`NO_GATE`] for none.
    pub gate_of: Vec<u32>,
    /// Every gate: the bit of its component and its key.
    pub gates: Vec<(u32, u32)>,
    /// Per call of kind `Component`: what its component does in its place.
    pub taken: Vec<Option<Taken>>,
    /// Operations reachable from the entries, in topological order.
    pub order: Vec<usize>,
    /// Per operation: its position in `order` (`usize::MAX` when unreachable).
    pub pos: Vec<usize>,
}

impl Graph {
    /// An empty graph (filled by [`Est::build_graph`]).
    pub fn empty() -> Graph {
        Graph {
            gate_of: Vec::new(),
            gates: Vec::new(),
            taken: Vec::new(),
            order: Vec::new(),
            pos: Vec::new(),
        }
    }
}

/// The operations call `c` leads to: its target, or what its component makes of it.
fn targets(t: &Topology, taken: &[Option<Taken>], c: usize, out: &mut Vec<usize>) {
    let cp = &t.calls[c];
    if cp.kind == CallKind::Component {
        if let Some(x) = &taken[c] {
            for sc in x.calls.clone().chain(x.background.clone()) {
                targets(t, taken, sc as usize, out);
            }
            out.extend(x.detached.map(|o| o as usize));
        }
    } else if (cp.op as usize) < t.ops.len() {
        out.push(cp.op as usize);
    }
}

impl Est<'_> {
    /// Asks the components about every call and node, and orders the operations.
    pub(super) fn build_graph(&mut self) {
        let t = self.topo;
        let n_calls = t.calls.len() as u32;
        let mut g = Graph::empty();
        g.taken = (0..n_calls)
            .map(|c| match t.calls[c as usize].kind {
                CallKind::Component => terms::take(self, c),
                _ => None,
            })
            .collect();
        for c in 0..n_calls {
            let gate = match terms::gate(self, c) {
                Some(k) => match g.gates.iter().position(|&x| x == k) {
                    Some(i) => i as u32,
                    None => {
                        g.gates.push(k);
                        (g.gates.len() - 1) as u32
                    }
                },
                None => NO_GATE,
            };
            g.gate_of.push(gate);
        }
        self.counted = (0..t.nodes.len())
            .map(|n| {
                terms::counted(self, n)
                    .map_or(t.nodes[n].instances, |c| c.min(t.nodes[n].instances))
            })
            .collect();
        let roots: Vec<usize> = t.entries.iter().map(|e| e.op as usize).collect();
        let taken = &g.taken;
        g.order = reverse_postorder(t.ops.len(), roots, |o| {
            let mut out = Vec::new();
            for st in t.op_steps(o) {
                for c in st.first..st.first + st.len {
                    targets(t, taken, c as usize, &mut out);
                }
            }
            out
        });
        g.pos = vec![usize::MAX; t.ops.len()];
        for (i, &o) in g.order.iter().enumerate() {
            g.pos[o] = i;
        }
        self.share = vec![1.0; g.gates.len()];
        self.graph = g;
    }
}
