//! Sweeps: each point equals a plain run of the scenario with the value set, the output does
//! not depend on the thread count, the knee is where the closed form puts it, and sharded runs
//! and sweeps merge into exactly the unsharded documents.

use crate::common::root;
use archsim::plan::sweep::{self, Axis, KneeRule, SweepOptions};
use archsim::runner::{self, RunOptions};
use archsim::scenario::params::{self, ParamValue};
use assert_cmd::Command;

/// An M/M/1 station (μ = 1/s), long enough for p99 estimates within a few percent.
const MM1: &str = r#"
name = "M/M/1 sweep"
seed = 7
replications = 4
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "20000s"
warmup = "2000s"
window = "1000s"
[[workload.entries]]
name = "req"
op = "station.work"
arrival = { process = "poisson", rate = 0.5 }
[modules.station]
ops.work = { cpu = { dist = "exp", mean = "1s" } }
[[variants]]
name = "single"
[[variants.units]]
name = "station"
modules = ["station"]
workers = 1
[[variants]]
name = "double"
[[variants.units]]
name = "station"
modules = ["station"]
cores = 2
workers = 2
"#;

const RATE: &str = "workload.entries.req.arrival.rate";

fn without_timings(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(vs) = v.get_mut("variants").and_then(|x| x.as_array_mut()) {
        for var in vs {
            if let Some(e) = var.get_mut("engine").and_then(|e| e.as_object_mut()) {
                e.remove("wall_s");
                e.remove("events_per_s");
            }
        }
    }
    v
}

#[test]
fn every_point_equals_a_plain_run_with_the_value_set() {
    let axis = Axis::parse(&format!("{RATE}=0.2,0.5,0.8")).expect("axis");
    let points = sweep::points(MM1, "mm1.toml", &[axis]).expect("points");
    let opts = SweepOptions {
        run: RunOptions {
            replications: Some(2),
            threads: Some(2),
            ..Default::default()
        },
        ..Default::default()
    };
    let r = sweep::sweep("M/M/1 sweep", &[RATE.to_string()], &points, &opts).expect("sweep");
    assert_eq!(r.points.len(), 3);
    for (p, rate) in r.points.iter().zip([0.2, 0.5, 0.8]) {
        assert_eq!(p.values[RATE], rate);
        let text = params::set(MM1, RATE, &ParamValue::number(rate), false).expect("set");
        let s = archsim::scenario::parse(&text, "mm1.toml").expect("parse");
        let alone = runner::run(
            &s,
            &RunOptions {
                replications: Some(2),
                threads: Some(1),
                ..Default::default()
            },
        )
        .expect("run");
        let a = without_timings(serde_json::json!({ "variants": alone.variants }));
        let b = without_timings(serde_json::json!({ "variants": p.variants }));
        assert_eq!(a, b, "point at rate {rate} differs from a plain run");
        assert!(p.self_check.ok);
    }
}

/// p99 of the M/M/1 response time: ln(100)/(μ − λ). With λ = 0.1, 0.3, 0.45, 0.7, 0.85 the
/// ratio to the first point is 1, 1.29, 1.64, 3.0, 6.0: with the default factor 2 the knee
/// of `single` is at 0.7, far from the threshold on both sides (the p99 estimates are within
/// a few percent).
#[test]
fn knee_is_where_the_closed_form_puts_it() {
    let axis = Axis::parse(&format!("{RATE}=0.1,0.3,0.45,0.7,0.85")).expect("axis");
    let points = sweep::points(MM1, "mm1.toml", &[axis]).expect("points");
    let r = sweep::sweep(
        "M/M/1 sweep",
        &[RATE.to_string()],
        &points,
        &SweepOptions {
            run: RunOptions {
                variants: vec!["single".into()],
                ..Default::default()
            },
            knee: KneeRule::Factor(2.0),
            shard: None,
        },
    )
    .expect("sweep");
    for p in &r.points {
        let lambda = p.values[RATE];
        let theory = 100f64.ln() / (1.0 - lambda);
        let got = p.variants[0].entries["req"].latency_s.p99.mean;
        assert!(
            (got - theory).abs() < 0.1 * theory,
            "p99 at λ={lambda}: {got} vs {theory}"
        );
    }
    assert_eq!(r.knees.len(), 1, "{:?}", r.knees);
    let k = &r.knees[0];
    assert_eq!((k.variant.as_str(), k.entry.as_str()), ("single", "req"));
    assert_eq!(k.values[RATE], 0.7);
    assert!(k.p99_s > k.threshold_s);
    // An absolute threshold: p99 above 10 s first at λ = 0.7 (15.4 s), not at 0.45 (8.4 s).
    let mut r2 = r.clone();
    r2.knee_rule = KneeRule::AboveS(10.0);
    r2.find_knees();
    assert_eq!(r2.knees[0].values[RATE], 0.7);
}

