//! Terminal tables of the organization results: Conway metrics, delivery (DORA) metrics and
//! the evolution steps.

use crate::org::conway::ConwayMetrics;
use crate::org::delivery::DeliveryResult;
use crate::results::Results;
use crate::stats::stat::Stat;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};
use std::fmt::Write;

fn table(header: Vec<String>) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(header);
    t
}

fn right(t: &mut Table, from: usize) {
    for i in from..t.column_count() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

fn ci(st: &Stat, digits: usize) -> String {
    let h = st.half_width();
    if h > 0.0 {
        format!("{:.digits$} ± {:.digits$}", st.mean, h)
    } else {
        format!("{:.digits$}", st.mean)
    }
}

/// The Conway metrics of named variants, variants as columns.
pub fn conway_table(rows: &[(&str, &ConwayMetrics)]) -> String {
    let mut header = vec!["organization (Conway)".to_string()];
    header.extend(rows.iter().map(|(n, _)| n.to_string()));
    let mut t = table(header);
    type F = fn(&ConwayMetrics) -> String;
    let lines: [(&str, F); 9] = [
        ("calls / request", |c| format!("{:.3}", c.calls_per_request)),
        ("cross-unit calls / request", |c| {
            format!("{:.3}", c.cross_unit_calls_per_request)
        }),
        ("cross-team calls / request", |c| {
            format!("{:.3}", c.cross_team_calls_per_request)
        }),
        ("units per team", |c| format!("{:.2}", c.units_per_team)),
        ("teams per unit", |c| format!("{:.2}", c.teams_per_unit)),
        ("mirroring", |c| score(c.mirroring)),
        ("pair agreement", |c| score(c.pair_agreement)),
        ("coordinating teams", |c| {
            c.coordinating_teams.len().to_string()
        }),
        ("communication channels", |c| {
            c.communication_channels.to_string()
        }),
    ];
    let teamless = |c: &ConwayMetrics| c.teams.is_empty();
    for (i, (label, f)) in lines.into_iter().enumerate() {
        let mut row = vec![label.to_string()];
        // Every line after the first two is about teams.
        row.extend(rows.iter().map(|(_, c)| {
            if i >= 2 && teamless(c) {
                NO_TEAMS.to_string()
            } else {
                f(c)
            }
        }));
        t.add_row(row);
    }
    right(&mut t, 1);
    let mut out = t.to_string();
    if rows.iter().any(|(_, c)| !teamless(c)) {
        let _ = write!(out, "\n{MIRRORING_NOTE}");
    }
    out
}

/// What the table shows for a team metric of a variant whose modules have no team.
const NO_TEAMS: &str = "no teams";

/// The footnote under the Conway table.
pub const MIRRORING_NOTE: &str = "mirroring: 1 = every unit belongs to one team (a team may own several), 0 = units mix teams as chance would, < 0 = more (adjusted Wallace index, docs/organizations.md §2)";

/// A score that is absent without teams.
fn score(x: Option<f64>) -> String {
    x.map_or_else(|| NO_TEAMS.to_string(), |x| format!("{x:.3}"))
}

/// The delivery metrics of named variants, variants as columns, then per team.
pub fn delivery_table(rows: &[(&str, &DeliveryResult)]) -> String {
    let mut header = vec!["delivery (DORA, 95% CI)".to_string()];
    header.extend(rows.iter().map(|(n, _)| n.to_string()));
    let mut t = table(header);
    type F = fn(&DeliveryResult) -> String;
    let lines: [(&str, F); 10] = [
        ("deployments / day", |d| ci(&d.deployments_per_day, 2)),
        ("lead time mean [h]", |d| ci(&d.lead_time_h.mean, 2)),
        ("lead time p50 [h]", |d| ci(&d.lead_time_h.p50, 2)),
        ("lead time p90 [h]", |d| ci(&d.lead_time_h.p90, 2)),
        ("change failure rate", |d| ci(&d.change_failure_rate, 3)),
        ("time to restore [h]", |d| ci(&d.time_to_restore_h, 2)),
        ("changes / day", |d| ci(&d.changes_per_day, 2)),
        ("multi-team changes", |d| ci(&d.multi_team_fraction, 3)),
        ("teams per change", |d| ci(&d.teams_per_change, 2)),
        ("unfinished changes", |d| ci(&d.unfinished, 1)),
    ];
    for (label, f) in lines {
        let mut row = vec![label.to_string()];
        row.extend(rows.iter().map(|(_, d)| f(d)));
        t.add_row(row);
    }
    right(&mut t, 1);
    let mut out = t.to_string();
    let mut tt = table(vec![
        "team".into(),
        "variant".into(),
        "changes / day".into(),
        "blocked [change-h/day]".into(),
        "coordinating [change-h/day]".into(),
    ]);
    for (name, d) in rows {
        for team in &d.teams {
            tt.add_row(vec![
                team.name.clone(),
                name.to_string(),
                ci(&team.changes_per_day, 2),
                ci(&team.time_blocked_h_per_day, 2),
                ci(&team.time_coordinating_h_per_day, 2),
            ]);
        }
    }
    right(&mut tt, 2);
    let _ = write!(out, "\n{tt}");
    out
}

/// Conway, delivery and evolution tables of a run (empty parts are left out).
pub fn render_org(r: &Results) -> String {
    let mut out = String::new();
    let conway: Vec<(&str, &ConwayMetrics)> = r
        .variants
        .iter()
        .filter_map(|v| v.conway.as_ref().map(|c| (v.name.as_str(), c)))
        .collect();
    if !conway.is_empty() {
        let _ = writeln!(out, "\n{}", conway_table(&conway));
    }
    let delivery: Vec<(&str, &DeliveryResult)> = r
        .variants
        .iter()
        .filter_map(|v| v.delivery.as_ref().map(|d| (v.name.as_str(), d)))
        .collect();
    if !delivery.is_empty() {
        let _ = writeln!(out, "\n{}", delivery_table(&delivery));
    }
    if !r.evolution.is_empty() {
        let _ = writeln!(out, "\nEvolution, step by step\n{}", evolution_table(r));
    }
    out
}

/// One row per evolution step present in the results.
pub fn evolution_table(r: &Results) -> String {
    let with_delivery = r.variants.iter().any(|v| v.delivery.is_some());
    let mut header: Vec<String> = [
        "step",
        "variant",
        "units",
        "mean latency",
        "throughput /s",
        "memory GB",
        "cross-unit calls/req",
        "mirroring",
        "channels",
    ]
    .map(String::from)
    .to_vec();
    if with_delivery {
        header.extend(
            [
                "deploys/day",
                "lead p50 [h]",
                "lead p90 [h]",
                "change failure",
            ]
            .map(String::from),
        );
    }
    let mut t = table(header);
    for (i, name) in r.evolution.iter().enumerate() {
        let Some(v) = r.variants.iter().find(|v| &v.name == name) else {
            continue;
        };
        let completed: f64 = v.entries.values().map(|e| e.completed.mean).sum();
        let latency = if completed > 0.0 {
            v.entries
                .values()
                .map(|e| e.completed.mean * e.latency_s.mean.mean)
                .sum::<f64>()
                / completed
        } else {
            0.0
        };
        let throughput: f64 = v.entries.values().map(|e| e.throughput_per_s.mean).sum();
        let mut row = vec![
            (i + 1).to_string(),
            v.name.clone(),
            v.units.len().to_string(),
            super::fmt_secs(latency),
            format!("{throughput:.2}"),
            format!("{:.2}", v.memory_provisioned_gb.mean),
        ];
        match &v.conway {
            Some(c) => row.extend([
                format!("{:.3}", c.cross_unit_calls_per_request),
                score(c.mirroring),
                c.communication_channels.to_string(),
            ]),
            None => row.extend(["".into(), "".into(), "".into()]),
        }
        if with_delivery {
            match &v.delivery {
                Some(d) => row.extend([
                    format!("{:.2}", d.deployments_per_day.mean),
                    format!("{:.2}", d.lead_time_h.p50.mean),
                    format!("{:.2}", d.lead_time_h.p90.mean),
                    format!("{:.3}", d.change_failure_rate.mean),
                ]),
                None => row.extend(["".into(), "".into(), "".into(), "".into()]),
            }
        }
        t.add_row(row);
    }
    right(&mut t, 2);
    t.to_string()
}
