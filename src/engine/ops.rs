//! Operations: the CPU burst and the steps of an op frame, its end at its station, and its
//! answer travelling back to its caller (or to the client).

use super::admission::CpuStart;
use super::{Ev, Sim};
use crate::components::contract::{Frame, FrameId, Kind, DEGRADED, NO_ENTRY, NO_LEDGER};
use crate::components::{self, Ride};
use crate::flow::anatomy::{CLIENT, NETWORK, OTHER};
use crate::flow::topology::NO_STATION;
use crate::flow::Reason;
use crate::kernel::EventQueue;
use rand::Rng;

impl<Q: EventQueue<Ev> + Default, const C: bool> Sim<'_, Q, C> {
    /// A draw of the network latency of one hop: the test inline, the draw out of line (a
    /// model without network latency pays one test per hop).
    #[inline(always)]
    pub(super) fn hop(&mut self) -> u64 {
        if self.latency_zero {
            0
        } else {
            self.hop_draw()
        }
    }

    #[inline(never)]
    fn hop_draw(&mut self) -> u64 {
        self.t.latency.sample_ns(&mut self.net_rng)
    }

    /// A draw of the client ↔ data-centre latency.
    #[inline(never)]
    pub(super) fn haul(&mut self) -> u64 {
        self.t.client_latency.sample_ns(&mut self.haul_rng)
    }

    #[inline]
    pub(super) fn send(&mut self, x: FrameId, delay: u64) {
        if delay == 0 {
            self.deliver(x);
        } else {
            self.at(delay, Ev::Deliver(x));
        }
    }

    /// [`Sim::send`] of op frame `x`, whose operation `op` the caller knows.
    #[inline]
    pub(super) fn send_op(&mut self, x: FrameId, op: u32, delay: u64) {
        if delay == 0 {
            self.deliver_op(x, op);
        } else {
            self.at(delay, Ev::Deliver(x));
        }
    }

    #[inline]
    pub(super) fn set_child(&mut self, c: FrameId, x: FrameId) {
        if let Some(f) = self.frames.get_mut(c) {
            f.child = x;
        }
    }

    #[inline]
    pub(super) fn op_begin(&mut self, x: FrameId) {
        let Some(f) = self.frames.get(x) else {
            return;
        };
        let (op, remote, station) = (f.idx, f.has(Frame::REMOTE), f.station);
        self.op_begin_at(x, op, remote, station);
    }

    /// [`Sim::op_begin`] of op frame `x` of operation `op`, invoked remotely (`remote`), at
    /// station `station`.
    #[inline]
    pub(super) fn op_begin_at(&mut self, x: FrameId, op: u32, remote: bool, station: u32) {
        // Waiting for a worker (or a component's holding time) ends; the CPU phase is split
        // into service and queueing when it ends (`cpu_phase_end`).
        let node = self.t.stations[station as usize].node;
        self.phase(x, self.anat.queue(node));
        let op = op as usize;
        // An invocation for a batch of queued messages does the work of each.
        let batch = self.frames.get(x).map_or(1, |f| f.reps.max(1));
        let plan = &self.t.ops[op];
        let mut work = 0.0;
        for _ in 0..batch {
            work += plan.demand.sample(&mut self.demand_rng[op]);
            if remote {
                work += plan.marshal_ns;
            }
        }
        if let Some(f) = self.frames.get_mut(x) {
            f.work = work;
        }
        if plan.errors > 0.0 {
            // A modelled error: drawn now, it takes effect once the CPU is done (`op_continue`
            // then finishes the operation before any call).
            let u: f64 = self.error_rng[op].random();
            if u < plan.errors {
                let node = plan.node;
                if let Some(f) = self.frames.get_mut(x) {
                    f.fail = Reason::Error as u8;
                    f.fail_node = node;
                }
                self.note_chain(x, node);
            }
        }
        let admission = remote && self.stations[station as usize].async_io;
        match self.run_cpu(x, station, work, admission) {
            CpuStart::Done => self.op_continue(x),
            CpuStart::Waiting => {}
            CpuStart::Rejected => self.fail_at_station(x, Reason::Rejected),
        }
    }

    /// Runs the next steps of op frame `x` until it waits or finishes.
    pub(super) fn op_continue(&mut self, x: FrameId) {
        loop {
            let Some(f) = self.frames.get_mut(x) else {
                return;
            };
            let plan = &self.t.ops[f.idx as usize];
            if f.fail != 0 || f.pc >= plan.steps {
                self.op_finish(x);
                return;
            }
            let step = self.t.steps[(plan.first_step + f.pc) as usize];
            f.pc += 1;
            // The step's time is its critical call's (`join`), or "other".
            f.phase = OTHER;
            f.pending = step.len;
            f.flags |= Frame::SPAWNING;
            for c in step.first..step.first + step.len {
                self.start_call(x, c);
            }
            let Some(f) = self.frames.get_mut(x) else {
                return;
            };
            f.flags &= !Frame::SPAWNING;
            if f.pending > 0 {
                return;
            }
        }
    }

    /// One child of op (or component) frame `x` answered with `fail` at `fail_node`;
    /// `ledger` is the child's (the last child to answer is the step's critical path).
    #[inline]
    pub(super) fn child_done(&mut self, x: FrameId, fail: u8, fail_node: u32, ledger: u64) {
        let Some(f) = self.frames.get_mut(x) else {
            self.ledgers.release(ledger);
            return;
        };
        if C && f.kind == Kind::Component {
            let ride = f.ride;
            self.ledgers.release(ledger);
            components::on_child(self, ride, x, FrameId::NONE, fail, fail_node);
            return;
        }
        if f.fail == 0 && (fail != 0 || fail_node == DEGRADED) {
            f.fail = fail;
            f.fail_node = fail_node;
        }
        f.pending -= 1;
        if f.pending > 0 {
            self.ledgers.release(ledger);
            return;
        }
        let spawning = f.has(Frame::SPAWNING);
        if f.ledger != NO_LEDGER || ledger != NO_LEDGER {
            self.join(x, ledger, OTHER);
        }
        if !spawning {
            self.op_continue(x);
        }
    }

    fn op_finish(&mut self, x: FrameId) {
        let Some(f) = self.frames.get_mut(x) else {
            return;
        };
        if f.has(Frame::IN_SYSTEM) {
            let holds = f.has(Frame::HOLDS_WORKER);
            f.set(Frame::IN_SYSTEM | Frame::HOLDS_WORKER, false);
            let (ride, start, station) = (f.ride, f.start, f.station);
            let now = self.now;
            let st = &mut self.stations[station as usize];
            st.leave(now);
            if self.measuring {
                let res = now.since(start) as f64;
                st.stats.completions += 1;
                st.stats.residence_sum += res;
                if start.ns() < self.t.warmup {
                    st.stats.residence_before += (self.t.warmup - start.ns()) as f64;
                }
            }
            if holds {
                self.release_worker(station);
            }
            if C && !matches!(ride, Ride::None) {
                components::on_op_finish(self, ride, x);
            }
        }
        self.respond(x);
    }

    /// Sends the outcome of op frame `x` back to its caller: at once for in-process calls and
    /// orphans, after a network hop for remote calls (and for entry requests through a plain
    /// gateway).
    #[inline]
    pub(super) fn respond(&mut self, x: FrameId) {
        // The answer leaves: what the frame did until now is booked.
        self.phase(x, NETWORK);
        let Some(f) = self.frames.get(x) else {
            return;
        };
        let (entry, remote, parent, station) = (
            f.entry != NO_ENTRY,
            f.has(Frame::REMOTE),
            f.parent,
            f.station,
        );
        let mut delay = if entry {
            if self.t.gateway_hop {
                let h = self.hop();
                self.ahead(x, NETWORK, h);
                h
            } else {
                0
            }
        } else if !remote {
            0
        } else {
            match self.frames.get(parent).map(|p| p.kind) {
                // Orphaned (the caller gave up): nothing travels back.
                None => 0,
                Some(Kind::Root) if !self.t.gateway_hop => 0,
                Some(_) => {
                    let h = self.hop();
                    self.ahead(x, NETWORK, h);
                    let hooks = if !C || station == NO_STATION {
                        0
                    } else {
                        self.t.nodes[self.t.stations[station as usize].node as usize].hooks
                    };
                    if hooks != 0 {
                        h + components::on_respond(self, hooks, x)
                    } else {
                        h
                    }
                }
            }
        };
        if self.t.long_haul {
            delay += self.haul_back(x);
        }
        if delay == 0 {
            self.on_return(x);
        } else {
            if C {
                if let Some(f) = self.frames.get_mut(x) {
                    f.flags |= Frame::ANSWERED;
                }
            }
            self.at(delay, Ev::Return(x));
        }
    }

    /// The way back of op frame `x`'s answer between the data centre and the client: for an
    /// answer to the client (not through the CDN), and for an answer from the origin to the CDN.
    #[inline(never)]
    fn haul_back(&mut self, x: FrameId) -> u64 {
        let Some(f) = self.frames.get(x) else {
            return 0;
        };
        let far = if f.entry != NO_ENTRY {
            !self.t.entries[f.entry as usize].via_cdn
        } else if !f.has(Frame::REMOTE) {
            false
        } else {
            match self.frames.get(f.parent) {
                Some(p) if p.kind == Kind::Root => !self.t.entries[p.idx as usize].via_cdn,
                Some(p) => p.kind == Kind::Op && p.station == self.t.cdn_station,
                None => false,
            }
        };
        if far {
            let h = self.haul();
            self.ahead(x, CLIENT, h);
            h
        } else {
            0
        }
    }

    /// The answer of op frame `x` reaches its caller (or the client).
    #[inline(always)]
    pub(super) fn on_return(&mut self, x: FrameId) {
        let Some(f) = self.frames.remove(x) else {
            return;
        };
        self.returned(x, f);
    }

    /// Hands the outcome of op frame `x` (already removed: `f`) to its caller or the client.
    #[inline(always)]
    pub(super) fn returned(&mut self, x: FrameId, f: Frame) {
        if C && !matches!(f.ride, Ride::None) {
            // A query holding a pool connection: its answer reached the caller.
            components::on_ride_end(self, &f, false);
        }
        if f.entry != NO_ENTRY {
            let req = super::request::Answered::of(&f, x);
            self.record_outcome(f.entry as usize, req, f.fail, f.fail_node);
            return;
        }
        match self.frames.get(f.parent).map(|p| (p.kind, p.ride)) {
            Some((Kind::Op, _)) => self.child_done(f.parent, f.fail, f.fail_node, f.ledger),
            Some((Kind::Component, ride)) => {
                self.ledgers.release(f.ledger);
                components::on_child(self, ride, f.parent, x, f.fail, f.fail_node)
            }
            Some(_) => self.attempt_done(f.parent, x, f.fail, f.fail_node, f.ledger),
            None => self.ledgers.release(f.ledger), // orphaned
        }
    }
}
