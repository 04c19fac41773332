//! Explicit load balancers in a replication: ordinary nodes of the model (a pass-through
//! operation per entry they front); the component bills them.

use super::LbUsage;
use crate::components::contract::{Component, FinishCx, SimCx};
use crate::flow::topology::Topology;
use crate::kernel::StreamSeeder;

/// The load-balancer component.
pub struct LoadBalancers;

/// New connections per second in one load-balancer capacity unit (the ALB's LCU definition;
/// docs/sources.md, "ALB price").
pub const LB_NEW_CONNECTIONS_PER_LCU: f64 = 25.0;

/// The explicit load balancers of a variant.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Node index of each load balancer (in the variant's order).
    pub nodes: Vec<u32>,
}

impl Component for LoadBalancers {
    const PART: &'static str = "load balancer";
    type Plan = Plan;
    type State = ();
    type Event = ();
    type Ride = ();
    /// Per load balancer: its usage.
    type Rep = Vec<LbUsage>;

    fn start(_plan: &Plan, _topo: &Topology, _seeds: &StreamSeeder) {}

    /// Balancer-hours per instance, and LCU-hours on the new-connections dimension (one
    /// connection per request, 25 new connections per second per LCU).
    fn finish<'m, C: SimCx<'m>>(cx: &mut C, fin: &mut FinishCx<'_>) -> Vec<LbUsage> {
        let topo = cx.topo();
        cx.plans()
            .lb
            .nodes
            .iter()
            .map(|&n| {
                let node = &topo.nodes[n as usize];
                LbUsage {
                    name: node.name.clone(),
                    hours: node.instances as f64 * fin.measured_ns / 1e9 / 3600.0,
                    lcu_hours: fin.nodes[n as usize].arrivals as f64
                        / LB_NEW_CONNECTIONS_PER_LCU
                        / 3600.0,
                }
            })
            .collect()
    }
}
