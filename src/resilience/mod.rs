//! Resilience policies on call edges and units: retries with exponential backoff and jitter,
//! retry budgets, circuit breakers, bulkheads, fallbacks and load shedding.
//!
//! The scenario holds the policies as plain data ([`CallPolicy`], [`ShedPolicy`], …); the engine
//! keeps one [`EdgeState`] per call edge that has a policy (indexed by the call plan's policy
//! index, see `model::CallPlan::policy`) and asks it, at each attempt, whether the attempt may go
//! (breaker, bulkhead), how long to back off before the next one, and whether the retry budget
//! allows it. Nothing here knows about frames or events.
//!
//! Defaults (docs/sources.md, Resilience rows): retries follow the AWS SDK standard mode (3 attempts,
//! full jitter, cap 20 s); breakers follow resilience4j (failure rate 50 %, window 100 calls,
//! minimum 100 calls, open 60 s, 10 half-open probes); a retry budget's floor follows Finagle
//! (10 retries per second); a bulkhead given as `true` follows Hystrix (pool of 10).

mod breaker;

pub use breaker::{Breaker, BreakerChange, BreakerState, MAX_CHANGES};

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
/// Default bulkhead size when given as `true` (docs/sources.md row *Hystrix*: pool 10).
pub const DEFAULT_BULKHEAD: u32 = 10;
/// Time to live of a retry budget's accounting \[s\] (Finagle's default TTL).
pub const BUDGET_TTL_S: usize = 10;

/// How a sliding window of a circuit breaker is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerWindow {
    /// The last `n` calls.
    Calls(u32),
    /// The calls of the last `d` nanoseconds, in one-second buckets.
    Time(u64),
}

/// A circuit breaker (resilience4j semantics).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakerPolicy {
    /// Sliding window.
    pub window: BreakerWindow,
    /// Opens when the failure rate over the window reaches this (0 to 1].
    pub failure_rate: f64,
    /// Opens when the share of slow calls reaches this (0 to 1]; 1 with no slow calls defined.
    pub slow_call_rate: f64,
    /// A call slower than this is slow \[ns\].
    pub slow_call: u64,
    /// Calls needed in the window before any rate is evaluated.
    pub min_calls: u32,
    /// Time spent open before half-open \[ns\].
    pub open: u64,
    /// Calls let through in half-open; their outcome decides.
    pub half_open: u32,
}

/// resilience4j defaults (docs/sources.md row *resilience4j breaker*; the slow-call defaults are
/// resilience4j's too: threshold 100 %, duration 60 s).
pub const DEFAULT_BREAKER: BreakerPolicy = BreakerPolicy {
    window: BreakerWindow::Calls(100),
    failure_rate: 0.5,
    slow_call_rate: 1.0,
    slow_call: 60_000_000_000,
    min_calls: 100,
    open: 60_000_000_000,
    half_open: 10,
};

/// What a call that finally failed turns into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// A degraded success: the caller goes on; counted as `degraded` in the results.
    Degraded,
}

/// Every policy of one call edge (a call's own keys over its unit's `resilience` defaults).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CallPolicy {
    /// Per-attempt timeout \[ns\].
    pub timeout: Option<u64>,
    /// Retries.
    pub retry: Option<RetryPolicy>,
    /// Circuit breaker.
    pub breaker: Option<BreakerPolicy>,
    /// Most attempts in flight at once on the edge.
    pub bulkhead: Option<u32>,
    /// What a final failure turns into.
    pub fallback: Option<Fallback>,
}

impl CallPolicy {
    /// Whether any policy other than the timeout is set.
    pub fn is_active(&self) -> bool {
        self.retry.is_some()
            || self.breaker.is_some()
            || self.bulkhead.is_some()
            || self.fallback.is_some()
    }

    /// `self` with every unset field taken from `defaults`.
    pub fn or(&self, defaults: &CallPolicy) -> CallPolicy {
        CallPolicy {
            timeout: self.timeout.or(defaults.timeout),
            retry: self.retry.or(defaults.retry),
            breaker: self.breaker.or(defaults.breaker),
            bulkhead: self.bulkhead.or(defaults.bulkhead),
            fallback: self.fallback.or(defaults.fallback),
        }
    }
}

/// Load shedding on a unit: an arriving request that would have to queue is rejected with
/// reason `shed` when the expected wait exceeds `max_wait`. The expected wait is estimated by
/// the wait so far of the oldest request in the queue (a lower bound of what a newcomer faces
/// under FIFO when service is steady; the signal CoDel uses).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShedPolicy {
    /// Bound on the queue wait \[ns\].
    pub max_wait: u64,
}

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

