//! Autoscaling, Kubernetes restarts and worker saturation against values computed another way:
//! the replica count a step of load settles at (`ceil(λ·E[S] / u)`, the HPA formula), the time
//! it takes (sync period + start-up), the scale-down stabilization window, the instance-hours
//! (exact from the schedule of the syncs) and the cost that follows them; the availability of
//! a Kubernetes instance with a restart delay, `MTBF / (MTBF + MTTR + restart_delay)`; the
//! worker saturation of an M/M/1 (= ρ) and its time series (their time average is the reported
//! mean).

use crate::common::{assert_within_ci, run, scenario};
use archsim::stats::stat::Stat;

/// A step of load on M/M/1-like instances (one core, exponential 2 ms demand, processor
/// sharing): 800/s until 60 s, 1450/s until 180 s, 800/s after. Target utilization 0.5, initial
/// 4 instances, scale-down window 60 s. A second variant runs one fixed instance (for the cost
/// ratio).
const STEP: &str = r#"
name = "step"
seed = 1
replications = 4
[network]
latency = "0us"
marshal_per_kb = "0us"
[workload]
duration = "300s"
warmup = "0s"
window = "5s"
[[workload.entries]]
name = "req"
op = "api.get"
arrival = { profile = { steps = [["0s", 800], ["60s", 1450], ["180s", 800]] } }
[modules.api]
ops.get = { cpu = { dist = "exp", mean = "2ms" } }
[[variants]]
name = "hpa"
[[variants.units]]
name = "api"
modules = ["api"]
replicas = 4
cores = 1
workers = 1000
autoscale = { target_utilization = 0.5, max = 10, scale_down_window = "60s", startup = "7s" }
[[variants]]
name = "one"
[[variants.units]]
name = "api"
modules = ["api"]
replicas = 1
cores = 1
workers = 1000
"#;

#[test]
fn a_step_of_load_settles_at_the_hpa_count_in_time_and_scale_down_waits_the_window() {
    let r = run(&scenario(STEP));
    let v = &r.variants[0];
    let (period, startup, step_up, step_down, window) = (15.0, 7.0, 60.0, 180.0, 60.0);
    let (es, u): (f64, f64) = (0.002, 0.5);
    let low = (800.0 * es / u).ceil() as usize; // 3.2 → 4
    let high = (1450.0 * es / u).ceil() as usize; // 5.8 → 6
    assert_eq!((low, high), (4, 6));
    // Neither neighbour of `high` lies inside the 10 % tolerance: the count is unique.
    assert!(1450.0 * es / ((high - 1) as f64 * u) > 1.1);
    assert!(1450.0 * es / ((high + 1) as f64 * u) < 0.9);
    let ready = &v.series.nodes["api"].instances;
    let w = v.series.window_s;
    // Ready instances at the end of window i (time (i + 1)·w); the mean over replications is
    // an integer only if every replication agrees.
    let at = |t: f64| ready[(t / w).round() as usize - 1];
    // The step at 60 s is seen by the sync at 75 s; the new instances serve 7 s later.
    let reached = step_up + period + startup;
    for (i, &n) in ready.iter().enumerate() {
        let t = (i + 1) as f64 * w;
        let expect = if t < step_up + period {
            low
        } else if t > reached && t <= step_down + window {
            high
        } else if t > step_down + window + period {
            low
        } else {
            continue; // a window around a sync or a start-up
        };
        assert_eq!(n, expect as f64, "ready instances at t = {t} s");
    }
    assert_eq!(at(reached + w), high as f64);
    // Scale-down waits the stabilization window: still `high` at 240 s (the last high
    // recommendation, of the sync at 180 s, is 60 s old), `low` after the sync at 255 s.
    assert_eq!(at(step_down + window), high as f64);
    assert_eq!(at(step_down + window + period + w), low as f64);
    // Starting instances show in their own series during the start-up.
    let starting = &v.series.nodes["api"].instances_starting;
    assert_eq!(starting[(step_up + period) as usize / w as usize], 2.0);
    // Instance-hours: 4 until the sync at 75 s, 6 until the sync at 255 s, 4 until 300 s.
    let a = v.units["api"]
        .autoscaling
        .as_ref()
        .expect("autoscaling results");
    let mean = (4.0 * 75.0 + 6.0 * 180.0 + 4.0 * 45.0) / 300.0;
    assert!(
        (a.instances_mean.mean - mean).abs() < 1e-9,
        "{}",
        a.instances_mean.mean
    );
    assert_eq!(a.instances_mean.min, a.instances_mean.max);
    assert_eq!((a.instances_min.mean, a.instances_max.mean), (4.0, 6.0));
    assert_eq!(a.scaling_events.mean, 2.0);
    assert_eq!(v.units["api"].instances, 10, "`max` instances allocated");
    // The cost follows the instance-hours: 5.2 times the fixed single instance.
    let cost = |k: usize| r.variants[k].cost.by_resource["unit/api"].window_usd.mean;
    assert!(
        (cost(0) / cost(1) - mean).abs() < 1e-9,
        "{} / {}",
        cost(0),
        cost(1)
    );
}

