//! The validated, typed scenario: names resolved to ids, units converted, every invariant the
//! engine relies on already checked.
//!
//! Produced by [`crate::scenario::load`] / [`crate::scenario::parse`] from the raw TOML types.
//! Everything here is plain data; ids are indices into the vectors of [`Scenario`].
//! Durations are nanoseconds (`u64`), sizes bytes (`u64`), rates per second (`f64`).

use crate::flow::balance::LbAlgorithm;
pub use crate::flow::topology::Platform;
use crate::kernel::dist::Dist;

// The components' validated configuration the aggregate holds, and the ids of the names it
// resolved (defined with the file format's vocabulary), named from here too.
pub use crate::components::cache::spec::{CacheNode, Cdn};
pub use crate::components::external::{ExtId, ExternalSpec};
pub use crate::components::function::spec::{FunctionSpec, Runtime};
pub use crate::components::gateway::spec::{Gateway, GatewayNode, GatewayProduct};
pub use crate::components::lb::spec::LoadBalancer;
pub use crate::components::placement::spec::{Host, Placement};
pub use crate::components::pool::spec::DbPool;
pub use crate::components::queue::spec::Queue;
pub use crate::spec::names::{DbId, ModuleId, OpId, QueueId, StoreId, UnitId, ON_GATEWAY};

/// Default byte budget of a run's time series (`workload.series_budget`): 32 MiB.
pub const DEFAULT_SERIES_BUDGET: u64 = 32 * 1024 * 1024;

/// Index of a team in [`Scenario::teams`].
pub type TeamId = usize;

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
    /// External services, in file order (one node each in every variant).
    pub externals: Vec<ExternalSpec>,
    /// Workflows, in file order.
    pub workflows: Vec<crate::components::workflow::WorkflowSpec>,
    /// Every operation: those of modules, of data stores and of external services.
    pub ops: Vec<Operation>,
    /// Deployment variants, in file order (≥ 1).
    pub variants: Vec<Variant>,
    /// Faults injected in every variant, in file order.
    pub faults: Vec<crate::components::faults::Fault>,
    /// Price tables (defaults overridden by the `[prices]` section).
    pub prices: crate::spec::prices::Prices,
    /// Variants as ordered evolution steps (ids into `variants`, no duplicates); empty = none.
    pub evolution: Vec<usize>,
    /// The delivery-process simulation, if the scenario has a `[delivery]` section.
    pub delivery: Option<Delivery>,
    /// Names of the message queues published to by operations, in order of first use; each
    /// variant configures every one in [`Variant::queues`].
    pub queues: Vec<String>,
    /// Names of the locks taken by transaction steps, ascending: a lock's id is its rank in
    /// this (the global order in which a transaction acquires them).
    pub locks: Vec<String>,
    /// Uncertain parameters (drawn once per replication); `None` when every input is a plain
    /// value. The other fields then hold the nominal scenario (each parameter at its central
    /// value).
    pub uncertain: Option<std::sync::Arc<super::uncertain::Uncertainty>>,
    /// Service-level objectives checked on every replication (the scenario's `slo`, then any
    /// given on the command line).
    pub slos: Vec<crate::spec::slo::Slo>,
    /// The month of the monthly bill.
    pub month: Month,
}

/// Network between units.
#[derive(Debug, Clone)]
pub struct Network {
    /// One-way latency of one hop between two units (or a unit and a database) \[ns\].
    pub latency: Dist,
    /// Marshalling CPU per kilobyte (1000 bytes) of payload, paid once by the caller and once by
    /// the callee of every cross-unit call \[ns/KB\].
    pub marshal_per_kb_ns: f64,
    /// One-way delay added to a hop between two different zones \[ns\].
    pub cross_zone_latency: Dist,
    /// One-way latency between the clients and the data centre \[ns\] (0: requests are
    /// measured at the front door). A CDN hit does not pay it; a CDN miss pays it between the
    /// edge and the origin.
    pub client_latency: Dist,
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
    /// Byte budget of the run's time series \[bytes\] (default 32 MiB, > 0; see
    /// `model::series_max_windows`).
    pub series_budget: u64,
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
    pub retry: Option<crate::components::retry::RetryPolicy>,
    /// The steady rate the monthly bill assumes \[1/s\] (docs/cost.md, "The month"): a fixed
    /// rate, a spike's base, else the profile's or trace's mean over the run; `None` for a
    /// closed loop (its measured rate stands).
    pub steady_rate: Option<f64>,
}

