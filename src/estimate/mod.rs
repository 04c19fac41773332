//! The instant analytic estimate of one scenario variant: arrival rate, utilization and mean
//! response time of every unit, database, gateway node and host, and the mean latency of every
//! entry — what `archsim validate` prints and the desktop app paints on the graph while the
//! user edits.
//!
//! # One source for every rule
//!
//! The estimate compiles the variant with [`Model::compile`], as a run does, and reads
//! everything structural from the compiled model: which node runs each operation, how each call
//! reaches its target (in-process, remote, a database query, a front-door forward, a component
//! call), the front door's nodes and synthetic operations (gateway routes, balancers' pass
//! through, cache lookups, the CDN), the instances with their cores, workers, queue and speed,
//! the hosts' shared cores, the caches, the rate limit and the functions. What only a component
//! knows it answers itself, through the estimate side of the component contract
//! ([`crate::components::contract::Estimate`], each in `components/<name>/estimate.rs`): a
//! cache's hit ratio at its lookup rate, the share a rate limit admits, the plain gateway's
//! delay, how a node's instances serve (a function or a balancer is an infinite server; units on
//! a host share its cores), what a publish or a saga costs its caller and starts, the instances
//! an autoscaled unit is estimated on, the functions' throttling. The estimate keeps the network
//! of stations: the load of every node (visit rates), the M/M/c station of every node, the
//! latency of every entry, and the warnings.
//!
//! Read from the [`Scenario`] itself: nothing but the variant to compile (and the number of
//! variants, for an index out of range).
//!
//! # Model
//!
//! The estimate follows the engine's semantics for *mean* quantities:
//!
//! - **Load.** Every entry's mean arrival rate enters at its compiled operation (the outermost
//!   front-door operation). Every step of an operation is made in order; a call with
//!   probability `p` and repeat `count` is made `p·count` times per invocation; every branch of
//!   a parallel step is made. Rates are propagated in topological order over the compiled calls
//!   (a cycle is cut at its back edge). A call some cache may answer goes through it: the hit
//!   share stops there. A job arriving at a node guarded by a rate limit is admitted at the
//!   share the limit lets through. Shares that depend on the rate through them are iterated to
//!   a fixed point (`load.rs`).
//! - **Jobs and CPU.** An in-process call runs on the caller's instance (its demand is part of
//!   the caller's job, no network, no marshalling). A remote call is a new job at the callee:
//!   the caller pays `marshal_per_kb × payload(callee)` of CPU, the callee the same plus its
//!   demand, and one network hop each way (`network.latency` mean each). A database query is a
//!   job at the database, a hop each way, no marshalling. A front-door forward (gateway, load
//!   balancer, CDN) is a hop each way with callee-side marshalling; from the CDN's edge it also
//!   pays the way to the origin (`client_latency`) each way. An entry request pays the
//!   callee-side marshalling of its first operation and `client_latency` each way (not through
//!   the CDN, whose hits are answered at the edge). KB = 1000 bytes.
//! - **Stations.** The counted instances of a node share its load evenly; each is an M/M/c
//!   station with c = min(cores, workers) at the node's λ/instances, with S = the mean CPU
//!   demand of one job (its own and in-process demand plus marshalling). For exponential demand
//!   and workers ≥ cores this is exact (the number in system is the same birth–death chain). A
//!   database's connections are its workers; with read replicas the primary takes the writes
//!   and the replicas share the reads. When c is fractional: for c < 1 an M/G/1-PS server of
//!   speed c (exact for PS); for c > 1 a linear interpolation in c between M/M/⌊c⌋ and
//!   M/M/⌈c⌉ at the same utilization (a heuristic, exact at integers). Instances with
//!   unlimited cores and workers (cache nodes, the CDN, a gateway made a node for the CDN) are
//!   infinite servers; so are functions and balancers (their components say so).
//! - **Utilization** ρ = CPU demand per second / (instances × cores) (0 for infinite servers). A
//!   station whose queue would grow without bound (ρ ≥ 1, or its workers or connections
//!   saturated) has no mean response (`None`) and yields a warning; every entry that reaches
//!   it has no mean latency.
//! - **Entry latency** = Σ over the work it causes of (CPU demand × the station's slowdown
//!   W/E\[S\]) + network hops × mean hop latency + the front door's delays, each weighted by
//!   the share of requests that reach it. The slowdown charges each job its own demand times
//!   the station's mean slowdown: exact for processor sharing and consistent with the
//!   station's mean W (it averages back to W over all jobs).
//!
//! # What the estimate ignores
//!
//! - Service time distributions beyond the mean (stations are M/M/c; heavy tails make the
//!   simulated means larger).
//! - Blocking-io worker holding: a thread held while its request waits downstream reduces the
//!   unit's effective worker count; the estimate only counts CPU time.
//! - Bounded queues (rejections) and the async re-acquisition of a worker after each call.
//! - Fork-join maxima: a parallel step costs the **maximum of its branches' mean times**, a
//!   lower bound on the mean of the maximum (E\[max\] ≥ max E).
//! - Timeouts, retries, faults, cold starts, connection pools, network variance, zones, the
//!   balancers' `capacity`, the token bucket's burst, the queues' consumer slots, scaling, and
//!   the per-instance `workers` of instances sharing a host (each component's
//!   `estimate.rs` says what it leaves out).

