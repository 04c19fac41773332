//! Parameters of a scenario addressed by a dotted path, set on the TOML text.
//!
//! A path names a value in the scenario document: table keys separated by dots, and inside an
//! array of tables (`[[workload.entries]]`, `[[variants]]`, `[[variants.units]]`, …) either the
//! `name` of an element or its 0-based index:
//!
//! - `workload.entries.browse.arrival.rate` — the rate of the entry named `browse`;
//! - `variants.microservices.units.orders.replicas` — a unit's replica count;
//! - `modules.catalog.ops.browse.cpu` — an operation's CPU demand (a duration, or the `mean`
//!   (else `value`) of a distribution table);
//! - `variants.0.units.1.cores`, `modules.catalog.ops.browse.calls.0.count` — by index.
//!
//! [`set`] edits the TOML text in place (with `toml_edit`, keeping comments and layout), so that
//! re-parsing the edited text reports problems at the same file, line and column as the
//! original. The target must already exist unless the caller asks to create it (only the last
//! key: the table holding it must exist).
//!
//! ```
//! use archsim::scenario::params::{set, ParamValue};
//! let text = "[workload]\nduration = \"10s\"\n[[workload.entries]]\nname = \"browse\"\narrival = { process = \"poisson\", rate = 800 }\n";
//! let edited = set(text, "workload.entries.browse.arrival.rate", &ParamValue::number(1200.0), false).unwrap();
//! assert!(edited.contains("rate = 1200 }"));
//! let err = set(text, "workload.entries.brwse.arrival.rate", &ParamValue::number(1.0), false).unwrap_err();
//! assert!(err.to_string().contains("did you mean `browse`"));
//! ```

use crate::spec::units;
use std::fmt;
use toml_edit::{DocumentMut, Item, Value};

/// A value to set: a plain number, or a quantity with a unit (`"250ms"`, `"512MB"`).
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A plain number (rates, counts, cores, probabilities). Written as a TOML integer when it
    /// is integral and the value it replaces is an integer (or absent), else as a float.
    Number(f64),
    /// A quantity with a unit: a duration (`"4ms"`) or a size (`"512MB"`), with its value in
    /// base units (seconds or bytes).
    Quantity {
        /// The text written into the document.
        text: String,
        /// Its value in seconds (durations) or bytes (sizes).
        base: f64,
        /// Which kind of quantity.
        kind: QuantityKind,
    },
}

/// Kind of a [`ParamValue::Quantity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityKind {
    /// A duration; base unit: seconds.
    Duration,
    /// A size; base unit: bytes.
    Size,
}

impl ParamValue {
    /// A plain number.
    pub fn number(x: f64) -> ParamValue {
        ParamValue::Number(x)
    }

    /// Parses `"800"`, `"0.5"`, `"250ms"`, `"1.5s"`, `"512MB"`.
    ///
    /// # Errors
    /// A message saying what was expected.
    pub fn parse(s: &str) -> Result<ParamValue, String> {
        let t = s.trim();
        if let Ok(x) = t.parse::<f64>() {
            if !x.is_finite() {
                return Err(format!("`{t}` is not a finite number"));
            }
            return Ok(ParamValue::Number(x));
        }
        if let Ok(ns) = units::parse_duration_ns(t) {
            return Ok(ParamValue::Quantity {
                text: t.to_string(),
                base: ns / 1e9,
                kind: QuantityKind::Duration,
            });
        }
        if let Ok(b) = units::parse_size_bytes(t) {
            return Ok(ParamValue::Quantity {
                text: t.to_string(),
                base: b as f64,
                kind: QuantityKind::Size,
            });
        }
        Err(format!(
            "`{t}` is neither a number (`800`, `0.5`), a duration (`250ms`, `1.5s`) nor a size (`512MB`)"
        ))
    }

    /// A quantity of `kind` from its value in base units, written with the base unit
    /// (`"0.004s"`, `"536870912B"`).
    pub fn quantity(kind: QuantityKind, base: f64) -> ParamValue {
        let text = match kind {
            QuantityKind::Duration => format!("{}s", fmt_num(base)),
            QuantityKind::Size => format!("{}B", base.round()),
        };
        ParamValue::Quantity { text, base, kind }
    }

    /// The value in base units (a number as is, seconds, bytes).
    pub fn base(&self) -> f64 {
        match self {
            ParamValue::Number(x) => *x,
            ParamValue::Quantity { base, .. } => *base,
        }
    }
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Number(x) => f.write_str(&fmt_num(*x)),
            ParamValue::Quantity { text, .. } => f.write_str(text),
        }
    }
}

