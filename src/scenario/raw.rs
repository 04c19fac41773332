//! The raw scenario: serde types mirroring the TOML file exactly, with byte spans kept for
//! located errors. Nothing is validated here beyond TOML syntax, key names
//! (`deny_unknown_fields`) and basic shapes; values that need units or limits are kept as
//! spanned TOML values and checked by the resolver, so that many errors can be reported at once.
//!
//! This module holds the document's own tables (the root, network, workload, teams, modules,
//! operations and calls, data stores, variants, units, databases, prices, delivery); each
//! component's tables are in its folder (`crate::components::NAME::raw`), composed here as
//! fields and re-exported so that the whole raw document reads from one module.
//!
//! The doc comments on these types are the descriptions of the JSON Schema
//! ([`crate::scenario::json_schema`]).

use schemars::JsonSchema;
use serde::Deserialize;

pub use crate::components::autoscaler::raw::*;
pub use crate::components::breaker::raw::*;
pub use crate::components::bulkhead::raw::*;
pub use crate::components::cache::raw::*;
pub use crate::components::external::raw::*;
pub use crate::components::faults::raw::*;
pub use crate::components::function::raw::*;
pub use crate::components::gateway::raw::*;
pub use crate::components::lb::raw::*;
pub use crate::components::placement::raw::*;
pub use crate::components::policy::raw::*;
pub use crate::components::pool::raw::*;
pub use crate::components::queue::raw::*;
pub use crate::components::rate_limit::raw::*;
pub use crate::components::retry::raw::*;
pub use crate::components::saga::raw::*;
pub use crate::components::shed::raw::*;
pub use crate::spec::raw::*;

/// A scenario file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "archsim scenario")]
pub struct RawScenario {
    /// Display name (required).
    pub name: Option<Sp<String>>,
    /// Free text shown by the CLI and the app (default "").
    pub description: Option<Sp<String>>,
    /// Master seed, an integer ≥ 0 (default 1).
    pub seed: Option<Int>,
    /// Number of Monte Carlo replications, 1 to 100000 (default 10).
    pub replications: Option<Int>,
    /// Network model for cross-unit calls (defaults: see `RawNetwork`).
    pub network: Option<RawNetwork>,
    /// Workload: horizon and entries (required).
    pub workload: Option<RawWorkload>,
    /// Teams, by name (`[teams.NAME]`, may be empty tables).
    #[serde(default)]
    pub teams: Table<RawTeam>,
    /// Business modules, by name.
    #[serde(default)]
    pub modules: Table<RawModule>,
    /// Data stores, by name (names shared with modules).
    #[serde(default)]
    pub datastores: Table<RawDataStore>,
    /// External services, by name (names shared with modules and data stores): called like
    /// data stores, no cores, a latency, an error rate, a quota and a price per call.
    #[serde(default)]
    pub externals: Table<RawExternal>,
    /// Workflows (Step Functions-like state machines), by name: started by the call
    /// `{ workflow = "NAME" }`.
    #[serde(default)]
    pub workflows: Table<crate::components::workflow::raw::RawWorkflow>,
    /// Deployment variants (at least one).
    #[serde(default)]
    pub variants: Vec<Sp<RawVariant>>,
    /// Faults injected in every variant.
    #[serde(default)]
    pub faults: Vec<Sp<RawFault>>,
    /// Price overrides (every key optional; defaults in `docs/cost.md`).
    pub prices: Option<RawPrices>,
    /// Variant names as ordered steps of an evolution (e.g. a strangler-fig migration from a
    /// monolith); each name once. `run` prints the metrics step by step.
    pub evolution: Option<Sp<Vec<Sp<String>>>>,
    /// The delivery-process simulation (change requests, pipelines, deploys): present = run it
    /// with `archsim run` and `archsim delivery`. See docs/delivery.md.
    pub delivery: Option<RawDelivery>,
    /// Service-level objective checked on every replication, e.g. `"p99<300ms,errors<0.1%"`
    /// (see docs/format.md, "Uncertain inputs and SLOs"); results then report the fraction
    /// of replications meeting it. Default: none.
    pub slo: Option<Sp<String>>,
    /// Strict instance sizes (default false): a `vm` or `container` unit's or a host's
    /// `cores` must be the vCPUs of an offering of the instance catalogue (docs/cost.md,
    /// "Instance catalogue"), else an error naming the nearest valid sizes.
    pub strict_sizes: Option<Sp<bool>>,
    /// What a month of 730 hours looks like, for the monthly bill (docs/cost.md, "The
    /// month"); default: every entry at its steady rate all month.
    pub month: Option<Sp<RawMonth>>,
}

