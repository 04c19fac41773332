use std::sync::Mutex;

use super::*;
use crate::app::error::ErrorCode;

const MM1: &str = r#"
name = "M/M/1"
seed = 7
replications = 3
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "100s"
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
workers = 2
cores = 2
"#;

fn request() -> RunRequest {
    RunRequest {
        text: MM1.into(),
        file_name: "mm1.toml".into(),
        ..Default::default()
    }
}

#[test]
fn the_work_guard_refuses_a_run_above_the_limit_before_it_starts() {
    let req = RunRequest {
        max_events: Some(1000.0),
        ..request()
    };
    let e = prepare(&req).expect_err("too much work");
    assert_eq!(e.code(), ErrorCode::TooMuchWork);
    let m = e.to_string();
    assert!(
        m.starts_with("mm1.toml: this run would process about "),
        "{m}"
    );
    assert!(m.contains("(limit 1.00e3)"), "{m}");
    assert!(m.contains("or raise the limit with --max-events "), "{m}");
    // nothing ran: the slot was never claimed
    let slot = RunSlot::default();
    assert!(run(&req, &slot, &|_| panic!("no event before the guard")).is_err());
    // the default limit admits it
    assert!(prepare(&request()).is_ok());
    let bad = RunRequest {
        max_events: Some(-1.0),
        ..request()
    };
    assert_eq!(
        prepare(&bad).expect_err("bad limit").to_string(),
        "--max-events must be a positive number of events, found -1"
    );
}

#[test]
fn variants_are_selected_by_name_and_unknown_ones_refused() {
    let req = RunRequest {
        variants: vec!["double".into()],
        ..request()
    };
    let plan = prepare(&req).expect("plan");
    assert_eq!(plan.variants, vec![1]);
    assert_eq!(plan.variant_names, vec!["double".to_string()]);
    assert_eq!(plan.total(), 3);
    let req = RunRequest {
        variants: vec!["tripple".into()],
        ..request()
    };
    let e = prepare(&req).expect_err("unknown");
    assert_eq!(e.code(), ErrorCode::InvalidParameter);
    assert_eq!(
        e.to_string(),
        "no variant named `tripple`; the scenario has: single, double"
    );
}

#[test]
fn precision_options_are_validated() {
    for (precision, max, needle) in [
        ("200%", None, "--precision 200%: expected a percentage"),
        ("2", None, "--precision 2: expected a percentage"),
        ("", None, "--precision : expected a percentage"),
        ("5%", Some(0), "--max-replications must be at least 1"),
    ] {
        let req = RunRequest {
            precision: Some(precision.into()),
            max_replications: max,
            ..request()
        };
        let e = prepare(&req).expect_err(needle);
        assert_eq!(e.code(), ErrorCode::InvalidParameter);
        assert!(e.to_string().starts_with(needle), "{e}");
    }
    let sharded = RunRequest {
        precision: Some("5%".into()),
        sharded: true,
        ..request()
    };
    assert!(prepare(&sharded)
        .expect_err("sharded")
        .to_string()
        .contains("cannot be sharded"));
    let ok = RunRequest {
        precision: Some("5%".into()),
        max_replications: Some(40),
        ..request()
    };
    let plan = prepare(&ok).expect("plan");
    assert_eq!(plan.precision, Some(0.05));
    // progress counts every replication up to the cap, for both variants
    assert_eq!(plan.total(), 80);
}

#[test]
fn a_precision_run_reports_in_order_and_ends_on_the_results_precision() {
    let req = RunRequest {
        replications: Some(5),
        threads: Some(2),
        precision: Some("5%".into()),
        max_replications: Some(30),
        ..request()
    };
    let events = Mutex::new(Vec::new());
    let out = run(&req, &RunSlot::default(), &|e| {
        events.lock().expect("lock").push(e)
    })
    .expect("run");
    let r = &out.results;
    let p = r.precision.as_ref().expect("precision");
    let events = events.into_inner().expect("events");
    assert!(matches!(&events[0], RunEvent::Started { total: 60, .. }));
    // each finished replication reports `replication`, `progress`, `precision` together
    let mut done = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if let RunEvent::Precision { .. } = e {
            match (&events[i - 2], &events[i - 1]) {
                (
                    RunEvent::Replication { .. },
                    RunEvent::Progress {
                        done: d, total: 60, ..
                    },
                ) => done.push(*d),
                other => panic!("precision after {other:?}"),
            }
        }
    }
    // progress is sent with the tracker held: in order, 1, 2, …, every replication
    assert_eq!(done, (1..=2 * r.replications as usize).collect::<Vec<_>>());
    let last = events
        .iter()
        .rev()
        .find_map(|e| match e {
            RunEvent::Precision {
                replications,
                relative_half_width,
                ..
            } => Some((*replications, *relative_half_width)),
            _ => None,
        })
        .expect("precision events");
    assert_eq!(last.0, r.replications);
    // the library's rule over the same replications: the final figure exactly
    let worst = p
        .metrics
        .iter()
        .map(|m| m.relative_half_width)
        .fold(0.0, f64::max);
    assert_eq!(last.1, worst);
    assert!(p.metrics.iter().any(|m| m.metric.contains("utilization")));
}
