//! Serverless functions against closed forms: Erlang B for throttling, M/G/∞ for the busy
//! instances, e^(−λT) for cold starts, Poisson tails for provisioned concurrency, and the
//! maximum duration.

use crate::common::{assert_within_ci, run, scenario};
use archsim::analytic::queueing::erlang_b;
use archsim::engine::record::RepResult;
use archsim::engine::simulate;
use archsim::model::Model;
use archsim::scenario::Scenario;
use archsim::stats::stat::Stat;

/// A lone function `f.work` with the given demand, unit keys and Poisson rate.
fn lone(rate: f64, cpu: &str, unit_keys: &str, duration: &str, reps: u32) -> Scenario {
    scenario(&format!(
        r#"name = "fn"
seed = 7
replications = {reps}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{duration}"
warmup = "100s"
[[workload.entries]]
name = "req"
op = "f.work"
arrival = {{ process = "poisson", rate = {rate} }}
[modules.f]
ops.work = {{ cpu = {cpu} }}
[[variants]]
name = "v"
account_concurrency = 1000000
[[variants.units]]
name = "f"
modules = ["f"]
platform = "serverless"
burst_limit = 1000000
{unit_keys}
"#
    ))
}

/// Every replication of the first variant, straight from the engine.
fn reps(s: &Scenario) -> (Model, Vec<RepResult>) {
    let m = Model::compile(s, 0);
    let r = (0..s.replications as u64)
        .map(|k| {
            let r = simulate(&m, s.seed, k, None).expect("not cancelled");
            assert!(r.violations.is_empty(), "{:?}", r.violations);
            r
        })
        .collect();
    (m, r)
}

fn stat(reps: &[RepResult], f: impl Fn(&RepResult) -> f64) -> Stat {
    Stat::from_samples(&reps.iter().map(f).collect::<Vec<_>>())
}

fn poisson_pmf(a: f64, k: usize) -> f64 {
    let mut p = (-a).exp();
    for i in 1..=k {
        p *= a / i as f64;
    }
    p
}

#[test]
fn throttling_with_a_concurrency_limit_is_erlang_b_for_any_duration_distribution() {
    // c = 5 instances, offered load a = λ·E[S] = 4: B(5, 4) ≈ 0.199, whatever the distribution
    // of S (insensitivity of the Erlang loss system).
    let theory = erlang_b(5, 4.0);
    for cpu in [
        r#"{ dist = "exp", mean = "1s" }"#,
        r#"{ dist = "lognormal", mean = "1s", cv = 2.0 }"#,
    ] {
        let s = lone(
            4.0,
            cpu,
            "reserved_concurrency = 5\ncold_start = \"0s\"\nkeep_alive = \"1000h\"",
            "20000s",
            10,
        );
        let (_, r) = reps(&s);
        let blocked = stat(&r, |r| {
            let f = &r.components.function[0];
            f.throttles as f64 / (f.throttles + f.invocations) as f64
        });
        assert_within_ci(&blocked, theory, &format!("Erlang B, cpu = {cpu}"));
        // Throttled requests fail with `throttled`, counted by the entry.
        for x in &r {
            let throttled = x.entries[0].failed[archsim::flow::Reason::Throttled.index()];
            assert_eq!(throttled, x.components.function[0].throttles);
            assert!(x.components.function[0].peak <= 5);
        }
    }
}

#[test]
fn busy_instances_without_limit_are_mg_infinity() {
    // λ = 5/s, S log-normal mean 2 s cv 1.5: N ~ Poisson(10) in time average.
    let s = lone(
        5.0,
        r#"{ dist = "lognormal", mean = "2s", cv = 1.5 }"#,
        "cold_start = \"0s\"\nkeep_alive = \"1000h\"",
        "20000s",
        10,
    );
    let (m, r) = reps(&s);
    let a = 10.0;
    let ns = |r: &RepResult| r.measured_s * 1e9;
    assert_within_ci(
        &stat(&r, |r| r.components.function[0].busy_area / ns(r)),
        a,
        "mean busy instances = λ·E[S]",
    );
    for k in [6usize, 10, 14] {
        assert_within_ci(
            &stat(&r, |r| r.components.function[0].level_time[k] / ns(r)),
            poisson_pmf(a, k),
            &format!("time fraction with {k} busy instances (Poisson)"),
        );
    }
    // The results document reports the same mean concurrency, equal to the unit's mean in
    // system (cold starts are 0 here).
    let res = run(&s);
    let u = &res.variants[0].units["f"];
    let f = u.function.as_ref().expect("function figures");
    assert_within_ci(&f.mean_concurrency, a, "results: mean_concurrency");
    assert!((f.mean_concurrency.mean - u.mean_in_system.mean).abs() < 1e-9);
    assert_eq!(m.plans.function.functions.len(), 1);
}