/// `[month]`: the month the monthly bill integrates.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMonth {
    /// `"window"`: the measured window repeated all month (a day's shape simulated once,
    /// repeated); excludes `peaks`.
    pub repeat: Option<Sp<String>>,
    /// Periods of the month at a multiple of the steady load (e.g. Black Friday: 6 hours at
    /// 5×); the rest of the month is at the steady load.
    #[serde(default)]
    pub peaks: Vec<Sp<RawPeak>>,
}

/// One peak of `[month]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPeak {
    /// How long it lasts in the month (a duration, > 0).
    pub duration: Duration,
    /// The load during it, as a multiple of every entry's steady rate (> 0, ≤ 1000).
    pub load: Num,
}

/// `[network]`: the network between units.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawNetwork {
    /// One-way latency of one hop (distribution of durations). Default
    /// `{ dist = "lognormal", mean = "250us", cv = 0.5 }`.
    pub latency: Option<DistSpec>,
    /// Marshalling CPU per KB (1000 bytes) of payload, paid by caller and callee of cross-unit
    /// calls (a duration). Default "20us".
    pub marshal_per_kb: Option<Duration>,
    /// One-way delay added to a hop between two zones (a distribution of durations). Default
    /// `{ dist = "lognormal", mean = "500us", cv = 0.5 }`.
    pub cross_zone_latency: Option<DistSpec>,
    /// One-way latency between the clients and the data centre (a distribution of durations).
    /// Default "0s": latency is measured at the front door.
    pub client_latency: Option<DistSpec>,
}

/// `[workload]`: the simulated horizon and the entry points.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWorkload {
    /// Measured simulated time after warm-up (required, > 0).
    pub duration: Option<Duration>,
    /// Simulated but unmeasured time at the start (default "0s").
    pub warmup: Option<Duration>,
    /// Width of one time-series window (default "1s", > 0).
    pub window: Option<Duration>,
    /// Byte budget of the run's time series (default "32MiB", > 0): the window is widened to a
    /// whole multiple of `window` so that every replication's series in memory, and the averaged
    /// series in the results document, stay within it.
    pub series_budget: Option<Size>,
    /// Entry points (at least one).
    #[serde(default)]
    pub entries: Vec<Sp<RawEntry>>,
}

/// `[[workload.entries]]`: a client population calling one module operation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    /// Unique name (key in results).
    pub name: Sp<String>,
    /// The module operation called, qualified: `module.op`.
    pub op: Sp<String>,
    /// Arrival process.
    pub arrival: RawArrival,
    /// Client-side timeout (optional; per attempt when `retry` is set).
    pub timeout: Option<Duration>,
    /// Client-side retries of failed requests (`{}` = the defaults).
    pub retry: Option<RawRetry>,
}

/// Arrival process of an entry: a fixed `rate`, a rate `profile`, a `trace` file, or a closed
/// loop of `users` (see docs/format.md, "Workload shapes").
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArrival {
    /// `poisson` (default), `constant` or `closed`.
    pub process: Option<Sp<RawProcess>>,
    /// Arrivals per second (> 0, ≤ 100000000); required unless `profile`, `trace` or
    /// `process = "closed"` is given.
    pub rate: Option<Num>,
    /// Rate over time: exactly one of `steps`, `ramp`, `spike`, `diurnal`.
    pub profile: Option<Sp<RawProfile>>,
    /// CSV file of arrival timestamps or of `interval,rate` rows, relative to the scenario file.
    pub trace: Option<Sp<String>>,
    /// Closed loop: number of users (1 to 1000000).
    pub users: Option<Int>,
    /// Closed loop: think time between an answer and the user's next request (a distribution
    /// of durations with mean > 0).
    pub think: Option<DistSpec>,
}

/// `profile = { ... }`: a rate over time (times from the start of the run, warm-up included).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    /// `[[start, rate], ...]`: the rate from each start (a duration, strictly increasing) until
    /// the next; 0 before the first.
    pub steps: Option<Vec<(Duration, Num)>>,
    /// A linear ramp.
    pub ramp: Option<RawRamp>,
    /// A spike over a base rate.
    pub spike: Option<RawSpike>,
    /// A diurnal sine.
    pub diurnal: Option<RawDiurnal>,
}

