//! Horizontal autoscaling of a unit, after the Kubernetes Horizontal Pod Autoscaler
//! (autoscaling/v2): every `period` the autoscaler measures the unit's metric over the last
//! period, computes a recommendation, stabilizes it over the scale-up and scale-down windows,
//! applies the scale-up rate limit and the `min`/`max` bounds.
//!
//! The unit's `max` instances exist from the start (stations allocated up front); instances not
//! provisioned are *down* for the load balancer (one reason in `flow::availability`), so that
//! the engine's hot path is unchanged. A new instance starts (`Starting`) and serves once its
//! start-up time has passed (`Ready`); a removed instance stops taking new requests at once and
//! finishes the requests it holds (it drains).
//!
//! This module holds the decision logic and the per-unit state; `sim.rs` measures, applies the
//! decisions to the instances' availability and schedules its own events. See `docs/semantics.md`,
//! "Autoscaling".
//!
//! # Configuration
//!
//! `autoscale = { target_utilization | target_in_flight, min, max, period, tolerance,
//! scale_up_window, scale_down_window, startup, scale_up_pods, scale_up_percent,
//! scale_up_period }` on a unit (not serverless); `max` is required and `replicas` is then the
//! initial count (default `min`). Defaults ([`Autoscale::with_defaults`]): docs/sources.md rows
//! *HPA* (sync 15 s, tolerance 0.1, scale-down window 300 s, scale-up max(+100 %, +4) per 15 s)
//! and *pod start-up* (5 s).
//!
//! # Files
//!
//! - `mod.rs`: the validated [`Autoscale`], the decisions and the per-unit state ([`Scaler`]).
//! - `raw.rs`: the TOML keys ([`raw::RawAutoscale`]).
//! - `resolve.rs`: raw → [`Autoscale`] and the initial replicas, with located diagnostics.
//! - `sim.rs`: autoscaling in a replication ([`Autoscaler`]).
//! - `report.rs`: an autoscaled unit in the results ([`report::AutoscaleResult`]).
//! - `compile.rs`: the initial instance count and the autoscaler's plan entry.
//! - `estimate.rs`: the estimate does not scale: the initial instances carry the load.

mod compile;
pub mod estimate;
pub mod raw;
pub mod report;
pub(crate) mod resolve;
mod sim;

pub use compile::*;
pub use sim::*;

use crate::kernel::dist::Dist;
use std::collections::VecDeque;

/// What the autoscaler tracks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric {
    /// Time-averaged busy cores / cores per ready instance (0 to 1).
    Utilization(f64),
    /// Time-averaged requests present per ready instance.
    InFlight(f64),
}

impl Metric {
    /// The target value per instance.
    pub fn target(&self) -> f64 {
        match *self {
            Metric::Utilization(t) | Metric::InFlight(t) => t,
        }
    }
}

/// `autoscale = { ... }` of a unit, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Autoscale {
    /// Target per instance.
    pub metric: Metric,
    /// Fewest instances (≥ 1).
    pub min: u32,
    /// Most instances (≥ `min`).
    pub max: u32,
    /// Sync period \[ns\].
    pub period: u64,
    /// No change while |metric / target − 1| ≤ tolerance.
    pub tolerance: f64,
    /// Scale-up stabilization window \[ns\]: the lowest recommendation over it is applied.
    pub up_window: u64,
    /// Scale-down stabilization window \[ns\]: the highest recommendation over it is applied.
    pub down_window: u64,
    /// Start-up time of a new instance \[ns\].
    pub startup: Dist,
    /// Scale-up rate limit: at most `up_pods` more instances per `up_period` ...
    pub up_pods: u32,
    /// ... or `up_percent` % more, whichever is larger.
    pub up_percent: f64,
    /// Period of the scale-up rate limit \[ns\].
    pub up_period: u64,
}

impl Autoscale {
    /// The defaults of docs/sources.md's HPA row (sync 15 s, tolerance 0.1, scale-down stabilization
    /// 300 s, scale-up max(+100 %, +4 pods) per 15 s) and pod start-up row (5 s), with the given
    /// metric and bounds.
    pub fn with_defaults(metric: Metric, min: u32, max: u32) -> Self {
        Autoscale {
            metric,
            min,
            max,
            period: 15_000_000_000,
            tolerance: 0.1,
            up_window: 0,
            down_window: 300_000_000_000,
            startup: Dist::Const(5e9),
            up_pods: 4,
            up_percent: 100.0,
            up_period: 15_000_000_000,
        }
    }
}

