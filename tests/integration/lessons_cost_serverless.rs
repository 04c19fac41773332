//! The lessons on memory, cost and serverless functions (`scenarios/lessons/`) show the effect
//! their header comment promises.

use crate::common::{load, run};

#[test]
fn memory_duplication_services_provision_more_memory() {
    let r = run(&load("scenarios/lessons/memory-duplication.toml"));
    let (mono, svc) = (&r.variants[0], &r.variants[1]);
    // 8 runtimes of 1 GB + 4 modules × 200 MB × 2 replicas vs 2 × (1 GB + 800 MB).
    assert!((mono.memory_provisioned_gb.mean - 3.6).abs() < 1e-9);
    assert!((svc.memory_provisioned_gb.mean - 9.6).abs() < 1e-9);
    assert!((r.comparisons[0].memory_provisioned_gb.mean - 6.0).abs() < 1e-9);
    // The VM bill follows the memory (and the extra cores of the services).
    assert!(svc.cost.per_month_usd.mean > mono.cost.per_month_usd.mean);
}

#[test]
fn independent_scaling_meets_the_slo_for_less() {
    let r = run(&load("scenarios/lessons/independent-scaling.toml"));
    let (mono, svc) = (&r.variants[0], &r.variants[1]);
    for v in [mono, svc] {
        let p99 = &v.entries["search"].latency_s.p99;
        assert!(p99.ci95_high < 0.150, "{}: search p99 {p99:?}", v.name);
        assert_eq!(v.entries["search"].failed.max, 0.0);
    }
    assert!(
        svc.cost.per_month_usd.ci95_high < mono.cost.per_month_usd.ci95_low,
        "{:?} vs {:?}",
        svc.cost.per_month_usd,
        mono.cost.per_month_usd
    );
    assert!(svc.memory_provisioned_gb.mean < mono.memory_provisioned_gb.mean);
}

#[test]
fn cold_start_chain_pays_up_to_three_cold_starts() {
    let r = run(&load("scenarios/lessons/cold-start-chain.toml"));
    let v = &r.variants[0];
    let e = &v.entries["request"];
    // Three cold starts of 800 ms in sequence plus 3 × 10 ms of work.
    let chain = 3.0 * 0.8 + 0.030;
    assert!(
        (e.latency_s.p99.mean - chain).abs() < 0.01 * chain,
        "{:?}",
        e.latency_s.p99
    );
    let cold: f64 = v
        .units
        .values()
        .map(|u| u.function.as_ref().expect("function").cold_starts.mean)
        .sum();
    let per_request = cold / e.arrived.mean;
    assert!(per_request > 0.0 && per_request <= 3.0, "{per_request}");
    // Each function stays warm 10 min after its last call: cold with probability
    // e^(−λ·10 min) = e^(−0.3) ≈ 0.74 for a Poisson rate of 1 per 2,000 s.
    assert!(per_request > 3.0 * 0.65, "{per_request}");
}

#[test]
fn account_limit_throttles_every_function_until_one_reserves() {
    let r = run(&load("scenarios/lessons/account-throttling.toml"));
    let (shared, reserved) = (&r.variants[0], &r.variants[1]);
    let throttled = |v: &archsim::results::VariantResult, e: &str| {
        let x = &v.entries[e];
        x.failed_by_reason
            .get("throttled")
            .map_or(0.0, |s| s.mean / x.arrived.mean)
    };
    assert!(
        throttled(shared, "checkout") > 0.2,
        "{}",
        throttled(shared, "checkout")
    );
    assert_eq!(throttled(reserved, "checkout"), 0.0);
    assert!(throttled(reserved, "reports") > throttled(shared, "reports"));
    let f = shared.units["checkout"]
        .function
        .as_ref()
        .expect("function");
    assert!(f.throttles.mean > 0.0);
}

#[test]
fn fifteen_minute_limit_kills_long_jobs_on_functions_only() {
    let r = run(&load("scenarios/lessons/fifteen-minute-limit.toml"));
    let (func, cont) = (&r.variants[0], &r.variants[1]);
    let e = &func.entries["transcode"];
    let killed = e.failed_by_reason["max_duration"].mean / e.arrived.mean;
    // Log-normal, mean 480 s, cv 0.5: P(S > 900 s) ≈ 5.8%.
    assert!(killed > 0.03 && killed < 0.10, "{killed}");
    assert!(
        func.units["transcoder"]
            .function
            .as_ref()
            .expect("function")
            .max_duration_failures
            .mean
            > 0.0
    );
    assert_eq!(cont.entries["transcode"].failed.max, 0.0);
}

#[test]
fn function_memory_one_vcpu_is_fastest_per_dollar() {
    let r = run(&load("scenarios/lessons/function-memory.toml"));
    let by = |n: &str| r.variants.iter().find(|v| v.name == n).expect(n);
    let (small, one, large) = (by("small"), by("one-vcpu"), by("large"));
    // Running times [ms]: resize 400 × 1769 / memory (capped at one vCPU), api 5 × 1769 / 128
    // plus its wait on resize; each billed rounded up to the millisecond × memory [GB].
    let bill = |resize_mb: f64| {
        let t_resize: f64 = 400.0 / (resize_mb / 1769.0).min(1.0);
        let t_api = 5.0 * 1769.0 / 128.0 + t_resize;
        let gb_s = (t_api - 1e-9).ceil() / 1000.0 * 0.128
            + (t_resize - 1e-9).ceil() / 1000.0 * resize_mb / 1000.0;
        (t_api / 1000.0, 2.0 * 0.2e-6 + gb_s * 0.000_016_666_7)
    };
    let (t_small, c_small) = bill(128.0);
    let (t_one, c_one) = bill(1769.0);
    let (_, c_large) = bill(3008.0);
    for (v, t) in [(small, t_small), (one, t_one), (large, t_one)] {
        let p50 = v.entries["upload"].latency_s.p50.mean;
        assert!(
            (p50 / t - 1.0).abs() < 0.01,
            "{}: p50 {p50} s, closed form {t} s",
            v.name
        );
    }
    let cost = |v: &archsim::results::VariantResult| v.cost.per_month_usd.mean;
    for (v, expected) in [(small, c_small / c_one), (large, c_large / c_one)] {
        let ratio = cost(v) / cost(one);
        assert!(
            (ratio / expected - 1.0).abs() < 0.01,
            "{}: {ratio} × the one-vCPU cost, closed form {expected}",
            v.name
        );
    }
    // One vCPU is the cheapest of the three and as fast as the largest.
    assert!(cost(one) < cost(small) && cost(one) < cost(large));
}
