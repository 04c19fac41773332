//! Autoscaling in the analytic estimate: the estimate does not scale; an autoscaled unit's load
//! is carried by its initial instances (`replicas`), not by the `max` instances compiled up
//! front for the engine.

use super::{Autoscaler, NO_AUTOSCALE};
use crate::components::contract::{Estimate, EstimateCx};

impl Estimate for Autoscaler {
    fn counted<C: EstimateCx>(cx: &C, node: usize) -> Option<u32> {
        let p = &cx.plans().autoscaler;
        match p.of_node.get(node) {
            Some(&i) if i != NO_AUTOSCALE => p.scalers.get(i as usize).map(|s| s.initial),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::estimate::testing::*;
    #[test]
    fn an_autoscaled_unit_is_estimated_on_its_initial_replicas() {
        // 2 initial replicas of 1 core (max 10) at 100 requests/s of 10 ms: M/M/1 at 50/s each.
        let e = estimate_of(
            r#"name = "as"
[network]
latency = "0s"
[workload]
duration = "10s"
[[workload.entries]]
name = "r"
op = "a.get"
arrival = { process = "poisson", rate = 100 }
[modules.a]
ops.get = { cpu = { dist = "exp", mean = "10ms" } }
[[variants]]
name = "v"
[[variants.units]]
name = "a"
modules = ["a"]
replicas = 2
cores = 1
workers = 1
autoscale = { target_utilization = 0.5, min = 1, max = 10 }
"#,
        );
        let a = &e.nodes[0];
        assert!((a.utilization - 0.5).abs() < 1e-12, "{}", a.utilization);
        let w = mm1_w();
        assert!((a.mean_response_s.expect("stable") - w).abs() < 1e-12);
    }
}
