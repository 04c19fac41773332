//! The runtime model compiled from one variant of a scenario: nodes (units, databases), their
//! instances (stations), and per-operation call plans with every call already classified as
//! in-process, remote or database.
//!
//! Compiling once per variant keeps name lookups and mapping decisions off the hot path: the
//! engine only follows indices.

use crate::components::faults::{FaultKind, FaultPlan, FaultTarget};
use crate::components::function::FunctionPlan;
use crate::components::policy::CallPolicy;
use crate::components::retry::RetryPolicy;
use crate::kernel::dist::Dist;
mod front;

use crate::components::lb::LbAlgorithm;
use crate::scenario::{
    Arrival, DbPricing, GatewayApi, Io, OpOwner, Platform, Scenario, Step, Variant, ON_GATEWAY,
};

/// [`Node::function`] of a node that is not a serverless function.
pub const NO_FUNCTION: u32 = u32::MAX;

/// [`StationSpec::host`] of an instance with cores of its own.
pub const NO_HOST: u32 = u32::MAX;

/// [`StationSpec::zone`] of an instance in no zone.
pub const NO_ZONE: u32 = u32::MAX;

/// One host of the variant: the instances placed on it without a `cpu_limit` share its cores
/// left after the limited ones, as one processor-sharing station.
#[derive(Debug, Clone)]
pub struct HostPlan {
    /// Name.
    pub name: String,
    /// Cores of the machine.
    pub cores: f64,
    /// Cores shared by the instances without a limit (`cores` − Σ `cpu_limit`).
    pub shared_cores: f64,
    /// Memory \[bytes\], if given.
    pub memory: Option<u64>,
    /// The instances (stations) sharing `shared_cores`.
    pub shared: Vec<u32>,
    /// Every instance (station) on the host.
    pub stations: Vec<u32>,
}

/// What kind of node a [`Node`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A deployable unit (its instances run module operations).
    Unit,
    /// A database server (runs data-store queries).
    Database,
    /// The API gateway as a node (`gateway` with instances).
    Gateway,
    /// An explicit load balancer.
    LoadBalancer,
    /// A cache node in front of data-store reads.
    Cache,
    /// The CDN.
    Cdn,
}

impl NodeKind {
    /// The kind's name in results.
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Unit => "unit",
            NodeKind::Database => "database",
            NodeKind::Gateway => "gateway",
            NodeKind::LoadBalancer => "load_balancer",
            NodeKind::Cache => "cache",
            NodeKind::Cdn => "cdn",
        }
    }
}

/// A node of the deployed system: a unit or a database, with one or more instances.
#[derive(Debug, Clone)]
pub struct Node {
    /// Name (unique within the variant and kind).
    pub name: String,
    /// Unit or database.
    pub kind: NodeKind,
    /// Index of its first instance in [`Model::stations`].
    pub first_station: u32,
    /// Number of instances (≥ 1).
    pub instances: u32,
    /// Load balancing across instances.
    pub lb: LbAlgorithm,
    /// Whether instances are serverless (one instance per request).
    pub serverless: bool,
    /// Memory provisioned per instance \[bytes\] (0 for serverless: billed per use).
    pub memory_per_instance: u64,
    /// Cores per instance (∞ for serverless).
    pub cores: f64,
    /// Platform of a unit (`Vm` for databases).
    pub platform: Platform,
    /// Index in [`Model::functions`] of a serverless unit, [`NO_FUNCTION`] otherwise.
    pub function: u32,
    /// Database priced per request: its queries are counted as reads and writes.
    pub request_priced: bool,
    /// The engine calls this node's delivery hooks (a function, or a request-priced database):
    /// one flag so that other nodes pay a single test.
    pub hooked: bool,
    /// A database's read replicas: its instances are the primary (first) and the replicas.
    pub read_replicas: u32,
    /// A unit placed on hosts: priced through its hosts, not per instance.
    pub hosted: bool,
    /// Index in [`Model::autoscalers`] of an autoscaled unit, [`NO_AUTOSCALE`] otherwise.
    /// `instances` is then the unit's `max` (allocated up front).
    pub autoscale: u32,
    /// Kubernetes: delay between the end of a crash and the instance's restart \[ns\] (0: back
    /// at once).
    pub restart_delay: u64,
}

/// [`Node::autoscale`] of a node without autoscaling.
pub const NO_AUTOSCALE: u32 = u32::MAX;

/// The autoscaling of one unit.
#[derive(Debug, Clone)]
pub struct AutoscalePlan {
    /// The unit's node index.
    pub node: u32,
    /// Instances ready at the start.
    pub initial: u32,
    /// The policy.
    pub spec: crate::components::autoscaler::Autoscale,
}

