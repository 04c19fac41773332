//! The analytic estimate of hand-built scenarios against the closed-form formulas.

#![allow(clippy::unwrap_used)]

use archsim::analytic::mmc;
use archsim::estimate::{estimate, expected_visits, NodeKind};
use archsim::flow::balance::LbAlgorithm;
use archsim::kernel::dist::Dist;
use archsim::scenario::{
    Arrival, Call, DataStore, Database, Entry, Gateway, Io, Module, Network, OpOwner, Operation,
    Platform, Scenario, Step, Unit, Variant, Workload,
};

const MS: f64 = 1e6; // ns per ms
const S: f64 = 1e9; // ns per s

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[track_caller]
fn assert_close(a: f64, b: f64) {
    assert!(close(a, b), "{a} != {b}");
}

fn op(name: &str, owner: OpOwner, demand: Dist, payload: u64, steps: Vec<Step>) -> Operation {
    Operation {
        name: name.into(),
        owner,
        demand,
        payload,
        steps,
        write: false,
        errors: 0.0,
    }
}

fn call(op: usize, p: f64, count: u32) -> Call {
    Call {
        op,
        p,
        count,
        timeout: None,
        policy: Default::default(),
        publish: None,
    }
}

fn unit(name: &str, modules: Vec<usize>, replicas: u32, cores: f64, workers: u32) -> Unit {
    Unit {
        name: name.into(),
        modules,
        platform: Platform::Vm,
        replicas,
        cores,
        workers,
        queue: None,
        io: Io::Blocking,
        base_memory: 0,
        memory: None,
        lb: LbAlgorithm::RoundRobin,
        resilience: Default::default(),
        shed: None,
        function: Default::default(),
        placement: Default::default(),
        pool: None,
        autoscale: None,
        restart_delay: 0,
        instance: None,
    }
}

fn module(name: &str, ops: Vec<usize>) -> Module {
    Module {
        name: name.into(),
        team: None,
        memory: 0,
        loc: 10_000,
        ops,
    }
}

fn scenario(
    network: Network,
    entries: Vec<Entry>,
    modules: Vec<Module>,
    datastores: Vec<DataStore>,
    ops: Vec<Operation>,
    variants: Vec<Variant>,
) -> Scenario {
    Scenario {
        name: "test".into(),
        description: String::new(),
        seed: 1,
        replications: 1,
        network,
        workload: Workload {
            duration: 60 * S as u64,
            warmup: 0,
            window: S as u64,
            series_budget: archsim::model::DEFAULT_SERIES_BUDGET,
            entries,
        },
        teams: Vec::new(),
        modules,
        datastores,
        externals: Vec::new(),
        workflows: Vec::new(),
        ops,
        variants,
        faults: Vec::new(),
        prices: Default::default(),
        evolution: Vec::new(),
        delivery: None,
        queues: Vec::new(),
        locks: Vec::new(),
        uncertain: None,
        slos: Vec::new(),
        month: archsim::scenario::Month::Steady,
    }
}

fn entry(name: &str, op: usize, rate: f64) -> Entry {
    Entry {
        name: name.into(),
        op,
        arrival: Arrival::Poisson { rate },
        timeout: None,
        retry: None,
        steady_rate: None,
    }
}

