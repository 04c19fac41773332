//! `archsim calibrate`: a model whose CPU demands are off by 2× is calibrated against traces
//! generated from known demands and comes back to them; the errors before/after decrease; bad
//! inputs fail with exit 2 and a message naming the problem.

use archsim::kernel::dist::Dist;
use archsim::kernel::Rng64;
use assert_cmd::Command;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::path::Path;

/// True parameters of the generated system (s).
const FRONT_CPU: f64 = 0.002;
const BACK_CPU: f64 = 0.003;
const QUERY: f64 = 0.001;
const NET: f64 = 0.0002;
const CV: f64 = 0.5;
/// Requests per second and seconds observed.
const RATE: f64 = 10.0;
const SECONDS: f64 = 100.0;

fn cli() -> Command {
    Command::cargo_bin("archsim").expect("binary")
}

fn span(
    trace: u64,
    id: u64,
    parent: Option<u64>,
    name: &str,
    kind: u8,
    (start, end): (i64, i64),
    attrs: Value,
) -> Value {
    json!({
        "traceId": format!("{trace:032x}"),
        "spanId": format!("{id:016x}"),
        "parentSpanId": parent.map(|p| format!("{p:016x}")).unwrap_or_default(),
        "name": name,
        "kind": kind,
        "startTimeUnixNano": start.to_string(),
        "endTimeUnixNano": end.to_string(),
        "attributes": attrs,
    })
}

fn resource(service: &str, spans: Vec<Value>) -> Value {
    json!({
        "resource": { "attributes": [
            { "key": "service.name", "value": { "stringValue": service } }
        ] },
        "scopeSpans": [ { "spans": spans } ]
    })
}

/// OTLP JSON of a system without contention: `front` (`GET /orders`, own time lognormal mean
/// 2 ms) calls `back` (`load`, 3 ms) over a network hop of 0.2 ms each way, and `back` queries
/// PostgreSQL (SELECT, 1 ms plus the two hops); Poisson arrivals at 10/s for 100 s, seed fixed.
fn traces() -> String {
    let mut rng = Rng64::seed_from_u64(20_261_205);
    let (front, back, query) = (
        Dist::lognormal(FRONT_CPU * 1e9, CV),
        Dist::lognormal(BACK_CPU * 1e9, CV),
        Dist::lognormal(QUERY * 1e9, CV),
    );
    let net = (NET * 1e9) as i64;
    let (mut fs, mut bs) = (Vec::new(), Vec::new());
    let mut t = 1_700_000_000_000_000_000i64;
    let end = t + (SECONDS * 1e9) as i64;
    let mut k = 0u64;
    loop {
        let gap: f64 = -(1.0 - rng.random::<f64>()).ln() / RATE;
        t += (gap * 1e9) as i64;
        if t >= end {
            break;
        }
        k += 1;
        let (f, b, q) = (
            front.sample(&mut rng) as i64,
            back.sample(&mut rng) as i64,
            query.sample(&mut rng) as i64,
        );
        // front: half its own time, the call, the other half.
        let c0 = t + f / 2;
        let s0 = c0 + net;
        let q0 = s0 + b / 2;
        let q1 = q0 + q + 2 * net;
        let s1 = q1 + (b - b / 2);
        let c1 = s1 + net;
        let r1 = c1 + (f - f / 2);
        let id = |n: u64| k * 10 + n;
        fs.push(span(k, id(1), None, "GET /orders", 2, (t, r1), json!([])));
        fs.push(span(
            k,
            id(2),
            Some(id(1)),
            "GET back",
            3,
            (c0, c1),
            json!([]),
        ));
        bs.push(span(k, id(3), Some(id(2)), "load", 2, (s0, s1), json!([])));
        let db = json!([
            { "key": "db.system", "value": { "stringValue": "postgresql" } },
            { "key": "db.name", "value": { "stringValue": "shop" } },
            { "key": "db.operation", "value": { "stringValue": "SELECT" } }
        ]);
        bs.push(span(k, id(4), Some(id(3)), "SELECT shop", 3, (q0, q1), db));
    }
    json!({ "resourceSpans": [ resource("front", fs), resource("back", bs) ] }).to_string()
}

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("traces.json"), traces()).expect("write traces");
        let o = cli()
            .current_dir(dir.path())
            .args([
                "discover",
                "traces.json",
                "-o",
                "true.toml",
                "--fit",
                "lognormal",
            ])
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        Fixture { dir }
    }

    fn path(&self, f: &str) -> std::path::PathBuf {
        self.dir.path().join(f)
    }

    fn read(&self, f: &str) -> String {
        std::fs::read_to_string(self.path(f)).expect("read")
    }
}

