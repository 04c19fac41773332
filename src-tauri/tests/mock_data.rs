//! The UI's mock backend replays responses recorded from the real commands
//! (`ui/src/api/mock-data.json`). `UPDATE_MOCK_DATA=1 cargo test -p archsim-app --test mock_data`
//! records them again (`UPDATE_MOCK_PLANS=1`, `UPDATE_MOCK_EDITS=1` only a part); without it,
//! the test checks that the committed recording still has the shape of the current types (so
//! the browser tests never run on stale data).

use std::path::Path;
use std::sync::Mutex;

use archsim::app::analysis::{self, analyze as analyze_text, Edit};
use archsim::app::files::lessons_in;
use archsim::app::org::DecomposeRequest;
use archsim::app::plan::{
    run_capacity as capacity_blocking, run_rightsize as rightsize_blocking,
    run_sweep as sweep_blocking, CapacityRequest, RightsizeRequest, SweepRequest,
};
use archsim::app::run::{run as run_blocking, RunRequest};
use archsim::app::telemetry::{self, CalibrateRequest, DiscoverRequest};
use archsim::app::RunSlot as AppState;
use archsim::scenario::document::PathSeg;
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

/// The lesson the recorded edits are made on.
const EDIT_LESSON: &str = "scenarios/online-shop.toml";

/// The editor's edits the browser tests make on the online shop, in their order, each with
/// the text it applies to and the shell's analysis of the result (its estimate and topology
/// are the real ones; moving `payments`, the only module of its unit, leaves that unit empty,
/// which is an error: that analysis has diagnostics and no topology); and the shell's refusals
/// of bad precision targets.
fn record_edits() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let original = std::fs::read_to_string(root.join(EDIT_LESSON)).expect("read");
    let mut text = original.clone();
    let seg = |s: &str| PathSeg::Key(s.into());
    let edits = [
        Edit::SetValue {
            path: vec![
                seg("variants"),
                PathSeg::Index(0),
                seg("units"),
                PathSeg::Index(0),
                seg("replicas"),
            ],
            value: json!(5),
        },
        Edit::MoveModule {
            variant: "microservices".into(),
            module: "payments".into(),
            to_unit: "orders".into(),
        },
    ];
    let mut recorded = Vec::new();
    for edit in edits {
        let a = analysis::edit(
            &text,
            "online-shop.toml".into(),
            Some(EDIT_LESSON.into()),
            &edit,
        )
        .expect("edit applies");
        recorded.push(json!({"edit": edit, "text": text, "analysis": a}));
        text = a.text;
    }
    // the decomposition the browser tests preview (2 units from the monolith) and the edit
    // applying it, both on the lesson as written
    let request = DecomposeRequest {
        text: original.clone(),
        file_name: "online-shop.toml".into(),
        units: 2,
        simulated_requests: None,
        store_weight: 1.0,
        team_bonus: 0.5,
        balance: 0.25,
        base: Some("monolith".into()),
        out_file_name: Some("online-shop.toml".into()),
    };
    let outcome = archsim::app::org::decompose(&request).expect("decomposition");
    let name = outcome
        .new_variant
        .as_ref()
        .expect("new variant")
        .name
        .clone();
    let edit = Edit::DecomposedVariant {
        variant: "monolith".into(),
        name,
        units: 2,
        simulated_requests: None,
        store_weight: None,
        team_bonus: None,
        balance: None,
    };
    let a = analysis::edit(
        &original,
        "online-shop.toml".into(),
        Some(EDIT_LESSON.into()),
        &edit,
    )
    .expect("decomposed variant");
    recorded.push(json!({"edit": edit, "text": original, "analysis": a}));
    let mut refusals = serde_json::Map::new();
    for precision in ["200%", "2", "0%", "x"] {
        let req = RunRequest {
            text: original.clone(),
            file_name: "online-shop.toml".into(),
            precision: Some(precision.into()),
            ..Default::default()
        };
        let e = archsim::app::run::prepare(&req).expect_err("refused");
        refusals.insert(precision.into(), serde_json::to_value(&e).expect("json"));
    }
    json!({
        "edits": {EDIT_LESSON: recorded},
        "run_refusals": refusals,
        "decompositions": {EDIT_LESSON: {"units": 2, "base": "monolith", "outcome": outcome}},
    })
}

