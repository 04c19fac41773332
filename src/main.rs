//! The `archsim` command line: argument parsing and printing over the application layer
//! (`archsim::app`), which validates every request, guards the work and runs it.

use anyhow::Result;
use archsim::app::events::RunEvent;
use archsim::app::plan::{CapacityRequest, RightsizeRequest, SweepRequest};
use archsim::app::run::RunRequest;
use archsim::app::{analysis, files, org, plan, run, tools, AppError, RunSlot};
use archsim::runner;
use archsim::scenario;
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "cli/args.rs"]
mod args;
use args::*;
#[path = "cli/discover.rs"]
mod discover_cmd;
#[cfg(test)]
#[path = "cli/exit_tests.rs"]
mod exit_tests;

/// The run finished but its self-check failed (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("the self-check failed (see the violations above)")]
struct SelfCheckFailed;

/// The run was interrupted; what finished was reported (exit 130, as for SIGINT).
#[derive(Debug, thiserror::Error)]
#[error("interrupted: the results cover only the replications that finished")]
struct Interrupted;

/// Standard output was closed by its reader (`archsim … | head -1`): the command ends
/// quietly with exit 0, as a command whose reader has all it wants.
#[derive(Debug, thiserror::Error)]
#[error("standard output was closed")]
struct ClosedPipe;

/// Exit statuses (README, "Exit codes").
mod exit {
    /// The self-check failed (or an internal error).
    pub(crate) const SELF_CHECK: u8 = 1;
    /// Bad input: the scenario, an option, a file's content; too much work.
    pub(crate) const BAD_INPUT: u8 = 2;
    /// A file could not be read or written.
    pub(crate) const IO: u8 = 3;
    /// Interrupted by SIGINT (Ctrl-C) or SIGTERM.
    pub(crate) const INTERRUPTED: u8 = 130;
}

/// Writes to standard output; a closed pipe becomes [`ClosedPipe`], another failure an I/O
/// error (exit 3). Never panics, unlike `print!`.
fn out(args: std::fmt::Arguments<'_>) -> Result<()> {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    match o.write_fmt(args).and_then(|()| o.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ClosedPipe.into()),
        Err(e) => Err(AppError::Io(format!("cannot write to standard output: {e}")).into()),
    }
}

/// `print!` that returns an error instead of panicking (see [`out`]).
macro_rules! say {
    ($($t:tt)*) => { out(format_args!($($t)*))? };
}

/// `println!` that returns an error instead of panicking (see [`out`]).
macro_rules! sayln {
    () => { out(format_args!("\n"))? };
    ($($t:tt)*) => { out(format_args!("{}\n", format_args!($($t)*)))? };
}

/// `eprintln!` that ignores a closed standard error instead of panicking.
macro_rules! note {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Err(e) = run(cli) else {
        return ExitCode::SUCCESS;
    };
    if e.downcast_ref::<ClosedPipe>().is_some() {
        return ExitCode::SUCCESS;
    }
    let app = e.downcast_ref::<AppError>();
    if app.is_some_and(AppError::is_scenario_diagnostics) {
        note!("{e}");
        return ExitCode::from(exit::BAD_INPUT);
    }
    // The message and the causes it does not already include (many errors repeat their
    // source's text in their own).
    let mut msg = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !msg.contains(&c) {
            msg = format!("{msg}: {c}");
        }
    }
    note!("error: {msg}");
    ExitCode::from(exit_status(&e))
}

/// The exit status of a failed command (README, "Exit codes").
fn exit_status(e: &anyhow::Error) -> u8 {
    let app = e.downcast_ref::<AppError>();
    if e.downcast_ref::<Interrupted>().is_some() || app.is_some_and(AppError::is_cancelled) {
        exit::INTERRUPTED
    } else if app.is_some_and(AppError::is_io) {
        exit::IO
    } else if app.is_some_and(AppError::is_bad_input) {
        exit::BAD_INPUT
    } else {
        exit::SELF_CHECK
    }
}

/// An I/O failure on `path`: exit 3, or 2 when an input file does not exist (a wrong
/// argument, as the scenario file's).
fn io_error(what: &str, path: &Path, e: std::io::Error) -> anyhow::Error {
    let msg = format!("cannot {what} {}: {e}", path.display());
    if what == "read" && e.kind() == std::io::ErrorKind::NotFound {
        AppError::invalid(msg).into()
    } else {
        AppError::Io(msg).into()
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
            sayln!("{}", serde_json::to_string_pretty(&schema)?);
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
        Command::Discover(a) => {
            let text = discover_cmd::cmd_discover(*a)?;
            say!("{text}");
            Ok(())
        }
        Command::Calibrate(a) => {
            let text = discover_cmd::cmd_calibrate(*a)?;
            say!("{text}");
            Ok(())
        }
    }
}

