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
//!
//! The rule is written once ([`headline`] on combined results); [`Tracker`] applies it to the
//! replications finished so far, for a display of where a run stands between batches.

use super::partial::{EntryPartial, ReplicationDone};
use super::{finish, prepare, simulate, RunError, RunOptions};
use crate::engine::record::RepResult;
use crate::results::{PrecisionMetric, PrecisionResult, Results};
use crate::scenario::Scenario;
use crate::stats::bootstrap;
use crate::stats::stat::Stat;

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
        let entries = v.entries.iter().map(|(name, e)| {
            (
                name.as_str(),
                [e.latency_s.mean, e.latency_s.p99, e.throughput_per_s],
            )
        });
        let units = v
            .units
            .iter()
            .map(|(name, n)| (name.as_str(), n.utilization));
        variant_headline(&v.name, entries, units, target, &mut out);
    }
    out
}

/// The stopping rule on one variant's headline intervals: per entry its mean latency, p99 and
/// throughput, per unit its utilization, each met when its relative half-width is at most
/// `target`. Shared by [`headline`] (the combined results) and [`Tracker`] (replications as
/// they finish).
fn variant_headline<'a>(
    variant: &str,
    entries: impl Iterator<Item = (&'a str, [Stat; 3])>,
    units: impl Iterator<Item = (&'a str, Stat)>,
    target: f64,
    out: &mut Vec<PrecisionMetric>,
) {
    let mut push = |metric: String, st: &Stat| {
        let rhw = st.relative_half_width();
        out.push(PrecisionMetric {
            variant: variant.to_string(),
            metric,
            mean: st.mean,
            relative_half_width: rhw,
            met: rhw <= target,
        });
    };
    for (name, [mean, p99, throughput]) in entries {
        push(format!("entry {name} latency mean"), &mean);
        push(format!("entry {name} p99"), &p99);
        push(format!("entry {name} throughput"), &throughput);
    }
    for (name, utilization) in units {
        push(format!("unit {name} utilization"), &utilization);
    }
}

/// The stopping rule applied incrementally, as replications finish (a progress display of a
/// precision run): it keeps every finished replication's headline values and summarizes them
/// exactly as the combined results do — Student t for the means, throughput and utilization,
/// [`bootstrap::tail_stat`] for the p99 — over the replications in index order. Once the run
/// has finished, [`Tracker::metrics`] equals the results' `precision.metrics`.
///
/// # Complexity
/// [`Tracker::add`] is O(entries + units); [`Tracker::metrics`] is O(n) per headline metric
/// over the n replications so far (a bootstrap for 6 to 9 of them).
#[derive(Debug, Clone)]
pub struct Tracker {
    target: f64,
    done: usize,
    variants: Vec<(String, Vec<ReplicationDone>)>,
}

impl Tracker {
    /// A tracker for the relative half-width `target` (0.02 for 2%) of a run of `variants`
    /// (their names, in the run's order: the order of [`Tracker::metrics`]).
    pub fn new(target: f64, variants: &[String]) -> Tracker {
        Tracker {
            target,
            done: 0,
            variants: variants.iter().map(|v| (v.clone(), Vec::new())).collect(),
        }
    }

    /// Records a finished replication (of any variant, in any order; a variant not named to
    /// [`Tracker::new`] is added after the others).
    pub fn add(&mut self, r: &ReplicationDone) {
        self.done += 1;
        let i = match self.variants.iter().position(|(v, _)| *v == r.variant) {
            Some(i) => i,
            None => {
                self.variants.push((r.variant.clone(), Vec::new()));
                self.variants.len() - 1
            }
        };
        let reps = &mut self.variants[i].1;
        let at = reps.partition_point(|x| x.replication < r.replication);
        reps.insert(at, r.clone());
    }

    /// Replications recorded, all variants together.
    pub fn done(&self) -> usize {
        self.done
    }

    /// Replications recorded per variant: the fewest of any variant.
    pub fn replications(&self) -> u32 {
        let fewest = self
            .variants
            .iter()
            .map(|(_, r)| r.len())
            .min()
            .unwrap_or(0);
        u32::try_from(fewest).unwrap_or(u32::MAX)
    }

    /// Every headline metric over the replications recorded so far, in the order of
    /// [`headline`].
    pub fn metrics(&self) -> Vec<PrecisionMetric> {
        let mut out = Vec::new();
        for (variant, reps) in &self.variants {
            let Some(first) = reps.first() else {
                continue;
            };
            let stat = |f: &dyn Fn(&ReplicationDone) -> f64| {
                let xs: Vec<f64> = reps.iter().map(f).collect();
                Stat::from_samples(&xs)
            };
            let entries = first.entries.iter().enumerate().map(|(e, entry)| {
                let value = |f: fn(&EntryPartial) -> f64| {
                    move |r: &ReplicationDone| r.entries.get(e).map_or(0.0, f)
                };
                // Latency only from the replications that completed requests, as the results.
                let latency = |f: fn(&EntryPartial) -> f64| -> Vec<f64> {
                    reps.iter()
                        .filter_map(|r| r.entries.get(e).filter(|x| x.completed > 0).map(f))
                        .collect()
                };
                (
                    entry.name.as_str(),
                    [
                        Stat::from_samples(&latency(|x| x.latency_mean_s)),
                        bootstrap::tail_stat(&latency(|x| x.latency_p99_s)).0,
                        stat(&value(|x| x.throughput_per_s)),
                    ],
                )
            });
            let units = first.units.iter().enumerate().map(|(u, unit)| {
                let utilization =
                    stat(&|r: &ReplicationDone| r.units.get(u).map_or(0.0, |x| x.utilization));
                (unit.name.as_str(), utilization)
            });
            variant_headline(variant, entries, units, self.target, &mut out);
        }
        out
    }

    /// The worst relative half-width so far; +∞ while a variant has fewer than two
    /// replications (no interval yet).
    pub fn worst(&self) -> f64 {
        if self.variants.is_empty() || self.variants.iter().any(|(_, r)| r.len() < 2) {
            return f64::INFINITY;
        }
        self.metrics()
            .iter()
            .map(|m| m.relative_half_width)
            .fold(0.0, f64::max)
    }
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
        max_events: opts.max_events,
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
    use super::{parse_fraction, run_to_precision, Tracker};
    use crate::runner::RunOptions;
    use std::sync::Mutex;

    const TWO_UNITS: &str = r#"
name = "two stations"
seed = 3
replications = 5
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "300s"
warmup = "30s"
[[workload.entries]]
name = "req"
op = "a.work"
arrival = { process = "poisson", rate = 2 }
[modules.a]
ops.work = { cpu = { dist = "exp", mean = "100ms" }, calls = [{ op = "b.work" }] }
[modules.b]
ops.work = { cpu = { dist = "exp", mean = "200ms" } }
[[variants]]
name = "split"
[[variants.units]]
name = "a"
modules = ["a"]
[[variants.units]]
name = "b"
modules = ["b"]
[[variants]]
name = "one"
[[variants.units]]
name = "ab"
modules = ["a", "b"]
cores = 2
"#;

    #[test]
    fn the_tracker_fed_as_replications_finish_ends_on_the_results_metrics() {
        let s = crate::scenario::parse(TWO_UNITS, "two.toml").expect("valid");
        let names = vec!["split".to_string(), "one".to_string()];
        let tracker = Mutex::new(Tracker::new(0.01, &names));
        let done = |r: &crate::runner::partial::ReplicationDone| {
            tracker.lock().expect("lock").add(r);
        };
        let opts = RunOptions {
            threads: Some(2),
            replication_done: Some(&done),
            ..Default::default()
        };
        let r = run_to_precision(&s, &opts, 0.01, 12).expect("run");
        let p = r.precision.as_ref().expect("precision");
        let t = tracker.into_inner().expect("tracker");
        assert_eq!(t.done(), 2 * r.replications as usize);
        assert_eq!(t.replications(), r.replications);
        // the same metrics (names, means, half-widths) in the same order, bit for bit: the
        // units' utilization and the bootstrap p99 included
        let key = |ms: &[crate::results::PrecisionMetric]| {
            ms.iter()
                .map(|m| {
                    (
                        m.variant.clone(),
                        m.metric.clone(),
                        m.mean,
                        m.relative_half_width,
                        m.met,
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(key(&t.metrics()), key(&p.metrics));
        assert!(p.metrics.iter().any(|m| m.metric == "unit b utilization"));
        let worst = p
            .metrics
            .iter()
            .map(|m| m.relative_half_width)
            .fold(0.0, f64::max);
        assert_eq!(t.worst(), worst);
    }

    #[test]
    fn the_tracker_has_no_interval_before_two_replications_of_every_variant() {
        let mut t = Tracker::new(0.02, &["a".to_string()]);
        assert_eq!(t.worst(), f64::INFINITY);
        assert_eq!(t.replications(), 0);
        let rep = |variant: &str, k: u32| crate::runner::partial::ReplicationDone {
            variant: variant.into(),
            replication: k,
            done: 0,
            total: 0,
            entries: Vec::new(),
            units: vec![crate::runner::partial::UnitPartial {
                name: "u".into(),
                utilization: 0.5 + f64::from(k) / 10.0,
            }],
        };
        t.add(&rep("a", 1));
        t.add(&rep("a", 0));
        assert_eq!(t.replications(), 2);
        assert!(t.worst().is_finite());
        t.add(&rep("b", 0));
        assert_eq!(t.replications(), 1);
        assert_eq!(t.worst(), f64::INFINITY);
    }

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
