//! The UI's mock backend replays responses recorded from the real commands
//! (`ui/src/api/mock-data.json`). `UPDATE_MOCK_DATA=1 cargo test -p archsim-app --test mock_data`
//! records them again; without it, the test checks that the committed recording still has the
//! shape of the current types (so the browser tests never run on stale data).

use std::path::Path;
use std::sync::Mutex;

use archsim_app::commands::run::{run_blocking, RunRequest};
use archsim_app::commands::scenario::{analyze_text, lessons_in};
use archsim_app::state::AppState;
use serde_json::{json, Value};

fn record() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut lessons = lessons_in(&root.join("scenarios"));
    let mut analyses = serde_json::Map::new();
    let mut runs = serde_json::Map::new();
    for l in &mut lessons {
        l.path = format!("scenarios/{}", l.rel);
        let text = std::fs::read_to_string(root.join(&l.path)).expect("read");
        let name = l.rel.rsplit('/').next().unwrap_or(&l.rel).to_string();
        let a = analyze_text(text.clone(), name.clone(), Some(l.path.clone()));
        analyses.insert(l.path.clone(), serde_json::to_value(&a).expect("json"));
        let events = Mutex::new(Vec::new());
        let req = RunRequest {
            text,
            file_name: name,
            replications: Some(3),
            threads: Some(1),
            ..Default::default()
        };
        let out = run_blocking(&req, &AppState::default(), &|e| {
            events.lock().expect("lock").push(e)
        })
        .expect("run");
        runs.insert(
            l.path.clone(),
            json!({"events": events.into_inner().expect("events"), "outcome": out}),
        );
    }
    json!({
        "lessons": lessons,
        "analyses": analyses,
        "runs": runs,
        "schema": archsim::scenario::json_schema(),
    })
}

#[test]
fn mock_data_matches_the_current_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/api/mock-data.json");
    if std::env::var_os("UPDATE_MOCK_DATA").is_some() {
        let v = record();
        std::fs::write(&path, serde_json::to_string(&v).expect("json") + "\n").expect("write");
    }
    let text = std::fs::read_to_string(&path).expect("ui/src/api/mock-data.json exists");
    let v: Value = serde_json::from_str(&text).expect("json");
    let runs = v["runs"].as_object().expect("runs");
    assert!(runs.contains_key("scenarios/online-shop.toml"));
    for (name, run) in runs {
        let r: Result<archsim::report::Results, _> =
            serde_json::from_value(run["outcome"]["results"].clone());
        assert!(r.is_ok(), "{name}: recorded results no longer match the Results type: {r:?}; record again with UPDATE_MOCK_DATA=1");
    }
    assert!(v["schema"]["properties"]["variants"].is_object());
}