mod graph;
mod latency;
mod load;
mod station;
#[cfg(test)]
pub(crate) mod testing;
mod visits;
mod warnings;

pub use visits::expected_visits;
pub use warnings::warnings;

/// Mean hit ratio of a cache at a lookup rate (the cache component's closed form).
pub use crate::components::cache::estimate::hit_ratio as cache_hit_ratio;

use crate::components::contract::{EstimateCx, NodeTerm, Shape, Solved};
use crate::components::{terms, Plans};
use crate::flow::topology::Topology;
use crate::model::Model;
use crate::scenario::Scenario;
use serde::Serialize;

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
    /// Units in [`crate::scenario::Variant::units`] order, then databases in
    /// [`crate::scenario::Variant::databases`] order, then the gateway when it is a node, then
    /// hosts in [`crate::scenario::Variant::hosts`] order.
    pub nodes: Vec<NodeEstimate>,
    /// Entries in [`crate::scenario::Workload::entries`] order.
    pub entries: Vec<EntryEstimate>,
    /// Human-readable warnings (overloaded nodes, saturated worker pools, undeployed stores,
    /// refused and throttled requests).
    pub warnings: Vec<String>,
}

/// Instant analytic estimate of variant `variant` of `s` (compiled with [`Model::compile`]).
/// An out-of-range variant index gives an empty estimate with a warning.
///
/// # Complexity
/// The model's compilation, then O(passes × (ops + calls) + Σ servers) — cheap enough to run
/// on every edit.
pub fn estimate(s: &Scenario, variant: usize) -> VariantEstimate {
    if variant >= s.variants.len() {
        return VariantEstimate {
            variant: String::new(),
            nodes: Vec::new(),
            entries: Vec::new(),
            warnings: vec![format!(
                "variant index {variant} out of range: the scenario has {} variants",
                s.variants.len()
            )],
        };
    }
    estimate_model(&Model::compile(s, variant))
}

/// Instant analytic estimate of a compiled variant (see [`estimate`]).
pub fn estimate_model(m: &Model) -> VariantEstimate {
    estimate_rates(m).0
}

/// The mean rates behind an estimate, indexed like the compiled topology: what the cost
/// estimate (`crate::cost::estimate`) prices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    /// Per operation: jobs per second arriving at its node for it (admitted).
    pub op_jobs: Vec<f64>,
    /// Per operation: invocations per second.
    pub op_rate: Vec<f64>,
    /// Per node: jobs per second admitted.
    pub node_jobs: Vec<f64>,
    /// Per node: CPU (or query) seconds per second.
    pub node_demand: Vec<f64>,
    /// Per node: the instances the estimate spread its load on.
    pub counted: Vec<u32>,
    /// Per compiled call: calls per second made (after any cache in front of it).
    pub call_rate: Vec<f64>,
    /// Per operation: the mean time of one job of it \[s\] (`None`: it reaches an unstable
    /// node).
    pub job_time_s: Vec<Option<f64>>,
}

/// The estimate of a compiled variant with the rates behind it (see [`estimate`]).
pub fn estimate_rates(m: &Model) -> (VariantEstimate, Rates) {
    let t = &m.topo;
    let mut est = Est {
        topo: t,
        plans: &m.plans,
        variant: &m.variant,
        hop: t.latency.mean() / NS,
        client: t.client_latency.mean() / NS,
        graph: graph::Graph::empty(),
        counted: Vec::new(),
        share: Vec::new(),
        admit: vec![1.0; t.nodes.len()],
        load: load::Load::default(),
        set_stretch: vec![None; t.stations.len()],
        slow: vec![station::Slowdown::default(); t.nodes.len()],
        hosts: Vec::new(),
        memo: vec![latency::Memo::New; t.ops.len()],
        job_times: Vec::new(),
        warnings: Vec::new(),
    };
    est.build_graph();
    est.converge();
    est.undeployed_warnings();
    terms::on_loads(&mut est);
    let mut nodes = est.solve_nodes();
    let entries = (0..t.entries.len())
        .map(|e| EntryEstimate {
            name: t.entries[e].name.clone(),
            mean_latency_s: est.entry_time(e).filter(|x| x.is_finite()),
        })
        .collect();
    est.job_times = (0..t.ops.len())
        .map(|op| {
            if est.load.op_jobs[op] > 0.0 {
                est.job_time(op)
            } else {
                Some(0.0)
            }
        })
        .collect();
    terms::on_times(&mut est);
    nodes.extend(est.hosts.drain(..).map(|h| NodeEstimate {
        name: h.name,
        kind: NodeKind::Host,
        arrival_rate: h.arrival_rate,
        utilization: h.utilization,
        mean_response_s: h.response,
        cpu_demand_s_per_s: h.cpu_demand,
    }));
    let rates = Rates {
        op_jobs: std::mem::take(&mut est.load.op_jobs),
        op_rate: std::mem::take(&mut est.load.rate),
        node_jobs: std::mem::take(&mut est.load.jobs),
        node_demand: std::mem::take(&mut est.load.demand),
        counted: std::mem::take(&mut est.counted),
        call_rate: std::mem::take(&mut est.load.call_rate),
        job_time_s: std::mem::take(&mut est.job_times),
    };
    let e = VariantEstimate {
        variant: m.variant.clone(),
        nodes,
        entries,
        warnings: est.warnings,
    };
    (e, rates)
}

