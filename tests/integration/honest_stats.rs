//! Honest statistics: replications without a completed request have no latency, paired
//! differences use only the pairs that have one, intervals of quantities that cannot be
//! negative stay ≥ 0, one replication claims no interval, empty windows are empty, and the
//! warm-up warning fires only on evidence and only for stationary workloads.

use crate::common::{load, root, run, scenario};
use crate::scenarios::scenario_files;
use archsim::results::Results;
use archsim::runner::{self, RunOptions};
use serde_json::Value;

/// A station behind a plain gateway: `fast` without a gateway, `slow` with a gateway overhead
/// of `overhead` (TOML text, may be uncertain). A request through `slow` takes exactly 1 ms more
/// than through `fast` when the overhead is 1 ms (the same arrivals and demands, a pure delay
/// in front); with 1000 s it completes nothing in a 50 s run.
fn gateway_pair(overhead: &str, replications: u32) -> String {
    format!(
        r#"name = "pair"
seed = 5
replications = {replications}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "50s"
warmup = "5s"
[[workload.entries]]
name = "req"
op = "station.work"
arrival = {{ process = "poisson", rate = 50 }}
[modules.station]
ops.work = {{ cpu = {{ dist = "exp", mean = "5ms" }} }}
[[variants]]
name = "fast"
[[variants.units]]
name = "station"
modules = ["station"]
cores = 1
workers = 1
[[variants]]
name = "slow"
gateway = {{ overhead = {overhead} }}
[[variants.units]]
name = "station"
modules = ["station"]
cores = 1
workers = 1
"#
    )
}

