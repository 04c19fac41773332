//! The compiled core of one variant, as the engine and the components see it: nodes (units,
//! databases and the components' own nodes) with their instances (stations), operations, their
//! call plans, and the entries. Names are resolved to indices once, so the engine only follows
//! indices.
//!
//! A component that applies to a node or a call sets its bit (see `crate::components::bit`)
//! in [`Node::hooks`] or [`CallPlan::hooks`]; the engine calls the components' hooks only where
//! a bit is set, so a node without components pays one test of its mask.

use crate::kernel::dist::Dist;
use crate::workload::Arrival;

/// [`StationSpec::host`] of an instance with cores of its own.
pub const NO_HOST: u32 = u32::MAX;

/// [`StationSpec::zone`] of an instance in no zone.
pub const NO_ZONE: u32 = u32::MAX;

/// [`CallPlan::cache`] of a call that no cache answers.
pub const NO_CACHE: u32 = u32::MAX;

/// [`CallPlan::policy`] of a call edge without resilience policies.
pub const NO_POLICY: u32 = u32::MAX;

/// A station index meaning "none".
pub const NO_STATION: u32 = u32::MAX;

/// Platform a unit runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Virtual machines (default).
    Vm,
    /// Containers.
    Container,
    /// Kubernetes pods.
    Kubernetes,
    /// Serverless functions: one request per instance, as many instances as requests.
    Serverless,
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
    /// A service outside the system (`[externals.NAME]`).
    External,
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
            NodeKind::External => "external",
        }
    }
}

/// A node of the deployed system, with one or more instances.
#[derive(Debug, Clone)]
pub struct Node {
    /// Name (unique within the variant and kind).
    pub name: String,
    /// What it is.
    pub kind: NodeKind,
    /// Index of its first instance in [`Topology::stations`].
    pub first_station: u32,
    /// Number of instances (≥ 1; an autoscaled unit's `max`, allocated up front).
    pub instances: u32,
    /// Load balancing across instances.
    pub lb: LbAlgorithm,
    /// Whether instances are serverless (one instance per request).
    pub serverless: bool,
    /// Memory provisioned per instance \[bytes\] (0 for serverless: billed per use).
    pub memory_per_instance: u64,
    /// Cores per instance (∞ for serverless).
    pub cores: f64,
    /// Platform of a unit (`Vm` for the other nodes).
    pub platform: Platform,
    /// Database priced per request: its queries are counted as reads and writes.
    pub request_priced: bool,
    /// A database's read replicas: its instances are the primary (first) and the replicas.
    pub read_replicas: u32,
    /// Kubernetes: delay between the end of a crash and the instance's restart \[ns\] (0: back
    /// at once).
    pub restart_delay: u64,
    /// Its instances up vary by design (an autoscaled unit): utilization and billing count
    /// the instance-time up, not `instances` × time.
    pub elastic: bool,
    /// Components acting on this node: one bit per component (`crate::components::bit`).
    pub hooks: u32,
    /// The engine looks at this node's hooks on admission (`hooks != 0` or request-priced).
    pub hooked: bool,
    /// A unit's catalogue size (`vm`: EC2 instance type, `container`: Fargate task size), if
    /// it has one: what its instances are billed as.
    pub instance: Option<crate::spec::instances::Instance>,
}

impl Node {
    /// A node with no component, running on VMs, balanced round robin.
    pub fn plain(
        name: &str,
        kind: NodeKind,
        first_station: u32,
        instances: u32,
        cores: f64,
    ) -> Node {
        Node {
            name: name.to_string(),
            kind,
            first_station,
            instances,
            lb: LbAlgorithm::RoundRobin,
            serverless: false,
            memory_per_instance: 0,
            cores,
            platform: Platform::Vm,
            request_priced: false,
            read_replicas: 0,
            restart_delay: 0,
            elastic: false,
            hooks: 0,
            hooked: false,
            instance: None,
        }
    }

    /// Its instances' indices in [`Topology::stations`].
    #[inline]
    pub fn stations(&self) -> std::ops::Range<u32> {
        self.first_station..self.first_station + self.instances
    }
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
    /// Index of the host whose shared cores run this instance's CPU phases (placement);
    /// [`NO_HOST`] = its own `cores`.
    pub host: u32,
    /// Zone (index in the variant's zones), [`NO_ZONE`] = none.
    pub zone: u32,
}

impl StationSpec {
    /// A station that delays each request by its demand and never queues (∞ cores, unlimited
    /// workers, dedicated), in no host or zone.
    pub fn delay() -> StationSpec {
        StationSpec {
            node: 0,
            cores: f64::INFINITY,
            speed: 1.0,
            workers: u32::MAX,
            queue: u32::MAX,
            async_io: false,
            shed_max_wait: 0,
            dedicated: true,
            host: NO_HOST,
            zone: NO_ZONE,
        }
    }
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
    /// A call to an external service: a network hop each way, no marshalling, no connection
    /// pool.
    External,
    /// A front-door node passing the request on (gateway, load balancer, CDN): a network hop
    /// each way, callee-side marshalling only (as an entry request arriving from a client).
    Forward,
    /// A component starts the call itself (a publish to a message queue, a saga): the
    /// component whose bit is set in [`CallPlan::hooks`] takes it over; `aux` is its index
    /// there.
    Component,
}

