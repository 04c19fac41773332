//! Models from telemetry, for every front end: `archsim discover` (a scenario from trace files,
//! with measured CPU utilization and deployment manifests) and `archsim calibrate` (a model
//! adjusted to the traces), reading the files named in the request and checking that the model
//! written validates. The CLI writes the results to files; the desktop app opens the
//! discovered model in its editor and draws the calibration's latency distributions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::discover::{self, calibrate, DiscoverError, Discovery, Options, TraceFile};

use super::analysis::{analyze, Analysis};
use super::error::{AppError, AppResult};
use super::{check, guard};

/// What to discover a model from (the desktop app's `discover_model` request; the CLI's
/// `archsim discover` arguments).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
pub struct DiscoverRequest {
    /// Trace files: OTLP JSON (the Collector's file exporter), Jaeger JSON or Zipkin v2 JSON.
    pub traces: Vec<String>,
    /// Measured CPU per service over the traces' window: a CSV or an OpenTelemetry metrics
    /// JSON file (demands by the service demand law).
    #[serde(default)]
    pub utilization: Option<String>,
    /// Deployment manifests (Kubernetes YAML or docker-compose): replicas, CPU and memory.
    #[serde(default)]
    pub deployment: Vec<String>,
    /// The distribution written for measured times: `auto` (default), `lognormal`, `gamma`
    /// or `empirical`.
    #[serde(default)]
    pub fit: Option<String>,
    /// Window of the rate-profile test, a duration (default `60s`).
    #[serde(default)]
    pub window: Option<String>,
    /// The scenario's `name` (default `discovered`).
    #[serde(default)]
    pub name: Option<String>,
    /// The file name the model's diagnostics use (default `discovered.toml`).
    #[serde(default)]
    pub file_name: Option<String>,
}

/// A discovered model: its analysis (the editor opens it as a new, unsaved scenario) and the
/// discovery report.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DiscoverOutcome {
    /// The discovered scenario, analyzed (its `text` is the model; `path` is none).
    pub analysis: Analysis,
    /// What was read, found, merged, assumed and could not be mapped.
    pub report: discover::Report,
    /// The report as `archsim discover` prints it.
    pub report_text: String,
}

/// What to calibrate against which traces (the desktop app's `calibrate_model` request).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
pub struct CalibrateRequest {
    /// The model's text.
    pub text: String,
    /// File name for diagnostics.
    pub file_name: String,
    /// Where the model is saved (kept by the calibrated model's analysis: Save writes there).
    #[serde(default)]
    pub path: Option<String>,
    /// Trace files (paths), as for discovery.
    pub traces: Vec<String>,
    /// The variant simulated (default: the first).
    #[serde(default)]
    pub variant: Option<String>,
    /// Most adjustment rounds (default 5).
    #[serde(default)]
    pub rounds: Option<u32>,
    /// Replications per round (default: the model's).
    #[serde(default)]
    pub replications: Option<u32>,
    /// Seed of every round (default: the model's).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores).
    #[serde(default)]
    pub threads: Option<usize>,
    /// Refuse a round whose estimated events exceed this (default 2·10⁹).
    #[serde(default)]
    pub max_events: Option<f64>,
}

/// A calibration: the calibrated model, analyzed, and the report (before/after rows, the
/// parameters moved, the entries' latency distributions).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CalibrateOutcome {
    /// The calibrated scenario, analyzed under the request's file name.
    pub analysis: Analysis,
    /// The report (`archsim calibrate --json`).
    pub report: calibrate::CalibrationReport,
    /// The report as `archsim calibrate` prints it.
    pub report_text: String,
}

fn read(path: &str) -> Result<String, DiscoverError> {
    std::fs::read_to_string(path).map_err(|source| DiscoverError::Io {
        path: path.into(),
        source,
    })
}

/// Reads the trace files named.
///
/// # Errors
/// [`AppError::Telemetry`] for a file that cannot be read; [`AppError::InvalidParameter`]
/// when none is named.
pub fn read_traces(paths: &[String]) -> AppResult<Vec<TraceFile>> {
    if paths.is_empty() {
        return Err(AppError::invalid(
            "no trace file: name at least one (OTLP JSON, Jaeger JSON or Zipkin v2 JSON)",
        ));
    }
    paths
        .iter()
        .map(|p| {
            Ok(TraceFile {
                name: p.clone(),
                text: read(p)?,
            })
        })
        .collect()
}

