//! Latency anatomy and failure origins: the parts of a request's time add up to its latency
//! (an invariant of every run, like Little's law), each node's queueing part matches queueing
//! theory, and a timeout is blamed on the node where the request was when time ran out.

use crate::common::{assert_within_ci, load, run, scenario};
use archsim::results::anatomy::EntryAnatomyResult;
use archsim::results::Results;

fn part<'a>(a: &'a EntryAnatomyResult, name: &str) -> &'a archsim::results::anatomy::AnatomyPart {
    match a.parts.iter().find(|p| p.part == name) {
        Some(p) => p,
        None => panic!(
            "no part `{name}` in {:?}",
            a.parts.iter().map(|p| &p.part).collect::<Vec<_>>()
        ),
    }
}

/// Every variant and entry: the parts add up to the mean latency (per replication, so also
/// their means), and the paired differences of the parts add up to the latency difference.
fn assert_parts_add_up(r: &Results, file: &str) {
    for v in &r.variants {
        for (e, er) in &v.entries {
            let Some(a) = v.anatomy.get(e) else {
                panic!("{file}: `{}` has no anatomy for `{e}`", v.name);
            };
            if a.replications == 0 {
                continue;
            }
            let sum: f64 = a.parts.iter().map(|p| p.mean_s.mean).sum();
            let lat = er.latency_s.mean.mean;
            assert!(
                (sum - a.mean_s.mean).abs() <= 1e-9 * lat.max(1e-9),
                "{file}: `{}` `{e}`: parts sum {sum} ≠ anatomy mean {}",
                v.name,
                a.mean_s.mean
            );
            if a.replications as usize == r.replications as usize {
                assert!(
                    (sum - lat).abs() <= 1e-9 * lat.max(1e-9),
                    "{file}: `{}` `{e}`: parts sum {sum} ≠ mean latency {lat}",
                    v.name
                );
            }
            let share: f64 = a.parts.iter().map(|p| p.share).sum();
            assert!(
                (share - 1.0).abs() < 1e-9,
                "{file}: shares add up to {share}"
            );
        }
    }
    for c in &r.comparisons {
        for (e, d) in &c.entries {
            if d.anatomy.is_empty() {
                continue;
            }
            let sum: f64 = d.anatomy.iter().map(|p| p.mean_s.mean).sum();
            let lat = d.latency_mean_s.mean;
            assert!(
                (sum - lat).abs() <= 1e-9_f64.max(1e-9 * lat.abs()),
                "{file}: {} − {} `{e}`: parts of the difference sum to {sum}, latency difference {lat}",
                c.variant,
                c.baseline
            );
        }
    }
}