/// Static description of one instance (a processor-sharing station with a worker pool).
#[derive(Debug, Clone, Copy)]
pub struct StationSpec {
    /// Node this instance belongs to.
    pub node: u32,
    /// Cores shared by processor sharing (may be fractional; ∞ = every job at full speed).
    pub cores: f64,
    /// Speed of one job when not limited by cores (1, or the vCPU share of a serverless
    /// function).
    pub speed: f64,
    /// Maximum requests admitted at once (u32::MAX = unlimited).
    pub workers: u32,
    /// Maximum requests waiting for a worker (u32::MAX = unbounded).
    pub queue: u32,
    /// Async io: workers are held only during CPU phases.
    pub async_io: bool,
    /// Load shedding: bound on the expected queue wait \[ns\]; 0 = no shedding.
    pub shed_max_wait: u64,
    /// Jobs can never outnumber cores (at most `cores` workers and, with blocking io, no
    /// parallel step in the unit's operations; or infinite cores), so processor sharing reduces
    /// to independent delays.
    pub dedicated: bool,
    /// Index in [`Model::hosts`] of the host whose shared cores run this instance's CPU
    /// phases; [`NO_HOST`] = its own `cores`.
    pub host: u32,
    /// Zone (index in the variant's zones), [`NO_ZONE`] = none.
    pub zone: u32,
}

/// How a call reaches its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// Same unit: runs on the caller's instance, no network, no marshalling.
    Local,
    /// Another unit: marshalling on both sides and a network hop each way.
    Remote,
    /// A data-store query on a database: a network hop each way.
    Database,
    /// An asynchronous publish to queue [`CallPlan::aux`]; `op` consumes the message. The
    /// caller waits only for the publish latency.
    Publish,
    /// A saga, [`Model::sagas`]`[aux]`; `op` is the calling operation.
    Saga,
    /// A front-door node passing the request on (gateway, load balancer, CDN): a network hop
    /// each way, callee-side marshalling only (as an entry request arriving from a client).
    Forward,
}

/// [`CallPlan::cache`] of a call that no cache answers.
pub const NO_CACHE: u32 = u32::MAX;

/// One compiled call.
#[derive(Debug, Clone, Copy)]
pub struct CallPlan {
    /// Operation called.
    pub op: u32,
    /// How it is reached.
    pub kind: CallKind,
    /// Probability the call is made.
    pub p: f64,
    /// Repetitions, one after the other.
    pub count: u32,
    /// Per-attempt timeout \[ns\]; 0 = none.
    pub timeout: u64,
    /// Index in [`Model::policies`] of the edge's resilience policies; [`NO_POLICY`] = none.
    pub policy: u32,
    /// Made once, without timeout or policy: the callee answers the calling operation directly
    /// (no call frame).
    pub direct: bool,
    /// Publish: queue index in [`Model::queues`]. Saga: index in [`Model::sagas`].
    pub aux: u32,
    /// A cache in [`Model::caches`] that may answer the call instead of its target (a hit
    /// skips it); [`NO_CACHE`] = none.
    pub cache: u32,
}

/// One compiled saga: forward calls `calls[first..first + len]`, and for forward step `i` its
/// compensation `calls[comp_first + i]` (whose `op` is `u32::MAX` when the step has none).
#[derive(Debug, Clone)]
pub struct SagaPlan {
    /// Name for results: the operation holding the saga (with `#k` for its k-th saga, k ≥ 2).
    pub name: String,
    /// First forward call.
    pub first: u32,
    /// Number of forward steps.
    pub len: u32,
    /// First compensation call.
    pub comp_first: u32,
}

/// One compiled message queue.
#[derive(Debug, Clone)]
pub struct QueuePlan {
    /// Name.
    pub name: String,
    /// Publish latency \[ns\].
    pub publish_latency: Dist,
    /// Visibility timeout \[ns\].
    pub visibility_timeout: u64,
    /// Receives before dead-lettering (`u32::MAX` = never).
    pub max_receives: u32,
    /// Consumer slots.
    pub consumers: u32,
}

/// [`CallPlan::policy`] of a call edge without resilience policies.
pub const NO_POLICY: u32 = u32::MAX;

/// One compiled step: a contiguous range of [`Model::calls`].
#[derive(Debug, Clone, Copy)]
pub struct StepPlan {
    /// First call index.
    pub first: u32,
    /// Number of calls (1 for a sequential call; the branches of a parallel step).
    pub len: u32,
}

