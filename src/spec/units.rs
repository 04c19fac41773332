//! Units of the scenario format: durations (`"250us"`, `"1.5s"`), sizes (`"2KB"`, `"1GiB"`) and
//! distributions of durations (`"5ms"` or `{ dist = "lognormal", mean = "5ms", cv = 0.8 }`).
//!
//! Every parser returns the value in base units (nanoseconds, bytes) or a [`UnitError`] whose
//! message says what was expected. Durations are kept as `f64` nanoseconds here; the resolver
//! rounds them to `u64` where the model wants integers.

use crate::kernel::dist::Dist;
use toml::Value;

/// Nanoseconds per second.
pub const NS_PER_S: f64 = 1e9;
/// Longest duration accepted anywhere: 10 years \[ns\].
pub const MAX_DURATION_NS: f64 = crate::kernel::MAX_SPAN_NS;
pub use crate::kernel::{rate_rounding, MIN_RATE};

/// Largest size accepted anywhere: 64 TB \[bytes\].
pub const MAX_SIZE_BYTES: f64 = 64e12;
/// Most samples accepted in an empirical distribution.
pub const MAX_EMPIRICAL_SAMPLES: usize = 1_000_000;

/// Time units: suffix and nanoseconds per unit. Longest suffixes first so `ms` wins over `s`.
const TIME_UNITS: &[(&str, f64)] = &[
    ("ns", 1.0),
    ("us", 1e3),
    ("\u{b5}s", 1e3),  // µ (micro sign)
    ("\u{3bc}s", 1e3), // μ (Greek mu)
    ("ms", 1e6),
    ("s", 1e9),
    ("m", 60e9),
    ("h", 3600e9),
];

/// Size units: suffix and bytes per unit.
const SIZE_UNITS: &[(&str, f64)] = &[
    ("B", 1.0),
    ("KB", 1e3),
    ("kB", 1e3),
    ("MB", 1e6),
    ("GB", 1e9),
    ("TB", 1e12),
    ("KiB", 1024.0),
    ("MiB", 1024.0 * 1024.0),
    ("GiB", 1024.0 * 1024.0 * 1024.0),
    ("TiB", 1024.0 * 1024.0 * 1024.0 * 1024.0),
];

/// Names of the distributions accepted in a `dist` table.
pub const DIST_NAMES: &[&str] = &[
    "const",
    "exp",
    "lognormal",
    "gamma",
    "uniform",
    "pareto",
    "empirical",
];

/// Regular expression (JSON Schema `pattern`) of a duration string.
pub const DURATION_PATTERN: &str =
    r"^\s*[+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*(ns|us|µs|μs|ms|s|m|h)\s*$";
/// Regular expression (JSON Schema `pattern`) of a size string.
pub const SIZE_PATTERN: &str =
    r"^\s*[+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*(B|KB|kB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$";

/// A problem with one value; `key` names the sub-key of a table value (e.g. `cv`) if the problem
/// is there.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitError {
    /// Sub-key inside the value (for distribution tables), appended to the field path.
    pub key: Option<String>,
    /// What is wrong and what is expected.
    pub message: String,
    /// An optional hint.
    pub help: Option<String>,
}

