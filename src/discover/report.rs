//! The discovery report (text and JSON).

use super::fit::Fit;
use super::formats::Format;
use serde::Serialize;
use std::fmt::Write as _;

/// One trace file read.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "DiscoveryFile")]
pub struct FileReport {
    /// As given.
    pub path: String,
    /// Format detected.
    pub format: Format,
    /// Spans kept.
    pub spans: usize,
}

/// One operation found.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "DiscoveredOperation")]
pub struct OpReport {
    /// `module.op` in the model.
    pub op: String,
    /// The service.
    pub service: String,
    /// The normalized span name.
    pub name: String,
    /// The span names merged into it (more than one, or ids collapsed).
    pub merged_from: Vec<String>,
    /// Invocations seen.
    pub invocations: u64,
    /// Own time (duration minus its calls) and its fit.
    pub own_time: Fit,
    /// The CPU demand written in the model, s (the own time's mean, or the service demand
    /// law's estimate with `--utilization`).
    pub demand_s: f64,
    /// The service demand law's estimate, s, when a utilization was given.
    pub demand_from_utilization_s: Option<f64>,
    /// Fraction of invocations failing on their own (their calls did not fail).
    pub error_ratio: f64,
}

/// One call edge.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "DiscoveredCall")]
pub struct CallReport {
    /// Caller `module.op`.
    pub from: String,
    /// Callee `module.op` / `store.op`, or `queue → module.op` for a publish.
    pub to: String,
    /// Fraction of the caller's invocations making the call.
    pub p: f64,
    /// Mean calls per invocation that makes it.
    pub mean_count: f64,
    /// The integer `count` written.
    pub count: u64,
    /// Index of the parallel group it belongs to in the caller's call list, if any.
    pub parallel_group: Option<usize>,
}

/// One database operation.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "DiscoveredDatabaseOp")]
pub struct DbReport {
    /// `store.op` in the model.
    pub op: String,
    /// `db.system`.
    pub system: String,
    /// `read` or `write`.
    pub kind: String,
    /// Calls seen.
    pub calls: usize,
    /// Query time (call duration minus a network round trip) and its fit.
    pub time: Fit,
}

/// One entry.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "DiscoveredEntry")]
pub struct EntryReport {
    /// Entry name.
    pub name: String,
    /// `module.op`.
    pub op: String,
    /// Requests seen (root invocations).
    pub requests: usize,
    /// Mean rate over the observation window, per s.
    pub rate_per_s: f64,
    /// Requests per window, when a rate profile was written.
    pub profile: Option<Vec<u64>>,
    /// The index-of-dispersion test's p-value for a constant rate (None with fewer than 4
    /// windows).
    pub constant_rate_p: Option<f64>,
}

/// Spans that could not be mapped, by reason.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "UnmappedSpans")]
pub struct Unmapped {
    /// What and why.
    pub what: String,
    /// Spans.
    pub spans: u64,
}

/// The discovery report.
#[derive(Debug, Clone, Serialize, Default, schemars::JsonSchema)]
#[schemars(rename = "DiscoveryReport")]
pub struct Report {
    /// Files read.
    pub files: Vec<FileReport>,
    /// Spans read (kept).
    pub spans_read: usize,
    /// Traces.
    pub traces: usize,
    /// Traces with one root and every parent present.
    pub traces_complete: usize,
    /// The others.
    pub traces_incomplete: usize,
    /// Spans moved into their parent's interval (clock skew).
    pub clock_skew_fixes: usize,
    /// Observation window (first start to last end), s.
    pub window_s: f64,
    /// Operations.
    pub operations: Vec<OpReport>,
    /// Calls.
    pub calls: Vec<CallReport>,
    /// Database operations.
    pub databases: Vec<DbReport>,
    /// Entries.
    pub entries: Vec<EntryReport>,
    /// Network one-way latency fit, when client/server span pairs were seen.
    pub network: Option<Fit>,
    /// Instances per module (replicas of the "as observed" variant).
    pub replicas: Vec<(String, usize)>,
    /// Per unit of the "as observed" variant, its figures and where each came from.
    pub units: Vec<UnitReport>,
    /// Deployment manifest entries (`FILE: NAME`) that match no discovered service.
    pub manifest_unmatched: Vec<String>,
    /// Discovered services with no deployment manifest entry (only when manifests were given).
    pub services_without_manifest: Vec<String>,
    /// Manifest documents skipped (kinds that declare no workload) and remarks.
    pub manifest_notes: Vec<String>,
    /// Spans not mapped.
    pub unmapped: Vec<Unmapped>,
    /// Values the traces do not give, and what was assumed.
    pub assumptions: Vec<String>,
    /// Warnings (skipped spans, truncated files, …).
    pub warnings: Vec<String>,
}

