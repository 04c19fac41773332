//! The gateway in the analytic estimate. A plain gateway (not a node) delays every entry
//! request by its mean overhead and a network hop each way between it and the entry's first
//! node. The gateway as a node is an ordinary station of the compiled topology (its routes,
//! auth and hosted modules are operations on it), estimated like any node.

use super::Gateway;
use crate::components::contract::{Estimate, EstimateCx};

impl Estimate for Gateway {
    fn entry_delay<C: EstimateCx>(cx: &C, _e: usize) -> f64 {
        cx.plans()
            .gateway
            .overhead
            .as_ref()
            .map_or(0.0, |d| d.mean() / 1e9 + 2.0 * cx.hop())
    }
}

#[cfg(test)]
mod tests {
    use crate::estimate::testing::*;
    #[test]
    fn a_plain_gateway_adds_its_overhead_and_two_hops() {
        // M/M/1 behind a plain gateway of 2 ms with 1 ms hops: 2 + 2 × 1 ms + W.
        let e = estimate_of(
            r#"name = "g"
[network]
latency = "1ms"
[workload]
duration = "10s"
[[workload.entries]]
name = "r"
op = "a.get"
arrival = { process = "poisson", rate = 50 }
[modules.a]
ops.get = { cpu = { dist = "exp", mean = "10ms" } }
[[variants]]
name = "v"
gateway = { overhead = "2ms" }
[[variants.units]]
name = "a"
modules = ["a"]
cores = 1
workers = 1
"#,
        );
        let w = mm1_w();
        assert_entry_mean(&e, 0.004 + w);
        // Not a node of the estimate.
        assert_eq!(e.nodes.len(), 1);
    }
}
