//! The `archsim` command line.

use anyhow::{Context, Result};
use archsim::plan::sweep::SweepError;
use archsim::runner::shard::{Shard, ShardError};
use archsim::runner::{self, Progress, RunError, RunOptions};
use archsim::scenario::{self, Scenario, ScenarioError};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// archsim — simulate one architecture deployed several ways and compare latency, throughput,
/// memory and failures side by side.
#[derive(Parser)]
#[command(name = "archsim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
}

#[derive(Args)]
struct DeliveryArgs {
    /// Scenario file (TOML) with a `[delivery]` section.
    file: PathBuf,
    /// Only this variant (repeatable).
    #[arg(long = "variant", value_name = "NAME")]
    variants: Vec<String>,
    /// Replications per variant (overrides the scenario).
    #[arg(long, value_name = "R")]
    replications: Option<u32>,
    /// Master seed (overrides the scenario).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Write `{ "variants": [ { "name", "delivery" } ] }` (JSON) to this file ("-" for stdout).
    #[arg(long, value_name = "OUT")]
    json: Option<PathBuf>,
    /// Refuse to start when the estimated number of events exceeds this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_EVENTS)]
    max_events: f64,
}

#[derive(Args)]
struct DecomposeArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Number of units K (1 to the number of modules).
    #[arg(long, value_name = "K")]
    units: usize,
    /// Call volumes from the analytic expected visits or from sampled call trees.
    #[arg(long, value_enum, default_value = "analytic")]
    weights: WeightsArg,
    /// Requests sampled per entry with `--weights simulated`.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    requests: u32,
    /// Weight of a shared data store relative to calls.
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    store_weight: f64,
    /// Same-team bonus, as a multiple of the mean positive weight.
    #[arg(long, value_name = "X", default_value_t = 0.5)]
    team_bonus: f64,
    /// Allowed imbalance of unit sizes around modules/K (0 = as equal as possible).
    #[arg(long, value_name = "X", default_value_t = 0.25)]
    balance: f64,
    /// Variant whose team ownership is used and whose unit settings and databases are copied
    /// (default: the first).
    #[arg(long, value_name = "NAME")]
    base: Option<String>,
    /// Write a copy of the scenario with the suggestion appended as a new variant.
    #[arg(long, value_name = "NEW.toml")]
    out: Option<PathBuf>,
    /// Write `{ "units": [ { "name", "modules" } ], "cross_unit_calls_per_request" }`.
    #[arg(long, value_name = "OUT")]
    json: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum WeightsArg {
    /// Analytic expected visits.
    Analytic,
    /// Sampled call trees (a short simulation of the call plans).
    Simulated,
}

#[derive(Args)]
struct ReportArgs {
    /// Results document written by `run --json` (or `sweep --json`, `capacity --json`).
    results: PathBuf,
    /// The HTML file to write.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
}

#[derive(Args)]
struct SchemaArgs {
    /// Print the schema of the results document (`run --json`) instead of the scenario format.
    #[arg(long)]
    results: bool,
}

#[derive(Args)]
struct RunArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Only this variant (repeatable).
    #[arg(long = "variant", value_name = "NAME")]
    variants: Vec<String>,
    /// Replications per variant (overrides the scenario).
    #[arg(long, value_name = "R")]
    replications: Option<u32>,
    /// Master seed (overrides the scenario).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T")]
    threads: Option<usize>,
    /// Write the results document (JSON) to this file ("-" for standard output).
    #[arg(long, value_name = "OUT")]
    json: Option<PathBuf>,
    /// Write entries.csv, nodes.csv and series.csv into this directory.
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// No progress bar and no table.
    #[arg(long)]
    quiet: bool,
    /// Refuse to start when the estimated number of events exceeds this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_EVENTS)]
    max_events: f64,
    /// Run only shard K of N (0-based) of the replications and write a partial result to
    /// --json; `auto/N` reads K from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID. Combine the
    /// parts with `archsim merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Write 0 for the wall-clock figures, so that documents of the same run compare byte for
    /// byte.
    #[arg(long)]
    no_timings: bool,
    /// Add replications until every headline 95% interval (per entry: mean latency, p99,
    /// throughput; per unit: utilization) is within this relative half-width, e.g. "2%" or
    /// 0.02. The first batch is --replications (at least 5).
    #[arg(long, value_name = "P")]
    precision: Option<String>,
    /// Cap on replications of a --precision run.
    #[arg(long, value_name = "N", default_value_t = runner::precision::DEFAULT_MAX_REPLICATIONS)]
    max_replications: u32,
    /// Report the fraction of replications meeting this SLO, e.g. "p99<300ms,errors<0.1%"
    /// (in addition to the scenario's `slo`).
    #[arg(long, value_name = "SLO")]
    slo: Option<String>,
}