/// A number without float noise: `800`, `0.25`, `1e-7` (shortest representation that
/// round-trips, after rounding away the last-bit error of a sum of steps).
pub fn fmt_num(x: f64) -> String {
    let r = format!("{:.12}", x).parse::<f64>().unwrap_or(x);
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r}")
}

/// Why a parameter could not be set or read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ParamError {
    /// The scenario text is not TOML (the scenario loader reports this with a location).
    #[error("the scenario is not valid TOML: {0}")]
    Toml(String),
    /// The path is empty or has an empty segment.
    #[error("`{path}` is not a parameter path: expected keys separated by dots, e.g. `workload.entries.browse.arrival.rate`")]
    BadPath {
        /// The path as given.
        path: String,
    },
    /// A key or element of the path does not exist. `help` lists what exists there.
    #[error("`{path}`: `{at}` has no {what} `{segment}`; {help}")]
    NotFound {
        /// The path as given.
        path: String,
        /// The part of the path that exists (empty for the document root).
        at: String,
        /// The missing segment.
        segment: String,
        /// "key" or "element named or numbered".
        what: &'static str,
        /// "did you mean …" or the list of what exists.
        help: String,
    },
    /// The path ends on something that is not a number, duration, size or distribution mean.
    #[error(
        "`{path}` is {found}, not a number or a quantity; point the path at a numeric value{hint}"
    )]
    NotNumeric {
        /// The path as given.
        path: String,
        /// What was found there.
        found: String,
        /// A hint (e.g. the keys of the table found).
        hint: String,
    },
    /// The new value's kind does not match the value it replaces.
    #[error("`{path}` holds {found}; {expected}")]
    KindMismatch {
        /// The path as given.
        path: String,
        /// What the document holds there.
        found: String,
        /// What must be given instead.
        expected: String,
    },
}

enum Node<'a> {
    Table(&'a mut toml_edit::Table),
    Tables(&'a mut toml_edit::ArrayOfTables),
    Value(&'a mut Value),
}

impl<'a> Node<'a> {
    fn from_item(i: &'a mut Item) -> Option<Node<'a>> {
        match i {
            Item::Table(t) => Some(Node::Table(t)),
            Item::ArrayOfTables(a) => Some(Node::Tables(a)),
            Item::Value(v) => Some(Node::Value(v)),
            Item::None => None,
        }
    }
}

/// Splits `a.b[2].c` into `["a", "b", "2", "c"]`.
fn segments(path: &str) -> Result<Vec<String>, ParamError> {
    let bad = || ParamError::BadPath {
        path: path.to_string(),
    };
    let mut out = Vec::new();
    for part in path.trim().split('.') {
        let (key, rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() {
            return Err(bad());
        }
        out.push(key.to_string());
        let mut rest = rest;
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(bad)?;
            let idx = &rest[1..close];
            if idx.is_empty() || !idx.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            out.push(idx.to_string());
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(bad());
            }
        }
    }
    Ok(out)
}

fn name_of_table(t: &toml_edit::Table) -> Option<String> {
    t.get("name").and_then(|i| i.as_str()).map(str::to_string)
}

fn name_of_value(v: &Value) -> Option<String> {
    v.as_inline_table()
        .and_then(|t| t.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string)
}

const KEY: &str = "key";
const ELEMENT: &str = "element named or numbered";

fn not_found(
    path: &str,
    at: &[String],
    segment: &str,
    what: &'static str,
    candidates: &[String],
) -> ParamError {
    let help = if candidates.is_empty() {
        "there is nothing there to address".to_string()
    } else {
        units::suggest(
            segment,
            candidates.iter().map(String::as_str),
            if what == KEY {
                "it has the keys"
            } else {
                "its elements are"
            },
        )
    };
    ParamError::NotFound {
        path: path.to_string(),
        at: if at.is_empty() {
            "the document".into()
        } else {
            at.join(".")
        },
        segment: segment.to_string(),
        what,
        help,
    }
}

fn element_index(seg: &str, names: &[Option<String>]) -> Option<usize> {
    if let Some(i) = names.iter().position(|n| n.as_deref() == Some(seg)) {
        return Some(i);
    }
    seg.parse::<usize>().ok().filter(|&i| i < names.len())
}

fn element_candidates(names: &[Option<String>]) -> Vec<String> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| n.clone().unwrap_or_else(|| i.to_string()))
        .collect()
}

