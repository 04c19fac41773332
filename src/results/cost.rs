//! Combining the bills and function counters of the replications into results.

use crate::cost::{bill, Bill, Usage};
use crate::engine::record::RepResult;
use crate::model::Model;
use crate::results::{CostLineResult, CostResult, FunctionResult};
use crate::stats::stat::Stat;
use indexmap::IndexMap;

/// The bill of replication `r` of `m`.
pub fn bill_of(m: &Model, r: &RepResult) -> Bill {
    let requests = r.entries.iter().map(|e| e.arrived).sum();
    bill(m, &Usage::of(m, r), r.measured_s, requests)
}

/// The variant's cost over its replications.
pub fn cost_result(m: &Model, reps: &[RepResult]) -> CostResult {
    let bills: Vec<Bill> = reps.iter().map(|r| bill_of(m, r)).collect();
    let stat =
        |f: &dyn Fn(&Bill) -> f64| Stat::from_samples(&bills.iter().map(f).collect::<Vec<_>>());
    // Lines in first-seen order over the replications; a line missing from a replication is 0.
    let mut names: Vec<&str> = Vec::new();
    for b in &bills {
        for l in &b.lines {
            if !names.contains(&l.name.as_str()) {
                names.push(&l.name);
            }
        }
    }
    let mut by_node = IndexMap::new();
    for name in names {
        let line = |b: &Bill| {
            b.lines
                .iter()
                .filter(|l| l.name == name)
                .map(|l| l.window_usd)
                .sum::<f64>()
        };
        by_node.insert(
            name.to_string(),
            CostLineResult {
                per_month_usd: stat(&|b| b.per_month(line(b))),
                window_usd: stat(&|b| line(b)),
                per_million_requests_usd: stat(&|b| b.per_million(line(b))),
            },
        );
    }
    CostResult {
        per_month_usd: stat(&|b| b.per_month(b.window_usd())),
        window_usd: stat(&|b| b.window_usd()),
        per_million_requests_usd: stat(&|b| b.per_million(b.window_usd())),
        by_node,
    }
}

/// The figures of function `i` of `m` over the replications.
pub fn function_result(m: &Model, i: usize, reps: &[RepResult]) -> FunctionResult {
    let stat =
        |f: &dyn Fn(&RepResult) -> f64| Stat::from_samples(&reps.iter().map(f).collect::<Vec<_>>());
    let gb = m.plans.function.functions[i].memory as f64 / 1e9;
    FunctionResult {
        invocations: stat(&|r| r.components.function[i].invocations as f64),
        cold_starts: stat(&|r| r.components.function[i].cold_starts as f64),
        cold_start_fraction: stat(&|r| {
            let f = &r.components.function[i];
            if f.invocations > 0 {
                f.cold_starts as f64 / f.invocations as f64
            } else {
                0.0
            }
        }),
        throttles: stat(&|r| r.components.function[i].throttles as f64),
        max_duration_failures: stat(&|r| r.components.function[i].max_duration_kills as f64),
        mean_concurrency: stat(&|r| {
            if r.measured_s > 0.0 {
                r.components.function[i].busy_area / (r.measured_s * 1e9)
            } else {
                0.0
            }
        }),
        peak_concurrency: stat(&|r| r.components.function[i].peak as f64),
        gb_s_billed: stat(&|r| {
            let f = &r.components.function[i];
            (f.billed_ms + f.billed_ms_provisioned) as f64 / 1000.0 * gb
        }),
    }
}
