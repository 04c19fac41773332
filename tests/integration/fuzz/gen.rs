//! A generator of random valid scenarios: a random call DAG of modules and operations (module
//! `m_i` only calls modules `m_j` with j > i, so synchronous calls never cycle) with every
//! component kind of the format — plain, parallel and saga call groups, publishes to queues,
//! data stores on databases (read replicas, request pricing), connection pools, call timeouts,
//! retries, breakers, bulkheads and fallbacks, unit-wide resilience defaults, load shedding,
//! autoscaling, serverless units (reserved and provisioned concurrency), hosts and zones, a
//! gateway (plain or a node with auth, a rate limit and a cached route), load balancers,
//! caches, a CDN, client retries and timeouts, arrival profiles and closed loops, faults of
//! every kind, teams — in one or two variants (the second a monolith of the same modules).
//!
//! Rates and durations are kept small so that a run takes milliseconds.

use rand::{Rng, SeedableRng};
use std::fmt::Write;

type R = rand_xoshiro::Xoshiro256PlusPlus;

fn chance(r: &mut R, p: f64) -> bool {
    r.random_bool(p)
}

fn pick<'a>(r: &mut R, xs: &[&'a str]) -> &'a str {
    xs[r.random_range(0..xs.len())]
}

struct Module {
    ops: Vec<String>,
    serverless_unit: bool,
}

/// The generated scenario's shape, decided before the text is written.
struct Shape {
    modules: Vec<Module>,
    stores: usize,
    /// Per module: its unit index in the first variant.
    unit_of: Vec<usize>,
    units: usize,
    /// Per unit: serverless.
    serverless: Vec<bool>,
    queues: Vec<String>,
    entries: usize,
}

/// A random valid scenario from `seed` (the same seed, the same text).
pub fn scenario(seed: u64) -> String {
    let mut r = R::seed_from_u64(seed);
    let n = r.random_range(2..=5usize);
    let stores = r.random_range(0..=2usize);
    // Units: module i joins the unit of an earlier module or opens a new one.
    let mut unit_of = Vec::with_capacity(n);
    let mut units = 0;
    for i in 0..n {
        if i > 0 && chance(&mut r, 0.3) {
            unit_of.push(unit_of[r.random_range(0..i)]);
        } else {
            unit_of.push(units);
            units += 1;
        }
    }
    let serverless: Vec<bool> = (0..units).map(|_| chance(&mut r, 0.2)).collect();
    let modules = (0..n)
        .map(|i| Module {
            ops: if chance(&mut r, 0.4) {
                vec!["a".into(), "b".into()]
            } else {
                vec!["a".into()]
            },
            serverless_unit: serverless[unit_of[i]],
        })
        .collect();
    let mut shape = Shape {
        modules,
        stores,
        unit_of,
        units,
        serverless,
        queues: Vec::new(),
        entries: r.random_range(1..=2usize),
    };
    let mut t = String::new();
    let dur = r.random_range(10..=30u32);
    let _ = writeln!(
        t,
        "name = \"generated {seed}\"\nseed = {}\nreplications = 2",
        seed % 1000
    );
    if chance(&mut r, 0.5) {
        let _ = writeln!(
            t,
            "[network]\nlatency = {{ dist = \"exp\", mean = \"300us\" }}"
        );
    }
    let _ = writeln!(
        t,
        "[workload]\nduration = \"{dur}s\"\nwarmup = \"{}s\"",
        r.random_range(0..3u32)
    );
    let mut modules_text = String::new();
    write_modules(&mut r, &mut shape, &mut modules_text);
    write_entries(&mut r, &shape, &mut t);
    t.push_str(&modules_text);
    for k in 0..shape.stores {
        let _ = writeln!(
            t,
            "[datastores.s{k}]\nops.read = {{ time = {{ dist = \"exp\", mean = \"1ms\" }}, kind = \"read\" }}\nops.write = {{ time = \"2ms\", kind = \"write\" }}"
        );
    }
    let teams = chance(&mut r, 0.3);
    if teams {
        t.push_str("[teams.t0]\n[teams.t1]\n");
    }
    write_variant(&mut r, &shape, &mut t);
    if chance(&mut r, 0.4) {
        write_monolith(&mut r, &shape, &mut t);
    }
    if chance(&mut r, 0.6) {
        write_fault(&mut r, &shape, dur, &mut t);
    }
    if teams {
        t = t.replace("[modules.m0]\n", "[modules.m0]\nteam = \"t0\"\n");
        t = t.replace("[modules.m1]\n", "[modules.m1]\nteam = \"t1\"\n");
    }
    t
}

