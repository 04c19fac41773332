//! The cost estimate (`archsim::cost::estimate`, docs/cost.md "The cost estimate") against the
//! run's bill: for shipped scenarios with fixed replicas, every line billed by the hour equals the
//! run's `cost.by_resource` monthly figure, and every line billed per request lies within the
//! run's 95% interval (the run's counts are random draws around the estimate's mean rates).

use crate::common::{load, run};
use archsim::cost::estimate::{cost_estimate, CostEstimate};
use archsim::results::VariantResult;

/// Kinds whose monthly figure depends on nothing random in a run with fixed replicas.
const HOURLY: &[&str] = &["unit", "host", "cluster", "cache"];

/// Compares the estimate of every variant of `rel` with its run; returns how many lines were
/// compared exactly and within the interval.
fn compare(rel: &str, skip_kinds: &[&str]) -> (usize, usize) {
    let s = load(rel);
    let r = run(&s);
    let (mut exact, mut within) = (0, 0);
    for (i, v) in r.variants.iter().enumerate() {
        let (_, c) = cost_estimate(&s, i);
        let (e, w) = compare_variant(rel, v, &c, skip_kinds);
        exact += e;
        within += w;
    }
    (exact, within)
}

fn compare_variant(
    rel: &str,
    v: &VariantResult,
    c: &CostEstimate,
    skip_kinds: &[&str],
) -> (usize, usize) {
    let (mut exact, mut within) = (0, 0);
    let keys: Vec<&String> = v.cost.by_resource.keys().collect();
    let est_keys: Vec<&String> = c.lines.iter().map(|l| &l.key).collect();
    assert_eq!(
        keys, est_keys,
        "{rel} `{}`: the estimate's lines are the run's",
        v.name
    );
    for line in &c.lines {
        if skip_kinds.contains(&line.kind.as_str()) {
            continue;
        }
        let got = &v.cost.by_resource[&line.key].per_month_usd;
        let what = format!("{rel} `{}` {}", v.name, line.key);
        let tol = 1e-6 * got.mean.abs().max(1.0);
        if HOURLY.contains(&line.kind.as_str()) || got.ci95_high - got.ci95_low <= tol {
            assert!(
                (line.per_month_usd - got.mean).abs() <= tol,
                "{what}: estimate {} vs the run's {}",
                line.per_month_usd,
                got.mean
            );
            exact += 1;
        } else {
            assert!(
                got.ci95_low - tol <= line.per_month_usd
                    && line.per_month_usd <= got.ci95_high + tol,
                "{what}: estimate {} outside the run's 95% interval [{}, {}]",
                line.per_month_usd,
                got.ci95_low,
                got.ci95_high
            );
            within += 1;
        }
    }
    let total: f64 = c.lines.iter().map(|l| l.per_month_usd).sum();
    assert!((total - c.per_month_usd).abs() < 1e-9);
    (exact, within)
}

#[test]
fn online_shop_estimate_is_the_runs_bill() {
    let (exact, _) = compare("scenarios/online-shop.toml", &[]);
    assert!(exact >= 4, "{exact} lines compared exactly");
}

#[test]
fn lessons_with_fixed_replicas_estimate_the_runs_bill() {
    for rel in [
        "scenarios/lessons/network-tax.toml",
        "scenarios/lessons/memory-duplication.toml",
        "scenarios/lessons/one-host-vs-many.toml",
        "scenarios/lessons/gateway-composition.toml",
    ] {
        let (exact, within) = compare(rel, &[]);
        assert!(exact + within > 0, "{rel}: nothing compared");
    }
}

#[test]
fn queue_and_external_lines_are_within_the_runs_interval() {
    let (_, within) = compare("scenarios/lessons/async-order-pipeline.toml", &[]);
    assert!(within > 0);
}

/// A VM unit of 1 core (c7i.large, $0.08925 an hour) autoscaled at 50% utilization, behind
/// 100 requests/s of 10 ms: 1 CPU-second per second.
fn autoscaled(min: u32, max: u32) -> String {
    format!(
        r#"name = "as"
[workload]
duration = "10s"
[[workload.entries]]
name = "r"
op = "a.get"
arrival = {{ process = "poisson", rate = 100 }}
[modules.a]
ops.get = {{ cpu = "10ms" }}
[[variants]]
name = "v"
[[variants.units]]
name = "a"
modules = ["a"]
cores = 1
workers = 8
autoscale = {{ target_utilization = 0.5, min = {min}, max = {max} }}
"#
    )
}

#[test]
fn an_autoscaled_unit_is_billed_at_its_steady_count_for_the_target_within_min_and_max() {
    // demand 1 core / (1 core × 0.5) = 2 instances; clamped up to min 3, down to max 1
    for (min, max, instances) in [(1, 10, 2.0), (3, 10, 3.0), (1, 1, 1.0)] {
        let s = crate::common::scenario(&autoscaled(min, max));
        let (_, c) = cost_estimate(&s, 0);
        let unit = c
            .lines
            .iter()
            .find(|l| l.key == "unit/a")
            .expect("unit line");
        let want = instances * 0.08925 * 730.0;
        assert!(
            (unit.per_month_usd - want).abs() < 1e-9 * want,
            "min {min} max {max}: {} vs {want}",
            unit.per_month_usd
        );
    }
}
