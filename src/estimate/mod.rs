//! The instant analytic estimate of one scenario variant: arrival rate, utilization and mean
//! response time of every unit and database, and the mean latency of every entry — what
//! `archsim validate` prints and the desktop app paints on the graph while the user edits.
//!
//! # Model
//!
//! The estimate follows the engine's semantics for *mean* quantities:
//!
//! - **Visits.** An entry calls its operation once per arrival. Every step of an operation is
//!   made in order; a call with probability `p` and repeat `count` is made `p·count` times on
//!   average; every branch of a `parallel` group is made. The expected number of invocations
//!   of each operation per entry request ([`expected_visits`]) is propagated in topological
//!   order over the acyclic call graph.
//! - **In-process vs remote.** A call to an operation of a module held by the caller's unit
//!   runs on the same instance (its demand is part of the caller's job, no network, no
//!   marshalling). A call to another unit is a new job there: the caller pays
//!   `marshal_per_kb_ns × payload_kb(callee)` CPU, the callee pays the same plus the callee's
//!   demand, and the call crosses one network hop each way (`network.latency` mean each).
//!   KB = 1000 bytes. The entry operation always pays the callee-side marshalling of its own
//!   payload.
//! - **Front door** (docs/semantics.md §20), in the client's order. Every entry request pays
//!   `network.client_latency` each way, except at the **CDN**: a fraction `hit_ratio` of its
//!   entries' requests costs the edge `latency` only, the rest pay the edge, the client way
//!   and a hop each way on top of what follows. The **gateway** costs its overhead (and auth
//!   CPU, or an auth call) per request and forwards with a hop each way; a gateway **rate
//!   limit** admits at most `rate` requests per second on average (the excess share of every
//!   entry is refused, with a warning); a **route cache** answers its hit share at the gateway,
//!   after the overhead and auth. A **load balancer** in front of the entry's unit adds its
//!   `latency` and a hop each way. A **cache node** answers its hit share of the reads of its
//!   stores (a hop each way and the lookup); a miss goes on to the database. Hit shares are the
//!   fixed `hit_ratio`, or for a TTL cache [`cache_hit_ratio`] at the lookup rate the estimate
//!   computes (Poisson lookups). Shares scale the load of everything behind them.
//! - **Gateway node.** With any node key, the gateway is a station like a unit: `replicas`
//!   instances of min(`cores`, `workers`) servers (`cores` unset = full-speed phases, at most
//!   `workers` at once). One job per admitted request (overhead + auth CPU), plus the CPU of
//!   modules hosted on it (`modules`): an entry reaching a hosted operation runs it in the
//!   route's job with no hop, calls from hosted operations to units are remote (caller-side
//!   marshalling on the gateway), and a unit calling a hosted operation makes a job there.
//! - **Databases.** A data-store operation is a job at the database holding the store: one hop
//!   each way, no marshalling, service demand = the operation's query time.
//! - **Stations.** A unit instance is `cores` shared by processor sharing with at most
//!   `workers` requests in service: modelled as M/M/c with c = min(cores, workers) per instance
//!   at λ/replicas, with S = the mean CPU demand of one job (its own and in-process demand plus
//!   marshalling). For exponential demand and workers ≥ cores this is exact (the number in
//!   system is the same birth–death chain). A database is the same with c = min(cores,
//!   max_connections) and one instance. When c is fractional: for c < 1 an M/G/1-PS server of
//!   speed c (exact for PS); for c > 1 a linear interpolation in c between M/M/⌊c⌋ and M/M/⌈c⌉
//!   at the same utilization (a heuristic, exact at integers). Serverless units are M/G/∞: every
//!   job runs at speed min(1, memory/1769 MB) (1 when memory is unset; MB = 10⁶ bytes), no
//!   waiting, utilization reported as 0.
//! - **Hosts.** The instances of the units placed on a host without `cpu_limit` share its
//!   cores left after the limited instances: one M/M/c station per host with c = those cores,
//!   fed by every shared instance's jobs and demand (an instance carries 1/replicas of its
//!   unit's). For one core this is exact for processor sharing whatever the mix of demands
//!   (each job is stretched by 1/(1 − ρ)); for c cores it is exact with one exponential
//!   demand. Such a unit's jobs take the stretch of its instances' hosts, averaged over its
//!   instances; its utilization is its busy cores over its hosts' cores, as the engine reports
//!   it. An instance with `cpu_limit = L` is a station of L cores of its own. A host's node
//!   counts every instance on it (utilization = all their demand / the host's cores) and has
//!   the mean response of its shared station.
//! - **Utilization** ρ = CPU demand per second / (replicas × cores) for units and the gateway
//!   (0 without `cores`), / cores for databases. A station whose queue would grow without
//!   bound (ρ ≥ 1, or workers / connections saturated) has no mean response (`None`) and
//!   yields a warning; every entry that reaches it has no mean latency.
//! - **Entry latency** = Σ over the work it causes of (CPU demand × the station's stretch factor
//!   W/E\[S\]) + network hops × mean hop latency + the front door's delays, each weighted by
//!   the share of requests that reach it. The stretch factor charges each job its own demand
//!   times the station's mean slowdown: exact for processor sharing and consistent with the
//!   station's mean W (it averages back to W over all jobs).
//!
//! # What the estimate ignores
//!
//! - Service time distributions beyond the mean (stations are M/M/c; heavy tails make the
//!   simulated means larger).
//! - Blocking-io worker holding: a thread held while its request waits downstream reduces the
//!   unit's effective worker count; the estimate only counts CPU time.
//! - Bounded queues (rejections) and the async re-acquisition of a worker after each call.
//! - Fork-join maxima: a `parallel` group costs the **maximum of its branches' mean times**, a
//!   lower bound on the mean of the maximum (E\[max\] ≥ max E).
//! - Timeouts, retries, faults, cold starts, network variance.
//! - Zones (no hop crosses them), load balancers' `capacity`, the gateway's `queue`, the
//!   token bucket's burst, and the per-instance `workers` of instances sharing a host.

