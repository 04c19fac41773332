//! Right-sizing against a brute-force search over the same grid, with the same simulation
//! settings (seed, replications: the same noisy oracle for both).

use archsim::plan::capacity::cost_per_month;
use archsim::plan::rightsize::{rightsize, KnobKind, RightsizeOptions, MEMORY_LADDER_MB};
use archsim::plan::sweep::{run_batch, scenario_with, Job};
use archsim::runner::RunOptions;
use archsim::scenario::params::{ParamValue, QuantityKind};
use archsim::spec::slo::Slo;

/// A chain of three stations (asynchronous calls: a tandem queue), λ = 1.5/s. Per replica:
/// s1 one core, mean service 0.5 s; s2 two cores, 1 s; s3 one core, 2 s. The analytic lower
/// bounds (stability) are 1, 1 and 4 replicas.
const CHAIN: &str = r#"
name = "chain"
seed = 5
replications = 4
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "6000s"
warmup = "600s"
window = "600s"
[[workload.entries]]
name = "req"
op = "s1.work"
arrival = { process = "poisson", rate = 1.0 }
[modules.s1]
ops.work = { cpu = { dist = "exp", mean = "500ms" }, calls = [ { op = "s2.work" } ] }
[modules.s2]
ops.work = { cpu = { dist = "exp", mean = "1s" }, calls = [ { op = "s3.work" } ] }
[modules.s3]
ops.work = { cpu = { dist = "exp", mean = "2s" } }
[[variants]]
name = "chain"
[[variants.units]]
name = "s1"
modules = ["s1"]
cores = 1
workers = 1
io = "async"
[[variants.units]]
name = "s2"
modules = ["s2"]
cores = 2
workers = 2
io = "async"
[[variants.units]]
name = "s3"
modules = ["s3"]
cores = 1
workers = 1
io = "async"
"#;

#[test]
fn chain_of_mmc_stations_matches_the_brute_force_cheapest_setting() {
    let slo = Slo::parse("mean<9s").expect("slo");
    let rate = 1.5;
    let r = rightsize(
        CHAIN,
        "chain.toml",
        &slo,
        &RightsizeOptions {
            rate,
            ..Default::default()
        },
    )
    .expect("rightsize");
    let v = &r.variants[0];
    assert!(v.met, "no plan found: {v:?}");
    let analytic: Vec<u32> = v.plan.iter().map(|s| s.analytic).collect();
    assert_eq!(analytic, [1, 1, 4]);
    let found: Vec<u32> = v.plan.iter().map(|s| s.value).collect();

    // Brute force: every (s1, s2, s3) in 1..=4 × 1..=3 × 3..=8, same seed and replications.
    let at_rate = archsim::scenario::params::set(
        CHAIN,
        "workload.entries.req.arrival.rate",
        &ParamValue::Number(rate),
        false,
    )
    .expect("rate");
    let mut plans = Vec::new();
    for a in 1..=4u32 {
        for b in 1..=3u32 {
            for c in 3..=8u32 {
                plans.push([a, b, c]);
            }
        }
    }
    let scenarios: Vec<_> = plans
        .iter()
        .map(|p| {
            let values: Vec<(String, ParamValue)> = ["s1", "s2", "s3"]
                .iter()
                .zip(p)
                .map(|(u, &x)| {
                    (
                        format!("variants.chain.units.{u}.replicas"),
                        ParamValue::Number(x as f64),
                    )
                })
                .collect();
            scenario_with(&at_rate, "chain.toml", &values, true).expect("plan")
        })
        .collect();
    let jobs: Vec<Job<'_>> = scenarios
        .iter()
        .map(|s| Job {
            scenario: s,
            variants: Vec::new(),
        })
        .collect();
    let results = run_batch(&jobs, &RunOptions::default()).expect("batch");
    // The objective the search minimizes: the simulated cost per month, or the cores
    // provisioned when nothing is priced.
    let cores = |p: &[u32; 3]| (p[0] + 2 * p[1] + p[2]) as f64;
    let met: Vec<(&[u32; 3], f64)> = plans
        .iter()
        .zip(results)
        .filter_map(|(p, r)| {
            let r = r.expect("run");
            let v = &r.variants[0];
            let objective = cost_per_month(v).unwrap_or_else(|| cores(p));
            slo.evaluate(v).met().then_some((p, objective))
        })
        .collect();
    let cheapest = met.iter().map(|(_, c)| *c).fold(f64::INFINITY, f64::min);
    // Equal bills summed in another order may differ in the last bit (whole instances make
    // ties between plans common): equal within 1e-12 relative.
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs());
    let best: Vec<Vec<u32>> = met
        .iter()
        .filter(|(_, c)| same(*c, cheapest))
        .map(|(p, _)| p.to_vec())
        .collect();
    assert!(cheapest.is_finite(), "no plan in the grid meets the SLO");
    let objective = v.cost_per_month_usd.unwrap_or(v.cores);
    assert!(
        same(objective, cheapest),
        "search found {found:?} ({objective}), brute force {best:?} ({cheapest})"
    );
    assert!(
        best.contains(&found),
        "search found {found:?}, brute force {best:?}"
    );
    // The search simulated far fewer plans than the grid.
    assert!(v.evaluations < plans.len(), "{} evaluations", v.evaluations);
}