fn cmd_report(a: ReportArgs) -> Result<()> {
    files::check_writable(&a.output)?;
    let text = std::fs::read_to_string(&a.results).map_err(|e| io_error("read", &a.results, e))?;
    let html = tools::report_html(&a.results.display().to_string(), &text)?;
    files::write_atomic(&a.output, &html).map_err(|e| io_error("write", &a.output, e))?;
    note!("wrote {}", a.output.display());
    Ok(())
}

fn cmd_run(a: RunArgs) -> Result<()> {
    let (text, file_name) = files::read_scenario(&a.file)?;
    strict_sizes(a.strict_sizes, &text, &file_name)?;
    let req = RunRequest {
        text,
        file_name,
        replications: a.replications,
        seed: a.seed,
        threads: a.threads,
        variants: a.variants.clone(),
        precision: a.precision.clone(),
        max_replications: Some(a.max_replications),
        max_events: Some(a.max_events),
        slo: a.slo.clone(),
        sharded: a.shard.is_some(),
    };
    let plan = run::prepare(&req)?;
    outputs_writable(a.json.as_deref(), a.csv.as_deref())?;
    for w in plan.warnings() {
        note!("warning: {w}");
    }
    let bar = progress_bar(a.quiet, "replications");
    let emit = progress_events(&bar);
    let slot = cancel_on_ctrl_c();
    if let Some(spec) = &a.shard {
        let shard = run::parse_shard(spec)?;
        let Some(path) = &a.json else {
            return Err(AppError::invalid(
                "--shard writes a partial result: give --json OUT (combine the parts with `archsim merge`)",
            )
            .into());
        };
        let (part, text) = run::execute_shard(&plan, shard, &slot, &emit)?;
        bar.finish_and_clear();
        write_out(path, &text)?;
        if !a.quiet {
            note!(
                "shard {}/{}: replications {:?} written to {}",
                shard.index,
                shard.count,
                part.ks,
                path.display()
            );
        }
        return interrupted(&slot);
    }
    let mut results = run::execute(&plan, &slot, &emit)?.results;
    bar.finish_and_clear();
    if a.no_timings {
        runner::shard::strip_timings(&mut results);
    }
    if let Some(path) = &a.json {
        write_out(path, &results.to_json())?;
    }
    if let Some(dir) = &a.csv {
        archsim::report::write_csv(&results, dir)
            .map_err(|e| io_error("write CSV files into", dir, e))?;
    }
    let printed = !a.quiet && !json_on_stdout(&a.json);
    if printed {
        say!("{}", archsim::report::render_text(&results));
    }
    self_check_verdict(&results.self_check, printed)?;
    interrupted(&slot)
}

/// Exit 1 ([`SelfCheckFailed`]) when a run's self-check found violations, which go to standard
/// error unless the printed report (which lists them) was shown.
fn self_check_verdict(check: &archsim::results::SelfCheck, printed: bool) -> Result<()> {
    if check.ok {
        return Ok(());
    }
    if !printed {
        for v in &check.violations {
            note!("self-check: {v}");
        }
    }
    Err(SelfCheckFailed.into())
}