mod warnings;
pub use warnings::warnings;

use crate::analytic::queueing;
use crate::components::cache::CacheSpec;
use crate::kernel::dist::Dist;
use crate::scenario::{GatewayNode, OpId, OpOwner, Scenario, Step, Unit, Variant, ON_GATEWAY};
use serde::Serialize;

/// Memory at which a serverless function gets one full core \[MB, 10⁶ bytes\] (AWS Lambda's
/// documented 1769 MB = one vCPU).
pub const SERVERLESS_FULL_CORE_MB: f64 = 1769.0;

/// Nanoseconds per second.
const NS: f64 = 1e9;

/// What kind of node an estimate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A deployable unit (all its replicas together).
    Unit,
    /// A database server.
    Database,
    /// The API gateway when it is a node (`replicas`, `cores`, … or hosted `modules`).
    Gateway,
    /// A host: its utilization counts every instance placed on it; its mean response is that
    /// of the CPU phases sharing its cores (instances without `cpu_limit`).
    Host,
}

/// The estimate of one node (a unit, a database, the gateway or a host).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct NodeEstimate {
    /// The node's name (`gateway` for the gateway).
    pub name: String,
    /// Unit or database.
    pub kind: NodeKind,
    /// Jobs arriving at the node, all replicas together \[invocations/s\]: entry arrivals and
    /// remote calls for a unit, queries for a database.
    pub arrival_rate: f64,
    /// Utilization ρ = CPU demand per second / total cores (dimensionless; ≥ 1 means overload;
    /// 0 for serverless units).
    pub utilization: f64,
    /// Mean response time of one job at the node \[s\] (queueing + service, not counting time
    /// waiting on downstream calls). `None` when the node is unstable or receives no traffic.
    pub mean_response_s: Option<f64>,
    /// CPU (or query) time consumed per second of wall time, all replicas together \[s/s\].
    pub cpu_demand_s_per_s: f64,
}

/// The estimate of one entry.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EntryEstimate {
    /// The entry's name.
    pub name: String,
    /// Mean end-to-end latency of one request \[s\]; `None` when the request reaches an unstable
    /// node.
    pub mean_latency_s: Option<f64>,
}

/// The instant estimate of one variant.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct VariantEstimate {
    /// The variant's name.
    pub variant: String,
    /// Units in [`Variant::units`] order, then databases in [`Variant::databases`] order, then
    /// the gateway when it is a node, then hosts in [`Variant::hosts`] order.
    pub nodes: Vec<NodeEstimate>,
    /// Entries in [`crate::scenario::Workload::entries`] order.
    pub entries: Vec<EntryEstimate>,
    /// Human-readable warnings (overloaded nodes, saturated worker pools, undeployed stores).
    pub warnings: Vec<String>,
}

/// Expected number of invocations of every operation (indexed by [`OpId`]) per call of
/// `root`: `root` itself counts 1, a call with probability `p` and repeat `count` contributes
/// `p·count` per invocation of its caller, every `parallel` branch is made. Independent of the
/// variant. A (validation-rejected) call cycle is cut at its back edge.
///
/// # Complexity
/// O(V + E) over the operations and calls reachable from `root`.
pub fn expected_visits(s: &Scenario, root: OpId) -> Vec<f64> {
    let mut visits = vec![0.0; s.ops.len()];
    if root >= s.ops.len() {
        return visits;
    }
    let order = topo_order(s, root);
    let mut pos = vec![usize::MAX; s.ops.len()];
    for (i, &o) in order.iter().enumerate() {
        pos[o] = i;
    }
    visits[root] = 1.0;
    for &a in &order {
        let va = visits[a];
        if va == 0.0 {
            continue;
        }
        for c in calls(&s.ops[a].steps) {
            // Every reachable op is in `order`; an edge going backwards closes a cycle.
            if c.op < visits.len() && pos[c.op] > pos[a] {
                visits[c.op] += va * c.p * f64::from(c.count);
            }
        }
    }
    visits
}

