//! Uncertain inputs, SLO probability, precision on demand, warm-up detection and tail
//! intervals.

use crate::common::{load, scenario};
use archsim::results::Results;
use archsim::runner::{self, precision, RunError, RunOptions};
use archsim::scenario::{self as sc, ScenarioError};

/// An M/M/1 station: service exp(`service`), Poisson arrivals at `rate` (TOML text, may be an
/// uncertain table), `extra` appended to the top-level keys.
fn mm1(
    rate: &str,
    service: &str,
    duration: &str,
    warmup: &str,
    window: &str,
    extra: &str,
) -> String {
    format!(
        r#"name = "mm1"
seed = 11
replications = 10
{extra}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{duration}"
warmup = "{warmup}"
window = "{window}"
[[workload.entries]]
name = "req"
op = "station.work"
arrival = {{ process = "poisson", rate = {rate} }}
[modules.station]
ops.work = {{ cpu = {{ dist = "exp", mean = "{service}" }} }}
[[variants]]
name = "single"
[[variants.units]]
name = "station"
modules = ["station"]
replicas = 1
cores = 1
workers = 1
"#
    )
}

fn run_with(s: &sc::Scenario, reps: u32) -> Results {
    let r = runner::run(
        s,
        &RunOptions {
            replications: Some(reps),
            ..Default::default()
        },
    )
    .expect("run");
    assert!(r.self_check.ok, "{:?}", r.self_check.violations);
    r
}

/// λ ~ U[50, 90]/s on an M/M/1 station with μ = 100/s; SLO: mean response < 40 ms. The
/// M/M/1 mean response is W = 1/(μ − λ), so the SLO holds iff λ < μ − 1/0.04 = 75/s:
/// P = (75 − 50)/(90 − 50) = 0.625. The reported fraction over R replications must lie in the
/// two-sided 99% binomial band around it, p ± 2.576·√(p(1−p)/R).
#[test]
fn slo_probability_matches_mm1_with_uncertain_rate() {
    let text = mm1(
        "{ uniform = [50, 90] }",
        "10ms",
        "400s",
        "20s",
        "10s",
        "slo = \"mean<40ms\"",
    );
    let s = scenario(&text);
    assert!(s.uncertain.is_some());
    let reps = 150;
    let r = run_with(&s, reps);
    let u = r.uncertainty.as_ref().expect("uncertainty section");
    let rate = &u.parameters[0];
    assert_eq!(rate.path, "workload.entries[0].arrival.rate");
    assert_eq!(rate.drawn.len(), reps as usize);
    assert!(rate.drawn.iter().all(|&x| (50.0..=90.0).contains(&x)));
    // The draws are uniform: their mean is within 99% of 70 (sd 40/√12 per draw).
    let m = rate.drawn.iter().sum::<f64>() / reps as f64;
    assert!((m - 70.0).abs() < 2.576 * 40.0 / 12f64.sqrt() / (reps as f64).sqrt());

    let p = &r.slo_probability[0];
    assert_eq!(p.replications, reps);
    assert_eq!(p.slo, "mean<40ms");
    let truth: f64 = 0.625;
    let band = 2.576 * (truth * (1.0 - truth) / reps as f64).sqrt();
    assert!(
        (p.probability - truth).abs() <= band,
        "P(meet) {} vs analytic {truth} ± {band}",
        p.probability
    );
    assert!(p.wilson95_low <= p.probability && p.probability <= p.wilson95_high);
    // Per replication, the mean response must track 1/(μ − λ) of the drawn λ: the SLO
    // verdict of a replication is the analytic one except near λ* = 75.
    let spread = &u.variants[0].entries["req"].latency_mean_s;
    assert!(spread.min < 0.04 && spread.max > 0.04);
}

