//! Probability distributions of durations, validated and ready to sample.
//!
//! The scenario format speaks in mean and coefficient of variation (`cv`); this module converts
//! those user-facing parameters to each distribution's native ones once, at construction, so that
//! sampling on the hot path is a few arithmetic operations.
//!
//! All values are in nanoseconds (`f64`); [`Dist::sample_ns`] rounds to an integer nanosecond
//! count.

use rand::Rng;
use rand_distr::{Distribution, Exp1, Gamma, StandardNormal};

/// A validated distribution of a non-negative duration, in nanoseconds (`Default`: always 0).
#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    /// Always the same value \[ns\].
    Const(f64),
    /// Exponential with the given mean \[ns\].
    Exp {
        /// mean \[ns\]
        mean: f64,
    },
    /// Log-normal with the given mean \[ns\] and coefficient of variation (σ/μ of the variable
    /// itself, not of its logarithm).
    LogNormal {
        /// mean \[ns\]
        mean: f64,
        /// coefficient of variation (dimensionless, > 0)
        cv: f64,
        /// μ of the underlying normal
        mu: f64,
        /// σ of the underlying normal
        sigma: f64,
    },
    /// Gamma with the given mean \[ns\] and coefficient of variation.
    Gamma {
        /// mean \[ns\]
        mean: f64,
        /// coefficient of variation (dimensionless, > 0)
        cv: f64,
        /// shape k = 1/cv²
        shape: f64,
        /// scale θ = mean/k \[ns\]
        scale: f64,
    },
    /// Uniform on `[min, max]` \[ns\].
    Uniform {
        /// lower bound \[ns\]
        min: f64,
        /// upper bound \[ns\]
        max: f64,
    },
    /// Pareto (type I) with scale `x_m` \[ns\] and shape `alpha`.
    Pareto {
        /// scale x_m, the minimum value \[ns\]
        scale: f64,
        /// shape α (> 0; the mean is finite only for α > 1)
        alpha: f64,
    },
    /// Uniform choice among the given samples \[ns\] (a non-empty list).
    Empirical(Vec<f64>),
}

impl Default for Dist {
    fn default() -> Self {
        Dist::Const(0.0)
    }
}

impl Dist {
    /// Log-normal from mean \[ns\] and coefficient of variation.
    pub fn lognormal(mean: f64, cv: f64) -> Dist {
        let sigma2 = (1.0 + cv * cv).ln();
        Dist::LogNormal {
            mean,
            cv,
            mu: mean.ln() - sigma2 / 2.0,
            sigma: sigma2.sqrt(),
        }
    }

    /// Gamma from mean \[ns\] and coefficient of variation.
    pub fn gamma(mean: f64, cv: f64) -> Dist {
        let shape = 1.0 / (cv * cv);
        if !shape.is_finite() {
            // cv so small that cv² underflows: no variability left.
            return Dist::Const(mean);
        }
        Dist::Gamma {
            mean,
            cv,
            shape,
            scale: mean / shape,
        }
    }

    /// The mean \[ns\] (infinite for a Pareto with α ≤ 1).
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Const(v) => *v,
            Dist::Exp { mean } | Dist::LogNormal { mean, .. } | Dist::Gamma { mean, .. } => *mean,
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Pareto { scale, alpha } => {
                if *alpha > 1.0 {
                    alpha * scale / (alpha - 1.0)
                } else {
                    f64::INFINITY
                }
            }
            Dist::Empirical(s) => s.iter().sum::<f64>() / s.len() as f64,
        }
    }

    /// The second moment E\[X²\] \[ns²\] (infinite for a Pareto with α ≤ 2).
    pub fn second_moment(&self) -> f64 {
        let m = self.mean();
        match self {
            Dist::Const(v) => v * v,
            Dist::Exp { mean } => 2.0 * mean * mean,
            Dist::LogNormal { cv, .. } | Dist::Gamma { cv, .. } => m * m * (1.0 + cv * cv),
            Dist::Uniform { min, max } => (min * min + min * max + max * max) / 3.0,
            Dist::Pareto { scale, alpha } => {
                if *alpha > 2.0 {
                    alpha * scale * scale / (alpha - 2.0)
                } else {
                    f64::INFINITY
                }
            }
            Dist::Empirical(s) => s.iter().map(|x| x * x).sum::<f64>() / s.len() as f64,
        }
    }

    /// Squared coefficient of variation Var\[X\]/E\[X\]² (0 for a zero-mean constant).
    pub fn scv(&self) -> f64 {
        let m = self.mean();
        if m == 0.0 {
            return 0.0;
        }
        (self.second_moment() / (m * m) - 1.0).max(0.0)
    }

    /// Whether every draw is zero.
    pub fn is_zero(&self) -> bool {
        matches!(self, Dist::Const(v) if *v == 0.0)
    }

    /// The same distribution with every value multiplied by `factor` (≥ 0).
    pub fn scaled(&self, factor: f64) -> Dist {
        match self {
            Dist::Const(v) => Dist::Const(v * factor),
            Dist::Exp { mean } => Dist::Exp {
                mean: mean * factor,
            },
            Dist::LogNormal { mean, cv, .. } => Dist::lognormal(mean * factor, *cv),
            Dist::Gamma { mean, cv, .. } => Dist::gamma(mean * factor, *cv),
            Dist::Uniform { min, max } => Dist::Uniform {
                min: min * factor,
                max: max * factor,
            },
            Dist::Pareto { scale, alpha } => Dist::Pareto {
                scale: scale * factor,
                alpha: *alpha,
            },
            Dist::Empirical(s) => Dist::Empirical(s.iter().map(|x| x * factor).collect()),
        }
    }

    /// One draw \[ns\], as a float.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Const(v) => *v,
            Dist::Exp { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Dist::LogNormal { mu, sigma, .. } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
            Dist::Gamma {
                mean, shape, scale, ..
            } => match Gamma::new(*shape, *scale) {
                Ok(g) => g.sample(rng),
                Err(_) => *mean,
            },
            Dist::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Dist::Pareto { scale, alpha } => {
                // Inverse transform; 1 - U is in (0, 1].
                let u: f64 = 1.0 - rng.random::<f64>();
                scale * u.powf(-1.0 / alpha)
            }
            Dist::Empirical(s) => s[rng.random_range(0..s.len())],
        }
    }

    /// One draw rounded to whole nanoseconds.
    #[inline]
    pub fn sample_ns<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        let x = self.sample(rng);
        if x <= 0.0 {
            0
        } else if x >= u64::MAX as f64 {
            u64::MAX / 4
        } else {
            // Round half up; inline (`f64::round` is a libm call on baseline x86-64).
            (x + 0.5) as u64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::Rng64;
    use rand::SeedableRng;

    #[test]
    fn a_gamma_whose_cv_squared_underflows_is_its_mean() {
        // cv = 1e-160 is valid (0 < cv ≤ 100) but cv² is 0 in f64: shape infinite, scale 0.
        let d = Dist::gamma(1e6, 1e-160);
        assert_eq!(d, Dist::Const(1e6));
        let mut rng = Rng64::seed_from_u64(1);
        assert_eq!(d.sample(&mut rng), 1e6);
        // A small cv that does not underflow stays a gamma, close to its mean.
        let g = Dist::gamma(1e6, 1e-3);
        assert!(matches!(g, Dist::Gamma { .. }));
        let x = g.sample(&mut rng);
        assert!((x - 1e6).abs() < 1e4, "{x}");
    }
}