/// Every call of a step list, parallel branches flattened.
fn calls(steps: &[Step]) -> impl Iterator<Item = &crate::scenario::Call> {
    steps.iter().flat_map(|st| {
        let (calls, saga): (&[crate::scenario::Call], &[crate::scenario::SagaStep]) = match st {
            Step::Call(c) => (std::slice::from_ref(c), &[]),
            Step::Parallel(v) => (v, &[]),
            // Forward steps only: compensations run on failures, which the estimate ignores.
            Step::Saga(v) => (&[], v),
        };
        calls.iter().chain(saga.iter().map(|x| &x.call))
    })
}

/// Reverse post-order of the operations reachable from `root` (a topological order of the
/// acyclic call graph). Iterative DFS, O(V + E).
fn topo_order(s: &Scenario, root: OpId) -> Vec<OpId> {
    let n = s.ops.len();
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut post = Vec::new();
    let mut stack: Vec<(OpId, Vec<OpId>)> = Vec::new();
    let children = |o: OpId| -> Vec<OpId> {
        calls(&s.ops[o].steps)
            .map(|c| c.op)
            .filter(|&b| b < n)
            .collect::<Vec<_>>()
    };
    state[root] = 1;
    let mut ch = children(root);
    ch.reverse();
    stack.push((root, ch));
    while let Some((node, pending)) = stack.last_mut() {
        if let Some(next) = pending.pop() {
            if state[next] == 0 {
                state[next] = 1;
                let mut ch = children(next);
                ch.reverse();
                stack.push((next, ch));
            }
        } else {
            state[*node] = 2;
            post.push(*node);
            stack.pop();
        }
    }
    post.reverse();
    post
}

/// Where an operation runs in a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Station {
    Unit(usize),
    Db(usize),
    /// A module hosted on the gateway: its CPU is counted as a pure delay (the estimate does
    /// not model the gateway's capacity).
    Gateway,
}

fn station_of(s: &Scenario, v: &Variant, op: OpId) -> Option<Station> {
    match s.ops.get(op)?.owner {
        OpOwner::Module(m) => v.module_unit.get(m).copied().map(|u| {
            if u == ON_GATEWAY {
                Station::Gateway
            } else {
                Station::Unit(u)
            }
        }),
        OpOwner::Store(st) => v.store_db.get(st).copied().flatten().map(Station::Db),
    }
}

/// Marshalling CPU of one side of a remote call to `op` \[s\].
fn marshal_s(s: &Scenario, op: OpId) -> f64 {
    s.network.marshal_per_kb_ns * (s.ops[op].payload as f64 / 1000.0) / NS
}

fn mean_s(d: &Dist) -> f64 {
    d.mean() / NS
}

/// Mean response \[s\] of an M/M/c-like station with per-instance arrival rate `lambda` \[1/s\],
/// mean job demand `s` \[s\] and `c` (possibly fractional) cores; `None` when unstable.
fn station_response(lambda: f64, s: f64, c: f64) -> Option<f64> {
    if s == 0.0 {
        return Some(0.0);
    }
    if !(s.is_finite() && lambda.is_finite() && c > 0.0) {
        return None;
    }
    if c < 1.0 {
        return queueing::mg1_ps(lambda, s / c).ok().map(|m| m.w);
    }
    let lo = c.floor();
    if c - lo < 1e-9 {
        return queueing::mmc(lambda, 1.0 / s, lo as u32).ok().map(|m| m.w);
    }
    // Fractional c > 1: interpolate between ⌊c⌋ and ⌈c⌉ servers at the same utilization.
    let rho = lambda * s / c;
    let hi = lo + 1.0;
    let w_lo = queueing::mmc(rho * lo / s, 1.0 / s, lo as u32).ok()?.w;
    let w_hi = queueing::mmc(rho * hi / s, 1.0 / s, hi as u32).ok()?.w;
    Some(w_lo + (c - lo) * (w_hi - w_lo))
}

/// Per-station result used for latencies.
struct StationState {
    /// Slowdown W/E\[S\] of a job at the station; `None` when unstable.
    stretch: Option<f64>,
}

