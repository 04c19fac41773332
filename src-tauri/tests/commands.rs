//! The app's commands on `tauri::test::mock_builder()`: through the IPC layer (argument
//! names, error shape) and the application layer's requests with a test channel (progress,
//! cancel).

mod common;

use std::path::Path;
use std::sync::Mutex;

use archsim::app::run::{run as run_blocking, RunRequest};
use archsim::app::ErrorCode;
use archsim_app::events::RunEvent;
use archsim_app::state::{AppState, Picked};
use common::{app, invoke, MM1};
use serde_json::json;
use tauri::Manager;

#[test]
fn analyze_reports_estimate_and_errors_with_line_and_field() {
    let (_app, w) = app();
    let ok = invoke(
        &w,
        "analyze_scenario",
        json!({"text": MM1, "fileName": "mm1.toml"}),
    )
    .expect("analysis");
    assert_eq!(ok["diagnostics"], json!([]));
    // ρ = λ·E[S] = 0.5 (closed form), W = 1/(μ − λ) = 2 s
    let node = &ok["estimates"][0]["nodes"][0];
    assert!(
        (node["utilization"].as_f64().expect("ρ") - 0.5).abs() < 1e-9,
        "{node}"
    );
    assert!(
        (node["mean_response_s"].as_f64().expect("W") - 2.0).abs() < 1e-9,
        "{node}"
    );
    assert_eq!(
        ok["document"]["modules"]["station"]["ops"]["work"]["cpu"]["mean"],
        "1s"
    );

    let bad = MM1.replace("rate = 0.5", "rate = -1");
    let a = invoke(
        &w,
        "analyze_scenario",
        json!({"text": bad, "fileName": "mm1.toml"}),
    )
    .expect("analysis");
    let d = &a["diagnostics"][0];
    // line 15: `arrival = { process = "poisson", rate = -1 }`, the value at column 41
    assert_eq!(d["line"], 15, "{a}");
    assert_eq!(d["column"], 41, "{a}");
    assert_eq!(d["field"], "workload.entries[0].arrival.rate");
    assert_eq!(a["estimates"], json!([]));
}

#[test]
fn open_and_save_round_trip_and_errors_cross_as_code_and_message() {
    let (app, w) = app();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("mm1.toml");
    let p = path.display().to_string();
    app.state::<Picked>().grant(&path);
    let saved = invoke(&w, "save_scenario", json!({"path": p, "text": MM1})).expect("save");
    assert_eq!(saved["path"], p);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), MM1);
    // no temporary file left behind
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
    let opened = invoke(&w, "open_scenario", json!({"path": p})).expect("open");
    assert_eq!(opened["text"], MM1);
    assert_eq!(opened["file_name"], "mm1.toml");

    let missing = dir.path().join("nope.toml").display().to_string();
    let err = invoke(&w, "open_scenario", json!({"path": missing})).expect_err("missing file");
    assert_eq!(err["code"], "io");
    assert!(err["message"]
        .as_str()
        .expect("message")
        .contains("nope.toml"));
    let bad = dir.path().join("no/such/dir.toml");
    app.state::<Picked>().grant(&bad);
    let err =
        invoke(&w, "save_scenario", json!({"path": bad, "text": MM1})).expect_err("bad folder");
    assert_eq!(err["code"], "io");
}