/// `ramp = { from, to, start, end }`: `from` until `start`, linear to `to` at `end`, then `to`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRamp {
    /// Rate before and at `start` (≥ 0).
    pub from: Num,
    /// Rate at and after `end` (≥ 0).
    pub to: Num,
    /// Start of the ramp (a duration, default "0s").
    pub start: Option<Duration>,
    /// End of the ramp (a duration, > start).
    pub end: Duration,
}

/// `spike = { base, peak, at, duration }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSpike {
    /// Rate outside the spike (≥ 0).
    pub base: Num,
    /// Rate during the spike (≥ 0).
    pub peak: Num,
    /// Start of the spike (a duration).
    pub at: Duration,
    /// Length of the spike (a duration, > 0).
    pub duration: Duration,
}

/// `diurnal = { mean, amplitude, period }`: rate = mean + amplitude · sin(2π t / period).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDiurnal {
    /// Mean rate (> 0).
    pub mean: Num,
    /// Amplitude (0 ≤ amplitude ≤ mean).
    pub amplitude: Num,
    /// Period (a duration, default "24h"; compress a day into minutes with e.g. "10m").
    pub period: Option<Duration>,
}

/// Arrival process kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawProcess {
    /// Poisson arrivals.
    Poisson,
    /// Deterministic, evenly spaced arrivals.
    Constant,
    /// A closed loop of `users` with `think` time.
    Closed,
}

/// `[teams.NAME]`: a team owning modules.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTeam {
    /// Number of people (optional, ≥ 1; reserved for the organization model).
    pub size: Option<Int>,
}

/// `[modules.NAME]`: a business module.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawModule {
    /// Owning team (a key of `[teams]`), optional.
    pub team: Option<Sp<String>>,
    /// Memory the module adds to every instance holding it (a size, default "0B").
    pub memory: Option<Size>,
    /// Lines of code (1 to 100000000, default 10000); drives build time in the delivery
    /// simulation.
    pub loc: Option<Int>,
    /// Operations, by name.
    #[serde(default)]
    pub ops: Table<RawOp>,
}

/// `[modules.M.ops.NAME]`: a module operation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOp {
    /// CPU demand per call (a distribution of durations, required).
    pub cpu: DistSpec,
    /// Message size of a call (a size, default "0B"); drives marshalling cost.
    pub payload: Option<Size>,
    /// Calls made, in order.
    #[serde(default)]
    pub calls: Vec<Sp<RawCall>>,
    /// Probability that an invocation fails with reason `error` after its CPU (0 to 1,
    /// default 0).
    pub errors: Option<Num>,
}

/// One call (`{ op = "m.x", ... }`) or a fork-join group (`{ parallel = [ calls ] }`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCall {
    /// The operation called, qualified: `module.op` or `datastore.op`.
    pub op: Option<Sp<String>>,
    /// Calls started together; the step ends when all have returned (no nesting).
    pub parallel: Option<Vec<Sp<RawCall>>>,
    /// Probability the call is made (0 to 1, default 1).
    pub p: Option<Num>,
    /// Number of times it is made, one after the other (1 to 10000, default 1).
    pub count: Option<Int>,
    /// Caller-side timeout of each attempt (optional).
    pub timeout: Option<Duration>,
    /// Retry policy of each repetition (`{}` = the defaults).
    pub retry: Option<RawRetry>,
    /// Circuit breaker on this call edge (`{}` = the defaults).
    pub breaker: Option<RawBreaker>,
    /// Bulkhead: most attempts in flight at once on this edge (an integer, or `true` for 10).
    pub bulkhead: Option<Bulkhead>,
    /// What a call that finally failed turns into: `"degraded"` (a degraded success).
    pub fallback: Option<Sp<RawFallback>>,
    /// Asynchronous publish: the name of the queue the message goes to; `op` then names the
    /// operation that consumes it. The caller continues after the queue's publish latency. On
    /// every step of a saga: the queue the step's event goes through (a choreographed saga).
    pub publish: Option<Sp<String>>,
    /// A saga: steps (`{ op, compensate }`) run in order; when one fails, the compensations of
    /// the completed steps run in reverse order.
    pub saga: Option<Vec<Sp<RawCall>>>,
    /// In a saga or transaction step: the operation that undoes this step (qualified
    /// `module.op`), or `{ op = "module.op", retry = { ... } }` with the compensation call's
    /// retry policy.
    pub compensate: Option<Sp<RawCompensate>>,
    /// A transaction: steps (`{ op, compensate, locks }`) run in order, atomically on one
    /// database (or, in a variant with `transactions`, as a saga or a two-phase commit).
    pub transaction: Option<Vec<Sp<RawCall>>>,
    /// On a transaction step: the named locks (hot rows) it takes.
    pub locks: Option<Sp<Vec<Sp<String>>>>,
    /// On a transaction group: longest wait for one lock before `lock_timeout` (a duration
    /// > 0, default "50s").
    pub lock_timeout: Option<Duration>,
    /// On a transaction group: the database's time to make a commit (or a prepare) durable
    /// (a distribution of durations, default "1ms").
    pub commit_latency: Option<DistSpec>,
    /// Starts an execution of the workflow of this name (`[workflows.NAME]`); nothing else on
    /// the call but `wait`.
    pub workflow: Option<Sp<String>>,
    /// With `workflow`: the caller waits for the execution's end (express workflows only;
    /// default false: the caller goes on at once).
    pub wait: Option<Sp<bool>>,
}

