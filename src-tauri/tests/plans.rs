//! Sweeps, capacity searches, right-sizings and precision runs of the app, the work guard and the resolved
//! topology, on `tauri::test::mock_builder()`.

mod common;

use std::sync::Mutex;

use archsim::app::run::{run as run_blocking, RunRequest};
use archsim::app::ErrorCode;
use archsim_app::events::RunEvent;
use archsim_app::state::AppState;
use common::{app, invoke, MM1};
use serde_json::json;
use tauri::Manager;

use archsim::app::plan::{
    run_capacity as capacity_blocking, run_rightsize as rightsize_blocking,
    run_sweep as sweep_blocking, CapacityRequest, RightsizeRequest, SweepRequest,
};

#[test]
fn sweep_streams_progress_and_each_point_equals_a_plain_run_at_that_value() {
    let (app, _w) = app();
    let state = app.state::<AppState>();
    let events = Mutex::new(Vec::new());
    let req = SweepRequest {
        text: MM1.into(),
        file_name: "mm1.toml".into(),
        sets: vec!["workload.entries.req.arrival.rate=0.2,0.5".into()],
        replications: Some(2),
        threads: Some(2),
        ..Default::default()
    };
    let out =
        sweep_blocking(&req, &state, &|e| events.lock().expect("lock").push(e)).expect("sweep");
    assert!(!out.cancelled);
    assert!(!state.is_running());
    let r = &out.results;
    assert_eq!(r.parameters, ["workload.entries.req.arrival.rate"]);
    assert_eq!(r.points.len(), 2);
    assert_eq!(r.points[1].values["workload.entries.req.arrival.rate"], 0.5);
    let events = events.into_inner().expect("events");
    // 2 points × 1 variant × 2 replications, every one counted once
    assert!(matches!(&events[0], RunEvent::Started { total: 4, .. }));
    let mut done: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            RunEvent::Progress { done, total: 4, .. } => Some(*done),
            _ => None,
        })
        .collect();
    done.sort_unstable();
    assert_eq!(done, vec![1, 2, 3, 4]);
    // the point at rate 0.5 is the scenario run with rate 0.5 (same seed, same replications)
    let plain = run_blocking(
        &RunRequest {
            text: MM1.into(),
            file_name: "mm1.toml".into(),
            replications: Some(2),
            threads: Some(1),
            ..Default::default()
        },
        &state,
        &|_| {},
    )
    .expect("run");
    let a = r.points[1].variants[0].entries["req"].latency_s.mean.mean;
    let b = plain.results.variants[0].entries["req"].latency_s.mean.mean;
    assert_eq!(a, b);
    // and the point at 0.2 is lighter: M/M/1 mean response 1/(μ−λ) = 1.25 s vs 2 s
    let low = r.points[0].variants[0].entries["req"].latency_s.mean;
    assert!(low.ci95_low <= 1.25 && 1.25 <= low.ci95_high, "{low:?}");
    assert!(low.mean < a);
}