fn mean_of(text: &str, path: &str) -> f64 {
    match archsim::scenario::params::get(text, path).expect(path) {
        archsim::scenario::params::ParamValue::Quantity { base, .. } => base,
        other => panic!("{path}: {other:?}"),
    }
}

fn set_mean(text: &str, path: &str, secs: f64) -> String {
    let v = archsim::scenario::params::ParamValue::quantity(
        archsim::scenario::params::QuantityKind::Duration,
        secs,
    );
    archsim::scenario::params::set(text, path, &v, false).expect(path)
}

const CPU: [(&str, f64); 2] = [
    ("modules.front.ops.get_orders.cpu", FRONT_CPU),
    ("modules.back.ops.load.cpu", BACK_CPU),
];

/// Writes `wrong.toml`: the true model with every CPU demand doubled.
fn write_doubled(fx: &Fixture) {
    let truth = fx.read("true.toml");
    let mut wrong = truth.clone();
    for (p, _) in CPU {
        wrong = set_mean(&wrong, p, 2.0 * mean_of(&truth, p));
    }
    std::fs::write(fx.path("wrong.toml"), &wrong).expect("write");
}

#[test]
fn demands_off_by_two_come_back_to_the_true_ones() {
    let fx = Fixture::new();
    write_doubled(&fx);
    let o = cli()
        .current_dir(fx.dir.path())
        .args([
            "calibrate",
            "wrong.toml",
            "--traces",
            "traces.json",
            "-o",
            "cal.toml",
            "--json",
            "cal.json",
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("parameters moved:"), "{stdout}");
    let cal = fx.read("cal.toml");
    let rep: Value = serde_json::from_str(&fx.read("cal.json")).expect("json");
    let requests = rep["load"][0]["requests"].as_u64().expect("requests") as f64;
    // Tolerance: the observed mean own time is off the true demand by its sampling error (4
    // standard errors: cv/√n each), and the calibrated demand is that mean divided by the
    // processor-sharing slowdown 1/(1 − U) of its unit, U = rate × demand ≤ 3% here (the
    // generated system has no contention).
    let u_max = RATE * BACK_CPU;
    let tol = 4.0 * CV / requests.sqrt() + u_max / (1.0 - u_max);
    for (p, d) in CPU {
        let got = mean_of(&cal, p);
        assert!(
            (got - d).abs() / d <= tol,
            "{p}: calibrated {got}, true {d}, tolerance {tol}\n{stdout}"
        );
        let c = rep["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .find(|c| c["parameter"] == p)
            .expect("change listed");
        let k = c["factor"].as_f64().expect("factor");
        assert!((k - 0.5).abs() <= 0.5 * tol, "{p}: factor {k}");
        // The calibrated model says so next to the value and in its header.
        assert!(cal.contains(&format!("{p} calibrated ×")), "{cal}");
    }
    assert!(cal.contains("# calibrated ×"), "{cal}");
    // The errors decrease: the objective and every entry's and operation's mean error.
    let (jb, ja) = (
        rep["objective_before"].as_f64().expect("J"),
        rep["objective_after"].as_f64().expect("J"),
    );
    assert!(jb > 0.3 && ja < 0.1 * jb, "J {jb} → {ja}\n{stdout}");
    let rows = |k: &str| rep[k].as_array().expect("rows").clone();
    for (b, a) in rows("before").iter().zip(rows("after").iter()) {
        if b["kind"] == "entry" || b["kind"] == "operation" {
            let (eb, ea) = (
                b["mean_error"].as_f64().expect("e").abs(),
                a["mean_error"].as_f64().expect("e").abs(),
            );
            assert!(ea < eb && ea <= tol, "{}: {eb} → {ea}", b["name"]);
            assert!(
                a["ks"].as_f64().expect("ks") < b["ks"].as_f64().expect("ks"),
                "{}",
                b["name"]
            );
        }
    }
    // The calibrated model validates and runs (it is what the CLI wrote).
    assert!(cli()
        .current_dir(fx.dir.path())
        .args(["validate", "cal.toml"])
        .output()
        .expect("runs")
        .status
        .success());
}

#[test]
fn a_right_model_barely_moves() {
    // The model discovered from the traces, calibrated against them: every mean error within
    // the tolerance before, and no parameter moves by more than the slowdown.
    let fx = Fixture::new();
    let o = cli()
        .current_dir(fx.dir.path())
        .args([
            "calibrate",
            "true.toml",
            "--traces",
            "traces.json",
            "--json",
            "r.json",
        ])
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rep: Value = serde_json::from_str(&fx.read("r.json")).expect("json");
    let u_max = RATE * BACK_CPU;
    for c in rep["changes"].as_array().expect("changes") {
        let k = c["factor"].as_f64().expect("factor");
        assert!((k - 1.0).abs() <= u_max / (1.0 - u_max) + 0.01, "{c}");
    }
    assert!(rep["objective_after"].as_f64() <= rep["objective_before"].as_f64());
}

fn fails(dir: &Path, args: &[&str], code: i32, says: &[&str]) {
    let o = cli().current_dir(dir).args(args).output().expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
    for s in says {
        assert!(err.contains(s), "{args:?}: `{s}` not in: {err}");
    }
}

#[test]
fn bad_inputs_fail_with_exit_2_and_io_failures_with_3() {
    let fx = Fixture::new();
    let d = fx.dir.path();
    std::fs::write(
        d.join("bad.toml"),
        "name = \"x\"\n[workload]\nduration = \"soon\"\n",
    )
    .expect("write");
    fails(
        d,
        &["calibrate", "bad.toml", "--traces", "traces.json"],
        2,
        &["bad.toml: the model is not a valid scenario", "duration"],
    );
    for (opt, says) in [
        ("--max-events=-5", "--max-events must be a positive number"),
        ("--replications=0", "--replications must be at least 1"),
        ("--threads=0", "--threads must be at least 1"),
    ] {
        fails(
            d,
            &["calibrate", "true.toml", "--traces", "traces.json", opt],
            2,
            &[says],
        );
    }
    fails(
        d,
        &["calibrate", "true.toml", "--traces", "missing.json"],
        2,
        &["cannot read missing.json"],
    );
    std::fs::write(
        d.join("trunc.json"),
        "{\"resourceSpans\": [ {\"scopeSpans\": [",
    )
    .expect("w");
    fails(
        d,
        &["calibrate", "true.toml", "--traces", "trunc.json"],
        2,
        &["trunc.json:1:"],
    );
    // Traces of another system: its operations are named.
    let jaeger = crate::common::root().join("tests/fixtures/traces/shop-jaeger.json");
    fails(
        d,
        &[
            "calibrate",
            "true.toml",
            "--traces",
            jaeger.to_str().expect("utf-8"),
        ],
        2,
        &[
            "absent from the model true.toml",
            "operation `orders.load_order`",
        ],
    );
    fails(
        d,
        &[
            "calibrate",
            "true.toml",
            "--traces",
            "traces.json",
            "--variant",
            "nope",
        ],
        2,
        &["no variant named `nope`", "as-observed"],
    );
    // Writing into a directory that does not exist: an I/O failure.
    fails(
        d,
        &[
            "calibrate",
            "true.toml",
            "--traces",
            "traces.json",
            "-o",
            "no/such/dir/c.toml",
        ],
        3,
        &["no/such/dir"],
    );
}

/// The root spans' durations of the generated traces (s), ascending: read off the OTLP JSON
/// here, independently of discovery.
fn root_durations(otlp: &str) -> Vec<f64> {
    let v: Value = serde_json::from_str(otlp).expect("json");
    let mut out = Vec::new();
    for r in v["resourceSpans"].as_array().expect("resources") {
        for s in r["scopeSpans"][0]["spans"].as_array().expect("spans") {
            if s["parentSpanId"] == "" {
                let t = |k: &str| s[k].as_str().expect("time").parse::<i64>().expect("ns");
                out.push((t("endTimeUnixNano") - t("startTimeUnixNano")) as f64 * 1e-9);
            }
        }
    }
    out.sort_by(f64::total_cmp);
    out
}

/// The fraction of an `[x, F]` step CDF at x.
fn cdf_at(c: &[Value], x: f64) -> f64 {
    let mut f = 0.0;
    for p in c {
        if p[0].as_f64().expect("x") <= x {
            f = p[1].as_f64().expect("F");
        }
    }
    f
}

/// Kolmogorov–Smirnov distance between two step CDFs, over both point sets.
fn cdf_distance(a: &[Value], b: &[Value]) -> f64 {
    a.iter()
        .chain(b)
        .map(|p| {
            let x = p[0].as_f64().expect("x");
            (cdf_at(a, x) - cdf_at(b, x)).abs()
        })
        .fold(0.0, f64::max)
}

#[test]
fn the_report_gives_each_entrys_observed_and_simulated_latency_distributions() {
    let fx = Fixture::new();
    write_doubled(&fx);
    let o = cli()
        .current_dir(fx.dir.path())
        .args([
            "calibrate",
            "wrong.toml",
            "--traces",
            "traces.json",
            "--json",
            "cal.json",
        ])
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rep: Value = serde_json::from_str(&fx.read("cal.json")).expect("json");
    let cdfs = rep["cdfs"].as_array().expect("cdfs");
    assert_eq!(cdfs.len(), 1, "one entry");
    let c = &cdfs[0];
    assert_eq!(c["entry"], rep["load"][0]["entry"]);
    // Observed: at each fraction q the smallest root-span duration with at least q of them at
    // or below it, i.e. the ⌈q·n⌉-th smallest; the last point is the largest duration at 1.
    let d = root_durations(&fx.read("traces.json"));
    let n = d.len();
    let observed = c["observed"].as_array().expect("observed");
    for p in observed {
        let (x, q) = (p[0].as_f64().expect("x"), p[1].as_f64().expect("q"));
        let k = (q * n as f64 - 1e-9).ceil() as usize;
        assert!(
            (x - d[k - 1]).abs() < 1e-12,
            "q {q}: {x} against {}",
            d[k - 1]
        );
    }
    let last = observed.last().expect("points");
    assert_eq!(last[1].as_f64(), Some(1.0));
    assert!((last[0].as_f64().expect("x") - d[n - 1]).abs() < 1e-12);
    // Simulated: the results' CDF, ascending in both coordinates, ending at 1; the calibrated
    // model's is closer to the observed one than the model with doubled demands.
    for k in ["before", "after"] {
        let s = c[k].as_array().expect("simulated");
        assert!(s.len() > 50, "{k}: {} points", s.len());
        assert!(s
            .windows(2)
            .all(|w| w[0][0].as_f64() < w[1][0].as_f64() && w[0][1].as_f64() < w[1][1].as_f64()));
        assert_eq!(s.last().expect("point")[1].as_f64(), Some(1.0));
    }
    let (db, da) = (
        cdf_distance(observed, c["before"].as_array().expect("before")),
        cdf_distance(observed, c["after"].as_array().expect("after")),
    );
    // doubled demands put the median near twice the observed one: most of the mass apart
    assert!(db > 0.3, "before: KS {db}");
    assert!(da < 0.5 * db, "after: KS {da} (before {db})");
}