#[test]
fn single_unit_is_mm3() {
    let s = scenario(
        Network {
            latency: Dist::Const(0.0),
            marshal_per_kb_ns: 0.0,
            cross_zone_latency: Dist::Const(0.0),
            client_latency: Dist::Const(0.0),
        },
        vec![entry("work", 0, 2.4)],
        vec![module("m", vec![0])],
        Vec::new(),
        vec![op(
            "m.work",
            OpOwner::Module(0),
            Dist::Exp { mean: 1.0 * S },
            0,
            Vec::new(),
        )],
        vec![Variant {
            name: "mono".into(),
            units: vec![unit("app", vec![0], 1, 3.0, 3)],
            databases: Vec::new(),
            gateway: None,
            module_unit: vec![0],
            store_db: Vec::new(),
            account_concurrency: 1000,
            module_team: vec![None; 1],
            queues: Vec::new(),
            load_balancers: Vec::new(),
            caches: Vec::new(),
            cdn: None,
            hosts: Vec::new(),
            zones: Vec::new(),
            transactions: None,
        }],
    );
    let est = estimate(&s, 0);
    let expected = mmc(2.4, 1.0, 3).unwrap();
    assert_eq!(est.variant, "mono");
    assert!(est.warnings.is_empty(), "{:?}", est.warnings);
    let node = &est.nodes[0];
    assert_eq!(node.kind, NodeKind::Unit);
    assert_close(node.arrival_rate, 2.4);
    assert_close(node.utilization, 0.8);
    assert_close(node.cpu_demand_s_per_s, 2.4);
    assert_close(node.mean_response_s.unwrap(), expected.w);
    assert_close(est.entries[0].mean_latency_s.unwrap(), expected.w);

    // Twice the load: overloaded, no response, a warning naming the unit.
    let mut hot = s.clone();
    hot.workload.entries[0].arrival = Arrival::Poisson { rate: 3.6 };
    let est = estimate(&hot, 0);
    assert_close(est.nodes[0].utilization, 1.2);
    assert_eq!(est.nodes[0].mean_response_s, None);
    assert_eq!(est.entries[0].mean_latency_s, None);
    assert_eq!(est.warnings.len(), 1);
    assert!(
        est.warnings[0].contains("unit `app`"),
        "{}",
        est.warnings[0]
    );
    assert!(est.warnings[0].contains("1.20 ≥ 1"), "{}", est.warnings[0]);

    // JSON shape for the app.
    let j = serde_json::to_value(estimate(&s, 0)).unwrap();
    assert_eq!(j["nodes"][0]["kind"], "unit");
    assert!(j["entries"][0]["mean_latency_s"].is_number());

    // Out-of-range variant: empty estimate with a warning, no panic.
    assert!(!estimate(&s, 5).warnings.is_empty());
}

/// Entry → `a.front` (unit A) → with p = 0.4 → `b.back` (unit B), both single-core M/M/1.
fn two_unit_chain(split: bool) -> Scenario {
    let ops = vec![
        op(
            "a.front",
            OpOwner::Module(0),
            Dist::Exp { mean: 10.0 * MS },
            2000,
            vec![Step::Call(call(1, 0.4, 1))],
        ),
        op(
            "b.back",
            OpOwner::Module(1),
            Dist::Exp { mean: 20.0 * MS },
            1000,
            Vec::new(),
        ),
    ];
    let variant = if split {
        Variant {
            name: "msa".into(),
            units: vec![
                unit("ua", vec![0], 1, 1.0, 1),
                unit("ub", vec![1], 1, 1.0, 1),
            ],
            databases: Vec::new(),
            gateway: None,
            module_unit: vec![0, 1],
            store_db: Vec::new(),
            account_concurrency: 1000,
            module_team: vec![None; 2],
            queues: Vec::new(),
            load_balancers: Vec::new(),
            caches: Vec::new(),
            cdn: None,
            hosts: Vec::new(),
            zones: Vec::new(),
            transactions: None,
        }
    } else {
        Variant {
            name: "mono".into(),
            units: vec![unit("app", vec![0, 1], 1, 1.0, 1)],
            databases: Vec::new(),
            gateway: None,
            module_unit: vec![0, 0],
            store_db: Vec::new(),
            account_concurrency: 1000,
            module_team: vec![None; 2],
            queues: Vec::new(),
            load_balancers: Vec::new(),
            caches: Vec::new(),
            cdn: None,
            hosts: Vec::new(),
            zones: Vec::new(),
            transactions: None,
        }
    };
    scenario(
        Network {
            latency: Dist::Const(0.5 * MS),
            marshal_per_kb_ns: 1.0 * MS,
            cross_zone_latency: Dist::Const(0.0),
            client_latency: Dist::Const(0.0),
        },
        vec![entry("front", 0, 20.0)],
        vec![module("a", vec![0]), module("b", vec![1])],
        Vec::new(),
        ops,
        vec![variant],
    )
}