/// One compiled operation.
#[derive(Debug, Clone)]
pub struct OpPlan {
    /// Qualified name.
    pub name: String,
    /// Node executing it (unit of its module, or database of its store).
    pub node: u32,
    /// Service demand \[ns\].
    pub demand: Dist,
    /// Marshalling CPU of one cross-unit call to this operation, per side \[ns\].
    pub marshal_ns: f64,
    /// First step index in [`Model::steps`].
    pub first_step: u32,
    /// Number of steps.
    pub steps: u32,
    /// A data-store operation declared `kind = "write"`.
    pub write: bool,
    /// Probability an invocation fails with `error` after its CPU.
    pub errors: f64,
    /// Payload of a call to it \[bytes\] (counted once per hop between zones).
    pub payload: f64,
}

/// One compiled entry.
#[derive(Debug, Clone)]
pub struct EntryPlan {
    /// Name.
    pub name: String,
    /// Operation called.
    pub op: u32,
    /// Arrival process.
    pub arrival: Arrival,
    /// Client timeout \[ns\]; 0 = none.
    pub timeout: u64,
    /// Client-side retries.
    pub retry: Option<RetryPolicy>,
    /// Served through the CDN: the client reaches the edge, not the data centre.
    pub via_cdn: bool,
}

/// The compiled runtime model of one variant.
#[derive(Debug, Clone)]
pub struct Model {
    /// Variant name.
    pub variant: String,
    /// Units then databases.
    pub nodes: Vec<Node>,
    /// Every instance of every node.
    pub stations: Vec<StationSpec>,
    /// Per operation (indexed like [`Scenario::ops`]); operations not deployed in this variant
    /// have `node == u32::MAX`.
    pub ops: Vec<OpPlan>,
    /// All steps.
    pub steps: Vec<StepPlan>,
    /// All calls.
    pub calls: Vec<CallPlan>,
    /// Entries.
    pub entries: Vec<EntryPlan>,
    /// Network one-way latency \[ns\].
    pub latency: Dist,
    /// Gateway overhead \[ns\], if the variant has a gateway.
    pub gateway: Option<Dist>,
    /// Measured horizon: warm-up end \[ns\].
    pub warmup: u64,
    /// End of the run \[ns\].
    pub end: u64,
    /// Time-series window \[ns\]: the scenario's, widened (to a multiple of it) when the run would
    /// have more than [`MAX_WINDOWS`] windows, so that memory does not grow with run length.
    pub window: u64,
    /// The scenario's window \[ns\] when it was widened.
    pub window_widened_from: Option<u64>,
    /// Memory provisioned by the variant \[bytes\].
    pub memory_provisioned: u64,
    /// Resilience policies of the call edges that have any (see [`CallPlan::policy`]).
    pub policies: Vec<CallPolicy>,
    /// Per policy: the call edge's name, `caller -> callee`.
    pub policy_edges: Vec<String>,
    /// Faults, compiled for this variant.
    pub faults: Vec<FaultPlan>,
    /// Serverless functions (one per serverless unit, in unit order).
    pub functions: Vec<FunctionPlan>,
    /// Concurrent serverless executions allowed for the whole variant.
    pub account_concurrency: u32,
    /// Product of the variant's gateway, if it has one (for its price).
    pub gateway_api: Option<GatewayApi>,
    /// Price tables of the scenario.
    pub prices: crate::spec::prices::Prices,
    /// Sagas.
    pub sagas: Vec<SagaPlan>,
    /// Message queues (indexed like [`Scenario::queues`]).
    pub queues: Vec<QueuePlan>,
    /// Caches (gateway routes, the CDN, cache nodes), see [`CallPlan::cache`].
    pub caches: Vec<crate::components::cache::CachePlan>,
    /// The gateway's token bucket and the gateway node it guards.
    pub rate_limit: Option<(crate::components::rate_limit::RateLimit, u32)>,
    /// Node index of the gateway when it is a node.
    pub gateway_node: Option<u32>,
    /// Node index of each explicit load balancer (in the variant's order).
    pub lb_nodes: Vec<u32>,
    /// Node index of each cache node (in the variant's order).
    pub cache_nodes: Vec<u32>,
    /// Hosts of the variant.
    pub hosts: Vec<HostPlan>,
    /// One-way delay added to a hop between two zones \[ns\].
    pub cross_zone_latency: Dist,
    /// One-way latency between the clients and the data centre \[ns\].
    pub client_latency: Dist,
    /// `client_latency` is not zero.
    pub long_haul: bool,
    /// The CDN's station ([`NO_STATION`] without a CDN): its forwards to the origin pay
    /// `client_latency` each way.
    pub cdn_station: u32,
    /// Some instances have a zone (hops check whether they cross zones).
    pub zoned: bool,
    /// Connection pools: one per instance of a unit with `pool` and per database, the pools
    /// of station `s` at `pool_first[s] + (database node − first database node)`.
    pub pools: Vec<PoolPlan>,
    /// Per station: its first pool, [`NO_POOL`] if it has none.
    pub pool_first: Vec<u32>,
    /// Some unit has pools.
    pub pooled: bool,
    /// Node index of the first database.
    pub db_base: u32,
    /// Autoscaled units.
    pub autoscalers: Vec<AutoscalePlan>,
}

