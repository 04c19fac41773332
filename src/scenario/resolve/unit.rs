//! `[[variants.units]]`: a unit's own keys (platform, replicas, cores, workers, queue, io,
//! memory, restart delay), and its components' keys handed to their resolvers (load balancing,
//! serverless function, autoscaling, call policies, load shedding, connection pool). Its
//! placement is resolved with the variant's hosts (`variant.rs`).

use crate::components::autoscaler::resolve::{autoscale, initial_replicas};
use crate::components::function::resolve::{function, memory, FunctionKeys};
use crate::components::lb::resolve::algorithm;
use crate::components::policy::resolve::unit_policy;
use crate::components::pool::resolve::pool;
use crate::components::shed::resolve::shed;
use crate::flow::balance::LbAlgorithm;
use crate::scenario::raw::{RawIo, RawPlatform, RawUnit};
use crate::scenario::types::{Io, ModuleId, Placement, Platform, Unit};
use crate::spec::check::{dur, int, num, size};
use crate::spec::error::Sink;
use crate::spec::limits::{MAX_CORES, MAX_QUEUE, MAX_REPLICAS, MAX_WORKERS};

/// Unit `u` at field path `uf`, holding `modules` (already placed).
pub(super) fn unit(s: &mut Sink<'_>, u: &RawUnit, uf: &str, modules: Vec<ModuleId>) -> Unit {
    let platform = match u.platform.as_ref().map(|p| *p.get()) {
        None | Some(RawPlatform::Vm) => Platform::Vm,
        Some(RawPlatform::Container) => Platform::Container,
        Some(RawPlatform::Kubernetes) => Platform::Kubernetes,
        Some(RawPlatform::Serverless) => Platform::Serverless,
    };
    let serverless = platform == Platform::Serverless;
    if serverless {
        not_for_functions(s, u, uf);
    }
    let Capacity {
        replicas,
        cores,
        workers,
        queue,
    } = capacity(s, u, uf, serverless);
    let io = match u.io.as_ref().map(|i| *i.get()) {
        None | Some(RawIo::Blocking) => Io::Blocking,
        Some(RawIo::Async) => Io::Async,
    };
    let lb =
        u.lb.as_ref()
            .map_or(LbAlgorithm::RoundRobin, |l| algorithm(*l.get()));
    let base_memory = u
        .base_memory
        .as_ref()
        .and_then(|m| size(s, m, &format!("{uf}.base_memory")))
        .unwrap_or(0);
    let memory = u.memory.as_ref().and_then(|m| memory(s, m, uf, serverless));
    let function = function(s, function_keys(u), uf, serverless);
    let scaling = u
        .autoscale
        .as_ref()
        .and_then(|a| autoscale(s, a, &u.name, uf, serverless));
    let replicas = match &scaling {
        Some(a) => initial_replicas(s, a, u.replicas.as_ref(), replicas, uf),
        None => replicas,
    };
    let restart_delay = restart_delay(s, u, uf, platform);
    Unit {
        name: u.name.get().clone(),
        modules,
        platform,
        replicas,
        cores,
        workers,
        queue,
        io,
        base_memory,
        memory,
        lb,
        resilience: u
            .resilience
            .as_ref()
            .map(|r| unit_policy(s, r, &format!("{uf}.resilience")))
            .unwrap_or_default(),
        shed: u
            .shed
            .as_ref()
            .and_then(|r| shed(s, r, &format!("{uf}.shed"), io == Io::Async)),
        function,
        placement: Placement::default(),
        pool: u.pool.as_ref().map(|p| pool(s, p, uf, serverless)),
        autoscale: scaling,
        restart_delay,
        instance: None,
    }
}

/// What one instance of a unit can hold, and how many instances.
struct Capacity {
    replicas: u32,
    cores: f64,
    workers: u32,
    queue: Option<u32>,
}