/// Two identical variants see the same draws and the same streams: identical results.
#[test]
fn uncertain_draws_are_common_to_variants_and_deterministic() {
    let mut text = mm1(
        "{ normal = { mean = 60, sd = 5 } }",
        "10ms",
        "50s",
        "5s",
        "1s",
        "",
    );
    text.push_str(
        "[[variants]]\nname = \"twin\"\n[[variants.units]]\nname = \"station\"\nmodules = [\"station\"]\nreplicas = 1\ncores = 1\nworkers = 1\n",
    );
    let s = scenario(&text);
    let r = run_with(&s, 4);
    let a = serde_json::to_value(&r.variants[0].entries).expect("json");
    let b = serde_json::to_value(&r.variants[1].entries).expect("json");
    assert_eq!(a, b);
    let d = r.comparisons[0].entries["req"].latency_mean_s;
    assert_eq!((d.mean, d.ci95_low, d.ci95_high), (0.0, 0.0, 0.0));
    // Another replication count keeps the first draws (replication k depends on (seed, k)).
    let r6 = run_with(&s, 6);
    let u4 = &r.uncertainty.as_ref().expect("u").parameters[0].drawn;
    let u6 = &r6.uncertainty.as_ref().expect("u").parameters[0].drawn;
    assert_eq!(u4[..], u6[..4]);
    assert!(u4.windows(2).any(|w| w[0] != w[1]));
}

#[test]
fn uncertain_tables_are_validated_with_locations() {
    let cases = [
        (
            "{ uniform = [900, 700] }",
            "workload.entries[0].arrival.rate.uniform",
            "low end",
        ),
        (
            "{ normal = { mean = 800, sdd = 5 } }",
            "workload.entries[0].arrival.rate.normal.sdd",
            "did you mean `sd`",
        ),
        (
            "{ triangular = [1, 5, 3] }",
            "workload.entries[0].arrival.rate.triangular",
            "min ≤ mode ≤ max",
        ),
        (
            "{ lognormal = { mean = 800, cv = 0 } }",
            "workload.entries[0].arrival.rate.lognormal.cv",
            "> 0",
        ),
        (
            "{ choice = [1, 2], weights = [1] }",
            "workload.entries[0].arrival.rate.weights",
            "expected 2 values",
        ),
        (
            "{ uniform = [\"2ms\", 5] }",
            "workload.entries[0].arrival.rate.uniform",
            "same kind",
        ),
    ];
    for (rate, field, msg) in cases {
        let text = mm1(rate, "10ms", "10s", "0s", "1s", "");
        let err = sc::parse(&text, "u.toml").expect_err(rate);
        let d = err.diagnostics().expect("diagnostics");
        let first = &d.0[0];
        assert_eq!(first.field, field, "{rate}: {first}");
        assert_eq!(first.line, 15, "{rate}: {first}");
        let full = format!("{first}");
        assert!(full.contains(msg), "{rate}: {full}");
    }
    // seed decides the replications: it cannot be uncertain.
    let text =
        mm1("1", "10ms", "10s", "0s", "1s", "").replace("seed = 11", "seed = { uniform = [1, 2] }");
    let err = sc::parse(&text, "u.toml").expect_err("uncertain seed");
    assert!(format!("{err}").contains("cannot be uncertain"), "{err}");
    // A duration distribution's mean may be uncertain, with durations.
    let s = scenario(&mm1("50", "10ms", "10s", "0s", "1s", "").replace(
        "mean = \"10ms\"",
        "mean = { triangular = [\"5ms\", \"10ms\", \"15ms\"] }",
    ));
    let u = s.uncertain.as_ref().expect("uncertain");
    assert_eq!(u.params[0].path, "modules.station.ops.work.cpu.mean");
}

/// A normal rate that can go negative: the draw that does is an error naming the parameter.
#[test]
fn an_invalid_draw_names_the_parameter() {
    let s = scenario(&mm1(
        "{ normal = { mean = 1, sd = 5 } }",
        "10ms",
        "10s",
        "0s",
        "1s",
        "",
    ));
    let err = runner::run(
        &s,
        &RunOptions {
            replications: Some(20),
            ..Default::default()
        },
    )
    .expect_err("some rate is negative");
    assert!(matches!(err, RunError::Draw(_)));
    let msg = err.to_string();
    assert!(
        msg.contains("workload.entries[0].arrival.rate = -"),
        "{msg}"
    );
    assert!(msg.contains("u.toml") || msg.contains("<test>"), "{msg}");
}

