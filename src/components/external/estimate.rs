//! The externals in the analytic estimate: a call is a delay of its operation's mean latency
//! (the node has infinite cores, so nothing queues); a quota admits on average at most its
//! `rate` of the calls arriving, the same share of each, the excess failing `rate_limited`
//! with a warning (the bucket's `burst` only shapes the short term). Retries are not in the
//! estimate.

use super::Externals;
use crate::components::contract::{Estimate, EstimateCx};
use crate::components::rate_limit::estimate::admitted_share;

impl Estimate for Externals {
    fn admit<C: EstimateCx>(cx: &C, node: usize, arrivals: f64) -> f64 {
        let plan = &cx.plans().external;
        match plan.of_node(node).and_then(|e| plan.externals[e].quota) {
            Some(q) => admitted_share(q, arrivals),
            None => 1.0,
        }
    }

    /// Warns when the mean calls exceed a quota.
    fn on_loads<C: EstimateCx>(cx: &mut C) {
        let warnings: Vec<String> = cx
            .plans()
            .external
            .externals
            .iter()
            .filter_map(|x| {
                let q = x.quota?;
                let total = cx.arrivals(x.node as usize);
                (total > q.rate).then(|| {
                    format!(
                        "external {}: {total:.1} calls/s arrive on average but its quota admits \
                         {:.1}/s — about {:.1}% fail `rate_limited` (429)",
                        x.name,
                        q.rate,
                        100.0 * (1.0 - admitted_share(q, total))
                    )
                })
            })
            .collect();
        for w in warnings {
            cx.warn(w);
        }
    }
}