#[test]
fn two_unit_chain_with_probabilistic_call() {
    let s = two_unit_chain(true);
    let v = expected_visits(&s, 0);
    assert_close(v[0], 1.0);
    assert_close(v[1], 0.4);

    let est = estimate(&s, 0);
    assert!(est.warnings.is_empty(), "{:?}", est.warnings);
    // Unit A, per request: 10 ms demand + 2 ms entry marshalling (2 KB) + 0.4 × 1 ms caller
    // marshalling of b (1 KB) = 12.4 ms; λ = 20/s.
    let (a, b) = (&est.nodes[0], &est.nodes[1]);
    assert_close(a.arrival_rate, 20.0);
    assert_close(a.cpu_demand_s_per_s, 20.0 * 0.0124);
    assert_close(a.utilization, 0.248);
    let wa = 0.0124 / (1.0 - 0.248);
    assert_close(a.mean_response_s.unwrap(), wa);
    // Unit B: 0.4 × 20 = 8 calls/s, each 20 ms + 1 ms callee marshalling.
    assert_close(b.arrival_rate, 8.0);
    assert_close(b.cpu_demand_s_per_s, 8.0 * 0.021);
    assert_close(b.utilization, 0.168);
    let wb = 0.021 / (1.0 - 0.168);
    assert_close(b.mean_response_s.unwrap(), wb);
    // Latency: W_A + 0.4 × (W_B + two 0.5 ms hops).
    let lat = est.entries[0].mean_latency_s.unwrap();
    assert_close(lat, wa + 0.4 * (wb + 2.0 * 0.0005));

    // The same model as a monolith: one M/M/1 job of 10 + 2 + 0.4 × 20 = 20 ms, no hops.
    let mono = estimate(&two_unit_chain(false), 0);
    let n = &mono.nodes[0];
    assert_close(n.arrival_rate, 20.0);
    assert_close(n.utilization, 0.4);
    let w = 0.020 / (1.0 - 0.4);
    assert_close(n.mean_response_s.unwrap(), w);
    assert_close(mono.entries[0].mean_latency_s.unwrap(), w);
}

#[test]
fn repeated_and_parallel_calls() {
    // front: Call(b, p = 0.5, count = 3), then Parallel[b, c]. Visits b = 1.5 + 1, c = 1.
    let mut s = two_unit_chain(true);
    s.ops[0].steps = vec![
        Step::Call(call(1, 0.5, 3)),
        Step::Parallel(vec![call(1, 1.0, 1), call(2, 1.0, 1)]),
    ];
    s.ops.push(op(
        "b.slow",
        OpOwner::Module(1),
        Dist::Const(50.0 * MS),
        0,
        Vec::new(),
    ));
    s.modules[1].ops.push(2);
    s.workload.entries[0].arrival = Arrival::Poisson { rate: 2.0 };
    let v = expected_visits(&s, 0);
    assert_close(v[1], 2.5);
    assert_close(v[2], 1.0);
    let est = estimate(&s, 0);
    assert_close(est.nodes[1].arrival_rate, 2.0 * 3.5);
    // Latency: the parallel group costs its slower branch (the 50 ms one). Each station's
    // stretch factor is W / E[S].
    let stretch = |i: usize| {
        let n = &est.nodes[i];
        n.mean_response_s.unwrap() / (n.cpu_demand_s_per_s / n.arrival_rate)
    };
    let (sa, sb) = (stretch(0), stretch(1));
    let hops = 2.0 * 0.0005;
    // b.back: 1 ms marshalling on each side (1 KB) + 20 ms demand at B.
    let call_b = hops + 0.001 * sa + 0.001 * sb + 0.020 * sb;
    // b.slow: no payload, 50 ms at B.
    let call_c = hops + 0.050 * sb;
    // a.front: 10 ms demand + 2 ms entry marshalling at A.
    let own_a = 0.012 * sa;
    let expected = own_a + 1.5 * call_b + call_b.max(call_c);
    assert_close(est.entries[0].mean_latency_s.unwrap(), expected);
}

