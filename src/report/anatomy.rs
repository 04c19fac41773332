//! The latency anatomy and the verdict in the console report and in `anatomy.csv`.

use super::fmt::fmt_secs;
use super::table::with_ci;
use crate::results::anatomy::AnatomyPart;
use crate::results::verdict::significant;
use crate::results::{Comparison, Results};
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};
use std::fmt::Write as _;

/// Parts shown as rows; beyond this many, the smallest are summed as "other parts".
pub const MAX_PARTS: usize = 8;

/// Parts named in the p99-tail line.
const TAIL_PARTS: usize = 4;

/// The first parts of `parts` and, when there are more than [`MAX_PARTS`], the sum of the
/// rest's means and shares (no interval: the parts are not independent).
pub fn top_parts(parts: &[AnatomyPart]) -> (&[AnatomyPart], Option<(usize, f64, f64)>) {
    if parts.len() <= MAX_PARTS {
        return (parts, None);
    }
    let (head, rest) = parts.split_at(MAX_PARTS - 1);
    let mean = rest.iter().map(|p| p.mean_s.mean).sum();
    let share = rest.iter().map(|p| p.share).sum();
    (head, Some((rest.len(), mean, share)))
}

/// One table per variant and entry (parts as rows), the p99-tail line, then per comparison the
/// difference of the mean latency split into parts.
pub fn render_anatomy(r: &Results) -> String {
    let mut out = String::new();
    let what = if r.replications < 2 {
        "one replication: no interval"
    } else {
        "95% intervals"
    };
    for v in &r.variants {
        for (entry, a) in &v.anatomy {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(vec!["part", "mean", "share"]);
            let (head, rest) = top_parts(&a.parts);
            for p in head {
                t.add_row(vec![
                    p.part.clone(),
                    with_ci(&p.mean_s, fmt_secs),
                    format!("{:.1}%", 100.0 * p.share),
                ]);
            }
            if let Some((n, mean, share)) = rest {
                t.add_row(vec![
                    format!("other parts ({n})"),
                    fmt_secs(mean),
                    format!("{:.1}%", 100.0 * share),
                ]);
            }
            t.add_row(vec![
                "total (mean latency)".to_string(),
                with_ci(&a.mean_s, fmt_secs),
                "100%".to_string(),
            ]);
            for i in 1..3 {
                if let Some(c) = t.column_mut(i) {
                    c.set_cell_alignment(CellAlignment::Right);
                }
            }
            let _ = writeln!(
                out,
                "\nLatency anatomy of `{}`, {entry} (mean per successful request, {what})\n{t}",
                v.name
            );
            if a.tail.parts.is_empty() {
                continue;
            }
            let parts: Vec<String> = a
                .tail
                .parts
                .iter()
                .take(TAIL_PARTS)
                .map(|p| format!("{} {}", p.part, fmt_secs(p.mean_s.mean)))
                .collect();
            let more = if a.tail.parts.len() > TAIL_PARTS {
                ", …"
            } else {
                ""
            };
            let pct = ((1.0 - a.tail.quantile) * 100.0).round();
            let _ = writeln!(
                out,
                "slowest {pct}% of `{entry}`: {} — {}{more}",
                fmt_secs(a.tail.mean_s.mean),
                parts.join(", ")
            );
        }
    }
    for c in &r.comparisons {
        diff_lines(&mut out, c, r.replications);
    }
    out
}

/// `microservices − monolith, browse: +1.53 ms = API gateway +1.00 ms, …`, terms whose
/// interval includes 0 marked `(n.s.)`.
fn diff_lines(out: &mut String, c: &Comparison, reps: u32) {
    for (entry, d) in &c.entries {
        if d.anatomy.is_empty() || d.latency_pairs == 0 {
            continue;
        }
        let conf = reps >= 2 && d.latency_pairs >= 2;
        let sign = |x: f64| {
            let s = if x >= 0.0 { "+" } else { "−" };
            format!("{s}{}", fmt_secs(x.abs()))
        };
        let mut terms: Vec<String> = Vec::new();
        let mut ns = 0usize;
        for p in &d.anatomy {
            if conf && !significant(&p.mean_s) {
                ns += 1;
                continue;
            }
            terms.push(format!("{} {}", p.part, sign(p.mean_s.mean)));
        }
        let tail = if ns > 0 {
            format!(
                " (+ {ns} part{} whose difference is not significant)",
                if ns == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        };
        let total = if conf && !significant(&d.latency_mean_s) {
            format!("{} (not significant)", sign(d.latency_mean_s.mean))
        } else {
            sign(d.latency_mean_s.mean)
        };
        let _ = writeln!(
            out,
            "{} − {}, {entry}: {total} = {}{tail}",
            c.variant,
            c.baseline,
            if terms.is_empty() {
                "no significant part".to_string()
            } else {
                terms.join(", ")
            }
        );
    }
}

/// The verdict: a paragraph per variant.
pub fn render_verdict(r: &Results) -> String {
    let mut out = String::new();
    if r.verdict.iter().all(|v| v.sentences.is_empty()) {
        return out;
    }
    let _ = writeln!(out, "\nVerdict");
    for v in &r.verdict {
        if v.sentences.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {}:", v.variant);
        for t in &v.sentences {
            let _ = writeln!(out, "    {t}");
        }
    }
    out
}

/// `anatomy.csv`: one row per part of the mean, of the p99 tail and of each paired difference.
pub fn anatomy_csv(r: &Results) -> String {
    let mut s = String::from("variant,entry,scope,part,kind,mean_s,ci95_low,ci95_high,share\n");
    let q = super::csv::quote;
    for v in &r.variants {
        for (entry, a) in &v.anatomy {
            for (scope, parts) in [("mean", &a.parts), ("p99_tail", &a.tail.parts)] {
                for p in parts {
                    let _ = writeln!(
                        s,
                        "{},{},{scope},{},{},{},{},{},{}",
                        q(&v.name),
                        q(entry),
                        q(&p.part),
                        p.kind,
                        p.mean_s.mean,
                        p.mean_s.ci95_low,
                        p.mean_s.ci95_high,
                        p.share
                    );
                }
            }
        }
    }
    for c in &r.comparisons {
        for (entry, d) in &c.entries {
            for p in &d.anatomy {
                let _ = writeln!(
                    s,
                    "{},{},diff,{},{},{},{},{},",
                    q(&c.variant),
                    q(entry),
                    q(&p.part),
                    p.kind,
                    p.mean_s.mean,
                    p.mean_s.ci95_low,
                    p.mean_s.ci95_high
                );
            }
        }
    }
    s
}
