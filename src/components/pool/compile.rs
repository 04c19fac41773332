//! Compiling connection pools: one per instance of a unit with a `pool` and per database.

use super::spec::DbPool;
use super::{Plan, PoolPlan, NO_POOL};
use crate::components::bit;
use crate::flow::topology::Topology;

/// Compiles the pools of the units (`pools[u]`: unit `u`'s pool settings, units being the
/// first nodes of `topo`) in front of the `databases` databases that follow them, and sets the
/// pool bit of the units that have pools.
pub fn compile(pools: &[Option<DbPool>], databases: usize, topo: &mut Topology, plan: &mut Plan) {
    plan.first = vec![NO_POOL; topo.stations.len()];
    if databases == 0 {
        return;
    }
    for (u, p) in pools.iter().enumerate() {
        let Some(p) = p else {
            continue;
        };
        let node = &mut topo.nodes[u];
        node.hooks |= bit::pool;
        for st in node.stations() {
            plan.first[st as usize] = plan.pools.len() as u32;
            for d in 0..databases {
                plan.pools.push(PoolPlan {
                    station: st,
                    db: topo.db_base + d as u32,
                    size: p.size,
                    acquire_timeout: p.acquire_timeout,
                });
            }
        }
    }
}
