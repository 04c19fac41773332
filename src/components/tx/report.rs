//! Transactions and locks in the results document, combined over replications.

use super::{Plan, TxKind, TxsRep};
use crate::components::report::Replication;
use crate::stats::{ratio, Stat};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Outcomes of one transaction; counts are of transactions started in the measured interval
/// and finished.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TxResult {
    /// `local` or `2pc`.
    pub mode: String,
    /// Every step succeeded and the commit is durable.
    pub committed: Stat,
    /// A step failed: rolled back (nothing of it remains).
    pub rolled_back: Stat,
    /// A lock was waited for longer than the lock timeout: rolled back.
    pub lock_timeouts: Stat,
    /// committed / finished.
    pub committed_ratio: Stat,
    /// Mean time a transaction waited for its locks \[s\].
    pub lock_wait_s: Stat,
    /// Mean round trips to the databases per transaction (begin, prepare, commit, rollback).
    pub round_trips: Stat,
    /// Mean time from start to the end of commit or rollback \[s\].
    pub duration_s: Stat,
    /// Two-phase commits left in doubt by a crash of their coordinator after PREPARE, counted
    /// when the coordinator is back (0 for a local transaction).
    pub in_doubt: Stat,
    /// Mean time one of those held its locks in doubt, from the coordinator's crash to its
    /// return \[s\].
    pub in_doubt_s: Stat,
}

/// One lock over the measured interval.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct LockResult {
    /// Acquisitions.
    pub acquires: Stat,
    /// Mean wait of an acquisition \[s\] (0 for one that found the lock free).
    pub wait_mean_s: Stat,
    /// Time-averaged holders: the share of time the lock is held.
    pub held: Stat,
    /// Time-averaged transactions waiting for it.
    pub waiting: Stat,
    /// Waits that ended in `lock_timeout`.
    pub timeouts: Stat,
}

/// Per transaction of `plan`, by name (lock sections are not listed).
pub fn combine(plan: &Plan, reps: &[Replication<'_, TxsRep>]) -> IndexMap<String, TxResult> {
    let mut out = IndexMap::new();
    for (i, tx) in plan.txs.iter().enumerate() {
        let mode = match tx.kind {
            TxKind::Local => "local",
            TxKind::TwoPc => "2pc",
            TxKind::Section => continue,
        };
        let st = |f: &dyn Fn(&super::TxRep) -> f64| Stat::over(reps, |r| f(&r.rep.txs[i]));
        let done = |x: &super::TxRep| x.committed + x.rolled_back + x.lock_timeouts;
        let per = |sum: f64, x: &super::TxRep| ratio(1, done(x)) * sum;
        out.insert(
            tx.name.clone(),
            TxResult {
                mode: mode.into(),
                committed: st(&|x| x.committed as f64),
                rolled_back: st(&|x| x.rolled_back as f64),
                lock_timeouts: st(&|x| x.lock_timeouts as f64),
                committed_ratio: st(&|x| ratio(x.committed, done(x))),
                lock_wait_s: st(&|x| per(x.lock_wait_ns, x) / 1e9),
                round_trips: st(&|x| per(x.round_trips as f64, x)),
                duration_s: st(&|x| per(x.duration_ns, x) / 1e9),
                in_doubt: st(&|x| x.in_doubt as f64),
                in_doubt_s: st(&|x| ratio(1, x.in_doubt) * x.in_doubt_ns / 1e9),
            },
        );
    }
    out
}

/// Per lock of `plan`, by name.
pub fn locks(plan: &Plan, reps: &[Replication<'_, TxsRep>]) -> IndexMap<String, LockResult> {
    let mut out = IndexMap::new();
    for (l, name) in plan.locks.iter().enumerate() {
        let st = |f: &dyn Fn(&super::LockRep) -> f64| Stat::over(reps, |r| f(&r.rep.locks[l]));
        out.insert(
            name.clone(),
            LockResult {
                acquires: st(&|x| x.acquires as f64),
                wait_mean_s: st(&|x| ratio(1, x.acquires) * x.wait_ns / 1e9),
                held: st(&|x| x.held),
                waiting: st(&|x| x.waiting),
                timeouts: st(&|x| x.timeouts as f64),
            },
        );
    }
    out
}
