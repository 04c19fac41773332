//! The policies of call edges in a replication. An attempt of a call with policies meets them
//! in this order: the circuit breaker (an open breaker refuses it: `circuit_open`), then the
//! bulkhead (full: `rejected`, and the breaker's probe is given back); both refusals happen
//! before the attempt leaves the caller and are attributed to the protected dependency. When an
//! admitted attempt ends, the breaker records its outcome; a failure other than `circuit_open`
//! is retried after a backoff while attempts and the retry budget allow (at least the
//! `Retry-After` of an external's 429: `crate::components::external`); a final failure
//! becomes a degraded success when the edge has a fallback.

use super::{EdgeRep, EdgeState, Fallback, Refusal};
use crate::components::breaker::BreakerState;
use crate::components::contract::{Component, FinishCx, Frame, FrameId, SimCx, DEGRADED};
use crate::components::Ride;
use crate::components::{external, retry};
use crate::flow::purpose;
use crate::flow::topology::Topology;
use crate::flow::Reason;
use crate::kernel::{Rng64, StreamSeeder};

/// The call-policy component.
pub struct Policies;

/// The call edges with policies of a variant.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Per edge (indexed by [`crate::flow::topology::CallPlan::policy`]): its policies.
    pub edges: Vec<super::CallPolicy>,
    /// Per edge: its name, `caller -> callee`.
    pub names: Vec<String>,
}

/// Per edge: its state and retry stream.
pub struct State {
    edges: Vec<EdgeState>,
    rng: Vec<Rng64>,
}

/// What a call frame with policies keeps (its flag [`Frame::IN_FLIGHT`] says whether an
/// admitted attempt is in flight).
#[derive(Clone, Copy, Debug, Default)]
pub struct EdgeRide {
    /// The breaker ticket of the attempt in flight.
    pub ticket: u32,
    /// Retries of the current repetition so far.
    pub tries: u32,
    /// The previous backoff sleep \[ns\] (decorrelated jitter).
    pub backoff: u64,
}

/// The call edges' record of one replication.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PoliciesRep {
    /// Per edge.
    pub edges: Vec<EdgeRep>,
    /// Circuit-breaker state changes `(time ns, edge, from, to)` over the whole run.
    pub breaker_changes: Vec<(u64, u32, BreakerState, BreakerState)>,
}

impl Component for Policies {
    const PART: &'static str = "call policies (bulkhead wait)";
    type Plan = Plan;
    type State = State;
    type Event = ();
    type Ride = EdgeRide;
    type Rep = PoliciesRep;

    fn start(plan: &Plan, _topo: &Topology, seeds: &StreamSeeder) -> State {
        State {
            edges: plan.edges.iter().map(|p| EdgeState::new(*p)).collect(),
            rng: (0..plan.edges.len())
                .map(|i| seeds.stream(purpose::RETRY, i as u64))
                .collect(),
        }
    }

    fn tracks_failures(plan: &Plan) -> bool {
        !plan.edges.is_empty()
    }

    fn on_call_begin<'m, C: SimCx<'m>>(cx: &mut C, c: FrameId) {
        let (now, measuring, topo) = (cx.now().ns(), cx.measuring(), cx.topo());
        let Some(f) = cx.frames().get_mut(c) else {
            return;
        };
        f.ride = Ride::Policy(EdgeRide::default());
        let p = topo.calls[f.idx as usize].policy as usize;
        cx.states().policy.edges[p].on_call(now, measuring);
    }

    /// Breaker and bulkhead of call frame `c`'s edge: `true` if the attempt may go; otherwise
    /// it failed at once.
    fn on_attempt<'m, C: SimCx<'m>>(cx: &mut C, c: FrameId) -> bool {
        let (now, measuring, topo) = (cx.now(), cx.measuring(), cx.topo());
        let Some(f) = cx.frames().get(c) else {
            return false;
        };
        let cp = topo.calls[f.idx as usize];
        match cx.states().policy.edges[cp.policy as usize].try_attempt(now.ns(), measuring) {
            Ok(ticket) => {
                if let Some(f) = cx.frames().get_mut(c) {
                    f.start = now;
                    f.set(Frame::IN_FLIGHT, true);
                    if let Ride::Policy(r) = &mut f.ride {
                        r.ticket = ticket;
                    }
                }
                true
            }
            Err(refusal) => {
                // Refused before leaving the caller: no latency; attributed to the protected
                // dependency.
                let reason = match refusal {
                    Refusal::CircuitOpen => Reason::CircuitOpen,
                    Refusal::BulkheadFull => Reason::Rejected,
                };
                let node = cx.topo().ops[cp.op as usize].node;
                cx.call_attempt_end(c, reason as u8, node, false);
                false
            }
        }
    }

