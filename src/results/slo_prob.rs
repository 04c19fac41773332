//! The probability of meeting an SLO: the fraction of replications in which every clause
//! holds, with a Wilson score interval.
//!
//! Each replication is judged on its own figures (its mean latency, its percentiles, its error
//! ratio, its throughput, its availability). With uncertain inputs the replications differ by
//! their draws as well as by simulation noise, so the fraction estimates the probability of
//! meeting the SLO given what we do not know about the inputs.

use super::combine::{entry_values, success_ratio};
use crate::engine::record::RepResult;
use crate::model::Model;
use crate::results::{SloClauseProbability, SloProbability};
use crate::spec::slo::{Clause, Metric, Slo};
use crate::stats::quantile_s;

/// z for a two-sided 95% interval.
const Z: f64 = 1.959_963_984_540_054;

/// The 95% Wilson score interval of a proportion `k / n` (Wilson, 1927): well-behaved at
/// 0 and 1 and for small `n`, unlike the normal approximation. `(0, 1)` for `n = 0`.
pub fn wilson(k: u32, n: u32) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let n = f64::from(n);
    let p = f64::from(k) / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The value of `metric` for entry `e` in replication `r`, in the clause's base units. A
/// replication in which no request of the entry completed has an infinite latency: it meets no
/// latency bound.
fn entry_metric(r: &RepResult, e: usize, metric: Metric) -> f64 {
    let h = &r.entries[e].latency;
    let latency = matches!(
        metric,
        Metric::Mean | Metric::P50 | Metric::P90 | Metric::P95 | Metric::P99 | Metric::P999
    );
    if latency && h.is_empty() {
        return f64::INFINITY;
    }
    match metric {
        Metric::Mean => entry_values(r, e)[0],
        Metric::P50 => quantile_s(h, 0.5),
        Metric::P90 => quantile_s(h, 0.9),
        Metric::P95 => quantile_s(h, 0.95),
        Metric::P99 => quantile_s(h, 0.99),
        Metric::P999 => quantile_s(h, 0.999),
        Metric::Errors => 1.0 - entry_values(r, e)[4],
        Metric::Availability => entry_values(r, e)[4],
        Metric::Throughput => entry_values(r, e)[3],
    }
}

/// Whether `clause` holds in replication `r` (on every entry it covers).
pub fn clause_holds(m: &Model, r: &RepResult, clause: &Clause) -> bool {
    match (&clause.entry, clause.metric) {
        (None, Metric::Availability) => {
            let ok: u64 = r.entries.iter().map(|e| e.completed).sum();
            let bad: u64 = r.entries.iter().map(|e| e.failed_total()).sum();
            clause.op.holds(success_ratio(ok, bad), clause.threshold)
        }
        (None, metric) => (0..m.topo.entries.len()).all(|e| {
            clause
                .op
                .holds(entry_metric(r, e, metric), clause.threshold)
        }),
        (Some(name), metric) => match m.topo.entries.iter().position(|p| &p.name == name) {
            Some(e) => clause
                .op
                .holds(entry_metric(r, e, metric), clause.threshold),
            None => false,
        },
    }
}

/// Every SLO on every variant.
pub(crate) fn evaluate(
    slos: &[Slo],
    models: &[Model],
    per_variant: &[Vec<RepResult>],
) -> Vec<SloProbability> {
    let mut out = Vec::new();
    for slo in slos {
        for (m, reps) in models.iter().zip(per_variant) {
            let n = reps.len() as u32;
            let met = reps
                .iter()
                .filter(|r| slo.clauses.iter().all(|c| clause_holds(m, r, c)))
                .count() as u32;
            let (lo, hi) = wilson(met, n);
            let clauses = slo
                .clauses
                .iter()
                .map(|c| {
                    let k = reps.iter().filter(|r| clause_holds(m, r, c)).count() as u32;
                    SloClauseProbability {
                        clause: c.text.clone(),
                        met: k,
                        probability: if n == 0 {
                            0.0
                        } else {
                            f64::from(k) / f64::from(n)
                        },
                    }
                })
                .collect();
            out.push(SloProbability {
                slo: slo.to_string(),
                variant: m.variant.clone(),
                met,
                replications: n,
                probability: if n == 0 {
                    0.0
                } else {
                    f64::from(met) / f64::from(n)
                },
                wilson95_low: lo,
                wilson95_high: hi,
                clauses,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_known_values() {
        // Wilson (1927) for 8 of 10: [0.4902, 0.9433] (standard tables).
        let (lo, hi) = wilson(8, 10);
        assert!(
            (lo - 0.4902).abs() < 1e-4 && (hi - 0.9433).abs() < 1e-4,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(0, 10);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775).abs() < 1e-4, "{hi}");
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }
}
