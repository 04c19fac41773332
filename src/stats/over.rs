//! Combining per-replication values: a scalar over replications ([`Stat::over`]), a series
//! averaged window by window ([`mean_series`], [`mean_present_series`] where windows may be
//! empty), and the ratio of two counts ([`ratio`]).

use super::Stat;

impl Stat {
    /// The [`Stat`] of `f` over `items` (one sample per item, in order).
    ///
    /// # Complexity
    /// O(n).
    pub fn over<T>(items: &[T], f: impl Fn(&T) -> f64) -> Stat {
        let xs: Vec<f64> = items.iter().map(f).collect();
        Stat::from_samples(&xs)
    }
}

/// The window-by-window mean of the series `get` returns for each of `items`, over the windows
/// every one of them has.
///
/// # Complexity
/// O(n × windows).
pub fn mean_series<T>(items: &[T], get: impl Fn(&T) -> &Vec<f64>) -> Vec<f64> {
    let len = items.iter().map(|r| get(r).len()).min().unwrap_or(0);
    (0..len)
        .map(|i| items.iter().map(|r| get(r)[i]).sum::<f64>() / items.len() as f64)
        .collect()
}

/// The window-by-window mean of the series `get` returns for each of `items`, over the windows
/// every one of them has, counting in each window only the items with a value there (a `NaN`
/// marks an empty window: no request completed in it, so it has no latency); `None` where no
/// item has one.
///
/// # Complexity
/// O(n × windows).
pub fn mean_present_series<T>(items: &[T], get: impl Fn(&T) -> &Vec<f64>) -> Vec<Option<f64>> {
    let len = items.iter().map(|r| get(r).len()).min().unwrap_or(0);
    (0..len)
        .map(|i| {
            let (sum, n) = items
                .iter()
                .map(|r| get(r)[i])
                .filter(|x| !x.is_nan())
                .fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
            (n > 0).then(|| sum / n as f64)
        })
        .collect()
}

/// `a / b`, 0 when `b` is 0.
pub fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_windows_are_left_out_of_the_mean() {
        let nan = f64::NAN;
        let reps = vec![vec![1.0, nan, nan, 4.0], vec![3.0, 2.0, nan]];
        assert_eq!(
            mean_present_series(&reps, |r| r),
            vec![Some(2.0), Some(2.0), None]
        );
    }
}
