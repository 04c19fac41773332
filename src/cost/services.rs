//! Cost of the managed services around the compute: the API gateway (per million requests,
//! HTTP or REST API), explicit load balancers (per hour + per LCU-hour), message queues (per
//! million requests) and cross-zone transfer (per GB).

use super::CostLine;
use super::Usage;
use crate::model::Model;
use crate::scenario::GatewayApi;
use crate::spec::prices::Prices;

/// Lines `gateway` (if the variant has one), one per load balancer in `usage`,
/// `gateway_cache` (route caches) and one per cache node, one per queue in `usage`, and
/// `cross_zone` when bytes crossed zones.
pub fn service_lines(m: &Model, p: &Prices, usage: &Usage<'_>, window_s: f64) -> Vec<CostLine> {
    let mut lines = Vec::new();
    if let Some(api) = m.gateway_api {
        let per_million = match api {
            GatewayApi::Http => p.gateway_http_per_million,
            GatewayApi::Rest => p.gateway_rest_per_million,
        };
        lines.push(CostLine {
            name: "gateway".into(),
            window_usd: usage.gateway_requests as f64 * per_million / 1e6,
        });
    }
    for lb in usage.load_balancers {
        lines.push(CostLine {
            name: lb.name.clone(),
            window_usd: lb.hours * p.lb_hour + lb.lcu_hours * p.lb_lcu_hour,
        });
    }
    let hours = window_s / 3600.0;
    if m.plans
        .cache
        .caches
        .iter()
        .any(|c| c.name.starts_with("gateway: "))
    {
        lines.push(CostLine {
            name: "gateway_cache".into(),
            window_usd: hours * p.cache_hour,
        });
    }
    for &n in &m.plans.cache.nodes {
        lines.push(CostLine {
            name: m.topo.nodes[n as usize].name.clone(),
            window_usd: hours * p.cache_hour,
        });
    }
    for q in usage.queues {
        lines.push(CostLine {
            name: q.name.clone(),
            window_usd: q.requests as f64 * p.queue_per_million / 1e6,
        });
    }
    if usage.cross_zone_bytes > 0.0 {
        lines.push(CostLine {
            name: "cross_zone".into(),
            window_usd: usage.cross_zone_bytes / 1e9 * p.cross_zone_per_gb,
        });
    }
    lines
}
