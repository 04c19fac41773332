//! The validated, typed scenario: names resolved to ids, units converted, every invariant the
//! engine relies on already checked.
//!
//! Produced by [`crate::scenario::load`] / [`crate::scenario::parse`] from the raw TOML types.
//! Everything here is plain data; ids are indices into the vectors of [`Scenario`].
//! Durations are nanoseconds (`u64`), sizes bytes (`u64`), rates per second (`f64`).

use crate::dist::Dist;

/// Index of a team in [`Scenario::teams`].
pub type TeamId = usize;
/// Index of a module in [`Scenario::modules`].
pub type ModuleId = usize;
/// Index of a data store in [`Scenario::datastores`].
pub type StoreId = usize;
/// Index of an operation in [`Scenario::ops`] (module operations and data-store operations share
/// one table).
pub type OpId = usize;
/// Index of a unit in [`Variant::units`].
pub type UnitId = usize;
/// Index of a database in [`Variant::databases`].
pub type DbId = usize;

/// A whole validated scenario: the logical model, its workload and its variants.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Display name.
    pub name: String,
    /// Free text shown by the CLI and the app.
    pub description: String,
    /// Master seed; replication `k` derives its generators from `(seed, k)`.
    pub seed: u64,
    /// Number of Monte Carlo replications (≥ 1).
    pub replications: u32,
    /// Network model for cross-unit calls.
    pub network: Network,
    /// Who calls what, how often, for how long.
    pub workload: Workload,
    /// Teams, in file order.
    pub teams: Vec<Team>,
    /// Modules, in file order.
    pub modules: Vec<Module>,
    /// Data stores, in file order.
    pub datastores: Vec<DataStore>,
    /// Every operation: those of modules and those of data stores.
    pub ops: Vec<Operation>,
    /// Deployment variants, in file order (≥ 1).
    pub variants: Vec<Variant>,
    /// Faults injected in every variant, in file order.
    pub faults: Vec<crate::faults::Fault>,
}

/// Network between units.
#[derive(Debug, Clone)]
pub struct Network {
    /// One-way latency of one hop between two units (or a unit and a database) \[ns\].
    pub latency: Dist,
    /// Marshalling CPU per kilobyte (1000 bytes) of payload, paid once by the caller and once by
    /// the callee of every cross-unit call \[ns/KB\].
    pub marshal_per_kb_ns: f64,
}

/// The workload: entries and the simulated horizon.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Simulated time after warm-up \[ns\] (> 0). The run lasts `warmup + duration`.
    pub duration: u64,
    /// Simulated but unmeasured time at the start \[ns\] (default 0).
    pub warmup: u64,
    /// Width of one time-series window \[ns\] (default 1 s).
    pub window: u64,
    /// Entry points (≥ 1).
    pub entries: Vec<Entry>,
}

/// One entry point: a client population calling one operation.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Unique name (key in results).
    pub name: String,
    /// The module operation called.
    pub op: OpId,
    /// Arrival process.
    pub arrival: Arrival,
    /// Client-side timeout \[ns\]; the request fails with `timeout` if not answered by then
    /// (per attempt when `retry` is set).
    pub timeout: Option<u64>,
    /// Client-side retries of failed requests.
    pub retry: Option<crate::resilience::RetryPolicy>,
}

/// Arrival process of an entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Arrival {
    /// Poisson arrivals (exponential inter-arrival times) at `rate` per second (> 0).
    Poisson {
        /// arrivals per second
        rate: f64,
    },
    /// Deterministic arrivals every `1/rate` seconds (> 0), the first at `1/rate`.
    Constant {
        /// arrivals per second
        rate: f64,
    },
}

impl Arrival {
    /// Mean arrivals per second.
    pub fn rate(&self) -> f64 {
        match self {
            Arrival::Poisson { rate } | Arrival::Constant { rate } => *rate,
        }
    }
}

/// A team (owner of modules).
#[derive(Debug, Clone)]
pub struct Team {
    /// Unique name.
    pub name: String,
}

/// A business module: owns operations, has a memory footprint, belongs to a team.
#[derive(Debug, Clone)]
pub struct Module {
    /// Unique name (shared namespace with data stores).
    pub name: String,
    /// Owning team, if any.
    pub team: Option<TeamId>,
    /// Memory the module adds to every instance that holds it \[bytes\] (default 0).
    pub memory: u64,
    /// Its operations, in file order.
    pub ops: Vec<OpId>,
}

