//! `[month]`: what a month of 730 hours looks like for the monthly bill (docs/cost.md, "The
//! month"), and each entry's steady rate.

use super::super::raw::{RawArrival, RawMonth, Sp};
use super::super::types::{Arrival, Month, Peak};
use crate::spec::check::*;
use crate::spec::error::Sink;
use crate::spec::prices::HOURS_PER_MONTH;
use crate::spec::units::number_from_value;

/// Largest load multiple a peak may declare (a guard against typos).
pub const MAX_PEAK_LOAD: f64 = 1000.0;

/// The resolved `[month]` (steady without one).
pub(super) fn month(s: &mut Sink<'_>, raw: Option<&Sp<RawMonth>>) -> Month {
    let Some(m) = raw else {
        return Month::Steady;
    };
    let span = m.span();
    let m = m.get();
    if let Some(r) = &m.repeat {
        if r.get() != "window" {
            s.error(
                r.span(),
                "month.repeat",
                format!("unknown repeat `{}`: expected \"window\"", r.get()),
                Some("repeat = \"window\" bills the measured window repeated all month".into()),
            );
            return Month::Steady;
        }
        if !m.peaks.is_empty() {
            s.error(
                span,
                "month",
                "`repeat` and `peaks` exclude each other",
                Some(
                    "keep `peaks` (the rest of the month is steady) or `repeat = \"window\"`"
                        .into(),
                ),
            );
            return Month::Steady;
        }
        return Month::Window;
    }
    if m.peaks.is_empty() {
        return Month::Steady;
    }
    let mut peaks = Vec::with_capacity(m.peaks.len());
    let mut total = 0.0;
    for (i, p) in m.peaks.iter().enumerate() {
        let f = format!("month.peaks[{i}]");
        let q = p.get();
        let hours = dur_positive(
            s,
            &q.duration,
            &format!("{f}.duration"),
            "a peak's duration",
        )
        .map(|ns| ns as f64 / 3.6e12);
        let load = num(
            s,
            &q.load,
            &format!("{f}.load"),
            (0.0, false),
            MAX_PEAK_LOAD,
            "a multiple of the steady load",
        );
        if let (Some(hours), Some(load)) = (hours, load) {
            total += hours;
            if total > HOURS_PER_MONTH + 1e-9 {
                s.error(
                    p.span(),
                    format!("{f}.duration"),
                    format!(
                        "the peaks last {total} hours in all, more than a month of {HOURS_PER_MONTH} hours"
                    ),
                    None,
                );
                return Month::Steady;
            }
            peaks.push(Peak { hours, load });
        }
    }
    Month::Peaks(peaks)
}

/// The steady rate of an entry whose arrival `raw` resolved to `arrival` \[1/s\]: a spike's
/// base, else the arrival's mean rate over the run; `None` for a closed loop.
pub(super) fn steady_rate(raw: &RawArrival, arrival: &Arrival) -> Option<f64> {
    if arrival.is_closed() {
        return None;
    }
    let base = raw
        .profile
        .as_ref()
        .and_then(|p| p.get().spike.as_ref())
        .and_then(|k| number_from_value(k.base.value()));
    Some(base.unwrap_or_else(|| arrival.rate()))
}
