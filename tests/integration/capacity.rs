//! Capacity search against the closed form of the M/M/c queue.

use crate::common::root;
use archsim::analytic::queueing::mmc;
use archsim::plan::capacity::{capacity, CapacityOptions, Status};
use archsim::runner::RunOptions;
use archsim::spec::slo::Slo;
use assert_cmd::Command;

/// M/M/3 (μ = 1/s per server) fed by two entries with the same service: one queue, the mean
/// response time W(λ) of Erlang C for the total rate λ.
fn mm3(rate_a: f64, rate_b: f64) -> String {
    format!(
        r#"
name = "M/M/3 capacity"
seed = 3
replications = 10
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "20000s"
warmup = "2000s"
window = "1000s"
[[workload.entries]]
name = "a"
op = "station.work"
arrival = {{ process = "poisson", rate = {rate_a} }}
[[workload.entries]]
name = "b"
op = "station.work"
arrival = {{ process = "poisson", rate = {rate_b} }}
[modules.station]
ops.work = {{ cpu = {{ dist = "exp", mean = "1s" }} }}
[[variants]]
name = "single"
[[variants.units]]
name = "station"
modules = ["station"]
cores = 3
workers = 3
"#
    )
}

/// The highest total rate with W(λ) < `w`, by bisection on the closed form.
fn analytic_max_rate(w: f64) -> f64 {
    let (mut lo, mut hi) = (0.01, 2.9999);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mmc(mid, 1.0, 3).expect("stable").w < w {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

#[test]
fn mmc_capacity_lands_within_two_percent_of_the_closed_form() {
    let text = mm3(1.0, 0.5);
    let slo = Slo::parse("mean<3s").expect("slo");
    let r = capacity(&text, "mm3.toml", &slo, &CapacityOptions::default()).expect("capacity");
    let v = &r.variants[0];
    let theory = analytic_max_rate(3.0); // ≈ 2.616/s
    assert_eq!(v.status, Status::Found);
    assert!(
        (v.max_rate - theory).abs() <= 0.02 * theory,
        "max rate {} vs analytic {theory}",
        v.max_rate
    );
    // The bracket is within the precision and the boundary of the closed form lies near it.
    assert!(v.bracket[1] - v.bracket[0] <= 0.01 * v.bracket[0]);
    assert!(v.bracket[0] <= theory * 1.02 && v.bracket[1] >= theory * 0.98);
    assert_eq!(r.base_rate, 1.5);
    assert!((v.factor - v.max_rate / 1.5).abs() < 1e-12);
    // Every evaluation below the reported rate that met the SLO is a rate where it holds.
    for e in &v.evaluations {
        if e.verdict == archsim::results::slo::Verdict::Met {
            assert!(e.rate <= v.max_rate);
        }
    }
}

#[test]
fn one_entry_capacity_keeps_the_others_fixed() {
    // Entry `b` fixed at 1/s: the highest rate of `a` is the total minus 1.
    let text = mm3(0.5, 1.0);
    let slo = Slo::parse("a.mean<3s").expect("slo");
    let r = capacity(
        &text,
        "mm3.toml",
        &slo,
        &CapacityOptions {
            entry: Some("a".into()),
            run: RunOptions {
                threads: Some(2),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .expect("capacity");
    // The queue sees the total rate: its boundary is the closed form's, ≈ 2.616/s, so the
    // rate of `a` is ≈ 1.616/s. The search resolves the total within 2% (the interval of
    // `a`'s mean response is what decides, and `a` has only ~60% of the samples); relative to
    // the smaller rate of `a` alone that is ~3.3%.
    let total = analytic_max_rate(3.0);
    let v = &r.variants[0];
    assert!(
        (v.max_rate + 1.0 - total).abs() <= 0.02 * total,
        "max rate of a {} + 1 vs analytic total {total}",
        v.max_rate
    );
    // Conservative: met with 95% confidence lies below the boundary (up to the bracket width).
    assert!(v.max_rate + 1.0 <= total * 1.01);
    assert_eq!(r.entry.as_deref(), Some("a"));
}

#[test]
fn cli_writes_json_and_csv_and_rejects_bad_slos() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mm3.toml");
    std::fs::write(&file, mm3(1.0, 0.5)).expect("write");
    let json = dir.path().join("cap.json");
    let csv = dir.path().join("csv");
    Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(root())
        .arg("capacity")
        .arg(&file)
        .args([
            "--slo",
            "p99<10s,errors<0.1%",
            "--replications",
            "4",
            "--precision",
            "5%",
            "--quiet",
        ])
        .arg("--json")
        .arg(&json)
        .arg("--csv")
        .arg(&csv)
        .assert()
        .success();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("parse");
    let var = &v["variants"][0];
    assert_eq!(var["name"], "single");
    assert_eq!(var["slo"], "p99<10s,errors<0.1%");
    let lo = var["bracket"][0].as_f64().expect("low");
    let hi = var["bracket"][1].as_f64().expect("high");
    assert_eq!(var["max_rate"].as_f64(), Some(lo));
    assert!(hi > lo && hi - lo <= 0.05 * lo);
    let cap = std::fs::read_to_string(csv.join("capacity.csv")).expect("csv");
    assert!(
        cap.lines()
            .nth(1)
            .expect("row")
            .starts_with("single,found,"),
        "{cap}"
    );
    assert!(csv.join("evaluations.csv").exists());
    for (slo, msg) in [
        ("p99<300", "needs a unit"),
        ("p98<1s", "unknown metric"),
        ("c.p99<1s", "no entry named `c`"),
    ] {
        Command::cargo_bin("archsim")
            .expect("binary")
            .current_dir(root())
            .arg("capacity")
            .arg(&file)
            .args(["--slo", slo])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(msg));
    }
}
