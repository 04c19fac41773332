//! The raw scenario: serde types mirroring the TOML file exactly, with byte spans kept for
//! located errors. Nothing is validated here beyond TOML syntax, key names
//! (`deny_unknown_fields`) and basic shapes; values that need units or limits are kept as
//! spanned TOML values and checked by the resolver, so that many errors can be reported at once.
//!
//! The doc comments on these types are the descriptions of the JSON Schema
//! ([`crate::scenario::json_schema`]).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::units::{DIST_NAMES, DURATION_PATTERN, SIZE_PATTERN};

/// A value with its byte span in the file.
///
/// Only for values that always have a span in the `toml` crate: scalars, arrays, inline tables
/// and elements of arrays of tables — never for a table that may be created implicitly by a
/// dotted header.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct Sp<T>(pub Spanned<T>);

impl<T> Sp<T> {
    /// Byte range of the value in the file.
    pub fn span(&self) -> Range<usize> {
        self.0.span()
    }

    /// The value.
    pub fn get(&self) -> &T {
        self.0.get_ref()
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A TOML table whose keys are names, in file order, each key with its span.
///
/// Values carry no span: a table created implicitly by a header such as
/// `[modules.orders.ops.checkout]` (here `modules.orders`) has none in the `toml` crate.
#[derive(Debug, Clone)]
pub struct Table<V>(pub Vec<(Sp<String>, V)>);

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Table<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Table<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of named entries")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Sp<String>>()? {
                    let v = map.next_value::<V>()?;
                    out.push((k, v));
                }
                Ok(Table(out))
            }
        }
        d.deserialize_map(V2(PhantomData))
    }
}

impl<V: JsonSchema> JsonSchema for Table<V> {
    fn schema_name() -> Cow<'static, str> {
        format!("Table_of_{}", V::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let v = generator.subschema_for::<V>();
        json_schema!({ "type": "object", "additionalProperties": v })
    }
}

