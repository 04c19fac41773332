//! Arrival processes: how the requests of an entry are spread over time.
//!
//! - **Poisson** and **constant** at a fixed rate (the fast path: one draw per arrival).
//! - **Rate profiles** ([`RateProfile`]): steps, a linear ramp, a spike and a diurnal sine,
//!   as a *non-homogeneous Poisson process* or as deterministic arrivals. Piecewise-linear
//!   profiles (steps, ramp, spike, and rate traces) are sampled **exactly by time change**: with
//!   Λ(t) = ∫₀ᵗ λ(u) du, the next arrival after `t` is the `t'` with Λ(t') = Λ(t) + E, E ~ Exp(1)
//!   (E = 1 for constant arrivals), solved segment by segment in closed form. The diurnal sine
//!   is sampled **exactly by thinning** (Lewis–Shedler): candidates from a Poisson process at
//!   λ_max = mean + amplitude, each kept with probability λ(t)/λ_max; its constant variant
//!   inverts Λ by bisection to full `f64` precision.
//! - **Trace replay** ([`trace`]): a CSV of arrival timestamps, replayed exactly, or of rates per
//!   interval, which becomes a step profile.
//! - **Closed loop**: `users` clients, each issuing a request, waiting for its answer (success
//!   or failure), thinking for a drawn time, and starting again. The engine drives it (an answer
//!   schedules the user's next request); [`next_delay`] yields no open arrivals for it.
//!
//! Profile times are measured from the start of the run (warm-up included), in seconds here,
//! nanoseconds at the engine boundary.

pub mod trace;

use crate::kernel::dist::Dist;
use crate::kernel::Rng64;
use rand::Rng;
use rand_distr::{Distribution, Exp1};
use std::sync::Arc;

/// Arrival process of an entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Arrival {
    /// Poisson arrivals (exponential inter-arrival times) at `rate` per second (> 0).
    Poisson {
        /// arrivals per second
        rate: f64,
    },
    /// Deterministic arrivals every `1/rate` seconds (> 0), the first at `1/rate`.
    Constant {
        /// arrivals per second
        rate: f64,
    },
    /// Arrivals whose rate follows a profile over time.
    Profile {
        /// The rate over time.
        profile: Arc<RateProfile>,
        /// Non-homogeneous Poisson (`true`) or deterministic: the k-th arrival at Λ(t) = k.
        poisson: bool,
        /// Mean rate over the run (Λ(end)/end) \[1/s\], for estimates.
        mean_rate: f64,
    },
    /// Replay of recorded arrival times.
    Trace {
        /// Arrival instants from the start of the run \[ns\], non-decreasing.
        times: Arc<[u64]>,
        /// Mean rate over the run \[1/s\], for estimates.
        mean_rate: f64,
    },
    /// Closed loop: `users` clients, each with at most one request outstanding.
    Closed {
        /// Number of clients (≥ 1).
        users: u32,
        /// Think time between an answer and the user's next request \[ns\] (mean > 0).
        think: Dist,
    },
}

impl Arrival {
    /// Mean arrivals per second. For a closed loop this is the upper bound users / think time
    /// (reached when responses are instantaneous).
    pub fn rate(&self) -> f64 {
        match self {
            Arrival::Poisson { rate } | Arrival::Constant { rate } => *rate,
            Arrival::Profile { mean_rate, .. } | Arrival::Trace { mean_rate, .. } => *mean_rate,
            Arrival::Closed { users, think } => *users as f64 / (think.mean() / 1e9),
        }
    }

    /// Whether this is a closed loop (requests are started by answers, not by the clock).
    #[inline]
    pub fn is_closed(&self) -> bool {
        matches!(self, Arrival::Closed { .. })
    }
}

/// One segment of a piecewise-linear rate: from `t0` \[s\], λ(t) = `a` + `b`·(t − t0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Start \[s\].
    pub t0: f64,
    /// Rate at the start \[1/s\] (≥ 0).
    pub a: f64,
    /// Slope \[1/s²\]; the rate stays ≥ 0 over the segment.
    pub b: f64,
}

