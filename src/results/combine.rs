//! Combining the replications of one variant into its part of the results document: entries
//! (latency percentiles with their intervals, failures by reason), nodes, series, queues,
//! sagas, caches, and the paired differences between two variants.

use super::*;
use crate::components::autoscaler::{ScalerRep, NO_AUTOSCALE};
use crate::components::function::NO_FUNCTION;
use crate::engine::record::RepResult;
use crate::flow::topology::NodeKind;
use crate::flow::Reason;
use crate::model::Model;
use crate::stats::{bootstrap, mean_series, quantile_s, ratio, LogHistogram, Stat};
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
/// differences.
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

/// The results of one variant from its replications (`reps`, in replication order); warnings
/// about thin tails are appended to `warnings`.
pub fn combine_variant(m: &Model, reps: &[RepResult], warnings: &mut Vec<String>) -> VariantResult {
    let mut entries = IndexMap::new();
    for (e, plan) in m.topo.entries.iter().enumerate() {
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
        let min_completed = reps
            .iter()
            .map(|r| r.entries[e].completed)
            .min()
            .unwrap_or(0);
        for (label, q) in [("p99", 0.99), ("p99.9", 0.999)] {
            // Below ~10 samples beyond the quantile the estimate is mostly noise.
            let needed = (10.0 / (1.0 - q)) as u64;
            if min_completed < needed {
                warnings.push(format!(
                    "variant `{}`, entry `{}`: {label} rests on fewer than {needed} successful requests per replication (min {min_completed}); treat it as indicative",
                    m.variant, plan.name
                ));
            }
        }
        let q = |q: f64| Stat::over(reps, |r| quantile_s(&r.entries[e].latency, q));
        // Tail percentiles: bootstrap intervals when replications are few (bootstrap.rs).
        let tail = |q: f64| {
            let xs: Vec<f64> = reps
                .iter()
                .map(|r| quantile_s(&r.entries[e].latency, q))
                .collect();
            bootstrap::tail_stat(&xs)
        };
        let (p99, method) = tail(0.99);
        let (p999, _) = tail(0.999);
        entries.insert(
            plan.name.clone(),
            EntryResult {
                arrived: Stat::over(reps, |r| r.entries[e].arrived as f64),
                completed: Stat::over(reps, |r| r.entries[e].completed as f64),
                failed: Stat::over(reps, |r| r.entries[e].failed_total() as f64),
                in_flight: Stat::over(reps, |r| r.entries[e].in_flight as f64),
                throughput_per_s: Stat::over(reps, |r| entry_values(r, e)[3]),
                success_ratio: Stat::over(reps, |r| entry_values(r, e)[4]),
                failed_by_reason,
                latency_s: LatencyResult {
                    mean: Stat::over(reps, |r| entry_values(r, e)[0]),
                    p50: q(0.5),
                    p90: q(0.9),
                    p95: q(0.95),
                    p99,
                    p999,
                    tail_interval: method.name().to_string(),
                    p99_low_samples: bootstrap::low_samples(0.99, min_completed),
                    p999_low_samples: bootstrap::low_samples(0.999, min_completed),
                },
                latency_cdf: cdf(&merged),
                degraded: Stat::over(reps, |r| r.entries[e].degraded as f64),
                attempts: Stat::over(reps, |r| r.entries[e].attempts as f64),
            },
        );
    }
    let mut units = IndexMap::new();
    let mut databases = IndexMap::new();
    let mut components = IndexMap::new();
    for (n, node) in m.topo.nodes.iter().enumerate() {
        let nr = NodeResult {
            instances: node.instances,
            utilization: Stat::over(reps, |r| r.nodes[n].utilization),
            mean_in_system: Stat::over(reps, |r| r.nodes[n].mean_in_system),
            mean_in_queue: Stat::over(reps, |r| r.nodes[n].mean_in_queue),
            throughput_per_s: Stat::over(reps, |r| r.nodes[n].throughput),
            rejected: Stat::over(reps, |r| r.nodes[n].rejected as f64),
            mean_residence_s: Stat::over(reps, |r| r.nodes[n].mean_residence_s),
            crashed: Stat::over(reps, |r| r.nodes[n].crashed as f64),
            instances_up: Stat::over(reps, |r| r.nodes[n].instances_up),
            all_down_fraction: Stat::over(reps, |r| r.nodes[n].all_down_fraction),
            worker_saturation: Stat::over(reps, |r| r.nodes[n].worker_saturation),
            autoscaling: {
                let a = m.plans.autoscaler.of_node[n];
                (a != NO_AUTOSCALE).then(|| {
                    let a = a as usize;
                    let st = |f: &dyn Fn(&ScalerRep) -> f64| {
                        Stat::over(reps, |r| f(&r.components.autoscaler[a]))
                    };
                    crate::results::AutoscaleResult {
                        instances_mean: st(&|x| x.instances_mean),
                        instances_min: st(&|x| x.instances_min as f64),
                        instances_max: st(&|x| x.instances_max as f64),
                        scaling_events: st(&|x| x.scaling_events as f64),
                    }
                })
            },
            function: {
                let f = m.plans.function.of_node[n];
                (f != NO_FUNCTION)
                    .then(|| crate::results::cost::function_result(m, f as usize, reps))
            },
            pool: pool_result(reps, n),
        };
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
                    crate::results::ComponentResult {
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
    let caches = m
        .plans
        .cache
        .caches
        .iter()
        .enumerate()
        .map(|(c, plan)| {
            let of = |r: &RepResult| r.components.cache.get(c).copied().unwrap_or((0, 0));
            (
                plan.name.clone(),
                crate::results::CacheResult {
                    lookups: Stat::over(reps, |r| of(r).0 as f64),
                    hits: Stat::over(reps, |r| of(r).1 as f64),
                    hit_ratio: Stat::over(reps, |r| {
                        let (l, h) = of(r);
                        if l > 0 {
                            h as f64 / l as f64
                        } else {
                            0.0
                        }
                    }),
                },
            )
        })
        .collect();
    VariantResult {
        name: m.variant.clone(),
        entries,
        units,
        databases,
        components,
        caches,
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
        cost: crate::results::cost::cost_result(m, reps),
        conway: None,
        delivery: None,
        queues: combine_queues(m, reps),
        sagas: combine_sagas(m, reps),
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
    }
}

/// The pool figures of node `n`, if its instances hold pools.
fn pool_result(reps: &[RepResult], n: usize) -> Option<crate::results::PoolResult> {
    let of = |r: &RepResult| r.components.pool.nodes.get(n).cloned().unwrap_or_default();
    let size = reps.first().map_or(0, |r| of(r).size);
    (size > 0).then(|| crate::results::PoolResult {
        size,
        in_use: Stat::over(reps, |r| of(r).in_use),
        saturation: Stat::over(reps, |r| {
            let p = of(r);
            p.in_use / p.size.max(1) as f64
        }),
        waiting: Stat::over(reps, |r| of(r).waiting),
        acquires: Stat::over(reps, |r| of(r).acquires as f64),
        wait_mean_s: Stat::over(reps, |r| of(r).wait_s),
        timeouts: Stat::over(reps, |r| of(r).timeouts as f64),
    })
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
                p50_s: mean_series(reps, |r| &r.series.p50[e]),
                p99_s: mean_series(reps, |r| &r.series.p99[e]),
            },
        );
    }
    // Nodes holding connection pools (their series exist in every replication).
    let mut pooled = vec![false; m.topo.nodes.len()];
    for p in &m.plans.pool.pools {
        pooled[m.topo.stations[p.station as usize].node as usize] = true;
    }
    let mut nodes = IndexMap::new();
    for (n, node) in m.topo.nodes.iter().enumerate() {
        nodes.insert(
            node.name.clone(),
            NodeSeries {
                utilization: mean_series(reps, |r| &r.series.utilization[n]),
                in_system: mean_series(reps, |r| &r.series.in_system[n]),
                instances: mean_series(reps, |r| &r.series.instances[n]),
                instances_starting: mean_series(reps, |r| &r.series.instances_starting[n]),
                worker_saturation: mean_series(reps, |r| &r.series.worker_saturation[n]),
                waiting: mean_series(reps, |r| &r.series.waiting[n]),
                pool_saturation: if pooled[n] {
                    mean_series(reps, |r| &r.components.pool.saturation[n])
                } else {
                    Vec::new()
                },
                pool_waiting: if pooled[n] {
                    mean_series(reps, |r| &r.components.pool.waiting[n])
                } else {
                    Vec::new()
                },
            },
        );
    }
    let len = entries
        .values()
        .map(|s: &EntrySeries| s.throughput_per_s.len())
        .next()
        .unwrap_or(0);
    let mut queues = IndexMap::new();
    for (q, plan) in m.plans.queue.queues.iter().enumerate() {
        queues.insert(
            plan.name.clone(),
            QueueSeries {
                backlog: mean_series(reps, |r| &r.components.queue.backlog[q]),
                oldest_age_s: mean_series(reps, |r| &r.components.queue.oldest_age[q]),
            },
        );
    }
    SeriesResult {
        window_s,
        t_s: (0..len).map(|i| i as f64 * window_s).collect(),
        entries,
        nodes,
        queues,
    }
}