/// State of one instance of an autoscaled unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not provisioned (never started, or removed: it may still drain its requests).
    Off,
    /// Provisioned, starting up: not yet serving.
    Starting,
    /// Provisioned and serving (unless a crash fault holds it down).
    Ready,
}

/// Autoscaling state of one unit during a replication.
#[derive(Debug, Clone)]
pub struct Scaler {
    /// Per instance: its phase.
    pub phase: Vec<Phase>,
    /// Per instance: generation, bumped when a start is cancelled (stale ready events).
    pub generation: Vec<u32>,
    /// Per instance: the metric's integral at the previous sync.
    pub last_integral: Vec<f64>,
    /// Raw recommendations `(time, replicas)` inside the stabilization windows.
    recs: VecDeque<(u64, u32)>,
    /// Scale-ups `(time, added)` inside the rate-limit period.
    ups: VecDeque<(u64, u32)>,
    /// Syncs that changed the replica count in the measured interval.
    pub events: u64,
    /// Provisioned instances (starting or ready) now.
    pub provisioned: u32,
    /// ∫ provisioned dt over the measured interval \[instance·ns\].
    pub area: f64,
    last_t: u64,
    /// Fewest and most provisioned instances over the measured interval.
    pub low: u32,
    /// See `low`.
    pub high: u32,
}

impl Scaler {
    /// `instances` pre-allocated, the first `initial` ready.
    pub fn new(instances: u32, initial: u32) -> Self {
        let phase = (0..instances)
            .map(|i| {
                if i < initial {
                    Phase::Ready
                } else {
                    Phase::Off
                }
            })
            .collect();
        Scaler {
            phase,
            generation: vec![0; instances as usize],
            last_integral: vec![0.0; instances as usize],
            recs: VecDeque::new(),
            ups: VecDeque::new(),
            events: 0,
            provisioned: initial,
            area: 0.0,
            last_t: 0,
            low: initial,
            high: initial,
        }
    }

    /// Closes the provisioned integral at `now`.
    pub fn account(&mut self, now: u64) {
        self.area += self.provisioned as f64 * now.saturating_sub(self.last_t) as f64;
        self.last_t = now;
    }

    /// Starts the measured interval at `now`.
    pub fn reset(&mut self, now: u64) {
        self.area = 0.0;
        self.last_t = now;
        self.events = 0;
        self.low = self.provisioned;
        self.high = self.provisioned;
    }

    /// Sets the provisioned count at `now` (integral, extremes, events when `measuring`).
    pub fn set_provisioned(&mut self, now: u64, n: u32, measuring: bool) {
        self.account(now);
        if n != self.provisioned && measuring {
            self.events += 1;
        }
        self.provisioned = n;
        self.low = self.low.min(n);
        self.high = self.high.max(n);
    }

