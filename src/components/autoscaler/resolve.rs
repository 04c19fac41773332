//! `autoscale = { ... }` of a unit → [`Autoscale`] over the HPA defaults, and the unit's
//! initial `replicas` within its bounds.

use super::raw::RawAutoscale;
use super::{Autoscale, Metric};
use crate::spec::check::{dist, dur, dur_positive, int, num};
use crate::spec::error::Sink;
use crate::spec::limits::MAX_REPLICAS;
use crate::spec::raw::{Duration, Int, Sp};

/// `autoscale` of the unit named `unit` at field path `uf`; `serverless` = the unit is a
/// function, which scales by itself (reported). `None` if anything is wrong.
pub(crate) fn autoscale(
    s: &mut Sink<'_>,
    a: &RawAutoscale,
    unit: &Sp<String>,
    uf: &str,
    serverless: bool,
) -> Option<Autoscale> {
    let af = format!("{uf}.autoscale");
    if serverless {
        s.error(
            unit.span(),
            &af,
            "`autoscale` applies to vm, container and kubernetes units; a serverless function scales by itself (one instance per request)",
            Some("remove `autoscale`, or bound the function with `reserved_concurrency`".into()),
        );
        return None;
    }
    let metric = metric(s, a, unit, &af);
    let min = match &a.min {
        Some(v) => int(
            s,
            v,
            &format!("{af}.min"),
            1,
            MAX_REPLICAS,
            "fewest instances",
        )? as u32,
        None => 1,
    };
    let Some(max_v) = &a.max else {
        s.error(
            unit.span(),
            format!("{af}.max"),
            "autoscaling needs `max`, the most instances",
            Some(
                "the instances are allocated up front: keep `max` realistic, e.g. max = 20".into(),
            ),
        );
        return None;
    };
    let max = int(
        s,
        max_v,
        &format!("{af}.max"),
        1,
        MAX_REPLICAS,
        "most instances",
    )? as u32;
    if max < min {
        s.error(
            max_v.span(),
            format!("{af}.max"),
            format!("`max` ({max}) is below `min` ({min})"),
            None,
        );
        return None;
    }
    let mut out = Autoscale::with_defaults(metric?, min, max);
    tuning(s, a, &af, &mut out)?;
    Some(out)
}

/// The target: `target_utilization` or `target_in_flight`, exactly one.
fn metric(s: &mut Sink<'_>, a: &RawAutoscale, unit: &Sp<String>, af: &str) -> Option<Metric> {
    let util = a.target_utilization.as_ref().and_then(|v| {
        num(
            s,
            v,
            &format!("{af}.target_utilization"),
            (0.0, false),
            1.0,
            "target busy cores / cores per instance",
        )
    });
    let inflight = a.target_in_flight.as_ref().and_then(|v| {
        num(
            s,
            v,
            &format!("{af}.target_in_flight"),
            (0.0, false),
            1e6,
            "target requests present per instance",
        )
    });
    match (&a.target_utilization, &a.target_in_flight) {
        (Some(_), Some(v)) => {
            s.error(
                v.span(),
                af,
                "give one target: `target_utilization` or `target_in_flight`, not both",
                None,
            );
            None
        }
        (None, None) => {
            s.error(
                unit.span(),
                af,
                "autoscaling needs a target: `target_utilization` (e.g. 0.6) or `target_in_flight` (e.g. 20)",
                Some("autoscale = { target_utilization = 0.6, max = 10 }".into()),
            );
            None
        }
        (Some(_), None) => util.map(Metric::Utilization),
        (None, Some(_)) => inflight.map(Metric::InFlight),
    }
}

/// The optional keys over the defaults in `out`: period, tolerance, stabilization windows,
/// start-up time, scale-up rate limit. `None` at the first invalid one.
fn tuning(s: &mut Sink<'_>, a: &RawAutoscale, af: &str, out: &mut Autoscale) -> Option<()> {
    if let Some(v) = &a.period {
        out.period = dur_positive(s, v, &format!("{af}.period"), "the sync period")?;
    }
    if let Some(v) = &a.tolerance {
        let t = num(
            s,
            v,
            &format!("{af}.tolerance"),
            (0.0, true),
            0.99,
            "a relative band around the target",
        )?;
        out.tolerance = t;
    }
    let window = |s: &mut Sink<'_>, v: &Duration, k: &str| -> Option<u64> {
        let f = format!("{af}.{k}");
        let ns = dur(s, v, &f)?;
        if ns < 0.0 {
            s.error(v.span(), f, "must be ≥ 0", None);
            return None;
        }
        Some(ns.round() as u64)
    };
    if let Some(v) = &a.scale_up_window {
        out.up_window = window(s, v, "scale_up_window")?;
    }
    if let Some(v) = &a.scale_down_window {
        out.down_window = window(s, v, "scale_down_window")?;
    }
    if let Some(v) = &a.startup {
        out.startup = dist(s, v, &format!("{af}.startup"))?;
    }
    if let Some(v) = &a.scale_up_pods {
        out.up_pods = int(
            s,
            v,
            &format!("{af}.scale_up_pods"),
            1,
            MAX_REPLICAS,
            "instances added per rate-limit period",
        )? as u32;
    }
    if let Some(v) = &a.scale_up_percent {
        out.up_percent = num(
            s,
            v,
            &format!("{af}.scale_up_percent"),
            (0.0, false),
            10_000.0,
            "percent added per rate-limit period",
        )?;
    }
    if let Some(v) = &a.scale_up_period {
        out.up_period = dur_positive(
            s,
            v,
            &format!("{af}.scale_up_period"),
            "the rate-limit period",
        )?;
    }
    Some(())
}

/// The initial instances of an autoscaled unit (field path `uf`): its `replicas` (resolved
/// as `replicas`, given as `key`), which must lie within the bounds, or `min`.
pub(crate) fn initial_replicas(
    s: &mut Sink<'_>,
    a: &Autoscale,
    key: Option<&Int>,
    replicas: u32,
    uf: &str,
) -> u32 {
    match key {
        Some(r) if replicas < a.min || replicas > a.max => {
            s.error(
                r.span(),
                format!("{uf}.replicas"),
                format!(
                    "the initial replicas {replicas} are outside the autoscaling bounds [{}, {}]",
                    a.min, a.max
                ),
                Some("with `autoscale`, `replicas` is the initial count: set it between `autoscale.min` and `autoscale.max`, or omit it to start at `min`".into()),
            );
            replicas
        }
        Some(_) => replicas,
        None => a.min,
    }
}