#[test]
fn two_parameter_grid_runs_every_pair_with_knees_per_curve() {
    let a = Axis::parse(&format!("{RATE}=0.2..0.8:0.3")).expect("axis");
    let b = Axis::parse("modules.station.ops.work.cpu=500ms,1s").expect("axis");
    let points = sweep::points(MM1, "mm1.toml", &[a, b]).expect("points");
    assert_eq!(points.len(), 6);
    let r = sweep::sweep(
        "M/M/1 sweep",
        &[RATE.to_string(), "modules.station.ops.work.cpu".to_string()],
        &points,
        &SweepOptions {
            run: RunOptions {
                replications: Some(2),
                variants: vec!["single".into()],
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .expect("sweep");
    let grid: Vec<(f64, f64)> = r
        .points
        .iter()
        .map(|p| (p.values[RATE], p.values["modules.station.ops.work.cpu"]))
        .collect();
    assert_eq!(
        grid,
        [
            (0.2, 0.5),
            (0.2, 1.0),
            (0.5, 0.5),
            (0.5, 1.0),
            (0.8, 0.5),
            (0.8, 1.0)
        ]
    );
    // Mean response 1/(μ − λ): with 1 s service, λ 0.2 → 1.25 s, 0.8 → 5 s (4×: a knee);
    // with 0.5 s service, 0.2 → 0.556 s, 0.8 → 0.833 s (1.5×: none).
    let knees: Vec<(Option<f64>, f64)> =
        r.knees.iter().map(|k| (k.curve, k.values[RATE])).collect();
    assert_eq!(knees, [(Some(1.0), 0.8)]);
}

fn archsim() -> Command {
    let mut c = Command::cargo_bin("archsim").expect("binary");
    c.current_dir(root());
    c.env_remove("JOB_COMPLETION_INDEX");
    c.env_remove("SLURM_ARRAY_TASK_ID");
    c
}

#[test]
fn sweep_output_is_byte_identical_for_one_and_two_threads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mm1.toml");
    std::fs::write(&file, MM1).expect("write");
    let mut outs = Vec::new();
    for t in ["1", "2"] {
        let out = dir.path().join(format!("s{t}.json"));
        let csv = dir.path().join(format!("csv{t}"));
        archsim()
            .arg("sweep")
            .arg(&file)
            .args([
                "--set",
                &format!("{RATE}=0.3..0.9:0.3"),
                "--replications",
                "2",
            ])
            .args(["--threads", t, "--no-timings", "--quiet", "--json"])
            .arg(&out)
            .arg("--csv")
            .arg(&csv)
            .assert()
            .success();
        let json = std::fs::read(&out).expect("json");
        let v: serde_json::Value = serde_json::from_slice(&json).expect("parse");
        assert_eq!(v["points"].as_array().expect("points").len(), 3);
        assert_eq!(v["points"][2]["values"][RATE], 0.9);
        assert!(
            v["points"][0]["variants"][0]["entries"]["req"]["latency_s"]["p99"]["mean"].is_number()
        );
        let curves = std::fs::read_to_string(csv.join("curves.csv")).expect("csv");
        assert_eq!(curves.lines().count(), 1 + 3 * 2, "{curves}");
        outs.push(json);
    }
    assert!(
        outs[0] == outs[1],
        "sweep JSON differs between 1 and 2 threads"
    );
}

#[test]
fn bad_paths_and_values_are_located_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mm1.toml");
    std::fs::write(&file, MM1).expect("write");
    archsim()
        .arg("sweep")
        .arg(&file)
        .args(["--set", "workload.entries.rq.arrival.rate=1,2"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean `req`"));
    archsim()
        .arg("sweep")
        .arg(&file)
        .args(["--set", "variants.single.units.station.workers=1.5"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("mm1.toml:"))
        .stderr(predicates::str::contains("workers"));
    archsim()
        .arg("sweep")
        .arg(&file)
        .args(["--set", "workload.duration=5"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("with its unit"));
    archsim()
        .arg("sweep")
        .arg(&file)
        .args(["--set", &format!("{RATE}=1..2")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("needs a step"));
}

/// The shards run as separate processes, each told its index by the batch system's variable;
/// the merge is byte-identical to the unsharded run.
#[test]
fn sharded_run_merges_into_exactly_the_unsharded_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = dir.path().join("whole.json");
    archsim()
        .args([
            "run",
            "scenarios/online-shop.toml",
            "--replications",
            "5",
            "--quiet",
        ])
        .args(["--no-timings", "--json"])
        .arg(&whole)
        .assert()
        .success();
    let mut parts = Vec::new();
    for k in 0..3 {
        let part = dir.path().join(format!("part-{k}.json"));
        archsim()
            .env("JOB_COMPLETION_INDEX", k.to_string())
            .args([
                "run",
                "scenarios/online-shop.toml",
                "--replications",
                "5",
                "--quiet",
            ])
            .args(["--shard", "auto/3", "--json"])
            .arg(&part)
            .assert()
            .success();
        parts.push(part);
    }
    let merged = dir.path().join("merged.json");
    archsim()
        .arg("merge")
        .args(&parts)
        .args(["--no-timings", "-o"])
        .arg(&merged)
        .assert()
        .success();
    let a = std::fs::read(&whole).expect("whole");
    let b = std::fs::read(&merged).expect("merged");
    assert!(a == b, "merged run differs from the unsharded run");
    // A missing shard is an error, not a smaller result.
    archsim()
        .arg("merge")
        .args(&parts[..2])
        .arg("-o")
        .arg(dir.path().join("x.json"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no part for shard(s) 2 of 3"));
}

#[test]
fn sharded_sweep_merges_into_exactly_the_unsharded_sweep() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mm1.toml");
    std::fs::write(&file, MM1).expect("write");
    let set = format!("{RATE}=0.1..0.9:0.2");
    let whole = dir.path().join("whole.json");
    archsim()
        .arg("sweep")
        .arg(&file)
        .args([
            "--set",
            &set,
            "--replications",
            "2",
            "--quiet",
            "--no-timings",
            "--json",
        ])
        .arg(&whole)
        .assert()
        .success();
    let mut parts = Vec::new();
    for k in 0..2 {
        let part = dir.path().join(format!("part-{k}.json"));
        archsim()
            .env("SLURM_ARRAY_TASK_ID", k.to_string())
            .arg("sweep")
            .arg(&file)
            .args([
                "--set",
                &set,
                "--replications",
                "2",
                "--quiet",
                "--shard",
                "auto/2",
                "--json",
            ])
            .arg(&part)
            .assert()
            .success();
        parts.push(part);
    }
    let merged = dir.path().join("merged.json");
    archsim()
        .arg("merge")
        .args(&parts)
        .args(["--no-timings", "-o"])
        .arg(&merged)
        .assert()
        .success();
    let a = std::fs::read(&whole).expect("whole");
    let b = std::fs::read(&merged).expect("merged");
    assert!(a == b, "merged sweep differs from the unsharded sweep");
}
