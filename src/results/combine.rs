//! Combining the replications of one variant into its part of the results document: entries
//! (latency percentiles with their intervals, failures by reason), nodes, series, and the
//! paired differences between two variants. What a component recorded is combined by the
//! component (its `report.rs`: functions, pools, autoscaling, caches, queues, sagas); this
//! module places its output where the document has it.

use super::*;
use crate::components::autoscaler::ScalerRep;
use crate::components::function::FunctionRep;
use crate::components::pool::PoolsRep;
use crate::components::report::Replication;
use crate::components::{autoscaler, cache, function, pool, queue, saga, tx, Reps};
use crate::engine::record::RepResult;
use crate::flow::topology::NodeKind;
use crate::flow::Reason;
use crate::model::Model;
use crate::stats::{mean_present_series, mean_series, quantile_s, LogHistogram, Stat};
use indexmap::IndexMap;

/// Completed over answered (1 when nothing was answered).
pub(crate) fn success_ratio(completed: u64, failed: u64) -> f64 {
    let n = completed + failed;
    if n == 0 {
        1.0
    } else {
        completed as f64 / n as f64
    }
}

/// Per-replication headline values of one entry, used for both the summary and the paired
/// differences: mean, p50 and p99 latency \[s\] (0 when no request completed: see
/// [`has_latency`]), throughput \[1/s\], success ratio.
pub fn entry_values(r: &RepResult, e: usize) -> [f64; 5] {
    let er = &r.entries[e];
    [
        er.latency.mean() / 1e9,
        quantile_s(&er.latency, 0.5),
        quantile_s(&er.latency, 0.99),
        er.completed as f64 / r.measured_s,
        success_ratio(er.completed, er.failed_total()),
    ]
}

/// Whether entry `e` has a latency in replication `r`: at least one request completed.
pub fn has_latency(r: &RepResult, e: usize) -> bool {
    r.entries[e].completed > 0
}

/// Each replication of `reps` as a component's combination sees it: its record `get` of the
/// components' records, with the replication's core figures.
pub(crate) fn view<'a, R>(
    reps: &'a [RepResult],
    get: impl Fn(&'a Reps) -> &'a R,
) -> Vec<Replication<'a, R>> {
    reps.iter()
        .map(|r| Replication {
            rep: get(&r.components),
            measured_s: r.measured_s,
            entries: &r.entries,
        })
        .collect()
}

/// The results of one variant from its replications (`reps`, in replication order); warnings
/// about thin tails are appended to `warnings`.
pub fn combine_variant(m: &Model, reps: &[RepResult], warnings: &mut Vec<String>) -> VariantResult {
    let mut entries = IndexMap::new();
    for (e, plan) in m.topo.entries.iter().enumerate() {
        entries.insert(plan.name.clone(), entry_result(m, reps, e, warnings));
    }
    let mut units = IndexMap::new();
    let mut databases = IndexMap::new();
    let mut components = IndexMap::new();
    let nodes = NodeViews {
        autoscaler: view(reps, |c| &c.autoscaler),
        function: view(reps, |c| &c.function),
        pool: view(reps, |c| &c.pool),
    };
    for (n, node) in m.topo.nodes.iter().enumerate() {
        let nr = node_result(m, reps, &nodes, n);
        match node.kind {
            NodeKind::Unit => {
                units.insert(node.name.clone(), nr);
            }
            NodeKind::Database => {
                databases.insert(node.name.clone(), nr);
            }
            kind => {
                components.insert(
                    node.name.clone(),
                    ComponentResult {
                        kind: kind.name().to_string(),
                        node: nr,
                    },
                );
            }
        }
    }
    let events: u64 = reps.iter().map(|r| r.events).sum();
    let wall_s: f64 = reps.iter().map(|r| r.wall_s).sum();
    let series = combine_series(m, reps);
    let resilience = resilience::combine(m, reps, &series);
    VariantResult {
        name: m.variant.clone(),
        entries,
        units,
        databases,
        components,
        caches: cache::report::combine(&m.plans.cache, &view(reps, |c| &c.cache)),
        memory_provisioned_gb: Stat::from_samples(&vec![
            m.memory_provisioned as f64 / 1e9;
            reps.len()
        ]),
        availability: Stat::over(reps, |r| {
            let ok: u64 = r.entries.iter().map(|e| e.completed).sum();
            let bad: u64 = r.entries.iter().map(|e| e.failed_total()).sum();
            success_ratio(ok, bad)
        }),
        series,
        cost: super::cost::cost_result(m, reps),
        conway: None,
        delivery: None,
        queues: queue::report::combine(&m.plans.queue, &view(reps, |c| &c.queue)),
        sagas: saga::report::combine(&m.plans.saga, &view(reps, |c| &c.saga)),
        transactions: tx::report::combine(&m.plans.tx, &view(reps, |c| &c.tx)),
        locks: tx::report::locks(&m.plans.tx, &view(reps, |c| &c.tx)),
        workflows: crate::components::workflow::report::combine(
            &m.plans.workflow,
            &view(reps, |c| &c.workflow),
        ),
        engine: EngineFigures {
            events,
            wall_s,
            events_per_s: if wall_s > 0.0 {
                events as f64 / wall_s
            } else {
                0.0
            },
        },
        resilience,
        warmup_detected: IndexMap::new(),
        anatomy: super::anatomy::combine(m, reps),
    }
}

