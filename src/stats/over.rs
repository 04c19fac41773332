//! Combining per-replication values: a scalar over replications ([`Stat::over`]), a series
//! averaged window by window ([`mean_series`]), and the ratio of two counts ([`ratio`]).

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

/// `a / b`, 0 when `b` is 0.
pub fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}
