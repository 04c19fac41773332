//! Serverless functions in the analytic estimate. A function runs one request per instance and
//! starts instances as requests come, so it never queues: an infinite server (M/G/∞) whose jobs
//! run at the speed the model gave its instances (the vCPU share of its memory,
//! [`super::speed`], floor included); its utilization is reported as 0. Its concurrency limits
//! are a loss system: an invocation finding every allowed execution busy is throttled, and with
//! Poisson arrivals the throttled share is Erlang B at the mean number of executions in flight
//! (Little's law, downstream waits included), whatever the distribution of their duration
//! ([`throttled_share`]). Cold starts, the burst limit and `max_duration` are ignored.

use super::{Function, NO_FUNCTION};
use crate::analytic::queueing::erlang_b;
use crate::components::contract::{Estimate, EstimateCx, Service};

/// Share of the invocations throttled by a limit of `limit` concurrent executions when
/// `in_flight` are in progress on average without the limit: Erlang B(limit, in_flight), exact
/// for Poisson arrivals and any duration distribution (an M/G/c/c loss system).
///
/// # Complexity
/// O(limit).
pub fn throttled_share(limit: u32, in_flight: f64) -> f64 {
    if limit == u32::MAX {
        return 0.0;
    }
    erlang_b(limit, in_flight)
}

/// A throttled share worth a warning.
const WARN_SHARE: f64 = 0.01;

impl Estimate for Function {
    fn service<C: EstimateCx>(cx: &C, node: usize) -> Option<Service> {
        let f = *cx.plans().function.of_node.get(node)?;
        if f == NO_FUNCTION {
            return None;
        }
        let first = cx.topo().nodes[node].first_station;
        Some(Service::Delay {
            speed: cx.topo().stations[first as usize].speed,
        })
    }

    /// Warns when a function's reserved concurrency, or the account's concurrency left to the
    /// functions without one, throttles 1% or more of their invocations.
    fn on_times<C: EstimateCx>(cx: &mut C) {
        let p = &cx.plans().function;
        // The functions without reserved concurrency share what the account leaves them.
        let (mut pool, mut pool_names, mut pool_known) = (0.0, Vec::new(), true);
        let mut reserved_sum = 0u32;
        let mut warnings = Vec::new();
        for f in &p.functions {
            let in_flight = cx.concurrency(f.node as usize);
            let name = &cx.topo().nodes[f.node as usize].name;
            match f.reserved {
                Some(r) => {
                    reserved_sum = reserved_sum.saturating_add(r);
                    let Some(a) = in_flight else { continue };
                    let b = throttled_share(r, a);
                    if b >= WARN_SHARE {
                        warnings.push(format!(
                            "function `{name}`: about {a:.1} invocations in flight on average \
                             against its reserved concurrency {r} — about {:.1}% are throttled \
                             (429, Erlang B)",
                            100.0 * b
                        ));
                    }
                }
                None => {
                    pool += in_flight.unwrap_or(0.0);
                    pool_known &= in_flight.is_some();
                    pool_names.push(format!("`{name}`"));
                }
            }
        }
        let limit = p.account_concurrency.saturating_sub(reserved_sum);
        if !pool_names.is_empty() && pool_known {
            let b = throttled_share(limit, pool);
            if b >= WARN_SHARE {
                let (who, them) = match pool_names.len() {
                    1 => ("function", "it"),
                    _ => ("functions", "them"),
                };
                warnings.push(format!(
                    "{who} {} (without reserved concurrency): about {pool:.1} invocations in \
                     flight on average against the {limit} concurrent executions the account \
                     leaves {them} — about {:.1}% are throttled (429, Erlang B)",
                    pool_names.join(", "),
                    100.0 * b
                ));
            }
        }
        for w in warnings {
            cx.warn(w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_throttled_share_is_erlang_b() {
        // One execution allowed, one in flight on average: B(1, 1) = 1/2.
        assert!((throttled_share(1, 1.0) - 0.5).abs() < 1e-15);
        // B(2, 1) = (1/2) / (1 + 1 + 1/2) = 1/5.
        assert!((throttled_share(2, 1.0) - 0.2).abs() < 1e-15);
        assert_eq!(throttled_share(u32::MAX, 1e9), 0.0);
    }

    /// A function `f` of 100 ms called at `rate` per second with `reserved` concurrency.
    fn function(rate: f64, reserved: u32) -> crate::scenario::Scenario {
        crate::scenario::parse(
            &format!(
                r#"name = "f"
[network]
latency = "0s"
[workload]
duration = "10s"
[[workload.entries]]
name = "r"
op = "f.run"
arrival = {{ process = "poisson", rate = {rate} }}
[modules.f]
ops.run = {{ cpu = "100ms" }}
[[variants]]
name = "v"
[[variants.units]]
name = "f"
modules = ["f"]
platform = "serverless"
memory = "1769MB"
reserved_concurrency = {reserved}
"#
            ),
            "<test>",
        )
        .expect("valid")
    }

    #[test]
    fn the_estimate_warns_when_a_reserved_concurrency_throttles() {
        // 50/s × 0.1 s = 5 in flight against 4 allowed: B(4, 5) ≈ 39.8%.
        let e = crate::estimate::estimate(&function(50.0, 4), 0);
        let want = format!("{:.1}%", 100.0 * erlang_b(4, 5.0));
        assert!(
            e.warnings.iter().any(|w| w.starts_with(
                "function `f`: about 5.0 invocations in flight on average against its reserved \
                 concurrency 4"
            ) && w.contains(&want)),
            "{:?}",
            e.warnings
        );
        // 5 in flight against 20 allowed: B(20, 5) ≈ 2e-7, no warning.
        let e = crate::estimate::estimate(&function(50.0, 20), 0);
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    }
}
