//! Asynchronous flows and sagas in the event loop: publishing to a message queue, consumers
//! pulling with a concurrency, visibility timeouts with redelivery and dead-lettering; and sagas
//! whose failed steps trigger compensations in reverse order. See `docs/semantics.md`,
//! "Message queues" and "Sagas".

use super::{Ev, Frame, FrameId, Kind, Sim};
use crate::kernel::EventQueue;
use crate::model::CallPlan;

impl<Q: EventQueue<Ev> + Default> Sim<'_, Q> {
    // ---- message queues -------------------------------------------------------------------

    /// Op frame `x` publishes a message for `cp.op` to queue `cp.aux`.
    #[inline(never)]
    pub(super) fn publish(&mut self, x: FrameId, cp: CallPlan) {
        let q = cp.aux as usize;
        let mut m = Frame::new(Kind::Msg, x, q as u32, u32::MAX);
        m.pc = cp.op;
        m.born = self.now;
        m.measured = self.measuring;
        let id = self.frames.insert(m);
        let d = self.m.queues[q]
            .publish_latency
            .sample_ns(&mut self.publish_rng[q]);
        if d == 0 {
            self.published(id);
        } else {
            self.at_cold(d, Ev::Published(id));
        }
    }

    /// The publish of message `id` completes: it becomes visible and its publisher continues.
    #[inline(never)]
    pub(super) fn published(&mut self, id: FrameId) {
        let now = self.now;
        let Some(m) = self.frames.get_mut(id) else {
            return;
        };
        let caller = m.parent;
        m.parent = FrameId::NONE;
        m.start = now;
        let (q, born, measured) = (m.idx as usize, m.born, m.measured);
        let st = &mut self.queues[q];
        st.live += 1;
        if measured {
            st.stats.published += 1;
        }
        st.push(born.ns(), id.to_bits());
        self.dispatch(q);
        self.op_child_done(caller, 0, 0);
    }

    /// Hands visible messages of queue `q` to free consumer slots.
    pub(super) fn dispatch(&mut self, q: usize) {
        if self.queues[q].dispatching {
            return; // the outer loop keeps going
        }
        self.queues[q].dispatching = true;
        let vt = self.m.queues[q].visibility_timeout;
        while let Some(bits) = self.queues[q].take() {
            let id = FrameId::from_bits(bits);
            let now = self.now;
            let Some(m) = self.frames.get_mut(id) else {
                self.queues[q].busy -= 1;
                continue;
            };
            m.attempt += 1;
            let (attempt, op, measured) = (m.attempt, m.pc, m.measured);
            let wait = now.since(m.start);
            if measured {
                let s = &mut self.queues[q].stats;
                s.receives += 1;
                s.wait_sum_ns += wait as f64;
                if attempt > 1 {
                    s.redelivered += 1;
                }
            }
            let mut y = Frame::new(Kind::Op, id, op, u32::MAX);
            y.remote = true;
            let y = self.frames.insert(y);
            self.set_child(id, y);
            self.at_cold(vt, Ev::Timeout(id, attempt));
            let d = self.hop();
            self.send(y, d);
        }
        self.queues[q].dispatching = false;
    }

    /// The consumer invocation `x` of message `msg` answered.
    #[inline(never)]
    pub(super) fn consumed(&mut self, msg: FrameId, x: FrameId, fail: u8) {
        let now = self.now;
        let Some(m) = self.frames.get_mut(msg) else {
            return;
        };
        if m.child != x {
            return; // answered after its visibility timeout: the receive was abandoned
        }
        m.child = FrameId::NONE;
        let (q, born, measured, attempts) = (m.idx as usize, m.born, m.measured, m.attempt);
        self.queues[q].busy -= 1;
        if fail == 0 {
            self.frames.remove(msg);
            let st = &mut self.queues[q];
            st.live -= 1;
            if measured {
                st.stats.delivered += 1;
                st.stats.finished_receives += u64::from(attempts);
                st.stats.end_to_end.record(now.since(born));
            }
        } else if measured {
            // The message stays invisible until its visibility timeout.
            self.queues[q].stats.failed_receives += 1;
        }
        self.dispatch(q);
    }

    /// The visibility timeout of receive `attempt` of message `msg` expired.
    #[inline(never)]
    pub(super) fn visibility_expired(&mut self, msg: FrameId, attempt: u32) {
        let now = self.now;
        let Some(m) = self.frames.get(msg).copied() else {
            return; // deleted
        };
        if m.attempt != attempt {
            return;
        }
        let q = m.idx as usize;
        if !m.child.is_none() {
            // Still being processed: the receive is abandoned, its late answer ignored.
            if let Some(x) = self.frames.get_mut(m.child) {
                x.parent = FrameId::NONE;
            }
            self.set_child(msg, FrameId::NONE);
            self.queues[q].busy -= 1;
            if m.measured {
                self.queues[q].stats.expired_receives += 1;
            }
        }
        if attempt >= self.m.queues[q].max_receives {
            self.frames.remove(msg);
            let st = &mut self.queues[q];
            st.live -= 1;
            if m.measured {
                st.stats.dead_lettered += 1;
                st.stats.finished_receives += u64::from(attempt);
            }
        } else {
            if let Some(f) = self.frames.get_mut(msg) {
                f.start = now;
            }
            self.queues[q].push(m.born.ns(), msg.to_bits());
        }
        self.dispatch(q);
    }

    // ---- sagas ----------------------------------------------------------------------------

    /// Op frame `x` starts saga `g`.
    #[inline(never)]
    pub(super) fn saga_start(&mut self, x: FrameId, g: u32) {
        let Some((op, station)) = self.frames.get(x).map(|f| (f.idx, f.station)) else {
            return;
        };
        let mut f = Frame::new(Kind::Saga, x, op, station);
        f.reps = g;
        f.born = self.now;
        f.measured = self.measuring;
        let id = self.frames.insert(f);
        self.saga_next(id);
    }

    /// Runs the next forward step or compensation of saga frame `g` until one is pending or
    /// the saga ends.
    fn saga_next(&mut self, g: FrameId) {
        loop {
            let Some(f) = self.frames.get_mut(g) else {
                return;
            };
            let plan = &self.m.sagas[f.reps as usize];
            let call = if f.attempt == 0 {
                if f.pc >= plan.len {
                    self.saga_end(g);
                    return;
                }
                f.pc += 1;
                plan.first + f.pc - 1
            } else {
                let mut next = None;
                while f.pc > 0 {
                    f.pc -= 1;
                    let c = plan.comp_first + f.pc;
                    if self.m.calls[c as usize].op != u32::MAX {
                        next = Some(c);
                        break;
                    }
                }
                match next {
                    Some(c) => c,
                    None => {
                        self.saga_end(g);
                        return;
                    }
                }
            };
            f.pending = 1;
            f.spawning = true;
            self.start_call(g, call);
            let Some(f) = self.frames.get_mut(g) else {
                return;
            };
            f.spawning = false;
            if f.pending > 0 {
                return;
            }
        }
    }

    /// A step or compensation of saga frame `g` answered.
    #[inline(never)]
    pub(super) fn saga_child_done(&mut self, g: FrameId, fail: u8, fail_node: u32) {
        let now = self.now;
        let Some(f) = self.frames.get_mut(g) else {
            return;
        };
        f.pending -= 1;
        if fail != 0 {
            if f.attempt == 0 {
                // Compensate the steps completed before this one, last first.
                f.attempt = 1;
                f.fail = fail;
                f.fail_node = fail_node;
                f.start = now;
                f.pc -= 1;
            } else {
                f.attempt = 2;
            }
        } else if fail_node == super::DEGRADED && f.fail == 0 {
            // A step answered by its fallback: the saga goes on, the request is degraded.
            f.fail_node = super::DEGRADED;
        }
        if f.pending == 0 && !f.spawning {
            self.saga_next(g);
        }
    }

    /// Saga frame `g` is over: counts its outcome and answers the calling operation.
    fn saga_end(&mut self, g: FrameId) {
        let Some(f) = self.frames.remove(g) else {
            return;
        };
        if f.measured {
            let r = &mut self.sagas[f.reps as usize];
            match f.attempt {
                0 => r.committed += 1,
                1 => r.compensated += 1,
                _ => r.inconsistent += 1,
            }
            if f.attempt > 0 {
                r.compensation_ns += self.now.since(f.start) as f64;
            }
        }
        self.op_child_done(f.parent, f.fail, f.fail_node);
    }
}
