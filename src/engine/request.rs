//! Entry requests: arrivals, the way from the client to the first node, client attempts and
//! retries, and the outcome each request ends with.

use super::{Ev, Sim};
use crate::components;
use crate::components::contract::{Frame, FrameId, Kind};
use crate::components::contract::{DEGRADED, NO_LEDGER};
use crate::flow::anatomy::{CLIENT, OTHER, RETRY};
use crate::kernel::{EventQueue, SimTime};

/// A request answered to its client: what its outcome is recorded with.
#[derive(Clone, Copy)]
pub(super) struct Answered {
    /// When it arrived.
    pub born: SimTime,
    /// It arrived in the measured interval.
    pub measured: bool,
    /// Its latency anatomy.
    pub ledger: u64,
    /// Its top frame (the root, or the entry's op frame): the key of its failure chain.
    pub top: FrameId,
}

impl Answered {
    /// The request whose top frame `top` is `f` (removed from the arena).
    #[inline]
    pub(super) fn of(f: &Frame, top: FrameId) -> Answered {
        Answered {
            born: f.born,
            measured: f.has(Frame::MEASURED),
            ledger: f.ledger,
            top,
        }
    }
}

impl<Q: EventQueue<Ev> + Default, const C: bool> Sim<'_, Q, C> {
    /// Closed loop: a user of entry `e` thinks, then sends its next request.
    #[inline(never)]
    pub(super) fn next_of_user(&mut self, e: usize) {
        let Some(d) = self.arrivals.think(e, &self.t.entries[e].arrival) else {
            return;
        };
        if self.now.ns().saturating_add(d) < self.t.end {
            self.at_cold(d, Ev::Arrival(e as u32));
        }
    }

    pub(super) fn on_arrival(&mut self, e: usize) {
        let next = self
            .arrivals
            .next(e, &self.t.entries[e].arrival, self.now.ns());
        if self.now.ns().saturating_add(next) < self.t.end {
            self.at(next, Ev::Arrival(e as u32));
        }
        if self.measuring {
            self.out.entries[e].arrived += 1;
        }
        let entry = &self.t.entries[e];
        if entry.timeout > 0 || (C && entry.hooks != 0) {
            // A root frame owns the client timeout and retries; the operation is its attempt.
            let mut root = Frame::new(Kind::Root, FrameId::NONE, e as u32, u32::MAX);
            root.born = self.now;
            root.set(Frame::MEASURED, self.measuring);
            let r = self.insert_tracked(root, RETRY);
            if C && entry.hooks != 0 {
                components::on_call_begin(self, entry.hooks, r);
            }
            self.root_attempt(r);
            return;
        }
        let mut x = Frame::new(Kind::Op, FrameId::NONE, entry.op, u32::MAX);
        x.flags = Frame::REMOTE | if self.measuring { Frame::MEASURED } else { 0 };
        x.entry = e as u32;
        x.born = self.now;
        let x = self.insert_tracked(x, OTHER);
        self.send_entry(x, e);
    }

    /// Sends a request of entry `e` (first attempt or a client retry) through the plain
    /// gateway, if any, after the way from the client to the data centre.
    #[inline(always)]
    fn send_entry(&mut self, x: FrameId, e: usize) {
        let mut delay = 0;
        if C && self.entry_hooks != 0 {
            match components::on_entry(self, self.entry_hooks, x, e) {
                Some(d) => delay = d,
                None => return,
            }
        }
        if self.t.long_haul && !self.t.entries[e].via_cdn {
            let d = self.haul();
            self.ahead(x, CLIENT, d);
            delay += d;
        }
        // The plain gateway is node `nodes.len()`; `gate` acts only on an active gate or on
        // a gateway with no instance up.
        let gw = self.t.nodes.len();
        if C && self.entry_hooks != 0 && (self.gates != 0 || self.avail.up_count(gw) == 0) {
            match self.gate(x, gw as u32) {
                Some(d) => delay += d,
                None => return,
            }
        }
        self.send(x, delay);
    }

    /// Attempt of root frame `r`: a new invocation of the entry operation.
    #[cold]
    #[inline(never)]
    pub(super) fn root_attempt(&mut self, r: FrameId) {
        self.phase(r, RETRY);
        let Some(f) = self.frames.get_mut(r) else {
            return;
        };
        f.attempt += 1;
        let (e, attempt) = (f.idx as usize, f.attempt);
        let entry = &self.t.entries[e];
        let mut x = Frame::new(Kind::Op, r, entry.op, u32::MAX);
        x.set(Frame::REMOTE, true);
        let x = self.insert_tracked(x, OTHER);
        self.set_child(r, x);
        if self.measuring {
            self.out.entries[e].attempts += 1;
        }
        if entry.timeout > 0 {
            self.at_cold(entry.timeout, Ev::Timeout(r, attempt));
        }
        self.send_entry(x, e);
    }

    /// Attempt of root frame `r` ended with `fail` (0 = success; `ledger`: the attempt's):
    /// retry or answer the client.
    #[cold]
    #[inline(never)]
    pub(super) fn root_attempt_end(
        &mut self,
        r: FrameId,
        mut fail: u8,
        mut fail_node: u32,
        ledger: u64,
    ) {
        self.attempt_ledger(r, fail, ledger);
        let hooks = self
            .frames
            .get(r)
            .map_or(0, |f| self.t.entries[f.idx as usize].hooks);
        if C && hooks != 0 {
            match components::on_attempt_end(self, hooks, r, fail, fail_node, true) {
                Some((a, b)) => (fail, fail_node) = (a, b),
                None => return,
            }
        }
        if let Some(f) = self.frames.remove(r) {
            let req = Answered::of(&f, r);
            self.record_outcome(f.idx as usize, req, fail, fail_node);
        }
    }

    /// A backoff ended.
    #[cold]
    #[inline(never)]
    pub(super) fn on_retry(&mut self, f: FrameId) {
        match self.frames.get(f).map(|x| x.kind) {
            Some(Kind::Root) => self.root_attempt(f),
            Some(Kind::Call) => self.call_attempt(f),
            _ => {}
        }
    }

    /// Counts a measured failure of entry `e` that began at `origin` by its chain (`None`:
    /// none noted; the chain is then the origin and the entry's node).
    #[cold]
    #[inline(never)]
    fn count_chain(&mut self, e: usize, origin: u32, chain: Option<Vec<u32>>) {
        let chain = chain.unwrap_or_else(|| {
            let entry_node = self.t.ops[self.t.entries[e].op as usize].node;
            let mut c = vec![origin];
            if entry_node != origin {
                c.push(entry_node);
            }
            c
        });
        *self.chain_counts[e].entry(chain).or_insert(0) += 1;
    }

    /// Records the answer to request `req` of entry `e`: `fail` (0 = success) began at
    /// `fail_node` (a success with `fail_node == DEGRADED` was degraded).
    pub(super) fn record_outcome(&mut self, e: usize, req: Answered, fail: u8, fail_node: u32) {
        let Answered {
            born,
            measured,
            ledger,
            top,
        } = req;
        if self.closed_loops && self.t.entries[e].arrival.is_closed() {
            self.next_of_user(e);
        }
        let chain = self.take_chain(top, fail_node);
        if fail != 0 {
            if measured {
                self.count_chain(e, fail_node, chain);
            }
            let nodes = self.t.nodes.len();
            self.out
                .failure(e, measured, fail, fail_node as usize, nodes);
            if C && measured && self.outcomes {
                components::on_outcome(self, e);
            }
            self.ledgers.release(ledger);
            return;
        }
        let lat = self.now.since(born);
        self.out.success(e, measured, lat, fail_node == DEGRADED);
        if ledger != NO_LEDGER {
            if measured {
                self.anatomy.record(e, lat, self.ledgers.parts(ledger));
            }
            self.ledgers.release(ledger);
        }
    }
}
