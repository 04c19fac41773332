/* Generated from src/api/schema.json by scripts/gen-types.mjs (npm run gen:types). Do not edit. */

/**
 * What kind of node an estimate is for.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "NodeKind".
 */
export type NodeKind = ("unit" | "database" | "gateway" | "host")
/**
 * The kind of a node of a deployment.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "TopologyKind".
 */
export type TopologyKind = ("unit" | "database" | "gateway" | "load_balancer" | "cache" | "cdn" | "queue" | "host" | "external")
/**
 * The stable code of an [`AppError`]: what kind of failure it is, for a program to branch on.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "ErrorCode".
 */
export type ErrorCode = ("invalid_scenario" | "invalid_parameter" | "io" | "edit" | "run" | "busy" | "cancelled" | "export" | "too_much_work")
/**
 * Overall verdict of an SLO on a variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Verdict".
 */
export type Verdict = ("met" | "uncertain" | "violated")
/**
 * How a variant's search ended.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Status".
 */
export type Status = ("found" | "not_met" | "met_at_maximum" | "stopped" | "not_met_at_any_rate" | "overload_undetectable")
/**
 * A fitted distribution of times in seconds.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "FittedDistribution".
 */
export type FittedDistribution = ({
dist: "const"
/**
 * The value, s.
 */
value: number
} | {
/**
 * Coefficient of variation.
 */
cv: number
dist: "lognormal"
/**
 * Mean, s.
 */
mean: number
} | {
/**
 * Coefficient of variation.
 */
cv: number
dist: "gamma"
/**
 * Mean, s.
 */
mean: number
} | {
dist: "empirical"
/**
 * The samples.
 */
samples: number[]
})
/**
 * A trace file format.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "TraceFormat".
 */
export type TraceFormat = ("otlp" | "jaeger" | "zipkin")
/**
 * A structural edit of the scenario text.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Edit".
 */
export type Edit = ({
kind: "set_value"
/**
 * Path into the document.
 */
path: PathSeg[]
/**
 * The new value (JSON; integers stay integers).
 */
value: {
[k: string]: unknown
}
} | {
kind: "insert_item"
/**
 * Path of the new item.
 */
path: PathSeg[]
/**
 * Its value.
 */
value: {
[k: string]: unknown
}
} | {
kind: "remove_item"
/**
 * Path of the item.
 */
path: PathSeg[]
} | {
kind: "move_module"
/**
 * Module name.
 */
module: string
/**
 * Name of the unit that receives it.
 */
to_unit: string
/**
 * Variant name.
 */
variant: string
} | {
/**
 * The calling operation.
 */
from: string
kind: "add_call"
/**
 * The operation called.
 */
to: string
} | {
/**
 * A data store (`[datastores]`) rather than a module.
 */
datastore?: boolean
kind: "delete_component"
/**
 * Module or data store name.
 */
name: string
} | {
kind: "delete_unit"
/**
 * Unit name.
 */
unit: string
/**
 * Variant name.
 */
variant: string
} | {
kind: "duplicate_variant"
/**
 * The copy's name.
 */
name: string
/**
 * The variant copied.
 */
variant: string
} | {
kind: "rename_variant"
/**
 * Its new name.
 */
name: string
/**
 * The variant renamed.
 */
variant: string
} | {
kind: "microservices_variant"
/**
 * The new variant's name.
 */
name: string
/**
 * The variant split.
 */
variant: string
} | {
/**
 * Allowed imbalance of unit sizes (default 0.25).
 */
balance?: (number | null)
kind: "decomposed_variant"
/**
 * The new variant's name.
 */
name: string
/**
 * Sampled call trees (requests per entry) instead of the analytic visits.
 */
simulated_requests?: (number | null)
/**
 * Weight of a shared data store relative to calls (default 1).
 */
store_weight?: (number | null)
/**
 * Same-team bonus (default 0.5).
 */
team_bonus?: (number | null)
/**
 * Number of units K.
 */
units: number
/**
 * The variant whose teams, unit settings and databases the suggestion uses.
 */
variant: string
})
/**
 * One step of a path into the document: a table key or an array index.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "PathSeg".
 */
export type PathSeg = (string | number)
/**
 * Export format.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "ExportFormat".
 */
export type ExportFormat = ("json" | "csv")
/**
 * Open an existing file or choose where to save one.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "PickMode".
 */
export type PickMode = ("open" | "save")
/**
 * What a knob sets.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "KnobKind".
 */
export type KnobKind = ("replicas" | "cores" | "instance_cores" | "memory_mb" | "provisioned" | "reserved_concurrency")
/**
 * How the right-sizing of a variant ended.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "RightsizeStatus".
 */
export type RightsizeStatus = ("met" | "not_met" | "not_met_by_any_plan" | "overload_undetectable")
/**
 * One message of a run, tagged by `kind`.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "RunEvent".
 */
export type RunEvent = ({
kind: "started"
/**
 * All tasks.
 */
total: number
/**
 * The variants simulated, in order.
 */
variants: string[]
} | {
/**
 * Finished tasks.
 */
done: number
/**
 * Wall-clock seconds since the start (the UI derives the ETA).
 */
elapsed_s: number
kind: "progress"
/**
 * All tasks.
 */
total: number
} | {
data: ReplicationDone
kind: "replication"
} | {
kind: "precision"
/**
 * The cap on replications.
 */
max_replications: number
/**
 * The worst relative half-width so far of the headline intervals — per entry the
 * mean latency, p99 and throughput, per unit the utilization — by the stopping rule
 * of the run itself (`runner::precision::Tracker`) over the replications
 * finished; infinite (JSON null) before two replications of every variant.
 */
relative_half_width: number
/**
 * Replications finished so far, per variant (the fewest of any variant).
 */
replications: number
/**
 * The target relative half-width of every headline 95% interval (0.02 for 2%).
 */
target: number
} | {
kind: "step"
/**
 * The rate simulated \[1/s\].
 */
rate: number
/**
 * The variant.
 */
variant: string
verdict: Verdict
})
/**
 * How the knee of a p99 curve is found.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "KneeRule".
 */
export type KneeRule = ({
factor: number
} | {
above_s: number
})

/**
 * Types exchanged between the archsim desktop app's shell and its UI.
 */
export interface ArchsimApi {
Analysis: Analysis
AppError: AppError
CalibrateOutcome: CalibrateOutcome
CalibrateRequest: CalibrateRequest
CapacityOutcome: CapacityOutcome
CapacityRequest: CapacityRequest
DecomposeOutcome: DecomposeOutcome
DecomposeRequest: DecomposeRequest
DiscoverOutcome: DiscoverOutcome
DiscoverRequest: DiscoverRequest
Edit: Edit
ErrorCode: ErrorCode
ExportFormat: ExportFormat
Lesson: Lesson
PickRequest: PickRequest
Results: Results
RightsizeOutcome: RightsizeOutcome
RightsizeRequest: RightsizeRequest
RunEvent: RunEvent
RunOutcome: RunOutcome
RunRequest: RunRequest
SweepOutcome: SweepOutcome
SweepRequest: SweepRequest
VariantTopology: VariantTopology
}
/**
 * A scenario as the editor sees it: the text (the source of truth), the same document as JSON
 * (for the graph and the property panel), and what validation, the estimate and the
 * resolved model say about it.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Analysis".
 */
export interface Analysis {
/**
 * The estimated monthly bill of every variant of a valid scenario, priced from the
 * analytic estimate's rates (not a run's bill; docs/cost.md "The cost estimate").
 */
costs: CostEstimate[]
/**
 * Validation errors (empty when the scenario is valid).
 */
diagnostics: DiagnosticView[]
/**
 * The TOML document as JSON; absent when the text is not TOML.
 */
document?: {
[k: string]: unknown
}
/**
 * The analytic estimate of every variant of a valid scenario.
 */
estimates: VariantEstimate[]
/**
 * File name used in diagnostics.
 */
file_name: string
/**
 * Path of the file on disk, when it came from one.
 */
path?: (string | null)
/**
 * The TOML text.
 */
text: string
/**
 * The resolved deployment of every variant of a valid scenario (empty when invalid):
 * what the editor's graph draws.
 */
topology: VariantTopology[]
/**
 * Warnings of a valid scenario (overload, no warm-up, ...).
 */
warnings: string[]
}
/**
 * The estimated monthly bill of one variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CostEstimate".
 */
export interface CostEstimate {
/**
 * Lines in the run's bill order (units and databases, hosts, front door, services).
 */
lines: CostEstimateLine[]
/**
 * Their sum \[$\].
 */
per_month_usd: number
}
/**
 * One line of the estimated monthly bill.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CostEstimateLine".
 */
export interface CostEstimateLine {
/**
 * `kind/name`, as the run's `cost.by_resource` keys its lines.
 */
key: string
/**
 * The kind of resource (`unit`, `function`, `database`, `gateway`, `balancer`, …).
 */
kind: string
/**
 * The resource's name (a node's name, or a fee's: `kubernetes`, `internet`, …).
 */
name: string
/**
 * Estimated monthly cost \[$\].
 */
per_month_usd: number
}
/**
 * A located problem in the scenario text.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DiagnosticView".
 */
export interface DiagnosticView {
/**
 * 1-based column.
 */
column: number
/**
 * Dotted path of the field (`modules.orders.ops.checkout.cpu`); empty for the whole file.
 */
field: string
/**
 * File name.
 */
file: string
/**
 * A hint for the fix.
 */
help?: (string | null)
/**
 * 1-based line.
 */
line: number
/**
 * What is wrong and what is expected.
 */
message: string
}
/**
 * The instant estimate of one variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "VariantEstimate".
 */
export interface VariantEstimate {
/**
 * Entries in [`crate::scenario::Workload::entries`] order.
 */
entries: EntryEstimate[]
/**
 * Units in [`crate::scenario::Variant::units`] order, then databases in
 * [`crate::scenario::Variant::databases`] order, then the gateway when it is a node, then
 * hosts in [`crate::scenario::Variant::hosts`] order.
 */
nodes: NodeEstimate[]
/**
 * The variant's name.
 */
variant: string
/**
 * Human-readable warnings (overloaded nodes, saturated worker pools, undeployed stores,
 * refused and throttled requests).
 */
warnings: string[]
}
/**
 * The estimate of one entry.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EntryEstimate".
 */