/// A rate over time, λ(t) ≥ 0 \[1/s\], t in seconds from the start of the run.
#[derive(Debug, Clone, PartialEq)]
pub enum RateProfile {
    /// Piecewise linear; the segments are sorted by start, the first starts at 0 and the last
    /// (constant, `b` = 0) lasts forever.
    Piecewise(Vec<Segment>),
    /// λ(t) = mean + amplitude · sin(2π t / period), with 0 ≤ amplitude ≤ mean.
    Sine {
        /// Mean rate \[1/s\] (> 0).
        mean: f64,
        /// Amplitude \[1/s\] (0 ≤ amplitude ≤ mean).
        amplitude: f64,
        /// Period \[s\] (> 0).
        period: f64,
    },
}

impl RateProfile {
    /// Steps: `(start [s], rate)` pairs with strictly increasing starts; the rate is 0 before
    /// the first start and each rate holds until the next start (the last one forever).
    pub fn steps(points: &[(f64, f64)]) -> RateProfile {
        let mut segs = Vec::with_capacity(points.len() + 1);
        if !matches!(points.first(), Some(p) if p.0 <= 0.0) {
            segs.push(Segment {
                t0: 0.0,
                a: 0.0,
                b: 0.0,
            });
        }
        for &(t0, a) in points {
            segs.push(Segment { t0, a, b: 0.0 });
        }
        RateProfile::Piecewise(segs)
    }

    /// A linear ramp from `from` at `start` to `to` at `end` (`start` < `end`, seconds), constant
    /// before and after.
    pub fn ramp(from: f64, to: f64, start: f64, end: f64) -> RateProfile {
        let mut segs = Vec::with_capacity(3);
        if start > 0.0 {
            segs.push(Segment {
                t0: 0.0,
                a: from,
                b: 0.0,
            });
        }
        segs.push(Segment {
            t0: start,
            a: from,
            b: (to - from) / (end - start),
        });
        segs.push(Segment {
            t0: end,
            a: to,
            b: 0.0,
        });
        RateProfile::Piecewise(segs)
    }

    /// `base`, except `peak` during `[at, at + duration)` (seconds).
    pub fn spike(base: f64, peak: f64, at: f64, duration: f64) -> RateProfile {
        let mut segs = Vec::with_capacity(3);
        if at > 0.0 {
            segs.push(Segment {
                t0: 0.0,
                a: base,
                b: 0.0,
            });
        }
        segs.push(Segment {
            t0: at,
            a: peak,
            b: 0.0,
        });
        segs.push(Segment {
            t0: at + duration,
            a: base,
            b: 0.0,
        });
        RateProfile::Piecewise(segs)
    }

    /// The rate at `t` \[1/s\].
    pub fn rate(&self, t: f64) -> f64 {
        match self {
            RateProfile::Piecewise(segs) => {
                let i = seg_index(segs, t);
                let s = segs[i];
                (s.a + s.b * (t - s.t0)).max(0.0)
            }
            RateProfile::Sine {
                mean,
                amplitude,
                period,
            } => mean + amplitude * (std::f64::consts::TAU * t / period).sin(),
        }
    }

    /// Λ(t) = ∫₀ᵗ λ(u) du: expected arrivals in `[0, t]`.
    pub fn cumulative(&self, t: f64) -> f64 {
        match self {
            RateProfile::Piecewise(segs) => {
                let mut total = 0.0;
                for (i, s) in segs.iter().enumerate() {
                    if s.t0 >= t {
                        break;
                    }
                    let end = segs.get(i + 1).map_or(t, |n| n.t0.min(t));
                    let x = end - s.t0;
                    total += s.a * x + 0.5 * s.b * x * x;
                }
                total
            }
            RateProfile::Sine {
                mean,
                amplitude,
                period,
            } => {
                let w = std::f64::consts::TAU / period;
                mean * t + amplitude / w * (1.0 - (w * t).cos())
            }
        }
    }
}

/// Index of the segment holding `t`.
fn seg_index(segs: &[Segment], t: f64) -> usize {
    segs.partition_point(|s| s.t0 <= t).saturating_sub(1)
}

/// Per-entry state of an arrival process inside one replication.
#[derive(Debug, Clone, Default)]
pub struct ArrivalState {
    /// Exact time of the last arrival of a profile \[s\] (arrivals are rounded to ns only at
    /// the engine boundary, so rounding never accumulates).
    t: f64,
    /// Profile: current segment. Trace: next timestamp.
    i: usize,
}

/// The arrival streams of the entries of one replication: their random streams and states.
#[derive(Debug, Clone)]
pub struct Arrivals {
    rng: Vec<Rng64>,
    state: Vec<ArrivalState>,
}