/// Precision mode stops with every headline interval within the target, and reports exactly
/// what a plain run with that many replications reports.
#[test]
fn precision_mode_meets_target_and_equals_plain_run() {
    let s = scenario(&mm1("50", "10ms", "60s", "5s", "1s", ""));
    let target = 0.03;
    let opts = RunOptions {
        replications: Some(5),
        ..Default::default()
    };
    let r = precision::run_to_precision(&s, &opts, target, 400).expect("run");
    let p = r.precision.as_ref().expect("precision section");
    assert!(p.met, "{:?}", p.metrics);
    assert!(r.replications > 5, "the first batch should not suffice");
    assert_eq!(*p.batches.last().expect("batches"), r.replications);
    for v in &r.variants {
        for e in v.entries.values() {
            for st in [&e.latency_s.mean, &e.latency_s.p99, &e.throughput_per_s] {
                assert!(st.relative_half_width() <= target, "{st:?}");
            }
        }
        for n in v.units.values() {
            assert!(n.utilization.relative_half_width() <= target);
        }
    }
    let plain = runner::run(
        &s,
        &RunOptions {
            replications: Some(r.replications),
            ..Default::default()
        },
    )
    .expect("run");
    let strip = |r: &Results| {
        let mut r = r.clone();
        r.precision = None;
        runner::shard::strip_timings(&mut r);
        r.to_json()
    };
    assert_eq!(strip(&r), strip(&plain));
}

/// M/M/1 at ρ = 0.95 started empty: MSER-5 finds a positive truncation point, and the warning
/// fires with warmup = 0 but not with a warm-up past the transient.
#[test]
fn mser_finds_the_transient_of_an_empty_start() {
    let cold = scenario(&mm1("95", "10ms", "60s", "0s", "0.5s", ""));
    let r = run_with(&cold, 200);
    let w = &r.variants[0].warmup_detected["req"];
    let t = w.truncation_s.expect("long enough");
    assert!(t > 0.0, "{w:?}");
    assert!(w.warmup_too_short, "{w:?}");
    assert!(
        r.warnings.iter().any(|m| m.contains("still warming up")),
        "{:?}",
        r.warnings
    );
    let warm = scenario(&mm1("95", "10ms", "60s", "40s", "0.5s", ""));
    let r = run_with(&warm, 200);
    let w = &r.variants[0].warmup_detected["req"];
    assert!(!w.warmup_too_short, "{w:?}");
    assert!(!r.warnings.iter().any(|m| m.contains("still warming up")));
}

/// p99.9 from ~5,000 requests per replication is flagged (fewer than 10,000), p99 is not
/// (more than 1,000); with ~20,000 neither is. Six replications use the bootstrap, ten
/// Student t.
#[test]
fn tail_percentiles_flagged_and_bootstrapped() {
    let short = scenario(&mm1("50", "10ms", "100s", "5s", "1s", ""));
    let r = run_with(&short, 6);
    let l = &r.variants[0].entries["req"].latency_s;
    assert!(!l.p99_low_samples && l.p999_low_samples, "{l:?}");
    assert_eq!(l.tail_interval, "bootstrap");
    assert!(l.p99.ci95_low <= l.p99.mean && l.p99.mean <= l.p99.ci95_high);
    let text = archsim::report::render_text(&r);
    assert!(text.contains("~"), "{text}");
    assert!(text.contains("too few requests"), "{text}");
    let long = scenario(&mm1("50", "10ms", "400s", "5s", "1s", ""));
    let r = run_with(&long, 10);
    let l = &r.variants[0].entries["req"].latency_s;
    assert!(!l.p99_low_samples && !l.p999_low_samples, "{l:?}");
    assert_eq!(l.tail_interval, "student_t");
    assert!(!archsim::report::render_text(&r).contains("too few requests"));
}

/// The lesson reports a probability of meeting its SLO strictly between 0 and 1 for the
/// two-replica variant.
#[test]
fn lesson_uncertain_demand_reports_slo_probability() {
    let s = load("scenarios/lessons/uncertain-demand.toml");
    assert!(s.uncertain.is_some());
    let r = runner::run(&s, &RunOptions::default()).expect("run");
    assert!(r.self_check.ok);
    let p = r
        .slo_probability
        .iter()
        .find(|p| p.variant == "two-replicas")
        .expect("SLO probability of two-replicas");
    assert!(p.probability > 0.0 && p.probability < 1.0, "{p:?}");
    assert_eq!(p.replications, s.replications);
}

#[test]
fn bad_slo_key_is_located() {
    let text = mm1("50", "10ms", "10s", "0s", "1s", "slo = \"p99<300\"");
    let err = sc::parse(&text, "u.toml").expect_err("no unit");
    let ScenarioError::Invalid(d) = err else {
        panic!("expected diagnostics")
    };
    assert_eq!(d.0[0].field, "slo");
    assert_eq!(d.0[0].line, 4);
}
