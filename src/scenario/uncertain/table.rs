//! The uncertain tables of a document: how one is told from an ordinary table, and its
//! distribution and value kind, checked (`parse_spec`).

use toml::Value;

use super::{Spec, ValueKind, UNCERTAIN_NAMES};
use crate::spec::locate;
use crate::spec::units::{describe, did_you_mean, parse_duration_ns, parse_size_bytes};

/// Whether `t` is an uncertain table: its keys are one distribution name (plus `weights` for
/// `choice`), and the name's value is not a table without `mean` and with other keys (a
/// module named `normal` is a table of `ops`, not of `mean` and `sd`).
fn is_uncertain(t: &toml::Table) -> bool {
    let names: Vec<&String> = t
        .keys()
        .filter(|k| UNCERTAIN_NAMES.contains(&k.as_str()))
        .collect();
    if names.len() != 1 {
        return false;
    }
    let name = names[0].as_str();
    let others_ok = t
        .keys()
        .all(|k| k == name || (name == "choice" && k == "weights"));
    if !others_ok {
        return false;
    }
    match &t[name] {
        Value::Table(inner) => {
            inner.contains_key("mean")
                || inner
                    .keys()
                    .all(|k| ["mean", "sd", "cv"].contains(&k.as_str()))
        }
        _ => true,
    }
}

pub(super) fn walk<'a>(v: &'a Value, path: &str, found: &mut Vec<(String, &'a toml::Table)>) {
    match v {
        Value::Table(t) => {
            if is_uncertain(t) {
                found.push((path.to_string(), t));
                return;
            }
            for (k, x) in t {
                walk(x, &locate::join(path, k), found);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(x, &format!("{path}[{i}]"), found);
            }
        }
        _ => {}
    }
}

pub(super) type SpecError = (Option<String>, String, Option<String>);

fn err(key: Option<&str>, message: impl Into<String>, help: Option<String>) -> SpecError {
    (key.map(str::to_string), message.into(), help)
}

/// A literal of an uncertain table: its kind and value in the internal unit.
fn scalar(v: &Value, key: &str) -> Result<(ValueKind, f64), SpecError> {
    match v {
        Value::Integer(i) => Ok((ValueKind::Integer, *i as f64)),
        Value::Float(f) if f.is_finite() => Ok((ValueKind::Number, *f)),
        Value::String(s) => {
            if let Ok(ns) = parse_duration_ns(s) {
                Ok((ValueKind::Duration, ns))
            } else if let Ok(b) = parse_size_bytes(s) {
                Ok((ValueKind::Size, b as f64))
            } else {
                Err(err(
                    Some(key),
                    format!(
                        "expected a number, a duration (\"5ms\") or a size (\"2KB\"), found {s:?}"
                    ),
                    None,
                ))
            }
        }
        other => Err(err(
            Some(key),
            format!(
                "expected a number, a duration (\"5ms\") or a size (\"2KB\"), found {}",
                describe(other)
            ),
            None,
        )),
    }
}

/// The common kind of several literals (integers and floats mix as numbers).
fn common_kind(kinds: &[ValueKind], key: &str) -> Result<ValueKind, SpecError> {
    let mut k = kinds[0];
    for &x in &kinds[1..] {
        k = match (k, x) {
            (a, b) if a == b => a,
            (ValueKind::Integer, ValueKind::Number) | (ValueKind::Number, ValueKind::Integer) => {
                ValueKind::Number
            }
            (a, b) => {
                return Err(err(
                    Some(key),
                    format!(
                        "mixes a {} and a {}: give every value in the same kind and unit",
                        a.name(),
                        b.name()
                    ),
                    None,
                ))
            }
        };
    }
    Ok(k)
}

fn numbers(
    v: &Value,
    key: &str,
    len: Option<usize>,
    example: &str,
) -> Result<(ValueKind, Vec<f64>), SpecError> {
    let Value::Array(items) = v else {
        return Err(err(
            Some(key),
            format!("expected an array, found {}", describe(v)),
            Some(format!("write `{key} = {example}`")),
        ));
    };
    if let Some(n) = len {
        if items.len() != n {
            return Err(err(
                Some(key),
                format!("expected {n} values, found {}", items.len()),
                Some(format!("write `{key} = {example}`")),
            ));
        }
    }
    if items.is_empty() {
        return Err(err(
            Some(key),
            "expected at least one value",
            Some(format!("write `{key} = {example}`")),
        ));
    }
    let parsed: Vec<(ValueKind, f64)> = items
        .iter()
        .enumerate()
        .map(|(i, x)| scalar(x, &format!("{key}[{i}]")))
        .collect::<Result<_, _>>()?;
    let kinds: Vec<ValueKind> = parsed.iter().map(|p| p.0).collect();
    Ok((
        common_kind(&kinds, key)?,
        parsed.into_iter().map(|p| p.1).collect(),
    ))
}

fn continuous(kind: ValueKind) -> ValueKind {
    if kind == ValueKind::Integer {
        ValueKind::Number
    } else {
        kind
    }
}