/// What a month of [`crate::spec::prices::HOURS_PER_MONTH`] hours looks like, for the monthly
/// bill (`[month]`, docs/cost.md "The month").
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Month {
    /// Every entry at its steady rate all month (the default).
    #[default]
    Steady,
    /// The measured window repeated all month.
    Window,
    /// Peaks at multiples of the steady load, the rest of the month steady.
    Peaks(Vec<Peak>),
}

/// A period of the month at a multiple of the steady load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Peak {
    /// Hours of the month it lasts (> 0).
    pub hours: f64,
    /// Load, as a multiple of every entry's steady rate (> 0).
    pub load: f64,
}

pub use crate::workload::{Arrival, RateProfile};

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
    /// Lines of code (default 10000); drives build time in the delivery simulation.
    pub loc: u64,
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
    /// A call to an external service, answered by its node.
    External(ExtId),
}

/// An operation: what it costs and what it calls.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Qualified name `owner.op`, e.g. `orders.checkout`.
    pub name: String,
    /// Module or data store owning it.
    pub owner: OpOwner,
    /// Service demand: CPU time for module operations (`cpu`), query time for data-store
    /// operations (`time`), the response time of an external's operations (`latency`) \[ns\].
    pub demand: Dist,
    /// Message size of a call to this operation \[bytes\] (default 0); drives marshalling cost.
    pub payload: u64,
    /// What it calls, in order (always empty for data-store operations).
    pub steps: Vec<Step>,
    /// Data-store operation declared `kind = "write"` (priced as a write by request-priced
    /// databases); `false` for reads and module operations.
    pub write: bool,
    /// Probability that an invocation fails with reason `error` once its CPU (or query) is
    /// done, before its calls (default 0).
    pub errors: f64,
}

/// One step of an operation's call plan.
#[derive(Debug, Clone)]
pub enum Step {
    /// A call, waited for before the next step.
    Call(Call),
    /// Fork-join: every branch starts at once; the step ends when all have returned.
    Parallel(Vec<Call>),
    /// A saga: the steps run in order; when one fails, the compensations of the steps already
    /// completed run in reverse order and the step fails with the original failure.
    Saga(Vec<SagaStep>),
    /// A transaction: the steps run in order as one unit of work (see
    /// `crate::components::tx`).
    Transaction(Transaction),
    /// Starts an execution of a workflow (see `crate::components::workflow`).
    Workflow(WorkflowCall),
}

/// A `{ workflow = "NAME" }` call: the workflow and the calls of its task states.
#[derive(Debug, Clone)]
pub struct WorkflowCall {
    /// The workflow (index in [`Scenario::workflows`]).
    pub wf: usize,
    /// Whether the caller waits for the execution's end.
    pub wait: bool,
    /// The call of each task state, in the order of the task states in the file.
    pub tasks: Vec<Call>,
}

/// A transaction group: its steps, the locks they take and how long a lock may be waited for.
#[derive(Debug, Clone)]
pub struct Transaction {
    /// The steps (`compensate` is used when a variant runs it as a saga).
    pub steps: Vec<SagaStep>,
    /// Every lock of its steps, ascending (ids into [`Scenario::locks`]).
    pub locks: Vec<LockId>,
    /// Longest wait for one lock \[ns\] (> 0).
    pub lock_timeout: u64,
    /// Time to make a commit or a prepare durable on a database \[ns\].
    pub commit_latency: Dist,
    /// The modules and data stores its steps reach through synchronous calls (ascending).
    pub reach: TxReach,
    /// Where the group is written (for the variants' diagnostics).
    pub span: std::ops::Range<usize>,
    /// Its field path.
    pub field: String,
}