/// Options shared by the capacity-planning commands.
#[derive(Args)]
struct PlanCommon {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Only this variant (repeatable).
    #[arg(long = "variant", value_name = "NAME")]
    variants: Vec<String>,
    /// Replications per simulated setting (overrides the scenario).
    #[arg(long, value_name = "R")]
    replications: Option<u32>,
    /// Master seed (overrides the scenario).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T")]
    threads: Option<usize>,
    /// Write the results document (JSON) to this file ("-" for standard output).
    #[arg(long, value_name = "OUT")]
    json: Option<PathBuf>,
    /// Write CSV files into this directory.
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// No progress bar and no table.
    #[arg(long)]
    quiet: bool,
    /// Refuse to start when the estimated number of events of one simulated setting (all its
    /// replications) exceeds this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_EVENTS)]
    max_events: f64,
}

#[derive(Args)]
struct SweepArgs {
    #[command(flatten)]
    common: PlanCommon,
    /// PATH=A..B:STEP or PATH=a,b,c (once or twice; two make a grid).
    #[arg(long = "set", value_name = "PATH=VALUES", required = true)]
    sets: Vec<String>,
    /// Knee of a p99 curve: the first point above this factor times the p99 at the curve's
    /// first point (`2`), or above a latency (`300ms`).
    #[arg(long, value_name = "F|LATENCY", default_value = "2")]
    knee: String,
    /// Run only shard K of N (0-based) of the points; see `run --shard`.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Write 0 for the wall-clock figures (byte-comparable documents).
    #[arg(long)]
    no_timings: bool,
}

#[derive(Args)]
struct CapacityArgs {
    #[command(flatten)]
    common: PlanCommon,
    /// The SLO, e.g. "p99<300ms,errors<0.1%" (see docs/planning.md).
    #[arg(long, value_name = "SLO")]
    slo: String,
    /// Scale only this entry's rate (default: every entry together).
    #[arg(long, value_name = "NAME")]
    entry: Option<String>,
    /// Stop when the bracket is at most this wide relative to its low end.
    #[arg(long, value_name = "PCT", default_value = "1%")]
    precision: String,
    /// Evaluations per variant, at most.
    #[arg(long, value_name = "N", default_value_t = 40)]
    max_evaluations: u32,
}

#[derive(Args)]
struct RightsizeArgs {
    #[command(flatten)]
    common: PlanCommon,
    /// The SLO, e.g. "p99<300ms,errors<0.1%" (see docs/planning.md).
    #[arg(long, value_name = "SLO")]
    slo: String,
    /// The arrival rate to size for [requests/s]: the total of every entry (scaled together),
    /// or the rate of --entry.
    #[arg(long, value_name = "R")]
    rate: f64,
    /// Set only this entry's rate.
    #[arg(long, value_name = "NAME")]
    entry: Option<String>,
    /// Largest replica count or database core count considered.
    #[arg(long, value_name = "N", default_value_t = 64)]
    max_value: u32,
    /// Plans simulated per variant, at most.
    #[arg(long, value_name = "N", default_value_t = 200)]
    max_evaluations: usize,
    /// What to search: a comma-separated list of replicas, cores (per instance), db-cores,
    /// memory, provisioned, reserved — or all (see docs/planning.md).
    #[arg(
        long,
        value_name = "KNOBS",
        default_value = "replicas,db-cores,memory,provisioned"
    )]
    search: String,
}

#[derive(Args)]
struct MergeArgs {
    /// Partial results written by `run --shard` or `sweep --shard` (every shard once).
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    /// Write the merged document here ("-" for standard output).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
    /// Write 0 for the wall-clock figures (byte-comparable documents).
    #[arg(long)]
    no_timings: bool,
}

/// Default work guard: a few minutes of simulation per core (the engine does 8–18 M events/s).
const DEFAULT_MAX_EVENTS: f64 = 2e9;

#[derive(Args)]
struct ValidateArgs {
    /// Scenario file (TOML).
    file: PathBuf,
}

#[derive(Args)]
struct BenchArgs {
    /// Model: mm1, tandem, forkjoin, graph10, or all.
    #[arg(long, default_value = "all")]
    model: String,
    /// Customers (arrivals) per model.
    #[arg(long, default_value_t = 1_000_000)]
    customers: u64,
    /// Print one JSON line per model instead of a table.
    #[arg(long)]
    json: bool,
}

/// An error that maps to exit status 2 (bad input).
#[derive(Debug)]
struct BadInput(String);
impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for BadInput {}

/// The run finished but its self-check failed (exit 1).
#[derive(Debug)]
struct SelfCheckFailed;
impl std::fmt::Display for SelfCheckFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the self-check failed (see the violations above)")
    }
}
impl std::error::Error for SelfCheckFailed {}