/// With `--strict-sizes`: the scenario's sizes checked against the instance catalogue (its
/// diagnostics exit 2, as any invalid scenario).
fn strict_sizes(on: bool, text: &str, file_name: &str) -> Result<()> {
    if on {
        archsim::scenario::parse_strict(text, file_name).map_err(AppError::from)?;
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

/// Draws the events of a run, sweep or search on `bar`: its progress, and a capacity
/// search's last step as its message.
fn progress_events(bar: &ProgressBar) -> impl Fn(RunEvent) + Sync + '_ {
    move |e| match e {
        RunEvent::Progress { done, total, .. } => {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
        RunEvent::Step {
            variant,
            rate,
            verdict,
        } => bar.set_message(format!("{variant}: {rate:.1}/s {}", verdict.name())),
        _ => {}
    }
}

/// The slot of this process's request, cancelled by Ctrl-C (SIGINT) or SIGTERM: the first
/// stops the command, which reports what finished (and quits anyway after [`GRACE_S`]
/// seconds); a second quits at once. Both exit 130.
fn cancel_on_ctrl_c() -> RunSlot {
    let slot = RunSlot::default();
    let handler = slot.clone();
    let _ = ctrlc::set_handler(move || {
        if handler.cancel() {
            std::process::exit(i32::from(exit::INTERRUPTED));
        }
        note!("\ninterrupted: finishing with what is done so far (Ctrl-C again to quit now)");
        std::thread::spawn(|| {
            std::thread::sleep(std::time::Duration::from_secs(GRACE_S));
            note!("interrupted: not finished after {GRACE_S} s; quitting");
            std::process::exit(i32::from(exit::INTERRUPTED));
        });
    });
    slot
}

/// Seconds a command has, after the first interrupt, to stop and write what finished.
const GRACE_S: u64 = 10;

/// Exit 130 when Ctrl-C stopped the request.
fn interrupted(slot: &RunSlot) -> Result<()> {
    if slot.cancel_requested() {
        return Err(Interrupted.into());
    }
    Ok(())
}

/// Writes `text` (plus a newline) to `path` atomically, or to standard output for "-".
fn write_out(path: &Path, text: &str) -> Result<()> {
    if path.as_os_str() == "-" {
        sayln!("{text}");
        Ok(())
    } else {
        files::write_atomic(path, &format!("{text}\n")).map_err(|e| io_error("write", path, e))
    }
}

/// Checks, before any simulation, that the JSON file and the CSV folder can be written.
fn outputs_writable(json: Option<&Path>, csv: Option<&Path>) -> Result<()> {
    if let Some(p) = json {
        files::check_writable(p)?;
    }
    if let Some(d) = csv {
        files::check_writable_dir(d)?;
    }
    Ok(())
}

fn json_on_stdout(json: &Option<PathBuf>) -> bool {
    json.as_ref().is_some_and(|p| p.as_os_str() == "-")
}

/// Writes a planning command's JSON and CSV files and prints its table unless quiet.
fn plan_outputs(
    c: &PlanCommon,
    json: &str,
    csv: impl FnOnce(&Path) -> std::io::Result<()>,
    table: impl FnOnce() -> String,
) -> Result<()> {
    if let Some(path) = &c.json {
        write_out(path, json)?;
    }
    if let Some(dir) = &c.csv {
        csv(dir).map_err(|e| io_error("write CSV files into", dir, e))?;
    }
    if !c.quiet && !json_on_stdout(&c.json) {
        say!("{}", table());
    }
    Ok(())
}

fn cmd_sweep(a: SweepArgs) -> Result<()> {
    let c = &a.common;
    let (text, file_name) = files::read_scenario(&c.file)?;
    strict_sizes(c.strict_sizes, &text, &file_name)?;
    let req = SweepRequest {
        text,
        file_name,
        sets: a.sets.clone(),
        knee: Some(a.knee.clone()),
        replications: c.replications,
        seed: c.seed,
        threads: c.threads,
        variants: c.variants.clone(),
        max_events: Some(c.max_events),
        shard: a.shard.clone(),
    };
    let p = plan::prepare_sweep(&req)?;
    outputs_writable(c.json.as_deref(), c.csv.as_deref())?;
    if p.spec.shard.is_some() && c.json.is_none() {
        return Err(AppError::invalid(
            "--shard writes a partial result: give --json OUT (combine the parts with `archsim merge`)",
        )
        .into());
    }
    for w in p.warnings() {
        note!("warning: {w}");
    }
    let bar = progress_bar(c.quiet, "replications");
    let slot = cancel_on_ctrl_c();
    let mut r = plan::execute_sweep(&req, &p, &slot, &progress_events(&bar))?.results;
    bar.finish_and_clear();
    if a.no_timings {
        r.strip_timings();
    }
    let json = match p.spec.shard {
        Some(_) => plan::sweep_part(&req, &p, &r)?,
        None => r.to_json(),
    };
    plan_outputs(
        c,
        &json,
        |dir| archsim::report::plan::write_sweep_csv(&r, dir),
        || archsim::report::plan::sweep_table(&r),
    )?;
    if !r.self_check_ok() {
        return Err(SelfCheckFailed.into());
    }
    interrupted(&slot)
}

fn cmd_capacity(a: CapacityArgs) -> Result<()> {
    let c = &a.common;
    let (text, file_name) = files::read_scenario(&c.file)?;
    strict_sizes(c.strict_sizes, &text, &file_name)?;
    let req = CapacityRequest {
        text,
        file_name,
        slo: a.slo.clone(),
        entry: a.entry.clone(),
        precision: Some(a.precision.clone()),
        max_evaluations: Some(a.max_evaluations),
        replications: c.replications,
        seed: c.seed,
        threads: c.threads,
        variants: c.variants.clone(),
        max_events: Some(c.max_events),
    };
    let p = plan::prepare_capacity(&req)?;
    outputs_writable(c.json.as_deref(), c.csv.as_deref())?;
    for w in p.warnings() {
        note!("warning: {w}");
    }
    let bar = progress_bar(c.quiet, "replications of this round");
    let slot = cancel_on_ctrl_c();
    let r = plan::execute_capacity(&req, &p, &slot, &progress_events(&bar))?.results;
    bar.finish_and_clear();
    plan_outputs(
        c,
        &r.to_json(),
        |dir| archsim::report::plan::write_capacity_csv(&r, dir),
        || archsim::report::plan::capacity_table(&r),
    )?;
    interrupted(&slot)?;
    undetectable(
        !c.quiet && !json_on_stdout(&c.json),
        r.variants
            .iter()
            .filter(|v| v.status == archsim::plan::capacity::Status::OverloadUndetectable)
            .map(|v| (v.name.as_str(), v.reason.as_deref())),
    )
}

/// Exit 2 when the SLO cannot detect overload on some variant: the question has no answer
/// there (what could be answered is written). The reasons are in the table when it was
/// printed (`printed`), else in the error.
fn undetectable<'a>(
    printed: bool,
    blind: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> Result<()> {
    let (names, why): (Vec<String>, Vec<String>) = blind
        .map(|(name, why)| {
            (
                format!("`{name}`"),
                format!("variant `{name}`: {}", why.unwrap_or("")),
            )
        })
        .unzip();
    if names.is_empty() {
        return Ok(());
    }
    Err(AppError::invalid(if printed {
        format!(
            "the SLO cannot detect overload on variant {} (why above): add a latency clause or model the limits the real system has",
            names.join(", ")
        )
    } else {
        why.join("\n")
    })
    .into())
}

fn cmd_rightsize(a: RightsizeArgs) -> Result<()> {
    let c = &a.common;
    let (text, file_name) = files::read_scenario(&c.file)?;
    strict_sizes(c.strict_sizes, &text, &file_name)?;
    let req = RightsizeRequest {
        text,
        file_name,
        slo: a.slo.clone(),
        rate: a.rate,
        entry: a.entry.clone(),
        max_value: Some(a.max_value),
        max_evaluations: Some(a.max_evaluations),
        search: Some(a.search.clone()),
        replications: c.replications,
        seed: c.seed,
        threads: c.threads,
        variants: c.variants.clone(),
        max_events: Some(c.max_events),
    };
    let p = plan::prepare_rightsize(&req)?;
    outputs_writable(c.json.as_deref(), c.csv.as_deref())?;
    for w in p.warnings() {
        note!("warning: {w}");
    }
    let bar = progress_bar(c.quiet, "replications of this round");
    let slot = cancel_on_ctrl_c();
    let r = plan::execute_rightsize(&req, &p, &slot, &progress_events(&bar))?.results;
    bar.finish_and_clear();
    plan_outputs(
        c,
        &r.to_json(),
        |dir| archsim::report::plan::write_rightsize_csv(&r, dir),
        || archsim::report::plan::rightsize_table(&r),
    )?;
    interrupted(&slot)?;
    undetectable(
        !c.quiet && !json_on_stdout(&c.json),
        r.variants
            .iter()
            .filter(|v| v.status == archsim::plan::rightsize::RightsizeStatus::OverloadUndetectable)
            .map(|v| (v.name.as_str(), v.reason.as_deref())),
    )
}

fn cmd_merge(a: MergeArgs) -> Result<()> {
    files::check_writable(&a.output)?;
    let parts = a
        .parts
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| io_error("read", p, e))?;
            Ok((p.display().to_string(), text))
        })
        .collect::<Result<Vec<_>>>()?;
    write_out(
        &a.output,
        &tools::merge(&parts, a.no_timings, a.allow_partial)?,
    )
}

