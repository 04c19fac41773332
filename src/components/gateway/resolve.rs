//! `gateway = { ... }` of a variant → [`Gateway`]: its overhead and product first, then (once
//! the workload's entries and the operations are resolved) the [`GatewayNode`] of its capacity,
//! authentication, rate limit and route caches.

use super::raw::{RawAuth, RawGateway, RawGatewayApi, RawGatewayProduct, RawRoute};
use super::spec::{Gateway, GatewayNode, GatewayProduct};
use crate::components::cache::resolve::{cache_spec, CacheKeys};
use crate::components::cache::CacheSpec;
use crate::components::rate_limit::resolve::rate_limit;
use crate::kernel::dist::Dist;
use crate::spec::check::{dist, int, num, size};
use crate::spec::error::Sink;
use crate::spec::limits::{MAX_CORES, MAX_QUEUE, MAX_REPLICAS, MAX_WORKERS};
use crate::spec::names::{Names, OpId};
use crate::spec::raw::Sp;
use crate::spec::units::suggest;

/// Default CPU phases at once per gateway instance (docs/sources.md "Envoy circuit-breaker
/// limits": max requests 1,024).
const DEFAULT_WORKERS: u32 = 1024;

/// The gateway of the variant at field path `vf`, without its node (see [`node`]).
pub(crate) fn gateway(s: &mut Sink<'_>, g: &RawGateway, vf: &str) -> Gateway {
    Gateway {
        // docs/sources.md, "self-hosted gateway overhead": ~0.7 ms p50, ~1.4 ms p99 (APISIX) → a
        // log-normal with median 0.7 ms and p99/p50 = 2: σ ≈ 0.30, mean ≈ 0.73 ms.
        overhead: g
            .overhead
            .as_ref()
            .and_then(|o| dist(s, o, &format!("{vf}.gateway.overhead")))
            .unwrap_or_else(|| Dist::lognormal(730e3, 0.3)),
        product: product(s, g, vf),
        node: None,
    }
}

/// What the gateway is: `product`, or the older `api` (a managed product); self-hosted when
/// neither is given (docs/format.md, `gateway.product`).
fn product(s: &mut Sink<'_>, g: &RawGateway, vf: &str) -> GatewayProduct {
    let from_api = g.api.as_ref().map(|a| match a.get() {
        RawGatewayApi::Http => GatewayProduct::AwsHttpApi,
        RawGatewayApi::Rest => GatewayProduct::AwsRestApi,
    });
    match (&g.product, &g.api) {
        (Some(_), Some(a)) => {
            s.error(
                a.span(),
                format!("{vf}.gateway.api"),
                "`api` and `product` both say what the gateway is",
                Some("keep `product` (`api = \"http\"` is `product = \"aws_http_api\"`, `api = \"rest\"` is `product = \"aws_rest_api\"`)".into()),
            );
            GatewayProduct::SelfHosted
        }
        (Some(p), None) => match p.get() {
            RawGatewayProduct::SelfHosted => GatewayProduct::SelfHosted,
            RawGatewayProduct::AwsHttpApi => GatewayProduct::AwsHttpApi,
            RawGatewayProduct::AwsRestApi => GatewayProduct::AwsRestApi,
        },
        (None, _) => from_api.unwrap_or(GatewayProduct::SelfHosted),
    }
}

/// The gateway's `modules` (field path `gf`) for the scenario to place, unless the list is
/// empty (reported).
pub(crate) fn hosted_modules<'r>(
    s: &mut Sink<'_>,
    g: &'r RawGateway,
    gf: &str,
) -> Option<&'r Sp<Vec<Sp<String>>>> {
    let list = g.modules.as_ref()?;
    if list.get().is_empty() {
        s.error(
            list.span(),
            format!("{gf}.modules"),
            "the gateway's `modules` lists no module",
            Some("list the composition modules run on the gateway, or remove the key".into()),
        );
        return None;
    }
    Some(list)
}

/// The gateway as a node, if any of its node keys is given (docs/sources.md row "gateway
/// node"); `names` are the scenario's, its entries those of the resolved workload.
pub(crate) fn node(
    s: &mut Sink<'_>,
    g: &RawGateway,
    vf: &str,
    names: &Names<'_>,
) -> Option<GatewayNode> {
    let gf = format!("{vf}.gateway");
    let any = g.replicas.is_some()
        || g.cores.is_some()
        || g.workers.is_some()
        || g.queue.is_some()
        || g.auth.is_some()
        || g.rate_limit.is_some()
        || !g.routes.is_empty()
        || g.modules.is_some()
        || g.memory.is_some();
    if !any {
        return None;
    }
    let (replicas, cores, workers, queue) = capacity(s, g, &gf);
    let memory = g
        .memory
        .as_ref()
        .and_then(|m| size(s, m, &format!("{gf}.memory")))
        .unwrap_or(0);
    let (auth_cpu, auth_op) = match &g.auth {
        Some(ra) => auth(s, ra, &gf, names),
        None => (None, None),
    };
    let rate_limit = g
        .rate_limit
        .as_ref()
        .and_then(|r| rate_limit(s, r, &gf, "rate_limit"));
    let route_cache = routes(s, &g.routes, &gf, names);
    Some(GatewayNode {
        replicas,
        cores,
        memory,
        workers,
        queue,
        auth_cpu,
        auth_op,
        rate_limit,
        route_cache,
    })
}