/// The run was interrupted; what finished was reported (exit 130, as for SIGINT).
#[derive(Debug)]
struct Interrupted;
impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted: the results cover only the replications that finished")
    }
}
impl std::error::Error for Interrupted {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(ScenarioError::Invalid(_)) = e.downcast_ref::<ScenarioError>() {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
            eprintln!("error: {e:#}");
            if e.downcast_ref::<Interrupted>().is_some() {
                ExitCode::from(130)
            } else if e.downcast_ref::<SelfCheckFailed>().is_some() {
                ExitCode::from(1)
            } else if e.downcast_ref::<BadInput>().is_some()
                || e.downcast_ref::<ScenarioError>().is_some()
                || e.downcast_ref::<SweepError>().is_some_and(|e| {
                    !matches!(e, SweepError::Run(r) if !matches!(r, RunError::UnknownVariant { .. }))
                })
                || e.downcast_ref::<ShardError>().is_some()
                || e.downcast_ref::<RunError>().is_some_and(|r| {
                    matches!(r, RunError::UnknownVariant { .. } | RunError::Draw(_))
                })
            {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(a) => cmd_run(*a),
        Command::Validate(a) => cmd_validate(a),
        Command::Schema(a) => {
            let schema = if a.results {
                archsim::results::results_json_schema()
            } else {
                scenario::json_schema()
            };
            println!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(())
        }
        Command::Bench(a) => cmd_bench(a),
        Command::Sweep(a) => cmd_sweep(*a),
        Command::Capacity(a) => cmd_capacity(*a),
        Command::Merge(a) => cmd_merge(a),
        Command::Rightsize(a) => cmd_rightsize(*a),
        Command::Delivery(a) => cmd_delivery(a),
        Command::Decompose(a) => cmd_decompose(a),
        Command::Report(a) => cmd_report(a),
    }
}

fn cmd_report(a: ReportArgs) -> Result<()> {
    let text = std::fs::read_to_string(&a.results)
        .with_context(|| format!("cannot read {}", a.results.display()))?;
    let located = |e: serde_json::Error, what: &str| {
        BadInput(format!(
            "{}:{}:{}: not {what}: {e}",
            a.results.display(),
            e.line(),
            e.column()
        ))
    };
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        located(
            e,
            "a results document (`archsim run --json`, `sweep --json` or `capacity --json`)",
        )
    })?;
    let html = if doc.get("knee_rule").is_some() {
        let s: archsim::plan::sweep::SweepResults = serde_json::from_str(&text)
            .map_err(|e| located(e, "a sweep document (`archsim sweep --json`)"))?;
        archsim::report::render_plan_html(&s.scenario, &doc)
    } else if doc.get("base_rate").is_some() {
        // A capacity document (its open brackets are JSON nulls, so it is checked by shape).
        let ok = doc["variants"].as_array().is_some_and(|vs| {
            vs.iter()
                .all(|v| v["name"].is_string() && v["max_rate"].is_number())
        }) && doc["slo"].is_string();
        if !ok {
            return Err(BadInput(format!(
                "{}: not a capacity document (`archsim capacity --json`): expected `slo` and `variants` with `name` and `max_rate`",
                a.results.display()
            ))
            .into());
        }
        archsim::report::render_plan_html(doc["scenario"].as_str().unwrap_or(""), &doc)
    } else {
        let results: archsim::results::Results = serde_json::from_str(&text)
            .map_err(|e| located(e, "a results document (`archsim run --json`)"))?;
        archsim::report::render_html(&results)
    };
    std::fs::write(&a.output, html)
        .with_context(|| format!("cannot write {}", a.output.display()))?;
    eprintln!("wrote {}", a.output.display());
    Ok(())
}

fn load(file: &Path) -> Result<Scenario> {
    Ok(scenario::load(file)?)
}