fn cmd_validate(a: ValidateArgs) -> Result<()> {
    let (text, file_name) = files::read_scenario(&a.file)?;
    let v = analysis::validate(&text, &file_name)?;
    let s = &v.scenario;
    sayln!(
        "{}: ok — {} modules, {} operations, {} entries, {} variants",
        a.file.display(),
        s.modules.len(),
        s.ops.len(),
        s.workload.entries.len(),
        s.variants.len()
    );
    for w in &v.warnings {
        sayln!("warning: {w}");
    }
    for (est, events) in v.estimates.iter().zip(&v.events) {
        sayln!(
            "\nvariant `{}` — analytic estimate (simulation: about {:.2e} events per replication)",
            est.variant,
            events
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
        sayln!("{t}");
        for e in &est.entries {
            sayln!(
                "  entry `{}`: mean latency ≈ {}",
                e.name,
                e.mean_latency_s
                    .map(archsim::report::fmt_secs)
                    .unwrap_or_else(|| "unbounded (a node on its path is overloaded)".into())
            );
        }
        for w in &est.warnings {
            sayln!("warning: {w}");
        }
    }
    let rows: Vec<(&str, &archsim::org::conway::ConwayMetrics)> = s
        .variants
        .iter()
        .zip(&v.conway)
        .map(|(v, c)| (v.name.as_str(), c))
        .collect();
    sayln!("\n{}", archsim::report::conway_table(&rows));
    Ok(())
}

fn cmd_bench(a: BenchArgs) -> Result<()> {
    let models = tools::bench_models(&a.model, a.customers)?;
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
        let row = tools::bench(m, a.customers)?;
        if a.json {
            sayln!("{}", row.to_json());
        } else {
            t.add_row(vec![
                m.to_string(),
                format!("{:.0}", row.customers),
                row.events.to_string(),
                format!("{:.3}", row.wall_s),
                format!("{:.3e}", row.customers / row.wall_s),
                format!("{:.3e}", row.events as f64 / row.wall_s),
                archsim::report::fmt_secs(row.mean_response_s),
            ]);
        }
    }
    if !a.json {
        sayln!("{t}");
    }
    Ok(())
}