/// [`Model::cdn_station`] of a variant without a CDN.
pub const NO_STATION: u32 = u32::MAX;

/// [`Model::pool_first`] of a station without pools.
pub const NO_POOL: u32 = u32::MAX;

/// One connection pool: of instance `station`, in front of database node `db`.
#[derive(Debug, Clone, Copy)]
pub struct PoolPlan {
    /// The unit instance holding it.
    pub station: u32,
    /// The database node.
    pub db: u32,
    /// Connections.
    pub size: u32,
    /// Longest wait for a connection \[ns\].
    pub acquire_timeout: u64,
}

/// How many sagas of the operation named `op` come before (for unique result names).
fn op_sagas_before(sagas: &[SagaPlan], op: &str) -> usize {
    sagas
        .iter()
        .filter(|g| g.name == op || g.name.starts_with(&format!("{op}#")))
        .count()
}

/// Most time-series windows kept per replication (bounds memory whatever the run length).
pub const MAX_WINDOWS: u64 = 100_000;

/// `window` widened to a multiple of itself so that `end` holds at most `max_windows` windows;
/// records the original in `widened_from` when it changes.
fn widened_window(window: u64, end: u64, max_windows: u64, widened_from: &mut Option<u64>) -> u64 {
    let max_windows = max_windows.max(1);
    if end / window <= max_windows {
        return window;
    }
    widened_from.get_or_insert(window);
    window * (end / window).div_ceil(max_windows)
}

/// vCPU share of a serverless function with `memory` bytes: 1,769 MB = 1 vCPU (docs/sources.md,
/// "memory / CPU" row), capped at one core per request since one invocation is one thread.
pub fn serverless_speed(memory: Option<u64>) -> f64 {
    match memory {
        Some(m) => (m as f64 / 1_769e6).clamp(0.01, 1.0),
        None => 1.0,
    }
}