/// The estimate of one compiled variant in progress; the components' view of it
/// ([`EstimateCx`]).
struct Est<'m> {
    topo: &'m Topology,
    plans: &'m Plans,
    variant: &'m str,
    /// Mean one-way hop \[s\].
    hop: f64,
    /// Mean one-way way between the clients and the data centre \[s\].
    client: f64,
    graph: graph::Graph,
    /// Per node: the instances carrying its load.
    counted: Vec<u32>,
    /// Per gate: the share of calls it lets through.
    share: Vec<f64>,
    /// Per node: the share of arrivals admitted.
    admit: Vec<f64>,
    load: load::Load,
    /// Per instance: a slowdown a component set (`Some(None)`: unstable).
    set_stretch: Vec<Option<Option<f64>>>,
    /// Per node: the slowdown of its jobs.
    slow: Vec<station::Slowdown>,
    /// Hosts added by the placement.
    hosts: Vec<NodeTerm>,
    memo: Vec<latency::Memo>,
    /// Per operation: the mean time of one job of it (after the stations are solved).
    job_times: Vec<Option<f64>>,
    warnings: Vec<String>,
}

impl EstimateCx for Est<'_> {
    fn topo(&self) -> &Topology {
        self.topo
    }

    fn plans(&self) -> &Plans {
        self.plans
    }

    fn hop(&self) -> f64 {
        self.hop
    }

    fn instances(&self, node: usize) -> u32 {
        self.counted.get(node).copied().unwrap_or(0)
    }

    fn arrivals(&self, node: usize) -> f64 {
        self.load.arrivals.get(node).copied().unwrap_or(0.0)
    }

    fn load(&self, s: u32) -> (f64, f64) {
        let Some(st) = self.topo.stations.get(s as usize) else {
            return (0.0, 0.0);
        };
        let n = st.node as usize;
        let node = &self.topo.nodes[n];
        let i = s - node.first_station;
        let (jobs, demand) = (self.load.jobs[n], self.load.demand[n]);
        let counted = self.counted[n];
        if i >= counted {
            return (0.0, 0.0);
        }
        if let Some((writes, reads)) = station::read_write(node) {
            let (wj, wd) = (self.load.write_jobs[n], self.load.write_demand[n]);
            let share = |r: &std::ops::Range<u32>, j: f64, d: f64| {
                let k = r.len() as f64;
                if r.contains(&i) {
                    (j / k, d / k)
                } else {
                    (0.0, 0.0)
                }
            };
            let (a, b) = (
                share(&writes, wj, wd),
                share(&reads, jobs - wj, demand - wd),
            );
            return (a.0 + b.0, a.1 + b.1);
        }
        let c = f64::from(counted);
        (jobs / c, demand / c)
    }

    fn solve(&mut self, label: &str, name: &str, shape: Shape, jobs: f64, demand: f64) -> Solved {
        station::solve(label, name, shape, jobs, demand, &mut self.warnings)
    }

    fn set_stretch(&mut self, s: u32, stretch: Option<f64>) {
        if let Some(x) = self.set_stretch.get_mut(s as usize) {
            *x = Some(stretch);
        }
    }

    fn stretch(&self, s: u32) -> Option<f64> {
        self.set_stretch
            .get(s as usize)
            .copied()
            .flatten()
            .unwrap_or(Some(1.0))
    }

    fn host(&mut self, node: NodeTerm) {
        self.hosts.push(node);
    }

    fn concurrency(&self, node: usize) -> Option<f64> {
        self.in_flight(node)
    }

    fn call_rate(&self, c: u32) -> f64 {
        self.load.call_rate.get(c as usize).copied().unwrap_or(0.0)
    }

    fn call_mean(&mut self, c: u32) -> Option<f64> {
        match self.load.call_from.get(c as usize) {
            Some(&from) if from != usize::MAX => self.call_time(from, c as usize),
            _ => Some(0.0),
        }
    }

    fn warn(&mut self, w: String) {
        self.warnings.push(w);
    }
}
