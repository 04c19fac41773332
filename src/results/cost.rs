//! Combining the bills of the replications into results.

use crate::components::lb::spec::LbProduct;
use crate::cost::month::{month_lines, MonthLines};
use crate::cost::platforms::front_door_instance;
use crate::cost::{bill, Bill, Usage};
use crate::engine::record::RepResult;
use crate::flow::topology::NodeKind;
use crate::model::Model;
use crate::results::{CostLineResult, CostResult, NodeCost};
use crate::scenario::Month;
use crate::spec::prices::ResourceKind;
use crate::stats::stat::Stat;
use indexmap::IndexMap;

/// The bill of replication `r` of `m`.
pub fn bill_of(m: &Model, r: &RepResult) -> Bill {
    let requests = r.entries.iter().map(|e| e.arrived).sum();
    bill(m, &Usage::of(m, r), r.measured_s, requests)
}

/// The catalogue size cost line `kind`/`name` of `m` is billed as, if it has one: a unit's
/// or a host's (chosen when the scenario was resolved), or a self-hosted gateway's or
/// balancer's EC2 type (`crate::cost::platforms::front_door_instance`).
fn instance_of(m: &Model, kind: ResourceKind, name: &str) -> Option<String> {
    let node = |k: NodeKind| m.topo.nodes.iter().find(|n| n.kind == k && n.name == name);
    let found = match kind {
        ResourceKind::Host => m
            .plans
            .placement
            .hosts
            .iter()
            .find(|h| h.name == name)
            .and_then(|h| h.instance.clone()),
        ResourceKind::Unit => node(NodeKind::Unit).and_then(|n| n.instance.clone()),
        ResourceKind::Gateway => node(NodeKind::Gateway)
            .filter(|n| n.cores.is_finite())
            .and_then(|n| front_door_instance(n.cores, n.memory_per_instance)),
        ResourceKind::Balancer => m
            .plans
            .lb
            .nodes
            .iter()
            .zip(&m.plans.lb.products)
            .find(|(&n, _)| m.topo.nodes[n as usize].name == name)
            .and_then(|(_, product)| match *product {
                LbProduct::SelfHosted { cores, memory } => front_door_instance(cores, memory),
                _ => None,
            }),
        _ => None,
    };
    found.map(|i| i.name)
}

/// The variant's cost over its replications.
pub fn cost_result(m: &Model, reps: &[RepResult]) -> CostResult {
    let bills: Vec<Bill> = reps.iter().map(|r| bill_of(m, r)).collect();
    // The monthly bill over the declared month, per replication and line.
    let months: Vec<_> = reps
        .iter()
        .zip(&bills)
        .map(|(r, b)| month_lines(m, r, b))
        .collect();
    let month_stat = |f: &dyn Fn(&MonthLines) -> f64| {
        Stat::from_samples(&months.iter().map(f).collect::<Vec<_>>())
    };
    let stat =
        |f: &dyn Fn(&Bill) -> f64| Stat::from_samples(&bills.iter().map(f).collect::<Vec<_>>());
    // Lines in first-seen order over the replications, keyed by resource (kind and name); a
    // line missing from a replication is 0.
    let mut keys: Vec<(ResourceKind, &str)> = Vec::new();
    let lines = bills
        .iter()
        .flat_map(|b| b.lines.iter().map(|l| (l.kind, l.name.as_str())))
        .chain(
            months
                .iter()
                .flat_map(|mo| mo.keys().map(|(k, n)| (*k, n.as_str()))),
        );
    for key in lines {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let figures = |line: &dyn Fn(&Bill) -> f64, month: &dyn Fn(&MonthLines) -> f64| {
        (
            month_stat(month),
            stat(&|b| line(b)),
            stat(&|b| b.per_million(line(b))),
        )
    };
    let mut by_resource = IndexMap::new();
    let mut by_node: IndexMap<String, NodeCost> = IndexMap::new();
    for &(kind, name) in &keys {
        let line = |b: &Bill| {
            b.lines
                .iter()
                .filter(|l| l.kind == kind && l.name == name)
                .map(|l| l.window_usd)
                .sum::<f64>()
        };
        let month = |mo: &MonthLines| mo.get(&(kind, name.to_string())).copied().unwrap_or(0.0);
        let (per_month_usd, window_usd, per_million_requests_usd) = figures(&line, &month);
        by_resource.insert(
            format!("{}/{name}", kind.as_str()),
            CostLineResult {
                kind: kind.as_str().to_string(),
                name: name.to_string(),
                per_month_usd,
                window_usd,
                per_million_requests_usd,
                instance: instance_of(m, kind, name),
            },
        );
    }
    // The format's fixed `by_node`: lines by name alone (the kinds of one name added up).
    for &(_, name) in &keys {
        if by_node.contains_key(name) {
            continue;
        }
        let line = |b: &Bill| {
            b.lines
                .iter()
                .filter(|l| l.name == name)
                .map(|l| l.window_usd)
                .sum::<f64>()
        };
        let month = |mo: &MonthLines| {
            mo.iter()
                .filter(|((_, n), _)| n == name)
                .map(|(_, usd)| usd)
                .sum::<f64>()
        };
        let (per_month_usd, window_usd, per_million_requests_usd) = figures(&line, &month);
        by_node.insert(
            name.to_string(),
            NodeCost {
                per_month_usd,
                window_usd,
                per_million_requests_usd,
            },
        );
    }
    CostResult {
        per_month_usd: month_stat(&|mo| mo.values().sum()),
        month: month_label(&m.month),
        window_usd: stat(&|b| b.window_usd()),
        per_million_requests_usd: stat(&|b| b.per_million(b.window_usd())),
        by_resource,
        by_node,
    }
}

/// What the month of the monthly bill is, in words (`cost.month`).
fn month_label(month: &Month) -> String {
    match month {
        Month::Steady => "steady: every entry at its steady rate all month".into(),
        Month::Window => "the measured window repeated all month".into(),
        Month::Peaks(peaks) => {
            let parts: Vec<String> = peaks
                .iter()
                .map(|p| format!("{} h at {}×", p.hours, p.load))
                .collect();
            format!("{}, the rest steady", parts.join(", "))
        }
    }
}