fn cmd_run(a: RunArgs) -> Result<()> {
    let mut s = load(&a.file)?;
    if let Some(text) = &a.slo {
        let slo = archsim::spec::slo::Slo::parse(text)
            .and_then(|slo| {
                slo.check_entries(s.workload.entries.iter().map(|e| e.name.as_str()))
                    .map(|()| slo)
            })
            .map_err(|e| BadInput(format!("--slo: {e}")))?;
        s.slos.push(slo);
    }
    if a.replications == Some(0) {
        return Err(BadInput("--replications must be at least 1".into()).into());
    }
    if !(a.max_events > 0.0 && a.max_events.is_finite()) {
        return Err(BadInput(format!(
            "--max-events must be a positive number of events, found {}",
            a.max_events
        ))
        .into());
    }
    if a.threads == Some(0) {
        return Err(BadInput("--threads must be at least 1".into()).into());
    }
    let precision = a
        .precision
        .as_deref()
        .map(|p| parse_fraction(p, "--precision"))
        .transpose()?;
    if precision.is_some() && a.max_replications == 0 {
        return Err(BadInput("--max-replications must be at least 1".into()).into());
    }
    if precision.is_some() && a.shard.is_some() {
        return Err(BadInput(
            "--precision decides the replication count as it goes and cannot be sharded; give --replications N to --shard runs".into(),
        )
        .into());
    }
    // Work guard: estimate before starting.
    let reps = a.replications.unwrap_or(s.replications).max(1) as f64;
    let chosen: Vec<usize> = if a.variants.is_empty() {
        (0..s.variants.len()).collect()
    } else {
        s.variants
            .iter()
            .enumerate()
            .filter(|(_, v)| a.variants.contains(&v.name))
            .map(|(i, _)| i)
            .collect()
    };
    let events: f64 = chosen
        .iter()
        .map(|&v| {
            archsim::model::Model::compile(&s, v).estimated_events()
                + archsim::org::delivery::estimated_events(&s)
        })
        .sum::<f64>()
        * reps;
    if events > a.max_events {
        return Err(BadInput(format!(
            "{}: this run would process about {:.2e} events (limit {:.2e}), roughly {} at 8 M events/s per core; \
             shorten workload.duration, lower the rates or replications, or raise the limit with --max-events {:.1e}",
            a.file.display(),
            events,
            a.max_events,
            human_duration(events / 8e6 / rayon::current_num_threads().max(1) as f64),
            round_up_2_digits(events * 1.1)
        ))
        .into());
    }
    for w in archsim::estimate::warnings(&s) {
        eprintln!("warning: {w}");
    }

    let bar = progress_bar(a.quiet, "replications");
    let progress = |p: Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    };
    let cancel = cancel_on_ctrl_c();
    let opts = RunOptions {
        replications: a.replications,
        seed: a.seed,
        threads: a.threads,
        variants: a.variants.clone(),
        cancel: Some(cancel),
        progress: Some(&progress),
        pool: None,
        replication_done: None,
    };
    if let Some(spec) = &a.shard {
        let shard = Shard::parse(spec, |v| std::env::var(v).ok())?;
        let Some(path) = &a.json else {
            return Err(BadInput(
                "--shard writes a partial result: give --json OUT (combine the parts with `archsim merge`)".into(),
            )
            .into());
        };
        let text = std::fs::read_to_string(&a.file)
            .with_context(|| format!("cannot read {}", a.file.display()))?;
        let part =
            runner::shard::run_shard(&text, &a.file.display().to_string(), &s, &opts, shard)?;
        bar.finish_and_clear();
        write_out(path, &serde_json::to_string(&part)?)?;
        if !a.quiet {
            eprintln!(
                "shard {}/{}: replications {:?} written to {}",
                shard.index,
                shard.count,
                part.ks,
                path.display()
            );
        }
        if cancel.load(Ordering::SeqCst) {
            return Err(Interrupted.into());
        }
        return Ok(());
    }
    let mut results = match precision {
        Some(p) => runner::precision::run_to_precision(&s, &opts, p, a.max_replications)?,
        None => runner::run(&s, &opts)?,
    };
    bar.finish_and_clear();
    if a.no_timings {
        runner::shard::strip_timings(&mut results);
    }

    if let Some(path) = &a.json {
        let json = results.to_json();
        if path.as_os_str() == "-" {
            println!("{json}");
        } else {
            std::fs::write(path, json + "\n")
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    if let Some(dir) = &a.csv {
        archsim::report::write_csv(&results, dir)
            .with_context(|| format!("cannot write CSV files into {}", dir.display()))?;
    }
    let json_on_stdout = a.json.as_ref().is_some_and(|p| p.as_os_str() == "-");
    if !a.quiet && !json_on_stdout {
        print!("{}", archsim::report::render_text(&results));
    } else if !results.self_check.ok {
        for v in &results.self_check.violations {
            eprintln!("self-check: {v}");
        }
    }
    if !results.self_check.ok {
        return Err(SelfCheckFailed.into());
    }
    if cancel.load(Ordering::SeqCst) {
        return Err(Interrupted.into());
    }
    Ok(())
}

/// A progress bar with ETA on stderr, hidden when stderr is not a terminal or with --quiet.
fn progress_bar(quiet: bool, what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if !quiet && std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{spinner}} [{{elapsed_precise}}] {{bar:40}} {{pos}}/{{len}} {what} (eta {{eta}}) {{msg}}"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }
    bar
}

/// Ctrl-C once: raise the flag (the command stops and reports what finished). Twice: quit at
/// once.
fn cancel_on_ctrl_c() -> &'static AtomicBool {
    static CANCEL: AtomicBool = AtomicBool::new(false);
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\ninterrupted: finishing with what is done so far (Ctrl-C again to quit)");
    });
    &CANCEL
}

/// Writes `text` (plus a newline) to `path`, or to standard output for "-".
fn write_out(path: &Path, text: &str) -> Result<()> {
    if path.as_os_str() == "-" {
        println!("{text}");
        Ok(())
    } else {
        std::fs::write(path, format!("{text}\n"))
            .with_context(|| format!("cannot write {}", path.display()))
    }
}

