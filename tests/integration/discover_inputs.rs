//! `archsim discover` inputs: utilization as OpenTelemetry metrics JSON gives the same demands
//! as the equivalent CSV; trace files from which nothing can be discovered fail with exit 2 and
//! say why.

use crate::common::root;
use archsim::discover::utilization::parse;
use archsim::discover::{discover, Options, TraceFile};
use assert_cmd::Command;

fn jaeger() -> TraceFile {
    let path = root().join("tests/fixtures/traces/shop-jaeger.json");
    TraceFile {
        name: "shop-jaeger.json".into(),
        text: std::fs::read_to_string(path).expect("fixture"),
    }
}

/// Hand-written OTLP metrics: `orders` as two instances' cumulative `process.cpu.time` (user
/// and system series; 0.006 + 0.002 and 0.004 + 0 core-seconds over 2 s → 0.006 core-s/s in
/// all), `frontend` as a `process.cpu.utilization` gauge (0.01 and 0.03 of 2 logical CPUs →
/// mean 0.02 × 2 = 0.04), and an unrelated metric.
const METRICS: &str = r#"{"resourceMetrics":[
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}},
                            {"key":"service.instance.id","value":{"stringValue":"o-1"}}]},
  "scopeMetrics":[{"scope":{"name":"hostmetrics"},"metrics":[
   {"name":"process.cpu.time","unit":"s","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[
     {"attributes":[{"key":"state","value":{"stringValue":"user"}}],"startTimeUnixNano":"1000000000","timeUnixNano":"1000000000","asDouble":1.0},
     {"attributes":[{"key":"state","value":{"stringValue":"user"}}],"startTimeUnixNano":"1000000000","timeUnixNano":"3000000000","asDouble":1.006},
     {"attributes":[{"key":"state","value":{"stringValue":"system"}}],"startTimeUnixNano":"1000000000","timeUnixNano":"1000000000","asDouble":0.5},
     {"attributes":[{"key":"state","value":{"stringValue":"system"}}],"startTimeUnixNano":"1000000000","timeUnixNano":"3000000000","asDouble":0.502}]}},
   {"name":"process.memory.usage","unit":"By","sum":{"dataPoints":[{"timeUnixNano":"3000000000","asInt":"1048576"}]}}]}]},
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}},
                            {"key":"service.instance.id","value":{"stringValue":"o-2"}}]},
  "scopeMetrics":[{"metrics":[
   {"name":"process.cpu.time","unit":"s","sum":{"dataPoints":[
     {"attributes":[{"key":"state","value":{"stringValue":"user"}}],"timeUnixNano":1000000000,"asDouble":2.0},
     {"attributes":[{"key":"state","value":{"stringValue":"user"}}],"timeUnixNano":3000000000,"asDouble":2.004}]}}]}]},
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"frontend"}}]},
  "scopeMetrics":[{"metrics":[
   {"name":"system.cpu.logical.count","unit":"{cpu}","sum":{"dataPoints":[{"timeUnixNano":"1000000000","asInt":"2"}]}},
   {"name":"process.cpu.utilization","unit":"1","gauge":{"dataPoints":[
     {"timeUnixNano":"1000000000","asDouble":0.01},
     {"timeUnixNano":"3000000000","asDouble":0.03}]}}]}]}
]}"#;

const CSV: &str = "service,cpu_seconds_per_second\norders,0.006\nfrontend,0.04\n";

