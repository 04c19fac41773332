//! Circuit breakers on call edges, with resilience4j semantics: a sliding window of calls or
//! of time, failure and slow-call rates, open then half-open with probes. Defaults
//! (docs/sources.md row *resilience4j breaker*): failure rate 50 %, window 100 calls, minimum
//! 100 calls, open 60 s, 10 half-open probes.
//!
//! # Configuration
//!
//! `breaker = { window, failure_rate, slow_call_rate, slow_call, min_calls, open, half_open }`
//! on a call or in a unit's `resilience`; `breaker = {}` takes every default
//! ([`DEFAULT_BREAKER`], docs/sources.md row *resilience4j breaker*; the slow-call threshold
//! 100 % and duration 60 s are resilience4j's too). `window` is a number of calls (1 to
//! 1,000,000) or a duration (time-based, one-second buckets).
//!
//! # Files
//!
//! - `mod.rs`: the validated [`BreakerPolicy`] and its defaults.
//! - `raw.rs`: the TOML keys ([`raw::RawBreaker`], [`raw::BreakerWindowSpec`]).
//! - `resolve.rs`: raw → [`BreakerPolicy`], with located diagnostics.
//! - `state.rs`: the breaker of one call edge during a replication ([`Breaker`]).

pub mod raw;
pub(crate) mod resolve;

mod state;

pub use state::{Breaker, BreakerChange, BreakerState, MAX_CHANGES};

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
