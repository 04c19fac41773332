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

use statrs::distribution::{ContinuousCDF, StudentsT};

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

/// Family-wise level of [`transient_is_significant`]: the chance that a stationary series is
/// called transient, over all the truncation points MSER-5 chose among.
pub const TRANSIENT_ALPHA: f64 = 0.05;

/// Whether the truncation point `truncated` (values of `series`, a multiple of [`BATCH`],
/// as [`mser5`] returns it) marks a real transient in the measured part `series[from..]`,
/// rather than a stretch of noise that MSER-5 cut off.
///
/// On the batch means `Y_i` of [`BATCH`] values, from the first batch wholly measured (`b₀`)
/// to the last (n of them): the batches before the truncation batch `D` (n₁) and from `D` on
/// (n₂) are compared by
///
/// `|Ȳ₁ − Ȳ₂| / (σ̂·√(1/n₁ + 1/n₂)) > t(1 − α/(2K), ν)`
///
/// where σ̂² = Σ (Y_{i+1} − Y_i)² / (2(n − 1)) over the measured batches is the mean square
/// successive difference (von Neumann 1941), with ν = 2(n − 1)²/(3n − 4) degrees of freedom
/// (the chi-square fit of its variance); α = [`TRANSIENT_ALPHA`]; and K = ⌊m/2⌋ + 1 the
/// candidate truncation points MSER-5 chose among (Bonferroni). The noise is measured on the
/// whole measured part and by successive differences, which a level shift changes by one term
/// only: an estimate from the batches after `D` alone would be biased low exactly when MSER-5
/// picked `D` because they happen to agree (the false alarms of a single short replication).
/// False with fewer than 3 measured batches, none before `D`, or no noise at all.
///
/// # Complexity
/// O(n).
pub fn transient_is_significant(series: &[f64], from: usize, truncated: usize) -> bool {
    let y: Vec<f64> = series
        .chunks_exact(BATCH)
        .map(|c| c.iter().sum::<f64>() / BATCH as f64)
        .collect();
    let m = y.len();
    let (b0, d) = (from.div_ceil(BATCH), truncated / BATCH);
    if d <= b0 || d >= m || m - b0 < 3 || y.iter().any(|x| !x.is_finite()) {
        return false;
    }
    let measured = &y[b0..];
    let n = measured.len() as f64;
    let mssd = measured
        .windows(2)
        .map(|w| (w[1] - w[0]).powi(2))
        .sum::<f64>()
        / (2.0 * (n - 1.0));
    if mssd <= 0.0 {
        return false;
    }
    let nu = 2.0 * (n - 1.0).powi(2) / (3.0 * n - 4.0);
    let (before, after) = (&y[b0..d], &y[d..]);
    let (n1, n2) = (before.len() as f64, after.len() as f64);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let k = (m / 2 + 1) as f64;
    let crit = match StudentsT::new(0.0, 1.0, nu) {
        Ok(t) => t.inverse_cdf(1.0 - TRANSIENT_ALPHA / (2.0 * k)),
        Err(_) => return false,
    };
    (mean(before) - mean(after)).abs() > crit * (mssd * (1.0 / n1 + 1.0 / n2)).sqrt()
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
    fn a_step_is_significant_noise_is_not() {
        // A step of 10 noise widths over the first 100 values: significant from 0, not once
        // the warm-up covers it.
        let mut s = noise(500, 3);
        for x in s.iter_mut().take(100) {
            *x += 10.0;
        }
        let d = mser5(&s).expect("long enough");
        assert!(transient_is_significant(&s, 0, d));
        assert!(!transient_is_significant(&s, 100, d));
        // Independent noise: over 200 series, the rate of false calls stays near α = 5%
        // or below (Bonferroni is conservative): at most 20 (Binomial(200, 0.05) exceeds 19
        // with probability < 0.2%).
        let false_calls = (0..200)
            .filter(|&k| {
                let s = noise(200, 1000 + k);
                mser5(&s).is_some_and(|d| transient_is_significant(&s, 0, d))
            })
            .count();
        assert!(false_calls <= 20, "{false_calls} of 200");
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
