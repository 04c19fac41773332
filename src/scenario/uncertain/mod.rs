//! Uncertain inputs: a numeric scenario parameter given as a distribution instead of a value,
//! drawn once per replication.
//!
//! ```toml
//! arrival = { process = "poisson", rate = { uniform = [700, 900] } }
//! ops.work = { cpu = { dist = "exp", mean = { triangular = ["2ms", "3ms", "6ms"] } } }
//! ```
//!
//! An *uncertain table* is an inline table whose single key is `uniform`, `normal`,
//! `lognormal`, `triangular` or `choice` (`choice` may add `weights`). It is distinct from a
//! duration distribution (`{ dist = "exp", mean = "5ms" }`), which describes variation from
//! request to request inside one run; an uncertain table describes what we do not know about
//! the input, fixed for a whole replication.
//!
//! At load time every uncertain table is found and validated (file:line diagnostics), and the
//! scenario is resolved once with each parameter at its central value (the *nominal* scenario,
//! used by `validate`, the analytic estimate and the work guard). For replication `k` every
//! parameter is drawn from its own stream, keyed by `(seed, k, parameter path)`, so every
//! variant sees the same draw (common random numbers); the draws are written into the file
//! text in place of the tables and the text is resolved again — cheap next to a simulation.
//! A draw that makes the scenario invalid (a negative rate from a normal) is an error naming
//! the parameter and the value.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::{Scenario, ScenarioError};
use crate::kernel::StreamSeeder;
use crate::spec::error::Sink;
use crate::spec::locate;

mod table;

use table::{parse_spec, walk};

/// Names of the uncertain distributions, the single key of an uncertain table.
pub const UNCERTAIN_NAMES: &[&str] = &["uniform", "normal", "lognormal", "triangular", "choice"];

/// Top-level keys that cannot be uncertain (they decide how replications are made).
const FIXED_KEYS: &[&str] = &["seed", "replications", "slo", "name", "description"];

/// Stream purpose of the draws of uncertain parameters (see the engine's stream purposes).
pub const STREAM_PURPOSE: u64 = crate::flow::purpose::UNCERTAIN;

/// What the values of an uncertain parameter are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A plain number (written as a float).
    Number,
    /// An integer (only from `choice` over integers).
    Integer,
    /// A duration; values are in nanoseconds.
    Duration,
    /// A size; values are in bytes.
    Size,
}

impl ValueKind {
    fn name(self) -> &'static str {
        match self {
            ValueKind::Number => "number",
            ValueKind::Integer => "integer",
            ValueKind::Duration => "duration",
            ValueKind::Size => "size",
        }
    }

    /// Factor from the internal unit (ns, bytes, plain) to the unit reported in results
    /// (seconds for durations, bytes for sizes, plain otherwise).
    pub fn report_factor(self) -> f64 {
        match self {
            ValueKind::Duration => 1e-9,
            _ => 1.0,
        }
    }

    /// The unit reported in results: `"s"`, `"B"` or `""`.
    pub fn report_unit(self) -> &'static str {
        match self {
            ValueKind::Duration => "s",
            ValueKind::Size => "B",
            _ => "",
        }
    }
}

/// An uncertain distribution, in the parameter's internal unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    /// Uniform on `[low, high]`.
    Uniform {
        /// Lower end.
        low: f64,
        /// Upper end (> low).
        high: f64,
    },
    /// Normal.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (> 0).
        sd: f64,
    },
    /// Lognormal given by its mean and coefficient of variation.
    Lognormal {
        /// Mean (> 0).
        mean: f64,
        /// Coefficient of variation sd/mean (> 0).
        cv: f64,
    },
    /// Triangular.
    Triangular {
        /// Smallest value.
        min: f64,
        /// Most likely value (min ≤ mode ≤ max).
        mode: f64,
        /// Largest value (> min).
        max: f64,
    },
    /// One of a list of values, with weights (equal by default).
    Choice {
        /// The values.
        values: Vec<f64>,
        /// Weights, same length, ≥ 0, sum > 0.
        weights: Vec<f64>,
    },
}