export interface EntryEstimate {
/**
 * Mean end-to-end latency of one request \[s\]; `None` when the request reaches an unstable
 * node.
 */
mean_latency_s?: (number | null)
/**
 * The entry's name.
 */
name: string
}
/**
 * The estimate of one node (a unit, a database, the gateway or a host).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "NodeEstimate".
 */
export interface NodeEstimate {
/**
 * Jobs arriving at the node, all replicas together \[invocations/s\]: entry arrivals and
 * remote calls for a unit, queries for a database.
 */
arrival_rate: number
/**
 * CPU (or query) time consumed per second of wall time, all replicas together \[s/s\].
 */
cpu_demand_s_per_s: number
kind: NodeKind
/**
 * Mean response time of one job at the node \[s\] (queueing + service, not counting time
 * waiting on downstream calls). `None` when the node is unstable or receives no traffic.
 */
mean_response_s?: (number | null)
/**
 * The node's name (`gateway` for the gateway).
 */
name: string
/**
 * Utilization ρ = CPU demand per second / total cores (dimensionless; ≥ 1 means overload;
 * 0 for serverless units).
 */
utilization: number
}
/**
 * The resolved deployment of one variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "VariantTopology".
 */
export interface VariantTopology {
/**
 * Per entry (in the workload's order), the way its requests take.
 */
entries: EntryRoute[]
/**
 * Units, databases, external services, the gateway, load balancers, cache nodes, the
 * CDN, queues and hosts, in that order (each kind in the variant's or the file's order).
 */
nodes: TopologyNode[]
/**
 * The variant's name.
 */
variant: string
}
/**
 * The way an entry's requests take through the front door.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EntryRoute".
 */
export interface EntryRoute {
/**
 * The entry's name.
 */
entry: string
/**
 * The operation it calls (`module.op`).
 */
operation: string
/**
 * The front nodes passed, outermost first (CDN, gateway, load balancer).
 */
via: NodeRef[]
}
/**
 * A node named by kind and name.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "NodeRef".
 */
export interface NodeRef {
kind: TopologyKind
/**
 * Its name (`gateway` and `cdn` for the gateway and the CDN).
 */
name: string
}
/**
 * One node of a deployment with its resolved settings. Fields that do not apply to its kind
 * are absent (null) or empty.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "TopologyNode".
 */
export interface TopologyNode {
/**
 * A load balancer's algorithm across its units' replicas.
 */
algorithm?: (string | null)
/**
 * The gateway's authentication.
 */
auth?: (AuthInfo | null)
/**
 * A unit's autoscaler.
 */
autoscale?: (AutoscaleInfo | null)
/**
 * A cache node's or the CDN's hit decision.
 */
cache?: (CacheInfo | null)
/**
 * A load balancer's requests in flight per instance (none: unlimited); a queue's
 * consumers.
 */
capacity?: (number | null)
/**
 * Cores per instance (a host's cores; none when unlimited, and for a unit on hosts, whose
 * instances use their host's cores or their `cpu_limit`).
 */
cores?: (number | null)
/**
 * A unit's container limit on its host \[cores\].
 */
cpu_limit?: (number | null)
/**
 * Entries: served by the CDN; with a route cache at the gateway.
 */
entries: string[]
/**
 * A serverless unit's function.
 */
function?: (FunctionInfo | null)
/**
 * Hosts a unit's instances are placed on.
 */
hosts: string[]
/**
 * Instances: a unit's replicas (at the start, when autoscaled), a database's primary and
 * read replicas, the gateway's, a balancer's; none for a serverless unit (one instance
 * per request), a plain gateway (a delay, not a node with instances), a queue or a host.
 */
instances?: (number | null)
kind: TopologyKind
/**
 * A host's memory \[bytes\].
 */
memory_bytes?: (number | null)
/**
 * Modules run here: a unit's, the gateway's composition modules.
 */
modules: string[]
/**
 * Its name (`gateway`, `cdn` for the gateway and the CDN).
 */
name: string
/**
 * The data-store reads a cache node answers (`store.op`); an external service's
 * operations (`external.op`).
 */
operations: string[]
/**
 * A unit's platform (`vm`, `container`, `kubernetes`, `serverless`).
 */
platform?: (string | null)
/**
 * A unit's connection pool.
 */
pool?: (PoolInfo | null)
/**
 * The gateway's rate limit; an external service's quota.
 */
rate_limit?: (RateLimitInfo | null)
/**
 * A database's read replicas.
 */
read_replicas?: (number | null)
/**
 * Data stores: a database's, those a cache node caches.
 */
stores: string[]
/**
 * Units: behind a load balancer; placed entirely on a host.
 */
units: string[]
/**
 * A queue's visibility timeout \[s\].
 */
visibility_timeout_s?: (number | null)
/**
 * Zones: of a unit's instances, of a database, of a host.
 */
zones: string[]
}
/**
 * Authentication at the gateway: CPU per request, or a call to an operation.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "AuthInfo".
 */
export interface AuthInfo {
/**
 * Mean CPU per request \[s\].
 */
cpu_s?: (number | null)
/**
 * The operation called (`module.op`).
 */
operation?: (string | null)
}
/**
 * An autoscaler's range.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "AutoscaleInfo".
 */
export interface AutoscaleInfo {
/**
 * Most instances.
 */
max: number
/**
 * Fewest instances.
 */
min: number
}
/**
 * How a cache decides hits: a fixed ratio, or a TTL per key.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CacheInfo".
 */
export interface CacheInfo {
/**
 * Each lookup hits with this probability (a ratio cache).
 */
hit_ratio?: (number | null)
/**
 * Distinct keys (a TTL cache).
 */
keys?: (number | null)
/**
 * Time to live \[s\] (a TTL cache).
 */
ttl_s?: (number | null)
/**
 * Zipf exponent of key popularity (a TTL cache; none: uniform).
 */
zipf?: (number | null)
}
/**
 * A serverless function (a unit on the `serverless` platform).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "FunctionInfo".
 */
export interface FunctionInfo {
/**
 * Configured memory \[bytes\] (1,769 MB, one vCPU, when the file gives none).
 */
memory_bytes: number
/**
 * Provisioned (always warm) instances.
 */
provisioned: number
/**
 * Reserved concurrency, if any.
 */
reserved_concurrency?: (number | null)
/**
 * Language runtime (`node`, `python`, `go`, `rust`, `java`, `dotnet`).
 */
runtime: string
}
/**
 * A connection pool per instance and database.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "PoolInfo".
 */
export interface PoolInfo {
/**
 * Longest wait for a connection \[s\].
 */
acquire_timeout_s: number
/**
 * Connections.
 */
size: number
}
/**
 * A token bucket.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "RateLimitInfo".
 */
export interface RateLimitInfo {
/**
 * Bucket size.
 */
burst: number
/**
 * Tokens per second \[1/s\].
 */
rate: number
}
/**
 * An error as the UI receives it.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "AppError".
 */
export interface AppError {
code: ErrorCode
/**
 * Every located problem, for `invalid_scenario`.
 */
diagnostics: DiagnosticView[]
/**
 * What went wrong and what to do; names the file, line and field when there is one.
 */
message: string
}
/**
 * A calibration: the calibrated model, analyzed, and the report (before/after rows, the
 * parameters moved, the entries' latency distributions).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CalibrateOutcome".
 */
export interface CalibrateOutcome {
analysis: Analysis
report: CalibrationReport
/**
 * The report as `archsim calibrate` prints it.
 */
report_text: string
}
/**
 * The calibration report (the `--json` document).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CalibrationReport".
 */
export interface CalibrationReport {
/**
 * Compared items, the calibrated model.
 */
after: CalibrationRow[]
/**
 * Compared items, the model as given.
 */
before: CalibrationRow[]
/**
 * The round kept.
 */
best_round: number
/**
 * Per entry compared, its latency distribution: observed, simulated before and after.
 */
cdfs: EntryCdf[]
/**
 * Every calibrated parameter.
 */
changes: CalibrationChange[]
/**
 * The load simulated.
 */
load: CalibrationLoad[]
/**
 * How parameters are adjusted.
 */
method: string
/**
 * The model file.
 */
model: string
/**
 * J of the calibrated model.
 */
objective_after: number
/**
 * J of the model as given.
 */
objective_before: number
/**
 * Replications per round.
 */
replications: number
/**
 * Every round.
 */
rounds: CalibrationRound[]
/**
 * Seed of every round.
 */
seed: number
/**
 * Spans read from the traces.
 */
spans_read: number
/**
 * Traces.
 */
traces: number
/**
 * The variant simulated.
 */
variant: string
/**
 * Entries or requests not compared, saturated nodes, skipped spans.
 */
warnings: string[]
}
/**
 * One compared item: what the traces show, what the model gives.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CalibrationRow".
 */
export interface CalibrationRow {
/**
 * `entry`, `operation` (own time), `database` (call time) or `network` (one way).
 */
kind: string
/**
 * Kolmogorov–Smirnov distance between the observed and simulated distributions.
 */
ks: number
/**
 * (simulated − observed) / observed mean.
 */
mean_error: number
/**
 * The entry, `module.op`, `store.op`, or `latency`.
 */
name: string
observed: CalibrationSummary
simulated: CalibrationSummary
}
/**
 * Mean and percentiles of a sample (s).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CalibrationSummary".
 */
export interface CalibrationSummary {
/**
 * Mean, s.
 */
mean_s: number
/**
 * Values summarized (for a simulated entry: successful requests over all replications).
 */
n: number
/**
 * Median, s.
 */
p50_s: number
/**
 * 90th percentile, s.
 */
p90_s: number
/**
 * 99th percentile, s.
 */
p99_s: number
}
/**
 * An entry's latency distribution as `[latency_s, fraction ≤]` points: observed (the root
 * spans), simulated with the model as given and with the calibrated one (the results'
 * `latency_cdf` of the simulated variant).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EntryCdf".
 */
