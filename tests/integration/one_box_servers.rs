//! One box, really: a database, a cache and a queue's broker on a host beside the units
//! (docs/semantics.md §4, docs/format.md "Hosts and zones"). Oracles: a processor-sharing host
//! visited twice per request (BCMP: each visit's mean response is its demand / (1 − ρ)), the
//! instance catalogue's hourly prices, and the validation messages.

use crate::common::{assert_within_ci, run, scenario};
use archsim::results::VariantResult;

/// `app.get` (exponential `app_cpu` of CPU) queries `items.read` (exponential `db_time`) once,
/// Poisson 50/s, no network time; `variant` is appended.
fn shop(app_cpu: &str, db_time: &str, extra: &str, variant: &str) -> String {
    format!(
        r#"name = "one box"
seed = 11
replications = 10
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
warmup = "20s"
duration = "400s"
[[workload.entries]]
name = "req"
op = "app.get"
arrival = {{ process = "poisson", rate = 50 }}
[modules.app]
ops.get = {{ cpu = {{ dist = "exp", mean = "{app_cpu}" }}, calls = [{{ op = "items.read" }}] }}
[datastores.items]
ops.read = {{ time = {{ dist = "exp", mean = "{db_time}" }} }}
{extra}
{variant}
"#
    )
}

const BOX: &str = r#"[[variants]]
name = "box"
[[variants.hosts]]
name = "box"
cores = 1
[[variants.units]]
name = "app"
modules = ["app"]
host = "box"
[[variants.databases]]
name = "db"
stores = ["items"]
host = "box"
memory = "2GB"
"#;

fn line(v: &VariantResult, key: &str) -> Option<f64> {
    v.cost.by_resource.get(key).map(|l| l.window_usd.mean)
}

#[test]
fn a_database_on_the_host_shares_its_core_with_the_app() {
    // One core, processor sharing, visited twice per request: the app's 5 ms and the query's
    // 5 ms. ρ = 50/s × 10 ms = 0.5, so the request takes 10 ms / (1 − 0.5) = 20 ms.
    let r = run(&scenario(&shop("5ms", "5ms", "", BOX)));
    let v = &r.variants[0];
    assert_within_ci(
        &v.entries["req"].latency_s.mean,
        0.010 / (1.0 - 0.5),
        "app and database sharing one core",
    );
    // Each process's share of the host's one core: 50/s × 5 ms = 0.25 each.
    assert_within_ci(
        &v.units["app"].utilization,
        0.25,
        "the app's share of the core",
    );
    assert_within_ci(&v.databases["db"].utilization, 0.25, "the database's share");
}

#[test]
fn a_database_with_a_cpu_limit_keeps_its_own_cores() {
    // Host of 2 cores: the database limited to 1 core, the app sharing the other. Each is
    // M/M/1 at ρ 0.25: 5 ms / 0.75 twice.
    let v = BOX.replace("cores = 1", "cores = 2") + "cpu_limit = 1\n";
    let r = run(&scenario(&shop("5ms", "5ms", "", &v)));
    assert_within_ci(
        &r.variants[0].entries["req"].latency_s.mean,
        2.0 * 0.005 / (1.0 - 0.25),
        "database with a cpu_limit beside the app",
    );
}

#[test]
fn a_runaway_database_starves_the_app_on_its_host() {
    // 3 cores; a `cpu_hog` of 2 in the database: the app and the queries share the core
    // left, ρ = 0.5 as in the first test: 20 ms.
    let v = BOX.replace("cores = 1", "cores = 3");
    let hog = "[[faults]]\nkind = \"cpu_hog\"\ntarget = \"db\"\ncores = 2\n";
    let r = run(&scenario(&shop("5ms", "5ms", hog, &v)));
    assert_within_ci(
        &r.variants[0].entries["req"].latency_s.mean,
        0.010 / (1.0 - 0.5),
        "a hog of 2 cores in the database on a 3-core host",
    );
}

