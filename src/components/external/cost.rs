//! The externals' bill: each admitted call of the measured interval at its operation's
//! `price`; calls refused by the quota are not billed. One line `external/NAME` per external.

use super::{ExternalsRep, Plan};
use crate::spec::prices::{CostLine, ResourceKind};

/// One line per external of `plan`, from the calls counted in `rep`.
pub fn lines(plan: &Plan, rep: &ExternalsRep) -> Vec<CostLine> {
    let mut usd = vec![0.0; plan.externals.len()];
    for (slot, &calls) in rep.calls.iter().enumerate() {
        usd[plan.slot_ext[slot] as usize] += calls as f64 * plan.prices[slot];
    }
    plan.externals
        .iter()
        .zip(usd)
        .map(|(x, window_usd)| CostLine {
            kind: ResourceKind::External,
            name: x.name.clone(),
            window_usd,
        })
        .collect()
}