#[test]
fn sweep_cancel_returns_the_points_that_finished_and_bad_paths_are_located() {
    let (app, w) = app();
    let state = app.state::<AppState>();
    let slot = state.inner().clone();
    // long replications: the engine looks at the cancel flag every so many events
    let req = SweepRequest {
        text: MM1.replace("duration = \"2000s\"", "duration = \"200000s\""),
        file_name: "mm1.toml".into(),
        sets: vec!["workload.entries.req.arrival.rate=0.1..0.9:0.1".into()],
        replications: Some(1),
        threads: Some(1),
        ..Default::default()
    };
    let emit = |e: RunEvent| {
        if matches!(e, RunEvent::Progress { done: 1, .. }) {
            slot.cancel();
        }
    };
    let out = sweep_blocking(&req, &state, &emit).expect("partial sweep");
    assert!(
        out.cancelled,
        "{} points, {:?}",
        out.results.points.len(),
        out.results.warnings
    );
    assert!(!out.results.points.is_empty() && out.results.points.len() < 9);
    assert!(out
        .results
        .warnings
        .iter()
        .any(|w| w.starts_with("cancelled:")));
    // a path that does not exist: invalid_parameter, naming it
    let bad = SweepRequest {
        sets: vec!["workload.entries.nope.arrival.rate=1,2".into()],
        ..req.clone()
    };
    let err = sweep_blocking(&bad, &state, &|_| {}).expect_err("bad path");
    assert_eq!(err.code(), ErrorCode::InvalidParameter);
    assert!(err.to_string().contains("nope"), "{err}");
    let bad_knee = SweepRequest {
        knee: Some("0.5".into()),
        ..req.clone()
    };
    let err = sweep_blocking(&bad_knee, &state, &|_| {}).expect_err("bad knee");
    assert_eq!(err.code(), ErrorCode::InvalidParameter);
    // through IPC: the request and a channel; the error crosses as { code, message }
    let err = invoke(
        &w,
        "run_sweep",
        json!({"request": {"text": MM1, "file_name": "mm1.toml", "sets": ["workload.entries.req.arrival.rate=x"]},
               "onEvent": "__CHANNEL__:4244"}),
    )
    .expect_err("bad set");
    assert_eq!(err["code"], "invalid_parameter");
    assert!(err["message"].as_str().unwrap_or("").contains("--set"));
    let out = invoke(
        &w,
        "run_sweep",
        json!({"request": {"text": MM1, "file_name": "mm1.toml", "sets": ["workload.entries.req.arrival.rate=0.2,0.4"], "replications": 1},
               "onEvent": "__CHANNEL__:4245"}),
    )
    .expect("sweep");
    assert_eq!(out["results"]["points"].as_array().map(Vec::len), Some(2));
}

#[test]
fn capacity_brackets_the_mm1_closed_form_and_reports_every_step() {
    // M/M/1 with μ = 1/s: mean response 1/(μ−λ) < 2 s exactly when λ < 0.5/s. The search may
    // only report a rate where the SLO was met with 95% confidence, so max_rate < 0.5; at 0.3
    // the mean is 1.43 s, far inside, so it finds more than that.
    let (app, _w) = app();
    let state = app.state::<AppState>();
    let events = Mutex::new(Vec::new());
    let req = CapacityRequest {
        text: MM1.replace("rate = 0.5", "rate = 0.25"),
        file_name: "mm1.toml".into(),
        slo: "mean<2s".into(),
        precision: Some("5%".into()),
        replications: Some(3),
        threads: Some(2),
        ..Default::default()
    };
    let out = capacity_blocking(&req, &state, &|e| events.lock().expect("lock").push(e))
        .expect("capacity");
    assert!(!out.cancelled);
    let v = &out.results.variants[0];
    assert_eq!(v.status, archsim::plan::capacity::Status::Found);
    assert!(v.max_rate > 0.3 && v.max_rate < 0.5, "{}", v.max_rate);
    assert!(v.bracket[1] - v.bracket[0] <= 0.05 * v.bracket[0] + 1e-12);
    assert!((v.factor - v.max_rate / 0.25).abs() < 1e-12);
    let steps: Vec<(f64, archsim::results::slo::Verdict)> = events
        .into_inner()
        .expect("events")
        .into_iter()
        .filter_map(|e| match e {
            RunEvent::Step { rate, verdict, .. } => Some((rate, verdict)),
            _ => None,
        })
        .collect();
    let evals: Vec<(f64, archsim::results::slo::Verdict)> =
        v.evaluations.iter().map(|e| (e.rate, e.verdict)).collect();
    assert_eq!(steps, evals);
}

