//! The results document. Field names are a contract (see `docs/results.md`); extend, never
//! rename.

pub use crate::components::autoscaler::report::AutoscaleResult;
pub use crate::components::cache::report::CacheResult;
pub use crate::components::function::report::FunctionResult;
pub use crate::components::pool::report::PoolResult;
pub use crate::components::queue::report::{QueueResult, QueueSeries};
pub use crate::components::saga::report::SagaResult;
use crate::stats::stat::Stat;
pub use crate::stats::LatencyResult;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the results document layout.
pub const SCHEMA_VERSION: u32 = 1;

/// One run of a scenario: every variant, every replication combined.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Results {
    /// Layout version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per variant that finished.
    pub replications: u32,
    /// Worker threads used. Not written to the document: it changes no number but the
    /// timings, and documents from any thread count must compare equal apart from those.
    #[serde(skip)]
    pub threads: usize,
    /// Per variant, in scenario order.
    pub variants: Vec<VariantResult>,
    /// Paired differences of each variant against the first (common random numbers).
    pub comparisons: Vec<Comparison>,
    /// Warnings about the run (few samples for a percentile, one replication, …).
    pub warnings: Vec<String>,
    /// Outcome of the self-check (Little's law and conservation on every replication).
    pub self_check: SelfCheck,
    /// Variant names as ordered evolution steps (the scenario's `evolution`); omitted when
    /// the scenario has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evolution: Vec<String>,
    /// Uncertain inputs: the values drawn per replication and the spread of the headline
    /// metrics across replications. Absent when every input is a plain value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<UncertaintyResult>,
    /// Precision on demand (`run --precision`): target, what was reached, replications.
    /// Absent for a run with a fixed replication count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionResult>,
    /// Per SLO (the scenario's `slo`, then `run --slo`) and variant: the fraction of
    /// replications meeting it. Absent when no SLO is given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slo_probability: Vec<SloProbability>,
    /// Per variant, a few plain sentences against the first variant (latency and its biggest
    /// contributors, cost, memory, availability, each SLO), saying only what the 95%
    /// intervals support (see `docs/results.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verdict: Vec<super::verdict::VariantVerdict>,
    /// Present only in a document merged with `archsim merge --allow-partial` from parts that
    /// did not cover the whole run: what is missing. Absent in a complete document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<PartialMerge>,
}

/// What a partial merge (`archsim merge --allow-partial`) lacks: the document combines only
/// the replications (of a run) or points (of a sweep) that the parts given hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PartialMerge {
    /// Shards in the split.
    pub shards: u32,
    /// Shards no part was given for (0-based indices).
    pub missing_shards: Vec<u32>,
    /// A run's replications that are not in the document (0-based), from missing shards and
    /// from shards interrupted before they finished them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_replications: Vec<u32>,
    /// A sweep's points that are not in the document (indices in the grid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_points: Vec<usize>,
}

/// Outcome of the invariants checked on every replication.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct SelfCheck {
    /// Whether every invariant held.
    pub ok: bool,
    /// Violations, prefixed with variant and replication.
    pub violations: Vec<String>,
}