/// The discovery options of a request: the fit, the window, the measured utilization and the
/// manifests (a service declared by two manifests is an error naming both).
fn options(req: &DiscoverRequest) -> Result<Options, DiscoverError> {
    let fit = req
        .fit
        .as_deref()
        .unwrap_or("auto")
        .parse()
        .map_err(DiscoverError::Option)?;
    let window = req.window.as_deref().unwrap_or("60s");
    let window_s = crate::spec::units::parse_duration_ns(window)
        .map_err(|e| DiscoverError::Option(format!("--window: {}", e.message)))?
        * 1e-9;
    let mut opts = Options {
        name: req.name.clone().unwrap_or_else(|| "discovered".into()),
        fit,
        window_s,
        ..Options::default()
    };
    if let Some(u) = &req.utilization {
        opts.utilization = discover::utilization::parse(&read(u)?, u)?;
    }
    for p in &req.deployment {
        let m = discover::manifest::parse(&read(p)?, p)?;
        for (k, d) in m.entries {
            if let Some(prev) = opts.deployment.get(&k) {
                return Err(DiscoverError::Format {
                    file: p.clone(),
                    msg: format!("`{k}` is also declared in {}", prev.file),
                });
            }
            opts.deployment.insert(k, d);
        }
        opts.deployment_notes.extend(m.skipped);
        opts.deployment_notes.extend(m.notes);
    }
    Ok(opts)
}

/// Discovers a model from the files of `req`; the model is checked to validate under
/// `file_name`.
///
/// # Errors
/// [`AppError::Telemetry`]: a file that cannot be read or parsed (with its position), an
/// option out of range, traces from which nothing can be discovered;
/// [`AppError::Internal`] when the model written does not validate (a defect of discovery).
pub fn discover_model(req: &DiscoverRequest, file_name: &str) -> AppResult<Discovery> {
    let opts = options(req)?;
    let files = read_traces(&req.traces)?;
    let d = discover::discover(&files, &opts)?;
    crate::scenario::parse(&d.toml, file_name).map_err(|e| {
        AppError::Internal(format!(
            "the discovered model does not validate (a bug): {e}"
        ))
    })?;
    Ok(d)
}

/// Discovers a model and analyzes it as a new, unsaved scenario (the desktop app's
/// "Discover from traces").
///
/// # Errors
/// As [`discover_model`].
pub fn discover(req: &DiscoverRequest) -> AppResult<DiscoverOutcome> {
    let file_name = req
        .file_name
        .clone()
        .unwrap_or_else(|| "discovered.toml".into());
    let d = discover_model(req, &file_name)?;
    let report_text = d.report.text();
    Ok(DiscoverOutcome {
        analysis: analyze(d.toml, file_name, None),
        report: d.report,
        report_text,
    })
}

/// Calibrates a model against trace files; the calibrated model is checked to validate.
///
/// # Errors
/// [`AppError::Telemetry`]: the model is not a valid scenario, a trace file cannot be read or
/// parsed, the traces name operations the model lacks, an unknown variant, a round above the
/// work limit; [`AppError::Internal`] when the calibrated model does not validate.
pub fn calibrate_model(
    text: &str,
    file_name: &str,
    traces: &[TraceFile],
    opts: &calibrate::Options,
) -> AppResult<calibrate::Calibration> {
    let c = calibrate::calibrate(text, file_name, traces, opts)?;
    crate::scenario::parse(&c.toml, file_name).map_err(|e| {
        AppError::Internal(format!(
            "the calibrated model does not validate (a bug): {e}"
        ))
    })?;
    Ok(c)
}

/// Calibrates the request's model against its trace files (the desktop app's "Calibrate").
///
/// # Errors
/// As [`calibrate_model`]; [`AppError::InvalidParameter`] for zero replications or threads, or a
/// work limit that is not a positive number.
pub fn calibrate(req: &CalibrateRequest) -> AppResult<CalibrateOutcome> {
    check::replications(req.replications)?;
    check::threads(req.threads)?;
    let max_events = guard::check_limit(req.max_events.unwrap_or(guard::DEFAULT_MAX_EVENTS))?;
    let files = read_traces(&req.traces)?;
    let defaults = calibrate::Options::default();
    let opts = calibrate::Options {
        variant: req.variant.clone(),
        seed: req.seed,
        replications: req.replications,
        rounds: req.rounds.unwrap_or(defaults.rounds),
        threads: req.threads,
        max_events: Some(max_events),
        ..defaults
    };
    let c = calibrate_model(&req.text, &req.file_name, &files, &opts)?;
    let report_text = c.report.text();
    Ok(CalibrateOutcome {
        analysis: analyze(c.toml, req.file_name.clone(), req.path.clone()),
        report: c.report,
        report_text,
    })
}