impl UnitError {
    fn new(message: impl Into<String>) -> Self {
        UnitError {
            key: None,
            message: message.into(),
            help: None,
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn at(mut self, key: &str) -> Self {
        if self.key.is_none() {
            self.key = Some(key.to_string());
        }
        self
    }
}

/// The closest candidate to `word` (Jaro–Winkler ≥ 0.8 or Levenshtein ≤ 2), if any.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let jw = strsim::jaro_winkler(word, c);
        let lev = strsim::levenshtein(word, c);
        let ok = jw >= 0.8 || (lev <= 2 && lev < c.chars().count().max(1));
        let better = match best {
            None => true,
            Some((b, _)) => jw > b,
        };
        if ok && better {
            best = Some((jw, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// Help for an unknown name: `did you mean `x`?` when a candidate is close, else the list of
/// valid names introduced by `what` (e.g. `modules: a, b, c`).
pub fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
    what: &str,
) -> String {
    match did_you_mean(word, candidates.clone()) {
        Some(x) => format!("did you mean `{x}`?"),
        None => format!(
            "{what}: {}",
            candidates.into_iter().collect::<Vec<_>>().join(", ")
        ),
    }
}

/// A short description of a TOML value for error messages: `the number 5`, `the string "x"`.
pub fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string {s:?}"),
        Value::Integer(i) => format!("the number {i}"),
        Value::Float(f) => format!("the number {f}"),
        Value::Boolean(b) => format!("the boolean {b}"),
        Value::Datetime(d) => format!("the date {d}"),
        Value::Array(_) => "an array".to_string(),
        Value::Table(_) => "a table".to_string(),
    }
}

/// Splits `"1.5ms"` into `("1.5", "ms")`.
fn split_number(s: &str) -> (&str, &str) {
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-' | 'e' | 'E')))
        .map_or(s.len(), |(i, _)| i);
    // An `e`/`E` right before the unit is never part of the number (no unit starts with it).
    (s[..end].trim(), s[end..].trim())
}

fn parse_quantity(
    s: &str,
    what: &str,
    example: &str,
    units: &[(&str, f64)],
) -> Result<f64, UnitError> {
    let t = s.trim();
    let unit_list = units.iter().map(|(u, _)| *u).collect::<Vec<_>>().join(", ");
    if t.is_empty() {
        return Err(UnitError::new(format!(
            "expected a {what} with a unit such as {example}, found an empty string"
        )));
    }
    let (num, unit) = split_number(t);
    if unit.is_empty() {
        return Err(UnitError::new(format!(
            "expected a {what} with a unit such as {example}, found {t:?} without a unit"
        ))
        .with_help(format!("units: {unit_list}")));
    }
    let Some(&(_, factor)) = units.iter().find(|(u, _)| *u == unit) else {
        let mut e = UnitError::new(format!(
            "unknown unit `{unit}` in {t:?}: expected a {what} such as {example} (units: {unit_list})"
        ));
        if let Some(m) = did_you_mean(unit, units.iter().map(|(u, _)| *u)) {
            e = e.with_help(format!("did you mean `{num}{m}`?"));
        }
        return Err(e);
    };
    let x: f64 = num.parse().map_err(|_| {
        UnitError::new(format!(
            "invalid number `{num}` in {t:?}: expected a {what} such as {example}"
        ))
    })?;
    if !x.is_finite() {
        return Err(UnitError::new(format!("the {what} {t:?} is not finite")));
    }
    if x < 0.0 {
        return Err(UnitError::new(format!(
            "negative {what} {t:?}: a {what} must be ≥ 0"
        )));
    }
    Ok(x * factor)
}

/// Parses a duration string (`"250us"`, `"4ms"`, `"1.5s"`, `"10m"`, `"2h"`, `"3ns"`, `"0s"`,
/// `"5µs"`) into nanoseconds. Negative values, values above 10 years and positive values
/// below half a nanosecond (which the clock would round to 0) are errors.
pub fn parse_duration_ns(s: &str) -> Result<f64, UnitError> {
    let ns = parse_quantity(s, "duration", "\"5ms\" or \"1.5s\"", TIME_UNITS)?;
    if ns > MAX_DURATION_NS {
        return Err(UnitError::new(format!(
            "the duration {:?} exceeds the limit of 10 years",
            s.trim()
        )));
    }
    if ns > 0.0 && ns < 0.5 {
        return Err(UnitError::new(format!(
            "the duration {:?} is {ns:.1e} ns: the clock counts whole nanoseconds, so it would round to 0",
            s.trim()
        ))
        .with_help("write \"0s\" for no time, or a duration of at least 1ns"));
    }
    Ok(ns)
}

/// Parses a size string (`"512B"`, `"2KB"`, `"1.5MB"`, `"1GB"`; `KiB`, `MiB`, `GiB`, `TiB` for
/// powers of 1024) into bytes, rounded to the nearest byte. Values above 64 TB are errors.
pub fn parse_size_bytes(s: &str) -> Result<u64, UnitError> {
    let b = parse_quantity(s, "size", "\"512B\", \"2KB\" or \"1GiB\"", SIZE_UNITS)?;
    if b > MAX_SIZE_BYTES {
        return Err(UnitError::new(format!(
            "the size {:?} exceeds the limit of 64TB",
            s.trim()
        )));
    }
    Ok(b.round() as u64)
}

/// A duration given as a TOML value: must be a string with a unit.
pub fn duration_from_value(v: &Value) -> Result<f64, UnitError> {
    match v {
        Value::String(s) => parse_duration_ns(s),
        Value::Integer(_) | Value::Float(_) => Err(UnitError::new(format!(
            "expected a duration with a unit such as \"5ms\" or \"1.5s\", found {}",
            describe(v)
        ))
        .with_help(format!(
            "write it as a string with a unit, e.g. \"{}ms\" or \"{}s\"",
            number_text(v),
            number_text(v)
        ))),
        _ => Err(UnitError::new(format!(
            "expected a duration with a unit such as \"5ms\" or \"1.5s\", found {}",
            describe(v)
        ))),
    }
}

/// A size given as a TOML value: must be a string with a unit.
pub fn size_from_value(v: &Value) -> Result<u64, UnitError> {
    match v {
        Value::String(s) => parse_size_bytes(s),
        Value::Integer(_) | Value::Float(_) => Err(UnitError::new(format!(
            "expected a size with a unit such as \"512B\", \"2KB\" or \"1GiB\", found {}",
            describe(v)
        ))
        .with_help(format!(
            "write it as a string with a unit, e.g. \"{}B\" or \"{}MB\"",
            number_text(v),
            number_text(v)
        ))),
        _ => Err(UnitError::new(format!(
            "expected a size with a unit such as \"512B\", \"2KB\" or \"1GiB\", found {}",
            describe(v)
        ))),
    }
}

fn number_text(v: &Value) -> String {
    match v {
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        _ => String::new(),
    }
}

/// A plain number (integer or float) from a TOML value.
pub fn number_from_value(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Keys allowed in each kind of distribution table (besides `dist`).
fn dist_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "const" => &["value"],
        "exp" => &["mean"],
        "lognormal" | "gamma" => &["mean", "cv"],
        "uniform" => &["min", "max"],
        "pareto" => &["scale", "mean", "alpha"],
        "empirical" => &["samples"],
        _ => &[],
    }
}

fn example(kind: &str) -> &'static str {
    match kind {
        "const" => r#"{ dist = "const", value = "5ms" }"#,
        "exp" => r#"{ dist = "exp", mean = "5ms" }"#,
        "lognormal" => r#"{ dist = "lognormal", mean = "5ms", cv = 0.8 }"#,
        "gamma" => r#"{ dist = "gamma", mean = "5ms", cv = 0.5 }"#,
        "uniform" => r#"{ dist = "uniform", min = "1ms", max = "9ms" }"#,
        "pareto" => {
            r#"{ dist = "pareto", scale = "1ms", alpha = 2.5 } or { dist = "pareto", mean = "5ms", alpha = 2.5 }"#
        }
        _ => r#"{ dist = "empirical", samples = ["1ms", "2ms", "7ms"] }"#,
    }
}

