//! Message queues in the results document: each queue's counters, end-to-end latency and
//! time series, combined over replications.

use super::{Plan, QueueRep, QueuesRep};
use crate::components::report::Replication;
use crate::stats::{mean_series, ratio, LatencyResult, Stat};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Results of one message queue; counts are of messages published in the measured interval.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct QueueResult {
    /// Messages published (the billed usage counter).
    pub published: Stat,
    /// Messages published per second.
    pub published_per_s: Stat,
    /// Messages processed successfully and deleted.
    pub delivered: Stat,
    /// Receives beyond the first of a message.
    pub redelivered: Stat,
    /// Messages dead-lettered after `max_receives` receives.
    pub dead_lettered: Stat,
    /// Consumer invocations started (first deliveries and redeliveries).
    pub receives: Stat,
    /// Receives per finished (deleted or dead-lettered) message.
    pub receives_per_message: Stat,
    /// Dead-lettered / finished messages.
    pub dead_letter_ratio: Stat,
    /// Messages still in the queue (visible or being processed) at the end.
    pub backlog_end: Stat,
    /// Mean wait from becoming visible to being received \[s\].
    pub wait_mean_s: Stat,
    /// End-to-end latency of delivered messages, publish call → consumer done \[s\].
    pub end_to_end_s: LatencyResult,
}

/// Time series of a message queue.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct QueueSeries {
    /// Messages in the queue (visible or being processed) at the end of the window.
    pub backlog: Vec<f64>,
    /// Age of the oldest visible message at the end of the window \[s\].
    pub oldest_age_s: Vec<f64>,
}

/// Per queue of `plan`, by name: its results.
pub fn combine(plan: &Plan, reps: &[Replication<'_, QueuesRep>]) -> IndexMap<String, QueueResult> {
    let mut out = IndexMap::new();
    for (q, queue) in plan.queues.iter().enumerate() {
        let st = |f: &dyn Fn(&QueueRep) -> f64| Stat::over(reps, |r| f(&r.rep.queues[q]));
        out.insert(
            queue.name.clone(),
            QueueResult {
                published: st(&|x| x.published as f64),
                published_per_s: Stat::over(reps, |r| {
                    r.rep.queues[q].published as f64 / r.measured_s
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
                end_to_end_s: LatencyResult::from_histograms(
                    &reps
                        .iter()
                        .map(|r| &r.rep.queues[q].end_to_end)
                        .collect::<Vec<_>>(),
                ),
            },
        );
    }
    out
}

/// Per queue of `plan`, by name: its time series averaged over replications.
pub fn series(plan: &Plan, reps: &[Replication<'_, QueuesRep>]) -> IndexMap<String, QueueSeries> {
    let mut out = IndexMap::new();
    for (q, queue) in plan.queues.iter().enumerate() {
        out.insert(
            queue.name.clone(),
            QueueSeries {
                backlog: mean_series(reps, |r| &r.rep.backlog[q]),
                oldest_age_s: mean_series(reps, |r| &r.rep.oldest_age[q]),
            },
        );
    }
    out
}
