//! The `archsim` command line.

use anyhow::{Context, Result};
use archsim::montecarlo::{self, Progress, RunError, RunOptions};
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
    /// Write a self-contained HTML report (charts) of a results document (`run --json`).
    Report(ReportArgs),
}

#[derive(Args)]
struct ReportArgs {
    /// Results document written by `run --json`.
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
                || e.downcast_ref::<RunError>()
                    .is_some_and(|r| matches!(r, RunError::UnknownVariant { .. }))
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
                archsim::report::results_json_schema()
            } else {
                scenario::json_schema()
            };
            println!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(())
        }
        Command::Bench(a) => cmd_bench(a),
        Command::Report(a) => cmd_report(a),
    }
}

fn cmd_report(a: ReportArgs) -> Result<()> {
    let text = std::fs::read_to_string(&a.results)
        .with_context(|| format!("cannot read {}", a.results.display()))?;
    let results: archsim::report::Results = serde_json::from_str(&text).map_err(|e| {
        BadInput(format!(
            "{}:{}:{}: not a results document (`archsim run --json`): {e}",
            a.results.display(),
            e.line(),
            e.column()
        ))
    })?;
    std::fs::write(&a.output, archsim::report::render_html(&results))
        .with_context(|| format!("cannot write {}", a.output.display()))?;
    eprintln!("wrote {}", a.output.display());
    Ok(())
}

fn load(file: &Path) -> Result<Scenario> {
    Ok(scenario::load(file)?)
}

fn cmd_run(a: RunArgs) -> Result<()> {
    let s = load(&a.file)?;
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
        .map(|&v| archsim::model::Model::compile(&s, v).estimated_events())
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
    for w in archsim::scenario::warnings(&s) {
        eprintln!("warning: {w}");
    }

    let show = !a.quiet && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if show {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} replications (eta {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }
    let progress = |p: Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    };
    // Ctrl-C once: stop, and report the replications that finished. Twice: quit at once.
    static CANCEL: AtomicBool = AtomicBool::new(false);
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!(
            "\ninterrupted: finishing with the replications done so far (Ctrl-C again to quit)"
        );
    });
    let opts = RunOptions {
        replications: a.replications,
        seed: a.seed,
        threads: a.threads,
        variants: a.variants.clone(),
        cancel: Some(&CANCEL),
        progress: Some(&progress),
        replication_done: None,
    };
    let results = montecarlo::run(&s, &opts)?;
    bar.finish_and_clear();

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
    if CANCEL.load(Ordering::SeqCst) {
        return Err(Interrupted.into());
    }
    Ok(())
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
    for w in archsim::scenario::warnings(&s) {
        println!("warning: {w}");
    }
    for v in 0..s.variants.len() {
        let est = archsim::analytic::estimate::estimate(&s, v);
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
    Ok(())
}

fn cmd_bench(a: BenchArgs) -> Result<()> {
    let models: Vec<&str> = if a.model == "all" {
        archsim::bench::MODELS.to_vec()
    } else if archsim::bench::MODELS.contains(&a.model.as_str()) {
        vec![a.model.as_str()]
    } else {
        return Err(BadInput(format!(
            "unknown bench model `{}`; expected one of: all, {}",
            a.model,
            archsim::bench::MODELS.join(", ")
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
        let s = archsim::bench::model(m, a.customers)
            .context("built-in model")?
            .with_context(|| format!("built-in model `{m}` does not parse"))?;
        let opts = RunOptions {
            threads: Some(1),
            ..Default::default()
        };
        let r = montecarlo::run(&s, &opts)?;
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
