//! `rate_limit = { rate, burst }` → [`RateLimit`].

use super::raw::RawRateLimit;
use super::RateLimit;
use crate::spec::check::num;
use crate::spec::error::Sink;
use crate::spec::limits::MAX_RATE;
use crate::spec::raw::Sp;

/// The token bucket of `rr` (key `key` of its owner at field path `owner`); `burst` defaults
/// to one second of `rate`, at least 1 (docs/sources.md row "throttle"). `None` if a key is
/// invalid.
pub(crate) fn rate_limit(
    s: &mut Sink<'_>,
    rr: &Sp<RawRateLimit>,
    owner: &str,
    key: &str,
) -> Option<RateLimit> {
    let r = rr.get();
    let rf = format!("{owner}.{key}");
    let rate = num(
        s,
        &r.rate,
        &format!("{rf}.rate"),
        (0.0, false),
        MAX_RATE,
        "requests per second",
    )?;
    let burst = match &r.burst {
        Some(b) => num(
            s,
            b,
            &format!("{rf}.burst"),
            (1.0, true),
            1e9,
            "bucket size in requests",
        )?,
        None => rate.max(1.0),
    };
    Some(RateLimit { rate, burst })
}