impl Arrivals {
    /// Fresh processes, entry `e` drawing from `rng[e]`.
    pub fn new(rng: Vec<Rng64>) -> Arrivals {
        let state = vec![ArrivalState::default(); rng.len()];
        Arrivals { rng, state }
    }

    /// Delay \[ns\] from `now` to the next arrival of entry `e` with process `a`, or [`NEVER`].
    #[inline(always)]
    pub fn next(&mut self, e: usize, a: &Arrival, now: u64) -> u64 {
        if let Arrival::Poisson { rate } = a {
            return poisson_delay(*rate, &mut self.rng[e]);
        }
        next_delay(a, &mut self.state[e], now, &mut self.rng[e])
    }

    /// A think time \[ns\] of a user of entry `e` whose process `a` is a closed loop.
    #[inline(never)]
    pub fn think(&mut self, e: usize, a: &Arrival) -> Option<u64> {
        match a {
            Arrival::Closed { think, .. } => Some(think.sample_ns(&mut self.rng[e])),
            _ => None,
        }
    }
}

/// "No further arrival" as a delay.
pub const NEVER: u64 = u64::MAX;

/// Delay \[ns\] to the next Poisson arrival at `rate` \[1/s\] (the engine's fast path).
#[inline(always)]
pub fn poisson_delay(rate: f64, rng: &mut Rng64) -> u64 {
    let x: f64 = Exp1.sample(rng);
    (x * 1e9 / rate + 0.5) as u64
}

/// Delay \[ns\] between constant arrivals at `rate` \[1/s\] (the engine's fast path).
#[inline(always)]
pub fn constant_delay(rate: f64) -> u64 {
    ((1e9 / rate + 0.5) as u64).max(1)
}

/// Delay \[ns\] from `now` to the next arrival of `a`, or [`NEVER`]. Closed loops yield
/// [`NEVER`]: their requests are started by answers (see the module docs).
#[inline(never)]
pub fn next_delay(a: &Arrival, st: &mut ArrivalState, now: u64, rng: &mut Rng64) -> u64 {
    match a {
        Arrival::Poisson { rate } => poisson_delay(*rate, rng),
        Arrival::Constant { rate } => constant_delay(*rate),
        Arrival::Profile {
            profile, poisson, ..
        } => {
            let t = match (&**profile, *poisson) {
                (RateProfile::Piecewise(segs), p) => {
                    let e: f64 = if p { Exp1.sample(rng) } else { 1.0 };
                    invert_piecewise(segs, &mut st.i, st.t, e)
                }
                (RateProfile::Sine { .. }, true) => thin(profile, st.t, rng),
                (RateProfile::Sine { .. }, false) => invert_bisect(profile, st.t, 1.0),
            };
            let Some(t) = t else {
                return NEVER;
            };
            st.t = t;
            let at = t * 1e9;
            if at >= u64::MAX as f64 {
                return NEVER;
            }
            (at.round() as u64).saturating_sub(now)
        }
        Arrival::Trace { times, .. } => match times.get(st.i) {
            Some(&t) => {
                st.i += 1;
                t.saturating_sub(now)
            }
            None => NEVER,
        },
        Arrival::Closed { .. } => NEVER,
    }
}

/// The `t'` > `t` with Λ(t') − Λ(t) = `e` on a piecewise-linear rate; `i` is the segment of `t`
/// (advanced in place). `None` when the rate is 0 from `t` on.
fn invert_piecewise(segs: &[Segment], i: &mut usize, mut t: f64, mut e: f64) -> Option<f64> {
    while *i + 1 < segs.len() && segs[*i + 1].t0 <= t {
        *i += 1;
    }
    loop {
        let s = segs[*i];
        let a = (s.a + s.b * (t - s.t0)).max(0.0);
        match segs.get(*i + 1) {
            Some(next) => {
                let x = next.t0 - t;
                let mass = a * x + 0.5 * s.b * x * x;
                if e <= mass {
                    return Some(t + solve_quadratic(a, s.b, e).min(x));
                }
                e -= mass;
                t = next.t0;
                *i += 1;
            }
            None => {
                if a <= 0.0 {
                    return None;
                }
                return Some(t + e / a);
            }
        }
    }
}

