//! The externals in a replication: at the admission of a call at an external's node, its quota
//! takes a token or refuses the call with `rate_limited` (429), noting when the next token
//! comes (the `Retry-After` the call-edge retries honour, `crate::components::policy`); the
//! admitted calls of the measured interval are counted per operation for the bill.

use super::Plan;
use crate::components::contract::{Component, FinishCx, FrameId, SimCx};
use crate::components::rate_limit::TokenBucket;
use crate::components::{Plans, States};
use crate::flow::topology::Topology;
use crate::flow::Reason;
use crate::kernel::StreamSeeder;

/// The external-service component.
pub struct Externals;

/// The quotas and counts of one replication.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// Per external: its quota's bucket.
    buckets: Vec<Option<TokenBucket>>,
    /// Per external: when its bucket next holds a token, as told by its last refusal \[ns\].
    retry_at: Vec<u64>,
    /// Per operation slot: calls admitted in the measured interval.
    calls: Vec<u64>,
}

/// The externals' record of one replication.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExternalsRep {
    /// Per operation slot ([`Plan::slot_of_op`]): calls admitted (billed) in the measured
    /// interval.
    pub calls: Vec<u64>,
    /// Per external: calls refused by its quota in the measured interval.
    pub refused: Vec<u64>,
}

/// The delay a `Retry-After` asks of a call that failed `rate_limited` at `node`, at `now`: the
/// time left until the external's bucket holds a token again, as its refusal said (`None` when
/// `node` is not an external with a quota).
pub fn retry_after(plans: &Plans, states: &States, node: u32, now: u64) -> Option<u64> {
    let e = plans.external.of_node(node as usize)?;
    plans.external.externals[e].quota?;
    Some(states.external.retry_at[e].saturating_sub(now))
}

impl Component for Externals {
    const PART: &'static str = "external";
    type Plan = Plan;
    type State = State;
    type Event = ();
    type Ride = ();
    type Rep = ExternalsRep;

    fn start(plan: &Plan, _topo: &Topology, _seeds: &StreamSeeder) -> State {
        State {
            buckets: plan
                .externals
                .iter()
                .map(|x| x.quota.map(TokenBucket::new))
                .collect(),
            retry_at: vec![0; plan.externals.len()],
            calls: vec![0; plan.prices.len()],
        }
    }

    fn on_deliver<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId, s: u32, node: usize) -> bool {
        let plan = &cx.plans().external;
        let Some(e) = plan.of_node(node) else {
            return false;
        };
        let (now, measuring) = (cx.now().ns(), cx.measuring());
        let Some(op) = cx.frames().get(x).map(|f| f.idx as usize) else {
            return false;
        };
        let slot = plan.slot_of_op.get(op).copied();
        let st = &mut cx.states().external;
        if let Some(b) = st.buckets[e].as_mut() {
            if !b.take(now, measuring) {
                st.retry_at[e] = now + b.wait_ns(now);
                // Refused by the provider: counted as an arrival turned away.
                if measuring {
                    cx.stations()[s as usize].stats.arrivals += 1;
                }
                if let Some(fr) = cx.frames().get_mut(x) {
                    fr.station = s;
                }
                cx.fail_at_station(x, Reason::RateLimited);
                return true;
            }
        }
        if measuring {
            if let Some(slot) = slot.filter(|&k| k != super::NO_SLOT) {
                st.calls[slot as usize] += 1;
            }
        }
        false
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, _fin: &mut FinishCx<'_>) -> ExternalsRep {
        let st = &cx.states().external;
        ExternalsRep {
            calls: st.calls.clone(),
            refused: st
                .buckets
                .iter()
                .map(|b| b.as_ref().map_or(0, |b| b.refused))
                .collect(),
        }
    }
}
