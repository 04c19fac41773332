//! The `archsim` command line's arguments (clap derive): the doc comments are the help text.

use archsim::app::guard::DEFAULT_MAX_EVENTS;
use archsim::runner;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// archsim — simulate one architecture deployed several ways and compare latency, throughput,
/// memory and failures side by side.
#[derive(Parser)]
#[command(name = "archsim", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Simulate every variant (or those named) and print them side by side.
    Run(Box<RunArgs>),
    /// Check a scenario: errors with file:line, warnings, and the analytic estimate.
    Validate(ValidateArgs),
    /// Print the JSON Schema of the scenario format (or, with --results, of the results document).
    Schema(SchemaArgs),
    /// Measure engine throughput on built-in models.
    Bench(BenchArgs),
    /// Vary one or two parameters over a grid and plot latency, throughput, errors and cost.
    Sweep(Box<SweepArgs>),
    /// Find, per variant, the highest arrival rate meeting an SLO with 95% confidence.
    Capacity(Box<CapacityArgs>),
    /// Combine the partial results of a sharded run or sweep into the unsharded result.
    Merge(MergeArgs),
    /// Find the cheapest replica counts and database cores meeting an SLO at a given rate.
    Rightsize(Box<RightsizeArgs>),
    /// Run only the delivery-process simulation (`[delivery]`) and print DORA metrics.
    Delivery(DeliveryArgs),
    /// Suggest a decomposition of the modules into K units; optionally write it as a variant.
    Decompose(DecomposeArgs),
    /// Write a self-contained HTML report (charts) of a results document (`run --json`).
    Report(ReportArgs),
    /// Discover a model from distributed traces (OTLP JSON, Jaeger JSON, Zipkin v2 JSON) and
    /// write it as a scenario, with a discovery report (docs/discover.md).
    Discover(Box<DiscoverArgs>),
    /// Run a model at the load its traces show, compare it with them per entry and per
    /// operation, and adjust its CPU demands, database times and network latency to match
    /// (docs/discover.md, "Calibration").
    Calibrate(Box<CalibrateArgs>),
}

#[derive(Args)]
pub(crate) struct CalibrateArgs {
    /// The model (a scenario TOML, e.g. written by `archsim discover`).
    #[arg(value_name = "MODEL.toml")]
    pub(crate) model: PathBuf,
    /// Trace files: OTLP JSON, Jaeger JSON or Zipkin v2 JSON (as `discover` reads).
    #[arg(long = "traces", value_name = "FILE", required = true, num_args = 1..)]
    pub(crate) traces: Vec<PathBuf>,
    /// Write the calibrated model here (default: only print the comparison).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Also write the calibration report as JSON.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
    /// The variant simulated (default: the first).
    #[arg(long, value_name = "NAME")]
    pub(crate) variant: Option<String>,
    /// Seed of every round (default: the model's).
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<u64>,
    /// Replications per round (default: the model's).
    #[arg(long, value_name = "R")]
    pub(crate) replications: Option<u32>,
    /// Most adjustment rounds.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub(crate) rounds: u32,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub(crate) threads: Option<usize>,
    /// Refuse a round whose estimated number of events exceeds this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_EVENTS)]
    pub(crate) max_events: f64,
}

