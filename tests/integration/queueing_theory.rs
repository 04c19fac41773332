//! Validation against queueing theory: every simulated mean must contain the closed-form value
//! in its 95% confidence interval. The oracles come from `archsim::analytic` (itself unit-tested
//! against textbook values) and are cross-checked against hand-computed constants.

use crate::common::{assert_close, assert_within_ci, load, run, scenario};
use archsim::analytic::queueing as q;

#[test]
fn mm1_response_time_queue_length_and_utilization() {
    let s = load("scenarios/queueing/mm1.toml");
    let r = run(&s);
    let th = q::mm1(0.8, 1.0).expect("stable");
    assert_close(th.w, 5.0, 1e-12, "oracle W");
    let v = &r.variants[0];
    let e = &v.entries["req"];
    assert_within_ci(&e.latency_s.mean, th.w, "M/M/1 mean response");
    // The response time of M/M/1 FIFO is exponential with rate μ − λ: median = ln 2 / (μ − λ).
    assert_within_ci(
        &e.latency_s.p50,
        std::f64::consts::LN_2 * 5.0,
        "M/M/1 median",
    );
    assert_within_ci(&e.latency_s.p90, 10f64.ln() * 5.0, "M/M/1 p90");
    let u = &v.units["station"];
    assert_within_ci(&u.utilization, th.rho, "M/M/1 utilization");
    assert_within_ci(&u.mean_in_system, th.l, "M/M/1 L");
    assert_within_ci(&u.mean_in_queue, th.lq, "M/M/1 Lq");
    assert_within_ci(&e.throughput_per_s, 0.8, "M/M/1 throughput");
}

#[test]
fn mmc_erlang_c() {
    let s = load("scenarios/queueing/mm3.toml");
    let r = run(&s);
    let th = q::mmc(2.4, 1.0, 3).expect("stable");
    assert_close(th.w, 2.078_651_685, 1e-6, "oracle W");
    let v = &r.variants[0];
    assert_within_ci(&v.entries["req"].latency_s.mean, th.w, "M/M/3 W");
    assert_within_ci(&v.units["station"].mean_in_queue, th.lq, "M/M/3 Lq");
    assert_within_ci(&v.units["station"].utilization, 0.8, "M/M/3 utilization");
}

#[test]
fn mmck_blocking_probability_and_response() {
    let s = load("scenarios/queueing/mm2k.toml");
    let r = run(&s);
    let th = q::mmck(3.0, 1.0, 2, 5).expect("valid");
    assert_close(th.p_block, 0.374_422_188, 1e-6, "oracle P_K");
    let v = &r.variants[0];
    let e = &v.entries["req"];
    // Rejections are counted where they happen (the unit) and where they are seen (the entry).
    assert_eq!(
        e.failed_by_reason["rejected"].mean,
        v.units["station"].rejected.mean
    );
    // The acceptance ratio per replication estimates 1 − P_K (Poisson arrivals see time
    // averages), with its own interval.
    assert_within_ci(
        &e.success_ratio,
        1.0 - th.p_block,
        "M/M/2/5 acceptance ratio",
    );
    assert_within_ci(&e.latency_s.mean, th.w, "M/M/2/5 W of accepted");
    assert_within_ci(&e.throughput_per_s, th.throughput, "M/M/2/5 throughput");
    assert_within_ci(&v.units["station"].mean_in_system, th.l, "M/M/2/5 L");
}

#[test]
fn md1_and_mg1_pollaczek_khinchine() {
    let s = load("scenarios/queueing/md1-vs-mg1.toml");
    let r = run(&s);
    let e = &r.variants[0].entries;
    let det = q::md1(7.0, 0.1).expect("stable");
    assert_close(det.w, 0.216_666_667, 1e-6, "oracle M/D/1");
    assert_within_ci(&e["constant"].latency_s.mean, det.w, "M/D/1 W");
    let expo = q::mg1(7.0, 0.1, 2.0 * 0.01).expect("stable");
    assert_within_ci(&e["exponential"].latency_s.mean, expo.w, "M/M/1 via P-K");
    // Log-normal with cv 2: E[S²] = (1 + cv²) E[S]².
    let ln = q::mg1(7.0, 0.1, 5.0 * 0.01).expect("stable");
    assert_close(ln.w, 0.683_333_333, 1e-6, "oracle M/G/1");
    assert_within_ci(
        &e["lognormal"].latency_s.mean,
        ln.w,
        "M/G/1 (lognormal cv 2) W",
    );
}

#[test]
fn processor_sharing_is_insensitive() {
    let s = load("scenarios/queueing/processor-sharing.toml");
    let r = run(&s);
    let th = q::mg1_ps(12.0, 0.05).expect("stable");
    assert_close(th.w, 0.125, 1e-9, "oracle M/G/1-PS");
    for name in ["constant", "exponential", "lognormal"] {
        assert_within_ci(
            &r.variants[0].entries[name].latency_s.mean,
            th.w,
            &format!("M/G/1-PS W with {name} demand"),
        );
    }
}

#[test]
fn feed_forward_jackson_network_of_async_units() {
    let s = load("scenarios/queueing/jackson.toml");
    let r = run(&s);
    // front (M/M/2, μ = 2), then auth (M/M/1, μ = 5), then w.p. 0.4 reports (M/M/1, μ = 2):
    // the visits happen one after the other, a routing front → auth → reports.
    let net = q::jackson(
        &[3.0, 0.0, 0.0],
        &[vec![0.0, 1.0, 0.0], vec![0.0, 0.0, 0.4], vec![0.0; 3]],
        &[2.0, 5.0, 2.0],
        &[2, 1, 1],
    )
    .expect("stable");
    let w = net.nodes[0].w + net.nodes[1].w + 0.4 * net.nodes[2].w;
    assert_close(w, 2.142_857_143, 1e-6, "oracle");
    assert_close(net.mean_response, w, 1e-9, "T = ΣL/γ");
    let v = &r.variants[0];
    assert_within_ci(&v.entries["req"].latency_s.mean, w, "Jackson mean response");
    assert_within_ci(
        &v.units["reports"].throughput_per_s,
        1.2,
        "branch throughput",
    );
    assert_within_ci(&v.units["auth"].utilization, 0.6, "auth utilization");
    assert_within_ci(&v.units["front"].utilization, 0.75, "front utilization");
}

#[test]
fn mm1_held_to_theory_across_loads() {
    // A held-out style check at several loads, with inline scenarios.
    for (lambda, reps, dur) in [(0.3, 10, 20_000), (0.5, 10, 20_000), (0.9, 20, 100_000)] {
        let text = format!(
            r#"name = "mm1 at {lambda}"
seed = 5
replications = {reps}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{dur}s"
warmup = "2000s"
window = "1000s"
[[workload.entries]]
name = "req"
op = "s.work"
arrival = {{ process = "poisson", rate = {lambda} }}
[modules.s]
ops.work = {{ cpu = {{ dist = "exp", mean = "1s" }} }}
[[variants]]
name = "v"
[[variants.units]]
name = "s"
modules = ["s"]
cores = 1
workers = 1
"#
        );
        let r = run(&scenario(&text));
        let th = q::mm1(lambda, 1.0).expect("stable");
        let e = &r.variants[0].entries["req"];
        assert_within_ci(&e.latency_s.mean, th.w, &format!("M/M/1 W at λ = {lambda}"));
    }
}
