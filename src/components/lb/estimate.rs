//! Explicit load balancers in the analytic estimate: a pure delay of their `latency` on the way
//! of the entry requests of their units (the hops to and from them are the topology's forward
//! calls). Their `capacity` only refuses requests beyond it, which the estimate ignores.

use super::LoadBalancers;
use crate::components::contract::{Estimate, EstimateCx, Service};

impl Estimate for LoadBalancers {
    fn service<C: EstimateCx>(cx: &C, node: usize) -> Option<Service> {
        cx.plans()
            .lb
            .nodes
            .contains(&(node as u32))
            .then_some(Service::Delay { speed: 1.0 })
    }
}

#[cfg(test)]
mod tests {
    use crate::estimate::testing::*;
    #[test]
    fn a_balancer_of_one_connection_is_still_its_latency() {
        // 50 requests/s through a balancer of 2 ms with room for one request at a time: its
        // mean is its latency whatever the load (refusals are ignored), then the unit's M/M/1.
        let e = estimate_of(
            r#"name = "lb"
[network]
latency = "0s"
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
[[variants.units]]
name = "a"
modules = ["a"]
cores = 1
workers = 1
[[variants.load_balancers]]
name = "alb"
units = ["a"]
latency = "2ms"
capacity = 1
"#,
        );
        let w = mm1_w();
        assert_entry_mean(&e, 0.002 + w);
    }
}
