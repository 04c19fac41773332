//! Call policies in the analytic estimate: none. Timeouts, retries, circuit breakers,
//! bulkheads and fallbacks act on failures and on waits beyond a bound, which the mean-value
//! estimate does not model: a call with policies costs what the same call without them costs.

use super::Policies;
use crate::components::contract::Estimate;

impl Estimate for Policies {}

#[cfg(test)]
mod tests {
    #[test]
    fn call_policies_change_nothing() {
        // An M/M/1 unit calling a unit of no CPU with every policy on the call: the M/M/1 mean.
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
