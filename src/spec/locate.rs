//! Turns TOML and serde errors into located [`Diagnostic`](super::Diagnostic)s: the dotted field
//! path is recovered from the error's byte span by walking a spanned tree of the document.

use std::fmt;
use std::ops::Range;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::error::Sink;
use super::units::did_you_mean;

// The `toml` crate hands out spans through the `serde_spanned` protocol: a value asked for as
// this struct is presented as a map of start, end and value. Tables created implicitly by a
// dotted header (`modules` in `[modules.orders]`) have no span and are presented as plain maps,
// so this locator accepts both forms.
const SPANNED: &str = "$__serde_spanned_private_Spanned";
const START: &str = "$__serde_spanned_private_start";
const END: &str = "$__serde_spanned_private_end";
const VALUE: &str = "$__serde_spanned_private_value";
const FIELDS: &[&str] = &[START, END, VALUE];

/// A table key, with its span when the parser gives one.
#[derive(Debug)]
struct Key {
    name: String,
    span: Option<Range<usize>>,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(Key {
                    name: v.to_string(),
                    span: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Key, A::Error> {
                let mut start = 0;
                let mut end = 0;
                let mut name = String::new();
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        START => start = map.next_value()?,
                        END => end = map.next_value()?,
                        _ => name = map.next_value()?,
                    }
                }
                Ok(Key {
                    name,
                    span: Some(start..end),
                })
            }
        }
        d.deserialize_struct(SPANNED, FIELDS, KeyVisitor)
    }
}

/// A TOML value as a tree of keys and values with their spans where known, only for locating
/// errors.
#[derive(Debug)]
struct SNode {
    span: Option<Range<usize>>,
    node: Node,
}

#[derive(Debug)]
enum Node {
    Leaf,
    Table(Vec<(Key, SNode)>),
    Array(Vec<SNode>),
}

struct NodeVisitor {
    /// Whether a map may be the span protocol (only when asked for as a spanned struct).
    spanned: bool,
}

impl NodeVisitor {
    fn leaf<E>(self) -> Result<SNode, E> {
        Ok(SNode {
            span: None,
            node: Node::Leaf,
        })
    }
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = SNode;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any TOML value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<SNode, E> {
        self.leaf()
    }
    fn visit_i64<E>(self, _: i64) -> Result<SNode, E> {
        self.leaf()
    }
    fn visit_u64<E>(self, _: u64) -> Result<SNode, E> {
        self.leaf()
    }
    fn visit_f64<E>(self, _: f64) -> Result<SNode, E> {
        self.leaf()
    }
    fn visit_str<E>(self, _: &str) -> Result<SNode, E> {
        self.leaf()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SNode, A::Error> {
        let mut items = Vec::new();
        while let Some(x) = seq.next_element::<SNode>()? {
            items.push(x);
        }
        Ok(SNode {
            span: None,
            node: Node::Array(items),
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SNode, A::Error> {
        let mut items = Vec::new();
        let mut start = None;
        let mut end = None;
        while let Some(k) = map.next_key::<Key>()? {
            match k.name.as_str() {
                START if self.spanned => start = Some(map.next_value::<usize>()?),
                END if self.spanned => end = Some(map.next_value::<usize>()?),
                VALUE if self.spanned => {
                    let inner = map.next_value_seed(Unspanned)?;
                    return Ok(SNode {
                        span: start.zip(end).map(|(a, b)| a..b),
                        node: inner.node,
                    });
                }
                _ => {
                    let v = map.next_value::<SNode>()?;
                    items.push((k, v));
                }
            }
        }
        Ok(SNode {
            span: None,
            node: Node::Table(items),
        })
    }
}

/// Deserializes a value without asking for its span (the value inside the span protocol).
struct Unspanned;

impl<'de> serde::de::DeserializeSeed<'de> for Unspanned {
    type Value = SNode;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<SNode, D::Error> {
        d.deserialize_any(NodeVisitor { spanned: false })
    }
}

impl<'de> Deserialize<'de> for SNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct(SPANNED, FIELDS, NodeVisitor { spanned: true })
    }
}

/// Formats one key of a dotted path, quoting it when it is not a bare TOML key.
pub(crate) fn key_segment(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key_segment(key)
    } else {
        format!("{path}.{}", key_segment(key))
    }
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    (span.start <= offset && offset < span.end) || (span.start == offset && span.is_empty())
}

/// Candidate `(span length, depth, path)` of the innermost node containing `offset`.
type Best = Option<(usize, usize, String)>;

fn consider(best: &mut Best, span: &Option<Range<usize>>, p: &str, depth: usize, offset: usize) {
    let Some(span) = span else { return };
    if contains(span, offset) {
        let len = span.len();
        let better = match best {
            None => true,
            Some((l, d, _)) => len < *l || (len == *l && depth > *d),
        };
        if better {
            *best = Some((len, depth, p.to_string()));
        }
    }
}

fn walk(node: &SNode, path: &str, depth: usize, offset: usize, best: &mut Best) {
    match &node.node {
        Node::Leaf => {}
        Node::Table(items) => {
            for (k, v) in items {
                let p = join(path, &k.name);
                consider(best, &k.span, &p, depth, offset);
                consider(best, &v.span, &p, depth, offset);
                walk(v, &p, depth + 1, offset, best);
            }
        }
        Node::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                consider(best, &v.span, &p, depth, offset);
                walk(v, &p, depth + 1, offset, best);
            }
        }
    }
}

