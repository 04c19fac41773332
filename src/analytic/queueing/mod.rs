//! Exact closed-form queueing results (and one labelled approximation), used for instant
//! estimates and as test oracles for the simulator.
//!
//! Conventions for every function here:
//! - time is in **seconds**, rates are **per second**, queue lengths are mean numbers of jobs;
//! - `lambda` is the arrival rate \[1/s\], `mu` the service rate of one server \[1/s\];
//! - invalid or unstable inputs (λ ≤ 0, μ ≤ 0, c = 0, ρ ≥ 1, non-finite values) return a
//!   [`QueueError`], never `NaN`, an infinity or a panic.
//!
//! Notation: ρ = λ/(cμ) is the utilization of one server, `a` = λ/μ the offered load in
//! Erlangs, L the mean number in system, Lq the mean number waiting, W the mean response time
//! (sojourn), Wq the mean waiting time before service; Little's law L = λW and Lq = λWq holds
//! for every result.
//!
//! The single-station formulas live in `station.rs`, the networks (Jackson, MVA) in
//! `network.rs`; everything is used through this module.

mod network;
mod station;

pub use network::{jackson, mva, JacksonNode, JacksonResult, MvaResult};
pub use station::{erlang_b, erlang_c, md1, mg1, mg1_ps, mgc_approx, mginf, mm1, mmc, mmck};

use thiserror::Error;

/// Why a closed-form result could not be computed.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum QueueError {
    /// The arrival rate is zero, negative or not finite. Give a rate > 0 \[1/s\].
    #[error("arrival rate must be a positive finite number of jobs per second, got {0}")]
    NonPositiveArrival(f64),
    /// The service rate \[1/s\] or mean service time \[s\] is zero, negative or not finite. Give a
    /// positive finite value.
    #[error("service rate or mean service time must be positive and finite, got {0}")]
    NonPositiveService(f64),
    /// A multi-server formula was given zero servers. Use at least one server.
    #[error("at least one server is required")]
    NoServers,
    /// The queue is unstable: the utilization ρ ≥ 1, so it grows without bound. Lower the
    /// arrival rate or add capacity.
    #[error("unstable queue: utilization {rho:.4} ≥ 1, the queue grows without bound")]
    Unstable {
        /// utilization ρ = λ/(cμ) (dimensionless)
        rho: f64,
    },
    /// A node of a network is unstable (ρ ≥ 1). Lower the load on that node or add servers.
    #[error("node {node} is unstable: utilization {rho:.4} ≥ 1")]
    NodeUnstable {
        /// index of the node
        node: usize,
        /// its utilization ρ (dimensionless)
        rho: f64,
    },
    /// The system capacity K of an M/M/c/K queue is smaller than the number of servers c.
    /// K counts jobs in service plus jobs waiting, so K ≥ c.
    #[error("system capacity K = {k} is smaller than the number of servers c = {c}")]
    CapacityBelowServers {
        /// servers
        c: u32,
        /// system capacity (in service + waiting)
        k: u32,
    },
    /// A parameter is out of its domain (negative, not finite, inconsistent). The message names
    /// it; fix that input.
    #[error("invalid parameter `{name}`: {value}")]
    InvalidParameter {
        /// which parameter
        name: &'static str,
        /// the offending value
        value: f64,
    },
    /// Vectors and matrices of a network do not have matching sizes. Give one entry per node
    /// and an n × n routing matrix.
    #[error("dimension mismatch: {what} has length {got}, expected {expected}")]
    Dimension {
        /// which input
        what: &'static str,
        /// its length
        got: usize,
        /// the number of nodes
        expected: usize,
    },
    /// The traffic equations have no unique solution: some jobs never leave the network (a
    /// routing cycle with probability 1). Make every job able to exit.
    #[error("the traffic equations are singular: some jobs never leave the network")]
    Singular,
}

/// Shorthand for results of this module.
pub type Result<T> = std::result::Result<T, QueueError>;

/// Mean-value metrics of a queue with unlimited waiting room.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct QueueMetrics {
    /// Arrival rate = throughput λ \[1/s\].
    pub lambda: f64,
    /// Utilization of one server ρ = λE\[S\]/c (dimensionless, < 1). For the infinite-server
    /// queue it is 0 (no server is ever saturated); see [`QueueMetrics::offered_load`].
    pub rho: f64,
    /// Offered load a = λE\[S\], the mean number of busy servers \[Erlang\].
    pub offered_load: f64,
    /// Probability that an arriving job has to wait (Erlang C for M/M/c; ρ for one server; for
    /// processor sharing the probability of finding the server busy; 0 for M/G/∞).
    pub p_wait: f64,
    /// Mean number in system L (waiting + in service) \[jobs\].
    pub l: f64,
    /// Mean number waiting Lq \[jobs\] (for processor sharing: L − ρ, the jobs beyond one
    /// server's worth).
    pub lq: f64,
    /// Mean response time W (waiting + service) \[s\].
    pub w: f64,
    /// Mean waiting time Wq = W − E\[S\] \[s\].
    pub wq: f64,
}

/// Mean-value metrics of a finite-capacity queue (M/M/c/K).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct FiniteQueueMetrics {
    /// Offered arrival rate λ \[1/s\].
    pub lambda: f64,
    /// Probability that an arrival finds the system full and is lost, P_K (dimensionless).
    pub p_block: f64,
    /// Effective throughput λ(1 − P_K) \[1/s\].
    pub throughput: f64,
    /// Carried utilization of one server, throughput/(cμ) (dimensionless, ≤ 1).
    pub rho: f64,
    /// Mean number in system L \[jobs\].
    pub l: f64,
    /// Mean number waiting Lq \[jobs\].
    pub lq: f64,
    /// Mean response time of accepted jobs W = L/throughput \[s\].
    pub w: f64,
    /// Mean waiting time of accepted jobs Wq = Lq/throughput \[s\].
    pub wq: f64,
}

fn check_lambda(lambda: f64) -> Result<()> {
    if lambda.is_finite() && lambda > 0.0 {
        Ok(())
    } else {
        Err(QueueError::NonPositiveArrival(lambda))
    }
}

fn check_mu(mu: f64) -> Result<()> {
    if mu.is_finite() && mu > 0.0 {
        Ok(())
    } else {
        Err(QueueError::NonPositiveService(mu))
    }
}

fn check_mean_service(mean_s: f64) -> Result<()> {
    if mean_s.is_finite() && mean_s > 0.0 {
        Ok(())
    } else {
        Err(QueueError::NonPositiveService(mean_s))
    }
}

/// Helpers shared by the tests of the formulas.
#[cfg(test)]
mod test_support {
    use super::QueueMetrics;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    /// Asserts `a` ≈ `b` within the relative tolerance `tol` (absolute below 1).
    #[track_caller]
    pub(super) fn assert_close(a: f64, b: f64, tol: f64) {
        assert!(close(a, b, tol), "{a} != {b} (tol {tol})");
    }

    /// Asserts Little's law L = λW and Lq = λWq.
    pub(super) fn little(m: &QueueMetrics) {
        assert_close(m.l, m.lambda * m.w, 1e-12);
        assert_close(m.lq, m.lambda * m.wq, 1e-12);
    }
}
