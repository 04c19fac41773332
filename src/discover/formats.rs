//! Readers of the three trace formats into [`Span`]s.
//!
//! The serde models are written here rather than taken from a crate: `opentelemetry-proto`
//! (with `with-serde`) pulls in `prost`/`tonic` code generation for a handful of fields, and
//! its JSON mapping must still be taught OTLP JSON's quirks (64-bit integers written as
//! strings, kinds as numbers or names); Jaeger's UI/API JSON and Zipkin's v2 JSON have no
//! maintained serde-only crate. Only the fields discovery reads are declared; unknown fields
//! are ignored, so newer exports still load.

use super::error::DiscoverError;
use super::span::{norm_id, Kind, Span, INSTANCE_KEYS};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A trace file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "TraceFormat")]
pub enum Format {
    /// OTLP JSON (`resourceSpans`), one document or one per line (the Collector's file exporter).
    Otlp,
    /// Jaeger's UI/API JSON (`{"data": [traces]}`).
    Jaeger,
    /// Zipkin v2 JSON (an array of spans, or an array of traces).
    Zipkin,
}

/// The spans of one file, with the warnings reading it gave.
#[derive(Debug)]
pub struct FileSpans {
    /// The format detected.
    pub format: Format,
    /// The spans read.
    pub spans: Vec<Span>,
    /// What was skipped and why.
    pub warnings: Vec<String>,
}

/// Detects the format of `text` and reads its spans. `file` names the file in errors.
///
/// # Errors
/// [`DiscoverError::At`] with the line and column of a syntax or type error (a truncated last
/// line of an OTLP JSON-lines file is a warning instead, the lines before it are kept);
/// [`DiscoverError::Format`] when the format is not recognized.
pub fn read(text: &str, file: &str) -> Result<FileSpans, DiscoverError> {
    let t = text.trim_start();
    if t.starts_with('[') {
        return read_zipkin(text, file);
    }
    if !t.starts_with('{') {
        return Err(DiscoverError::Format {
            file: file.into(),
            msg: "not a trace file: expected OTLP JSON (`{\"resourceSpans\": …}`), Jaeger JSON \
                  (`{\"data\": […]}`) or Zipkin v2 JSON (`[ {\"traceId\": …} ]`)"
                .into(),
        });
    }
    // The first key decides between OTLP and Jaeger.
    let head: String = t.chars().take(4096).collect();
    let otlp = head.find("\"resourceSpans\"");
    let jaeger = head.find("\"data\"");
    match (otlp, jaeger) {
        (Some(a), Some(b)) if b < a => read_jaeger(text, file),
        (Some(_), _) => read_otlp(text, file),
        (None, Some(_)) => read_jaeger(text, file),
        (None, None) => Err(DiscoverError::Format {
            file: file.into(),
            msg: "a JSON object with neither `resourceSpans` (OTLP JSON) nor `data` (Jaeger \
                  JSON) among its first keys"
                .into(),
        }),
    }
}

