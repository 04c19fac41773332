//! Tables and CSV files of the capacity-planning commands: sweeps, capacity searches and
//! right-sizing plans.

use super::csv::quote;
use super::fmt_secs;
use crate::plan::capacity::{CapacityResults, Status};
use crate::plan::rightsize::RightsizeResults;
use crate::plan::sweep::SweepResults;
use crate::scenario::params::fmt_num;
use crate::stats::stat::Stat;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};
use std::fmt::Write as _;
use std::io;
use std::path::Path;

fn new_table(header: Vec<String>) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(header);
    t
}

fn right_from(t: &mut Table, first: usize) {
    for i in first..t.column_count() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

fn secs_ci(st: &Stat) -> String {
    let h = st.half_width();
    if h > 0.0 {
        format!("{} ± {}", fmt_secs(st.mean), fmt_secs(h))
    } else {
        fmt_secs(st.mean)
    }
}

/// A rate with four significant digits.
fn rate(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let digits = if x == 0.0 {
        0
    } else {
        (3 - x.abs().log10().floor() as i32).clamp(0, 6) as usize
    };
    format!("{x:.digits$}")
}

fn usd(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |c| format!("${c:.2}"))
}

/// A swept value for display: seconds for duration paths are shown as such by the caller's
/// path; here numbers are printed plainly.
fn value_text(x: f64) -> String {
    fmt_num(x)
}

/// The sweep as a table: one row per (point, variant, entry), the knee marked.
pub fn sweep_table(r: &SweepResults) -> String {
    let mut header: Vec<String> = r.parameters.clone();
    header.extend(
        [
            "variant",
            "entry",
            "throughput /s",
            "p50",
            "p99",
            "errors",
            "cost /month",
            "",
        ]
        .map(String::from),
    );
    let mut t = new_table(header);
    for p in &r.points {
        for v in &p.variants {
            for (name, e) in &v.entries {
                let knee = r
                    .knees
                    .iter()
                    .any(|k| k.point == p.index && k.variant == v.name && &k.entry == name);
                let mut row: Vec<String> = r
                    .parameters
                    .iter()
                    .map(|k| p.values.get(k).map_or_else(String::new, |x| value_text(*x)))
                    .collect();
                row.extend([
                    v.name.clone(),
                    name.clone(),
                    format!("{:.1}", e.throughput_per_s.mean),
                    fmt_secs(e.latency_s.p50.mean),
                    secs_ci(&e.latency_s.p99),
                    format!("{:.3}%", (1.0 - e.success_ratio.mean) * 100.0),
                    usd(crate::plan::capacity::cost_per_month(v)),
                    if knee {
                        "◀ knee".into()
                    } else {
                        String::new()
                    },
                ]);
                t.add_row(row);
            }
        }
    }
    right_from(&mut t, 0);
    let mut out = format!(
        "{} — sweep of {} ({} points, {} each{})\n{t}\n",
        r.scenario,
        r.parameters.join(" × "),
        r.points.len(),
        replications_text(r.replications),
        if r.replications > 1 {
            "; p99 ± the half-width of its 95% interval"
        } else {
            ": no interval"
        }
    );
    let rule = match r.knee_rule {
        crate::plan::sweep::KneeRule::Factor(f) => {
            format!("p99 above {f}× its value at the curve's first point")
        }
        crate::plan::sweep::KneeRule::AboveS(s) => format!("p99 above {}", fmt_secs(s)),
    };
    if r.knees.is_empty() {
        let _ = writeln!(out, "no knee ({rule}) in the range swept");
    } else {
        let _ = writeln!(out, "knees ({rule}):");
        for k in &r.knees {
            let at: Vec<String> = k
                .values
                .iter()
                .map(|(p, x)| format!("{p}={}", value_text(*x)))
                .collect();
            let _ = writeln!(
                out,
                "  {} / {}: at {} (p99 {} > {})",
                k.variant,
                k.entry,
                at.join(", "),
                fmt_secs(k.p99_s),
                fmt_secs(k.threshold_s)
            );
        }
    }
    let with_warnings: Vec<String> = r
        .points
        .iter()
        .filter(|p| !p.warnings.is_empty())
        .map(|p| p.index.to_string())
        .collect();
    if !with_warnings.is_empty() {
        let _ = writeln!(
            out,
            "warning: points {} have warnings (e.g. `{}`); every one is in the JSON under points[].warnings",
            with_warnings.join(", "),
            r.points
                .iter()
                .find_map(|p| p.warnings.first())
                .map_or("", String::as_str)
        );
    }
    for p in &r.points {
        for v in &p.self_check.violations {
            let _ = writeln!(out, "self-check: point {}: {v}", p.index);
        }
    }
    for w in &r.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

fn stat_cols(prefix: &str) -> String {
    format!("{prefix}_mean,{prefix}_ci95_low,{prefix}_ci95_high")
}

fn stat_vals(s: &Stat) -> String {
    format!("{},{},{}", s.mean, s.ci95_low, s.ci95_high)
}

/// Writes `curves.csv` (one row per point, variant and entry: the swept values, throughput,
/// latency mean and percentiles, error ratio, availability, cost, knee flag) into `dir`.
pub fn write_sweep_csv(r: &SweepResults, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut s = String::from("point,");
    for p in &r.parameters {
        s.push_str(&quote(p));
        s.push(',');
    }
    let _ = writeln!(
        s,
        "variant,entry,{},{},{},{},{},{},{},{},availability,cost_per_month_usd,knee",
        stat_cols("throughput_per_s"),
        stat_cols("latency_mean_s"),
        stat_cols("latency_p50_s"),
        stat_cols("latency_p90_s"),
        stat_cols("latency_p95_s"),
        stat_cols("latency_p99_s"),
        stat_cols("latency_p999_s"),
        stat_cols("error_ratio"),
    );
    for p in &r.points {
        for v in &p.variants {
            for (name, e) in &v.entries {
                let knee = r
                    .knees
                    .iter()
                    .any(|k| k.point == p.index && k.variant == v.name && &k.entry == name);
                let _ = write!(s, "{},", p.index);
                for k in &r.parameters {
                    let _ = write!(s, "{},", p.values.get(k).copied().unwrap_or(f64::NAN));
                }
                let err = crate::results::slo::metric_stat(e, crate::spec::slo::Metric::Errors);
                let _ = writeln!(
                    s,
                    "{},{},{},{},{},{},{},{},{},{},{},{},{}",
                    quote(&v.name),
                    quote(name),
                    stat_vals(&e.throughput_per_s),
                    stat_vals(&e.latency_s.mean),
                    stat_vals(&e.latency_s.p50),
                    stat_vals(&e.latency_s.p90),
                    stat_vals(&e.latency_s.p95),
                    stat_vals(&e.latency_s.p99),
                    stat_vals(&e.latency_s.p999),
                    stat_vals(&err),
                    v.availability.mean,
                    crate::plan::capacity::cost_per_month(v)
                        .map_or_else(String::new, |c| c.to_string()),
                    u8::from(knee)
                );
            }
        }
    }
    super::atomic::write_atomic(&dir.join("curves.csv"), s)
}

fn status_text(s: Status) -> &'static str {
    match s {
        Status::Found => "found",
        Status::NotMet => "not met at the lowest rate tried",
        Status::MetAtMaximum => "still met at the highest rate tried",
        Status::Stopped => "stopped before the precision was reached",
        Status::NotMetAtAnyRate => "not met at any rate",
        Status::OverloadUndetectable => "SLO cannot detect overload",
    }
}