fn cmd_delivery(a: DeliveryArgs) -> Result<()> {
    let (text, file_name) = files::read_scenario(&a.file)?;
    if let Some(p) = &a.json {
        files::check_writable(p)?;
    }
    let out = org::delivery(&org::DeliveryRequest {
        text,
        file_name,
        variants: a.variants.clone(),
        replications: a.replications,
        seed: a.seed,
        max_events: Some(a.max_events),
    })?;
    if let Some(path) = &a.json {
        write_out(path, &out.to_json())?;
        if path.as_os_str() == "-" {
            return Ok(());
        }
    }
    let rows: Vec<(&str, &archsim::org::delivery::DeliveryResult)> =
        out.variants.iter().map(|(n, d)| (n.as_str(), d)).collect();
    sayln!("{}", archsim::report::delivery_table(&rows));
    Ok(())
}

fn cmd_decompose(a: DecomposeArgs) -> Result<()> {
    let (text, file_name) = files::read_scenario(&a.file)?;
    if let Some(p) = &a.json {
        files::check_writable(p)?;
    }
    if let Some(p) = &a.out {
        files::check_writable(p)?;
    }
    let out = org::decompose(&org::DecomposeRequest {
        text,
        file_name,
        units: a.units,
        simulated_requests: match a.weights {
            WeightsArg::Analytic => None,
            WeightsArg::Simulated => Some(a.requests),
        },
        store_weight: a.store_weight,
        team_bonus: a.team_bonus,
        balance: a.balance,
        base: a.base.clone(),
        out_file_name: a.out.as_ref().map(|p| p.display().to_string()),
    })?;
    let d = &out.decomposition;
    if let Some(path) = &a.json {
        write_out(path, &serde_json::to_string_pretty(d)?)?;
    }
    let quiet = json_on_stdout(&a.json);
    if !quiet {
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
        t.set_header(vec!["unit", "modules"]);
        for u in &d.units {
            t.add_row(vec![u.name.clone(), u.modules.join(", ")]);
        }
        sayln!("{t}");
        sayln!(
            "cut: {:.3} cross-unit calls per request; teams split across units: {}",
            d.cross_unit_calls_per_request,
            if d.teams_split.is_empty() {
                "none".to_string()
            } else {
                d.teams_split.join(", ")
            }
        );
    }
    if let (Some(path), Some(org::NewVariant { name, text })) = (&a.out, &out.new_variant) {
        files::write_atomic(path, text).map_err(|e| io_error("write", path, e))?;
        if !quiet {
            sayln!("wrote {} with the new variant `{name}`", path.display());
        }
    }
    Ok(())
}
