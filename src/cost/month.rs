//! The monthly bill over the declared month (`[month]`, docs/cost.md "The month").
//!
//! The month is a set of parts, each some hours at a load `x` (a multiple of every entry's
//! steady rate): without `[month]`, 730 h at 1; with peaks, each peak's hours at its load and
//! the rest at 1; with `repeat = "window"`, the measured window itself repeated (the bill of
//! the window × 730 h / window). A part is billed by re-evaluating the window's bill
//! ([`super::bill`]) on the window's usage at load `x`:
//!
//! - every request-driven counter (invocations, GB-s, reads, writes, gateway requests, LCU,
//!   queue requests, cross-zone bytes, external calls) scaled by `x / x̄`, where `x̄` is the
//!   window's own load (its arrivals per second over the steady rates' sum);
//! - an autoscaled unit's instances at `n(x)`: the simulated scaling, the mean of its
//!   provisioned instances (ready + starting at each series window's end) over the measured
//!   series windows whose load is within 5% of `x` (the nearest simulated load when none is);
//!   when every measured window is at that load, its time-averaged instances;
//! - everything billed per hour (fixed instances, hosts, databases, balancer-hours, caches,
//!   provisioned concurrency, the cluster fee) as it is.
//!
//! The part's bill over the window, × its hours / the window's hours, is its share of the
//! month; the month is the sum of its parts.
//!
//! # Complexity
//! O(parts × (bill + series windows × entries)) per replication.

use crate::components::workflow::{WorkflowRep, WorkflowsRep};
use indexmap::IndexMap;

use super::{bill, Bill, Usage};
use crate::components::external::ExternalsRep;
use crate::components::lb::LbUsage;
use crate::components::queue::QueueUsage;
use crate::engine::record::RepResult;
use crate::flow::record::NodeUsage;
use crate::model::Model;
use crate::scenario::{Arrival, Month};
use crate::spec::prices::{ResourceKind, HOURS_PER_MONTH};

/// A monthly bill per line, keyed by kind and name \[$\].
pub type MonthLines = IndexMap<(ResourceKind, String), f64>;

/// Loads within this relative distance of a part's load count as that load.
const SAME_LOAD: f64 = 0.05;

/// The parts of `month`: (hours, load); `None` for the window repeated.
pub fn parts(month: &Month) -> Option<Vec<(f64, f64)>> {
    match month {
        Month::Window => None,
        Month::Steady => Some(vec![(HOURS_PER_MONTH, 1.0)]),
        Month::Peaks(peaks) => {
            let peak_h: f64 = peaks.iter().map(|p| p.hours).sum();
            let mut v = vec![((HOURS_PER_MONTH - peak_h).max(0.0), 1.0)];
            v.extend(peaks.iter().map(|p| (p.hours, p.load)));
            Some(v)
        }
    }
}

/// The steady rate of entry `e` of `m` in replication `r` \[1/s\]: its declared one, or a
/// closed loop's measured rate.
fn steady(m: &Model, r: &RepResult, e: usize) -> f64 {
    m.steady_rates.get(e).copied().flatten().unwrap_or_else(|| {
        let measured = r.entries.get(e).map_or(0, |x| x.arrived) as f64;
        if r.measured_s > 0.0 {
            measured / r.measured_s
        } else {
            0.0
        }
    })
}

/// The load at `t` seconds from the start: the entries' rates over their steady rates' sum.
fn load_at(m: &Model, r: &RepResult, t: f64, steady_sum: f64) -> f64 {
    let rate: f64 = m
        .topo
        .entries
        .iter()
        .enumerate()
        .map(|(e, x)| match &x.arrival {
            Arrival::Profile { profile, .. } => profile.rate(t),
            Arrival::Closed { .. } => steady(m, r, e),
            a => a.rate(),
        })
        .sum();
    rate / steady_sum
}

/// Per node, the provisioned instances at each measured series window, with the window's load.
struct Scaling {
    /// Load of each measured series window.
    loads: Vec<f64>,
    /// Index of each measured window in the series.
    windows: Vec<usize>,
}

impl Scaling {
    fn of(m: &Model, r: &RepResult, steady_sum: f64) -> Scaling {
        let w = r.series.window_s;
        let warmup = m.topo.warmup as f64 / 1e9;
        let end = m.topo.end as f64 / 1e9;
        let count = r.series.instances.first().map_or(0, Vec::len);
        let windows: Vec<usize> = (0..count)
            .filter(|&k| k as f64 * w >= warmup - 1e-9 && (k + 1) as f64 * w <= end + 1e-9)
            .collect();
        let loads = windows
            .iter()
            .map(|&k| load_at(m, r, (k as f64 + 0.5) * w, steady_sum))
            .collect();
        Scaling { loads, windows }
    }