fn check_common(c: &PlanCommon) -> Result<()> {
    if c.replications == Some(0) {
        return Err(BadInput("--replications must be at least 1".into()).into());
    }
    if c.threads == Some(0) {
        return Err(BadInput("--threads must be at least 1".into()).into());
    }
    if !(c.max_events > 0.0 && c.max_events.is_finite()) {
        return Err(BadInput(format!(
            "--max-events must be a positive number of events, found {}",
            c.max_events
        ))
        .into());
    }
    Ok(())
}

/// Work guard for one simulated setting of a planning command.
fn guard_events(s: &Scenario, c: &PlanCommon, settings: usize) -> Result<()> {
    let reps = c.replications.unwrap_or(s.replications).max(1) as f64;
    let per: f64 = (0..s.variants.len())
        .filter(|&v| c.variants.is_empty() || c.variants.contains(&s.variants[v].name))
        .map(|v| archsim::model::Model::compile(s, v).estimated_events())
        .sum::<f64>()
        * reps;
    let events = per * settings as f64;
    if events > c.max_events * settings as f64 || per > c.max_events {
        return Err(BadInput(format!(
            "{}: one setting would process about {per:.2e} events (limit {:.2e}), {} settings about {events:.2e}, roughly {} at 8 M events/s per core; \
             shorten workload.duration, lower the rates or replications, or raise the limit with --max-events",
            c.file.display(),
            c.max_events,
            settings,
            human_duration(events / 8e6 / rayon::current_num_threads().max(1) as f64),
        ))
        .into());
    }
    Ok(())
}

fn run_options<'a>(
    c: &PlanCommon,
    cancel: &'a AtomicBool,
    progress: &'a (dyn Fn(Progress) + Sync),
) -> RunOptions<'a> {
    RunOptions {
        replications: c.replications,
        seed: c.seed,
        threads: c.threads,
        variants: c.variants.clone(),
        cancel: Some(cancel),
        progress: Some(progress),
        pool: None,
        replication_done: None,
    }
}

fn cmd_sweep(a: SweepArgs) -> Result<()> {
    let c = &a.common;
    check_common(c)?;
    let text = std::fs::read_to_string(&c.file).map_err(|source| ScenarioError::Io {
        path: c.file.clone(),
        source,
    })?;
    let file_name = c.file.display().to_string();
    let base = scenario::parse(&text, &file_name)?;
    let axes = a
        .sets
        .iter()
        .map(|s| archsim::plan::sweep::Axis::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let knee = archsim::plan::sweep::KneeRule::parse(&a.knee).map_err(BadInput)?;
    let shard = a
        .shard
        .as_deref()
        .map(|spec| Shard::parse(spec, |v| std::env::var(v).ok()))
        .transpose()?;
    if shard.is_some() && c.json.is_none() {
        return Err(BadInput(
            "--shard writes a partial result: give --json OUT (combine the parts with `archsim merge`)".into(),
        )
        .into());
    }
    let points = archsim::plan::sweep::points(&text, &file_name, &axes)?;
    if let Some(last) = points.last() {
        guard_events(&last.scenario, c, points.len())?;
    }
    for w in archsim::estimate::warnings(&base) {
        eprintln!("warning: {w}");
    }
    let bar = progress_bar(c.quiet, "replications");
    let progress = |p: Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    };
    let cancel = cancel_on_ctrl_c();
    let opts = archsim::plan::sweep::SweepOptions {
        run: run_options(c, cancel, &progress),
        knee,
        shard,
    };
    let parameters: Vec<String> = axes.iter().map(|a| a.path.clone()).collect();
    let mut r = archsim::plan::sweep::sweep(&base.name, &parameters, &points, &opts)?;
    bar.finish_and_clear();
    if a.no_timings {
        r.strip_timings();
    }
    if let Some(path) = &c.json {
        write_out(path, &r.to_json())?;
    }
    if let Some(dir) = &c.csv {
        archsim::report::plan::write_sweep_csv(&r, dir)
            .with_context(|| format!("cannot write CSV files into {}", dir.display()))?;
    }
    let json_on_stdout = c.json.as_ref().is_some_and(|p| p.as_os_str() == "-");
    if !c.quiet && !json_on_stdout {
        print!("{}", archsim::report::plan::sweep_table(&r));
    }
    if !r.self_check_ok() {
        return Err(SelfCheckFailed.into());
    }
    if cancel.load(Ordering::SeqCst) {
        return Err(Interrupted.into());
    }
    Ok(())
}

/// Parses `1%` or `0.01` (see [`runner::precision::parse_fraction`]).
fn parse_fraction(s: &str, what: &str) -> Result<f64> {
    runner::precision::parse_fraction(s, what).map_err(|m| BadInput(m).into())
}