macro_rules! value_wrapper {
    ($(#[$doc:meta])* $name:ident, $schema_name:literal, |$g:ident| $schema:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Sp<toml::Value>);

        impl $name {
            /// Byte range of the value in the file.
            pub fn span(&self) -> Range<usize> {
                self.0.span()
            }
            /// The TOML value.
            pub fn value(&self) -> &toml::Value {
                self.0.get()
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                $schema_name.into()
            }
            fn json_schema($g: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

value_wrapper!(
    /// A duration: a string with a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`), e.g. `"250us"`.
    Duration, "Duration", |_g| json_schema!({
        "type": "string",
        "pattern": DURATION_PATTERN,
        "description": "A duration with a unit: ns, us (or µs), ms, s, m (minutes), h. Examples: \"250us\", \"4ms\", \"1.5s\", \"10m\". A bare number is an error. Limit: 10 years.",
        "examples": ["250us", "4ms", "1.5s"]
    })
);

value_wrapper!(
    /// A size: a string with a unit (`B`, `KB`, `MB`, `GB`, `TB` powers of 1000; `KiB`, `MiB`,
    /// `GiB`, `TiB` powers of 1024), e.g. `"2KB"`.
    Size, "Size", |_g| json_schema!({
        "type": "string",
        "pattern": SIZE_PATTERN,
        "description": "A size with a unit: B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024). Examples: \"512B\", \"2KB\", \"1.5MB\". Limit: 64TB.",
        "examples": ["512B", "2KB", "1GiB"]
    })
);

value_wrapper!(
    /// A distribution of durations: a duration string (a constant) or a `dist` table.
    DistSpec, "Distribution", |g| {
        let d = g.subschema_for::<Duration>();
        let dists: Vec<String> = DIST_NAMES.iter().map(|s| s.to_string()).collect();
        json_schema!({
            "description": "A distribution of durations: a plain duration is a constant; or a table with `dist` = one of const, exp, lognormal, gamma, uniform, pareto, empirical. Means and bounds are durations; `cv` (coefficient of variation, σ/mean) and `alpha` are numbers.",
            "oneOf": [
                d,
                {
                    "type": "object",
                    "description": "A distribution table.",
                    "required": ["dist"],
                    "properties": { "dist": { "type": "string", "enum": dists } }
                },
                { "type": "object", "additionalProperties": false, "required": ["dist", "value"],
                  "description": "Always `value`.",
                  "properties": { "dist": { "const": "const" }, "value": d } },
                { "type": "object", "additionalProperties": false, "required": ["dist", "mean"],
                  "description": "Exponential with the given mean.",
                  "properties": { "dist": { "const": "exp" }, "mean": d } },
                { "type": "object", "additionalProperties": false, "required": ["dist", "mean", "cv"],
                  "description": "Log-normal or gamma with the given mean and coefficient of variation (cv > 0).",
                  "properties": { "dist": { "enum": ["lognormal", "gamma"] }, "mean": d,
                                  "cv": { "type": "number", "exclusiveMinimum": 0, "maximum": 100 } } },
                { "type": "object", "additionalProperties": false, "required": ["dist", "min", "max"],
                  "description": "Uniform on [min, max], min ≤ max.",
                  "properties": { "dist": { "const": "uniform" }, "min": d, "max": d } },
                { "type": "object", "additionalProperties": false, "required": ["dist", "alpha"],
                  "description": "Pareto with `scale` (its minimum) and shape `alpha` > 0, or with `mean` and `alpha` > 1.",
                  "properties": { "dist": { "const": "pareto" }, "scale": d, "mean": d,
                                  "alpha": { "type": "number", "exclusiveMinimum": 0 } } },
                { "type": "object", "additionalProperties": false, "required": ["dist", "samples"],
                  "description": "Uniform choice among the given samples (at least one).",
                  "properties": { "dist": { "const": "empirical" },
                                  "samples": { "type": "array", "items": d, "minItems": 1 } } }
            ]
        })
    }
);

value_wrapper!(
    /// An integer, checked against its limits by the resolver.
    Int, "Integer", |_g| json_schema!({ "type": "integer" })
);

value_wrapper!(
    /// A number (integer or float), checked against its limits by the resolver.
    Num, "Number", |_g| json_schema!({ "type": "number" })
);

value_wrapper!(
    /// A table accepted as is and not interpreted yet (reserved for resilience settings).
    Opaque, "ReservedTable", |_g| json_schema!({
        "type": "object",
        "description": "Reserved: accepted but not yet interpreted."
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

/// Arrival process of an entry.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArrival {
    /// `poisson` (default) or `constant`.
    pub process: Option<Sp<RawProcess>>,
    /// Arrivals per second (> 0, ≤ 100000000).
    pub rate: Num,
}

/// Arrival process kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawProcess {
    /// Poisson arrivals.
    Poisson,
    /// Deterministic, evenly spaced arrivals.
    Constant,
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
}

/// `[[variants]]`: one way to deploy the model.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    /// Unique name.
    pub name: Sp<String>,
    /// Optional API gateway in front of every entry.
    pub gateway: Option<RawGateway>,
    /// Concurrency limit shared by all serverless units (reserved: parsed, not yet used).
    pub account_concurrency: Option<Int>,
    /// Deployable units (at least one); every module in exactly one.
    #[serde(default)]
    pub units: Vec<Sp<RawUnit>>,
    /// Database servers; every data store called by a reachable operation in exactly one.
    #[serde(default)]
    pub databases: Vec<Sp<RawDatabase>>,
}

/// `gateway = { overhead = ... }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGateway {
    /// Per-request overhead (a distribution of durations). Default
    /// `{ dist = "lognormal", mean = "730us", cv = 0.3 }`.
    pub overhead: Option<DistSpec>,
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
    /// Serverless: reserved concurrency (reserved: parsed, not yet used).
    pub reserved_concurrency: Option<Int>,
    /// Serverless: idle time before an instance is reclaimed (reserved: parsed, not yet used).
    pub keep_alive: Option<Duration>,
    /// Serverless: cold-start delay (reserved: parsed, not yet used).
    pub cold_start: Option<DistSpec>,
    /// Serverless: maximum duration of an invocation (reserved: parsed, not yet used).
    pub max_duration: Option<Duration>,
    /// Serverless: provisioned concurrency (reserved: parsed, not yet used).
    pub provisioned: Option<Int>,
    /// Default policies of the calls this unit's operations make to other units and databases
    /// (a call's own keys take precedence).
    pub resilience: Option<RawResilience>,
    /// Load shedding at this unit's instances.
    pub shed: Option<RawShed>,
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
    /// A host down (not supported yet: hosts are not modelled).
    HostOutage,
    /// A zone down (not supported yet: zones are not modelled).
    ZoneOutage,
}
