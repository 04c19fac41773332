//! The front door against closed forms: the gateway's token bucket admits rate·T + burst under
//! overload; a cache's hit fraction is its hit ratio (binomial interval) and a TTL cache under
//! Poisson arrivals per key hits λT/(1+λT); a gateway with `workers = cores = c`, exponential
//! overhead and nothing behind it is an M/M/c station; the bill of load balancers, caches and a
//! gateway is its closed form; a crashed single load balancer fails every request `crashed`
//! with the balancer as origin; composition modules hosted on the gateway (a BFF) make it an
//! M/M/c station with their CPU, compose calls in sequence and in parallel to the nanosecond
//! with no hop to them, and keep gateway throughput = entry throughput. The analytic estimate
//! follows the front door: exact against deterministic chains, within the simulation's
//! intervals where hits are random, Erlang C for the gateway node. Plus the effects the
//! front-door lessons teach.

use crate::common::{assert_close, assert_within_ci, est_node, load, run, scenario};
use archsim::analytic::queueing::mmc;
use archsim::estimate::NodeKind;
use archsim::scenario::{self as sc, ScenarioError};

/// One entry `req` calling `back.work` (no CPU unless `cpu` says otherwise), no network cost;
/// `variant` holds the variant's keys (after `name = "v"`), `workload` the arrival.
fn front(arrival: &str, cpu: &str, duration: &str, reps: u32, variant: &str) -> String {
    format!(
        r#"name = "front door"
seed = 11
replications = {reps}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{duration}"
warmup = "0s"
[[workload.entries]]
name = "req"
op = "back.work"
arrival = {arrival}
[modules.back]
ops.work = {{ cpu = {cpu} }}
[datastores.items]
ops.get = {{ time = "1ms", kind = "read" }}
ops.put = {{ time = "1ms", kind = "write" }}
[[variants]]
name = "v"
{variant}
"#
    )
}

const BACK: &str = r#"[[variants.units]]
name = "back"
modules = ["back"]
cores = 64
workers = 100000
"#;

/// Asserts that the pooled hit fraction of `reps` replications of cache `c` lies in the 99%
/// binomial interval of `p`: each lookup hits independently with probability `p`, so over `n`
/// lookups the fraction has sd √(p(1−p)/n) (± 0.0015 for 100,000 lookups at p = 0.6).
#[track_caller]
fn assert_binomial(c: &archsim::results::CacheResult, reps: u32, p: f64, what: &str) {
    let n = c.lookups.mean * reps as f64;
    let hits = c.hits.mean * reps as f64;
    let sd = (p * (1.0 - p) / n).sqrt();
    let f = hits / n;
    assert!(
        (f - p).abs() <= 2.576 * sd,
        "{what}: {f:.5} over {n} lookups, outside {p} ± {:.5} (99% binomial)",
        2.576 * sd
    );
}

