//! Serverless functions: the instance pool of every function of a variant and the account-wide
//! concurrency they share.
//!
//! # Model
//!
//! - One request per instance: an instance is busy from the invocation's arrival (including its
//!   cold start) until its answer leaves, downstream calls included.
//! - Warm pool: a finished instance becomes idle; idle instances are reclaimed `keep_alive` after
//!   they became idle. A new invocation takes, in order: a free provisioned instance, the
//!   **most recently idle** warm instance (LIFO, as AWS Lambda is observed to do: it keeps the
//!   pool small), or a new instance that pays a cold start.
//! - Limits: a function with reserved concurrency `r` runs at most `r` invocations at once;
//!   the other functions of the variant share `account_concurrency − Σ r`. New instances
//!   (cold starts) also spend a token of a per-function bucket of `burst_limit` tokens refilled
//!   continuously over `burst_interval`. An invocation over a limit is throttled (429).
//! - Provisioned instances are always initialized, never reclaimed, and count against the
//!   concurrency limits while busy.
//!
//! Reclamation is computed lazily: an idle instance's fate is fixed when it becomes idle, so
//! the pool expires the instances whose keep-alive elapsed whenever it is looked at — no event
//! per idle instance.
//!
//! # Complexity
//! Admission and release are amortized O(1).
//!
//! # Configuration
//!
//! Keys of a unit with `platform = "serverless"` (each one is an error on another platform):
//! `runtime` (default `"node"`), `cold_start` (default by runtime: docs/sources.md row *cold
//! start by runtime (p50)*), `keep_alive` (10 min: row *idle keep-alive*), `max_duration`
//! (900 s, at most 900 s: serverless row *timeout*), `reserved_concurrency` (none: row
//! *reserved concurrency*), `provisioned` (0, at most `reserved_concurrency`: row *provisioned
//! concurrency*), `burst_limit` and `burst_interval` (1,000 per 10 s: row *scaling rate*), and
//! `memory` (128MB to 10240MB: row *memory / CPU*). The variant's `account_concurrency` (1,000:
//! row *account concurrency*) is the scenario's.
//!
//! # Files
//!
//! - `mod.rs`: the compiled [`FunctionPlan`] and the instance pool of a variant's functions.
//! - `raw.rs`: the runtime's TOML value ([`raw::RawRuntime`]).
//! - `spec.rs`: the validated [`spec::FunctionSpec`] and [`spec::Runtime`] with its cold
//!   starts.
//! - `resolve.rs`: a unit's serverless keys → [`spec::FunctionSpec`], with located
//!   diagnostics.
//! - `sim.rs`: the functions in a replication ([`Function`]).
//! - `report.rs`: a function in the results ([`report::FunctionResult`]).
//! - `cost.rs`: the functions' bill with the free tier ([`cost::ServerlessBill`]).
//! - `knobs.rs`: the right-sizing knobs (memory, provisioned and reserved concurrency)
//!   and the rules of their analytic start.
//! - `compile.rs`: the one memory → speed rule and the function's plan entry.
//! - `estimate.rs`: a function as an infinite server, and the throttled share.

mod compile;
pub mod cost;
pub mod estimate;
pub mod knobs;
pub mod raw;
pub mod report;
pub(crate) mod resolve;
mod sim;
pub mod spec;

pub use compile::*;
pub use sim::*;

use crate::kernel::dist::Dist;
use crate::kernel::SimTime;
use std::collections::VecDeque;

/// Static description of one function (compiled from a serverless unit).
#[derive(Debug, Clone)]
pub struct FunctionPlan {
    /// Node of the function in the model.
    pub node: u32,
    /// Configured memory \[bytes\] (1,769 MB = one vCPU when the unit gives none).
    pub memory: u64,
    /// Cold-start delay \[ns\].
    pub cold_start: Dist,
    /// Idle time before a warm instance is reclaimed \[ns\].
    pub keep_alive: u64,
    /// Longest invocation \[ns\].
    pub max_duration: u64,
    /// Reserved concurrency, if any.
    pub reserved: Option<u32>,
    /// Provisioned (always warm) instances.
    pub provisioned: u32,
    /// Burst bucket capacity (new instances).
    pub burst_limit: u32,
    /// Time to refill the bucket completely \[ns\].
    pub burst_interval: u64,
}

