//! An external as a node: one station with infinite cores and no worker limit (every call is
//! an independent delay of its operation's latency), the component's bit set so that its
//! quota and call counts see every call admitted there.

use super::ExternalSpec;
use crate::components::bit;
use crate::components::rate_limit::RateLimit;
use crate::flow::topology::{NodeKind, StationSpec, Topology};

/// [`Plan::slot_of_op`] of an operation that is not an external's.
pub const NO_SLOT: u32 = u32::MAX;

/// One external compiled.
#[derive(Debug, Clone)]
pub struct ExtPlan {
    /// Its name.
    pub name: String,
    /// Its node.
    pub node: u32,
    /// The provider's quota, if any.
    pub quota: Option<RateLimit>,
}

/// The externals of a variant.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Per external, in the scenario's order (their nodes are consecutive).
    pub externals: Vec<ExtPlan>,
    /// Per operation of the scenario, its slot among the externals' operations, or
    /// [`NO_SLOT`].
    pub slot_of_op: Vec<u32>,
    /// Per slot: the external it belongs to.
    pub slot_ext: Vec<u32>,
    /// Per slot: the price of one admitted call \[$\].
    pub prices: Vec<f64>,
}

impl Plan {
    /// The external whose node is `node`, if any.
    #[inline]
    pub fn of_node(&self, node: usize) -> Option<usize> {
        let first = self.externals.first()?.node as usize;
        (node >= first && node < first + self.externals.len()).then(|| node - first)
    }
}

/// Adds one node per external of `externals` to `topo` (the scenario has `n_ops`
/// operations) and fills `plan`.
pub fn compile(externals: &[ExternalSpec], n_ops: usize, topo: &mut Topology, plan: &mut Plan) {
    plan.slot_of_op = vec![NO_SLOT; n_ops];
    for (e, x) in externals.iter().enumerate() {
        let node = topo.add_node(&x.name, NodeKind::External, 1, StationSpec::delay());
        topo.nodes[node as usize].hooks |= bit::external;
        for (&op, &price) in x.ops.iter().zip(&x.prices) {
            plan.slot_of_op[op] = plan.prices.len() as u32;
            plan.slot_ext.push(e as u32);
            plan.prices.push(price);
        }
        plan.externals.push(ExtPlan {
            name: x.name.clone(),
            node,
            quota: x.quota,
        });
    }
}
