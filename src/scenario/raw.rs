//! The raw scenario: serde types mirroring the TOML file exactly, with byte spans kept for
//! located errors. Nothing is validated here beyond TOML syntax, key names
//! (`deny_unknown_fields`) and basic shapes; values that need units or limits are kept as
//! spanned TOML values and checked by the resolver, so that many errors can be reported at once.
//!
//! The doc comments on these types are the descriptions of the JSON Schema
//! ([`crate::scenario::json_schema`]).

use std::borrow::Cow;
use std::ops::Range;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;

use crate::spec::raw::value_wrapper;
pub use crate::spec::raw::*;

value_wrapper!(
    /// Key popularity of a TTL cache: `"uniform"` or `{ zipf = s }`.
    Popularity, "Popularity", |_g| json_schema!({
        "anyOf": [
            { "const": "uniform" },
            {
                "type": "object",
                "properties": { "zipf": { "type": "number", "exclusiveMinimum": 0, "maximum": 10 } },
                "required": ["zipf"],
                "additionalProperties": false
            }
        ],
        "description": "Key popularity: \"uniform\" or { zipf = s } (Zipf exponent s in (0, 10])."
    })
);

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
    /// operation that consumes it. The caller continues after the queue's publish latency.
    pub publish: Option<Sp<String>>,
    /// A saga: steps (`{ op, compensate }`) run in order; when one fails, the compensations of
    /// the completed steps run in reverse order.
    pub saga: Option<Vec<Sp<RawCall>>>,
    /// In a saga step: the operation that undoes this step (qualified `module.op`).
    pub compensate: Option<Sp<String>>,
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
}

/// `[[variants.load_balancers]]`: an explicit (ALB-like) load balancer.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLoadBalancer {
    /// Unique name among the variant's nodes.
    pub name: Sp<String>,
    /// Units whose entry requests go through it (at least one).
    pub units: Sp<Vec<Sp<String>>>,
    /// Balancing across the units' replicas (default `round_robin`); replaces the units' `lb`.
    pub algorithm: Option<Sp<RawLb>>,
    /// Balancer instances (1 to 100, default 1: a single point of failure).
    pub replicas: Option<Int>,
    /// Requests in flight through one balancer instance at once (1 to 100000000; default
    /// unlimited); more are rejected.
    pub capacity: Option<Int>,
    /// Latency added per request (a distribution of durations, default `"400us"`).
    pub latency: Option<DistSpec>,
}

/// `[[variants.caches]]`: a cache node (Redis-like) in front of data-store reads.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCache {
    /// Unique name among the variant's nodes.
    pub name: Sp<String>,
    /// Data stores whose `kind = "read"` operations it caches (at least one).
    pub stores: Sp<Vec<Sp<String>>>,
    /// Fraction of reads answered by the cache (0 to 1, required unless `ttl` is given).
    pub hit_ratio: Option<Num>,
    /// Time-to-live cache simulated per key instead of a fixed hit ratio.
    pub ttl: Option<Duration>,
    /// TTL cache: number of distinct keys (1 to 1000000, default 1000).
    pub keys: Option<Int>,
    /// TTL cache: key popularity, `"uniform"` (default) or `{ zipf = s }`.
    pub popularity: Option<Popularity>,
    /// Time of a cache lookup (a distribution of durations, default `"200us"`).
    pub latency: Option<DistSpec>,
}

/// `cdn = { entries = [...], hit_ratio, latency }` on a variant.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCdn {
    /// Entries served through the CDN (at least one).
    pub entries: Sp<Vec<Sp<String>>>,
    /// Fraction of requests answered at the edge (0 to 1, required).
    pub hit_ratio: Num,
    /// Edge latency of a request (a distribution of durations, default `"5ms"`).
    pub latency: Option<DistSpec>,
}