#[test]
fn cold_start_fraction_of_a_rare_function_is_exp_minus_lambda_t() {
    // λ = 1/s, keep-alive T = 2 s, S = 1 µs (λ·E[S] = 10⁻⁶): an invocation is cold iff the
    // previous one ended more than T earlier, i.e. the inter-arrival time exceeds T + S.
    let (lambda, t, s_) = (1.0, 2.0, 1e-6);
    let s = lone(
        lambda,
        "\"1us\"",
        "cold_start = \"0s\"\nkeep_alive = \"2s\"",
        "20000s",
        10,
    );
    let res = run(&s);
    let f = res.variants[0].units["f"]
        .function
        .clone()
        .expect("function");
    let theory = (-lambda * (t + s_)).exp();
    assert_within_ci(
        &f.cold_start_fraction,
        theory,
        "cold-start fraction e^(−λT)",
    );
    assert!((theory - (-lambda * t).exp()).abs() < 1e-5);
}

#[test]
fn cold_starts_add_their_delay_to_the_latency() {
    // Every invocation is cold (keep-alive 0): latency = cold start + demand, exactly.
    let s = lone(
        0.5,
        "\"10ms\"",
        "cold_start = \"300ms\"\nkeep_alive = \"0s\"",
        "2000s",
        2,
    );
    let res = run(&s);
    let v = &res.variants[0];
    let f = v.units["f"].function.as_ref().expect("function");
    assert_eq!(f.cold_start_fraction.min, 1.0);
    assert!((v.entries["req"].latency_s.mean.mean - 0.310).abs() < 1e-6);
    // Billed: the 10 ms of running time, not the cold start.
    assert!((f.gb_s_billed.mean - f.invocations.mean * 0.010 * 1.769).abs() < 1e-6);
}

#[test]
fn provisioned_concurrency_removes_cold_starts_up_to_its_level() {
    // keep-alive 0: every invocation not on a provisioned instance is cold. Provisioned
    // instances are taken first, so they form an Erlang loss group of p servers whose overflow
    // goes to on-demand instances: an arrival is cold iff the p provisioned instances are all
    // busy, with probability B(p, a) (PASTA; a = λ·E[S] = 1).
    let a = 1.0;
    for p in [0usize, 1, 2] {
        let s = lone(
            1.0,
            r#"{ dist = "exp", mean = "1s" }"#,
            &format!("cold_start = \"0s\"\nkeep_alive = \"0s\"\nprovisioned = {p}"),
            "40000s",
            10,
        );
        let (_, r) = reps(&s);
        let tail = erlang_b(p as u32, a);
        let cold = stat(&r, |r| {
            r.components.function[0].cold_starts as f64
                / r.components.function[0].invocations as f64
        });
        if p == 0 {
            assert_eq!(cold.min, 1.0);
        } else {
            assert_within_ci(&cold, tail, &format!("cold fraction with {p} provisioned"));
        }
    }
    // Far more provisioned instances than ever needed: no cold start at all.
    let s = lone(
        1.0,
        r#"{ dist = "exp", mean = "1s" }"#,
        "cold_start = \"0s\"\nkeep_alive = \"0s\"\nprovisioned = 40",
        "2000s",
        2,
    );
    let (_, r) = reps(&s);
    assert!(r.iter().all(|r| r.components.function[0].cold_starts == 0));
}

#[test]
fn max_duration_kills_long_invocations_and_frees_their_instance() {
    // S uniform on [1 s, 3 s], max 2 s: half the invocations are killed; the instances are busy
    // E[min(S, 2 s)] = 1.75 s per invocation.
    let s = lone(
        2.0,
        r#"{ dist = "uniform", min = "1s", max = "3s" }"#,
        "cold_start = \"0s\"\nkeep_alive = \"1000h\"\nmax_duration = \"2s\"",
        "10000s",
        10,
    );
    let (_, r) = reps(&s);
    assert_within_ci(
        &stat(&r, |r| {
            r.components.function[0].max_duration_kills as f64
                / r.components.function[0].invocations as f64
        }),
        0.5,
        "fraction killed",
    );
    assert_within_ci(
        &stat(&r, |r| {
            r.components.function[0].busy_area / (r.measured_s * 1e9)
        }),
        2.0 * 1.75,
        "mean concurrency λ·E[min(S, max)]",
    );
    for x in &r {
        // Every kill reaches the client as `max_duration` (up to requests still in flight).
        let failed = x.entries[0].failed[archsim::flow::Reason::MaxDuration.index()];
        assert!(failed <= x.components.function[0].max_duration_kills);
        assert!(failed + 10 >= x.components.function[0].max_duration_kills);
        assert_eq!(x.entries[0].failed_total(), failed);
    }
}