/// The dotted path of the innermost key or value at `offset`, or "" if none.
fn path_at(text: &str, offset: usize) -> String {
    let Ok(root) = toml::from_str::<SNode>(text) else {
        return String::new();
    };
    let mut best = None;
    walk(&root, "", 0, offset, &mut best);
    best.map(|(_, _, p)| p).unwrap_or_default()
}

/// Every value of the document that has a span, keyed by its dotted path (same format as the
/// diagnostics' `field`). Empty if the text does not parse.
pub(crate) fn value_spans(text: &str) -> std::collections::BTreeMap<String, Range<usize>> {
    fn collect(
        node: &SNode,
        path: &str,
        out: &mut std::collections::BTreeMap<String, Range<usize>>,
    ) {
        match &node.node {
            Node::Leaf => {}
            Node::Table(items) => {
                for (k, v) in items {
                    let p = join(path, &k.name);
                    if let Some(span) = &v.span {
                        out.insert(p.clone(), span.clone());
                    }
                    collect(v, &p, out);
                }
            }
            Node::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    if let Some(span) = &v.span {
                        out.insert(p.clone(), span.clone());
                    }
                    collect(v, &p, out);
                }
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    if let Ok(root) = toml::from_str::<SNode>(text) {
        collect(&root, "", &mut out);
    }
    out
}

/// Words in backquotes in `s`.
fn backquoted(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// Records a TOML syntax error (`syntax = true`, no field path) or a shape error from serde.
pub(crate) fn toml_error(sink: &mut Sink<'_>, text: &str, err: &toml::de::Error, syntax: bool) {
    let span = err.span().unwrap_or(0..0);
    let raw_msg = err.message().trim();
    let message = raw_msg
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if syntax {
        sink.error(
            span,
            "",
            format!("TOML syntax error: {message}"),
            Some(
                "see https://toml.io for the syntax; strings need quotes, e.g. cpu = \"5ms\""
                    .into(),
            ),
        );
        return;
    }
    let mut field = path_at(text, span.start);
    let mut help = None;
    if let Some(rest) = message.strip_prefix("missing field ") {
        if let Some(name) = backquoted(rest).first() {
            field = join(&field, name);
            help = Some(format!(
                "add `{name} = ...`; see docs/format.md for its type and unit"
            ));
        }
    } else if let Some(rest) = message
        .strip_prefix("unknown field ")
        .or_else(|| message.strip_prefix("unknown variant "))
    {
        let words = backquoted(rest);
        if let Some((bad, expected)) = words.split_first() {
            help =
                did_you_mean(bad, expected.iter().copied()).map(|m| format!("did you mean `{m}`?"));
            if help.is_none() {
                help = match (*bad, expected.contains(&"time"), expected.contains(&"cpu")) {
                    ("cpu", true, _) => {
                        Some("data-store operations take `time` (the query time), not `cpu`".into())
                    }
                    ("calls", true, _) => {
                        Some("data-store operations cannot call other operations".into())
                    }
                    ("time", _, true) => {
                        Some("module operations take `cpu` (the CPU demand), not `time`".into())
                    }
                    _ => None,
                };
            }
        }
    }
    let message = match message.strip_prefix("unknown variant ") {
        Some(rest) => format!("unknown value {rest}"),
        None => message,
    };
    sink.error(span, field, message, help);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let text = "name = \"a\"\n[modules.x]\nops.y = { cpu = \"1s\" }\n[modules.orders.ops.checkout]\ncpu = \"1ms\"\ncalls = [ { op = \"x.y\" }, { op = \"z.w\", p = 2 } ]\n[[variants]]\nname = \"v\"\n[[variants.units]]\nname = \"u\"\n";
        let at = |needle: &str| path_at(text, text.find(needle).expect("needle"));
        assert_eq!(at("\"1ms\""), "modules.orders.ops.checkout.cpu");
        assert_eq!(at("\"z.w\""), "modules.orders.ops.checkout.calls[1].op");
        assert_eq!(at("p = 2"), "modules.orders.ops.checkout.calls[1].p");
        assert_eq!(at("\"u\""), "variants[0].units[0].name");
        assert_eq!(at("\"1s\""), "modules.x.ops.y.cpu");
        assert_eq!(key_segment("a.b"), "\"a.b\"");
    }
}
