//! Explicit load balancers in a replication: ordinary nodes of the model (a pass-through
//! operation per entry they front); the component bills them.

use super::spec::LbProduct;
use super::LbUsage;
use crate::components::contract::{Component, FinishCx, SimCx};
use crate::flow::topology::Topology;
use crate::kernel::StreamSeeder;

/// The load-balancer component.
pub struct LoadBalancers;

/// New connections per second in one load-balancer capacity unit (the ALB's LCU definition;
/// docs/sources.md, "ALB LCU").
pub const LB_NEW_CONNECTIONS_PER_LCU: f64 = 25.0;

/// New TCP connections per second in one NLB capacity unit (docs/sources.md, "NLB price").
pub const NLB_NEW_CONNECTIONS_PER_NLCU: f64 = 800.0;

/// The explicit load balancers of a variant.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Node index of each load balancer (in the variant's order).
    pub nodes: Vec<u32>,
    /// What each is (indexed like `nodes`).
    pub products: Vec<LbProduct>,
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

    /// The measured hours (one billed resource per balancer, whatever its instances) and the
    /// capacity-unit-hours of its product on the new-connections dimension: one connection per
    /// request, 25 per second per ALB LCU, 800 per second per NLB NLCU; none self-hosted.
    fn finish<'m, C: SimCx<'m>>(cx: &mut C, fin: &mut FinishCx<'_>) -> Vec<LbUsage> {
        let topo = cx.topo();
        let plan = &cx.plans().lb;
        plan.nodes
            .iter()
            .zip(&plan.products)
            .map(|(&n, product)| {
                let node = &topo.nodes[n as usize];
                let per_unit = match product {
                    LbProduct::AwsAlb => LB_NEW_CONNECTIONS_PER_LCU,
                    LbProduct::AwsNlb => NLB_NEW_CONNECTIONS_PER_NLCU,
                    LbProduct::SelfHosted { .. } => f64::INFINITY,
                };
                LbUsage {
                    name: node.name.clone(),
                    hours: fin.measured_ns / 1e9 / 3600.0,
                    lcu_hours: fin.nodes[n as usize].arrivals as f64 / per_unit / 3600.0,
                }
            })
            .collect()
    }
}