/// The trace file the recorded discovery reads (the path the UI names in the mock backend is
/// whatever its pretend dialog answers: the recording is replayed for any).
const TRACES: &str = "tests/fixtures/traces/testbed-otlp.jsonl";

/// A discovery from the fixture's traces and a calibration of the discovered model against
/// them (2 rounds of 2 replications, to keep the recording small).
fn record_telemetry() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let traces = vec![root.join(TRACES).display().to_string()];
    let request = DiscoverRequest {
        traces: traces.clone(),
        utilization: None,
        deployment: Vec::new(),
        fit: None,
        window: None,
        name: None,
        file_name: None,
    };
    let mut discovered = telemetry::discover(&request).expect("discovery");
    // the report names the files read: record the repository's path, not this machine's
    for f in &mut discovered.report.files {
        f.path = TRACES.into();
    }
    discovered.report_text = discovered.report.text();
    let calibrate = CalibrateRequest {
        text: discovered.analysis.text.clone(),
        file_name: discovered.analysis.file_name.clone(),
        path: None,
        traces,
        variant: None,
        rounds: Some(2),
        replications: Some(2),
        seed: None,
        threads: Some(1),
        max_events: None,
    };
    let calibrated = telemetry::calibrate(&calibrate).expect("calibration");
    json!({"telemetry": {"traces": TRACES, "discovery": discovered, "calibration": calibrated}})
}

/// The lesson the sweep, capacity and precision recordings are made on.
const PLAN_LESSON: &str = "scenarios/lessons/black-friday.toml";

fn events_of<T: serde::Serialize>(
    f: impl FnOnce(&(dyn Fn(archsim_app::events::RunEvent) + Sync)) -> T,
) -> Value {
    let events = Mutex::new(Vec::new());
    let out = f(&|e| events.lock().expect("lock").push(e));
    json!({"events": events.into_inner().expect("events"), "outcome": out})
}

/// A sweep, a capacity search and a right-sizing of the Black Friday lesson (as its header
/// suggests, with fewer replications to keep the recording small), and a run of it with a
/// precision target.
fn record_plans() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(PLAN_LESSON)).expect("read");
    let name = "black-friday.toml".to_string();
    let state = AppState::default();
    let sweep = events_of(|emit| {
        let req = SweepRequest {
            text: text.clone(),
            file_name: name.clone(),
            sets: vec!["workload.entries.browse.arrival.rate=800..4000:800".into()],
            replications: Some(2),
            ..Default::default()
        };
        let mut out = sweep_blocking(&req, &state, emit).expect("sweep");
        out.results.strip_timings();
        out
    });
    let capacity = events_of(|emit| {
        let req = CapacityRequest {
            text: text.clone(),
            file_name: name.clone(),
            slo: "p99<300ms,errors<0.1%".into(),
            precision: Some("5%".into()),
            replications: Some(2),
            ..Default::default()
        };
        capacity_blocking(&req, &state, emit).expect("capacity")
    });
    let rightsize = events_of(|emit| {
        let req = RightsizeRequest {
            text: text.clone(),
            file_name: name.clone(),
            slo: "p99<300ms,errors<0.1%".into(),
            rate: 4250.0,
            replications: Some(2),
            ..Default::default()
        };
        rightsize_blocking(&req, &state, emit).expect("rightsize")
    });
    let precision = events_of(|emit| {
        let req = RunRequest {
            text: text.clone(),
            file_name: name.clone(),
            precision: Some("2%".into()),
            max_replications: Some(20),
            ..Default::default()
        };
        run_blocking(&req, &state, emit).expect("precision run")
    });
    json!({
        "sweeps": {PLAN_LESSON: sweep},
        "capacities": {PLAN_LESSON: capacity},
        "rightsizes": {PLAN_LESSON: rightsize},
        "precision_runs": {PLAN_LESSON: precision},
    })
}

