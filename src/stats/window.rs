//! Latency samples of one time-series window, for its percentiles.

/// Latencies of one time-series window: every value up to [`WindowSample::CAP`], then a uniform
/// reservoir sample (Vitter's algorithm R) of that size. Memory stays bounded whatever the rate;
/// window percentiles from 4,096 samples are within a fraction of a percent in rank.
#[derive(Debug, Clone)]
pub struct WindowSample {
    buf: Vec<u64>,
    seen: u64,
}

impl WindowSample {
    /// Samples kept per window.
    pub const CAP: usize = 4096;

    /// An empty window.
    pub fn new() -> Self {
        WindowSample {
            buf: Vec::new(),
            seen: 0,
        }
    }

    /// Records one latency \[ns\]; `rng` draws the reservoir replacement once the window is full.
    #[inline]
    pub fn record<R: rand::Rng + ?Sized>(&mut self, v: u64, rng: &mut R) {
        self.seen += 1;
        if self.buf.len() < Self::CAP {
            self.buf.push(v);
        } else {
            let j = rng.random_range(0..self.seen);
            if (j as usize) < Self::CAP {
                self.buf[j as usize] = v;
            }
        }
    }

    /// The `q`-quantiles (nearest rank) of the window \[ns\] for each `q`, then clears it.
    /// Returns zeros for an empty window.
    pub fn take_quantiles<const N: usize>(&mut self, qs: [f64; N]) -> [u64; N] {
        let mut out = [0u64; N];
        if !self.buf.is_empty() {
            let n = self.buf.len();
            for (o, q) in out.iter_mut().zip(qs) {
                let rank = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
                let (_, v, _) = self.buf.select_nth_unstable(rank);
                *o = *v;
            }
        }
        self.buf.clear();
        self.seen = 0;
        out
    }
}

impl Default for WindowSample {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn window_quantiles_exact_below_cap() {
        let mut w = WindowSample::new();
        let mut r = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        for v in (1..=100).rev() {
            w.record(v, &mut r);
        }
        assert_eq!(w.take_quantiles([0.5, 0.99, 1.0]), [50, 99, 100]);
        assert_eq!(w.take_quantiles([0.5]), [0]);
    }

    #[test]
    fn window_reservoir_is_unbiased_enough() {
        let mut w = WindowSample::new();
        let mut r = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(2);
        for v in 0..1_000_000u64 {
            w.record(v, &mut r);
        }
        let [m] = w.take_quantiles([0.5]);
        // Median of 4096 uniform draws from 0..1e6: standard error ≈ 1e6 · 0.5/√4096 ≈ 7,800.
        assert!((m as f64 - 500_000.0).abs() < 40_000.0, "{m}");
    }
}