/// Instant analytic estimate of variant `variant` of `s`. An out-of-range variant index gives
/// an empty estimate with a warning.
///
/// # Complexity
/// O(entries × (ops + calls) + Σ servers) — a few microseconds for typical scenarios, cheap
/// enough to run on every edit.
pub fn estimate(s: &Scenario, variant: usize) -> VariantEstimate {
    let Some(v) = s.variants.get(variant) else {
        return VariantEstimate {
            variant: String::new(),
            nodes: Vec::new(),
            entries: Vec::new(),
            warnings: vec![format!(
                "variant index {variant} out of range: the scenario has {} variants",
                s.variants.len()
            )],
        };
    };
    let n_units = v.units.len();
    let n_st = n_units + v.databases.len();
    // The gateway's slot (last): its routes' CPU and its hosted modules' load.
    let gw = n_st;
    let idx = |st: Station| match st {
        Station::Unit(u) => u,
        Station::Db(d) => n_units + d,
        Station::Gateway => gw,
    };
    let mut warnings = Vec::new();
    let mut undeployed_warned = vec![false; s.ops.len()];
    let front = FrontDoor::new(s, v, &mut warnings);

    // Jobs per second and CPU seconds per second at every station.
    let mut lambda = vec![0.0; n_st + 1];
    let mut demand = vec![0.0; n_st + 1];
    // Every request admitted by the gateway node is a job there: its route's overhead and
    // auth CPU (a route cache hit still pays them).
    if let Some(gn) = front.node {
        let admitted: f64 = front.admitted.iter().sum();
        lambda[gw] += admitted;
        demand[gw] += admitted * (front.overhead + gn.auth_cpu.as_ref().map_or(0.0, mean_s));
    }
    for flow in &front.flows {
        let rate = flow.rate;
        if rate == 0.0 {
            continue;
        }
        match station_of(s, v, flow.root) {
            // An operation hosted on the gateway runs in the route's job: no new job.
            Some(Station::Gateway) | None => {}
            Some(st @ Station::Unit(_)) => {
                // A job at the unit; it pays callee-side marshalling, and an auth call pays
                // the caller side on the gateway.
                let m = marshal_s(s, flow.root);
                lambda[idx(st)] += rate;
                demand[idx(st)] += rate * m;
                if flow.auth {
                    demand[gw] += rate * m;
                }
            }
            Some(st @ Station::Db(_)) => lambda[idx(st)] += rate,
        }
        for (a, &va) in flow.visits.iter().enumerate() {
            // Reads answered by a cache node never reach the database.
            let va = va * front.miss[a];
            if va == 0.0 {
                continue;
            }
            let Some(st_a) = station_of(s, v, a) else {
                if !undeployed_warned[a] {
                    undeployed_warned[a] = true;
                    warnings.push(format!(
                        "operation `{}` is called but its data store is not deployed in \
                         variant `{}` — ignored by the estimate",
                        s.ops[a].name, v.name
                    ));
                }
                continue;
            };
            demand[idx(st_a)] += rate * va * mean_s(&s.ops[a].demand);
            for c in calls(&s.ops[a].steps) {
                let n = rate * va * c.p * f64::from(c.count);
                if n == 0.0 {
                    continue;
                }
                match station_of(s, v, c.op) {
                    Some(st_b @ Station::Db(_)) => lambda[idx(st_b)] += n * front.miss[c.op],
                    Some(st_b @ (Station::Unit(_) | Station::Gateway)) if st_b != st_a => {
                        let m = marshal_s(s, c.op);
                        lambda[idx(st_b)] += n;
                        demand[idx(st_b)] += n * m;
                        demand[idx(st_a)] += n * m;
                    }
                    _ => {}
                }
            }
        }
    }

    // Station metrics.
    let mut nodes = Vec::with_capacity(n_st + 1);
    let mut stations = Vec::with_capacity(n_st + 1);
    let hosts = host_estimates(v, &lambda, &demand, &mut warnings);
    for (u, unit) in v.units.iter().enumerate() {
        let (node, state) = unit_estimate(v, unit, &hosts, lambda[u], demand[u], &mut warnings);
        nodes.push(node);
        stations.push(state);
    }
    for (d, db) in v.databases.iter().enumerate() {
        let i = n_units + d;
        let c = db.cores.min(f64::from(db.max_connections));
        let (node, state) = queued_station(
            &db.name,
            NodeKind::Database,
            "database",
            StationShape {
                instances: 1,
                cores: db.cores,
                c,
                limit_name: "connections",
                limit: db.max_connections,
                queue: None,
            },
            lambda[i],
            demand[i],
            &mut warnings,
        );
        nodes.push(node);
        stations.push(state);
    }
    match front.node {
        Some(gn) => {
            // Without `cores` the CPU phases run at full speed, at most `workers` at once.
            let (node, state) = queued_station(
                "gateway",
                NodeKind::Gateway,
                "gateway",
                StationShape {
                    instances: gn.replicas.max(1),
                    cores: gn.cores,
                    c: gn.cores.min(f64::from(gn.workers)),
                    limit_name: "workers",
                    limit: gn.workers,
                    queue: gn.queue,
                },
                lambda[gw],
                demand[gw],
                &mut warnings,
            );
            nodes.push(node);
            stations.push(state);
        }
        // The plain gateway: its overhead is a pure delay.
        None => stations.push(StationState { stretch: Some(1.0) }),
    }
    nodes.extend(hosts.into_iter().map(|(node, _)| node));

    // Entry latencies.
    let hop = mean_s(&s.network.latency);
    let mut lat = Latency {
        s,
        v,
        hop,
        stations: &stations,
        n_units,
        memo: vec![Memo::New; s.ops.len()],
        miss: &front.miss,
        lookup: &front.lookup,
    };
    let entries = s
        .workload
        .entries
        .iter()
        .enumerate()
        .map(|(e, entry)| EntryEstimate {
            name: entry.name.clone(),
            mean_latency_s: lat
                .entry_time(&front, e, entry.op)
                .filter(|x| x.is_finite()),
        })
        .collect();

    VariantEstimate {
        variant: v.name.clone(),
        nodes,
        entries,
        warnings,
    }
}

