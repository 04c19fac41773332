//! The verdict of a run: a few plain sentences per variant against the first (latency with its
//! biggest contributors from the paired anatomy difference, cost with its biggest line,
//! memory, availability, each SLO). Only what the 95% intervals support is said: a difference
//! whose interval includes 0 is "no significant difference"; with one replication there is no
//! interval and no confidence claim is made.

use super::{Comparison, CostLineResult, VariantResult};
use crate::spec::slo::Slo;
use crate::spec::units;
use crate::stats::Stat;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Contributors named per latency sentence.
const CONTRIBUTORS: usize = 3;

/// The verdict of one variant.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct VariantVerdict {
    /// Variant name.
    pub variant: String,
    /// Plain sentences, latency first, then cost, memory, availability and the SLOs.
    pub sentences: Vec<String>,
}

fn usd(x: f64) -> String {
    if x.abs() >= 0.995 || x == 0.0 {
        format!("${x:.2}")
    } else {
        format!("${x:.4}")
    }
}

/// Seconds for a sentence: the tables' format (`339 ns`, `250.0 µs`, `1.53 ms`), with the unit
/// kept on zero (`0 s`).
fn secs(s: f64) -> String {
    if s == 0.0 {
        "0 s".into()
    } else {
        units::fmt_secs(s)
    }
}

/// `+1.53 ms` / `−0.20 ms`.
fn signed(x: f64, f: impl Fn(f64) -> String) -> String {
    let sign = if x > 0.0 {
        "+"
    } else if x < 0.0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{}", f(x.abs()))
}

/// Whether the 95% interval of a difference excludes 0.
pub fn significant(d: &Stat) -> bool {
    d.ci95_low > 0.0 || d.ci95_high < 0.0
}

/// The difference `a − b` of two results estimated separately, with an interval whose
/// half-width is the root sum of squares of theirs. Common random numbers correlate the
/// variants positively, so this interval is wider than the paired one would be: a difference
/// it calls significant is.
fn unpaired(a: &Stat, b: &Stat) -> Stat {
    let mean = a.mean - b.mean;
    let h = (a.half_width().powi(2) + b.half_width().powi(2)).sqrt();
    Stat {
        mean,
        ci95_low: mean - h,
        ci95_high: mean + h,
        min: a.min - b.max,
        max: a.max - b.min,
    }
}

/// Builds the verdict of every variant against the first. `reps` is the replication count;
/// `slos` the scenario's SLOs (and those given to `run --slo`).
pub fn build(
    variants: &[VariantResult],
    comparisons: &[Comparison],
    slos: &[Slo],
    reps: u32,
) -> Vec<VariantVerdict> {
    let Some(base) = variants.first() else {
        return Vec::new();
    };
    variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut sentences = Vec::new();
            let cmp = comparisons.iter().find(|c| c.variant == v.name);
            if let (true, Some(c)) = (i > 0, cmp) {
                latency_sentences(&mut sentences, c, reps);
                sentences.push(cost_sentence(v, base, reps));
                sentences.push(memory_sentence(c, reps));
                sentences.push(availability_sentence(v, base, reps));
            } else if i == 0 && variants.len() > 1 {
                sentences.push("The baseline: the other variants are compared with it.".into());
            }
            slo_sentences(&mut sentences, v, slos, reps);
            VariantVerdict {
                variant: v.name.clone(),
                sentences,
            }
        })
        .collect()
}

/// Smallest share of a latency difference a part must carry to be named as a contributor.
const MIN_SHARE: f64 = 0.01;