#[test]
fn otel_metrics_json_gives_the_demands_of_the_equivalent_csv() {
    let from_json = parse(METRICS, "m.json").expect("metrics json");
    let from_csv = parse(CSV, "u.csv").expect("csv");
    assert_eq!(from_json.len(), 2);
    for (svc, v) in &from_csv {
        let j = from_json[svc];
        assert!((j - v).abs() < 1e-12, "{svc}: json {j}, csv {v}");
    }
    let d = |u| {
        discover(
            &[jaeger()],
            &Options {
                utilization: u,
                ..Options::default()
            },
        )
        .expect("discovers")
    };
    let (a, b) = (d(from_json), d(from_csv));
    assert_eq!(a.toml, b.toml);
    // The services measured take their demands from the law; the others keep their own times.
    for o in &a.report.operations {
        let measured = o.service == "orders" || o.service == "frontend";
        assert_eq!(o.demand_from_utilization_s.is_some(), measured, "{}", o.op);
    }
}

#[test]
fn bad_metrics_files_say_what_is_missing() {
    let no_count = METRICS.replace("system.cpu.logical.count", "something.else");
    let e = parse(&no_count, "m.json").expect_err("no logical count");
    assert!(
        e.to_string()
            .contains("m.json: CPU utilization of `frontend` is a fraction of the logical CPUs"),
        "{e}"
    );
    let none = r#"{"resourceMetrics":[{"resource":{"attributes":[]},"scopeMetrics":[]}]}"#;
    let e = parse(none, "m.json").expect_err("no cpu metric");
    assert!(
        e.to_string()
            .contains("no CPU metric: expected one of `process.cpu.time`"),
        "{e}"
    );
    let e = parse("{\"resourceMetrics\": [ {\"resource\": 3} ]}", "m.json").expect_err("type");
    assert!(e.to_string().starts_with("m.json:1:"), "{e}");
    let unnamed = METRICS.replace(
        "\"service.name\",\"value\":{\"stringValue\":\"frontend\"}",
        "\"host.name\",\"value\":{\"stringValue\":\"h\"}",
    );
    let e = parse(&unnamed, "m.json").expect_err("no service");
    assert!(e.to_string().contains("has no `service.name`"), "{e}");
}

fn discover_fails(text: &str, says: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("t.json"), text).expect("write");
    let o = Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(dir.path())
        .args(["discover", "t.json", "-o", "m.toml"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for s in says {
        assert!(err.contains(s), "`{s}` not in: {err}");
    }
    assert!(!dir.path().join("m.toml").exists(), "no model is written");
}

fn otlp(spans: &str) -> String {
    format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"front"}}}}]}},"scopeSpans":[{{"spans":[{spans}]}}]}}]}}"#
    )
}

#[test]
fn traces_with_nothing_to_discover_fail_saying_why() {
    // Every span invalid: no ids, no start time.
    discover_fails(
        &otlp(
            r#"{"traceId":"","spanId":"","name":"GET /","kind":2,"startTimeUnixNano":"5","endTimeUnixNano":"9"},
               {"traceId":"00000000000000000000000000000001","spanId":"0000000000000002","name":"GET /a","kind":2,"startTimeUnixNano":"0","endTimeUnixNano":"0"}"#,
        ),
        &[
            "no model can be built: t.json hold(s) no valid span: all 2 span(s) were skipped",
            "span `GET /` (0) of `front` skipped: no trace id",
            "span `GET /a` (2) of `front` skipped: no start time",
        ],
    );
    // Valid spans, but none handles a request.
    discover_fails(
        &otlp(
            r#"{"traceId":"01","spanId":"02","name":"GET backend","kind":3,"startTimeUnixNano":"100","endTimeUnixNano":"900"},
               {"traceId":"01","spanId":"03","parentSpanId":"02","name":"work","kind":1,"startTimeUnixNano":"200","endTimeUnixNano":"300"}"#,
        ),
        &[
            "no span handles a request: the 2 valid span(s) are 1 client, 1 internal",
            "server or consumer span",
        ],
    );
    // A Zipkin file whose spans all lack timestamps.
    discover_fails(
        r#"[{"traceId":"1","id":"2","name":"get","kind":"SERVER","localEndpoint":{"serviceName":"a"}}]"#,
        &["all 1 span(s) were skipped", "no `timestamp` or `duration`"],
    );
}