/// Outcome of an invocation's arrival at a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// A warm instance took it (`provisioned`: one of the provisioned instances).
    Warm {
        /// Served by a provisioned instance.
        provisioned: bool,
    },
    /// A new instance was started: the invocation waits for the cold start.
    Cold,
    /// Over a concurrency or burst limit (429).
    Throttled,
}

/// Counters of one function over the measured interval.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FunctionRep {
    /// Invocations admitted (warm or cold).
    pub invocations: u64,
    /// Of those, cold starts.
    pub cold_starts: u64,
    /// Invocations throttled (not admitted).
    pub throttles: u64,
    /// Invocations killed at `max_duration`.
    pub max_duration_kills: u64,
    /// Billed duration of on-demand invocations, each rounded up to the millisecond \[ms\].
    pub billed_ms: u64,
    /// Billed duration of invocations served by provisioned instances \[ms\].
    pub billed_ms_provisioned: u64,
    /// What billing the INIT phase adds to the billed duration of the cold invocations: per
    /// cold invocation, ⌈(INIT + run) / 1 ms⌉ − ⌈run / 1 ms⌉ \[ms\].
    pub billed_init_ms: u64,
    /// ∫ concurrent executions dt \[instance·ns\].
    pub busy_area: f64,
    /// Time spent at each number of concurrent executions \[ns\], index = level, the last bin
    /// holding every level from [`LEVELS`] − 1 up.
    pub level_time: Vec<f64>,
    /// Most concurrent executions seen.
    pub peak: u32,
    /// ∫ on-demand instances alive dt \[instance·ns\]: busy, or idle until their keep-alive
    /// ends (provisioned instances are not included).
    #[serde(default)]
    pub live_area: f64,
}

/// Levels of concurrency tracked individually in [`FunctionRep::level_time`].
pub const LEVELS: usize = 64;

/// Mutable state of one function.
#[derive(Debug, Clone)]
struct FnState {
    /// On-demand instances busy.
    busy: u32,
    /// Provisioned instances busy.
    prov_busy: u32,
    /// Idle instances: when each became idle, oldest first.
    idle: VecDeque<u64>,
    tokens: f64,
    tokens_at: u64,
    level_since: u64,
    /// ∫ on-demand instances alive dt since the start is `live_offset + live·t` at time `t`
    /// (`live` = busy + idle; a cold start adds `−t`, a reclamation at `t` adds `t`).
    live_offset: i128,
    /// That integral at the start of the measured interval.
    live_base: i128,
    rep: FunctionRep,
}

/// Every function of a variant and their shared account concurrency.
#[derive(Debug, Clone)]
pub struct Functions {
    fns: Vec<FnState>,
    limits: Vec<u32>,
    shares_account: Vec<bool>,
    unreserved_busy: u32,
    unreserved_limit: u32,
}

impl Functions {
    /// A fresh pool for `plans` with `account` concurrent executions for the variant.
    pub fn new(plans: &[FunctionPlan], account: u32) -> Self {
        let reserved: u32 = plans.iter().filter_map(|p| p.reserved).sum();
        Functions {
            fns: plans
                .iter()
                .map(|p| FnState {
                    busy: 0,
                    prov_busy: 0,
                    idle: VecDeque::new(),
                    tokens: p.burst_limit as f64,
                    tokens_at: 0,
                    level_since: 0,
                    live_offset: 0,
                    live_base: 0,
                    rep: FunctionRep {
                        level_time: vec![0.0; LEVELS],
                        ..FunctionRep::default()
                    },
                })
                .collect(),
            limits: plans
                .iter()
                .map(|p| p.reserved.unwrap_or(u32::MAX))
                .collect(),
            shares_account: plans.iter().map(|p| p.reserved.is_none()).collect(),
            unreserved_busy: 0,
            unreserved_limit: account.saturating_sub(reserved),
        }
    }

    /// Concurrent executions of function `i`.
    #[inline]
    pub fn concurrency(&self, i: usize) -> u32 {
        self.fns[i].busy + self.fns[i].prov_busy
    }