impl Transaction {
    /// The units and databases this transaction, held by an operation of module `holder`,
    /// spans in a variant (its `module_unit` and `store_db`), each ascending and once.
    pub fn spread(
        &self,
        holder: ModuleId,
        module_unit: &[UnitId],
        store_db: &[Option<DbId>],
    ) -> (Vec<UnitId>, Vec<DbId>) {
        let units: std::collections::BTreeSet<UnitId> = std::iter::once(holder)
            .chain(self.reach.modules.iter().copied())
            .map(|m| module_unit[m])
            .collect();
        let dbs: std::collections::BTreeSet<DbId> = self
            .reach
            .stores
            .iter()
            .filter_map(|&st| store_db[st])
            .collect();
        (units.into_iter().collect(), dbs.into_iter().collect())
    }

    /// Whether it runs locally in a variant: in one unit, on at most one database.
    pub fn is_local(
        &self,
        holder: ModuleId,
        module_unit: &[UnitId],
        store_db: &[Option<DbId>],
    ) -> bool {
        let (u, d) = self.spread(holder, module_unit, store_db);
        u.len() <= 1 && d.len() <= 1
    }
}

/// What a transaction's steps reach through synchronous calls.
#[derive(Debug, Clone, Default)]
pub struct TxReach {
    /// Modules whose operations run (ascending).
    pub modules: Vec<ModuleId>,
    /// Data stores queried (ascending).
    pub stores: Vec<StoreId>,
}

/// Index into [`Scenario::locks`].
pub type LockId = u32;

/// One step of a saga: a call and the operation that undoes it. In a choreographed saga
/// (every step's call a publish) the call is the step's event on its queue.
#[derive(Debug, Clone)]
pub struct SagaStep {
    /// The forward call (`p` is always 1).
    pub call: Call,
    /// The compensating call, if the step needs undoing: its operation and policy (`p` 1,
    /// `count` 1; in a choreographed saga a publish on the step's queue, without policy).
    pub compensate: Option<Call>,
    /// In a transaction: the locks this step takes (ascending ids into [`Scenario::locks`]).
    pub locks: Vec<LockId>,
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
    pub policy: crate::components::policy::CallPolicy,
    /// An asynchronous publish: the message goes to this queue (index in [`Scenario::queues`])
    /// and `op` consumes it; the caller continues after the queue's publish latency.
    pub publish: Option<QueueId>,
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
    /// For each module (by [`ModuleId`]), the unit holding it. Every module is in exactly one unit,
    /// or on the gateway ([`ON_GATEWAY`]).
    pub module_unit: Vec<UnitId>,
    /// For each data store (by [`StoreId`]), the database holding it, or `None` if the store is
    /// not deployed in this variant (then no reachable operation may call it).
    pub store_db: Vec<Option<DbId>>,
    /// Concurrent serverless executions allowed for all functions of the variant together
    /// (`account_concurrency`, default 1,000).
    pub account_concurrency: u32,
    /// For each module (by [`ModuleId`]), its owning team in this variant: the module's `team`
    /// unless the variant's `owners` overrides it.
    pub module_team: Vec<Option<TeamId>>,
    /// Message queues, indexed like [`Scenario::queues`].
    pub queues: Vec<Queue>,
    /// Explicit load balancers.
    pub load_balancers: Vec<LoadBalancer>,
    /// Cache nodes in front of data-store reads.
    pub caches: Vec<CacheNode>,
    /// A CDN in front of some entries.
    pub cdn: Option<Cdn>,
    /// Hosts units may be placed on.
    pub hosts: Vec<Host>,
    /// Zone names used by the variant's hosts, units and databases (index = zone id).
    pub zones: Vec<String>,
    /// How a transaction spanning units or databases runs (`None`: every one must be local).
    pub transactions: Option<crate::components::tx::TxMode>,
}