#[test]
fn token_bucket_admits_rate_times_t_plus_burst_under_overload() {
    // 400 requests/s against a bucket of 50/s with a burst of 30, for T = 200 s from a full
    // bucket: the bucket is empty almost all the time, so every token is used and the admitted
    // count is rate·T + burst = 10,030 (less at most the one token left over at the end).
    let text = front(
        r#"{ process = "poisson", rate = 400 }"#,
        r#""0s""#,
        "200s",
        5,
        &format!(
            "gateway = {{ overhead = \"0s\", rate_limit = {{ rate = 50, burst = 30 }} }}\n{BACK}"
        ),
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let e = &v.entries["req"];
    let admitted = 50.0 * 200.0 + 30.0;
    // Each replication's admitted count lies in [rate·T + burst − 1, rate·T + burst]: the
    // spread over replications is below one request.
    assert!(
        e.completed.min >= admitted - 1.0 && e.completed.max <= admitted,
        "admitted {:?} vs rate·T + burst = {admitted}",
        e.completed
    );
    // Everything else was refused at the gateway as `rate_limited`, counted there as rejected.
    let limited = &e.failed_by_reason["rate_limited"];
    assert_close(
        limited.mean,
        e.arrived.mean - e.completed.mean,
        1e-12,
        "rate_limited = arrived − admitted",
    );
    let gw = &v.components["gateway"];
    assert_eq!(gw.kind, "gateway");
    assert_close(
        gw.node.rejected.mean,
        limited.mean,
        1e-12,
        "gateway rejected",
    );
    // The arrivals are Poisson: the refused count is arrivals − admitted, and the arrivals lie
    // in the Poisson interval of 400·T.
    assert_within_ci(&e.arrived, 400.0 * 200.0, "arrivals");
}

#[test]
fn route_cache_hits_its_hit_ratio_and_spares_the_backend() {
    // Hit ratio 0.7 at 100 requests/s for 400 s: 40,000 lookups per replication.
    let text = front(
        r#"{ process = "poisson", rate = 100 }"#,
        r#""1ms""#,
        "400s",
        8,
        &format!(
            "[variants.gateway]\noverhead = \"0s\"\nreplicas = 1\n[[variants.gateway.routes]]\nentry = \"req\"\ncache = {{ hit_ratio = 0.7 }}\n{BACK}"
        ),
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let c = &v.caches["gateway: req"];
    assert_binomial(c, 8, 0.7, "route cache hit fraction");
    // Only misses reach the backend.
    assert_close(
        v.units["back"].throughput_per_s.mean * 400.0,
        c.lookups.mean - c.hits.mean,
        1e-9,
        "backend invocations = misses",
    );
}

#[test]
fn ttl_cache_under_poisson_arrivals_hits_lambda_t_over_one_plus_lambda_t() {
    // 20 keys, uniform popularity, 40 requests/s: λ = 2/s per key. TTL 1 s: λT = 2, so the hit
    // ratio is 2/3 (each miss fills the key for T, during which λT hits arrive on average).
    let text = front(
        r#"{ process = "poisson", rate = 40 }"#,
        r#""1ms""#,
        "1000s",
        8,
        &format!(
            "[variants.gateway]\noverhead = \"0s\"\n[[variants.gateway.routes]]\nentry = \"req\"\ncache = {{ ttl = \"1s\", keys = 20 }}\n{BACK}"
        ),
    );
    let r = run(&scenario(&text));
    let c = &r.variants[0].caches["gateway: req"];
    assert_within_ci(&c.hit_ratio, 2.0 / 3.0, "TTL cache hit ratio λT/(1+λT)");
}

#[test]
fn cache_node_answers_its_hit_ratio_of_reads_and_never_writes() {
    // `back.work` reads once and writes once per request; a cache with hit ratio 0.6 in front of
    // the store: the database sees 40% of the reads and every write.
    let text = format!(
        r#"name = "cache node"
seed = 4
replications = 6
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "600s"
warmup = "0s"
[[workload.entries]]
name = "req"
op = "back.work"
arrival = {{ process = "poisson", rate = 50 }}
[modules.back]
ops.work = {{ cpu = "0s", calls = [{{ op = "items.get" }}, {{ op = "items.put" }}] }}
[datastores.items]
ops.get = {{ time = "1ms", kind = "read" }}
ops.put = {{ time = "1ms", kind = "write" }}
[[variants]]
name = "v"
{BACK}
[[variants.databases]]
name = "db"
stores = ["items"]
cores = 8
[[variants.caches]]
name = "redis"
stores = ["items"]
hit_ratio = 0.6
latency = "100us"
"#
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let c = &v.caches["redis"];
    assert_binomial(c, 6, 0.6, "cache node hit fraction");
    let reads = v.entries["req"].arrived.mean;
    assert_close(c.lookups.mean, reads, 1e-9, "one lookup per read");
    // Database queries = misses + writes (every request completes; nothing in flight matters
    // at this load beyond a handful).
    let db = v.databases["db"].throughput_per_s.mean * 600.0;
    let expect = (c.lookups.mean - c.hits.mean) + reads;
    assert!(
        (db - expect).abs() <= 5.0,
        "database queries {db} vs misses + writes {expect}"
    );
    assert_eq!(v.components["redis"].kind, "cache");
}

#[test]
fn two_cache_nodes_each_answer_the_reads_of_their_own_store() {
    // `back.work` reads `items` and `users` once per request; `c1` caches `items` (hit ratio
    // 0.6), `c2` caches `users` (0.2): one lookup per read at each, and the database sees the
    // misses of both. (The second cache node once found the reads the first had redirected to
    // its lookup operation, and the model failed to compile.)
    let text = format!(
        r#"name = "two cache nodes"
seed = 4
replications = 4
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "300s"
warmup = "0s"
[[workload.entries]]
name = "req"
op = "back.work"
arrival = {{ process = "poisson", rate = 50 }}
[modules.back]
ops.work = {{ cpu = "0s", calls = [{{ op = "items.get" }}, {{ op = "users.get" }}] }}
[datastores.items]
ops.get = {{ time = "1ms", kind = "read" }}
[datastores.users]
ops.get = {{ time = "1ms", kind = "read" }}
[[variants]]
name = "v"
{BACK}
[[variants.databases]]
name = "db"
stores = ["items", "users"]
cores = 8
[[variants.caches]]
name = "c1"
stores = ["items"]
hit_ratio = 0.6
[[variants.caches]]
name = "c2"
stores = ["users"]
hit_ratio = 0.2
"#
    );
    let s = scenario(&text);
    let r = run(&s);
    let v = &r.variants[0];
    let reads = v.entries["req"].arrived.mean;
    for (name, p) in [("c1", 0.6), ("c2", 0.2)] {
        let c = &v.caches[name];
        assert_close(c.lookups.mean, reads, 1e-9, "one lookup per read");
        assert_binomial(c, 4, p, name);
    }
    // The estimate: the database sees 50 × (0.4 + 0.8) = 60 queries per second.
    let e = archsim::estimate::estimate(&s, 0);
    assert_close(est_node(&e, "db").arrival_rate, 60.0, 1e-12, "db queries");
}

#[test]
fn gateway_with_c_cores_and_exponential_overhead_is_mm_c() {
    // λ = 2.4/s, mean overhead 1 s on 3 cores with 3 workers, nothing behind it: M/M/3 with
    // ρ = 0.8, W = 2.0787 s (src/analytic: Erlang C).
    let text = front(
        r#"{ process = "poisson", rate = 2.4 }"#,
        r#""0s""#,
        "20000s",
        10,
        &format!(
            "gateway = {{ overhead = {{ dist = \"exp\", mean = \"1s\" }}, cores = 3, workers = 3 }}\n{BACK}"
        ),
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let m = mmc(2.4, 1.0, 3).expect("stable");
    let gw = &v.components["gateway"].node;
    assert_within_ci(&gw.utilization, m.rho, "gateway utilization");
    assert_within_ci(
        &v.entries["req"].latency_s.mean,
        m.w,
        "entry latency = M/M/3 W",
    );
    assert_within_ci(&gw.mean_in_queue, m.lq, "gateway Lq");
}

#[test]
fn bill_of_gateway_load_balancer_and_cache_is_its_closed_form() {
    // Constant arrivals: exactly 10/s for 100 s. The gateway bills per request (HTTP API,
    // $1.00 per million); the load balancer (an ALB: one billed resource whatever its three
    // nodes) $0.0225 per hour plus $0.008 per LCU-hour with one LCU per 25 new connections per
    // second; the gateway's route cache and the cache node $0.020 per hour each.
    let text = format!(
        r#"name = "bill"
seed = 1
replications = 2
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "100s"
warmup = "0s"
[[workload.entries]]
name = "req"
op = "back.work"
arrival = {{ process = "constant", rate = 10 }}
[modules.back]
ops.work = {{ cpu = "1ms", calls = [{{ op = "items.get" }}] }}
[datastores.items]
ops.get = {{ time = "1ms", kind = "read" }}
[[variants]]
name = "v"
[variants.gateway]
product = "aws_http_api"
replicas = 2
[[variants.gateway.routes]]
entry = "req"
cache = {{ hit_ratio = 0.5 }}
[[variants.load_balancers]]
name = "alb"
units = ["back"]
replicas = 3
[[variants.caches]]
name = "redis"
stores = ["items"]
hit_ratio = 0.5
{BACK}
[[variants.databases]]
name = "db"
stores = ["items"]
"#
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let by = &v.cost.by_resource;
    let hours = 100.0 / 3600.0;
    let arrivals = v.entries["req"].arrived.mean;
    assert_close(
        by["gateway/gateway"].window_usd.mean,
        arrivals * 1.00 / 1e6,
        1e-9,
        "gateway per request",
    );
    let lb_requests = v.components["alb"].node.throughput_per_s.mean * 100.0;
    assert_close(
        by["balancer/alb"].window_usd.mean,
        hours * 0.0225 + lb_requests / 25.0 / 3600.0 * 0.008,
        1e-6,
        "load balancer hours + LCU-hours",
    );
    assert_close(
        by["cache/gateway_cache"].window_usd.mean,
        hours * 0.020,
        1e-9,
        "route cache",
    );
    assert_close(
        by["cache/redis"].window_usd.mean,
        hours * 0.020,
        1e-9,
        "cache node",
    );
    assert!(
        by.keys().all(|k| !k.ends_with("/cdn")),
        "front-door nodes have no compute line"
    );
}

#[test]
fn crashed_single_load_balancer_fails_everything_behind_it_crashed_with_origin_the_lb() {
    let r = run(&load("scenarios/lessons/lb-single-point-of-failure.toml"));
    let single = r
        .variants
        .iter()
        .find(|v| v.name == "single-lb")
        .expect("variant");
    let two = r
        .variants
        .iter()
        .find(|v| v.name == "two-lbs")
        .expect("variant");
    // Down 20 s of the 60 s measured: availability 2/3 with one instance.
    assert_within_ci(&single.availability, 2.0 / 3.0, "single-lb availability");
    for (name, e) in &single.entries {
        let crashed = &e.failed_by_reason["crashed"];
        assert_close(crashed.mean, e.failed.mean, 1e-12, name);
        let origin = &single.resilience.failure_origins["alb"][name.as_str()];
        assert_close(origin.mean, e.failed.mean, 1e-12, "origin = the LB");
    }
    assert!(
        single.units["shop"].crashed.mean == 0.0,
        "the shop never crashed"
    );
    let lb = &single.components["alb"];
    assert_eq!(lb.kind, "load_balancer");
    assert_within_ci(&lb.node.all_down_fraction, 1.0 / 3.0, "LB all down");
    // Two instances, one crashed: nothing fails.
    assert_eq!(two.availability.min, 1.0, "two-lbs availability");
    assert_within_ci(
        &two.components["alb"].node.instances_up,
        2.0 - 1.0 / 3.0,
        "two-lbs instances up",
    );
}

#[test]
fn lesson_network_tax_microservices_median_above_the_monolith() {
    let r = run(&load("scenarios/lessons/network-tax.toml"));
    let d = &r.comparisons[0];
    assert_eq!(d.variant, "microservices");
    let p50 = &d.entries["page"].latency_p50_s;
    // The whole interval of the paired difference lies above zero …
    assert!(p50.ci95_low > 0.0, "p50 difference {p50:?}");
    // … and the mean difference is the tax: 6 hops of 0.2 ms and 6 × 8 KB × 20 µs of
    // marshalling = 2.16 ms (no queueing at this load; the exponential demands are paired).
    assert_within_ci(
        &d.entries["page"].latency_mean_s,
        6.0 * 0.2e-3 + 6.0 * 8.0 * 20e-6,
        "mean tax",
    );
}

#[test]
fn lesson_gateway_cache_cuts_backend_load_and_rate_limit_sheds_the_spike() {
    let r = run(&load("scenarios/lessons/gateway-cache-rate-limit.toml"));
    let v = |n: &str| r.variants.iter().find(|v| v.name == n).expect("variant");
    let (plain, cached, limited) = (v("gateway"), v("gateway-cache"), v("gateway-rate-limit"));
    // The cache: the backend sees the misses, 20% of the requests.
    let c = &cached.caches["gateway: browse"];
    assert_within_ci(&c.hit_ratio, 0.8, "route cache hit ratio");
    let share = cached.units["catalog"].throughput_per_s.mean
        / cached.entries["browse"].throughput_per_s.mean;
    assert!(
        (share - 0.2).abs() < 0.01,
        "backend share {share} vs 1 − hit ratio"
    );
    assert!(
        cached.entries["browse"].latency_s.mean.ci95_high
            < plain.entries["browse"].latency_s.mean.ci95_low,
        "the cache cuts latency"
    );
    // The rate limit: the spike's excess (≈ 180/s for 10 s, less the burst of 100) is refused
    // as rate_limited and the backend stays below saturation.
    let rl = &limited.entries["browse"].failed_by_reason["rate_limited"];
    assert!(
        (1400.0..=1800.0).contains(&rl.mean),
        "rate limited {rl:?}, expected ≈ 180 × 10 − 100"
    );
    assert!(
        limited.units["catalog"].utilization.mean < plain.units["catalog"].utilization.mean,
        "rate limit protects the backend"
    );
    assert!(
        limited.entries["browse"].latency_s.p99.mean
            < plain.entries["browse"].latency_s.p99.mean / 5.0,
        "admitted requests stay fast"
    );
}

/// A scenario using every front-door key.
const ALL_KEYS: &str = r#"name = "front door"
seed = 3
replications = 3
[network]
latency = "200us"
marshal_per_kb = "10us"
[workload]
duration = "60s"
warmup = "5s"
[[workload.entries]]
name = "browse"
op = "shop.browse"
arrival = { process = "poisson", rate = 300 }
[[workload.entries]]
name = "buy"
op = "shop.buy"
arrival = { process = "poisson", rate = 50 }
[[workload.entries]]
name = "home"
op = "shop.home"
arrival = { process = "poisson", rate = 100 }
[modules.shop]
ops.browse = { cpu = "2ms", calls = [{ op = "catalog.get" }] }
ops.buy = { cpu = "3ms", calls = [{ op = "catalog.put" }] }
ops.home = { cpu = "1ms" }
[modules.auth]
ops.verify = { cpu = "100us" }
[datastores.catalog]
ops.get = { time = "2ms", kind = "read" }
ops.put = { time = "4ms", kind = "write" }
[[variants]]
name = "plain"
gateway = { overhead = "1ms" }
[[variants.units]]
name = "app"
modules = ["shop", "auth"]
replicas = 2
cores = 4
[[variants.databases]]
name = "db"
stores = ["catalog"]
[[variants.load_balancers]]
name = "alb"
units = ["app"]
[[variants]]
name = "front"
cdn = { entries = ["home"], hit_ratio = 0.9 }
[variants.gateway]
overhead = { dist = "exp", mean = "1ms" }
replicas = 2
cores = 1
auth = { op = "auth.verify" }
rate_limit = { rate = 400, burst = 50 }
[[variants.gateway.routes]]
entry = "browse"
cache = { ttl = "1s", keys = 100, popularity = { zipf = 1.0 } }
[[variants.load_balancers]]
name = "alb"
units = ["app"]
replicas = 2
[[variants.caches]]
name = "redis"
stores = ["catalog"]
hit_ratio = 0.8
[[variants.units]]
name = "app"
modules = ["shop", "auth"]
replicas = 2
cores = 4
[[variants.databases]]
name = "db"
stores = ["catalog"]
[[faults]]
kind = "crash"
target = "alb"
instances = 1
at = "20s"
duration = "10s"
"#;

#[test]
fn every_front_door_key_parses_and_runs() {
    let mut s = scenario(ALL_KEYS);
    s.replications = 2;
    let r = run(&s);
    let v = &r.variants[1];
    for (name, kind) in [
        ("gateway", "gateway"),
        ("alb", "load_balancer"),
        ("redis", "cache"),
        ("cdn", "cdn"),
    ] {
        assert_eq!(v.components[name].kind, kind, "{name}");
    }
    assert_eq!(
        v.caches.keys().collect::<Vec<_>>(),
        ["redis", "gateway: browse", "cdn: home"]
    );
}

#[test]
fn bad_front_door_keys_give_located_errors() {
    let cases = [
        (
            "units = [\"app\"]\nreplicas = 2",
            "units = [\"apq\"]\nreplicas = 2",
            "variants[1].load_balancers[0].units[0]",
            "did you mean `app`?",
        ),
        (
            "hit_ratio = 0.8\n",
            "hit_ratio = 1.5\n",
            "variants[1].caches[0].hit_ratio",
            "at most 1",
        ),
        (
            "popularity = { zipf = 1.0 }",
            "popularity = \"pareto\"",
            "variants[1].gateway.routes[0].cache.popularity",
            "unknown key popularity",
        ),
        (
            "popularity = { zipf = 1.0 }",
            "popularity = { zipf = -1 }",
            "variants[1].gateway.routes[0].cache.popularity.zipf",
            "(0, 10]",
        ),
        (
            "entry = \"browse\"",
            "entry = \"brwse\"",
            "variants[1].gateway.routes[0].entry",
            "did you mean `browse`?",
        ),
        (
            "auth = { op = \"auth.verify\" }",
            "auth = { op = \"auth.verfy\" }",
            "variants[1].gateway.auth.op",
            "did you mean `auth.verify`?",
        ),
        (
            "auth = { op = \"auth.verify\" }",
            "auth = { op = \"auth.verify\", cpu = \"30us\" }",
            "variants[1].gateway.auth",
            "exactly one of",
        ),
        (
            "auth = { op = \"auth.verify\" }",
            "auth = { op = \"catalog.get\" }",
            "variants[1].gateway.auth.op",
            "data-store operation",
        ),
        (
            "rate_limit = { rate = 400, burst = 50 }",
            "rate_limit = { rate = -4, burst = 50 }",
            "variants[1].gateway.rate_limit.rate",
            "must be > 0",
        ),
        (
            "rate_limit = { rate = 400, burst = 50 }",
            "rate_limit = { rate = 400, burst = 0.5 }",
            "variants[1].gateway.rate_limit.burst",
            "≥ 1",
        ),
        (
            "name = \"redis\"",
            "name = \"app\"",
            "variants[1].caches[0].name",
            "already the name of a node",
        ),
        (
            "cdn = { entries = [\"home\"], hit_ratio = 0.9 }",
            "cdn = { entries = [\"hme\"], hit_ratio = 0.9 }",
            "variants[1].cdn.entries[0]",
            "did you mean `home`?",
        ),
        (
            "cdn = { entries = [\"home\"], hit_ratio = 0.9 }",
            "cdn = { entries = [\"home\"], hit_ratio = 0.9, latncy = \"1ms\" }",
            "variants[1].cdn.latncy",
            "did you mean `latency`?",
        ),
        (
            "cache = { ttl = \"1s\", keys = 100, popularity = { zipf = 1.0 } }",
            "cache = { ttl = \"1s\", hit_ratio = 0.5 }",
            "variants[1].gateway.routes[0].cache.ttl",
            "not both",
        ),
        (
            "cache = { ttl = \"1s\", keys = 100, popularity = { zipf = 1.0 } }",
            "cache = { ttl = \"1s\", keys = 0 }",
            "variants[1].gateway.routes[0].cache.keys",
            "≥ 1",
        ),
        (
            "replicas = 2\n[[variants.caches]]",
            "replicas = 0\n[[variants.caches]]",
            "variants[1].load_balancers[0].replicas",
            "≥ 1",
        ),
        (
            "replicas = 2\n[[variants.caches]]",
            "replicas = 2\ncapacity = 0\n[[variants.caches]]",
            "variants[1].load_balancers[0].capacity",
            "≥ 1",
        ),
        (
            "stores = [\"catalog\"]\nhit_ratio",
            "stores = [\"catalg\"]\nhit_ratio",
            "variants[1].caches[0].stores[0]",
            "did you mean `catalog`?",
        ),
        (
            "cores = 1\nauth",
            "cores = 0\nauth",
            "variants[1].gateway.cores",
            "> 0",
        ),
        (
            "target = \"alb\"",
            "target = \"albb\"",
            "faults[0].target",
            "did you mean `alb`?",
        ),
    ];
    let mut failures = Vec::new();
    for (from, to, field, contains) in cases {
        assert!(ALL_KEYS.contains(from), "{from:?} not in the base");
        let text = ALL_KEYS.replacen(from, to, 1);
        match sc::parse(&text, "bad.toml") {
            Ok(_) => failures.push(format!("{field}: no error")),
            Err(ScenarioError::Invalid(diags)) => {
                let hit = diags.iter().any(|d| {
                    d.field == field && d.to_string().contains(contains) && d.file == "bad.toml"
                });
                if !hit {
                    failures.push(format!(
                        "{field} ({contains}): got {}",
                        diags
                            .iter()
                            .map(|d| d.to_string())
                            .collect::<Vec<_>>()
                            .join("\n")
                    ));
                }
            }
            Err(e) => failures.push(format!("{field}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---- composition operations hosted at the gateway (a backend-for-frontend) ----

/// A BFF module `bff` hosted on the gateway: `bff.seq` calls `a.get` then `b.get`, `bff.par`
/// calls both in parallel; `a` and `b` are units. Deterministic times: a 1 ms hop each way,
/// 10 µs of marshalling per KB per side, `a.get` carries 2 KB (20 µs per side), `b.get` none.
/// `gateway` holds the gateway's keys, `entry` the entry's operation.
fn bff(entry: &str, gateway: &str, arrival: &str, duration: &str, reps: u32) -> String {
    format!(
        r#"name = "bff"
seed = 5
replications = {reps}
[network]
latency = "1ms"
marshal_per_kb = "10us"
[workload]
duration = "{duration}"
warmup = "0s"
[[workload.entries]]
name = "page"
op = "{entry}"
arrival = {arrival}
[modules.bff]
ops.seq = {{ cpu = "2ms", calls = [{{ op = "a.get" }}, {{ op = "b.get" }}] }}
ops.par = {{ cpu = "2ms", calls = [{{ parallel = [{{ op = "a.get" }}, {{ op = "b.get" }}] }}] }}
ops.solo = {{ cpu = {{ dist = "exp", mean = "1s" }} }}
[modules.a]
ops.get = {{ cpu = "3ms", payload = "2KB" }}
[modules.b]
ops.get = {{ cpu = "5ms" }}
[[variants]]
name = "v"
[variants.gateway]
{gateway}
[[variants.units]]
name = "a"
modules = ["a"]
cores = 64
[[variants.units]]
name = "b"
modules = ["b"]
cores = 64
"#
    )
}

#[test]
fn bff_on_a_gateway_with_c_cores_and_exponential_cpu_is_mm_c() {
    // λ = 2.4/s, the BFF operation's CPU exponential with mean 1 s on the gateway's 3 cores
    // with 3 workers, no overhead and no calls: the gateway is M/M/3 with ρ = 0.8,
    // W = 2.0787 s (src/analytic: Erlang C). The entry reaches the operation with no hop.
    let text = bff(
        "bff.solo",
        "overhead = \"0s\"\ncores = 3\nworkers = 3\nmodules = [\"bff\"]",
        r#"{ process = "poisson", rate = 2.4 }"#,
        "20000s",
        10,
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let m = mmc(2.4, 1.0, 3).expect("stable");
    let gw = &v.components["gateway"].node;
    assert_within_ci(
        &gw.utilization,
        m.rho,
        "gateway utilization with the BFF's CPU",
    );
    assert_within_ci(
        &v.entries["page"].latency_s.mean,
        m.w,
        "entry latency = M/M/3 W",
    );
    assert_within_ci(&gw.mean_in_queue, m.lq, "gateway Lq");
    // Conservation: every entry request is one gateway request, none anywhere else.
    let e = &v.entries["page"];
    assert_close(
        gw.throughput_per_s.mean,
        e.throughput_per_s.mean,
        1e-12,
        "gateway throughput = entry throughput",
    );
    assert_eq!(v.units["a"].throughput_per_s.mean, 0.0);
}

#[test]
fn bff_composes_calls_in_sequence_and_in_parallel_exactly() {
    // Per request: gateway overhead 1 ms, the BFF's 2 ms on the same gateway instance (no hop),
    // then each unit call costs caller marshalling + hop + callee marshalling + CPU + hop:
    // a.get = 20 µs + 1 ms + 20 µs + 3 ms + 1 ms = 5.04 ms, b.get = 1 + 5 + 1 = 7 ms.
    let gw = "overhead = \"1ms\"\nmodules = [\"bff\"]";
    let arrival = r#"{ process = "constant", rate = 10 }"#;
    let seq = run(&scenario(&bff("bff.seq", gw, arrival, "20s", 2)));
    let par = run(&scenario(&bff("bff.par", gw, arrival, "20s", 2)));
    let exact = |r: &archsim::results::Results, want: f64, what: &str| {
        let l = &r.variants[0].entries["page"].latency_s;
        // Every request takes the same time: the mean of each replication is that time (the
        // quantiles come from a histogram with 0.2% buckets, so only the mean is exact).
        for (x, name) in [(l.mean.min, "mean min"), (l.mean.max, "mean max")] {
            assert!(
                (x - want).abs() < 1e-9,
                "{what} {name}: {x} s, expected {want} s to the nanosecond"
            );
        }
    };
    let (a, b) = (0.005_04, 0.007);
    exact(
        &seq,
        0.001 + 0.002 + a + b,
        "sequence = overhead + CPU + sum",
    );
    // In parallel the two marshalling phases of the caller run side by side on the gateway
    // (unlimited cores): the step costs the longer branch.
    exact(
        &par,
        0.001 + 0.002 + a.max(b),
        "parallel = overhead + CPU + max",
    );
    // Each unit served one call per request; the gateway one request per entry request.
    for r in [&seq, &par] {
        let v = &r.variants[0];
        let e = v.entries["page"].throughput_per_s.mean;
        assert_close(v.units["a"].throughput_per_s.mean, e, 1e-9, "a calls");
        assert_close(v.units["b"].throughput_per_s.mean, e, 1e-9, "b calls");
        assert_close(
            v.components["gateway"].node.throughput_per_s.mean,
            e,
            1e-12,
            "gateway throughput = entry throughput",
        );
    }
}

#[test]
fn estimate_counts_the_bff_on_the_gateway_node_with_no_hop_to_it() {
    // The analytic estimate of the exact case above: the same sums at this load (units of 64
    // cores and a gateway of 1,024 full-speed workers at 10 requests/s wait for nothing:
    // Erlang C ≈ 0, well below 1 ns here).
    let gw = "overhead = \"1ms\"\nmodules = [\"bff\"]";
    let arrival = r#"{ process = "constant", rate = 10 }"#;
    for (entry, want) in [("bff.seq", 0.015_04), ("bff.par", 0.010)] {
        let s = scenario(&bff(entry, gw, arrival, "20s", 2));
        let e = archsim::estimate::estimate(&s, 0);
        let got = e.entries[0].mean_latency_s.expect("stable");
        assert!(
            (got - want).abs() < 1e-9,
            "{entry}: estimate {got} s, expected {want} s"
        );
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
        // The gateway is a node of the estimate: one job per request, whose CPU is the
        // overhead, the BFF's 2 ms and the caller side of the call to `a.get` (20 µs).
        let g = e.nodes.last().expect("gateway node");
        assert_eq!((g.name.as_str(), g.kind), ("gateway", NodeKind::Gateway));
        assert_close(g.arrival_rate, 10.0, 1e-12, "gateway jobs");
        assert_close(
            g.cpu_demand_s_per_s,
            10.0 * (0.001 + 0.002 + 0.000_02),
            1e-9,
            "gateway CPU",
        );
        assert_eq!(g.utilization, 0.0, "no `cores`: the CPU runs at full speed");
    }
    // With `workers = cores = 3` and exponential hosted CPU the estimate is the M/M/3 of the
    // simulation test above, exactly.
    let s = scenario(&bff(
        "bff.solo",
        "overhead = \"0s\"\ncores = 3\nworkers = 3\nmodules = [\"bff\"]",
        r#"{ process = "poisson", rate = 2.4 }"#,
        "100s",
        2,
    ));
    let e = archsim::estimate::estimate(&s, 0);
    let m = mmc(2.4, 1.0, 3).expect("stable");
    let g = e.nodes.last().expect("gateway node");
    assert_close(g.utilization, m.rho, 1e-12, "gateway ρ");
    assert_close(g.mean_response_s.expect("stable"), m.w, 1e-12, "gateway W");
    assert_close(
        e.entries[0].mean_latency_s.expect("stable"),
        m.w,
        1e-12,
        "entry latency = W",
    );
    // At 3.2 requests/s the three cores cannot keep up: the estimate says so.
    let s = scenario(&bff(
        "bff.solo",
        "overhead = \"0s\"\ncores = 3\nworkers = 3\nmodules = [\"bff\"]",
        r#"{ process = "poisson", rate = 3.2 }"#,
        "100s",
        2,
    ));
    let e = archsim::estimate::estimate(&s, 0);
    assert_eq!(e.entries[0].mean_latency_s, None);
    assert!(
        e.warnings
            .iter()
            .any(|w| w.starts_with("gateway `gateway`: utilization 1.07")),
        "{:?}",
        e.warnings
    );
}

#[test]
fn bff_module_placement_errors_are_located() {
    let base = bff(
        "bff.seq",
        "overhead = \"1ms\"\nmodules = [\"bff\"]",
        r#"{ process = "constant", rate = 10 }"#,
        "10s",
        1,
    );
    // A plain-delay gateway (`overhead` only) given `modules` becomes a node hosting them.
    let s = scenario(&base);
    let m = archsim::model::Model::compile(&s, 0);
    let gw = m.plans.gateway.node.expect("the gateway is a node");
    let bff_op = s
        .ops
        .iter()
        .position(|o| o.name == "bff.seq")
        .expect("bff.seq exists");
    assert_eq!(m.topo.ops[bff_op].node, gw, "bff.seq runs on the gateway");
    assert!(
        m.plans.gateway.overhead.is_none(),
        "no plain-delay gateway besides"
    );
    let cases = [
        (
            "modules = [\"a\"]\ncores = 64\n[[variants.units]]\nname = \"b\"",
            "modules = [\"a\", \"bff\"]\ncores = 64\n[[variants.units]]\nname = \"b\"",
            "variants[0].gateway.modules[0]",
            "module `bff` is in two units of variant `v`: `a` and `gateway`",
        ),
        (
            "modules = [\"bff\"]",
            "modules = [\"bf\"]",
            "variants[0].gateway.modules[0]",
            "did you mean `bff`?",
        ),
        (
            "modules = [\"bff\"]",
            "modules = []",
            "variants[0].gateway.modules",
            "lists no module",
        ),
        (
            "modules = [\"bff\"]",
            "modules = [\"a\"]",
            "variants[0].gateway.modules[0]",
            "module `a` is in two units",
        ),
    ];
    for (from, to, field, contains) in cases {
        assert!(base.contains(from), "{from:?} not in the base");
        let text = base.replacen(from, to, 1);
        match sc::parse(&text, "bad.toml") {
            Ok(_) => panic!("{field}: accepted"),
            Err(ScenarioError::Invalid(ds)) => assert!(
                ds.iter().any(|d| d.field == field
                    && d.to_string().contains(contains)
                    && d.file == "bad.toml"
                    && d.line > 0),
                "{field} ({contains}): got {}",
                ds.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            Err(e) => panic!("{field}: {e}"),
        }
    }
    // Removing the module from the gateway leaves it deployed nowhere.
    let text = base.replacen("modules = [\"bff\"]", "", 1);
    match sc::parse(&text, "bad.toml") {
        Err(ScenarioError::Invalid(ds)) => assert!(
            ds.iter()
                .any(|d| d.to_string().contains("module `bff` is in no unit")),
            "{}",
            ds.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("accepted a module deployed nowhere"),
    }
}

#[test]
fn lesson_gateway_composition_saves_two_hops_and_the_page_unit_but_loads_the_gateway() {
    let r = run(&load("scenarios/lessons/gateway-composition.toml"));
    let (unit, bff) = (&r.variants[0], &r.variants[1]);
    assert_eq!(bff.name, "bff");
    let d = &r.comparisons[0].entries["page"];
    // The BFF skips a hop each way (mean 0.2 ms each) and the page unit's unmarshalling of the
    // 16 KB request (16 × 20 µs = 0.32 ms): 0.72 ms at no load. Queueing differs a little (the
    // gateway now queues the composition's CPU, the page unit is gone), so the median must be
    // lower by at least the two hops' mean latency, with the whole interval below.
    let hops = 2.0 * 0.2e-3;
    assert!(
        d.latency_p50_s.ci95_high < -hops,
        "p50 difference {:?} not below −{hops}",
        d.latency_p50_s
    );
    assert!(
        d.latency_mean_s.ci95_high < -hops,
        "mean {:?}",
        d.latency_mean_s
    );
    // Gateway utilization: overhead (0.73 ms) alone vs overhead + the page's 1 ms + caller-side
    // marshalling of the three 8 KB calls (0.48 ms), 200 requests/s on 2 × 2 cores: 3.65% vs
    // 11.05%.
    let u0 = &unit.components["gateway"].node.utilization;
    let u1 = &bff.components["gateway"].node.utilization;
    assert_within_ci(u0, 200.0 * 0.73e-3 / 4.0, "gateway utilization, page unit");
    assert_within_ci(
        u1,
        200.0 * (0.73e-3 + 1e-3 + 3.0 * 8.0 * 20e-6) / 4.0,
        "gateway utilization, BFF",
    );
    // Cost: the page unit's two instances are gone; everything else is the same.
    let page_cost = unit.cost.by_resource["unit/page"].per_month_usd.mean;
    assert!(page_cost > 0.0);
    assert_close(
        unit.cost.per_month_usd.mean - bff.cost.per_month_usd.mean,
        page_cost,
        1e-3,
        "monthly cost saved = the page unit's",
    );
    assert!(!bff.units.contains_key("page"));
}

#[test]
fn bff_store_call_is_a_database_call_from_the_gateway_and_faults_on_it_hit_the_gateway() {
    // `bff.load` (2 ms) reads `items.get` (1 ms on database `db`): overhead 1 ms + 2 ms + a hop
    // each way (1 ms) + 1 ms = 6 ms exactly; the database serves one query per request.
    let text = bff(
        "bff.load",
        "overhead = \"1ms\"\nmodules = [\"bff\"]",
        r#"{ process = "constant", rate = 10 }"#,
        "20s",
        2,
    )
    .replace(
        "ops.solo =",
        "ops.load = { cpu = \"2ms\", calls = [{ op = \"items.get\" }] }\nops.solo =",
    )
    .replace(
        "[modules.a]",
        "[datastores.items]\nops.get = { time = \"1ms\", kind = \"read\" }\n[modules.a]",
    ) + "[[variants.databases]]\nname = \"db\"\nstores = [\"items\"]\ncores = 8\n";
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let l = &v.entries["page"].latency_s.mean;
    for x in [l.min, l.max] {
        assert!((x - 0.006).abs() < 1e-9, "latency {x} s, expected 6 ms");
    }
    assert_close(
        v.databases["db"].throughput_per_s.mean,
        v.entries["page"].throughput_per_s.mean,
        1e-9,
        "one query per request",
    );
    // Auth by an operation of a hosted module runs in-process on the gateway instance: its
    // 500 µs add to the 6 ms, with no hop or marshalling.
    let authed = text
        .replace(
            "modules = [\"bff\"]",
            "modules = [\"bff\"]\nauth = { op = \"bff.check\" }",
        )
        .replace(
            "ops.solo =",
            "ops.check = { cpu = \"500us\", payload = \"4KB\" }\nops.solo =",
        );
    let r = run(&scenario(&authed));
    let l = &r.variants[0].entries["page"].latency_s.mean;
    for x in [l.min, l.max] {
        assert!(
            (x - 0.0065).abs() < 1e-9,
            "latency with auth {x} s, expected 6.5 ms"
        );
    }
    // A fault naming a hosted module targets the gateway.
    let s = scenario(
        &(text
            + "[[faults]]\nkind = \"crash\"\ntarget = \"bff\"\nat = \"5s\"\nduration = \"1s\"\n"),
    );
    assert!(
        matches!(
            s.faults[0].targets[0].as_slice(),
            [archsim::components::faults::FaultTarget::Gateway]
        ),
        "{:?}",
        s.faults[0].targets
    );
}

#[test]
fn lesson_cache_and_cdn_take_their_share_off_the_origin() {
    let r = run(&load("scenarios/lessons/cache-and-cdn.toml"));
    let v = |n: &str| r.variants.iter().find(|v| v.name == n).expect("variant");
    let (origin, redis, cdn) = (v("origin"), v("redis"), v("redis-cdn"));
    // The TTL cache's hit ratio is the closed form: reads are Poisson at λ = 300/s (the product
    // page's CPU is constant and never queues), key k is read at λ·pₖ with Zipf(1) popularity
    // over 1,000 keys, and a key with rate λₖ hits λₖT / (1 + λₖT) of its reads (T = 10 s).
    let h: f64 = (1..=1000).map(|k| 1.0 / k as f64).sum();
    let hit: f64 = (1..=1000)
        .map(|k| {
            let p = 1.0 / (k as f64 * h);
            let lt = 300.0 * p * 10.0;
            p * lt / (1.0 + lt)
        })
        .sum();
    assert_within_ci(
        &redis.caches["redis"].hit_ratio,
        hit,
        "TTL + Zipf hit ratio",
    );
    // The database sees the misses only: utilization 300/s × (1 − H) × 4 ms / 2 cores.
    assert_within_ci(
        &redis.databases["db"].utilization,
        300.0 * (1.0 - hit) * 4e-3 / 2.0,
        "database utilization behind the cache",
    );
    assert_within_ci(
        &origin.databases["db"].utilization,
        0.6,
        "database without cache",
    );
    // The web unit renders the home page for the CDN's misses only:
    // (300 × 1 ms + 200 × (1 − 0.95) × 20 ms) / 8 cores, against (0.3 + 4) / 8 without it.
    assert_within_ci(
        &cdn.units["web"].utilization,
        0.5 / 8.0,
        "web behind the CDN",
    );
    assert_within_ci(
        &origin.units["web"].utilization,
        4.3 / 8.0,
        "web without CDN",
    );
    // A CDN hit is the edge latency: 95% of the home pages take exactly 5 ms, against the
    // 60 ms round trip to the data centre (30 ms each way) plus the rendering without it.
    assert_close(
        cdn.entries["home"].latency_s.p50.mean,
        5e-3,
        0.01,
        "home p50 at the edge",
    );
    assert!(
        origin.entries["home"].latency_s.p50.mean > 0.060,
        "without the CDN the home page pays the round trip"
    );
    // A cache hit saves the database read (about 6 ms with its queueing, plus two hops, less
    // the lookup): the paired difference of the product page's mean lies wholly below −3 ms.
    let d = r
        .comparisons
        .iter()
        .find(|c| c.variant == "redis")
        .expect("redis vs origin");
    let saved = &d.entries["product"].latency_mean_s;
    assert!(saved.ci95_high < -3e-3, "a cache hit is faster: {saved:?}");
}

/// One unit with a constant 1 ms operation, no network latency inside the data centre, and
/// clients 10 ms (one way) from it; `extra` adds keys to the variant.
fn far_clients(extra: &str, timeout: &str) -> String {
    format!(
        r#"name = "far clients"
seed = 8
replications = 4
[network]
latency = "0s"
marshal_per_kb = "0us"
client_latency = "10ms"
[workload]
duration = "200s"
warmup = "0s"
[[workload.entries]]
name = "page"
op = "web.page"
arrival = {{ process = "poisson", rate = 20 }}
{timeout}
[modules.web]
ops.page = {{ cpu = "1ms" }}
[[variants]]
name = "v"
{extra}
[[variants.units]]
name = "web"
modules = ["web"]
cores = 64
"#
    )
}

#[test]
fn client_latency_is_paid_both_ways_and_a_cdn_hit_skips_it() {
    let exact = |text: &str, want: f64, what: &str| {
        let r = run(&scenario(text));
        let l = &r.variants[0].entries["page"].latency_s;
        assert!(
            (l.mean.mean - want).abs() < 1e-9,
            "{what}: {} vs {want}",
            l.mean.mean
        );
    };
    // 10 ms in, 1 ms of CPU, 10 ms back.
    exact(&far_clients("", ""), 0.021, "direct");
    // The plain gateway adds its overhead (1 ms) inside the data centre.
    exact(
        &far_clients("gateway = { overhead = \"1ms\" }", ""),
        0.022,
        "through the gateway",
    );
    // Every request hits the CDN: the edge's 5 ms only.
    exact(
        &far_clients("cdn = { entries = [\"page\"], hit_ratio = 1.0 }", ""),
        0.005,
        "CDN hit",
    );
    // Every request misses: the edge's 5 ms, then 10 ms to the origin, 1 ms, 10 ms back.
    exact(
        &far_clients("cdn = { entries = [\"page\"], hit_ratio = 0.0 }", ""),
        0.026,
        "CDN miss",
    );
    // The client's timeout covers the way there and back: 15 ms < 21 ms fails every request.
    let r = run(&scenario(&far_clients("", "timeout = \"15ms\"")));
    let e = &r.variants[0].entries["page"];
    assert_eq!(e.success_ratio.max, 0.0, "every request times out");
    assert_eq!(e.failed.mean, e.failed_by_reason["timeout"].mean);
}

// ---- the analytic estimate of the front door ----

#[test]
fn estimate_of_the_client_cdn_gateway_and_balancer_chain_is_exact() {
    // The deterministic cases of the test above, plus a load balancer of 2 ms (the hops inside
    // the data centre cost 0 here): the estimate's mean is the simulated time to the
    // nanosecond.
    let lb = "[[variants.load_balancers]]\nname = \"alb\"\nunits = [\"web\"]\nlatency = \"2ms\"";
    for (extra, want) in [
        ("", 0.021),
        ("gateway = { overhead = \"1ms\" }", 0.022),
        ("cdn = { entries = [\"page\"], hit_ratio = 1.0 }", 0.005),
        ("cdn = { entries = [\"page\"], hit_ratio = 0.0 }", 0.026),
        (lb, 0.023),
    ] {
        let s = scenario(&far_clients(extra, ""));
        let est = archsim::estimate::estimate(&s, 0).entries[0]
            .mean_latency_s
            .expect("stable");
        assert!((est - want).abs() < 1e-9, "{extra:?}: estimate {est} s");
        let sim = run(&s).variants[0].entries["page"].latency_s.mean.mean;
        assert!((sim - want).abs() < 1e-9, "{extra:?}: simulated {sim} s");
    }
}

/// Two entries through a CDN (page only, half its requests at the edge), a gateway node with
/// auth CPU and a route cache on `api`, a load balancer, and a cache node in front of the
/// store's reads; constant times on wide stations, so nothing waits and every mean is a sum
/// weighted by the hit ratios.
const FRONT_CHAIN: &str = r#"name = "front chain"
seed = 21
replications = 10
[network]
latency = "1ms"
marshal_per_kb = "0us"
client_latency = "10ms"
[workload]
duration = "300s"
warmup = "0s"
[[workload.entries]]
name = "page"
op = "web.page"
arrival = { process = "poisson", rate = 40 }
[[workload.entries]]
name = "api"
op = "web.api"
arrival = { process = "poisson", rate = 60 }
[modules.web]
ops.page = { cpu = "2ms", calls = [{ op = "items.get" }] }
ops.api = { cpu = "1ms", calls = [{ op = "items.get" }, { op = "items.put" }] }
[datastores.items]
ops.get = { time = "3ms", kind = "read" }
ops.put = { time = "2ms", kind = "write" }
[[variants]]
name = "v"
cdn = { entries = ["page"], hit_ratio = 0.5, latency = "4ms" }
[variants.gateway]
overhead = "1ms"
cores = 16
auth = { cpu = "500us" }
[[variants.gateway.routes]]
entry = "api"
cache = { hit_ratio = 0.3 }
[[variants.load_balancers]]
name = "alb"
units = ["web"]
latency = "2ms"
[[variants.units]]
name = "web"
modules = ["web"]
cores = 64
workers = 1000
[[variants.databases]]
name = "db"
stores = ["items"]
cores = 64
max_connections = 1000
[[variants.caches]]
name = "redis"
stores = ["items"]
hit_ratio = 0.6
latency = "500us"
"#;

#[test]
fn estimate_of_caches_cdn_and_gateway_matches_the_simulated_means() {
    let s = scenario(FRONT_CHAIN);
    let est = archsim::estimate::estimate(&s, 0);
    assert!(est.warnings.is_empty(), "{:?}", est.warnings);
    // By hand. Requests behind the CDN: page 40 × 0.5 = 20/s; all 80/s pass the gateway; the
    // route cache answers 30% of api: 42/s reach it. The unit sees 20 + 42 = 62/s; the
    // database the misses of the reads, (20 + 42) × 0.4 = 24.8/s, and every write, 42/s.
    let node = |n: &str| est_node(&est, n);
    assert_close(node("gateway").arrival_rate, 80.0, 1e-12, "gateway jobs");
    assert_close(
        node("gateway").utilization,
        80.0 * 1.5e-3 / 16.0,
        1e-12,
        "gateway ρ",
    );
    assert_close(node("web").arrival_rate, 62.0, 1e-12, "web jobs");
    assert_close(node("db").arrival_rate, 66.8, 1e-12, "db queries");
    // Times (ms): a read = 1 + 0.5 + 1 (hop, lookup, hop) + 0.4 × (1 + 3 + 1); a write 4;
    // behind the gateway = 1 + 1 + 2 + 1 + 1 (hop, balancer, hop each way) + CPU + calls.
    let read = 2.5 + 0.4 * 5.0;
    let page_in = 1.5 + (2.0 + 2.0 + 2.0 + 2.0 + read);
    let page = 4.0 + 0.5 * (20.0 + 2.0 + page_in);
    let api = 20.0 + 1.5 + 0.7 * (2.0 + 2.0 + 2.0 + 1.0 + read + 4.0);
    let lat = |e: usize| est.entries[e].mean_latency_s.expect("stable") * 1e3;
    assert_close(lat(0), page, 1e-9, "page estimate");
    assert_close(lat(1), api, 1e-9, "api estimate");
    // The simulation agrees within its intervals (the hits are random; nothing queues).
    let r = run(&s);
    let v = &r.variants[0];
    assert_within_ci(&v.entries["page"].latency_s.mean, page / 1e3, "page mean");
    assert_within_ci(&v.entries["api"].latency_s.mean, api / 1e3, "api mean");
    assert_within_ci(&v.units["web"].throughput_per_s, 62.0, "web throughput");
    assert_within_ci(&v.databases["db"].throughput_per_s, 66.8, "db throughput");
}

#[test]
fn estimate_admits_the_rate_limit_and_hits_the_ttl_closed_form() {
    // 100 requests/s against a limit of 40/s: the gateway and the unit see 40/s, and the
    // estimate warns that 60% fail `rate_limited`.
    let gw = "gateway = { overhead = \"0s\", rate_limit = { rate = 40 } }";
    let text = front(
        r#"{ process = "poisson", rate = 100 }"#,
        r#""1ms""#,
        "10s",
        2,
        &format!("{gw}\n{BACK}"),
    );
    let est = archsim::estimate::estimate(&scenario(&text), 0);
    let node = |n: &str| est_node(&est, n);
    assert_close(node("gateway").arrival_rate, 40.0, 1e-12, "admitted");
    assert_close(node("back").arrival_rate, 40.0, 1e-12, "behind the limit");
    assert!(
        est.warnings
            .iter()
            .any(|w| w.contains("rate limit admits 40.0/s")
                && w.contains("about 60.0% fail `rate_limited`")),
        "{:?}",
        est.warnings
    );
    // A TTL route cache over 50 uniform keys, T = 2 s, at 100/s: 2/s per key, so each key
    // hits λT/(1 + λT) = 4/5 of its requests; the unit sees the 20% that miss.
    let gw =
        "[variants.gateway]\noverhead = \"0s\"\n[[variants.gateway.routes]]\nentry = \"req\"\n\
              cache = { ttl = \"2s\", keys = 50 }";
    let text = front(
        r#"{ process = "poisson", rate = 100 }"#,
        r#""1ms""#,
        "10s",
        2,
        &format!("{BACK}\n{gw}"),
    );
    let est = archsim::estimate::estimate(&scenario(&text), 0);
    let back = est.nodes.iter().find(|x| x.name == "back").expect("back");
    assert_close(
        back.arrival_rate,
        20.0,
        1e-12,
        "misses of a TTL route cache",
    );
    // Zipf popularity: the closed form summed by hand (the cache-and-cdn lesson's numbers).
    let h: f64 = (1..=1000).map(|k| 1.0 / k as f64).sum();
    let want: f64 = (1..=1000)
        .map(|k| {
            let p = 1.0 / (k as f64 * h);
            p * (3000.0 * p) / (1.0 + 3000.0 * p)
        })
        .sum();
    let spec = archsim::components::cache::CacheSpec::Ttl {
        ttl: 10_000_000_000,
        keys: 1000,
        zipf: Some(1.0),
    };
    assert_close(
        archsim::estimate::cache_hit_ratio(&spec, 300.0),
        want,
        1e-12,
        "Zipf TTL hit ratio",
    );
}