/// The x ≥ 0 with a·x + b·x²/2 = e (a ≥ 0, and a + b·x ≥ 0 on the solution), in the
/// cancellation-free form 2e / (a + √(a² + 2be)).
fn solve_quadratic(a: f64, b: f64, e: f64) -> f64 {
    let disc = (a * a + 2.0 * b * e).max(0.0);
    let den = a + disc.sqrt();
    if den <= 0.0 {
        0.0
    } else {
        2.0 * e / den
    }
}

/// Next arrival of a non-homogeneous Poisson process by thinning (Lewis–Shedler).
fn thin(p: &RateProfile, mut t: f64, rng: &mut Rng64) -> Option<f64> {
    let RateProfile::Sine {
        mean, amplitude, ..
    } = *p
    else {
        return None;
    };
    let max = mean + amplitude;
    if max <= 0.0 {
        return None;
    }
    loop {
        let x: f64 = Exp1.sample(rng);
        t += x / max;
        let u: f64 = rng.random();
        if u * max < p.rate(t) {
            return Some(t);
        }
    }
}

/// The `t'` > `t` with Λ(t') = Λ(t) + `e`, by bisection on the monotone Λ.
fn invert_bisect(p: &RateProfile, t: f64, e: f64) -> Option<f64> {
    let target = p.cumulative(t) + e;
    let mut lo = t;
    let mut step = 1.0;
    let mut hi = t + step;
    while p.cumulative(hi) < target {
        lo = hi;
        step *= 2.0;
        hi = t + step;
        if step > 1e12 {
            return None;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if p.cumulative(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(hi)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::kernel::StreamSeeder;

    fn times(a: &Arrival, end_s: f64, seed: u64) -> Vec<f64> {
        let mut rng = StreamSeeder::new(seed, 0).stream(1, 0);
        let mut st = ArrivalState::default();
        let mut now = 0u64;
        let mut out = Vec::new();
        loop {
            let d = next_delay(a, &mut st, now, &mut rng);
            if d == NEVER || (now + d) as f64 / 1e9 >= end_s {
                return out;
            }
            now += d;
            out.push(now as f64 / 1e9);
        }
    }

    #[test]
    fn cumulative_of_pieces() {
        let r = RateProfile::ramp(0.0, 10.0, 0.0, 10.0);
        assert!((r.cumulative(10.0) - 50.0).abs() < 1e-9);
        assert!((r.cumulative(12.0) - 70.0).abs() < 1e-9);
        let s = RateProfile::spike(1.0, 5.0, 2.0, 1.0);
        assert!((s.cumulative(4.0) - 8.0).abs() < 1e-9);
        let st = RateProfile::steps(&[(1.0, 2.0), (3.0, 4.0)]);
        assert!((st.cumulative(5.0) - 12.0).abs() < 1e-9);
        assert_eq!(st.rate(0.5), 0.0);
    }

    #[test]
    fn constant_profile_hits_integer_cumulative() {
        // Deterministic arrivals: the k-th at Λ(t) = k exactly (up to ns rounding).
        for p in [
            RateProfile::ramp(2.0, 20.0, 1.0, 6.0),
            RateProfile::Sine {
                mean: 10.0,
                amplitude: 8.0,
                period: 3.0,
            },
        ] {
            let a = Arrival::Profile {
                profile: Arc::new(p.clone()),
                poisson: false,
                mean_rate: 1.0,
            };
            let ts = times(&a, 10.0, 1);
            assert!(!ts.is_empty());
            for (k, t) in ts.iter().enumerate() {
                let l = p.cumulative(*t);
                assert!((l - (k + 1) as f64).abs() < 1e-6, "{k}: Λ = {l}");
            }
        }
    }

    #[test]
    fn zero_rate_tail_stops() {
        let a = Arrival::Profile {
            profile: Arc::new(RateProfile::steps(&[(0.0, 5.0), (2.0, 0.0)])),
            poisson: true,
            mean_rate: 1.0,
        };
        let ts = times(&a, 100.0, 3);
        assert!(ts.iter().all(|&t| t < 2.0));
    }

    #[test]
    fn trace_replays_exactly() {
        let t: Arc<[u64]> = vec![5, 5, 1_000, 2_000_000_000].into();
        let a = Arrival::Trace {
            times: t,
            mean_rate: 1.0,
        };
        let ts = times(&a, 10.0, 1);
        let ns: Vec<u64> = ts.iter().map(|x| (x * 1e9).round() as u64).collect();
        assert_eq!(ns, vec![5, 5, 1_000, 2_000_000_000]);
    }
}
