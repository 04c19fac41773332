//! The rate limit in a replication: a token taken at the gateway node's admission, or the
//! request fails `rate_limited` there (counted as an arrival turned away).

use super::{RateLimit, TokenBucket};
use crate::components::contract::{Component, FinishCx, FrameId, SimCx};
use crate::flow::topology::Topology;
use crate::flow::Reason;
use crate::kernel::StreamSeeder;

/// The rate-limit component.
pub struct RateLimiter;

/// The gateway's token bucket and the gateway node it guards.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// The bucket and the node, when the variant's gateway has a rate limit.
    pub limit: Option<(RateLimit, u32)>,
}

impl Component for RateLimiter {
    const PART: &'static str = "rate limit";
    type Plan = Plan;
    type State = Option<TokenBucket>;
    type Event = ();
    type Ride = ();
    /// Requests refused in the measured interval.
    type Rep = u64;

    fn start(plan: &Plan, _topo: &Topology, _seeds: &StreamSeeder) -> Self::State {
        plan.limit.map(|(r, _)| TokenBucket::new(r))
    }

    fn on_deliver<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId, s: u32, node: usize) -> bool {
        if !cx
            .plans()
            .rate_limit
            .limit
            .is_some_and(|(_, n)| n as usize == node)
        {
            return false;
        }
        let (now, measuring) = (cx.now().ns(), cx.measuring());
        let Some(b) = cx.states().rate_limit.as_mut() else {
            return false;
        };
        if b.take(now, measuring) {
            return false;
        }
        // Refused by the gateway's token bucket: counted as an arrival turned away.
        if measuring {
            cx.stations()[s as usize].stats.arrivals += 1;
        }
        if let Some(fr) = cx.frames().get_mut(x) {
            fr.station = s;
        }
        cx.fail_at_station(x, Reason::RateLimited);
        true
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, _fin: &mut FinishCx<'_>) -> u64 {
        cx.states().rate_limit.as_ref().map_or(0, |b| b.refused)
    }
}