#[test]
fn edits_change_the_text_and_keep_comments() {
    let (_app, w) = app();
    let moved = invoke(
        &w,
        "edit_scenario",
        json!({"text": MM1, "fileName": "mm1.toml", "edit":
            {"kind": "move_module", "variant": "single", "module": "spare", "to_unit": "other"}}),
    )
    .expect("move");
    let text = moved["text"].as_str().expect("text");
    assert!(text.contains("modules = [\"station\"]\n"), "{text}");
    assert!(
        text.contains("modules = [\"extra\", \"spare\"]\n"),
        "{text}"
    );
    assert!(text.contains("# mean service 1 s"));
    assert_eq!(moved["diagnostics"], json!([]));

    let faster = invoke(
        &w,
        "edit_scenario",
        json!({"text": MM1, "fileName": "mm1.toml", "edit": {"kind": "set_value",
            "path": ["workload", "entries", 0, "arrival", "rate"], "value": 0.9}}),
    )
    .expect("set");
    let rho = faster["estimates"][0]["nodes"][0]["utilization"]
        .as_f64()
        .expect("ρ");
    assert!((rho - 0.9).abs() < 1e-9);

    let err = invoke(
        &w,
        "edit_scenario",
        json!({"text": MM1, "fileName": "mm1.toml", "edit":
            {"kind": "move_module", "variant": "single", "module": "ghost", "to_unit": "other"}}),
    )
    .expect_err("unknown module");
    assert_eq!(err["code"], "edit");
    assert!(err["message"].as_str().expect("m").contains("ghost"));
}

#[test]
fn run_streams_progress_and_replications_then_returns_results() {
    let (app, _w) = app();
    let state = app.state::<AppState>();
    let events = Mutex::new(Vec::new());
    let req = RunRequest {
        text: MM1.into(),
        file_name: "mm1.toml".into(),
        replications: Some(3),
        threads: Some(2),
        ..Default::default()
    };
    let out = run_blocking(&req, &state, &|e| events.lock().expect("lock").push(e)).expect("run");
    assert!(!out.cancelled);
    assert_eq!(out.results.replications, 3);
    assert!(!state.is_running());
    let events = events.into_inner().expect("events");
    assert!(matches!(&events[0], RunEvent::Started { total: 3, .. }));
    let mut done: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            RunEvent::Progress { done, total: 3, .. } => Some(*done),
            _ => None,
        })
        .collect();
    done.sort_unstable();
    assert_eq!(done, vec![1, 2, 3]);
    // the per-replication means are the samples the combined mean is the average of
    let reps: Vec<f64> = events
        .iter()
        .filter_map(|e| match e {
            RunEvent::Replication { data } => Some(data.entries[0].latency_mean_s),
            _ => None,
        })
        .collect();
    assert_eq!(reps.len(), 3);
    let mean = reps.iter().sum::<f64>() / 3.0;
    let combined = out.results.variants[0].entries["req"].latency_s.mean.mean;
    assert!(
        (mean - combined).abs() < 1e-9 * combined,
        "{mean} vs {combined}"
    );
}

#[test]
fn cancel_returns_the_replications_that_finished() {
    let (app, _w) = app();
    let state = app.state::<AppState>();
    let slot = state.inner().clone();
    let req = RunRequest {
        text: MM1.replace("duration = \"2000s\"", "duration = \"200000s\""),
        file_name: "mm1.toml".into(),
        replications: Some(40),
        threads: Some(1),
        ..Default::default()
    };
    // cancel as soon as the first replication has finished
    let emit = |e: RunEvent| {
        if matches!(e, RunEvent::Replication { .. }) {
            slot.cancel();
        }
    };
    let out = run_blocking(&req, &state, &emit).expect("partial results");
    assert!(out.cancelled);
    assert!(out.results.replications >= 1 && out.results.replications < 40);
    assert!(out
        .results
        .warnings
        .iter()
        .any(|w| w.starts_with("cancelled:")));
}

#[test]
fn second_run_while_running_is_busy_and_bad_scenario_is_invalid() {
    let (app, w) = app();
    let state = app.state::<AppState>();
    let claim = state.claim().expect("free");
    let req = RunRequest {
        text: MM1.into(),
        file_name: "mm1.toml".into(),
        ..Default::default()
    };
    let err = run_blocking(&req, &state, &|_| {}).expect_err("busy");
    assert_eq!(err.code(), ErrorCode::Busy);
    drop(claim);
    let bad = RunRequest {
        text: "name = ".into(),
        file_name: "bad.toml".into(),
        ..Default::default()
    };
    let err = run_blocking(&bad, &state, &|_| {}).expect_err("invalid");
    assert_eq!(err.code(), ErrorCode::InvalidScenario);
    assert_eq!(err.diagnostics()[0].line, 1);
    // cancel through IPC with nothing running says so
    assert_eq!(
        invoke(&w, "cancel_run", json!({})).expect("cancel"),
        json!(false)
    );
}

