//! The `archsim` command line: argument parsing and printing over the application layer
//! (`archsim::app`), which validates every request, guards the work and runs it.

use anyhow::{Context, Result};
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

/// The run finished but its self-check failed (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("the self-check failed (see the violations above)")]
struct SelfCheckFailed;

/// The run was interrupted; what finished was reported (exit 130, as for SIGINT).
#[derive(Debug, thiserror::Error)]
#[error("interrupted: the results cover only the replications that finished")]
struct Interrupted;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Err(e) = run(cli) else {
        return ExitCode::SUCCESS;
    };
    let app = e.downcast_ref::<AppError>();
    if app.is_some_and(AppError::is_scenario_diagnostics) {
        eprintln!("{e}");
        return ExitCode::from(2);
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
    eprintln!("error: {msg}");
    if e.downcast_ref::<Interrupted>().is_some() {
        ExitCode::from(130)
    } else if e
        .downcast_ref::<archsim::discover::DiscoverError>()
        .is_some()
        || app.is_some_and(AppError::is_bad_input)
    {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
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
        Command::Discover(a) => discover_cmd::cmd_discover(*a),
    }
}

fn cmd_report(a: ReportArgs) -> Result<()> {
    let text = std::fs::read_to_string(&a.results)
        .with_context(|| format!("cannot read {}", a.results.display()))?;
    let html = tools::report_html(&a.results.display().to_string(), &text)?;
    std::fs::write(&a.output, html)
        .with_context(|| format!("cannot write {}", a.output.display()))?;
    eprintln!("wrote {}", a.output.display());
    Ok(())
}

fn cmd_run(a: RunArgs) -> Result<()> {
    let (text, file_name) = files::read_scenario(&a.file)?;
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
    for w in plan.warnings() {
        eprintln!("warning: {w}");
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
        let part = run::execute_shard(&plan, shard, &slot, &emit)?;
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
            .with_context(|| format!("cannot write CSV files into {}", dir.display()))?;
    }
    if !a.quiet && !json_on_stdout(&a.json) {
        print!("{}", archsim::report::render_text(&results));
    } else if !results.self_check.ok {
        for v in &results.self_check.violations {
            eprintln!("self-check: {v}");
        }
    }
    if !results.self_check.ok {
        return Err(SelfCheckFailed.into());
    }
    interrupted(&slot)
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

/// The slot of this process's request, cancelled by Ctrl-C: once, the command stops and
/// reports what finished; twice, it quits at once.
fn cancel_on_ctrl_c() -> RunSlot {
    let slot = RunSlot::default();
    let handler = slot.clone();
    let _ = ctrlc::set_handler(move || {
        if handler.cancel() {
            std::process::exit(130);
        }
        eprintln!("\ninterrupted: finishing with what is done so far (Ctrl-C again to quit)");
    });
    slot
}

/// Exit 130 when Ctrl-C stopped the request.
fn interrupted(slot: &RunSlot) -> Result<()> {
    if slot.cancel_requested() {
        return Err(Interrupted.into());
    }
    Ok(())
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
        csv(dir).with_context(|| format!("cannot write CSV files into {}", dir.display()))?;
    }
    if !c.quiet && !json_on_stdout(&c.json) {
        print!("{}", table());
    }
    Ok(())
}

fn cmd_sweep(a: SweepArgs) -> Result<()> {
    let c = &a.common;
    let (text, file_name) = files::read_scenario(&c.file)?;
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
    if p.spec.shard.is_some() && c.json.is_none() {
        return Err(AppError::invalid(
            "--shard writes a partial result: give --json OUT (combine the parts with `archsim merge`)",
        )
        .into());
    }
    for w in p.warnings() {
        eprintln!("warning: {w}");
    }
    let bar = progress_bar(c.quiet, "replications");
    let slot = cancel_on_ctrl_c();
    let mut r = plan::execute_sweep(&req, &p, &slot, &progress_events(&bar))?.results;
    bar.finish_and_clear();
    if a.no_timings {
        r.strip_timings();
    }
    plan_outputs(
        c,
        &r.to_json(),
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
    for w in p.warnings() {
        eprintln!("warning: {w}");
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
    for w in p.warnings() {
        eprintln!("warning: {w}");
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
    let parts = a
        .parts
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            Ok((p.display().to_string(), text))
        })
        .collect::<Result<Vec<_>>>()?;
    write_out(&a.output, &tools::merge(&parts, a.no_timings)?)
}

fn cmd_validate(a: ValidateArgs) -> Result<()> {
    let (text, file_name) = files::read_scenario(&a.file)?;
    let v = analysis::validate(&text, &file_name)?;
    let s = &v.scenario;
    println!(
        "{}: ok — {} modules, {} operations, {} entries, {} variants",
        a.file.display(),
        s.modules.len(),
        s.ops.len(),
        s.workload.entries.len(),
        s.variants.len()
    );
    for w in &v.warnings {
        println!("warning: {w}");
    }
    for (est, events) in v.estimates.iter().zip(&v.events) {
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
    let rows: Vec<(&str, &archsim::org::conway::ConwayMetrics)> = s
        .variants
        .iter()
        .zip(&v.conway)
        .map(|(v, c)| (v.name.as_str(), c))
        .collect();
    println!("\n{}", archsim::report::conway_table(&rows));
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
            println!("{}", row.to_json());
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
        println!("{t}");
    }
    Ok(())
}

fn cmd_delivery(a: DeliveryArgs) -> Result<()> {
    let (text, file_name) = files::read_scenario(&a.file)?;
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
    println!("{}", archsim::report::delivery_table(&rows));
    Ok(())
}

fn cmd_decompose(a: DecomposeArgs) -> Result<()> {
    let text = std::fs::read_to_string(&a.file)
        .with_context(|| format!("cannot read scenario file {}", a.file.display()))?;
    let out = org::decompose(&org::DecomposeRequest {
        text,
        file_name: a.file.display().to_string(),
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
    if let (Some(path), Some((name, text))) = (&a.out, &out.new_variant) {
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        if !quiet {
            println!("wrote {} with the new variant `{name}`", path.display());
        }
    }
    Ok(())
}