/// Runtime state of one call edge with policies.
#[derive(Debug, Clone)]
pub struct EdgeState {
    /// The edge's policies.
    pub policy: CallPolicy,
    /// Circuit breaker, if any.
    pub breaker: Option<Breaker>,
    /// Retry budget accounting, if the retry policy has a budget.
    pub budget: Option<BudgetState>,
    /// Attempts in flight (bulkhead).
    pub inflight: u32,
    /// Logical calls started in the measured interval.
    pub calls: u64,
    /// Attempts started in the measured interval (a retry is one more attempt).
    pub attempts: u64,
    /// Retries refused by the budget in the measured interval.
    pub budget_refused: u64,
    /// Calls turned into degraded successes by the fallback in the measured interval.
    pub degraded: u64,
}

/// Why an attempt may not start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The breaker is open (or half-open with every probe taken).
    CircuitOpen,
    /// The bulkhead is full.
    BulkheadFull,
}

impl EdgeState {
    /// Fresh state for `policy`.
    pub fn new(policy: CallPolicy) -> Self {
        EdgeState {
            policy,
            breaker: policy.breaker.map(Breaker::new),
            budget: policy
                .retry
                .and_then(|r| r.budget)
                .map(|_| BudgetState::default()),
            inflight: 0,
            calls: 0,
            attempts: 0,
            budget_refused: 0,
            degraded: 0,
        }
    }

    /// A logical call starts at `now`.
    pub fn on_call(&mut self, now_ns: u64, measuring: bool) {
        if measuring {
            self.calls += 1;
        }
        if let Some(b) = &mut self.budget {
            b.on_call(now_ns);
        }
    }

    /// An attempt wants to start: returns the breaker ticket (0 without breaker), or why not.
    pub fn try_attempt(&mut self, now_ns: u64, measuring: bool) -> Result<u32, Refusal> {
        let ticket = match &mut self.breaker {
            Some(b) => b.try_acquire(now_ns).ok_or(Refusal::CircuitOpen)?,
            None => 0,
        };
        if let Some(max) = self.policy.bulkhead {
            if self.inflight >= max {
                if let Some(b) = &mut self.breaker {
                    b.release(ticket);
                }
                return Err(Refusal::BulkheadFull);
            }
        }
        self.inflight += 1;
        if measuring {
            self.attempts += 1;
        }
        Ok(ticket)
    }

    /// An attempt admitted with `ticket` ended (`failed`, after `elapsed_ns`).
    pub fn on_attempt_end(&mut self, now_ns: u64, ticket: u32, failed: bool, elapsed_ns: u64) {
        self.inflight = self.inflight.saturating_sub(1);
        if let Some(b) = &mut self.breaker {
            b.on_result(now_ns, ticket, failed, elapsed_ns);
        }
    }

    /// An attempt admitted with `ticket` was lost with its caller (a crash): frees its
    /// bulkhead slot and breaker probe without recording an outcome.
    pub fn abandon(&mut self, ticket: u32) {
        self.inflight = self.inflight.saturating_sub(1);
        if let Some(b) = &mut self.breaker {
            b.release(ticket);
        }
    }

    /// Whether retry number `n` (0 = the first retry) is allowed by attempts and budget.
    pub fn may_retry(&mut self, now_ns: u64, n: u32, measuring: bool) -> bool {
        let Some(r) = self.policy.retry else {
            return false;
        };
        if n + 1 >= r.attempts {
            return false;
        }
        match (&mut self.budget, &r.budget) {
            (Some(st), Some(b)) => {
                let ok = st.try_retry(now_ns, b);
                if !ok && measuring {
                    self.budget_refused += 1;
                }
                ok
            }
            _ => true,
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

    #[test]
    fn bulkhead_limits_inflight() {
        let mut e = EdgeState::new(CallPolicy {
            bulkhead: Some(2),
            ..CallPolicy::default()
        });
        assert!(e.try_attempt(0, true).is_ok());
        assert!(e.try_attempt(0, true).is_ok());
        assert_eq!(e.try_attempt(0, true), Err(Refusal::BulkheadFull));
        e.on_attempt_end(1, 0, false, 1);
        assert!(e.try_attempt(1, true).is_ok());
        assert_eq!(e.attempts, 3);
    }
}