/// Results of one variant.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct VariantResult {
    /// Variant name.
    pub name: String,
    /// Per entry, in scenario order.
    pub entries: IndexMap<String, EntryResult>,
    /// Per unit, in scenario order.
    pub units: IndexMap<String, NodeResult>,
    /// Per database, in scenario order.
    pub databases: IndexMap<String, NodeResult>,
    /// Front-door nodes, keyed by name: `gateway` (a gateway with instances), each load
    /// balancer, each cache node, `cdn` (absent when none).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub components: IndexMap<String, ComponentResult>,
    /// Per cache decision point (`gateway: ENTRY` route caches, `cdn: ENTRY`, cache nodes):
    /// lookups and hits (absent when none).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub caches: IndexMap<String, CacheResult>,
    /// Memory provisioned by the variant's instances \[GB\] (base memory of each instance plus
    /// the memory of the modules it holds).
    pub memory_provisioned_gb: Stat,
    /// Successful requests / all requests that got an answer, over every entry.
    pub availability: Stat,
    /// Time series, averaged over replications.
    pub series: SeriesResult,
    /// Ownership and Conway metrics (see `docs/results.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conway: Option<crate::org::conway::ConwayMetrics>,
    /// DORA metrics of the delivery simulation, when the scenario has `[delivery]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<crate::org::delivery::DeliveryResult>,
    /// Engine figures (timings vary from run to run).
    pub engine: EngineFigures,
    /// Failure propagation: origins, retry amplification, breaker changes, blast radius.
    pub resilience: crate::results::ResilienceResult,
    /// The bill of the run (see `docs/cost.md`).
    #[serde(default)]
    pub cost: CostResult,
    /// Per message queue, in order of first publish in the file (absent when none).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub queues: IndexMap<String, QueueResult>,
    /// Per saga, keyed by the operation holding it (absent when none).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub sagas: IndexMap<String, SagaResult>,
    /// Per transaction (local or two-phase commit), keyed by the operation holding it (absent
    /// when none).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub transactions: IndexMap<String, crate::components::tx::report::TxResult>,
    /// Per lock taken by transaction steps, by name (absent when none).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub locks: IndexMap<String, crate::components::tx::report::LockResult>,
    /// Per workflow, by name: its executions (absent when none).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub workflows: IndexMap<String, crate::components::workflow::report::WorkflowResult>,
    /// Per entry: the warm-up detected by MSER-5 on the replication-averaged window series.
    #[serde(default)]
    pub warmup_detected: IndexMap<String, WarmupDetection>,
    /// Per entry: where the time of a successful request goes (latency anatomy; see
    /// `docs/results.md`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub anatomy: IndexMap<String, super::anatomy::EntryAnatomyResult>,
}

/// Results of one entry.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EntryResult {
    /// Requests that arrived in the measured interval.
    pub arrived: Stat,
    /// Of those, answered successfully.
    pub completed: Stat,
    /// Of those, failed.
    pub failed: Stat,
    /// Of those, unanswered at the end of the run.
    pub in_flight: Stat,
    /// Successful answers per second.
    pub throughput_per_s: Stat,
    /// completed / (completed + failed).
    pub success_ratio: Stat,
    /// Failures by reason (only reasons that occurred).
    pub failed_by_reason: IndexMap<String, Stat>,
    /// Latency of successful requests \[s\].
    pub latency_s: LatencyResult,
    /// Latency CDF of all replications merged: `[latency_s, fraction ≤]` pairs.
    pub latency_cdf: Vec<[f64; 2]>,
    /// Of the completed, those answered degraded (a fallback stood in for a failed call).
    pub degraded: Stat,
    /// Attempts made by the client (arrived + client retries).
    pub attempts: Stat,
}

/// Results of one node (unit or database), summed over its instances.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct NodeResult {
    /// Instances.
    pub instances: u32,
    /// Time-averaged busy cores / cores (0 for serverless units).
    pub utilization: Stat,
    /// Time-averaged requests present (queued, in service, or waiting on calls).
    pub mean_in_system: Stat,
    /// Time-averaged requests waiting for a worker.
    pub mean_in_queue: Stat,
    /// Invocations finished per second, successfully or not (turned-away ones excluded).
    pub throughput_per_s: Stat,
    /// Offered load: invocations that arrived at the node per second — admitted, rejected,
    /// shed, throttled, or failed on the way in (no instance up, a fault at the gate).
    #[serde(default)]
    pub attempts_per_s: Stat,
    /// Invocations rejected because the queue was full.
    pub rejected: Stat,
    /// Mean residence of an invocation \[s\].
    pub mean_residence_s: Stat,
    /// Invocations lost in crashes of its instances.
    pub crashed: Stat,
    /// Time-averaged instances up (= `instances` without crashes).
    pub instances_up: Stat,
    /// Fraction of the measured time with no instance up.
    pub all_down_fraction: Stat,
    /// Time-averaged workers in use / workers (0 with unlimited workers, as on serverless
    /// units). Per instance offered: every instance, or the ready ones of an autoscaled unit.
    #[serde(default)]
    pub worker_saturation: Stat,
    /// Autoscaled units only: instances and scaling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscaling: Option<AutoscaleResult>,
    /// Serverless units only: the function's pool and bill figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionResult>,
    /// Units with `pool` only: their connection pools, all instances and databases together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<PoolResult>,
}

