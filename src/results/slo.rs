//! Checking a variant's results against a service-level objective ([`Slo`]), with
//! confidence: a clause is met with 95% confidence when the far end of its interval satisfies
//! it, met on average when the mean does.

use super::VariantResult;
use crate::spec::slo::{Clause, Metric, Slo};
use crate::stats::Stat;
use serde::{Deserialize, Serialize};

impl Slo {
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
pub fn metric_stat(e: &super::EntryResult, metric: Metric) -> Stat {
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
    use crate::spec::slo::Slo;

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
        let text = include_str!("../../scenarios/queueing/mm1.toml");
        let sc = crate::scenario::parse(text, "mm1.toml").unwrap();
        let r = crate::runner::run(
            &sc,
            &crate::runner::RunOptions {
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