#[test]
fn capacity_cancel_keeps_the_bracket_and_bad_slo_or_entry_is_invalid_parameter() {
    let (app, _w) = app();
    let state = app.state::<AppState>();
    let slot = state.inner().clone();
    let req = CapacityRequest {
        text: MM1.replace("rate = 0.5", "rate = 0.25"),
        file_name: "mm1.toml".into(),
        slo: "mean<2s".into(),
        replications: Some(2),
        threads: Some(1),
        ..Default::default()
    };
    let emit = |e: RunEvent| {
        if matches!(e, RunEvent::Step { .. }) {
            slot.cancel();
        }
    };
    let out = capacity_blocking(&req, &state, &emit).expect("partial search");
    assert!(out.cancelled);
    let v = &out.results.variants[0];
    assert_eq!(v.status, archsim::plan::capacity::Status::Stopped);
    assert_eq!(v.evaluations.len(), 1);
    for (slo, entry, needle) in [
        ("p99<<3", None, "SLO"),
        ("mean<2s", Some("reqq"), "req"),
        ("mean<2s,nope.p99<1s", None, "nope"),
    ] {
        let bad = CapacityRequest {
            slo: slo.into(),
            entry: entry.map(String::from),
            ..req.clone()
        };
        let err = capacity_blocking(&bad, &state, &|_| {}).expect_err("bad input");
        assert_eq!(err.code(), ErrorCode::InvalidParameter, "{slo}: {err}");
        assert!(err.to_string().contains(needle), "{slo}: {err}");
    }
    let bad = CapacityRequest {
        precision: Some("150%".into()),
        ..req.clone()
    };
    assert_eq!(
        capacity_blocking(&bad, &state, &|_| {})
            .expect_err("bad precision")
            .code(),
        ErrorCode::InvalidParameter
    );
}

#[test]
fn precision_run_reports_replications_and_the_precision_reached() {
    let (app, _w) = app();
    let state = app.state::<AppState>();
    let events = Mutex::new(Vec::new());
    let req = RunRequest {
        text: MM1.into(),
        file_name: "mm1.toml".into(),
        replications: Some(5),
        threads: Some(2),
        precision: Some("10%".into()),
        max_replications: Some(60),
        ..Default::default()
    };
    let out = run_blocking(&req, &state, &|e| events.lock().expect("lock").push(e)).expect("run");
    let r = &out.results;
    let p = r.precision.as_ref().expect("precision result");
    assert!((p.target - 0.1).abs() < 1e-15);
    assert_eq!(p.max_replications, 60);
    assert!(r.replications >= 5 && r.replications <= 60);
    let events = events.into_inner().expect("events");
    assert!(matches!(&events[0], RunEvent::Started { total: 60, .. }));
    // progress counts every replication of every batch once
    let mut done: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            RunEvent::Progress {
                done, total: 60, ..
            } => Some(*done),
            _ => None,
        })
        .collect();
    done.sort_unstable();
    assert_eq!(done, (1..=r.replications as usize).collect::<Vec<_>>());
    let last = events
        .iter()
        .rev()
        .find_map(|e| match e {
            RunEvent::Precision {
                replications,
                relative_half_width,
                target,
                ..
            } => Some((*replications, *relative_half_width, *target)),
            _ => None,
        })
        .expect("precision events");
    assert_eq!(last.0, r.replications);
    assert_eq!(last.2, 0.1);
    // the worst so far is the library's stopping rule over the same replications: the
    // final figure exactly, units' utilization and the bootstrap p99 included
    let worst = p
        .metrics
        .iter()
        .map(|m| m.relative_half_width)
        .fold(0.0, f64::max);
    assert_eq!(last.1, worst);
    assert!(p
        .metrics
        .iter()
        .any(|m| m.metric == "unit station utilization"));
    let mean = r.variants[0].entries["req"].latency_s.mean;
    let rhw = mean.relative_half_width();
    assert!(rhw <= last.1, "{rhw} vs {}", last.1);
    if p.met {
        assert!(last.1 <= 0.1);
    }
    // each replication's events come together, in the order they finished: `replication`,
    // `progress` (1, 2, 3, …), `precision`
    let mut counts = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if matches!(e, RunEvent::Precision { .. }) {
            assert!(matches!(events[i - 2], RunEvent::Replication { .. }));
            match events[i - 1] {
                RunEvent::Progress { done, .. } => counts.push(done),
                ref other => panic!("precision after {other:?}"),
            }
        }
    }
    assert_eq!(counts, (1..=r.replications as usize).collect::<Vec<_>>());
    let bad = RunRequest {
        precision: Some("2".into()),
        ..req.clone()
    };
    let err = run_blocking(&bad, &state, &|_| {}).expect_err("bad precision");
    assert_eq!(err.code(), ErrorCode::InvalidParameter);
    assert!(err.to_string().contains("percentage"));
}

// ---- the work guard and the resolved topology ----