/// `cache = { ... }` of a gateway route.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRouteCache {
    /// Fraction of requests answered from the cache (0 to 1).
    pub hit_ratio: Option<Num>,
    /// Time-to-live of a cached response (TTL cache simulated per key).
    pub ttl: Option<Duration>,
    /// TTL cache: number of distinct keys (1 to 1000000, default 1000).
    pub keys: Option<Int>,
    /// TTL cache: key popularity, `"uniform"` (default) or `{ zipf = s }`.
    pub popularity: Option<Popularity>,
}

/// `[[variants.gateway.routes]]`: per-entry settings of the gateway.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    /// The entry routed.
    pub entry: Sp<String>,
    /// Response cache of the route.
    pub cache: Option<Sp<RawRouteCache>>,
}

/// `auth = { cpu = ... }` or `auth = { op = ... }` of a gateway.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAuth {
    /// Fixed CPU cost on the gateway (a distribution of durations).
    pub cpu: Option<DistSpec>,
    /// A call to this operation (`module.op`) per request.
    pub op: Option<Sp<String>>,
}

/// `rate_limit = { rate, burst }` of a gateway: a token bucket.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRateLimit {
    /// Sustained requests per second (> 0).
    pub rate: Num,
    /// Bucket size: requests admitted at once after a quiet period (≥ 1, default `rate`).
    pub burst: Option<Num>,
}

/// `[[variants.hosts]]`: a machine whose cores the instances placed on it share.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHost {
    /// Unique name within the variant.
    pub name: Sp<String>,
    /// Cores (> 0, ≤ 4096, required).
    pub cores: Num,
    /// Memory (a size; default: not checked). The instances placed on it must fit.
    pub memory: Option<Size>,
    /// Zone (availability zone) of the host (a name; default none).
    pub zone: Option<Sp<String>>,
}

/// `[[variants.queues]]`: a message queue (SQS-like) with its consumers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQueue {
    /// Name, as used by `publish = "NAME"` in calls.
    pub name: Sp<String>,
    /// Delay before the publisher continues and the message becomes visible (a distribution
    /// of durations, required).
    pub publish_latency: DistSpec,
    /// How long a received message stays invisible before it is redelivered if not deleted
    /// (a duration > 0, required).
    pub visibility_timeout: Duration,
    /// Receives after which an undeleted message is dead-lettered (1 to 1000; default: never).
    pub max_receives: Option<Int>,
    /// Consumer invocations in flight at once (1 to 100000, required).
    pub consumers: Int,
}

/// `gateway = { overhead = ... }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGateway {
    /// Per-request overhead (a distribution of durations). Default
    /// `{ dist = "lognormal", mean = "730us", cv = 0.3 }`.
    pub overhead: Option<DistSpec>,
    /// Product priced per request: `http` (default, HTTP API) or `rest` (REST API).
    pub api: Option<Sp<RawGatewayApi>>,
    /// Gateway instances (1 to 100000, default 1); any of the keys below makes the gateway a
    /// node with instances.
    pub replicas: Option<Int>,
    /// Cores per gateway instance (> 0, ≤ 4096; default: unlimited, the overhead a pure delay).
    pub cores: Option<Num>,
    /// CPU phases in progress at once per instance (1 to 1000000, default 1024).
    pub workers: Option<Int>,
    /// Requests allowed to wait for a worker per instance (default unbounded).
    pub queue: Option<Int>,
    /// Authentication per request.
    pub auth: Option<Sp<RawAuth>>,
    /// Token-bucket rate limit over the whole gateway.
    pub rate_limit: Option<Sp<RawRateLimit>>,
    /// Per-entry settings (response cache).
    #[serde(default)]
    pub routes: Vec<Sp<RawRoute>>,
    /// Logical modules hosted on the gateway's instances (composition operations, a
    /// backend-for-frontend) instead of in a unit; makes the gateway a node.
    pub modules: Option<Sp<Vec<Sp<String>>>>,
}

/// Gateway products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawGatewayApi {
    /// HTTP API.
    Http,
    /// REST API.
    Rest,
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

/// `pool = { size, acquire_timeout }`: a unit instance's connection pool per database.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPool {
    /// Connections (1 to 100000, default 10).
    pub size: Option<Int>,
    /// Longest wait for a connection before `pool_timeout` (a duration > 0, default "30s").
    pub acquire_timeout: Option<Duration>,
}

