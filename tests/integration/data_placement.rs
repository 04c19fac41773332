//! Hosts, zones, read replicas and host/zone outages against closed forms and exact counts:
//! two units sharing a host's cores are one processor-sharing station (M/M/1-PS), a
//! `cpu_limit` isolates them; read replicas split the reads (M/M/1 per replica with random
//! routing) while writes stay on the primary; a cross-zone hop adds exactly its latency and
//! bills exactly its bytes; a host or zone outage loses exactly the requests in flight there.

use crate::common::{assert_close, assert_within_ci, est_node, run, scenario};

/// Two entries `a` (mean demand 100 ms) and `b` (50 ms), Poisson 4/s each, on units `a` and
/// `b` placed by `placement` (the units' extra keys) with hosts `hosts`.
fn two_units(placement_a: &str, placement_b: &str, hosts: &str) -> String {
    format!(
        r#"name = "host sharing"
seed = 4
replications = 10
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "4000s"
warmup = "100s"
[[workload.entries]]
name = "a"
op = "a.work"
arrival = {{ process = "poisson", rate = 4 }}
[[workload.entries]]
name = "b"
op = "b.work"
arrival = {{ process = "poisson", rate = 4 }}
[modules.a]
ops.work = {{ cpu = {{ dist = "exp", mean = "100ms" }} }}
[modules.b]
ops.work = {{ cpu = {{ dist = "exp", mean = "50ms" }} }}
[[variants]]
name = "v"
{hosts}
[[variants.units]]
name = "a"
modules = ["a"]
workers = 1000
{placement_a}
[[variants.units]]
name = "b"
modules = ["b"]
workers = 1000
{placement_b}
"#
    )
}

