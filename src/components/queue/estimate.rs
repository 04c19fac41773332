//! Message queues in the analytic estimate: a publish costs its caller the mean publish latency
//! and nothing else (no marshalling on its side); each message is a job of its consumer,
//! arriving at the consumer's node over the network (a hop, callee-side marshalling), whether
//! or not the publisher runs on the same node, as the engine delivers it. The consumer's time
//! is not part of the caller's latency. The consumer slots (`consumers`), redeliveries,
//! dead-lettering and batching (`batch_size`: the same CPU in fewer, longer jobs, and the wait
//! for a batch) are ignored.

use super::Queues;
use crate::components::bit;
use crate::components::contract::{Estimate, EstimateCx, Taken};
use crate::flow::topology::CallKind;

impl Estimate for Queues {
    fn take<C: EstimateCx>(cx: &C, c: u32) -> Option<Taken> {
        let cp = cx.topo().calls.get(c as usize)?;
        if cp.kind != CallKind::Component || cp.hooks & bit::queue == 0 {
            return None;
        }
        let q = cx.plans().queue.queues.get(cp.aux as usize)?;
        Some(Taken {
            wait: q.publish_latency.mean() / 1e9,
            calls: 0..0,
            detached: Some(cp.op),
            background: 0..0,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::estimate::testing::*;
    #[test]
    fn a_publish_costs_its_latency_and_the_consumer_a_job() {
        // `shop.order` (2 ms) publishes to `q` (8 ms) for `fulfil.handle` (50 ms, 2 KB at
        // 100 µs/KB): the client waits 2 + 8 ms; `fulfil` runs one job per order with its
        // callee-side marshalling; `shop` pays its entry's marshalling only.
        let e = estimate_of(
            r#"name = "q"
[network]
latency = "1ms"
marshal_per_kb = "100us"
[workload]
duration = "10s"
[[workload.entries]]
name = "order"
op = "shop.order"
arrival = { process = "poisson", rate = 10 }
[modules.shop]
ops.order = { cpu = "2ms", payload = "1KB", calls = [ { publish = "q", op = "fulfil.handle" } ] }
[modules.fulfil]
ops.handle = { cpu = "50ms", payload = "2KB" }
[[variants]]
name = "v"
[[variants.units]]
name = "shop"
modules = ["shop"]
cores = 64
workers = 64
[[variants.units]]
name = "fulfil"
modules = ["fulfil"]
cores = 64
workers = 64
[[variants.queues]]
name = "q"
publish_latency = "8ms"
visibility_timeout = "30s"
consumers = 64
"#,
        );
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        let (shop, fulfil) = (&e.nodes[0], &e.nodes[1]);
        assert!(close(shop.cpu_demand_s_per_s, 10.0 * 0.0021));
        assert!(close(fulfil.arrival_rate, 10.0));
        assert!(close(fulfil.cpu_demand_s_per_s, 10.0 * 0.0502));
        // 64 servers at a load of 0.02: nobody waits (Erlang C far below 1e-12).
        let lat = e.entries[0].mean_latency_s.expect("stable");
        assert!(close(lat, 0.0021 + 0.008), "{lat}");
    }
}
