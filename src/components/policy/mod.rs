//! The policies of a call edge together: a call's own keys over its unit's `resilience`
//! defaults, and the order in which an attempt meets them — the bulkhead and the breaker
//! before it leaves, the breaker's bookkeeping, the retry decision and the fallback after it.
//!
//! The scenario holds the policies as plain data ([`CallPolicy`]); the policy component
//! (`sim.rs`) keeps one [`EdgeState`] per call edge that has a policy (indexed by the call
//! plan's policy index, `flow::topology::CallPlan::policy`) and asks it, at each attempt, whether the attempt may go
//! (breaker, bulkhead), how long to back off before the next one, and whether the retry budget
//! allows it. Nothing here knows about frames or events.
//!
//! # Configuration
//!
//! The policy keys of a call (`timeout`, `retry`, `breaker`, `bulkhead`, `fallback`) and a
//! unit's `resilience = { timeout, retry, breaker, bulkhead, fallback }` defaults for the calls
//! its operations make to other units and databases; a call's own keys win. No policy unless
//! written (docs/sources.md row *call defaults*). `fallback = "degraded"` is the one fallback.
//!
//! # Files
//!
//! - `mod.rs`: the validated [`CallPolicy`] and the state of one call edge ([`EdgeState`]).
//! - `raw.rs`: the TOML keys ([`raw::RawResilience`], [`raw::RawFallback`]).
//! - `resolve.rs`: a call's keys and a unit's `resilience` → [`CallPolicy`], with located
//!   diagnostics (through the retry, breaker and bulkhead resolvers).
//! - `sim.rs`: the policies of the call edges in a replication ([`Policies`]).
//! - `report.rs`: the call edges' counters and the breaker changes in the results
//!   ([`report::EdgeResult`], [`report::BreakerChangeResult`]).
//! - `estimate.rs`: none: call policies act on failures, which the estimate ignores.

pub mod estimate;
pub mod raw;
pub mod report;
pub(crate) mod resolve;
mod sim;

pub use sim::*;

use crate::components::breaker::{Breaker, BreakerPolicy};
use crate::components::bulkhead::Bulkhead;
use crate::components::retry::{BudgetState, RetryPolicy};

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

/// Runtime state of one call edge with policies.
#[derive(Debug, Clone)]
pub struct EdgeState {
    /// The edge's policies.
    pub policy: CallPolicy,
    /// Circuit breaker, if any.
    pub breaker: Option<Breaker>,
    /// Retry budget accounting, if the retry policy has a budget.
    pub budget: Option<BudgetState>,
    /// Bulkhead, if any.
    pub bulkhead: Option<Bulkhead>,
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
            bulkhead: policy.bulkhead.map(Bulkhead::new),
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
        if let Some(h) = &mut self.bulkhead {
            if h.full() {
                if let Some(b) = &mut self.breaker {
                    b.release(ticket);
                }
                return Err(Refusal::BulkheadFull);
            }
            h.enter();
        }
        if measuring {
            self.attempts += 1;
        }
        Ok(ticket)
    }

    /// An attempt admitted with `ticket` ended (`failed`, after `elapsed_ns`).
    pub fn on_attempt_end(&mut self, now_ns: u64, ticket: u32, failed: bool, elapsed_ns: u64) {
        if let Some(h) = &mut self.bulkhead {
            h.leave();
        }
        if let Some(b) = &mut self.breaker {
            b.on_result(now_ns, ticket, failed, elapsed_ns);
        }
    }

    /// An attempt admitted with `ticket` was lost with its caller (a crash): frees its
    /// bulkhead slot and breaker probe without recording an outcome.
    pub fn abandon(&mut self, ticket: u32) {
        if let Some(h) = &mut self.bulkhead {
            h.leave();
        }
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

/// Counters of one call edge with resilience policies over the measured interval.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct EdgeRep {
    /// Logical calls.
    pub calls: u64,
    /// Attempts sent (retries included; calls refused by an open breaker excluded).
    pub attempts: u64,
    /// Retries refused by the retry budget.
    pub budget_refused: u64,
    /// Calls answered by the fallback.
    pub degraded: u64,
    /// Transitions of the breaker to open (whole run).
    pub opened: u64,
    /// Transitions of the breaker to half-open (whole run).
    pub half_opened: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

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
