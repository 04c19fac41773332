//! Cost of the managed services around the compute, each priced by its component (its
//! `cost.rs`): a managed API gateway (per million requests, HTTP or REST API), managed load
//! balancers (per hour + per LCU-hour or NLCU-hour), the gateway's response cache and cache
//! nodes (per hour), message queues (per million requests), cross-zone transfer and responses to
//! the internet (per GB) and external services (per admitted call, a line `external/NAME` each).

use super::CostLine;
use super::Usage;
use crate::components::{cache, external, gateway, lb, placement, queue};
use crate::model::Model;
use crate::spec::prices::{Prices, ResourceKind};

/// The line `transfer/internet` when responses left the system: GB × `internet_egress_per_gb`.
pub fn internet_line(bytes: f64, p: &Prices) -> Option<CostLine> {
    (bytes > 0.0).then(|| CostLine {
        kind: ResourceKind::Transfer,
        name: "internet".into(),
        window_usd: bytes / 1e9 * p.internet_egress_per_gb,
    })
}

/// Lines `gateway` (if the variant has a managed one), one per managed load balancer in `usage`,
/// `gateway_cache` (route caches) and one per cache node, one per queue in `usage`, and
/// `cross_zone` when bytes crossed zones, `internet` when responses left, one per external
/// service.
pub fn service_lines(m: &Model, p: &Prices, usage: &Usage<'_>, window_s: f64) -> Vec<CostLine> {
    let mut lines = Vec::new();
    if let Some(product) = m.gateway_product {
        lines.extend(gateway::cost::line(product, usage.gateway_requests, p));
    }
    lines.extend(lb::cost::lines(&m.plans.lb, usage.load_balancers, p));
    lines.extend(cache::cost::lines(&m.plans.cache, &m.topo, p, window_s));
    lines.extend(queue::cost::lines(&m.plans.queue, usage.queues, p));
    lines.extend(placement::cost::cross_zone_line(usage.cross_zone_bytes, p));
    lines.extend(internet_line(usage.internet_bytes, p));
    lines.extend(external::cost::lines(&m.plans.external, usage.externals));
    lines.extend(crate::components::workflow::cost::lines(
        &m.plans.workflow,
        usage.workflows,
    ));
    lines
}