#[test]
fn parts_add_up_to_the_latency_in_every_shipped_scenario() {
    let mut files = Vec::new();
    for dir in ["scenarios", "scenarios/lessons", "scenarios/queueing"] {
        for f in std::fs::read_dir(crate::common::root().join(dir)).expect("dir") {
            let p = f.expect("entry").path();
            if p.extension().is_some_and(|x| x == "toml") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 20);
    for p in files {
        let rel = p
            .strip_prefix(crate::common::root())
            .expect("under root")
            .to_string_lossy()
            .to_string();
        let mut s = load(&rel);
        s.replications = s.replications.min(3);
        // `run` checks the self-check, which holds the per-request invariant.
        let r = run(&s);
        assert_parts_add_up(&r, &rel);
    }
}

/// The feed-forward Jackson network: each station's queueing part is its M/M/c waiting time
/// (times the visit probability), its service part its mean demand.
#[test]
#[ignore = "long: statistical validation (run by the test command with --include-ignored)"]
fn queueing_parts_match_jackson_network_closed_forms() {
    let s = load("scenarios/queueing/jackson.toml");
    let r = run(&s);
    assert_eq!(
        r.replications, 10,
        "the widened quantile below is for 10 replications"
    );
    let a = &r.variants[0].anatomy["req"];
    // Six parts are checked at once: each against its interval widened to a Bonferroni level
    // (t at 1 − 0.025/10 over t at 0.975, 9 degrees of freedom: conservative for 6 checks), so
    // that the six together hold at 95%.
    let assert_within_ci = |stat: &archsim::stats::stat::Stat, theory: f64, what: &str| {
        let widen = 3.690 / 2.262;
        let mut w = *stat;
        w.ci95_low = stat.mean - widen * (stat.mean - stat.ci95_low);
        w.ci95_high = stat.mean + widen * (stat.ci95_high - stat.mean);
        assert_within_ci(&w, theory, what);
    };
    // front: M/M/2, λ = 3, mean service 0.5 s: Wq = C(2, 1.5)/(2μ − λ) = 0.642857 s.
    assert_within_ci(
        &part(a, "front: queueing").mean_s,
        0.642857,
        "front queueing",
    );
    assert_within_ci(&part(a, "front: service").mean_s, 0.5, "front service");
    // auth: M/M/1, ρ = 0.6, mean 0.2 s: Wq = ρ/(μ − λ) = 0.3 s.
    assert_within_ci(&part(a, "auth: queueing").mean_s, 0.3, "auth queueing");
    assert_within_ci(&part(a, "auth: service").mean_s, 0.2, "auth service");
    // reports, visited with probability 0.4: M/M/1, ρ = 0.6, mean 0.5 s: Wq = 0.75 s.
    assert_within_ci(
        &part(a, "reports: queueing").mean_s,
        0.4 * 0.75,
        "reports queueing",
    );
    assert_within_ci(
        &part(a, "reports: service").mean_s,
        0.4 * 0.5,
        "reports service",
    );
    // Nothing else: no network, no marshalling.
    assert_eq!(
        a.parts.len(),
        6,
        "{:?}",
        a.parts.iter().map(|p| &p.part).collect::<Vec<_>>()
    );
}

/// With fixed costs and no contention every part is known exactly: two hops, both marshalling
/// sides, each operation's demand.
#[test]
fn network_and_marshalling_parts_are_exact_on_fixed_costs() {
    let s = scenario(
        r#"
name = "fixed taxes"
seed = 3
replications = 2
[network]
latency = "1ms"
marshal_per_kb = "10us"
[workload]
duration = "200s"
warmup = "10s"
[[workload.entries]]
name = "req"
op = "a.go"
arrival = { process = "poisson", rate = 5 }
[modules.a]
ops.go = { cpu = "2ms", calls = [ { op = "b.get" } ] }
[modules.b]
ops.get = { cpu = "3ms", payload = "10KB" }
[[variants]]
name = "split"
[[variants.units]]
name = "a"
modules = ["a"]
cores = 64
[[variants.units]]
name = "b"
modules = ["b"]
cores = 64
"#,
    );
    let r = run(&s);
    let a = &r.variants[0].anatomy["req"];
    let lat = r.variants[0].entries["req"].latency_s.mean.mean;
    let net = part(a, "network hops").mean_s.mean;
    let marshal = part(a, "marshalling").mean_s.mean;
    let a_svc = part(a, "a: service").mean_s.mean;
    let b_svc = part(a, "b: service").mean_s.mean;
    // Two hops of 1 ms; no queueing with 64 cores at 5/s.
    assert!((net - 0.002).abs() < 1e-9, "network {net}");
    assert!((a_svc - 0.002).abs() < 1e-9, "a service {a_svc}");
    // 10 KB at 10 µs per KB, on the caller's side and on the callee's.
    assert!((marshal - 0.0002).abs() < 1e-9, "marshalling {marshal}");
    assert!((b_svc - 0.003).abs() < 1e-9, "b service {b_svc}");
    assert!((b_svc + marshal + net + a_svc - lat).abs() < 1e-9, "{lat}");
}

/// A chain front → mid → leaf whose leaf saturates: the client's timeouts are blamed on the
/// leaf (where the requests sat when time ran out), not on the front that the client called,
/// and their chain runs leaf → mid → front.
#[test]
fn a_timeout_is_blamed_on_the_saturating_leaf() {
    let s = scenario(
        r#"
name = "saturating leaf"
seed = 5
replications = 2
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "60s"
warmup = "5s"
[[workload.entries]]
name = "req"
op = "front.go"
arrival = { process = "poisson", rate = 120 }
timeout = "500ms"
[modules.front]
ops.go = { cpu = "1ms", calls = [ { op = "mid.go" } ] }
[modules.mid]
ops.go = { cpu = "1ms", calls = [ { op = "leaf.go" } ] }
[modules.leaf]
ops.go = { cpu = { dist = "exp", mean = "10ms" } }
[[variants]]
name = "chain"
[[variants.units]]
name = "front"
modules = ["front"]
cores = 8
io = "async"
[[variants.units]]
name = "mid"
modules = ["mid"]
cores = 8
io = "async"
[[variants.units]]
name = "leaf"
modules = ["leaf"]
cores = 1
"#,
    );
    let r = run(&s);
    let res = &r.variants[0].resilience;
    let at = |n: &str| res.failure_origins.get(n).map_or(0.0, |m| m["req"].mean);
    // Front and mid hold no thread while they wait (async io): the requests pile up at the
    // leaf, and nearly every timeout finds them there (a few are passing through mid or
    // front at that instant: their 2 ms of work against 500 ms at the leaf).
    let total = at("leaf") + at("front") + at("mid");
    assert!(at("leaf") > 1000.0, "origins {:?}", res.failure_origins);
    assert!(
        at("leaf") >= 0.98 * total,
        "origins {:?}",
        res.failure_origins
    );
    let chains = &res.failure_chains["req"];
    assert_eq!(chains[0].chain, ["leaf", "mid", "front"]);
    assert!((chains[0].failed.mean - at("leaf")).abs() < 1e-9);
}
