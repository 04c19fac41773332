//! The serverless functions' bill: per request, per GB-s billed (each invocation rounded up to
//! 1 ms, its INIT phase included when it was a cold start, unless `serverless_unbilled_init`), provisioned concurrency per GB-s provisioned and per GB-s executed on it, and the
//! monthly free tier prorated to the window when the prices grant it.

use super::{FunctionPlan, Plan};
use crate::flow::record::NodeUsage;
use crate::spec::prices::{
    CostLine, Prices, ResourceKind, FREE_TIER_GB_S, FREE_TIER_REQUESTS, HOURS_PER_MONTH,
};

/// The serverless part of one bill, function by function: each function's cost, and the
/// requests and GB-s the free tier is credited on.
#[derive(Debug, Clone, Default)]
pub struct ServerlessBill {
    requests: f64,
    gb_s: f64,
}

impl ServerlessBill {
    /// The window cost of function `f`, whose node used `u` over `window_s` seconds \[$\];
    /// counted for the free tier.
    pub fn function(&mut self, f: &FunctionPlan, u: &NodeUsage, p: &Prices, window_s: f64) -> f64 {
        let g = f.memory as f64 / 1e9;
        // Since 1 August 2025 the INIT phase of on-demand invocations is billed like the
        // invocation (docs/sources.md "INIT billing"); `serverless_unbilled_init` restores the
        // rule before.
        let init_ms = if p.serverless_unbilled_init {
            0
        } else {
            u.billed_init_ms
        };
        let gb_s = (u.billed_ms + init_ms) as f64 / 1000.0 * g;
        self.requests += u.invocations as f64;
        self.gb_s += gb_s;
        u.invocations as f64 * p.serverless_per_million_requests / 1e6
            + gb_s * p.serverless_gb_second
            + f.provisioned as f64 * g * window_s * p.serverless_provisioned_gb_second
            + u.billed_ms_provisioned as f64 / 1000.0
                * g
                * p.serverless_provisioned_executed_gb_second
    }

    /// The line `serverless_free_tier` (a credit), when the prices grant the free tier and the
    /// variant has functions (`plan`).
    pub fn free_tier(&self, plan: &Plan, p: &Prices, window_s: f64) -> Option<CostLine> {
        (p.serverless_free_tier && !plan.functions.is_empty()).then(|| {
            let frac = window_s / (HOURS_PER_MONTH * 3600.0);
            let credit = self.requests.min(FREE_TIER_REQUESTS * frac)
                * p.serverless_per_million_requests
                / 1e6
                + self.gb_s.min(FREE_TIER_GB_S * frac) * p.serverless_gb_second;
            CostLine {
                kind: ResourceKind::Credit,
                name: "serverless_free_tier".into(),
                window_usd: -credit,
            }
        })
    }
}
