//! Combining the bills of the replications into results.

use crate::cost::{bill, Bill, Usage};
use crate::engine::record::RepResult;
use crate::model::Model;
use crate::results::{CostLineResult, CostResult};
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