/// A distribution of durations from a TOML value: a duration string (a constant) or a `dist`
/// table. Values in nanoseconds.
pub fn dist_from_value(v: &Value) -> Result<Dist, UnitError> {
    let table = match v {
        Value::Table(t) => t,
        Value::String(_) | Value::Integer(_) | Value::Float(_) => return constant_from_value(v),
        _ => {
            return Err(UnitError::new(format!(
                "expected a duration such as \"5ms\" or a distribution table such as {}, found {}",
                example("exp"),
                describe(v)
            )))
        }
    };
    let kind = dist_kind(table)?;
    check_dist_keys(table, kind)?;
    let t = DistTable { table, kind };
    match kind {
        "const" => Ok(Dist::Const(t.dur("value")?)),
        "exp" => Ok(Dist::Exp {
            mean: t.positive_mean("mean")?,
        }),
        "lognormal" => {
            let mean = t.positive_mean("mean")?;
            Ok(Dist::lognormal(mean, t.cv()?))
        }
        "gamma" => {
            let mean = t.positive_mean("mean")?;
            Ok(Dist::gamma(mean, t.cv()?))
        }
        "uniform" => uniform(&t),
        "pareto" => pareto(&t),
        _ => empirical(&t),
    }
}

/// A plain duration (string or number) as a constant distribution; its error also suggests a
/// distribution table.
fn constant_from_value(v: &Value) -> Result<Dist, UnitError> {
    duration_from_value(v).map(Dist::Const).map_err(|mut e| {
        if e.help.is_none() {
            e.help =
                Some(r#"or a distribution table such as { dist = "exp", mean = "5ms" }"#.into());
        }
        e
    })
}

/// The kind named by the `dist` key of a distribution table, one of [`DIST_NAMES`].
fn dist_kind(table: &toml::Table) -> Result<&str, UnitError> {
    let kind = match table.get("dist") {
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            return Err(UnitError::new(format!(
                "`dist` must be the name of a distribution ({}), found {}",
                DIST_NAMES.join(", "),
                describe(other)
            ))
            .at("dist"))
        }
        None => {
            return Err(UnitError::new(format!(
                "a distribution table needs a `dist` key naming one of: {}",
                DIST_NAMES.join(", ")
            ))
            .with_help(format!("e.g. {}", example("lognormal"))))
        }
    };
    if !DIST_NAMES.contains(&kind) {
        let mut e = UnitError::new(format!(
            "unknown distribution `{kind}`: expected one of {}",
            DIST_NAMES.join(", ")
        ))
        .at("dist");
        if let Some(m) = did_you_mean(kind, DIST_NAMES.iter().copied()) {
            e = e.with_help(format!("did you mean `{m}`?"));
        }
        return Err(e);
    }
    Ok(kind)
}

