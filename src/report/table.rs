//! Terminal tables: variants side by side.

use super::fmt::fmt_secs;
use crate::results::{Results, VariantResult};
use crate::stats::stat::Stat;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use std::fmt::Write;

/// `mean ± half-width`, or `mean [low, high]` when the interval is not symmetric about the
/// mean (a bound-respecting interval, results.md), or the mean alone without an interval.
pub(super) fn with_ci(st: &Stat, f: impl Fn(f64) -> String) -> String {
    let h = st.half_width();
    let (below, above) = (st.mean - st.ci95_low, st.ci95_high - st.mean);
    // A spread below the mean's rounding noise (equal values summed in another order) is none:
    // "$214.99", not "$214.99 ± $0.0000".
    if h <= 1e-9 * st.mean.abs() {
        f(st.mean)
    } else if (below - above).abs() <= 1e-9 * h.max(st.mean.abs()) {
        format!("{} ± {}", f(st.mean), f(h))
    } else {
        format!("{} [{}, {}]", f(st.mean), f(st.ci95_low), f(st.ci95_high))
    }
}

/// A latency Stat of `l`, or "n/a" when no replication of `reps` completed a request.
fn latency_ci(l: &crate::stats::LatencyResult, st: &Stat, reps: u32) -> String {
    if l.is_na(reps) {
        "n/a".into()
    } else {
        with_ci(st, fmt_secs)
    }
}

/// A difference with its sign and, with at least two pairs, its interval's half-width.
fn signed(st: &Stat, f: impl Fn(f64) -> String, pairs: u32) -> String {
    let sign = if st.mean >= 0.0 { "+" } else { "−" };
    if pairs < 2 {
        return format!("{sign}{}", f(st.mean.abs()));
    }
    format!("{sign}{} ± {}", f(st.mean.abs()), f(st.half_width()))
}

fn num(x: f64) -> String {
    if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

/// Marks a value estimated from too few samples with a leading `~` (see the footnote).
fn tilde(low: bool, s: String) -> String {
    if low {
        format!("~{s}")
    } else {
        s
    }
}

/// Formats one cell of a variant's column.
type Cellf<'a> = Box<dyn Fn(&VariantResult) -> String + 'a>;

fn new_table(header: Vec<String>) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(header);
    t
}