/// A call from module `i` to an operation of a later module or a data store, with random
/// policies; `None` when there is nothing to call.
fn call(r: &mut R, s: &Shape, i: usize, sync_only: bool) -> Option<String> {
    let later = s.modules.len() - i - 1;
    if later == 0 && s.stores == 0 {
        return None;
    }
    let to_store = s.stores > 0 && (later == 0 || chance(r, 0.3));
    let op = if to_store {
        format!(
            "s{}.{}",
            r.random_range(0..s.stores),
            pick(r, &["read", "write"])
        )
    } else {
        let j = r.random_range(i + 1..s.modules.len());
        let ops = &s.modules[j].ops;
        format!("m{j}.{}", ops[r.random_range(0..ops.len())])
    };
    let mut c = format!("op = \"{op}\"");
    if !sync_only && chance(r, 0.3) {
        let _ = write!(c, ", p = {}", pick(r, &["0.2", "0.5", "0.9"]));
    }
    if chance(r, 0.2) {
        let _ = write!(c, ", count = {}", r.random_range(2..=3u32));
    }
    if chance(r, 0.3) {
        let _ = write!(c, ", timeout = \"{}\"", pick(r, &["20ms", "200ms", "2s"]));
    }
    if chance(r, 0.25) {
        let retry = pick(
            r,
            &[
                "{}",
                "{ attempts = 2, base = \"10ms\", cap = \"100ms\", jitter = \"equal\" }",
                "{ attempts = 3, base = \"5ms\", jitter = \"decorrelated\", budget = 0.2 }",
                "{ attempts = 2, base = \"1ms\", jitter = \"none\" }",
            ],
        );
        let _ = write!(c, ", retry = {retry}");
    }
    if chance(r, 0.2) {
        let breaker = pick(
            r,
            &[
                "{}",
                "{ window = 20, failure_rate = 0.5, min_calls = 5, open = \"2s\", half_open = 2 }",
                "{ window = \"5s\", min_calls = 10, open = \"1s\", slow_call = \"50ms\", slow_call_rate = 0.8 }",
            ],
        );
        let _ = write!(c, ", breaker = {breaker}");
    }
    if chance(r, 0.15) {
        let _ = write!(c, ", bulkhead = {}", pick(r, &["true", "3", "50"]));
    }
    if chance(r, 0.15) {
        c.push_str(", fallback = \"degraded\"");
    }
    Some(format!("{{ {c} }}"))
}

fn write_modules(r: &mut R, s: &mut Shape, t: &mut String) {
    for i in 0..s.modules.len() {
        let _ = writeln!(t, "[modules.m{i}]");
        if chance(r, 0.3) {
            let _ = writeln!(t, "memory = \"{}MB\"", r.random_range(10..300u32));
        }
        for o in s.modules[i].ops.clone() {
            let mut calls: Vec<String> = Vec::new();
            for _ in 0..r.random_range(0..=3u32) {
                let group = r.random_range(0..10u32);
                let later = s.modules.len() - i - 1;
                if group == 0 {
                    let a = call(r, s, i, false);
                    let b = call(r, s, i, false);
                    if let (Some(a), Some(b)) = (a, b) {
                        calls.push(format!("{{ parallel = [ {a}, {b} ] }}"));
                    }
                } else if group == 1 && later > 0 {
                    // A saga: steps without `p`, the first with a compensation.
                    let j = r.random_range(i + 1..s.modules.len());
                    let mut steps = vec![format!("{{ op = \"m{j}.a\", compensate = \"m{j}.a\" }}")];
                    if let Some(c) = call(r, s, i, true) {
                        steps.push(c);
                    }
                    calls.push(format!("{{ saga = [ {} ] }}", steps.join(", ")));
                } else if group == 2 && later > 0 {
                    let j = r.random_range(i + 1..s.modules.len());
                    let q = format!("q{}", s.queues.len());
                    let p = if chance(r, 0.5) { ", p = 0.5" } else { "" };
                    calls.push(format!("{{ publish = \"{q}\", op = \"m{j}.a\"{p} }}"));
                    s.queues.push(q);
                } else if let Some(c) = call(r, s, i, false) {
                    calls.push(c);
                }
            }
            let cpu = pick(
                r,
                &[
                    "\"1ms\"",
                    "{ dist = \"exp\", mean = \"2ms\" }",
                    "{ dist = \"lognormal\", mean = \"3ms\", cv = 1.5 }",
                    "{ dist = \"uniform\", min = \"500us\", max = \"4ms\" }",
                ],
            );
            let payload = if chance(r, 0.3) {
                ", payload = \"2KB\""
            } else {
                ""
            };
            let _ = writeln!(
                t,
                "ops.{o} = {{ cpu = {cpu}{payload}, calls = [ {} ] }}",
                calls.join(", ")
            );
        }
    }
}

