//! Resolution of an entry's `arrival`: fixed rate, rate profile, trace file or closed loop.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::scenario::raw::{Duration, Num, RawArrival, RawProcess, RawProfile, Sp};
use crate::spec::check::{dist, dur, dur_positive, int, num};
use crate::spec::error::Sink;
use crate::spec::limits::MAX_RATE;
use crate::workload::trace::{self, Trace};
use crate::workload::{Arrival, RateProfile};

/// Most users of a closed loop.
pub const MAX_USERS: i64 = 1_000_000;

/// A rate of a profile: 0 (none) or at least [`crate::spec::units::MIN_RATE`].
fn rate(s: &mut Sink<'_>, v: &Num, field: &str) -> Option<f64> {
    let r = num(s, v, field, (0.0, true), MAX_RATE, "arrivals per second")?;
    if let Some(message) = crate::spec::units::rate_rounding(r) {
        s.error(
            v.span(),
            field,
            message,
            Some(format!(
                "write 0 for no arrivals, or give at least {:.1e} per second",
                crate::spec::units::MIN_RATE
            )),
        );
        return None;
    }
    Some(r)
}

fn secs(s: &mut Sink<'_>, v: &Duration, field: &str) -> Option<f64> {
    dur(s, v, field).map(|ns| ns / 1e9)
}

/// Resolves the `arrival` of entry field `f` (`workload.entries[i]`); `horizon` is the run's
/// end \[ns\] (for mean rates).
pub(super) fn arrival(
    s: &mut Sink<'_>,
    a: &RawArrival,
    f: &str,
    entry_span: Range<usize>,
    horizon: u64,
) -> Option<Arrival> {
    let fa = format!("{f}.arrival");
    // The arrival is an inline table without a span of its own: point at its first key.
    let entry_span = [
        a.process.as_ref().map(|x| x.span()),
        a.rate.as_ref().map(|x| x.span()),
        a.profile.as_ref().map(|x| x.span()),
        a.trace.as_ref().map(|x| x.span()),
        a.users.as_ref().map(|x| x.span()),
        a.think.as_ref().map(|x| x.span()),
    ]
    .into_iter()
    .flatten()
    .min_by_key(|r| r.start)
    .unwrap_or(entry_span);
    let process = a.process.as_ref().map(|p| *p.get());
    let horizon_s = (horizon as f64 / 1e9).max(1e-9);
    if process == Some(RawProcess::Closed) {
        return closed(s, a, &fa, entry_span);
    }
    for (k, v) in [("users", a.users.is_some()), ("think", a.think.is_some())] {
        if v {
            s.error(
                entry_span.clone(),
                format!("{fa}.{k}"),
                format!("`{k}` only applies to a closed loop"),
                Some("set process = \"closed\"".into()),
            );
        }
    }
    let given: Vec<&str> = [
        ("rate", a.rate.is_some()),
        ("profile", a.profile.is_some()),
        ("trace", a.trace.is_some()),
    ]
    .into_iter()
    .filter(|x| x.1)
    .map(|x| x.0)
    .collect();
    if given.len() != 1 {
        s.error(
            entry_span,
            fa.clone(),
            if given.is_empty() {
                "an arrival needs one of `rate` (per second), `profile` (a rate over time), `trace` (a CSV file) or process = \"closed\"".to_string()
            } else {
                format!("give only one of `rate`, `profile`, `trace`; found {}", given.join(", "))
            },
            None,
        );
        return None;
    }
    let poisson = process != Some(RawProcess::Constant);
    if let Some(r) = &a.rate {
        let r = num(
            s,
            r,
            &format!("{fa}.rate"),
            (0.0, false),
            MAX_RATE,
            "arrivals per second",
        )?;
        if let Some(message) = crate::spec::units::rate_rounding(r) {
            s.error(
                r_span(a),
                format!("{fa}.rate"),
                message,
                Some(format!(
                    "give at least {:.1e} arrivals per second, or remove the entry",
                    crate::spec::units::MIN_RATE
                )),
            );
            return None;
        }
        return Some(if poisson {
            Arrival::Poisson { rate: r }
        } else {
            Arrival::Constant { rate: r }
        });
    }
    if let Some(p) = &a.profile {
        let pf = format!("{fa}.profile");
        let profile = profile(s, p.get(), &pf, p.span())?;
        return with_mean(s, profile, poisson, horizon_s, p.span(), &pf);
    }
    let t = a.trace.as_ref()?;
    trace_file(s, a, t, &fa, (horizon, poisson))
}