fn right(t: &mut Table) {
    let n = t.column_count();
    for i in 1..n {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// Renders results as text tables (variants as columns), the comparisons and the self-check.
pub fn render_text(r: &Results) -> String {
    let mut out = String::new();
    run_line(&mut out, r);
    entries_table(&mut out, r);
    out.push_str(&super::anatomy::render_anatomy(r));
    for v in &r.variants {
        nodes_table(&mut out, v);
        caches_table(&mut out, v);
        autoscaling_lines(&mut out, v);
        cost_tables(&mut out, v);
    }
    out.push_str(&crate::report::render_resilience(r));
    out.push_str(&super::flows::render_flows(r));
    out.push_str(&super::workflows::render_workflows(r));
    out.push_str(&super::org_table::render_org(r));
    let cmp = comparison_table(r);
    if !cmp.is_empty() {
        let what = if r.replications < 2 {
            "one replication: no interval"
        } else {
            "95% intervals"
        };
        let _ = writeln!(
            out,
            "\nPaired differences (common random numbers, {what})\n{cmp}"
        );
    }
    engine_line(&mut out, &r.variants);
    out.push_str(&super::extra_text::render(r));
    for w in &r.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    self_check_lines(&mut out, r);
    out.push_str(&super::anatomy::render_verdict(r));
    out
}

/// The first line: scenario, replications, seed and threads.
fn run_line(out: &mut String, r: &Results) {
    let _ = writeln!(
        out,
        "{} — {} replication{}, seed {}, {} thread{}",
        r.scenario,
        r.replications,
        if r.replications == 1 { "" } else { "s" },
        r.seed,
        r.threads,
        if r.threads == 1 { "" } else { "s" }
    );
}

/// The entries table (variants as columns): the rows of every entry, then the rows of the
/// whole variant (memory, availability, cost), and the footnotes.
fn entries_table(out: &mut String, r: &Results) {
    let vs: &[VariantResult] = &r.variants;
    let mut header = vec!["".to_string()];
    header.extend(vs.iter().map(|v| v.name.clone()));

    let mut t = new_table(header);
    let entry_names: Vec<&String> = vs
        .first()
        .map(|v| v.entries.keys().collect())
        .unwrap_or_default();
    for name in &entry_names {
        entry_rows(&mut t, vs, name, r.replications);
    }
    variant_rows(&mut t, vs);
    right(&mut t);
    let _ = writeln!(out, "\nEntries\n{t}");
    out.push_str(&super::extra_text::entries_footnotes(r));
}

/// The rows of one entry: throughput, success, latency mean and percentiles, failures.
fn entry_rows(t: &mut Table, vs: &[VariantResult], name: &str, reps: u32) {
    let rows: [(&str, Cellf); 8] = [
        (
            "throughput /s",
            Box::new(|v| with_ci(&v.entries[name].throughput_per_s, num)),
        ),
        (
            "success",
            Box::new(|v| with_ci(&v.entries[name].success_ratio, pct)),
        ),
        (
            "latency mean",
            Box::new(|v| {
                let l = &v.entries[name].latency_s;
                latency_ci(l, &l.mean, reps)
            }),
        ),
        (
            "p50",
            Box::new(|v| {
                let l = &v.entries[name].latency_s;
                latency_ci(l, &l.p50, reps)
            }),
        ),
        (
            "p90",
            Box::new(|v| {
                let l = &v.entries[name].latency_s;
                latency_ci(l, &l.p90, reps)
            }),
        ),
        (
            "p99",
            Box::new(|v| {
                let l = &v.entries[name].latency_s;
                tilde(
                    l.p99_low_samples && !l.is_na(reps),
                    latency_ci(l, &l.p99, reps),
                )
            }),
        ),
        (
            "p99.9",
            Box::new(|v| {
                let l = &v.entries[name].latency_s;
                tilde(
                    l.p999_low_samples && !l.is_na(reps),
                    latency_ci(l, &l.p999, reps),
                )
            }),
        ),
        (
            "failed",
            Box::new(|v| {
                let e = &v.entries[name];
                if e.failed_by_reason.is_empty() {
                    "0".into()
                } else {
                    e.failed_by_reason
                        .iter()
                        .map(|(k, s)| format!("{k} {}", num(s.mean)))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            }),
        ),
    ];
    let mut first = true;
    for (label, f) in rows.iter() {
        let mut row = vec![Cell::new(if first {
            format!("{name}: {label}")
        } else {
            format!("  {label}")
        })];
        first = false;
        row.extend(vs.iter().map(|v| Cell::new(f(v))));
        t.add_row(row);
    }
}

/// The rows of the whole variant below the entries: memory, availability and cost.
fn variant_rows(t: &mut Table, vs: &[VariantResult]) {
    let mem_row: Vec<Cell> = std::iter::once(Cell::new("memory provisioned"))
        .chain(
            vs.iter()
                .map(|v| Cell::new(format!("{:.2} GB", v.memory_provisioned_gb.mean))),
        )
        .collect();
    t.add_row(mem_row);
    let avail_row: Vec<Cell> = std::iter::once(Cell::new("availability"))
        .chain(vs.iter().map(|v| Cell::new(with_ci(&v.availability, pct))))
        .collect();
    t.add_row(avail_row);
    for (label, f) in [
        (
            "cost / month",
            (|v: &VariantResult| &v.cost.per_month_usd) as fn(&VariantResult) -> &Stat,
        ),
        ("cost / M requests", |v: &VariantResult| {
            &v.cost.per_million_requests_usd
        }),
    ] {
        let row: Vec<Cell> = std::iter::once(Cell::new(label))
            .chain(vs.iter().map(|v| Cell::new(with_ci(f(v), usd))))
            .collect();
        t.add_row(row);
    }
}

/// The nodes of a variant: front-door components, then units, then databases.
fn nodes_table(out: &mut String, v: &VariantResult) {
    let mut t = new_table(
        [
            "node",
            "inst",
            "utilization",
            "in system",
            "in queue",
            "attempts /s",
            "throughput /s",
            "rejected",
            "residence",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    );
    let front: Vec<(String, &crate::results::NodeResult)> = v
        .components
        .iter()
        .map(|(name, c)| {
            let label = if *name == c.kind {
                name.clone()
            } else {
                format!("{} {name}", short_kind(&c.kind))
            };
            (label, &c.node)
        })
        .collect();
    let rows = front.into_iter().chain(
        v.units.iter().map(|(name, n)| (name.clone(), n)).chain(
            v.databases
                .iter()
                .map(|(name, n)| (format!("db {name}"), n)),
        ),
    );
    for (name, n) in rows {
        let up = if n.instances_up.mean < n.instances as f64 - 1e-9 {
            format!("{} ({:.2} up)", n.instances, n.instances_up.mean)
        } else {
            n.instances.to_string()
        };
        t.add_row(vec![
            name,
            up,
            with_ci(&n.utilization, pct),
            with_ci(&n.mean_in_system, num),
            with_ci(&n.mean_in_queue, num),
            with_ci(&n.attempts_per_s, num),
            with_ci(&n.throughput_per_s, num),
            num(n.rejected.mean),
            with_ci(&n.mean_residence_s, fmt_secs),
        ]);
    }
    right(&mut t);
    let _ = writeln!(out, "\nNodes of `{}`\n{t}", v.name);
}

/// The caches of a variant, if it has any.
fn caches_table(out: &mut String, v: &VariantResult) {
    if v.caches.is_empty() {
        return;
    }
    let mut c = new_table(
        ["cache", "lookups", "hits", "hit ratio"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    );
    for (name, x) in &v.caches {
        c.add_row(vec![
            name.clone(),
            num(x.lookups.mean),
            num(x.hits.mean),
            with_ci(&x.hit_ratio, pct),
        ]);
    }
    right(&mut c);
    let _ = writeln!(out, "\nCaches of `{}`\n{c}", v.name);
}

/// One line per autoscaled unit of a variant: instances and scaling events.
fn autoscaling_lines(out: &mut String, v: &VariantResult) {
    for (name, n) in &v.units {
        if let Some(a) = &n.autoscaling {
            let _ = writeln!(
                out,
                "autoscaled `{name}`: instances min {} / mean {} / max {} (of {} allowed), {} scaling events",
                num(a.instances_min.mean),
                with_ci(&a.instances_mean, num),
                num(a.instances_max.mean),
                n.instances,
                num(a.scaling_events.mean)
            );
        }
    }
}

/// The work of the engine over all variants: events, simulation time and speed.
fn engine_line(out: &mut String, vs: &[VariantResult]) {
    let total_events: u64 = vs.iter().map(|v| v.engine.events).sum();
    let wall: f64 = vs.iter().map(|v| v.engine.wall_s).sum();
    let _ = writeln!(
        out,
        "\nengine: {} events, {:.2} s of simulation work, {:.2} M events/s per thread",
        total_events,
        wall,
        if wall > 0.0 {
            total_events as f64 / wall / 1e6
        } else {
            0.0
        }
    );
}

/// The verdict of the self-check, with its violations when it failed.
fn self_check_lines(out: &mut String, r: &Results) {
    if r.self_check.ok {
        let _ = writeln!(
            out,
            "self-check: ok (Little's law and conservation hold on every replication)"
        );
    } else {
        let _ = writeln!(out, "self-check: FAILED");
        for v in &r.self_check.violations {
            let _ = writeln!(out, "  {v}");
        }
    }
}

/// The paired differences as lines such as
/// `microservices − monolith, browse p50: +3.9 ms ± 0.2 ms`.
pub fn comparison_table(r: &Results) -> String {
    let mut out = String::new();
    for c in &r.comparisons {
        for (entry, d) in &c.entries {
            let (n, k) = (r.replications, d.latency_pairs);
            let latency = if k == 0 {
                "latency n/a (no pair of replications with completed requests in both)".into()
            } else {
                let over = if k < n {
                    format!(" (latency over {k} of {n} pairs: the others completed no request)")
                } else {
                    String::new()
                };
                format!(
                    "mean {}, p50 {}, p99 {}{over}",
                    signed(&d.latency_mean_s, fmt_secs, k),
                    signed(&d.latency_p50_s, fmt_secs, k),
                    signed(&d.latency_p99_s, fmt_secs, k),
                )
            };
            let _ = writeln!(
                out,
                "{} − {}, {entry}: {latency}, throughput {} /s, success {}",
                c.variant,
                c.baseline,
                signed(&d.throughput_per_s, num, n),
                signed(&d.success_ratio, pct, n),
            );
        }
        let _ = writeln!(
            out,
            "{} − {}, memory provisioned: {:+.2} GB",
            c.variant, c.baseline, c.memory_provisioned_gb.mean
        );
    }
    out
}

/// Dollars with cents, more digits below a cent.
fn usd(x: f64) -> String {
    if x.abs() >= 0.995 || x == 0.0 {
        format!("${x:.2}")
    } else {
        format!("${x:.4}")
    }
}

/// The bill of a variant by line, and the figures of its serverless functions.
fn cost_tables(out: &mut String, v: &VariantResult) {
    let mut t = new_table(
        [
            "resource",
            "name",
            "per month",
            "this window",
            "per M requests",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    );
    for l in v.cost.by_resource.values() {
        t.add_row(vec![
            l.kind.clone(),
            match &l.instance {
                Some(i) => format!("{} ({i})", l.name),
                None => l.name.clone(),
            },
            with_ci(&l.per_month_usd, usd),
            usd(l.window_usd.mean),
            usd(l.per_million_requests_usd.mean),
        ]);
    }
    right(&mut t);
    let _ = writeln!(
        out,
        "\nCost of `{}` (per month: {})\n{t}",
        v.name, v.cost.month
    );
    if v.units.values().all(|n| n.function.is_none()) {
        return;
    }
    let mut t = new_table(
        [
            "function",
            "invocations",
            "cold starts",
            "cold fraction",
            "throttles",
            "max_duration",
            "concurrency",
            "peak",
            "instances",
            "GB-s",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    );
    for (name, n) in &v.units {
        if let Some(f) = &n.function {
            t.add_row(vec![
                name.clone(),
                num(f.invocations.mean),
                num(f.cold_starts.mean),
                with_ci(&f.cold_start_fraction, pct),
                num(f.throttles.mean),
                num(f.max_duration_failures.mean),
                with_ci(&f.mean_concurrency, num),
                num(f.peak_concurrency.mean),
                with_ci(&f.instances_mean, num),
                num(f.gb_s_billed.mean),
            ]);
        }
    }
    right(&mut t);
    let _ = writeln!(out, "\nServerless functions of `{}`\n{t}", v.name);
}

/// Prefix of a component's node (front door, external service) in the nodes table.
fn short_kind(kind: &str) -> &'static str {
    match kind {
        "gateway" => "gw",
        "load_balancer" => "lb",
        "cache" => "cache",
        "external" => "external",
        _ => "cdn",
    }
}
