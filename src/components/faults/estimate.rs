//! Faults in the analytic estimate: none. The estimate describes the system as designed, every
//! instance up at its nominal speed: crashes, slowdowns, errors, added latency, partitions and
//! outages are the simulation's to show.

use super::Faults;
use crate::components::contract::Estimate;

impl Estimate for Faults {}

#[cfg(test)]
mod tests {
    #[test]
    fn faults_change_nothing() {
        // An M/M/1 unit with a crash scheduled: the M/M/1 mean of the unit as designed.
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
