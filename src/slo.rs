//! Service-level objectives: parsing `"p99<300ms,errors<0.1%"` and checking a variant's results
//! against them, with confidence.
//!
//! An SLO is a comma-separated list of clauses `[ENTRY.]METRIC OP VALUE`:
//!
//! | metric | meaning | value |
//! |---|---|---|
//! | `mean`, `p50`, `p90`, `p95`, `p99`, `p999` (or `p99.9`) | latency of successful requests | a duration: `300ms`, `1.5s` |
//! | `errors` | failed / answered requests | a percentage `0.1%` or a fraction `0.001` |
//! | `availability` | successful / answered requests | a percentage `99.9%` or a fraction |
//! | `throughput` | successful requests per second | a number |
//!
//! `OP` is `<`, `<=`, `>` or `>=`. A clause without `ENTRY.` must hold for every entry
//! (`availability` without an entry is the variant's availability over all entries); with it,
//! for that entry only (`checkout.p99<800ms`).
//!
//! A clause is **met with 95% confidence** when the far end of the 95% confidence interval
//! over replications satisfies it (the upper end for `<`, the lower end for `>`); it is **met
//! on average** when the mean does. [`Slo::evaluate`] reports both.
//!
//! ```
//! let slo = archsim::slo::Slo::parse("p99<300ms, errors<0.1%").unwrap();
//! assert_eq!(slo.clauses.len(), 2);
//! assert_eq!(slo.clauses[0].threshold, 0.3);
//! assert!(archsim::slo::Slo::parse("p99<300").is_err()); // a latency needs a unit
//! ```

use crate::montecarlo::stat::Stat;
use crate::report::VariantResult;
use crate::scenario::units;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a clause measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Mean latency \[s\].
    Mean,
    /// Median latency \[s\].
    P50,
    /// 90th percentile latency \[s\].
    P90,
    /// 95th percentile latency \[s\].
    P95,
    /// 99th percentile latency \[s\].
    P99,
    /// 99.9th percentile latency \[s\].
    P999,
    /// Error ratio: failed / answered (0–1).
    Errors,
    /// Availability: successful / answered (0–1).
    Availability,
    /// Successful requests per second.
    Throughput,
}

const METRICS: [(&str, Metric); 10] = [
    ("mean", Metric::Mean),
    ("p50", Metric::P50),
    ("p90", Metric::P90),
    ("p95", Metric::P95),
    ("p99", Metric::P99),
    ("p999", Metric::P999),
    ("p99.9", Metric::P999),
    ("errors", Metric::Errors),
    ("availability", Metric::Availability),
    ("throughput", Metric::Throughput),
];

impl Metric {
    /// The name used in SLO strings.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Mean => "mean",
            Metric::P50 => "p50",
            Metric::P90 => "p90",
            Metric::P95 => "p95",
            Metric::P99 => "p99",
            Metric::P999 => "p999",
            Metric::Errors => "errors",
            Metric::Availability => "availability",
            Metric::Throughput => "throughput",
        }
    }

    /// Whether the metric is a latency (value in seconds).
    pub fn is_latency(self) -> bool {
        matches!(
            self,
            Metric::Mean | Metric::P50 | Metric::P90 | Metric::P95 | Metric::P99 | Metric::P999
        )
    }

    fn is_ratio(self) -> bool {
        matches!(self, Metric::Errors | Metric::Availability)
    }
}

/// Comparison of a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Op {
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    /// `<`, `<=`, `>`, `>=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    /// Whether `x OP threshold` holds.
    pub fn holds(self, x: f64, threshold: f64) -> bool {
        match self {
            Op::Lt => x < threshold,
            Op::Le => x <= threshold,
            Op::Gt => x > threshold,
            Op::Ge => x >= threshold,
        }
    }

    /// Whether smaller values are better (`<`, `<=`).
    pub fn upper_bound(self) -> bool {
        matches!(self, Op::Lt | Op::Le)
    }
}

/// One clause of an SLO.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Clause {
    /// The entry it applies to; `None` = every entry.
    pub entry: Option<String>,
    /// What is measured.
    pub metric: Metric,
    /// The comparison.
    pub op: Op,
    /// The bound in base units: seconds for latencies, a fraction (0–1) for errors and
    /// availability, requests per second for throughput.
    pub threshold: f64,
    /// The clause as written (trimmed).
    pub text: String,
}

/// A parsed SLO: every clause must hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Slo {
    /// The clauses, in the order written.
    pub clauses: Vec<Clause>,
}

/// Why an SLO string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("SLO `{text}`: {message}")]
pub struct SloError {
    /// The clause (or whole SLO) at fault.
    pub text: String,
    /// What is wrong and what is expected.
    pub message: String,
}

