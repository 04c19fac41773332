//! Why a request failed: the reason codes of the results' `failed_by_reason`.

/// Why a request failed. The names (see [`Reason::name`]) are the keys of `failed_by_reason`
/// in the results and are fixed by the file-format contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Reason {
    /// The queue of a unit was full.
    Rejected = 1,
    /// A client or call timeout expired.
    Timeout,
    /// Serverless concurrency limit (429).
    Throttled,
    /// Gateway rate limit (429).
    RateLimited,
    /// The instance crashed with the request in it.
    Crashed,
    /// An injected or modelled error.
    Error,
    /// A circuit breaker was open.
    CircuitOpen,
    /// No database connection within the acquire timeout.
    PoolTimeout,
    /// A serverless invocation ran past its maximum duration.
    MaxDuration,
    /// Load shedding.
    Shed,
    /// A transaction waited longer than its lock timeout for a lock.
    LockTimeout,
}

impl Reason {
    /// Every reason, in code order.
    pub const ALL: [Reason; Reason::COUNT] = [
        Reason::Rejected,
        Reason::Timeout,
        Reason::Throttled,
        Reason::RateLimited,
        Reason::Crashed,
        Reason::Error,
        Reason::CircuitOpen,
        Reason::PoolTimeout,
        Reason::MaxDuration,
        Reason::Shed,
        Reason::LockTimeout,
    ];

    /// Number of reasons.
    pub const COUNT: usize = 11;

    /// The reason's key in results.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Rejected => "rejected",
            Reason::Timeout => "timeout",
            Reason::Throttled => "throttled",
            Reason::RateLimited => "rate_limited",
            Reason::Crashed => "crashed",
            Reason::Error => "error",
            Reason::CircuitOpen => "circuit_open",
            Reason::PoolTimeout => "pool_timeout",
            Reason::MaxDuration => "max_duration",
            Reason::Shed => "shed",
            Reason::LockTimeout => "lock_timeout",
        }
    }

    /// Index into a `[_; Reason::COUNT]` counter array.
    #[inline]
    pub fn index(self) -> usize {
        self as usize - 1
    }

    /// The reason with code `code` (1-based), if any.
    pub fn from_code(code: u8) -> Option<Reason> {
        Reason::ALL.get((code as usize).checked_sub(1)?).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_codes_round_trip() {
        for r in Reason::ALL {
            assert_eq!(Reason::from_code(r as u8), Some(r));
        }
        assert_eq!(Reason::from_code(0), None);
        assert_eq!(Reason::from_code(Reason::COUNT as u8 + 1), None);
    }
}
