//! Client retries in the analytic estimate: none. The estimate counts means of requests that
//! succeed at their first attempt; a retry only follows a failure (a timeout, a refusal), which
//! the estimate does not model, so retries add no load and no time to it.

use super::ClientRetry;
use crate::components::contract::Estimate;

impl Estimate for ClientRetry {}

#[cfg(test)]
mod tests {
    use crate::estimate::testing::*;
    #[test]
    fn client_retries_change_nothing() {
        // An M/M/1 unit whose client retries after a 1 s timeout: still the M/M/1 mean.
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
timeout = "1s"
retry = { attempts = 3 }
[modules.a]
ops.get = { cpu = { dist = "exp", mean = "10ms" } }

[[variants]]
name = "v"
[[variants.units]]
name = "a"
modules = ["a"]
cores = 1
workers = 1

"#,
        );
        let w = mm1_w();
        assert_entry_mean(&e, w);
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    }
}