impl Model {
    /// Compiles variant `v` of `s`.
    pub fn compile(s: &Scenario, v: usize) -> Model {
        let var: &Variant = &s.variants[v];
        let mut nodes = Vec::new();
        let mut stations = Vec::new();
        let mut memory_provisioned = 0u64;
        let mut functions = Vec::new();
        let mut host_stations: Vec<Vec<u32>> = vec![Vec::new(); var.hosts.len()];
        let mut host_shared: Vec<Vec<u32>> = vec![Vec::new(); var.hosts.len()];
        let mut host_limited = vec![0.0f64; var.hosts.len()];
        let mut autoscalers = Vec::new();
        for u in &var.units {
            let serverless = u.platform == Platform::Serverless;
            let initial = if serverless { 1 } else { u.replicas.max(1) };
            // Autoscaled: `max` instances allocated up front, the others down until started.
            let instances = match &u.autoscale {
                Some(a) if !serverless => a.max.max(initial),
                _ => initial,
            };
            let module_mem: u64 = u.modules.iter().map(|&m| s.modules[m].memory).sum();
            let per_instance = if serverless {
                0
            } else {
                u.base_memory + module_mem
            };
            memory_provisioned += per_instance * initial as u64;
            let node = nodes.len() as u32;
            let autoscale = match &u.autoscale {
                Some(a) if !serverless => {
                    autoscalers.push(AutoscalePlan {
                        node,
                        initial,
                        spec: a.clone(),
                    });
                    (autoscalers.len() - 1) as u32
                }
                _ => NO_AUTOSCALE,
            };
            let function = if serverless {
                // Memory omitted: one full vCPU (speed 1), billed as 1,769 MB.
                let memory = u.memory.unwrap_or(1_769_000_000);
                let f = &u.function;
                memory_provisioned += memory * f.provisioned as u64;
                functions.push(FunctionPlan {
                    node,
                    memory,
                    cold_start: f.cold_start.clone(),
                    keep_alive: f.keep_alive,
                    max_duration: f.max_duration,
                    reserved: f.reserved,
                    provisioned: f.provisioned,
                    burst_limit: f.burst_limit,
                    burst_interval: f.burst_interval,
                });
                (functions.len() - 1) as u32
            } else {
                NO_FUNCTION
            };
            let first_station = stations.len() as u32;
            let pl = &u.placement;
            for i in 0..instances as usize {
                let host = pl.hosts.get(i % pl.hosts.len().max(1)).copied();
                let zone = match host {
                    Some(h) => var.hosts[h].zone,
                    None => pl.zones.get(i % pl.zones.len().max(1)).copied(),
                }
                .map_or(NO_ZONE, |z| z as u32);
                let shared_host = match (host, pl.cpu_limit) {
                    (Some(h), None) if !serverless => h as u32,
                    _ => NO_HOST,
                };
                if let Some(h) = host {
                    host_stations[h].push(stations.len() as u32);
                    if shared_host != NO_HOST {
                        host_shared[h].push(stations.len() as u32);
                    } else if let Some(l) = pl.cpu_limit {
                        host_limited[h] += l;
                    }
                }
                stations.push(if serverless {
                    StationSpec {
                        node,
                        cores: f64::INFINITY,
                        speed: serverless_speed(u.memory),
                        workers: u32::MAX,
                        queue: u32::MAX,
                        async_io: false,
                        shed_max_wait: 0,
                        dedicated: true,
                        host: NO_HOST,
                        zone: NO_ZONE,
                    }
                } else {
                    StationSpec {
                        node,
                        cores: match (host, pl.cpu_limit) {
                            (Some(h), None) => var.hosts[h].cores,
                            (_, Some(l)) => l,
                            (None, None) => u.cores,
                        },
                        speed: 1.0,
                        workers: u.workers,
                        queue: u.queue.unwrap_or(u32::MAX),
                        async_io: u.io == Io::Async,
                        shed_max_wait: u.shed.map_or(0, |p| p.max_wait),
                        dedicated: false,
                        host: shared_host,
                        zone,
                    }
                });
            }
            nodes.push(Node {
                name: u.name.clone(),
                kind: NodeKind::Unit,
                first_station,
                instances,
                lb: u.lb,
                serverless,
                memory_per_instance: per_instance,
                cores: if serverless { f64::INFINITY } else { u.cores },
                platform: u.platform,
                function,
                request_priced: false,
                hooked: function != NO_FUNCTION,
                read_replicas: 0,
                hosted: !pl.hosts.is_empty() && !serverless,
                autoscale,
                restart_delay: u.restart_delay,
            });
        }
        let db_base = nodes.len();
        for d in &var.databases {
            let node = nodes.len() as u32;
            let first_station = stations.len() as u32;
            for _ in 0..=d.read_replicas {
                stations.push(StationSpec {
                    node,
                    cores: d.cores,
                    speed: 1.0,
                    workers: d.max_connections,
                    queue: u32::MAX,
                    async_io: false,
                    shed_max_wait: 0,
                    dedicated: d.max_connections as f64 <= d.cores,
                    host: NO_HOST,
                    zone: d.zone.map_or(NO_ZONE, |z| z as u32),
                });
            }
            nodes.push(Node {
                name: d.name.clone(),
                kind: NodeKind::Database,
                first_station,
                instances: 1 + d.read_replicas,
                lb: LbAlgorithm::RoundRobin,
                serverless: false,
                memory_per_instance: 0,
                cores: d.cores,
                platform: Platform::Vm,
                function: NO_FUNCTION,
                request_priced: d.pricing == DbPricing::Request,
                hooked: d.pricing == DbPricing::Request,
                read_replicas: d.read_replicas,
                hosted: false,
                autoscale: NO_AUTOSCALE,
                restart_delay: 0,
            });
        }
        let hosts: Vec<HostPlan> = var
            .hosts
            .iter()
            .enumerate()
            .map(|(h, x)| HostPlan {
                name: x.name.clone(),
                cores: x.cores,
                shared_cores: (x.cores - host_limited[h]).max(0.0),
                memory: x.memory,
                shared: std::mem::take(&mut host_shared[h]),
                stations: std::mem::take(&mut host_stations[h]),
            })
            .collect();

        // The gateway node, when the gateway is one, comes after the cache nodes and load
        // balancers (`front::compile`); the operations of the modules it hosts run on it.
        let gateway_ix = (nodes.len() + var.caches.len() + var.load_balancers.len()) as u32;
        let node_of_op = |op: usize| -> u32 {
            match s.ops[op].owner {
                OpOwner::Module(m) if var.module_unit[m] == ON_GATEWAY => gateway_ix,
                OpOwner::Module(m) => var.module_unit[m] as u32,
                OpOwner::Store(st) => match var.store_db[st] {
                    Some(d) => (db_base + d) as u32,
                    None => u32::MAX,
                },
            }
        };

        let mut ops = Vec::with_capacity(s.ops.len());
        let mut steps = Vec::new();
        let mut calls = Vec::new();
        let mut policies = Vec::new();
        let mut policy_edges: Vec<String> = Vec::new();
        let mut sagas: Vec<SagaPlan> = Vec::new();
        // `caller`: index of the calling operation.
        let mut plan_of = |c: &crate::scenario::Call, node: u32, caller: usize| -> CallPlan {
            let target = node_of_op(c.op);
            let kind = match (s.ops[c.op].owner, c.publish) {
                (_, Some(_)) => CallKind::Publish,
                (OpOwner::Store(_), None) => CallKind::Database,
                (OpOwner::Module(_), None) if target == node => CallKind::Local,
                (OpOwner::Module(_), None) => CallKind::Remote,
            };
            // The calling unit's `resilience` defaults apply to its calls over the network (not
            // to in-process calls, nor to publishes).
            let policy = match (kind, s.ops[caller].owner) {
                (CallKind::Remote | CallKind::Database, OpOwner::Module(m))
                    if var.module_unit[m] != ON_GATEWAY =>
                {
                    c.policy.or(&var.units[var.module_unit[m]].resilience)
                }
                _ => c.policy,
            };
            let timeout = if kind == CallKind::Publish {
                0
            } else {
                policy.timeout.or(c.timeout).unwrap_or(0)
            };
            let policy_ix = if kind != CallKind::Publish && policy.is_active() {
                let mut edge = format!("{} -> {}", s.ops[caller].name, s.ops[c.op].name);
                let same = policy_edges
                    .iter()
                    .filter(|e| **e == edge || e.starts_with(&format!("{edge} [")))
                    .count();
                if same > 0 {
                    edge = format!("{edge} [{}]", same + 1);
                }
                policies.push(policy);
                policy_edges.push(edge);
                (policies.len() - 1) as u32
            } else {
                NO_POLICY
            };
            CallPlan {
                op: c.op as u32,
                kind,
                p: c.p,
                count: c.count,
                timeout,
                policy: policy_ix,
                direct: c.count == 1 && timeout == 0 && policy_ix == NO_POLICY,
                aux: c.publish.map_or(0, |q| q as u32),
                cache: NO_CACHE,
            }
        };
        for (i, op) in s.ops.iter().enumerate() {
            let node = node_of_op(i);
            let first_step = steps.len() as u32;
            for step in &op.steps {
                let first = calls.len() as u32;
                let list: &[crate::scenario::Call] = match step {
                    Step::Call(c) => std::slice::from_ref(c),
                    Step::Parallel(cs) => cs,
                    Step::Saga(saga) => {
                        // One saga call in the step; its forward and compensation calls
                        // follow it in `calls`, outside every step's range.
                        let k = op_sagas_before(&sagas, &op.name);
                        calls.push(CallPlan {
                            op: i as u32,
                            kind: CallKind::Saga,
                            p: 1.0,
                            count: 1,
                            timeout: 0,
                            policy: NO_POLICY,
                            direct: true,
                            aux: sagas.len() as u32,
                            cache: NO_CACHE,
                        });
                        let fwd = calls.len() as u32;
                        calls.extend(saga.iter().map(|x| plan_of(&x.call, node, i)));
                        let comp_first = calls.len() as u32;
                        for x in saga {
                            calls.push(match x.compensate {
                                Some(c) => plan_of(
                                    &crate::scenario::Call {
                                        op: c,
                                        p: 1.0,
                                        count: 1,
                                        timeout: None,
                                        publish: None,
                                        policy: Default::default(),
                                    },
                                    node,
                                    i,
                                ),
                                None => CallPlan {
                                    op: u32::MAX,
                                    kind: CallKind::Local,
                                    p: 1.0,
                                    count: 1,
                                    timeout: 0,
                                    policy: NO_POLICY,
                                    direct: true,
                                    aux: 0,
                                    cache: NO_CACHE,
                                },
                            });
                        }
                        sagas.push(SagaPlan {
                            name: if k == 0 {
                                op.name.clone()
                            } else {
                                format!("{}#{}", op.name, k + 1)
                            },
                            first: fwd,
                            len: saga.len() as u32,
                            comp_first,
                        });
                        &[]
                    }
                };
                for c in list {
                    calls.push(plan_of(c, node, i));
                }
                steps.push(StepPlan {
                    first,
                    len: match step {
                        Step::Saga(_) => 1,
                        _ => list.len() as u32,
                    },
                });
            }
            ops.push(OpPlan {
                name: op.name.clone(),
                node,
                demand: op.demand.clone(),
                marshal_ns: s.network.marshal_per_kb_ns * op.payload as f64 / 1000.0,
                first_step,
                steps: op.steps.len() as u32,
                write: op.write,
                errors: op.errors,
                payload: op.payload as f64,
            });
        }

        // A unit's stations are dedicated when jobs cannot outnumber cores: with async io every
        // CPU phase holds a worker; with blocking io a request holds one worker and runs one CPU
        // phase at a time unless one of the unit's operations forks.
        for (n, node) in nodes.iter().enumerate() {
            if node.kind != NodeKind::Unit || node.serverless {
                continue;
            }
            // A fork, or an in-process call that may time out (its orphaned callee keeps
            // computing beside the caller), can put two CPU phases of one request side by side.
            let local_timeout = |c: &CallPlan| c.kind == CallKind::Local && c.timeout > 0;
            let forks = ops.iter().enumerate().any(|(i, op)| {
                op.node == n as u32
                    && matches!(s.ops[i].owner, OpOwner::Module(_))
                    && steps[op.first_step as usize..(op.first_step + op.steps) as usize]
                        .iter()
                        .any(|st| {
                            st.len > 1
                                || calls[st.first as usize..(st.first + st.len) as usize]
                                    .iter()
                                    .any(|c| {
                                        local_timeout(c)
                                            || c.kind == CallKind::Saga && {
                                                let g = &sagas[c.aux as usize];
                                                calls[g.first as usize..(g.first + g.len) as usize]
                                                    .iter()
                                                    .any(local_timeout)
                                            }
                                    })
                        })
            });
            for st in &mut stations
                [node.first_station as usize..(node.first_station + node.instances) as usize]
            {
                st.dedicated = (st.workers as f64) <= st.cores
                    && (st.async_io || !forks)
                    && st.host == NO_HOST;
            }
        }

        let mut entry_ops: Vec<u32> = s.workload.entries.iter().map(|e| e.op as u32).collect();
        let fr = front::compile(
            s,
            var,
            front::Parts {
                nodes: &mut nodes,
                stations: &mut stations,
                ops: &mut ops,
                steps: &mut steps,
                calls: &mut calls,
                entry_ops: &mut entry_ops,
            },
        );
        let gateway_node = nodes.len() as u32;
        let targets = crate::components::faults::TargetNodes {
            db_base,
            gateway: fr.gateway_node.unwrap_or(gateway_node),
            lbs: &fr.lb_nodes,
            caches: &fr.cache_nodes,
        };
        let faults: Vec<FaultPlan> = s
            .faults
            .iter()
            .map(|f| {
                let mut p = FaultPlan::compile(f, v, &targets);
                // An outage takes down every instance on its host or in its zone.
                for t in f.targets.get(v).into_iter().flatten() {
                    match *t {
                        FaultTarget::Host(h) => p.stations.extend(&hosts[h].stations),
                        FaultTarget::Zone(z) => p.stations.extend(
                            (0..stations.len() as u32)
                                .filter(|&s| stations[s as usize].zone == z as u32),
                        ),
                        _ => {}
                    }
                }
                for &s in &p.stations {
                    let n = stations[s as usize].node;
                    if !p.nodes.contains(&n) {
                        p.nodes.push(n);
                    }
                }
                p
            })
            .collect();
        // A slowed-down instance changes speed mid-job: only the processor-sharing form
        // (virtual clock) handles that exactly.
        for f in &faults {
            if let FaultKind::Slow { .. } = f.kind {
                for &n in &f.nodes {
                    if let Some(node) = nodes.get(n as usize) {
                        for st in &mut stations[node.first_station as usize
                            ..(node.first_station + node.instances) as usize]
                        {
                            st.dedicated = false;
                        }
                    }
                }
            }
        }

        let entries = s
            .workload
            .entries
            .iter()
            .zip(&entry_ops)
            .enumerate()
            .map(|(ei, (e, &op))| EntryPlan {
                name: e.name.clone(),
                op,
                arrival: e.arrival.clone(),
                timeout: e.timeout.unwrap_or(0),
                retry: e.retry,
                via_cdn: var.cdn.as_ref().is_some_and(|c| c.entries.contains(&ei)),
            })
            .collect();

        let n_dbs = var.databases.len();
        let mut pools = Vec::new();
        let mut pool_first = vec![NO_POOL; stations.len()];
        for (ui, u) in var.units.iter().enumerate() {
            let Some(p) = u.pool else {
                continue;
            };
            if n_dbs == 0 {
                continue;
            }
            let node = &nodes[ui];
            for st in node.first_station..node.first_station + node.instances {
                pool_first[st as usize] = pools.len() as u32;
                for d in 0..n_dbs {
                    pools.push(PoolPlan {
                        station: st,
                        db: (db_base + d) as u32,
                        size: p.size,
                        acquire_timeout: p.acquire_timeout,
                    });
                }
            }
        }
        let end = s.workload.warmup.saturating_add(s.workload.duration);
        let window = s.workload.window.max(1);
        let mut window_widened_from = None;
        let window = widened_window(window, end, MAX_WINDOWS, &mut window_widened_from);
        Model {
            variant: var.name.clone(),
            nodes,
            ops,
            steps,
            calls,
            entries,
            latency: s.network.latency.clone(),
            gateway: var
                .gateway
                .as_ref()
                .filter(|_| fr.gateway_node.is_none())
                .map(|g| g.overhead.clone()),
            warmup: s.workload.warmup,
            end: s.workload.warmup.saturating_add(s.workload.duration),
            window,
            window_widened_from,
            memory_provisioned,
            policies,
            policy_edges,
            faults,
            functions,
            account_concurrency: var.account_concurrency,
            gateway_api: var.gateway.as_ref().map(|g| g.api),
            prices: s.prices.clone(),
            sagas,
            queues: var
                .queues
                .iter()
                .map(|q| QueuePlan {
                    name: q.name.clone(),
                    publish_latency: q.publish_latency.clone(),
                    visibility_timeout: q.visibility_timeout,
                    max_receives: q.max_receives.unwrap_or(u32::MAX),
                    consumers: q.consumers,
                })
                .collect(),
            caches: fr.caches,
            rate_limit: fr.rate_limit,
            gateway_node: fr.gateway_node,
            lb_nodes: fr.lb_nodes,
            cache_nodes: fr.cache_nodes,
            zoned: stations.iter().any(|st| st.zone != NO_ZONE),
            hosts,
            cross_zone_latency: s.network.cross_zone_latency.clone(),
            client_latency: s.network.client_latency.clone(),
            long_haul: !s.network.client_latency.is_zero(),
            cdn_station: fr.cdn_station,
            stations,
            pooled: !pools.is_empty(),
            pools,
            pool_first,
            db_base: db_base as u32,
            autoscalers,
        }
    }

