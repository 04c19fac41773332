//! Workflows in the analytic estimate: a workflow call is its task calls made once each, one
//! after the other, by the operation holding it (choices, map fan-out, parallel branches and
//! waits are not estimated; an asynchronous start is counted as if waited for).

use super::Workflows;
use crate::components::bit;
use crate::components::contract::{Estimate, EstimateCx, Taken};
use crate::flow::topology::CallKind;

impl Estimate for Workflows {
    fn take<C: EstimateCx>(cx: &C, c: u32) -> Option<Taken> {
        let cp = cx.topo().calls.get(c as usize)?;
        if cp.kind != CallKind::Component || cp.hooks & bit::workflow == 0 {
            return None;
        }
        let plan = &cx.plans().workflow;
        let site = plan.sites.get(cp.aux as usize)?;
        let w = plan.workflows.get(site.wf as usize)?;
        Some(Taken {
            wait: 0.0,
            calls: site.first_task..site.first_task + w.tasks,
            detached: None,
            background: 0..0,
        })
    }
}
