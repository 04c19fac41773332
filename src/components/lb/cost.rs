//! The managed load balancers' bill: per hour plus per capacity-unit-hour (ALB: LCU, NLB:
//! NLCU), one billed resource per balancer whatever its instances. A self-hosted balancer is
//! billed as its instances, with the units (`crate::cost::platforms`).

use super::spec::LbProduct;
use super::{LbUsage, Plan};
use crate::spec::prices::{CostLine, Prices, ResourceKind};

/// One line `balancer/NAME` per managed load balancer of `usage` (a replication's record of
/// the balancers of `plan`).
pub fn lines(plan: &Plan, usage: &[LbUsage], p: &Prices) -> Vec<CostLine> {
    usage
        .iter()
        .zip(&plan.products)
        .filter_map(|(lb, product)| {
            let (hour, unit_hour) = match product {
                LbProduct::AwsAlb => (p.lb_hour, p.lb_lcu_hour),
                LbProduct::AwsNlb => (p.nlb_hour, p.nlb_nlcu_hour),
                LbProduct::SelfHosted { .. } => return None,
            };
            Some(CostLine {
                kind: ResourceKind::Balancer,
                name: lb.name.clone(),
                window_usd: lb.hours * hour + lb.lcu_hours * unit_hour,
            })
        })
        .collect()
}
