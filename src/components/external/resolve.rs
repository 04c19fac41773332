//! `[externals.NAME]` → [`ExternalSpec`] and its operations' figures.

use super::raw::RawExternal;
use super::ExternalSpec;
use crate::components::rate_limit::resolve::rate_limit;
use crate::kernel::dist::Dist;
use crate::spec::check::{check_name, dist, join, num};
use crate::spec::error::Sink;
use crate::spec::locate::key_segment;
use crate::spec::raw::{Num, Sp};

/// One operation of an external, resolved: its name, latency, error rate and price.
#[derive(Debug, Clone)]
pub(crate) struct ExternalOp {
    /// Its name within the external.
    pub name: String,
    /// Response time \[ns\].
    pub latency: Dist,
    /// Probability a call fails with `error`.
    pub error_rate: f64,
    /// Price of one admitted call \[$\].
    pub price: f64,
}

/// The largest price per call accepted \[$\].
const MAX_PRICE: f64 = 1e6;

fn probability(s: &mut Sink<'_>, v: &Option<Num>, field: &str) -> Option<Option<f64>> {
    match v {
        None => Some(None),
        Some(v) => num(
            s,
            v,
            field,
            (0.0, true),
            1.0,
            "the probability a call fails with `error`",
        )
        .map(Some),
    }
}

fn price(s: &mut Sink<'_>, v: &Option<Num>, field: &str) -> Option<Option<f64>> {
    match v {
        None => Some(None),
        Some(v) => num(
            s,
            v,
            field,
            (0.0, true),
            MAX_PRICE,
            "a price per call in US dollars",
        )
        .map(Some),
    }
}

/// External `k` (`raw`): its quota and its operations (the spec's `ops` are left empty for
/// the caller, which numbers the operations). Every problem is reported to `s`.
pub(crate) fn external(
    s: &mut Sink<'_>,
    k: &Sp<String>,
    raw: &RawExternal,
) -> (ExternalSpec, Vec<ExternalOp>) {
    let f = join("externals", k.get());
    check_name(s, k, &f, "external service");
    let latency = raw
        .latency
        .as_ref()
        .and_then(|l| dist(s, l, &format!("{f}.latency")));
    let error_rate = probability(s, &raw.error_rate, &format!("{f}.error_rate"))
        .flatten()
        .unwrap_or(0.0);
    let base_price = price(s, &raw.price, &format!("{f}.price"))
        .flatten()
        .unwrap_or(0.0);
    let quota = raw.quota.as_ref().and_then(|q| rate_limit_at(s, q, &f));
    if raw.ops.0.is_empty() {
        s.error(
            k.span(),
            &f,
            format!("external `{}` has no operations", k.get()),
            Some(format!(
                "add one, e.g. `[externals.{}.ops.call]` (an empty table takes the service's latency, error_rate and price)",
                k.get()
            )),
        );
    }
    let mut ops = Vec::new();
    for (ok, o) in &raw.ops.0 {
        let of = format!("{f}.ops.{}", key_segment(ok.get()));
        check_name(s, ok, &of, "operation");
        let own = o
            .latency
            .as_ref()
            .and_then(|l| dist(s, l, &format!("{of}.latency")));
        let lat = match (own, &latency, &o.latency) {
            (Some(d), _, _) => d,
            (None, Some(d), _) => d.clone(),
            // The operation's own latency was invalid (already reported).
            (None, None, Some(_)) => Dist::Const(0.0),
            (None, None, None) => {
                if raw.latency.is_none() {
                    s.error(
                        ok.span(),
                        &of,
                        format!(
                            "no latency for `{}.{}`: give the external a `latency` or the operation one",
                            k.get(),
                            ok.get()
                        ),
                        Some("e.g. latency = { dist = \"lognormal\", mean = \"300ms\", cv = 0.5 }".into()),
                    );
                }
                Dist::Const(0.0)
            }
        };
        let e = probability(s, &o.error_rate, &format!("{of}.error_rate"))
            .flatten()
            .unwrap_or(error_rate);
        let p = price(s, &o.price, &format!("{of}.price"))
            .flatten()
            .unwrap_or(base_price);
        ops.push(ExternalOp {
            name: ok.get().clone(),
            latency: lat,
            error_rate: e,
            price: p,
        });
    }
    let spec = ExternalSpec {
        name: k.get().clone(),
        quota,
        ops: Vec::new(),
        prices: ops.iter().map(|o| o.price).collect(),
    };
    (spec, ops)
}

/// The quota's token bucket, with the gateway rate limit's checks and defaults (its fields
/// are reported as `externals.NAME.quota.*`).
fn rate_limit_at(
    s: &mut Sink<'_>,
    q: &Sp<crate::components::rate_limit::raw::RawRateLimit>,
    f: &str,
) -> Option<crate::components::rate_limit::RateLimit> {
    rate_limit(s, q, f, "quota")
}