    /// Breaker bookkeeping, then a retry after a backoff (`None`: scheduled) or the outcome to
    /// pass on, a failure turned into a degraded success by the fallback.
    fn on_attempt_end<'m, C: SimCx<'m>>(
        cx: &mut C,
        c: FrameId,
        mut fail: u8,
        mut fail_node: u32,
        admitted: bool,
    ) -> Option<(u8, u32)> {
        let (now, measuring, topo) = (cx.now().ns(), cx.measuring(), cx.topo());
        // A 429 of an external's quota says when to come back (`Retry-After`).
        let retry_after = if fail == Reason::RateLimited as u8 {
            let plans = cx.plans();
            external::retry_after(plans, cx.states(), fail_node, now)
        } else {
            None
        };
        let f = cx.frames().get_mut(c)?;
        f.set(Frame::IN_FLIGHT, false);
        let Ride::Policy(ride) = f.ride else {
            return Some((fail, fail_node));
        };
        let (pi, start) = (topo.calls[f.idx as usize].policy as usize, f.start);
        let st = &mut cx.states().policy;
        let e = &mut st.edges[pi];
        if admitted {
            e.on_attempt_end(now, ride.ticket, fail != 0, now - start.ns());
        }
        if fail != 0 {
            let tries = ride.tries;
            if fail != Reason::CircuitOpen as u8 && e.may_retry(now, tries, measuring) {
                if let Some(p) = e.policy.retry {
                    let sleep = retry::backoff(&p, tries, ride.backoff, &mut st.rng[pi])
                        .max(retry_after.unwrap_or(0));
                    if let Some(Ride::Policy(r)) = cx.frames().get_mut(c).map(|f| &mut f.ride) {
                        r.tries = tries + 1;
                        r.backoff = sleep;
                    }
                    cx.retry_after(sleep, c);
                    return None;
                }
            }
            if e.policy.fallback == Some(Fallback::Degraded) {
                if measuring {
                    e.degraded += 1;
                }
                fail = 0;
                fail_node = DEGRADED;
            }
        }
        if let Some(Ride::Policy(r)) = cx.frames().get_mut(c).map(|f| &mut f.ride) {
            r.tries = 0;
            r.backoff = 0;
        }
        Some((fail, fail_node))
    }

    /// A call frame lost in a crash with an attempt in flight gives back its bulkhead slot and
    /// breaker probe.
    fn on_ride_end<'m, C: SimCx<'m>>(cx: &mut C, f: &Frame, ride: EdgeRide, dropped: bool) {
        if dropped && f.has(Frame::IN_FLIGHT) {
            let p = cx.topo().calls[f.idx as usize].policy as usize;
            cx.states().policy.edges[p].abandon(ride.ticket);
        }
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, _fin: &mut FinishCx<'_>) -> PoliciesRep {
        let mut rep = PoliciesRep::default();
        for (i, e) in cx.states().policy.edges.iter().enumerate() {
            let mut r = EdgeRep {
                calls: e.calls,
                attempts: e.attempts,
                budget_refused: e.budget_refused,
                degraded: e.degraded,
                ..EdgeRep::default()
            };
            if let Some(b) = &e.breaker {
                r.opened = b.opened;
                r.half_opened = b.half_opened;
                rep.breaker_changes
                    .extend(b.changes.iter().map(|c| (c.t, i as u32, c.from, c.to)));
            }
            rep.edges.push(r);
        }
        rep.breaker_changes.sort_by_key(|c| (c.0, c.1));
        rep
    }
}

impl Plan {
    /// A new call edge from operation `caller` to `callee` with `policy`, named
    /// `caller -> callee` (`… [k]` for the k-th edge between them); returns its index.
    pub fn add_edge(&mut self, policy: super::CallPolicy, caller: &str, callee: &str) -> u32 {
        let mut edge = format!("{caller} -> {callee}");
        let same = self
            .names
            .iter()
            .filter(|e| **e == edge || e.starts_with(&format!("{edge} [")))
            .count();
        if same > 0 {
            edge = format!("{edge} [{}]", same + 1);
        }
        self.edges.push(policy);
        self.names.push(edge);
        (self.edges.len() - 1) as u32
    }
}