type Missing = (&'static str, Vec<String>);

/// Walks one segment down from `node`; `Err((what, candidates))` when it does not exist.
fn step<'a>(node: Node<'a>, seg: &str) -> Result<Node<'a>, Missing> {
    match node {
        Node::Table(t) => {
            let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
            t.get_mut(seg).and_then(Node::from_item).ok_or((KEY, keys))
        }
        Node::Tables(a) => {
            let names: Vec<Option<String>> = a.iter().map(name_of_table).collect();
            let i =
                element_index(seg, &names).ok_or_else(|| (ELEMENT, element_candidates(&names)))?;
            a.get_mut(i)
                .map(Node::Table)
                .ok_or_else(|| (ELEMENT, element_candidates(&names)))
        }
        Node::Value(Value::InlineTable(t)) => {
            let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
            t.get_mut(seg).map(Node::Value).ok_or((KEY, keys))
        }
        Node::Value(Value::Array(a)) => {
            let names: Vec<Option<String>> = a.iter().map(name_of_value).collect();
            let i =
                element_index(seg, &names).ok_or_else(|| (ELEMENT, element_candidates(&names)))?;
            a.get_mut(i)
                .map(Node::Value)
                .ok_or_else(|| (ELEMENT, element_candidates(&names)))
        }
        Node::Value(_) => Err((KEY, Vec::new())),
    }
}

fn describe_node(node: &Node<'_>) -> String {
    match node {
        Node::Table(_) => "a table".into(),
        Node::Tables(_) => "an array of tables".into(),
        Node::Value(v) => describe_value(v),
    }
}

fn describe_value(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string {:?}", s.value()),
        Value::Integer(i) => format!("the number {}", i.value()),
        Value::Float(f) => format!("the number {}", f.value()),
        Value::Boolean(b) => format!("the boolean {}", b.value()),
        Value::Datetime(d) => format!("the date {}", d.value()),
        Value::Array(_) => "an array".into(),
        Value::InlineTable(_) => "a table".into(),
    }
}

/// The keys of a distribution table that a quantity addresses: its mean, else its constant
/// value.
const DIST_KEYS: [&str; 2] = ["mean", "value"];

/// Walks to the numeric value at `path`. When the path ends on a distribution table, walks on
/// to its `mean` (else `value`). With `create`, a missing last key of an existing table is
/// inserted (holding 0, to be overwritten).
fn locate<'a>(
    doc: &'a mut DocumentMut,
    path: &str,
    create: Option<Value>,
) -> Result<&'a mut Value, ParamError> {
    let segs = segments(path)?;
    let mut node = Node::Table(doc.as_table_mut());
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        if let (true, Some(placeholder)) = (last, &create) {
            match node {
                Node::Table(t) if t.get(seg).is_none() => {
                    t.insert(seg, toml_edit::Item::Value(placeholder.clone()));
                    node = Node::Table(t);
                }
                Node::Value(v) if v.as_inline_table().is_some_and(|t| t.get(seg).is_none()) => {
                    if let Some(t) = v.as_inline_table_mut() {
                        t.insert(seg, placeholder.clone());
                    }
                    node = Node::Value(v);
                }
                other => node = other,
            }
        }
        node = match step(node, seg) {
            Ok(n) => n,
            Err((what, candidates)) => {
                return Err(not_found(path, &segs[..i], seg, what, &candidates));
            }
        };
    }
    match node {
        Node::Value(v) if v.is_inline_table() => {
            let t = v.as_inline_table_mut().expect("checked");
            let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
            match DIST_KEYS.iter().find(|k| t.contains_key(k)) {
                Some(k) => Ok(t.get_mut(k).expect("checked")),
                None => Err(ParamError::NotNumeric {
                    path: path.to_string(),
                    found: "a table".into(),
                    hint: format!(
                        " (it has the keys {}; add one of them to the path)",
                        keys.join(", ")
                    ),
                }),
            }
        }
        Node::Value(v) => Ok(v),
        Node::Table(t) => {
            let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
            match DIST_KEYS.iter().find(|k| t.contains_key(k)) {
                Some(k) => match t.get_mut(k).and_then(Item::as_value_mut) {
                    Some(v) => Ok(v),
                    None => Err(ParamError::NotNumeric {
                        path: path.to_string(),
                        found: "a table".into(),
                        hint: String::new(),
                    }),
                },
                None => Err(ParamError::NotNumeric {
                    path: path.to_string(),
                    found: "a table".into(),
                    hint: format!(
                        " (it has the keys {}; add one of them to the path)",
                        keys.join(", ")
                    ),
                }),
            }
        }
        n @ Node::Tables(_) => Err(ParamError::NotNumeric {
            path: path.to_string(),
            found: describe_node(&n),
            hint: " (add an element name or index and a key)".into(),
        }),
    }
}

