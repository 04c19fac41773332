//! Sagas in the analytic estimate: a saga step makes its forward calls one after the other, as
//! sequential calls of the operation holding it; compensations only run on failures, which the
//! estimate ignores. A choreographed saga's caller waits for its first step's publish only;
//! every step's consumer is a job of its node.

use super::Sagas;
use crate::components::bit;
use crate::components::contract::{Estimate, EstimateCx, Taken};
use crate::flow::topology::CallKind;

impl Estimate for Sagas {
    fn take<C: EstimateCx>(cx: &C, c: u32) -> Option<Taken> {
        let cp = cx.topo().calls.get(c as usize)?;
        if cp.kind != CallKind::Component || cp.hooks & bit::saga == 0 {
            return None;
        }
        let g = cx.plans().saga.sagas.get(cp.aux as usize)?;
        if g.choreo {
            // The caller waits for the first step's publish; each step's consumer is a job.
            let second = g.first + 1.min(g.len);
            return Some(Taken {
                wait: 0.0,
                calls: g.first..second,
                detached: None,
                background: second..g.first + g.len,
            });
        }
        Some(Taken {
            wait: 0.0,
            calls: g.first..g.first + g.len,
            detached: None,
            background: 0..0,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::estimate::testing::*;
    #[test]
    fn a_saga_is_its_forward_calls_in_sequence() {
        // `o.place` runs a saga of `p.pay` (3 ms) then `s.ship` (5 ms), each with a
        // compensation; no network cost, wide units: 1 + 3 + 5 ms, and one job per request at
        // each unit (the compensations never run).
        let e = estimate_of(
            r#"name = "saga"
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "10s"
[[workload.entries]]
name = "place"
op = "o.place"
arrival = { process = "poisson", rate = 10 }
[modules.o]
ops.place = { cpu = "1ms", calls = [ { saga = [ { op = "p.pay", compensate = "p.refund" }, { op = "s.ship", compensate = "s.cancel" } ] } ] }
[modules.p]
ops.pay = { cpu = "3ms" }
ops.refund = { cpu = "3ms" }
[modules.s]
ops.ship = { cpu = "5ms" }
ops.cancel = { cpu = "5ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "o"
modules = ["o"]
cores = 64
workers = 64
[[variants.units]]
name = "p"
modules = ["p"]
cores = 64
workers = 64
[[variants.units]]
name = "s"
modules = ["s"]
cores = 64
workers = 64
"#,
        );
        let lat = e.entries[0].mean_latency_s.expect("stable");
        assert!((lat - 0.009).abs() < 1e-12, "{lat}");
        for (n, cpu) in [("p", 0.003), ("s", 0.005)] {
            let x = e.nodes.iter().find(|x| x.name == n).expect("unit");
            assert!((x.arrival_rate - 10.0).abs() < 1e-12, "{n}");
            assert!((x.cpu_demand_s_per_s - 10.0 * cpu).abs() < 1e-12, "{n}");
        }
    }

    #[test]
    fn a_choreographed_saga_waits_for_its_first_publish_and_loads_every_step() {
        // The same saga with every step an event: the caller waits 1 ms + the first publish
        // (10 ms), not the second (20 ms) nor the steps; each step is still one job per request.
        let e = estimate_of(
            r#"name = "choreo"
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "10s"
[[workload.entries]]
name = "place"
op = "o.place"
arrival = { process = "poisson", rate = 10 }
[modules.o]
ops.place = { cpu = "1ms", calls = [ { saga = [ { op = "p.pay", publish = "a", compensate = "p.refund" }, { op = "s.ship", publish = "b" } ] } ] }
[modules.p]
ops.pay = { cpu = "3ms" }
ops.refund = { cpu = "3ms" }
[modules.s]
ops.ship = { cpu = "5ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "o"
modules = ["o"]
cores = 64
workers = 64
[[variants.units]]
name = "p"
modules = ["p"]
cores = 64
workers = 64
[[variants.units]]
name = "s"
modules = ["s"]
cores = 64
workers = 64
[[variants.queues]]
name = "a"
publish_latency = "10ms"
visibility_timeout = "30s"
consumers = 64
[[variants.queues]]
name = "b"
publish_latency = "20ms"
visibility_timeout = "30s"
consumers = 64
"#,
        );
        let lat = e.entries[0].mean_latency_s.expect("stable");
        assert!((lat - 0.011).abs() < 1e-12, "{lat}");
        for (n, cpu) in [("p", 0.003), ("s", 0.005)] {
            let x = e.nodes.iter().find(|x| x.name == n).expect("unit");
            assert!((x.arrival_rate - 10.0).abs() < 1e-12, "{n}");
            assert!((x.cpu_demand_s_per_s - 10.0 * cpu).abs() < 1e-12, "{n}");
        }
    }
}
