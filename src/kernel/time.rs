use std::fmt;

/// The clock's range for anything written in a model: 10 years \[ns\].
pub const MAX_SPAN_NS: f64 = 10.0 * 365.25 * 24.0 * 3600.0 * 1e9;

/// Lowest positive arrival rate: one arrival in [`MAX_SPAN_NS`] \[1/s\]. A positive rate below
/// it rounds to no arrival at all and is refused (0 says "none").
pub const MIN_RATE: f64 = 1e9 / MAX_SPAN_NS;

/// The message for a positive rate below [`MIN_RATE`], or `None` when `rate` is 0 or at least
/// [`MIN_RATE`].
pub fn rate_rounding(rate: f64) -> Option<String> {
    (rate > 0.0 && rate < MIN_RATE).then(|| {
        format!(
            "a rate of {rate:e} per second means one arrival every {:.1e} s, beyond the clock's range of 10 years: it rounds to no arrivals at all",
            1.0 / rate
        )
    })
}

/// Simulated time: an integer count of nanoseconds since the start of the run.
///
/// Never a float, so ordering is exact and runs are reproducible bit for bit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

impl SimTime {
    /// The start of the run.
    pub const ZERO: SimTime = SimTime(0);
    /// Nanoseconds in one second.
    pub const NS_PER_S: u64 = 1_000_000_000;

    /// This instant in nanoseconds.
    #[inline]
    pub fn ns(self) -> u64 {
        self.0
    }

    /// This instant in seconds (for reporting only).
    #[inline]
    pub fn secs_f64(self) -> f64 {
        self.0 as f64 / Self::NS_PER_S as f64
    }

    /// `self + ns`, saturating at the end of representable time.
    #[inline]
    pub fn after(self, ns: u64) -> SimTime {
        SimTime(self.0.saturating_add(ns))
    }

    /// Nanoseconds elapsed since `earlier` (0 if `earlier` is later).
    #[inline]
    pub fn since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.9}s", self.secs_f64())
    }
}
