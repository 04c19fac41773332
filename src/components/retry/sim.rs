//! Client retries in a replication: a failed attempt of an entry request (other than
//! `circuit_open`) is retried after a backoff while attempts and the client's retry budget
//! allow; the request then answers with its last attempt's outcome.

use super::{backoff, BudgetState, RetryPolicy};
use crate::components::contract::{Component, FinishCx, FrameId, Kind, SimCx};
use crate::components::Ride;
use crate::flow::purpose;
use crate::flow::topology::Topology;
use crate::flow::Reason;
use crate::kernel::{Rng64, StreamSeeder};

/// The client-retry component.
pub struct ClientRetry;

/// The client retries of a variant's entries.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Per entry with retries (indexed by [`crate::flow::topology::EntryPlan::retry`]).
    pub clients: Vec<RetryPolicy>,
}

/// Per entry: its retry budget and backoff stream.
pub struct State {
    budgets: Vec<BudgetState>,
    rng: Vec<Rng64>,
}

/// What a root frame with retries keeps.
#[derive(Clone, Copy, Debug, Default)]
pub struct RootRide {
    /// The previous backoff sleep \[ns\] (decorrelated jitter).
    pub backoff: u64,
}

impl Component for ClientRetry {
    const PART: &'static str = "client retries";
    type Plan = Plan;
    type State = State;
    type Event = ();
    type Ride = RootRide;
    type Rep = ();

    fn start(_plan: &Plan, topo: &Topology, seeds: &StreamSeeder) -> State {
        let n = topo.entries.len();
        State {
            budgets: vec![BudgetState::default(); n],
            rng: (0..n)
                .map(|i| seeds.stream(purpose::CLIENT_RETRY, i as u64))
                .collect(),
        }
    }

    fn tracks_failures(plan: &Plan) -> bool {
        !plan.clients.is_empty()
    }

    /// A request of an entry with retries arrives (root frame `r`).
    fn on_call_begin<'m, C: SimCx<'m>>(cx: &mut C, r: FrameId) {
        let now = cx.now().ns();
        let Some(f) = cx.frames().get_mut(r) else {
            return;
        };
        f.ride = Ride::Retry(RootRide::default());
        let e = f.idx as usize;
        let i = cx.topo().entries[e].retry as usize;
        if cx.plans().retry.clients[i].budget.is_some() {
            cx.states().retry.budgets[e].on_call(now);
        }
    }

    /// Attempt of root frame `r` ended with `fail`: a retry after a backoff (`None`) or the
    /// outcome for the client.
    fn on_attempt_end<'m, C: SimCx<'m>>(
        cx: &mut C,
        r: FrameId,
        fail: u8,
        node: u32,
        _admitted: bool,
    ) -> Option<(u8, u32)> {
        if fail == 0 || fail == Reason::CircuitOpen as u8 {
            return Some((fail, node));
        }
        let f = *cx.frames().get(r)?;
        if f.kind != Kind::Root {
            return Some((fail, node));
        }
        let (e, n) = (f.idx as usize, f.attempt);
        let p = cx.plans().retry.clients[cx.topo().entries[e].retry as usize];
        let now = cx.now().ns();
        let budget_ok = match &p.budget {
            Some(b) => n < p.attempts && cx.states().retry.budgets[e].try_retry(now, b),
            None => true,
        };
        if n < p.attempts && budget_ok {
            let prev = match f.ride {
                Ride::Retry(x) => x.backoff,
                _ => 0,
            };
            let sleep = backoff(&p, n - 1, prev, &mut cx.states().retry.rng[e]);
            if let Some(f) = cx.frames().get_mut(r) {
                f.ride = Ride::Retry(RootRide { backoff: sleep });
            }
            cx.retry_after(sleep, r);
            return None;
        }
        Some((fail, node))
    }

    fn finish<'m, C: SimCx<'m>>(_cx: &mut C, _fin: &mut FinishCx<'_>) {}
}

impl Plan {
    /// The client retries `policy` of an entry; returns their index.
    pub fn add_client(&mut self, policy: RetryPolicy) -> u32 {
        self.clients.push(policy);
        (self.clients.len() - 1) as u32
    }
}