    /// The replica count the autoscaler wants at `now`, given `usage` (the metric summed over
    /// the ready instances, measured over the last period; `None` when no instance is ready:
    /// no metric, no change) and `current` provisioned instances. Follows the HPA: raw
    /// recommendation `ceil(usage / target)` outside the tolerance, stabilization (scale-up:
    /// lowest recommendation over the up window; scale-down: highest over the down window),
    /// scale-up rate limit `max(start + pods, start × (1 + percent/100))` where `start` is the
    /// count at the beginning of the rate-limit period, then `[min, max]`.
    pub fn recommend(&mut self, a: &Autoscale, now: u64, usage: Option<f64>, current: u32) -> u32 {
        let target = a.metric.target();
        let raw = match usage {
            None => current,
            Some(u) => {
                let ratio = u / (target * current.max(1) as f64);
                if (ratio - 1.0).abs() <= a.tolerance {
                    current
                } else {
                    // ceil(current × ratio) = ceil(usage / target); the small epsilon keeps an
                    // exact multiple from rounding up on floating-point noise.
                    let d = (u / target - 1e-9).ceil().max(0.0);
                    d.min(u32::MAX as f64) as u32
                }
            }
        };
        let raw = raw.clamp(a.min, a.max);
        self.recs.push_back((now, raw));
        let keep = a.up_window.max(a.down_window);
        while self
            .recs
            .front()
            .is_some_and(|&(t, _)| now.saturating_sub(t) > keep)
        {
            self.recs.pop_front();
        }
        let in_window = |w: u64| {
            self.recs
                .iter()
                .filter(move |&&(t, _)| now.saturating_sub(t) <= w)
                .map(|&(_, r)| r)
        };
        let up = in_window(a.up_window).min().unwrap_or(raw);
        let down = in_window(a.down_window).max().unwrap_or(raw);
        let mut desired = current;
        if desired < up {
            desired = up;
        }
        if desired > down {
            desired = down;
        }
        if desired > current {
            while self
                .ups
                .front()
                .is_some_and(|&(t, _)| now.saturating_sub(t) >= a.up_period)
            {
                self.ups.pop_front();
            }
            let added: u32 = self.ups.iter().map(|&(_, n)| n).sum();
            let start = current.saturating_sub(added) as f64;
            let limit = (start + a.up_pods as f64).max(start * (1.0 + a.up_percent / 100.0));
            let limit = limit.floor().min(u32::MAX as f64) as u32;
            desired = desired.min(limit.max(current));
        }
        let desired = desired.clamp(a.min, a.max);
        if desired > current {
            self.ups.push_back((now, desired - current));
        }
        desired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u64 = 1_000_000_000;

    fn hpa() -> Autoscale {
        Autoscale::with_defaults(Metric::Utilization(0.5), 1, 100)
    }

    #[test]
    fn inside_the_tolerance_nothing_changes() {
        let a = hpa();
        let mut s = Scaler::new(100, 4);
        // 4 instances at 0.54 each: ratio 1.08 ≤ 1.1.
        assert_eq!(s.recommend(&a, 15 * S, Some(4.0 * 0.54), 4), 4);
        // At 0.56 each: ratio 1.12 > 1.1: ceil(4 × 1.12) = 5.
        assert_eq!(s.recommend(&a, 30 * S, Some(4.0 * 0.56), 4), 5);
    }

    #[test]
    fn scale_up_is_rate_limited_to_double_or_plus_four() {
        let a = hpa();
        let mut s = Scaler::new(100, 2);
        // Wants 40 from 2: limited to max(2 + 4, 2 × 2) = 6.
        assert_eq!(s.recommend(&a, 15 * S, Some(20.0), 2), 6);
        // 15 s later, from 6: max(10, 12) = 12.
        assert_eq!(s.recommend(&a, 30 * S, Some(20.0), 6), 12);
        assert_eq!(s.recommend(&a, 45 * S, Some(20.0), 12), 24);
        assert_eq!(s.recommend(&a, 60 * S, Some(20.0), 24), 40);
    }

    #[test]
    fn scale_down_takes_the_highest_recommendation_of_the_window() {
        let a = hpa();
        let mut s = Scaler::new(100, 10);
        // A high recommendation at t = 15 s holds for 300 s.
        assert_eq!(s.recommend(&a, 15 * S, Some(5.0), 10), 10);
        let mut t = 30;
        while t <= 315 {
            assert_eq!(s.recommend(&a, t * S, Some(1.0), 10), 10, "t = {t}");
            t += 15;
        }
        // 330 s: the t = 15 s recommendation is out of the window.
        assert_eq!(s.recommend(&a, 330 * S, Some(1.0), 10), 2);
    }

    #[test]
    fn scale_up_window_takes_the_lowest() {
        let mut a = hpa();
        a.up_window = 30 * S;
        let mut s = Scaler::new(100, 2);
        assert_eq!(s.recommend(&a, 15 * S, Some(1.0), 2), 2);
        assert_eq!(s.recommend(&a, 30 * S, Some(2.0), 2), 2);
        assert_eq!(s.recommend(&a, 45 * S, Some(2.0), 2), 2);
        // The low recommendation of 15 s has left the window.
        assert_eq!(s.recommend(&a, 61 * S, Some(2.0), 2), 4);
    }

    #[test]
    fn bounds_and_missing_metric() {
        let a = Autoscale::with_defaults(Metric::InFlight(10.0), 2, 5);
        let mut s = Scaler::new(5, 3);
        assert_eq!(s.recommend(&a, 15 * S, None, 3), 3);
        assert_eq!(s.recommend(&a, 30 * S, Some(1000.0), 3), 5);
        let mut s = Scaler::new(5, 3);
        let mut b = a.clone();
        b.down_window = 0;
        assert_eq!(s.recommend(&b, 15 * S, Some(0.0), 3), 2);
    }
}
