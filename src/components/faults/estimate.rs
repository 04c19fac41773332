//! Faults in the analytic estimate: none. The estimate describes the system as designed, every
//! instance up at its nominal speed: crashes, slowdowns, errors, added latency, partitions and
//! outages are the simulation's to show.

use super::Faults;
use crate::components::contract::Estimate;

impl Estimate for Faults {}

#[cfg(test)]
mod tests {
    use crate::estimate::testing::*;
    #[test]
    fn faults_change_nothing() {
        // An M/M/1 unit with a crash scheduled: the M/M/1 mean of the unit as designed.
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
ops.get = { cpu = { dist = "exp", mean = "10ms" } }
[[faults]]
kind = "crash"
target = "a"
at = "2s"
duration = "1s"
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