impl Spec {
    /// One draw from `rng`.
    pub fn draw(&self, rng: &mut impl Rng) -> f64 {
        match *self {
            Spec::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            Spec::Normal { mean, sd } => {
                let z: f64 = StandardNormal.sample(rng);
                mean + sd * z
            }
            Spec::Lognormal { mean, cv } => {
                let s2 = (1.0 + cv * cv).ln();
                let z: f64 = StandardNormal.sample(rng);
                (mean.ln() - s2 / 2.0 + s2.sqrt() * z).exp()
            }
            Spec::Triangular { min, mode, max } => {
                let u: f64 = rng.random();
                let f = (mode - min) / (max - min);
                if u < f {
                    min + (u * (max - min) * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
                }
            }
            Spec::Choice {
                ref values,
                ref weights,
            } => {
                let total: f64 = weights.iter().sum();
                let mut u = rng.random::<f64>() * total;
                for (v, w) in values.iter().zip(weights) {
                    if u < *w {
                        return *v;
                    }
                    u -= w;
                }
                // Rounding left u at the total: the last value with a positive weight.
                values
                    .iter()
                    .zip(weights)
                    .rev()
                    .find(|(_, w)| **w > 0.0)
                    .map_or(values[0], |(v, _)| *v)
            }
        }
    }

    /// The central value the nominal scenario uses: the mean (uniform, normal, lognormal,
    /// triangular) or the most likely value (choice; the first one on ties).
    pub fn central(&self) -> f64 {
        match *self {
            Spec::Uniform { low, high } => (low + high) / 2.0,
            Spec::Normal { mean, .. } | Spec::Lognormal { mean, .. } => mean,
            Spec::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Spec::Choice {
                ref values,
                ref weights,
            } => {
                let mut best = 0;
                for (i, w) in weights.iter().enumerate() {
                    if *w > weights[best] {
                        best = i;
                    }
                }
                values[best]
            }
        }
    }
}

/// One uncertain parameter of a scenario.
#[derive(Debug, Clone)]
pub struct UncertainParam {
    /// Dotted path of the parameter, e.g. `workload.entries[0].arrival.rate`.
    pub path: String,
    /// The uncertain table as written in the file.
    pub written: String,
    /// What the values are.
    pub kind: ValueKind,
    /// The distribution, in the internal unit of `kind`.
    pub spec: Spec,
    span: Range<usize>,
    stream: u64,
}

impl UncertainParam {
    /// `value` (internal unit) as TOML text for the parameter's place in the file.
    fn literal(&self, value: f64) -> String {
        match self.kind {
            ValueKind::Number => format!("{value:?}"),
            ValueKind::Integer => format!("{}", value.round() as i64),
            ValueKind::Duration => format!("\"{value:?}ns\""),
            ValueKind::Size => format!("\"{}B\"", value.round().max(0.0) as u64),
        }
    }
}

/// The uncertain parameters of a scenario and the text they were found in.
#[derive(Debug, Clone)]
pub struct Uncertainty {
    text: String,
    file_name: String,
    /// The parameters, in file order.
    pub params: Vec<UncertainParam>,
}

/// A draw that makes the scenario invalid, or a failure to resolve a replication's scenario.
#[derive(Debug, thiserror::Error)]
#[error("replication {replication}: the drawn values {drawn} make the scenario invalid (narrow the distribution or bound it away from invalid values):\n{diagnostics}")]
pub struct DrawError {
    /// Replication index.
    pub replication: u32,
    /// `path = value` of every parameter, comma-separated.
    pub drawn: String,
    /// What the resolver said about the drawn scenario.
    pub diagnostics: String,
}

impl Uncertainty {
    /// The draws of replication `replication` under master seed `seed`, one per parameter in
    /// [`Uncertainty::params`] order (internal units; integers already rounded).
    pub fn draw(&self, seed: u64, replication: u32) -> Vec<f64> {
        let seeder = StreamSeeder::new(seed, u64::from(replication));
        self.params
            .iter()
            .map(|p| {
                let mut rng = seeder.stream(STREAM_PURPOSE, p.stream);
                let x = p.spec.draw(&mut rng);
                match p.kind {
                    ValueKind::Integer => x.round(),
                    ValueKind::Size => x.round().max(0.0),
                    _ => x,
                }
            })
            .collect()
    }

