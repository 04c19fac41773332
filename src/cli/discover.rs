//! `archsim discover` and `archsim calibrate`: the application layer's
//! [`archsim::app::telemetry`], the results written to files.

use crate::args::{CalibrateArgs, DiscoverArgs};
use anyhow::Result;
use archsim::app::telemetry::{self, DiscoverRequest};
use archsim::app::{check, files, guard, AppError};
use archsim::discover;
use std::path::Path;

fn path(p: &Path) -> String {
    p.display().to_string()
}

fn io(p: &Path, e: std::io::Error) -> AppError {
    AppError::Io(format!("cannot write {}: {e}", p.display()))
}

/// Discovers the model and writes it (and the JSON report); returns the text to print.
pub(crate) fn cmd_discover(a: DiscoverArgs) -> Result<String> {
    let req = DiscoverRequest {
        traces: a.traces.iter().map(|p| path(p)).collect(),
        utilization: a.utilization.as_deref().map(path),
        deployment: a.deployment.iter().map(|p| path(p)).collect(),
        fit: Some(a.fit.clone()),
        window: Some(a.window.clone()),
        name: Some(a.name.clone()),
        file_name: Some(path(&a.out)),
    };
    let d = telemetry::discover_model(&req, &path(&a.out))?;
    files::write_atomic(&a.out, &d.toml).map_err(|e| io(&a.out, e))?;
    if let Some(p) = &a.report_json {
        files::write_atomic(p, &serde_json::to_string_pretty(&d.report)?).map_err(|e| io(p, e))?;
    }
    Ok(format!("{}\nwrote {}\n", d.report.text(), a.out.display()))
}

/// Calibrates the model and writes it (and the JSON report); returns the text to print.
pub(crate) fn cmd_calibrate(a: CalibrateArgs) -> Result<String> {
    let model_name = path(&a.model);
    let text = std::fs::read_to_string(&a.model).map_err(|source| {
        AppError::Telemetry(discover::DiscoverError::Io {
            path: a.model.clone(),
            source,
        })
    })?;
    check::replications(a.replications)?;
    check::threads(a.threads)?;
    let max_events = guard::check_limit(a.max_events)?;
    let traces: Vec<String> = a.traces.iter().map(|p| path(p)).collect();
    let files_in = telemetry::read_traces(&traces)?;
    let opts = discover::calibrate::Options {
        variant: a.variant.clone(),
        seed: a.seed,
        replications: a.replications,
        rounds: a.rounds,
        threads: a.threads,
        max_events: Some(max_events),
        ..discover::calibrate::Options::default()
    };
    for p in a.out.iter().chain(&a.json) {
        files::check_writable(p)?;
    }
    let c = telemetry::calibrate_model(&text, &model_name, &files_in, &opts)?;
    let mut out = c.report.text();
    if let Some(p) = &a.out {
        files::write_atomic(p, &c.toml).map_err(|e| io(p, e))?;
        out.push_str(&format!("wrote {}\n", p.display()));
    }
    if let Some(p) = &a.json {
        files::write_atomic(p, &serde_json::to_string_pretty(&c.report)?).map_err(|e| io(p, e))?;
    }
    Ok(out)
}
