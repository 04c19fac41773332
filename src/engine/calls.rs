//! Calls: the probability draw, the components a call meets first (a cache, a queue, a
//! saga), direct calls answered by their callee, call frames with repetitions, timeouts and
//! policies, and the attempts they make.

use super::admission::CpuStart;
use super::ledger::NO_SHARE;
use super::{Ev, Sim};
use crate::components;
use crate::components::contract::{CallGate, Frame, FrameId, Kind, DEGRADED, NO_LEDGER};
use crate::flow::anatomy::{CLIENT, MARSHAL, NETWORK, OTHER, RETRY};
use crate::flow::topology::CallKind;
use crate::flow::Reason;
use crate::kernel::EventQueue;
use rand::Rng;

impl<Q: EventQueue<Ev> + Default, const C: bool> Sim<'_, Q, C> {
    pub(super) fn start_call(&mut self, x: FrameId, c: u32) {
        let cp = self.t.calls[c as usize];
        let Some((caller_op, station, pending, caller_ledger)) = self
            .frames
            .get(x)
            .map(|f| (f.idx, f.station, f.pending, f.ledger))
        else {
            return;
        };
        if cp.p < 1.0 {
            let u: f64 = self.branch_rng[caller_op as usize].random();
            if u >= cp.p {
                self.child_done(x, 0, 0, NO_LEDGER);
                return;
            }
        }
        if C && cp.hooks != 0 {
            match components::on_call(self, cp.hooks, x, c) {
                CallGate::Go => {}
                CallGate::Answered => {
                    self.child_done(x, 0, 0, NO_LEDGER);
                    return;
                }
                CallGate::Taken => return,
            }
        }
        if cp.direct {
            // A single attempt without timeout or policy: the callee answers the calling op
            // directly. When it is the only outstanding call of the step, it books into its
            // caller's ledger (see `insert_sharing`).
            let share = if pending == 1 {
                caller_ledger
            } else {
                NO_SHARE
            };
            match cp.kind {
                CallKind::Local => {
                    let mut y = Frame::new(Kind::Op, x, cp.op, station);
                    y.start = self.now;
                    let y = self.insert_direct(y, OTHER, share);
                    self.set_child(x, y);
                    self.op_begin(y);
                }
                CallKind::Remote => {
                    let marshal = self.t.ops[cp.op as usize].marshal_ns;
                    let mut y = Frame::new(Kind::Op, x, cp.op, station);
                    y.flags = Frame::REMOTE | if marshal > 0.0 { Frame::MARSHAL } else { 0 };
                    let y = self.insert_direct(y, MARSHAL, share);
                    self.set_child(x, y);
                    if marshal > 0.0 {
                        // Caller-side marshalling first; `cpu_done` sends the request.
                        self.run_cpu(y, station, marshal, false);
                    } else {
                        let d = self.hop();
                        self.ahead(y, NETWORK, d);
                        self.send_op(y, cp.op, d);
                    }
                }
                CallKind::Database | CallKind::Forward => {
                    let mut y = Frame::new(Kind::Op, x, cp.op, u32::MAX);
                    y.flags = Frame::REMOTE;
                    let y = self.insert_direct(y, NETWORK, share);
                    self.set_child(x, y);
                    self.db_send(y, cp.op, station);
                }
                CallKind::External => {
                    // No connection pool: one hop to the external.
                    let mut y = Frame::new(Kind::Op, x, cp.op, u32::MAX);
                    y.flags = Frame::REMOTE;
                    let y = self.insert_direct(y, NETWORK, share);
                    self.set_child(x, y);
                    let d = self.hop();
                    self.ahead(y, NETWORK, d);
                    self.send_op(y, cp.op, d);
                }
                // Started by the component whose bit the call carries.
                CallKind::Component => {}
            }
            return;
        }
        let mut call = Frame::new(Kind::Call, x, c, station);
        call.reps = cp.count;
        let id = self.insert_tracked(call, RETRY);
        self.set_child(x, id);
        if C && cp.hooks != 0 {
            components::on_call_begin(self, cp.hooks, id);
        }
        self.call_attempt(id);
    }

    pub(super) fn call_attempt(&mut self, c: FrameId) {
        // The backoff before this attempt, if any, was retry time.
        self.phase(c, RETRY);
        let Some(f) = self.frames.get_mut(c) else {
            return;
        };
        f.attempt += 1;
        let cp = self.t.calls[f.idx as usize];
        let station = f.station;
        if C && cp.hooks != 0 && !components::on_attempt(self, cp.hooks, c) {
            return;
        }
        let Some(f) = self.frames.get(c) else {
            return;
        };
        match cp.kind {
            CallKind::Local => {
                let attempt = f.attempt;
                let mut x = Frame::new(Kind::Op, c, cp.op, station);
                x.start = self.now;
                let x = self.insert_tracked(x, OTHER);
                self.set_child(c, x);
                if cp.timeout > 0 {
                    self.at(cp.timeout, Ev::Timeout(c, attempt));
                }
                self.op_begin(x);
            }
            CallKind::Remote => {
                let marshal = self.t.ops[cp.op as usize].marshal_ns;
                self.phase(c, MARSHAL);
                match self.run_cpu(c, station, marshal, false) {
                    CpuStart::Done => self.call_send(c),
                    CpuStart::Waiting | CpuStart::Rejected => {}
                }
            }
            CallKind::Database | CallKind::Forward | CallKind::External => self.call_send(c),
            // Component calls are made once without timeout: always started directly.
            CallKind::Component => {}
        }
    }

    /// Puts the request of call `c` on the network towards its target.
    pub(super) fn call_send(&mut self, c: FrameId) {
        // The caller's marshalling is over; the attempt is retry time unless it succeeds.
        self.phase(c, RETRY);
        let Some(f) = self.frames.get(c).copied() else {
            return;
        };
        let cp = self.t.calls[f.idx as usize];
        let mut x = Frame::new(Kind::Op, c, cp.op, u32::MAX);
        x.flags = Frame::REMOTE;
        let x = self.insert_tracked(x, NETWORK);
        self.set_child(c, x);
        if cp.timeout > 0 {
            self.at(cp.timeout, Ev::Timeout(c, f.attempt));
        }
        if cp.kind == CallKind::Database {
            self.db_send(x, cp.op, f.station);
            return;
        }
        let d = self.hop();
        self.ahead(x, NETWORK, d);
        self.send_op(x, cp.op, d);
    }

    /// Sends query (or forward) frame `y` from instance `caller`: through the components of
    /// the caller's node (a connection pool), else after a hop (and, from the CDN, the way to
    /// the origin).
    #[inline]
    fn db_send(&mut self, y: FrameId, op: u32, caller: u32) {
        if C {
            let hooks = self.t.nodes[self.t.stations[caller as usize].node as usize].hooks;
            if hooks != 0 && components::on_query(self, hooks, y, caller) {
                return;
            }
        }
        // A pool that did not take the query leaves it at its part with no time booked.
        self.phase(y, NETWORK);
        let mut d = self.hop();
        self.ahead(y, NETWORK, d);
        if self.t.long_haul && caller == self.t.cdn_station {
            // A CDN miss: from the edge to the origin.
            let k = self.haul();
            self.ahead(y, CLIENT, k);
            d += k;
        }
        self.send_op(y, op, d);
    }

    /// The attempt `x` of call (or root) `c` ended (`ledger`: the attempt's).
    pub(super) fn attempt_done(
        &mut self,
        c: FrameId,
        x: FrameId,
        fail: u8,
        fail_node: u32,
        ledger: u64,
    ) {
        let Some(f) = self.frames.get_mut(c) else {
            self.ledgers.release(ledger);
            return;
        };
        if f.child != x {
            self.ledgers.release(ledger);
            return; // a late answer to an abandoned attempt
        }
        f.child = FrameId::NONE;
        if f.kind == Kind::Root {
            self.root_attempt_end(c, fail, fail_node, ledger);
            return;
        }
        self.call_attempt_end(c, fail, fail_node, true, ledger);
    }

    /// The current attempt of call frame `c` ended with `fail` (0 = success) beginning at
    /// `fail_node`; `admitted` if it had passed the call's policies; `ledger` is the
    /// attempt's. Applies the policies (which may retry after a backoff, or turn a failure
    /// into a degraded success), then starts the next repetition or answers the calling
    /// operation.
    pub(super) fn call_attempt_end(
        &mut self,
        c: FrameId,
        mut fail: u8,
        mut fail_node: u32,
        admitted: bool,
        ledger: u64,
    ) {
        self.attempt_ledger(c, fail, ledger);
        let Some(f) = self.frames.get(c) else {
            return;
        };
        let hooks = self.t.calls[f.idx as usize].hooks;
        if C && hooks != 0 {
            match components::on_attempt_end(self, hooks, c, fail, fail_node, admitted) {
                Some((a, b)) => (fail, fail_node) = (a, b),
                None => return,
            }
        }
        let Some(fm) = self.frames.get_mut(c) else {
            return;
        };
        if fail == 0 {
            if fail_node == DEGRADED {
                fm.fail_node = DEGRADED;
            }
            fm.reps -= 1;
            if fm.reps > 0 {
                self.call_attempt(c);
                return;
            }
            fail_node = fm.fail_node;
        }
        let (parent, ledger) = (fm.parent, fm.ledger);
        self.frames.remove(c);
        self.child_done(parent, fail, fail_node, ledger);
    }

    pub(super) fn on_timeout(&mut self, c: FrameId, attempt: u32) {
        let Some(f) = self.frames.get(c).copied() else {
            return;
        };
        if f.attempt != attempt || f.child.is_none() {
            return;
        }
        // The timeout is blamed on the node where the request was when time ran out: the
        // deepest frame still at work below the attempt.
        let target_op = self.frames.get(f.child).map(|x| x.idx);
        let fallback = target_op.map_or(0, |op| self.t.ops[op as usize].node);
        let (node, deepest) = self.timeout_origin(f.child, fallback);
        self.note_chain(deepest, node);
        // Abandon the attempt: the callee keeps working, its answer will be dropped.
        if let Some(x) = self.frames.get_mut(f.child) {
            x.parent = FrameId::NONE;
        }
        if let Some(fm) = self.frames.get_mut(c) {
            fm.child = FrameId::NONE;
        }
        if f.kind == Kind::Root {
            self.root_attempt_end(c, Reason::Timeout as u8, node, NO_LEDGER);
            return;
        }
        self.call_attempt_end(c, Reason::Timeout as u8, node, true, NO_LEDGER);
    }
}
