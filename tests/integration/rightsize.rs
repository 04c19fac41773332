//! Right-sizing against a brute-force search over the same grid, with the same simulation
//! settings (seed, replications: the same noisy oracle for both).

use archsim::montecarlo::capacity::cost_per_month;
use archsim::montecarlo::rightsize::{rightsize, RightsizeOptions};
use archsim::montecarlo::sweep::{run_batch, scenario_with, Job};
use archsim::montecarlo::RunOptions;
use archsim::scenario::params::ParamValue;
use archsim::slo::Slo;

/// A chain of three stations (asynchronous calls: a tandem queue), λ = 1.5/s. Per replica:
/// s1 one core, mean service 0.5 s; s2 two cores, 1 s; s3 one core, 2 s. The analytic lower
/// bounds (stability) are 1, 1 and 4 replicas.
const CHAIN: &str = r#"
name = "chain"
seed = 5
replications = 4
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "6000s"
warmup = "600s"
window = "600s"
[[workload.entries]]
name = "req"
op = "s1.work"
arrival = { process = "poisson", rate = 1.0 }
[modules.s1]
ops.work = { cpu = { dist = "exp", mean = "500ms" }, calls = [ { op = "s2.work" } ] }
[modules.s2]
ops.work = { cpu = { dist = "exp", mean = "1s" }, calls = [ { op = "s3.work" } ] }
[modules.s3]
ops.work = { cpu = { dist = "exp", mean = "2s" } }
[[variants]]
name = "chain"
[[variants.units]]
name = "s1"
modules = ["s1"]
cores = 1
workers = 1
io = "async"
[[variants.units]]
name = "s2"
modules = ["s2"]
cores = 2
workers = 2
io = "async"
[[variants.units]]
name = "s3"
modules = ["s3"]
cores = 1
workers = 1
io = "async"
"#;

#[test]
fn chain_of_mmc_stations_matches_the_brute_force_cheapest_setting() {
    let slo = Slo::parse("mean<9s").expect("slo");
    let rate = 1.5;
    let r = rightsize(
        CHAIN,
        "chain.toml",
        &slo,
        &RightsizeOptions {
            rate,
            ..Default::default()
        },
    )
    .expect("rightsize");
    let v = &r.variants[0];
    assert!(v.met, "no plan found: {v:?}");
    let analytic: Vec<u32> = v.plan.iter().map(|s| s.analytic).collect();
    assert_eq!(analytic, [1, 1, 4]);
    let found: Vec<u32> = v.plan.iter().map(|s| s.value).collect();

    // Brute force: every (s1, s2, s3) in 1..=4 × 1..=3 × 3..=8, same seed and replications.
    let at_rate = archsim::scenario::params::set(
        CHAIN,
        "workload.entries.req.arrival.rate",
        &ParamValue::Number(rate),
        false,
    )
    .expect("rate");
    let mut plans = Vec::new();
    for a in 1..=4u32 {
        for b in 1..=3u32 {
            for c in 3..=8u32 {
                plans.push([a, b, c]);
            }
        }
    }
    let scenarios: Vec<_> = plans
        .iter()
        .map(|p| {
            let values: Vec<(String, ParamValue)> = ["s1", "s2", "s3"]
                .iter()
                .zip(p)
                .map(|(u, &x)| {
                    (
                        format!("variants.chain.units.{u}.replicas"),
                        ParamValue::Number(x as f64),
                    )
                })
                .collect();
            scenario_with(&at_rate, "chain.toml", &values, true).expect("plan")
        })
        .collect();
    let jobs: Vec<Job<'_>> = scenarios
        .iter()
        .map(|s| Job {
            scenario: s,
            variants: Vec::new(),
        })
        .collect();
    let results = run_batch(&jobs, &RunOptions::default()).expect("batch");
    // The objective the search minimizes: the simulated cost per month, or the cores
    // provisioned when nothing is priced.
    let cores = |p: &[u32; 3]| (p[0] + 2 * p[1] + p[2]) as f64;
    let met: Vec<(&[u32; 3], f64)> = plans
        .iter()
        .zip(results)
        .filter_map(|(p, r)| {
            let r = r.expect("run");
            let v = &r.variants[0];
            let objective = cost_per_month(v).unwrap_or_else(|| cores(p));
            slo.evaluate(v).met().then_some((p, objective))
        })
        .collect();
    let cheapest = met.iter().map(|(_, c)| *c).fold(f64::INFINITY, f64::min);
    let best: Vec<Vec<u32>> = met
        .iter()
        .filter(|(_, c)| *c == cheapest)
        .map(|(p, _)| p.to_vec())
        .collect();
    assert!(cheapest.is_finite(), "no plan in the grid meets the SLO");
    let objective = v.cost_per_month_usd.unwrap_or(v.cores);
    assert_eq!(
        objective, cheapest,
        "search found {found:?} ({objective}), brute force {best:?} ({cheapest})"
    );
    assert!(
        best.contains(&found),
        "search found {found:?}, brute force {best:?}"
    );
    // The search simulated far fewer plans than the grid.
    assert!(v.evaluations < plans.len(), "{} evaluations", v.evaluations);
}