/// The results of entry `e`; warnings about its thin tails are appended to `warnings`.
fn entry_result(
    m: &Model,
    reps: &[RepResult],
    e: usize,
    warnings: &mut Vec<String>,
) -> EntryResult {
    let plan = &m.topo.entries[e];
    let mut merged = LogHistogram::new();
    for r in reps {
        merged.add(&r.entries[e].latency);
    }
    let mut failed_by_reason = IndexMap::new();
    for reason in Reason::ALL {
        if reps.iter().any(|r| r.entries[e].failed[reason.index()] > 0) {
            failed_by_reason.insert(
                reason.name().to_string(),
                Stat::over(reps, |r| r.entries[e].failed[reason.index()] as f64),
            );
        }
    }
    let hists: Vec<&LogHistogram> = reps.iter().map(|r| &r.entries[e].latency).collect();
    let latency_s = LatencyResult::from_histograms(&hists);
    let min_completed = reps
        .iter()
        .map(|r| r.entries[e].completed)
        .filter(|&c| c > 0)
        .min()
        .unwrap_or(0);
    let empty = latency_s.replications_without_samples;
    if empty > 0 {
        warnings.push(format!(
            "variant `{}`, entry `{}`: {empty} of {} replications completed no request; {}",
            m.variant,
            plan.name,
            reps.len(),
            if latency_s.is_na(reps.len() as u32) {
                "its latency is n/a".to_string()
            } else {
                "its latency is over the other replications".to_string()
            }
        ));
    }
    for (label, q) in [("p99", 0.99), ("p99.9", 0.999)] {
        // Below ~10 samples beyond the quantile the estimate is mostly noise.
        let needed = (10.0 / (1.0 - q)) as u64;
        if min_completed > 0 && min_completed < needed {
            warnings.push(format!(
                "variant `{}`, entry `{}`: {label} rests on fewer than {needed} successful requests per replication (min {min_completed}); treat it as indicative",
                m.variant, plan.name
            ));
        }
    }
    EntryResult {
        arrived: Stat::over(reps, |r| r.entries[e].arrived as f64),
        completed: Stat::over(reps, |r| r.entries[e].completed as f64),
        failed: Stat::over(reps, |r| r.entries[e].failed_total() as f64),
        in_flight: Stat::over(reps, |r| r.entries[e].in_flight as f64),
        throughput_per_s: Stat::over(reps, |r| entry_values(r, e)[3]),
        success_ratio: Stat::over(reps, |r| entry_values(r, e)[4]),
        failed_by_reason,
        latency_s,
        latency_cdf: cdf(&merged),
        degraded: Stat::over(reps, |r| r.entries[e].degraded as f64),
        attempts: Stat::over(reps, |r| r.entries[e].attempts as f64),
    }
}

/// The replications as the components with node figures see them.
struct NodeViews<'a> {
    autoscaler: Vec<Replication<'a, Vec<ScalerRep>>>,
    function: Vec<Replication<'a, Vec<FunctionRep>>>,
    pool: Vec<Replication<'a, PoolsRep>>,
}

/// The results of node `n`.
fn node_result(m: &Model, reps: &[RepResult], views: &NodeViews<'_>, n: usize) -> NodeResult {
    NodeResult {
        instances: m.topo.nodes[n].instances,
        utilization: Stat::over(reps, |r| r.nodes[n].utilization),
        mean_in_system: Stat::over(reps, |r| r.nodes[n].mean_in_system),
        mean_in_queue: Stat::over(reps, |r| r.nodes[n].mean_in_queue),
        throughput_per_s: Stat::over(reps, |r| r.nodes[n].throughput),
        attempts_per_s: Stat::over(reps, |r| {
            let x = &r.nodes[n];
            per_s((x.arrivals + x.refused) as f64, r.measured_s)
        }),
        rejected: Stat::over(reps, |r| r.nodes[n].rejected as f64),
        mean_residence_s: Stat::over(reps, |r| r.nodes[n].mean_residence_s),
        crashed: Stat::over(reps, |r| r.nodes[n].crashed as f64),
        instances_up: Stat::over(reps, |r| r.nodes[n].instances_up),
        all_down_fraction: Stat::over(reps, |r| r.nodes[n].all_down_fraction),
        worker_saturation: Stat::over(reps, |r| r.nodes[n].worker_saturation),
        autoscaling: autoscaler::report::node_result(&m.plans.autoscaler, n, &views.autoscaler),
        function: function::report::node_result(&m.plans.function, n, &views.function),
        pool: pool::report::node_result(&views.pool, n),
    }
}

