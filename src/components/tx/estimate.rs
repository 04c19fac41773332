//! Transactions in the analytic estimate: a transaction's steps are sequential calls of the
//! operation holding it, and the caller also waits for its round trips (begin, commit; a
//! two-phase commit's begin, prepare and commit rounds, each taken at the mean of one round
//! trip) and the commit latency.
//!
//! **The wait for a lock.** Each named lock is an M/G/1 FIFO queue: it is acquired at rate λ
//! (the rate of every transaction call taking it) and held for H, from its grant to the end of
//! the commit (or of a lock section's call): the transaction's steps, then its commit round
//! trip and latency (a two-phase commit: its prepare and commit rounds). With ρ = λ E\[H\] < 1
//! the mean wait is the Pollaczek–Khinchine Wq = λ E\[H²\] / (2(1 − ρ)); ρ ≥ 1 has no mean (the
//! queue grows without bound) and is warned about. E\[H²\] = Var\[H\] + E\[H\]², with the
//! steps and the commit latency independent: a step's variance is its mean time squared times
//! the squared coefficient of variation of its operation's demand; the commit latency's is its
//! distribution's; round trips are taken at their mean. A transaction taking several locks waits
//! for each in turn (the sum of their waits); the time a lock is held while its transaction waits
//! for a later one, and lock timeouts (which shorten long waits), are not estimated.

use super::{Transactions, TxKind, TxPlan};
use crate::components::bit;
use crate::components::contract::{Estimate, EstimateCx, Taken};
use crate::flow::topology::CallKind;

/// The transaction plan of call `c`, if it is a transaction's (or a lock section's) call.
fn tx_of<C: EstimateCx>(cx: &C, c: u32) -> Option<&TxPlan> {
    let cp = cx.topo().calls.get(c as usize)?;
    if cp.kind != CallKind::Component || cp.hooks & bit::tx == 0 {
        return None;
    }
    cx.plans().tx.txs.get(cp.aux as usize)
}

/// Mean \[s\] and second moment \[s²\] of the time transaction `t` holds its locks; `None`
/// when it has no mean.
fn hold<C: EstimateCx>(cx: &mut C, t: &TxPlan) -> Option<(f64, f64)> {
    let rt = 2.0 * cx.hop();
    let cm = t.commit.mean() / 1e9;
    let cvar = t.commit.scv() * cm * cm;
    let (mut mean, mut var) = match t.kind {
        TxKind::Section => (0.0, 0.0),
        TxKind::Local => (rt + cm, cvar),
        TxKind::TwoPc => (2.0 * (rt + cm), 2.0 * cvar),
    };
    for sc in t.first..t.first + t.len {
        let m = cx.call_mean(sc)?;
        let topo = cx.topo();
        let scv = topo
            .calls
            .get(sc as usize)
            .filter(|cp| cp.kind != CallKind::Component)
            .and_then(|cp| topo.ops.get(cp.op as usize))
            .map_or(1.0, |o| o.demand.scv());
        mean += m;
        var += scv * m * m;
    }
    let second = var + mean * mean;
    (mean.is_finite() && second.is_finite()).then_some((mean, second))
}

/// Lock `l`'s acquisitions per second, and the mean and second moment of its hold time over
/// them; `None` when a hold time has no mean.
fn lock_load<C: EstimateCx>(cx: &mut C, l: u32) -> Option<(f64, f64, f64)> {
    let takers: Vec<(u32, TxPlan)> = (0..cx.topo().calls.len() as u32)
        .filter_map(|c| {
            tx_of(cx, c)
                .filter(|t| t.locks.contains(&l))
                .map(|t| (c, t.clone()))
        })
        .collect();
    let (mut lambda, mut m1, mut m2) = (0.0, 0.0, 0.0);
    for (c, t) in takers {
        let r = cx.call_rate(c);
        if r > 0.0 {
            let (h1, h2) = hold(cx, &t)?;
            lambda += r;
            m1 += r * h1;
            m2 += r * h2;
        }
    }
    Some(if lambda > 0.0 {
        (lambda, m1 / lambda, m2 / lambda)
    } else {
        (0.0, 0.0, 0.0)
    })
}

/// The mean wait \[s\] for lock `l` (M/G/1, Pollaczek–Khinchine); `None` when saturated or
/// without a mean.
pub fn lock_wait<C: EstimateCx>(cx: &mut C, l: u32) -> Option<f64> {
    let (lambda, h1, h2) = lock_load(cx, l)?;
    let rho = lambda * h1;
    if rho >= 1.0 {
        return None;
    }
    Some(if lambda > 0.0 {
        lambda * h2 / (2.0 * (1.0 - rho))
    } else {
        0.0
    })
}

impl Estimate for Transactions {
    fn take<C: EstimateCx>(cx: &C, c: u32) -> Option<Taken> {
        let t = tx_of(cx, c)?;
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

    fn queued<C: EstimateCx>(cx: &mut C, c: u32) -> Option<Option<f64>> {
        let locks = tx_of(cx, c)?.locks.clone();
        let mut wait = 0.0;
        for l in locks {
            match lock_wait(cx, l) {
                Some(w) => wait += w,
                None => return Some(None),
            }
        }
        Some(Some(wait))
    }

    fn on_times<C: EstimateCx>(cx: &mut C) {
        for l in 0..cx.plans().tx.locks.len() as u32 {
            let Some((lambda, h1, _)) = lock_load(cx, l) else {
                continue;
            };
            let rho = lambda * h1;
            if rho >= 1.0 {
                let name = cx.plans().tx.locks[l as usize].clone();
                cx.warn(format!(
                    "lock `{name}`: held {rho:.2} of the time (acquisitions × mean hold ≥ 1) — \
                     its waiters queue without bound"
                ));
            }
        }
    }
}
