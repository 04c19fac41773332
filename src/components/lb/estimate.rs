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
    #[test]
    fn a_balancer_of_one_connection_is_still_its_latency() {
        // 50 requests/s through a balancer of 2 ms with room for one request at a time: its
        // mean is its latency whatever the load (refusals are ignored), then the unit's M/M/1.
        let s = crate::scenario::parse(
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
            "<test>",
        )
        .expect("valid");
        let e = crate::estimate::estimate(&s, 0);
        let w = crate::analytic::mmc(50.0, 100.0, 1).expect("stable").w;
        let got = e.entries[0].mean_latency_s.expect("stable");
        assert!((got - (0.002 + w)).abs() < 1e-12, "{got}");
    }
}