pub(super) fn parse_spec(t: &toml::Table) -> Result<(ValueKind, Spec), SpecError> {
    let (name, v) = t
        .iter()
        .find(|(k, _)| UNCERTAIN_NAMES.contains(&k.as_str()))
        .ok_or_else(|| err(None, "not an uncertain table", None))?;
    match name.as_str() {
        "uniform" => {
            let (k, xs) = numbers(v, name, Some(2), "[LOW, HIGH]")?;
            if xs[0] >= xs[1] {
                return Err(err(
                    Some(name),
                    format!(
                        "the low end must be below the high end, found [{}, {}]",
                        shown(k, xs[0]),
                        shown(k, xs[1])
                    ),
                    Some("for a fixed value write the value itself".into()),
                ));
            }
            Ok((
                continuous(k),
                Spec::Uniform {
                    low: xs[0],
                    high: xs[1],
                },
            ))
        }
        "triangular" => {
            let (k, xs) = numbers(v, name, Some(3), "[MIN, MODE, MAX]")?;
            if !(xs[0] <= xs[1] && xs[1] <= xs[2] && xs[0] < xs[2]) {
                return Err(err(
                    Some(name),
                    format!(
                        "expected min ≤ mode ≤ max with min < max, found [{}, {}, {}]",
                        shown(k, xs[0]),
                        shown(k, xs[1]),
                        shown(k, xs[2])
                    ),
                    None,
                ));
            }
            Ok((
                continuous(k),
                Spec::Triangular {
                    min: xs[0],
                    mode: xs[1],
                    max: xs[2],
                },
            ))
        }
        "choice" => {
            let (k, values) = numbers(v, name, None, "[A, B, C]")?;
            let weights = match t.get("weights") {
                None => vec![1.0; values.len()],
                Some(w) => {
                    let (wk, ws) = numbers(w, "weights", Some(values.len()), "[1, 2, 1]")?;
                    if !matches!(wk, ValueKind::Number | ValueKind::Integer) {
                        return Err(err(Some("weights"), "weights are plain numbers", None));
                    }
                    if ws.iter().any(|x| *x < 0.0) || ws.iter().sum::<f64>() <= 0.0 {
                        return Err(err(
                            Some("weights"),
                            "weights must be ≥ 0 with a positive sum",
                            None,
                        ));
                    }
                    ws
                }
            };
            Ok((k, Spec::Choice { values, weights }))
        }
        "normal" | "lognormal" => {
            let second = if name == "normal" { "sd" } else { "cv" };
            let example = if name == "normal" {
                "{ mean = 800, sd = 50 }"
            } else {
                "{ mean = 800, cv = 0.2 }"
            };
            let Value::Table(p) = v else {
                return Err(err(
                    Some(name),
                    format!("expected a table, found {}", describe(v)),
                    Some(format!("write `{name} = {example}`")),
                ));
            };
            for key in p.keys() {
                if key != "mean" && key != second {
                    return Err(err(
                        Some(&format!("{name}.{key}")),
                        format!("unknown key `{key}`; `{name}` takes `mean` and `{second}`"),
                        did_you_mean(key, ["mean", second]).map(|m| format!("did you mean `{m}`?")),
                    ));
                }
            }
            let get = |key: &str| -> Result<(ValueKind, f64), SpecError> {
                match p.get(key) {
                    Some(x) => scalar(x, &format!("{name}.{key}")),
                    None => Err(err(
                        Some(name),
                        format!("missing `{key}`"),
                        Some(format!("write `{name} = {example}`")),
                    )),
                }
            };
            let (mk, mean) = get("mean")?;
            let (sk, s) = get(second)?;
            if name == "normal" {
                let kind = common_kind(&[mk, sk], name)?;
                if s <= 0.0 {
                    return Err(err(
                        Some(&format!("{name}.sd")),
                        "the standard deviation must be > 0",
                        None,
                    ));
                }
                Ok((continuous(kind), Spec::Normal { mean, sd: s }))
            } else {
                if !matches!(sk, ValueKind::Number | ValueKind::Integer) {
                    return Err(err(
                        Some(&format!("{name}.cv")),
                        "the coefficient of variation is a plain number",
                        None,
                    ));
                }
                if mean <= 0.0 {
                    return Err(err(
                        Some(&format!("{name}.mean")),
                        "a lognormal mean must be > 0",
                        None,
                    ));
                }
                if s <= 0.0 {
                    return Err(err(
                        Some(&format!("{name}.cv")),
                        "the coefficient of variation must be > 0",
                        None,
                    ));
                }
                Ok((continuous(mk), Spec::Lognormal { mean, cv: s }))
            }
        }
        _ => Err(err(None, "not an uncertain table", None)),
    }
}

fn shown(kind: ValueKind, x: f64) -> String {
    match kind {
        ValueKind::Duration => format!("{}s", x / 1e9),
        ValueKind::Size => format!("{x}B"),
        _ => format!("{x}"),
    }
}
