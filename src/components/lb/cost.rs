//! The explicit load balancers' bill: per balancer-hour plus per LCU-hour.

use super::LbUsage;
use crate::spec::prices::{CostLine, Prices};

/// One line per load balancer of `usage` (a replication's record), named after it.
pub fn lines(usage: &[LbUsage], p: &Prices) -> Vec<CostLine> {
    usage
        .iter()
        .map(|lb| CostLine {
            name: lb.name.clone(),
            window_usd: lb.hours * p.lb_hour + lb.lcu_hours * p.lb_lcu_hour,
        })
        .collect()
}