fn cmd_capacity(a: CapacityArgs) -> Result<()> {
    let c = &a.common;
    check_common(c)?;
    let slo = archsim::spec::slo::Slo::parse(&a.slo).map_err(|e| BadInput(e.to_string()))?;
    let precision = parse_fraction(&a.precision, "--precision")?;
    if a.max_evaluations == 0 {
        return Err(BadInput("--max-evaluations must be at least 1".into()).into());
    }
    let text = std::fs::read_to_string(&c.file).map_err(|source| ScenarioError::Io {
        path: c.file.clone(),
        source,
    })?;
    let file_name = c.file.display().to_string();
    let base = scenario::parse(&text, &file_name)?;
    guard_events(&base, c, 1)?;
    for w in archsim::estimate::warnings(&base) {
        eprintln!("warning: {w}");
    }
    let bar = progress_bar(c.quiet, "replications of this round");
    let progress = |p: Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    };
    let on_step = |variant: &str, rate: f64, v: archsim::results::slo::Verdict| {
        bar.set_message(format!("{variant}: {rate:.1}/s {}", v.name()));
    };
    let cancel = cancel_on_ctrl_c();
    let opts = archsim::plan::capacity::CapacityOptions {
        run: run_options(c, cancel, &progress),
        entry: a.entry.clone(),
        precision,
        max_evaluations: a.max_evaluations,
        on_step: Some(&on_step),
    };
    let r = archsim::plan::capacity::capacity(&text, &file_name, &slo, &opts)?;
    bar.finish_and_clear();
    if let Some(path) = &c.json {
        write_out(path, &r.to_json())?;
    }
    if let Some(dir) = &c.csv {
        archsim::report::plan::write_capacity_csv(&r, dir)
            .with_context(|| format!("cannot write CSV files into {}", dir.display()))?;
    }
    let json_on_stdout = c.json.as_ref().is_some_and(|p| p.as_os_str() == "-");
    if !c.quiet && !json_on_stdout {
        print!("{}", archsim::report::plan::capacity_table(&r));
    }
    if cancel.load(Ordering::SeqCst) {
        return Err(Interrupted.into());
    }
    Ok(())
}

fn cmd_rightsize(a: RightsizeArgs) -> Result<()> {
    let c = &a.common;
    check_common(c)?;
    let slo = archsim::spec::slo::Slo::parse(&a.slo).map_err(|e| BadInput(e.to_string()))?;
    if a.max_value == 0 || a.max_evaluations == 0 {
        return Err(BadInput("--max-value and --max-evaluations must be at least 1".into()).into());
    }
    let search = archsim::plan::rightsize::KnobKind::parse_search(&a.search)
        .map_err(|e| BadInput(format!("--search: {e}")))?;
    let text = std::fs::read_to_string(&c.file).map_err(|source| ScenarioError::Io {
        path: c.file.clone(),
        source,
    })?;
    let file_name = c.file.display().to_string();
    let base = scenario::parse(&text, &file_name)?;
    guard_events(&base, c, 1)?;
    for w in archsim::estimate::warnings(&base) {
        eprintln!("warning: {w}");
    }
    let bar = progress_bar(c.quiet, "replications of this round");
    let progress = |p: Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    };
    let cancel = cancel_on_ctrl_c();
    let opts = archsim::plan::rightsize::RightsizeOptions {
        run: run_options(c, cancel, &progress),
        rate: a.rate,
        entry: a.entry.clone(),
        max_value: a.max_value,
        max_evaluations: a.max_evaluations,
        search,
    };
    let r = archsim::plan::rightsize::rightsize(&text, &file_name, &slo, &opts)?;
    bar.finish_and_clear();
    if let Some(path) = &c.json {
        write_out(path, &r.to_json())?;
    }
    if let Some(dir) = &c.csv {
        archsim::report::plan::write_rightsize_csv(&r, dir)
            .with_context(|| format!("cannot write CSV files into {}", dir.display()))?;
    }
    let json_on_stdout = c.json.as_ref().is_some_and(|p| p.as_os_str() == "-");
    if !c.quiet && !json_on_stdout {
        print!("{}", archsim::report::plan::rightsize_table(&r));
    }
    if cancel.load(Ordering::SeqCst) {
        return Err(Interrupted.into());
    }
    Ok(())
}

fn cmd_merge(a: MergeArgs) -> Result<()> {
    let parts = a
        .parts
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            Ok(archsim::plan::merge::parse_partial(
                &p.display().to_string(),
                &text,
            )?)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut merged = archsim::plan::merge::merge(parts)?;
    if a.no_timings {
        match &mut merged {
            archsim::plan::merge::Merged::Run(r) => runner::shard::strip_timings(r),
            archsim::plan::merge::Merged::Sweep(r) => r.strip_timings(),
        }
    }
    write_out(&a.output, &merged.to_json())
}

