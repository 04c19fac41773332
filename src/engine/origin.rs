//! Where a failure began: a timeout is blamed on the node where the request was when time ran
//! out (the deepest frame still waiting or in service), and every failure's *chain* — the
//! nodes from its origin up to the entry — is noted when it begins, so that the outcome
//! records which path the failure took.

use super::{Ev, Sim};
use crate::components::contract::{FrameId, Kind, NO_ENTRY};
use crate::kernel::EventQueue;

/// Nodes in a chain at most (deeper chains keep their first ones: the origin end).
const CHAIN_MAX: usize = 16;

impl<Q: EventQueue<Ev> + Default, const C: bool> Sim<'_, Q, C> {
    /// The node of frame `f`'s operation (an op frame, or a component frame acting for an
    /// operation); `None` for call and root frames.
    fn node_of(&self, f: FrameId) -> Option<u32> {
        let fr = self.frames.get(f)?;
        match fr.kind {
            Kind::Op | Kind::Component => self.t.ops.get(fr.idx as usize).map(|o| o.node),
            Kind::Call | Kind::Root => None,
        }
    }

    /// The deepest frame below `x` still at work: down through the current attempt of call and
    /// root frames and through the outstanding call of op frames waiting on a step (the one
    /// started last that is still pending; a parallel step whose last call already answered is
    /// searched among the live frames).
    #[cold]
    #[inline(never)]
    pub(super) fn deepest(&self, x: FrameId) -> FrameId {
        let mut at = x;
        for _ in 0..1024 {
            let Some(f) = self.frames.get(at) else {
                return at;
            };
            let next = match f.kind {
                Kind::Call | Kind::Root => f.child,
                Kind::Op | Kind::Component if f.pending > 0 => {
                    if self.frames.get(f.child).is_some_and(|c| c.parent == at) {
                        f.child
                    } else {
                        self.frames
                            .iter()
                            .find(|(_, c)| c.parent == at)
                            .map_or(FrameId::NONE, |(id, _)| id)
                    }
                }
                _ => FrameId::NONE,
            };
            if self.frames.get(next).is_none() {
                return at;
            }
            at = next;
        }
        at
    }

    /// The node a timeout of the attempt `x` is blamed on: the node of the deepest frame at
    /// work below it that belongs to an operation, else `fallback`.
    #[cold]
    #[inline(never)]
    pub(super) fn timeout_origin(&self, x: FrameId, fallback: u32) -> (u32, FrameId) {
        let mut at = self.deepest(x);
        // A call or root frame in backoff has no attempt: blame its callee's node.
        loop {
            if let Some(n) = self.node_of(at) {
                return (n, at);
            }
            match self.frames.get(at) {
                Some(f) if f.kind == Kind::Call => {
                    let op = self.t.calls[f.idx as usize].op as usize;
                    return (self.t.ops[op].node, at);
                }
                Some(f) if !f.parent.is_none() => at = f.parent,
                _ => return (fallback, at),
            }
        }
    }

    /// A failure begins at frame `x` (at node `origin`): notes its chain, the nodes from
    /// `origin` up through `x`'s callers to the entry, for the request `x` belongs to.
    #[cold]
    #[inline(never)]
    pub(super) fn note_chain(&mut self, x: FrameId, origin: u32) {
        let mut chain = vec![origin];
        let mut at = x;
        let mut top = None;
        for _ in 0..4096 {
            let Some(f) = self.frames.get(at) else {
                break;
            };
            top = Some((at, f.kind == Kind::Root || f.entry != NO_ENTRY));
            if let Some(n) = self.node_of(at) {
                if chain.last() != Some(&n) && chain.len() < CHAIN_MAX {
                    chain.push(n);
                }
            }
            if f.parent.is_none() {
                break;
            }
            at = f.parent;
        }
        // Only a request of an entry has an outcome to take the chain (an orphaned call's or a
        // message's failure has none).
        if let Some((top, true)) = top {
            self.chains.insert(top.to_bits(), chain);
        }
    }

    /// The chain of the failure of the request whose top frame is `top` (removed from the
    /// notes), if one was noted for a failure beginning at `origin`.
    #[inline]
    pub(super) fn take_chain(&mut self, top: FrameId, origin: u32) -> Option<Vec<u32>> {
        if self.chains.is_empty() {
            return None;
        }
        let c = self.chains.remove(&top.to_bits())?;
        (c.first() == Some(&origin)).then_some(c)
    }
}