/// One sentence per entry on the mean latency, with the parts that moved it most.
fn latency_sentences(out: &mut Vec<String>, c: &Comparison, reps: u32) {
    for (entry, d) in &c.entries {
        let m = &d.latency_mean_s;
        if d.latency_pairs == 0 {
            out.push(format!(
                "`{entry}`: no pair of replications completed a request in both variants, so their latency cannot be compared."
            ));
            continue;
        }
        if reps >= 2 && m.mean == 0.0 && m.ci95_low == 0.0 && m.ci95_high == 0.0 {
            out.push(format!(
                "`{entry}`: the same mean latency as `{}` in every replication.",
                c.baseline
            ));
            continue;
        }
        let contributors = |significant_only: bool| -> String {
            let mut parts: Vec<_> = d
                .anatomy
                .iter()
                .filter(|p| p.mean_s.mean * m.mean > 0.0)
                // A part that moved by less than 1% of the whole difference (the nanoseconds a
                // rounding can shift) explains nothing, however narrow its interval.
                .filter(|p| p.mean_s.mean.abs() >= MIN_SHARE * m.mean.abs())
                .filter(|p| !significant_only || significant(&p.mean_s))
                .collect();
            parts.sort_by(|a, b| b.mean_s.mean.abs().total_cmp(&a.mean_s.mean.abs()));
            parts
                .iter()
                .take(CONTRIBUTORS)
                .map(|p| format!("{} {}", p.part, signed(p.mean_s.mean, secs)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if d.latency_pairs < 2 || reps < 2 {
            let by = contributors(false);
            let by = if by.is_empty() {
                String::new()
            } else {
                format!(" (largest parts: {by})")
            };
            out.push(format!(
                "`{entry}`: mean latency {} against `{}`{by} (one replication: no interval).",
                signed(m.mean, secs),
                c.baseline
            ));
            continue;
        }
        if !significant(m) {
            out.push(format!(
                "`{entry}`: no significant difference in mean latency from `{}` ({}, 95% interval {} to {}).",
                c.baseline,
                signed(m.mean, secs),
                signed(m.ci95_low, secs),
                signed(m.ci95_high, secs)
            ));
            continue;
        }
        let word = if m.mean > 0.0 { "slower" } else { "faster" };
        let (lo, hi) = if m.mean > 0.0 {
            (m.ci95_low, m.ci95_high)
        } else {
            (-m.ci95_high, -m.ci95_low)
        };
        let by = contributors(true);
        let by = if by.is_empty() {
            " No single part's difference is significant on its own.".to_string()
        } else {
            format!(" Biggest contributors: {by}.")
        };
        out.push(format!(
            "`{entry}`: {word} than `{}` by {} on mean latency (95% interval {} to {}).{by}",
            c.baseline,
            secs(m.mean.abs()),
            secs(lo),
            secs(hi)
        ));
    }
}

/// The line of the bill whose monthly cost changed most in the direction of the total (lines
/// matched by resource, kind and name, a missing one counting as 0); with no total change, the
/// biggest change. Named `kind \`name\``.
fn biggest_line(v: &VariantResult, base: &VariantResult, total: f64) -> Option<(String, f64)> {
    let mut lines: Vec<(&String, &CostLineResult)> = v.cost.by_resource.iter().collect();
    lines.extend(
        base.cost
            .by_resource
            .iter()
            .filter(|(k, _)| !v.cost.by_resource.contains_key(*k)),
    );
    let get = |r: &VariantResult, k: &str| {
        r.cost
            .by_resource
            .get(k)
            .map_or(0.0, |l| l.per_month_usd.mean)
    };
    lines
        .into_iter()
        .map(|(k, l)| (format!("{} `{}`", l.kind, l.name), get(v, k) - get(base, k)))
        .filter(|(_, d)| *d != 0.0 && *d * total >= 0.0)
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
}

fn cost_sentence(v: &VariantResult, base: &VariantResult, reps: u32) -> String {
    let d = unpaired(&v.cost.per_month_usd, &base.cost.per_month_usd);
    let line = biggest_line(v, base, d.mean)
        .map(|(n, x)| format!(", led by {n} ({}/month)", signed(x, usd)))
        .unwrap_or_default();
    // No spread over two or more replications: a provisioned bill, known exactly.
    let exact = reps >= 2 && d.half_width() == 0.0;
    // The same bill replication by replication (common random numbers: a usage-priced line
    // varies between replications, but identically in both variants).
    let (a, b) = (&v.cost.per_month_usd, &base.cost.per_month_usd);
    let same = reps >= 2
        && (a.mean, a.ci95_low, a.ci95_high, a.min, a.max)
            == (b.mean, b.ci95_low, b.ci95_high, b.min, b.max);
    if (d.mean == 0.0 && exact) || same {
        return format!("Cost: the same as `{}` per month.", base.name);
    }
    let what = if d.mean > 0.0 { "more" } else { "less" };
    if exact || (reps >= 2 && significant(&d)) {
        format!(
            "Cost: {} {what} per month than `{}` ({} against {}){line}.",
            usd(d.mean.abs()),
            base.name,
            usd(v.cost.per_month_usd.mean),
            usd(base.cost.per_month_usd.mean)
        )
    } else if reps < 2 {
        format!(
            "Cost: {}/month against `{}`{line} (one replication: no interval).",
            signed(d.mean, usd),
            base.name
        )
    } else {
        format!(
            "Cost: no significant difference from `{}` ({}/month, 95% interval {} to {}).",
            base.name,
            signed(d.mean, usd),
            signed(d.ci95_low, usd),
            signed(d.ci95_high, usd)
        )
    }
}

fn memory_sentence(c: &Comparison, reps: u32) -> String {
    let d = &c.memory_provisioned_gb;
    let exact = reps >= 2 && d.half_width() == 0.0;
    if d.mean == 0.0 && exact {
        return format!("Memory: the same provisioned memory as `{}`.", c.baseline);
    }
    let what = if d.mean > 0.0 { "more" } else { "less" };
    if exact || (reps >= 2 && significant(d)) {
        format!(
            "Memory: {:.2} GB {what} provisioned than `{}`.",
            d.mean.abs(),
            c.baseline
        )
    } else if reps < 2 {
        format!(
            "Memory: {:+.2} GB provisioned against `{}` (one replication: no interval).",
            d.mean, c.baseline
        )
    } else {
        format!(
            "Memory: no significant difference in provisioned memory from `{}` ({:+.2} GB).",
            c.baseline, d.mean
        )
    }
}

fn availability_sentence(v: &VariantResult, base: &VariantResult, reps: u32) -> String {
    let d = unpaired(&v.availability, &base.availability);
    let pct = |x: f64| format!("{:.3}%", 100.0 * x);
    if reps >= 2 && d.mean == 0.0 && d.half_width() == 0.0 {
        return format!(
            "Availability: the same as `{}` ({}).",
            base.name,
            pct(v.availability.mean)
        );
    }
    if reps < 2 {
        return format!(
            "Availability: {} against {} for `{}` (one replication: no interval).",
            pct(v.availability.mean),
            pct(base.availability.mean),
            base.name
        );
    }
    if !significant(&d) {
        return format!(
            "Availability: no significant difference from `{}` ({} against {}).",
            base.name,
            pct(v.availability.mean),
            pct(base.availability.mean)
        );
    }
    let what = if d.mean > 0.0 { "higher" } else { "lower" };
    format!(
        "Availability: {what} than `{}` ({} against {}).",
        base.name,
        pct(v.availability.mean),
        pct(base.availability.mean)
    )
}

/// One sentence per SLO: met with 95% confidence, met on average only, or violated.
fn slo_sentences(out: &mut Vec<String>, v: &VariantResult, slos: &[Slo], reps: u32) {
    for slo in slos {
        let text: Vec<&str> = slo.clauses.iter().map(|c| c.text.as_str()).collect();
        let text = text.join(", ");
        let o = slo.evaluate(v);
        let s = if reps < 2 {
            if o.checks.iter().all(|c| c.met_on_average) {
                format!("SLO `{text}`: met by the one replication (one replication: no interval).")
            } else {
                format!(
                    "SLO `{text}`: not met by the one replication (one replication: no interval)."
                )
            }
        } else {
            match o.verdict {
                super::slo::Verdict::Met => format!("SLO `{text}`: met with 95% confidence."),
                super::slo::Verdict::Uncertain => format!(
                    "SLO `{text}`: met on average but not with 95% confidence (more replications or a margin are needed)."
                ),
                super::slo::Verdict::Violated => format!("SLO `{text}`: not met."),
            }
        };
        out.push(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(mean: f64, lo: f64, hi: f64) -> Stat {
        Stat {
            mean,
            ci95_low: lo,
            ci95_high: hi,
            min: lo,
            max: hi,
        }
    }

    #[test]
    fn significance_needs_an_interval_excluding_zero() {
        assert!(significant(&st(1.0, 0.5, 1.5)));
        assert!(significant(&st(-1.0, -1.5, -0.5)));
        assert!(!significant(&st(0.1, -0.1, 0.3)));
        assert!(!significant(&st(0.0, 0.0, 0.0)));
    }

    #[test]
    fn unpaired_difference_widens_the_interval() {
        let d = unpaired(&st(3.0, 2.0, 4.0), &st(1.0, 0.0, 2.0));
        assert_eq!(d.mean, 2.0);
        assert!((d.half_width() - 2f64.sqrt()).abs() < 1e-12);
        assert!(significant(&d));
    }
}