/// The kind of quantity a string holds, if any.
fn quantity_kind(s: &str) -> Option<QuantityKind> {
    if units::parse_duration_ns(s).is_ok() {
        Some(QuantityKind::Duration)
    } else if units::parse_size_bytes(s).is_ok() {
        Some(QuantityKind::Size)
    } else {
        None
    }
}

/// Sets the value at `path` in the scenario `text` to `value` and returns the edited text.
///
/// A number replaces a number (an integer stays an integer when the new value is integral); a
/// quantity replaces a string of the same kind (a duration replaces a duration, a size a size).
/// A path ending on a distribution table sets its `mean` (else its `value`). With `create`, the
/// last key may be absent (it is added to the table that the rest of the path names).
///
/// # Errors
/// [`ParamError`]: not TOML, a path that does not exist (with "did you mean"), a target that
/// is not numeric, or a value of the wrong kind.
pub fn set(text: &str, path: &str, value: &ParamValue, create: bool) -> Result<String, ParamError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| ParamError::Toml(e.to_string()))?;
    // A missing key is created with a placeholder of the value's kind (a size or duration is a
    // string in the document, a number an integer).
    let placeholder = match value {
        ParamValue::Number(_) => Value::from(0),
        ParamValue::Quantity { text, .. } => Value::from(text.as_str()),
    };
    let target = locate(&mut doc, path, create.then_some(placeholder))?;
    let new = match (&*target, value) {
        (Value::Integer(_), ParamValue::Number(x)) if x.fract() == 0.0 && x.abs() < 9.0e15 => {
            Value::from(*x as i64)
        }
        (Value::Integer(_) | Value::Float(_), ParamValue::Number(x)) => Value::from(*x),
        (Value::String(s), ParamValue::Quantity { text, kind, .. }) => {
            match quantity_kind(s.value()) {
                Some(k) if k == *kind => Value::from(text.as_str()),
                Some(k) => {
                    return Err(ParamError::KindMismatch {
                        path: path.to_string(),
                        found: describe_value(target),
                        expected: format!(
                            "give a {} (`{text}` is a {})",
                            kind_name(k),
                            kind_name(*kind)
                        ),
                    })
                }
                None => {
                    return Err(ParamError::NotNumeric {
                        path: path.to_string(),
                        found: describe_value(target),
                        hint: String::new(),
                    })
                }
            }
        }
        (Value::String(s), ParamValue::Number(x)) => match quantity_kind(s.value()) {
            Some(k) => {
                return Err(ParamError::KindMismatch {
                    path: path.to_string(),
                    found: describe_value(target),
                    expected: format!(
                        "give a {} with its unit (e.g. `{}`), not the bare number {}",
                        kind_name(k),
                        match k {
                            QuantityKind::Duration => format!("{}ms", fmt_num(*x)),
                            QuantityKind::Size => format!("{}MB", fmt_num(*x)),
                        },
                        fmt_num(*x)
                    ),
                })
            }
            None => {
                return Err(ParamError::NotNumeric {
                    path: path.to_string(),
                    found: describe_value(target),
                    hint: String::new(),
                })
            }
        },
        (Value::Integer(_) | Value::Float(_), ParamValue::Quantity { text, .. }) => {
            return Err(ParamError::KindMismatch {
                path: path.to_string(),
                found: describe_value(target),
                expected: format!("give a plain number, not `{text}`"),
            })
        }
        (other, _) => {
            return Err(ParamError::NotNumeric {
                path: path.to_string(),
                found: describe_value(other),
                hint: String::new(),
            })
        }
    };
    let decor = target.decor().clone();
    *target = new;
    *target.decor_mut() = decor;
    Ok(doc.to_string())
}

fn kind_name(k: QuantityKind) -> &'static str {
    match k {
        QuantityKind::Duration => "duration",
        QuantityKind::Size => "size",
    }
}