fn write_entries(r: &mut R, s: &Shape, t: &mut String) {
    for e in 0..s.entries {
        let m = if e == 0 {
            0
        } else {
            r.random_range(0..s.modules.len())
        };
        let arrival = match r.random_range(0..6u32) {
            0 => format!("{{ process = \"constant\", rate = {} }}", r.random_range(5..30u32)),
            1 => "{ profile = { steps = [[\"0s\", 10], [\"5s\", 30], [\"8s\", 10]] } }".into(),
            2 => "{ profile = { spike = { base = 10, peak = 40, at = \"3s\", duration = \"2s\" } } }".into(),
            3 => format!(
                "{{ process = \"closed\", users = {}, think = {{ dist = \"exp\", mean = \"200ms\" }} }}",
                r.random_range(1..10u32)
            ),
            _ => format!("{{ process = \"poisson\", rate = {} }}", r.random_range(5..40u32)),
        };
        let _ = writeln!(
            t,
            "[[workload.entries]]\nname = \"e{e}\"\nop = \"m{m}.a\"\narrival = {arrival}"
        );
        if chance(r, 0.4) {
            let _ = writeln!(t, "timeout = \"{}\"", pick(r, &["100ms", "1s", "5s"]));
        }
        if chance(r, 0.2) {
            t.push_str("retry = { attempts = 2, base = \"20ms\" }\n");
        }
    }
}

fn write_unit(r: &mut R, s: &Shape, u: usize, host: bool, t: &mut String) {
    let mods: Vec<String> = (0..s.modules.len())
        .filter(|&i| s.unit_of[i] == u)
        .map(|i| format!("\"m{i}\""))
        .collect();
    let _ = writeln!(
        t,
        "[[variants.units]]\nname = \"u{u}\"\nmodules = [{}]",
        mods.join(", ")
    );
    if s.serverless[u] {
        t.push_str("platform = \"serverless\"\n");
        let _ = writeln!(
            t,
            "memory = \"{}\"",
            pick(r, &["512MB", "1769MB", "3008MB"])
        );
        let _ = writeln!(
            t,
            "runtime = \"{}\"",
            pick(r, &["node", "python", "go", "java"])
        );
        if chance(r, 0.5) {
            let reserved = r.random_range(5..50u32);
            let _ = writeln!(t, "reserved_concurrency = {reserved}");
            let _ = writeln!(t, "provisioned = {}", r.random_range(0..=2u32));
        }
        if chance(r, 0.3) {
            t.push_str("keep_alive = \"5s\"\n");
        }
        return;
    }
    let platform = pick(r, &["vm", "container", "kubernetes"]);
    let _ = writeln!(t, "platform = \"{platform}\"");
    if host {
        // With a limit of its own (a `slow` fault cannot target a unit sharing its host's cores).
        t.push_str("host = \"h0\"\ncpu_limit = 2\n");
    } else {
        let _ = writeln!(t, "cores = {}", r.random_range(1..=4u32));
        if chance(r, 0.2) {
            t.push_str("zones = [\"za\", \"zb\"]\n");
        }
    }
    let async_io = chance(r, 0.3);
    let _ = writeln!(
        t,
        "io = \"{}\"",
        if async_io { "async" } else { "blocking" }
    );
    let _ = writeln!(t, "workers = {}", r.random_range(1..=50u32));
    if chance(r, 0.3) {
        let _ = writeln!(t, "queue = {}", r.random_range(0..100u32));
    }
    let _ = writeln!(
        t,
        "lb = \"{}\"",
        pick(
            r,
            &["round_robin", "random", "least_outstanding", "power_of_two"]
        )
    );
    let calls_db = s.stores > 0;
    if calls_db && chance(r, 0.4) {
        t.push_str("pool = { size = 4, acquire_timeout = \"1s\" }\n");
    }
    if !host && chance(r, 0.25) {
        t.push_str("autoscale = { target_utilization = 0.6, min = 1, max = 4, period = \"2s\", startup = \"1s\", scale_down_window = \"5s\" }\n");
    } else {
        let _ = writeln!(t, "replicas = {}", r.random_range(1..=3u32));
    }
    if chance(r, 0.2) {
        t.push_str("resilience = { timeout = \"500ms\", retry = { attempts = 2, base = \"5ms\" }, breaker = {}, bulkhead = 20 }\n");
    }
    if !async_io && chance(r, 0.15) {
        t.push_str("shed = { max_wait = \"50ms\" }\n");
    }
    if platform == "kubernetes" && chance(r, 0.5) {
        t.push_str("restart_delay = \"2s\"\n");
    }
}