export interface EntryCdf {
/**
 * Simulated, the calibrated model.
 */
after: [number, number][]
/**
 * Simulated, the model as given.
 */
before: [number, number][]
/**
 * The model's entry.
 */
entry: string
/**
 * Observed, at the fractions of the results' CDFs (0.01 … 0.99, 0.995, 0.999, 0.9995,
 * 0.9999, 1): the smallest observed latency with at least that fraction at or below it.
 */
observed: [number, number][]
}
/**
 * A parameter and how calibration moved it.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CalibrationChange".
 */
export interface CalibrationChange {
/**
 * Mean after, s.
 */
after_mean_s: number
/**
 * Mean before, s.
 */
before_mean_s: number
/**
 * after / before (NaN, written `null`, when it was 0 before and was set).
 */
factor?: (number | null)
/**
 * Its path in the model (`modules.orders.ops.checkout.cpu`).
 */
parameter: string
}
/**
 * An entry's observed load.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CalibrationLoad".
 */
export interface CalibrationLoad {
/**
 * The model's entry.
 */
entry: string
/**
 * Its operation.
 */
op: string
/**
 * Their mean rate over the traces' window, 1/s (the Poisson rate simulated).
 */
rate_per_s: number
/**
 * Requests (root spans) in the traces.
 */
requests: number
}
/**
 * The objective after one round.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CalibrationRound".
 */
export interface CalibrationRound {
/**
 * The largest relative step a parameter would take after it.
 */
largest_step: number
/**
 * J of the model simulated in this round.
 */
objective: number
/**
 * 0: the model as given (at the observed load).
 */
round: number
}
/**
 * What to calibrate against which traces (the desktop app's `calibrate_model` request).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CalibrateRequest".
 */
export interface CalibrateRequest {
/**
 * File name for diagnostics.
 */
file_name: string
/**
 * Refuse a round whose estimated events exceed this (default 2·10⁹).
 */
max_events?: (number | null)
/**
 * Where the model is saved (kept by the calibrated model's analysis: Save writes there).
 */
path?: (string | null)
/**
 * Replications per round (default: the model's).
 */
replications?: (number | null)
/**
 * Most adjustment rounds (default 5).
 */
rounds?: (number | null)
/**
 * Seed of every round (default: the model's).
 */
seed?: (number | null)
/**
 * The model's text.
 */
text: string
/**
 * Worker threads (default: all cores).
 */
threads?: (number | null)
/**
 * Trace files (paths), as for discovery.
 */
traces: string[]
/**
 * The variant simulated (default: the first).
 */
variant?: (string | null)
}
/**
 * A finished capacity search.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CapacityOutcome".
 */
export interface CapacityOutcome {
/**
 * The search was cancelled: the brackets reached so far are reported.
 */
cancelled: boolean
results: CapacityResults
}
/**
 * The results of a capacity search.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CapacityResults".
 */
export interface CapacityResults {
/**
 * The scenario's rate of what is scaled \[1/s\].
 */
base_rate: number
/**
 * The entry whose rate is searched (`None`: every entry scaled together).
 */
entry?: (string | null)
/**
 * Whether the verdicts use 95% intervals (two replications or more). With one
 * replication there is no interval: each clause is checked on its single value.
 */
intervals?: boolean
/**
 * The stopping precision (bracket width / low end).
 */
precision: number
/**
 * Replications per evaluation.
 */
replications: number
/**
 * Scenario name.
 */
scenario: string
/**
 * Master seed.
 */
seed: number
/**
 * The SLO.
 */
slo: string
/**
 * Per variant.
 */
variants: CapacityVariant[]
/**
 * Warnings (evaluation cap reached, cancelled, …).
 */
warnings: string[]
}
/**
 * The capacity of one variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CapacityVariant".
 */
export interface CapacityVariant {
/**
 * The boundary lies in `[low, high]`: met at `low`, not met at `high` (`high` is
 * infinite for `met_at_maximum`, which JSON writes as `null`).
 * 
 * @minItems 2
 * @maxItems 2
 */
bracket: [number, number]
/**
 * Cost per month at `max_rate` \[USD\], when the results carry a cost.
 */
cost_per_month_usd?: (number | null)
/**
 * Every evaluation, in order.
 */
evaluations: Evaluation[]
/**
 * `max_rate` over the scenario's rate (how much more traffic fits).
 */
factor: number
/**
 * Highest rate at which the SLO was met with 95% confidence \[1/s\] (0 if none).
 */
max_rate: number
/**
 * Variant.
 */
name: string
/**
 * The SLO checked at `max_rate` (every clause, every entry).
 */
outcome?: (SloOutcome | null)
/**
 * Why, for `not_met`, `not_met_at_any_rate` and `overload_undetectable` (a sentence).
 */
reason?: (string | null)
/**
 * The SLO, as parsed.
 */
slo: string
status: Status
}
/**
 * One evaluation of the search.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Evaluation".
 */
export interface Evaluation {
/**
 * The rate simulated \[1/s\].
 */
rate: number
verdict: Verdict
}
/**
 * The outcome of an SLO on a variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "SloOutcome".
 */
export interface SloOutcome {
/**
 * Every clause on every entry it covers.
 */
checks: Check[]
verdict: Verdict
}
/**
 * One clause checked on one entry (or the variant).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Check".
 */
export interface Check {
/**
 * The clause as written.
 */
clause: string
/**
 * The entry checked (`None` for the variant's availability).
 */
entry?: (string | null)
/**
 * The far end of the 95% interval (upper for `<`, lower for `>`).
 */
far_end: number
/**
 * Mean over replications (base units).
 */
mean: number
/**
 * Whether the mean satisfies the clause.
 */
met_on_average: boolean
/**
 * Whether the far end satisfies it.
 */
met_with_confidence: boolean
}
/**
 * What capacity to search.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CapacityRequest".
 */
export interface CapacityRequest {
/**
 * Scale only this entry's rate (default: every entry together).
 */
entry?: (string | null)
/**
 * File name for diagnostics.
 */
file_name: string
/**
 * Evaluations per variant, at most (default 40).
 */
max_evaluations?: (number | null)
/**
 * Refuse to start when one evaluation's estimated events exceed this (default 2·10⁹).
 */
max_events?: (number | null)
/**
 * Stop when the bracket is at most this wide relative to its low end (default `1%`).
 */
precision?: (string | null)
/**
 * Replications per evaluation (default: the scenario's).
 */
replications?: (number | null)
/**
 * Seed (default: the scenario's).
 */
seed?: (number | null)
/**
 * The SLO, e.g. `p99<300ms,errors<0.1%` (as `archsim capacity --slo`).
 */
slo: string
/**
 * The scenario text.
 */
text: string
/**
 * Worker threads (default: all cores).
 */
threads?: (number | null)
/**
 * Only these variants (default: all).
 */
variants?: string[]
}
/**
 * A suggested decomposition, and the scenario text with it as a new variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DecomposeOutcome".
 */
export interface DecomposeOutcome {
decomposition: Decomposition
/**
 * With `out_file_name`: the new variant and the scenario text holding it.
 */
new_variant?: (NewVariant | null)
}
/**
 * A suggested decomposition (the `--json` document).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Decomposition".
 */
export interface Decomposition {
/**
 * Module calls per request between different units (the cut).
 */
cross_unit_calls_per_request: number
/**
 * Teams whose modules end up in more than one unit, in team order.
 */
teams_split: string[]
/**
 * The K units.
 */
units: SuggestedUnit[]
}
/**
 * One suggested unit.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "SuggestedUnit".
 */
export interface SuggestedUnit {
/**
 * Modules, in module order.
 */
modules: string[]
/**
 * Name (that of its module with the most traffic).
 */
name: string
}
/**
 * The suggestion written as a new variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "NewVariant".
 */
export interface NewVariant {
/**
 * The new variant's name (`decomposed-K`, made unique).
 */
name: string
/**
 * The scenario text holding it (valid).
 */
text: string
}
/**
 * What decomposition to suggest (the desktop app's `decompose_scenario` request; the weights
 * default to `archsim decompose`'s).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DecomposeRequest".
 */
export interface DecomposeRequest {
/**
 * Allowed imbalance of unit sizes around modules/K (default 0.25).
 */
balance?: number
/**
 * Variant whose ownership, unit settings and databases are used (default: the first).
 */
base?: (string | null)
/**
 * File name for diagnostics.
 */
file_name: string
/**
 * Also write the suggestion as a new variant of a copy of the scenario, validated under
 * this file name.
 */
out_file_name?: (string | null)
/**
 * Sample call trees (`Some(requests per entry)`) instead of the analytic visits.
 */
simulated_requests?: (number | null)
/**
 * Weight of a shared data store relative to calls (default 1).
 */
store_weight?: number
/**
 * Same-team bonus, as a multiple of the mean positive weight (default 0.5).
 */
team_bonus?: number
/**
 * The scenario text.
 */
text: string
/**
 * Number of units K.
 */
units: number
}
/**
 * A discovered model: its analysis (the editor opens it as a new, unsaved scenario) and the
 * discovery report.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DiscoverOutcome".
 */
export interface DiscoverOutcome {
analysis: Analysis
report: DiscoveryReport
/**
 * The report as `archsim discover` prints it.
 */
report_text: string
}
/**
 * The discovery report.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DiscoveryReport".
 */