#[test]
fn database_call_counts_network_hops() {
    // Entry via a gateway (2 ms overhead) → `svc.get` (5 ms) → `items.find` (4 ms) on `db`.
    let ops = vec![
        op(
            "svc.get",
            OpOwner::Module(0),
            Dist::Exp { mean: 5.0 * MS },
            0,
            vec![Step::Call(call(1, 1.0, 1))],
        ),
        op(
            "items.find",
            OpOwner::Store(0),
            Dist::Exp { mean: 4.0 * MS },
            500,
            Vec::new(),
        ),
    ];
    let s = scenario(
        Network {
            latency: Dist::Exp { mean: 1.0 * MS },
            marshal_per_kb_ns: 1.0 * MS,
            cross_zone_latency: Dist::Const(0.0),
            client_latency: Dist::Const(0.0),
        },
        vec![entry("get", 0, 50.0)],
        vec![module("svc", vec![0])],
        vec![DataStore {
            name: "items".into(),
            ops: vec![1],
        }],
        ops,
        vec![Variant {
            name: "v".into(),
            units: vec![unit("svc", vec![0], 2, 1.0, 8)],
            databases: vec![Database {
                name: "db".into(),
                stores: vec![0],
                cores: 2.0,
                max_connections: 10,
                pricing: archsim::scenario::DbPricing::Hourly,
                read_replicas: 0,
                zone: None,
                host: None,
                memory: 0,
                cpu_limit: None,
            }],
            gateway: Some(Gateway {
                overhead: Dist::Const(2.0 * MS),
                product: archsim::scenario::GatewayProduct::AwsHttpApi,
                node: None,
            }),
            module_unit: vec![0],
            store_db: vec![Some(0)],
            account_concurrency: 1000,
            module_team: vec![None; 1],
            queues: Vec::new(),
            load_balancers: Vec::new(),
            caches: Vec::new(),
            cdn: None,
            hosts: Vec::new(),
            zones: Vec::new(),
            transactions: None,
        }],
    );
    let est = estimate(&s, 0);
    assert!(est.warnings.is_empty(), "{:?}", est.warnings);
    assert_eq!(est.nodes.len(), 2);
    let (u, d) = (&est.nodes[0], &est.nodes[1]);
    // Unit: 2 replicas of 1 core, 25/s each, 5 ms (no marshalling: payload 0, db calls none).
    assert_close(u.utilization, 50.0 * 0.005 / 2.0);
    let wu = mmc(25.0, 200.0, 1).unwrap().w;
    assert_close(u.mean_response_s.unwrap(), wu);
    // Database: 50 queries/s of 4 ms on 2 cores (M/M/2), no marshalling despite the payload.
    assert_eq!(d.kind, NodeKind::Database);
    assert_close(d.arrival_rate, 50.0);
    assert_close(d.cpu_demand_s_per_s, 0.2);
    assert_close(d.utilization, 0.1);
    let wd = mmc(50.0, 250.0, 2).unwrap().w;
    assert_close(d.mean_response_s.unwrap(), wd);
    // Gateway overhead + 2 gateway hops + W_unit + 2 db hops + W_db.
    let lat = est.entries[0].mean_latency_s.unwrap();
    assert_close(lat, 0.002 + 2.0 * 0.001 + wu + 2.0 * 0.001 + wd);

    // Undeployed store: warned, not a panic.
    let mut bad = s.clone();
    bad.variants[0].store_db = vec![None];
    let est = estimate(&bad, 0);
    assert!(est.warnings.iter().any(|w| w.contains("items.find")));
}

#[test]
fn serverless_unit_is_infinite_server_at_memory_speed() {
    let mut s = two_unit_chain(true);
    s.variants[0].units[1].platform = Platform::Serverless;
    s.variants[0].units[1].memory = Some(884_500_000); // 884.5 MB ⇒ half a core
    s.workload.entries[0].arrival = Arrival::Poisson { rate: 1000.0 };
    s.variants[0].units[0].cores = 64.0;
    s.variants[0].units[0].workers = 64;
    let est = estimate(&s, 0);
    let b = &est.nodes[1];
    assert_eq!(b.utilization, 0.0);
    assert_close(b.arrival_rate, 400.0);
    assert_close(b.mean_response_s.unwrap(), 0.021 / 0.5);
    assert!(est.warnings.is_empty(), "{:?}", est.warnings);
}

#[test]
fn serverless_function_with_a_tiny_memory_runs_at_the_models_floor_speed() {
    // 10 MB is below 1% of 1,769 MB: the model gives the function its floor speed, 0.01 of a
    // core (`components::function::speed`), and the estimate reads that speed from the compiled
    // instance — not 10/1769 of a core, which no run would use.
    let memory = 10_000_000;
    let mut s = two_unit_chain(true);
    s.variants[0].units[1].platform = Platform::Serverless;
    s.variants[0].units[1].memory = Some(memory);
    s.variants[0].units[0].cores = 64.0;
    s.variants[0].units[0].workers = 64;
    let floor = archsim::components::function::speed(Some(memory));
    assert_eq!(floor, 0.01);
    let m = archsim::model::Model::compile(&s, 0);
    let fb = m.topo.nodes[1].first_station as usize;
    assert_eq!(m.topo.stations[fb].speed, floor);
    let est = estimate(&s, 0);
    let b = &est.nodes[1];
    assert_eq!(b.utilization, 0.0);
    // Each job: 20 ms demand + 1 ms callee marshalling, at speed 0.01.
    assert_close(b.mean_response_s.unwrap(), 0.021 / floor);
    // The caller: M/M/64 at 20/s of 10 ms + 2 ms entry marshalling + 0.4 × 1 ms caller
    // marshalling, slowdown k = W/S; then 0.4 × (two 0.5 ms hops + 1 ms marshalling on each
    // side + the job at the floor speed).
    let sa = 0.0124;
    let ka = mmc(20.0, 1.0 / sa, 64).unwrap().w / sa;
    let kb = 1.0 / floor;
    let want = 0.012 * ka + 0.4 * (0.001 + 0.001 * (ka + kb) + 0.020 * kb);
    assert_close(est.entries[0].mean_latency_s.unwrap(), want);
}