pub(crate) fn combine_queues(m: &Model, reps: &[RepResult]) -> IndexMap<String, QueueResult> {
    let mut out = IndexMap::new();
    for (q, plan) in m.plans.queue.queues.iter().enumerate() {
        let st = |f: &dyn Fn(&crate::components::queue::QueueRep) -> f64| {
            Stat::over(reps, |r| f(&r.components.queue.queues[q]))
        };
        let e2e = |p: f64| st(&|x| quantile_s(&x.end_to_end, p));
        let min_e2e = reps
            .iter()
            .map(|r| r.components.queue.queues[q].end_to_end.len())
            .min()
            .unwrap_or(0);
        out.insert(
            plan.name.clone(),
            QueueResult {
                published: st(&|x| x.published as f64),
                published_per_s: Stat::over(reps, |r| {
                    r.components.queue.queues[q].published as f64 / r.measured_s
                }),
                delivered: st(&|x| x.delivered as f64),
                redelivered: st(&|x| x.redelivered as f64),
                dead_lettered: st(&|x| x.dead_lettered as f64),
                receives: st(&|x| x.receives as f64),
                receives_per_message: st(&|x| {
                    ratio(x.finished_receives, x.delivered + x.dead_lettered)
                }),
                dead_letter_ratio: st(&|x| ratio(x.dead_lettered, x.delivered + x.dead_lettered)),
                backlog_end: st(&|x| x.in_queue_end as f64),
                wait_mean_s: st(&|x| x.mean_wait_s()),
                end_to_end_s: LatencyResult {
                    mean: st(&|x| {
                        if x.end_to_end.is_empty() {
                            0.0
                        } else {
                            x.end_to_end.mean() / 1e9
                        }
                    }),
                    p50: e2e(0.5),
                    p90: e2e(0.9),
                    p95: e2e(0.95),
                    p99: e2e(0.99),
                    p999: e2e(0.999),
                    tail_interval: bootstrap::Method::StudentT.name().to_string(),
                    p99_low_samples: bootstrap::low_samples(0.99, min_e2e),
                    p999_low_samples: bootstrap::low_samples(0.999, min_e2e),
                },
            },
        );
    }
    out
}