export interface DiscoveryReport {
/**
 * Values the traces do not give, and what was assumed.
 */
assumptions: string[]
/**
 * Calls.
 */
calls: DiscoveredCall[]
/**
 * Spans moved into their parent's interval (clock skew).
 */
clock_skew_fixes: number
/**
 * Database operations.
 */
databases: DiscoveredDatabaseOp[]
/**
 * Entries.
 */
entries: DiscoveredEntry[]
/**
 * Files read.
 */
files: DiscoveryFile[]
/**
 * Manifest documents skipped (kinds that declare no workload) and remarks.
 */
manifest_notes: string[]
/**
 * Deployment manifest entries (`FILE: NAME`) that match no discovered service.
 */
manifest_unmatched: string[]
/**
 * Network one-way latency fit, when client/server span pairs were seen.
 */
network?: (TimeFit | null)
/**
 * Operations.
 */
operations: DiscoveredOperation[]
/**
 * Instances per module (replicas of the "as observed" variant).
 */
replicas: [unknown, unknown][]
/**
 * Discovered services with no deployment manifest entry (only when manifests were given).
 */
services_without_manifest: string[]
/**
 * Spans read (kept).
 */
spans_read: number
/**
 * Traces.
 */
traces: number
/**
 * Traces with one root and every parent present.
 */
traces_complete: number
/**
 * The others.
 */
traces_incomplete: number
/**
 * Per unit of the "as observed" variant, its figures and where each came from.
 */
units: DiscoveredUnit[]
/**
 * Spans not mapped.
 */
unmapped: UnmappedSpans[]
/**
 * Warnings (skipped spans, truncated files, …).
 */
warnings: string[]
/**
 * Observation window (first start to last end), s.
 */
window_s: number
}
/**
 * One call edge.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DiscoveredCall".
 */
export interface DiscoveredCall {
/**
 * The integer `count` written.
 */
count: number
/**
 * Caller `module.op`.
 */
from: string
/**
 * Mean calls per invocation that makes it.
 */
mean_count: number
/**
 * Fraction of the caller's invocations making the call.
 */
p: number
/**
 * Index of the parallel group it belongs to in the caller's call list, if any.
 */
parallel_group?: (number | null)
/**
 * Callee `module.op` / `store.op`, or `queue → module.op` for a publish.
 */
to: string
}
/**
 * One database operation.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DiscoveredDatabaseOp".
 */
export interface DiscoveredDatabaseOp {
/**
 * Calls seen.
 */
calls: number
/**
 * `read` or `write`.
 */
kind: string
/**
 * `store.op` in the model.
 */
op: string
/**
 * `db.system`.
 */
system: string
time: TimeFit
}
/**
 * A fit and its quality.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "TimeFit".
 */
export interface TimeFit {
/**
 * Sample coefficient of variation.
 */
cv: number
dist: FittedDistribution
/**
 * The KS test's 1% critical value for `n` samples (1.628 / √n).
 */
ks_critical_1pct: number
/**
 * KS distance of the gamma fit to the samples.
 */
ks_gamma: number
/**
 * KS distance of the log-normal fit to the samples.
 */
ks_lognormal: number
/**
 * Sample mean, s.
 */
mean: number
/**
 * Number of samples.
 */
n: number
}
/**
 * One entry.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DiscoveredEntry".
 */
export interface DiscoveredEntry {
/**
 * The index-of-dispersion test's p-value for a constant rate (None with fewer than 4
 * windows).
 */
constant_rate_p?: (number | null)
/**
 * Entry name.
 */
name: string
/**
 * `module.op`.
 */
op: string
/**
 * Requests per window, when a rate profile was written.
 */
profile?: (number[] | null)
/**
 * Mean rate over the observation window, per s.
 */
rate_per_s: number
/**
 * Requests seen (root invocations).
 */
requests: number
}
/**
 * One trace file read.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DiscoveryFile".
 */
export interface DiscoveryFile {
format: TraceFormat
/**
 * As given.
 */
path: string
/**
 * Spans kept.
 */
spans: number
}
/**
 * One operation found.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DiscoveredOperation".
 */
export interface DiscoveredOperation {
/**
 * The service demand law's estimate, s, when a utilization was given.
 */
demand_from_utilization_s?: (number | null)
/**
 * The CPU demand written in the model, s (the own time's mean, or the service demand
 * law's estimate with `--utilization`).
 */
demand_s: number
/**
 * Fraction of invocations failing on their own (their calls did not fail).
 */
error_ratio: number
/**
 * Invocations seen.
 */
invocations: number
/**
 * The span names merged into it (more than one, or ids collapsed).
 */
merged_from: string[]
/**
 * The normalized span name.
 */
name: string
/**
 * `module.op` in the model.
 */
op: string
own_time: TimeFit
/**
 * The service.
 */
service: string
}
/**
 * One unit of the "as observed" variant: each figure with its source, `manifest FILE`,
 * `instances seen` or `default`.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DiscoveredUnit".
 */
export interface DiscoveredUnit {
/**
 * Cores per replica.
 */
cores: number
/**
 * Where `cores` came from.
 */
cores_from: string
/**
 * Memory per replica (`base_memory`), bytes; 0 when not given.
 */
memory_bytes: number
/**
 * Where `memory_bytes` came from.
 */
memory_from: string
/**
 * Replicas.
 */
replicas: number
/**
 * Where `replicas` came from.
 */
replicas_from: string
/**
 * The unit (module) name.
 */
unit: string
}
/**
 * Spans that could not be mapped, by reason.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "UnmappedSpans".
 */
export interface UnmappedSpans {
/**
 * Spans.
 */
spans: number
/**
 * What and why.
 */
what: string
}
/**
 * What to discover a model from (the desktop app's `discover_model` request; the CLI's
 * `archsim discover` arguments).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DiscoverRequest".
 */
export interface DiscoverRequest {
/**
 * Deployment manifests (Kubernetes YAML or docker-compose): replicas, CPU and memory.
 */
deployment?: string[]
/**
 * The file name the model's diagnostics use (default `discovered.toml`).
 */
file_name?: (string | null)
/**
 * The distribution written for measured times: `auto` (default), `lognormal`, `gamma`
 * or `empirical`.
 */
fit?: (string | null)
/**
 * The scenario's `name` (default `discovered`).
 */
name?: (string | null)
/**
 * Trace files: OTLP JSON (the Collector's file exporter), Jaeger JSON or Zipkin v2 JSON.
 */
traces: string[]
/**
 * Measured CPU per service over the traces' window: a CSV or an OpenTelemetry metrics
 * JSON file (demands by the service demand law).
 */
utilization?: (string | null)
/**
 * Window of the rate-profile test, a duration (default `60s`).
 */
window?: (string | null)
}
/**
 * A bundled scenario.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Lesson".
 */
export interface Lesson {
/**
 * The scenario's `description` (what it shows, what to look at).
 */
description: string
/**
 * The scenario's `name`.
 */
name: string
/**
 * Absolute path of the file.
 */
path: string
/**
 * Path relative to the scenarios folder (`queueing/mm1.toml`).
 */
rel: string
}
/**
 * What to ask in the dialog.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "PickRequest".
 */
export interface PickRequest {
/**
 * The file name proposed (save) — also what the automated-test mode answers.
 */
default_name: string
/**
 * The file types offered.
 */
filters?: PickFilter[]
mode: PickMode
/**
 * The dialog's title.
 */
title: string
}
/**
 * A file type offered by the dialog.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "PickFilter".
 */
export interface PickFilter {
/**
 * Extensions without the dot (`toml`).
 */
extensions: string[]
/**
 * What the user reads (`Scenario`, `PNG image`).
 */
name: string
}
/**
 * One run of a scenario: every variant, every replication combined.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Results".
 */
export interface Results {
/**
 * Paired differences of each variant against the first (common random numbers).
 */
comparisons: Comparison[]
/**
 * Variant names as ordered evolution steps (the scenario's `evolution`); omitted when
 * the scenario has none.
 */
evolution?: string[]
/**
 * Present only in a document merged with `archsim merge --allow-partial` from parts that
 * did not cover the whole run: what is missing. Absent in a complete document.
 */
partial?: (PartialMerge | null)
/**
 * Precision on demand (`run --precision`): target, what was reached, replications.
 * Absent for a run with a fixed replication count.
 */
precision?: (PrecisionResult | null)
/**
 * Replications per variant that finished.
 */
replications: number
/**
 * Scenario name.
 */
scenario: string
/**
 * Layout version ([`SCHEMA_VERSION`]).
 */
schema_version: number
/**
 * Master seed.
 */
seed: number
self_check: SelfCheck
/**
 * Per SLO (the scenario's `slo`, then `run --slo`) and variant: the fraction of
 * replications meeting it. Absent when no SLO is given.
 */
slo_probability?: SloProbability[]
/**
 * Uncertain inputs: the values drawn per replication and the spread of the headline
 * metrics across replications. Absent when every input is a plain value.
 */
uncertainty?: (UncertaintyResult | null)
/**
 * Per variant, in scenario order.
 */
variants: VariantResult[]
/**
 * Per variant, a few plain sentences against the first variant (latency and its biggest
 * contributors, cost, memory, availability, each SLO), saying only what the 95%
 * intervals support (see `docs/results.md`).
 */
verdict?: VariantVerdict[]
/**
 * Warnings about the run (few samples for a percentile, one replication, …).
 */
warnings: string[]
}
/**
 * Paired differences `variant − baseline` (replication k against replication k; common random
 * numbers make these intervals much tighter than two independent ones).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Comparison".
 */
export interface Comparison {
/**
 * The baseline (the first variant).
 */
baseline: string
/**
 * Per entry.
 */
entries: {
[k: string]: EntryDiff
}
memory_provisioned_gb: Stat
/**
 * The variant compared.
 */
variant: string
}
/**
 * Paired differences for one entry.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EntryDiff".
 */
export interface EntryDiff {
/**
 * Per part of the latency anatomy, the difference of its mean time per request \[s\]
 * (variant − baseline; the parts add up to `latency_mean_s` over the replications where
 * both variants had successes), largest first.
 */
anatomy?: AnatomyDiff[]
latency_mean_s: Stat
latency_p50_s: Stat
latency_p99_s: Stat
/**
 * Pairs of replications behind the latency differences: those in which both variants
 * completed at least one request (a replication without a completed request has no
 * latency to compare).
 */
latency_pairs?: number
success_ratio: Stat
throughput_per_s: Stat
}
/**
 * The paired difference of one part between two variants.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "AnatomyDiff".
 */
