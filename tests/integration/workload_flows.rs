//! Workload shapes (rate profiles, trace replay, closed loops), modelled operation errors,
//! message queues and sagas, each against a closed form or an exact count.
#![allow(clippy::unwrap_used)]

use crate::common::{assert_within_ci, run, scenario};
use archsim::analytic::queueing;
use archsim::results::Results;
use archsim::stats::stat::Stat;
use archsim::workload::RateProfile;

/// One module `m` with a zero-CPU entry op `m.run` (answers at once, so each window's
/// throughput counts its arrivals), under `arrival`.
fn instant(arrival: &str, duration: &str, warmup: &str, reps: u32) -> String {
    format!(
        r#"name = "shape"
seed = 7
replications = {reps}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{duration}"
warmup = "{warmup}"
window = "10s"
[[workload.entries]]
name = "req"
op = "m.run"
arrival = {arrival}
[modules.m]
ops.run = {{ cpu = "0s" }}
[[variants]]
name = "v"
[[variants.units]]
name = "u"
modules = ["m"]
"#
    )
}

/// Each window's mean count over `reps` replications against ∫ rate over the window: the mean
/// of `reps` Poisson counts has variance Λ_w / reps; 4.5 standard errors bound the miss
/// probability of one window at 7e-6 (≤ 3e-4 over the 40 windows tested).
fn check_windows(r: &Results, p: &RateProfile, reps: u32) {
    let v = &r.variants[0];
    let ser = &v.series.entries["req"].throughput_per_s;
    let w = v.series.window_s;
    assert!(ser.len() >= 20, "{} windows", ser.len());
    for (i, x) in ser.iter().enumerate() {
        let (a, b) = (i as f64 * w, (i + 1) as f64 * w);
        let expect = p.cumulative(b) - p.cumulative(a);
        let got = x * w;
        let se = (expect / reps as f64).sqrt();
        assert!(
            (got - expect).abs() <= 4.5 * se + 1e-9,
            "window {i} [{a}, {b}) s: mean count {got:.2}, ∫rate = {expect:.2} (se {se:.2})"
        );
    }
    // And the measured total (warm-up 20 s, end 400 s) against its 95% interval over
    // replications.
    let total = p.cumulative(400.0) - p.cumulative(20.0);
    assert_within_ci(
        &v.entries["req"].arrived,
        total,
        "arrivals in the measured interval",
    );
}

#[test]
fn step_ramp_spike_profiles_match_integrated_rate() {
    let cases = [
        (
            r#"{ profile = { steps = [["0s", 20], ["100s", 80], ["250s", 5]] } }"#,
            RateProfile::steps(&[(0.0, 20.0), (100.0, 80.0), (250.0, 5.0)]),
        ),
        (
            r#"{ profile = { ramp = { from = 10, to = 100, start = "50s", end = "300s" } } }"#,
            RateProfile::ramp(10.0, 100.0, 50.0, 300.0),
        ),
        (
            r#"{ profile = { spike = { base = 10, peak = 120, at = "150s", duration = "40s" } } }"#,
            RateProfile::spike(10.0, 120.0, 150.0, 40.0),
        ),
    ];
    for (arrival, p) in cases {
        let r = run(&scenario(&instant(arrival, "380s", "20s", 20)));
        check_windows(&r, &p, 20);
    }
}

#[test]
fn diurnal_sine_by_thinning_matches_integrated_rate() {
    let p = RateProfile::Sine {
        mean: 50.0,
        amplitude: 45.0,
        period: 200.0,
    };
    let r = run(&scenario(&instant(
        r#"{ profile = { diurnal = { mean = 50, amplitude = 45, period = "200s" } } }"#,
        "380s",
        "20s",
        20,
    )));
    check_windows(&r, &p, 20);
}

