//! The failure-propagation section of the console report.

use std::fmt::Write as _;

/// The availability and blast-radius lines printed by `archsim run`.
pub fn render_resilience(r: &crate::results::Results) -> String {
    let mut out = String::new();
    for v in &r.variants {
        let res = &v.resilience;
        if res.blast_radius.is_empty()
            && res.random_blast_radius.is_empty()
            && res.edges.is_empty()
            && res.failure_origins.is_empty()
        {
            continue;
        }
        let _ = writeln!(
            out,
            "\nFailures of `{}`: availability {:.4}% [{:.4}%, {:.4}%]",
            v.name,
            100.0 * v.availability.mean,
            100.0 * v.availability.ci95_low,
            100.0 * v.availability.ci95_high
        );
        for (origin, per) in &res.failure_origins {
            let list: Vec<String> = per
                .iter()
                .map(|(e, s)| format!("{e} {:.1}", s.mean))
                .collect();
            let _ = writeln!(out, "  began at {origin}: {}", list.join(", "));
        }
        for (entry, chains) in &res.failure_chains {
            for c in chains {
                let _ = writeln!(
                    out,
                    "  {entry}: began at {}: {:.1} per replication",
                    c.chain.join(" ← "),
                    c.failed.mean
                );
            }
        }
        for (edge, e) in &res.edges {
            let _ = writeln!(
                out,
                "  edge {edge}: amplification {:.3}, breaker opened {:.1}×, degraded {:.1}",
                e.amplification.mean, e.breaker_opened.mean, e.degraded.mean
            );
        }
        for b in &res.blast_radius {
            let end = b.end_s.map_or("end".to_string(), |e| format!("{e:.1} s"));
            let _ = writeln!(
                out,
                "  blast radius of `{}` ({} s → {end}):",
                b.fault, b.start_s
            );
            if b.baseline_windows == 0 {
                let _ = writeln!(out, "    no measured window before the fault: no baseline");
                continue;
            }
            for (name, e) in &b.entries {
                if !e.degraded {
                    let _ = writeln!(out, "    {name}: not degraded");
                    continue;
                }
                let rec = e
                    .recovered_after_s
                    .map_or("not recovered".to_string(), |s| {
                        format!("recovered {s:.1} s after")
                    });
                let _ = writeln!(
                    out,
                    "    {name}: DEGRADED for {:.1} s — availability {:.2}% → min {:.2}%, p99 {} → max {}; {rec}",
                    e.degraded_s,
                    100.0 * e.availability_baseline,
                    100.0 * e.availability_min,
                    crate::report::fmt_secs(e.p99_baseline_s),
                    crate::report::fmt_secs(e.p99_max_s),
                );
            }
        }
        for b in &res.random_blast_radius {
            let _ = writeln!(
                out,
                "  blast radius of `{}` (random): {:.1} episodes of {:.2} s on average ({:.2}% of the time), {:.1} instance failures; entries affected: {}",
                b.fault,
                b.episodes.mean,
                b.mean_degraded_s.mean,
                100.0 * b.degraded_fraction.mean,
                b.failures.mean,
                if b.entries_affected.is_empty() {
                    "none".to_string()
                } else {
                    b.entries_affected.join(", ")
                }
            );
            for (name, e) in &b.entries {
                let _ = writeln!(
                    out,
                    "    {name}: {:.1} failures inside episodes ({:.3}/s inside vs {:.3}/s outside)",
                    e.failed_during.mean,
                    e.failure_rate_during_per_s.mean,
                    e.failure_rate_outside_per_s.mean
                );
            }
        }
    }
    out
}
