//! A circuit breaker with resilience4j's semantics: closed (calls recorded in a sliding window),
//! open (calls refused at once for `open`), half-open (`half_open` probe calls let through;
//! their failure and slow-call rates close or reopen it). The transition from open to half-open
//! happens at the first call after `open` has elapsed (resilience4j's default, no timer).
//!
//! # Complexity
//! O(1) per call with a count window; O(window seconds) per call with a time window.

use super::{BreakerPolicy, BreakerWindow};

/// The states of a breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BreakerState {
    /// Calls flow; outcomes are recorded.
    Closed,
    /// Calls are refused.
    Open,
    /// A few probe calls flow; their outcomes decide.
    HalfOpen,
}

impl BreakerState {
    /// The state's name in results.
    pub fn name(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half_open",
        }
    }
}

/// One state change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerChange {
    /// When \[ns\].
    pub t: u64,
    /// From.
    pub from: BreakerState,
    /// To.
    pub to: BreakerState,
}

/// Most changes a breaker keeps (older ones are counted, not kept).
pub const MAX_CHANGES: usize = 10_000;

/// Counts of one window slot.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    calls: u32,
    failed: u32,
    slow: u32,
}

/// A circuit breaker.
#[derive(Debug, Clone)]
pub struct Breaker {
    policy: BreakerPolicy,
    state: BreakerState,
    /// Incremented at every transition; tickets of calls admitted in an older state are ignored.
    generation: u32,
    open_until: u64,
    /// Half-open: probes admitted, finished, failed, slow.
    probes: u32,
    probe: Counts,
    /// Count window: outcomes as bits (1 = failed, 2 = slow), a ring.
    ring: Vec<u8>,
    ring_pos: usize,
    ring_len: usize,
    /// Time window: one slot per second, and the second of each.
    buckets: Vec<(u64, Counts)>,
    total: Counts,
    /// Changes, in order (at most [`MAX_CHANGES`]).
    pub changes: Vec<BreakerChange>,
    /// Transitions to open.
    pub opened: u64,
    /// Transitions to half-open.
    pub half_opened: u64,
}

impl Breaker {
    /// A closed breaker.
    pub fn new(policy: BreakerPolicy) -> Self {
        let (ring, buckets) = match policy.window {
            BreakerWindow::Calls(n) => (vec![0u8; n.max(1) as usize], Vec::new()),
            BreakerWindow::Time(d) => {
                let secs = d.div_ceil(1_000_000_000).max(1) as usize;
                (Vec::new(), vec![(u64::MAX, Counts::default()); secs])
            }
        };
        Breaker {
            policy,
            state: BreakerState::Closed,
            generation: 1,
            open_until: 0,
            probes: 0,
            probe: Counts::default(),
            ring,
            ring_pos: 0,
            ring_len: 0,
            buckets,
            total: Counts::default(),
            changes: Vec::new(),
            opened: 0,
            half_opened: 0,
        }
    }

    /// The current state.
    pub fn state(&self) -> BreakerState {
        self.state
    }

    fn go(&mut self, now: u64, to: BreakerState) {
        if self.changes.len() < MAX_CHANGES {
            self.changes.push(BreakerChange {
                t: now,
                from: self.state,
                to,
            });
        }
        self.state = to;
        self.generation = self.generation.wrapping_add(1).max(1);
        match to {
            BreakerState::Open => {
                self.opened += 1;
                self.open_until = now.saturating_add(self.policy.open);
            }
            BreakerState::HalfOpen => {
                self.half_opened += 1;
                self.probes = 0;
                self.probe = Counts::default();
            }
            BreakerState::Closed => {
                self.ring_pos = 0;
                self.ring_len = 0;
                self.ring.iter_mut().for_each(|b| *b = 0);
                self.buckets
                    .iter_mut()
                    .for_each(|b| *b = (u64::MAX, Counts::default()));
                self.total = Counts::default();
            }
        }
    }

    /// A call wants through at `now`: its ticket, or `None` if refused (circuit open).
    pub fn try_acquire(&mut self, now: u64) -> Option<u32> {
        if self.state == BreakerState::Open {
            if now < self.open_until {
                return None;
            }
            self.go(now, BreakerState::HalfOpen);
        }
        if self.state == BreakerState::HalfOpen {
            if self.probes >= self.policy.half_open {
                return None;
            }
            self.probes += 1;
        }
        Some(self.generation)
    }

    /// Gives back a ticket whose call did not start after all.
    pub fn release(&mut self, ticket: u32) {
        if ticket == self.generation && self.state == BreakerState::HalfOpen {
            self.probes = self.probes.saturating_sub(1);
        }
    }

    fn rates(c: Counts) -> (f64, f64) {
        let n = c.calls.max(1) as f64;
        (c.failed as f64 / n, c.slow as f64 / n)
    }

    fn trips(&self, c: Counts) -> bool {
        let (f, s) = Self::rates(c);
        f >= self.policy.failure_rate || s >= self.policy.slow_call_rate
    }