fn write_databases(r: &mut R, s: &Shape, t: &mut String) {
    if s.stores == 0 {
        return;
    }
    let split = s.stores > 1 && chance(r, 0.5);
    let groups: Vec<Vec<usize>> = if split {
        (0..s.stores).map(|k| vec![k]).collect()
    } else {
        vec![(0..s.stores).collect()]
    };
    for (d, g) in groups.iter().enumerate() {
        let stores: Vec<String> = g.iter().map(|k| format!("\"s{k}\"")).collect();
        let _ = writeln!(
            t,
            "[[variants.databases]]\nname = \"db{d}\"\nstores = [{}]",
            stores.join(", ")
        );
        let _ = writeln!(t, "cores = {}", r.random_range(1..=4u32));
        if chance(r, 0.3) {
            let _ = writeln!(t, "read_replicas = {}", r.random_range(1..=2u32));
        }
        if chance(r, 0.3) {
            t.push_str("pricing = \"request\"\n");
        }
        if chance(r, 0.2) {
            let _ = writeln!(t, "max_connections = {}", r.random_range(2..20u32));
        }
    }
}

fn write_queues(r: &mut R, s: &Shape, t: &mut String) {
    for q in &s.queues {
        let _ = writeln!(
            t,
            "[[variants.queues]]\nname = \"{q}\"\npublish_latency = {{ dist = \"exp\", mean = \"5ms\" }}\nvisibility_timeout = \"{}\"\nconsumers = {}",
            pick(r, &["1s", "30s"]),
            r.random_range(1..10u32)
        );
        if chance(r, 0.4) {
            let _ = writeln!(t, "max_receives = {}", r.random_range(1..5u32));
        }
    }
}

