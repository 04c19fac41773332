//! Precision on demand: replications are added in batches until every headline 95% interval
//! is within a relative half-width target.
//!
//! Headline metrics (per variant): for every entry the mean latency, the p99 latency and the
//! throughput; for every unit the utilization. Databases and the other percentiles are not
//! targeted.
//!
//! Replication `k` depends only on `(seed, k)`, and the results are combined from scratch after
//! each batch, so a precision run that stops at `n` replications reports exactly what a run with
//! `--replications n` reports (the batch sizes depend only on the results, not on the thread
//! count). The time-series budget is sized for `max_replications`, so in the rare run whose
//! series window must be widened (a warning says so) the series may differ.
//!
//! Batch rule: start with the scenario's (or `--replications`) count, at least
//! [`MIN_START`]; after each batch with `n` replications and worst relative half-width `h`
//! (target `t`), continue to `min(max, max(n + 1, ⌈1.1·n·(h/t)²⌉), 2n)` — the half-width shrinks
//! as `1/√n`, the factor 1.1 compensates the noise of the estimate, and at most doubling
//! keeps one noisy batch from overshooting.

use super::{finish, prepare, simulate, RunError, RunOptions};
use crate::engine::record::RepResult;
use crate::results::{PrecisionMetric, PrecisionResult, Results};
use crate::scenario::Scenario;

/// Default cap on replications of a precision run.
pub const DEFAULT_MAX_REPLICATIONS: u32 = 1000;

/// Fewest replications a precision run starts with (an interval needs a few).
pub const MIN_START: u32 = 5;

/// Parses a fraction given as a percentage (`2%`) or a number (`0.02`), strictly between 0 and
/// 1; `what` names the option in the message (`--precision`).
///
/// # Errors
/// A message saying what is expected.
pub fn parse_fraction(s: &str, what: &str) -> Result<f64, String> {
    let t = s.trim();
    let x = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => t.parse::<f64>(),
    };
    match x {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        _ => Err(format!(
            "{what} {s}: expected a percentage between 0% and 100% (`1%`) or a fraction (`0.01`)"
        )),
    }
}

/// Every headline metric of `r` with its relative half-width, against `target`.
pub fn headline(r: &Results, target: f64) -> Vec<PrecisionMetric> {
    let mut out = Vec::new();
    for v in &r.variants {
        let mut push = |metric: String, st: &crate::stats::stat::Stat| {
            let rhw = st.relative_half_width();
            out.push(PrecisionMetric {
                variant: v.name.clone(),
                metric,
                mean: st.mean,
                relative_half_width: rhw,
                met: rhw <= target,
            });
        };
        for (name, e) in &v.entries {
            push(format!("entry {name} latency mean"), &e.latency_s.mean);
            push(format!("entry {name} p99"), &e.latency_s.p99);
            push(format!("entry {name} throughput"), &e.throughput_per_s);
        }
        for (name, n) in &v.units {
            push(format!("unit {name} utilization"), &n.utilization);
        }
    }
    out
}

/// Runs `s` adding replications until every headline interval's relative half-width is at
/// most `target` (e.g. 0.02) or `max_replications` is reached; `opts.replications` is the
/// first batch.
///
/// # Errors
/// As [`super::run`].
pub fn run_to_precision(
    s: &Scenario,
    opts: &RunOptions<'_>,
    target: f64,
    max_replications: u32,
) -> Result<Results, RunError> {
    let max = max_replications.max(1);
    let start = opts
        .replications
        .unwrap_or(s.replications)
        .max(MIN_START)
        .min(max);
    // The series budget is sized for the cap (see the module documentation).
    let sized = RunOptions {
        replications: Some(max),
        seed: opts.seed,
        threads: opts.threads,
        variants: opts.variants.clone(),
        cancel: opts.cancel,
        progress: opts.progress,
        pool: opts.pool,
        replication_done: opts.replication_done,
    };
    let mut prepared = prepare(s, &sized)?;
    let nv = prepared.models.len();
    let mut per_variant: Vec<Vec<Option<RepResult>>> = vec![Vec::new(); nv];
    let mut n = 0u32;
    let mut next = start;
    let mut batches = Vec::new();
    loop {
        let ks: Vec<u32> = (n..next).collect();
        let (threads, results) = simulate(&prepared, &ks, opts)?;
        for (i, r) in results.into_iter().enumerate() {
            per_variant[i / ks.len()].push(r);
        }
        n = next;
        batches.push(n);
        prepared.reps = n;
        let all: Vec<Option<RepResult>> = per_variant.iter().flatten().cloned().collect();
        let mut r = finish(s, &prepared, all, threads)?;
        let cancelled = opts
            .cancel
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed));
        let metrics = headline(&r, target);
        let met = metrics.iter().all(|m| m.met);
        if met || n >= max || cancelled {
            if !met {
                r.warnings.push(format!(
                    "precision target {}% not reached with {} replications (cap {max}); worst: {}",
                    target * 100.0,
                    r.replications,
                    worst(&metrics)
                ));
            }
            r.precision = Some(PrecisionResult {
                target,
                max_replications: max,
                met,
                batches,
                metrics,
            });
            return Ok(r);
        }
        let h = metrics
            .iter()
            .map(|m| m.relative_half_width)
            .fold(0.0, f64::max);
        let want = if h.is_finite() {
            (1.1 * n as f64 * (h / target).powi(2))
                .ceil()
                .min(f64::from(u32::MAX)) as u32
        } else {
            2 * n
        };
        next = want.max(n + 1).min(2 * n).min(max);
    }
}

fn worst(metrics: &[PrecisionMetric]) -> String {
    metrics
        .iter()
        .max_by(|a, b| a.relative_half_width.total_cmp(&b.relative_half_width))
        .map(|m| {
            format!(
                "variant `{}`, {} ±{:.2}%",
                m.variant,
                m.metric,
                m.relative_half_width * 100.0
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::parse_fraction;

    #[test]
    fn fractions_parse_as_percentages_or_numbers_strictly_inside_0_1() {
        assert_eq!(parse_fraction("2%", "--precision"), Ok(0.02));
        assert_eq!(parse_fraction(" 0.05 ", "--precision"), Ok(0.05));
        assert_eq!(parse_fraction("12.5 %", "--precision"), Ok(0.125));
        for bad in ["0", "0%", "1", "100%", "-1%", "2", "x", "", "%", "NaN"] {
            let e = parse_fraction(bad, "--precision").expect_err(bad);
            assert!(e.starts_with(&format!("--precision {bad}:")), "{e}");
        }
    }
}