#[test]
fn in_flight_target_scales_with_littles_law() {
    // Target 20 requests present per instance; every request stays exactly 1 s (1 s of CPU on
    // an instance with more cores than requests). Little: L = λ·W = 100/s × 1 s = 100 present
    // ⇒ ceil(100 / 20) = 5 instances.
    let text = r#"
name = "inflight"
seed = 3
replications = 3
[network]
latency = "0us"
marshal_per_kb = "0us"
[workload]
duration = "200s"
warmup = "0s"
window = "5s"
[[workload.entries]]
name = "req"
op = "api.get"
arrival = { process = "poisson", rate = 100 }
[modules.api]
ops.get = { cpu = "1s" }
[[variants]]
name = "hpa"
[[variants.units]]
name = "api"
modules = ["api"]
cores = 1000
workers = 1000
autoscale = { target_in_flight = 20, min = 1, max = 20, startup = "0s" }
"#;
    let r = run(&scenario(text));
    let ready = &r.variants[0].series.nodes["api"].instances;
    // Little: 100 requests present in total once the load is steady; at 5 instances the
    // ratio is 1 (inside the tolerance), at 4 it is 1.25 and at 6 it is 0.83 (outside).
    let tail = &ready[ready.len() - 10..];
    assert!(tail.iter().all(|&n| n == 5.0), "{tail:?}");
}

#[test]
fn kubernetes_restart_delay_adds_to_the_down_time() {
    // 10 instances, MTBF 60 s, MTTR 10 s, restart 20 s: up fraction 60 / 90.
    let text = r#"
name = "restart"
seed = 5
replications = 6
[network]
latency = "0us"
marshal_per_kb = "0us"
[workload]
duration = "4000s"
warmup = "0s"
window = "100s"
[[workload.entries]]
name = "req"
op = "api.get"
arrival = { process = "poisson", rate = 1 }
[modules.api]
ops.get = { cpu = "1ms" }
[[faults]]
kind = "crash"
target = "api"
mtbf = "60s"
mttr = "10s"
[[variants]]
name = "k8s"
[[variants.units]]
name = "api"
modules = ["api"]
platform = "kubernetes"
replicas = 10
restart_delay = "20s"
[[variants]]
name = "vm"
[[variants.units]]
name = "api"
modules = ["api"]
replicas = 10
"#;
    let r = run(&scenario(text));
    let per_instance = |st: &Stat| Stat {
        mean: st.mean / 10.0,
        ci95_low: st.ci95_low / 10.0,
        ci95_high: st.ci95_high / 10.0,
        min: st.min / 10.0,
        max: st.max / 10.0,
    };
    assert_within_ci(
        &per_instance(&r.variants[0].units["api"].instances_up),
        60.0 / (60.0 + 10.0 + 20.0),
        "kubernetes: MTBF / (MTBF + MTTR + restart_delay)",
    );
    assert_within_ci(
        &per_instance(&r.variants[1].units["api"].instances_up),
        60.0 / (60.0 + 10.0),
        "vm: MTBF / (MTBF + MTTR)",
    );
}

