//! Warm-up detection on a variant's results: MSER-5 ([`crate::stats::mser`]) on the
//! replication-averaged window series of each entry (median latency and throughput), compared
//! with the configured `workload.warmup`.

use crate::model::Model;
use crate::results::{VariantResult, WarmupDetection};
use crate::stats::mser::{mser5, BATCH};
use crate::stats::stat::{mean_and_var, t_quantile_975};

/// Fills `vr.warmup_detected` and pushes a warning for each entry whose configured warm-up is
/// too short.
///
/// "Too short" means: the MSER-5 truncation point lies after the configured warm-up, *and*
/// the windows between the two shift the mean of the measured part of a series by more than
/// the 95% half-width of the mean after truncation (batch means of [`BATCH`] windows). The
/// second condition keeps a truncation point picked by noise on a series that is already
/// stationary from raising a warning.
pub(crate) fn detect(m: &Model, vr: &mut VariantResult, warnings: &mut Vec<String>) {
    let window_s = vr.series.window_s;
    let warmup_s = m.topo.warmup as f64 / 1e9;
    if window_s <= 0.0 {
        return;
    }
    let first_measured = (warmup_s / window_s).ceil() as usize;
    for (name, es) in &vr.series.entries {
        // A window in which no request completed has no latency: the latency series is
        // judged only when every window has one.
        let p50: Vec<f64> = es.p50_s.iter().map(|x| x.unwrap_or(f64::NAN)).collect();
        let lat = mser5(&p50);
        let thr = mser5(&es.throughput_per_s);
        let to_s = |d: Option<usize>| d.map(|d| d as f64 * window_s);
        let truncation = lat.max(thr);
        let mut too_short = false;
        for (series, d) in [(&p50, lat), (&es.throughput_per_s, thr)] {
            if let Some(d) = d {
                if d > first_measured && shift_is_significant(series, first_measured, d) {
                    too_short = true;
                }
            }
        }
        if too_short {
            let t = to_s(truncation).unwrap_or(0.0);
            warnings.push(format!(
                "variant `{}`, entry `{name}`: the run is still warming up until about {t} s (MSER-5 on the window latency and throughput series) but workload.warmup is {warmup_s} s; the transient biases the measured figures — set warmup to at least \"{}s\"",
                vr.name,
                t.ceil()
            ));
        }
        vr.warmup_detected.insert(
            name.clone(),
            WarmupDetection {
                latency_truncation_s: to_s(lat),
                throughput_truncation_s: to_s(thr),
                truncation_s: to_s(truncation),
                configured_warmup_s: warmup_s,
                warmup_too_short: too_short,
            },
        );
    }
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
}