#[derive(Args)]
pub(crate) struct DiscoverArgs {
    /// Trace files: OTLP JSON (one document or one per line), Jaeger JSON or Zipkin v2 JSON.
    #[arg(required = true, value_name = "TRACES")]
    pub(crate) traces: Vec<PathBuf>,
    /// The scenario file to write.
    #[arg(short = 'o', long = "out", value_name = "MODEL.toml")]
    pub(crate) out: PathBuf,
    /// Also write the discovery report as JSON.
    #[arg(long, value_name = "FILE")]
    pub(crate) report_json: Option<PathBuf>,
    /// Distribution of measured times: auto (the better of lognormal and gamma by KS
    /// distance, empirical when the KS test rejects both), lognormal, gamma or empirical.
    #[arg(long, value_name = "FIT", default_value = "auto")]
    pub(crate) fit: String,
    /// Window of the rate-profile test (a duration).
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub(crate) window: String,
    /// CPU used per service over the traces' window: a CSV `service,cpu_seconds_per_second`
    /// or an OpenTelemetry metrics JSON file (`process.cpu.time`, `container.cpu.usage`,
    /// `process.cpu.utilization`, … per `service.name`; detected by content). Demands then
    /// come from the service demand law.
    #[arg(long, value_name = "FILE")]
    pub(crate) utilization: Option<PathBuf>,
    /// A deployment manifest (repeatable): a Kubernetes YAML (Deployments, StatefulSets) or a
    /// docker-compose file; replicas, CPU and memory limits of the "as observed" variant come
    /// from it, matched to services by name.
    #[arg(long = "deployment", value_name = "FILE")]
    pub(crate) deployment: Vec<PathBuf>,
    /// The scenario's name.
    #[arg(long, value_name = "NAME", default_value = "discovered")]
    pub(crate) name: String,
}

#[derive(Args)]
pub(crate) struct DeliveryArgs {
    /// Scenario file (TOML) with a `[delivery]` section.
    pub(crate) file: PathBuf,
    /// Only this variant (repeatable).
    #[arg(long = "variant", value_name = "NAME")]
    pub(crate) variants: Vec<String>,
    /// Replications per variant (overrides the scenario).
    #[arg(long, value_name = "R")]
    pub(crate) replications: Option<u32>,
    /// Master seed (overrides the scenario).
    #[arg(long, value_name = "S")]
    pub(crate) seed: Option<u64>,
    /// Write `{ "variants": [ { "name", "delivery" } ] }` (JSON) to this file ("-" for stdout).
    #[arg(long, value_name = "OUT")]
    pub(crate) json: Option<PathBuf>,
    /// Refuse to start when the estimated number of events exceeds this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_EVENTS)]
    pub(crate) max_events: f64,
}

