//! The gateway's rate limit: a token bucket in front of the entry requests; a request finding
//! no token fails `rate_limited` (429).
//!
//! # Configuration
//!
//! `rate_limit = { rate, burst }` on a gateway: `rate` > 0 requests per second over the whole
//! gateway (required), `burst` ≥ 1 (default `rate`, at least 1: docs/sources.md row
//! *throttle*).
//!
//! # Files
//!
//! - `mod.rs`: the validated [`RateLimit`] and the [`TokenBucket`].
//! - `raw.rs`: the TOML keys ([`raw::RawRateLimit`]).
//! - `resolve.rs`: raw → [`RateLimit`], with located diagnostics.
//! - `sim.rs`: the rate limit in a replication ([`RateLimiter`]).
//! - `estimate.rs`: the admitted share of arrivals under the token bucket.

pub mod estimate;
pub mod raw;
pub(crate) mod resolve;
mod sim;

pub use sim::*;

/// A token bucket: `rate` tokens per second, at most `burst` stored (full at the start).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Tokens per second (> 0).
    pub rate: f64,
    /// Bucket size (≥ 1).
    pub burst: f64,
}

/// A token bucket (full at the start): `rate` tokens per second, at most `burst` kept; a
/// request takes one token or is refused.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate_per_ns: f64,
    burst: f64,
    tokens: f64,
    last: u64,
    /// Requests refused in the measured interval.
    pub refused: u64,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(r: RateLimit) -> TokenBucket {
        TokenBucket {
            rate_per_ns: r.rate / 1e9,
            burst: r.burst,
            tokens: r.burst,
            last: 0,
            refused: 0,
        }
    }

    /// Takes a token at `now`: `true` if the request is admitted.
    pub fn take(&mut self, now: u64, measuring: bool) -> bool {
        let dt = now.saturating_sub(self.last) as f64;
        self.last = now;
        self.tokens = (self.tokens + dt * self.rate_per_ns).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            if measuring {
                self.refused += 1;
            }
            false
        }
    }

    /// Time from `now` until the bucket holds a whole token \[ns\] (0 when it holds one), with
    /// no request taken meanwhile, plus 1 ns: what a `Retry-After` answer says.
    pub fn wait_ns(&self, now: u64) -> u64 {
        let dt = now.saturating_sub(self.last) as f64;
        let tokens = (self.tokens + dt * self.rate_per_ns).min(self.burst);
        if tokens >= 1.0 {
            0
        } else {
            // One nanosecond more than the exact time, so that rounding never leaves the bucket
            // a hair short of a token then.
            ((1.0 - tokens) / self.rate_per_ns).ceil() as u64 + 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_admits_burst_then_rate() {
        let mut b = TokenBucket::new(RateLimit {
            rate: 10.0,
            burst: 5.0,
        });
        // 100 requests at t = 0: the burst only.
        let first = (0..100).filter(|_| b.take(0, true)).count();
        assert_eq!(first, 5);
        // One request every 1 ms for 10 s: 10 per second get through.
        let later = (1..=10_000u64)
            .filter(|i| b.take(i * 1_000_000, true))
            .count();
        assert_eq!(later, 100);
    }

    #[test]
    fn wait_is_the_time_to_the_next_token() {
        let mut b = TokenBucket::new(RateLimit {
            rate: 10.0,
            burst: 1.0,
        });
        assert_eq!(b.wait_ns(0), 0);
        assert!(b.take(0, false));
        // 10 tokens per second: the next whole token 100 ms later (+1 ns, +1 ns of rounding).
        let w = b.wait_ns(0);
        assert!((100_000_001..=100_000_002).contains(&w), "{w}");
        let w = b.wait_ns(40_000_000);
        assert!((60_000_001..=60_000_002).contains(&w), "{w}");
        assert!(!b.take(40_000_000, false));
        assert!(b.take(100_000_001, false));
    }
}