/// How the verdicts were reached: with 95% confidence, or on the single value of one
/// replication.
fn confidence_text(replications: u32) -> &'static str {
    if replications > 1 {
        "met with 95% confidence"
    } else {
        "checked on a single value — one replication: no interval"
    }
}

/// The capacity search as a table: per variant the highest rate, the bracket and the cost.
pub fn capacity_table(r: &CapacityResults) -> String {
    let mut t = new_table(
        [
            "variant",
            "max rate /s",
            "bracket /s",
            "× today",
            "cost /month",
            "evaluations",
            "status",
        ]
        .map(String::from)
        .to_vec(),
    );
    for v in &r.variants {
        t.add_row(vec![
            v.name.clone(),
            rate(v.max_rate),
            format!("[{}, {}]", rate(v.bracket[0]), rate(v.bracket[1])),
            format!("{:.2}", v.factor),
            usd(v.cost_per_month_usd),
            v.evaluations.len().to_string(),
            status_text(v.status).to_string(),
        ]);
    }
    right_from(&mut t, 1);
    let what = match &r.entry {
        Some(e) => format!("rate of entry `{e}`"),
        None => "total rate, every entry scaled together".into(),
    };
    let mut out = format!(
        "{} — capacity for SLO `{}` {} ({what}; today {} /s; {} per evaluation; bracket within {}%)\n{t}\n",
        r.scenario,
        r.slo,
        confidence_text(r.replications),
        fmt_num(r.base_rate),
        replications_text(r.replications),
        fmt_num(r.precision * 100.0)
    );
    for v in &r.variants {
        if let Some(why) = &v.reason {
            let _ = writeln!(out, "  {}: {why}", v.name);
        }
        if let Some(o) = &v.outcome {
            let worst: Vec<String> = o
                .checks
                .iter()
                .map(|c| {
                    format!(
                        "{}{}: {}",
                        c.entry
                            .as_deref()
                            .map_or_else(String::new, |e| format!("{e} ")),
                        c.clause,
                        clause_value(&c.clause, c.far_end)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "  {} at {}/s — {}: {}",
                v.name,
                rate(v.max_rate),
                if r.replications > 1 {
                    "far ends"
                } else {
                    "values"
                },
                worst.join("; ")
            );
        }
    }
    for w in &r.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

/// `N replications`, or `one replication` (no interval).
fn replications_text(n: u32) -> String {
    if n == 1 {
        "one replication".into()
    } else {
        format!("{n} replications")
    }
}

/// A clause's measured value in the clause's own terms (latency as a duration, ratios in %).
fn clause_value(clause: &str, x: f64) -> String {
    match crate::spec::slo::Slo::parse(clause) {
        Ok(s) if s.clauses[0].metric.is_latency() => fmt_secs(x),
        Ok(s)
            if matches!(
                s.clauses[0].metric,
                crate::spec::slo::Metric::Errors | crate::spec::slo::Metric::Availability
            ) =>
        {
            format!("{:.4}%", x * 100.0)
        }
        _ => format!("{x:.2}"),
    }
}

/// Writes `capacity.csv` (per variant) and `evaluations.csv` (every rate tried) into `dir`.
pub fn write_capacity_csv(r: &CapacityResults, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut s = String::from(
        "variant,status,max_rate,bracket_low,bracket_high,factor,cost_per_month_usd,slo,reason\n",
    );
    for v in &r.variants {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{}",
            quote(&v.name),
            v.status.name(),
            v.max_rate,
            v.bracket[0],
            v.bracket[1],
            v.factor,
            v.cost_per_month_usd
                .map_or_else(String::new, |c| c.to_string()),
            quote(&v.slo),
            v.reason.as_deref().map_or_else(String::new, quote)
        );
    }
    super::atomic::write_atomic(&dir.join("capacity.csv"), s)?;
    let mut e = String::from("variant,step,rate,verdict\n");
    for v in &r.variants {
        for (i, ev) in v.evaluations.iter().enumerate() {
            let _ = writeln!(
                e,
                "{},{i},{},{}",
                quote(&v.name),
                ev.rate,
                ev.verdict.name()
            );
        }
    }
    super::atomic::write_atomic(&dir.join("evaluations.csv"), e)
}

/// A setting as written: `unset` for a reserved concurrency not written.
fn written(x: Option<u32>) -> String {
    x.map_or_else(|| "unset".into(), |x| x.to_string())
}

/// The right-sizing plans as tables: per variant, every setting as written, the analytic lower
/// bound and the plan, then the cost.
pub fn rightsize_table(r: &RightsizeResults) -> String {
    let what = match &r.entry {
        Some(e) => format!("entry `{e}` at {}/s", fmt_num(r.rate)),
        None => format!("{}/s in total, every entry scaled", fmt_num(r.rate)),
    };
    let mut out = format!(
        "{} — cheapest plan with the SLO `{}` {} ({what}; {} per plan; minimizing {}; searching {})\n",
        r.scenario,
        r.slo,
        confidence_text(r.replications),
        replications_text(r.replications),
        r.objective.replace('_', " "),
        r.search.join(", ")
    );
    for v in &r.variants {
        if let Some(why) = &v.reason {
            let _ = writeln!(
                out,
                "\nvariant `{}`: {} — {why}",
                v.name,
                v.status.name().replace('_', " ")
            );
            continue;
        }
        let mut t = new_table(
            ["node", "setting", "as written", "analytic bound", "plan"]
                .map(String::from)
                .to_vec(),
        );
        for s in &v.plan {
            t.add_row(vec![
                s.node.clone(),
                s.knob.label().to_string(),
                written(s.current),
                s.analytic.to_string(),
                s.value.to_string(),
            ]);
        }
        right_from(&mut t, 2);
        let _ = writeln!(
            out,
            "\nvariant `{}`: {} after {} plans simulated\n{t}",
            v.name,
            if v.met {
                "meets the SLO"
            } else {
                "NO plan tried meets the SLO"
            },
            v.evaluations
        );
        let _ = writeln!(
            out,
            "  cores provisioned: {} (as written: {}); cost per month: {} (as written: {})",
            fmt_num(v.cores),
            fmt_num(v.current_cores),
            usd(v.cost_per_month_usd),
            usd(v.current_cost_per_month_usd)
        );
        if let Some(o) = &v.outcome {
            let checks: Vec<String> = o
                .checks
                .iter()
                .map(|c| {
                    format!(
                        "{}{}: {}",
                        c.entry
                            .as_deref()
                            .map_or_else(String::new, |e| format!("{e} ")),
                        c.clause,
                        clause_value(&c.clause, c.far_end)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "  {}: {}",
                if r.replications > 1 {
                    "far ends"
                } else {
                    "values"
                },
                checks.join("; ")
            );
        }
    }
    for w in &r.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

/// Writes `plan.csv` (one row per variant and setting) into `dir`.
pub fn write_rightsize_csv(r: &RightsizeResults, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut s = String::from(
        "variant,met,node,setting,path,as_written,analytic,plan,cores,cost_per_month_usd\n",
    );
    for v in &r.variants {
        for p in &v.plan {
            let _ = writeln!(
                s,
                "{},{},{},{},{},{},{},{},{},{}",
                quote(&v.name),
                v.met,
                quote(&p.node),
                p.knob.name(),
                quote(&p.path),
                p.current.map_or_else(String::new, |x| x.to_string()),
                p.analytic,
                p.value,
                v.cores,
                v.cost_per_month_usd
                    .map_or_else(String::new, |c| c.to_string())
            );
        }
    }
    super::atomic::write_atomic(&dir.join("plan.csv"), s)
}
