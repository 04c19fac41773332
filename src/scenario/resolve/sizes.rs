//! Instance sizes (docs/semantics.md §4, "Instance sizes"): each `vm` or `container` unit not
//! on a host, and each host, runs on the cheapest offering of the instance catalogue
//! (`crate::spec::instances`) that has its cores and memory. With strict sizes (the scenario's
//! `strict_sizes = true` or the CLI's `--strict-sizes`) cores that are no offering's vCPUs are
//! an error naming the nearest valid sizes; without, a request larger than every offering is
//! priced pro rata (no instance). A self-hosted gateway or load balancer (billed as EC2
//! instances of its `cores` and `memory`, `crate::cost`) is checked the same way.

use crate::components::gateway::raw::RawGateway;
use crate::components::gateway::spec::GatewayProduct;
use crate::components::lb::raw::RawLoadBalancer;
use crate::components::lb::spec::LbProduct;
use crate::scenario::raw::RawScenario;
use crate::scenario::types::{Module, Platform, Variant};
use crate::spec::error::Sink;
use crate::spec::instances::{exact, fit, nearest, Family, Instance, GIB};

/// Picks the instance of every sized unit and host of `variants` (resolved from `raw`).
pub(super) fn sizes(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    modules: &[Module],
    variants: &mut [Variant],
    strict: bool,
) {
    for (vi, (rv, v)) in raw.variants.iter().zip(variants.iter_mut()).enumerate() {
        let rv = rv.get();
        let vf = format!("variants[{vi}]");
        let mut host_memory = vec![0u64; v.hosts.len()];
        for (ui, (ru, u)) in rv.units.iter().zip(v.units.iter_mut()).enumerate() {
            let need = u.base_memory + u.modules.iter().map(|&m| modules[m].memory).sum::<u64>();
            if !u.placement.hosts.is_empty() {
                let hs = &u.placement.hosts;
                for i in 0..u.replicas.max(1) as usize {
                    host_memory[hs[i % hs.len()]] += need;
                }
                continue;
            }
            let family = match u.platform {
                Platform::Vm => Family::Ec2,
                Platform::Container => Family::Fargate,
                Platform::Kubernetes | Platform::Serverless => continue,
            };
            let ru = ru.get();
            let span = ru.cores.as_ref().map_or(ru.name.span(), |c| c.span());
            let what = format!("unit `{}`", u.name);
            u.instance = pick(
                s,
                &Ask {
                    family,
                    cores: u.cores,
                    memory: need,
                    strict,
                    span,
                    field: format!("{vf}.units[{ui}].cores"),
                    what,
                },
            );
        }
        for d in &v.databases {
            if let Some(h) = d.host {
                host_memory[h] += d.memory * (1 + d.read_replicas as u64);
            }
        }
        for (hi, (rh, h)) in rv.hosts.iter().zip(v.hosts.iter_mut()).enumerate() {
            host_memory[hi] += h.extra_memory;
            let rh = rh.get();
            h.instance = pick(
                s,
                &Ask {
                    family: Family::Ec2,
                    cores: h.cores,
                    memory: h.memory.unwrap_or(host_memory[hi]),
                    strict,
                    span: rh.cores.span(),
                    field: format!("{vf}.hosts[{hi}].cores"),
                    what: format!("host `{}`", h.name),
                },
            );
        }
        if strict {
            front_door(
                s,
                rv.gateway.as_ref().map(|g| g.get()),
                &rv.load_balancers,
                v,
                &vf,
            );
        }
    }
}

/// With strict sizes: the self-hosted gateway's and load balancers' `cores` and `memory` per
/// instance (the EC2 type they are billed as) checked against the catalogue.
fn front_door(
    s: &mut Sink<'_>,
    rg: Option<&RawGateway>,
    rls: &[crate::spec::raw::Sp<RawLoadBalancer>],
    v: &Variant,
    vf: &str,
) {
    if let (Some(rg), Some(g)) = (rg, v.gateway.as_ref()) {
        if let (GatewayProduct::SelfHosted, Some(n), Some(c)) = (g.product, &g.node, &rg.cores) {
            if n.cores.is_finite() {
                pick(
                    s,
                    &Ask {
                        family: Family::Ec2,
                        cores: n.cores,
                        memory: n.memory,
                        strict: true,
                        span: c.span(),
                        field: format!("{vf}.gateway.cores"),
                        what: "the self-hosted gateway".into(),
                    },
                );
            }
        }
    }
    for (li, (rl, l)) in rls.iter().zip(&v.load_balancers).enumerate() {
        if let (LbProduct::SelfHosted { cores, memory }, Some(c)) = (l.product, &rl.get().cores) {
            pick(
                s,
                &Ask {
                    family: Family::Ec2,
                    cores,
                    memory,
                    strict: true,
                    span: c.span(),
                    field: format!("{vf}.load_balancers[{li}].cores"),
                    what: format!("the self-hosted load balancer `{}`", l.name),
                },
            );
        }
    }
}

/// What a unit or host asks for, and where to point an error.
struct Ask {
    family: Family,
    cores: f64,
    memory: u64,
    strict: bool,
    span: std::ops::Range<usize>,
    field: String,
    what: String,
}

/// The instance for `a`; with strict sizes, an error when its cores are no offering's vCPUs
/// (or no offering with them holds its memory).
fn pick(s: &mut Sink<'_>, a: &Ask) -> Option<Instance> {
    if a.strict && exact(a.family, a.cores, a.memory).is_none() {
        let near = nearest(a.family, a.cores, a.memory);
        let help = if near.is_empty() {
            "see docs/cost.md, \"Instance catalogue\"".to_string()
        } else {
            format!(
                "the nearest valid sizes: {} (docs/cost.md, \"Instance catalogue\")",
                near.join(", ")
            )
        };
        s.error(
            a.span.clone(),
            &a.field,
            format!(
                "strict sizes: {} asks {} cores and {:.3} GiB, which is no {} (its cores must be an offering's vCPUs, with room for its memory)",
                a.what,
                a.cores,
                a.memory as f64 / GIB,
                a.family.label()
            ),
            Some(help),
        );
        return None;
    }
    fit(a.family, a.cores, a.memory)
}
