//! Fitting a distribution to measured times, with its Kolmogorov–Smirnov distance.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Gamma};

/// Which distribution to write for measured times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FitChoice {
    /// The better (smaller KS distance) of log-normal and gamma, unless the KS test rejects both
    /// at the 1% level with at least 20 samples: then the empirical distribution.
    #[default]
    Auto,
    /// Log-normal with the samples' mean and coefficient of variation.
    Lognormal,
    /// Gamma with the samples' mean and coefficient of variation.
    Gamma,
    /// The samples themselves (at most 200 quantiles).
    Empirical,
}

impl std::str::FromStr for FitChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<FitChoice, String> {
        match s {
            "auto" => Ok(FitChoice::Auto),
            "lognormal" => Ok(FitChoice::Lognormal),
            "gamma" => Ok(FitChoice::Gamma),
            "empirical" => Ok(FitChoice::Empirical),
            _ => Err(format!(
                "unknown fit `{s}`: expected auto, lognormal, gamma or empirical"
            )),
        }
    }
}

/// A fitted distribution of times in seconds.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(tag = "dist", rename_all = "snake_case")]
#[schemars(rename = "FittedDistribution")]
pub enum Fitted {
    /// Every sample equal (or a single sample).
    Const {
        /// The value, s.
        value: f64,
    },
    /// Log-normal by mean and cv.
    Lognormal {
        /// Mean, s.
        mean: f64,
        /// Coefficient of variation.
        cv: f64,
    },
    /// Gamma by mean and cv.
    Gamma {
        /// Mean, s.
        mean: f64,
        /// Coefficient of variation.
        cv: f64,
    },
    /// Samples, s.
    Empirical {
        /// The samples.
        samples: Vec<f64>,
    },
}

/// A fit and its quality.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TimeFit")]
pub struct Fit {
    /// What is written.
    pub dist: Fitted,
    /// Number of samples.
    pub n: usize,
    /// Sample mean, s.
    pub mean: f64,
    /// Sample coefficient of variation.
    pub cv: f64,
    /// KS distance of the log-normal fit to the samples.
    pub ks_lognormal: f64,
    /// KS distance of the gamma fit to the samples.
    pub ks_gamma: f64,
    /// The KS test's 1% critical value for `n` samples (1.628 / √n).
    pub ks_critical_1pct: f64,
}

impl Fitted {
    /// The mean, s.
    pub fn mean(&self) -> f64 {
        match self {
            Fitted::Const { value } => *value,
            Fitted::Lognormal { mean, .. } | Fitted::Gamma { mean, .. } => *mean,
            Fitted::Empirical { samples } => {
                samples.iter().sum::<f64>() / samples.len().max(1) as f64
            }
        }
    }

    /// The same shape scaled by `k` (a demand or a time adjusted by a factor).
    pub fn scaled(&self, k: f64) -> Fitted {
        match self {
            Fitted::Const { value } => Fitted::Const { value: value * k },
            Fitted::Lognormal { mean, cv } => Fitted::Lognormal {
                mean: mean * k,
                cv: *cv,
            },
            Fitted::Gamma { mean, cv } => Fitted::Gamma {
                mean: mean * k,
                cv: *cv,
            },
            Fitted::Empirical { samples } => Fitted::Empirical {
                samples: samples.iter().map(|x| x * k).collect(),
            },
        }
    }