/// Mean hit ratio of a cache looked up `rate` times per second (Poisson): the fixed ratio, or
/// for a TTL cache Σₖ pₖ·λpₖT/(1 + λpₖT) over the keys' popularity pₖ — exact for Poisson
/// lookups, since each key alternates one miss (which fills it) and the hits within T.
///
/// # Complexity
/// O(keys) for a Zipf TTL cache, O(1) otherwise.
pub fn cache_hit_ratio(spec: &CacheSpec, rate: f64) -> f64 {
    match *spec {
        CacheSpec::Ratio(h) => h,
        CacheSpec::Ttl { ttl, keys, zipf } => {
            let lt = rate * ttl as f64 / NS;
            if !(lt > 0.0 && keys > 0) {
                return 0.0;
            }
            // A key read with probability p hits p·λT/(1 + p·λT) of all lookups.
            let hit = |p: f64| p * (lt * p) / (1.0 + lt * p);
            match zipf {
                None => hit(1.0 / f64::from(keys)) * f64::from(keys),
                Some(_) => spec.zipf_probabilities().into_iter().map(hit).sum(),
            }
        }
    }
}

/// Requests per second of one root operation: an entry's (the requests forwarded to it) or
/// the gateway's auth operation (one call per admitted request).
struct Flow {
    rate: f64,
    root: OpId,
    /// The gateway's auth call (the gateway pays caller-side marshalling).
    auth: bool,
    /// Expected invocations of every operation per call of `root`.
    visits: Vec<f64>,
}

/// What the front door does to mean load and latency (docs/semantics.md §20): the CDN answers
/// its hits at the edge, the rate limit refuses the excess, a route cache answers at the
/// gateway, a cache node answers reads before the database.
struct FrontDoor<'a> {
    /// The gateway when it is a node.
    node: Option<&'a GatewayNode>,
    /// Mean gateway overhead \[s\] (0 without a gateway).
    overhead: f64,
    /// Per entry: the CDN's hit ratio when it serves the entry.
    cdn_hit: Vec<Option<f64>>,
    /// Per entry: requests per second past the CDN and the rate limit.
    admitted: Vec<f64>,
    /// Per entry: the gateway route cache's hit ratio (0 without one).
    route_hit: Vec<f64>,
    /// Per operation: the fraction of its calls that reach its station (1 − the cache node's
    /// hit ratio for reads of a cached store, 1 otherwise).
    miss: Vec<f64>,
    /// Per operation: the cache node's lookup time \[s\] for reads of a cached store.
    lookup: Vec<Option<f64>>,
    /// Every root of work, with its rate.
    flows: Vec<Flow>,
}