/// A function calling a service synchronously, λ = 2/s: `api` (serverless, 200 ms of CPU at
/// full speed, so 200 ms × 1769 MB / memory) waits on `svc` (VM, one core, one worker,
/// exponential 300 ms). More `svc` replicas shorten the wait the function is billed for; more
/// memory shortens its own CPU time: the cheapest plan trades one against the other.
const FN_CHAIN: &str = r#"
name = "function and service"
seed = 7
replications = 4
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "3000s"
warmup = "300s"
window = "300s"
[[workload.entries]]
name = "req"
op = "api.handle"
arrival = { process = "poisson", rate = 1.0 }
[modules.api]
ops.handle = { cpu = "200ms", calls = [ { op = "svc.work" } ] }
[modules.svc]
ops.work = { cpu = { dist = "exp", mean = "300ms" } }
[[variants]]
name = "v"
[[variants.units]]
name = "api"
modules = ["api"]
platform = "serverless"
[[variants.units]]
name = "svc"
modules = ["svc"]
cores = 1
workers = 1
"#;

/// The objective of every plan of a grid, simulated with the scenario's own seed and
/// replications (the oracle the search uses): `(plan, objective, met)`.
fn brute_force(
    text: &str,
    paths: &[&str],
    grid: &[Vec<ParamValue>],
    slo: &Slo,
) -> Vec<(Vec<ParamValue>, f64, bool)> {
    let scenarios: Vec<_> = grid
        .iter()
        .map(|p| {
            let values: Vec<(String, ParamValue)> = paths
                .iter()
                .zip(p)
                .map(|(k, x)| (k.to_string(), x.clone()))
                .collect();
            scenario_with(text, "grid.toml", &values, true).expect("plan")
        })
        .collect();
    let jobs: Vec<Job<'_>> = scenarios
        .iter()
        .map(|s| Job {
            scenario: s,
            variants: Vec::new(),
        })
        .collect();
    let results = run_batch(&jobs, &RunOptions::default()).expect("batch");
    grid.iter()
        .zip(results)
        .map(|(p, r)| {
            let r = r.expect("run");
            let v = &r.variants[0];
            (
                p.clone(),
                cost_per_month(v).expect("a cost"),
                slo.evaluate(v).met(),
            )
        })
        .collect()
}

fn mb(x: u32) -> ParamValue {
    ParamValue::Quantity {
        text: format!("{x}MB"),
        base: f64::from(x) * 1e6,
        kind: QuantityKind::Size,
    }
}

fn at_rate(text: &str, rate: f64) -> String {
    archsim::scenario::params::set(
        text,
        "workload.entries.req.arrival.rate",
        &ParamValue::Number(rate),
        false,
    )
    .expect("rate")
}