#[test]
fn servers_on_a_host_are_billed_as_the_host_sized_for_their_memory() {
    // No host memory declared: the host is sized for what runs on it: the app 1 GB, the
    // database 4 GB, the cache 2 GB and the broker 0.5 GB = 7.5 GB on 2 cores → m7i.large
    // (2 vCPUs, 8 GiB, $0.1008 an hour); nothing else is billed.
    let extra = r#"[modules.app.ops.put]
cpu = "1ms"
calls = [{ publish = "jobs", op = "app.work" }]
[modules.app.ops.work]
cpu = "1ms"
"#;
    let text = shop("2ms", "2ms", extra, "")
        + r#"[[variants]]
name = "box"
[[variants.hosts]]
name = "box"
cores = 2
[[variants.units]]
name = "app"
modules = ["app"]
host = "box"
base_memory = "1GB"
[[variants.databases]]
name = "db"
stores = ["items"]
host = "box"
memory = "4GB"
[[variants.caches]]
name = "c"
stores = ["items"]
hit_ratio = 0.5
host = "box"
memory = "2GB"
[[variants.queues]]
name = "jobs"
publish_latency = "1ms"
visibility_timeout = "30s"
consumers = 4
host = "box"
memory = "500MB"
"#;
    let text = text.replace(
        "[[workload.entries]]\nname = \"req\"",
        "[[workload.entries]]\nname = \"put\"\nop = \"app.put\"\narrival = { process = \"poisson\", rate = 5 }\n[[workload.entries]]\nname = \"req\"",
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let window_h = 400.0 / 3600.0;
    let host = &v.cost.by_resource["host/box"];
    assert_eq!(host.instance.as_deref(), Some("m7i.large"));
    assert!(
        (host.window_usd.mean - 0.1008 * window_h).abs() < 1e-9,
        "host line {}",
        host.window_usd.mean
    );
    assert_eq!(
        line(v, "cache/c"),
        None,
        "the cache is billed with its host"
    );
    assert_eq!(
        line(v, "queue/jobs"),
        None,
        "the broker is billed with its host"
    );
    assert_eq!(
        line(v, "database/db"),
        Some(0.0),
        "the database is billed with its host"
    );
    let total: f64 = v.cost.by_resource.values().map(|l| l.window_usd.mean).sum();
    assert!(
        (total - 0.1008 * window_h).abs() < 1e-9,
        "the host is the whole bill: {total}"
    );
}

fn error_of(text: &str) -> String {
    archsim::scenario::parse(text, "t.toml")
        .expect_err("invalid")
        .to_string()
}

#[test]
fn memory_over_the_host_names_the_host_and_what_runs_on_it() {
    let v = BOX.replace("cores = 1", "cores = 1\nmemory = \"4GB\"")
        + "[[variants.caches]]\nname = \"c\"\nstores = [\"items\"]\nhit_ratio = 0.5\nhost = \"box\"\nmemory = \"1GB\"\n";
    let v = v.replace(
        "modules = [\"app\"]",
        "modules = [\"app\"]\nbase_memory = \"1.5GB\"",
    );
    let err = error_of(&shop("5ms", "5ms", "", &v));
    assert!(err.contains("variants[0].hosts[0].memory"), "{err}");
    assert!(err.contains("host `box`"), "{err}");
    assert!(err.contains("4500 MB"), "{err}");
    assert!(err.contains("unit `app` 1500 MB"), "{err}");
    assert!(err.contains("database `db` 2000 MB"), "{err}");
    assert!(err.contains("cache `c` 1000 MB"), "{err}");
    assert!(err.contains("more than its 4000 MB"), "{err}");
}

#[test]
fn keys_that_do_not_fit_a_server_on_a_host_are_refused() {
    let cases = [
        // memory is required on a host
        (
            BOX.replace("memory = \"2GB\"\n", ""),
            "databases[0].memory",
            "needs `memory`",
        ),
        // and meaningless off one
        (
            BOX.replace("host = \"box\"\nmemory", "memory"),
            "databases[0].memory",
            "has no `host`",
        ),
        (
            BOX.to_string() + "cores = 4\n",
            "databases[0].cores",
            "host's cores",
        ),
        (
            BOX.to_string() + "zone = \"a\"\n",
            "databases[0].zone",
            "host's zone",
        ),
        (
            BOX.to_string() + "pricing = \"request\"\n",
            "databases[0].pricing",
            "managed service",
        ),
        (
            BOX.replace("host = \"box\"\nmemory", "host = \"bx\"\nmemory"),
            "databases[0].host",
            "did you mean `box`?",
        ),
        (
            BOX.replace("host = \"box\"\nmemory", "cpu_limit = 1\nmemory"),
            "databases[0].cpu_limit",
            "has no `host`",
        ),
    ];
    for (v, field, what) in cases {
        let err = error_of(&shop("5ms", "5ms", "", &v));
        assert!(err.contains(field) && err.contains(what), "{field}: {err}");
    }
    let q = r#"[modules.app.ops.put]
cpu = "1ms"
calls = [{ publish = "jobs", op = "app.get" }]
"#;
    let v = BOX.to_string()
        + "[[variants.queues]]\nname = \"jobs\"\npublish_latency = \"1ms\"\nvisibility_timeout = \"30s\"\nconsumers = 1\nhost = \"box\"\n";
    let err = error_of(&shop("5ms", "5ms", q, &v));
    assert!(
        err.contains("queues[0].memory") && err.contains("a queue on a host needs `memory`"),
        "{err}"
    );
}

#[test]
fn a_slow_fault_on_a_database_sharing_its_host_points_to_cpu_hog() {
    let slow = "[[faults]]\nkind = \"slow\"\ntarget = \"db\"\nfactor = 2\n";
    let err = error_of(&shop("5ms", "5ms", slow, BOX));
    assert!(
        err.contains("faults[0].target") && err.contains("give the database a `cpu_limit`"),
        "{err}"
    );
}