/// Replications in which `slow` completed nothing are left out of its latency, counted, and
/// left out of the paired differences: over the pairs left the difference is exactly the
/// 1 ms overhead (counting them as latency 0 would make it about −5 ms).
#[test]
fn a_replication_without_completions_has_no_latency() {
    let s = scenario(&gateway_pair(r#"{ choice = ["1ms", "1000s"] }"#, 12));
    let r = run(&s);
    let drawn = &r
        .uncertainty
        .as_ref()
        .expect("uncertain overhead")
        .parameters[0]
        .drawn;
    let stuck = drawn.iter().filter(|&&x| x > 1.0).count();
    assert!(stuck > 0 && stuck < drawn.len(), "{drawn:?}");
    let slow = &r.variants[1].entries["req"];
    assert_eq!(slow.latency_s.replications_without_samples as usize, stuck);
    assert_eq!(slow.completed.min, 0.0);
    let fast = &r.variants[0].entries["req"];
    assert_eq!(fast.latency_s.replications_without_samples, 0);
    // No zero among the samples: the smallest replication mean is above the overhead.
    assert!(slow.latency_s.mean.min > 0.001, "{:?}", slow.latency_s.mean);
    let d = &r.comparisons[0].entries["req"];
    assert_eq!(d.latency_pairs as usize, drawn.len() - stuck);
    assert!(
        (d.latency_mean_s.mean - 0.001).abs() < 1e-9 && d.latency_mean_s.half_width() < 1e-9,
        "{:?}",
        d.latency_mean_s
    );
    let text = archsim::report::render_text(&r);
    assert!(
        text.contains(&format!("{stuck} of 12 replications completed no request")),
        "{text}"
    );
    assert!(
        text.contains(&format!("latency over {} of 12 pairs", 12 - stuck)),
        "{text}"
    );
}

/// When no replication completed a request the latency is n/a, and so are the differences.
#[test]
fn no_completion_at_all_is_not_applicable() {
    let r = run(&scenario(&gateway_pair(r#""1000s""#, 3)));
    let slow = &r.variants[1].entries["req"].latency_s;
    assert!(slow.is_na(r.replications), "{slow:?}");
    assert_eq!(r.comparisons[0].entries["req"].latency_pairs, 0);
    let text = archsim::report::render_text(&r);
    assert!(text.contains("n/a"), "{text}");
    assert!(text.contains("latency n/a"), "{text}");
}

/// Every Stat of `v` (not under `comparisons`, whose differences are signed) whose samples are
/// all ≥ 0 has an interval ≥ 0; returns how many Stats were checked.
fn check_non_negative(v: &Value, path: &str, bad: &mut Vec<String>) -> usize {
    match v {
        Value::Object(o) => {
            let f = |k: &str| o.get(k).and_then(Value::as_f64);
            if let (Some(lo), Some(min), Some(_)) = (f("ci95_low"), f("min"), f("ci95_high")) {
                if min >= 0.0 && lo < 0.0 {
                    bad.push(format!("{path}: {v}"));
                }
                return 1;
            }
            o.iter()
                .filter(|(k, _)| k.as_str() != "comparisons")
                .map(|(k, x)| check_non_negative(x, &format!("{path}.{k}"), bad))
                .sum()
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, x)| check_non_negative(x, &format!("{path}[{i}]"), bad))
            .sum(),
        _ => 0,
    }
}

/// The lessons whose counts had negative lower bounds: none is left, anywhere in the document.
#[test]
fn shipped_lessons_have_no_negative_lower_bounds() {
    for f in [
        "host-outage",
        "lb-single-point-of-failure",
        "autoscaling-lag",
        "cascading-failure",
    ] {
        let r = run(&load(&format!("scenarios/lessons/{f}.toml")));
        let doc: Value = serde_json::from_str(&r.to_json()).expect("json");
        let mut bad = Vec::new();
        let n = check_non_negative(&doc, f, &mut bad);
        assert!(n > 20, "{f}: only {n} Stats found");
        assert!(bad.is_empty(), "{f}: {bad:#?}");
    }
}

/// With one replication nothing claims an interval or a confidence level.
#[test]
fn one_replication_claims_no_interval() {
    let r = run(&scenario(&gateway_pair(r#""1ms""#, 1)));
    let text = archsim::report::render_text(&r);
    assert!(text.contains("one replication: no interval"), "{text}");
    assert!(!text.contains("95%"), "{text}");
    assert!(!text.contains("confidence"), "{text}");
    assert!(!text.contains(" ± "), "{text}");
}

/// A window in which no request completed has no latency: `null` in JSON and an empty cell in
/// series.csv, exactly where the throughput of the window is 0.
#[test]
fn empty_windows_are_null() {
    let text = gateway_pair(r#""1ms""#, 2)
        .replace("rate = 50", "rate = 0.5")
        .replace("[workload]", "[workload]\nwindow = \"200ms\"");
    let r = run(&scenario(&text));
    let es = &r.variants[0].series.entries["req"];
    let empty = es.throughput_per_s.iter().filter(|&&x| x == 0.0).count();
    assert!(empty > 10, "{empty} empty windows");
    for (i, (&t, p)) in es.throughput_per_s.iter().zip(&es.p99_s).enumerate() {
        assert_eq!(t == 0.0, p.is_none(), "window {i}: {t} /s, p99 {p:?}");
    }
    let doc: Value = serde_json::from_str(&r.to_json()).expect("json");
    let p99 = &doc["variants"][0]["series"]["entries"]["req"]["p99_s"];
    let nulls = p99
        .as_array()
        .expect("array")
        .iter()
        .filter(|x| x.is_null())
        .count();
    assert_eq!(nulls, empty);
    let dir = std::env::temp_dir().join(format!("archsim-empty-windows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    archsim::report::write_csv(&r, &dir).expect("csv");
    let csv = std::fs::read_to_string(dir.join("series.csv")).expect("series.csv");
    let empty_cells = csv
        .lines()
        .filter(|l| l.starts_with("fast,entry,req,p99_s,") && l.ends_with(','))
        .count();
    assert_eq!(empty_cells, empty, "{csv}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An M/M/1 station at `rho` (service 100 ms), one replication of 2,000 s with 100 s windows:
/// the setting in which MSER-5 on a single noisy series used to warn in ~8% of seeds.
fn station(rho: f64, duration: &str) -> String {
    format!(
        r#"name = "station"
seed = 1
replications = 1
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{duration}"
warmup = "10s"
window = "100s"
[[workload.entries]]
name = "req"
op = "station.work"
arrival = {{ process = "poisson", rate = {} }}
[modules.station]
ops.work = {{ cpu = {{ dist = "exp", mean = "100ms" }} }}
[[variants]]
name = "single"
[[variants.units]]
name = "station"
modules = ["station"]
cores = 1
workers = 1
"#,
        rho * 10.0
    )
}

fn warns_warmup(r: &Results) -> bool {
    r.warnings.iter().any(|w| w.contains("still warming up"))
}

/// Stationary stations at ρ = 0.5 and 0.9, 100 seeds each, one replication: the warm-up
/// warning fires at most once per setting (it fired 9 and 5 times, and 8 times at 5,000 s,
/// before it required a significant transient).
#[test]
fn warmup_warning_has_few_false_alarms_on_stationary_stations() {
    for rho in [0.5, 0.9] {
        for duration in ["2000s", "5000s"] {
            let s = scenario(&station(rho, duration));
            let alarms = (1..=100u64)
                .filter(|&seed| {
                    let r = runner::run(
                        &s,
                        &RunOptions {
                            seed: Some(seed),
                            ..Default::default()
                        },
                    )
                    .expect("run");
                    warns_warmup(&r)
                })
                .count();
            assert!(
                alarms <= 1,
                "ρ {rho}, {duration}: {alarms} false alarms in 100"
            );
        }
    }
}

/// No shipped scenario is told its warm-up is too short (none of their lessons is about the
/// warm-up), and those whose workload varies on purpose get advice on what to measure instead.
#[test]
fn shipped_scenarios_raise_no_warmup_warning() {
    let mut files = Vec::new();
    scenario_files(&root().join("scenarios"), &mut files);
    let mut advised = 0;
    for f in files {
        let s = archsim::scenario::load(&f).expect("loads");
        let r = run(&s);
        assert!(!warns_warmup(&r), "{}: {:#?}", f.display(), r.warnings);
        for v in &r.variants {
            for w in v.warmup_detected.values() {
                assert!(!w.warmup_too_short, "{}: {w:?}", f.display());
                assert_eq!(w.stationary, w.advice.is_none(), "{}", f.display());
                advised += usize::from(w.advice.is_some());
            }
        }
    }
    assert!(
        advised > 0,
        "no time-varying scenario among the shipped ones"
    );
    let shop = run(&load("scenarios/online-shop.toml"));
    let text = archsim::report::render_text(&shop);
    assert!(
        !text.contains("Warm-up detected") && !text.contains("warming up"),
        "{text}"
    );
}
