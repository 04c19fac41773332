//! Resilience policies against closed forms and exact counts: retries with independent
//! per-attempt failures (success 1−q^k, mean attempts (1−q^k)/(1−q)), client retries, a circuit
//! breaker in front of a dead dependency (fail fast, one half-open round per open period), a
//! bulkhead's concurrency bound, fallbacks counted as degraded, load shedding.

use crate::common::{assert_within_ci, run, scenario};

/// `front.go` calls `back.work` with the call keys `call`; `back` gets `back_keys`.
fn edge(rate: &str, call: &str, back_cpu: &str, back_keys: &str, extra: &str) -> String {
    format!(
        r#"name = "edge"
seed = 2
replications = 10
[network]
latency = "1ms"
marshal_per_kb = "0us"
[workload]
duration = "1000s"
warmup = "50s"
[[workload.entries]]
name = "req"
op = "front.go"
arrival = {rate}
[modules.front]
ops.go = {{ cpu = "0s", calls = [ {{ op = "back.work" {call} }} ] }}
[modules.back]
ops.work = {{ cpu = {back_cpu} }}
[[variants]]
name = "v"
[[variants.units]]
name = "front"
modules = ["front"]
[[variants.units]]
name = "back"
modules = ["back"]
cores = 4
{back_keys}
{extra}
"#
    )
}

const ERRORS_40: &str = r#"[[faults]]
kind = "error"
target = "back"
rate = 0.4
"#;