#[derive(Args)]
pub(crate) struct DecomposeArgs {
    /// Scenario file (TOML).
    pub(crate) file: PathBuf,
    /// Number of units K (1 to the number of modules).
    #[arg(long, value_name = "K")]
    pub(crate) units: usize,
    /// Call volumes from the analytic expected visits or from sampled call trees.
    #[arg(long, value_enum, default_value = "analytic")]
    pub(crate) weights: WeightsArg,
    /// Requests sampled per entry with `--weights simulated`.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub(crate) requests: u32,
    /// Weight of a shared data store relative to calls.
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub(crate) store_weight: f64,
    /// Same-team bonus, as a multiple of the mean positive weight.
    #[arg(long, value_name = "X", default_value_t = 0.5)]
    pub(crate) team_bonus: f64,
    /// Allowed imbalance of unit sizes around modules/K (0 = as equal as possible).
    #[arg(long, value_name = "X", default_value_t = 0.25)]
    pub(crate) balance: f64,
    /// Variant whose team ownership is used and whose unit settings and databases are copied
    /// (default: the first).
    #[arg(long, value_name = "NAME")]
    pub(crate) base: Option<String>,
    /// Write a copy of the scenario with the suggestion appended as a new variant.
    #[arg(long, value_name = "NEW.toml")]
    pub(crate) out: Option<PathBuf>,
    /// Write `{ "units": [ { "name", "modules" } ], "cross_unit_calls_per_request" }`.
    #[arg(long, value_name = "OUT")]
    pub(crate) json: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum WeightsArg {
    /// Analytic expected visits.
    Analytic,
    /// Sampled call trees (a short simulation of the call plans).
    Simulated,
}

#[derive(Args)]
pub(crate) struct ReportArgs {
    /// Results document written by `run --json` (or `sweep --json`, `capacity --json`).
    pub(crate) results: PathBuf,
    /// The HTML file to write.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: PathBuf,
}

#[derive(Args)]
pub(crate) struct SchemaArgs {
    /// Print the schema of the results document (`run --json`) instead of the scenario format.
    #[arg(long)]
    pub(crate) results: bool,
}

#[derive(Args)]
pub(crate) struct RunArgs {
    /// Scenario file (TOML).
    pub(crate) file: PathBuf,
    /// Strict instance sizes: a `vm` or `container` unit's, a host's, or a self-hosted
    /// gateway's or load balancer's cores that are no offering of the instance catalogue
    /// (EC2 M7i/C7i/R7i, Fargate task sizes) are an error naming the nearest valid sizes (as
    /// `strict_sizes = true` in the scenario).
    #[arg(long)]
    pub(crate) strict_sizes: bool,
    /// Only this variant (repeatable).
    #[arg(long = "variant", value_name = "NAME")]
    pub(crate) variants: Vec<String>,
    /// Replications per variant (overrides the scenario).
    #[arg(long, value_name = "R")]
    pub(crate) replications: Option<u32>,
    /// Master seed (overrides the scenario).
    #[arg(long, value_name = "S")]
    pub(crate) seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T")]
    pub(crate) threads: Option<usize>,
    /// Write the results document (JSON) to this file ("-" for standard output).
    #[arg(long, value_name = "OUT")]
    pub(crate) json: Option<PathBuf>,
    /// Write entries.csv, nodes.csv and series.csv into this directory.
    #[arg(long, value_name = "DIR")]
    pub(crate) csv: Option<PathBuf>,
    /// No progress bar and no table.
    #[arg(long)]
    pub(crate) quiet: bool,
    /// Refuse to start when the estimated number of events exceeds this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_EVENTS)]
    pub(crate) max_events: f64,
    /// Run only shard K of N (0-based) of the replications and write a partial result to
    /// --json; `auto/N` reads K from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID. Combine the
    /// parts with `archsim merge`.
    #[arg(long, value_name = "K/N")]
    pub(crate) shard: Option<String>,
    /// Write 0 for the wall-clock figures, so that documents of the same run compare byte for
    /// byte.
    #[arg(long)]
    pub(crate) no_timings: bool,
    /// Add replications until every headline 95% interval (per entry: mean latency, p99,
    /// throughput; per unit: utilization) is within this relative half-width, e.g. "2%" or
    /// 0.02. The first batch is --replications (at least 5).
    #[arg(long, value_name = "P")]
    pub(crate) precision: Option<String>,
    /// Cap on replications of a --precision run.
    #[arg(long, value_name = "N", default_value_t = runner::precision::DEFAULT_MAX_REPLICATIONS)]
    pub(crate) max_replications: u32,
    /// Report the fraction of replications meeting this SLO, e.g. "p99<300ms,errors<0.1%"
    /// (in addition to the scenario's `slo`).
    #[arg(long, value_name = "SLO")]
    pub(crate) slo: Option<String>,
}

/// Options shared by the capacity-planning commands.
#[derive(Args)]
pub(crate) struct PlanCommon {
    /// Scenario file (TOML).
    pub(crate) file: PathBuf,
    /// Strict instance sizes: a `vm` or `container` unit's, a host's, or a self-hosted
    /// gateway's or load balancer's cores that are no offering of the instance catalogue
    /// (EC2 M7i/C7i/R7i, Fargate task sizes) are an error naming the nearest valid sizes (as
    /// `strict_sizes = true` in the scenario).
    #[arg(long)]
    pub(crate) strict_sizes: bool,
    /// Only this variant (repeatable).
    #[arg(long = "variant", value_name = "NAME")]
    pub(crate) variants: Vec<String>,
    /// Replications per simulated setting (overrides the scenario).
    #[arg(long, value_name = "R")]
    pub(crate) replications: Option<u32>,
    /// Master seed (overrides the scenario).
    #[arg(long, value_name = "S")]
    pub(crate) seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T")]
    pub(crate) threads: Option<usize>,
    /// Write the results document (JSON) to this file ("-" for standard output).
    #[arg(long, value_name = "OUT")]
    pub(crate) json: Option<PathBuf>,
    /// Write CSV files into this directory.
    #[arg(long, value_name = "DIR")]
    pub(crate) csv: Option<PathBuf>,
    /// No progress bar and no table.
    #[arg(long)]
    pub(crate) quiet: bool,
    /// Refuse to start when the estimated number of events of one simulated setting (all its
    /// replications) exceeds this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_EVENTS)]
    pub(crate) max_events: f64,
}

#[derive(Args)]
pub(crate) struct SweepArgs {
    #[command(flatten)]
    pub(crate) common: PlanCommon,
    /// PATH=A..B:STEP or PATH=a,b,c (once or twice; two make a grid).
    #[arg(long = "set", value_name = "PATH=VALUES", required = true)]
    pub(crate) sets: Vec<String>,
    /// Knee of a p99 curve: the first point above this factor times the p99 at the curve's
    /// first point (`2`), or above a latency (`300ms`).
    #[arg(long, value_name = "F|LATENCY", default_value = "2")]
    pub(crate) knee: String,
    /// Run only shard K of N (0-based) of the points; see `run --shard`.
    #[arg(long, value_name = "K/N")]
    pub(crate) shard: Option<String>,
    /// Write 0 for the wall-clock figures (byte-comparable documents).
    #[arg(long)]
    pub(crate) no_timings: bool,
}

#[derive(Args)]
pub(crate) struct CapacityArgs {
    #[command(flatten)]
    pub(crate) common: PlanCommon,
    /// The SLO, e.g. "p99<300ms,errors<0.1%" (see docs/planning.md).
    #[arg(long, value_name = "SLO")]
    pub(crate) slo: String,
    /// Scale only this entry's rate (default: every entry together).
    #[arg(long, value_name = "NAME")]
    pub(crate) entry: Option<String>,
    /// Stop when the bracket is at most this wide relative to its low end.
    #[arg(long, value_name = "PCT", default_value = "1%")]
    pub(crate) precision: String,
    /// Evaluations per variant, at most.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub(crate) max_evaluations: u32,
}

#[derive(Args)]
pub(crate) struct RightsizeArgs {
    #[command(flatten)]
    pub(crate) common: PlanCommon,
    /// The SLO, e.g. "p99<300ms,errors<0.1%" (see docs/planning.md).
    #[arg(long, value_name = "SLO")]
    pub(crate) slo: String,
    /// The arrival rate to size for [requests/s]: the total of every entry (scaled together),
    /// or the rate of --entry.
    #[arg(long, value_name = "R")]
    pub(crate) rate: f64,
    /// Set only this entry's rate.
    #[arg(long, value_name = "NAME")]
    pub(crate) entry: Option<String>,
    /// Largest replica count or database core count considered.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub(crate) max_value: u32,
    /// Plans simulated per variant, at most.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub(crate) max_evaluations: usize,
    /// What to search: a comma-separated list of replicas, cores (per instance), db-cores,
    /// memory, provisioned, reserved — or all (see docs/planning.md).
    #[arg(
        long,
        value_name = "KNOBS",
        default_value = "replicas,db-cores,memory,provisioned"
    )]
    pub(crate) search: String,
}

#[derive(Args)]
pub(crate) struct MergeArgs {
    /// Partial results written by `run --shard` or `sweep --shard` (every shard once; the
    /// merge checks their format version and digests).
    #[arg(required = true)]
    pub(crate) parts: Vec<PathBuf>,
    /// Write the merged document here ("-" for standard output).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub(crate) output: PathBuf,
    /// Write 0 for the wall-clock figures (byte-comparable documents).
    #[arg(long)]
    pub(crate) no_timings: bool,
    /// Merge the parts given even when shards, replications or points are missing; the
    /// document's `partial` field lists what is missing (see docs/results.md).
    #[arg(long)]
    pub(crate) allow_partial: bool,
}

#[derive(Args)]
pub(crate) struct ValidateArgs {
    /// Scenario file (TOML).
    pub(crate) file: PathBuf,
}

#[derive(Args)]
pub(crate) struct BenchArgs {
    /// Model: mm1, tandem, forkjoin, graph10, or all.
    #[arg(long, default_value = "all")]
    pub(crate) model: String,
    /// Customers (arrivals) per model.
    #[arg(long, default_value_t = 1_000_000)]
    pub(crate) customers: u64,
    /// Print one JSON line per model instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}
