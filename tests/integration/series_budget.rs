//! The time-series byte budget (`workload.series_budget`): the window widens to a whole
//! multiple of the one asked for so that the series stay within the budget whatever the run
//! length, and widening conserves what the series measure (a wide window's rate or time average
//! is the time-weighted mean of the narrow windows it covers).

use crate::common::{run, scenario};
use archsim::model::{series_max_windows, Model, SERIES_JSON_VALUE_BYTES, SERIES_VALUE_BYTES};
use archsim::results::{Results, SeriesResult};

/// Two units, the back one with a bounded queue and few workers (rejections, waiting) and a
/// client timeout (failures): every node series moves.
fn text(duration: &str, budget: Option<&str>) -> String {
    let budget = budget.map_or(String::new(), |b| format!("series_budget = \"{b}\"\n"));
    format!(
        r#"
name = "budget"
seed = 7
replications = 2
[network]
latency = {{ dist = "exp", mean = "200us" }}
[workload]
duration = "{duration}"
window = "1s"
{budget}[[workload.entries]]
name = "req"
op = "front.work"
arrival = {{ process = "poisson", rate = 90 }}
timeout = "80ms"
[modules.front]
ops.work = {{ cpu = {{ dist = "exp", mean = "2ms" }}, calls = [ {{ op = "back.work" }} ] }}
[modules.back]
ops.work = {{ cpu = {{ dist = "exp", mean = "10ms" }} }}
[[variants]]
name = "v"
[[variants.units]]
name = "front"
modules = ["front"]
[[variants.units]]
name = "back"
modules = ["back"]
workers = 2
queue = 20
"#
    )
}

fn series(r: &Results) -> &SeriesResult {
    &r.variants[0].series
}

/// Bytes the series of a run may take under its budget: every replication's values in memory,
/// or the averaged values in the results document.
fn budget_bytes(series: usize, windows: usize, reps: u64) -> u64 {
    (series * windows) as u64 * (SERIES_VALUE_BYTES * reps).max(SERIES_JSON_VALUE_BYTES)
}

#[test]
fn a_long_run_keeps_its_series_within_the_budget() {
    let s = scenario(&text("4000s", Some("64KiB")));
    assert_eq!(s.workload.series_budget, 64 * 1024);
    let m = Model::compile(&s, 0);
    let count = m.series_count();
    let r = run(&s);
    let sr = series(&r);
    let windows = sr.t_s.len();
    let max = series_max_windows(64 * 1024, count, 2, 1) as usize;
    assert!(windows <= max, "{windows} windows > {max}");
    assert!(budget_bytes(count, windows, 2) <= 64 * 1024);
    // A whole multiple of the window asked for, covering the run, and said in the document.
    let k = sr.window_s.round();
    assert!(
        k > 1.0 && (sr.window_s - k).abs() < 1e-12,
        "{}",
        sr.window_s
    );
    assert_eq!(windows, (4000.0 / sr.window_s).floor() as usize);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("widened from 1 s to") && w.contains("series_budget")),
        "{:?}",
        r.warnings
    );
    // The averaged series as the results document writes them fit the budget: the document
    // without their values is shorter by at most the budget.
    let json = serde_json::to_string_pretty(&r).expect("json").len();
    let mut bare = r.clone();
    let b = &mut bare.variants[0].series;
    b.t_s.clear();
    for e in b.entries.values_mut() {
        e.throughput_per_s.clear();
        e.errors_per_s.clear();
        e.p50_s.clear();
        e.p99_s.clear();
    }
    for n in b.nodes.values_mut() {
        for v in [
            &mut n.utilization,
            &mut n.in_system,
            &mut n.instances,
            &mut n.instances_starting,
            &mut n.worker_saturation,
            &mut n.waiting,
        ] {
            v.clear();
        }
    }
    let bare = serde_json::to_string_pretty(&bare).expect("json").len();
    assert!(json - bare <= 64 * 1024, "{} bytes of series", json - bare);
    assert!(
        json - bare > 64 * 1024 / 4,
        "{} bytes: far below the budget",
        json - bare
    );
}