/// `[datastores.NAME]`: a logical data store with query operations.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDataStore {
    /// Query operations, by name.
    #[serde(default)]
    pub ops: Table<RawStoreOp>,
}

/// `[datastores.S.ops.NAME]`: a query.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStoreOp {
    /// Query time on the database (a distribution of durations, required).
    pub time: DistSpec,
    /// Message size of a call (a size, default "0B").
    pub payload: Option<Size>,
    /// Probability that a query fails with reason `error` after its time (0 to 1, default 0).
    pub errors: Option<Num>,
    /// `read` (default) or `write`: how a request-priced database bills the query.
    pub kind: Option<Sp<RawQueryKind>>,
}

/// Kinds of data-store operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawQueryKind {
    /// A read.
    Read,
    /// A write.
    Write,
}

/// `[[variants]]`: one way to deploy the model.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    /// Unique name.
    pub name: Sp<String>,
    /// Optional API gateway in front of every entry.
    pub gateway: Option<Sp<RawGateway>>,
    /// Concurrent executions shared by all serverless units of the variant (1 to 1000000,
    /// default 1000).
    pub account_concurrency: Option<Int>,
    /// Deployable units (at least one); every module in exactly one.
    #[serde(default)]
    pub units: Vec<Sp<RawUnit>>,
    /// Database servers; every data store called by a reachable operation in exactly one.
    #[serde(default)]
    pub databases: Vec<Sp<RawDatabase>>,
    /// Module ownership in this variant: `{ module = "team" }` overrides the module's `team`
    /// (the same architecture under another team structure).
    pub owners: Option<Table<Sp<String>>>,
    /// Message queues; every queue published to by an operation in exactly one.
    #[serde(default)]
    pub queues: Vec<Sp<RawQueue>>,
    /// Explicit load balancers, each in front of the entry requests of some units.
    #[serde(default)]
    pub load_balancers: Vec<Sp<RawLoadBalancer>>,
    /// Cache nodes in front of the reads of data stores.
    #[serde(default)]
    pub caches: Vec<Sp<RawCache>>,
    /// A CDN serving some entries at the edge.
    pub cdn: Option<Sp<RawCdn>>,
    /// Hosts (machines) units may be placed on.
    #[serde(default)]
    pub hosts: Vec<Sp<RawHost>>,
    /// How a transaction that spans units or databases runs: `saga` or `2pc` (required when
    /// one does).
    pub transactions: Option<Sp<crate::components::tx::raw::RawTxMode>>,
}