/// `replicas`, `cores`, `workers` (default 100, 1 on serverless) and `queue` of unit `u`.
fn capacity(s: &mut Sink<'_>, u: &RawUnit, uf: &str, serverless: bool) -> Capacity {
    let replicas = u
        .replicas
        .as_ref()
        .and_then(|r| {
            int(
                s,
                r,
                &format!("{uf}.replicas"),
                1,
                MAX_REPLICAS,
                "instances of the unit",
            )
        })
        .map_or(1, |x| x as u32);
    let cores = u
        .cores
        .as_ref()
        .and_then(|c| {
            num(
                s,
                c,
                &format!("{uf}.cores"),
                (0.0, false),
                MAX_CORES,
                "cores per instance",
            )
        })
        .unwrap_or(1.0);
    let workers = u
        .workers
        .as_ref()
        .and_then(|w| {
            int(
                s,
                w,
                &format!("{uf}.workers"),
                1,
                MAX_WORKERS,
                "requests in service at once per instance",
            )
        })
        .map_or(if serverless { 1 } else { 100 }, |x| x as u32);
    let queue = u
        .queue
        .as_ref()
        .and_then(|q| {
            int(
                s,
                q,
                &format!("{uf}.queue"),
                0,
                MAX_QUEUE,
                "requests waiting per instance",
            )
        })
        .map(|x| x as u32);
    Capacity {
        replicas,
        cores,
        workers,
        queue,
    }
}

/// The serverless keys of unit `u`.
fn function_keys(u: &RawUnit) -> FunctionKeys<'_> {
    FunctionKeys {
        runtime: u.runtime.as_ref(),
        reserved_concurrency: u.reserved_concurrency.as_ref(),
        provisioned: u.provisioned.as_ref(),
        keep_alive: u.keep_alive.as_ref(),
        max_duration: u.max_duration.as_ref(),
        cold_start: u.cold_start.as_ref(),
        burst_limit: u.burst_limit.as_ref(),
        burst_interval: u.burst_interval.as_ref(),
    }
}

/// `restart_delay` of a kubernetes unit \[ns\] (default 10 s); 0 on the other platforms, where
/// the key is an error.
/// The keys of an instance with its own cores that a serverless unit has no use for: a
/// function runs one invocation per instance, as many instances as invocations, at the speed
/// of its `memory`, in no zone.
fn not_for_functions(s: &mut Sink<'_>, u: &RawUnit, uf: &str) {
    let name = u.name.span();
    let keys = [
        ("replicas", u.replicas.as_ref().map(|x| x.span())),
        ("cores", u.cores.as_ref().map(|x| x.span())),
        ("workers", u.workers.as_ref().map(|x| x.span())),
        ("queue", u.queue.as_ref().map(|x| x.span())),
        ("io", u.io.as_ref().map(|x| x.span())),
        ("lb", u.lb.as_ref().map(|x| x.span())),
        ("shed", u.shed.as_ref().map(|_| name.clone())),
        ("zones", u.zones.as_ref().map(|x| x.span())),
    ];
    for (k, span) in keys {
        if let Some(span) = span {
            s.error(
                span,
                format!("{uf}.{k}"),
                format!("`{k}` does not apply to a serverless unit (platform = \"serverless\")"),
                Some("a function runs one invocation per instance and starts instances as invocations come; size it with `memory`, `reserved_concurrency` and `provisioned`".into()),
            );
        }
    }
}

fn restart_delay(s: &mut Sink<'_>, u: &RawUnit, uf: &str, platform: Platform) -> u64 {
    match (&u.restart_delay, platform) {
        (Some(d), Platform::Kubernetes) => dur(s, d, &format!("{uf}.restart_delay"))
            .and_then(|ns| {
                if ns < 0.0 {
                    s.error(d.span(), format!("{uf}.restart_delay"), "must be ≥ 0", None);
                    None
                } else {
                    Some(ns.round() as u64)
                }
            })
            .unwrap_or(0),
        (Some(d), _) => {
            s.error(
                d.span(),
                format!("{uf}.restart_delay"),
                "`restart_delay` applies to kubernetes units only (platform = \"kubernetes\"): on other platforms a crashed instance is back when its crash ends",
                None,
            );
            0
        }
        // Assumption (docs/sources.md, "kubelet restart back-off"): the kubelet's first restart
        // back-off, 10 s (Kubernetes docs, "Pod Lifecycle", container restarts).
        (None, Platform::Kubernetes) => 10_000_000_000,
        (None, _) => 0,
    }
}
