//! The policies of a call edge: a call's own `retry`, `breaker`, `bulkhead`, `fallback` keys
//! and a unit's `resilience` defaults → [`CallPolicy`].

use super::raw::{RawFallback, RawResilience};
use super::{CallPolicy, Fallback};
use crate::components::breaker::raw::RawBreaker;
use crate::components::breaker::resolve::breaker;
use crate::components::bulkhead::raw::Bulkhead;
use crate::components::bulkhead::resolve::bulkhead;
use crate::components::retry::raw::RawRetry;
use crate::components::retry::resolve::retry;
use crate::spec::check::dur_positive;
use crate::spec::error::Sink;
use crate::spec::raw::Sp;

/// The policy keys of one call (the call itself is the scenario's).
#[derive(Clone, Copy)]
pub(crate) struct CallKeys<'a> {
    /// `retry`.
    pub retry: Option<&'a RawRetry>,
    /// `breaker`.
    pub breaker: Option<&'a RawBreaker>,
    /// `bulkhead`.
    pub bulkhead: Option<&'a Bulkhead>,
    /// `fallback`.
    pub fallback: Option<&'a Sp<RawFallback>>,
}

fn fallback(f: Option<&Sp<RawFallback>>) -> Option<Fallback> {
    f.map(|x| match x.get() {
        RawFallback::Degraded => Fallback::Degraded,
    })
}

/// The policies of a call at field path `f`; its `timeout` is resolved with the call.
pub(crate) fn call_policy(
    s: &mut Sink<'_>,
    c: CallKeys<'_>,
    f: &str,
    timeout: Option<u64>,
) -> CallPolicy {
    CallPolicy {
        timeout,
        retry: c.retry.and_then(|r| retry(s, r, &format!("{f}.retry"))),
        breaker: c
            .breaker
            .and_then(|b| breaker(s, b, &format!("{f}.breaker"))),
        bulkhead: c
            .bulkhead
            .and_then(|b| bulkhead(s, b, &format!("{f}.bulkhead"))),
        fallback: fallback(c.fallback),
    }
}

/// A unit's `resilience` defaults (field path `f`).
pub(crate) fn unit_policy(s: &mut Sink<'_>, r: &RawResilience, f: &str) -> CallPolicy {
    CallPolicy {
        timeout: r
            .timeout
            .as_ref()
            .and_then(|t| dur_positive(s, t, &format!("{f}.timeout"), "a timeout")),
        retry: r
            .retry
            .as_ref()
            .and_then(|x| retry(s, x, &format!("{f}.retry"))),
        breaker: r
            .breaker
            .as_ref()
            .and_then(|b| breaker(s, b, &format!("{f}.breaker"))),
        bulkhead: r
            .bulkhead
            .as_ref()
            .and_then(|b| bulkhead(s, b, &format!("{f}.bulkhead"))),
        fallback: fallback(r.fallback.as_ref()),
    }
}