impl fmt::Display for Slo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = self.clauses.iter().map(|c| c.text.as_str()).collect();
        f.write_str(&parts.join(","))
    }
}

fn parse_clause(raw: &str) -> Result<Clause, SloError> {
    let text: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let err = |message: String| SloError {
        text: text.clone(),
        message,
    };
    let pos = text.find(['<', '>']).ok_or_else(|| {
        err("expected a comparison: METRIC<VALUE or METRIC>VALUE, e.g. `p99<300ms`".into())
    })?;
    let (lhs, rest) = text.split_at(pos);
    let (op, value) = if let Some(v) = rest.strip_prefix("<=") {
        (Op::Le, v)
    } else if let Some(v) = rest.strip_prefix(">=") {
        (Op::Ge, v)
    } else if let Some(v) = rest.strip_prefix('<') {
        (Op::Lt, v)
    } else {
        (Op::Gt, &rest[1..])
    };
    if value.is_empty() {
        return Err(err("the value after the comparison is missing".into()));
    }
    if value.contains(['<', '>', '=']) {
        return Err(err(
            "one comparison per clause; separate clauses with commas".into(),
        ));
    }
    let names: Vec<&str> = METRICS.iter().map(|(n, _)| *n).collect();
    let lookup = |n: &str| METRICS.iter().find(|(m, _)| *m == n).map(|(_, m)| *m);
    let (entry, metric) = match lookup(lhs) {
        Some(m) => (None, m),
        None => {
            // ENTRY.METRIC: the metric is the longest known suffix after a dot.
            let split = METRICS
                .iter()
                .filter_map(|(n, m)| {
                    lhs.strip_suffix(n)
                        .and_then(|e| e.strip_suffix('.'))
                        .filter(|e| !e.is_empty())
                        .map(|e| (e.to_string(), *m))
                })
                .next();
            match split {
                Some((e, m)) => (Some(e), m),
                None => {
                    let word = lhs.rsplit('.').next().unwrap_or(lhs);
                    return Err(err(if lhs.is_empty() {
                        format!("the metric is missing; one of: {}", names.join(", "))
                    } else {
                        format!(
                            "unknown metric `{word}`; {}",
                            units::suggest(word, names.iter().copied(), "expected one of")
                        )
                    }));
                }
            }
        }
    };
    let threshold = if metric.is_latency() {
        let ns = units::parse_duration_ns(value).map_err(|_| {
            err(format!(
                "`{value}` is not a duration; a latency bound needs a unit, e.g. `300ms` or `1.5s`"
            ))
        })?;
        ns / 1e9
    } else if metric.is_ratio() {
        let x = match value.strip_suffix('%') {
            Some(p) => p.parse::<f64>().ok().map(|x| x / 100.0),
            None => value.parse::<f64>().ok(),
        };
        match x {
            Some(x) if (0.0..=1.0).contains(&x) => x,
            _ => {
                return Err(err(format!(
                    "`{value}` is not a ratio; give a percentage between 0% and 100% (`0.1%`) or a fraction between 0 and 1 (`0.001`)"
                )))
            }
        }
    } else {
        match value.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => x,
            _ => {
                return Err(err(format!(
                    "`{value}` is not a throughput; give requests per second as a number, e.g. `throughput>500`"
                )))
            }
        }
    };
    Ok(Clause {
        entry,
        metric,
        op,
        threshold,
        text,
    })
}