/// Reads the value at `path` (same addressing as [`set`]): a number, or a duration/size string
/// as its base-unit value.
///
/// # Errors
/// As [`set`].
pub fn get(text: &str, path: &str) -> Result<ParamValue, ParamError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| ParamError::Toml(e.to_string()))?;
    let v = locate(&mut doc, path, None)?;
    match &*v {
        Value::Integer(i) => Ok(ParamValue::Number(*i.value() as f64)),
        Value::Float(f) => Ok(ParamValue::Number(*f.value())),
        Value::String(s) => ParamValue::parse(s.value())
            .ok()
            .filter(|p| matches!(p, ParamValue::Quantity { .. }))
            .ok_or_else(|| ParamError::NotNumeric {
                path: path.to_string(),
                found: describe_value(v),
                hint: String::new(),
            }),
        other => Err(ParamError::NotNumeric {
            path: path.to_string(),
            found: describe_value(other),
            hint: String::new(),
        }),
    }
}

/// Whether a value exists at `path` (used to fall back to defaults when a key is optional).
pub fn exists(text: &str, path: &str) -> bool {
    get(text, path).is_ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SHOP: &str = include_str!("../../scenarios/online-shop.toml");

    #[test]
    fn sets_rate_replicas_and_cpu_keeping_lines() {
        let t = set(
            SHOP,
            "workload.entries.browse.arrival.rate",
            &ParamValue::number(1234.0),
            false,
        )
        .unwrap();
        let t = set(
            &t,
            "variants.microservices.units.orders.replicas",
            &ParamValue::number(7.0),
            false,
        )
        .unwrap();
        let t = set(
            &t,
            "modules.catalog.ops.browse.cpu",
            &ParamValue::parse("5ms").unwrap(),
            false,
        )
        .unwrap();
        assert_eq!(t.lines().count(), SHOP.lines().count());
        let s = crate::scenario::parse(&t, "x.toml").unwrap();
        let e = s
            .workload
            .entries
            .iter()
            .find(|e| e.name == "browse")
            .unwrap();
        assert_eq!(e.arrival.rate(), 1234.0);
        let v = s
            .variants
            .iter()
            .find(|v| v.name == "microservices")
            .unwrap();
        assert_eq!(
            v.units
                .iter()
                .find(|u| u.name == "orders")
                .unwrap()
                .replicas,
            7
        );
        assert!(t.contains("mean = \"5ms\""));
        assert_eq!(
            get(&t, "variants.1.units.1.replicas").unwrap(),
            ParamValue::Number(7.0)
        );
        assert_eq!(
            get(&t, "variants[1].units[1].replicas").unwrap(),
            ParamValue::Number(7.0)
        );
    }

    #[test]
    fn clear_errors() {
        let e = set(
            SHOP,
            "workload.entries.browze.arrival.rate",
            &ParamValue::number(1.0),
            false,
        )
        .unwrap_err();
        assert!(e.to_string().contains("did you mean `browse`"), "{e}");
        let e = set(
            SHOP,
            "variants.monolith.units.shop.replicaz",
            &ParamValue::number(1.0),
            false,
        )
        .unwrap_err();
        assert!(e.to_string().contains("did you mean `replicas`"), "{e}");
        let e = set(
            SHOP,
            "variants.monolith.units.shop.name",
            &ParamValue::number(1.0),
            false,
        )
        .unwrap_err();
        assert!(matches!(e, ParamError::NotNumeric { .. }), "{e}");
        let e = set(SHOP, "workload.duration", &ParamValue::number(5.0), false).unwrap_err();
        assert!(e.to_string().contains("with its unit"), "{e}");
        let e = set(
            SHOP,
            "variants.monolith.units",
            &ParamValue::number(5.0),
            false,
        )
        .unwrap_err();
        assert!(matches!(e, ParamError::NotNumeric { .. }), "{e}");
        let e = set(SHOP, "a..b", &ParamValue::number(5.0), false).unwrap_err();
        assert!(matches!(e, ParamError::BadPath { .. }), "{e}");
    }

    #[test]
    fn create_adds_a_missing_last_key_only() {
        let e = set(
            SHOP,
            "variants.monolith.units.shop.cpu_limit",
            &ParamValue::number(2.0),
            false,
        );
        assert!(e.is_err());
        let t = set(
            SHOP,
            "variants.microservices.units.payments.reserved",
            &ParamValue::number(2.0),
            true,
        )
        .unwrap();
        assert!(t.contains("reserved = 2"));
        assert!(set(
            SHOP,
            "variants.nope.units.x.replicas",
            &ParamValue::number(2.0),
            true
        )
        .is_err());
    }
}