    /// The file text with each parameter replaced by `values` (internal units).
    pub fn substitute(&self, values: &[f64]) -> String {
        substitute(&self.text, &self.params, values)
    }

    /// The scenario of replication `replication`: draws, then resolves the drawn text.
    ///
    /// # Errors
    /// [`DrawError`] when the drawn values make the scenario invalid.
    pub fn realize(&self, seed: u64, replication: u32) -> Result<(Vec<f64>, Scenario), DrawError> {
        let values = self.draw(seed, replication);
        let text = self.substitute(&values);
        match super::parse(&text, &self.file_name) {
            Ok(s) => Ok((values, s)),
            Err(e) => Err(DrawError {
                replication,
                drawn: self
                    .params
                    .iter()
                    .zip(&values)
                    .map(|(p, v)| format!("{} = {}", p.path, p.literal(*v)))
                    .collect::<Vec<_>>()
                    .join(", "),
                diagnostics: e.to_string(),
            }),
        }
    }

    /// Stable key of a parameter path (FNV-1a 64): the index of its random stream.
    fn stream_of(path: &str) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in path.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    }
}

fn substitute(text: &str, params: &[UncertainParam], values: &[f64]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    // Params are in file order and their spans do not overlap (an uncertain table holds
    // only literals).
    let mut order: Vec<usize> = (0..params.len()).collect();
    order.sort_by_key(|&i| params[i].span.start);
    for i in order {
        let p = &params[i];
        out.push_str(&text[at..p.span.start]);
        out.push_str(&p.literal(values[i]));
        at = p.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Finds and validates the uncertain tables of a parsed document. Returns the uncertainty
/// (when there is any parameter and no error) and reports problems into `sink`.
pub(crate) fn detect(
    text: &str,
    file_name: &str,
    doc: &toml::Table,
    sink: &mut Sink<'_>,
) -> Option<Arc<Uncertainty>> {
    let mut found: Vec<(String, &toml::Table)> = Vec::new();
    for (k, v) in doc {
        walk(v, &locate::join("", k), &mut found);
    }
    if found.is_empty() {
        return None;
    }
    let spans = locate::value_spans(text);
    let mut params = Vec::new();
    for (path, table) in found {
        let span = spans.get(&path).cloned();
        let at = span.clone().unwrap_or(0..0);
        let top = path.split(['.', '[']).next().unwrap_or("");
        if FIXED_KEYS.contains(&top) && !path.contains('.') {
            sink.error(
                at,
                path.clone(),
                format!("`{path}` cannot be uncertain: it decides how replications are made"),
                Some(format!("give `{path}` a plain value")),
            );
            continue;
        }
        let inline = span
            .as_ref()
            .and_then(|s| text.get(s.clone()))
            .is_some_and(|t| t.trim_start().starts_with('{'));
        let Some(span) = span.filter(|_| inline) else {
            sink.error(
                at,
                path.clone(),
                "an uncertain value must be an inline table on the parameter's line",
                Some(format!(
                    "write it as `{} = {{ uniform = [LOW, HIGH] }}`",
                    path.rsplit('.').next().unwrap_or("x")
                )),
            );
            continue;
        };
        match parse_spec(table) {
            Ok((kind, spec)) => params.push(UncertainParam {
                stream: Uncertainty::stream_of(&path),
                written: text[span.clone()]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                path,
                kind,
                spec,
                span,
            }),
            Err((key, message, help)) => {
                let field = match key {
                    Some(k) => format!("{path}.{k}"),
                    None => path,
                };
                sink.error(span, field, message, help);
            }
        }
    }
    if sink.has_errors() || params.is_empty() {
        return None;
    }
    params.sort_by_key(|p| p.span.start);
    Some(Arc::new(Uncertainty {
        text: text.to_string(),
        file_name: file_name.to_string(),
        params,
    }))
}

/// The nominal text of a document with uncertain parameters (each at its central value).
pub(crate) fn nominal_text(u: &Uncertainty) -> String {
    let values: Vec<f64> = u
        .params
        .iter()
        .map(|p| {
            let c = p.spec.central();
            if p.kind == ValueKind::Integer {
                c.round()
            } else {
                c
            }
        })
        .collect();
    u.substitute(&values)
}

/// Adds a help line to the diagnostics of the nominal scenario that concern an uncertain
/// parameter (their field starts with its path).
pub(crate) fn explain(err: ScenarioError, u: &Uncertainty) -> ScenarioError {
    match err {
        ScenarioError::Invalid(mut d) => {
            for diag in &mut d.0 {
                if let Some(p) = u.params.iter().find(|p| diag.field.starts_with(&p.path)) {
                    let extra = format!(
                        "`{}` is uncertain ({}); this is its central value{}",
                        p.path,
                        p.written,
                        if p.kind == ValueKind::Number {
                            "; an integer parameter takes `choice` over integers"
                        } else {
                            ""
                        }
                    );
                    diag.help = Some(match diag.help.take() {
                        Some(h) => format!("{h}\n{extra}"),
                        None => extra,
                    });
                }
            }
            ScenarioError::Invalid(d)
        }
        other => other,
    }
}

/// Resolves the scenario's `slo` key: parsed, and every entry it names must exist.
pub(crate) fn resolve_slo(
    sink: &mut Sink<'_>,
    raw: Option<&super::raw::Sp<String>>,
    workload: &super::Workload,
) -> Vec<crate::spec::slo::Slo> {
    let Some(raw) = raw else {
        return Vec::new();
    };
    let parsed = crate::spec::slo::Slo::parse(raw.get()).and_then(|slo| {
        slo.check_entries(workload.entries.iter().map(|e| e.name.as_str()))
            .map(|()| slo)
    });
    match parsed {
        Ok(slo) => vec![slo],
        Err(e) => {
            sink.error(
                raw.span(),
                "slo",
                e.to_string(),
                Some("e.g. slo = \"p99<300ms,errors<0.1%\"; clauses are [ENTRY.]METRIC<VALUE, METRIC one of mean, p50, p90, p95, p99, p999, errors, availability, throughput".into()),
            );
            Vec::new()
        }
    }
}

/// Summary of an uncertain parameter for reports: `path ~ written`.
pub fn describe_params(u: &Uncertainty) -> BTreeMap<String, String> {
    u.params
        .iter()
        .map(|p| (p.path.clone(), p.written.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::StreamSeeder;

    fn sample_mean(spec: &Spec, n: usize) -> f64 {
        let mut r = StreamSeeder::new(1, 0).stream(0, 0);
        (0..n).map(|_| spec.draw(&mut r)).sum::<f64>() / n as f64
    }

    #[test]
    fn draws_have_the_central_mean() {
        // The sample mean of 200,000 draws is within 4 standard errors of the mean.
        let cases = [
            (
                Spec::Uniform {
                    low: 700.0,
                    high: 900.0,
                },
                200.0 / 12f64.sqrt(),
            ),
            (
                Spec::Normal {
                    mean: 800.0,
                    sd: 50.0,
                },
                50.0,
            ),
            (
                Spec::Lognormal {
                    mean: 800.0,
                    cv: 0.25,
                },
                200.0,
            ),
            (
                Spec::Triangular {
                    min: 1.0,
                    mode: 2.0,
                    max: 6.0,
                },
                ((1.0 + 4.0 + 36.0 - 2.0 - 6.0 - 12.0) / 18.0f64).sqrt(),
            ),
            (
                Spec::Choice {
                    values: vec![1.0, 2.0, 3.0],
                    weights: vec![1.0, 1.0, 2.0],
                },
                0.6875f64.sqrt(),
            ),
        ];
        for (spec, sd) in cases {
            let n = 200_000;
            let m = sample_mean(&spec, n);
            let expected = match &spec {
                Spec::Choice { .. } => 2.25,
                s => s.central(),
            };
            assert!(
                (m - expected).abs() < 4.0 * sd / (n as f64).sqrt(),
                "{spec:?}: {m} vs {expected}"
            );
        }
    }
}