/// `[[variants.units]]`: a deployable unit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUnit {
    /// Unique name within the variant.
    pub name: Sp<String>,
    /// Modules held (at least one).
    pub modules: Sp<Vec<Sp<String>>>,
    /// `vm` (default), `container`, `kubernetes` or `serverless`.
    pub platform: Option<Sp<RawPlatform>>,
    /// Instances (1 to 100000, default 1; ignored for serverless).
    pub replicas: Option<Int>,
    /// Cores per instance (> 0, ≤ 4096, default 1).
    pub cores: Option<Num>,
    /// Requests in service at once per instance (1 to 1000000; default 100, 1 for serverless).
    pub workers: Option<Int>,
    /// Requests allowed to wait per instance (0 to 100000000; default unbounded).
    pub queue: Option<Int>,
    /// `blocking` (default) or `async`.
    pub io: Option<Sp<RawIo>>,
    /// Runtime memory per instance (a size, default "0B").
    pub base_memory: Option<Size>,
    /// Configured memory per instance of a serverless unit (a size, 128MB to 10240MB).
    pub memory: Option<Size>,
    /// Load balancing across replicas (default `round_robin`).
    pub lb: Option<Sp<RawLb>>,
    /// Serverless: the function's concurrency limit, carved out of the account's (0 to
    /// 1000000; default none: the function shares the unreserved account concurrency).
    pub reserved_concurrency: Option<Int>,
    /// Serverless: idle time before a warm instance is reclaimed (default "10m").
    pub keep_alive: Option<Duration>,
    /// Serverless: cold-start delay (a distribution; default from `runtime`).
    pub cold_start: Option<DistSpec>,
    /// Serverless: longest invocation (default "900s", at most "900s"); longer ones fail with
    /// `max_duration`.
    pub max_duration: Option<Duration>,
    /// Serverless: provisioned concurrency, instances always warm (0 to 1000000, default 0).
    pub provisioned: Option<Int>,
    /// Default policies of the calls this unit's operations make to other units and databases
    /// (a call's own keys take precedence).
    pub resilience: Option<RawResilience>,
    /// Load shedding at this unit's instances.
    pub shed: Option<RawShed>,
    /// Serverless: language runtime (`node` default, `python`, `go`, `rust`, `java`, `dotnet`);
    /// selects the default cold start.
    pub runtime: Option<Sp<RawRuntime>>,
    /// Serverless: new instances a function may start in a burst (token bucket, 1 to 1000000,
    /// default 1000).
    pub burst_limit: Option<Int>,
    /// Serverless: time for the burst bucket to refill completely, continuously (default "10s").
    pub burst_interval: Option<Duration>,
    /// The host every instance runs on (a `[[variants.hosts]]` name).
    pub host: Option<Sp<String>>,
    /// Hosts the instances are spread over: instance `i` on `hosts[i % len]`.
    pub hosts: Option<Sp<Vec<Sp<String>>>>,
    /// On a host: cores the instance may use at most (a container limit, > 0); default: it
    /// shares the host's cores with the other instances without a limit.
    pub cpu_limit: Option<Num>,
    /// Without hosts: zones the instances are spread over, instance `i` in `zones[i % len]`.
    pub zones: Option<Sp<Vec<Sp<String>>>>,
    /// A connection pool per instance in front of each database it queries.
    pub pool: Option<Sp<RawPool>>,
    /// Horizontal autoscaling (not on serverless units); `replicas` is the initial count.
    pub autoscale: Option<RawAutoscale>,
    /// Kubernetes: delay before a crashed instance restarts once its crash ends (default "10s").
    pub restart_delay: Option<Duration>,
}

/// Platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawPlatform {
    /// Virtual machines.
    Vm,
    /// Containers.
    Container,
    /// Kubernetes pods.
    Kubernetes,
    /// Serverless functions.
    Serverless,
}

/// I/O models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawIo {
    /// Thread per request.
    Blocking,
    /// Event loop.
    Async,
}

/// `[[variants.databases]]`: a database server.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    /// Unique name within the variant.
    pub name: Sp<String>,
    /// Data stores held (at least one).
    pub stores: Sp<Vec<Sp<String>>>,
    /// Server cores (> 0, ≤ 4096, default 2).
    pub cores: Option<Num>,
    /// Queries executed at once (1 to 1000000, default 100).
    pub max_connections: Option<Int>,
    /// `hourly` (default: per server vCPU-hour, RDS-like) or `request` (per million reads and
    /// writes, DynamoDB-like).
    pub pricing: Option<Sp<RawDbPricing>>,
    /// Read replicas (0 to 15, default 0), each with the primary's cores and
    /// `max_connections`: reads go to a replica drawn at random, writes to the primary.
    pub read_replicas: Option<Int>,
    /// Zone of the database and its replicas (a name; default none).
    pub zone: Option<Sp<String>>,
    /// The `[[variants.hosts]]` the database server runs on, beside the units (a self-hosted
    /// database sharing the host's cores and memory, billed as part of the host; default none:
    /// a managed database of its own).
    pub host: Option<Sp<String>>,
    /// Memory of the database server on its host (a size, required with `host`): counted
    /// against the host's memory.
    pub memory: Option<Size>,
    /// Cores of its own on the host (a container limit, > 0; only with `host`; default: it
    /// shares the host's cores with the instances without a limit).
    pub cpu_limit: Option<Num>,
}

