//! The mean load of every node: jobs and CPU seconds per second, from the entries' arrival
//! rates propagated over the compiled calls in topological order, through the components'
//! gates (the share of calls a cache answers) and admissions (the share a rate limit admits).
//! A gate's or an admission's share depends on the rate through it, which depends on the
//! shares before it: passes are repeated until no share changes (one more pass per gate
//! behind another; a limit fed by its own downstream converges geometrically, up to
//! [`MAX_PASSES`]).

use super::{Est, NS};
use crate::components::terms;
use crate::flow::topology::{CallKind, NodeKind};

/// Most passes over the graph.
pub(super) const MAX_PASSES: usize = 64;

/// Per-pass figures.
#[derive(Default)]
pub(super) struct Load {
    /// Per operation: invocations per second.
    pub rate: Vec<f64>,
    /// Per operation: jobs per second arriving at its node for it (admitted).
    pub op_jobs: Vec<f64>,
    /// Per node: jobs per second arriving, before admission.
    pub arrivals: Vec<f64>,
    /// Per node: jobs per second admitted.
    pub jobs: Vec<f64>,
    /// Per node: CPU (or query) seconds per second.
    pub demand: Vec<f64>,
    /// Per node: the jobs of write operations (a database's primary with read replicas).
    pub write_jobs: Vec<f64>,
    /// Per node: their demand.
    pub write_demand: Vec<f64>,
    /// Per gate: calls per second going through it.
    pub gate_in: Vec<f64>,
    /// Per compiled call: calls per second made (after its gate).
    pub call_rate: Vec<f64>,
}

impl Load {
    fn zeroed(ops: usize, nodes: usize, gates: usize, calls: usize) -> Load {
        Load {
            rate: vec![0.0; ops],
            op_jobs: vec![0.0; ops],
            arrivals: vec![0.0; nodes],
            jobs: vec![0.0; nodes],
            demand: vec![0.0; nodes],
            write_jobs: vec![0.0; nodes],
            write_demand: vec![0.0; nodes],
            gate_in: vec![0.0; gates],
            call_rate: vec![0.0; calls],
        }
    }
}

impl Est<'_> {
    /// Passes until the gates' and admissions' shares are stable.
    pub(super) fn converge(&mut self) {
        for _ in 0..MAX_PASSES {
            self.pass();
            let share: Vec<f64> = (0..self.graph.gates.len())
                .map(|g| terms::pass(self, self.graph.gates[g], self.load.gate_in[g]))
                .collect();
            let admit: Vec<f64> = (0..self.topo.nodes.len())
                .map(|n| terms::admit(self, n, self.load.arrivals[n]))
                .collect();
            if share == self.share && admit == self.admit {
                return;
            }
            self.share = share;
            self.admit = admit;
        }
        self.pass();
    }

    /// One pass: every entry's arrivals, then every operation in topological order.
    fn pass(&mut self) {
        let t = self.topo;
        self.load = Load::zeroed(
            t.ops.len(),
            t.nodes.len(),
            self.graph.gates.len(),
            t.calls.len(),
        );
        for e in &t.entries {
            self.arrive(None, e.op as usize, e.arrival.rate(), true);
        }
        for i in 0..self.graph.order.len() {
            let a = self.graph.order[i];
            let r = self.load.rate[a];
            let node = t.ops[a].node as usize;
            if r == 0.0 || node >= t.nodes.len() {
                continue;
            }
            self.add_demand(a, node, r * t.ops[a].demand.mean() / NS);
            for st in t.op_steps(a) {
                for c in st.first..st.first + st.len {
                    let cp = &t.calls[c as usize];
                    self.call(a, c as usize, r * cp.p * f64::from(cp.count));
                }
            }
        }
    }

    /// `n` calls per second of call `c` made by operation `a`.
    fn call(&mut self, a: usize, c: usize, n: f64) {
        let t = self.topo;
        if n == 0.0 {
            return;
        }
        let mut n = n;
        let g = self.graph.gate_of[c];
        if g != super::graph::NO_GATE {
            self.load.gate_in[g as usize] += n;
            n *= self.share[g as usize];
        }
        if let Some(x) = self.load.call_rate.get_mut(c) {
            *x += n;
        }
        let cp = &t.calls[c];
        let target = cp.op as usize;
        match cp.kind {
            CallKind::Local => self.reach(Some(a), target, n),
            CallKind::Remote => {
                // Caller-side marshalling.
                let node = t.ops[a].node as usize;
                if let Some(o) = t.ops.get(target) {
                    self.add_demand(a, node, n * o.marshal_ns / NS);
                }
                self.arrive(Some(a), target, n, true);
            }
            CallKind::Database | CallKind::External => self.arrive(Some(a), target, n, false),
            CallKind::Forward => self.arrive(Some(a), target, n, true),
            CallKind::Component => {
                let Some(x) = self.graph.taken[c].clone() else {
                    return;
                };
                for sc in x.calls {
                    let s = &t.calls[sc as usize];
                    self.call(a, sc as usize, n * s.p * f64::from(s.count));
                }
                if let Some(op) = x.detached {
                    self.arrive(Some(a), op as usize, n, true);
                }
            }
        }
    }

    /// `n` invocations per second of `op` from `from` (a forward edge of the order only: a
    /// cycle is cut at its back edge).
    fn reach(&mut self, from: Option<usize>, op: usize, n: f64) {
        let forward = match from {
            Some(a) => self
                .graph
                .pos
                .get(op)
                .is_some_and(|&p| p > self.graph.pos[a]),
            None => op < self.load.rate.len(),
        };
        if forward {
            self.load.rate[op] += n;
        }
    }

    /// `n` jobs per second of `op` arriving at its node over the network (from `from`, `None`
    /// for a client); `marshal`: the callee-side marshalling is paid there (never at a
    /// database: docs/semantics.md §1).
    fn arrive(&mut self, from: Option<usize>, op: usize, n: f64, marshal: bool) {
        let t = self.topo;
        let Some(o) = t.ops.get(op) else {
            return;
        };
        let node = o.node as usize;
        if node >= t.nodes.len() {
            // Not deployed in this variant: warned about, ignored.
            self.reach(from, op, n);
            return;
        }
        self.load.arrivals[node] += n;
        let n = n * self.admit[node];
        self.load.jobs[node] += n;
        self.load.op_jobs[op] += n;
        if o.write {
            self.load.write_jobs[node] += n;
        }
        if marshal && t.nodes[node].kind != NodeKind::Database {
            self.add_demand(op, node, n * o.marshal_ns / NS);
        }
        self.reach(from, op, n);
    }

    /// CPU seconds per second `d` of operation `op` at `node`.
    fn add_demand(&mut self, op: usize, node: usize, d: f64) {
        self.load.demand[node] += d;
        if self.topo.ops[op].write {
            self.load.write_demand[node] += d;
        }
    }

    /// Warns once per operation called in the variant without being deployed in it.
    pub(super) fn undeployed_warnings(&mut self) {
        let t = self.topo;
        for (op, o) in t.ops.iter().enumerate() {
            if o.node as usize >= t.nodes.len() && self.load.rate[op] > 0.0 {
                self.warnings.push(format!(
                    "operation `{}` is called but its data store is not deployed in variant `{}` \
                     — ignored by the estimate",
                    o.name, self.variant
                ));
            }
        }
    }
}
