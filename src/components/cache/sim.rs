//! The caches in a replication: a lookup on every call a cache answers (a hit answers the call
//! without reaching its target).

use super::{CachePlan, CacheState};
use crate::components::contract::{CallGate, Component, FinishCx, FrameId, SimCx};
use crate::flow::purpose;
use crate::flow::topology::{Topology, NO_CACHE};
use crate::kernel::{Rng64, StreamSeeder};

/// The cache component.
pub struct Cache;

/// The caches of a variant: gateway route caches, the CDN's, cache nodes.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Every cache, indexed by [`crate::flow::topology::CallPlan::cache`].
    pub caches: Vec<CachePlan>,
    /// Node index of each cache node (in the variant's order).
    pub nodes: Vec<u32>,
    /// Per cache node (like `nodes`): its server runs on a host (billed with the host).
    pub hosted: Vec<bool>,
}

/// Per cache: its state and random stream.
pub struct State {
    caches: Vec<CacheState>,
    rng: Vec<Rng64>,
}

impl Component for Cache {
    const PART: &'static str = "cache";
    type Plan = Plan;
    type State = State;
    type Event = ();
    type Ride = ();
    /// Per cache: `(lookups, hits)` in the measured interval.
    type Rep = Vec<(u64, u64)>;

    fn start(plan: &Plan, _topo: &Topology, seeds: &StreamSeeder) -> State {
        State {
            caches: plan.caches.iter().map(CacheState::new).collect(),
            rng: (0..plan.caches.len())
                .map(|i| seeds.stream(purpose::CACHE, i as u64))
                .collect(),
        }
    }

    fn on_call<'m, C: SimCx<'m>>(cx: &mut C, _x: FrameId, c: u32) -> CallGate {
        let cache = cx.topo().calls[c as usize].cache;
        if cache == NO_CACHE {
            return CallGate::Go;
        }
        let c = cache as usize;
        let (now, measuring) = (cx.now().ns(), cx.measuring());
        let plan = &cx.plans().cache.caches[c];
        let st = &mut cx.states().cache;
        if st.caches[c].lookup(plan, now, &mut st.rng[c], measuring) {
            CallGate::Answered
        } else {
            CallGate::Go
        }
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, _fin: &mut FinishCx<'_>) -> Self::Rep {
        cx.states()
            .cache
            .caches
            .iter()
            .map(|c| (c.lookups, c.hits))
            .collect()
    }
}
