//! One box: a runaway process (`cpu_hog`) takes cores from its host's neighbours, or only
//! from its own cores or `cpu_limit` (docs/semantics.md §17). Oracles: M/M/1 processor
//! sharing on the core left, mean response S/(1 − λS), within the replications' 95% interval.

use crate::common::{assert_within_ci, run, scenario};

/// `app` (Poisson 50/s, exponential 10 ms CPU) and `batch` (no traffic) in variant `v`, with a
/// `cpu_hog` of `hog` cores on `batch` for the whole run.
fn box_with(hog: f64, variant: &str) -> String {
    format!(
        r#"name = "noisy neighbour"
seed = 7
replications = 10
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
warmup = "20s"
duration = "400s"
[[workload.entries]]
name = "req"
op = "a.get"
arrival = {{ process = "poisson", rate = 50 }}
[modules.a]
ops.get = {{ cpu = {{ dist = "exp", mean = "10ms" }} }}
[modules.b]
ops.run = {{ cpu = "1ms" }}
[[faults]]
kind = "cpu_hog"
target = "batch"
cores = {hog}
{variant}
"#
    )
}

/// Mean response of M/M/1-PS at 50/s with mean demand 10 ms: 10 ms / (1 − 0.5) = 20 ms.
const MM1_W: f64 = 0.010 / (1.0 - 50.0 * 0.010);

#[test]
fn a_hog_on_a_neighbour_leaves_the_rest_of_the_host() {
    // A 3-core host; the hog in `batch` takes 2: `app` shares the 1 core left, M/M/1-PS.
    let text = box_with(
        2.0,
        r#"[[variants]]
name = "box"
[[variants.hosts]]
name = "box"
cores = 3
[[variants.units]]
name = "app"
modules = ["a"]
host = "box"
[[variants.units]]
name = "batch"
modules = ["b"]
host = "box"
"#,
    );
    let r = run(&scenario(&text));
    assert_within_ci(
        &r.variants[0].entries["req"].latency_s.mean,
        MM1_W,
        "app beside a 2-core hog on a 3-core host",
    );
}

#[test]
fn a_cpu_limit_isolates_the_neighbour_and_a_hog_takes_from_its_own_cores() {
    // `app` limited to 1 core, `batch` to 1 core whose hog burns 0.9: `app` keeps its core,
    // M/M/1. In a second variant `app` has 2 cores of its own and a hog of 1 in it: the core
    // left, M/M/1-PS again.
    let text = box_with(
        0.9,
        r#"[[variants]]
name = "limited"
[[variants.hosts]]
name = "box"
cores = 2
[[variants.units]]
name = "app"
modules = ["a"]
host = "box"
cpu_limit = 1
[[variants.units]]
name = "batch"
modules = ["b"]
host = "box"
cpu_limit = 1
"#,
    );
    let r = run(&scenario(&text));
    assert_within_ci(
        &r.variants[0].entries["req"].latency_s.mean,
        MM1_W,
        "app with a cpu_limit beside a hog",
    );
    let own = box_with(1.0, "").replace("target = \"batch\"", "target = \"app\"")
        + r#"[[variants]]
name = "own"
[[variants.units]]
name = "app"
modules = ["a"]
cores = 2
[[variants.units]]
name = "batch"
modules = ["b"]
"#;
    let r = run(&scenario(&own));
    assert_within_ci(
        &r.variants[0].entries["req"].latency_s.mean,
        MM1_W,
        "app of 2 cores with a hog of 1 in it",
    );
}

#[test]
fn a_hog_needs_cores_and_a_slow_fault_on_a_shared_host_points_to_it() {
    let text = box_with(1.0, "").replace("cores = 1\n", "")
        + r#"[[variants]]
name = "v"
[[variants.units]]
name = "app"
modules = ["a"]
[[variants.units]]
name = "batch"
modules = ["b"]
"#;
    let err = archsim::scenario::parse(&text, "t.toml")
        .expect_err("no cores")
        .to_string();
    assert!(err.contains("faults[0].cores"), "{err}");
    let slow = box_with(1.0, "")
        .replace("kind = \"cpu_hog\"", "kind = \"slow\"")
        .replace("cores = 1\n", "factor = 2\n")
        + r#"[[variants]]
name = "v"
[[variants.hosts]]
name = "box"
cores = 2
[[variants.units]]
name = "app"
modules = ["a"]
host = "box"
[[variants.units]]
name = "batch"
modules = ["b"]
host = "box"
"#;
    let err = archsim::scenario::parse(&slow, "t.toml")
        .expect_err("slow on a shared host")
        .to_string();
    assert!(err.contains("cpu_hog"), "{err}");
}