    fn expire(f: &mut FnState, keep_alive: u64, now: SimTime) {
        while let Some(&t) = f.idle.front() {
            let end = t.saturating_add(keep_alive);
            if end <= now.ns() {
                f.idle.pop_front();
                f.live_offset += end as i128;
            } else {
                break;
            }
        }
    }

    fn level_change(f: &mut FnState, now: SimTime, measuring: bool) {
        let level = (f.busy + f.prov_busy) as usize;
        if measuring {
            let dt = now.ns().saturating_sub(f.level_since) as f64;
            f.rep.level_time[level.min(LEVELS - 1)] += dt;
            f.rep.busy_area += dt * level as f64;
        }
        f.level_since = now.ns();
    }

    /// An invocation arrives at function `i` (plan `p`) at `now`.
    pub fn admit(
        &mut self,
        i: usize,
        p: &FunctionPlan,
        now: SimTime,
        measuring: bool,
    ) -> Admission {
        let shares = self.shares_account[i];
        let limit = self.limits[i];
        let unreserved_full = shares && self.unreserved_busy >= self.unreserved_limit;
        let f = &mut self.fns[i];
        Self::expire(f, p.keep_alive, now);
        if f.busy + f.prov_busy >= limit || unreserved_full {
            if measuring {
                f.rep.throttles += 1;
            }
            return Admission::Throttled;
        }
        let out = if f.prov_busy < p.provisioned {
            Admission::Warm { provisioned: true }
        } else if f.idle.pop_back().is_some() {
            Admission::Warm { provisioned: false }
        } else {
            // Continuous refill of the burst bucket.
            let cap = p.burst_limit as f64;
            let dt = now.ns().saturating_sub(f.tokens_at) as f64;
            f.tokens = (f.tokens + dt * cap / p.burst_interval as f64).min(cap);
            f.tokens_at = now.ns();
            if f.tokens < 1.0 {
                if measuring {
                    f.rep.throttles += 1;
                }
                return Admission::Throttled;
            }
            f.tokens -= 1.0;
            f.live_offset -= now.ns() as i128;
            Admission::Cold
        };
        Self::level_change(f, now, measuring);
        match out {
            Admission::Warm { provisioned: true } => f.prov_busy += 1,
            _ => f.busy += 1,
        }
        f.rep.peak = f.rep.peak.max(f.busy + f.prov_busy);
        if measuring {
            f.rep.invocations += 1;
            if out == Admission::Cold {
                f.rep.cold_starts += 1;
            }
        }
        if shares {
            self.unreserved_busy += 1;
        }
        out
    }

    /// The invocation of function `i` that started running at `invoked` (after a cold start of
    /// `init_ns`, 0 when warm) ends at `now`, freeing its instance; `provisioned` says which
    /// kind of instance it held. `invoked = None` when it never ran (freed during its cold
    /// start: neither its INIT nor its run is billed).
    pub fn release(
        &mut self,
        i: usize,
        now: SimTime,
        provisioned: bool,
        invoked: Option<SimTime>,
        init_ns: u64,
        measuring: bool,
    ) {
        let f = &mut self.fns[i];
        Self::level_change(f, now, measuring);
        if provisioned {
            f.prov_busy -= 1;
        } else {
            f.busy -= 1;
            f.idle.push_back(now.ns());
        }
        if let (true, Some(t)) = (measuring, invoked) {
            // Billed per invocation, rounded up to the next millisecond.
            let run = now.since(t);
            let ms = run.div_ceil(1_000_000);
            if provisioned {
                f.rep.billed_ms_provisioned += ms;
            } else {
                f.rep.billed_ms += ms;
                f.rep.billed_init_ms += (run + init_ns).div_ceil(1_000_000) - ms;
            }
        }
        if self.shares_account[i] {
            self.unreserved_busy -= 1;
        }
    }

    /// Counts an invocation of function `i` killed at its maximum duration.
    pub fn count_kill(&mut self, i: usize, measuring: bool) {
        if measuring {
            self.fns[i].rep.max_duration_kills += 1;
        }
    }

    /// Instances of function `i` alive at `now`: busy, idle not yet reclaimed, and
    /// provisioned.
    pub fn instances(&mut self, i: usize, p: &FunctionPlan, now: SimTime) -> u32 {
        let f = &mut self.fns[i];
        Self::expire(f, p.keep_alive, now);
        f.busy + f.idle.len() as u32 + f.prov_busy.max(p.provisioned)
    }