/// One unit of the "as observed" variant: each figure with its source, `manifest FILE`,
/// `instances seen` or `default`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "DiscoveredUnit")]
pub struct UnitReport {
    /// The unit (module) name.
    pub unit: String,
    /// Replicas.
    pub replicas: u64,
    /// Where `replicas` came from.
    pub replicas_from: String,
    /// Cores per replica.
    pub cores: f64,
    /// Where `cores` came from.
    pub cores_from: String,
    /// Memory per replica (`base_memory`), bytes; 0 when not given.
    pub memory_bytes: u64,
    /// Where `memory_bytes` came from.
    pub memory_from: String,
}

fn ms(s: f64) -> String {
    crate::spec::units::fmt_secs(s)
}

impl Report {
    /// The report for people.
    pub fn text(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "read {} spans from {} file(s): {} traces, {} complete, {} incomplete; {} clock-skew \
             fix(es); window {}",
            self.spans_read,
            self.files.len(),
            self.traces,
            self.traces_complete,
            self.traces_incomplete,
            self.clock_skew_fixes,
            ms(self.window_s)
        );
        let _ = writeln!(o, "\noperations ({}):", self.operations.len());
        for op in &self.operations {
            let f = &op.own_time;
            let _ = write!(
                o,
                "  {:<32} {:>6} calls  own time mean {} cv {:.2} (KS lognormal {:.3}, gamma \
                 {:.3}, 1% critical {:.3})",
                op.op,
                op.invocations,
                ms(f.mean),
                f.cv,
                f.ks_lognormal,
                f.ks_gamma,
                f.ks_critical_1pct
            );
            if let Some(d) = op.demand_from_utilization_s {
                let _ = write!(o, "  demand law {}", ms(d));
            }
            if op.error_ratio > 0.0 {
                let _ = write!(o, "  errors {:.2}%", op.error_ratio * 100.0);
            }
            o.push('\n');
            if !op.merged_from.is_empty() {
                let _ = writeln!(o, "      merged: {}", op.merged_from.join(", "));
            }
        }
        let _ = writeln!(o, "\ncalls ({}):", self.calls.len());
        for c in &self.calls {
            let _ = writeln!(
                o,
                "  {} -> {}  p {:.4}  count {} (mean {:.3}){}",
                c.from,
                c.to,
                c.p,
                c.count,
                c.mean_count,
                c.parallel_group
                    .map(|g| format!("  parallel group {g}"))
                    .unwrap_or_default()
            );
        }
        for d in &self.databases {
            let _ = writeln!(
                o,
                "  database {} ({} {}): {} calls, time mean {}",
                d.op,
                d.system,
                d.kind,
                d.calls,
                ms(d.time.mean)
            );
        }
        let _ = writeln!(o, "\nentries:");
        for e in &self.entries {
            let _ = writeln!(
                o,
                "  {} ({}): {} requests, {:.3}/s{}",
                e.name,
                e.op,
                e.requests,
                e.rate_per_s,
                if e.profile.is_some() {
                    " — the rate varies: a rate profile was written"
                } else {
                    ""
                }
            );
        }
        if let Some(n) = &self.network {
            let _ = writeln!(
                o,
                "\nnetwork one-way latency: mean {} ({} pairs)",
                ms(n.mean),
                n.n
            );
        }
        if !self.units.is_empty() {
            let _ = writeln!(o, "\nunits of the as-observed variant:");
            for u in &self.units {
                let _ = writeln!(
                    o,
                    "  {:<16} replicas {} ({}), cores {} ({}), memory {} ({})",
                    u.unit,
                    u.replicas,
                    u.replicas_from,
                    u.cores,
                    u.cores_from,
                    if u.memory_bytes > 0 {
                        format!("{}B", u.memory_bytes)
                    } else {
                        "none".into()
                    },
                    u.memory_from
                );
            }
        }
        for (title, list) in [
            (
                "manifest entries matching no service",
                &self.manifest_unmatched,
            ),
            (
                "services with no manifest entry",
                &self.services_without_manifest,
            ),
            ("manifest notes", &self.manifest_notes),
            ("assumptions", &self.assumptions),
            ("warnings", &self.warnings),
        ] {
            if !list.is_empty() {
                let _ = writeln!(o, "\n{title}:");
                for a in list {
                    let _ = writeln!(o, "  {a}");
                }
            }
        }
        if !self.unmapped.is_empty() {
            let _ = writeln!(o, "\nnot mapped:");
            for u in &self.unmapped {
                let _ = writeln!(o, "  {} span(s): {}", u.spans, u.what);
            }
        }
        o
    }
}
