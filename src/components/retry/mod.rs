//! Retries on a call edge or at the client: attempts, exponential backoff with jitter
//! (Brooker, "Exponential Backoff and Jitter", AWS Architecture Blog) and retry budgets
//! (Finagle). Defaults (docs/sources.md, Resilience rows) follow the AWS SDK standard mode:
//! 3 attempts, full jitter, cap 20 s; a budget's floor follows Finagle (10 retries per second).
//!
//! # Configuration
//!
//! `retry = { attempts, base, cap, jitter, budget, min_per_s }` on a call, in a unit's
//! `resilience`, or on a workload entry (client retries); `retry = {}` takes every default:
//! `attempts` 3, `base` 1 s, `cap` 20 s, `jitter` full (docs/sources.md rows *AWS SDK standard
//! retries* and *jitter*), no budget, `min_per_s` 10 (docs/sources.md row *retry budgets*).
//! Limits: 1 to 100 attempts, `cap` ≥ `base`, `budget` 0 to 1, `min_per_s` only with `budget`.
//!
//! # Files
//!
//! - `mod.rs`: the validated [`RetryPolicy`] and its defaults, the backoff, the budget
//!   accounting ([`BudgetState`]).
//! - `raw.rs`: the TOML keys ([`raw::RawRetry`], [`raw::RawJitter`]).
//! - `resolve.rs`: raw → [`RetryPolicy`], with located diagnostics.
//! - `sim.rs`: client retries in a replication ([`ClientRetry`]).
//! - `report.rs`: the client retries' amplification in the results.
//! - `estimate.rs`: none: retries follow failures, which the estimate ignores.

pub mod estimate;
pub mod raw;
pub mod report;
pub(crate) mod resolve;
mod sim;

pub use sim::*;

use crate::kernel::Rng64;
use rand::Rng;

/// Jitter of the backoff between attempts (Brooker, "Exponential Backoff and Jitter", AWS
/// Architecture Blog; docs/sources.md row *jitter*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    /// `min(cap, base·2ⁿ)`.
    None,
    /// `random(0, min(cap, base·2ⁿ))`.
    Full,
    /// `t/2 + random(0, t/2)` with `t = min(cap, base·2ⁿ)`.
    Equal,
    /// `min(cap, random(base, 3·previous))`, the first previous sleep being `base`.
    Decorrelated,
}

/// A retry budget: over the last 10 s (Finagle's time to live), retries may not exceed
/// `ratio × calls + min_per_s × 10`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryBudget {
    /// Retries allowed per logical call (0 to 1).
    pub ratio: f64,
    /// Floor: retries per second always allowed.
    pub min_per_s: f64,
}

/// A retry policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (≥ 1).
    pub attempts: u32,
    /// Backoff base \[ns\].
    pub base: u64,
    /// Backoff cap \[ns\].
    pub cap: u64,
    /// Jitter.
    pub jitter: Jitter,
    /// Optional retry budget.
    pub budget: Option<RetryBudget>,
}

/// Default attempts (docs/sources.md row *AWS SDK standard retries*: 3 attempts).
pub const DEFAULT_ATTEMPTS: u32 = 3;
/// Default backoff base \[ns\]: 1 s, the unit of the AWS SDK standard mode's `rand(0,1) × 2^attempt`
/// seconds (docs/sources.md row *AWS SDK standard retries*).
pub const DEFAULT_BASE_NS: u64 = 1_000_000_000;
/// Default backoff cap \[ns\]: 20 s (docs/sources.md row *AWS SDK standard retries*).
pub const DEFAULT_CAP_NS: u64 = 20_000_000_000;
/// Default jitter: full (docs/sources.md rows *AWS SDK standard retries* and *jitter*).
pub const DEFAULT_JITTER: Jitter = Jitter::Full;
/// Default retry-budget ratio: 20 % (docs/sources.md row *retry budgets*: Envoy and Finagle 20 %).
pub const DEFAULT_BUDGET_RATIO: f64 = 0.2;
/// Default retry-budget floor: 10 retries per second (docs/sources.md row *retry budgets*: Finagle
/// 20 % + 10/s).
pub const DEFAULT_BUDGET_MIN_PER_S: f64 = 10.0;
/// Time to live of a retry budget's accounting \[s\] (Finagle's default TTL).
pub const BUDGET_TTL_S: usize = 10;

