//! Warm-up detection on a variant's results: MSER-5 ([`crate::stats::mser`]) on the
//! replication-averaged window series of each entry (median latency and throughput), compared
//! with the configured `workload.warmup` — for stationary workloads only. A workload that
//! changes over time on purpose (a rate profile, a spike, a diurnal cycle, a trace, a scheduled
//! fault) has no steady state to wait for: its entries get advice on what to measure instead.

use crate::model::Model;
use crate::results::{VariantResult, WarmupDetection};
use crate::stats::mser::{mser5, transient_is_significant, BATCH};
use crate::stats::stat::{mean_and_var, t_quantile_975};
use crate::workload::{Arrival, RateProfile};

/// Fills `vr.warmup_detected` and pushes a warning for each entry whose configured warm-up is
/// too short.
///
/// "Too short" needs all of: the workload is stationary ([`time_varying`] finds nothing); the
/// MSER-5 truncation point of a series lies after the configured warm-up; the measured windows
/// before it differ from those after it beyond the noise, with MSER-5's choice among its
/// candidate points accounted for ([`transient_is_significant`]); and the windows between the
/// warm-up and the truncation point shift the mean of the measured part by more than the 95%
/// half-width of the mean after truncation ([`shift_is_significant`]: the transient matters).
pub(crate) fn detect(m: &Model, vr: &mut VariantResult, warnings: &mut Vec<String>) {
    let window_s = vr.series.window_s;
    let warmup_s = m.topo.warmup as f64 / 1e9;
    if window_s <= 0.0 {
        return;
    }
    let varying = time_varying(m);
    let first_measured = (warmup_s / window_s).ceil() as usize;
    for (name, es) in &vr.series.entries {
        // A window in which no request completed has no latency: the latency series is
        // judged only when every window has one.
        let p50: Option<Vec<f64>> = es.p50_s.iter().copied().collect();
        let lat = p50.as_deref().and_then(mser5);
        let thr = mser5(&es.throughput_per_s);
        let to_s = |d: Option<usize>| d.map(|d| d as f64 * window_s);
        let truncation = lat.max(thr);
        let mut too_short = false;
        if varying.is_none() {
            let series = [(p50.as_deref(), lat), (Some(&es.throughput_per_s[..]), thr)];
            for (series, d) in series {
                if let (Some(series), Some(d)) = (series, d) {
                    if d > first_measured
                        && transient_is_significant(series, first_measured, d)
                        && shift_is_significant(series, first_measured, d)
                    {
                        too_short = true;
                    }
                }
            }
        }
        if too_short {
            let t = to_s(truncation).unwrap_or(0.0);
            warnings.push(format!(
                "variant `{}`, entry `{name}`: the run is still warming up until about {t} s (MSER-5 on the window latency and throughput series, a significant shift) but workload.warmup is {warmup_s} s; the transient biases the measured figures — set warmup to at least \"{}s\"",
                vr.name,
                t.ceil()
            ));
        }
        let entry = m.topo.entries.iter().find(|p| &p.name == name);
        vr.warmup_detected.insert(
            name.clone(),
            WarmupDetection {
                latency_truncation_s: to_s(lat),
                throughput_truncation_s: to_s(thr),
                truncation_s: to_s(truncation),
                configured_warmup_s: warmup_s,
                warmup_too_short: too_short,
                stationary: varying.is_none(),
                advice: varying
                    .as_ref()
                    .map(|why| advice(why, entry.map(|p| &p.arrival), name)),
            },
        );
    }
}

/// Why the workload of `m` changes over time on purpose, or `None` when it is stationary
/// (every entry Poisson, constant or closed-loop, and no scheduled fault).
pub(crate) fn time_varying(m: &Model) -> Option<String> {
    for e in &m.topo.entries {
        match &e.arrival {
            Arrival::Profile { profile, .. } => {
                let what = match profile.as_ref() {
                    RateProfile::Sine { .. } => "a periodic (diurnal) rate",
                    RateProfile::Piecewise(_) => "a rate profile (steps, ramp or spike)",
                };
                return Some(format!("`{}` follows {what}", e.name));
            }
            Arrival::Trace { .. } => {
                return Some(format!("`{}` replays a trace", e.name));
            }
            Arrival::Poisson { .. } | Arrival::Constant { .. } | Arrival::Closed { .. } => {}
        }
    }
    m.plans
        .faults
        .faults
        .iter()
        .find(|f| f.random.is_none())
        .map(|f| {
            let end = if f.end == u64::MAX {
                "the end".to_string()
            } else {
                format!("{} s", f.end as f64 / 1e9)
            };
            format!(
                "fault `{}` acts from {} s to {end}",
                f.name,
                f.start as f64 / 1e9
            )
        })
}