export interface AnatomyDiff {
/**
 * Its kind (see [`AnatomyPart::kind`]).
 */
kind: string
mean_s: Stat
/**
 * The part, matched between variants by name; the service of every node is grouped as
 * `service (CPU demand)` and their queueing as `queueing` (the nodes differ between
 * variants).
 */
part: string
}
/**
 * A scalar summarized over replications. Units are those of the samples. `Default` is all
 * zeros, the same as [`Stat::from_samples`] of an empty slice.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Stat".
 */
export interface Stat {
/**
 * Upper end of the two-sided 95% confidence interval of the mean (as `ci95_low`).
 */
ci95_high: number
/**
 * Lower end of the two-sided 95% confidence interval of the mean: Student t, or for a
 * quantity that cannot be negative whose Student t interval would cross 0, the expanded
 * percentile bootstrap (never below 0). Equal to the mean with one replication (no interval).
 */
ci95_low: number
/**
 * Largest sample.
 */
max: number
/**
 * Sample mean.
 */
mean: number
/**
 * Smallest sample.
 */
min: number
}
/**
 * What a partial merge (`archsim merge --allow-partial`) lacks: the document combines only
 * the replications (of a run) or points (of a sweep) that the parts given hold.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "PartialMerge".
 */
export interface PartialMerge {
/**
 * A sweep's points that are not in the document (indices in the grid).
 */
missing_points?: number[]
/**
 * A run's replications that are not in the document (0-based), from missing shards and
 * from shards interrupted before they finished them.
 */
missing_replications?: number[]
/**
 * Shards no part was given for (0-based indices).
 */
missing_shards: number[]
/**
 * Shards in the split.
 */
shards: number
}
/**
 * Outcome of `run --precision`.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "PrecisionResult".
 */
export interface PrecisionResult {
/**
 * Replication count after each batch (the last is `replications`).
 */
batches: number[]
/**
 * Cap on replications.
 */
max_replications: number
/**
 * Whether every headline interval met the target.
 */
met: boolean
/**
 * Every headline metric with the relative half-width it reached.
 */
metrics: PrecisionMetric[]
/**
 * Target relative half-width of every headline 95% interval (0.02 for 2%).
 */
target: number
}
/**
 * One headline metric of a precision run.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "PrecisionMetric".
 */
export interface PrecisionMetric {
/**
 * Mean of the metric.
 */
mean: number
/**
 * Whether it is within the target.
 */
met: boolean
/**
 * `entry <name> latency mean`, `entry <name> p99`, `entry <name> throughput` or
 * `unit <name> utilization`.
 */
metric: string
/**
 * Half-width of its 95% interval relative to |mean| (0 for a zero-width interval).
 */
relative_half_width: number
/**
 * Variant name.
 */
variant: string
}
/**
 * Outcome of the invariants checked on every replication.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "SelfCheck".
 */
export interface SelfCheck {
/**
 * Whether every invariant held.
 */
ok: boolean
/**
 * Violations, prefixed with variant and replication.
 */
violations: string[]
}
/**
 * How often one SLO is met by one variant, over replications.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "SloProbability".
 */
export interface SloProbability {
/**
 * Per clause: the fraction of replications meeting it.
 */
clauses: SloClauseProbability[]
/**
 * Replications meeting every clause.
 */
met: number
/**
 * met / replications: the estimated probability of meeting the SLO.
 */
probability: number
/**
 * Replications.
 */
replications: number
/**
 * The SLO as written (clauses joined by commas).
 */
slo: string
/**
 * Variant name.
 */
variant: string
/**
 * Upper end of the 95% Wilson score interval.
 */
wilson95_high: number
/**
 * Lower end of the 95% Wilson score interval of the probability.
 */
wilson95_low: number
}
/**
 * How often one clause of an SLO is met.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "SloClauseProbability".
 */
export interface SloClauseProbability {
/**
 * The clause as written.
 */
clause: string
/**
 * Replications meeting it (on every entry it covers).
 */
met: number
/**
 * met / replications.
 */
probability: number
}
/**
 * Uncertain inputs of a run.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "UncertaintyResult".
 */
export interface UncertaintyResult {
/**
 * The uncertain parameters, in file order.
 */
parameters: UncertainParamResult[]
/**
 * Per variant, the spread of the headline metrics across replications.
 */
variants: UncertainVariant[]
}
/**
 * One uncertain parameter and its draws.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "UncertainParamResult".
 */
export interface UncertainParamResult {
/**
 * The distribution as written, e.g. `{ uniform = [700, 900] }`.
 */
distribution: string
/**
 * The value drawn for each replication, in replication order.
 */
drawn: number[]
/**
 * Dotted path, e.g. `workload.entries[0].arrival.rate`.
 */
path: string
/**
 * Unit of `drawn`: `"s"` (durations), `"B"` (sizes) or `""`.
 */
unit: string
}
/**
 * Spread of the headline metrics of one variant across replications.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "UncertainVariant".
 */
export interface UncertainVariant {
/**
 * Per entry.
 */
entries: {
[k: string]: UncertainEntry
}
/**
 * Variant name.
 */
name: string
}
/**
 * Spread of the headline metrics of one entry across replications.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "UncertainEntry".
 */
export interface UncertainEntry {
error_ratio: Spread
latency_mean_s: Spread
latency_p99_s: Spread
throughput_per_s: Spread
}
/**
 * Spread of a metric across replications (quantiles of the per-replication values; with
 * uncertain inputs it mixes input uncertainty and simulation noise).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Spread".
 */
export interface Spread {
/**
 * Largest value.
 */
max: number
/**
 * Smallest value.
 */
min: number
/**
 * 25th percentile.
 */
p25: number
/**
 * 5th percentile.
 */
p5: number
/**
 * Median.
 */
p50: number
/**
 * 75th percentile.
 */
p75: number
/**
 * 95th percentile.
 */
p95: number
}
/**
 * Results of one variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "VariantResult".
 */
export interface VariantResult {
/**
 * Per entry: where the time of a successful request goes (latency anatomy; see
 * `docs/results.md`).
 */
anatomy?: {
[k: string]: EntryAnatomyResult
}
availability: Stat
/**
 * Per cache decision point (`gateway: ENTRY` route caches, `cdn: ENTRY`, cache nodes):
 * lookups and hits (absent when none).
 */
caches?: {
[k: string]: CacheResult
}
/**
 * Front-door nodes, keyed by name: `gateway` (a gateway with instances), each load
 * balancer, each cache node, `cdn` (absent when none).
 */
components?: {
[k: string]: ComponentResult
}
/**
 * Ownership and Conway metrics (see `docs/results.md`).
 */
conway?: (ConwayMetrics | null)
cost?: CostResult
/**
 * Per database, in scenario order.
 */
databases: {
[k: string]: NodeResult
}
/**
 * DORA metrics of the delivery simulation, when the scenario has `[delivery]`.
 */
delivery?: (DeliveryResult | null)
engine: EngineFigures
/**
 * Per entry, in scenario order.
 */
entries: {
[k: string]: EntryResult
}
/**
 * Per lock taken by transaction steps, by name (absent when none).
 */
locks?: {
[k: string]: LockResult
}
memory_provisioned_gb: Stat
/**
 * Variant name.
 */
name: string
/**
 * Per message queue, in order of first publish in the file (absent when none).
 */
queues?: {
[k: string]: QueueResult
}
resilience: ResilienceResult
/**
 * Per saga, keyed by the operation holding it (absent when none).
 */
sagas?: {
[k: string]: SagaResult
}
series: SeriesResult
/**
 * Per transaction (local or two-phase commit), keyed by the operation holding it (absent
 * when none).
 */
transactions?: {
[k: string]: TxResult
}
/**
 * Per unit, in scenario order.
 */
units: {
[k: string]: NodeResult
}
/**
 * Per entry: the warm-up detected by MSER-5 on the replication-averaged window series.
 */
warmup_detected?: {
[k: string]: WarmupDetection
}
/**
 * Per workflow, by name: its executions (absent when none).
 */
workflows?: {
[k: string]: WorkflowResult
}
}
/**
 * The latency anatomy of one entry of one variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EntryAnatomyResult".
 */
export interface EntryAnatomyResult {
mean_s: Stat
/**
 * The parts, largest first (parts that are zero in every replication are left out).
 */
parts: AnatomyPart[]
/**
 * Replications with at least one successful request (the others give no sample).
 */
replications: number
tail: TailAnatomy
}
/**
 * One part of the time of a request.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "AnatomyPart".
 */
export interface AnatomyPart {
/**
 * The component, for `component`.
 */
component?: (string | null)
/**
 * Its kind: `queueing`, `service` (of `node`), `network`, `marshalling`, `client`,
 * `retries`, `component` (of `component`), `other`.
 */
kind: string
mean_s: Stat
/**
 * The node, for `queueing` and `service`.
 */
node?: (string | null)
/**
 * What it is, for a reader: `network hops`, `catalog: queueing`, `API gateway …`.
 */
part: string
/**
 * Its share of the mean latency (0–1).
 */
share: number
}
/**
 * The anatomy of the slowest requests of an entry.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "TailAnatomy".
 */
export interface TailAnatomy {
mean_s: Stat
/**
 * Their parts, largest first.
 */
parts: AnatomyPart[]
/**
 * The quantile above which requests are described (0.99).
 */
quantile: number
}
/**
 * Lookups and hits of one cache over the measured interval.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CacheResult".
 */
export interface CacheResult {
hit_ratio: Stat
hits: Stat
lookups: Stat
}
/**
 * Results of a front-door node: its kind and its node figures.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "ComponentResult".
 */