pub(crate) fn combine_sagas(m: &Model, reps: &[RepResult]) -> IndexMap<String, SagaResult> {
    let mut out = IndexMap::new();
    for (g, plan) in m.plans.saga.sagas.iter().enumerate() {
        let st = |f: &dyn Fn(&crate::components::saga::SagaRep) -> f64| {
            Stat::over(reps, |r| f(&r.components.saga[g]))
        };
        out.insert(
            plan.name.clone(),
            SagaResult {
                committed: st(&|x| x.committed as f64),
                compensated: st(&|x| x.compensated as f64),
                inconsistent: st(&|x| x.inconsistent as f64),
                committed_ratio: st(&|x| {
                    ratio(x.committed, x.committed + x.compensated + x.inconsistent)
                }),
                compensated_ratio: st(&|x| {
                    ratio(x.compensated, x.committed + x.compensated + x.inconsistent)
                }),
                inconsistent_ratio: st(&|x| {
                    ratio(x.inconsistent, x.committed + x.compensated + x.inconsistent)
                }),
                compensation_s: st(&|x| {
                    let n = x.compensated + x.inconsistent;
                    if n == 0 {
                        0.0
                    } else {
                        x.compensation_ns / n as f64 / 1e9
                    }
                }),
            },
        );
    }
    out
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
        entries.insert(
            plan.name.clone(),
            EntryDiff {
                latency_mean_s: d(0),
                latency_p50_s: d(1),
                latency_p99_s: d(2),
                throughput_per_s: d(3),
                success_ratio: d(4),
            },
        );
    }
    let mem = (mv.memory_provisioned as f64 - mb.memory_provisioned as f64) / 1e9;
    Comparison {
        variant: mv.variant.clone(),
        baseline: mb.variant.clone(),
        entries,
        memory_provisioned_gb: Stat::from_samples(&vec![mem; base.len().min(var.len())]),
    }
}
