//! `retry = { ... }` → [`RetryPolicy`], each problem a located diagnostic.

use super::raw::{RawJitter, RawRetry};
use super::{
    Jitter, RetryBudget, RetryPolicy, DEFAULT_ATTEMPTS, DEFAULT_BASE_NS, DEFAULT_BUDGET_MIN_PER_S,
    DEFAULT_CAP_NS, DEFAULT_JITTER,
};
use crate::spec::check::{dur_positive, int, num};
use crate::spec::error::Sink;
use crate::spec::raw::Duration;

/// Most attempts of a retry policy.
pub const MAX_ATTEMPTS: i64 = 100;

/// The retry policy of `r` (field path `f`); `None` if any key is invalid.
pub(crate) fn retry(s: &mut Sink<'_>, r: &RawRetry, f: &str) -> Option<RetryPolicy> {
    let mut ok = true;
    let attempts = match &r.attempts {
        Some(v) => match int(
            s,
            v,
            &format!("{f}.attempts"),
            1,
            MAX_ATTEMPTS,
            "attempts in all, the first included",
        ) {
            Some(x) => x as u32,
            None => {
                ok = false;
                DEFAULT_ATTEMPTS
            }
        },
        None => DEFAULT_ATTEMPTS,
    };
    let mut d = |v: &Option<Duration>, k: &str, def: u64| match v {
        Some(v) => match dur_positive(s, v, &format!("{f}.{k}"), &format!("the backoff {k}")) {
            Some(x) => x,
            None => {
                ok = false;
                def
            }
        },
        None => def,
    };
    let base = d(&r.base, "base", DEFAULT_BASE_NS);
    let cap = d(&r.cap, "cap", DEFAULT_CAP_NS);
    if cap < base {
        match (&r.cap, &r.base) {
            (Some(c), _) => s.error(
                c.span(),
                format!("{f}.cap"),
                "the backoff cap must be ≥ the base",
                Some(format!("base is {} ns", base)),
            ),
            (None, Some(b)) => s.error(
                b.span(),
                format!("{f}.base"),
                format!(
                    "the backoff base must be ≤ the cap, {} s when `cap` is not written",
                    DEFAULT_CAP_NS as f64 / 1e9
                ),
                Some("write a `cap` at least as long as the base".into()),
            ),
            (None, None) => {}
        }
        ok = false;
    }
    let jitter = match r.jitter.as_ref().map(|j| *j.get()) {
        None => DEFAULT_JITTER,
        Some(RawJitter::None) => Jitter::None,
        Some(RawJitter::Full) => Jitter::Full,
        Some(RawJitter::Equal) => Jitter::Equal,
        Some(RawJitter::Decorrelated) => Jitter::Decorrelated,
    };
    let ratio = r.budget.as_ref().and_then(|v| {
        let x = num(
            s,
            v,
            &format!("{f}.budget"),
            (0.0, true),
            1.0,
            "retries per call, a ratio from 0 to 1",
        );
        if x.is_none() {
            ok = false;
        }
        x
    });
    let min_per_s = match &r.min_per_s {
        Some(v) => {
            if r.budget.is_none() {
                s.error(
                    v.span(),
                    format!("{f}.min_per_s"),
                    "`min_per_s` is the floor of a retry budget; it needs `budget`",
                    Some("add e.g. `budget = 0.2`".into()),
                );
                ok = false;
            }
            num(
                s,
                v,
                &format!("{f}.min_per_s"),
                (0.0, true),
                1e6,
                "retries per second always allowed",
            )
            .unwrap_or_else(|| {
                ok = false;
                0.0
            })
        }
        None => DEFAULT_BUDGET_MIN_PER_S,
    };
    ok.then_some(RetryPolicy {
        attempts,
        base,
        cap,
        jitter,
        budget: ratio.map(|ratio| RetryBudget { ratio, min_per_s }),
    })
}