/// How a unit's workers wait on downstream calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Io {
    /// Thread per request: the worker stays held while its request waits on a call.
    Blocking,
    /// Event loop: the worker is released while waiting and re-acquired to continue.
    Async,
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
    pub resilience: crate::components::policy::CallPolicy,
    /// Load shedding at its instances.
    pub shed: Option<crate::components::shed::ShedPolicy>,
    /// Serverless settings (defaults when the unit is not serverless; unused then).
    pub function: FunctionSpec,
    /// Hosts, container limit and zones of its instances.
    pub placement: Placement,
    /// Connection pool of each instance, per database it queries; `None` = no pool.
    pub pool: Option<DbPool>,
    /// Autoscaling, if configured (never on serverless units). `replicas` is then the initial
    /// count.
    pub autoscale: Option<crate::components::autoscaler::Autoscale>,
    /// Kubernetes: delay between the end of an instance's crash and its restart \[ns\] (0 on
    /// other platforms: the instance is back when the crash ends).
    pub restart_delay: u64,
    /// The catalogue size its instances run on (`vm`: an EC2 instance type, `container`: a
    /// Fargate task size), the cheapest that has its cores and memory; `None` on other
    /// platforms, on hosts, or when nothing in the catalogue is that large (then priced pro
    /// rata). See docs/cost.md, "Instance catalogue".
    pub instance: Option<crate::spec::instances::Instance>,
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
    /// How the database is priced.
    pub pricing: DbPricing,
    /// Read replicas (each like the primary): reads go to one of them, writes to the primary.
    pub read_replicas: u32,
    /// Zone of the database and its replicas (index in [`Variant::zones`]), if any.
    pub zone: Option<usize>,
    /// The host (index in [`Variant::hosts`]) its server and replicas run on, if any: a
    /// self-hosted database sharing the host's cores and memory, billed as part of the host.
    pub host: Option<usize>,
    /// Memory of the server (and of each replica) on its host \[bytes\] (0 off a host).
    pub memory: u64,
    /// Cores of its own on the host (a container limit); `None` = it shares the host's cores.
    pub cpu_limit: Option<f64>,
}

/// Pricing mode of a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbPricing {
    /// Per server vCPU-hour (RDS-like, default).
    Hourly,
    /// Per million reads and writes (DynamoDB on-demand-like).
    Request,
}

/// The delivery-process simulation (`[delivery]`); see `crate::org::delivery`.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Measured simulated time after warm-up \[ns\] (> 0).
    pub duration: u64,
    /// Unmeasured time at the start \[ns\].
    pub warmup: u64,
    /// Mean time between change requests, per team (by [`TeamId`]) \[ns\] (> 0).
    pub change_interval: Vec<u64>,
    /// Probability a change spreads along one call edge (0 to 1).
    pub call_coupling: f64,
    /// Probability a change spreads through one shared data store (0 to 1).
    pub store_coupling: f64,
    /// Fixed build-and-test time of a deployable \[ns\].
    pub build_base: u64,
    /// Build-and-test time per 1000 lines of code \[ns\].
    pub build_per_kloc: f64,
    /// Probability a build breaks (0 to 1).
    pub build_failure: f64,
    /// Time to fix a broken build \[ns\].
    pub fix_time: Dist,
    /// Time to deploy one release \[ns\].
    pub deploy_time: Dist,
    /// Probability a deployment fails in production (0 to 1).
    pub change_failure: f64,
    /// Time to restore after a failed deployment \[ns\].
    pub restore_time: Dist,
    /// Mean coordination delay per communication channel \[ns\].
    pub coordination: f64,
    /// Release-train period \[ns\], or `None` for continuous deployment.
    pub release_train: Option<u64>,
    /// Most changes in one build (≥ 1).
    pub max_batch: u32,
}