/// Results of a front-door node: its kind and its node figures.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ComponentResult {
    /// `gateway`, `load_balancer`, `cache` or `cdn`.
    pub kind: String,
    /// The node figures, as for units (`rejected` also counts requests refused by the
    /// gateway's rate limit).
    #[serde(flatten)]
    pub node: NodeResult,
}

/// Time series averaged over replications, one value per window.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SeriesResult {
    /// Window width \[s\].
    pub window_s: f64,
    /// Window start times \[s\].
    pub t_s: Vec<f64>,
    /// Per entry.
    pub entries: IndexMap<String, EntrySeries>,
    /// Per node (units then databases).
    pub nodes: IndexMap<String, NodeSeries>,
    /// Per message queue (absent when none).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub queues: IndexMap<String, QueueSeries>,
}

/// Time series of an entry.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EntrySeries {
    /// Successful answers per second.
    pub throughput_per_s: Vec<f64>,
    /// Failures per second.
    pub errors_per_s: Vec<f64>,
    /// Median latency of the window \[s\]; `null` for a window in which no request completed
    /// in any replication (the mean is over the replications with a completion in the window).
    pub p50_s: Vec<Option<f64>>,
    /// 99th percentile latency of the window \[s\]; `null` as for `p50_s`.
    pub p99_s: Vec<Option<f64>>,
}

/// Time series of a node.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct NodeSeries {
    /// Utilization.
    pub utilization: Vec<f64>,
    /// Mean requests present.
    pub in_system: Vec<f64>,
    /// Instances (ready ones at the end of each window for an autoscaled unit).
    pub instances: Vec<f64>,
    /// Autoscaled units: instances starting at the end of each window (else 0).
    #[serde(default)]
    pub instances_starting: Vec<f64>,
    /// Time-averaged workers in use / workers (see [`NodeResult::worker_saturation`]).
    #[serde(default)]
    pub worker_saturation: Vec<f64>,
    /// Time-averaged requests waiting for a worker.
    #[serde(default)]
    pub waiting: Vec<f64>,
    /// Units with `pool`: connections in use / connections (see [`PoolResult::saturation`]);
    /// omitted for other nodes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pool_saturation: Vec<f64>,
    /// Units with `pool`: time-averaged queries waiting for a connection; omitted for other
    /// nodes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pool_waiting: Vec<f64>,
}

/// Engine figures of a variant, summed over replications.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EngineFigures {
    /// Events processed.
    pub events: u64,
    /// Sum of the replications' wall-clock times \[s\].
    pub wall_s: f64,
    /// events / wall_s.
    pub events_per_s: f64,
}

/// Paired differences `variant − baseline` (replication k against replication k; common random
/// numbers make these intervals much tighter than two independent ones).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    /// The variant compared.
    pub variant: String,
    /// The baseline (the first variant).
    pub baseline: String,
    /// Per entry.
    pub entries: IndexMap<String, EntryDiff>,
    /// Memory provisioned difference \[GB\].
    pub memory_provisioned_gb: Stat,
}

/// Paired differences for one entry.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EntryDiff {
    /// Mean latency difference \[s\] (over the `latency_pairs` pairs).
    pub latency_mean_s: Stat,
    /// Median latency difference \[s\].
    pub latency_p50_s: Stat,
    /// p99 latency difference \[s\].
    pub latency_p99_s: Stat,
    /// Throughput difference \[1/s\].
    pub throughput_per_s: Stat,
    /// Success ratio difference.
    pub success_ratio: Stat,
    /// Per part of the latency anatomy, the difference of its mean time per request \[s\]
    /// (variant − baseline; the parts add up to `latency_mean_s` over the replications where
    /// both variants had successes), largest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anatomy: Vec<super::anatomy::AnatomyDiff>,
    /// Pairs of replications behind the latency differences: those in which both variants
    /// completed at least one request (a replication without a completed request has no
    /// latency to compare).
    #[serde(default)]
    pub latency_pairs: u32,
}