export interface ComponentResult {
all_down_fraction: Stat
attempts_per_s?: Stat
/**
 * Autoscaled units only: instances and scaling.
 */
autoscaling?: (AutoscaleResult | null)
crashed: Stat
/**
 * Serverless units only: the function's pool and bill figures.
 */
function?: (FunctionResult | null)
/**
 * Instances.
 */
instances: number
instances_up: Stat
/**
 * `gateway`, `load_balancer`, `cache` or `cdn`.
 */
kind: string
mean_in_queue: Stat
mean_in_system: Stat
mean_residence_s: Stat
/**
 * Units with `pool` only: their connection pools, all instances and databases together.
 */
pool?: (PoolResult | null)
rejected: Stat
throughput_per_s: Stat
utilization: Stat
worker_saturation?: Stat
}
/**
 * Instances of an autoscaled unit over the measured interval (`instances` of the node is then
 * its `max`).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "AutoscaleResult".
 */
export interface AutoscaleResult {
instances_max: Stat
instances_mean: Stat
instances_min: Stat
scaling_events: Stat
}
/**
 * Figures of a serverless function over the measured interval.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "FunctionResult".
 */
export interface FunctionResult {
cold_start_fraction: Stat
cold_starts: Stat
gb_s_billed: Stat
instances_mean?: Stat
invocations: Stat
max_duration_failures: Stat
mean_concurrency: Stat
peak_concurrency: Stat
throttles: Stat
}
/**
 * The connection pools of a unit (every instance, every database), over the measured interval.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "PoolResult".
 */
export interface PoolResult {
acquires: Stat
in_use: Stat
saturation: Stat
/**
 * Connections over all the unit's pools.
 */
size: number
timeouts: Stat
wait_mean_s: Stat
waiting: Stat
}
/**
 * Conway metrics of one variant (`conway` in the results document).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "ConwayMetrics".
 */
export interface ConwayMetrics {
/**
 * Module-to-module calls per entry request (in-process or not).
 */
calls_per_request: number
/**
 * n(n−1)/2 for n coordinating teams.
 */
communication_channels: number
/**
 * Teams at either end of a cross-unit, cross-team call, in team order.
 */
coordinating_teams: string[]
/**
 * Calls per request between modules of different teams.
 */
cross_team_calls_per_request: number
/**
 * Calls per request between modules in different units.
 */
cross_unit_calls_per_request: number
/**
 * Adjusted Wallace index of the unit partition of the owned modules with respect to their
 * team partition: 1 = no unit holds two teams' modules, 0 = units mix teams as chance
 * would, < 0 = more than chance; `null` when no module has a team.
 */
mirroring?: (number | null)
/**
 * Fraction of pairs of owned modules for which "same unit" ⇔ "same team" (Rand index);
 * `null` when no module has a team.
 */
pair_agreement?: (number | null)
/**
 * Per team owning modules, in team order.
 */
teams: TeamOwnership[]
/**
 * Mean over units holding owned modules of the number of teams owning their modules.
 */
teams_per_unit: number
/**
 * Per unit, in unit order.
 */
units: UnitOwnership[]
/**
 * Mean over teams owning modules of the number of units holding their modules.
 */
units_per_team: number
}
/**
 * What one team owns in a variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "TeamOwnership".
 */
export interface TeamOwnership {
/**
 * Modules it owns, in module order.
 */
modules: string[]
/**
 * Team name.
 */
name: string
/**
 * Units holding them, in unit order.
 */
units: string[]
}
/**
 * Who owns a unit's modules.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "UnitOwnership".
 */
export interface UnitOwnership {
/**
 * Unit name.
 */
name: string
/**
 * Teams owning its modules, in team order.
 */
teams: string[]
}
/**
 * The bill of a variant, each figure over replications.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CostResult".
 */
export interface CostResult {
/**
 * Per name alone, the lines of every kind with that name added up (`catalog` = its unit
 * and its database): the format's fixed `cost.by_node.<name>`, kept for the tools that
 * read it; `by_resource` tells the resources apart.
 */
by_node?: {
[k: string]: NodeCost
}
/**
 * Per billed resource, keyed `"kind/name"` (`unit/catalog`, `database/catalog`,
 * `gateway/gateway`, `balancer/NAME`, `cache/NAME`, `queue/NAME`, `function/NAME`,
 * `host/NAME`, `cluster/kubernetes`, `transfer/cross_zone`, `external/NAME`,
 * `workflow/NAME`, `credit/serverless_free_tier`):
 * two resources of the same name are two lines.
 */
by_resource: {
[k: string]: CostLineResult
}
/**
 * What that month is, in words (e.g. `steady: every entry at its steady rate all
 * month`).
 */
month?: string
per_million_requests_usd: Stat
per_month_usd: Stat
window_usd: Stat
}
/**
 * The cost of every line of one name ([`CostResult::by_node`]).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "NodeCost".
 */
export interface NodeCost {
per_million_requests_usd: Stat
per_month_usd: Stat
window_usd: Stat
}
/**
 * One line of a bill.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "CostLineResult".
 */
export interface CostLineResult {
/**
 * The catalogue size the line's instances are billed as (a unit's or host's EC2
 * instance type or Fargate task size, e.g. `c7i.xlarge`); absent on other lines and when
 * nothing in the catalogue is that large (priced pro rata). See docs/cost.md, "Instance
 * catalogue".
 */
instance?: (string | null)
/**
 * The kind of resource: `unit`, `function`, `database`, `gateway`, `balancer`, `cache`,
 * `queue`, `cluster`, `host`, `transfer`, `external`, `workflow` or `credit`.
 */
kind: string
/**
 * The resource's name (a node's name, or a fee's).
 */
name: string
per_million_requests_usd: Stat
per_month_usd: Stat
window_usd: Stat
}
/**
 * Results of one node (unit or database), summed over its instances.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "NodeResult".
 */
export interface NodeResult {
all_down_fraction: Stat
attempts_per_s?: Stat
/**
 * Autoscaled units only: instances and scaling.
 */
autoscaling?: (AutoscaleResult | null)
crashed: Stat
/**
 * Serverless units only: the function's pool and bill figures.
 */
function?: (FunctionResult | null)
/**
 * Instances.
 */
instances: number
instances_up: Stat
mean_in_queue: Stat
mean_in_system: Stat
mean_residence_s: Stat
/**
 * Units with `pool` only: their connection pools, all instances and databases together.
 */
pool?: (PoolResult | null)
rejected: Stat
throughput_per_s: Stat
utilization: Stat
worker_saturation?: Stat
}
/**
 * Delivery results of one variant (`delivery` in the results document).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "DeliveryResult".
 */
export interface DeliveryResult {
change_failure_rate: Stat
changes_per_day: Stat
deployments_per_day: Stat
lead_time_h: LeadTime
multi_team_fraction: Stat
multi_unit_fraction: Stat
/**
 * Per team owning modules, in team order.
 */
teams: TeamDelivery[]
teams_per_change: Stat
time_to_restore_h: Stat
unfinished: Stat
}
/**
 * Lead-time summary \[h\]; percentiles per replication, then combined.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "LeadTime".
 */
export interface LeadTime {
mean: Stat
p50: Stat
p90: Stat
}
/**
 * Delivery figures of one team.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "TeamDelivery".
 */
export interface TeamDelivery {
changes_per_day: Stat
/**
 * Team name.
 */
name: string
time_blocked_h_per_day: Stat
time_coordinating_h_per_day: Stat
}
/**
 * Engine figures of a variant, summed over replications.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EngineFigures".
 */
export interface EngineFigures {
/**
 * Events processed.
 */
events: number
/**
 * events / wall_s.
 */
events_per_s: number
/**
 * Sum of the replications' wall-clock times \[s\].
 */
wall_s: number
}
/**
 * Results of one entry.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EntryResult".
 */
export interface EntryResult {
arrived: Stat
attempts: Stat
completed: Stat
degraded: Stat
failed: Stat
/**
 * Failures by reason (only reasons that occurred).
 */
failed_by_reason: {
[k: string]: Stat
}
in_flight: Stat
/**
 * Latency CDF of all replications merged: `[latency_s, fraction ≤]` pairs.
 */
latency_cdf: [number, number][]
latency_s: LatencyResult
success_ratio: Stat
throughput_per_s: Stat
}
/**
 * Latency summary \[s\]; each percentile is computed per replication and then combined, over
 * the replications that have at least one sample (a replication in which no request completed
 * has no latency: it is not counted as 0).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "LatencyResult".
 */
export interface LatencyResult {
mean: Stat
p50: Stat
p90: Stat
p95: Stat
p99: Stat
p999: Stat
/**
 * The p99.9 rests on too few requests: fewer than 10,000 in some replication.
 */
p999_low_samples?: boolean
/**
 * The p99 rests on too few requests: fewer than 1,000 successful requests in some
 * replication (fewer than 10 expected beyond the percentile).
 */
p99_low_samples?: boolean
/**
 * Replications without a single sample (no request completed): they are left out of
 * every Stat above. When it equals the replication count there is no latency at all, the
 * Stats are 0 and read "n/a".
 */
replications_without_samples?: number
/**
 * How the p99 and p99.9 intervals were computed: `"student_t"` or `"bootstrap"`
 * (expanded percentile bootstrap over replications, for 6 to 9 replications).
 */
tail_interval?: string
}
/**
 * One lock over the measured interval.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "LockResult".
 */
export interface LockResult {
acquires: Stat
held: Stat
timeouts: Stat
wait_mean_s: Stat
waiting: Stat
}
/**
 * Results of one message queue; counts are of messages published in the measured interval.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "QueueResult".
 */
export interface QueueResult {
backlog_end: Stat
dead_letter_ratio: Stat
dead_lettered: Stat
delivered: Stat
end_to_end_s: LatencyResult
published: Stat
published_per_s: Stat
receives: Stat
receives_per_message: Stat
redelivered: Stat
wait_mean_s: Stat
}
/**
 * Failure propagation of one variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "ResilienceResult".
 */