/// Where `rate` of an arrival is written.
fn r_span(a: &RawArrival) -> Range<usize> {
    a.rate.as_ref().map_or(0..0, |x| x.span())
}

/// A closed loop (`process = "closed"`) of `users` with `think` time, at field path `fa`;
/// `entry_span` locates the arrival table.
fn closed(s: &mut Sink<'_>, a: &RawArrival, fa: &str, entry_span: Range<usize>) -> Option<Arrival> {
    for (k, present) in [
        ("rate", a.rate.is_some()),
        ("profile", a.profile.is_some()),
        ("trace", a.trace.is_some()),
    ] {
        if present {
            s.error(
                entry_span.clone(),
                format!("{fa}.{k}"),
                format!("`{k}` does not apply to a closed loop: its rate follows from `users`, `think` and the response time"),
                None,
            );
        }
    }
    let users = match &a.users {
        Some(u) => int(
            s,
            u,
            &format!("{fa}.users"),
            1,
            MAX_USERS,
            "users of the closed loop",
        ),
        None => {
            s.error(
                entry_span.clone(),
                format!("{fa}.users"),
                "a closed loop needs `users` (the number of clients, e.g. users = 50)",
                None,
            );
            None
        }
    };
    let think = match &a.think {
        Some(t) => dist(s, t, &format!("{fa}.think")).and_then(|d| {
            if d.mean() > 0.0 {
                Some(d)
            } else {
                s.error(
                    t.span(),
                    format!("{fa}.think"),
                    "the think time must have a mean > 0",
                    None,
                );
                None
            }
        }),
        None => {
            s.error(
                entry_span.clone(),
                format!("{fa}.think"),
                "a closed loop needs `think` (the time a user waits between an answer and the next request, e.g. think = { dist = \"exp\", mean = \"1s\" })",
                None,
            );
            None
        }
    };
    Some(Arrival::Closed {
        users: users? as u32,
        think: think?,
    })
}

/// A trace file (`trace`, relative to the scenario file) of timestamps or of rates, at field
/// path `fa`.
fn trace_file(
    s: &mut Sink<'_>,
    a: &RawArrival,
    t: &Sp<String>,
    fa: &str,
    (horizon, poisson): (u64, bool),
) -> Option<Arrival> {
    let horizon_s = (horizon as f64 / 1e9).max(1e-9);
    let tf = format!("{fa}.trace");
    let base = Path::new(s.file()).parent().unwrap_or(Path::new(""));
    let path = base.join(t.get());
    let text = match std::fs::read_to_string(&path) {
        Ok(x) => x,
        Err(e) => {
            s.error(
                t.span(),
                &tf,
                format!("cannot read trace file {}: {e}", path.display()),
                Some("the path is relative to the scenario file".into()),
            );
            return None;
        }
    };
    match trace::parse(&text) {
        Err(errors) => {
            for e in errors {
                s.error_in_file(
                    t.span().start,
                    path.display().to_string(),
                    e.line,
                    &tf,
                    e.message,
                );
            }
            None
        }
        Ok(Trace::Timestamps(times)) => {
            if let Some(p) = &a.process {
                s.error(
                    p.span(),
                    format!("{fa}.process"),
                    "`process` does not apply to a trace of timestamps: they are replayed exactly",
                    Some("remove `process`, or use an `interval,rate` trace".into()),
                );
                return None;
            }
            let n = times.iter().filter(|&&t| t < horizon).count();
            Some(Arrival::Trace {
                times: times.into(),
                mean_rate: n as f64 / horizon_s,
            })
        }
        Ok(Trace::Rates(profile)) => with_mean(s, profile, poisson, horizon_s, t.span(), &tf),
    }
}

fn with_mean(
    s: &mut Sink<'_>,
    profile: RateProfile,
    poisson: bool,
    horizon_s: f64,
    span: Range<usize>,
    field: &str,
) -> Option<Arrival> {
    let mean_rate = profile.cumulative(horizon_s) / horizon_s;
    if mean_rate <= 0.0 {
        s.error(
            span,
            field,
            "the rate is 0 over the whole run: no request would arrive",
            None,
        );
        return None;
    }
    Some(Arrival::Profile {
        profile: Arc::new(profile),
        poisson,
        mean_rate,
    })
}