#[test]
fn the_app_refuses_a_run_above_the_work_limit_as_too_much_work() {
    // 500,000 arrivals per second for 2,000 s: far above the default limit of 2·10⁹ events,
    // which the app applies as the CLI does
    let (app, w) = app();
    let state = app.state::<AppState>();
    let huge = MM1.replace("rate = 0.5", "rate = 500000");
    let req = RunRequest {
        text: huge.clone(),
        file_name: "mm1.toml".into(),
        ..Default::default()
    };
    let events = Mutex::new(Vec::new());
    let err = run_blocking(&req, &state, &|e| events.lock().expect("lock").push(e))
        .expect_err("too much work");
    assert_eq!(err.code(), ErrorCode::TooMuchWork);
    // refused before it started: no event, the slot free
    assert!(events.into_inner().expect("events").is_empty());
    assert!(!state.is_running());
    // the message is the CLI's (`archsim run` with the same file name and limit)
    let cli = archsim::app::run::prepare(&RunRequest {
        max_events: Some(archsim::app::guard::DEFAULT_MAX_EVENTS),
        ..req.clone()
    })
    .expect_err("the CLI's refusal");
    assert_eq!(err.to_string(), cli.to_string());
    assert!(err
        .to_string()
        .starts_with("mm1.toml: this run would process about "));
    // through the command: { code: "too_much_work", message, diagnostics: [] }
    let err = invoke(
        &w,
        "run_scenario",
        json!({"request": {"text": huge, "file_name": "mm1.toml"}, "onEvent": "__CHANNEL__:4246"}),
    )
    .expect_err("too much work");
    assert_eq!(err["code"], "too_much_work");
    assert_eq!(err["message"], json!(cli.to_string()));
    assert_eq!(err["diagnostics"], json!([]));
    // and a sweep whose points are each above a lower limit
    let err = invoke(
        &w,
        "run_sweep",
        json!({"request": {"text": MM1, "file_name": "mm1.toml", "max_events": 1000,
                           "sets": ["workload.entries.req.arrival.rate=0.2,0.4"]},
               "onEvent": "__CHANNEL__:4247"}),
    )
    .expect_err("too much work");
    assert_eq!(err["code"], "too_much_work");
}

#[test]
fn the_analysis_carries_the_resolved_topology() {
    let (_app, w) = app();
    let gw = MM1.replace(
        "[[variants]]\nname = \"single\"\n",
        "[[variants]]\nname = \"single\"\ngateway = { replicas = 2 }\n",
    );
    let a = invoke(
        &w,
        "analyze_scenario",
        json!({"text": gw, "fileName": "mm1.toml"}),
    )
    .expect("analysis");
    let t = &a["topology"][0];
    assert_eq!(t["variant"], "single");
    let nodes = t["nodes"].as_array().expect("nodes");
    let station = nodes.iter().find(|n| n["name"] == "station").expect("unit");
    assert_eq!(station["kind"], "unit");
    assert_eq!(station["modules"], json!(["station", "spare"]));
    let gateway = nodes
        .iter()
        .find(|n| n["kind"] == "gateway")
        .expect("gateway");
    assert_eq!(gateway["instances"], 2);
    assert_eq!(
        t["entries"][0]["via"],
        json!([{"kind": "gateway", "name": "gateway"}])
    );
    let same = invoke(
        &w,
        "scenario_topology",
        json!({"text": gw, "fileName": "mm1.toml"}),
    )
    .expect("topology");
    assert_eq!(same, a["topology"]);
    let err = invoke(
        &w,
        "scenario_topology",
        json!({"text": "x", "fileName": "bad.toml"}),
    )
    .expect_err("invalid");
    assert_eq!(err["code"], "invalid_scenario");
    let bad = invoke(
        &w,
        "analyze_scenario",
        json!({"text": "x", "fileName": "bad.toml"}),
    )
    .expect("analysis");
    assert_eq!(bad["topology"], json!([]));
}

