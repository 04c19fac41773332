//! The latency anatomy's bookkeeping on frames (see `crate::flow::anatomy`): each frame of a
//! measured request has a ledger; the engine books the time since the frame's `mark` to its
//! current part at each step of the flow, books known delays ahead, and hands a finished
//! frame's ledger to its caller along the critical path.

use super::{Ev, Sim};
use crate::components::contract::{Frame, FrameId, NO_LEDGER};
use crate::flow::anatomy::{MARSHAL, OTHER, RETRY};
use crate::kernel::EventQueue;

/// The ledgers of the frames in flight: `(part, ns)` pairs, reused once freed (no allocation
/// in steady state).
#[derive(Default)]
pub(super) struct Ledgers {
    slots: Vec<Vec<(u32, u64)>>,
    free: Vec<u32>,
}

impl Ledgers {
    /// A new, empty ledger.
    #[inline]
    fn alloc(&mut self) -> u32 {
        match self.free.pop() {
            Some(l) => l,
            None => {
                self.slots.push(Vec::new());
                (self.slots.len() - 1) as u32
            }
        }
    }

    /// Adds `ns` to part `part` of ledger `l`.
    #[inline]
    fn add(&mut self, l: u32, part: u32, ns: u64) {
        if ns == 0 {
            return;
        }
        let v = &mut self.slots[l as usize];
        match v.iter_mut().find(|(p, _)| *p == part) {
            Some((_, t)) => *t += ns,
            None => v.push((part, ns)),
        }
    }

    /// Moves ledger `from` into `into` (then frees `from`); returns the time moved. The
    /// shorter list is added into the longer one (their slots swapped when `from` is the
    /// longer), so that a deep chain of calls costs the few parts of each level, not the
    /// growing list of everything below it.
    fn merge(&mut self, into: u32, from: u32) -> u64 {
        let total = self.slots[from as usize].iter().map(|&(_, ns)| ns).sum();
        if self.slots[from as usize].len() > self.slots[into as usize].len() {
            self.slots.swap(into as usize, from as usize);
        }
        let moved = std::mem::take(&mut self.slots[from as usize]);
        for &(p, ns) in &moved {
            self.add(into, p, ns);
        }
        self.slots[from as usize] = moved;
        self.release(from);
        total
    }

    /// Frees ledger `l` (nothing for [`NO_LEDGER`]).
    #[inline]
    pub(super) fn release(&mut self, l: u32) {
        if l != NO_LEDGER {
            self.slots[l as usize].clear();
            self.free.push(l);
        }
    }

    /// The parts of ledger `l`.
    pub(super) fn parts(&self, l: u32) -> &[(u32, u64)] {
        &self.slots[l as usize]
    }
}

impl<Q: EventQueue<Ev> + Default, const C: bool> Sim<'_, Q, C> {
    /// A ledger for a frame created now (none before the measured interval).
    #[inline]
    pub(super) fn new_ledger(&mut self) -> u32 {
        if self.measuring {
            self.ledgers.alloc()
        } else {
            NO_LEDGER
        }
    }

    /// Inserts frame `f`, created now, with a ledger whose time goes to `phase`.
    #[inline]
    pub(super) fn insert_tracked(&mut self, mut f: Frame, phase: u32) -> FrameId {
        f.mark = self.now;
        f.phase = phase;
        f.ledger = self.new_ledger();
        self.frames.insert(f)
    }

    /// Books the time of frame `x` since its mark to its current part; its time goes to
    /// `next` from now on.
    #[inline]
    pub(super) fn phase(&mut self, x: FrameId, next: u32) {
        let now = self.now;
        let Some(f) = self.frames.get_mut(x) else {
            return;
        };
        if f.ledger == NO_LEDGER {
            return;
        }
        if now > f.mark {
            let d = now.since(f.mark);
            self.ledgers.add(f.ledger, f.phase, d);
            f.mark = now;
        }
        f.phase = next;
    }

    /// Books a delay of `ns` ns ahead of frame `x` (from its mark) to part `part`.
    #[inline]
    pub(super) fn ahead(&mut self, x: FrameId, part: u32, ns: u64) {
        let Some(f) = self.frames.get_mut(x) else {
            return;
        };
        if f.ledger == NO_LEDGER || ns == 0 {
            return;
        }
        self.ledgers.add(f.ledger, part, ns);
        f.mark = f.mark.after(ns);
    }

    /// The CPU phase of op frame `x` on station `s` is over: its time since the mark is split
    /// into the node's service (the work at the station's nominal speed; the marshalling share
    /// of it to marshalling) and the node's queueing (the rest). Its time goes to `next`.
    #[inline]
    pub(super) fn cpu_phase_end(&mut self, x: FrameId, s: u32, next: u32) {
        let now = self.now;
        let Some(f) = self.frames.get_mut(x) else {
            return;
        };
        if f.ledger == NO_LEDGER {
            return;
        }
        let elapsed = now.since(f.mark.min(now));
        let spec = &self.t.stations[s as usize];
        let node = spec.node;
        let speed = if spec.speed > 0.0 { spec.speed } else { 1.0 };
        let demand = ((f.work.max(0.0) / speed).ceil() as u64).min(elapsed);
        let marshal = if f.has(Frame::REMOTE) && f.work > 0.0 {
            let m = self.t.ops[f.idx as usize].marshal_ns;
            ((demand as f64) * (m / f.work)).round() as u64
        } else {
            0
        }
        .min(demand);
        let layout = self.anat;
        let l = f.ledger;
        f.mark = now;
        f.phase = next;
        self.ledgers.add(l, layout.service(node), demand - marshal);
        self.ledgers.add(l, MARSHAL, marshal);
        self.ledgers.add(l, layout.queue(node), elapsed - demand);
    }

    /// A child of frame `x` answered with ledger `child` and was the last one it waited for
    /// (the critical path): the child's ledger joins `x`'s; time of `x` since its mark not
    /// covered by it goes to `x`'s current part (the component that took a call), or to
    /// "other". Then `x`'s time goes to `next`.
    pub(super) fn join(&mut self, x: FrameId, child: u32, next: u32) {
        let now = self.now;
        let Some(f) = self.frames.get_mut(x) else {
            self.ledgers.release(child);
            return;
        };
        if f.ledger == NO_LEDGER {
            self.ledgers.release(child);
            return;
        }
        let (l, phase) = (f.ledger, f.phase);
        let elapsed = now.since(f.mark.min(now));
        f.mark = now.max(f.mark);
        f.phase = next;
        let moved = if child == NO_LEDGER {
            0
        } else {
            self.ledgers.merge(l, child)
        };
        let rest = elapsed.saturating_sub(moved);
        let part = if phase == RETRY { OTHER } else { phase };
        self.ledgers.add(l, part, rest);
    }

    /// The current attempt of call or root frame `c` ended: on success the attempt's ledger
    /// `child` joins `c`'s; a failed attempt's time goes to "failed attempts and backoff" (as
    /// does the backoff that may follow).
    pub(super) fn attempt_ledger(&mut self, c: FrameId, fail: u8, child: u32) {
        if fail == 0 {
            self.join(c, child, RETRY);
        } else {
            self.ledgers.release(child);
            self.phase(c, RETRY);
        }
    }
}