#[test]
fn the_default_budget_keeps_a_short_run_at_its_window() {
    let r = run(&scenario(&text("60s", None)));
    assert_eq!(series(&r).window_s, 1.0);
    assert_eq!(series(&r).t_s.len(), 60);
    assert!(!r.warnings.iter().any(|w| w.contains("widened")));
}

#[test]
fn a_zero_budget_is_a_located_error() {
    let e = archsim::scenario::parse(&text("60s", Some("0B")), "b.toml").expect_err("0 bytes");
    let msg = e.to_string();
    assert!(
        msg.contains("workload.series_budget") && msg.contains("> 0"),
        "{msg}"
    );
    assert!(msg.contains("b.toml:"), "{msg}");
    let e = archsim::scenario::parse(&text("60s", Some("12 parsecs")), "b.toml").expect_err("unit");
    assert!(e.to_string().contains("workload.series_budget"), "{e}");
}

/// Widening conserves the series: with the same seed the simulation is the same (the windows
/// draw from their own random stream), so each window of the widened run holds exactly the
/// events of the `k` narrow windows it covers. Rates and time averages are then the mean of
/// the narrow ones (equal widths: the time-weighted mean), an end-of-window value is the last
/// narrow one's, and the run's time-weighted mean is unchanged.
#[test]
fn widening_conserves_rates_and_time_averages() {
    let fine_s = scenario(&text("400s", None));
    let count = Model::compile(&fine_s, 0).series_count();
    // A budget of exactly 100 windows at two replications: the 400 windows widen 4 times.
    let budget = budget_bytes(count, 100, 2);
    let coarse_s = scenario(&text("400s", Some(&format!("{budget}B"))));
    let (fine, coarse) = (run(&fine_s), run(&coarse_s));
    let (f, c) = (series(&fine), series(&coarse));
    assert_eq!((f.window_s, f.t_s.len()), (1.0, 400));
    assert_eq!((c.window_s, c.t_s.len()), (4.0, 100));
    let k = 4;
    let close = |a: f64, b: f64, what: &str, i: usize| {
        assert!(
            (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0),
            "{what} window {i}: widened {a} ≠ mean of the narrow ones {b}"
        );
    };
    let check_mean = |fine: &[f64], coarse: &[f64], what: &str| {
        assert_eq!(coarse.len() * k, fine.len(), "{what}");
        for (i, &cv) in coarse.iter().enumerate() {
            let m = fine[i * k..(i + 1) * k].iter().sum::<f64>() / k as f64;
            close(cv, m, what, i);
        }
        let total_f = fine.iter().sum::<f64>() * f.window_s;
        let total_c = coarse.iter().sum::<f64>() * c.window_s;
        close(total_c, total_f, what, usize::MAX);
    };
    let (fe, ce) = (&f.entries["req"], &c.entries["req"]);
    assert!(
        fe.errors_per_s.iter().sum::<f64>() > 0.0,
        "the test needs failures"
    );
    check_mean(&fe.throughput_per_s, &ce.throughput_per_s, "throughput");
    check_mean(&fe.errors_per_s, &ce.errors_per_s, "errors");
    for name in ["front", "back"] {
        let (fnode, cnode) = (&f.nodes[name], &c.nodes[name]);
        check_mean(&fnode.utilization, &cnode.utilization, "utilization");
        check_mean(&fnode.in_system, &cnode.in_system, "in_system");
        check_mean(
            &fnode.worker_saturation,
            &cnode.worker_saturation,
            "worker_saturation",
        );
        check_mean(&fnode.waiting, &cnode.waiting, "waiting");
        for (i, &cv) in cnode.instances.iter().enumerate() {
            assert_eq!(cv, fnode.instances[i * k + k - 1], "instances window {i}");
        }
    }
    assert!(
        f.nodes["back"].waiting.iter().sum::<f64>() > 0.0,
        "the test needs waiting"
    );
    // The scalar results do not depend on the window at all.
    let (a, b) = (
        &fine.variants[0].entries["req"],
        &coarse.variants[0].entries["req"],
    );
    assert_eq!(a.throughput_per_s.mean, b.throughput_per_s.mean);
}
