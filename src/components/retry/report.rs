//! Client retries in the results document: per entry with retries, the attempts its clients
//! made per request, combined over replications.

use crate::components::report::Replication;
use crate::flow::topology::EntryPlan;
use crate::stats::Stat;
use indexmap::IndexMap;

/// Per entry of `entries` with client retries, by name: attempts / requests.
pub fn client_amplification<R>(
    entries: &[EntryPlan],
    reps: &[Replication<'_, R>],
) -> IndexMap<String, Stat> {
    let mut out = IndexMap::new();
    for (e, plan) in entries.iter().enumerate() {
        if plan.retry != u32::MAX {
            out.insert(
                plan.name.clone(),
                Stat::over(reps, |r| {
                    let er = &r.entries[e];
                    if er.arrived == 0 {
                        1.0
                    } else {
                        er.attempts as f64 / er.arrived as f64
                    }
                }),
            );
        }
    }
    out
}