    /// Widens the time-series window so that one replication keeps at most `max_windows`
    /// windows (used to bound the memory of many replications kept at once).
    pub fn limit_windows(&mut self, max_windows: u64) {
        self.window = widened_window(
            self.window,
            self.end,
            max_windows,
            &mut self.window_widened_from,
        );
    }

    /// Number of time series one replication keeps per window (4 per entry, 6 per node, 2 per
    /// queue).
    pub fn series_count(&self) -> usize {
        4 * self.entries.len() + 6 * self.nodes.len() + 2 * self.queues.len()
    }

    /// Number of unit nodes (they come first in [`Model::nodes`]).
    pub fn unit_count(&self) -> usize {
        self.nodes
            .iter()
            .take_while(|n| n.kind == NodeKind::Unit)
            .count()
    }
}

impl Model {
    /// Expected events one request of entry `e` generates (an estimate for the work guard: one
    /// per CPU phase, network hop, timeout timer and arrival).
    pub fn events_per_request(&self, e: usize) -> f64 {
        let mut memo = vec![f64::NAN; self.ops.len()];
        let entry = &self.entries[e];
        let mut ev = 1.0 + self.op_events(entry.op as usize, &mut memo, 0);
        if entry.timeout > 0 {
            ev += 1.0;
        }
        if self.gateway.is_some() {
            ev += 2.0;
        }
        ev
    }

