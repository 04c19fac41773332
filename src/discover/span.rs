//! The one span model every trace format is read into.

use std::collections::BTreeMap;

/// The kind of a span, as OpenTelemetry names it (Jaeger's `span.kind` tag and Zipkin's `kind`
/// map onto it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Unspecified or internal work inside one service.
    Internal,
    /// Handles a request (an operation of the service).
    Server,
    /// Makes a request (to another service or a database).
    Client,
    /// Publishes a message.
    Producer,
    /// Consumes a message (an operation of the service).
    Consumer,
}

impl Kind {
    /// From an OpenTelemetry / Jaeger / Zipkin name (case-insensitive, `SPAN_KIND_` prefix
    /// allowed); anything else is internal.
    pub fn from_name(s: &str) -> Kind {
        let s = s.to_ascii_lowercase();
        match s.trim_start_matches("span_kind_") {
            "server" => Kind::Server,
            "client" => Kind::Client,
            "producer" => Kind::Producer,
            "consumer" => Kind::Consumer,
            _ => Kind::Internal,
        }
    }

    /// From OTLP's enum number (0 unspecified, 1 internal, 2 server, 3 client, 4 producer,
    /// 5 consumer).
    pub fn from_otlp(n: i64) -> Kind {
        match n {
            2 => Kind::Server,
            3 => Kind::Client,
            4 => Kind::Producer,
            5 => Kind::Consumer,
            _ => Kind::Internal,
        }
    }
}

/// One span, whatever format it came from. Times are nanoseconds since the Unix epoch.
#[derive(Debug, Clone)]
pub struct Span {
    /// Trace id (as written in the file; formats differ in case and padding, so it is
    /// lower-cased and stripped of leading zeros).
    pub trace: String,
    /// Span id (same normalization).
    pub id: String,
    /// Parent span id, `None` for a root.
    pub parent: Option<String>,
    /// `service.name`.
    pub service: String,
    /// The instance of the service that produced it (`service.instance.id`, `k8s.pod.name`,
    /// `host.name`, Jaeger's `hostname`/`ip`, Zipkin's endpoint address), if known.
    pub instance: Option<String>,
    /// Span name (operation name).
    pub name: String,
    /// Kind.
    pub kind: Kind,
    /// Start, ns since the epoch.
    pub start: i64,
    /// End, ns since the epoch (≥ `start`).
    pub end: i64,
    /// The span's status is an error.
    pub error: bool,
    /// String attributes (span and resource), values rendered as text.
    pub attrs: BTreeMap<String, String>,
}

impl Span {
    /// Duration in ns.
    pub fn duration(&self) -> i64 {
        self.end - self.start
    }

    /// An attribute, trying each key in order (semantic-convention names changed over time).
    pub fn attr(&self, keys: &[&str]) -> Option<&str> {
        keys.iter()
            .find_map(|k| self.attrs.get(*k))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Normalizes a trace or span id: lower case, leading zeros stripped (Zipkin may write 64-bit
/// trace ids where OTLP writes 128-bit ones padded with zeros).
pub fn norm_id(s: &str) -> String {
    let t = s.trim().to_ascii_lowercase();
    let t = t.trim_start_matches('0');
    if t.is_empty() {
        "0".into()
    } else {
        t.to_string()
    }
}

/// The instance keys looked up, in order.
pub const INSTANCE_KEYS: &[&str] = &[
    "service.instance.id",
    "k8s.pod.name",
    "host.name",
    "hostname",
    "container.id",
    "ip",
];
