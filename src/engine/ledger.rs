//! The latency anatomy's bookkeeping on frames (see `crate::flow::anatomy`): each frame of a
//! measured request has a ledger; the engine books the time since the frame's `mark` to its
//! current part at each step of the flow, books known delays ahead, and hands a finished
//! frame's ledger to its caller along the critical path.

use super::{Ev, Sim};
use crate::components::contract::{Frame, FrameId, NO_LEDGER};
use crate::flow::anatomy::{MARSHAL, OTHER, RETRY};
use crate::kernel::EventQueue;

/// [`Sim::insert_direct`]'s `share` when the frame gets a ledger of its own (a caller's
/// ledger is never this value: ids are a slot and a generation below 2^64 − 2).
pub(super) const NO_SHARE: u64 = u64::MAX - 1;

/// The ledgers of the frames in flight: `(part, ns)` entries (a part may repeat), reused once freed (no allocation
/// in steady state). An id is the slot in its low 32 bits and the slot's generation in its
/// high 32 bits: a stale id (its ledger freed since) is ignored by every operation.
#[derive(Default)]
pub(super) struct Ledgers {
    slots: Vec<Vec<(u32, u64)>>,
    gens: Vec<u32>,
    free: Vec<u32>,
}

impl Ledgers {
    /// A new, empty ledger.
    #[inline]
    fn alloc(&mut self) -> u64 {
        let slot = match self.free.pop() {
            Some(l) => l,
            None => {
                self.slots.push(Vec::new());
                self.gens.push(0);
                (self.slots.len() - 1) as u32
            }
        };
        (u64::from(self.gens[slot as usize]) << 32) | u64::from(slot)
    }

    /// The slot of live ledger `l` (`None`: no ledger, or freed since).
    #[inline]
    fn slot(&self, l: u64) -> Option<usize> {
        let slot = (l & 0xffff_ffff) as usize;
        (l != NO_LEDGER && self.gens.get(slot) == Some(&((l >> 32) as u32))).then_some(slot)
    }

    /// Adds `ns` to part `part` of ledger `l`.
    #[inline]
    fn add(&mut self, l: u64, part: u32, ns: u64) {
        if ns == 0 {
            return;
        }
        let Some(slot) = self.slot(l) else {
            return;
        };
        // A part may appear more than once: the record adds them up (cheaper than a search).
        self.slots[slot].push((part, ns));
    }

    /// Moves ledger `from` into `into` (then frees `from`); returns the time moved. The
    /// shorter list is appended to the longer one (their contents swapped when `from` is the
    /// longer).
    fn merge(&mut self, into: u64, from: u64) -> u64 {
        let (Some(i), Some(f)) = (self.slot(into), self.slot(from)) else {
            self.release(from);
            return 0;
        };
        let total = self.slots[f].iter().map(|&(_, ns)| ns).sum();
        if self.slots[f].len() > self.slots[i].len() {
            self.slots.swap(i, f);
        }
        let moved = std::mem::take(&mut self.slots[f]);
        self.slots[i].extend_from_slice(&moved);
        self.slots[f] = moved;
        self.release(from);
        total
    }

    /// Frees ledger `l` (nothing for [`NO_LEDGER`] or a stale id).
    #[inline]
    pub(super) fn release(&mut self, l: u64) {
        if let Some(slot) = self.slot(l) {
            self.slots[slot].clear();
            self.gens[slot] = self.gens[slot].wrapping_add(1);
            self.free.push(slot as u32);
        }
    }

    /// The parts of ledger `l` (empty for a stale id).
    pub(super) fn parts(&self, l: u64) -> &[(u32, u64)] {
        match self.slot(l) {
            Some(slot) => &self.slots[slot],
            None => &[],
        }
    }
}

impl<Q: EventQueue<Ev> + Default, const C: bool> Sim<'_, Q, C> {
    /// A ledger for a frame created now (none before the measured interval).
    #[inline]
    pub(super) fn new_ledger(&mut self) -> u64 {
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

    /// Inserts frame `f`, created now for a direct call. As the only outstanding call of a
    /// step of its caller (`share`: the caller's ledger, else [`NO_SHARE`]) it books into its
    /// caller's ledger directly — its time from now to its answer is the step's time — so
    /// there is nothing to join when it answers; otherwise it gets its own ledger.
    #[inline]
    pub(super) fn insert_direct(&mut self, mut f: Frame, phase: u32, share: u64) -> FrameId {
        f.mark = self.now;
        f.phase = phase;
        f.ledger = if share == NO_SHARE {
            self.new_ledger()
        } else {
            share
        };
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
        // The station's own rounding: a job of `work` takes ⌈work / speed⌉ ns at full speed.
        let exact = f.work.max(0.0) / speed;
        let whole = exact as u64;
        let demand = if (whole as f64) < exact {
            whole + 1
        } else {
            whole
        }
        .min(elapsed);
        let m = if f.has(Frame::REMOTE) {
            self.t.ops[f.idx as usize].marshal_ns
        } else {
            0.0
        };
        let marshal = if m > 0.0 && f.work > 0.0 {
            (((demand as f64) * (m / f.work)).round() as u64).min(demand)
        } else {
            0
        };
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
    pub(super) fn join(&mut self, x: FrameId, child: u64, next: u32) {
        let now = self.now;
        let Some(f) = self.frames.get_mut(x) else {
            self.ledgers.release(child);
            return;
        };
        if f.ledger == child {
            // The child shared `x`'s ledger: it booked the step's time itself.
            f.mark = now.max(f.mark);
            f.phase = next;
            return;
        }
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
    pub(super) fn attempt_ledger(&mut self, c: FrameId, fail: u8, child: u64) {
        if fail == 0 {
            self.join(c, child, RETRY);
        } else {
            self.ledgers.release(child);
            self.phase(c, RETRY);
        }
    }
}
