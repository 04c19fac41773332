//! The command line: every class of bad input exits 2 with a message naming the file, line,
//! field and what is expected; the good paths write what they promise.

use crate::common::root;
use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn archsim() -> Command {
    let mut c = Command::cargo_bin("archsim").expect("binary");
    c.current_dir(root());
    c
}

fn shop() -> String {
    std::fs::read_to_string(root().join("scenarios/online-shop.toml")).expect("scenario")
}

/// Writes `text` as `name` in a fresh temporary directory.
fn file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join(name);
    std::fs::write(&p, text).expect("write");
    (dir, p)
}

/// Runs `archsim run` (and `validate`) on a broken scenario and checks exit 2 and the message.
fn bad(name: &str, text: &str, expected: &[&str]) {
    let (_dir, p) = file(name, text);
    for cmd in ["run", "validate"] {
        let out = archsim().arg(cmd).arg(&p).output().expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{cmd} {name}: exit status; stderr:\n{err}"
        );
        assert!(err.contains(name), "{cmd} {name}: names the file:\n{err}");
        for e in expected {
            assert!(err.contains(e), "{cmd} {name}: expected `{e}` in:\n{err}");
        }
        assert!(!err.contains("panicked"), "{cmd} {name}: panicked:\n{err}");
    }
}

fn edit(from: &str, to: &str) -> String {
    let s = shop();
    assert!(s.contains(from), "test edit `{from}` not found");
    s.replacen(from, to, 1)
}

/// `:LINE:` of the first line of the online shop containing `needle`, as it appears in a
/// diagnostic.
fn line_of(needle: &str) -> String {
    let n = shop()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in the scenario"));
    format!(":{}:", n + 1)
}

#[test]
fn toml_syntax_error() {
    let at = format!("syntax.toml{}", line_of("seed = 42"));
    bad(
        "syntax.toml",
        &edit("seed = 42", "seed = = 42"),
        &[&at, "syntax"],
    );
}

#[test]
fn empty_file() {
    bad("empty.toml", "", &["empty.toml:1:1", "empty"]);
    bad(
        "comments.toml",
        "# nothing here\n",
        &["comments.toml:", "empty"],
    );
}