#[test]
fn units_on_one_host_share_its_cores_as_one_processor_sharing_station() {
    // One host of 1 core, no limits: the two units form one M/M/1-PS with ρ = 4·0.1 + 4·0.05
    // = 0.6; class i's mean response is s_i / (1 − ρ): 0.25 s and 0.125 s (on separate cores
    // they would be 0.167 s and 0.0625 s).
    let text = two_units(
        r#"host = "h1""#,
        r#"host = "h1""#,
        "[[variants.hosts]]\nname = \"h1\"\ncores = 1\n",
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    assert_within_ci(
        &v.entries["a"].latency_s.mean,
        0.1 / 0.4,
        "a: mean response",
    );
    assert_within_ci(
        &v.entries["b"].latency_s.mean,
        0.05 / 0.4,
        "b: mean response",
    );
    // Each unit's utilization is its share of the host's busy cores: λ_i·s_i / 1 core.
    assert_within_ci(&v.units["a"].utilization, 0.4, "a: utilization");
    assert_within_ci(&v.units["b"].utilization, 0.2, "b: utilization");
}

#[test]
fn two_cores_shared_are_one_m_m_2_processor_sharing_station() {
    // Host of 2 cores: M/M/2-PS (c = 2) with exponential demand of one class mix. For PS on c
    // cores with exponential demand the number present is that of M/M/c (same death rates
    // min(n, c)·μ under a common μ); with two mean demands the classes are symmetric only in
    // the 1-core case, so use equal demands here: s = 100 ms, λ = 8/s in total, ρ = 0.4.
    let text = two_units(
        r#"host = "h1""#,
        r#"host = "h1""#,
        "[[variants.hosts]]\nname = \"h1\"\ncores = 2\n",
    )
    .replace(r#"mean = "50ms""#, r#"mean = "100ms""#);
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    // M/M/2: E[T] = s + C(2, a)·s / (c − a) with a = λs = 0.8, C = Erlang C.
    let c = archsim::analytic::queueing::erlang_c(2, 0.8).expect("stable");
    let expect = 0.1 + c * 0.1 / (2.0 - 0.8);
    let mmc = archsim::analytic::queueing::mmc(8.0, 10.0, 2).expect("stable");
    assert_close(mmc.w, expect, 1e-9, "Erlang C formula");
    assert_within_ci(
        &v.entries["a"].latency_s.mean,
        expect,
        "a: mean response (M/M/2)",
    );
    assert_within_ci(
        &v.entries["b"].latency_s.mean,
        expect,
        "b: mean response (M/M/2)",
    );
}

#[test]
fn a_cpu_limit_isolates_the_instances_on_a_host() {
    // Host of 2 cores, each unit limited to 1: two independent M/M/1-PS, 0.1/0.6 and 0.05/0.8.
    let text = two_units(
        "host = \"h1\"\ncpu_limit = 1",
        "host = \"h1\"\ncpu_limit = 1",
        "[[variants.hosts]]\nname = \"h1\"\ncores = 2\n",
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    assert_within_ci(&v.entries["a"].latency_s.mean, 0.1 / 0.6, "a: isolated");
    assert_within_ci(&v.entries["b"].latency_s.mean, 0.05 / 0.8, "b: isolated");
    // The host is priced as its EC2 type: 2 cores and no memory given run on c7i.large
    // ($0.08925/h, docs/cost.md "Instance catalogue"); the units on it are not priced again.
    let cost = &v.cost.by_resource;
    assert_eq!(cost["unit/a"].window_usd.max, 0.0);
    let hours = 4000.0 / 3600.0;
    assert_close(
        cost["host/h1"].window_usd.mean,
        0.08925 * hours,
        1e-9,
        "host priced as c7i.large",
    );
}

#[test]
fn estimate_shares_a_hosts_cores_as_the_engine_does() {
    use archsim::estimate::{estimate, NodeKind};
    let est = |placement_a: &str, placement_b: &str, hosts: &str| {
        estimate(&scenario(&two_units(placement_a, placement_b, hosts)), 0)
    };
    let h1 = |cores: u32| format!("[[variants.hosts]]\nname = \"h1\"\ncores = {cores}\n");
    let latency = |e: &archsim::estimate::VariantEstimate, i: usize| {
        e.entries[i].mean_latency_s.expect("stable")
    };
    // One core shared: the M/M/1-PS of the simulation test above, exactly: s_i / (1 − 0.6).
    let e = est(r#"host = "h1""#, r#"host = "h1""#, &h1(1));
    assert_close(latency(&e, 0), 0.1 / 0.4, 1e-12, "a on the shared core");
    assert_close(latency(&e, 1), 0.05 / 0.4, 1e-12, "b on the shared core");
    let h = est_node(&e, "h1");
    assert_eq!(h.kind, NodeKind::Host);
    assert_close(h.utilization, 0.6, 1e-12, "host ρ");
    assert_close(h.arrival_rate, 8.0, 1e-12, "host jobs");
    // Each unit's utilization is its share of the host's cores, as the engine reports it.
    assert_close(est_node(&e, "a").utilization, 0.4, 1e-12, "a's share");
    assert_close(est_node(&e, "b").utilization, 0.2, 1e-12, "b's share");
    // Two cores shared, one demand: M/M/2.
    let text = two_units(r#"host = "h1""#, r#"host = "h1""#, &h1(2))
        .replace(r#"mean = "50ms""#, r#"mean = "100ms""#);
    let e = estimate(&scenario(&text), 0);
    let m = archsim::analytic::mmc(8.0, 10.0, 2).expect("stable");
    assert_close(latency(&e, 0), m.w, 1e-12, "M/M/2 shared");
    // Limited to one core each: two independent M/M/1; the host is busy 0.6 of its 2 cores.
    let e = est(
        "host = \"h1\"\ncpu_limit = 1",
        "host = \"h1\"\ncpu_limit = 1",
        &h1(2),
    );
    assert_close(latency(&e, 0), 0.1 / 0.6, 1e-12, "a isolated");
    assert_close(latency(&e, 1), 0.05 / 0.8, 1e-12, "b isolated");
    assert_close(
        est_node(&e, "h1").utilization,
        0.3,
        1e-12,
        "host busy / cores",
    );
    // Twice the load on the one core: the host is overloaded, and so is every entry on it.
    let text =
        two_units(r#"host = "h1""#, r#"host = "h1""#, &h1(1)).replace("rate = 4 }", "rate = 8 }");
    let e = estimate(&scenario(&text), 0);
    assert_eq!(e.entries[0].mean_latency_s, None);
    assert!(
        e.warnings
            .iter()
            .any(|w| w.starts_with("host `h1`: utilization 1.20 ≥ 1")),
        "{:?}",
        e.warnings
    );
}

/// Reads (λ = 150/s) and writes (λ = 50/s) of 10 ms (exponential) on a database of 1 core and
/// 1 connection per server with `replicas` read replicas.
fn db(replicas: u32) -> String {
    format!(
        r#"name = "replicas"
seed = 5
replications = 10
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "50s"
[[workload.entries]]
name = "read"
op = "app.read"
arrival = {{ process = "poisson", rate = 150 }}
[[workload.entries]]
name = "write"
op = "app.write"
arrival = {{ process = "poisson", rate = 50 }}
[modules.app]
ops.read = {{ cpu = "0s", calls = [ {{ op = "data.get" }} ] }}
ops.write = {{ cpu = "0s", calls = [ {{ op = "data.put" }} ] }}
[datastores.data]
ops.get = {{ time = {{ dist = "exp", mean = "10ms" }} }}
ops.put = {{ time = {{ dist = "exp", mean = "10ms" }}, kind = "write" }}
[[variants]]
name = "v"
[[variants.units]]
name = "app"
modules = ["app"]
workers = 100000
cores = 64
[[variants.databases]]
name = "db"
stores = ["data"]
cores = 1
max_connections = 1
read_replicas = {replicas}
"#
    )
}

#[test]
fn read_replicas_divide_the_read_load_and_writes_stay_on_the_primary() {
    let r = run(&scenario(&db(2)));
    let v = &r.variants[0];
    // Each replica: Poisson 75/s (random routing), M/M/1 with s = 10 ms: E[T] = 0.01/0.25.
    assert_within_ci(
        &v.entries["read"].latency_s.mean,
        0.01 / 0.25,
        "read on a replica",
    );
    // The primary takes the writes alone: M/M/1 at 50/s: 0.01/0.5.
    assert_within_ci(
        &v.entries["write"].latency_s.mean,
        0.01 / 0.5,
        "write on the primary",
    );
    // Utilization over the 3 servers: (λ_read + λ_write)·E[S] / (3 · 1 core).
    assert_within_ci(
        &v.databases["db"].utilization,
        2.0 / 3.0,
        "database utilization",
    );
    // Priced like the primary, each: three times the database without replicas.
    let one = v.cost.by_resource["database/db"].window_usd.mean / 3.0;
    let r0 = run(&scenario(&db(0).replace("rate = 150", "rate = 20")));
    assert!(one > 0.0);
    assert_close(
        r0.variants[0].cost.by_resource["database/db"]
            .window_usd
            .mean,
        one,
        1e-9,
        "a replica costs what the primary costs",
    );
}

#[test]
fn estimate_routes_writes_to_the_primary_and_reads_to_the_replicas() {
    // The scenario above: the estimate follows the compiled database of 3 instances as the
    // engine routes to them — each replica an M/M/1 at 75/s, the primary an M/M/1 at 50/s.
    let e = archsim::estimate::estimate(&scenario(&db(2)), 0);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    let lat = |i: usize| e.entries[i].mean_latency_s.expect("stable");
    assert_close(lat(0), 0.01 / 0.25, 1e-12, "read on a replica");
    assert_close(lat(1), 0.01 / 0.5, 1e-12, "write on the primary");
    let d = est_node(&e, "db");
    assert_close(d.arrival_rate, 200.0, 1e-12, "queries");
    assert_close(d.utilization, 2.0 / 3.0, 1e-12, "over the 3 servers");
    assert_close(
        d.mean_response_s.expect("stable"),
        (150.0 * 0.04 + 50.0 * 0.02) / 200.0,
        1e-12,
        "mean over reads and writes",
    );
}

/// `front.go` (no CPU) calls `back.work` (10 ms constant, payload 1 KB) once per request,
/// one request per second; `front_keys`, `back_keys` place the units.
fn zoned(front_keys: &str, back_keys: &str, fault: &str) -> String {
    format!(
        r#"name = "zones"
seed = 1
replications = 2
[network]
latency = "1ms"
marshal_per_kb = "0us"
cross_zone_latency = "2ms"
[workload]
duration = "100s"
warmup = "10.5s"
[[workload.entries]]
name = "req"
op = "front.go"
arrival = {{ process = "constant", rate = 1 }}
[modules.front]
ops.go = {{ cpu = "0s", calls = [ {{ op = "back.work" }} ] }}
[modules.back]
ops.work = {{ cpu = "10ms", payload = "1KB" }}
[[variants]]
name = "v"
[[variants.units]]
name = "front"
modules = ["front"]
{front_keys}
[[variants.units]]
name = "back"
modules = ["back"]
{back_keys}
{fault}
"#
    )
}

#[test]
fn a_cross_zone_hop_adds_exactly_its_latency_and_bills_its_bytes() {
    // Same zone: 1 + 10 + 1 ms. Across zones: (1 + 2) + 10 + (1 + 2) ms.
    let same = run(&scenario(&zoned(
        r#"zones = ["a"]"#,
        r#"zones = ["a"]"#,
        "",
    )));
    let e = &same.variants[0].entries["req"];
    assert_close(e.latency_s.mean.min, 0.012, 1e-6, "same zone");
    assert_close(e.latency_s.mean.max, 0.012, 1e-6, "same zone");
    assert!(!same.variants[0]
        .cost
        .by_resource
        .contains_key("transfer/cross_zone"));
    let cross = run(&scenario(&zoned(
        r#"zones = ["a"]"#,
        r#"zones = ["b"]"#,
        "",
    )));
    let v = &cross.variants[0];
    let e = &v.entries["req"];
    assert_close(e.latency_s.mean.min, 0.016, 1e-6, "cross zone");
    assert_close(e.latency_s.mean.max, 0.016, 1e-6, "cross zone");
    // Every request crosses twice with 1,000 bytes: bill = bytes × $0.01/GB.
    let bytes = e.arrived.mean * 2.0 * 1000.0;
    assert_close(
        v.cost.by_resource["transfer/cross_zone"].window_usd.mean,
        bytes / 1e9 * 0.01,
        1e-9,
        "cross-zone bill",
    );
}

#[test]
fn a_host_outage_loses_exactly_the_requests_in_flight_on_it() {
    // Arrivals every 0.1 s, each held 1 s at `back`: 10 in flight. Everything on h1: the outage
    // at 50.05 s loses those 10 and the 50 arriving while it lasts fail at once. Spread over h1
    // and h2 (round robin): h1 holds 5 of the 10, which are lost; the others are served by h2.
    let text = |back: &str| {
        zoned(
            "",
            back,
            r#"[[variants.hosts]]
name = "h1"
cores = 20
[[variants.hosts]]
name = "h2"
cores = 20
[[faults]]
kind = "host_outage"
target = "h1"
at = "50.05s"
duration = "5s"
"#,
        )
        .replace("rate = 1 }", "rate = 10 }")
        .replace(r#"cpu = "10ms""#, r#"cpu = "1s""#)
        .replace(r#"latency = "1ms""#, r#"latency = "0s""#)
    };
    let single = run(&scenario(&text(r#"host = "h1""#)));
    let v = &single.variants[0];
    let crashed = &v.entries["req"].failed_by_reason["crashed"];
    assert_eq!((crashed.min, crashed.max), (60.0, 60.0));
    assert_eq!(v.units["back"].crashed.max, 10.0);
    let spread = run(&scenario(&text("replicas = 2\nhosts = [\"h1\", \"h2\"]")));
    let v = &spread.variants[0];
    let crashed = &v.entries["req"].failed_by_reason["crashed"];
    assert_eq!((crashed.min, crashed.max), (5.0, 5.0));
    // Availability during the outage: with everything on h1 none of the 50 arrivals in it is
    // served (60 failures = 10 in flight + 50); spread, all 50 are (the 5 failures are the
    // requests in flight on h1 when it went down), and nothing else failed.
    assert_eq!(v.entries["req"].failed.max, 5.0);
    assert_eq!(single.variants[0].entries["req"].failed.max, 60.0);
}

#[test]
fn a_zone_outage_takes_down_what_is_in_the_zone() {
    let text = zoned(
        "",
        "replicas = 2\nzones = [\"a\", \"b\"]\ncores = 20",
        r#"[[faults]]
kind = "zone_outage"
target = "a"
at = "50.05s"
duration = "5s"
"#,
    )
    .replace("rate = 1 }", "rate = 10 }")
    .replace(r#"cpu = "10ms""#, r#"cpu = "1s""#)
    .replace(r#"latency = "1ms""#, r#"latency = "0s""#)
    .replace(
        r#"cross_zone_latency = "2ms""#,
        r#"cross_zone_latency = "0s""#,
    );
    let r = run(&scenario(&text));
    let crashed = &r.variants[0].entries["req"].failed_by_reason["crashed"];
    assert_eq!((crashed.min, crashed.max), (5.0, 5.0));
}

#[test]
fn placement_mistakes_are_located_errors() {
    let bad = |text: &str, needle: &str| {
        let e = archsim::scenario::parse(text, "t.toml").expect_err("must be rejected");
        let msg = e.to_string();
        assert!(msg.contains(needle), "expected `{needle}` in:\n{msg}");
    };
    let hosts = "[[variants.hosts]]\nname = \"web1\"\ncores = 2\nmemory = \"1GB\"\n";
    bad(
        &two_units(r#"host = "web2""#, "", hosts),
        "did you mean `web1`",
    );
    bad(&two_units("cpu_limit = 1", "", hosts), "has no `host`");
    bad(
        &two_units(r#"host = "web1""#, "cpu_limit = 3\nhost = \"web1\"", hosts),
        "add up to 3 cores",
    );
    bad(
        &two_units("host = \"web1\"\nbase_memory = \"2GB\"", "", hosts),
        "more than its 1000 MB",
    );
    // An autoscaled unit needs room for its `max` instances, not only the initial ones.
    let scaled = "autoscale = { target_utilization = 0.5, max = 4 }";
    let ok = two_units("host = \"web1\"\nbase_memory = \"400MB\"", "", hosts);
    archsim::scenario::parse(&ok, "t.toml").expect("one instance of 400 MB fits");
    bad(
        &two_units(
            &format!("host = \"web1\"\nbase_memory = \"400MB\"\n{scaled}"),
            "",
            hosts,
        ),
        "more than its 1000 MB",
    );
    bad(
        &two_units(
            &format!(
                "host = \"web1\"\ncpu_limit = 1\n{}",
                scaled.replace('4', "3")
            ),
            "",
            hosts,
        ),
        "add up to 3 cores",
    );
    let fault = "[[faults]]\nkind = \"host_outage\"\ntarget = \"web\"\n";
    bad(
        &format!("{}{fault}", two_units(r#"host = "web1""#, "", hosts)),
        "did you mean `web1`",
    );
    let zfault = "[[faults]]\nkind = \"zone_outage\"\ntarget = \"eu-west-1x\"\n";
    bad(
        &format!("{}{zfault}", two_units("zones = [\"eu-west-1a\"]", "", "")),
        "did you mean `eu-west-1a`",
    );
}

// ---- lessons ------------------------------------------------------------------------------

#[test]
fn lesson_one_host_vs_many_trades_cost_for_contention() {
    let r = run(&crate::common::load(
        "scenarios/lessons/one-host-vs-many.toml",
    ));
    let (one, many) = (&r.variants[0], &r.variants[1]);
    // Four cores billed instead of six.
    assert!(
        one.cost.per_month_usd.ci95_high < many.cost.per_month_usd.ci95_low,
        "{:?} vs {:?}",
        one.cost.per_month_usd,
        many.cost.per_month_usd
    );
    // The reports share the web's cores on the single host: a higher web p99.
    let (p1, p2) = (
        &one.entries["web"].latency_s.p99,
        &many.entries["web"].latency_s.p99,
    );
    assert!(p1.ci95_low > 1.3 * p2.ci95_high, "{p1:?} vs {p2:?}");
}

#[test]
fn lesson_host_outage_single_host_is_down_spread_is_not() {
    let r = run(&crate::common::load("scenarios/lessons/host-outage.toml"));
    let (single, spread) = (&r.variants[0], &r.variants[1]);
    // Single host: down 20 s of the 90 s measured (plus the requests in flight at 40 s).
    let a = &single.availability;
    assert!(
        (a.mean - 70.0 / 90.0).abs() < 0.01,
        "single-host availability {a:?}"
    );
    // Spread: only the requests in flight on h1 when it went down are lost.
    let crashed = &spread.entries["shop"].failed_by_reason["crashed"];
    assert!(crashed.max < 10.0, "{crashed:?}");
    assert!(
        spread.availability.ci95_low > 0.999,
        "{:?}",
        spread.availability
    );
}

#[test]
fn lesson_shared_db_hot_table_slows_the_unrelated_service() {
    let r = run(&crate::common::load(
        "scenarios/lessons/shared-db-hot-table.toml",
    ));
    let (shared, own) = (&r.variants[0], &r.variants[1]);
    let (m1, m2) = (
        &shared.entries["billing"].latency_s.mean,
        &own.entries["billing"].latency_s.mean,
    );
    // Shared: billing's 2 ms queries on a 2-core PS database 88 % busy; its own: ≈ 2 ms.
    assert!(m1.ci95_low > 2.0 * m2.ci95_high, "{m1:?} vs {m2:?}");
    assert_within_ci(
        &shared.databases["main"].utilization,
        (430.0 * 0.004 + 20.0 * 0.002) / 2.0,
        "shared database utilization",
    );
}

// ---- connection pools -----------------------------------------------------------------------

/// One instance of `app` with a pool of `n` connections in front of a database with plenty of
/// cores and connections; each query holds its connection for an exponential 10 ms.
fn pooled(n: u32, rate: f64, timeout: &str) -> String {
    format!(
        r#"name = "pool"
seed = 11
replications = 10
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "50s"
[[workload.entries]]
name = "q"
op = "app.get"
arrival = {{ process = "poisson", rate = {rate} }}
[modules.app]
ops.get = {{ cpu = "0s", calls = [ {{ op = "data.read" }} ] }}
[datastores.data]
ops.read = {{ time = {{ dist = "exp", mean = "10ms" }} }}
[[variants]]
name = "v"
[[variants.units]]
name = "app"
modules = ["app"]
workers = 100000
cores = 64
pool = {{ size = {n}, acquire_timeout = "{timeout}" }}
[[variants.databases]]
name = "db"
stores = ["data"]
cores = 1000
max_connections = 100000
"#
    )
}

#[test]
fn a_pool_of_n_connections_is_an_m_m_n_queue() {
    // n = 4, μ = 100/s, λ = 320/s: a = 3.2 Erlang, the wait for a connection is the M/M/4
    // waiting time, mean C(4, a)/(4μ − λ); the response adds the query's 10 ms.
    let r = run(&scenario(&pooled(4, 320.0, "1h")));
    let v = &r.variants[0];
    let mmc = archsim::analytic::queueing::mmc(320.0, 100.0, 4).expect("stable");
    let pool = v.units["app"].pool.as_ref().expect("pool figures");
    assert_eq!(pool.size, 4);
    assert_within_ci(
        &pool.wait_mean_s,
        mmc.wq,
        "mean wait for a connection (Erlang C)",
    );
    assert_within_ci(
        &v.entries["q"].latency_s.mean,
        mmc.w,
        "response time (M/M/4)",
    );
    assert_within_ci(&pool.waiting, mmc.lq, "queries waiting (Lq)");
    assert_within_ci(&pool.in_use, 3.2, "connections in use (offered load)");
    assert_eq!(pool.timeouts.max, 0.0);
}

#[test]
fn pool_timeouts_match_the_m_m_n_with_deterministic_patience() {
    // Waits longer than τ = 20 ms give up (`pool_timeout`). With deterministic patience the
    // virtual wait V of M/M/n+D has an atom below n busy (p_k = p_0 a^k/k!, k < n) and the
    // density λ p_{n−1} e^{−(nμ−λ)v} up to τ, then λ p_{n−1} e^{−(nμ−λ)τ} e^{−nμ(v−τ)}; an
    // arrival gives up with probability P(V > τ) = λ p_{n−1} e^{−(nμ−λ)τ} / (nμ). Without
    // abandonment this would be the M/M/n tail C·e^{−(nμ−λ)τ}, which it approaches as τ grows.
    let (n, mu, lambda, tau) = (4u32, 100.0f64, 360.0f64, 0.020f64);
    let a = lambda / mu;
    let mut terms = Vec::new();
    let mut term = 1.0;
    for k in 0..n {
        if k > 0 {
            term *= a / k as f64;
        }
        terms.push(term);
    }
    let d = n as f64 * mu - lambda;
    let below: f64 = terms.iter().sum();
    let cont = lambda
        * terms[n as usize - 1]
        * ((1.0 - (-d * tau).exp()) / d + (-d * tau).exp() / (n as f64 * mu));
    let p0 = 1.0 / (below + cont);
    let p_abandon = lambda * p0 * terms[n as usize - 1] * (-d * tau).exp() / (n as f64 * mu);
    let r = run(&scenario(&pooled(n, lambda, "20ms")));
    let v = &r.variants[0];
    let e = &v.entries["q"];
    let pool = v.units["app"].pool.as_ref().expect("pool figures");
    let frac = archsim::stats::stat::Stat {
        mean: pool.timeouts.mean / e.arrived.mean,
        ci95_low: pool.timeouts.ci95_low / e.arrived.mean,
        ci95_high: pool.timeouts.ci95_high / e.arrived.mean,
        min: 0.0,
        max: 0.0,
    };
    assert_within_ci(&frac, p_abandon, "fraction of pool_timeout");
    // Every give-up fails the request with `pool_timeout`, origin the unit (the two counts
    // differ only by the requests arriving before the warm-up's end and giving up after it).
    assert_close(
        e.failed_by_reason["pool_timeout"].mean,
        pool.timeouts.mean,
        1e-3,
        "pool_timeout failures vs give-ups",
    );
    assert_eq!(e.failed.mean, e.failed_by_reason["pool_timeout"].mean);
    assert!(r.variants[0].resilience.failure_origins["app"]["q"].mean > 0.0);
    // The no-abandonment tail is larger: the timeouts relieve the queue.
    let c = archsim::analytic::queueing::erlang_c(n, a).expect("stable");
    assert!(p_abandon < c * (-d * tau).exp());
}

#[test]
fn lesson_serverless_db_connections_reserved_or_pooled_serve_more() {
    let r = run(&crate::common::load(
        "scenarios/lessons/serverless-db-connections.toml",
    ));
    let (free, reserved, pooled) = (&r.variants[0], &r.variants[1], &r.variants[2]);
    let ok = |v: &archsim::results::VariantResult| v.entries["api"].completed;
    for v in [reserved, pooled] {
        assert!(
            ok(free).ci95_high < 0.6 * ok(v).ci95_low,
            "{}: {:?} vs {:?}",
            v.name,
            ok(free),
            ok(v)
        );
    }
    // The unlimited functions time out; the others fail fast instead.
    assert!(free.entries["api"].failed_by_reason["timeout"].mean > 1000.0);
    assert!(reserved.entries["api"].failed_by_reason["throttled"].mean > 1000.0);
    assert!(pooled.entries["api"].failed_by_reason["pool_timeout"].mean > 1000.0);
    let pool = pooled.units["api"].pool.as_ref().expect("pool figures");
    assert_eq!(pool.size, 40);
}

#[test]
fn a_read_behind_a_cache_node_holds_no_pool_connection() {
    // The unit's pool fronts the database; a cache node in front of the store takes the reads,
    // and queries the database itself on a miss: the unit acquires no connection, and the
    // database sees the misses only (half the reads with a hit ratio of 0.5).
    let text = pooled(4, 320.0, "1h").replace(
        "max_connections = 100000\n",
        "max_connections = 100000\n[[variants.caches]]\nname = \"redis\"\nstores = [\"data\"]\nhit_ratio = 0.5\n",
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let pool = v.units["app"].pool.as_ref().expect("pool figures");
    assert_eq!(pool.acquires.max, 0.0, "no connection acquired");
    assert_eq!(pool.in_use.max, 0.0);
    let db = v.databases["db"].throughput_per_s.mean;
    let cache = v.components["redis"].node.throughput_per_s.mean;
    assert_close(cache, 320.0, 0.01, "every read reaches the cache node");
    // A binomial proportion over 10 × 1950 s × 320/s ≈ 6.2 million reads: its standard error
    // is 0.0002, so 0.002 is ten of them.
    let miss = db / cache;
    assert!((miss - 0.5).abs() < 0.002, "miss fraction {miss}");
}

#[test]
fn pool_series_average_to_the_pool_figures() {
    // 200 equal windows cover the measured interval (no warm-up): the time average of the
    // per-window pool saturation and waiting equals the interval's figures, and both match
    // the M/M/4 at the pool (a = 3.2 Erlang: saturation a/4 = 0.8, Lq by Erlang C).
    let text =
        pooled(4, 320.0, "1h").replace("warmup = \"50s\"", "warmup = \"0s\"\nwindow = \"10s\"");
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let pool = v.units["app"].pool.as_ref().expect("pool figures");
    let s = &v.series.nodes["app"];
    assert_eq!(s.pool_saturation.len(), 200);
    assert_eq!(s.pool_waiting.len(), 200);
    let avg = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    assert_close(
        avg(&s.pool_saturation),
        pool.saturation.mean,
        1e-9,
        "saturation series",
    );
    assert_close(
        avg(&s.pool_waiting),
        pool.waiting.mean,
        1e-9,
        "waiting series",
    );
    let mmc = archsim::analytic::queueing::mmc(320.0, 100.0, 4).expect("stable");
    assert_within_ci(&pool.saturation, 0.8, "pool saturation = a / n");
    assert_within_ci(&pool.waiting, mmc.lq, "queries waiting (Lq)");
    // Nodes without a pool carry no pool series.
    assert!(v.series.nodes["db"].pool_saturation.is_empty());
}
