//! A request reaching a node: gates (instances down, active faults), the choice of an instance
//! (read replicas, load balancing over the instances up), admission (workers, queue, load
//! shedding), the CPU phases, and crashes.

use super::{Ev, Sim};
use crate::components;
use crate::components::contract::{Frame, FrameId, Kind};
use crate::flow::anatomy::{NETWORK, OTHER};
use crate::flow::balance;
use crate::flow::topology::NO_HOST;
use crate::flow::Reason;
use crate::kernel::EventQueue;

/// How a CPU phase started.
pub(super) enum CpuStart {
    /// No work: continue at once.
    Done,
    /// Running or queued for a worker.
    Waiting,
    /// Queue full at admission.
    Rejected,
}

impl<Q: EventQueue<Ev> + Default, const C: bool> Sim<'_, Q, C> {
    pub(super) fn deliver(&mut self, x: FrameId) {
        if let Some(op) = self.frames.get(x).map(|f| f.idx) {
            self.deliver_op(x, op);
        }
    }

    /// [`Sim::deliver`] of op frame `x`, whose operation `op` the caller knows.
    #[inline]
    pub(super) fn deliver_op(&mut self, x: FrameId, op: u32) {
        let node = self.t.ops[op as usize].node as usize;
        // `gate` acts only on an active gate or on a node with no instance up.
        if C && (self.gates != 0 || self.avail.up_count(node) == 0) {
            match self.gate(x, node as u32) {
                Some(0) => {}
                Some(d) => {
                    self.at_cold(d, Ev::Admit(x));
                    return;
                }
                None => return,
            }
        }
        self.admit(x, node);
    }

    /// Gates of `node` (`nodes.len()`: the plain gateway) for frame `x`: no instance up fails
    /// it `crashed`; then the gating components. `Some(delay)` to admit it after `delay`,
    /// `None` if it failed.
    #[cold]
    #[inline(never)]
    pub(super) fn gate(&mut self, x: FrameId, node: u32) -> Option<u64> {
        if self.avail.up_count(node as usize) == 0 {
            self.fail_frame(x, Reason::Crashed, node);
            return None;
        }
        if self.gates == 0 {
            return Some(0);
        }
        components::on_gate(self, self.gates, x, node)
    }

    /// Admission after a gate's delay.
    #[cold]
    #[inline(never)]
    pub(super) fn on_admit(&mut self, x: FrameId) {
        if let Some(op) = self.frames.get(x).map(|f| f.idx) {
            let node = self.t.ops[op as usize].node as usize;
            self.admit(x, node);
        }
    }

    /// Admission of op frame `x` at an instance of node `node_ix`.
    #[inline]
    pub(super) fn admit(&mut self, x: FrameId, node_ix: usize) {
        let node = &self.t.nodes[node_ix];
        let first = node.first_station;
        let k = if node.read_replicas > 0 {
            let Some(write) = self.frames.get(x).map(|f| self.t.ops[f.idx as usize].write) else {
                return;
            };
            let pick = balance::replica(node, write, &self.avail, &mut self.routing_rng[node_ix]);
            match pick {
                Some(k) => k,
                None => {
                    self.fail_frame(x, Reason::Crashed, node_ix as u32);
                    return;
                }
            }
        } else if C && self.avail.any_down() && self.avail.up_count(node_ix) < node.instances {
            let pick = balance::pick_up(
                node,
                node_ix,
                &self.avail,
                &self.stations,
                &mut self.rr[node_ix],
                &mut self.routing_rng[node_ix],
                &mut self.lb_scratch,
            );
            match pick {
                Some(k) => k,
                None => {
                    self.fail_frame(x, Reason::Crashed, node_ix as u32);
                    return;
                }
            }
        } else if node.instances == 1 {
            0
        } else {
            let stations = &self.stations;
            balance::pick(
                node.lb,
                node.instances,
                &mut self.rr[node_ix],
                &mut self.routing_rng[node_ix],
                |i| stations[(first + i) as usize].in_system,
            )
        };
        let s = first + k;
        if C && node.hooks != 0 && components::on_chosen(self, node.hooks, x, s) {
            return;
        }
        self.admit_at(x, node_ix, s);
    }

    /// Admission of op frame `x` at instance `s` of node `node_ix`.
    #[inline]
    pub(super) fn admit_at(&mut self, x: FrameId, node_ix: usize, s: u32) {
        let node = &self.t.nodes[node_ix];
        if node.hooked {
            let Some(op) = self.frames.get(x).map(|f| f.idx) else {
                return;
            };
            if node.request_priced && self.measuring {
                self.op_count[op as usize] += 1;
            }
            if C && node.hooks != 0 && components::on_deliver(self, node.hooks, x, s, node_ix) {
                return;
            }
        }
        // Admitted: waiting for a worker is the node's queueing.
        self.phase(x, self.anat.queue(node_ix as u32));
        let now = self.now;
        let st = &mut self.stations[s as usize];
        if self.measuring {
            st.stats.arrivals += 1;
        }
        // Load shedding (blocking io only): no free worker, and the oldest waiting request has
        // already waited longer than the bound.
        let max = st.shed_max_wait;
        let shed = max > 0
            && st.busy >= st.workers
            && st.oldest_arrival().is_some_and(|b| {
                self.frames
                    .get(FrameId::from_bits(b))
                    .is_some_and(|f| now.since(f.start) > max)
            });
        let fr = self.frames.get_mut(x).expect("frame checked above");
        fr.station = s;
        fr.start = now;
        let (op, remote) = (fr.idx, fr.has(Frame::REMOTE));
        if st.async_io {
            // Admission happens at the first CPU phase.
            st.enter(now);
            fr.flags |= Frame::IN_SYSTEM;
            self.op_begin_at(x, op, remote, s);
        } else if st.busy < st.workers {
            st.take_worker(now);
            st.enter(now);
            fr.flags |= Frame::IN_SYSTEM | Frame::HOLDS_WORKER;
            self.op_begin_at(x, op, remote, s);
        } else if shed {
            self.fail_at_station(x, Reason::Shed);
        } else if st.queue_has_room() {
            st.enter(now);
            fr.flags |= Frame::IN_SYSTEM;
            st.push_arrival(now, x.to_bits());
        } else {
            self.fail_at_station(x, Reason::Rejected);
        }
    }

    /// Op frame `x`, at its station, is turned away with `reason` (counted as rejected there).
    pub(super) fn fail_at_station(&mut self, x: FrameId, reason: Reason) {
        let Some(f) = self.frames.get_mut(x) else {
            return;
        };
        let s = f.station as usize;
        f.fail = reason as u8;
        let node = self.t.stations[s].node;
        f.fail_node = node;
        let st = &mut self.stations[s];
        if f.has(Frame::IN_SYSTEM) {
            f.set(Frame::IN_SYSTEM, false);
            st.leave(self.now);
        }
        if self.measuring {
            st.stats.rejected += 1;
        }
        self.note_chain(x, node);
        self.respond(x);
    }

    /// Frame `x` fails at once (it never reached a station) with `reason`, beginning at `node`.
    /// It counts as an attempt refused at `node`, except a pool timeout (the query never left
    /// its caller).
    #[cold]
    #[inline(never)]
    pub(super) fn fail_frame(&mut self, x: FrameId, reason: Reason, node: u32) {
        if self.measuring && reason != Reason::PoolTimeout {
            if let Some(n) = self.refused.get_mut(node as usize) {
                *n += 1;
            }
        }
        if let Some(f) = self.frames.get_mut(x) {
            f.fail = reason as u8;
            f.fail_node = node;
        }
        self.note_chain(x, node);
        self.respond(x);
    }

    // ---- CPU -------------------------------------------------------------------------------

    /// Starts a CPU phase of `work` ns for frame `f` on station `s`.
    #[inline(always)]
    pub(super) fn run_cpu(&mut self, f: FrameId, s: u32, work: f64, admission: bool) -> CpuStart {
        if work <= 0.0 {
            return CpuStart::Done;
        }
        let now = self.now;
        let st = &mut self.stations[s as usize];
        if st.async_io {
            // Async io: a worker is held during the CPU phase only, which the station tracks
            // (no flag on the frame).
            if st.busy < st.workers {
                st.take_worker(now);
            } else {
                if let Some(fr) = self.frames.get_mut(f) {
                    fr.work = work;
                }
                if !admission {
                    st.push_continuation(now, f.to_bits());
                    return CpuStart::Waiting;
                }
                if st.queue_has_room() {
                    st.push_arrival(now, f.to_bits());
                    return CpuStart::Waiting;
                }
                return CpuStart::Rejected;
            }
        }
        self.add_job(s, f, work);
        CpuStart::Waiting
    }

    #[inline]
    pub(super) fn add_job(&mut self, s: u32, f: FrameId, work: f64) {
        let now = self.now;
        let st = &mut self.stations[s as usize];
        if C && st.host != NO_HOST {
            let mask = self.t.nodes[self.t.stations[s as usize].node as usize].hooks;
            components::on_cpu(self, mask, s, f, work);
            return;
        }
        if st.dedicated {
            let t = st.add_dedicated_job(now, work);
            self.queue.push(
                t,
                Ev::Job {
                    station: s,
                    frame: f,
                },
            );
            return;
        }
        if let Some(t) = st.add_job(now, f.to_bits(), work) {
            let epoch = st.epoch;
            self.queue.push(t, Ev::Cpu { station: s, epoch });
        }
    }

    pub(super) fn on_cpu(&mut self, s: u32, epoch: u32) {
        let now = self.now;
        {
            let st = &mut self.stations[s as usize];
            if st.epoch != epoch || st.scheduled != Some(now) {
                return; // stale
            }
            st.scheduled = None;
        }
        while let Some(job) = self.stations[s as usize].pop_finished(now) {
            self.cpu_done(FrameId::from_bits(job), s);
        }
        let st = &mut self.stations[s as usize];
        if let Some(t) = st.reschedule(now) {
            let epoch = st.epoch;
            self.queue.push(t, Ev::Cpu { station: s, epoch });
        }
    }

    #[inline]
    pub(super) fn cpu_done(&mut self, f: FrameId, s: u32) {
        if self.stations[s as usize].async_io {
            self.release_worker(s);
        }
        let Some(fr) = self.frames.get_mut(f) else {
            return;
        };
        match fr.kind {
            Kind::Op if fr.has(Frame::MARSHAL) => {
                fr.set(Frame::MARSHAL, false);
                self.phase(f, NETWORK);
                let d = self.hop();
                self.ahead(f, NETWORK, d);
                self.send(f, d);
            }
            Kind::Op => {
                self.cpu_phase_end(f, s, OTHER);
                self.op_continue(f)
            }
            Kind::Call => self.call_send(f),
            Kind::Root | Kind::Component => {}
        }
    }

    #[inline]
    pub(super) fn release_worker(&mut self, s: u32) {
        let now = self.now;
        let st = &mut self.stations[s as usize];
        // The worker passes to the next waiting request, if any (the count does not change).
        let Some(bits) = st.pop_waiting(now) else {
            st.give_worker(now);
            return;
        };
        let async_io = st.async_io;
        let f = FrameId::from_bits(bits);
        let Some(fr) = self.frames.get_mut(f) else {
            // The frame died while waiting (cannot happen today; stay safe).
            self.stations[s as usize].give_worker(now);
            return;
        };
        if async_io {
            let work = fr.work;
            self.add_job(s, f, work);
        } else {
            fr.flags |= Frame::HOLDS_WORKER;
            let (op, remote) = (fr.idx, fr.has(Frame::REMOTE));
            self.op_begin_at(f, op, remote, s);
        }
    }
}
