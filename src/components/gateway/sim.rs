//! The plain gateway in a replication: a per-request overhead and a network hop in front of
//! every entry request (the gateway as a node is an ordinary node of the model).

use crate::components::contract::{Component, FinishCx, FrameId, SimCx};
use crate::flow::purpose;
use crate::flow::topology::Topology;
use crate::kernel::dist::Dist;
use crate::kernel::{Rng64, StreamSeeder};

/// The gateway component.
pub struct Gateway;

/// The gateway of a variant.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Overhead of the plain gateway \[ns\], when the variant has one that is not a node.
    pub overhead: Option<Dist>,
    /// Node index of the gateway when it is a node.
    pub node: Option<u32>,
}

impl Component for Gateway {
    const PART: &'static str = "API gateway (overhead and its hop)";
    type Plan = Plan;
    type State = Rng64;
    type Event = ();
    type Ride = ();
    type Rep = ();

    fn start(_plan: &Plan, _topo: &Topology, seeds: &StreamSeeder) -> Rng64 {
        seeds.stream(purpose::GATEWAY, 0)
    }

    fn on_entry<'m, C: SimCx<'m>>(cx: &mut C, _x: FrameId, _e: usize) -> Option<u64> {
        let Some(g) = &cx.plans().gateway.overhead else {
            return Some(0);
        };
        let d = g.sample_ns(&mut cx.states().gateway);
        Some(d + cx.hop())
    }

    fn finish<'m, C: SimCx<'m>>(_cx: &mut C, _fin: &mut FinishCx<'_>) {}
}
