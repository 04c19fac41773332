//! CPU use per service from an OpenTelemetry metrics JSON file (the Collector's file exporter,
//! `resourceMetrics` → `scopeMetrics` → `metrics` → `gauge` / `sum` → `dataPoints`, values in
//! `asDouble` or `asInt`, times in `timeUnixNano`), grouped by the resource's `service.name`:
//!
//! - `process.cpu.time` / `container.cpu.time` (cumulative sums, seconds): per series (resource
//!   and data-point attributes, e.g. `state`), (last − first value) / (last − first time);
//!   summed over the series of a service;
//! - `container.cpu.usage` / `k8s.pod.cpu.usage` (gauges, cores): the mean of the points of a
//!   series, summed over the series of a service;
//! - `process.cpu.utilization` / `container.cpu.utilization` (gauges, fraction of the logical
//!   CPUs): the mean times `system.cpu.logical.count` of the same resource (else of the file).
//!
//! A service with several of these is read from the first in that order.

use super::error::DiscoverError;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Doc {
    resource_metrics: Vec<ResourceMetrics>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceMetrics {
    #[serde(default)]
    resource: Resource,
    #[serde(default, alias = "instrumentationLibraryMetrics")]
    scope_metrics: Vec<ScopeMetrics>,
}

#[derive(Deserialize, Default)]
struct Resource {
    #[serde(default)]
    attributes: Vec<KeyValue>,
}

#[derive(Deserialize)]
struct KeyValue {
    key: String,
    #[serde(default)]
    value: serde_json::Value,
}

#[derive(Deserialize)]
struct ScopeMetrics {
    #[serde(default)]
    metrics: Vec<Metric>,
}

#[derive(Deserialize)]
struct Metric {
    name: String,
    #[serde(default)]
    gauge: Option<Points>,
    #[serde(default)]
    sum: Option<Points>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Points {
    #[serde(default)]
    data_points: Vec<Point>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Point {
    #[serde(default)]
    attributes: Vec<KeyValue>,
    #[serde(default)]
    time_unix_nano: serde_json::Value,
    #[serde(default)]
    as_double: Option<f64>,
    #[serde(default)]
    as_int: serde_json::Value,
}

fn attr_text(v: &serde_json::Value) -> String {
    let inner = v.as_object().and_then(|o| o.values().next()).unwrap_or(v);
    match inner {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn int(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        serde_json::Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// Whether `text` looks like an OpenTelemetry metrics JSON document (rather than a CSV).
pub fn is_otel_json(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('{')
        && t.chars()
            .take(4096)
            .collect::<String>()
            .contains("\"resourceMetrics\"")
}

/// The series of one metric: key (resource + point attributes) → (time s, value) points.
type Series = BTreeMap<String, Vec<(f64, f64)>>;

const TIME: &[&str] = &["process.cpu.time", "container.cpu.time"];
const CORES: &[&str] = &["container.cpu.usage", "k8s.pod.cpu.usage"];
const FRACTION: &[&str] = &["process.cpu.utilization", "container.cpu.utilization"];
const LOGICAL: &str = "system.cpu.logical.count";

/// Reads CPU use per service, core-seconds per second, from OTel metrics JSON.
///
/// # Errors
/// [`DiscoverError::At`] for JSON that does not parse (with its position);
/// [`DiscoverError::Format`] for a resource without `service.name` holding a CPU metric, a
/// point without a value or time, a utilization without `system.cpu.logical.count`, or a
/// file with no CPU metric at all (naming the metrics looked for).
pub fn parse_otel_json(text: &str, file: &str) -> Result<BTreeMap<String, f64>, DiscoverError> {
    let fmt = |msg: String| DiscoverError::Format {
        file: file.into(),
        msg,
    };
    let mut docs = Vec::new();
    for d in serde_json::Deserializer::from_str(text).into_iter::<Doc>() {
        docs.push(d.map_err(|e| DiscoverError::json(file, &e))?);
    }
    // service → metric → series; logical CPUs per resource key and for the file.
    let mut by: BTreeMap<String, BTreeMap<&'static str, Series>> = BTreeMap::new();
    let mut logical: BTreeMap<String, f64> = BTreeMap::new();
    let mut logical_any = None;
    let mut ri = 0usize;
    for doc in &docs {
        for rm in &doc.resource_metrics {
            ri += 1;
            let attrs: BTreeMap<String, String> = rm
                .resource
                .attributes
                .iter()
                .map(|kv| (kv.key.clone(), attr_text(&kv.value)))
                .collect();
            let rkey = attrs
                .iter()
                .filter(|(k, _)| k.as_str() != "service.name")
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",");
            for sm in &rm.scope_metrics {
                for m in &sm.metrics {
                    let name = m.name.as_str();
                    if name == LOGICAL {
                        if let Some(p) = m
                            .gauge
                            .as_ref()
                            .or(m.sum.as_ref())
                            .and_then(|p| p.data_points.last())
                        {
                            let v = value(p).ok_or_else(|| fmt(format!("metric `{LOGICAL}`: a data point has neither `asDouble` nor `asInt`")))?;
                            logical.insert(rkey.clone(), v);
                            logical_any = Some(v);
                        }
                        continue;
                    }
                    let Some(&known) = TIME
                        .iter()
                        .chain(CORES)
                        .chain(FRACTION)
                        .find(|k| **k == name)
                    else {
                        continue;
                    };
                    let Some(svc) = attrs.get("service.name") else {
                        return Err(fmt(format!(
                            "resource {ri} holds `{name}` but has no `service.name` attribute: \
                             the CPU cannot be given to a service"
                        )));
                    };
                    let pts = m
                        .sum
                        .as_ref()
                        .or(m.gauge.as_ref())
                        .map_or(&[][..], |p| &p.data_points[..]);
                    let series = by.entry(svc.clone()).or_default().entry(known).or_default();
                    for p in pts {
                        let v = value(p).ok_or_else(|| fmt(format!("metric `{name}` of `{svc}`: a data point has neither `asDouble` nor `asInt`")))?;
                        let t = int(&p.time_unix_nano).ok_or_else(|| {
                            fmt(format!(
                                "metric `{name}` of `{svc}`: a data point has no `timeUnixNano`"
                            ))
                        })? * 1e-9;
                        let pkey = p
                            .attributes
                            .iter()
                            .map(|kv| format!("{}={}", kv.key, attr_text(&kv.value)))
                            .collect::<Vec<_>>()
                            .join(",");
                        series
                            .entry(format!("{rkey}|{pkey}"))
                            .or_default()
                            .push((t, v));
                    }
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    for (svc, metrics) in &by {
        let busy = if let Some(s) = TIME.iter().find_map(|k| metrics.get(k)) {
            let mut total = 0.0;
            for (key, pts) in s {
                let mut pts = pts.clone();
                pts.sort_by(|a, b| a.0.total_cmp(&b.0));
                let (first, last) = (pts[0], pts[pts.len() - 1]);
                if last.0 <= first.0 {
                    return Err(fmt(format!(
                        "CPU time of `{svc}` (series {key}): one instant only; a rate needs two \
                         points at different times"
                    )));
                }
                total += (last.1 - first.1) / (last.0 - first.0);
            }
            total
        } else if let Some(s) = CORES.iter().find_map(|k| metrics.get(k)) {
            s.values().map(|p| mean(p)).sum()
        } else if let Some(s) = FRACTION.iter().find_map(|k| metrics.get(k)) {
            let mut total = 0.0;
            for (key, pts) in s {
                let rkey = key.split('|').next().unwrap_or("");
                let n = logical.get(rkey).copied().or(logical_any).ok_or_else(|| {
                    fmt(format!(
                        "CPU utilization of `{svc}` is a fraction of the logical CPUs, and the \
                         file has no `{LOGICAL}` to say how many: add it (hostmetrics \
                         receiver) or export `process.cpu.time`"
                    ))
                })?;
                total += mean(pts) * n;
            }
            total
        } else {
            continue;
        };
        if !busy.is_finite() || busy < 0.0 {
            return Err(fmt(format!(
                "CPU use of `{svc}` is {busy}: expected a number ≥ 0"
            )));
        }
        out.insert(svc.clone(), busy);
    }
    if out.is_empty() {
        return Err(fmt(format!(
            "no CPU metric: expected one of {} (per `service.name`)",
            TIME.iter()
                .chain(CORES)
                .chain(FRACTION)
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(out)
}

fn value(p: &Point) -> Option<f64> {
    p.as_double.or_else(|| int(&p.as_int))
}

fn mean(pts: &[(f64, f64)]) -> f64 {
    pts.iter().map(|p| p.1).sum::<f64>() / pts.len().max(1) as f64
}