/// One compiled call.
#[derive(Debug, Clone, Copy)]
pub struct CallPlan {
    /// Operation called (the consumer of a publish; the calling operation of a saga).
    pub op: u32,
    /// How it is reached.
    pub kind: CallKind,
    /// Probability the call is made.
    pub p: f64,
    /// Repetitions, one after the other.
    pub count: u32,
    /// Per-attempt timeout \[ns\]; 0 = none.
    pub timeout: u64,
    /// Index of the edge in the call-policy component's table; [`NO_POLICY`] = none.
    pub policy: u32,
    /// Made once, without timeout or policy: the callee answers the calling operation directly
    /// (no call frame).
    pub direct: bool,
    /// The index of the call in the component that takes it over ([`CallKind::Component`]).
    pub aux: u32,
    /// A cache (index in the cache component's table) that may answer the call instead of its
    /// target; [`NO_CACHE`] = none.
    pub cache: u32,
    /// Components acting on this call: one bit per component (`crate::components::bit`).
    pub hooks: u32,
}

impl CallPlan {
    /// A call made once, without timeout, policy or component.
    pub fn direct(op: u32, kind: CallKind) -> CallPlan {
        CallPlan {
            op,
            kind,
            p: 1.0,
            count: 1,
            timeout: 0,
            policy: NO_POLICY,
            direct: true,
            aux: 0,
            cache: NO_CACHE,
            hooks: 0,
        }
    }
}

/// One compiled step: a contiguous range of [`Topology::calls`].
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
    /// Node executing it (unit of its module, or database of its store); `u32::MAX` for an
    /// operation not deployed in this variant.
    pub node: u32,
    /// Service demand \[ns\].
    pub demand: Dist,
    /// Marshalling CPU of one cross-unit call to this operation, per side \[ns\].
    pub marshal_ns: f64,
    /// First step index in [`Topology::steps`].
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
    /// Operation called (the outermost front-door operation when the variant has one).
    pub op: u32,
    /// Arrival process.
    pub arrival: Arrival,
    /// Client timeout \[ns\]; 0 = none.
    pub timeout: u64,
    /// Client-side retries: index in the retry component's client table, `u32::MAX` = none.
    pub retry: u32,
    /// Components acting on this entry's requests (client retries).
    pub hooks: u32,
    /// Served through the CDN: the client reaches the edge, not the data centre.
    pub via_cdn: bool,
}

/// The core of one compiled variant.
#[derive(Debug, Clone)]
pub struct Topology {
    /// Units, then databases, then the components' nodes.
    pub nodes: Vec<Node>,
    /// Every instance of every node.
    pub stations: Vec<StationSpec>,
    /// Per operation (module and data-store operations in scenario order, then the components'
    /// synthetic operations).
    pub ops: Vec<OpPlan>,
    /// All steps.
    pub steps: Vec<StepPlan>,
    /// All calls.
    pub calls: Vec<CallPlan>,
    /// Entries.
    pub entries: Vec<EntryPlan>,
    /// Node index of the first database.
    pub db_base: u32,
    /// Network one-way latency \[ns\].
    pub latency: Dist,
    /// One-way latency between the clients and the data centre \[ns\].
    pub client_latency: Dist,
    /// `client_latency` is not zero.
    pub long_haul: bool,
    /// Entry requests cross one network hop each way between a plain gateway and their first
    /// node.
    pub gateway_hop: bool,
    /// The CDN's station ([`NO_STATION`] without a CDN): its forwards to the origin pay
    /// `client_latency` each way.
    pub cdn_station: u32,
    /// Measured horizon: warm-up end \[ns\].
    pub warmup: u64,
    /// End of the run \[ns\].
    pub end: u64,
    /// Time-series window \[ns\].
    pub window: u64,
}

impl Topology {
    /// A node of `kind` with `instances` stations like `st`; returns its index.
    pub fn add_node(&mut self, name: &str, kind: NodeKind, instances: u32, st: StationSpec) -> u32 {
        let node = self.nodes.len() as u32;
        let first_station = self.stations.len() as u32;
        for _ in 0..instances {
            self.stations.push(StationSpec { node, ..st });
        }
        self.nodes
            .push(Node::plain(name, kind, first_station, instances, st.cores));
        node
    }

    /// A synthetic operation on `node` doing `demand` of CPU then `calls`, one step each;
    /// returns its index.
    pub fn add_op(&mut self, name: String, node: u32, demand: Dist, calls: &[CallPlan]) -> u32 {
        let first_step = self.steps.len() as u32;
        for c in calls {
            self.steps.push(StepPlan {
                first: self.calls.len() as u32,
                len: 1,
            });
            self.calls.push(*c);
        }
        self.ops.push(OpPlan {
            name,
            node,
            demand,
            marshal_ns: 0.0,
            first_step,
            steps: calls.len() as u32,
            write: false,
            errors: 0.0,
            payload: 0.0,
        });
        (self.ops.len() - 1) as u32
    }

    /// The calls of step range of operation `op`.
    #[inline]
    pub fn op_steps(&self, op: usize) -> &[StepPlan] {
        let o = &self.ops[op];
        &self.steps[o.first_step as usize..(o.first_step + o.steps) as usize]
    }

    /// Number of unit nodes (they come first in [`Topology::nodes`]).
    pub fn unit_count(&self) -> usize {
        self.nodes
            .iter()
            .take_while(|n| n.kind == NodeKind::Unit)
            .count()
    }
}

/// Load-balancing algorithm across a unit's replicas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LbAlgorithm {
    /// Replicas in turn.
    RoundRobin,
    /// A uniformly random replica.
    Random,
    /// The replica with the fewest requests in it (ties: lowest index).
    LeastOutstanding,
    /// Two random replicas, the less loaded of the two.
    PowerOfTwo,
}
