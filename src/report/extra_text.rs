//! Text sections for uncertain inputs, precision runs, warm-up detection and tail-percentile
//! footnotes, appended to the main tables by [`super::render_text`].

use super::fmt::fmt_secs;
use crate::results::{Results, Spread};
use std::fmt::Write;

/// The footnote under the entries table when a percentile is marked `~`.
pub(crate) fn entries_footnotes(r: &Results) -> String {
    let low = r.variants.iter().any(|v| {
        v.entries
            .values()
            .any(|e| e.latency_s.p99_low_samples || e.latency_s.p999_low_samples)
    });
    let boot = r.variants.iter().any(|v| {
        v.entries
            .values()
            .any(|e| e.latency_s.tail_interval == "bootstrap")
    });
    let mut out = String::new();
    if low {
        let _ = writeln!(
            out,
            "~ estimated from too few requests: some replication has fewer than 10/(1−q) successful requests (1,000 for p99, 10,000 for p99.9); indicative only — run longer"
        );
    }
    if boot {
        let _ = writeln!(
            out,
            "p99 and p99.9 intervals: expanded percentile bootstrap over the {} replications (Student t from 10 on)",
            r.replications
        );
    }
    out
}

fn spread_secs(s: &Spread) -> String {
    format!(
        "{} [{} … {}]",
        fmt_secs(s.p50),
        fmt_secs(s.p5),
        fmt_secs(s.p95)
    )
}

fn spread_num(s: &Spread) -> String {
    let f = |x: f64| {
        if x.abs() >= 100.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.4}")
        }
    };
    format!("{} [{} … {}]", f(s.p50), f(s.p5), f(s.p95))
}

/// Uncertain inputs, warm-up detection and precision, as text.
pub(crate) fn render(r: &Results) -> String {
    let mut out = String::new();
    if let Some(u) = &r.uncertainty {
        let _ = writeln!(
            out,
            "\nUncertain inputs (drawn once per replication; median [5% … 95%] across replications)"
        );
        for p in &u.parameters {
            let s = crate::runner::uncertain::spread(&p.drawn);
            let unit = if p.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", p.unit)
            };
            let f = |x: f64| {
                if p.unit == "s" {
                    fmt_secs(x)
                } else if x.abs() >= 100.0 {
                    format!("{x:.0}{unit}")
                } else {
                    format!("{x:.4}{unit}")
                }
            };
            let _ = writeln!(
                out,
                "  {} ~ {}: drawn {} [{} … {}]",
                p.path,
                p.distribution,
                f(s.p50),
                f(s.p5),
                f(s.p95)
            );
        }
        for v in &u.variants {
            for (name, e) in &v.entries {
                let _ = writeln!(
                    out,
                    "  `{}`, {name}: mean {}, p99 {}, throughput {} /s, errors {}",
                    v.name,
                    spread_secs(&e.latency_mean_s),
                    spread_secs(&e.latency_p99_s),
                    spread_num(&e.throughput_per_s),
                    spread_num(&e.error_ratio)
                );
            }
        }
    }
    if !r.slo_probability.is_empty() {
        let one = r.replications < 2;
        let what = if one {
            "one replication: no interval"
        } else {
            "95% Wilson interval"
        };
        let _ = writeln!(out, "\nSLO met (fraction of replications; {what})");
        for p in &r.slo_probability {
            let interval = if one {
                String::new()
            } else {
                format!(
                    " [{:.1}% … {:.1}%]",
                    p.wilson95_low * 100.0,
                    p.wilson95_high * 100.0
                )
            };
            let _ = writeln!(
                out,
                "  `{}`, {}: {:.1}% ({} of {}){interval}",
                p.variant,
                p.slo,
                p.probability * 100.0,
                p.met,
                p.replications,
            );
        }
    }
    // Warm-up: a transient judged significant (stationary workloads; the warning says what to
    // set), or, for a workload that varies on purpose, what to measure instead.
    let mut lines = Vec::new();
    let mut advice = Vec::new();
    for v in &r.variants {
        for (name, w) in &v.warmup_detected {
            if let Some(a) = &w.advice {
                let a = format!("  {a}");
                if !advice.contains(&a) {
                    advice.push(a);
                }
            } else if let (true, Some(t)) = (w.warmup_too_short, w.truncation_s) {
                lines.push(format!(
                    "  `{}`, {name}: truncation point {t} s > warmup {} s — the transient biases the measured figures: lengthen warmup",
                    v.name, w.configured_warmup_s
                ));
            }
        }
    }
    if !lines.is_empty() {
        let _ = writeln!(
            out,
            "\nWarm-up detected (MSER-5 on window p50 latency and throughput)"
        );
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
    }
    if !advice.is_empty() {
        let _ = writeln!(
            out,
            "\nWhat to measure (the workload varies over time: no warm-up makes it steady)"
        );
        for l in advice {
            let _ = writeln!(out, "{l}");
        }
    }
    if let Some(p) = &r.precision {
        let _ = writeln!(
            out,
            "\nPrecision target ±{}%: {} with {} replications (batches {:?}, cap {})",
            p.target * 100.0,
            if p.met { "met" } else { "NOT met" },
            r.replications,
            p.batches,
            p.max_replications
        );
        for m in &p.metrics {
            let _ = writeln!(
                out,
                "  `{}`, {}: ±{:.2}%{}",
                m.variant,
                m.metric,
                m.relative_half_width * 100.0,
                if m.met { "" } else { "  (above target)" }
            );
        }
    }
    out
}