/// Every key of a `kind` distribution table besides `dist` must be one of [`dist_keys`].
fn check_dist_keys(table: &toml::Table, kind: &str) -> Result<(), UnitError> {
    let allowed = dist_keys(kind);
    for key in table.keys() {
        if key != "dist" && !allowed.contains(&key.as_str()) {
            let mut e = UnitError::new(format!(
                "unknown key `{key}` in a `{kind}` distribution: expected {}",
                allowed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .at(key);
            e = match did_you_mean(key, allowed.iter().copied()) {
                Some(m) => e.with_help(format!("did you mean `{m}`?")),
                None => e.with_help(format!("e.g. {}", example(kind))),
            };
            return Err(e);
        }
    }
    Ok(())
}

/// A distribution table of a known kind, read field by field with errors located at the key.
struct DistTable<'a> {
    table: &'a toml::Table,
    kind: &'a str,
}

impl<'a> DistTable<'a> {
    /// A required field.
    fn req(&self, key: &str) -> Result<&'a Value, UnitError> {
        let kind = self.kind;
        self.table.get(key).ok_or_else(|| {
            UnitError::new(format!("a `{kind}` distribution needs `{key}`"))
                .with_help(format!("e.g. {}", example(kind)))
        })
    }

    /// A required duration \[ns\].
    fn dur(&self, key: &str) -> Result<f64, UnitError> {
        duration_from_value(self.req(key)?).map_err(|e| e.at(key))
    }

    /// A required finite number.
    fn num(&self, key: &str) -> Result<f64, UnitError> {
        let v = self.req(key)?;
        match number_from_value(v) {
            Some(x) if x.is_finite() => Ok(x),
            _ => Err(
                UnitError::new(format!("`{key}` must be a number, found {}", describe(v))).at(key),
            ),
        }
    }

    /// A required duration > 0 \[ns\] (a mean or a scale).
    fn positive_mean(&self, key: &str) -> Result<f64, UnitError> {
        let (m, kind) = (self.dur(key)?, self.kind);
        if m <= 0.0 {
            return Err(UnitError::new(format!(
                "the {key} of a `{kind}` distribution must be > 0"
            ))
            .with_help("for a duration that is always zero write \"0s\"")
            .at(key));
        }
        Ok(m)
    }

    /// The coefficient of variation `cv`, in (0, 100].
    fn cv(&self) -> Result<f64, UnitError> {
        let c = self.num("cv")?;
        if c <= 0.0 {
            return Err(UnitError::new(format!(
                "the coefficient of variation `cv` must be > 0, found {c}"
            ))
            .with_help("for no variation use a plain duration such as \"5ms\" (a constant)")
            .at("cv"));
        }
        if c > 100.0 {
            return Err(UnitError::new(format!(
                "the coefficient of variation `cv` must be ≤ 100, found {c}"
            ))
            .at("cv"));
        }
        Ok(c)
    }
}