#[test]
fn constant_profile_is_deterministic_and_exact() {
    // Deterministic arrivals at Λ(t) = 1, 2, …: every replication sees the same count, ⌊Λ⌋.
    let r = run(&scenario(&instant(
        r#"{ process = "constant", profile = { ramp = { from = 0, to = 10, end = "100s" } } }"#,
        "80s",
        "20s",
        3,
    )));
    let a = &r.variants[0].entries["req"].arrived;
    let p = RateProfile::ramp(0.0, 10.0, 0.0, 100.0);
    let expect = (p.cumulative(100.0)).floor() - (p.cumulative(20.0)).floor();
    assert_eq!((a.min, a.max), (expect, expect));
}

#[test]
fn trace_of_timestamps_replays_exactly() {
    let dir = std::env::temp_dir().join(format!("archsim-trace-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("traces")).unwrap();
    // 600 arrivals at irregular instants over 60 s, some simultaneous.
    let mut times: Vec<f64> = (0..600)
        .map(|i| ((i * 7919) % 60_000) as f64 / 1000.0)
        .collect();
    times.push(times[10]);
    times.sort_by(f64::total_cmp);
    let mut csv = String::from("# recorded arrivals\ntimestamp\n");
    for t in &times {
        csv.push_str(&format!("{t}\n"));
    }
    std::fs::write(dir.join("traces/x.csv"), csv).unwrap();
    let text =
        instant(r#"{ trace = "traces/x.csv" }"#, "50s", "10s", 2).replace("seed = 7", "seed = 3");
    let file = dir.join("s.toml");
    std::fs::write(&file, &text).unwrap();
    let s = archsim::scenario::load(&file).expect("loads");
    let r = run(&s);
    let v = &r.variants[0];
    // Measured: arrivals in [10 s, 60 s).
    let measured = times.iter().filter(|&&t| (10.0..60.0).contains(&t)).count() as f64;
    let a = &v.entries["req"].arrived;
    assert_eq!((a.min, a.max), (measured, measured));
    // Per 10 s window, exactly the trace's counts.
    let ser = &v.series.entries["req"].throughput_per_s;
    for (i, x) in ser.iter().enumerate() {
        let n = times
            .iter()
            .filter(|&&t| t >= i as f64 * 10.0 && t < (i + 1) as f64 * 10.0)
            .count() as f64;
        assert_eq!(x * 10.0, n, "window {i}");
    }
    // A bad row is reported with the trace's file and line.
    std::fs::write(dir.join("traces/x.csv"), "timestamp\n1\nsoon\n").unwrap();
    let e = archsim::scenario::load(&file).unwrap_err();
    let d = &e.diagnostics().unwrap().0[0];
    assert!(d.file.ends_with("x.csv"), "{}", d.file);
    assert_eq!(d.line, 3);
    assert!(d.message.contains("soon"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn closed_loop_single_station_matches_mva() {
    let text = r#"name = "closed"
seed = 11
replications = 20
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "4000s"
warmup = "200s"
[[workload.entries]]
name = "req"
op = "m.run"
arrival = { process = "closed", users = 6, think = { dist = "exp", mean = "500ms" } }
[modules.m]
ops.run = { cpu = { dist = "exp", mean = "100ms" } }
[[variants]]
name = "v"
[[variants.units]]
name = "u"
modules = ["m"]
cores = 1
workers = 1
"#;
    let r = run(&scenario(text));
    let m = queueing::mva(6, &[0.1], 0.5).expect("mva");
    let e = &r.variants[0].entries["req"];
    assert_within_ci(&e.throughput_per_s, m.throughput, "closed-loop throughput");
    assert_within_ci(&e.latency_s.mean, m.response, "closed-loop response time");
}

#[test]
fn modelled_errors_fail_after_cpu_and_skip_calls() {
    let text = r#"name = "errors"
seed = 5
replications = 20
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "1000s"
warmup = "10s"
[[workload.entries]]
name = "req"
op = "a.run"
arrival = { process = "poisson", rate = 20 }
[modules.a]
ops.run = { cpu = "1ms", errors = 0.25, calls = [ { op = "b.run" } ] }
[modules.b]
ops.run = { cpu = "1ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "a"
modules = ["a"]
cores = 4
[[variants.units]]
name = "b"
modules = ["b"]
cores = 4
"#;
    let r = run(&scenario(text));
    let v = &r.variants[0];
    let e = &v.entries["req"];
    assert_within_ci(&e.success_ratio, 0.75, "success ratio with errors = 0.25");
    assert!(e.failed_by_reason.contains_key("error"));
    // A failed invocation makes no calls: b sees 75% of the arrivals.
    let ratio = v.units["b"].throughput_per_s.mean / v.units["a"].throughput_per_s.mean;
    assert!((ratio - 0.75).abs() < 0.01, "{ratio}");
}

/// A queue fed by Poisson publishes at `rate` whose consumer op has `cpu` and `errors`.
fn queue_model(rate: f64, cpu: &str, errors: f64, queue: &str, reps: u32) -> String {
    format!(
        r#"name = "queue"
seed = 9
replications = {reps}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "4000s"
warmup = "400s"
[[workload.entries]]
name = "req"
op = "producer.send"
arrival = {{ process = "poisson", rate = {rate} }}
[modules.producer]
ops.send = {{ cpu = "0s", calls = [ {{ publish = "jobs", op = "worker.handle" }} ] }}
[modules.worker]
ops.handle = {{ cpu = {cpu}, errors = {errors} }}
[[variants]]
name = "v"
[[variants.units]]
name = "producer"
modules = ["producer"]
[[variants.units]]
name = "worker"
modules = ["worker"]
cores = 64
workers = 1000
[[variants.queues]]
name = "jobs"
{queue}
"#
    )
}

#[test]
fn queue_with_c_consumers_waits_like_mmc() {
    let text = queue_model(
        2.4,
        r#"{ dist = "exp", mean = "1s" }"#,
        0.0,
        "publish_latency = \"0s\"\nvisibility_timeout = \"100000s\"\nconsumers = 3",
        20,
    );
    let r = run(&scenario(&text));
    let q = &r.variants[0].queues["jobs"];
    let m = queueing::mmc(2.4, 1.0, 3).expect("M/M/3");
    assert_within_ci(&q.wait_mean_s, m.wq, "queue wait vs M/M/3 Wq");
    assert_within_ci(&q.end_to_end_s.mean, m.w, "publish → done vs M/M/3 W");
    assert_eq!(q.redelivered.max, 0.0);
}

#[test]
fn dead_letter_fraction_and_receives_per_message() {
    let (qp, n) = (0.4f64, 3);
    let text = queue_model(
        10.0,
        r#""10ms""#,
        qp,
        &format!(
            "publish_latency = \"5ms\"\nvisibility_timeout = \"1s\"\nmax_receives = {n}\nconsumers = 50"
        ),
        20,
    );
    let r = run(&scenario(&text));
    let q = &r.variants[0].queues["jobs"];
    assert_within_ci(&q.dead_letter_ratio, qp.powi(n), "dead-letter fraction q^N");
    assert_within_ci(
        &q.receives_per_message,
        (1.0 - qp.powi(n)) / (1.0 - qp),
        "receives per message (1 − q^N)/(1 − q)",
    );
    // Conservation, replication by replication (the self-check) and on the means.
    let s = |x: &Stat| x.mean;
    let lhs = s(&q.published);
    let rhs = s(&q.delivered) + s(&q.dead_lettered) + s(&q.backlog_end);
    assert!((lhs - rhs).abs() < 1e-6 * lhs, "{lhs} vs {rhs}");
    assert!(s(&q.redelivered) > 0.0);
}

#[test]
fn saga_outcomes_match_step_failure_probabilities() {
    let (p1, p2, p3, c1, c2) = (0.1f64, 0.2, 0.3, 0.25, 0.1);
    let text = format!(
        r#"name = "saga"
seed = 13
replications = 20
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "10s"
[[workload.entries]]
name = "order"
op = "orders.place"
arrival = {{ process = "poisson", rate = 20 }}
[modules.orders]
ops.place = {{ cpu = "1ms", calls = [ {{ saga = [
  {{ op = "pay.charge", compensate = "pay.refund" }},
  {{ op = "stock.reserve", compensate = "stock.release" }},
  {{ op = "ship.book" }},
] }} ] }}
[modules.pay]
ops.charge = {{ cpu = "1ms", errors = {p1} }}
ops.refund = {{ cpu = "1ms", errors = {c1} }}
[modules.stock]
ops.reserve = {{ cpu = "1ms", errors = {p2} }}
ops.release = {{ cpu = "1ms", errors = {c2} }}
[modules.ship]
ops.book = {{ cpu = "1ms", errors = {p3} }}
[[variants]]
name = "v"
[[variants.units]]
name = "app"
modules = ["orders", "pay", "stock", "ship"]
cores = 8
"#
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let g = &v.sagas["orders.place"];
    let committed = (1.0 - p1) * (1.0 - p2) * (1.0 - p3);
    // Step 1 fails: nothing to undo. Step 2 fails: refund. Step 3 fails: release, then refund
    // (both run even if the first fails).
    let compensated =
        p1 + (1.0 - p1) * p2 * (1.0 - c1) + (1.0 - p1) * (1.0 - p2) * p3 * (1.0 - c2) * (1.0 - c1);
    let inconsistent = 1.0 - committed - compensated;
    assert_within_ci(&g.committed_ratio, committed, "committed = Π(1 − p_i)");
    assert_within_ci(&g.compensated_ratio, compensated, "compensated");
    assert_within_ci(&g.inconsistent_ratio, inconsistent, "inconsistent");
    // A saga that did not commit fails the request with the failing step's reason.
    assert_within_ci(
        &v.entries["order"].success_ratio,
        committed,
        "entry success",
    );
    assert!(g.compensation_s.mean > 0.0);
}

// ---- lessons --------------------------------------------------------------------------------

#[test]
fn lesson_saga_compensation_undoes_failed_orders() {
    let r = run(&crate::common::load(
        "scenarios/lessons/saga-compensation.toml",
    ));
    let v = &r.variants[0];
    let g = &v.sagas["orders.place"];
    let committed = (1.0 - 0.03) * (1.0 - 0.05) * (1.0 - 0.08);
    assert_within_ci(&g.committed_ratio, committed, "committed = Π(1 − p_i)");
    assert!(g.compensated.mean > 0.0 && g.inconsistent.mean > 0.0);
    assert!(g.compensated.mean > 10.0 * g.inconsistent.mean);
    // Compensating adds at least the refund's CPU (8 ms mean) to a failed order.
    assert!(g.compensation_s.mean > 0.004, "{}", g.compensation_s.mean);
    assert_within_ci(
        &v.entries["order"].success_ratio,
        committed,
        "orders succeed exactly when the saga commits",
    );
}

#[test]
fn lesson_async_pipeline_backlog_grows_in_the_spike_and_drains() {
    let r = run(&crate::common::load(
        "scenarios/lessons/async-order-pipeline.toml",
    ));
    let window = r.variants[0].series.window_s;
    let at = |t: f64| (t / window) as usize;
    let four = &r.variants[0].series.queues["fulfilment"].backlog;
    let more = &r.variants[1].series.queues["fulfilment"].backlog;
    let max = |s: &[f64]| s.iter().copied().fold(0.0, f64::max);
    let before = max(&four[at(20.0)..at(115.0)]);
    let peak = max(&four[at(120.0)..at(240.0)]);
    // The spike adds ~80 messages/s beyond the drain rate for 60 s.
    assert!(
        peak > 2000.0 && peak > 20.0 * before.max(1.0),
        "before {before}, peak {peak}"
    );
    // Drained well before the end (~40 messages/s of spare capacity after the spike).
    let end = max(&four[at(330.0)..four.len()]);
    assert!(end < 0.02 * peak, "end {end} vs peak {peak}");
    // Enough consumers keep up.
    assert!(max(more) < 0.05 * peak, "more consumers: {}", max(more));
    // The clients never wait for fulfilment: the order latency is the publish, not the backlog.
    let q = &r.variants[0].queues["fulfilment"];
    let order = &r.variants[0].entries["order"].latency_s;
    assert!(order.p99.mean < 0.1, "order p99 {}", order.p99.mean);
    assert!(
        q.end_to_end_s.p99.mean > 30.0,
        "fulfilment p99 {}",
        q.end_to_end_s.p99.mean
    );
}

#[test]
fn lesson_diurnal_day_follows_the_sine() {
    let r = run(&crate::common::load("scenarios/lessons/diurnal-day.toml"));
    let p = RateProfile::Sine {
        mean: 150.0,
        amplitude: 120.0,
        period: 600.0,
    };
    let v = &r.variants[0];
    let w = v.series.window_s;
    let thr = &v.series.entries["browse"].throughput_per_s;
    // Throughput per window follows ∫rate (5 replications: se of a window's mean count
    // √(Λ_w / 5); 4.5 se per window).
    for (i, x) in thr.iter().enumerate() {
        let (a, b) = (i as f64 * w, (i + 1) as f64 * w);
        let expect = p.cumulative(b) - p.cumulative(a);
        let se = (expect / 5.0).sqrt();
        assert!(
            (x * w - expect).abs() <= 4.5 * se,
            "window {i}: {} vs {expect}",
            x * w
        );
    }
    // The tail at the daily peak (t ≈ 150 s) is far above the tail at night (t ≈ 450 s) on one
    // instance, not on three.
    let p99 = |k: usize| -> Vec<f64> {
        let s = &r.variants[k].series.entries["browse"].p99_s;
        s.iter()
            .map(|x| x.expect("requests complete in every window"))
            .collect()
    };
    let (peak, night) = ((140.0 / w) as usize, (440.0 / w) as usize);
    assert!(
        p99(0)[peak] > 1.5 * p99(0)[night],
        "{} vs {}",
        p99(0)[peak],
        p99(0)[night]
    );
    assert!(
        p99(1)[peak] < 1.3 * p99(1)[night],
        "{} vs {}",
        p99(1)[peak],
        p99(1)[night]
    );
}

// ---- bad input ------------------------------------------------------------------------------

/// The diagnostics of `text` as `(line, field, message)`.
fn diags(text: &str) -> Vec<(usize, String, String)> {
    let e = archsim::scenario::parse(text, "bad.toml").expect_err("must be rejected");
    e.diagnostics()
        .expect("diagnostics")
        .iter()
        .map(|d| (d.line, d.field.clone(), d.message.clone()))
        .collect()
}

#[track_caller]
fn expect_diag(text: &str, line: usize, field: &str, words: &str) {
    let d = diags(text);
    assert!(
        d.iter()
            .any(|(l, f, m)| *l == line && f == field && m.contains(words)),
        "expected line {line}, field {field}, `{words}` in {d:#?}"
    );
}

#[test]
fn bad_workload_shapes_queues_and_sagas_are_located() {
    let base = queue_model(
        1.5,
        r#""1ms""#,
        0.0,
        "publish_latency = \"1ms\"\nvisibility_timeout = \"10s\"\nconsumers = 2",
        2,
    );
    // Sanity: the base is valid.
    scenario(&base);
    let arrival = r#"arrival = { process = "poisson", rate = 1.5 }"#;
    assert!(base.contains(arrival));
    let line_of = |t: &str, needle: &str| t.lines().position(|l| l.contains(needle)).unwrap() + 1;

    let t = base.replace(
        arrival,
        r#"arrival = { rate = 5, profile = { steps = [["0s", 1]] } }"#,
    );
    expect_diag(
        &t,
        line_of(&t, "profile"),
        "workload.entries[0].arrival",
        "only one of",
    );

    let t = base.replace(
        arrival,
        r#"arrival = { profile = { steps = [["10s", 1], ["5s", 2]] } }"#,
    );
    expect_diag(
        &t,
        line_of(&t, "profile"),
        "workload.entries[0].arrival.profile.steps[1][0]",
        "strictly increasing",
    );

    let t = base.replace(
        arrival,
        r#"arrival = { profile = { diurnal = { mean = 10, amplitude = 20 } } }"#,
    );
    expect_diag(
        &t,
        line_of(&t, "diurnal"),
        "workload.entries[0].arrival.profile.diurnal.amplitude",
        "must not exceed",
    );

    let t = base.replace(arrival, r#"arrival = { process = "closed", users = 5 }"#);
    expect_diag(
        &t,
        line_of(&t, "closed"),
        "workload.entries[0].arrival.think",
        "needs `think`",
    );

    let t = base.replace(arrival, r#"arrival = { trace = "no/such.csv" }"#);
    expect_diag(
        &t,
        line_of(&t, "trace"),
        "workload.entries[0].arrival.trace",
        "cannot read trace file",
    );

    let t = base.replace("consumers = 2", "consumers = 0");
    expect_diag(
        &t,
        line_of(&t, "consumers = 0"),
        "variants[0].queues[0].consumers",
        "must be ≥ 1",
    );

    let t = base.replace("name = \"jobs\"", "name = \"jbos\"");
    expect_diag(
        &t,
        line_of(&t, "jbos"),
        "variants[0].queues[0].name",
        "no operation publishes to queue `jbos`",
    );
    expect_diag(
        &t,
        line_of(&t, "name = \"v\""),
        "variants[0].queues",
        "not configured",
    );

    let t = base.replace(
        r#"{ publish = "jobs", op = "worker.handle" }"#,
        r#"{ publish = "jobs", op = "worker.handle", timeout = "1s" }"#,
    );
    expect_diag(
        &t,
        line_of(&t, "publish"),
        "modules.producer.ops.send.calls[0].timeout",
        "not allowed on a publish",
    );

    let t = base.replace(
        r#"{ publish = "jobs", op = "worker.handle" }"#,
        r#"{ publish = "jobs", op = "worker.handle" }, { op = "worker.handle", compensate = "worker.handle" }"#,
    );
    expect_diag(
        &t,
        line_of(&t, "compensate"),
        "modules.producer.ops.send.calls[1].compensate",
        "only allowed on the steps of a `saga`",
    );

    let t = base.replace(
        r#"{ publish = "jobs", op = "worker.handle" }"#,
        r#"{ publish = "jobs", op = "worker.handle" }, { saga = [ { op = "worker.handle", p = 0.5 } ] }"#,
    );
    expect_diag(
        &t,
        line_of(&t, "saga"),
        "modules.producer.ops.send.calls[1].saga[0].p",
        "not allowed on a saga step",
    );

    for key in ["bulkhead = 3", r#"fallback = "degraded""#] {
        let t = base.replace(
            r#"{ publish = "jobs", op = "worker.handle" }"#,
            &format!(
                r#"{{ publish = "jobs", op = "worker.handle" }}, {{ saga = [ {{ op = "worker.handle" }} ], {key} }}"#
            ),
        );
        let k = key.split(' ').next().expect("a key");
        expect_diag(
            &t,
            line_of(&t, "saga"),
            &format!("modules.producer.ops.send.calls[1].{k}"),
            "is not allowed on a `saga` group",
        );
    }

    let t = base.replace("errors = 0", "errors = 1.5");
    expect_diag(
        &t,
        line_of(&t, "errors = 1.5"),
        "modules.worker.ops.handle.errors",
        "at most 1",
    );
}
