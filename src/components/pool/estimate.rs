//! Connection pools in the analytic estimate: none. A query is a job of its database, which
//! already bounds the queries in service by `max_connections`; the wait for a connection of the
//! caller's pool (and its `pool_timeout` failures) is not modelled.

use super::Pools;
use crate::components::contract::Estimate;

impl Estimate for Pools {}

#[cfg(test)]
mod tests {
    #[test]
    fn a_pool_changes_nothing() {
        // An M/M/1 unit querying a database of no time through a pool of one connection: the M/M/1
        // mean.
        let s = crate::scenario::parse(
            r#"name = "ignored"
[network]
latency = "0s"
[workload]
duration = "10s"
[[workload.entries]]
name = "r"
op = "a.get"
arrival = { process = "poisson", rate = 50 }

[modules.a]
ops.get = { cpu = { dist = "exp", mean = "10ms" }, calls = [{ op = "items.get" }] }
[datastores.items]
ops.get = { time = "0s" }
[[variants]]
name = "v"
[[variants.units]]
name = "a"
modules = ["a"]
cores = 1
workers = 1
pool = { size = 1 }
[[variants.databases]]
name = "db"
stores = ["items"]
cores = 64
max_connections = 64
"#,
            "<test>",
        )
        .expect("valid");
        let e = crate::estimate::estimate(&s, 0);
        let w = crate::analytic::mmc(50.0, 100.0, 1).expect("stable").w;
        let got = e.entries[0].mean_latency_s.expect("stable");
        assert!((got - w).abs() < 1e-12, "{got} vs {w}");
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    }
}