#[test]
fn retries_with_independent_failures_match_closed_forms() {
    // q = 0.4 per attempt, k = 3 attempts: success 1 − q³, mean attempts (1 − q³)/(1 − q).
    let text = edge(
        r#"{ process = "poisson", rate = 20 }"#,
        r#", retry = { attempts = 3, base = "1ms", jitter = "none" }"#,
        r#""1ms""#,
        "",
        ERRORS_40,
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let (q, k) = (0.4f64, 3);
    assert_within_ci(
        &v.entries["req"].success_ratio,
        1.0 - q.powi(k),
        "success 1 − q^k",
    );
    let e = &v.resilience.edges["front.go -> back.work"];
    assert_within_ci(
        &e.amplification,
        (1.0 - q.powi(k)) / (1.0 - q),
        "mean attempts (1 − q^k)/(1 − q)",
    );
}

#[test]
fn client_retries_match_the_same_closed_forms() {
    let text = edge(
        r#"{ process = "poisson", rate = 20 }
retry = { attempts = 4, base = "1ms", jitter = "equal" }"#,
        "",
        r#""1ms""#,
        "",
        ERRORS_40,
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let (q, k) = (0.4f64, 4);
    assert_within_ci(
        &v.entries["req"].success_ratio,
        1.0 - q.powi(k),
        "success 1 − q^k",
    );
    assert_within_ci(
        &v.resilience.client_amplification["req"],
        (1.0 - q.powi(k)) / (1.0 - q),
        "client attempts per request",
    );
}

#[test]
fn a_retry_budget_caps_retries() {
    // Every attempt fails; budget 10 % + 1/s over 10 s: retries ≤ 0.1 × calls + 10 per 10 s.
    let text = edge(
        r#"{ process = "poisson", rate = 50 }"#,
        r#", retry = { attempts = 3, base = "1ms", budget = 0.1, min_per_s = 1 }"#,
        r#""1ms""#,
        "",
        "[[faults]]\nkind = \"error\"\ntarget = \"back\"\nrate = 1.0\n",
    );
    let r = run(&scenario(&text));
    let e = &r.variants[0].resilience.edges["front.go -> back.work"];
    // Without the budget the amplification would be 3; with it ≈ 1 + 0.1 + 1/50.
    assert!(
        e.amplification.max <= 1.0 + 0.1 + 1.0 / 50.0 + 0.01,
        "{:?}",
        e.amplification
    );
    assert!(e.amplification.min > 1.05, "{:?}", e.amplification);
    assert!(e.budget_refused.mean > 0.0);
}

fn dead_dependency(latency: &str) -> String {
    edge(
        r#"{ process = "poisson", rate = 100 }"#,
        r#", breaker = { window = 10, min_calls = 10, open = "1s", half_open = 2 }, fallback = "degraded""#,
        r#""1ms""#,
        "",
        "[[faults]]\nkind = \"crash\"\ntarget = \"back\"\n",
    )
    .replace(r#"latency = "1ms""#, &format!("latency = \"{latency}\""))
    .replace(r#"warmup = "50s""#, r#"warmup = "0s""#)
    .replace(r#"duration = "1000s""#, r#"duration = "100s""#)
}

#[test]
fn an_open_breaker_probes_once_per_open_period() {
    // `back` is down the whole run and, with no network latency, every call to it fails at
    // once. The breaker opens after exactly `min_calls` = 10 failures; each open period of 1 s
    // ends at the first call after it, which starts a half-open round of 2 probes; they fail
    // and reopen it. So attempts = 10 + 2 × (half-open rounds), the last round possibly cut
    // short by the end of the run.
    let r = run(&scenario(&dead_dependency("0s")));
    let v = &r.variants[0];
    let e = &v.resilience.edges["front.go -> back.work"];
    for (a, h) in [
        (e.attempts.min, e.breaker_half_opened.min),
        (e.attempts.max, e.breaker_half_opened.max),
    ] {
        assert!(
            a == 10.0 + 2.0 * h || a == 10.0 + 2.0 * h - 1.0,
            "attempts {a}, half-open rounds {h}"
        );
    }
    // One round per open period: each half-open comes 1 s after the opening plus the wait for
    // the next call (Poisson at 100/s: well under 0.2 s).
    let changes = &v.resilience.breaker_changes;
    let opens: Vec<f64> = changes
        .iter()
        .filter(|c| c.to == "open")
        .map(|c| c.t_s)
        .collect();
    let halves: Vec<f64> = changes
        .iter()
        .filter(|c| c.to == "half_open")
        .map(|c| c.t_s)
        .collect();
    assert!(opens.len() >= 90, "{} openings", opens.len());
    for (o, h) in opens.iter().zip(&halves) {
        let gap = h - o;
        assert!((1.0..1.2).contains(&gap), "half-open {gap} s after opening");
    }
    assert!(halves.len() as f64 <= 100.0 - opens[0]);
    assert!(changes.iter().all(|c| c.to != "closed"));
}

#[test]
fn an_open_breaker_fails_fast() {
    // The same with 1 ms per hop: a call that reaches the dead dependency fails after 2 ms;
    // a call refused by the open breaker costs nothing, and the fallback answers at once.
    let r = run(&scenario(&dead_dependency("1ms")));
    let entry = &r.variants[0].entries["req"];
    assert_eq!(
        entry.failed.mean, 0.0,
        "the fallback turns failures into degraded answers"
    );
    assert_eq!(entry.degraded.mean, entry.completed.mean);
    assert!(
        entry.latency_s.p90.max < 1e-6,
        "p90 {:?}",
        entry.latency_s.p90
    );
    // The few calls that reached it (about 2 per second of 100) took the 2 ms round trip.
    assert!(
        entry.latency_s.p999.min >= 0.0019,
        "{:?}",
        entry.latency_s.p999
    );
}

#[test]
fn a_bulkhead_bounds_concurrent_calls() {
    // A call every 0.1 s holding `back` 0.95 s; bulkhead 2: two calls per second get through
    // (freed at .05 and .15 past the second), the others are rejected at once.
    let text = edge(
        r#"{ process = "constant", rate = 10 }"#,
        ", bulkhead = 2",
        r#""0.95s""#,
        "",
        "",
    )
    .replace(r#"latency = "1ms""#, r#"latency = "0s""#)
    .replace(r#"warmup = "50s""#, r#"warmup = "10s""#)
    .replace(r#"duration = "1000s""#, r#"duration = "100s""#)
    .replace("replications = 10", "replications = 2");
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let back = &v.units["back"];
    assert!(
        (back.throughput_per_s.mean - 2.0).abs() <= 0.02,
        "{:?}",
        back.throughput_per_s
    );
    let e = &v.entries["req"];
    assert!(
        (e.success_ratio.mean - 0.2).abs() <= 0.002,
        "{:?}",
        e.success_ratio
    );
    assert!(e.failed_by_reason.keys().all(|k| k == "rejected"));
    assert_eq!(
        v.resilience.failure_origins["back"]["req"].mean,
        e.failed.mean
    );
}

#[test]
fn load_shedding_bounds_the_wait_of_an_overloaded_unit() {
    // λ = 150/s on a single worker with S = 10 ms (ρ = 1.5): without shedding the queue grows
    // without bound; with max_wait = 100 ms admitted requests wait about that much at most.
    let base = edge(
        r#"{ process = "poisson", rate = 150 }"#,
        "",
        r#"{ dist = "exp", mean = "10ms" }"#,
        "workers = 1\nSHED",
        "",
    )
    .replace(r#"duration = "1000s""#, r#"duration = "100s""#)
    .replace(r#"warmup = "50s""#, r#"warmup = "10s""#)
    .replace("replications = 10", "replications = 4");
    let shed = run(&scenario(
        &base.replace("SHED", r#"shed = { max_wait = "100ms" }"#),
    ));
    let plain = run(&scenario(&base.replace("SHED", "")));
    let s = &shed.variants[0].entries["req"];
    let p = &plain.variants[0].entries["req"];
    assert!(s.failed_by_reason.contains_key("shed"));
    // Throughput stays at capacity (1 / 10 ms) while latency stays near the bound.
    assert!(
        s.throughput_per_s.mean > 0.95 * 100.0,
        "{:?}",
        s.throughput_per_s
    );
    assert!(s.latency_s.p99.mean < 0.3, "{:?}", s.latency_s.p99);
    assert!(
        p.latency_s.mean.mean > 10.0,
        "unbounded queue: {:?}",
        p.latency_s.mean
    );
}

#[test]
fn lesson_cascading_failure_and_its_containment() {
    let r = run(&crate::common::load(
        "scenarios/lessons/cascading-failure.toml",
    ));
    let blast = |v: usize, e: &str| r.variants[v].resilience.blast_radius[0].entries[e].clone();
    // Unprotected: the slow leaf drains front's blocking thread pool and takes down `home`,
    // which never calls it.
    let home = blast(0, "home");
    assert!(home.degraded, "{home:?}");
    assert!(home.availability_min < 0.5, "{home:?}");
    assert!(home.degraded_s >= 10.0, "{home:?}");
    // Protected (timeout + breaker + bulkhead): `home` keeps its availability and latency.
    let home = blast(1, "home");
    assert!(!home.degraded, "{home:?}");
    let p = &r.variants[1].entries["home"];
    assert_eq!(p.failed.max, 0.0);
    // and `report` fails fast into its fallback instead of failing.
    let rep = &r.variants[1].entries["report"];
    assert!(rep.degraded.mean > 0.0 && rep.failed.mean == 0.0, "{rep:?}");
    assert!(
        r.variants[1].resilience.edges["front.report -> leaf.compute"]
            .breaker_opened
            .min
            >= 1.0
    );
}

#[test]
fn lesson_retry_storm() {
    let r = run(&crate::common::load("scenarios/lessons/retry-storm.toml"));
    let load_on_stock = |v: usize| {
        let vr = &r.variants[v];
        vr.resilience.edges["orders.reserve -> stock.take"]
            .attempts
            .mean
            / vr.entries["buy"].arrived.mean
    };
    // Naive retries at both layers: up to 3 × 3 attempts reach `stock` per request while it
    // fails (a third of the measured time it does not).
    assert!(load_on_stock(0) > 3.0, "naive: {}", load_on_stock(0));
    // Jittered retries under a budget: little more than one.
    assert!(load_on_stock(1) < 1.5, "budgeted: {}", load_on_stock(1));
}
