//! Bulkheads on call edges: at most `max` attempts in flight at once on the edge; an attempt
//! over the limit fails at once with `rejected`, attributed to the protected dependency.
//! Given as `true`, the size follows Hystrix (docs/sources.md row *Hystrix*: pool 10).
//!
//! # Configuration
//!
//! `bulkhead = N` (1 to 1,000,000) or `bulkhead = true` ([`DEFAULT_BULKHEAD`]) on a call or in
//! a unit's `resilience`.
//!
//! # Files
//!
//! - `mod.rs`: the default size and the attempts in flight on an edge ([`Bulkhead`]).
//! - `raw.rs`: the TOML value ([`raw::Bulkhead`]).
//! - `resolve.rs`: raw → the size, with located diagnostics.

pub mod raw;
pub(crate) mod resolve;

/// Default bulkhead size when given as `true` (docs/sources.md row *Hystrix*: pool 10).
pub const DEFAULT_BULKHEAD: u32 = 10;

/// The attempts in flight on one call edge with a bulkhead.
#[derive(Debug, Clone, Copy)]
pub struct Bulkhead {
    max: u32,
    inflight: u32,
}

impl Bulkhead {
    /// An empty bulkhead admitting `max` attempts at once.
    pub fn new(max: u32) -> Bulkhead {
        Bulkhead { max, inflight: 0 }
    }

    /// Whether a new attempt would exceed the bulkhead.
    #[inline]
    pub fn full(&self) -> bool {
        self.inflight >= self.max
    }

    /// An attempt enters.
    #[inline]
    pub fn enter(&mut self) {
        self.inflight += 1;
    }

    /// An attempt leaves (ended, or lost with its caller).
    #[inline]
    pub fn leave(&mut self) {
        self.inflight = self.inflight.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_up_to_max() {
        let mut b = Bulkhead::new(2);
        b.enter();
        b.enter();
        assert!(b.full());
        b.leave();
        assert!(!b.full());
        b.leave();
        b.leave();
        b.enter();
        b.enter();
        assert!(b.full());
    }
}
