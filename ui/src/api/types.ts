/* Generated from src/api/schema.json by scripts/gen-types.mjs (npm run gen:types). Do not edit. */

/**
 * What kind of node an estimate is for.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "NodeKind".
 */
export type NodeKind = ("unit" | "database")
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
})

/**
 * Types exchanged between the archsim desktop app's shell and its UI.
 */
export interface ArchsimApi {
Analysis: Analysis
AppError: AppError
Edit: Edit
ExportFormat: ExportFormat
Lesson: Lesson
Results: Results
RunEvent: RunEvent
RunOutcome: RunOutcome
RunRequest: RunRequest
}
/**
 * A scenario as the editor sees it: the text (the source of truth), the same document as JSON
 * (for the graph and the property panel), and what validation and the estimate say about it.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "Analysis".
 */
export interface Analysis {
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
 * Warnings of a valid scenario (overload, no warm-up, ...).
 */
warnings: string[]
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
 * Units in [`Variant::units`] order, then databases in [`Variant::databases`] order.
 */
nodes: NodeEstimate[]
/**
 * The variant's name.
 */
variant: string
/**
 * Human-readable warnings (overloaded nodes, saturated worker pools, undeployed stores).
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
 * The estimate of one node (a unit or a database).
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
 * The unit's or database's name.
 */
name: string
/**
 * Utilization ρ = CPU demand per second / total cores (dimensionless; ≥ 1 means overload;
 * 0 for serverless units).
 */
utilization: number
}
/**
 * An error of a command. `code` is stable (the UI branches on it); `message` is for people and
 * names the file, line and field when there is one.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "AppError".
 */
export interface AppError {
/**
 * `io`, `invalid_scenario`, `edit`, `run`, `busy`, `cancelled` or `export`.
 */
code: string
/**
 * Every located problem, for `invalid_scenario`.
 */
diagnostics: DiagnosticView[]
/**
 * What went wrong and what to do.
 */
message: string
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
 * Per variant, in scenario order.
 */
variants: VariantResult[]
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
latency_mean_s: Stat
latency_p50_s: Stat
latency_p99_s: Stat
success_ratio: Stat
throughput_per_s: Stat
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
 * Upper end of the two-sided 95% Student t confidence interval of the mean.
 */
ci95_high: number
/**
 * Lower end of the two-sided 95% Student t confidence interval of the mean.
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
 * Results of one variant.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "VariantResult".
 */
export interface VariantResult {
availability: Stat
/**
 * Per database, in scenario order.
 */
databases: {
[k: string]: NodeResult
}
engine: EngineFigures
/**
 * Per entry, in scenario order.
 */
entries: {
[k: string]: EntryResult
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
/**
 * Per saga, keyed by the operation holding it (absent when none).
 */
sagas?: {
[k: string]: SagaResult
}
series: SeriesResult
/**
 * Per unit, in scenario order.
 */
units: {
[k: string]: NodeResult
}
}
/**
 * Results of one node (unit or database), summed over its instances.
 * 
 * This interface was referenced by `ArchsimApi`'s JSON-Schema
 * via the `definition` "NodeResult".
 */
export interface NodeResult {
/**
 * Instances.
 */
instances: number
mean_in_queue: Stat
mean_in_system: Stat
mean_residence_s: Stat
rejected: Stat
throughput_per_s: Stat
utilization: Stat
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
completed: Stat
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
 * Latency summary \[s\]; each percentile is computed per replication and then combined.
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
compensation_s: Stat
inconsistent: Stat
inconsistent_ratio: Stat
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
 * Median latency of the window \[s\].
 */
p50_s: number[]
/**
 * 99th percentile latency of the window \[s\].
 */
p99_s: number[]
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
 * Instances.
 */
instances: number[]
/**
 * Utilization.
 */
utilization: number[]
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
 * What to run.
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
 * Replications (default: the scenario's).
 */
replications?: (number | null)
/**
 * Seed (default: the scenario's).
 */
seed?: (number | null)
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
