//! Checks of raw field values against their units and limits, each failure recorded as a
//! located diagnostic in the `Sink` (file, line, field, what is expected). The building blocks
//! of every resolver, the scenario's and the components'.

use std::collections::BTreeMap;
use std::ops::Range;

use super::error::Sink;
use super::locate::key_segment;
use super::raw::{DistSpec, Duration, Int, Num, Size, Sp};
use super::units::{self, describe, number_from_value};
use crate::kernel::dist::Dist;

/// `path.key`, the key quoted when it needs it.
pub(crate) fn join(path: &str, key: &str) -> String {
    format!("{path}.{}", key_segment(key))
}

/// `a, b, c`.
pub(crate) fn list(items: &[&str]) -> String {
    items.join(", ")
}

/// An integer in `[min, max]`.
pub(crate) fn int(
    s: &mut Sink<'_>,
    v: &Int,
    field: &str,
    min: i64,
    max: i64,
    what: &str,
) -> Option<i64> {
    match v.value() {
        toml::Value::Integer(x) if *x < min => {
            s.error(
                v.span(),
                field,
                format!("must be ≥ {min} ({what}), found {x}"),
                None,
            );
            None
        }
        toml::Value::Integer(x) if *x > max => {
            s.error(
                v.span(),
                field,
                format!(
                    "must be at most {max} ({what}), found {x}: the limit guards against typos"
                ),
                None,
            );
            None
        }
        toml::Value::Integer(x) => Some(*x),
        other => {
            s.error(
                v.span(),
                field,
                format!(
                    "expected an integer from {min} to {max} ({what}), found {}",
                    describe(other)
                ),
                None,
            );
            None
        }
    }
}

/// A number in `(lo, hi]` (or `[lo, hi]` when `lo_inclusive`).
pub(crate) fn num(
    s: &mut Sink<'_>,
    v: &Num,
    field: &str,
    (lo, lo_inclusive): (f64, bool),
    hi: f64,
    what: &str,
) -> Option<f64> {
    let Some(x) = number_from_value(v.value()).filter(|x| x.is_finite()) else {
        s.error(
            v.span(),
            field,
            format!(
                "expected a finite number ({what}), found {}",
                describe(v.value())
            ),
            None,
        );
        return None;
    };
    let too_low = if lo_inclusive { x < lo } else { x <= lo };
    if too_low {
        let op = if lo_inclusive { "≥" } else { ">" };
        s.error(
            v.span(),
            field,
            format!("must be {op} {lo} ({what}), found {x}"),
            None,
        );
        None
    } else if x > hi {
        s.error(
            v.span(),
            field,
            format!("must be at most {hi} ({what}), found {x}"),
            None,
        );
        None
    } else {
        Some(x)
    }
}

/// Records a unit error of the value at `span`.
pub(crate) fn report(s: &mut Sink<'_>, span: Range<usize>, field: &str, e: units::UnitError) {
    let f = match &e.key {
        Some(k) if k.contains('[') => format!("{field}.{k}"),
        Some(k) => join(field, k),
        None => field.to_string(),
    };
    s.error(span, f, e.message, e.help);
}

/// A duration \[ns\].
pub(crate) fn dur(s: &mut Sink<'_>, v: &Duration, field: &str) -> Option<f64> {
    units::duration_from_value(v.value())
        .map_err(|e| report(s, v.span(), field, e))
        .ok()
}

/// A duration > 0 \[ns\].
pub(crate) fn dur_positive(s: &mut Sink<'_>, v: &Duration, field: &str, what: &str) -> Option<u64> {
    let ns = dur(s, v, field)?;
    if ns <= 0.0 {
        s.error(v.span(), field, format!("{what} must be > 0"), None);
        return None;
    }
    Some((ns.round() as u64).max(1))
}

/// A size \[bytes\].
pub(crate) fn size(s: &mut Sink<'_>, v: &Size, field: &str) -> Option<u64> {
    units::size_from_value(v.value())
        .map_err(|e| report(s, v.span(), field, e))
        .ok()
}

/// A distribution of durations \[ns\].
pub(crate) fn dist(s: &mut Sink<'_>, v: &DistSpec, field: &str) -> Option<Dist> {
    units::dist_from_value(v.value())
        .map_err(|e| report(s, v.span(), field, e))
        .ok()
}

/// Checks a name used as a key or `name`: non-empty, no `.`.
pub(crate) fn check_name(s: &mut Sink<'_>, name: &Sp<String>, field: &str, what: &str) {
    let n = name.get();
    if n.trim().is_empty() {
        s.error(
            name.span(),
            field,
            format!("the {what} name is empty"),
            None,
        );
    } else if n.contains('.') {
        s.error(
            name.span(),
            field,
            format!("the {what} name `{n}` contains `.`, which separates owner and operation in references"),
            Some(format!("use `{}` instead", n.replace('.', "_"))),
        );
    }
}

/// A `{field}.latency` distribution of durations \[ns\], `default_ns` when absent or invalid.
pub(crate) fn latency(
    s: &mut Sink<'_>,
    v: Option<&DistSpec>,
    field: &str,
    default_ns: f64,
) -> Dist {
    v.and_then(|d| dist(s, d, &format!("{field}.latency")))
        .unwrap_or(Dist::Const(default_ns))
}

/// Reports duplicate names among `names` (each with its span and field), naming the line of
/// the first occurrence.
pub(crate) fn duplicates<'r>(
    s: &mut Sink<'_>,
    names: impl IntoIterator<Item = (&'r Sp<String>, String)>,
    what: &str,
) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (n, field) in names {
        let (line, _) = s.line_col(n.span().start);
        if let Some(first_line) = seen.get(n.get().as_str()) {
            s.error(
                n.span(),
                field,
                format!(
                    "duplicate {what} name `{}` (first defined on line {first_line}); names must be unique",
                    n.get()
                ),
                None,
            );
        } else {
            seen.insert(n.get().as_str(), line);
        }
    }
}
