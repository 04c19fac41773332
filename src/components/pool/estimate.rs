//! Connection pools in the analytic estimate: none. A query is a job of its database, which
//! already bounds the queries in service by `max_connections`; the wait for a connection of the
//! caller's pool (and its `pool_timeout` failures) is not modelled.

use super::Pools;
use crate::components::contract::Estimate;

impl Estimate for Pools {}

#[cfg(test)]
mod tests {
    use crate::estimate::testing::*;
    #[test]
    fn a_pool_changes_nothing() {
        // An M/M/1 unit querying a database of no time through a pool of one connection: the M/M/1
        // mean.
        let e = estimate_of(
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
        );
        let w = mm1_w();
        assert_entry_mean(&e, w);
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    }
}
