//! The message queues' bill: per million requests to the queue service.

use super::QueueUsage;
use crate::spec::prices::{CostLine, Prices, ResourceKind};

/// One line per queue of `usage` (a replication's record), named after it.
pub fn lines(usage: &[QueueUsage], p: &Prices) -> Vec<CostLine> {
    usage
        .iter()
        .map(|q| CostLine {
            kind: ResourceKind::Queue,
            name: q.name.clone(),
            window_usd: q.requests as f64 * p.queue_per_million / 1e6,
        })
        .collect()
}