/// Database pricing modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawDbPricing {
    /// Per server vCPU-hour.
    Hourly,
    /// Per request.
    Request,
}

/// `[prices]`: overrides of the price tables, in US dollars (every key optional, ≥ 0; the
/// defaults and their docs/sources.md rows are listed in `docs/cost.md`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPrices {
    /// VM per vCPU-hour (default 0.02834).
    pub vm_vcpu_hour: Option<Num>,
    /// VM per GB of instance memory per hour (default 0.003116).
    pub vm_gb_hour: Option<Num>,
    /// Container (Fargate) per vCPU-hour (default 0.04048).
    pub container_vcpu_hour: Option<Num>,
    /// Container (Fargate) per GB-hour (default 0.004445).
    pub container_gb_hour: Option<Num>,
    /// Shortest billed container lifetime in seconds (default 60).
    pub container_minimum_s: Option<Num>,
    /// Kubernetes worker node per hour (default 0.0816).
    pub kubernetes_node_hour: Option<Num>,
    /// vCPUs of a Kubernetes worker node (default 2, > 0).
    pub kubernetes_node_vcpus: Option<Num>,
    /// Memory of a Kubernetes worker node in GB (default 8, > 0).
    pub kubernetes_node_memory_gb: Option<Num>,
    /// Kubernetes control plane per cluster-hour (default 0.10).
    pub kubernetes_cluster_hour: Option<Num>,
    /// Serverless per million requests (default 0.20).
    pub serverless_per_million_requests: Option<Num>,
    /// Serverless per GB-s (default 0.0000166667).
    pub serverless_gb_second: Option<Num>,
    /// Serverless provisioned concurrency per GB-s provisioned (default 0.0000041667).
    pub serverless_provisioned_gb_second: Option<Num>,
    /// Serverless per GB-s executed on provisioned instances (default 0.0000097222).
    pub serverless_provisioned_executed_gb_second: Option<Num>,
    /// Subtract the serverless free tier, prorated to the window (default false).
    pub serverless_free_tier: Option<Sp<bool>>,
    /// Bill serverless cold starts as before 1 August 2025: the INIT phase free (default false:
    /// INIT billed like the invocation).
    pub serverless_unbilled_init: Option<Sp<bool>>,
    /// Gateway HTTP API per million requests (default 1.00).
    pub gateway_http_per_million: Option<Num>,
    /// Gateway REST API per million requests (default 3.50).
    pub gateway_rest_per_million: Option<Num>,
    /// Load balancer per hour (default 0.0225).
    pub lb_hour: Option<Num>,
    /// Load balancer per LCU-hour (default 0.008).
    pub lb_lcu_hour: Option<Num>,
    /// Network load balancer per hour (default 0.0225).
    pub nlb_hour: Option<Num>,
    /// Network load balancer per NLCU-hour (default 0.006).
    pub nlb_nlcu_hour: Option<Num>,
    /// A cache (gateway response cache, cache node) per hour (default 0.020).
    pub cache_hour: Option<Num>,
    /// Hourly-priced database per server vCPU-hour (default 0.125).
    pub database_vcpu_hour: Option<Num>,
    /// Request-priced database per million writes (default 0.625).
    pub database_per_million_writes: Option<Num>,
    /// Request-priced database per million reads (default 0.125).
    pub database_per_million_reads: Option<Num>,
    /// Message queue per million requests (default 0.40).
    pub queue_per_million: Option<Num>,
    /// Cross-zone transfer per GB, each direction (default 0.01).
    pub cross_zone_per_gb: Option<Num>,
    /// Responses to the internet per GB (default 0.09).
    pub internet_egress_per_gb: Option<Num>,
}

