//! Files the user picks: writes only to picked paths, a new scenario, chart images, the HTML
//! report and planning documents written through the IPC layer, and the scripted dialog of
//! the real-window tests.

mod common;

use archsim::app::run::{run as run_blocking, RunRequest};
use archsim_app::state::{AppState, Picked};
use common::{app, invoke, MM1};
use serde_json::json;
use tauri::Manager;

#[test]
fn writes_only_to_paths_picked_in_a_dialog() {
    let (app, w) = app();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("m.toml");
    for (cmd, args) in [
        ("save_scenario", json!({"path": path, "text": MM1})),
        (
            "export_file",
            json!({"path": path, "contents": "x", "base64": false}),
        ),
        ("export_report", json!({"path": path, "document": "{}"})),
    ] {
        let err = invoke(&w, cmd, args).expect_err("not picked");
        assert_eq!(err["code"], "io", "{cmd}: {err}");
        let m = err["message"].as_str().expect("message");
        assert!(m.contains("m.toml") && m.contains("Save as"), "{m}");
    }
    // nothing was written
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
    app.state::<Picked>().grant(&path);
    invoke(&w, "save_scenario", json!({"path": path, "text": MM1})).expect("picked");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), MM1);
}

#[test]
fn a_new_scenario_is_valid_unsaved_and_resolved() {
    let (_app, w) = app();
    let a = invoke(&w, "new_scenario", json!({})).expect("new");
    assert_eq!(a["diagnostics"], json!([]), "{a}");
    assert_eq!(a["path"], json!(null));
    assert_eq!(a["file_name"], "untitled.toml");
    assert_eq!(a["topology"].as_array().expect("topology").len(), 1);
    assert_eq!(
        a["document"]["workload"]["entries"][0]["op"],
        "service.handle"
    );
}

#[test]
fn exports_images_and_the_html_report_to_picked_paths() {
    let (app, w) = app();
    let dir = tempfile::tempdir().expect("tmp");
    let picked = app.state::<Picked>();
    let png = dir.path().join("chart.png");
    picked.grant(&png);
    // the PNG signature, base64
    let files = invoke(
        &w,
        "export_file",
        json!({"path": png, "contents": "iVBORw0KGgo=", "base64": true}),
    )
    .expect("png");
    assert_eq!(files, json!([png.display().to_string()]));
    assert_eq!(
        std::fs::read(&png).expect("read"),
        [0x89, b'P', b'N', b'G', 13, 10, 26, 10]
    );
    let err = invoke(
        &w,
        "export_file",
        json!({"path": png, "contents": "not base64!", "base64": true}),
    )
    .expect_err("bad image");
    assert_eq!(err["code"], "export");

    let state = app.state::<AppState>();
    let req = RunRequest {
        text: MM1.into(),
        file_name: "mm1.toml".into(),
        replications: Some(2),
        ..Default::default()
    };
    let out = run_blocking(&req, &state, &|_| {}).expect("run");
    let html = dir.path().join("report.html");
    picked.grant(&html);
    let doc = serde_json::to_string(&out.results).expect("json");
    invoke(&w, "export_report", json!({"path": html, "document": doc})).expect("report");
    let text = std::fs::read_to_string(&html).expect("html");
    assert!(text.starts_with("<!doctype html>"), "{}", &text[..40]);
    assert!(text.contains("M/M/1"));
    let err = invoke(
        &w,
        "export_report",
        json!({"path": html, "document": "{\"a\": 1}"}),
    )
    .expect_err("not a document");
    assert_eq!(err["code"], "invalid_parameter");
}

#[test]
fn the_scripted_dialog_answers_the_proposed_name_in_its_folder_and_grants_it() {
    let (_app, w) = app();
    let dir = tempfile::tempdir().expect("tmp");
    // the only test of this binary that reads the variable
    std::env::set_var("ARCHSIM_PICK_DIR", dir.path());
    let got = invoke(
        &w,
        "pick_path",
        json!({"request": {"mode": "save", "title": "Save the model", "default_name": "shop.toml",
            "filters": [{"name": "Scenario", "extensions": ["toml"]}]}}),
    )
    .expect("pick");
    let path = dir.path().join("shop.toml");
    assert_eq!(got, json!(path.display().to_string()));
    invoke(&w, "save_scenario", json!({"path": path, "text": MM1})).expect("granted");
    assert!(path.is_file());
}