fn profile(s: &mut Sink<'_>, p: &RawProfile, pf: &str, span: Range<usize>) -> Option<RateProfile> {
    let given = [
        p.steps.is_some(),
        p.ramp.is_some(),
        p.spike.is_some(),
        p.diurnal.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if given != 1 {
        s.error(
            span,
            pf,
            "a profile has exactly one of `steps`, `ramp`, `spike`, `diurnal`",
            Some("e.g. profile = { steps = [[\"0s\", 100], [\"5m\", 500]] }".into()),
        );
        return None;
    }
    if let Some(steps) = &p.steps {
        if steps.is_empty() {
            s.error(
                span,
                format!("{pf}.steps"),
                "`steps` needs at least one [start, rate] pair",
                None,
            );
            return None;
        }
        let mut points = Vec::with_capacity(steps.len());
        let mut ok = true;
        for (i, (t, r)) in steps.iter().enumerate() {
            let sf = format!("{pf}.steps[{i}]");
            let (t_s, r) = (
                secs(s, t, &format!("{sf}[0]")),
                rate(s, r, &format!("{sf}[1]")),
            );
            match (t_s, r) {
                (Some(t_s), Some(r)) => {
                    if t_s < 0.0 {
                        s.error(
                            t.span(),
                            format!("{sf}[0]"),
                            "a step start must be ≥ 0",
                            None,
                        );
                        ok = false;
                    } else if let Some(&(prev, _)) = points.last() {
                        if t_s <= prev {
                            s.error(
                                t.span(),
                                format!("{sf}[0]"),
                                format!("step starts must be strictly increasing: {t_s} s after {prev} s"),
                                None,
                            );
                            ok = false;
                        }
                    }
                    points.push((t_s, r));
                }
                _ => ok = false,
            }
        }
        return ok.then(|| RateProfile::steps(&points));
    }
    if let Some(r) = &p.ramp {
        let rf = format!("{pf}.ramp");
        let from = rate(s, &r.from, &format!("{rf}.from"));
        let to = rate(s, &r.to, &format!("{rf}.to"));
        let start = match &r.start {
            Some(v) => secs(s, v, &format!("{rf}.start")),
            None => Some(0.0),
        };
        let end = secs(s, &r.end, &format!("{rf}.end"));
        let (from, to, start, end) = (from?, to?, start?, end?);
        if start < 0.0 || end <= start {
            s.error(
                r.end.span(),
                format!("{rf}.end"),
                format!("the ramp must end after it starts (start {start} s, end {end} s)"),
                None,
            );
            return None;
        }
        return Some(RateProfile::ramp(from, to, start, end));
    }
    if let Some(k) = &p.spike {
        let kf = format!("{pf}.spike");
        let base = rate(s, &k.base, &format!("{kf}.base"));
        let peak = rate(s, &k.peak, &format!("{kf}.peak"));
        let at = secs(s, &k.at, &format!("{kf}.at"));
        let d = dur_positive(
            s,
            &k.duration,
            &format!("{kf}.duration"),
            "the spike duration",
        );
        let (base, peak, at, d) = (base?, peak?, at?, d?);
        if at < 0.0 {
            s.error(
                k.at.span(),
                format!("{kf}.at"),
                "the spike start must be ≥ 0",
                None,
            );
            return None;
        }
        return Some(RateProfile::spike(base, peak, at, d as f64 / 1e9));
    }
    let d = p.diurnal.as_ref()?;
    let df = format!("{pf}.diurnal");
    let mean = num(
        s,
        &d.mean,
        &format!("{df}.mean"),
        (0.0, false),
        MAX_RATE,
        "the mean rate per second",
    );
    let amplitude = num(
        s,
        &d.amplitude,
        &format!("{df}.amplitude"),
        (0.0, true),
        MAX_RATE,
        "the amplitude per second",
    );
    let period = match &d.period {
        Some(v) => {
            dur_positive(s, v, &format!("{df}.period"), "the period").map(|x| x as f64 / 1e9)
        }
        None => Some(86_400.0),
    };
    let (mean, amplitude, period) = (mean?, amplitude?, period?);
    if amplitude > mean {
        s.error(
            d.amplitude.span(),
            format!("{df}.amplitude"),
            format!("the amplitude ({amplitude}) must not exceed the mean ({mean}): the rate would go negative"),
            None,
        );
        return None;
    }
    Some(RateProfile::Sine {
        mean,
        amplitude,
        period,
    })
}
