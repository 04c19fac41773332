//! The rate limit in the analytic estimate: on average a token bucket admits at most `rate`
//! requests per second at the node it guards, the same share of every arrival; the excess fails
//! `rate_limited`, with a warning. The bucket's `burst` only shapes the short term and is
//! ignored.

use super::{RateLimit, RateLimiter};
use crate::components::contract::{Estimate, EstimateCx};

/// The share of `arrivals` per second a token bucket of `limit` admits on average: all of them
/// up to its rate, `rate / arrivals` above it.
pub fn admitted_share(limit: RateLimit, arrivals: f64) -> f64 {
    if arrivals > limit.rate {
        limit.rate / arrivals
    } else {
        1.0
    }
}

impl Estimate for RateLimiter {
    fn admit<C: EstimateCx>(cx: &C, node: usize, arrivals: f64) -> f64 {
        match cx.plans().rate_limit.limit {
            Some((r, n)) if n as usize == node => admitted_share(r, arrivals),
            _ => 1.0,
        }
    }

    /// Warns when the mean arrivals exceed the rate.
    fn on_loads<C: EstimateCx>(cx: &mut C) {
        let Some((r, n)) = cx.plans().rate_limit.limit else {
            return;
        };
        let total = cx.arrivals(n as usize);
        if total > r.rate {
            let share = admitted_share(r, total);
            let name = cx.topo().nodes[n as usize].name.clone();
            cx.warn(format!(
                "{name}: {total:.1} requests/s arrive on average but its rate limit admits \
                 {:.1}/s — about {:.1}% fail `rate_limited` (429)",
                r.rate,
                100.0 * (1.0 - share)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::testing::*;

    #[test]
    fn the_bucket_admits_its_rate_of_the_arrivals() {
        let limit = RateLimit {
            rate: 40.0,
            burst: 5.0,
        };
        assert_eq!(admitted_share(limit, 100.0), 0.4);
        assert_eq!(admitted_share(limit, 40.0), 1.0);
        assert_eq!(admitted_share(limit, 10.0), 1.0);
    }

    #[test]
    fn the_estimate_admits_the_rate_at_the_gateway_and_warns() {
        let e = estimate_of(
            r#"name = "r"
[workload]
duration = "10s"
[[workload.entries]]
name = "r"
op = "a.get"
arrival = { process = "poisson", rate = 100 }
[modules.a]
ops.get = { cpu = "1ms" }
[[variants]]
name = "v"
gateway = { overhead = "0s", rate_limit = { rate = 40 } }
[[variants.units]]
name = "a"
modules = ["a"]
"#,
        );
        for n in ["gateway", "a"] {
            let x = e.nodes.iter().find(|x| x.name == n).expect("node");
            assert!(
                (x.arrival_rate - 40.0).abs() < 1e-12,
                "{n}: {}",
                x.arrival_rate
            );
        }
        assert!(
            e.warnings.iter().any(|w| w.starts_with(
                "gateway: 100.0 requests/s arrive on average but its rate limit admits 40.0/s \
                 — about 60.0% fail"
            )),
            "{:?}",
            e.warnings
        );
    }
}
