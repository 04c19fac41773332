//! Models from telemetry through the IPC layer: `discover_model` gives the model `archsim
//! discover` writes, analyzed as a new scenario, with its report; `calibrate_model` gives the
//! calibrated model, the report and the entries' latency distributions; bad files fail with a
//! code and a message naming the file.

mod common;

use std::path::{Path, PathBuf};

use archsim::discover::{self, TraceFile};
use common::{app, invoke, MM1};
use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/traces")
        .join(name)
}

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

#[test]
fn discovery_opens_the_model_the_cli_writes_with_its_report() {
    let (_app, w) = app();
    let otlp = path("shop-otlp.jsonl");
    let out = invoke(
        &w,
        "discover_model",
        json!({"request": {"traces": [otlp], "deployment": [path("shop-k8s.yaml")]}}),
    )
    .expect("discovery");
    // the same model as the library's discovery of the same files
    let text = std::fs::read_to_string(fixture("shop-otlp.jsonl")).expect("read");
    let mut opts = discover::Options::default();
    let m = discover::manifest::parse(
        &std::fs::read_to_string(fixture("shop-k8s.yaml")).expect("read"),
        &path("shop-k8s.yaml"),
    )
    .expect("manifest");
    opts.deployment = m.entries.into_iter().collect();
    opts.deployment_notes = m.skipped.into_iter().chain(m.notes).collect();
    let d = discover::discover(
        &[TraceFile {
            name: otlp.clone(),
            text,
        }],
        &opts,
    )
    .expect("library discovery");
    let a = &out["analysis"];
    assert_eq!(a["text"], d.toml);
    assert_eq!(a["file_name"], "discovered.toml");
    assert_eq!(a["path"], Value::Null);
    assert_eq!(a["diagnostics"], json!([]), "{a}");
    assert!(!a["topology"].as_array().expect("topology").is_empty());
    let r = &out["report"];
    assert_eq!(r, &serde_json::to_value(&d.report).expect("json"));
    assert_eq!(out["report_text"], d.report.text());
    assert_eq!(r["files"][0]["format"], "otlp");
    assert!(r["units"]
        .as_array()
        .expect("units")
        .iter()
        .any(|u| u["replicas_from"]
            .as_str()
            .is_some_and(|s| s.starts_with("manifest"))));
}

#[test]
fn calibration_returns_the_model_its_report_and_the_latency_distributions() {
    let (_app, w) = app();
    let traces = [path("shop-otlp.jsonl")];
    let d =
        invoke(&w, "discover_model", json!({"request": {"traces": traces}})).expect("discovery");
    let text = d["analysis"]["text"].as_str().expect("text").to_string();
    let out = invoke(
        &w,
        "calibrate_model",
        json!({"request": {"text": text, "file_name": "shop.toml", "path": "/somewhere/shop.toml",
            "traces": traces, "rounds": 2, "replications": 2}}),
    )
    .expect("calibration");
    let a = &out["analysis"];
    assert_eq!(a["diagnostics"], json!([]), "{a}");
    // the file's path is kept: Save writes the calibrated model where the model was
    assert_eq!(a["path"], "/somewhere/shop.toml");
    assert!(a["text"].as_str().expect("text").contains("# calibrated:"));
    let r = &out["report"];
    assert_eq!(r["replications"], 2);
    assert!(r["rounds"].as_array().expect("rounds").len() <= 3);
    let entries: Vec<&Value> = r["before"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|x| x["kind"] == "entry")
        .collect();
    let cdfs = r["cdfs"].as_array().expect("cdfs");
    assert_eq!(cdfs.len(), entries.len());
    for (c, e) in cdfs.iter().zip(&entries) {
        assert_eq!(c["entry"], e["name"]);
        for k in ["observed", "before", "after"] {
            let pts = c[k].as_array().expect("points");
            assert_eq!(
                pts.last().expect("a point")[1].as_f64(),
                Some(1.0),
                "{k} of {}",
                c["entry"]
            );
        }
    }
    assert!(out["report_text"]
        .as_str()
        .expect("text")
        .contains("objective J"));
}

#[test]
fn bad_inputs_fail_with_a_code_and_the_file_named() {
    let (_app, w) = app();
    let err = |args: Value| {
        invoke(&w, "discover_model", json!({ "request": args })).expect_err("refused")
    };
    let e = err(json!({"traces": []}));
    assert_eq!(e["code"], "invalid_parameter");
    assert!(e["message"]
        .as_str()
        .expect("msg")
        .contains("no trace file"));
    let e = err(json!({"traces": ["/no/such/traces.json"]}));
    assert_eq!(e["code"], "io");
    assert!(e["message"]
        .as_str()
        .expect("msg")
        .contains("/no/such/traces.json"));
    let trunc = path("shop-otlp-truncated.jsonl");
    let dir = tempfile::tempdir().expect("dir");
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{\"resourceSpans\": [ {\"resource\": 12 ").expect("write");
    let e = err(json!({"traces": [garbage.display().to_string()]}));
    assert_eq!(e["code"], "invalid_parameter");
    let msg = e["message"].as_str().expect("msg");
    assert!(msg.contains("garbage.json:1:"), "{msg}");
    let e = err(json!({"traces": [trunc.clone()], "fit": "weibull"}));
    assert_eq!(e["code"], "invalid_parameter");
    assert!(e["message"].as_str().expect("msg").contains("weibull"));
    // a model whose operations the traces do not name
    let e = invoke(
        &w,
        "calibrate_model",
        json!({"request": {"text": MM1, "file_name": "mm1.toml", "traces": [path("shop-otlp.jsonl")]}}),
    )
    .expect_err("refused");
    assert_eq!(e["code"], "invalid_parameter");
    assert!(
        e["message"]
            .as_str()
            .expect("msg")
            .contains("absent from the model"),
        "{e}"
    );
    // counts and limits checked as for a run, before anything is read
    for (k, v, says) in [
        (
            "replications",
            json!(0),
            "--replications must be at least 1",
        ),
        ("threads", json!(0), "--threads must be at least 1"),
        ("max_events", json!(-1.0), "max-events"),
    ] {
        let mut req =
            json!({"text": MM1, "file_name": "mm1.toml", "traces": ["/no/such/file.json"]});
        req[k] = v;
        let e = invoke(&w, "calibrate_model", json!({ "request": req })).expect_err("refused");
        assert_eq!(e["code"], "invalid_parameter", "{k}: {e}");
        assert!(
            e["message"].as_str().expect("msg").contains(says),
            "{k}: {e}"
        );
    }
    // a model that is not a scenario
    let e = invoke(
        &w,
        "calibrate_model",
        json!({"request": {"text": "name = 3", "file_name": "bad.toml", "traces": [path("shop-otlp.jsonl")]}}),
    )
    .expect_err("refused");
    assert_eq!(e["code"], "invalid_scenario");
    assert!(e["message"].as_str().expect("msg").contains("bad.toml"));
}