#[test]
fn function_memory_and_replicas_match_the_brute_force_cheapest_plan() {
    let slo = Slo::parse("mean<1.5s").expect("slo");
    let rate = 2.0;
    let r = rightsize(
        FN_CHAIN,
        "chain.toml",
        &slo,
        &RightsizeOptions {
            rate,
            search: vec![KnobKind::Replicas, KnobKind::MemoryMb],
            ..Default::default()
        },
    )
    .expect("rightsize");
    assert_eq!(r.search, ["replicas", "memory"]);
    let v = &r.variants[0];
    assert!(v.met, "no plan found: {v:?}");
    let kinds: Vec<KnobKind> = v.plan.iter().map(|s| s.knob).collect();
    assert_eq!(kinds, [KnobKind::Replicas, KnobKind::MemoryMb]);
    // Analytic starts: svc stable with one replica (0.6 s of CPU per second); api's memory the
    // smallest on the ladder with 200 ms × 1769 / m + 300 ms (svc unloaded) ≤ 1.5 s: m ≥ 295 MB.
    let analytic: Vec<u32> = v.plan.iter().map(|s| s.analytic).collect();
    assert_eq!(analytic, [1, 384]);
    // As written: memory omitted = 1769 MB.
    assert_eq!(v.plan[1].current, Some(1769));
    let found: Vec<u32> = v.plan.iter().map(|s| s.value).collect();

    // Brute force over every memory size of the ladder × 1..=6 replicas (beyond 6, svc's
    // response cannot fall further than its 300 ms service time while each replica costs more).
    let text = at_rate(FN_CHAIN, rate);
    let mut grid = Vec::new();
    let mut plans = Vec::new();
    for &m in &MEMORY_LADDER_MB {
        for r in 1..=6u32 {
            grid.push(vec![ParamValue::Number(f64::from(r)), mb(m)]);
            plans.push([r, m]);
        }
    }
    let all = brute_force(
        &text,
        &[
            "variants.v.units.svc.replicas",
            "variants.v.units.api.memory",
        ],
        &grid,
        &slo,
    );
    let cheapest = all
        .iter()
        .filter(|(_, _, met)| *met)
        .map(|(_, c, _)| *c)
        .fold(f64::INFINITY, f64::min);
    assert!(cheapest.is_finite(), "no plan in the grid meets the SLO");
    let best: Vec<[u32; 2]> = plans
        .iter()
        .zip(&all)
        .filter(|(_, (_, c, met))| *met && *c == cheapest)
        .map(|(p, _)| *p)
        .collect();
    let objective = v.cost_per_month_usd.expect("a cost");
    assert_eq!(
        objective, cheapest,
        "search found {found:?} (${objective}), brute force {best:?} (${cheapest})"
    );
    assert!(
        best.iter().any(|p| p[..] == found[..]),
        "search found {found:?}, brute force {best:?}"
    );
    assert!(v.evaluations < plans.len(), "{} evaluations", v.evaluations);
}