    fn op_events(&self, op: usize, memo: &mut [f64], depth: usize) -> f64 {
        if !memo[op].is_nan() {
            return memo[op];
        }
        if depth > self.ops.len() {
            return 0.0; // cycles are rejected by validation; stay finite regardless
        }
        let plan = &self.ops[op];
        let mut ev = 1.0;
        for st in &self.steps[plan.first_step as usize..(plan.first_step + plan.steps) as usize] {
            for c in &self.calls[st.first as usize..(st.first + st.len) as usize] {
                ev += self.call_events(c, memo, depth);
            }
        }
        memo[op] = ev;
        ev
    }

    /// Expected events of one call (all its repetitions, weighted by its probability).
    fn call_events(&self, c: &CallPlan, memo: &mut [f64], depth: usize) -> f64 {
        if c.kind == CallKind::Saga {
            // The forward steps (compensations only run on failures).
            let g = &self.sagas[c.aux as usize];
            return self.calls[g.first as usize..(g.first + g.len) as usize]
                .iter()
                .map(|x| self.call_events(x, memo, depth))
                .sum();
        }
        let per = match c.kind {
            CallKind::Local | CallKind::Saga => 0.0,
            CallKind::Remote => 3.0,
            CallKind::Database | CallKind::Forward => 2.0,
            // Publish, receive, visibility timer, the hops to the consumer and back.
            CallKind::Publish => 5.0,
        } + if c.timeout > 0 { 1.0 } else { 0.0 }
            + self.op_events(c.op as usize, memo, depth + 1);
        c.p * c.count as f64 * per
    }

    /// Expected events of one replication (arrivals × events per request, plus time-series ticks).
    pub fn estimated_events(&self) -> f64 {
        let horizon_s = self.end as f64 / 1e9;
        let per_req: f64 = (0..self.entries.len())
            .map(|e| self.entries[e].arrival.rate() * horizon_s * self.events_per_request(e))
            .sum();
        per_req + (self.end / self.window.max(1)) as f64
    }
}