#[test]
fn worker_saturation_of_an_mm1_is_rho_and_its_series_averages_to_the_mean() {
    // One worker, one core, blocking io, unbounded queue: an M/M/1 where the worker is held for
    // the whole service. Saturation = ρ = 0.7; requests waiting = ρ² / (1 − ρ).
    let text = r#"
name = "sat"
seed = 11
replications = 8
[network]
latency = "0us"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "0s"
window = "10s"
[[workload.entries]]
name = "req"
op = "api.get"
arrival = { process = "poisson", rate = 70 }
[modules.api]
ops.get = { cpu = { dist = "exp", mean = "10ms" } }
[[variants]]
name = "one"
[[variants.units]]
name = "api"
modules = ["api"]
cores = 1
workers = 1
"#;
    let r = run(&scenario(text));
    let v = &r.variants[0];
    let n = &v.units["api"];
    let rho: f64 = 0.7;
    assert_within_ci(&n.worker_saturation, rho, "worker saturation = ρ");
    assert_within_ci(&n.mean_in_queue, rho * rho / (1.0 - rho), "Lq");
    let s = &v.series.nodes["api"];
    // 200 equal windows cover the measured interval: the series' time average is the mean.
    assert_eq!(s.worker_saturation.len(), 200);
    let avg = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    assert!(
        (avg(&s.worker_saturation) - n.worker_saturation.mean).abs() < 1e-9,
        "{} vs {}",
        avg(&s.worker_saturation),
        n.worker_saturation.mean
    );
    assert!((avg(&s.waiting) - n.mean_in_queue.mean).abs() < 1e-9);
    assert!((avg(&s.utilization) - n.utilization.mean).abs() < 1e-9);
}

fn errors(text: &str) -> Vec<archsim::scenario::Diagnostic> {
    match archsim::scenario::parse(text, "bad.toml") {
        Ok(_) => panic!("expected errors"),
        Err(e) => e
            .diagnostics()
            .expect("diagnostics, not an io error")
            .iter()
            .cloned()
            .collect(),
    }
}

#[track_caller]
fn has(d: &[archsim::scenario::Diagnostic], field: &str, text: &str) {
    assert!(
        d.iter().any(|x| x.field == field
            && (x.message.contains(text) || x.help.as_deref().unwrap_or("").contains(text))),
        "no diagnostic on `{field}` containing `{text}` in {d:#?}"
    );
}

#[test]
fn bad_autoscaling_is_a_located_error() {
    let unit = |extra: &str| {
        STEP.replace(
            "autoscale = { target_utilization = 0.5, max = 10, scale_down_window = \"60s\", startup = \"7s\" }",
            extra,
        )
    };
    let f = "variants[0].units[0]";
    has(
        &errors(&unit("autoscale = { target_utilization = 0.5 }")),
        &format!("{f}.autoscale.max"),
        "needs `max`",
    );
    has(
        &errors(&unit("autoscale = { max = 4 }")),
        &format!("{f}.autoscale"),
        "needs a target",
    );
    has(
        &errors(&unit(
            "autoscale = { target_utilization = 0.5, target_in_flight = 3, max = 4 }",
        )),
        &format!("{f}.autoscale"),
        "not both",
    );
    has(
        &errors(&unit("autoscale = { target_utilization = 1.5, max = 4 }")),
        &format!("{f}.autoscale.target_utilization"),
        "at most 1",
    );
    has(
        &errors(&unit(
            "autoscale = { target_utilization = 0.5, min = 5, max = 4 }",
        )),
        &format!("{f}.autoscale.max"),
        "below `min`",
    );
    has(
        &errors(&unit("autoscale = { target_utilization = 0.5, max = 3 }")),
        &format!("{f}.replicas"),
        "outside the autoscaling bounds",
    );
    has(
        &errors(&unit(
            "autoscale = { target_utilization = 0.5, max = 8, perod = \"5s\" }",
        )),
        &format!("{f}.autoscale.perod"),
        "did you mean `period`",
    );
    has(
        &errors(&unit("restart_delay = \"5s\"")),
        &format!("{f}.restart_delay"),
        "kubernetes units only",
    );
    has(
        &errors(&unit(
            "platform = \"serverless\"\nautoscale = { target_utilization = 0.5, max = 8 }",
        )),
        &format!("{f}.autoscale"),
        "serverless",
    );
}

