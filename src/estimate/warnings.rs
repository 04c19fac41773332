//! Warnings about a valid scenario: things that are allowed but probably not what the user
//! wants. Printed by `archsim validate` and `archsim run`, never silent.

use crate::scenario::Scenario;

/// Warnings about `s` (no warm-up, a single replication, overloaded nodes by the analytic
/// estimate).
pub fn warnings(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    if s.workload.warmup == 0 {
        out.push(
            "workload.warmup is 0: measurement starts with an empty system, which biases latency low; \
             set a warm-up of a few times the longest expected response (e.g. warmup = \"1m\")"
                .to_string(),
        );
    }
    if s.replications < 2 {
        out.push(
            "replications = 1: no confidence interval can be computed; use 5 or more".to_string(),
        );
    }
    for v in 0..s.variants.len() {
        let est = super::estimate(s, v);
        for w in est.warnings {
            out.push(format!("variant `{}`: {w}", s.variants[v].name));
        }
    }
    out
}