/// The warm-up of one entry detected by MSER-5 (see `docs/semantics.md`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WarmupDetection {
    /// Truncation point of the window median-latency series \[s from the start of the run\];
    /// `None` when the series is too short (fewer than 20 windows).
    pub latency_truncation_s: Option<f64>,
    /// Truncation point of the window throughput series \[s\].
    pub throughput_truncation_s: Option<f64>,
    /// The later of the two \[s\].
    pub truncation_s: Option<f64>,
    /// The configured `workload.warmup` \[s\].
    pub configured_warmup_s: f64,
    /// Whether the configured warm-up is too short (the condition of the warning, see
    /// `docs/semantics.md` §16): a stationary workload, a truncation point after the warm-up,
    /// a significant difference before and after it, and a shift of a measured mean beyond
    /// its 95% interval.
    pub warmup_too_short: bool,
    /// Whether the workload is stationary (every entry Poisson, constant or closed-loop, no
    /// scheduled fault): only then is the warm-up judged.
    #[serde(default = "yes")]
    pub stationary: bool,
    /// For a workload that changes over time on purpose: what to measure instead of waiting
    /// for a steady state (the per-window series, the window of a profile's peak).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
}

/// `true`, the default of [`WarmupDetection::stationary`] in documents written before it.
fn yes() -> bool {
    true
}

/// Spread of a metric across replications (quantiles of the per-replication values; with
/// uncertain inputs it mixes input uncertainty and simulation noise).
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Spread {
    /// Smallest value.
    pub min: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Largest value.
    pub max: f64,
}

/// Uncertain inputs of a run.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UncertaintyResult {
    /// The uncertain parameters, in file order.
    pub parameters: Vec<UncertainParamResult>,
    /// Per variant, the spread of the headline metrics across replications.
    pub variants: Vec<UncertainVariant>,
}

/// One uncertain parameter and its draws.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UncertainParamResult {
    /// Dotted path, e.g. `workload.entries[0].arrival.rate`.
    pub path: String,
    /// The distribution as written, e.g. `{ uniform = [700, 900] }`.
    pub distribution: String,
    /// Unit of `drawn`: `"s"` (durations), `"B"` (sizes) or `""`.
    pub unit: String,
    /// The value drawn for each replication, in replication order.
    pub drawn: Vec<f64>,
}

/// Spread of the headline metrics of one variant across replications.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UncertainVariant {
    /// Variant name.
    pub name: String,
    /// Per entry.
    pub entries: IndexMap<String, UncertainEntry>,
}

/// Spread of the headline metrics of one entry across replications.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UncertainEntry {
    /// Mean latency of each replication \[s\].
    pub latency_mean_s: Spread,
    /// p99 latency of each replication \[s\].
    pub latency_p99_s: Spread,
    /// Throughput of each replication \[1/s\].
    pub throughput_per_s: Spread,
    /// Failed / answered requests of each replication.
    pub error_ratio: Spread,
}

/// How often one SLO is met by one variant, over replications.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SloProbability {
    /// The SLO as written (clauses joined by commas).
    pub slo: String,
    /// Variant name.
    pub variant: String,
    /// Replications meeting every clause.
    pub met: u32,
    /// Replications.
    pub replications: u32,
    /// met / replications: the estimated probability of meeting the SLO.
    pub probability: f64,
    /// Lower end of the 95% Wilson score interval of the probability.
    pub wilson95_low: f64,
    /// Upper end of the 95% Wilson score interval.
    pub wilson95_high: f64,
    /// Per clause: the fraction of replications meeting it.
    pub clauses: Vec<SloClauseProbability>,
}