/// `replicas`, `cores`, `workers` and `queue` of the gateway at field path `gf`.
fn capacity(s: &mut Sink<'_>, g: &RawGateway, gf: &str) -> (u32, f64, u32, Option<u32>) {
    let replicas = g
        .replicas
        .as_ref()
        .and_then(|r| {
            int(
                s,
                r,
                &format!("{gf}.replicas"),
                1,
                MAX_REPLICAS,
                "gateway instances",
            )
        })
        .map_or(1, |x| x as u32);
    let cores = g
        .cores
        .as_ref()
        .and_then(|c| {
            num(
                s,
                c,
                &format!("{gf}.cores"),
                (0.0, false),
                MAX_CORES,
                "cores per gateway instance",
            )
        })
        .unwrap_or(f64::INFINITY);
    let workers = g
        .workers
        .as_ref()
        .and_then(|w| {
            int(
                s,
                w,
                &format!("{gf}.workers"),
                1,
                MAX_WORKERS,
                "CPU phases at once per gateway instance",
            )
        })
        .map_or(DEFAULT_WORKERS, |x| x as u32);
    let queue = g.queue.as_ref().and_then(|q| {
        int(
            s,
            q,
            &format!("{gf}.queue"),
            0,
            MAX_QUEUE,
            "requests waiting per gateway instance",
        )
        .map(|x| x as u32)
    });
    (replicas, cores, workers, queue)
}

/// `auth = { cpu }` or `auth = { op }`: a fixed CPU cost, or the operation called.
fn auth(
    s: &mut Sink<'_>,
    ra: &Sp<RawAuth>,
    gf: &str,
    names: &Names<'_>,
) -> (Option<Dist>, Option<OpId>) {
    let a = ra.get();
    let af = format!("{gf}.auth");
    match (&a.cpu, &a.op) {
        (Some(c), None) => return (dist(s, c, &format!("{af}.cpu")), None),
        (None, Some(o)) => match names.ops.get(o.get().as_str()) {
            Some(op) if op.store => s.error(
                o.span(),
                format!("{af}.op"),
                format!("`{}` is a data-store operation; auth calls a module operation", o.get()),
                None,
            ),
            Some(op) if !op.reachable && op.calls => s.error(
                o.span(),
                format!("{af}.op"),
                format!(
                    "`{}` makes calls but is reached from no entry: an auth operation called only by the gateway must not call others yet",
                    o.get()
                ),
                None,
            ),
            Some(op) => return (None, Some(op.id)),
            None => s.error(
                o.span(),
                format!("{af}.op"),
                format!("unknown operation `{}`", o.get()),
                Some(suggest(o.get(), names.ops.keys().copied(), "operations")),
            ),
        },
        _ => s.error(
            ra.span(),
            af,
            "auth needs exactly one of `cpu` (a fixed cost on the gateway) or `op` (a call to an operation)",
            Some("auth = { cpu = \"30us\" } or auth = { op = \"auth.verify\" }".into()),
        ),
    }
    (None, None)
}

/// The response cache of each entry (indexed like `names.entries`) from the `routes`.
fn routes(
    s: &mut Sink<'_>,
    routes: &[Sp<RawRoute>],
    gf: &str,
    names: &Names<'_>,
) -> Vec<Option<CacheSpec>> {
    let entries = &names.entries;
    let mut route_cache = vec![None; entries.names().len()];
    for (ri, rr) in routes.iter().enumerate() {
        let rf = format!("{gf}.routes[{ri}]");
        let r = rr.get();
        let Some(e) = entries.id(r.entry.get()) else {
            s.error(
                r.entry.span(),
                format!("{rf}.entry"),
                format!("unknown entry `{}`", r.entry.get()),
                Some(entries.suggest(r.entry.get(), "entries")),
            );
            continue;
        };
        if route_cache[e].is_some() {
            s.error(
                r.entry.span(),
                format!("{rf}.entry"),
                format!("entry `{}` has two routes", r.entry.get()),
                None,
            );
            continue;
        }
        if let Some(rc) = &r.cache {
            let c = rc.get();
            route_cache[e] = cache_spec(
                s,
                &format!("{rf}.cache"),
                rc.span(),
                CacheKeys {
                    hit_ratio: c.hit_ratio.as_ref(),
                    ttl: c.ttl.as_ref(),
                    keys: c.keys.as_ref(),
                    popularity: c.popularity.as_ref(),
                },
            );
        }
    }
    route_cache
}