#[test]
fn max_duration_orphans_the_calls_a_killed_invocation_waits_for() {
    // The function waits on a slow unit (5 s) with a 1 s limit: every request fails with
    // `max_duration` after ~1 s, the slow unit still completes every call (orphaned work),
    // and the self-check holds.
    let s = scenario(
        r#"name = "fn"
seed = 3
replications = 2
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "200s"
warmup = "20s"
[[workload.entries]]
name = "req"
op = "f.work"
arrival = { process = "poisson", rate = 2 }
[modules.f]
ops.work = { cpu = "10ms", calls = [ { op = "slow.op" } ] }
[modules.slow]
ops.op = { cpu = "5s" }
[[variants]]
name = "v"
[[variants.units]]
name = "f"
modules = ["f"]
platform = "serverless"
cold_start = "0s"
max_duration = "1s"
[[variants.units]]
name = "slow"
modules = ["slow"]
workers = 1000
cores = 1000
"#,
    );
    let res = run(&s);
    let v = &res.variants[0];
    let e = &v.entries["req"];
    assert_eq!(e.completed.max, 0.0);
    assert_eq!(e.failed_by_reason["max_duration"].mean, e.failed.mean);
    // Each invocation holds its instance 1 s: mean concurrency = λ · 1 s.
    let f = v.units["f"].function.as_ref().expect("function");
    assert!(
        (f.mean_concurrency.mean - 2.0).abs() < 0.3,
        "{:?}",
        f.mean_concurrency
    );
    // The slow unit keeps working for the dead callers.
    assert!((v.units["slow"].throughput_per_s.mean - 2.0).abs() < 0.3);
}

#[test]
fn account_concurrency_is_shared_and_reserved_concurrency_is_carved_out() {
    // Two functions, account limit 10, `a` reserves 4: `b` may run at most 6 at once.
    let s = scenario(
        r#"name = "acct"
seed = 5
replications = 2
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "500s"
warmup = "10s"
[[workload.entries]]
name = "a"
op = "a.x"
arrival = { rate = 20 }
[[workload.entries]]
name = "b"
op = "b.x"
arrival = { rate = 20 }
[modules.a]
ops.x = { cpu = "1s" }
[modules.b]
ops.x = { cpu = "1s" }
[[variants]]
name = "v"
account_concurrency = 10
[[variants.units]]
name = "a"
modules = ["a"]
platform = "serverless"
reserved_concurrency = 4
cold_start = "0s"
[[variants.units]]
name = "b"
modules = ["b"]
platform = "serverless"
cold_start = "0s"
"#,
    );
    let (_, r) = reps(&s);
    for x in &r {
        assert_eq!(x.components.function[0].peak, 4);
        assert_eq!(x.components.function[1].peak, 6);
        assert!(x.components.function[0].throttles > 0 && x.components.function[1].throttles > 0);
    }
    // Erlang B again, per function: B(4, 20) and B(6, 20).
    assert_within_ci(
        &stat(&r, |r| {
            let f = &r.components.function[1];
            f.throttles as f64 / (f.throttles + f.invocations) as f64
        }),
        erlang_b(6, 20.0),
        "function b blocked",
    );
}

#[test]
fn serverless_keys_are_validated_with_located_errors() {
    let text = |keys: &str| {
        format!(
            r#"name = "fn"
[workload]
duration = "10s"
[[workload.entries]]
name = "req"
op = "f.work"
arrival = {{ rate = 1 }}
[modules.f]
ops.work = {{ cpu = "1ms" }}
[[variants]]
name = "v"
[[variants.units]]
name = "f"
modules = ["f"]
{keys}
"#
        )
    };
    for (keys, field, needle) in [
        (
            "platform = \"serverless\"\nmax_duration = \"20m\"",
            "variants[0].units[0].max_duration",
            "at most 900s",
        ),
        (
            "platform = \"serverless\"\nreserved_concurrency = 2\nprovisioned = 3",
            "variants[0].units[0].provisioned",
            "exceeds the function's reserved concurrency 2",
        ),
        (
            "runtime = \"java\"",
            "variants[0].units[0].runtime",
            "serverless units only",
        ),
        (
            "platform = \"serverless\"\nruntime = \"cobol\"",
            "",
            "cobol",
        ),
        (
            "platform = \"serverless\"\nburst_limit = 0",
            "variants[0].units[0].burst_limit",
            "≥ 1",
        ),
        (
            "platform = \"serverless\"\nzones = [\"z1\"]",
            "variants[0].units[0].zones",
            "does not apply to a serverless unit",
        ),
        (
            "platform = \"serverless\"\nworkers = 50",
            "variants[0].units[0].workers",
            "does not apply to a serverless unit",
        ),
        (
            "platform = \"serverless\"\nreserved_concurrency = 1500",
            "variants[0].account_concurrency",
            "reserve 1500 instances in all, more than the account's concurrency, 1000",
        ),
        (
            "platform = \"serverless\"\nprovisioned = 1200",
            "variants[0].account_concurrency",
            "keeps 1200 provisioned instances, more than the 1000",
        ),
    ] {
        let err = archsim::scenario::parse(&text(keys), "f.toml").expect_err(keys);
        let msg = err.to_string();
        assert!(msg.contains(field) && msg.contains(needle), "{keys}: {msg}");
    }
}