/// What to measure in a time-varying run instead of a warm-up: the per-window series, and for
/// a profile the window of its peak.
fn advice(why: &str, arrival: Option<&Arrival>, entry: &str) -> String {
    let peak = match arrival {
        Some(Arrival::Profile { profile, .. }) => match profile.as_ref() {
            RateProfile::Piecewise(segs) => peak_window(segs).map(|(a, b, r)| {
                format!("; its peak ({r} /s) runs from {a} s to {b} s: read that window on its own")
            }),
            RateProfile::Sine { period, .. } => Some(format!(
                "; compare windows at the same phase of its {period} s period"
            )),
        },
        _ => None,
    };
    format!(
        "entry `{entry}`: {why}: the whole-run figures average over its phases and no warm-up makes them steady; read the per-window series (series.entries.{entry}, series.csv with --csv){}",
        peak.unwrap_or_default()
    )
}

/// The first interval at the highest rate of a piecewise-linear profile: (start, end, rate),
/// `end` the start of the next segment; `None` when the profile is flat or its peak is its
/// last segment (no end to report).
fn peak_window(segs: &[crate::workload::Segment]) -> Option<(f64, f64, f64)> {
    let top = |i: usize| {
        let s = &segs[i];
        let end = segs.get(i + 1).map_or(s.a, |n| s.a + s.b * (n.t0 - s.t0));
        s.a.max(end)
    };
    let best = (0..segs.len()).max_by(|&i, &j| top(i).total_cmp(&top(j)).then(j.cmp(&i)))?;
    let next = segs.get(best + 1)?;
    if (0..segs.len()).all(|i| top(i) == top(best)) {
        return None;
    }
    Some((segs[best].t0, next.t0, top(best)))
}

/// Whether the mean of `series[from..]` differs from the mean of `series[truncated..]` by more
/// than the 95% half-width of the latter (Student t on batch means of [`BATCH`] values).
pub(crate) fn shift_is_significant(series: &[f64], from: usize, truncated: usize) -> bool {
    if truncated >= series.len() || from >= series.len() {
        return false;
    }
    let kept = &series[truncated..];
    let batches: Vec<f64> = kept
        .chunks_exact(BATCH)
        .map(|c| c.iter().sum::<f64>() / BATCH as f64)
        .collect();
    if batches.len() < 2 {
        return false;
    }
    let (mean_b, var_b) = mean_and_var(&batches);
    let df = u32::try_from(batches.len() - 1).unwrap_or(u32::MAX);
    let hw = t_quantile_975(df) * (var_b / batches.len() as f64).sqrt();
    let measured = &series[from..];
    let mean_m = measured.iter().sum::<f64>() / measured.len() as f64;
    (mean_m - mean_b).abs() > hw
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::RateProfile;

    #[test]
    fn shift_detects_a_level_change() {
        let mut s: Vec<f64> = (0..200)
            .map(|i| 1.0 + 0.01 * ((i * 7919) % 13) as f64)
            .collect();
        assert!(!shift_is_significant(&s, 0, 50));
        for x in s.iter_mut().take(40) {
            *x = 0.0;
        }
        assert!(shift_is_significant(&s, 0, 40));
        assert!(!shift_is_significant(&s, 40, 40));
    }

    #[test]
    fn the_peak_of_a_spike() {
        let RateProfile::Piecewise(segs) = RateProfile::spike(10.0, 50.0, 300.0, 60.0) else {
            panic!("a spike is piecewise");
        };
        assert_eq!(peak_window(&segs), Some((300.0, 360.0, 50.0)));
        let RateProfile::Piecewise(flat) = RateProfile::steps(&[(0.0, 5.0)]) else {
            panic!("steps are piecewise");
        };
        assert_eq!(peak_window(&flat), None);
    }
}