impl RawPrices {
    /// The numeric overrides by key (the order of [`crate::spec::prices::Prices::numeric_mut`]).
    pub fn numeric(&self) -> [(&'static str, Option<&Num>); 26] {
        [
            ("vm_vcpu_hour", self.vm_vcpu_hour.as_ref()),
            ("vm_gb_hour", self.vm_gb_hour.as_ref()),
            ("container_vcpu_hour", self.container_vcpu_hour.as_ref()),
            ("container_gb_hour", self.container_gb_hour.as_ref()),
            ("container_minimum_s", self.container_minimum_s.as_ref()),
            ("kubernetes_node_hour", self.kubernetes_node_hour.as_ref()),
            ("kubernetes_node_vcpus", self.kubernetes_node_vcpus.as_ref()),
            (
                "kubernetes_node_memory_gb",
                self.kubernetes_node_memory_gb.as_ref(),
            ),
            (
                "kubernetes_cluster_hour",
                self.kubernetes_cluster_hour.as_ref(),
            ),
            (
                "serverless_per_million_requests",
                self.serverless_per_million_requests.as_ref(),
            ),
            ("serverless_gb_second", self.serverless_gb_second.as_ref()),
            (
                "serverless_provisioned_gb_second",
                self.serverless_provisioned_gb_second.as_ref(),
            ),
            (
                "serverless_provisioned_executed_gb_second",
                self.serverless_provisioned_executed_gb_second.as_ref(),
            ),
            (
                "gateway_http_per_million",
                self.gateway_http_per_million.as_ref(),
            ),
            (
                "gateway_rest_per_million",
                self.gateway_rest_per_million.as_ref(),
            ),
            ("lb_hour", self.lb_hour.as_ref()),
            ("lb_lcu_hour", self.lb_lcu_hour.as_ref()),
            ("nlb_hour", self.nlb_hour.as_ref()),
            ("nlb_nlcu_hour", self.nlb_nlcu_hour.as_ref()),
            ("cache_hour", self.cache_hour.as_ref()),
            ("database_vcpu_hour", self.database_vcpu_hour.as_ref()),
            (
                "database_per_million_writes",
                self.database_per_million_writes.as_ref(),
            ),
            (
                "database_per_million_reads",
                self.database_per_million_reads.as_ref(),
            ),
            ("queue_per_million", self.queue_per_million.as_ref()),
            ("cross_zone_per_gb", self.cross_zone_per_gb.as_ref()),
            (
                "internet_egress_per_gb",
                self.internet_egress_per_gb.as_ref(),
            ),
        ]
    }
}

/// `[delivery]`: the delivery-process simulation (see docs/delivery.md for the model).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDelivery {
    /// Measured simulated time after warm-up (a duration, default "2160h" = 90 days).
    pub duration: Option<Duration>,
    /// Simulated but unmeasured time at the start (a duration, default "0s").
    pub warmup: Option<Duration>,
    /// Mean time between change requests of one team (Poisson arrivals; a duration > 0,
    /// default "8h").
    pub change_interval: Option<Duration>,
    /// Per-team override of `change_interval`: `{ team = "4h" }`.
    pub team_change_interval: Option<Table<Duration>>,
    /// Probability that a change spreads along one call edge between two modules (0 to 1,
    /// default 0.3).
    pub call_coupling: Option<Num>,
    /// Probability that a change spreads between two modules through each data store both use
    /// (0 to 1, default 0.5).
    pub store_coupling: Option<Num>,
    /// Fixed part of building and testing a deployable (a duration, default "5m").
    pub build_base: Option<Duration>,
    /// Build and test time per 1000 lines of code of the deployable (a duration, default "6s").
    pub build_per_kloc: Option<Duration>,
    /// Probability that a build breaks (0 to 1, default 0.1).
    pub build_failure: Option<Num>,
    /// Time to fix a broken build, during which the pipeline is blocked (a distribution,
    /// default `{ dist = "exp", mean = "30m" }`).
    pub fix_time: Option<DistSpec>,
    /// Time to deploy one release of a deployable (a distribution, default "10m").
    pub deploy_time: Option<DistSpec>,
    /// Probability that a deployment fails in production (0 to 1, default 0.15).
    pub change_failure: Option<Num>,
    /// Time to restore service after a failed deployment (a distribution, default
    /// `{ dist = "exp", mean = "1h" }`).
    pub restore_time: Option<DistSpec>,
    /// Mean coordination delay per communication channel among the teams of a change that
    /// spans several deployables (exponential; a duration, default "4h").
    pub coordination: Option<Duration>,
    /// Release-train period: built changes wait for the next departure (a duration > 0;
    /// omitted = continuous deployment).
    pub release_train: Option<Duration>,
    /// Most changes one build takes from its pipeline's queue (1 to 100000, default 100): a
    /// free pipeline builds every queued change together, as CI builds the commits merged since
    /// the last build.
    pub max_batch: Option<Int>,
}