#[test]
fn capacity_over_ipc_returns_the_verdicts_that_can_fail() {
    // M/M/1 without timeout: an errors-only SLO cannot see overload (nothing simulated); a
    // mean below 1 ns is violated at vanishing load (one evaluation, at ρ = 1%: 0.01/s).
    let (_app, w) = app();
    let mut found = Vec::new();
    for (i, slo) in ["errors<1%", "mean<1ns"].into_iter().enumerate() {
        let out = invoke(
            &w,
            "run_capacity",
            json!({"request": {"text": MM1, "file_name": "mm1.toml", "slo": slo, "threads": 1},
                   "onEvent": format!("__CHANNEL__:{}", 4300 + i)}),
        )
        .expect("capacity");
        let v = &out["results"]["variants"][0];
        assert!(v["reason"].as_str().is_some_and(|r| !r.is_empty()), "{v}");
        found.push((
            v["status"].as_str().unwrap_or("").to_string(),
            v["evaluations"].as_array().map_or(0, Vec::len),
        ));
    }
    assert_eq!(
        found,
        [
            ("overload_undetectable".to_string(), 0),
            ("not_met_at_any_rate".to_string(), 1)
        ]
    );
}

#[test]
fn rightsize_finds_the_replicas_of_the_mm1_closed_form_and_equals_the_library() {
    // Random balancing thins the Poisson stream: each of r replicas is an M/M/1 with
    // λ/r = 1.2/r and μ = 1/s, mean response 1/(1 − 1.2/r): 2.5 s at r = 2 (the SLO mean < 2 s
    // fails), 1.67 s at r = 3 (met). So the cheapest plan is 3 replicas of `station`; the
    // idle unit stays at 1.
    let (app, _w) = app();
    let state = app.state::<AppState>();
    let text = MM1.replace(
        "name = \"station\"\nmodules = [\"station\", \"spare\"]",
        "name = \"station\"\nmodules = [\"station\", \"spare\"]\nlb = \"random\"",
    );
    assert!(text.contains("lb = \"random\""));
    let events = Mutex::new(Vec::new());
    let req = RightsizeRequest {
        text: text.clone(),
        file_name: "mm1.toml".into(),
        slo: "mean<2s".into(),
        rate: 1.2,
        search: Some("replicas".into()),
        replications: Some(3),
        threads: Some(2),
        ..Default::default()
    };
    let out = rightsize_blocking(&req, &state, &|e| events.lock().expect("lock").push(e))
        .expect("rightsize");
    assert!(!out.cancelled);
    assert!(!state.is_running());
    let v = &out.results.variants[0];
    assert!(v.met, "{v:?}");
    let replicas = |node: &str| v.plan.iter().find(|s| s.node == node).map(|s| s.value);
    assert_eq!(replicas("station"), Some(3), "{:?}", v.plan);
    assert_eq!(replicas("other"), Some(1), "{:?}", v.plan);
    assert!(matches!(
        events.lock().expect("lock").first(),
        Some(RunEvent::Started { .. })
    ));
    // the same right-sizing through the library (what `archsim rightsize` runs) gives the
    // same document
    let p = archsim::app::plan::prepare_rightsize(&req).expect("prepare");
    let opts = archsim::plan::rightsize::RightsizeOptions {
        run: archsim::runner::RunOptions {
            replications: Some(3),
            threads: Some(2),
            ..Default::default()
        },
        rate: 1.2,
        entry: None,
        max_value: 64,
        max_evaluations: 200,
        search: p.spec.search.clone(),
    };
    let lib = archsim::plan::rightsize::rightsize(&text, "mm1.toml", &p.spec.slo, &opts)
        .expect("library");
    assert_eq!(
        serde_json::to_value(&lib).expect("json"),
        serde_json::to_value(&out.results).expect("json")
    );
    // bad input is an invalid parameter naming what is wrong
    for (bad, needle) in [
        (
            RightsizeRequest {
                slo: "p99<<3".into(),
                ..req.clone()
            },
            "SLO",
        ),
        (
            RightsizeRequest {
                search: Some("replicas,wings".into()),
                ..req.clone()
            },
            "wings",
        ),
        (
            RightsizeRequest {
                max_value: Some(0),
                ..req.clone()
            },
            "--max-value",
        ),
    ] {
        let err = rightsize_blocking(&bad, &state, &|_| {}).expect_err("bad input");
        assert_eq!(err.code(), ErrorCode::InvalidParameter, "{err}");
        assert!(err.to_string().contains(needle), "{err}");
    }
}
