//! A unit's `lb` and `[[variants.load_balancers]]` → [`LbAlgorithm`] and [`LoadBalancer`].

use super::raw::{RawLb, RawLbProduct, RawLoadBalancer};
use super::spec::{LbProduct, LoadBalancer};
use crate::flow::balance::LbAlgorithm;
use crate::spec::check::{check_name, int, latency, num, size};
use crate::spec::error::Sink;
use crate::spec::limits::{MAX_CORES, MAX_QUEUE};
use crate::spec::names::NameList;

/// Most instances of a load balancer.
const MAX_LB_REPLICAS: i64 = 100;

/// The algorithm a raw `lb` or `algorithm` names.
pub(crate) fn algorithm(raw: RawLb) -> LbAlgorithm {
    match raw {
        RawLb::RoundRobin => LbAlgorithm::RoundRobin,
        RawLb::Random => LbAlgorithm::Random,
        RawLb::LeastOutstanding => LbAlgorithm::LeastOutstanding,
        RawLb::PowerOfTwo => LbAlgorithm::PowerOfTwo,
    }
}

/// Load balancer number `li` of a variant (field path `lf`) in front of some of its `units`;
/// `fronted[u]` records the balancer of each unit already behind one, `taken` the names of
/// the variant's nodes so far.
pub(crate) fn load_balancer(
    s: &mut Sink<'_>,
    l: &RawLoadBalancer,
    lf: &str,
    units: &NameList<'_>,
    fronted: &mut [Option<usize>],
    li: usize,
    taken: &[String],
) -> LoadBalancer {
    check_name(s, &l.name, &format!("{lf}.name"), "load balancer");
    let name = l.name.get().clone();
    if taken.contains(&name) {
        s.error(
            l.name.span(),
            format!("{lf}.name"),
            format!("`{name}` is already the name of a node of this variant"),
            Some("give every unit, database, load balancer and cache its own name".into()),
        );
    }
    let mut ids = Vec::new();
    for (k, u) in l.units.get().iter().enumerate() {
        let f = format!("{lf}.units[{k}]");
        match units.id(u.get()) {
            Some(i) if fronted[i].is_some() => s.error(
                u.span(),
                f,
                format!("unit `{}` is already behind another load balancer", u.get()),
                None,
            ),
            Some(i) => {
                fronted[i] = Some(li);
                ids.push(i);
            }
            None => s.error(
                u.span(),
                f,
                format!("unknown unit `{}`", u.get()),
                Some(units.suggest(u.get(), "units")),
            ),
        }
    }
    if l.units.get().is_empty() {
        s.error(
            l.units.span(),
            format!("{lf}.units"),
            "a load balancer needs at least one unit",
            None,
        );
    }
    let algorithm = l.algorithm.as_ref().map(|a| algorithm(*a.get()));
    let replicas = l
        .replicas
        .as_ref()
        .and_then(|r| {
            int(
                s,
                r,
                &format!("{lf}.replicas"),
                1,
                MAX_LB_REPLICAS,
                "balancer instances",
            )
        })
        .map_or(1, |x| x as u32);
    let capacity = l
        .capacity
        .as_ref()
        .and_then(|c| {
            int(
                s,
                c,
                &format!("{lf}.capacity"),
                1,
                MAX_QUEUE,
                "requests in flight per balancer instance",
            )
        })
        .map_or(u32::MAX, |x| x as u32);
    // docs/sources.md "self-hosted gateway overhead": a proxy hop costs well under a millisecond
    // (Kong ~1 ms with plugins, APISIX 0.7 ms with two); a plain L7 balancer is taken at 0.4 ms.
    let latency = latency(s, l.latency.as_ref(), lf, 400e3);
    LoadBalancer {
        name,
        units: ids,
        algorithm,
        replicas,
        capacity,
        latency,
        product: product(s, l, lf),
    }
}

/// What balancer `l` (field path `lf`) is: `product` (default `aws_alb`) with the size of a
/// self-hosted one.
fn product(s: &mut Sink<'_>, l: &RawLoadBalancer, lf: &str) -> LbProduct {
    let raw = l
        .product
        .as_ref()
        .map_or(RawLbProduct::AwsAlb, |p| *p.get());
    let cores = l.cores.as_ref().and_then(|c| {
        num(
            s,
            c,
            &format!("{lf}.cores"),
            (0.0, false),
            MAX_CORES,
            "vCPUs per balancer instance",
        )
    });
    let memory = l
        .memory
        .as_ref()
        .and_then(|m| size(s, m, &format!("{lf}.memory")));
    match raw {
        RawLbProduct::SelfHosted => {
            if l.cores.is_none() {
                s.error(
                    l.product.as_ref().map_or(l.name.span(), |p| p.span()),
                    format!("{lf}.cores"),
                    "a self-hosted load balancer is billed as its instances: it needs `cores` (vCPUs per instance)",
                    Some("add e.g. `cores = 2` (and `memory = \"2GB\"`), or use `product = \"aws_alb\"`".into()),
                );
            }
            LbProduct::SelfHosted {
                cores: cores.unwrap_or(0.0),
                memory: memory.unwrap_or(0),
            }
        }
        managed => {
            let extra = [
                ("cores", l.cores.as_ref().map(|c| c.span())),
                ("memory", l.memory.as_ref().map(|m| m.span())),
            ];
            for (key, span) in extra {
                if let Some(span) = span {
                    s.error(
                        span,
                        format!("{lf}.{key}"),
                        format!("`{key}` sizes a self-hosted balancer's instances; a managed balancer has none"),
                        Some("remove it, or set `product = \"self_hosted\"`".into()),
                    );
                }
            }
            if managed == RawLbProduct::AwsNlb {
                LbProduct::AwsNlb
            } else {
                LbProduct::AwsAlb
            }
        }
    }
}