    /// Instances of autoscaled node `n` at load `x`, given its time average `mean` over the
    /// window.
    fn instances(&self, r: &RepResult, n: usize, x: f64, mean: f64) -> f64 {
        if self.windows.is_empty() {
            return mean;
        }
        let near = |level: f64| {
            self.loads
                .iter()
                .map(|&l| (l - level).abs() <= SAME_LOAD * level)
                .collect::<Vec<bool>>()
        };
        let mut pick = near(x);
        if !pick.iter().any(|&b| b) {
            let nearest = self
                .loads
                .iter()
                .copied()
                .min_by(|a, b| (a - x).abs().total_cmp(&(b - x).abs()))
                .unwrap_or(x);
            pick = near(nearest);
        }
        if pick.iter().all(|&b| b) {
            return mean;
        }
        let (mut sum, mut count) = (0.0, 0.0);
        for (&k, _) in self.windows.iter().zip(&pick).filter(|(_, &b)| b) {
            let ready = r.series.instances[n].get(k).copied().unwrap_or(0.0);
            let starting = r
                .series
                .instances_starting
                .get(n)
                .and_then(|s| s.get(k))
                .copied()
                .unwrap_or(0.0);
            sum += ready + starting;
            count += 1.0;
        }
        if count > 0.0 {
            sum / count
        } else {
            mean
        }
    }
}

/// `x` scaled by `f`, rounded to a whole count.
fn scaled(x: u64, f: f64) -> u64 {
    (x as f64 * f).round() as u64
}

/// The window's usage at load `x`: counters × `f` = x / x̄, autoscaled instances at `n(x)`.
fn usage_at(
    r: &RepResult,
    usage: &Usage<'_>,
    scaling: &Scaling,
    x: f64,
    f: f64,
) -> (Vec<NodeUsage>, Vec<LbUsage>, Vec<QueueUsage>, ExternalsRep) {
    let nodes = usage
        .nodes
        .iter()
        .enumerate()
        .map(|(n, u)| NodeUsage {
            invocations: scaled(u.invocations, f),
            billed_ms: scaled(u.billed_ms, f),
            billed_ms_provisioned: scaled(u.billed_ms_provisioned, f),
            billed_init_ms: scaled(u.billed_init_ms, f),
            reads: scaled(u.reads, f),
            writes: scaled(u.writes, f),
            instances_mean: if u.instances_mean > 0.0 {
                scaling.instances(r, n, x, u.instances_mean)
            } else {
                0.0
            },
        })
        .collect();
    let lbs = usage
        .load_balancers
        .iter()
        .map(|l| LbUsage {
            name: l.name.clone(),
            hours: l.hours,
            lcu_hours: l.lcu_hours * f,
        })
        .collect();
    let queues = usage
        .queues
        .iter()
        .map(|q| QueueUsage {
            name: q.name.clone(),
            requests: scaled(q.requests, f),
        })
        .collect();
    let externals = ExternalsRep {
        calls: usage
            .externals
            .calls
            .iter()
            .map(|&c| scaled(c, f))
            .collect(),
        refused: usage
            .externals
            .refused
            .iter()
            .map(|&c| scaled(c, f))
            .collect(),
    };
    (nodes, lbs, queues, externals)
}

/// The workflows' usage scaled by `f`.
fn workflows_at(usage: &Usage<'_>, f: f64) -> WorkflowsRep {
    WorkflowsRep {
        workflows: usage
            .workflows
            .workflows
            .iter()
            .map(|w| WorkflowRep {
                started: scaled(w.started, f),
                transitions: scaled(w.transitions, f),
                billed_ms: scaled(w.billed_ms, f),
                ..w.clone()
            })
            .collect(),
    }
}

/// The monthly bill of replication `r` of `m` (whose window bill is `window`), per line
/// keyed by kind and name \[$\].
pub fn month_lines(
    m: &Model,
    r: &RepResult,
    window: &Bill,
) -> IndexMap<(ResourceKind, String), f64> {
    let mut out = MonthLines::new();
    let window_h = window.window_s / 3600.0;
    if window_h <= 0.0 {
        return out;
    }
    let steady_sum: f64 = (0..m.topo.entries.len()).map(|e| steady(m, r, e)).sum();
    let arrived: u64 = r.entries.iter().map(|e| e.arrived).sum();
    let window_load = if steady_sum > 0.0 && r.measured_s > 0.0 {
        arrived as f64 / r.measured_s / steady_sum
    } else {
        0.0
    };
    let parts = match parts(&m.month) {
        Some(p) if window_load > 0.0 => p,
        // The window repeated (declared, or nothing arrived to scale from).
        _ => {
            for l in &window.lines {
                *out.entry((l.kind, l.name.clone())).or_default() +=
                    l.window_usd * HOURS_PER_MONTH / window_h;
            }
            return out;
        }
    };
    let usage = Usage::of(m, r);
    let scaling = Scaling::of(m, r, steady_sum);
    for (hours, x) in parts {
        if hours <= 0.0 {
            continue;
        }
        let f = x / window_load;
        let (nodes, lbs, queues, externals) = usage_at(r, &usage, &scaling, x, f);
        let workflows = workflows_at(&usage, f);
        let at_x = Usage {
            nodes: &nodes,
            gateway_requests: scaled(usage.gateway_requests, f),
            load_balancers: &lbs,
            queues: &queues,
            cross_zone_bytes: usage.cross_zone_bytes * f,
            internet_bytes: usage.internet_bytes * f,
            externals: &externals,
            workflows: &workflows,
        };
        let b = bill(m, &at_x, window.window_s, window.requests);
        for l in &b.lines {
            *out.entry((l.kind, l.name.clone())).or_default() += l.window_usd * hours / window_h;
        }
    }
    out
}
