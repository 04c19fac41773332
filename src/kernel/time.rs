use std::fmt;

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
