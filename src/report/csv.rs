//! CSV export: one file per table, for spreadsheets and scripts.

use crate::results::Results;
use crate::stats::stat::Stat;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

fn stat_cols(prefix: &str) -> String {
    ["mean", "ci95_low", "ci95_high", "min", "max"]
        .iter()
        .map(|s| format!("{prefix}_{s}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn stat_vals(s: &Stat) -> String {
    format!(
        "{},{},{},{},{}",
        s.mean, s.ci95_low, s.ci95_high, s.min, s.max
    )
}

pub(crate) fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes `entries.csv`, `nodes.csv`, `series.csv`, `variants.csv`, `costs.csv`,
/// `functions.csv` and `anatomy.csv` into `dir` (created if missing).
pub fn write_csv(r: &Results, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut e = String::new();
    let metrics = [
        "throughput_per_s",
        "success_ratio",
        "latency_mean_s",
        "latency_p50_s",
        "latency_p90_s",
        "latency_p95_s",
        "latency_p99_s",
        "latency_p999_s",
        "completed",
        "failed",
    ];
    let _ = writeln!(
        e,
        "variant,entry,{}",
        metrics
            .iter()
            .map(|m| stat_cols(m))
            .collect::<Vec<_>>()
            .join(",")
    );
    for v in &r.variants {
        for (name, x) in &v.entries {
            let vals = [
                &x.throughput_per_s,
                &x.success_ratio,
                &x.latency_s.mean,
                &x.latency_s.p50,
                &x.latency_s.p90,
                &x.latency_s.p95,
                &x.latency_s.p99,
                &x.latency_s.p999,
                &x.completed,
                &x.failed,
            ];
            let _ = writeln!(
                e,
                "{},{},{}",
                quote(&v.name),
                quote(name),
                vals.iter()
                    .map(|s| stat_vals(s))
                    .collect::<Vec<_>>()
                    .join(",")
            );
        }
    }
    super::atomic::write_atomic(&dir.join("entries.csv"), e)?;

    let mut n = String::new();
    let nm = [
        "utilization",
        "mean_in_system",
        "mean_in_queue",
        "throughput_per_s",
        "rejected",
        "mean_residence_s",
    ];
    let _ = writeln!(
        n,
        "variant,kind,node,instances,{}",
        nm.iter()
            .map(|m| stat_cols(m))
            .collect::<Vec<_>>()
            .join(",")
    );
    for v in &r.variants {
        let rows = v
            .units
            .iter()
            .map(|(name, x)| ("unit", name, x))
            .chain(v.databases.iter().map(|(name, x)| ("database", name, x)))
            .chain(
                v.components
                    .iter()
                    .map(|(name, c)| (c.kind.as_str(), name, &c.node)),
            );
        {
            for (kind, name, x) in rows {
                let vals = [
                    &x.utilization,
                    &x.mean_in_system,
                    &x.mean_in_queue,
                    &x.throughput_per_s,
                    &x.rejected,
                    &x.mean_residence_s,
                ];
                let _ = writeln!(
                    n,
                    "{},{kind},{},{},{}",
                    quote(&v.name),
                    quote(name),
                    x.instances,
                    vals.iter()
                        .map(|s| stat_vals(s))
                        .collect::<Vec<_>>()
                        .join(",")
                );
            }
        }
    }
    super::atomic::write_atomic(&dir.join("nodes.csv"), n)?;

    let mut s = String::new();
    let _ = writeln!(s, "variant,series,name,metric,t_s,value");
    for v in &r.variants {
        let t = &v.series.t_s;
        for (name, x) in &v.series.entries {
            let some = |xs: &[f64]| xs.iter().map(|&x| Some(x)).collect::<Vec<_>>();
            for (metric, vals) in [
                ("throughput_per_s", some(&x.throughput_per_s)),
                ("errors_per_s", some(&x.errors_per_s)),
                ("p50_s", x.p50_s.clone()),
                ("p99_s", x.p99_s.clone()),
            ] {
                // A window without a completed request has no latency: an empty cell.
                for (ti, val) in t.iter().zip(vals) {
                    let val = val.map(|x| x.to_string()).unwrap_or_default();
                    let _ = writeln!(
                        s,
                        "{},entry,{},{metric},{ti},{val}",
                        quote(&v.name),
                        quote(name)
                    );
                }
            }
        }
        for (name, x) in &v.series.nodes {
            for (metric, vals) in [
                ("utilization", &x.utilization),
                ("in_system", &x.in_system),
                ("instances", &x.instances),
            ] {
                for (ti, val) in t.iter().zip(vals) {
                    let _ = writeln!(
                        s,
                        "{},node,{},{metric},{ti},{val}",
                        quote(&v.name),
                        quote(name)
                    );
                }
            }
        }
    }
    super::atomic::write_atomic(&dir.join("series.csv"), s)?;
    write_cost_csv(r, dir)
}

/// Writes `variants.csv` (memory, availability and cost per variant), `costs.csv` (the bill by
/// line), `functions.csv` (serverless figures) and `anatomy.csv` (the latency anatomy).
fn write_cost_csv(r: &Results, dir: &Path) -> io::Result<()> {
    super::atomic::write_atomic(&dir.join("anatomy.csv"), super::anatomy::anatomy_csv(r))?;
    let mut v_out = String::new();
    let vm = [
        "memory_provisioned_gb",
        "availability",
        "cost_per_month_usd",
        "cost_window_usd",
        "cost_per_million_requests_usd",
    ];
    let _ = writeln!(
        v_out,
        "variant,{}",
        vm.iter()
            .map(|m| stat_cols(m))
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut c_out = String::new();
    let cm = ["per_month_usd", "window_usd", "per_million_requests_usd"];
    let _ = writeln!(
        c_out,
        "variant,kind,name,{}",
        cm.iter()
            .map(|m| stat_cols(m))
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut f_out = String::new();
    let fm = [
        "invocations",
        "cold_starts",
        "cold_start_fraction",
        "throttles",
        "max_duration_failures",
        "mean_concurrency",
        "peak_concurrency",
        "gb_s_billed",
    ];
    let _ = writeln!(
        f_out,
        "variant,unit,{}",
        fm.iter()
            .map(|m| stat_cols(m))
            .collect::<Vec<_>>()
            .join(",")
    );
    let join = |xs: &[&Stat]| {
        xs.iter()
            .map(|s| stat_vals(s))
            .collect::<Vec<_>>()
            .join(",")
    };
    for v in &r.variants {
        let _ = writeln!(
            v_out,
            "{},{}",
            quote(&v.name),
            join(&[
                &v.memory_provisioned_gb,
                &v.availability,
                &v.cost.per_month_usd,
                &v.cost.window_usd,
                &v.cost.per_million_requests_usd,
            ])
        );
        for l in v.cost.by_resource.values() {
            let _ = writeln!(
                c_out,
                "{},{},{},{}",
                quote(&v.name),
                quote(&l.kind),
                quote(&l.name),
                join(&[&l.per_month_usd, &l.window_usd, &l.per_million_requests_usd])
            );
        }
        for (unit, n) in &v.units {
            if let Some(f) = &n.function {
                let _ = writeln!(
                    f_out,
                    "{},{},{}",
                    quote(&v.name),
                    quote(unit),
                    join(&[
                        &f.invocations,
                        &f.cold_starts,
                        &f.cold_start_fraction,
                        &f.throttles,
                        &f.max_duration_failures,
                        &f.mean_concurrency,
                        &f.peak_concurrency,
                        &f.gb_s_billed,
                    ])
                );
            }
        }
    }
    super::atomic::write_atomic(&dir.join("variants.csv"), v_out)?;
    super::atomic::write_atomic(&dir.join("costs.csv"), c_out)?;
    super::atomic::write_atomic(&dir.join("functions.csv"), f_out)
}