/// A data store: a logical collection of data with query operations; deployed onto a
/// [`Database`] by each variant.
#[derive(Debug, Clone)]
pub struct DataStore {
    /// Unique name (shared namespace with modules).
    pub name: String,
    /// Its operations, in file order.
    pub ops: Vec<OpId>,
}

/// Who owns an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpOwner {
    /// A module operation, executed on the unit holding the module.
    Module(ModuleId),
    /// A data-store query, executed on the database holding the store.
    Store(StoreId),
}

/// An operation: what it costs and what it calls.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Qualified name `owner.op`, e.g. `orders.checkout`.
    pub name: String,
    /// Module or data store owning it.
    pub owner: OpOwner,
    /// Service demand: CPU time for module operations (`cpu`), query time for data-store
    /// operations (`time`) \[ns\].
    pub demand: Dist,
    /// Message size of a call to this operation \[bytes\] (default 0); drives marshalling cost.
    pub payload: u64,
    /// What it calls, in order (always empty for data-store operations).
    pub steps: Vec<Step>,
}

/// One step of an operation's call plan.
#[derive(Debug, Clone)]
pub enum Step {
    /// A call, waited for before the next step.
    Call(Call),
    /// Fork-join: every branch starts at once; the step ends when all have returned.
    Parallel(Vec<Call>),
}

/// A synchronous call to another operation.
#[derive(Debug, Clone)]
pub struct Call {
    /// The operation called.
    pub op: OpId,
    /// Probability the call is made at all (default 1).
    pub p: f64,
    /// Number of times it is made, one after the other (default 1, ≥ 1).
    pub count: u32,
    /// Caller-side timeout of each attempt \[ns\], if any.
    pub timeout: Option<u64>,
    /// Resilience policies given on the call itself (its `timeout` is the field above; unset
    /// fields fall back to the calling unit's `resilience` defaults in each variant).
    pub policy: crate::resilience::CallPolicy,
}

/// A way to deploy the logical model.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Unique name.
    pub name: String,
    /// Deployable units (≥ 1).
    pub units: Vec<Unit>,
    /// Database servers.
    pub databases: Vec<Database>,
    /// Optional API gateway in front of every entry.
    pub gateway: Option<Gateway>,
    /// For each module (by [`ModuleId`]), the unit holding it. Every module is in exactly one unit.
    pub module_unit: Vec<UnitId>,
    /// For each data store (by [`StoreId`]), the database holding it, or `None` if the store is
    /// not deployed in this variant (then no reachable operation may call it).
    pub store_db: Vec<Option<DbId>>,
}

/// Platform a unit runs on (semantics beyond parsing come with the components).
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

/// How a unit's workers wait on downstream calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Io {
    /// Thread per request: the worker stays held while its request waits on a call.
    Blocking,
    /// Event loop: the worker is released while waiting and re-acquired to continue.
    Async,
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

/// A deployable unit: a process replicated `replicas` times.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Unique name within the variant.
    pub name: String,
    /// Modules held (≥ 1).
    pub modules: Vec<ModuleId>,
    /// Platform.
    pub platform: Platform,
    /// Number of instances (≥ 1). Ignored for serverless units.
    pub replicas: u32,
    /// Cores per instance (> 0, may be fractional).
    pub cores: f64,
    /// Requests admitted to service at once per instance (≥ 1).
    pub workers: u32,
    /// Requests allowed to wait for a worker per instance; `None` = unbounded.
    pub queue: Option<u32>,
    /// Blocking or async io.
    pub io: Io,
    /// Memory of the runtime per instance \[bytes\].
    pub base_memory: u64,
    /// Configured memory per instance for serverless units \[bytes\], if given.
    pub memory: Option<u64>,
    /// Load balancing across replicas.
    pub lb: LbAlgorithm,
    /// Default policies of the calls its operations make to other units and databases.
    pub resilience: crate::resilience::CallPolicy,
    /// Load shedding at its instances.
    pub shed: Option<crate::resilience::ShedPolicy>,
}

/// A database server holding data stores.
#[derive(Debug, Clone)]
pub struct Database {
    /// Unique name within the variant.
    pub name: String,
    /// Data stores held (≥ 1).
    pub stores: Vec<StoreId>,
    /// Server cores (> 0); queries share them by processor sharing.
    pub cores: f64,
    /// Queries executed at once (≥ 1); further queries wait in an unbounded queue.
    pub max_connections: u32,
}

/// An API gateway in front of the entries of a variant.
#[derive(Debug, Clone)]
pub struct Gateway {
    /// Per-request overhead (a pure delay) \[ns\].
    pub overhead: Dist,
}