impl Slo {
    /// Parses `"p99<300ms,errors<0.1%"`.
    ///
    /// # Errors
    /// [`SloError`] naming the clause and what is expected.
    pub fn parse(s: &str) -> Result<Slo, SloError> {
        if s.trim().is_empty() {
            return Err(SloError {
                text: s.to_string(),
                message: "the SLO is empty; e.g. `p99<300ms,errors<0.1%`".into(),
            });
        }
        let clauses = s
            .split(',')
            .map(|c| {
                if c.trim().is_empty() {
                    Err(SloError {
                        text: s.trim().to_string(),
                        message: "an empty clause (two commas in a row, or a trailing comma)"
                            .into(),
                    })
                } else {
                    parse_clause(c)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Slo { clauses })
    }

    /// Checks that every entry named by a clause exists in `entries`.
    ///
    /// # Errors
    /// [`SloError`] with "did you mean".
    pub fn check_entries<'a>(
        &self,
        entries: impl IntoIterator<Item = &'a str> + Clone,
    ) -> Result<(), SloError> {
        for c in &self.clauses {
            if let Some(e) = &c.entry {
                if !entries.clone().into_iter().any(|n| n == e) {
                    return Err(SloError {
                        text: c.text.clone(),
                        message: format!(
                            "no entry named `{e}`; {}",
                            units::suggest(e, entries.clone(), "the entries are")
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// Evaluates every clause on a variant's results.
    pub fn evaluate(&self, v: &VariantResult) -> SloOutcome {
        let mut checks = Vec::new();
        for c in &self.clauses {
            let targets: Vec<(Option<&str>, Stat)> = match (&c.entry, c.metric) {
                (None, Metric::Availability) => vec![(None, v.availability)],
                (None, m) => v
                    .entries
                    .iter()
                    .map(|(n, e)| (Some(n.as_str()), metric_stat(e, m)))
                    .collect(),
                (Some(name), m) => match v.entries.get(name) {
                    Some(e) => vec![(Some(name.as_str()), metric_stat(e, m))],
                    None => Vec::new(),
                },
            };
            if targets.is_empty() {
                checks.push(Check {
                    clause: c.text.clone(),
                    entry: c.entry.clone(),
                    mean: f64::NAN,
                    far_end: f64::NAN,
                    met_on_average: false,
                    met_with_confidence: false,
                });
            }
            for (entry, st) in targets {
                let far = if c.op.upper_bound() {
                    st.ci95_high
                } else {
                    st.ci95_low
                };
                checks.push(Check {
                    clause: c.text.clone(),
                    entry: entry.map(str::to_string),
                    mean: st.mean,
                    far_end: far,
                    met_on_average: c.op.holds(st.mean, c.threshold),
                    met_with_confidence: c.op.holds(far, c.threshold),
                });
            }
        }
        let met = checks.iter().all(|c| c.met_with_confidence);
        let met_on_average = checks.iter().all(|c| c.met_on_average);
        SloOutcome {
            verdict: if met {
                Verdict::Met
            } else if met_on_average {
                Verdict::Uncertain
            } else {
                Verdict::Violated
            },
            checks,
        }
    }
}

impl Slo {
    /// How far the worst clause is from its bound, at the far end of its 95% interval: the far
    /// end over the bound for `<` clauses, the bound over the far end for `>` clauses; below 1
    /// when every clause is met with confidence (the right-sizing search's progress measure).
    pub fn margin(&self, v: &VariantResult) -> f64 {
        let ratio = |c: &Clause, far: f64| {
            let (num, den) = if c.op.upper_bound() {
                (far, c.threshold)
            } else {
                (c.threshold, far)
            };
            if den > 0.0 {
                num / den
            } else if num > 0.0 {
                f64::INFINITY
            } else {
                0.0
            }
        };
        let out = self.evaluate(v);
        let mut worst: f64 = 0.0;
        for (chk, c) in out.checks.iter().map(|chk| {
            let c = self
                .clauses
                .iter()
                .find(|c| c.text == chk.clause)
                .unwrap_or(&self.clauses[0]);
            (chk, c)
        }) {
            let r = if chk.far_end.is_nan() {
                f64::INFINITY
            } else {
                ratio(c, chk.far_end)
            };
            worst = worst.max(r);
        }
        worst
    }
}

/// The [`Stat`] of `metric` for one entry, in the clause's base units.
pub fn metric_stat(e: &crate::report::EntryResult, metric: Metric) -> Stat {
    match metric {
        Metric::Mean => e.latency_s.mean,
        Metric::P50 => e.latency_s.p50,
        Metric::P90 => e.latency_s.p90,
        Metric::P95 => e.latency_s.p95,
        Metric::P99 => e.latency_s.p99,
        Metric::P999 => e.latency_s.p999,
        Metric::Errors => Stat {
            mean: 1.0 - e.success_ratio.mean,
            ci95_low: 1.0 - e.success_ratio.ci95_high,
            ci95_high: 1.0 - e.success_ratio.ci95_low,
            min: 1.0 - e.success_ratio.max,
            max: 1.0 - e.success_ratio.min,
        },
        Metric::Availability => e.success_ratio,
        Metric::Throughput => e.throughput_per_s,
    }
}

/// Overall verdict of an SLO on a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every clause holds at the far end of its 95% interval.
    Met,
    /// Every clause holds on average, but not every one with 95% confidence: more
    /// replications (or a margin) are needed to be sure.
    Uncertain,
    /// At least one clause fails on average.
    Violated,
}

impl Verdict {
    /// `met`, `uncertain`, `violated`.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Uncertain => "uncertain",
            Verdict::Violated => "violated",
        }
    }
}

/// One clause checked on one entry (or the variant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Check {
    /// The clause as written.
    pub clause: String,
    /// The entry checked (`None` for the variant's availability).
    pub entry: Option<String>,
    /// Mean over replications (base units).
    pub mean: f64,
    /// The far end of the 95% interval (upper for `<`, lower for `>`).
    pub far_end: f64,
    /// Whether the mean satisfies the clause.
    pub met_on_average: bool,
    /// Whether the far end satisfies it.
    pub met_with_confidence: bool,
}

/// The outcome of an SLO on a variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SloOutcome {
    /// Met with 95% confidence, met on average only, or violated.
    pub verdict: Verdict,
    /// Every clause on every entry it covers.
    pub checks: Vec<Check>,
}

impl SloOutcome {
    /// Met with 95% confidence.
    pub fn met(&self) -> bool {
        self.verdict == Verdict::Met
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_metric_and_unit() {
        let s = Slo::parse(
            "p99<300ms, errors<0.1%, availability>=99.9%, checkout.p99.9<1.5s, throughput>100, browse.mean<=2ms, p50<1s,p90<1s,p95<1s,p999<2s",
        )
        .unwrap();
        assert_eq!(s.clauses.len(), 10);
        assert_eq!(s.clauses[0].threshold, 0.3);
        assert_eq!(s.clauses[0].op, Op::Lt);
        assert!((s.clauses[1].threshold - 0.001).abs() < 1e-15);
        assert!((s.clauses[2].threshold - 0.999).abs() < 1e-12);
        assert_eq!(s.clauses[2].op, Op::Ge);
        assert_eq!(s.clauses[3].entry.as_deref(), Some("checkout"));
        assert_eq!(s.clauses[3].metric, Metric::P999);
        assert_eq!(s.clauses[4].threshold, 100.0);
        assert_eq!(s.clauses[5].entry.as_deref(), Some("browse"));
        assert_eq!(s.clauses[5].metric, Metric::Mean);
        assert_eq!(s.to_string(), "p99<300ms,errors<0.1%,availability>=99.9%,checkout.p99.9<1.5s,throughput>100,browse.mean<=2ms,p50<1s,p90<1s,p95<1s,p999<2s");
    }

    #[test]
    fn clear_errors() {
        for (bad, want) in [
            ("", "empty"),
            ("p99", "expected a comparison"),
            ("erors<1%", "did you mean `errors`"),
            ("p99<300", "needs a unit"),
            ("errors<5", "not a ratio"),
            ("errors<150%", "not a ratio"),
            ("p99<", "missing"),
            ("p99<1s,,errors<1%", "empty clause"),
            ("throughput>fast", "not a throughput"),
            ("<1s", "metric is missing"),
            ("1ms<p99<2ms", "one comparison"),
        ] {
            let e = Slo::parse(bad).unwrap_err().to_string();
            assert!(e.contains(want), "{bad:?}: {e}");
        }
        let s = Slo::parse("chekout.p99<1s").unwrap();
        let e = s.check_entries(["browse", "checkout"]).unwrap_err();
        assert!(e.to_string().contains("did you mean `checkout`"), "{e}");
    }

    fn stat(mean: f64, lo: f64, hi: f64) -> Stat {
        Stat {
            mean,
            ci95_low: lo,
            ci95_high: hi,
            min: lo,
            max: hi,
        }
    }

    #[test]
    fn far_end_decides_confidence() {
        let text = include_str!("../scenarios/queueing/mm1.toml");
        let sc = crate::scenario::parse(text, "mm1.toml").unwrap();
        let r = crate::montecarlo::run(
            &sc,
            &crate::montecarlo::RunOptions {
                replications: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
        let mut v = r.variants[0].clone();
        let name = v.entries.keys().next().unwrap().clone();
        let e = v.entries.get_mut(&name).unwrap();
        e.latency_s.p99 = stat(0.25, 0.2, 0.31);
        e.success_ratio = stat(0.9995, 0.9992, 0.9998);
        let slo = Slo::parse("p99<300ms,errors<0.1%").unwrap();
        let out = slo.evaluate(&v);
        assert_eq!(out.verdict, Verdict::Uncertain);
        assert!(out.checks[0].met_on_average && !out.checks[0].met_with_confidence);
        assert!((out.checks[1].far_end - 0.0008).abs() < 1e-12);
        assert!(out.checks[1].met_with_confidence);
        v.entries.get_mut(&name).unwrap().latency_s.p99 = stat(0.25, 0.2, 0.29);
        assert_eq!(slo.evaluate(&v).verdict, Verdict::Met);
        v.entries.get_mut(&name).unwrap().latency_s.p99 = stat(0.35, 0.29, 0.4);
        assert_eq!(slo.evaluate(&v).verdict, Verdict::Violated);
        let lower = Slo::parse("availability>99.9%").unwrap();
        v.availability = stat(0.9995, 0.9985, 0.9999);
        assert_eq!(lower.evaluate(&v).verdict, Verdict::Uncertain);
    }
}