/// The CDF as `[latency_s, fraction ≤]` points: one per percentile and finer in the tail, in
/// one pass over the histogram.
pub(crate) fn cdf(h: &LogHistogram) -> Vec<[f64; 2]> {
    if h.is_empty() {
        return Vec::new();
    }
    let mut qs: Vec<f64> = (1..100).map(|i| i as f64 / 100.0).collect();
    qs.extend([0.995, 0.999, 0.9995, 0.9999, 1.0]);
    let total = h.len() as f64;
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(qs.len());
    let mut qi = 0;
    let mut seen = 0u64;
    for (value, count) in h.iter() {
        seen += count;
        let frac = seen as f64 / total;
        let v = value as f64 / 1e9;
        while qi < qs.len() && frac + 1e-12 >= qs[qi] {
            match out.last_mut() {
                Some(last) if last[0] == v => last[1] = qs[qi],
                _ => out.push([v, qs[qi]]),
            }
            qi += 1;
        }
    }
    out
}

pub(crate) fn combine_series(m: &Model, reps: &[RepResult]) -> SeriesResult {
    let window_s = m.topo.window as f64 / 1e9;
    let mut entries = IndexMap::new();
    for (e, plan) in m.topo.entries.iter().enumerate() {
        entries.insert(
            plan.name.clone(),
            EntrySeries {
                throughput_per_s: mean_series(reps, |r| &r.series.throughput[e]),
                errors_per_s: mean_series(reps, |r| &r.series.errors[e]),
                p50_s: mean_present_series(reps, |r| &r.series.p50[e]),
                p99_s: mean_present_series(reps, |r| &r.series.p99[e]),
            },
        );
    }
    let pools = pool::report::series(&m.plans.pool, &m.topo, &view(reps, |c| &c.pool));
    let mut nodes = IndexMap::new();
    for ((n, node), pool) in m.topo.nodes.iter().enumerate().zip(pools) {
        nodes.insert(
            node.name.clone(),
            NodeSeries {
                utilization: mean_series(reps, |r| &r.series.utilization[n]),
                in_system: mean_series(reps, |r| &r.series.in_system[n]),
                instances: mean_series(reps, |r| &r.series.instances[n]),
                instances_starting: mean_series(reps, |r| &r.series.instances_starting[n]),
                worker_saturation: mean_series(reps, |r| &r.series.worker_saturation[n]),
                waiting: mean_series(reps, |r| &r.series.waiting[n]),
                pool_saturation: pool.saturation,
                pool_waiting: pool.waiting,
            },
        );
    }
    let len = entries
        .values()
        .map(|s: &EntrySeries| s.throughput_per_s.len())
        .next()
        .unwrap_or(0);
    let queues = queue::report::series(&m.plans.queue, &view(reps, |c| &c.queue));
    SeriesResult {
        window_s,
        t_s: (0..len).map(|i| i as f64 * window_s).collect(),
        entries,
        nodes,
        queues,
    }
}

/// The paired differences of variant `mv` (replications `var`) against the baseline `mb`
/// (`base`): replication k of both saw the same random draws.
pub fn compare(mb: &Model, base: &[RepResult], mv: &Model, var: &[RepResult]) -> Comparison {
    let mut entries = IndexMap::new();
    for (e, plan) in mb.topo.entries.iter().enumerate() {
        let col = |reps: &[RepResult], i: usize| -> Vec<f64> {
            reps.iter().map(|r| entry_values(r, e)[i]).collect()
        };
        let d = |i: usize| Stat::paired_difference(&col(base, i), &col(var, i));
        // Latency differences: only the pairs in which both replications completed requests.
        let pairs: Vec<usize> = (0..base.len().min(var.len()))
            .filter(|&k| has_latency(&base[k], e) && has_latency(&var[k], e))
            .collect();
        let lat = |i: usize| {
            let of = |reps: &[RepResult]| -> Vec<f64> {
                pairs
                    .iter()
                    .map(|&k| entry_values(&reps[k], e)[i])
                    .collect()
            };
            Stat::paired_difference(&of(base), &of(var))
        };
        entries.insert(
            plan.name.clone(),
            EntryDiff {
                latency_mean_s: lat(0),
                latency_p50_s: lat(1),
                latency_p99_s: lat(2),
                throughput_per_s: d(3),
                success_ratio: d(4),
                anatomy: super::anatomy::compare(mb, base, mv, var, e),
                latency_pairs: u32::try_from(pairs.len()).unwrap_or(u32::MAX),
            },
        );
    }
    let mem = (mv.memory_provisioned as f64 - mb.memory_provisioned as f64) / 1e9;
    Comparison {
        variant: mv.variant.clone(),
        baseline: mb.variant.clone(),
        entries,
        memory_provisioned_gb: Stat::signed(&vec![mem; base.len().min(var.len())]),
    }
}

/// `count` per second of `measured_s` seconds (0 for an empty interval).
fn per_s(count: f64, measured_s: f64) -> f64 {
    if measured_s > 0.0 {
        count / measured_s
    } else {
        0.0
    }
}
