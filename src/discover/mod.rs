//! Models from telemetry: `archsim discover` reads distributed traces (OTLP JSON, Jaeger JSON,
//! Zipkin v2 JSON) and writes a scenario that validates and runs, with a report of what it
//! found, merged, assumed and could not map (docs/discover.md).
//!
//! The pipeline: [`formats`] reads each file into [`span::Span`]s; [`traces`] groups them into
//! traces and corrects clock skew; [`graph`] reads the operations, their calls, own times,
//! errors and instances off the traces; [`utilization`] turns measured CPU utilization into
//! demands (the service demand law); [`emit`] writes the scenario and the report.

pub mod calibrate;
pub mod emit;
pub mod error;
pub mod fit;
pub mod formats;
pub mod graph;
pub mod manifest;
pub mod names;
pub mod otel_metrics;
pub mod report;
pub mod span;
pub mod traces;
pub mod utilization;

pub use error::DiscoverError;
pub use fit::FitChoice;
pub use report::Report;

use std::collections::BTreeMap;

/// What a deployment manifest says of one service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deployed {
    /// The manifest file that declares it.
    pub file: String,
    /// Replicas.
    pub replicas: Option<u64>,
    /// CPU limit per replica, cores.
    pub cores: Option<f64>,
    /// Memory limit per replica, bytes.
    pub memory_bytes: Option<u64>,
}

/// Options of a discovery.
#[derive(Debug, Clone)]
pub struct Options {
    /// The scenario's `name`.
    pub name: String,
    /// Which distribution to fit to times.
    pub fit: FitChoice,
    /// Window of the rate-profile test, s.
    pub window_s: f64,
    /// Per service (or module) name, what a deployment manifest says.
    pub deployment: BTreeMap<String, Deployed>,
    /// Manifest documents skipped and remarks on the manifests, for the report.
    pub deployment_notes: Vec<String>,
    /// Per service, measured CPU use in core-seconds per second over the traces' window.
    pub utilization: BTreeMap<String, f64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            name: "discovered".into(),
            fit: FitChoice::Auto,
            window_s: 60.0,
            deployment: BTreeMap::new(),
            deployment_notes: Vec::new(),
            utilization: BTreeMap::new(),
        }
    }
}

/// A trace file's text and the name errors give it.
#[derive(Debug, Clone)]
pub struct TraceFile {
    /// Path as given (for messages).
    pub name: String,
    /// Content.
    pub text: String,
}

/// The discovered scenario and the report.
#[derive(Debug, Clone)]
pub struct Discovery {
    /// The scenario file's text.
    pub toml: String,
    /// The report.
    pub report: Report,
}

/// Reads the trace files and discovers a model.
///
/// # Errors
/// [`DiscoverError`] for a file that cannot be parsed (with its position), an option out of
/// range, or traces holding no operation.
pub fn discover(files: &[TraceFile], opts: &Options) -> Result<Discovery, DiscoverError> {
    if opts.window_s.is_nan() || opts.window_s <= 0.0 {
        return Err(DiscoverError::Option(format!(
            "--window must be a positive duration, not {}s",
            opts.window_s
        )));
    }
    let (mut obs, mut report) = observe_files(files)?;
    let demands = utilization::demands(&obs, &opts.utilization, &mut report)?;
    let toml = emit::scenario(&mut obs, opts, &demands, &mut report);
    Ok(Discovery { toml, report })
}

/// Reads the trace files and what they show (the first half of a discovery, shared with
/// calibration), with the report's counts and warnings filled in.
///
/// # Errors
/// [`DiscoverError`] for a file that cannot be parsed, and [`DiscoverError::Empty`] saying why
/// when nothing can be discovered: no valid span (with the reasons spans were skipped), or no
/// span handling a request (server, consumer or root span), or no root among them.
pub fn observe_files(files: &[TraceFile]) -> Result<(graph::Observed, Report), DiscoverError> {
    let mut report = Report::default();
    let mut spans = Vec::new();
    let mut skipped = Vec::new();
    for f in files {
        let fs = formats::read(&f.text, &f.name)?;
        report.files.push(report::FileReport {
            path: f.name.clone(),
            format: fs.format,
            spans: fs.spans.len(),
        });
        skipped.extend(fs.warnings.iter().map(|w| format!("{}: {w}", f.name)));
        spans.extend(fs.spans);
    }
    report.warnings.extend(skipped.iter().cloned());
    report.spans_read = spans.len();
    if spans.is_empty() {
        return Err(DiscoverError::Empty(no_span(files, &skipped)));
    }
    let kinds = kind_counts(&spans);
    let set = traces::assemble(spans);
    report.traces = set.traces.len();
    report.clock_skew_fixes = set.skew_fixes;
    report.warnings.extend(set.warnings.iter().cloned());
    let obs = graph::observe(&set);
    report.traces_complete = obs.complete;
    report.traces_incomplete = obs.incomplete;
    if !obs.graph_complete_only {
        report.warnings.push(
            "no trace is complete: call probabilities are counted on incomplete traces and may \
             miss calls"
                .into(),
        );
    }
    if obs.ops.is_empty() {
        return Err(DiscoverError::Empty(format!(
            "no span handles a request: the {} valid span(s) are {kinds}, and none is a server \
             or consumer span (SPAN_KIND_SERVER / CONSUMER) or an internal root span, so no \
             operation can be named; export the spans of the services that handle the requests",
            report.spans_read
        )));
    }
    if !obs.ops.values().any(|o| !o.root_starts.is_empty()) {
        return Err(DiscoverError::Empty(
            "no trace starts at an operation (every root span is a client or producer span \
             with no server span below it): there is no entry for the workload"
                .into(),
        ));
    }
    report.unmapped = obs
        .unmapped
        .iter()
        .map(|(what, &spans)| report::Unmapped {
            what: what.clone(),
            spans,
        })
        .collect();
    Ok((obs, report))
}

/// Why no span was read: the files, and the first reasons spans were skipped.
fn no_span(files: &[TraceFile], skipped: &[String]) -> String {
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    if skipped.is_empty() {
        return format!("{} hold(s) no span", names.join(", "));
    }
    const SHOWN: usize = 3;
    let mut msg = format!(
        "{} hold(s) no valid span: all {} span(s) were skipped",
        names.join(", "),
        skipped.len()
    );
    for w in skipped.iter().take(SHOWN) {
        msg.push_str("\n  ");
        msg.push_str(w);
    }
    if skipped.len() > SHOWN {
        msg.push_str(&format!("\n  … and {} more", skipped.len() - SHOWN));
    }
    msg
}

/// "3 client, 2 internal": the spans by kind.
fn kind_counts(spans: &[span::Span]) -> String {
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for s in spans {
        *by.entry(format!("{:?}", s.kind).to_ascii_lowercase())
            .or_default() += 1;
    }
    by.iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}