/// The sleep before retry number `n` (0 for the first retry), per `jitter`. `prev` is the
/// previous sleep (decorrelated jitter), `base` before the first.
pub fn backoff(p: &RetryPolicy, n: u32, prev: u64, rng: &mut Rng64) -> u64 {
    let exp = (p.base as f64 * 2f64.powi(n.min(62) as i32)).min(p.cap as f64);
    let s = match p.jitter {
        Jitter::None => exp,
        Jitter::Full => rng.random::<f64>() * exp,
        Jitter::Equal => exp / 2.0 + rng.random::<f64>() * exp / 2.0,
        Jitter::Decorrelated => {
            let lo = p.base as f64;
            let hi = (prev.max(p.base) as f64 * 3.0).max(lo);
            (lo + rng.random::<f64>() * (hi - lo)).min(p.cap as f64)
        }
    };
    (s + 0.5) as u64
}

/// Retry-budget accounting of one edge: calls and retries in one-second buckets over the last
/// [`BUDGET_TTL_S`] seconds.
#[derive(Debug, Clone, Default)]
pub struct BudgetState {
    calls: [u32; BUDGET_TTL_S],
    retries: [u32; BUDGET_TTL_S],
    second: u64,
}

impl BudgetState {
    fn rotate(&mut self, now_ns: u64) {
        let s = now_ns / 1_000_000_000;
        if s == self.second {
            return;
        }
        let gap = (s - self.second).min(BUDGET_TTL_S as u64);
        for k in 1..=gap {
            let i = ((self.second + k) % BUDGET_TTL_S as u64) as usize;
            self.calls[i] = 0;
            self.retries[i] = 0;
        }
        self.second = s;
    }

    /// A logical call starts.
    pub fn on_call(&mut self, now_ns: u64) {
        self.rotate(now_ns);
        self.calls[(self.second % BUDGET_TTL_S as u64) as usize] += 1;
    }

    /// Whether a retry is allowed now; if so it is counted.
    pub fn try_retry(&mut self, now_ns: u64, b: &RetryBudget) -> bool {
        self.rotate(now_ns);
        let calls: u64 = self.calls.iter().map(|&c| c as u64).sum();
        let retries: u64 = self.retries.iter().map(|&c| c as u64).sum();
        let allowed = b.ratio * calls as f64 + b.min_per_s * BUDGET_TTL_S as f64;
        if (retries + 1) as f64 <= allowed {
            self.retries[(self.second % BUDGET_TTL_S as u64) as usize] += 1;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::StreamSeeder;

    fn policy(jitter: Jitter) -> RetryPolicy {
        RetryPolicy {
            attempts: 5,
            base: 100,
            cap: 1000,
            jitter,
            budget: None,
        }
    }

    #[test]
    fn backoff_follows_brooker() {
        let mut rng = StreamSeeder::new(1, 0).stream(99, 0);
        let p = policy(Jitter::None);
        let seq: Vec<u64> = (0..5).map(|n| backoff(&p, n, 0, &mut rng)).collect();
        assert_eq!(seq, vec![100, 200, 400, 800, 1000]);
        let p = policy(Jitter::Full);
        for n in 0..5 {
            let s = backoff(&p, n, 0, &mut rng);
            assert!(s <= (100u64 << n).min(1000));
        }
        let p = policy(Jitter::Equal);
        for n in 0..5 {
            let t = (100u64 << n).min(1000);
            let s = backoff(&p, n, 0, &mut rng);
            assert!((t / 2..=t).contains(&s));
        }
        let p = policy(Jitter::Decorrelated);
        let mut prev = 100;
        for n in 0..20 {
            let s = backoff(&p, n, prev, &mut rng);
            assert!((100..=1000).contains(&s) && s <= 3 * prev.max(100));
            prev = s;
        }
    }

    #[test]
    fn budget_allows_ratio_plus_floor() {
        let b = RetryBudget {
            ratio: 0.2,
            min_per_s: 1.0,
        };
        let mut st = BudgetState::default();
        for _ in 0..100 {
            st.on_call(0);
        }
        // 0.2 × 100 + 1 × 10 = 30 retries within the TTL.
        let ok = (0..50).filter(|_| st.try_retry(0, &b)).count();
        assert_eq!(ok, 30);
        // Ten seconds later everything has expired: only the floor remains.
        let ok = (0..50).filter(|_| st.try_retry(20_000_000_000, &b)).count();
        assert_eq!(ok, 10);
    }
}
