//! Search verdicts that can fail: an SLO that cannot detect overload, an SLO no rate meets,
//! and the wording of verdicts made on one replication (capacity, right-sizing, sweeps).

use crate::common::root;
use archsim::app::plan::{run_capacity, CapacityRequest};
use archsim::app::RunSlot;
use archsim::plan::capacity::{capacity, CapacityOptions, Status};
use archsim::runner::RunOptions;
use archsim::spec::slo::Slo;
use assert_cmd::Command;

/// One station, one core, one worker, the entry `req` at `rate`/s; `service` is the demand
/// (a TOML value), `extra` more keys of the entry.
fn station(rate: f64, service: &str, extra: &str, duration: &str) -> String {
    format!(
        r#"
name = "one station"
seed = 7
replications = 4
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{duration}"
warmup = "100s"
[[workload.entries]]
name = "req"
op = "station.work"
arrival = {{ process = "poisson", rate = {rate} }}
{extra}
[modules.station]
ops.work = {{ cpu = {service} }}
[[variants]]
name = "single"
[[variants.units]]
name = "station"
modules = ["station"]
cores = 1
workers = 1
"#
    )
}

fn opts(threads: usize) -> CapacityOptions<'static> {
    CapacityOptions {
        run: RunOptions {
            threads: Some(threads),
            ..Default::default()
        },
        precision: 0.05,
        ..Default::default()
    }
}