/// `{ dist = "uniform", min, max }` with min ≤ max.
fn uniform(t: &DistTable) -> Result<Dist, UnitError> {
    let min = t.dur("min")?;
    let max = t.dur("max")?;
    if min > max {
        return Err(UnitError::new(format!(
            "a `uniform` distribution needs min ≤ max, found min = {} > max = {}",
            show(t.table.get("min")),
            show(t.table.get("max"))
        ))
        .at("min"));
    }
    Ok(Dist::Uniform { min, max })
}

/// `{ dist = "pareto", alpha }` with either `scale` (its minimum, alpha > 0) or `mean`
/// (alpha > 1).
fn pareto(t: &DistTable) -> Result<Dist, UnitError> {
    let alpha = t.num("alpha")?;
    match (t.table.contains_key("scale"), t.table.contains_key("mean")) {
        (true, true) => Err(UnitError::new(
            "a `pareto` distribution takes either `scale` or `mean`, not both",
        )
        .at("mean")),
        (false, false) => Err(UnitError::new(
            "a `pareto` distribution needs `scale` (its minimum) or `mean`, and `alpha`",
        )
        .with_help(format!("e.g. {}", example("pareto")))),
        (true, false) => {
            if alpha <= 0.0 {
                return Err(UnitError::new(format!(
                    "the shape `alpha` of a `pareto` distribution must be > 0, found {alpha}"
                ))
                .at("alpha"));
            }
            Ok(Dist::Pareto {
                scale: t.positive_mean("scale")?,
                alpha,
            })
        }
        (false, true) => {
            if alpha <= 1.0 {
                return Err(UnitError::new(format!(
                    "a `pareto` distribution given by its mean needs `alpha` > 1 (the mean is infinite otherwise), found {alpha}"
                ))
                .at("alpha"));
            }
            let mean = t.positive_mean("mean")?;
            Ok(Dist::Pareto {
                scale: mean * (alpha - 1.0) / alpha,
                alpha,
            })
        }
    }
}