#[test]
fn unknown_operation_with_did_you_mean() {
    bad(
        "typo.toml",
        &edit(
            r#"{ op = "payments.charge" }"#,
            r#"{ op = "payments.charg" }"#,
        ),
        &[
            &line_of(r#"{ op = "payments.charge" }"#),
            "modules.orders.ops.checkout.calls[0].op",
            "payments.charge",
        ],
    );
}

#[test]
fn unknown_module_with_did_you_mean() {
    bad(
        "module.toml",
        &edit(r#"op = "catalog.browse""#, r#"op = "catalgo.browse""#),
        &["workload.entries[0].op", "did you mean", "catalog.browse"],
    );
}

#[test]
fn unknown_key_is_a_typo_not_ignored() {
    bad(
        "key.toml",
        &edit("workers = 200", "wokers = 200"),
        &["wokers", "workers"],
    );
}

#[test]
fn cycle_of_synchronous_calls_is_printed() {
    bad(
        "cycle.toml",
        &edit(
            r#"ops.charge = { cpu = { dist = "exp", mean = "6ms" }, payload = "1KB" }"#,
            r#"ops.charge = { cpu = "6ms", calls = [ { op = "orders.checkout" } ] }"#,
        ),
        &[
            "cycle",
            "payments.charge -> orders.checkout -> payments.charge",
        ],
    );
}

#[test]
fn zero_and_negative_rates() {
    bad(
        "zero.toml",
        &edit("rate = 800", "rate = 0"),
        &[
            &line_of("rate = 800"),
            "workload.entries[0].arrival.rate",
            "> 0",
        ],
    );
    bad(
        "negative.toml",
        &edit("rate = 50", "rate = -50"),
        &["workload.entries[1].arrival.rate", "-50"],
    );
}

#[test]
fn bare_number_where_a_duration_is_needed() {
    bad(
        "bare.toml",
        &edit(r#"duration = "2m""#, "duration = 120"),
        &[&line_of(r#"duration = "2m""#), "workload.duration", "unit"],
    );
}

#[test]
fn module_in_no_unit_or_in_two() {
    bad(
        "nounit.toml",
        &edit(
            r#"modules = ["catalog", "orders", "payments", "inventory"]"#,
            r#"modules = ["catalog", "orders", "payments"]"#,
        ),
        &["inventory", "monolith"],
    );
    bad(
        "twounits.toml",
        &edit(
            r#"modules = ["payments"]"#,
            r#"modules = ["payments", "orders"]"#,
        ),
        &["orders", "payments"],
    );
}

#[test]
fn unknown_distribution_name() {
    bad(
        "dist.toml",
        &edit(
            r#"dist = "exp", mean = "6ms""#,
            r#"dist = "expo", mean = "6ms""#,
        ),
        &["expo", "exp"],
    );
}

#[test]
fn absurd_sizes() {
    bad(
        "huge.toml",
        &edit("replicas = 3\ncores = 4", "replicas = 3000000\ncores = 4"),
        &["replicas"],
    );
}

#[test]
fn missing_file() {
    // A path that names no file is bad input (exit 2, README "Exit codes").
    archsim()
        .args(["run", "no/such/file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/file.toml"));
}

#[test]
fn unknown_variant() {
    archsim()
        .args([
            "run",
            "scenarios/online-shop.toml",
            "--variant",
            "serverles",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("serverles").and(predicate::str::contains("monolith")));
}

#[test]
fn work_guard_refuses_huge_runs_and_says_how_to_override() {
    let out = archsim()
        .args(["run", "scenarios/queueing/mm1.toml", "--max-events", "1000"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("events"), "{err}");
    // The limit it suggests is enough.
    let suggested = err
        .split("--max-events ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or_else(|| panic!("no suggestion in: {err}"));
    archsim()
        .args(["run", "scenarios/queueing/mm1.toml", "--quiet"])
        .args(["--max-events", suggested])
        .assert()
        .success();
}

#[test]
fn work_guard_message_is_the_application_layers() {
    // The CLI prints the message of the application layer's refusal, which the desktop app
    // sends as `too_much_work`: one guard, one message.
    let file = "scenarios/queueing/mm1.toml";
    let out = archsim()
        .args(["run", file, "--max-events", "1000"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let text = std::fs::read_to_string(root().join(file)).expect("scenario");
    let req = archsim::app::run::RunRequest {
        text,
        file_name: file.into(),
        max_events: Some(1000.0),
        ..Default::default()
    };
    let e = archsim::app::run::prepare(&req).expect_err("too much work");
    assert_eq!(e.code(), archsim::app::ErrorCode::TooMuchWork);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("error: {e}\n")
    );
    // and a sweep's guard, per point
    let out = archsim()
        .args([
            "sweep",
            file,
            "--set",
            "workload.entries.req.arrival.rate=0.2,0.4",
        ])
        .args(["--max-events", "1000"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let req = archsim::app::plan::SweepRequest {
        text: std::fs::read_to_string(root().join(file)).expect("scenario"),
        file_name: file.into(),
        sets: vec!["workload.entries.req.arrival.rate=0.2,0.4".into()],
        max_events: Some(1000.0),
        ..Default::default()
    };
    let e = archsim::app::plan::prepare_sweep(&req).expect_err("too much work");
    assert_eq!(e.code(), archsim::app::ErrorCode::TooMuchWork);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("error: {e}\n")
    );
}

#[test]
fn run_writes_json_and_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("out.json");
    let csv = dir.path().join("csv");
    archsim()
        .args([
            "run",
            "scenarios/queueing/mm2k.toml",
            "--replications",
            "3",
            "--json",
        ])
        .arg(&json)
        .arg("--csv")
        .arg(&csv)
        .assert()
        .success()
        .stdout(predicate::str::contains("self-check: ok"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("valid");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["replications"], 3);
    let e = &v["variants"][0]["entries"]["req"];
    for k in ["completed", "failed", "throughput_per_s", "success_ratio"] {
        assert!(e[k]["mean"].is_number(), "{k}");
        assert!(e[k]["ci95_low"].is_number(), "{k}");
    }
    assert!(
        e["failed_by_reason"]["rejected"]["mean"]
            .as_f64()
            .expect("n")
            > 0.0
    );
    assert!(e["latency_s"]["p999"]["max"].is_number());
    assert!(v["variants"][0]["units"]["station"]["utilization"]["mean"].is_number());
    for f in ["entries.csv", "nodes.csv", "series.csv"] {
        let text = std::fs::read_to_string(csv.join(f)).expect(f);
        assert!(text.lines().count() >= 2, "{f} has rows");
    }
}

#[test]
fn run_prints_paired_differences() {
    archsim()
        .args([
            "run",
            "scenarios/online-shop.toml",
            "--replications",
            "2",
            "--quiet",
            "--json",
            "-",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"comparisons\""));
    archsim()
        .args(["run", "scenarios/online-shop.toml", "--replications", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("microservices − monolith, browse"));
}

#[test]
fn validate_prints_the_estimate_and_warns_on_overload() {
    archsim()
        .args(["validate", "scenarios/queueing/mm3.toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains("station").and(predicate::str::contains("0.800")));
    let (_d, p) = file("over.toml", &edit("rate = 800", "rate = 8000"));
    archsim()
        .arg("validate")
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains("warning"));
}

#[test]
fn schema_is_json() {
    let out = archsim().arg("schema").output().expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json schema");
    assert!(v["properties"]["workload"].is_object() || v["$defs"].is_object());
}

#[test]
fn bench_prints_json_lines() {
    archsim()
        .args(["bench", "--model", "mm1", "--customers", "2000", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"customers_per_s\""));
    archsim()
        .args(["bench", "--model", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mm1"));
}

#[test]
fn rightsize_search_list_typo() {
    archsim()
        .args([
            "rightsize",
            "scenarios/lessons/black-friday.toml",
            "--slo",
            "p99<1s",
            "--rate",
            "10",
            "--search",
            "replicas,memroy",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--search")
                .and(predicate::str::contains("did you mean `memory`")),
        );
}

#[test]
fn an_error_says_its_cause_once() {
    // The cause of an error whose message already quotes it is not printed a second time.
    let out = archsim()
        .args(["run", "no-such-file.toml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read scenario file"), "{err}");
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
    let shop = root().join("scenarios/online-shop.toml");
    let out = archsim()
        .args(["sweep"])
        .arg(&shop)
        .args(["--set", "workload.entries.browze.arrival.rate=1,2"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("did you mean `browse`").count(), 1, "{err}");
    let out = archsim()
        .args(["rightsize"])
        .arg(&shop)
        .args(["--slo", "p99<300ms", "--rate", "0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: --rate 0: "), "{err}");
}

#[test]
fn run_prints_the_latency_anatomy_and_the_verdict() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = archsim()
        .args(["run", "scenarios/online-shop.toml", "--csv"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "Latency anatomy of `monolith`, browse",
        "Latency anatomy of `microservices`, checkout",
        "│ gateway: service ",
        "total (mean latency)",
        "slowest 1% of `browse`: ",
        "microservices − monolith, browse: +",
        "= service (CPU demand) +",
        "\nVerdict\n",
        "    `browse`: slower than `monolith` by ",
        "Biggest contributors: service (CPU demand)",
    ] {
        assert!(text.contains(needle), "`{needle}` not in:\n{text}");
    }
    let csv = std::fs::read_to_string(dir.path().join("anatomy.csv")).expect("anatomy.csv");
    assert!(csv.starts_with("variant,entry,scope,part,kind,mean_s,ci95_low,ci95_high,share\n"));
    for scope in [",mean,", ",p99_tail,", ",diff,"] {
        assert!(csv.contains(scope), "no `{scope}` row in anatomy.csv");
    }
}