#[test]
fn errors_only_slo_without_timeouts_stops_instead_of_doubling() {
    // M/M/1 with μ = 1/s and nothing that fails a request: errors are 0 at every rate, even
    // far beyond saturation, so the search would double 20 times (2^20 × today's rate).
    let text = station(0.5, r#"{ dist = "exp", mean = "1s" }"#, "", "2000s");
    let slo = Slo::parse("errors<1%").expect("slo");
    let r = capacity(&text, "one.toml", &slo, &opts(2)).expect("capacity");
    let v = &r.variants[0];
    assert_eq!(v.status, Status::OverloadUndetectable);
    assert_eq!(v.status.name(), "overload_undetectable");
    assert!(
        v.evaluations.iter().all(|e| e.rate <= 0.5),
        "{:?}",
        v.evaluations
    );
    assert!(v.evaluations.is_empty());
    assert_eq!(v.max_rate, 0.0);
    let why = v.reason.as_deref().expect("reason");
    assert!(
        why.contains("cannot detect overload") && why.contains("`req`"),
        "{why}"
    );
    // The same SLO with a client timeout sees overload: the search brackets a rate below the
    // station's capacity (1/s), and never tries more than twice that.
    let timed = station(
        0.5,
        r#"{ dist = "exp", mean = "1s" }"#,
        r#"timeout = "20s""#,
        "2000s",
    );
    let r = capacity(&timed, "one.toml", &slo, &opts(2)).expect("capacity");
    let v = &r.variants[0];
    assert_eq!(v.status, Status::Found, "{:?}", v.reason);
    assert!(v.max_rate > 0.1 && v.max_rate < 1.0, "{}", v.max_rate);
    assert!(
        v.evaluations.iter().all(|e| e.rate <= 2.0),
        "{:?}",
        v.evaluations
    );
    // An availability clause is blind too; a latency clause is not.
    let slo = Slo::parse("availability>=99%").expect("slo");
    let r = capacity(&text, "one.toml", &slo, &opts(2)).expect("capacity");
    assert_eq!(r.variants[0].status, Status::OverloadUndetectable);
    let slo = Slo::parse("errors<1%,mean<4s").expect("slo");
    let r = capacity(&text, "one.toml", &slo, &opts(2)).expect("capacity");
    assert_eq!(r.variants[0].status, Status::Found);
}

#[test]
fn errors_only_slo_without_timeouts_is_bad_input_for_the_cli() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("one.toml");
    std::fs::write(
        &file,
        station(0.5, r#"{ dist = "exp", mean = "1s" }"#, "", "2000s"),
    )
    .expect("write");
    let json = dir.path().join("cap.json");
    let out = Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(root())
        .arg("capacity")
        .arg(&file)
        .args(["--slo", "errors<0.1%", "--threads", "1"])
        .arg("--json")
        .arg(&json)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("cannot detect overload"), "{stdout}");
    assert!(stderr.contains("cannot detect overload"), "{stderr}");
    // What could be answered is still written.
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("parse");
    assert_eq!(v["variants"][0]["status"], "overload_undetectable");
    assert_eq!(
        v["variants"][0]["evaluations"].as_array().map(Vec::len),
        Some(0)
    );
    // Right-sizing refuses it the same way (a plan of one replica far past saturation would
    // "meet" it).
    Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(root())
        .arg("rightsize")
        .arg(&file)
        .args(["--slo", "errors<0.1%", "--rate", "5", "--quiet"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot detect overload"));
}

#[test]
fn a_latency_below_the_fastest_request_is_not_met_at_any_rate() {
    // Exponential service: no deterministic floor above 0, so the vanishing-load check decides
    // (the estimate's zero-load mean, 1 s, is far above 1 ns): one evaluation, at ρ ≈ 1%.
    let text = station(0.8, r#"{ dist = "exp", mean = "1s" }"#, "", "20000s");
    let slo = Slo::parse("p99<1ns").expect("slo");
    let r = capacity(&text, "one.toml", &slo, &opts(2)).expect("capacity");
    let v = &r.variants[0];
    assert_eq!(v.status, Status::NotMetAtAnyRate, "{:?}", v.reason);
    assert_eq!(v.status.name(), "not_met_at_any_rate");
    assert_eq!(v.max_rate, 0.0);
    assert_eq!(v.evaluations.len(), 1, "{:?}", v.evaluations);
    // 200 requests per replication over 20,000 s: 0.01/s, ρ = 1%.
    assert!(
        (v.evaluations[0].rate - 0.01).abs() < 1e-9,
        "{:?}",
        v.evaluations
    );
    assert!(v
        .reason
        .as_deref()
        .unwrap_or("")
        .contains("not met at any rate"));
    // Constant service of 10 ms: every request takes at least 10 ms, whatever the load, so
    // `p99<9ms` is refused without simulating anything.
    let text = station(5.0, r#""10ms""#, "", "2000s");
    let slo = Slo::parse("p99<9ms").expect("slo");
    let r = capacity(&text, "one.toml", &slo, &opts(2)).expect("capacity");
    let v = &r.variants[0];
    assert_eq!(v.status, Status::NotMetAtAnyRate);
    assert!(v.evaluations.is_empty());
    assert!(
        v.reason.as_deref().unwrap_or("").contains("10.00 ms"),
        "{:?}",
        v.reason
    );
}

#[test]
fn a_tight_slo_near_the_floor_is_not_refused() {
    // M/D/1, D = 10 ms (μ = 100/s): a request waits with probability ρ (M/G/1), so
    // `p90<10.5ms` holds while ρ < 10% and fails once ρ·P(residual > 0.5 ms) = 0.95·ρ > 10%,
    // i.e. the boundary lies between 10/s and 10.53/s. Only 5% above the floor.
    let text = station(5.0, r#""10ms""#, "", "2000s");
    let slo = Slo::parse("p90<10.5ms").expect("slo");
    let r = capacity(&text, "one.toml", &slo, &opts(2)).expect("capacity");
    let v = &r.variants[0];
    assert_eq!(v.status, Status::Found, "{:?}", v.reason);
    assert!(v.max_rate > 5.0 && v.max_rate < 10.6, "{}", v.max_rate);
    // M/M/1, μ = 1/s: the estimate's zero-load mean (1 s) exceeds `p50<0.9s`, yet the median
    // response ln 2/(μ − λ) is below 0.9 s for λ < 1 − ln 2/0.9 ≈ 0.23/s: the vanishing-load
    // check simulates and the search goes on to the boundary.
    let text = station(0.8, r#"{ dist = "exp", mean = "1s" }"#, "", "20000s");
    let slo = Slo::parse("p50<0.9s").expect("slo");
    let mut o = opts(2);
    o.run.replications = Some(10);
    let r = capacity(&text, "one.toml", &slo, &o).expect("capacity");
    let v = &r.variants[0];
    let theory = 1.0 - std::f64::consts::LN_2 / 0.9;
    assert_eq!(v.status, Status::Found, "{:?}", v.reason);
    assert!(
        v.max_rate > 0.6 * theory && v.max_rate < 1.05 * theory,
        "{} vs {theory}",
        v.max_rate
    );
}

#[test]
fn one_replication_never_claims_95_percent_confidence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("one.toml");
    std::fs::write(
        &file,
        station(0.3, r#"{ dist = "exp", mean = "1s" }"#, "", "4000s"),
    )
    .expect("write");
    let json = dir.path().join("cap.json");
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("archsim")
            .expect("binary")
            .current_dir(root())
            .args(args)
            .arg(&file)
            .args(["--replications", "1", "--threads", "1"])
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    for out in [
        run(&[
            "capacity",
            "--slo",
            "mean<3s",
            "--precision",
            "5%",
            "--json",
            json.to_str().unwrap_or(""),
        ]),
        run(&[
            "rightsize",
            "--slo",
            "mean<3s",
            "--rate",
            "0.5",
            "--search",
            "replicas",
        ]),
        run(&[
            "sweep",
            "--set",
            "workload.entries.req.arrival.rate=0.2,0.4",
        ]),
    ] {
        assert!(!out.contains("95%"), "{out}");
        assert!(!out.contains("with confidence"), "{out}");
        assert!(out.contains("one replication"), "{out}");
    }
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("parse");
    assert_eq!(v["intervals"], false);
    assert_eq!(v["variants"][0]["status"], "found");
    // With two replications the verdicts are made with 95% confidence and say so.
    let out = Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(root())
        .arg("capacity")
        .arg(&file)
        .args([
            "--slo",
            "mean<3s",
            "--precision",
            "5%",
            "--replications",
            "2",
            "--threads",
            "1",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stdout).contains("met with 95% confidence"));
}

#[test]
fn the_app_planning_request_returns_the_new_statuses() {
    // What the desktop app's `run_capacity` command delegates to, serialized as it crosses IPC.
    let slot = RunSlot::default();
    let mut statuses = Vec::new();
    for (slo, service) in [
        ("errors<1%", r#"{ dist = "exp", mean = "1s" }"#),
        ("p99<9ms", r#""10ms""#),
    ] {
        let req = CapacityRequest {
            text: station(0.5, service, "", "2000s"),
            file_name: "one.toml".into(),
            slo: slo.into(),
            threads: Some(1),
            ..Default::default()
        };
        let out = run_capacity(&req, &slot, &|_| {}).expect("capacity");
        let json = serde_json::to_value(&out).expect("json");
        let v = &json["results"]["variants"][0];
        assert!(v["reason"].as_str().is_some_and(|r| !r.is_empty()), "{v}");
        assert_eq!(json["results"]["intervals"], true);
        statuses.push(v["status"].as_str().unwrap_or("").to_string());
    }
    assert_eq!(statuses, ["overload_undetectable", "not_met_at_any_rate"]);
}
