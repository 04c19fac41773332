//! Faults against closed forms and exact counts: random failures give the time-weighted
//! availability MTBF/(MTBF+MTTR) per instance and 1−(1−A)^n for n replicas; a crash loses
//! exactly the requests in flight; a slow-down is an M/M/1 with a scaled mean and changes the
//! speed of a job in progress exactly; injected errors, added latency, partitions and a gateway
//! crash do what they say.

use crate::common::{assert_close, assert_within_ci, run, scenario};

/// One entry calling `front.go`, which calls `back.work`; `extra` is appended (faults, variant
/// keys are given by the caller).
fn chain(rate: &str, back_cpu: &str, front_call: &str, units: &str, extra: &str) -> String {
    format!(
        r#"name = "chain"
seed = 7
replications = 10
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "100s"
[[workload.entries]]
name = "req"
op = "front.go"
arrival = {rate}
[modules.front]
ops.go = {{ cpu = "0s", calls = [ {{ op = "back.work" {front_call} }} ] }}
[modules.back]
ops.work = {{ cpu = {back_cpu} }}
[[variants]]
name = "v"
{units}
{extra}
"#
    )
}

const TWO_UNITS: &str = r#"[[variants.units]]
name = "front"
modules = ["front"]
[[variants.units]]
name = "back"
modules = ["back"]
replicas = 3
"#;

