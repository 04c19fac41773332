//! The message queues' bill: per million requests to the queue service. A queue whose broker
//! runs on a host of the variant is billed with the host (`placement::cost`), not here.

use super::{Plan, QueueUsage};
use crate::spec::prices::{CostLine, Prices, ResourceKind};

/// One line per managed queue of `usage` (a replication's record), named after it.
pub fn lines(plan: &Plan, usage: &[QueueUsage], p: &Prices) -> Vec<CostLine> {
    usage
        .iter()
        .filter(|q| !plan.queues.iter().any(|x| x.hosted && x.name == q.name))
        .map(|q| CostLine {
            kind: ResourceKind::Queue,
            name: q.name.clone(),
            window_usd: q.requests as f64 * p.queue_per_million / 1e6,
        })
        .collect()
}