/// `front` (5 ms of CPU at full speed) calls `worker` (400 ms) synchronously, λ = 1/s; both
/// functions, cold starts kept out of the measured window by the default 10-minute keep-alive.
const FN_FN: &str = r#"
name = "function calls function"
seed = 11
replications = 3
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "200s"
window = "200s"
[[workload.entries]]
name = "req"
op = "front.handle"
arrival = { process = "poisson", rate = 1.0 }
[modules.front]
ops.handle = { cpu = "5ms", calls = [ { op = "worker.run" } ] }
[modules.worker]
ops.run = { cpu = "400ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "front"
modules = ["front"]
platform = "serverless"
memory = "128MB"
[[variants.units]]
name = "worker"
modules = ["worker"]
platform = "serverless"
memory = "128MB"
"#;

/// GB-s billed per request for memories (front, worker) \[MB\]: each function's running time
/// rounded up to the millisecond times its memory; `front` runs while `worker` does.
fn gb_s_per_request(front: u32, worker: u32) -> f64 {
    let speed = |m: u32| (f64::from(m) / 1769.0).min(1.0);
    let t_worker = 400.0 / speed(worker);
    let t_front = 5.0 / speed(front) + t_worker;
    (t_front - 1e-9).ceil() / 1000.0 * f64::from(front) / 1000.0
        + (t_worker - 1e-9).ceil() / 1000.0 * f64::from(worker) / 1000.0
}

#[test]
fn more_memory_for_a_function_its_caller_waits_on_is_cheaper_overall() {
    // The SLO holds at every memory size (5.6 s at 128 MB for both): only the cost decides.
    let slo = Slo::parse("mean<20s").expect("slo");
    let r = rightsize(
        FN_FN,
        "fnfn.toml",
        &slo,
        &RightsizeOptions {
            rate: 1.0,
            search: vec![KnobKind::MemoryMb],
            ..Default::default()
        },
    )
    .expect("rightsize");
    let v = &r.variants[0];
    assert!(v.met);
    let analytic: Vec<u32> = v.plan.iter().map(|s| s.analytic).collect();
    assert_eq!(analytic, [128, 128], "the smallest size meets the SLO");
    // The worker's GB-s are flat up to one vCPU (time ∝ 1/memory), but the caller is billed
    // for every second it waits: the worker goes to full speed (1769 MB; more buys no speed),
    // the caller, which mostly waits, stays at 128 MB.
    let found: Vec<u32> = v.plan.iter().map(|s| s.value).collect();
    assert_eq!(found, [128, 1769]);
    // The cost against the smallest memory, on the same draws: the ratio of the closed-form
    // bills (requests at $0.20 per million, GB-s at $0.0000166667).
    let small = brute_force(
        FN_FN,
        &[
            "variants.v.units.front.memory",
            "variants.v.units.worker.memory",
        ],
        &[vec![mb(128), mb(128)]],
        &slo,
    );
    let bill = |f, w| 2.0 * 0.2e-6 + gb_s_per_request(f, w) * 0.000_016_666_7;
    let expected = bill(128, 1769) / bill(128, 128);
    let measured = v.cost_per_month_usd.expect("cost") / small[0].1;
    assert!(expected < 0.6, "closed form {expected}");
    assert!(
        (measured / expected - 1.0).abs() < 0.01,
        "cost ratio {measured}, closed form {expected}"
    );
}

/// One function, λ = 0.5/s, 50 ms per invocation at full speed, a 500 ms cold start and a 1 s
/// keep-alive: most requests find no warm instance.
const COLD: &str = r#"
name = "cold tail"
seed = 3
replications = 4
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "4000s"
warmup = "100s"
window = "100s"
[[workload.entries]]
name = "req"
op = "fn.handle"
arrival = { process = "poisson", rate = 0.5 }
[modules.fn]
ops.handle = { cpu = "50ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "fn"
modules = ["fn"]
platform = "serverless"
memory = "1769MB"
keep_alive = "1s"
cold_start = "500ms"
"#;

#[test]
fn provisioned_concurrency_is_what_takes_cold_starts_out_of_the_p99() {
    let slo = Slo::parse("p99<300ms").expect("slo");
    let r = rightsize(
        COLD,
        "cold.toml",
        &slo,
        &RightsizeOptions {
            rate: 0.5,
            search: vec![KnobKind::Provisioned],
            ..Default::default()
        },
    )
    .expect("rightsize");
    let v = &r.variants[0];
    assert!(v.met, "{v:?}");
    assert_eq!(v.plan[0].knob, KnobKind::Provisioned);
    assert_eq!(v.plan[0].current, Some(0));
    // Busy instances ~ Poisson(λ·E[S] = 0.025): P(N ≥ 1) = 2.47% > 1%, P(N ≥ 2) = 0.03% ≤ 1%:
    // two instances keep the cold starts (each 500 ms > 300 ms) out of the slowest 1%.
    assert_eq!(v.plan[0].analytic, 2);
    assert_eq!(v.plan[0].value, 2);
    // Without them, and with one, the p99 is a cold start: the SLO is violated.
    let fewer = brute_force(
        COLD,
        &["variants.v.units.fn.provisioned"],
        &[vec![ParamValue::Number(0.0)], vec![ParamValue::Number(1.0)]],
        &slo,
    );
    assert!(
        !fewer[0].2 && !fewer[1].2,
        "met without enough provisioned instances"
    );
    // Cheaper as written, but not meeting the SLO.
    assert!(v.current_cost_per_month_usd.expect("cost") < v.cost_per_month_usd.expect("cost"));
}

#[test]
fn search_list_names_are_checked() {
    assert_eq!(
        KnobKind::parse_search("replicas,memory").expect("ok"),
        [KnobKind::Replicas, KnobKind::MemoryMb]
    );
    assert_eq!(KnobKind::parse_search("all").expect("ok").len(), 6);
    let e = KnobKind::parse_search("replicas,memroy").expect_err("typo");
    assert!(e.contains("did you mean `memory`"), "{e}");
    assert!(KnobKind::parse_search("memory,memory").is_err());
    assert!(KnobKind::parse_search("memory,").is_err());
}

/// One function, λ = 10/s, 500 ms per invocation: a = λ·E[S] = 5 busy instances on average.
const LOSS: &str = r#"
name = "loss"
seed = 9
replications = 4
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "200s"
window = "200s"
[[workload.entries]]
name = "req"
op = "fn.handle"
arrival = { process = "poisson", rate = 10.0 }
[modules.fn]
ops.handle = { cpu = "500ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "fn"
modules = ["fn"]
platform = "serverless"
"#;

#[test]
fn reserved_concurrency_starts_at_the_erlang_b_size_for_the_error_budget() {
    use archsim::analytic::queueing::erlang_b;
    let slo = Slo::parse("errors<1%").expect("slo");
    let r = rightsize(
        LOSS,
        "loss.toml",
        &slo,
        &RightsizeOptions {
            rate: 10.0,
            search: vec![KnobKind::ReservedConcurrency],
            ..Default::default()
        },
    )
    .expect("rightsize");
    let v = &r.variants[0];
    assert!(v.met, "{v:?}");
    let s = &v.plan[0];
    assert_eq!(s.knob, KnobKind::ReservedConcurrency);
    assert_eq!(s.current, None, "not written");
    // M/G/c/c with a = 5: B(10, 5) = 1.84% > 1% ≥ B(11, 5) = 0.83%.
    assert!(erlang_b(10, 5.0) > 0.01 && erlang_b(11, 5.0) <= 0.01);
    assert_eq!(s.analytic, 11);
    // Throttled invocations are not billed, so the plan is the smallest limit whose simulated
    // error ratio stays under 1% with confidence: 11 or, if the interval reaches 1%, 12.
    assert!(s.value == 11 || s.value == 12, "plan {}", s.value);
    // The simulated throttling is the Erlang B blocking of the plan (insensitive to the
    // service-time distribution), within three half-widths of its interval.
    let o = v.outcome.as_ref().expect("outcome");
    let c = &o.checks[0];
    let b = erlang_b(s.value, 5.0);
    assert!(
        (c.mean - b).abs() <= 3.0 * (c.far_end - c.mean).abs() + 1e-4,
        "throttled {} (far end {}), Erlang B {b}",
        c.mean,
        c.far_end
    );
}

/// One unit, one instance, λ = 5/s of exponential 500 ms: 2.5 cores of demand.
const ONE_UNIT: &str = r#"
name = "one unit"
seed = 4
replications = 3
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "200s"
window = "200s"
[[workload.entries]]
name = "req"
op = "m.work"
arrival = { process = "poisson", rate = 5.0 }
[modules.m]
ops.work = { cpu = { dist = "exp", mean = "500ms" } }
[[variants]]
name = "v"
[[variants.units]]
name = "u"
modules = ["m"]
cores = 1
"#;

#[test]
fn instance_size_is_the_smallest_on_the_ladder_that_is_stable() {
    let slo = Slo::parse("mean<1s").expect("slo");
    let r = rightsize(
        ONE_UNIT,
        "one.toml",
        &slo,
        &RightsizeOptions {
            rate: 5.0,
            search: vec![KnobKind::InstanceCores],
            ..Default::default()
        },
    )
    .expect("rightsize");
    let v = &r.variants[0];
    assert!(v.met, "{v:?}");
    let s = &v.plan[0];
    assert_eq!(s.knob, KnobKind::InstanceCores);
    assert_eq!(s.current, Some(1));
    // 2.5 cores of demand on one instance: 1 and 2 cores are unstable; the ladder's next size
    // is 4, which meets mean<1s (4 cores at ρ = 0.625).
    assert_eq!((s.analytic, s.value), (4, 4));
    assert_eq!(v.cores, 4.0);
}