#[test]
fn random_failures_match_mtbf_over_mtbf_plus_mttr() {
    let text = chain(
        r#"{ process = "poisson", rate = 1 }"#,
        r#""1ms""#,
        "",
        TWO_UNITS,
        r#"[[faults]]
kind = "crash"
target = "back"
mtbf = "4s"
mttr = "1s"
"#,
    )
    .replace(r#"duration = "2000s""#, r#"duration = "20000s""#)
    .replace("seed = 7", "seed = 2");
    let r = run(&scenario(&text));
    let back = &r.variants[0].units["back"];
    let a = 4.0 / (4.0 + 1.0);
    // Time-weighted up fraction per instance: instances up / 3.
    let up = &back.instances_up;
    let scaled = archsim::stats::stat::Stat {
        mean: up.mean / 3.0,
        ci95_low: up.ci95_low / 3.0,
        ci95_high: up.ci95_high / 3.0,
        min: up.min / 3.0,
        max: up.max / 3.0,
    };
    assert_within_ci(&scaled, a, "per-instance availability");
    // All three down at once: (1 − A)³, i.e. available 1 − (1 − A)³.
    assert_within_ci(
        &back.all_down_fraction,
        (1.0 - a).powi(3),
        "fraction of time with every replica down",
    );
    // Requests arriving while all replicas are down fail `crashed` at the unit.
    let e = &r.variants[0].entries["req"];
    assert!(e.failed_by_reason.contains_key("crashed"));
    assert!(r.variants[0].resilience.failure_origins["back"]["req"].mean > 0.0);
}

#[test]
fn a_crash_loses_exactly_the_requests_in_flight() {
    // Arrivals every 0.1 s, each held 1 s at `back` (one instance): at any instant 10 requests
    // are in it. The crash at 50.05 s loses those 10; the 50 arriving while it is down
    // (50.1 s … 55.0 s) fail at once.
    let text = chain(
        r#"{ process = "constant", rate = 10 }"#,
        r#""1s""#,
        "",
        "[[variants.units]]\nname = \"front\"\nmodules = [\"front\"]\n[[variants.units]]\nname = \"back\"\nmodules = [\"back\"]\ncores = 20\n",
        r#"[[faults]]
kind = "crash"
target = "back"
at = "50.05s"
duration = "5s"
"#,
    )
    .replace(r#"warmup = "100s""#, r#"warmup = "10s""#)
    .replace(r#"duration = "2000s""#, r#"duration = "90s""#)
    .replace("replications = 10", "replications = 2");
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let crashed = &v.entries["req"].failed_by_reason["crashed"];
    assert_eq!((crashed.min, crashed.max), (60.0, 60.0));
    let lost = &v.units["back"].crashed;
    assert_eq!((lost.min, lost.max), (10.0, 10.0));
    // Conservation: arrived = completed + failed + in flight (checked by `run`), and every
    // failure began at `back`.
    assert_eq!(v.resilience.failure_origins["back"]["req"].mean, 60.0);
    // Blast radius: degraded during the fault, recovered right after it.
    let b = &v.resilience.blast_radius[0];
    let e = &b.entries["req"];
    assert!(e.degraded);
    assert_eq!(e.availability_min, 0.0);
    // The window [55 s, 56 s) still holds the failure of 55.0 s; [56 s, 57 s) is clean.
    assert_close(
        e.recovered_after_s.expect("recovered"),
        56.0 - 55.05,
        1e-9,
        "time to recover",
    );
}

/// `api` (one instance) calls `be` (two instances) over 100 ms hops at 200 requests/s; seven
/// half-second crashes of one `be` instance early in the run, then a quiet minute.
fn answers_on_the_wire(faults: bool) -> archsim::results::Results {
    let mut text = String::from(
        r#"name = "answers on the wire"
seed = 3
replications = 2
[network]
latency = { dist = "const", value = "100ms" }
[workload]
duration = "60s"
warmup = "1s"
[[workload.entries]]
name = "e"
op = "api.get"
arrival = { process = "poisson", rate = 200 }
[modules.api]
ops.get = { cpu = { dist = "const", value = "1ms" }, calls = [{ op = "be.work" }] }
[modules.be]
ops.work = { cpu = { dist = "const", value = "1ms" } }
[[variants]]
name = "v"
[[variants.units]]
name = "api"
modules = ["api"]
[[variants.units]]
name = "be"
modules = ["be"]
replicas = 2
"#,
    );
    if faults {
        for at in 1..=7 {
            text.push_str(&format!(
                "[[faults]]\nkind = \"crash\"\ntarget = \"be\"\ninstances = 1\nat = \"{at}s\"\nduration = \"0.5s\"\n"
            ));
        }
    }
    run(&scenario(&text))
}

#[test]
fn a_crash_does_not_lose_the_answers_already_sent() {
    // An answer that left `be` before its crash is on the wire for 100 ms and reaches `api`.
    // Were it lost, its caller would wait for ever holding its worker: requests pile up in
    // flight. After the last crash (7.5 s) the system is back to its steady state, so at the
    // end the requests in flight are those of the run without faults, about λ·W = 200 × 0.2 s
    // = 40: a Poisson count, within 5 standard deviations of the mean of the quiet run.
    let quiet = answers_on_the_wire(false);
    let crashed = answers_on_the_wire(true);
    let lw = quiet.variants[0].entries["e"].in_flight.mean;
    assert!((30.0..=50.0).contains(&lw), "λW = {lw}");
    let e = &crashed.variants[0].entries["e"];
    assert!(
        e.in_flight.max <= lw + 5.0 * lw.sqrt(),
        "{} requests in flight at the end against {lw} without crashes",
        e.in_flight.max
    );
    assert!(e.failed.mean <= 10.0, "{} failed", e.failed.mean);
}

#[test]
fn a_crash_of_a_function_gives_its_instances_back() {
    // 200 invocations/s of 50 ms: 10 running on average, 30 reserved. Erlang B(30, 10) ≈ 2·10⁻⁷:
    // nothing is throttled unless the instances of crashed invocations stay taken.
    let mut text = String::from(
        r#"name = "function crash"
seed = 3
replications = 1
[network]
latency = { dist = "const", value = "1ms" }
[workload]
duration = "60s"
warmup = "1s"
[[workload.entries]]
name = "e"
op = "f.work"
arrival = { process = "poisson", rate = 200 }
[modules.f]
ops.work = { cpu = { dist = "const", value = "50ms" } }
[[variants]]
name = "v"
[[variants.units]]
name = "f"
modules = ["f"]
platform = "serverless"
runtime = "go"
reserved_concurrency = 30
"#,
    );
    for at in [10, 20, 30, 40] {
        text.push_str(&format!(
            "[[faults]]\nkind = \"crash\"\ntarget = \"f\"\nat = \"{at}s\"\nduration = \"1s\"\n"
        ));
    }
    let r = run(&scenario(&text));
    let e = &r.variants[0].entries["e"];
    assert!(
        !e.failed_by_reason.contains_key("throttled"),
        "{:?}",
        e.failed_by_reason.keys().collect::<Vec<_>>()
    );
    // What the crashes lost: the invocations running (about 10 each) and those arriving
    // while the function was down (about 200 per second of outage).
    let crashed = e.failed_by_reason["crashed"].mean;
    assert!((4.0 * 150.0..=4.0 * 260.0).contains(&crashed), "{crashed}");
}

#[test]
fn slow_on_mm1_is_mm1_with_scaled_mean() {
    // M/M/1 with S = 10 ms at λ = 50/s, slowed ×1.5 for the whole run: an M/M/1 with mean
    // 15 ms, ρ = 0.75, W = S'/(1 − ρ) = 60 ms.
    let text = chain(
        r#"{ process = "poisson", rate = 50 }"#,
        r#"{ dist = "exp", mean = "10ms" }"#,
        "",
        "[[variants.units]]\nname = \"front\"\nmodules = [\"front\"]\n[[variants.units]]\nname = \"back\"\nmodules = [\"back\"]\nworkers = 1\n",
        r#"[[faults]]
kind = "slow"
target = "back"
factor = 1.5
"#,
    )
    .replace(r#"duration = "2000s""#, r#"duration = "4000s""#);
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    assert_within_ci(
        &v.entries["req"].latency_s.mean,
        0.015 / (1.0 - 0.75),
        "M/M/1 W",
    );
    assert_within_ci(&v.units["back"].utilization, 0.75, "utilization");
}

#[test]
fn slow_changes_the_speed_of_a_job_in_progress_exactly() {
    // A request every 10 s needing 2 s; from 11 s the unit runs at half speed. The request of
    // 10 s has 1 s of work left at 11 s, done at half speed in 2 s: latency 3 s. The next one
    // (20 s) would take 4 s and is still running at the end (20.5 s).
    let text = chain(
        r#"{ process = "constant", rate = 0.1 }"#,
        r#""2s""#,
        "",
        "[[variants.units]]\nname = \"front\"\nmodules = [\"front\"]\n[[variants.units]]\nname = \"back\"\nmodules = [\"back\"]\n",
        r#"[[faults]]
kind = "slow"
target = "back"
factor = 2
at = "11s"
"#,
    )
    .replace(r#"warmup = "100s""#, r#"warmup = "0s""#)
    .replace(r#"duration = "2000s""#, r#"duration = "20.5s""#)
    .replace("replications = 10", "replications = 2");
    let r = run(&scenario(&text));
    let e = &r.variants[0].entries["req"];
    assert_eq!(e.completed.mean, 1.0);
    assert_eq!(e.in_flight.mean, 1.0);
    assert_close(
        e.latency_s.mean.mean,
        3.0,
        1e-9,
        "latency across the speed change",
    );
}

#[test]
fn injected_errors_fail_at_the_given_rate() {
    let text = chain(
        r#"{ process = "poisson", rate = 20 }"#,
        r#""1ms""#,
        "",
        TWO_UNITS,
        r#"[[faults]]
kind = "error"
target = "back"
rate = 0.3
"#,
    );
    let r = run(&scenario(&text));
    let e = &r.variants[0].entries["req"];
    assert_within_ci(&e.success_ratio, 0.7, "success with 30 % injected errors");
    assert!(e.failed_by_reason.keys().all(|k| k == "error"));
}

#[test]
fn added_latency_and_gateway_crash() {
    // Constant demand 1 ms; 200 ms added per call to `back` from 10 s to 20 s; the gateway is
    // down from 30 s to 31 s (all 10 requests of that second fail `crashed` at the gateway).
    let text = chain(
        r#"{ process = "constant", rate = 10 }"#,
        r#""1ms""#,
        "",
        &format!("gateway = {{ overhead = \"0s\" }}\n{TWO_UNITS}"),
        r#"[[faults]]
kind = "latency"
target = "back"
added = "200ms"
at = "10s"
duration = "10s"
[[faults]]
kind = "crash"
target = "gateway"
at = "30.05s"
duration = "1s"
"#,
    )
    .replace(r#"warmup = "100s""#, r#"warmup = "0s""#)
    .replace(r#"duration = "2000s""#, r#"duration = "40.05s""#)
    .replace("replications = 10", "replications = 2");
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let e = &v.entries["req"];
    // 400 arrivals (0.1 s … 40.0 s); 10 failed at the gateway; of the 390 answered, the 100
    // arriving in [10 s, 20 s) took 201 ms, the others 1 ms.
    assert_eq!(e.failed_by_reason["crashed"].mean, 10.0);
    assert_eq!(v.resilience.failure_origins["gateway"]["req"].mean, 10.0);
    let expect = (100.0 * 0.201 + 290.0 * 0.001) / 390.0;
    assert_close(
        e.latency_s.mean.mean,
        expect,
        1e-6,
        "mean latency with added latency",
    );
}

#[test]
fn a_partition_fails_calls_across_it_only() {
    let text = chain(
        r#"{ process = "poisson", rate = 10 }"#,
        r#""1ms""#,
        "",
        TWO_UNITS,
        r#"[[faults]]
kind = "partition"
groups = [["front"], ["back"]]
at = "500s"
duration = "500s"
"#,
    )
    .replace(r#"duration = "2000s""#, r#"duration = "1900s""#);
    let r = run(&scenario(&text));
    let e = &r.variants[0].entries["req"];
    // Measured from 100 s to 2000 s; partitioned 500 s of 1900 s.
    assert_within_ci(
        &e.success_ratio,
        1.0 - 500.0 / 1900.0,
        "success outside the partition",
    );
    assert!(e.failed_by_reason.keys().all(|k| k == "error"));
}

/// The diagnostics of a scenario that must not load.
fn errors(text: &str) -> Vec<archsim::scenario::Diagnostic> {
    match archsim::scenario::parse(text, "bad.toml") {
        Ok(_) => panic!("expected errors"),
        Err(e) => e
            .diagnostics()
            .expect("diagnostics, not an io error")
            .iter()
            .cloned()
            .collect(),
    }
}

#[track_caller]
fn has(d: &[archsim::scenario::Diagnostic], field: &str, text: &str) {
    assert!(
        d.iter().any(|x| x.field == field
            && (x.message.contains(text) || x.help.as_deref().unwrap_or("").contains(text))),
        "no diagnostic on `{field}` containing `{text}` in {d:#?}"
    );
}

#[test]
fn bad_faults_and_policies_are_located_errors() {
    let base = |extra: &str, call: &str, unit: &str| {
        chain(
            r#"{ process = "poisson", rate = 1 }"#,
            r#""1ms""#,
            call,
            &format!("{TWO_UNITS}{unit}"),
            extra,
        )
    };
    let d = errors(&base(
        "[[faults]]\nkind = \"crash\"\ntarget = \"bakc\"\n",
        "",
        "",
    ));
    has(&d, "faults[0].target", "did you mean `back`?");
    let d = errors(&base(
        "[[faults]]\nkind = \"crash\"\ntarget = \"back\"\nfactor = 2\n",
        "",
        "",
    ));
    has(&d, "faults[0].factor", "does not apply to kind = \"crash\"");
    let d = errors(&base(
        "[[faults]]\nkind = \"slow\"\ntarget = \"back\"\n",
        "",
        "",
    ));
    has(&d, "faults[0].factor", "needs `factor`");
    let d = errors(&base(
        "[[faults]]\nkind = \"host_outage\"\ntarget = \"back\"\n",
        "",
        "",
    ));
    has(&d, "faults[0].target", "is no host of any variant");
    let d = errors(&base(
        "[[faults]]\nkind = \"crash\"\ntarget = \"back\"\nmtbf = \"1h\"\n",
        "",
        "",
    ));
    has(&d, "faults[0].mtbf", "both `mtbf` and `mttr`");
    let d = errors(&base(
        "[[faults]]\nkind = \"partition\"\ngroups = [[\"front\"]]\n",
        "",
        "",
    ));
    has(&d, "faults[0].groups", "two non-empty lists");
    let d = errors(&base(
        "",
        r#", retry = { attempts = 0, base = "2s", cap = "1s" }, bulkhead = 0"#,
        "",
    ));
    has(&d, "modules.front.ops.go.calls[0].retry.attempts", "≥ 1");
    has(&d, "modules.front.ops.go.calls[0].retry.cap", "≥ the base");
    has(
        &d,
        "modules.front.ops.go.calls[0].bulkhead",
        "an integer from 1",
    );
    // A window of 20 calls never reaches the default 100 calls before evaluating.
    let d = errors(&base("", r#", breaker = { window = 20 }"#, ""));
    has(
        &d,
        "modules.front.ops.go.calls[0].breaker.window",
        "`min_calls` (100) exceeds the window of the last 20 calls",
    );
    let d = errors(&base(
        "",
        r#", breaker = { window = 20, min_calls = 21 }"#,
        "",
    ));
    has(
        &d,
        "modules.front.ops.go.calls[0].breaker.min_calls",
        "could never open",
    );
    // Without `cap`, the base is held to the default cap (20 s).
    let d = errors(&base("", r#", retry = { base = "1m" }"#, ""));
    has(
        &d,
        "modules.front.ops.go.calls[0].retry.base",
        "≤ the cap, 20 s when `cap` is not written",
    );
    let d = errors(&base(
        "",
        r#", breaker = { window = "abc", failure_rate = 1.5 }"#,
        "",
    ));
    has(
        &d,
        "modules.front.ops.go.calls[0].breaker.failure_rate",
        "at most 1",
    );
    assert!(d
        .iter()
        .any(|x| x.field == "modules.front.ops.go.calls[0].breaker.window"));
    let d = errors(&base(
        "",
        "",
        "io = \"async\"\nshed = { max_wait = \"10ms\" }\n",
    ));
    has(&d, "variants[0].units[1].shed", "not supported yet");
}

#[test]
fn faults_and_policies_are_deterministic_across_thread_counts() {
    use archsim::runner::{self, RunOptions};
    let s = crate::common::load("scenarios/lessons/cascading-failure.toml");
    let json = |threads| {
        let r = runner::run(
            &s,
            &RunOptions {
                threads: Some(threads),
                replications: Some(3),
                ..Default::default()
            },
        )
        .expect("run");
        let mut v = serde_json::to_value(&r).expect("serializable");
        for var in v["variants"].as_array_mut().expect("variants") {
            var["engine"] = serde_json::Value::Null;
        }
        serde_json::to_string(&v).expect("json")
    };
    assert_eq!(json(1), json(2));
}

#[test]
fn a_fault_on_a_module_of_a_variant_without_units_is_the_variant_s_error_only() {
    // A second variant not filled in yet: its module is in no unit. The fault on the module
    // (a `slow` one looks at the unit's cores) must not index a unit that does not exist, and
    // says nothing more than the variant's own error.
    let d = errors(
        r#"name = "x"
[workload]
duration = "2s"
[[workload.entries]]
name = "req"
op = "a.x"
arrival = { rate = 5 }
[modules.a]
ops.x = { cpu = "1ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "u"
modules = ["a"]
[[variants]]
name = "w"
[[faults]]
kind = "slow"
target = "a"
factor = 2
[[faults]]
kind = "partition"
groups = [["a"], ["u"]]
"#,
    );
    has(&d, "variants[1].units", "has no units");
    // The partition names the unit `u`, which variant `w` lacks: that one is the fault's.
    has(&d, "faults[1].groups[1][0]", "`u` is no unit");
    assert_eq!(d.len(), 2, "{d:#?}");
}
