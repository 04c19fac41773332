//! The semantics of the model on cases whose answer is known exactly or by a simple argument:
//! the network and marshalling tax, the gateway, fork-join, repeated and optional calls,
//! timeouts, rejection, blocking vs async io, load balancing, databases, memory.

use crate::common::{assert_close, assert_within_ci, run, scenario};

/// A model whose answer is deterministic: constant demands, constant latency, arrivals spaced so
/// that no two requests ever overlap.
fn tax_model(gateway: &str) -> String {
    format!(
        r#"name = "tax"
seed = 1
replications = 2
[network]
latency = "1ms"
marshal_per_kb = "10us"
[workload]
duration = "100s"
warmup = "1s"
[[workload.entries]]
name = "req"
op = "a.run"
arrival = {{ process = "constant", rate = 10 }}
[modules.a]
memory = "100MB"
ops.run = {{ cpu = "3ms", payload = "2KB", calls = [ {{ op = "b.run" }} ] }}
[modules.b]
memory = "50MB"
ops.run = {{ cpu = "5ms", payload = "4KB" }}
[[variants]]
name = "together"
[[variants.units]]
name = "ab"
modules = ["a", "b"]
replicas = 2
base_memory = "1GB"
[[variants]]
name = "apart"
{gateway}
[[variants.units]]
name = "a"
modules = ["a"]
replicas = 2
base_memory = "1GB"
[[variants.units]]
name = "b"
modules = ["b"]
replicas = 3
base_memory = "1GB"
"#
    )
}

#[test]
fn network_and_marshalling_tax_is_exact() {
    let r = run(&scenario(&tax_model("")));
    let together = &r.variants[0].entries["req"].latency_s;
    let apart = &r.variants[1].entries["req"].latency_s;
    // Together: entry marshalling of a (2 KB × 10 µs) + 3 ms + 5 ms.
    assert_close(
        together.mean.mean,
        0.000_020 + 0.008,
        1e-6,
        "in-process latency",
    );
    assert_eq!(together.p99.min, together.p99.max);
    // Apart: + caller and callee marshalling of b (2 × 4 KB × 10 µs) + two hops of 1 ms.
    assert_close(
        apart.mean.mean,
        0.000_020 + 0.008 + 0.000_080 + 0.002,
        1e-6,
        "cross-unit latency",
    );
    let d = &r.comparisons[0].entries["req"].latency_mean_s;
    assert_close(d.mean, 0.002_080, 1e-6, "paired difference");
    assert!(
        d.half_width() < 1e-9,
        "deterministic difference has no spread"
    );
    // Memory: together 2 × (1 GB + 150 MB); apart 2 × (1 GB + 100 MB) + 3 × (1 GB + 50 MB).
    assert_close(
        r.variants[0].memory_provisioned_gb.mean,
        2.3,
        1e-9,
        "memory together",
    );
    assert_close(
        r.variants[1].memory_provisioned_gb.mean,
        5.35,
        1e-9,
        "memory apart",
    );
    assert_close(
        r.comparisons[0].memory_provisioned_gb.mean,
        3.05,
        1e-9,
        "memory difference",
    );
}