fn write_variant(r: &mut R, s: &Shape, t: &mut String) {
    t.push_str("[[variants]]\nname = \"split\"\n");
    // A CDN in front of the last entry when there are two (the first may get a gateway route).
    if s.entries == 2 && chance(r, 0.3) {
        t.push_str("cdn = { entries = [\"e1\"], hit_ratio = 0.5 }\n");
    }
    match r.random_range(0..3u32) {
        0 => t.push_str("gateway = { overhead = \"500us\" }\n"),
        1 => {
            t.push_str("[variants.gateway]\nreplicas = 2\ncores = 1\n");
            if chance(r, 0.5) {
                t.push_str("auth = { cpu = \"30us\" }\n");
            }
            if chance(r, 0.5) {
                t.push_str("rate_limit = { rate = 30, burst = 10 }\n");
            }
            if chance(r, 0.5) {
                let cache = pick(
                    r,
                    &[
                        "{ hit_ratio = 0.4 }",
                        "{ ttl = \"2s\", keys = 50, popularity = { zipf = 1.0 } }",
                    ],
                );
                let _ = writeln!(
                    t,
                    "[[variants.gateway.routes]]\nentry = \"e0\"\ncache = {cache}"
                );
            }
        }
        _ => {}
    }
    // One non-serverless unit may sit on a host.
    let host_unit = (0..s.units).find(|&u| !s.serverless[u] && chance(r, 0.2));
    if host_unit.is_some() {
        t.push_str("[[variants.hosts]]\nname = \"h0\"\ncores = 8\nzone = \"za\"\n");
    }
    for u in 0..s.units {
        write_unit(r, s, u, host_unit == Some(u), t);
    }
    write_databases(r, s, t);
    write_queues(r, s, t);
    if let Some(u) = (0..s.units).find(|&u| !s.serverless[u] && chance(r, 0.3)) {
        let _ = writeln!(
            t,
            "[[variants.load_balancers]]\nname = \"alb\"\nunits = [\"u{u}\"]\nreplicas = {}\nalgorithm = \"least_outstanding\"",
            r.random_range(1..=2u32)
        );
    }
    if s.stores > 0 && chance(r, 0.3) {
        let cache = pick(r, &["hit_ratio = 0.6", "ttl = \"1s\"\nkeys = 100"]);
        let _ = writeln!(
            t,
            "[[variants.caches]]\nname = \"redis\"\nstores = [\"s0\"]\n{cache}"
        );
    }
}

/// A second variant: every module in one unit, the same databases and queues.
fn write_monolith(r: &mut R, s: &Shape, t: &mut String) {
    let mods: Vec<String> = (0..s.modules.len()).map(|i| format!("\"m{i}\"")).collect();
    let _ = writeln!(
        t,
        "[[variants]]\nname = \"monolith\"\n[[variants.units]]\nname = \"mono\"\nmodules = [{}]\nreplicas = {}\ncores = 2\nworkers = 40",
        mods.join(", "),
        r.random_range(1..=3u32)
    );
    write_databases(r, s, t);
    write_queues(r, s, t);
}

fn write_fault(r: &mut R, s: &Shape, dur: u32, t: &mut String) {
    // Modules name their unit in every variant; serverless ones are left to error and latency.
    let i = r.random_range(0..s.modules.len());
    let server = !s.modules[i].serverless_unit;
    let at = r.random_range(0..dur / 2);
    let window = format!(
        "at = \"{at}s\"\nduration = \"{}s\"",
        r.random_range(1..=dur / 2)
    );
    let kind = r.random_range(0..5u32);
    match kind {
        0 => {
            let _ = writeln!(
                t,
                "[[faults]]\nkind = \"error\"\ntarget = \"m{i}\"\n{window}\nrate = 0.3"
            );
        }
        1 => {
            let _ = writeln!(
                t,
                "[[faults]]\nkind = \"latency\"\ntarget = \"m{i}\"\n{window}\nadded = \"20ms\""
            );
        }
        2 if server => {
            let _ = writeln!(
                t,
                "[[faults]]\nkind = \"slow\"\ntarget = \"m{i}\"\n{window}\nfactor = 3"
            );
        }
        3 if server => {
            let _ = writeln!(
                t,
                "[[faults]]\nkind = \"crash\"\ntarget = \"m{i}\"\n{window}\ninstances = 1"
            );
        }
        4 if server => {
            let _ = writeln!(
                t,
                "[[faults]]\nkind = \"crash\"\ntarget = \"m{i}\"\nmtbf = \"5s\"\nmttr = \"1s\""
            );
        }
        _ if s.modules.len() >= 2 => {
            let _ = writeln!(
                t,
                "[[faults]]\nkind = \"partition\"\ngroups = [[\"m0\"], [\"m1\"]]\n{window}"
            );
        }
        _ => {}
    }
}

#[test]
fn the_generator_is_deterministic() {
    assert_eq!(scenario(42), scenario(42));
    assert_ne!(scenario(42), scenario(43));
}