export interface ResilienceResult {
/**
 * Per scheduled fault, in scenario order.
 */
blast_radius: BlastRadius[]
/**
 * Circuit-breaker state changes of replication 0, in time order.
 */
breaker_changes: BreakerChangeResult[]
/**
 * Per entry with client retries: attempts / requests.
 */
client_amplification: {
[k: string]: Stat
}
/**
 * Per call edge with a resilience policy (`caller.op -> callee.op`).
 */
edges: {
[k: string]: EdgeResult
}
/**
 * Per entry that had failures: the paths they took, each the nodes from the failure's
 * origin up to the entry (a timeout begins where the request was when time ran out),
 * the most frequent first (at most [`CHAINS_KEPT`]).
 */
failure_chains?: {
[k: string]: FailureChain[]
}
/**
 * Failed requests in the measured interval by the node where the failure began
 * (`gateway` for the API gateway), then by entry; only pairs that ever failed.
 */
failure_origins: {
[k: string]: {
[k: string]: Stat
}
}
/**
 * The same per time window (failures per second, averaged over replications; windows as
 * in `series.t_s`); only for models with faults or resilience policies.
 */
failure_origins_series: {
[k: string]: {
[k: string]: number[]
}
}
/**
 * Per random-failure fault (`mtbf`/`mttr`), in scenario order: its episodes.
 */
random_blast_radius?: RandomBlastRadius[]
}
/**
 * What one fault did to the entries.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "BlastRadius".
 */
export interface BlastRadius {
/**
 * Measured windows before the fault that form the baseline (0: no baseline, nothing
 * evaluated).
 */
baseline_windows: number
/**
 * End \[s\] (`null`: to the end of the run).
 */
end_s?: (number | null)
/**
 * Per entry.
 */
entries: {
[k: string]: EntryBlast
}
/**
 * The fault's name.
 */
fault: string
/**
 * Its kind.
 */
kind: string
/**
 * Start \[s\].
 */
start_s: number
}
/**
 * The effect of a fault on one entry, from the time series averaged over replications.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EntryBlast".
 */
export interface EntryBlast {
/**
 * Mean window availability before the fault.
 */
availability_baseline: number
/**
 * Lowest window availability from the fault's start until recovery (or the end).
 */
availability_min: number
/**
 * Whether some window from the fault's start until recovery fell outside the baseline band.
 */
degraded: boolean
/**
 * Time spent degraded \[s\] (degraded windows × window).
 */
degraded_s: number
/**
 * Start of the first degraded window, from the fault's start \[s\].
 */
first_degraded_after_s?: (number | null)
/**
 * Mean window p99 before the fault \[s\].
 */
p99_baseline_s: number
/**
 * Highest window p99 from the fault's start until recovery (or the end) \[s\].
 */
p99_max_s: number
/**
 * Time to recover after the fault ended \[s\]: from its end to the start of the first window
 * after it that begins a run of in-band windows lasting to the end or for 3 windows;
 * `null` if it never did (or the fault lasts to the end).
 */
recovered_after_s?: (number | null)
}
/**
 * One circuit-breaker state change.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "BreakerChangeResult".
 */
export interface BreakerChangeResult {
/**
 * The call edge.
 */
edge: string
/**
 * `closed`, `open` or `half_open`.
 */
from: string
/**
 * When \[s\] from the start of the run.
 */
t_s: number
/**
 * `closed`, `open` or `half_open`.
 */
to: string
}
/**
 * Counters of one call edge with policies.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EdgeResult".
 */
export interface EdgeResult {
amplification: Stat
attempts: Stat
breaker_half_opened: Stat
breaker_opened: Stat
budget_refused: Stat
calls: Stat
degraded: Stat
}
/**
 * One path failures took.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "FailureChain".
 */
export interface FailureChain {
/**
 * Node names from the origin up to the entry's node (`gateway`: the API gateway).
 */
chain: string[]
failed: Stat
}
/**
 * The blast radius of a random-failure fault over the measured interval. An *episode* is a
 * maximal interval during which at least one instance of the fault's targets is down because
 * of it (from the failure to the repair, or to the restart on kubernetes).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "RandomBlastRadius".
 */
export interface RandomBlastRadius {
degraded_fraction: Stat
/**
 * Per entry: failures inside and outside episodes.
 */
entries: {
[k: string]: EpisodeEntry
}
/**
 * Entries whose failure rate inside episodes exceeds their rate outside, in scenario
 * order (from the means over replications).
 */
entries_affected: string[]
episodes: Stat
failures: Stat
/**
 * Fault name.
 */
fault: string
mean_degraded_s: Stat
}
/**
 * Failures of one entry inside and outside the episodes of a random fault.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EpisodeEntry".
 */
export interface EpisodeEntry {
failed_during: Stat
failure_rate_during_per_s: Stat
failure_rate_outside_per_s: Stat
}
/**
 * Outcomes of one saga; counts are of sagas started in the measured interval and finished.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "SagaResult".
 */
export interface SagaResult {
committed: Stat
committed_ratio: Stat
compensated: Stat
compensated_ratio: Stat
compensation_failure_ratio: Stat
compensation_failures: Stat
compensation_s: Stat
compensations: Stat
completion_s: Stat
in_progress_end: Stat
inconsistency_window_s: Stat
inconsistent: Stat
inconsistent_ratio: Stat
messages_per_saga: Stat
/**
 * `"orchestration"` (the calling operation runs the steps and waits) or `"choreography"`
 * (the steps are events on message queues; the caller waits for the first publish only).
 */
style: string
}
/**
 * Time series averaged over replications, one value per window.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "SeriesResult".
 */
export interface SeriesResult {
/**
 * Per entry.
 */
entries: {
[k: string]: EntrySeries
}
/**
 * Per node (units then databases).
 */
nodes: {
[k: string]: NodeSeries
}
/**
 * Per message queue (absent when none).
 */
queues?: {
[k: string]: QueueSeries
}
/**
 * Window start times \[s\].
 */
t_s: number[]
/**
 * Window width \[s\].
 */
window_s: number
}
/**
 * Time series of an entry.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EntrySeries".
 */
export interface EntrySeries {
/**
 * Failures per second.
 */
errors_per_s: number[]
/**
 * Median latency of the window \[s\]; `null` for a window in which no request completed
 * in any replication (the mean is over the replications with a completion in the window).
 */
p50_s: (number | null)[]
/**
 * 99th percentile latency of the window \[s\]; `null` as for `p50_s`.
 */
p99_s: (number | null)[]
/**
 * Successful answers per second.
 */
throughput_per_s: number[]
}
/**
 * Time series of a node.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "NodeSeries".
 */
export interface NodeSeries {
/**
 * Mean requests present.
 */
in_system: number[]
/**
 * Instances (ready ones at the end of each window for an autoscaled unit).
 */
instances: number[]
/**
 * Autoscaled units: instances starting at the end of each window (else 0).
 */
instances_starting?: number[]
/**
 * Units with `pool`: connections in use / connections (see [`PoolResult::saturation`]);
 * omitted for other nodes.
 */
pool_saturation?: number[]
/**
 * Units with `pool`: time-averaged queries waiting for a connection; omitted for other
 * nodes.
 */
pool_waiting?: number[]
/**
 * Utilization.
 */
utilization: number[]
/**
 * Time-averaged requests waiting for a worker.
 */
waiting?: number[]
/**
 * Time-averaged workers in use / workers (see [`NodeResult::worker_saturation`]).
 */
worker_saturation?: number[]
}
/**
 * Time series of a message queue.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "QueueSeries".
 */
export interface QueueSeries {
/**
 * Messages in the queue (visible or being processed) at the end of the window.
 */
backlog: number[]
/**
 * Age of the oldest visible message at the end of the window \[s\].
 */
oldest_age_s: number[]
}
/**
 * Outcomes of one transaction; counts are of transactions started in the measured interval
 * and finished.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "TxResult".
 */
export interface TxResult {
committed: Stat
committed_ratio: Stat
duration_s: Stat
in_doubt: Stat
in_doubt_s: Stat
lock_timeouts: Stat
lock_wait_s: Stat
/**
 * `local` or `2pc`.
 */
mode: string
rolled_back: Stat
round_trips: Stat
}
/**
 * The warm-up of one entry detected by MSER-5 (see `docs/semantics.md`).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "WarmupDetection".
 */
export interface WarmupDetection {
/**
 * For a workload that changes over time on purpose: what to measure instead of waiting
 * for a steady state (the per-window series, the window of a profile's peak).
 */
advice?: (string | null)
/**
 * The configured `workload.warmup` \[s\].
 */
configured_warmup_s: number
/**
 * Truncation point of the window median-latency series \[s from the start of the run\];
 * `None` when the series is too short (fewer than 20 windows).
 */
latency_truncation_s?: (number | null)
/**
 * Whether the workload is stationary (every entry Poisson, constant or closed-loop, no
 * scheduled fault): only then is the warm-up judged.
 */
stationary?: boolean
/**
 * Truncation point of the window throughput series \[s\].
 */
throughput_truncation_s?: (number | null)
/**
 * The later of the two \[s\].
 */
truncation_s?: (number | null)
/**
 * Whether the configured warm-up is too short (the condition of the warning, see
 * `docs/semantics.md` §16): a stationary workload, a truncation point after the warm-up,
 * a significant difference before and after it, and a shift of a measured mean beyond
 * its 95% interval.
 */
warmup_too_short: boolean
}
/**
 * One workflow's executions; the counts are of executions started in the measured interval
 * that ended, per replication.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "WorkflowResult".
 */
export interface WorkflowResult {
caught: Stat
duration_s: Stat
executions: Stat
/**
 * Failed executions by reason (`max_duration`: ran past the mode's limit), only the
 * reasons that occurred.
 */
failed: {
[k: string]: Stat
}
/**
 * `standard` or `express`.
 */
mode: string
started: Stat
succeeded: Stat
transitions: Stat
transitions_per_execution: Stat
}
/**
 * The verdict of one variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "VariantVerdict".
 */
export interface VariantVerdict {
/**
 * Plain sentences, latency first, then cost, memory, availability and the SLOs.
 */
sentences: string[]
/**
 * Variant name.
 */
variant: string
}
/**
 * A finished right-sizing.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "RightsizeOutcome".
 */