/// `autoscale = { ... }` on a unit (Kubernetes HPA semantics).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAutoscale {
    /// Target time-averaged CPU utilization per instance (0 < u ≤ 1); exclusive with
    /// `target_in_flight`.
    pub target_utilization: Option<Num>,
    /// Target time-averaged requests present per instance (> 0).
    pub target_in_flight: Option<Num>,
    /// Fewest instances (1 to 100000, default 1).
    pub min: Option<Int>,
    /// Most instances (required, ≥ `min`).
    pub max: Option<Int>,
    /// Sync period (default "15s").
    pub period: Option<Duration>,
    /// No change while |metric / target − 1| ≤ tolerance (0 to < 1, default 0.1).
    pub tolerance: Option<Num>,
    /// Scale-up stabilization window (default "0s").
    pub scale_up_window: Option<Duration>,
    /// Scale-down stabilization window (default "300s").
    pub scale_down_window: Option<Duration>,
    /// Start-up time of a new instance, a duration or distribution (default "5s").
    pub startup: Option<DistSpec>,
    /// Scale-up rate limit: instances added per `scale_up_period` (default 4) ...
    pub scale_up_pods: Option<Int>,
    /// ... or this percentage of the instances, whichever is larger (default 100).
    pub scale_up_percent: Option<Num>,
    /// Period of the scale-up rate limit (default "15s").
    pub scale_up_period: Option<Duration>,
}

/// Serverless runtimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawRuntime {
    /// Node.js.
    Node,
    /// Python.
    Python,
    /// Go.
    Go,
    /// Rust.
    Rust,
    /// Java.
    Java,
    /// .NET.
    Dotnet,
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

/// Load-balancing algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawLb {
    /// Replicas in turn.
    RoundRobin,
    /// A random replica.
    Random,
    /// The replica with the fewest requests in it.
    LeastOutstanding,
    /// The less loaded of two random replicas.
    PowerOfTwo,
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
    /// Gateway HTTP API per million requests (default 1.00).
    pub gateway_http_per_million: Option<Num>,
    /// Gateway REST API per million requests (default 3.50).
    pub gateway_rest_per_million: Option<Num>,
    /// Load balancer per hour (default 0.0225).
    pub lb_hour: Option<Num>,
    /// Load balancer per LCU-hour (default 0.008).
    pub lb_lcu_hour: Option<Num>,
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
}