// ---------------------------------------------------------------- OTLP JSON

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OtlpDoc {
    #[serde(default)]
    resource_spans: Vec<ResourceSpans>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceSpans {
    #[serde(default)]
    resource: Resource,
    #[serde(default, alias = "instrumentationLibrarySpans")]
    scope_spans: Vec<ScopeSpans>,
}

#[derive(Deserialize, Default)]
struct Resource {
    #[serde(default)]
    attributes: Vec<KeyValue>,
}

#[derive(Deserialize)]
struct ScopeSpans {
    #[serde(default)]
    spans: Vec<OtlpSpan>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OtlpSpan {
    trace_id: String,
    span_id: String,
    #[serde(default)]
    parent_span_id: String,
    name: String,
    #[serde(default, deserialize_with = "int_or_name")]
    kind: IntOrName,
    #[serde(deserialize_with = "int64")]
    start_time_unix_nano: i64,
    #[serde(deserialize_with = "int64")]
    end_time_unix_nano: i64,
    #[serde(default)]
    attributes: Vec<KeyValue>,
    #[serde(default)]
    status: Status,
}

#[derive(Deserialize, Default)]
struct Status {
    #[serde(default, deserialize_with = "int_or_name")]
    code: IntOrName,
}

#[derive(Deserialize)]
struct KeyValue {
    key: String,
    #[serde(default)]
    value: AnyValue,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AnyValue {
    string_value: Option<String>,
    #[serde(default, deserialize_with = "opt_int64")]
    int_value: Option<i64>,
    double_value: Option<f64>,
    bool_value: Option<bool>,
}

impl AnyValue {
    fn text(&self) -> Option<String> {
        if let Some(s) = &self.string_value {
            Some(s.clone())
        } else if let Some(i) = self.int_value {
            Some(i.to_string())
        } else if let Some(d) = self.double_value {
            Some(d.to_string())
        } else {
            self.bool_value.map(|b| b.to_string())
        }
    }
}

/// OTLP JSON writes enums as numbers or names.
#[derive(Default)]
enum IntOrName {
    #[default]
    None,
    Int(i64),
    Name(String),
}

struct IntOrNameVisitor;
impl Visitor<'_> for IntOrNameVisitor {
    type Value = IntOrName;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an enum number or name")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<IntOrName, E> {
        Ok(IntOrName::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<IntOrName, E> {
        i64::try_from(v)
            .map(IntOrName::Int)
            .map_err(|_| E::custom("enum number out of range"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<IntOrName, E> {
        Ok(IntOrName::Name(v.to_string()))
    }
}

fn int_or_name<'de, D: Deserializer<'de>>(d: D) -> Result<IntOrName, D::Error> {
    d.deserialize_any(IntOrNameVisitor)
}

/// OTLP JSON writes 64-bit integers as decimal strings (the protobuf JSON mapping); numbers
/// are accepted too.
struct Int64Visitor;
impl Visitor<'_> for Int64Visitor {
    type Value = i64;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a 64-bit integer (a number or a decimal string)")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("integer {v} out of range")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() == 0.0 && v.abs() < 9.2e18 {
            Ok(v as i64)
        } else {
            Err(E::custom(format!("expected an integer, found {v}")))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim().parse::<i64>().map_err(|_| {
            E::custom(format!(
                "expected a 64-bit integer as a decimal string, found \"{v}\""
            ))
        })
    }
}

fn int64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(Int64Visitor)
}

fn opt_int64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(Int64Visitor).map(Some)
}

fn read_otlp(text: &str, file: &str) -> Result<FileSpans, DiscoverError> {
    let mut out = FileSpans {
        format: Format::Otlp,
        spans: Vec::new(),
        warnings: Vec::new(),
    };
    let mut docs = 0usize;
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<OtlpDoc>();
    loop {
        match stream.next() {
            None => break,
            Some(Ok(doc)) => {
                docs += 1;
                for rs in doc.resource_spans {
                    otlp_resource(rs, &mut out);
                }
            }
            Some(Err(e)) if e.is_eof() && docs > 0 => {
                out.warnings.push(format!(
                    "line {} column {}: the file ends inside a document (truncated); the \
                     {docs} complete document(s) before it are kept",
                    e.line(),
                    e.column()
                ));
                break;
            }
            Some(Err(e)) => return Err(DiscoverError::json(file, &e)),
        }
    }
    Ok(out)
}

fn otlp_resource(rs: ResourceSpans, out: &mut FileSpans) {
    let mut res = BTreeMap::new();
    for kv in &rs.resource.attributes {
        if let Some(v) = kv.value.text() {
            res.insert(kv.key.clone(), v);
        }
    }
    let service = res.get("service.name").cloned();
    for ss in rs.scope_spans {
        for s in ss.spans {
            let Some(service) = service.clone() else {
                out.warnings.push(format!(
                    "span `{}` ({}) skipped: its resource has no `service.name`",
                    s.name, s.span_id
                ));
                continue;
            };
            let mut attrs = res.clone();
            for kv in &s.attributes {
                if let Some(v) = kv.value.text() {
                    attrs.insert(kv.key.clone(), v);
                }
            }
            let kind = match &s.kind {
                IntOrName::Int(n) => Kind::from_otlp(*n),
                IntOrName::Name(n) => Kind::from_name(n),
                IntOrName::None => Kind::Internal,
            };
            let error = match &s.status.code {
                IntOrName::Int(n) => *n == 2,
                IntOrName::Name(n) => n.to_ascii_uppercase().ends_with("ERROR"),
                IntOrName::None => false,
            };
            push_span(
                out,
                Span {
                    trace: norm_id(&s.trace_id),
                    id: norm_id(&s.span_id),
                    parent: (!s.parent_span_id.trim().is_empty())
                        .then(|| norm_id(&s.parent_span_id)),
                    instance: instance(&attrs),
                    service,
                    name: s.name,
                    kind,
                    start: s.start_time_unix_nano,
                    end: s.end_time_unix_nano,
                    error,
                    attrs,
                },
            );
        }
    }
}

fn instance(attrs: &BTreeMap<String, String>) -> Option<String> {
    INSTANCE_KEYS
        .iter()
        .find_map(|k| attrs.get(*k))
        .filter(|v| !v.is_empty())
        .cloned()
}

fn push_span(out: &mut FileSpans, s: Span) {
    let missing = if s.trace.is_empty() || s.trace == "0" {
        Some("no trace id")
    } else if s.id.is_empty() || s.id == "0" {
        Some("no span id")
    } else if s.start <= 0 {
        Some("no start time")
    } else {
        None
    };
    if let Some(why) = missing {
        out.warnings.push(format!(
            "span `{}` ({}) of `{}` skipped: {why}",
            s.name, s.id, s.service
        ));
    } else if s.end < s.start {
        out.warnings.push(format!(
            "span `{}` ({}) of `{}` skipped: it ends before it starts",
            s.name, s.id, s.service
        ));
    } else {
        out.spans.push(s);
    }
}

// ---------------------------------------------------------------- Jaeger JSON

#[derive(Deserialize)]
struct JaegerDoc {
    data: Vec<JaegerTrace>,
}

#[derive(Deserialize)]
struct JaegerTrace {
    spans: Vec<JSpan>,
    #[serde(default)]
    processes: BTreeMap<String, JProcess>,
}

#[derive(Deserialize)]
struct JSpan {
    #[serde(rename = "traceID")]
    trace_id: String,
    #[serde(rename = "spanID")]
    span_id: String,
    #[serde(rename = "operationName")]
    operation_name: String,
    #[serde(default)]
    references: Vec<JRef>,
    #[serde(rename = "startTime", deserialize_with = "int64")]
    start_time: i64,
    #[serde(deserialize_with = "int64")]
    duration: i64,
    #[serde(default)]
    tags: Vec<JTag>,
    #[serde(rename = "processID", default)]
    process_id: String,
    #[serde(default)]
    process: Option<JProcess>,
}

#[derive(Deserialize)]
struct JRef {
    #[serde(rename = "refType")]
    ref_type: String,
    #[serde(rename = "spanID")]
    span_id: String,
}

#[derive(Deserialize, Clone)]
struct JTag {
    key: String,
    #[serde(default)]
    value: serde_json::Value,
}

#[derive(Deserialize, Clone)]
struct JProcess {
    #[serde(rename = "serviceName")]
    service_name: String,
    #[serde(default)]
    tags: Vec<JTag>,
}

fn tag_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn read_jaeger(text: &str, file: &str) -> Result<FileSpans, DiscoverError> {
    let doc: JaegerDoc = serde_json::from_str(text).map_err(|e| DiscoverError::json(file, &e))?;
    let mut out = FileSpans {
        format: Format::Jaeger,
        spans: Vec::new(),
        warnings: Vec::new(),
    };
    for t in doc.data {
        for s in t.spans {
            let Some(p) = s
                .process
                .clone()
                .or_else(|| t.processes.get(&s.process_id).cloned())
            else {
                out.warnings.push(format!(
                    "span `{}` ({}) skipped: process `{}` is not in the trace's `processes`",
                    s.operation_name, s.span_id, s.process_id
                ));
                continue;
            };
            let mut attrs = BTreeMap::new();
            for tag in p.tags.iter().chain(&s.tags) {
                if let Some(v) = tag_text(&tag.value) {
                    attrs.insert(tag.key.clone(), v);
                }
            }
            let kind = attrs
                .get("span.kind")
                .map(|k| Kind::from_name(k))
                .unwrap_or(Kind::Internal);
            let error = attrs.get("error").is_some_and(|v| v == "true")
                || attrs
                    .get("otel.status_code")
                    .is_some_and(|v| v.eq_ignore_ascii_case("error"));
            let parent = s
                .references
                .iter()
                .find(|r| r.ref_type == "CHILD_OF")
                .or_else(|| s.references.first())
                .map(|r| norm_id(&r.span_id));
            let start = s.start_time.saturating_mul(1000);
            push_span(
                &mut out,
                Span {
                    trace: norm_id(&s.trace_id),
                    id: norm_id(&s.span_id),
                    parent,
                    instance: instance(&attrs),
                    service: p.service_name,
                    name: s.operation_name,
                    kind,
                    start,
                    end: start.saturating_add(s.duration.saturating_mul(1000)),
                    error,
                    attrs,
                },
            );
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- Zipkin v2 JSON

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ZSpan {
    trace_id: String,
    id: String,
    #[serde(default)]
    parent_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    timestamp: Option<i64>,
    #[serde(default)]
    duration: Option<i64>,
    #[serde(default)]
    local_endpoint: Option<ZEndpoint>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    #[serde(default)]
    shared: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ZEndpoint {
    #[serde(default)]
    service_name: Option<String>,
    #[serde(default)]
    ipv4: Option<String>,
    #[serde(default)]
    ipv6: Option<String>,
    #[serde(default)]
    port: Option<u16>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ZipkinDoc {
    Spans(Vec<ZSpan>),
    Traces(Vec<Vec<ZSpan>>),
}

fn read_zipkin(text: &str, file: &str) -> Result<FileSpans, DiscoverError> {
    // An array of arrays is a list of traces (the API's /api/v2/traces answer).
    let nested = text.trim_start()[1..].trim_start().starts_with('[');
    let doc = if nested {
        serde_json::from_str::<Vec<Vec<ZSpan>>>(text).map(ZipkinDoc::Traces)
    } else {
        serde_json::from_str::<Vec<ZSpan>>(text).map(ZipkinDoc::Spans)
    }
    .map_err(|e| DiscoverError::json(file, &e))?;
    let spans: Vec<ZSpan> = match doc {
        ZipkinDoc::Spans(s) => s,
        ZipkinDoc::Traces(t) => t.into_iter().flatten().collect(),
    };
    let mut out = FileSpans {
        format: Format::Zipkin,
        spans: Vec::new(),
        warnings: Vec::new(),
    };
    for s in spans {
        let name = s.name.clone().unwrap_or_default();
        let (Some(ts), Some(dur)) = (s.timestamp, s.duration) else {
            out.warnings.push(format!(
                "span `{name}` ({}) skipped: no `timestamp` or `duration`",
                s.id
            ));
            continue;
        };
        let Some(ep) = &s.local_endpoint else {
            out.warnings.push(format!(
                "span `{name}` ({}) skipped: no `localEndpoint`",
                s.id
            ));
            continue;
        };
        let Some(service) = ep.service_name.clone().filter(|n| !n.is_empty()) else {
            out.warnings.push(format!(
                "span `{name}` ({}) skipped: no `localEndpoint.serviceName`",
                s.id
            ));
            continue;
        };
        let addr = ep.ipv4.clone().or_else(|| ep.ipv6.clone());
        let inst = addr.map(|a| match ep.port {
            Some(p) => format!("{a}:{p}"),
            None => a,
        });
        let kind = s
            .kind
            .as_deref()
            .map(Kind::from_name)
            .unwrap_or(Kind::Internal);
        let mut id = norm_id(&s.id);
        let mut parent = s.parent_id.as_deref().map(norm_id);
        // A shared server span carries its client's id (B3 single-span-id RPCs): its parent is
        // that client span.
        if s.shared && kind == Kind::Server {
            parent = Some(id.clone());
            id = format!("{id}:server");
        }
        let start = ts.saturating_mul(1000);
        let mut attrs = s.tags.clone();
        if let Some(i) = &inst {
            attrs.insert("ip".into(), i.clone());
        }
        push_span(
            &mut out,
            Span {
                trace: norm_id(&s.trace_id),
                id,
                parent,
                service: service.clone(),
                instance: inst,
                name,
                kind,
                start,
                end: start.saturating_add(dur.saturating_mul(1000)),
                error: s.tags.contains_key("error"),
                attrs,
            },
        );
    }
    relink_shared(&mut out.spans);
    Ok(out)
}

/// The children of a shared server span name the id it shares with its client: those of the
/// server's service (the calls the server makes) hang under the server half.
fn relink_shared(spans: &mut [Span]) {
    let shared: BTreeMap<(String, String), String> = spans
        .iter()
        .filter_map(|s| {
            let base = s.id.strip_suffix(":server")?;
            Some(((s.trace.clone(), base.to_string()), s.service.clone()))
        })
        .collect();
    for s in spans.iter_mut() {
        if s.id.ends_with(":server") {
            continue;
        }
        let Some(p) = s.parent.clone() else { continue };
        if shared.get(&(s.trace.clone(), p.clone())) == Some(&s.service) {
            s.parent = Some(format!("{p}:server"));
        }
    }
}
