//! Service-level objectives: parsing `"p99<300ms,errors<0.1%"` (the checking of a variant's
//! results against them is in `crate::results::slo`).
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
//! on average** when the mean does. `Slo::evaluate` reports both.
//!
//! ```
//! let slo = archsim::spec::slo::Slo::parse("p99<300ms, errors<0.1%").unwrap();
//! assert_eq!(slo.clauses.len(), 2);
//! assert_eq!(slo.clauses[0].threshold, 0.3);
//! assert!(archsim::spec::slo::Slo::parse("p99<300").is_err()); // a latency needs a unit
//! ```

use crate::spec::units;
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

    /// Pairs of clauses that cannot both hold, each described (`p99<1s` and `p99>2s`; a
    /// lower bound on a percentile above an upper bound on a higher one, since p50 ≤ p90 ≤ … ≤
    /// p999), for clauses on the same entry (or both on every entry).
    pub fn contradictions(&self) -> Vec<String> {
        // Latency percentiles in order (the mean has no fixed place among them).
        let rank = |m: Metric| match m {
            Metric::P50 => Some(0),
            Metric::P90 => Some(1),
            Metric::P95 => Some(2),
            Metric::P99 => Some(3),
            Metric::P999 => Some(4),
            _ => None,
        };
        let mut out = Vec::new();
        for hi in self.clauses.iter().filter(|c| c.op.upper_bound()) {
            for lo in self.clauses.iter().filter(|c| !c.op.upper_bound()) {
                if hi.entry != lo.entry {
                    continue;
                }
                // `lo.metric ≤ hi.metric` always holds for these pairs.
                let ordered = lo.metric == hi.metric
                    || matches!((rank(lo.metric), rank(hi.metric)), (Some(a), Some(b)) if a <= b);
                if !ordered {
                    continue;
                }
                let strict = matches!(hi.op, Op::Lt) || matches!(lo.op, Op::Gt);
                if lo.threshold > hi.threshold || (strict && lo.threshold >= hi.threshold) {
                    out.push(format!(
                        "`{}` and `{}` cannot both hold: the SLO is never met",
                        lo.text, hi.text
                    ));
                }
            }
        }
        out
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
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn contradictory_clauses_are_found() {
        let c = |t: &str| Slo::parse(t).unwrap().contradictions();
        assert_eq!(c("p99<1s,p99>2s").len(), 1);
        assert!(c("p99<1s,p99>2s")[0].contains("`p99>2s` and `p99<1s`"));
        assert_eq!(c("p99<1s,p99>1s").len(), 1);
        assert_eq!(c("p99<=1s,p99>=1s").len(), 0, "exactly 1 s meets both");
        assert_eq!(c("p50>2s,p99<1s").len(), 1, "p50 ≤ p99");
        assert_eq!(c("p99>2s,p50<1s").len(), 0, "a wide tail is possible");
        assert_eq!(c("p99<1s,p99>0.5s,errors<1%").len(), 0);
        assert_eq!(c("errors<1%,errors>5%").len(), 1);
        assert_eq!(c("a.p99<1s,b.p99>2s").len(), 0, "different entries");
        assert_eq!(c("mean>2s,p99<1s").len(), 0, "the mean has no fixed rank");
    }

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
}