impl<'a> FrontDoor<'a> {
    fn new(s: &Scenario, v: &'a Variant, warnings: &mut Vec<String>) -> FrontDoor<'a> {
        let n = s.workload.entries.len();
        let node = v.gateway.as_ref().and_then(|g| g.node.as_ref());
        let mut cdn_hit = vec![None; n];
        if let Some(cdn) = &v.cdn {
            for &e in cdn.entries.iter().filter(|&&e| e < n) {
                cdn_hit[e] = Some(cdn.hit_ratio);
            }
        }
        let mut admitted: Vec<f64> = s
            .workload
            .entries
            .iter()
            .zip(&cdn_hit)
            .map(|(e, h)| e.arrival.rate() * (1.0 - h.unwrap_or(0.0)))
            .collect();
        if let Some(r) = node.and_then(|g| g.rate_limit) {
            let total: f64 = admitted.iter().sum();
            if total > r.rate {
                let share = r.rate / total;
                warnings.push(format!(
                    "gateway: {total:.1} requests/s arrive on average but its rate limit admits \
                     {:.1}/s — about {:.1}% fail `rate_limited` (429)",
                    r.rate,
                    100.0 * (1.0 - share)
                ));
                admitted.iter_mut().for_each(|a| *a *= share);
            }
        }
        let route_hit: Vec<f64> = (0..n)
            .map(|e| {
                node.and_then(|g| g.route_cache.get(e).cloned().flatten())
                    .map_or(0.0, |c| cache_hit_ratio(&c, admitted[e]))
            })
            .collect();
        let mut flows: Vec<Flow> = s
            .workload
            .entries
            .iter()
            .enumerate()
            .map(|(e, entry)| Flow {
                rate: admitted[e] * (1.0 - route_hit[e]),
                root: entry.op,
                auth: false,
                visits: expected_visits(s, entry.op),
            })
            .collect();
        if let Some(op) = node.and_then(|g| g.auth_op) {
            flows.push(Flow {
                rate: admitted.iter().sum(),
                root: op,
                auth: true,
                visits: expected_visits(s, op),
            });
        }
        // Cache nodes: the lookups of every read of a cached store, then the hit ratio at
        // that rate (the first cache listing a store answers for it, as in the engine).
        let mut miss = vec![1.0; s.ops.len()];
        let mut lookup = vec![None; s.ops.len()];
        if !v.caches.is_empty() {
            let cache_of: Vec<Option<usize>> = s
                .ops
                .iter()
                .map(|op| match op.owner {
                    OpOwner::Store(st) if !op.write => {
                        v.caches.iter().position(|c| c.stores.contains(&st))
                    }
                    _ => None,
                })
                .collect();
            let mut lookups = vec![0.0; v.caches.len()];
            for f in &flows {
                for (o, &vo) in f.visits.iter().enumerate() {
                    if let Some(c) = cache_of[o] {
                        lookups[c] += f.rate * vo;
                    }
                }
            }
            let hit: Vec<f64> = v
                .caches
                .iter()
                .zip(&lookups)
                .map(|(c, &l)| cache_hit_ratio(&c.spec, l))
                .collect();
            for (o, c) in cache_of.iter().enumerate() {
                if let Some(c) = *c {
                    miss[o] = 1.0 - hit[c];
                    lookup[o] = Some(mean_s(&v.caches[c].latency));
                }
            }
        }
        FrontDoor {
            node,
            overhead: v.gateway.as_ref().map_or(0.0, |g| mean_s(&g.overhead)),
            cdn_hit,
            admitted,
            route_hit,
            miss,
            lookup,
            flows,
        }
    }
}

/// Capacity description of a queued station.
struct StationShape {
    /// Instances sharing the load evenly.
    instances: u32,
    /// Cores per instance.
    cores: f64,
    /// Effective servers per instance, min(cores, limit).
    c: f64,
    /// Name of the concurrency limit for messages ("workers", "connections").
    limit_name: &'static str,
    /// Concurrency limit per instance.
    limit: u32,
    /// Waiting room per instance, if bounded.
    queue: Option<u32>,
}

/// Every host of `v` (docs/semantics.md §4): the CPU phases of the instances placed on it
/// without `cpu_limit` are one M/M/c station on the cores left after the limited instances,
/// with their jobs and demand together (each instance takes its unit's share, 1/replicas).
/// The node's utilization counts every instance on the host over all its cores.
fn host_estimates(
    v: &Variant,
    lambda: &[f64],
    demand: &[f64],
    warnings: &mut Vec<String>,
) -> Vec<(NodeEstimate, StationState)> {
    let n = v.hosts.len();
    // Per host: all jobs, and the shared instances' jobs and demand, the limited ones' cores
    // and demand.
    let (mut jobs, mut shared_jobs, mut shared) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let (mut limited, mut limited_demand) = (vec![0.0; n], vec![0.0; n]);
    for (u, unit) in v.units.iter().enumerate() {
        let on = &unit.placement.hosts;
        if on.is_empty() || unit.platform == crate::scenario::Platform::Serverless {
            continue;
        }
        let r = unit.replicas.max(1);
        let (l, d) = (lambda[u] / f64::from(r), demand[u] / f64::from(r));
        for i in 0..r as usize {
            let h = on[i % on.len()];
            jobs[h] += l;
            match unit.placement.cpu_limit {
                Some(c) => {
                    limited[h] += c;
                    limited_demand[h] += d;
                }
                None => {
                    shared_jobs[h] += l;
                    shared[h] += d;
                }
            }
        }
    }
    v.hosts
        .iter()
        .enumerate()
        .map(|(h, host)| {
            let c = (host.cores - limited[h]).max(0.0);
            let (mut node, state) = if c > 0.0 {
                queued_station(
                    &host.name,
                    NodeKind::Host,
                    "host",
                    // No concurrency limit beyond the cores (workers stay per instance and are
                    // ignored here), so only the utilization warning can fire.
                    StationShape {
                        instances: 1,
                        cores: c,
                        c,
                        limit_name: "cores",
                        limit: c.ceil() as u32,
                        queue: None,
                    },
                    shared_jobs[h],
                    shared[h],
                    warnings,
                )
            } else {
                // Every core is reserved by limits: nothing shares the host.
                (
                    NodeEstimate {
                        name: host.name.clone(),
                        kind: NodeKind::Host,
                        arrival_rate: 0.0,
                        utilization: 0.0,
                        mean_response_s: None,
                        cpu_demand_s_per_s: 0.0,
                    },
                    StationState { stretch: None },
                )
            };
            let busy = shared[h] + limited_demand[h];
            node.arrival_rate = jobs[h];
            node.cpu_demand_s_per_s = busy;
            node.utilization = busy / host.cores;
            (node, state)
        })
        .collect()
}

fn unit_estimate(
    v: &Variant,
    unit: &Unit,
    hosts: &[(NodeEstimate, StationState)],
    lambda: f64,
    demand: f64,
    warnings: &mut Vec<String>,
) -> (NodeEstimate, StationState) {
    let pl = &unit.placement;
    let serverless = unit.platform == crate::scenario::Platform::Serverless;
    if !serverless && !pl.hosts.is_empty() && pl.cpu_limit.is_none() {
        // Instances sharing their hosts' cores: each job is slowed by its host's stretch
        // (instances are balanced evenly); utilization is the unit's busy cores over its
        // hosts' cores, as the engine reports it.
        let r = unit.replicas.max(1) as usize;
        let on = |i: usize| pl.hosts[i % pl.hosts.len()];
        let stretch = (0..r)
            .map(|i| hosts.get(on(i)).and_then(|(_, st)| st.stretch))
            .sum::<Option<f64>>()
            .map(|k| k / r as f64);
        let cores: f64 = (0..r).map(|i| v.hosts[on(i)].cores).sum();
        let response = if lambda > 0.0 {
            stretch.map(|k| demand / lambda * k)
        } else {
            None
        };
        return (
            NodeEstimate {
                name: unit.name.clone(),
                kind: NodeKind::Unit,
                arrival_rate: lambda,
                utilization: demand / cores,
                mean_response_s: response,
                cpu_demand_s_per_s: demand,
            },
            StationState { stretch },
        );
    }
    // A `cpu_limit` gives each instance that many cores of its own.
    let cores = pl.cpu_limit.unwrap_or(unit.cores);
    if serverless {
        let speed = unit
            .memory
            .map_or(1.0, |b| (b as f64 / 1e6 / SERVERLESS_FULL_CORE_MB).min(1.0));
        let speed = if speed > 0.0 {
            speed
        } else {
            f64::MIN_POSITIVE
        };
        let response = (lambda > 0.0).then(|| demand / lambda / speed);
        return (
            NodeEstimate {
                name: unit.name.clone(),
                kind: NodeKind::Unit,
                arrival_rate: lambda,
                utilization: 0.0,
                mean_response_s: response.filter(|x| x.is_finite()),
                cpu_demand_s_per_s: demand,
            },
            StationState {
                stretch: Some(1.0 / speed),
            },
        );
    }
    queued_station(
        &unit.name,
        NodeKind::Unit,
        "unit",
        StationShape {
            instances: unit.replicas.max(1),
            cores,
            c: cores.min(f64::from(unit.workers)),
            limit_name: "workers",
            limit: unit.workers,
            queue: unit.queue,
        },
        lambda,
        demand,
        warnings,
    )
}

#[allow(clippy::too_many_arguments)]
fn queued_station(
    name: &str,
    kind: NodeKind,
    label: &str,
    shape: StationShape,
    lambda: f64,
    demand: f64,
    warnings: &mut Vec<String>,
) -> (NodeEstimate, StationState) {
    let inst = f64::from(shape.instances);
    let utilization = demand / (inst * shape.cores);
    let consequence = match shape.queue {
        Some(q) => format!("requests will be rejected once its queue ({q} per instance) is full"),
        None => "the queue grows without bound".to_string(),
    };
    let mut stretch = None;
    let mut response = None;
    if lambda > 0.0 {
        let s = demand / lambda;
        let load = demand / (inst * shape.c);
        if utilization >= 1.0 || utilization.is_nan() {
            warnings.push(format!(
                "{label} `{name}`: utilization {utilization:.2} ≥ 1 — {consequence}"
            ));
        } else if load >= 1.0 || load.is_nan() {
            warnings.push(format!(
                "{label} `{name}`: its {} {} per instance are saturated (load {load:.2} ≥ 1) — \
                 {consequence}",
                shape.limit, shape.limit_name
            ));
        } else if let Some(w) = station_response(lambda / inst, s, shape.c) {
            response = Some(w);
            stretch = Some(if s > 0.0 { w / s } else { 1.0 });
        }
    } else {
        // No traffic: the no-load slowdown (a lone job runs at speed min(1, c)).
        stretch = Some(1.0 / shape.c.min(1.0));
    }
    (
        NodeEstimate {
            name: name.to_string(),
            kind,
            arrival_rate: lambda,
            utilization: if utilization.is_finite() {
                utilization
            } else {
                f64::MAX
            },
            mean_response_s: response,
            cpu_demand_s_per_s: demand,
        },
        StationState { stretch },
    )
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Memo {
    New,
    InProgress,
    Done(Option<f64>),
}

/// Memoized mean time of one invocation of an operation, including everything it calls.
struct Latency<'a> {
    s: &'a Scenario,
    v: &'a Variant,
    hop: f64,
    /// Units, databases, then the gateway (last; stretch 1 for the plain gateway).
    stations: &'a [StationState],
    n_units: usize,
    memo: Vec<Memo>,
    /// Per operation: the fraction of its calls a cache node does not answer.
    miss: &'a [f64],
    /// Per operation: the cache node's lookup time \[s\] for reads of a cached store.
    lookup: &'a [Option<f64>],
}

impl Latency<'_> {
    fn stretch(&self, st: Station) -> Option<f64> {
        let i = match st {
            Station::Unit(u) => u,
            Station::Db(d) => self.n_units + d,
            Station::Gateway => return self.stations.last().and_then(|x| x.stretch),
        };
        self.stations.get(i).and_then(|x| x.stretch)
    }