    /// ∫ on-demand instances alive dt from the start to `now` (reclaimed ones expired first).
    fn live_integral(f: &mut FnState, keep_alive: u64, now: SimTime) -> i128 {
        Self::expire(f, keep_alive, now);
        f.live_offset + (f.busy as i128 + f.idle.len() as i128) * now.ns() as i128
    }

    /// Starts the measured interval at `now` (`plans`: the functions' plans).
    pub fn reset_stats(&mut self, plans: &[FunctionPlan], now: SimTime) {
        for (f, p) in self.fns.iter_mut().zip(plans) {
            f.live_base = Self::live_integral(f, p.keep_alive, now);
            f.rep = FunctionRep {
                level_time: vec![0.0; LEVELS],
                peak: f.busy + f.prov_busy,
                ..FunctionRep::default()
            };
            f.level_since = now.ns();
        }
    }

    /// The counters of every function (`plans`: their plans), closed at `now`.
    pub fn finish(
        &mut self,
        plans: &[FunctionPlan],
        now: SimTime,
        measuring: bool,
    ) -> Vec<FunctionRep> {
        for (f, p) in self.fns.iter_mut().zip(plans) {
            Self::level_change(f, now, measuring);
            if measuring {
                f.rep.live_area = (Self::live_integral(f, p.keep_alive, now) - f.live_base) as f64;
            }
        }
        self.fns
            .iter_mut()
            .map(|f| std::mem::take(&mut f.rep))
            .collect()
    }
}