#[test]
fn run_through_ipc_takes_the_request_and_a_channel() {
    // Through the IPC layer the command takes `request` and `onEvent` (a JS `Channel`, which
    // crosses as its `__CHANNEL__:id` string; its messages go to the mock webview). The events
    // themselves are checked with `run_blocking` above.
    let (_app, w) = app();
    let out = invoke(
        &w,
        "run_scenario",
        json!({"request": {"text": MM1, "file_name": "mm1.toml", "replications": 2},
               "onEvent": "__CHANNEL__:4242"}),
    )
    .expect("run");
    assert_eq!(out["results"]["replications"], 2);
    assert_eq!(out["cancelled"], false);
    let err = invoke(
        &w,
        "run_scenario",
        json!({"request": {"text": "x", "file_name": "bad.toml"}, "onEvent": "__CHANNEL__:4243"}),
    )
    .expect_err("invalid");
    assert_eq!(err["code"], "invalid_scenario");
    assert_eq!(err["diagnostics"][0]["file"], "bad.toml");
}

#[test]
fn lessons_list_every_bundled_scenario_with_its_description() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let lessons = archsim::app::files::lessons_in(&dir);
    assert!(lessons.iter().any(|l| l.rel == "online-shop.toml"));
    assert!(lessons.iter().any(|l| l.rel == "queueing/mm1.toml"));
    for l in &lessons {
        assert!(!l.name.is_empty() && !l.description.is_empty(), "{}", l.rel);
    }
}

#[test]
fn generated_api_schema_is_committed() {
    let schema = serde_json::to_string_pretty(&archsim_app::api_schema()).expect("json") + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/api/schema.json");
    if std::env::var_os("UPDATE_API_SCHEMA").is_some() {
        std::fs::write(&path, &schema).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == schema,
        "ui/src/api/schema.json is out of date: run `UPDATE_API_SCHEMA=1 cargo test -p archsim-app --test commands generated_api_schema` then `npm --prefix ui run gen:types`"
    );
}

#[test]
fn export_writes_the_results_document_and_the_csv_files() {
    let (app, w) = app();
    let state = app.state::<AppState>();
    let req = RunRequest {
        text: MM1.into(),
        file_name: "mm1.toml".into(),
        replications: Some(2),
        ..Default::default()
    };
    let out = run_blocking(&req, &state, &|_| {}).expect("run");
    let dir = tempfile::tempdir().expect("tmp");
    let json_path = dir.path().join("r.json").display().to_string();
    let picked = app.state::<Picked>();
    for p in ["r.json", "csv", "no/dir/r.json"] {
        picked.grant(&dir.path().join(p));
    }
    let files = invoke(
        &w,
        "export_results",
        json!({"results": out.results, "format": "json", "path": json_path}),
    )
    .expect("export json");
    assert_eq!(files, json!([json_path]));
    let back: archsim::results::Results =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("read")).expect("json");
    assert_eq!(back.replications, 2);
    // the results cross IPC as JSON numbers: equal to the last bits of a double's decimal form
    let (a, b) = (
        back.variants[0].entries["req"].latency_s.mean.mean,
        out.results.variants[0].entries["req"].latency_s.mean.mean,
    );
    assert!((a - b).abs() <= 1e-12 * b.abs(), "{a} vs {b}");

    let csv_dir = dir.path().join("csv");
    let files = invoke(
        &w,
        "export_results",
        json!({"results": out.results, "format": "csv", "path": csv_dir}),
    )
    .expect("export csv");
    assert_eq!(files.as_array().expect("files").len(), 3);
    let entries = std::fs::read_to_string(csv_dir.join("entries.csv")).expect("entries.csv");
    assert!(entries.lines().count() > 1 && entries.contains("req"));

    let err = invoke(
        &w,
        "export_results",
        json!({"results": out.results, "format": "json", "path": dir.path().join("no/dir/r.json")}),
    )
    .expect_err("missing folder");
    assert_eq!(err["code"], "export");
}