#[test]
fn lesson_autoscaling_lag_errors_during_start_up_then_recovery() {
    let r = run(&crate::common::load(
        "scenarios/lessons/autoscaling-lag.toml",
    ));
    let v = |name: &str| r.variants.iter().find(|v| v.name == name).expect("variant");
    let errors = |name: &str| v(name).series.entries["req"].errors_per_s.clone();
    let w = v("lagging").series.window_s;
    let ix = |t: f64| (t / w) as usize; // window starting at t
    let lag = errors("lagging");
    // During the lag (60 s to 60 + 15 + 30 s) the two instances are saturated: most of the
    // extra 450/s fails.
    for (i, e) in lag.iter().enumerate().take(ix(105.0)).skip(ix(60.0)) {
        assert!(*e > 100.0, "lagging: errors/s in window {i}: {e}");
    }
    // Once the new instances are ready, errors stop although the spike goes on until 180 s.
    for (i, e) in lag.iter().enumerate().skip(ix(110.0)) {
        assert!(
            *e < 1.0,
            "lagging: errors/s in window {i} after recovery: {e}"
        );
    }
    // The peak needs 600/s × 10 ms / 2 cores / 0.6 = 5 instances.
    let ready = &v("lagging").series.nodes["api"].instances;
    assert!(ready.iter().cloned().fold(0.0, f64::max) >= 5.0);
    // A 5 s start-up recovers sooner; 4 instances at rest absorb the spike.
    let sum = |xs: &[f64]| xs.iter().sum::<f64>();
    let fast = errors("fast-start");
    assert!(
        sum(&fast) < 0.6 * sum(&lag),
        "{} vs {}",
        sum(&fast),
        sum(&lag)
    );
    assert!(fast[ix(85.0)..].iter().all(|&e| e < 2.0));
    let warm = &v("higher-min").entries["req"];
    assert!(
        warm.failed.mean < 1.0,
        "higher-min failed {}",
        warm.failed.mean
    );
    assert!(v("lagging").entries["req"].failed.mean > 5000.0);
    // The price: more instance-hours at rest than the lagging variant before the spike.
    let mean = |name: &str| {
        v(name).units["api"]
            .autoscaling
            .as_ref()
            .expect("autoscaled")
            .instances_mean
            .mean
    };
    assert!(mean("higher-min") > mean("fast-start"));
}

#[test]
fn random_fault_episodes_count_mean_down_time_and_entries_affected() {
    // One instance failing every 4 s on average for 1 s on average: an episode is one failure,
    // so episodes ≈ T / (MTBF + MTTR), mean degraded time = MTTR, degraded fraction =
    // MTTR / (MTBF + MTTR). With one instance every request arriving inside an episode fails
    // (rate λ inside) and none outside (a request present at a crash fails at that instant,
    // inside). `other` never touches the failing unit: not affected.
    let text = r#"
name = "episodes"
seed = 9
replications = 6
[network]
latency = "0us"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "0s"
[[workload.entries]]
name = "req"
op = "api.get"
arrival = { process = "poisson", rate = 10 }
[[workload.entries]]
name = "other"
op = "side.get"
arrival = { process = "poisson", rate = 10 }
[modules.api]
ops.get = { cpu = "1ms" }
[modules.side]
ops.get = { cpu = "1ms" }
[[faults]]
kind = "crash"
target = "api"
mtbf = "4s"
mttr = "1s"
[[variants]]
name = "one"
[[variants.units]]
name = "api"
modules = ["api"]
[[variants.units]]
name = "side"
modules = ["side"]
"#;
    let r = run(&scenario(text));
    let b = &r.variants[0].resilience.random_blast_radius;
    assert_eq!(b.len(), 1);
    let b = &b[0];
    assert_within_ci(&b.episodes, 2000.0 / 5.0, "episodes = T / (MTBF + MTTR)");
    assert_within_ci(&b.mean_degraded_s, 1.0, "mean degraded time = MTTR");
    assert_within_ci(&b.degraded_fraction, 0.2, "degraded fraction");
    assert_eq!(
        b.episodes.mean, b.failures.mean,
        "one instance: one failure per episode"
    );
    assert_within_ci(
        &b.entries["req"].failure_rate_during_per_s,
        10.0,
        "failure rate inside episodes = λ",
    );
    assert_eq!(b.entries["req"].failure_rate_outside_per_s.max, 0.0);
    assert_eq!(b.entries["other"].failed_during.max, 0.0);
    assert_eq!(b.entries_affected, vec!["req".to_string()]);
}