export interface RightsizeOutcome {
/**
 * Cancel was asked for: the plans are the best found so far.
 */
cancelled: boolean
results: RightsizeResults
}
/**
 * The results of a right-sizing.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "RightsizeResults".
 */
export interface RightsizeResults {
/**
 * The entry whose rate was set (`None`: every entry scaled).
 */
entry?: (string | null)
/**
 * What was minimized: `cost_per_month_usd` or `cores`.
 */
objective: string
/**
 * The rate sized for.
 */
rate: number
/**
 * Replications per plan.
 */
replications: number
/**
 * Scenario name.
 */
scenario: string
/**
 * The kinds of knob searched (their `--search` names).
 */
search?: string[]
/**
 * Master seed.
 */
seed: number
/**
 * The SLO.
 */
slo: string
/**
 * Per variant.
 */
variants: RightsizeVariant[]
/**
 * Warnings.
 */
warnings: string[]
}
/**
 * The plan of one variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "RightsizeVariant".
 */
export interface RightsizeVariant {
/**
 * Cores provisioned by the plan (units: replicas × cores; databases: cores).
 */
cores: number
/**
 * Cost per month of the plan \[USD\], when the results carry a cost.
 */
cost_per_month_usd?: (number | null)
/**
 * Cores provisioned as written.
 */
current_cores: number
/**
 * Cost per month of the scenario as written at the same rate \[USD\], when available.
 */
current_cost_per_month_usd?: (number | null)
/**
 * Plans simulated.
 */
evaluations: number
/**
 * Whether the plan meets the SLO (with 95% confidence, or by the single value of one
 * replication).
 */
met: boolean
/**
 * Variant.
 */
name: string
/**
 * The SLO checked on the plan.
 */
outcome?: (SloOutcome | null)
/**
 * The settings.
 */
plan: Setting[]
/**
 * Why, for `not_met_by_any_plan` and `overload_undetectable` (a sentence).
 */
reason?: (string | null)
status: RightsizeStatus
}
/**
 * One setting of a plan.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Setting".
 */
export interface Setting {
/**
 * The analytic starting value of the search.
 */
analytic: number
/**
 * As written in the scenario (its default when omitted; `None` for a reserved concurrency
 * that is not written: the function shares the account's).
 */
current?: (number | null)
knob: KnobKind
/**
 * The unit or database.
 */
node: string
/**
 * The parameter path (see `docs/planning.md`).
 */
path: string
/**
 * The value of the plan.
 */
value: number
}
/**
 * What to right-size (`archsim rightsize`).
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "RightsizeRequest".
 */
export interface RightsizeRequest {
/**
 * Set only this entry's rate.
 */
entry?: (string | null)
/**
 * File name for diagnostics.
 */
file_name: string
/**
 * Plans simulated per variant, at most (default 200).
 */
max_evaluations?: (number | null)
/**
 * Work limit per plan (default 2·10⁹ events).
 */
max_events?: (number | null)
/**
 * Largest replica or core count considered (default 64).
 */
max_value?: (number | null)
/**
 * The arrival rate to size for \[1/s\]: of every entry together, or of `entry`.
 */
rate: number
/**
 * Replications per plan (default: the scenario's).
 */
replications?: (number | null)
/**
 * What to search, e.g. `replicas,db-cores` (default `replicas,db-cores,memory,provisioned`).
 */
search?: (string | null)
/**
 * Seed (default: the scenario's).
 */
seed?: (number | null)
/**
 * The SLO, e.g. `p99<300ms` (as `archsim rightsize --slo`).
 */
slo: string
/**
 * The scenario text.
 */
text: string
/**
 * Worker threads (default: all cores).
 */
threads?: (number | null)
/**
 * Only these variants (default: all).
 */
variants?: string[]
}
/**
 * The headline values of one finished replication of one variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "ReplicationDone".
 */
export interface ReplicationDone {
/**
 * Finished (variant, replication) tasks so far, this one included.
 */
done: number
/**
 * Per entry, in scenario order.
 */
entries: EntryPartial[]
/**
 * Replication index `k` (0-based; the replication's random streams derive from `(seed, k)`).
 */
replication: number
/**
 * All tasks of the run.
 */
total: number
/**
 * Per unit, in the variant's order.
 */
units?: UnitPartial[]
/**
 * The variant's name.
 */
variant: string
}
/**
 * One entry's values in one replication.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "EntryPartial".
 */
export interface EntryPartial {
/**
 * Requests completed in the measured interval; with none the replication has no latency
 * and the three latency fields are 0 without meaning.
 */
completed?: number
/**
 * Mean latency of the requests completed in the measured interval \[s\].
 */
latency_mean_s: number
/**
 * Median latency \[s\].
 */
latency_p50_s: number
/**
 * 99th percentile latency \[s\].
 */
latency_p99_s: number
/**
 * The entry's name.
 */
name: string
/**
 * Completed / (completed + failed).
 */
success_ratio: number
/**
 * Completed requests per second of measured time \[1/s\].
 */
throughput_per_s: number
}
/**
 * One unit's values in one replication.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "UnitPartial".
 */
export interface UnitPartial {
/**
 * The unit's name.
 */
name: string
/**
 * Utilization of its instances over the measured interval (0 to 1).
 */
utilization: number
}
/**
 * A finished run.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "RunOutcome".
 */
export interface RunOutcome {
/**
 * The run was cancelled: `results` hold fewer replications than asked for.
 */
cancelled: boolean
results: Results
}
/**
 * What to run: a scenario's text and the options of `archsim run`.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "RunRequest".
 */
export interface RunRequest {
/**
 * File name for diagnostics.
 */
file_name: string
/**
 * Refuse to start when the estimated number of events exceeds this (default 2·10⁹, as
 * `run --max-events`).
 */
max_events?: (number | null)
/**
 * Cap on replications of a precision run (default 1000, as `run --max-replications`).
 */
max_replications?: (number | null)
/**
 * Precision target (`2%` or `0.02`): add replications until every headline 95% interval
 * is within this relative half-width, as `archsim run --precision`; `replications` is the
 * first batch (at least 5).
 */
precision?: (string | null)
/**
 * Replications (default: the scenario's).
 */
replications?: (number | null)
/**
 * Seed (default: the scenario's).
 */
seed?: (number | null)
/**
 * Report the fraction of replications meeting this SLO too (`run --slo`).
 */
slo?: (string | null)
/**
 * The scenario text (what the editor shows, saved or not).
 */
text: string
/**
 * Worker threads (default: all cores).
 */
threads?: (number | null)
/**
 * Only these variants (default: all).
 */
variants?: string[]
}
/**
 * A finished sweep.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "SweepOutcome".
 */
export interface SweepOutcome {
/**
 * The sweep was cancelled: `results` hold fewer points than the grid.
 */
cancelled: boolean
results: SweepResults
}
/**
 * The results of a sweep.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "SweepResults".
 */
export interface SweepResults {
knee_rule: KneeRule
/**
 * The knee of every (variant, entry[, second value]) p99 curve that has one.
 */
knees: Knee[]
/**
 * The swept paths, in `--set` order.
 */
parameters: string[]
/**
 * Present only in a document merged with `archsim merge --allow-partial` from parts that
 * did not cover every point: which points are missing.
 */
partial?: (PartialMerge | null)
/**
 * The points that finished, in grid order.
 */
points: SweepPoint[]
/**
 * Replications per point and variant.
 */
replications: number
/**
 * Scenario name.
 */
scenario: string
/**
 * Layout version of the embedded run results.
 */
schema_version: number
/**
 * Master seed.
 */
seed: number
/**
 * Present in a partial result of a sharded sweep: which shard.
 */
shard?: (Shard | null)
/**
 * Points in the whole sweep (a shard holds some of them).
 */
total_points: number
/**
 * Sweep-level warnings (cancelled points, …).
 */
warnings: string[]
}
/**
 * The knee of one p99 curve.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Knee".
 */
export interface Knee {
/**
 * For a two-parameter sweep, the value of the second parameter that fixes the curve.
 */
curve?: (number | null)
/**
 * Entry.
 */
entry: string
/**
 * The p99 there \[s\].
 */
p99_s: number
/**
 * Index of the knee point in `points`.
 */
point: number
/**
 * The threshold it rose past \[s\].
 */
threshold_s: number
/**
 * Its swept values.
 */
values: {
[k: string]: number
}
/**
 * Variant.
 */
variant: string
}
/**
 * One point of a sweep's results.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "SweepPoint".
 */
export interface SweepPoint {
/**
 * Paired differences against the first variant, as in `run`.
 */
comparisons: Comparison[]
/**
 * Position in the grid (the first parameter varies slowest).
 */
index: number
self_check: SelfCheck
/**
 * The swept values (numbers; durations in seconds, sizes in bytes).
 */
values: {
[k: string]: number
}
/**
 * Per variant, as in the results of `run`.
 */
variants: VariantResult[]
/**
 * Warnings of this point's run.
 */
warnings: string[]
}
/**
 * One shard of N: `index` in `0..count`.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Shard".
 */
export interface Shard {
/**
 * Number of shards.
 */
count: number
/**
 * 0-based shard index.
 */
index: number
}
/**
 * What to sweep.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "SweepRequest".
 */
export interface SweepRequest {
/**
 * File name for diagnostics.
 */
file_name: string
/**
 * Knee rule: a factor (`2`) or a latency (`300ms`); default `2`.
 */
knee?: (string | null)
/**
 * Refuse to start when one point's estimated events exceed this (default 2·10⁹, as
 * `--max-events`).
 */
max_events?: (number | null)
/**
 * Replications per point and variant (default: the scenario's).
 */
replications?: (number | null)
/**
 * Seed (default: the scenario's).
 */
seed?: (number | null)
/**
 * One or two `PATH=A..B:STEP` or `PATH=a,b,c` (as `archsim sweep --set`; two make a grid).
 */
sets: string[]
/**
 * The scenario text.
 */
text: string
/**
 * Worker threads (default: all cores).
 */
threads?: (number | null)
/**
 * Only these variants (default: all).
 */
variants?: string[]
}