    /// Mean time \[s\] of one invocation of `op`: its demand times its station's stretch, plus
    /// every step. `None` if it reaches an unstable station. Recursion depth = call depth.
    fn op_time(&mut self, op: OpId) -> Option<f64> {
        match self.memo.get(op) {
            None | Some(Memo::InProgress) => return Some(0.0),
            Some(Memo::Done(t)) => return *t,
            Some(Memo::New) => {}
        }
        self.memo[op] = Memo::InProgress;
        let t = self.compute(op);
        self.memo[op] = Memo::Done(t);
        t
    }

    fn compute(&mut self, op: OpId) -> Option<f64> {
        let s = self.s;
        let Some(st) = station_of(s, self.v, op) else {
            return Some(0.0); // undeployed store: warned about, ignored
        };
        let mut t = mean_s(&s.ops[op].demand) * self.stretch(st)?;
        for step in &s.ops[op].steps {
            match step {
                Step::Call(c) => t += self.call_time(st, c)?,
                Step::Parallel(branches) => {
                    let mut m: f64 = 0.0;
                    for c in branches {
                        m = m.max(self.call_time(st, c)?);
                    }
                    t += m;
                }
                Step::Saga(steps) => {
                    for x in steps {
                        t += self.call_time(st, &x.call)?;
                    }
                }
            }
        }
        Some(t)
    }