/// `x` rounded up to two significant digits (a limit to suggest that is surely enough).
fn round_up_2_digits(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let mag = 10f64.powf(x.log10().floor() - 1.0);
    (x / mag).ceil() * mag
}

fn human_duration(s: f64) -> String {
    if s < 120.0 {
        format!("{s:.0} s")
    } else if s < 7200.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
}

fn cmd_validate(a: ValidateArgs) -> Result<()> {
    let s = load(&a.file)?;
    println!(
        "{}: ok — {} modules, {} operations, {} entries, {} variants",
        a.file.display(),
        s.modules.len(),
        s.ops.len(),
        s.workload.entries.len(),
        s.variants.len()
    );
    for w in archsim::estimate::warnings(&s) {
        println!("warning: {w}");
    }
    for v in 0..s.variants.len() {
        let est = archsim::estimate::estimate(&s, v);
        let events = archsim::model::Model::compile(&s, v).estimated_events();
        println!(
            "\nvariant `{}` — analytic estimate (simulation: about {:.2e} events per replication)",
            est.variant, events
        );
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
        t.set_header(vec!["node", "kind", "arrivals /s", "ρ", "mean response"]);
        for n in &est.nodes {
            t.add_row(vec![
                n.name.clone(),
                format!("{:?}", n.kind).to_lowercase(),
                format!("{:.2}", n.arrival_rate),
                format!(
                    "{:.3}{}",
                    n.utilization,
                    if n.utilization >= 1.0 { " ⚠" } else { "" }
                ),
                n.mean_response_s
                    .map(archsim::report::fmt_secs)
                    .unwrap_or_else(|| "unstable".into()),
            ]);
        }
        println!("{t}");
        for e in &est.entries {
            println!(
                "  entry `{}`: mean latency ≈ {}",
                e.name,
                e.mean_latency_s
                    .map(archsim::report::fmt_secs)
                    .unwrap_or_else(|| "unbounded (a node on its path is overloaded)".into())
            );
        }
        for w in &est.warnings {
            println!("warning: {w}");
        }
    }
    let conway: Vec<_> = (0..s.variants.len())
        .map(|v| archsim::org::conway::metrics(&s, v))
        .collect();
    let rows: Vec<(&str, &archsim::org::conway::ConwayMetrics)> = s
        .variants
        .iter()
        .zip(&conway)
        .map(|(v, c)| (v.name.as_str(), c))
        .collect();
    println!("\n{}", archsim::report::conway_table(&rows));
    Ok(())
}

fn cmd_bench(a: BenchArgs) -> Result<()> {
    let models: Vec<&str> = if a.model == "all" {
        archsim::runner::bench::MODELS.to_vec()
    } else if archsim::runner::bench::MODELS.contains(&a.model.as_str()) {
        vec![a.model.as_str()]
    } else {
        return Err(BadInput(format!(
            "unknown bench model `{}`; expected one of: all, {}",
            a.model,
            archsim::runner::bench::MODELS.join(", ")
        ))
        .into());
    };
    if a.customers == 0 {
        return Err(BadInput("--customers must be at least 1".into()).into());
    }
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "model",
        "customers",
        "events",
        "wall s",
        "customers/s",
        "events/s",
        "mean response",
    ]);
    for m in models {
        let s = archsim::runner::bench::model(m, a.customers)
            .context("built-in model")?
            .with_context(|| format!("built-in model `{m}` does not parse"))?;
        let opts = RunOptions {
            threads: Some(1),
            ..Default::default()
        };
        let r = runner::run(&s, &opts)?;
        let v = &r.variants[0];
        let e = &v.entries["req"];
        let customers = e.completed.mean + e.failed.mean;
        let wall = v.engine.wall_s;
        if a.json {
            println!(
                "{}",
                serde_json::json!({
                    "simulator": "archsim",
                    "model": m,
                    "customers": customers as u64,
                    "events": v.engine.events,
                    "wall_s": wall,
                    "customers_per_s": customers / wall,
                    "events_per_s": v.engine.events as f64 / wall,
                    "mean_response_s": e.latency_s.mean.mean,
                })
            );
        } else {
            t.add_row(vec![
                m.to_string(),
                format!("{customers:.0}"),
                v.engine.events.to_string(),
                format!("{wall:.3}"),
                format!("{:.3e}", customers / wall),
                format!("{:.3e}", v.engine.events as f64 / wall),
                archsim::report::fmt_secs(e.latency_s.mean.mean),
            ]);
        }
    }
    if !a.json {
        println!("{t}");
    }
    Ok(())
}

