//! Call policies in the analytic estimate: none. Timeouts, retries, circuit breakers,
//! bulkheads and fallbacks act on failures and on waits beyond a bound, which the mean-value
//! estimate does not model: a call with policies costs what the same call without them costs.

use super::Policies;
use crate::components::contract::Estimate;

impl Estimate for Policies {}

#[cfg(test)]
mod tests {
    use crate::estimate::testing::*;
    #[test]
    fn call_policies_change_nothing() {
        // An M/M/1 unit calling a unit of no CPU with every policy on the call: the M/M/1 mean.
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
ops.get = { cpu = { dist = "exp", mean = "10ms" }, calls = [{ op = "b.get", timeout = "1s", retry = { attempts = 3 }, breaker = {}, bulkhead = 5 }] }
[modules.b]
ops.get = { cpu = "0s" }
[[variants]]
name = "v"
[[variants.units]]
name = "a"
modules = ["a"]
cores = 1
workers = 1
[[variants.units]]
name = "b"
modules = ["b"]
cores = 64
workers = 64
"#,
        );
        let w = mm1_w();
        assert_entry_mean(&e, w);
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    }
}