#[test]
fn mock_data_matches_the_current_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/api/mock-data.json");
    let all = std::env::var_os("UPDATE_MOCK_DATA").is_some();
    // UPDATE_MOCK_PLANS=1 records only the sweep, capacity, right-sizing and precision runs,
    // UPDATE_MOCK_EDITS=1 only the edits and the refusals, UPDATE_MOCK_TELEMETRY=1 only the
    // discovery and the calibration.
    let plans = all || std::env::var_os("UPDATE_MOCK_PLANS").is_some();
    let edits = all || std::env::var_os("UPDATE_MOCK_EDITS").is_some();
    let telemetry = all || std::env::var_os("UPDATE_MOCK_TELEMETRY").is_some();
    if plans || edits || telemetry {
        let mut v = if all {
            record()
        } else {
            let old = std::fs::read_to_string(&path).expect("mock data to extend");
            serde_json::from_str(&old).expect("json")
        };
        for (wanted, part) in [
            (plans, record_plans as fn() -> Value),
            (edits, record_edits),
            (telemetry, record_telemetry),
        ] {
            if let (true, Some(o), Value::Object(more)) = (wanted, v.as_object_mut(), part()) {
                o.extend(more);
            }
        }
        std::fs::write(&path, serde_json::to_string(&v).expect("json") + "\n").expect("write");
    }
    let text = std::fs::read_to_string(&path).expect("ui/src/api/mock-data.json exists");
    let v: Value = serde_json::from_str(&text).expect("json");
    let runs = v["runs"].as_object().expect("runs");
    assert!(runs.contains_key("scenarios/online-shop.toml"));
    for (name, run) in runs {
        let r: Result<archsim::results::Results, _> =
            serde_json::from_value(run["outcome"]["results"].clone());
        assert!(r.is_ok(), "{name}: recorded results no longer match the Results type: {r:?}; record again with UPDATE_MOCK_DATA=1");
    }
    assert!(v["schema"]["properties"]["variants"].is_object());
    for (name, a) in v["analyses"].as_object().expect("analyses") {
        let t: Result<Vec<archsim::app::topology::VariantTopology>, _> =
            serde_json::from_value(a["topology"].clone());
        assert!(
            t.is_ok_and(|t| !t.is_empty()),
            "{name}: the recorded analysis has no topology of the current type; record again with UPDATE_MOCK_DATA=1"
        );
    }
    let edits = v["edits"][EDIT_LESSON].as_array();
    assert!(
        edits.is_some_and(|e| e.len() == 3 && e.iter().all(|x| x["analysis"]["text"].is_string())),
        "recorded edits missing; record with UPDATE_MOCK_EDITS=1"
    );
    assert_eq!(v["run_refusals"]["200%"]["code"], "invalid_parameter");
    let dec = &v["decompositions"][EDIT_LESSON]["outcome"];
    assert!(
        dec["decomposition"]["units"]
            .as_array()
            .is_some_and(|u| u.len() == 2)
            && dec["new_variant"]["text"].is_string(),
        "recorded decomposition missing; record with UPDATE_MOCK_EDITS=1"
    );
    let t = &v["telemetry"];
    assert!(
        t["discovery"]["analysis"]["text"].is_string()
            && t["calibration"]["report"]["cdfs"]
                .as_array()
                .is_some_and(|c| !c.is_empty()),
        "recorded discovery and calibration missing; record with UPDATE_MOCK_TELEMETRY=1"
    );
    let sweep = &v["sweeps"][PLAN_LESSON]["outcome"]["results"];
    let r: Result<archsim::plan::sweep::SweepResults, _> = serde_json::from_value(sweep.clone());
    assert!(r.is_ok(), "recorded sweep no longer matches SweepResults: {r:?}; record again with UPDATE_MOCK_PLANS=1");
    let cap = &v["capacities"][PLAN_LESSON]["outcome"]["results"];
    assert!(
        cap["variants"].as_array().is_some_and(|a| !a.is_empty()),
        "recorded capacity search missing; record with UPDATE_MOCK_PLANS=1"
    );
    for c in cap["variants"].as_array().into_iter().flatten() {
        assert!(c["max_rate"].is_number() && c["status"].is_string());
    }
    let rs = &v["rightsizes"][PLAN_LESSON]["outcome"]["results"];
    let r: Result<archsim::plan::rightsize::RightsizeResults, _> =
        serde_json::from_value(rs.clone());
    assert!(
        r.is_ok_and(|r| !r.variants.is_empty()),
        "recorded right-sizing missing or no longer a RightsizeResults; record with UPDATE_MOCK_PLANS=1"
    );
    let p: Result<archsim::results::Results, _> =
        serde_json::from_value(v["precision_runs"][PLAN_LESSON]["outcome"]["results"].clone());
    assert!(
        p.is_ok_and(|r| r.precision.is_some()),
        "recorded precision run missing"
    );
}