/// How often one clause of an SLO is met.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SloClauseProbability {
    /// The clause as written.
    pub clause: String,
    /// Replications meeting it (on every entry it covers).
    pub met: u32,
    /// met / replications.
    pub probability: f64,
}

/// Outcome of `run --precision`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PrecisionResult {
    /// Target relative half-width of every headline 95% interval (0.02 for 2%).
    pub target: f64,
    /// Cap on replications.
    pub max_replications: u32,
    /// Whether every headline interval met the target.
    pub met: bool,
    /// Replication count after each batch (the last is `replications`).
    pub batches: Vec<u32>,
    /// Every headline metric with the relative half-width it reached.
    pub metrics: Vec<PrecisionMetric>,
}

/// One headline metric of a precision run.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PrecisionMetric {
    /// Variant name.
    pub variant: String,
    /// `entry <name> latency mean`, `entry <name> p99`, `entry <name> throughput` or
    /// `unit <name> utilization`.
    pub metric: String,
    /// Mean of the metric.
    pub mean: f64,
    /// Half-width of its 95% interval relative to |mean| (0 for a zero-width interval).
    pub relative_half_width: f64,
    /// Whether it is within the target.
    pub met: bool,
}

impl Results {
    /// Serializes to pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

/// The bill of a variant, each figure over replications.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CostResult {
    /// The bill of the declared month (730 h; `[month]`, docs/cost.md "The month") \[$\].
    pub per_month_usd: Stat,
    /// What that month is, in words (e.g. `steady: every entry at its steady rate all
    /// month`).
    #[serde(default)]
    pub month: String,
    /// Cost of the measured window \[$\].
    pub window_usd: Stat,
    /// Window cost per million entry requests that arrived in it \[$\].
    pub per_million_requests_usd: Stat,
    /// Per billed resource, keyed `"kind/name"` (`unit/catalog`, `database/catalog`,
    /// `gateway/gateway`, `balancer/NAME`, `cache/NAME`, `queue/NAME`, `function/NAME`,
    /// `host/NAME`, `cluster/kubernetes`, `transfer/cross_zone`, `external/NAME`,
    /// `workflow/NAME`, `credit/serverless_free_tier`):
    /// two resources of the same name are two lines.
    pub by_resource: IndexMap<String, CostLineResult>,
    /// Per name alone, the lines of every kind with that name added up (`catalog` = its unit
    /// and its database): the format's fixed `cost.by_node.<name>`, kept for the tools that
    /// read it; `by_resource` tells the resources apart.
    #[serde(default)]
    pub by_node: IndexMap<String, NodeCost>,
}

/// The cost of every line of one name ([`CostResult::by_node`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NodeCost {
    /// Per month at this load \[$\].
    pub per_month_usd: Stat,
    /// Over the measured window \[$\].
    pub window_usd: Stat,
    /// Per million entry requests \[$\].
    pub per_million_requests_usd: Stat,
}

/// One line of a bill.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CostLineResult {
    /// The kind of resource: `unit`, `function`, `database`, `gateway`, `balancer`, `cache`,
    /// `queue`, `cluster`, `host`, `transfer`, `external`, `workflow` or `credit`.
    pub kind: String,
    /// The resource's name (a node's name, or a fee's).
    pub name: String,
    /// Per month at this load \[$\].
    pub per_month_usd: Stat,
    /// Over the measured window \[$\].
    pub window_usd: Stat,
    /// Per million entry requests \[$\].
    pub per_million_requests_usd: Stat,
    /// The catalogue size the line's instances are billed as (a unit's or host's EC2
    /// instance type or Fargate task size, e.g. `c7i.xlarge`); absent on other lines and when
    /// nothing in the catalogue is that large (priced pro rata). See docs/cost.md, "Instance
    /// catalogue".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

/// The JSON Schema (draft 2020-12) of the results document ([`Results`]), for the desktop app's
/// generated TypeScript types and for consumers of `--json` output.
pub fn results_json_schema() -> serde_json::Value {
    schemars::schema_for!(Results).to_value()
}