/// Retry schedule of an asynchronous invocation that was throttled (docs/sources.md serverless "async
/// retries": throttles are retried for up to 6 h with a backoff from 1 s to 5 min): the delay
/// before retry number `attempt` (0 = the first retry) of an event first sent `elapsed_ns` ago,
/// or `None` once the retry would fall beyond 6 h (the event is then dropped).
///
/// This is the hook an asynchronous caller (a message bus or event source) uses: on
/// [`Admission::Throttled`] it re-sends the invocation after the returned delay instead of
/// failing it.
pub fn async_retry_delay(attempt: u32, elapsed_ns: u64) -> Option<u64> {
    const FIRST: u64 = 1_000_000_000;
    const CAP: u64 = 300_000_000_000;
    const HORIZON: u64 = 6 * 3600 * 1_000_000_000;
    let delay = FIRST.saturating_mul(1u64 << attempt.min(20)).min(CAP);
    if elapsed_ns.saturating_add(delay) > HORIZON {
        None
    } else {
        Some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> FunctionPlan {
        FunctionPlan {
            node: 0,
            memory: 1_769_000_000,
            cold_start: Dist::Const(0.0),
            keep_alive: 100,
            max_duration: 1_000,
            reserved: None,
            provisioned: 0,
            burst_limit: 1000,
            burst_interval: 10_000_000_000,
        }
    }

    #[test]
    fn warm_reuse_is_most_recent_first_and_expires() {
        let p = plan();
        let mut f = Functions::new(std::slice::from_ref(&p), 1000);
        assert_eq!(f.admit(0, &p, SimTime(0), true), Admission::Cold);
        assert_eq!(f.admit(0, &p, SimTime(0), true), Admission::Cold);
        f.release(0, SimTime(10), false, Some(SimTime(0)), 0, true);
        f.release(0, SimTime(50), false, Some(SimTime(0)), 0, true);
        assert_eq!(f.instances(0, &p, SimTime(60)), 2);
        // At 120 the instance idle since 10 is gone, the one idle since 50 is still warm.
        assert_eq!(f.instances(0, &p, SimTime(120)), 1);
        assert_eq!(
            f.admit(0, &p, SimTime(120), true),
            Admission::Warm { provisioned: false }
        );
        assert_eq!(f.admit(0, &p, SimTime(120), true), Admission::Cold);
        let r = f.finish(std::slice::from_ref(&p), SimTime(200), true);
        assert_eq!(r[0].cold_starts, 3);
        // Alive over [0, 200]: the first instance 0 → 110 (idle from 10, reclaimed 100 later),
        // the second 0 → 200 (reused at 120), the third 120 → 200: 110 + 200 + 80.
        assert_eq!(r[0].live_area, 390.0);
        assert_eq!(r[0].invocations, 4);
        // Two invocations of 10 ns and 50 ns: 1 ms each once rounded up.
        assert_eq!(r[0].billed_ms, 2);
    }

    #[test]
    fn limits_throttle() {
        let mut p = plan();
        p.reserved = Some(2);
        let q = plan();
        let plans = [p.clone(), q.clone()];
        let mut f = Functions::new(&plans, 3);
        assert_eq!(f.admit(0, &p, SimTime(0), true), Admission::Cold);
        assert_eq!(f.admit(0, &p, SimTime(0), true), Admission::Cold);
        assert_eq!(f.admit(0, &p, SimTime(0), true), Admission::Throttled);
        // The other function shares 3 − 2 = 1.
        assert_eq!(f.admit(1, &q, SimTime(0), true), Admission::Cold);
        assert_eq!(f.admit(1, &q, SimTime(0), true), Admission::Throttled);
        f.release(1, SimTime(5), false, Some(SimTime(0)), 0, true);
        assert_eq!(
            f.admit(1, &q, SimTime(6), true),
            Admission::Warm { provisioned: false }
        );
    }

    #[test]
    fn burst_bucket_refills_continuously() {
        let mut p = plan();
        p.burst_limit = 2;
        p.burst_interval = 1000; // one token per 500 ns
        let mut f = Functions::new(std::slice::from_ref(&p), 1000);
        assert_eq!(f.admit(0, &p, SimTime(0), true), Admission::Cold);
        assert_eq!(f.admit(0, &p, SimTime(0), true), Admission::Cold);
        assert_eq!(f.admit(0, &p, SimTime(0), true), Admission::Throttled);
        assert_eq!(f.admit(0, &p, SimTime(499), true), Admission::Throttled);
        assert_eq!(f.admit(0, &p, SimTime(500), true), Admission::Cold);
    }

    #[test]
    fn provisioned_first_and_never_reclaimed() {
        let mut p = plan();
        p.provisioned = 1;
        let mut f = Functions::new(std::slice::from_ref(&p), 1000);
        assert_eq!(f.instances(0, &p, SimTime(0)), 1);
        assert_eq!(
            f.admit(0, &p, SimTime(0), true),
            Admission::Warm { provisioned: true }
        );
        assert_eq!(f.admit(0, &p, SimTime(0), true), Admission::Cold);
        f.release(0, SimTime(3_000_000), true, Some(SimTime(1)), 0, true);
        // The provisioned instance stays; the on-demand one is still busy.
        assert_eq!(f.instances(0, &p, SimTime(1_000_000_000)), 2);
        let r = f.finish(std::slice::from_ref(&p), SimTime(1_000_000_000), true);
        assert_eq!(r[0].billed_ms_provisioned, 3);
        // Only the on-demand instance counts in the live area (busy for the whole run).
        assert_eq!(r[0].live_area, 1e9);
    }

    #[test]
    fn live_area_covers_the_measured_interval_only() {
        let p = plan();
        let plans = std::slice::from_ref(&p);
        let mut f = Functions::new(plans, 1000);
        assert_eq!(f.admit(0, &p, SimTime(0), true), Admission::Cold);
        f.release(0, SimTime(10), false, Some(SimTime(0)), 0, false);
        // Measured from 100: the idle instance has 10 ns left of its keep-alive.
        f.reset_stats(plans, SimTime(100));
        assert_eq!(f.admit(0, &p, SimTime(200), true), Admission::Cold);
        f.release(0, SimTime(250), false, Some(SimTime(200)), 0, true);
        // Idle from 250 until 350, past the end at 300: 10 + 100.
        let r = f.finish(plans, SimTime(300), true);
        assert_eq!(r[0].live_area, 110.0);
    }

    #[test]
    fn async_retries_back_off_and_stop_after_six_hours() {
        assert_eq!(async_retry_delay(0, 0), Some(1_000_000_000));
        assert_eq!(async_retry_delay(3, 0), Some(8_000_000_000));
        assert_eq!(async_retry_delay(30, 0), Some(300_000_000_000));
        assert_eq!(async_retry_delay(30, 6 * 3600 * 1_000_000_000 - 1), None);
    }
}