impl RawPrices {
    /// The numeric overrides by key (the order of [`crate::spec::prices::Prices::numeric_mut`]).
    pub fn numeric(&self) -> [(&'static str, Option<&Num>); 23] {
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

value_wrapper!(
    /// A bulkhead size: an integer ≥ 1, or `true` for the default (10, Hystrix).
    Bulkhead, "Bulkhead", |_g| json_schema!({
        "description": "Most attempts in flight at once on the call edge: an integer from 1 to 1000000, or true for 10 (Hystrix's pool).",
        "oneOf": [ { "type": "integer", "minimum": 1 }, { "type": "boolean" } ]
    })
);

value_wrapper!(
    /// A breaker window: an integer (the last N calls) or a duration (the calls of the last
    /// D, in one-second buckets).
    BreakerWindowSpec, "BreakerWindow", |g| {
        let d = g.subschema_for::<Duration>();
        json_schema!({
            "description": "Sliding window of a circuit breaker: an integer (count-based: the last N calls) or a duration (time-based: the calls of the last D, whole seconds).",
            "oneOf": [ { "type": "integer", "minimum": 1 }, d ]
        })
    }
);

/// `retry = { ... }`: retries with exponential backoff.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRetry {
    /// Attempts in all, the first included (1 to 100, default 3: AWS SDK standard).
    pub attempts: Option<Int>,
    /// Backoff base (default "1s": AWS SDK standard).
    pub base: Option<Duration>,
    /// Backoff cap (default "20s": AWS SDK standard).
    pub cap: Option<Duration>,
    /// `none`, `full` (default), `equal` or `decorrelated` (Brooker).
    pub jitter: Option<Sp<RawJitter>>,
    /// Retry budget: retries at most this share of calls over 10 s, plus `min_per_s` (0 to 1;
    /// default none).
    pub budget: Option<Num>,
    /// Retry budget floor: retries per second always allowed (default 10: Finagle).
    pub min_per_s: Option<Num>,
}

/// Jitter kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawJitter {
    /// `min(cap, base·2ⁿ)`.
    None,
    /// `random(0, min(cap, base·2ⁿ))`.
    Full,
    /// Half fixed, half random.
    Equal,
    /// `min(cap, random(base, 3·previous))`.
    Decorrelated,
}

/// `breaker = { ... }`: a circuit breaker (defaults: resilience4j).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBreaker {
    /// Sliding window: calls (integer, default 100) or a duration.
    pub window: Option<BreakerWindowSpec>,
    /// Failure rate that opens it (0 to 1, default 0.5).
    pub failure_rate: Option<Num>,
    /// Slow-call rate that opens it (0 to 1, default 1).
    pub slow_call_rate: Option<Num>,
    /// Duration above which a call is slow (default "60s").
    pub slow_call: Option<Duration>,
    /// Calls in the window before rates count (1 to 1000000, default 100).
    pub min_calls: Option<Int>,
    /// Time open before half-open (default "60s").
    pub open: Option<Duration>,
    /// Probe calls in half-open (1 to 1000000, default 10).
    pub half_open: Option<Int>,
}

/// Fallbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawFallback {
    /// The call succeeds, degraded.
    Degraded,
}

/// `resilience = { ... }` on a unit: defaults for the calls its operations make.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResilience {
    /// Per-attempt timeout.
    pub timeout: Option<Duration>,
    /// Retries.
    pub retry: Option<RawRetry>,
    /// Circuit breaker (one per call edge).
    pub breaker: Option<RawBreaker>,
    /// Bulkhead per call edge.
    pub bulkhead: Option<Bulkhead>,
    /// Fallback.
    pub fallback: Option<Sp<RawFallback>>,
}

/// `shed = { max_wait = ... }` on a unit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawShed {
    /// Reject arrivals with reason `shed` when the expected queue wait exceeds this (required).
    pub max_wait: Duration,
}

/// `[[faults]]`: a fault injected in every variant.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFault {
    /// Name in the results (default `KIND TARGET`).
    pub name: Option<Sp<String>>,
    /// What breaks.
    pub kind: Sp<RawFaultKind>,
    /// A unit, module, database, data store or `gateway` (not for `partition`).
    pub target: Option<Sp<String>>,
    /// Start, from the start of the run (default "0s").
    pub at: Option<Duration>,
    /// Length (default: to the end of the run).
    pub duration: Option<Duration>,
    /// crash: only the first N instances of the target (default all).
    pub instances: Option<Int>,
    /// slow: service demand multiplier (> 0, ≤ 1000).
    pub factor: Option<Num>,
    /// error: probability a request to the target fails (0 to 1).
    pub rate: Option<Num>,
    /// latency: delay added to each request to the target.
    pub added: Option<Duration>,
    /// partition: two groups of units/modules/databases/data stores.
    pub groups: Option<Sp<Vec<NameList>>>,
    /// crash: random failures of every instance, mean time between failures (with `mttr`).
    pub mtbf: Option<Duration>,
    /// crash: mean time to repair (with `mtbf`).
    pub mttr: Option<Duration>,
}

/// A list of names with their spans.
pub type NameList = Sp<Vec<Sp<String>>>;

/// Fault kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawFaultKind {
    /// Instances down.
    Crash,
    /// Slower service.
    Slow,
    /// Injected errors.
    Error,
    /// Added latency.
    Latency,
    /// Network partition between two groups.
    Partition,
    /// Every instance on a host down (`target` = the host).
    HostOutage,
    /// Every instance and database in a zone down (`target` = the zone).
    ZoneOutage,
}
