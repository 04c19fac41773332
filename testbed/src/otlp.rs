//! A minimal OpenTelemetry trace recorder writing OTLP JSON: one `{"resourceSpans": [...]}`
//! document per line (the OpenTelemetry Collector file exporter's layout), flushed every 200 ms
//! and when the process stops. Ids are W3C trace-context ids; the context travels in the
//! `traceparent` header. Why not the `opentelemetry` crates: see testbed/README.md.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

/// Span kinds, as OTLP numbers them.
#[derive(Clone, Copy)]
pub enum Kind {
    Internal = 1,
    Server = 2,
    Client = 3,
}

/// The identity of a span, enough to parent another one or to fill `traceparent`.
#[derive(Clone, Copy, Debug)]
pub struct Ctx {
    pub trace_id: u128,
    pub span_id: u64,
}

impl Ctx {
    /// The `traceparent` header value (version 00, sampled).
    pub fn traceparent(&self) -> String {
        format!("00-{:032x}-{:016x}-01", self.trace_id, self.span_id)
    }

    /// Parses a `traceparent` header; `None` when absent or malformed (a new trace starts).
    pub fn parse(header: &str) -> Option<Ctx> {
        let mut parts = header.trim().split('-');
        let (_v, t, s) = (parts.next()?, parts.next()?, parts.next()?);
        if t.len() != 32 || s.len() != 16 {
            return None;
        }
        Some(Ctx {
            trace_id: u128::from_str_radix(t, 16).ok()?,
            span_id: u64::from_str_radix(s, 16).ok()?,
        })
    }
}

/// A span being timed; `Tracer::end` records it.
pub struct Span {
    pub ctx: Ctx,
    parent: Option<u64>,
    name: String,
    kind: Kind,
    start_ns: u128,
    attributes: Vec<(String, String)>,
    error: bool,
}

impl Span {
    pub fn attr(&mut self, key: &str, value: impl Into<String>) {
        self.attributes.push((key.to_string(), value.into()));
    }
    pub fn set_error(&mut self) {
        self.error = true;
    }
}

/// Records spans of one service and writes them to a file.
#[derive(Clone)]
pub struct Tracer {
    inner: Arc<Inner>,
}

struct Inner {
    service: String,
    instance: String,
    pending: Mutex<Vec<Value>>,
    file: Mutex<Option<File>>,
    seq: AtomicU64,
    enabled: bool,
}

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// splitmix64: ids need to be unique, not secret.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Tracer {
    /// A tracer for `service`; with a path, spans are appended to that file.
    pub fn new(service: &str, path: Option<&str>) -> std::io::Result<Tracer> {
        let file = match path {
            Some(p) => Some(OpenOptions::new().create(true).append(true).open(p)?),
            None => None,
        };
        let pid = std::process::id();
        let seed = (now_ns() as u64) ^ ((pid as u64) << 32);
        let tracer = Tracer {
            inner: Arc::new(Inner {
                service: service.to_string(),
                instance: format!("{service}-{pid}"),
                pending: Mutex::new(Vec::new()),
                file: Mutex::new(file),
                seq: AtomicU64::new(mix(seed)),
                enabled: path.is_some(),
            }),
        };
        let flusher = tracer.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(200));
            flusher.flush();
        });
        Ok(tracer)
    }

    fn next_id(&self) -> u64 {
        let v = mix(self.inner.seq.fetch_add(1, Ordering::Relaxed));
        if v == 0 {
            1
        } else {
            v
        }
    }

    /// Starts a span under `parent` (a new trace when `None`).
    pub fn start(&self, name: &str, kind: Kind, parent: Option<Ctx>) -> Span {
        let trace_id = match parent {
            Some(p) => p.trace_id,
            None => ((self.next_id() as u128) << 64) | self.next_id() as u128,
        };
        Span {
            ctx: Ctx {
                trace_id,
                span_id: self.next_id(),
            },
            parent: parent.map(|p| p.span_id),
            name: name.to_string(),
            kind,
            start_ns: now_ns(),
            attributes: Vec::new(),
            error: false,
        }
    }

    /// Ends and records a span.
    pub fn end(&self, span: Span) {
        if !self.inner.enabled {
            return;
        }
        let end_ns = now_ns();
        let attributes: Vec<Value> = span
            .attributes
            .iter()
            .map(|(k, v)| json!({"key": k, "value": {"stringValue": v}}))
            .collect();
        let mut value = json!({
            "traceId": format!("{:032x}", span.ctx.trace_id),
            "spanId": format!("{:016x}", span.ctx.span_id),
            "name": span.name,
            "kind": span.kind as u8,
            "startTimeUnixNano": span.start_ns.to_string(),
            "endTimeUnixNano": end_ns.to_string(),
            "attributes": attributes,
            "status": {"code": if span.error { 2 } else { 0 }},
        });
        if let Some(p) = span.parent {
            value["parentSpanId"] = json!(format!("{p:016x}"));
        }
        if let Ok(mut pending) = self.inner.pending.lock() {
            pending.push(value);
        }
    }

    /// Writes the spans recorded so far as one OTLP JSON line.
    pub fn flush(&self) {
        let spans = match self.inner.pending.lock() {
            Ok(mut p) if !p.is_empty() => std::mem::take(&mut *p),
            _ => return,
        };
        let doc = json!({"resourceSpans": [{
            "resource": {"attributes": [
                {"key": "service.name", "value": {"stringValue": self.inner.service}},
                {"key": "service.instance.id", "value": {"stringValue": self.inner.instance}},
            ]},
            "scopeSpans": [{"scope": {"name": "archsim-testbed"}, "spans": spans}],
        }]});
        if let Ok(mut file) = self.inner.file.lock() {
            if let Some(f) = file.as_mut() {
                let mut line = doc.to_string();
                line.push('\n');
                if let Err(e) = f.write_all(line.as_bytes()) {
                    eprintln!("testbed: cannot write traces: {e}");
                }
            }
        }
    }
}
