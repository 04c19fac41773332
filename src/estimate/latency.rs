//! Mean times: of one invocation of every operation (its demand times its station's slowdown,
//! plus its calls: a sequence sums, a parallel step takes its longest branch), of one job
//! (callee-side marshalling included), and of every entry's request from the client.

use super::{Est, NS};
use crate::components::terms;
use crate::flow::topology::{CallKind, NodeKind};

/// A memoized mean time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Memo {
    New,
    InProgress,
    Done(Option<f64>),
}

impl Est<'_> {
    /// The slowdown of a job of operation `op` at its node (`None`: unstable).
    fn op_stretch(&self, op: usize) -> Option<f64> {
        let o = &self.topo.ops[op];
        let s = self.slow.get(o.node as usize)?;
        if o.write {
            s.writes
        } else {
            s.all
        }
    }

    /// Mean time \[s\] of one invocation of `op`: its demand times its station's slowdown,
    /// plus every step. `None` if it reaches an unstable station. Recursion depth = call
    /// depth; a (rejected) cycle counts 0 at its back edge.
    pub(super) fn op_time(&mut self, op: usize) -> Option<f64> {
        match self.memo.get(op) {
            None | Some(Memo::InProgress) => return Some(0.0),
            Some(Memo::Done(t)) => return *t,
            Some(Memo::New) => {}
        }
        self.memo[op] = Memo::InProgress;
        let t = self.compute(op);
        self.memo[op] = Memo::Done(t);
        t
    }

    fn compute(&mut self, op: usize) -> Option<f64> {
        let t = self.topo;
        let o = &t.ops[op];
        if o.node as usize >= t.nodes.len() {
            return Some(0.0); // not deployed: warned about, ignored
        }
        let mut time = o.demand.mean() / NS * self.op_stretch(op)?;
        for st in t.op_steps(op) {
            let mut longest: f64 = 0.0;
            for c in st.first..st.first + st.len {
                longest = longest.max(self.call_time(op, c as usize)?);
            }
            time += longest;
        }
        Some(time)
    }

    /// Mean time of call `c` of operation `from` (all its repetitions, weighted by its
    /// probability and by the share its gate lets through).
    pub(super) fn call_time(&mut self, from: usize, c: usize) -> Option<f64> {
        let cp = self.topo.calls[c];
        let mut w = cp.p * f64::from(cp.count);
        let g = self.graph.gate_of[c];
        if g != super::graph::NO_GATE {
            w *= self.share[g as usize];
        }
        if w == 0.0 {
            return Some(0.0);
        }
        Some(w * self.one_call(from, c)?)
    }

    /// Mean time of one call `c` from operation `from`.
    fn one_call(&mut self, from: usize, c: usize) -> Option<f64> {
        let t = self.topo;
        let cp = t.calls[c];
        if cp.kind == CallKind::Component {
            let Some(x) = self.graph.taken[c].clone() else {
                return Some(0.0);
            };
            let mut time = x.wait;
            if let Some(q) = terms::queued(self, c as u32) {
                time += q?;
            }
            for sc in x.calls {
                time += self.call_time(from, sc as usize)?;
            }
            return Some(time);
        }
        let target = cp.op as usize;
        if !matches!(t.ops.get(target), Some(o) if (o.node as usize) < t.nodes.len()) {
            return Some(0.0); // not deployed: warned about, ignored
        }
        let hops = 2.0 * self.hop;
        Some(match cp.kind {
            CallKind::Local => self.op_time(target)?,
            CallKind::Database | CallKind::External => hops + self.op_time(target)?,
            CallKind::Remote => {
                let m = t.ops[target].marshal_ns / NS;
                hops + m * (self.op_stretch(from)? + self.op_stretch(target)?)
                    + self.op_time(target)?
            }
            CallKind::Forward => {
                // From the CDN's edge, the way to the origin and back.
                let edge = t.cdn_station != crate::flow::topology::NO_STATION
                    && t.nodes[t.ops[from].node as usize].first_station == t.cdn_station;
                let far = if edge { 2.0 * self.client } else { 0.0 };
                hops + far + self.job_time(target)?
            }
            CallKind::Component => 0.0,
        })
    }

    /// Mean time of one job of `op` arriving over the network: callee-side marshalling (never
    /// at a database) and the invocation.
    pub(super) fn job_time(&mut self, op: usize) -> Option<f64> {
        let t = self.topo;
        let o = &t.ops[op];
        let Some(node) = t.nodes.get(o.node as usize) else {
            return Some(0.0);
        };
        let marshal = if node.kind == NodeKind::Database {
            0.0
        } else {
            o.marshal_ns / NS * self.op_stretch(op)?
        };
        Some(marshal + self.op_time(op)?)
    }

    /// Mean end-to-end time of a request of entry `e` from the client: the components' delays
    /// on the way (a plain gateway), the way between the client and the data centre (not for
    /// an entry served by the CDN, whose misses pay it from the edge), and the job of its
    /// first operation. `None` if the request reaches an unstable station.
    pub(super) fn entry_time(&mut self, e: usize) -> Option<f64> {
        let entry = &self.topo.entries[e];
        let client = if entry.via_cdn {
            0.0
        } else {
            2.0 * self.client
        };
        let op = entry.op as usize;
        Some(terms::entry_delay(self, e) + client + self.job_time(op)?)
    }

    /// Mean jobs in progress at node `n` (Little's law over its operations' jobs).
    pub(super) fn in_flight(&self, n: usize) -> Option<f64> {
        let mut sum = 0.0;
        for (op, o) in self.topo.ops.iter().enumerate() {
            let jobs = self.load.op_jobs[op];
            if o.node as usize == n && jobs > 0.0 {
                sum += jobs * self.job_times.get(op).copied().flatten()?;
            }
        }
        Some(sum)
    }
}