    /// The scenario file's text of the distribution.
    pub fn toml(&self) -> String {
        match self {
            Fitted::Const { value } => format!("\"{}\"", dur(*value)),
            Fitted::Lognormal { mean, cv } => format!(
                "{{ dist = \"lognormal\", mean = \"{}\", cv = {} }}",
                dur(*mean),
                round4(*cv)
            ),
            Fitted::Gamma { mean, cv } => format!(
                "{{ dist = \"gamma\", mean = \"{}\", cv = {} }}",
                dur(*mean),
                round4(*cv)
            ),
            Fitted::Empirical { samples } => {
                let s: Vec<String> = samples.iter().map(|x| format!("\"{}\"", dur(*x))).collect();
                format!("{{ dist = \"empirical\", samples = [{}] }}", s.join(", "))
            }
        }
    }
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// A duration in seconds as scenario text, in microseconds to the nanosecond.
pub fn dur(s: f64) -> String {
    let ns = (s.max(0.0) * 1e9).round();
    if ns >= 1e9 && ns % 1e9 == 0.0 {
        return format!("{}s", ns / 1e9);
    }
    if ns >= 1e6 && ns % 1e6 == 0.0 {
        return format!("{}ms", ns / 1e6);
    }
    let us = ns / 1e3;
    let t = format!("{us:.3}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    format!("{t}us")
}

/// Fits `samples` (seconds, at least one) as `choice` says.
pub fn fit(samples: &[f64], choice: FitChoice) -> Fit {
    let mut xs: Vec<f64> = samples.iter().map(|x| x.max(0.0)).collect();
    xs.sort_by(f64::total_cmp);
    let n = xs.len().max(1);
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = if xs.len() > 1 {
        xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64
    } else {
        0.0
    };
    let cv = if mean > 0.0 { var.sqrt() / mean } else { 0.0 };
    let critical = 1.628 / (n as f64).sqrt();
    if mean <= 0.0 || cv < 1e-9 {
        return Fit {
            dist: Fitted::Const { value: mean },
            n: xs.len(),
            mean,
            cv,
            ks_lognormal: 0.0,
            ks_gamma: 0.0,
            ks_critical_1pct: critical,
        };
    }
    let s2 = (1.0 + cv * cv).ln();
    let (mu, sigma) = (mean.ln() - s2 / 2.0, s2.sqrt());
    let ks_ln = ks(&xs, |x| {
        if x <= 0.0 {
            0.0
        } else {
            0.5 * (1.0 + erf((x.ln() - mu) / (sigma * std::f64::consts::SQRT_2)))
        }
    });
    let shape = 1.0 / (cv * cv);
    let ks_g = match Gamma::new(shape, shape / mean) {
        Ok(g) => ks(&xs, |x| g.cdf(x)),
        Err(_) => 1.0,
    };
    let ln = Fitted::Lognormal { mean, cv };
    let ga = Fitted::Gamma { mean, cv };
    let dist = match choice {
        FitChoice::Lognormal => ln,
        FitChoice::Gamma => ga,
        FitChoice::Empirical => empirical(&xs),
        FitChoice::Auto => {
            if xs.len() >= 20 && ks_ln.min(ks_g) > critical {
                empirical(&xs)
            } else if ks_ln <= ks_g {
                ln
            } else {
                ga
            }
        }
    };
    Fit {
        dist,
        n: xs.len(),
        mean,
        cv,
        ks_lognormal: ks_ln,
        ks_gamma: ks_g,
        ks_critical_1pct: critical,
    }
}

/// At most 200 samples: the (i + 0.5)/200 quantiles when there are more.
fn empirical(sorted: &[f64]) -> Fitted {
    const MAX: usize = 200;
    if sorted.len() <= MAX {
        return Fitted::Empirical {
            samples: sorted.to_vec(),
        };
    }
    let n = sorted.len();
    Fitted::Empirical {
        samples: (0..MAX)
            .map(|i| sorted[((i as f64 + 0.5) / MAX as f64 * n as f64) as usize])
            .collect(),
    }
}

pub use crate::stats::{ks, ks2};

fn erf(x: f64) -> f64 {
    statrs::function::erf::erf(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_samples_fit_a_constant() {
        let f = fit(&[0.002, 0.002, 0.002], FitChoice::Auto);
        assert!(matches!(f.dist, Fitted::Const { value } if (value - 0.002).abs() < 1e-15));
        assert_eq!(f.dist.toml(), "\"2ms\"");
    }

    #[test]
    fn durations_print_to_the_nanosecond() {
        assert_eq!(dur(0.0015), "1500us");
        assert_eq!(dur(60.0), "60s");
        assert_eq!(dur(0.25), "250ms");
        assert_eq!(dur(1.234_567_8e-3), "1234.568us");
        assert_eq!(dur(0.0), "0us");
    }
}