#[test]
fn gateway_adds_its_overhead_and_two_hops() {
    let r = run(&scenario(&tax_model(r#"gateway = { overhead = "700us" }"#)));
    let apart = &r.variants[1].entries["req"].latency_s;
    assert_close(
        apart.mean.mean,
        0.000_020 + 0.008 + 0.000_080 + 0.002 + 0.0007 + 0.002,
        1e-6,
        "latency through the gateway",
    );
}

/// A scenario with one entry `req` calling `a.run`, the given `[modules…]`/`[datastores…]`
/// text `ops` and the units and databases `unit` of a single variant.
fn one_unit(ops: &str, unit: &str, rate: f64, arrival: &str) -> String {
    format!(
        r#"name = "t"
seed = 3
replications = 10
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "100s"
window = "100s"
[[workload.entries]]
name = "req"
op = "a.run"
arrival = {{ process = "{arrival}", rate = {rate} }}
{ops}
[[variants]]
name = "v"
{unit}
"#
    )
}

#[test]
fn fork_join_waits_for_the_slowest_branch() {
    let ops = r#"
[modules.a]
ops.run = { cpu = "1ms", calls = [ { parallel = [ { op = "b.run" }, { op = "c.run" } ] }, { op = "b.run" } ] }
[modules.b]
ops.run = { cpu = "10ms" }
[modules.c]
ops.run = { cpu = "30ms" }
"#;
    let units = r#"
[[variants.units]]
name = "a"
modules = ["a"]
[[variants.units]]
name = "b"
modules = ["b"]
[[variants.units]]
name = "c"
modules = ["c"]
"#;
    let r = run(&scenario(&one_unit(ops, units, 1.0, "constant")));
    // 1 ms, then max(10, 30) ms, then 10 ms.
    assert_close(
        r.variants[0].entries["req"].latency_s.mean.mean,
        0.041,
        1e-6,
        "fork-join",
    );
}

#[test]
fn in_process_parallel_branches_share_the_cores() {
    // Two in-process branches of 10 ms on one core run side by side at half speed: 20 ms.
    let ops = r#"
[modules.a]
ops.run = { cpu = "0s", calls = [ { parallel = [ { op = "a.x" }, { op = "a.y" } ] } ] }
ops.x = { cpu = "10ms" }
ops.y = { cpu = "10ms" }
"#;
    let units = "[[variants.units]]\nname = \"a\"\nmodules = [\"a\"]\ncores = 1\n";
    let r = run(&scenario(&one_unit(ops, units, 1.0, "constant")));
    assert_close(
        r.variants[0].entries["req"].latency_s.mean.mean,
        0.020,
        1e-6,
        "PS",
    );
    let units2 = "[[variants.units]]\nname = \"a\"\nmodules = [\"a\"]\ncores = 2\n";
    let r = run(&scenario(&one_unit(ops, units2, 1.0, "constant")));
    assert_close(
        r.variants[0].entries["req"].latency_s.mean.mean,
        0.010,
        1e-6,
        "two cores",
    );
}

#[test]
fn repeated_and_optional_calls() {
    let ops = r#"
[modules.a]
ops.run = { cpu = "0s", calls = [ { op = "b.run", count = 3 }, { op = "c.run", p = 0.25 } ] }
[modules.b]
ops.run = { cpu = "1ms" }
[modules.c]
ops.run = { cpu = "1ms" }
"#;
    let units = "[[variants.units]]\nname = \"a\"\nmodules = [\"a\"]\n[[variants.units]]\nname = \"b\"\nmodules = [\"b\"]\n[[variants.units]]\nname = \"c\"\nmodules = [\"c\"]\n";
    let r = run(&scenario(&one_unit(ops, units, 20.0, "poisson")));
    let v = &r.variants[0];
    let req = &v.entries["req"].throughput_per_s;
    let b = &v.units["b"].throughput_per_s;
    assert_close(b.mean / req.mean, 3.0, 1e-4, "count = 3 visits");
    // c is called with probability 0.25: a binomial thinning of the entry stream.
    assert_within_ci(
        &v.units["c"].throughput_per_s,
        20.0 * 0.25,
        "p = 0.25 visits",
    );
}

#[test]
fn client_timeout_fails_requests_but_orphaned_work_goes_on() {
    let ops = r#"
[modules.a]
ops.run = { cpu = "100ms" }
"#;
    let units = "[[variants.units]]\nname = \"a\"\nmodules = [\"a\"]\ncores = 4\nworkers = 4\n";
    let text = one_unit(ops, units, 5.0, "constant")
        .replace("rate = 5 }", "rate = 5 }\ntimeout = \"50ms\"");
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let e = &v.entries["req"];
    assert_eq!(e.completed.max, 0.0, "nothing finishes within 50 ms");
    assert_close(
        e.failed_by_reason["timeout"].mean,
        e.arrived.mean,
        1e-9,
        "every request times out",
    );
    // The server does not know the client gave up: it still does every request's work.
    assert_close(
        v.units["a"].throughput_per_s.mean,
        5.0,
        1e-3,
        "orphaned work",
    );
    assert_close(
        v.units["a"].utilization.mean,
        5.0 * 0.1 / 4.0,
        1e-3,
        "utilization",
    );
}

#[test]
fn call_timeout_reports_timeout_at_the_caller() {
    let ops = r#"
[modules.a]
ops.run = { cpu = "1ms", calls = [ { op = "b.run", timeout = "20ms" } ] }
[modules.b]
ops.run = { cpu = "50ms" }
"#;
    let units = "[[variants.units]]\nname = \"a\"\nmodules = [\"a\"]\n[[variants.units]]\nname = \"b\"\nmodules = [\"b\"]\ncores = 8\nworkers = 8\n";
    let r = run(&scenario(&one_unit(ops, units, 2.0, "constant")));
    let e = &r.variants[0].entries["req"];
    assert_eq!(e.completed.max, 0.0);
    assert!(e.failed_by_reason.contains_key("timeout"));
}

#[test]
fn full_queue_rejects() {
    // One worker, no queue, a request every 10 ms needing 15 ms: every other request is rejected.
    let ops = "[modules.a]\nops.run = { cpu = \"15ms\" }\n";
    let units =
        "[[variants.units]]\nname = \"a\"\nmodules = [\"a\"]\ncores = 1\nworkers = 1\nqueue = 0\n";
    let r = run(&scenario(&one_unit(ops, units, 100.0, "constant")));
    let v = &r.variants[0];
    let e = &v.entries["req"];
    assert_close(e.success_ratio.mean, 0.5, 1e-3, "half accepted");
    assert_close(
        v.units["a"].rejected.mean,
        e.failed_by_reason["rejected"].mean,
        1e-9,
        "rejections counted at the unit and at the entry",
    );
}

#[test]
fn blocking_io_holds_workers_while_waiting_async_does_not() {
    // `a` has 2 workers and calls `b`, which takes 100 ms on plenty of cores. Blocking: each
    // request holds an `a` worker for 100 ms, so `a` can pass at most 20 requests/s and the rest
    // are rejected. Async: `a`'s workers are held only for its 1 ms of CPU.
    let ops = r#"
[modules.a]
ops.run = { cpu = "1ms", calls = [ { op = "b.run" } ] }
[modules.b]
ops.run = { cpu = "100ms" }
"#;
    let mk = |io: &str| {
        format!(
            "[[variants.units]]\nname = \"a\"\nmodules = [\"a\"]\ncores = 2\nworkers = 2\nqueue = 0\nio = \"{io}\"\n[[variants.units]]\nname = \"b\"\nmodules = [\"b\"]\ncores = 64\nworkers = 64\n"
        )
    };
    let blocking = run(&scenario(&one_unit(ops, &mk("blocking"), 40.0, "poisson")));
    let asynch = run(&scenario(&one_unit(ops, &mk("async"), 40.0, "poisson")));
    let tb = blocking.variants[0].entries["req"].throughput_per_s.mean;
    let ta = asynch.variants[0].entries["req"].throughput_per_s.mean;
    assert!(
        tb < 20.0,
        "blocking throughput {tb} must be under 2 workers / 100 ms"
    );
    assert!(ta > 39.0, "async throughput {ta} must carry the load");
    // Erlang loss: 2 servers, offered 40 × 0.101 erlangs: B(2, 4.04) of the requests are lost.
    let a: f64 = 40.0 * 0.101;
    let erlang_b = (a * a / 2.0) / (1.0 + a + a * a / 2.0);
    let e = &blocking.variants[0].entries["req"];
    assert_within_ci(
        &e.success_ratio,
        1.0 - erlang_b,
        "Erlang B with blocking workers",
    );
}

#[test]
fn load_balancers_spread_the_load() {
    let ops = "[modules.a]\nops.run = { cpu = { dist = \"exp\", mean = \"10ms\" } }\n";
    for lb in ["round_robin", "random", "least_outstanding", "power_of_two"] {
        let units = format!(
            "[[variants.units]]\nname = \"a\"\nmodules = [\"a\"]\nreplicas = 4\ncores = 1\nworkers = 1\nlb = \"{lb}\"\n"
        );
        let r = run(&scenario(&one_unit(ops, &units, 200.0, "poisson")));
        let u = &r.variants[0].units["a"];
        assert_eq!(u.instances, 4);
        assert_within_ci(
            &u.utilization,
            200.0 * 0.01 / 4.0,
            &format!("{lb} utilization"),
        );
    }
}

#[test]
fn smarter_balancing_waits_less() {
    // Join-the-shortest-queue beats blind round robin, which beats random (M/M/1 each).
    let ops = "[modules.a]\nops.run = { cpu = { dist = \"exp\", mean = \"10ms\" } }\n";
    let w = |lb: &str| {
        let units = format!(
            "[[variants.units]]\nname = \"a\"\nmodules = [\"a\"]\nreplicas = 4\ncores = 1\nworkers = 1\nlb = \"{lb}\"\n"
        );
        run(&scenario(&one_unit(ops, &units, 320.0, "poisson"))).variants[0].entries["req"]
            .latency_s
            .mean
    };
    // Random split: four independent M/M/1 at ρ = 0.8: W = 10 ms / 0.2 = 50 ms.
    let random_stat = w("random");
    assert_within_ci(&random_stat, 0.05, "random balancing: four M/M/1");
    let random = random_stat.mean;
    let rr = w("round_robin").mean;
    let p2 = w("power_of_two").mean;
    let lo = w("least_outstanding").mean;
    assert!(
        lo < p2 && p2 < random && rr < random,
        "lo {lo} p2 {p2} rr {rr} random {random}"
    );
}

#[test]
fn database_is_a_processor_sharing_station() {
    let ops = r#"
[modules.a]
ops.run = { cpu = "0s", calls = [ { op = "store.q" } ] }
[datastores.store]
ops.q = { time = { dist = "exp", mean = "50ms" } }
"#;
    let units = r#"
[[variants.units]]
name = "a"
modules = ["a"]
workers = 1000
[[variants.databases]]
name = "db"
stores = ["store"]
cores = 2
max_connections = 2
"#;
    let text = one_unit(ops, units, 30.0, "poisson");
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    // max_connections = cores = 2 with exponential queries: M/M/2 at λ = 30, μ = 20.
    let th = archsim::analytic::queueing::mmc(30.0, 20.0, 2).expect("stable");
    assert_within_ci(&v.entries["req"].latency_s.mean, th.w, "database M/M/2");
    assert_within_ci(&v.databases["db"].utilization, 0.75, "database utilization");
}

#[test]
fn fractional_cores_slow_work_down() {
    let ops = "[modules.a]\nops.run = { cpu = \"10ms\" }\n";
    let units = "[[variants.units]]\nname = \"a\"\nmodules = [\"a\"]\ncores = 0.5\n";
    let r = run(&scenario(&one_unit(ops, units, 1.0, "constant")));
    assert_close(
        r.variants[0].entries["req"].latency_s.mean.mean,
        0.020,
        1e-6,
        "half a core",
    );
}

#[test]
fn littles_law_holds_on_the_reported_figures() {
    let ops = r#"
[modules.a]
ops.run = { cpu = { dist = "exp", mean = "5ms" }, calls = [ { op = "b.run", p = 0.5 } ] }
[modules.b]
ops.run = { cpu = { dist = "lognormal", mean = "8ms", cv = 1.5 } }
"#;
    let units = "[[variants.units]]\nname = \"a\"\nmodules = [\"a\"]\nreplicas = 2\ncores = 1\nworkers = 8\n[[variants.units]]\nname = \"b\"\nmodules = [\"b\"]\ncores = 1\nworkers = 2\n";
    let r = run(&scenario(&one_unit(ops, units, 80.0, "poisson")));
    for (name, u) in &r.variants[0].units {
        let l = u.mean_in_system.mean;
        let lw = u.throughput_per_s.mean * u.mean_residence_s.mean;
        assert_close(l, lw, 0.01, &format!("L = λW at {name}"));
    }
}

#[test]
fn time_series_memory_is_bounded_by_widening_the_window() {
    let text = r#"name = "many windows"
seed = 1
replications = 2
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "20000s"
warmup = "1000s"
window = "1ms"
[[workload.entries]]
name = "req"
op = "s.work"
arrival = { process = "poisson", rate = 0.8 }
[modules.s]
ops.work = { cpu = { dist = "exp", mean = "1s" } }
[[variants]]
name = "v"
[[variants.units]]
name = "s"
modules = ["s"]
workers = 1
"#;
    let s = scenario(text);
    let count = archsim::model::Model::compile(&s, 0).series_count();
    let r = run(&s);
    let series = &r.variants[0].series;
    // 21,000 s in 1 ms windows would be 21 million windows per replication.
    let max = archsim::model::series_max_windows(s.workload.series_budget, count, 2, 1);
    assert!(series.t_s.len() as u64 <= max);
    assert!(series.t_s.len() >= 1000, "still a useful series");
    // The widened window is a whole multiple of the asked one and the series covers the run.
    let w = series.window_s;
    assert!((w / 0.001 - (w / 0.001).round()).abs() < 1e-6, "window {w}");
    assert!(series.t_s.len() as f64 * w <= 21_000.0 + 1e-6);
    assert!(
        r.warnings.iter().any(|m| m.contains("widened")),
        "{:?}",
        r.warnings
    );
    // Throughput per window averages to the arrival rate: about 33,600 requests in all, so the
    // relative standard error is ~0.6% and 0.05/s (6%) is a safe bound for this sanity check.
    let tp = &series.entries["req"].throughput_per_s;
    let mean = tp.iter().sum::<f64>() / tp.len() as f64;
    assert!((mean - 0.8).abs() < 0.05, "{mean}");
}
