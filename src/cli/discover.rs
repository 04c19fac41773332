//! `archsim discover`: traces → scenario and report.

use crate::args::{CalibrateArgs, DiscoverArgs};
use anyhow::Result;
use archsim::app::files;
use archsim::discover::{self, DiscoverError, Options, TraceFile};
use std::path::Path;

fn read(path: &Path) -> Result<String, DiscoverError> {
    std::fs::read_to_string(path).map_err(|source| DiscoverError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Discovers the model and writes it (and the JSON report); returns the text to print.
pub(crate) fn cmd_discover(a: DiscoverArgs) -> Result<String> {
    let fit = a.fit.parse().map_err(DiscoverError::Option)?;
    let window_s = archsim::spec::units::parse_duration_ns(&a.window)
        .map_err(|e| DiscoverError::Option(format!("--window: {}", e.message)))?
        * 1e-9;
    let mut opts = Options {
        name: a.name.clone(),
        fit,
        window_s,
        ..Options::default()
    };
    if let Some(u) = &a.utilization {
        opts.utilization = discover::utilization::parse(&read(u)?, &u.display().to_string())?;
    }
    for p in &a.deployment {
        let name = p.display().to_string();
        let m = discover::manifest::parse(&read(p)?, &name)?;
        for (k, d) in m.entries {
            if let Some(prev) = opts.deployment.get(&k) {
                return Err(DiscoverError::Format {
                    file: name,
                    msg: format!("`{k}` is also declared in {}", prev.file),
                }
                .into());
            }
            opts.deployment.insert(k, d);
        }
        opts.deployment_notes.extend(m.skipped);
        opts.deployment_notes.extend(m.notes);
    }
    let mut files = Vec::new();
    for p in &a.traces {
        files.push(TraceFile {
            name: p.display().to_string(),
            text: read(p)?,
        });
    }
    let d = discover::discover(&files, &opts)?;
    // The model must load: a failure here is a defect of discovery, not of the input.
    archsim::scenario::parse(&d.toml, &a.out.display().to_string())
        .map_err(|e| anyhow::anyhow!("the discovered model does not validate (a bug): {e}"))?;
    let io = |p: &Path, e: std::io::Error| {
        archsim::app::AppError::Io(format!("cannot write {}: {e}", p.display()))
    };
    files::write_atomic(&a.out, &d.toml).map_err(|e| io(&a.out, e))?;
    if let Some(p) = &a.report_json {
        files::write_atomic(p, &serde_json::to_string_pretty(&d.report)?).map_err(|e| io(p, e))?;
    }
    Ok(format!("{}\nwrote {}\n", d.report.text(), a.out.display()))
}

/// Calibrates the model and writes it (and the JSON report); returns the text to print.
pub(crate) fn cmd_calibrate(a: CalibrateArgs) -> Result<String> {
    let model_name = a.model.display().to_string();
    let text = read(&a.model)?;
    let mut files = Vec::new();
    for p in &a.traces {
        files.push(TraceFile {
            name: p.display().to_string(),
            text: read(p)?,
        });
    }
    let opts = discover::calibrate::Options {
        variant: a.variant.clone(),
        seed: a.seed,
        replications: a.replications,
        rounds: a.rounds,
        threads: a.threads,
        max_events: Some(a.max_events),
        ..discover::calibrate::Options::default()
    };
    for p in a.out.iter().chain(&a.json) {
        files::check_writable(p)?;
    }
    let c = discover::calibrate::calibrate(&text, &model_name, &files, &opts)?;
    let io = |p: &Path, e: std::io::Error| {
        archsim::app::AppError::Io(format!("cannot write {}: {e}", p.display()))
    };
    let mut out = c.report.text();
    if let Some(p) = &a.out {
        // The calibrated model must load: a failure here is a defect of calibration.
        archsim::scenario::parse(&c.toml, &p.display().to_string())
            .map_err(|e| anyhow::anyhow!("the calibrated model does not validate (a bug): {e}"))?;
        files::write_atomic(p, &c.toml).map_err(|e| io(p, e))?;
        out.push_str(&format!("wrote {}\n", p.display()));
    }
    if let Some(p) = &a.json {
        files::write_atomic(p, &serde_json::to_string_pretty(&c.report)?).map_err(|e| io(p, e))?;
    }
    Ok(out)
}
