//! `breaker = { ... }` → [`BreakerPolicy`] over the resilience4j defaults, each problem a
//! located diagnostic.

use super::raw::RawBreaker;
use super::{BreakerPolicy, BreakerWindow, DEFAULT_BREAKER};
use crate::spec::check::{dur_positive, int, num};
use crate::spec::error::Sink;
use crate::spec::raw::{Duration, Int, Num};
use crate::spec::units::describe;

/// The breaker of `b` (field path `f`); `None` if any key is invalid.
pub(crate) fn breaker(s: &mut Sink<'_>, b: &RawBreaker, f: &str) -> Option<BreakerPolicy> {
    let mut p = DEFAULT_BREAKER;
    let mut ok = true;
    if let Some(w) = &b.window {
        let wf = format!("{f}.window");
        match w.value() {
            toml::Value::Integer(n) if (1..=1_000_000).contains(n) => {
                p.window = BreakerWindow::Calls(*n as u32)
            }
            toml::Value::String(_) => {
                let d = Duration(w.0.clone());
                match dur_positive(s, &d, &wf, "the breaker window") {
                    Some(ns) => p.window = BreakerWindow::Time(ns),
                    None => ok = false,
                }
            }
            other => {
                s.error(
                    w.span(),
                    wf,
                    format!("expected a number of calls from 1 to 1000000 or a duration such as \"10s\", found {}", describe(other)),
                    None,
                );
                ok = false;
            }
        }
    }
    let mut rate = |v: &Option<Num>, k: &str, out: &mut f64| {
        if let Some(v) = v {
            match num(
                s,
                v,
                &format!("{f}.{k}"),
                (0.0, false),
                1.0,
                "a rate in (0, 1]",
            ) {
                Some(x) => *out = x,
                None => ok = false,
            }
        }
    };
    rate(&b.failure_rate, "failure_rate", &mut p.failure_rate);
    rate(&b.slow_call_rate, "slow_call_rate", &mut p.slow_call_rate);
    let mut d = |v: &Option<Duration>, k: &str, out: &mut u64| {
        if let Some(v) = v {
            match dur_positive(s, v, &format!("{f}.{k}"), k) {
                Some(x) => *out = x,
                None => ok = false,
            }
        }
    };
    d(&b.slow_call, "slow_call", &mut p.slow_call);
    d(&b.open, "open", &mut p.open);
    let mut i = |v: &Option<Int>, k: &str, what: &str, out: &mut u32| {
        if let Some(v) = v {
            match int(s, v, &format!("{f}.{k}"), 1, 1_000_000, what) {
                Some(x) => *out = x as u32,
                None => ok = false,
            }
        }
    };
    i(
        &b.min_calls,
        "min_calls",
        "calls before rates are evaluated",
        &mut p.min_calls,
    );
    i(
        &b.half_open,
        "half_open",
        "probe calls in half-open",
        &mut p.half_open,
    );
    // A window of the last n calls never holds more than n: more calls before the rates are
    // evaluated would keep the breaker closed for ever.
    if let (BreakerWindow::Calls(n), true) = (p.window, ok) {
        if p.min_calls > n {
            // Some key was written: the defaults agree (100 calls in a window of 100).
            let at = (b.min_calls.as_ref().map(|m| (m.span(), "min_calls")))
                .or_else(|| b.window.as_ref().map(|w| (w.span(), "window")));
            let (span, k) = at.unwrap_or_default();
            s.error(
                span,
                format!("{f}.{k}"),
                format!(
                    "`min_calls` ({}) exceeds the window of the last {n} calls: the breaker could never open",
                    p.min_calls
                ),
                Some(format!("write `min_calls` ≤ {n} (its default is {})", DEFAULT_BREAKER.min_calls)),
            );
            ok = false;
        }
    }
    ok.then_some(p)
}