/// `{ dist = "empirical", samples = [durations] }`, 1 to [`MAX_EMPIRICAL_SAMPLES`] of them.
fn empirical(t: &DistTable) -> Result<Dist, UnitError> {
    let v = t.req("samples")?;
    let Value::Array(items) = v else {
        return Err(UnitError::new(format!(
            "`samples` must be an array of durations such as [\"1ms\", \"2ms\"], found {}",
            describe(v)
        ))
        .at("samples"));
    };
    if items.is_empty() {
        return Err(
            UnitError::new("an `empirical` distribution needs at least one sample").at("samples"),
        );
    }
    if items.len() > MAX_EMPIRICAL_SAMPLES {
        return Err(UnitError::new(format!(
            "an `empirical` distribution takes at most {MAX_EMPIRICAL_SAMPLES} samples, found {}",
            items.len()
        ))
        .at("samples"));
    }
    let samples = items
        .iter()
        .enumerate()
        .map(|(i, s)| duration_from_value(s).map_err(|e| e.at(&format!("samples[{i}]"))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Dist::Empirical(samples))
}

fn show(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => format!("{s:?}"),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// Formats seconds with a readable unit (`0`, `339 ns`, `250.0 µs`, `1.53 ms`, `1.200 s`), as
/// every text rendering prints them (tables, verdicts, search reasons).
pub fn fmt_secs(s: f64) -> String {
    let a = s.abs();
    if a == 0.0 {
        "0".into()
    } else if a < 1e-6 {
        format!("{:.0} ns", s * 1e9)
    } else if a < 1e-3 {
        format!("{:.1} µs", s * 1e6)
    } else if a < 1.0 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.3} s", s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn durations_that_round_to_zero_are_errors() {
        for t in ["0.4ns", "1e-20s", "0.0001us"] {
            let e = parse_duration_ns(t).expect_err(t);
            assert!(e.message.contains("round to 0"), "{t}: {}", e.message);
        }
        assert_eq!(parse_duration_ns("0s").unwrap(), 0.0);
        assert_eq!(parse_duration_ns("0.5ns").unwrap(), 0.5);
        assert_eq!(parse_duration_ns("1ns").unwrap(), 1.0);
    }

    fn val(s: &str) -> Value {
        let t: toml::Table = toml::from_str(&format!("x = {s}")).expect("test value");
        t["x"].clone()
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ns("250us").ok(), Some(250e3));
        assert_eq!(parse_duration_ns("4ms").ok(), Some(4e6));
        assert_eq!(parse_duration_ns("1.5s").ok(), Some(1.5e9));
        assert_eq!(parse_duration_ns("10m").ok(), Some(600e9));
        assert_eq!(parse_duration_ns("2h").ok(), Some(7200e9));
        assert_eq!(parse_duration_ns("3ns").ok(), Some(3.0));
        assert_eq!(parse_duration_ns("0s").ok(), Some(0.0));
        assert_eq!(parse_duration_ns("5µs").ok(), Some(5e3));
        assert_eq!(parse_duration_ns("5μs").ok(), Some(5e3));
        assert_eq!(parse_duration_ns(" 2 ms ").ok(), Some(2e6));
        assert_eq!(parse_duration_ns("1e3ms").ok(), Some(1e9));
        assert_eq!(parse_duration_ns(".5s").ok(), Some(0.5e9));
    }

    #[test]
    fn bad_durations() {
        let e = parse_duration_ns("-5ms").unwrap_err();
        assert!(e.message.contains("negative"), "{e:?}");
        let e = parse_duration_ns("5").unwrap_err();
        assert!(e.message.contains("without a unit"), "{e:?}");
        let e = parse_duration_ns("5sec").unwrap_err();
        assert!(e.message.contains("unknown unit `sec`"), "{e:?}");
        let e = parse_duration_ns("5mss").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `5ms`?"));
        assert!(parse_duration_ns("").is_err());
        assert!(parse_duration_ns("abc").is_err());
        assert!(parse_duration_ns("1.2.3s").is_err());
        let e = parse_duration_ns("11y").unwrap_err();
        assert!(e.message.contains("unknown unit"), "{e:?}");
        let e = parse_duration_ns("100000h").unwrap_err();
        assert!(e.message.contains("10 years"), "{e:?}");
        let e = duration_from_value(&Value::Integer(5)).unwrap_err();
        assert_eq!(
            e.message,
            "expected a duration with a unit such as \"5ms\" or \"1.5s\", found the number 5"
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size_bytes("512B").ok(), Some(512));
        assert_eq!(parse_size_bytes("2KB").ok(), Some(2000));
        assert_eq!(parse_size_bytes("1.5MB").ok(), Some(1_500_000));
        assert_eq!(parse_size_bytes("1GB").ok(), Some(1_000_000_000));
        assert_eq!(parse_size_bytes("1KiB").ok(), Some(1024));
        assert_eq!(parse_size_bytes("2MiB").ok(), Some(2 * 1024 * 1024));
        assert_eq!(parse_size_bytes("1GiB").ok(), Some(1 << 30));
        assert_eq!(parse_size_bytes("0B").ok(), Some(0));
        assert!(parse_size_bytes("65TB")
            .unwrap_err()
            .message
            .contains("64TB"));
        assert!(parse_size_bytes("-1KB")
            .unwrap_err()
            .message
            .contains("negative"));
        assert!(parse_size_bytes("3 parsecs").is_err());
        let e = size_from_value(&Value::Integer(300)).unwrap_err();
        assert!(e.message.contains("found the number 300"), "{e:?}");
    }

    #[test]
    fn dists() {
        assert_eq!(dist_from_value(&val("\"5ms\"")), Ok(Dist::Const(5e6)));
        assert_eq!(
            dist_from_value(&val(r#"{ dist = "exp", mean = "5ms" }"#)),
            Ok(Dist::Exp { mean: 5e6 })
        );
        let d = dist_from_value(&val(r#"{ dist = "lognormal", mean = "3ms", cv = 1.0 }"#))
            .expect("lognormal");
        assert!((d.mean() - 3e6).abs() < 1e-6);
        assert!((d.scv() - 1.0).abs() < 1e-9);
        if let Dist::LogNormal { mu, sigma, .. } = d {
            // mean = exp(mu + sigma^2/2)
            assert!(((mu + sigma * sigma / 2.0).exp() - 3e6).abs() < 1e-3);
        } else {
            panic!("not a lognormal");
        }
        let d =
            dist_from_value(&val(r#"{ dist = "gamma", mean = "2ms", cv = 0.5 }"#)).expect("gamma");
        assert!((d.mean() - 2e6).abs() < 1e-6 && (d.scv() - 0.25).abs() < 1e-9);
        assert_eq!(
            dist_from_value(&val(r#"{ dist = "uniform", min = "1ms", max = "9ms" }"#)),
            Ok(Dist::Uniform { min: 1e6, max: 9e6 })
        );
        assert_eq!(
            dist_from_value(&val(r#"{ dist = "const", value = "5ms" }"#)),
            Ok(Dist::Const(5e6))
        );
        assert_eq!(
            dist_from_value(&val(r#"{ dist = "pareto", scale = "1ms", alpha = 2 }"#)),
            Ok(Dist::Pareto {
                scale: 1e6,
                alpha: 2.0
            })
        );
        let d = dist_from_value(&val(r#"{ dist = "pareto", mean = "4ms", alpha = 2.0 }"#))
            .expect("pareto");
        assert!((d.mean() - 4e6).abs() < 1e-3);
        assert_eq!(
            dist_from_value(&val(r#"{ dist = "empirical", samples = ["1ms", "3ms"] }"#)),
            Ok(Dist::Empirical(vec![1e6, 3e6]))
        );
    }

    #[test]
    fn bad_dists() {
        let err = |s: &str| dist_from_value(&val(s)).unwrap_err();
        let e = err(r#"{ dist = "lognormel", mean = "1ms", cv = 1 }"#);
        assert!(
            e.message.contains("unknown distribution `lognormel`"),
            "{e:?}"
        );
        assert!(e.message.contains("exp, lognormal"), "{e:?}");
        assert_eq!(e.help.as_deref(), Some("did you mean `lognormal`?"));
        let e = err(r#"{ dist = "lognormal", mean = "1ms", cv = 0 }"#);
        assert_eq!(e.key.as_deref(), Some("cv"));
        assert!(e.message.contains("must be > 0"));
        let e = err(r#"{ dist = "gamma", mean = "1ms", cv = -1 }"#);
        assert_eq!(e.key.as_deref(), Some("cv"));
        let e = err(r#"{ dist = "uniform", min = "9ms", max = "1ms" }"#);
        assert!(e.message.contains("min ≤ max"), "{e:?}");
        let e = err(r#"{ dist = "pareto", mean = "1ms", alpha = 1 }"#);
        assert!(e.message.contains("alpha` > 1"), "{e:?}");
        let e = err(r#"{ dist = "empirical", samples = [] }"#);
        assert!(e.message.contains("at least one sample"), "{e:?}");
        let e = err(r#"{ dist = "empirical", samples = ["1ms", 2] }"#);
        assert_eq!(e.key.as_deref(), Some("samples[1]"));
        let e = err(r#"{ dist = "exp", mean = 5 }"#);
        assert_eq!(e.key.as_deref(), Some("mean"));
        assert!(e.message.contains("found the number 5"));
        let e = err(r#"{ dist = "exp", maen = "5ms" }"#);
        assert_eq!(e.help.as_deref(), Some("did you mean `mean`?"));
        let e = err(r#"{ dist = "exp" }"#);
        assert!(e.message.contains("needs `mean`"));
        let e = err(r#"{ mean = "5ms" }"#);
        assert!(e.message.contains("needs a `dist` key"));
        let e = err("5");
        assert!(e.message.contains("found the number 5"));
        let e = err(r#""-1ms""#);
        assert!(e.message.contains("negative"));
        let e = err(r#"{ dist = "exp", mean = "0s" }"#);
        assert!(e.message.contains("> 0"));
    }
}