    /// The call admitted with `ticket` ended at `now`.
    pub fn on_result(&mut self, now: u64, ticket: u32, failed: bool, elapsed: u64) {
        if ticket != self.generation {
            return;
        }
        let slow = elapsed > self.policy.slow_call;
        match self.state {
            BreakerState::Open => {}
            BreakerState::HalfOpen => {
                self.probe.calls += 1;
                self.probe.failed += failed as u32;
                self.probe.slow += slow as u32;
                if self.probe.calls >= self.policy.half_open {
                    let to = if self.trips(self.probe) {
                        BreakerState::Open
                    } else {
                        BreakerState::Closed
                    };
                    self.go(now, to);
                }
            }
            BreakerState::Closed => {
                self.record(now, failed, slow);
                if self.total.calls >= self.policy.min_calls && self.trips(self.total) {
                    self.go(now, BreakerState::Open);
                }
            }
        }
    }

    fn record(&mut self, now: u64, failed: bool, slow: bool) {
        let bits = failed as u8 | (slow as u8) << 1;
        if !self.ring.is_empty() {
            let n = self.ring.len();
            if self.ring_len == n {
                let old = self.ring[self.ring_pos];
                self.total.calls -= 1;
                self.total.failed -= (old & 1) as u32;
                self.total.slow -= (old >> 1) as u32;
            } else {
                self.ring_len += 1;
            }
            self.ring[self.ring_pos] = bits;
            self.ring_pos = (self.ring_pos + 1) % n;
        } else {
            let sec = now / 1_000_000_000;
            let n = self.buckets.len() as u64;
            // Expire the seconds that left the window.
            let mut total = Counts::default();
            for b in &mut self.buckets {
                if b.0 != u64::MAX && b.0 + n <= sec {
                    *b = (u64::MAX, Counts::default());
                }
            }
            let slot = &mut self.buckets[(sec % n) as usize];
            if slot.0 != sec {
                *slot = (sec, Counts::default());
            }
            slot.1.calls += 1;
            slot.1.failed += failed as u32;
            slot.1.slow += slow as u32;
            for b in &self.buckets {
                total.calls += b.1.calls;
                total.failed += b.1.failed;
                total.slow += b.1.slow;
            }
            self.total = total;
            return;
        }
        self.total.calls += 1;
        self.total.failed += failed as u32;
        self.total.slow += slow as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::breaker::DEFAULT_BREAKER;

    fn small() -> BreakerPolicy {
        BreakerPolicy {
            window: BreakerWindow::Calls(4),
            min_calls: 4,
            open: 100,
            half_open: 2,
            ..DEFAULT_BREAKER
        }
    }

    #[test]
    fn opens_half_opens_and_closes() {
        let mut b = Breaker::new(small());
        for t in 0..3 {
            let k = b.try_acquire(t).expect("admitted");
            b.on_result(t, k, true, 1);
        }
        assert_eq!(b.state(), BreakerState::Closed, "below min_calls");
        let k = b.try_acquire(3).expect("admitted");
        b.on_result(3, k, false, 1);
        // 3 failures of 4 = 75 % ≥ 50 %.
        assert_eq!(b.state(), BreakerState::Open);
        assert!(b.try_acquire(50).is_none());
        // After `open`: half-open, two probes, a third refused.
        let p1 = b.try_acquire(103).expect("admitted");
        let p2 = b.try_acquire(103).expect("admitted");
        assert!(b.try_acquire(103).is_none());
        assert_eq!(b.state(), BreakerState::HalfOpen);
        b.on_result(104, p1, false, 1);
        b.on_result(104, p2, false, 1);
        assert_eq!(b.state(), BreakerState::Closed);
        let states: Vec<_> = b.changes.iter().map(|c| (c.t, c.to)).collect();
        assert_eq!(
            states,
            vec![
                (3, BreakerState::Open),
                (103, BreakerState::HalfOpen),
                (104, BreakerState::Closed)
            ]
        );
    }

    #[test]
    fn failed_probe_reopens_and_stale_tickets_are_ignored() {
        let mut b = Breaker::new(small());
        let stale = b.try_acquire(0).expect("admitted");
        for t in 0..4 {
            let k = b.try_acquire(t).expect("admitted");
            b.on_result(t, k, true, 1);
        }
        assert_eq!(b.state(), BreakerState::Open);
        b.on_result(5, stale, false, 1);
        let p1 = b.try_acquire(200).expect("admitted");
        let p2 = b.try_acquire(200).expect("admitted");
        b.on_result(201, p1, true, 1);
        b.on_result(201, p2, false, 1);
        assert_eq!(b.state(), BreakerState::Open, "50 % of probes failed");
        assert_eq!(b.opened, 2);
        assert_eq!(b.half_opened, 1);
    }

    #[test]
    fn slow_calls_and_time_window() {
        let mut b = Breaker::new(BreakerPolicy {
            window: BreakerWindow::Time(2_000_000_000),
            slow_call_rate: 0.5,
            slow_call: 10,
            ..small()
        });
        // Three slow calls in second 0, then one fast in second 5: the old ones expired.
        for _ in 0..3 {
            let k = b.try_acquire(0).expect("admitted");
            b.on_result(0, k, false, 50);
        }
        let k = b.try_acquire(5_000_000_000).expect("admitted");
        b.on_result(5_000_000_000, k, false, 1);
        assert_eq!(b.state(), BreakerState::Closed);
        for _ in 0..3 {
            let k = b.try_acquire(5_000_000_001).expect("admitted");
            b.on_result(5_000_000_001, k, false, 50);
        }
        assert_eq!(b.state(), BreakerState::Open, "3 slow of 4");
    }
}
