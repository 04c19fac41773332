//! The printed workflows: per variant with workflows, per workflow its executions (ended,
//! succeeded, failed by reason), transitions per execution, mean duration and the workflow's
//! own cost per execution started.

use super::fmt::fmt_secs;
use crate::results::Results;
use crate::stats::stat::Stat;
use std::fmt::Write;

/// A count's mean, with its 95% half-width when the replications differ.
fn count(st: &Stat) -> String {
    let h = st.half_width();
    if h > 0.0 {
        format!("{:.1} ± {:.1}", st.mean, h)
    } else {
        format!("{:.1}", st.mean)
    }
}

/// One block per variant with workflows.
pub fn render_workflows(r: &Results) -> String {
    let mut out = String::new();
    for v in &r.variants {
        if v.workflows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\nWorkflows of `{}` (per replication)", v.name);
        for (name, w) in &v.workflows {
            let failed = if w.failed.is_empty() {
                "none".to_string()
            } else {
                w.failed
                    .iter()
                    .map(|(k, s)| format!("{k} {}", count(s)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let cost = v
                .cost
                .by_resource
                .get(&format!("workflow/{name}"))
                .map(|l| l.window_usd.mean);
            let per_exec = match cost {
                Some(c) if w.started.mean > 0.0 => format!("${:.6}", c / w.started.mean),
                _ => "-".to_string(),
            };
            let _ = writeln!(
                out,
                "  workflow {name} ({}): executions {}, succeeded {}, failed: {failed}; caught {}; {:.1} transitions per execution, duration mean {}; workflow cost per execution {per_exec}",
                w.mode,
                count(&w.executions),
                count(&w.succeeded),
                count(&w.caught),
                w.transitions_per_execution.mean,
                fmt_secs(w.duration_s.mean),
            );
        }
    }
    out
}