    /// Mean time of a call step (all `count` repetitions, weighted by `p`) from an operation
    /// running at `from`.
    fn call_time(&mut self, from: Station, c: &crate::scenario::Call) -> Option<f64> {
        let w = c.p * f64::from(c.count);
        if w == 0.0 {
            return Some(0.0);
        }
        if let Some(q) = c.publish {
            // Asynchronous: the caller waits for the publish only; the consumer's load is
            // counted by the visits.
            return Some(
                w * self
                    .v
                    .queues
                    .get(q)
                    .map_or(0.0, |q| mean_s(&q.publish_latency)),
            );
        }
        Some(w * self.one_call(from, c.op)?)
    }

    /// Mean time of one synchronous call to `op` from an operation running at `from`.
    fn one_call(&mut self, from: Station, op: OpId) -> Option<f64> {
        let s = self.s;
        Some(match station_of(s, self.v, op) {
            None => 0.0,
            Some(Station::Db(_)) => match self.lookup.get(op).copied().flatten() {
                // A cached read: a hop each way to the cache node and its lookup; a miss goes
                // on to the database with a hop each way.
                Some(l) => {
                    let m = self.miss[op];
                    2.0 * self.hop + l + m * (2.0 * self.hop + self.op_time(op)?)
                }
                None => 2.0 * self.hop + self.op_time(op)?,
            },
            Some(to) if to == from => self.op_time(op)?,
            Some(to) => {
                let m = marshal_s(s, op);
                2.0 * self.hop + m * (self.stretch(from)? + self.stretch(to)?) + self.op_time(op)?
            }
        })
    }

    /// Mean end-to-end time of entry `e`'s request from the client, through the front door's
    /// chain (CDN → gateway → load balancer → unit; docs/semantics.md §20). `None` if the
    /// request reaches an unstable station.
    fn entry_time(&mut self, front: &FrontDoor<'_>, e: usize, op: OpId) -> Option<f64> {
        let (s, v, hop) = (self.s, self.v, self.hop);
        let st = station_of(s, v, op);
        let mut t = self.op_time(op)?;
        if let Some(u @ Station::Unit(ui)) = st {
            // The unit pays callee-side marshalling of the entry's payload.
            t += marshal_s(s, op) * self.stretch(u)?;
            // An explicit load balancer in front of the unit: its delay and a hop each way.
            if let Some(lb) = v.load_balancers.iter().find(|lb| lb.units.contains(&ui)) {
                t += mean_s(&lb.latency) + 2.0 * hop;
            }
        }
        if let Some(g) = &v.gateway {
            let k = self.stretch(Station::Gateway)?;
            let mut route = front.overhead * k;
            if let Some(gn) = &g.node {
                route += gn.auth_cpu.as_ref().map_or(0.0, mean_s) * k;
                if let Some(a) = gn.auth_op {
                    route += self.one_call(Station::Gateway, a)?;
                }
            }
            // The forward: none for an operation the gateway hosts; a route cache hit
            // answers at the gateway.
            let forward = if st == Some(Station::Gateway) {
                0.0
            } else {
                2.0 * hop
            };
            t = route + (1.0 - front.route_hit[e]) * (forward + t);
        }
        let client = 2.0 * mean_s(&s.network.client_latency);
        Some(match (front.cdn_hit[e], &v.cdn) {
            // The edge answers a hit; a miss travels to the origin and back.
            (Some(h), Some(cdn)) => mean_s(&cdn.latency) + (1.0 - h) * (client + 2.0 * hop + t),
            _ => client + t,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn station_response_cases() {
        // Integral: M/M/3.
        let w = station_response(2.4, 1.0, 3.0).unwrap();
        assert!((w - queueing::mmc(2.4, 1.0, 3).unwrap().w).abs() < 1e-12);
        // Fractional below one: PS at speed c. λ = 1, S = 0.25, c = 0.5 ⇒ S/c = 0.5, ρ = 0.5.
        let w = station_response(1.0, 0.25, 0.5).unwrap();
        assert!((w - 1.0).abs() < 1e-12);
        // Fractional above one: between the neighbours at the same ρ.
        let w = station_response(1.5 * 0.8, 1.0, 1.5).unwrap();
        let w1 = queueing::mmc(0.8, 1.0, 1).unwrap().w;
        let w2 = queueing::mmc(1.6, 1.0, 2).unwrap().w;
        assert!(w < w1 && w > w2);
        // Unstable and zero demand.
        assert!(station_response(3.0, 1.0, 3.0).is_none());
        assert_eq!(station_response(3.0, 0.0, 3.0), Some(0.0));
    }
}
