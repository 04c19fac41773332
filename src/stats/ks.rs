//! Kolmogorov–Smirnov distances: the largest vertical gap between two cumulative distribution
//! functions, `D = sup_x |F(x) − G(x)|`, of a sample against a CDF and of two samples.

/// One-sample KS distance between `sorted` (ascending) samples and a CDF: the largest gap
/// between the empirical CDF (a step of `1/n` at each sample) and `cdf`, on either side of
/// each step. 0 for an empty sample.
pub fn ks(sorted: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

/// Two-sample KS distance between sorted (ascending) samples `a` and `b`: the largest gap
/// between their empirical CDFs, evaluated after every distinct value (ties step together).
/// 1 when either sample is empty (nothing can be said to agree).
pub fn ks2(a: &[f64], b: &[f64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut d) = (0usize, 0usize, 0.0f64);
    while i < a.len() && j < b.len() {
        let x = a[i].min(b[j]);
        while i < a.len() && a[i] <= x {
            i += 1;
        }
        while j < b.len() && b[j] <= x {
            j += 1;
        }
        d = d.max((i as f64 / a.len() as f64 - j as f64 / b.len() as f64).abs());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sample_distance_of_a_uniform_grid() {
        // x_i = (i + 0.5)/n against U(0,1): the distance is exactly 0.5/n.
        let xs: Vec<f64> = (0..10).map(|i| (i as f64 + 0.5) / 10.0).collect();
        assert!((ks(&xs, |x| x) - 0.05).abs() < 1e-12);
    }

    #[test]
    fn two_sample_distance_computed_by_hand() {
        // a = {1, 2, 3, 4}, b = {3, 4, 5, 6, 7}. Empirical CDFs after each distinct value:
        //   x:    1     2     3     4     5     6     7
        //   F_a: .25   .5    .75   1     1     1     1
        //   F_b:  0     0    .2    .4    .6    .8    1
        //   gap: .25   .5    .55   .6    .4    .2    0   → D = 0.6
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [3.0, 4.0, 5.0, 6.0, 7.0];
        assert!((ks2(&a, &b) - 0.6).abs() < 1e-12);
        assert!((ks2(&b, &a) - 0.6).abs() < 1e-12);
        assert!(ks2(&a, &a).abs() < 1e-12);
        // Disjoint samples: 1; an empty one: 1.
        assert!((ks2(&[1.0], &[2.0]) - 1.0).abs() < 1e-12);
        assert!((ks2(&[], &b) - 1.0).abs() < 1e-12);
    }
}