fn cmd_delivery(a: DeliveryArgs) -> Result<()> {
    let s = load(&a.file)?;
    if s.delivery.is_none() {
        return Err(BadInput(format!(
            "{}: no `[delivery]` section; add one (see docs/delivery.md) to simulate delivery",
            a.file.display()
        ))
        .into());
    }
    if a.replications == Some(0) {
        return Err(BadInput("--replications must be at least 1".into()).into());
    }
    let mut chosen = Vec::new();
    for name in &a.variants {
        match s.variants.iter().position(|v| &v.name == name) {
            Some(i) => chosen.push(i),
            None => {
                return Err(BadInput(format!(
                    "no variant named `{name}`; the scenario has: {}",
                    s.variants
                        .iter()
                        .map(|v| v.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .into())
            }
        }
    }
    if chosen.is_empty() {
        chosen = (0..s.variants.len()).collect();
    }
    let reps = a.replications.unwrap_or(s.replications);
    let seed = a.seed.unwrap_or(s.seed);
    let events = archsim::org::delivery::estimated_events(&s) * chosen.len() as f64 * reps as f64;
    if !(a.max_events > 0.0 && a.max_events.is_finite()) || events > a.max_events {
        return Err(BadInput(format!(
            "{}: this delivery simulation would process about {events:.2e} events (limit {:.2e}); \
             raise delivery.change_interval, shorten delivery.duration or lower the replications, \
             or raise the limit with --max-events",
            a.file.display(),
            a.max_events
        ))
        .into());
    }
    let results = archsim::org::delivery::run(&s, &chosen, seed, reps);
    let rows: Vec<(&str, &archsim::org::delivery::DeliveryResult)> = chosen
        .iter()
        .zip(&results)
        .map(|(&v, d)| (s.variants[v].name.as_str(), d))
        .collect();
    if let Some(path) = &a.json {
        let doc = serde_json::json!({
            "scenario": s.name,
            "seed": seed,
            "replications": reps,
            "variants": rows.iter().map(|(n, d)| serde_json::json!({ "name": n, "delivery": d })).collect::<Vec<_>>(),
        });
        write_out(path, &serde_json::to_string_pretty(&doc)?)?;
        if path.as_os_str() == "-" {
            return Ok(());
        }
    }
    println!("{}", archsim::report::delivery_table(&rows));
    Ok(())
}

fn cmd_decompose(a: DecomposeArgs) -> Result<()> {
    use archsim::org::decompose::{self, Options, Weights};
    let text = std::fs::read_to_string(&a.file)
        .with_context(|| format!("cannot read scenario file {}", a.file.display()))?;
    let s = scenario::parse(&text, &a.file.display().to_string())?;
    let base = match &a.base {
        None => 0,
        Some(name) => s
            .variants
            .iter()
            .position(|v| &v.name == name)
            .ok_or_else(|| {
                BadInput(format!(
                    "no variant named `{name}`; the scenario has: {}",
                    s.variants
                        .iter()
                        .map(|v| v.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
    };
    for (flag, x) in [
        ("--store-weight", a.store_weight),
        ("--team-bonus", a.team_bonus),
        ("--balance", a.balance),
    ] {
        if !(x.is_finite() && x >= 0.0) {
            return Err(BadInput(format!("{flag} must be a finite number ≥ 0, found {x}")).into());
        }
    }
    if matches!(a.weights, WeightsArg::Simulated) && a.requests == 0 {
        return Err(BadInput("--requests must be at least 1".into()).into());
    }
    let opts = Options {
        units: a.units,
        weights: match a.weights {
            WeightsArg::Analytic => Weights::Analytic,
            WeightsArg::Simulated => Weights::Simulated {
                requests: a.requests,
                seed: s.seed,
            },
        },
        store_weight: a.store_weight,
        team_bonus: a.team_bonus,
        balance: a.balance,
        base_variant: base,
    };
    let d = decompose::decompose(&s, &opts).map_err(|e| BadInput(e.to_string()))?;
    if let Some(path) = &a.json {
        write_out(path, &serde_json::to_string_pretty(&d)?)?;
    }
    let quiet = a.json.as_ref().is_some_and(|p| p.as_os_str() == "-");
    if !quiet {
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
        t.set_header(vec!["unit", "modules"]);
        for u in &d.units {
            t.add_row(vec![u.name.clone(), u.modules.join(", ")]);
        }
        println!("{t}");
        println!(
            "cut: {:.3} cross-unit calls per request; teams split across units: {}",
            d.cross_unit_calls_per_request,
            if d.teams_split.is_empty() {
                "none".to_string()
            } else {
                d.teams_split.join(", ")
            }
        );
    }
    if let Some(out) = &a.out {
        let name = decompose::fresh_variant_name(&s, a.units);
        let new_text = decompose::write_variant(&text, &s, &d, base, &name)?;
        // The copy must validate before it is written.
        scenario::parse(&new_text, &out.display().to_string())?;
        std::fs::write(out, new_text).with_context(|| format!("cannot write {}", out.display()))?;
        if !quiet {
            println!("wrote {} with the new variant `{name}`", out.display());
        }
    }
    Ok(())
}
