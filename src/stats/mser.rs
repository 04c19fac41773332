//! Warm-up detection by MSER-5 (White, 1997; White, Cobb & Spratt, 2000): the truncation point
//! of an output series that minimizes the marginal standard error of the mean of what is kept.
//!
//! The series is first reduced to batch means of [`BATCH`] consecutive values `Y_1 … Y_m`
//! (an incomplete last batch is dropped). For each candidate `d` in `0 ..= m/2` the statistic
//!
//! `MSER(d) = Σ_{i>d} (Y_i − Ȳ_d)² / (m − d)²`, with `Ȳ_d` the mean of `Y_{d+1} … Y_m`,
//!
//! is computed, and the `d` minimizing it (the first one on ties) gives the truncation point
//! `BATCH·d` (in values of the original series). Candidates beyond the first half are not
//! considered: a minimum there says the run is too short to tell, not where the transient ends.

/// Values per batch mean (the "5" of MSER-5).
pub const BATCH: usize = 5;

/// Fewest batches for which a truncation point is computed (below, [`mser5`] returns `None`).
pub const MIN_BATCHES: usize = 4;

/// The MSER-5 truncation point of `series`, as the number of leading values to discard, or
/// `None` when the series has fewer than [`MIN_BATCHES`] complete batches or a non-finite value.
///
/// # Complexity
/// O(n): suffix sums of the batch means and of their squares.
pub fn mser5(series: &[f64]) -> Option<usize> {
    let m = series.len() / BATCH;
    if m < MIN_BATCHES || series.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let y: Vec<f64> = series
        .chunks_exact(BATCH)
        .map(|c| c.iter().sum::<f64>() / BATCH as f64)
        .collect();
    // Suffix sums, accumulated from the end: s1[d] = Σ_{i≥d} y_i, s2[d] = Σ_{i≥d} y_i².
    let mut s1 = vec![0.0; m + 1];
    let mut s2 = vec![0.0; m + 1];
    for i in (0..m).rev() {
        s1[i] = s1[i + 1] + y[i];
        s2[i] = s2[i + 1] + y[i] * y[i];
    }
    let mut best = (f64::INFINITY, 0);
    for d in 0..=m / 2 {
        let k = (m - d) as f64;
        let mean = s1[d] / k;
        // Σ (y − ȳ)² = Σ y² − k ȳ², clamped at 0 against rounding.
        let ss = (s2[d] - k * mean * mean).max(0.0);
        let stat = ss / (k * k);
        if stat < best.0 {
            best = (stat, d);
        }
    }
    Some(best.1 * BATCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::StreamSeeder;
    use rand::Rng;

    fn noise(n: usize, seed: u64) -> Vec<f64> {
        let mut r = StreamSeeder::new(seed, 0).stream(0, 0);
        (0..n).map(|_| r.random::<f64>() - 0.5).collect()
    }

    #[test]
    fn finds_a_step_transient() {
        // 100 values at level 10 then 400 at level 0, unit-width noise: the truncation must
        // land on the change point (within one batch).
        let mut s = noise(500, 3);
        for x in s.iter_mut().take(100) {
            *x += 10.0;
        }
        let d = mser5(&s).expect("long enough");
        assert!((95..=105).contains(&d), "truncation {d}, expected 100");
    }

    #[test]
    fn finds_an_exponential_transient() {
        // y_t = 20·exp(−t/20) + noise: the bias is below the noise (0.29 sd) after about
        // t = 20·ln(20/0.29) ≈ 85; MSER truncates in the region where the decay is spent.
        let s: Vec<f64> = noise(1000, 5)
            .into_iter()
            .enumerate()
            .map(|(t, e)| 20.0 * (-(t as f64) / 20.0).exp() + e)
            .collect();
        let d = mser5(&s).expect("long enough");
        assert!((40..=150).contains(&d), "truncation {d}");
    }

    #[test]
    fn stationary_series_truncates_little() {
        let d = mser5(&noise(1000, 7)).expect("long enough");
        assert!(d < 250, "truncation {d} on a stationary series");
    }

    #[test]
    fn short_or_bad_series() {
        assert_eq!(mser5(&[1.0; 19]), None);
        assert!(mser5(&[1.0; 20]).is_some());
        assert_eq!(mser5(&[1.0; 20]), Some(0));
        let mut s = vec![1.0; 30];
        s[3] = f64::NAN;
        assert_eq!(mser5(&s), None);
    }
}
