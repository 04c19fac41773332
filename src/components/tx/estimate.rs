//! Transactions in the analytic estimate: a transaction's steps are sequential calls of the
//! operation holding it, and the caller also waits for its round trips (begin, commit; a
//! two-phase commit's begin, prepare and commit rounds, each taken at the mean of one round
//! trip) and the commit latency. The wait for locks is not estimated.

use super::{Transactions, TxKind};
use crate::components::bit;
use crate::components::contract::{Estimate, EstimateCx, Taken};
use crate::flow::topology::CallKind;

impl Estimate for Transactions {
    fn take<C: EstimateCx>(cx: &C, c: u32) -> Option<Taken> {
        let cp = cx.topo().calls.get(c as usize)?;
        if cp.kind != CallKind::Component || cp.hooks & bit::tx == 0 {
            return None;
        }
        let t = cx.plans().tx.txs.get(cp.aux as usize)?;
        let rt = 2.0 * cx.hop();
        let commit = t.commit.mean() / 1e9;
        let wait = match t.kind {
            TxKind::Section => 0.0,
            TxKind::Local => 2.0 * rt + commit,
            TxKind::TwoPc => 3.0 * rt + 2.0 * commit,
        };
        Some(Taken {
            wait,
            calls: t.first..t.first + t.len,
            detached: None,
            background: 0..0,
        })
    }
}
