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

/// M/M/1: Poisson arrivals at `lambda` \[1/s\], one exponential server at rate `mu` \[1/s\].
///
/// W = 1/(μ − λ), L = ρ/(1 − ρ), Wq = ρ/(μ − λ), Lq = ρ²/(1 − ρ).
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`],
/// [`QueueError::Unstable`] when ρ = λ/μ ≥ 1.
///
/// # Complexity
/// O(1).
pub fn mm1(lambda: f64, mu: f64) -> Result<QueueMetrics> {
    mmc(lambda, mu, 1)
}

/// Erlang B blocking probability B(c, a) for `c` servers and offered load `a` \[Erlang\], by the
/// stable recursion B(0) = 1, B(k) = a·B(k−1)/(k + a·B(k−1)) (no factorials, no overflow).
///
/// Returns 1 for `a` = ∞ and 0 for `a` = 0; `a` must not be negative or NaN (then NaN is
/// avoided by returning 1).
///
/// # Complexity
/// O(c).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    if a.is_nan() || a < 0.0 || a.is_infinite() {
        return 1.0;
    }
    let mut b = 1.0;
    for k in 1..=c {
        let ab = a * b;
        b = ab / (f64::from(k) + ab);
    }
    b
}

/// Erlang C probability of waiting C(c, a) = c·B/(c − a(1 − B)) for `c` servers and offered load
/// `a` = λ/μ \[Erlang\], computed from the Erlang B recursion ([`erlang_b`]).
///
/// # Errors
/// [`QueueError::NoServers`] for c = 0, [`QueueError::InvalidParameter`] for a negative or
/// non-finite load, [`QueueError::Unstable`] when a ≥ c.
///
/// # Complexity
/// O(c).
pub fn erlang_c(c: u32, a: f64) -> Result<f64> {
    if c == 0 {
        return Err(QueueError::NoServers);
    }
    if !a.is_finite() || a < 0.0 {
        return Err(QueueError::InvalidParameter {
            name: "offered load",
            value: a,
        });
    }
    let cf = f64::from(c);
    if a >= cf {
        return Err(QueueError::Unstable { rho: a / cf });
    }
    let b = erlang_b(c, a);
    Ok((cf * b / (cf - a * (1.0 - b))).clamp(0.0, 1.0))
}

/// M/M/c: Poisson arrivals at `lambda` \[1/s\], `c` identical exponential servers at rate `mu`
/// \[1/s\] each, FCFS, unlimited waiting room.
///
/// P(wait) = Erlang C(c, a) with a = λ/μ; Lq = C·ρ/(1 − ρ); Wq = C/(cμ − λ); W = Wq + 1/μ;
/// L = λW.
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`],
/// [`QueueError::NoServers`], [`QueueError::Unstable`] when ρ = λ/(cμ) ≥ 1.
///
/// # Complexity
/// O(c) (Erlang B recursion).
pub fn mmc(lambda: f64, mu: f64, c: u32) -> Result<QueueMetrics> {
    check_lambda(lambda)?;
    check_mu(mu)?;
    if c == 0 {
        return Err(QueueError::NoServers);
    }
    let a = lambda / mu;
    let cf = f64::from(c);
    let rho = a / cf;
    if !rho.is_finite() || rho >= 1.0 {
        return Err(QueueError::Unstable { rho });
    }
    let p_wait = erlang_c(c, a)?;
    let wq = p_wait / (cf * mu - lambda);
    let w = wq + 1.0 / mu;
    Ok(QueueMetrics {
        lambda,
        rho,
        offered_load: a,
        p_wait,
        l: lambda * w,
        lq: lambda * wq,
        w,
        wq,
    })
}

/// M/M/c/K: Poisson arrivals at `lambda` \[1/s\], `c` exponential servers at rate `mu` \[1/s\],
/// room for `k` jobs in total (c in service + K − c waiting); arrivals finding K jobs are lost.
///
/// Birth–death stationary distribution p_n ∝ Π_{i=1..n} λ/(min(i, c)μ), n = 0..K, computed in
/// the log domain and normalized (no factorials, no overflow, any ρ including ρ ≥ 1).
/// P_K = p_K, throughput λ(1 − P_K), L = Σ n p_n, Lq = Σ (n − c)⁺ p_n, W = L/throughput,
/// Wq = Lq/throughput.
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`],
/// [`QueueError::NoServers`], [`QueueError::CapacityBelowServers`] when K < c.
///
/// # Complexity
/// O(K) time and memory.
pub fn mmck(lambda: f64, mu: f64, c: u32, k: u32) -> Result<FiniteQueueMetrics> {
    check_lambda(lambda)?;
    check_mu(mu)?;
    if c == 0 {
        return Err(QueueError::NoServers);
    }
    if k < c {
        return Err(QueueError::CapacityBelowServers { c, k });
    }
    let mut logw = Vec::with_capacity(k as usize + 1);
    logw.push(0.0_f64);
    let mut acc = 0.0_f64;
    for n in 1..=k {
        acc += (lambda / (f64::from(n.min(c)) * mu)).ln();
        logw.push(acc);
    }
    let max = logw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = logw.iter().map(|lw| (lw - max).exp()).collect();
    let total: f64 = weights.iter().sum();
    let (mut l, mut lq) = (0.0, 0.0);
    for (n, wgt) in weights.iter().enumerate() {
        let p = wgt / total;
        l += n as f64 * p;
        lq += n.saturating_sub(c as usize) as f64 * p;
    }
    let p_block = weights[k as usize] / total;
    let throughput = lambda * (1.0 - p_block);
    if throughput <= 0.0 {
        // Only reachable when p_block rounds to 1 (astronomical overload).
        return Err(QueueError::Unstable {
            rho: lambda / (f64::from(c) * mu),
        });
    }
    Ok(FiniteQueueMetrics {
        lambda,
        p_block,
        throughput,
        rho: throughput / (f64::from(c) * mu),
        l,
        lq,
        w: l / throughput,
        wq: lq / throughput,
    })
}

/// M/G/1 FCFS by the Pollaczek–Khinchine formula: Poisson arrivals at `lambda` \[1/s\], one
/// server with service time S of mean `mean_s` \[s\] and second moment `second_moment_s2` = E\[S²\]
/// \[s²\].
///
/// ρ = λE\[S\]; Wq = λE\[S²\]/(2(1 − ρ)); W = Wq + E\[S\]; L = λW; Lq = λWq.
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`] (mean ≤ 0),
/// [`QueueError::InvalidParameter`] when E\[S²\] < E\[S\]² or is not finite (heavy tails with
/// infinite variance have no finite mean wait), [`QueueError::Unstable`] when ρ ≥ 1.
///
/// # Complexity
/// O(1).
pub fn mg1(lambda: f64, mean_s: f64, second_moment_s2: f64) -> Result<QueueMetrics> {
    check_lambda(lambda)?;
    check_mean_service(mean_s)?;
    if !second_moment_s2.is_finite() || second_moment_s2 < mean_s * mean_s * (1.0 - 1e-9) {
        return Err(QueueError::InvalidParameter {
            name: "second moment E[S²]",
            value: second_moment_s2,
        });
    }
    let rho = lambda * mean_s;
    if rho >= 1.0 {
        return Err(QueueError::Unstable { rho });
    }
    let wq = lambda * second_moment_s2 / (2.0 * (1.0 - rho));
    let w = wq + mean_s;
    Ok(QueueMetrics {
        lambda,
        rho,
        offered_load: rho,
        p_wait: rho,
        l: lambda * w,
        lq: lambda * wq,
        w,
        wq,
    })
}

/// M/D/1: [`mg1`] with a constant service time `service_s` \[s\] (E\[S²\] = E\[S\]²), so
/// Wq = ρ/(2μ(1 − ρ)), half the M/M/1 wait.
///
/// # Errors
/// As [`mg1`].
///
/// # Complexity
/// O(1).
pub fn md1(lambda: f64, service_s: f64) -> Result<QueueMetrics> {
    mg1(lambda, service_s, service_s * service_s)
}

/// M/G/1 processor sharing: Poisson arrivals at `lambda` \[1/s\], one server shared equally by
/// all jobs present, mean service requirement `mean_s` \[s\]. Insensitive to the service
/// distribution beyond its mean.
///
/// ρ = λE\[S\]; W = E\[S\]/(1 − ρ); L = ρ/(1 − ρ); Wq = W − E\[S\] (the slowdown beyond the job's own
/// work); Lq = L − ρ; `p_wait` is ρ, the probability of finding the server busy.
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`],
/// [`QueueError::Unstable`] when ρ ≥ 1.
///
/// # Complexity
/// O(1).
pub fn mg1_ps(lambda: f64, mean_s: f64) -> Result<QueueMetrics> {
    check_lambda(lambda)?;
    check_mean_service(mean_s)?;
    let rho = lambda * mean_s;
    if rho >= 1.0 {
        return Err(QueueError::Unstable { rho });
    }
    let w = mean_s / (1.0 - rho);
    let l = rho / (1.0 - rho);
    Ok(QueueMetrics {
        lambda,
        rho,
        offered_load: rho,
        p_wait: rho,
        l,
        lq: l - rho,
        w,
        wq: w - mean_s,
    })
}

/// M/G/c **approximation** (Allen–Cunneen with Poisson arrivals): Wq ≈ Wq(M/M/c)·(1 + cs²)/2,
/// where cs² = `scv_s` is the squared coefficient of variation of the service time of mean
/// `mean_s` \[s\], on `c` servers. Exact for c = 1 (it reduces to Pollaczek–Khinchine) and for
/// exponential service (cs² = 1); within a few percent for moderate cs² otherwise. Use for
/// estimates only, never as a test oracle for c > 1.
///
/// P(wait) is the M/M/c Erlang C value (not adjusted).
///
/// # Errors
/// As [`mmc`], plus [`QueueError::InvalidParameter`] for a negative or non-finite `scv_s`.
///
/// # Complexity
/// O(c).
pub fn mgc_approx(lambda: f64, mean_s: f64, scv_s: f64, c: u32) -> Result<QueueMetrics> {
    check_mean_service(mean_s)?;
    if !scv_s.is_finite() || scv_s < 0.0 {
        return Err(QueueError::InvalidParameter {
            name: "squared coefficient of variation",
            value: scv_s,
        });
    }
    let m = mmc(lambda, 1.0 / mean_s, c)?;
    let wq = m.wq * (1.0 + scv_s) / 2.0;
    let w = wq + mean_s;
    Ok(QueueMetrics {
        wq,
        w,
        lq: lambda * wq,
        l: lambda * w,
        ..m
    })
}

/// M/G/∞: Poisson arrivals at `lambda` \[1/s\], a server for every job, mean service `mean_s`
/// \[s\]. No waiting: W = E\[S\], Wq = 0, L = a = λE\[S\] (the number in system is Poisson(a)).
/// `rho` is reported as 0; the mean number of busy servers is `offered_load`.
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`].
///
/// # Complexity
/// O(1).
pub fn mginf(lambda: f64, mean_s: f64) -> Result<QueueMetrics> {
    check_lambda(lambda)?;
    check_mean_service(mean_s)?;
    let a = lambda * mean_s;
    Ok(QueueMetrics {
        lambda,
        rho: 0.0,
        offered_load: a,
        p_wait: 0.0,
        l: a,
        lq: 0.0,
        w: mean_s,
        wq: 0.0,
    })
}

/// Per-node result of an open Jackson network.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct JacksonNode {
    /// Total arrival rate at the node λ_i (external + routed) \[1/s\].
    pub lambda: f64,
    /// Utilization of one server ρ_i = λ_i/(c_i μ_i) (dimensionless).
    pub rho: f64,
    /// Mean number at the node L_i \[jobs\].
    pub l: f64,
    /// Mean response time of one visit W_i \[s\] (1/μ_i for a node no job reaches).
    pub w: f64,
}

/// Result of an open Jackson network.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JacksonResult {
    /// Per node, in input order.
    pub nodes: Vec<JacksonNode>,
    /// Network throughput Σγ_i \[1/s\].
    pub throughput: f64,
    /// Mean number of jobs in the network ΣL_i \[jobs\].
    pub mean_in_system: f64,
    /// Mean network response time T = ΣL_i / Σγ_i \[s\] (Little's law over the network).
    pub mean_response: f64,
}

/// Open Jackson network: node `i` receives external Poisson arrivals at `external[i]` \[1/s\],
/// has `servers[i]` exponential servers at rate `mu[i]` \[1/s\] each, and routes a finished job to
/// node `j` with probability `routing[i][j]` (the job leaves with probability
/// 1 − Σ_j routing\[i\]\[j\]).
///
/// Solves the traffic equations λ = γ + Pᵀλ, i.e. (I − Pᵀ)λ = γ, by Gaussian elimination with
/// partial pivoting, then treats every node as an independent M/M/c queue (product form).
///
/// # Errors
/// [`QueueError::Dimension`] for mismatched sizes, [`QueueError::InvalidParameter`] for negative
/// rates or probabilities or a row summing above 1, [`QueueError::NonPositiveArrival`] when no
/// external arrivals at all, [`QueueError::NonPositiveService`], [`QueueError::NoServers`],
/// [`QueueError::Singular`] when jobs can never leave, [`QueueError::NodeUnstable`] when some
/// ρ_i ≥ 1.
///
/// # Complexity
/// O(n³) for n nodes (elimination) plus O(Σ c_i) for the Erlang C terms.
pub fn jackson(
    external: &[f64],
    routing: &[Vec<f64>],
    mu: &[f64],
    servers: &[u32],
) -> Result<JacksonResult> {
    let n = external.len();
    for (what, got) in [
        ("routing", routing.len()),
        ("mu", mu.len()),
        ("servers", servers.len()),
    ] {
        if got != n {
            return Err(QueueError::Dimension {
                what,
                got,
                expected: n,
            });
        }
    }
    for row in routing {
        if row.len() != n {
            return Err(QueueError::Dimension {
                what: "routing row",
                got: row.len(),
                expected: n,
            });
        }
        let mut sum = 0.0;
        for &p in row {
            if !p.is_finite() || !(0.0..=1.0).contains(&p) {
                return Err(QueueError::InvalidParameter {
                    name: "routing probability",
                    value: p,
                });
            }
            sum += p;
        }
        if sum > 1.0 + 1e-9 {
            return Err(QueueError::InvalidParameter {
                name: "routing row sum",
                value: sum,
            });
        }
    }
    for &g in external {
        if !g.is_finite() || g < 0.0 {
            return Err(QueueError::InvalidParameter {
                name: "external arrival rate",
                value: g,
            });
        }
    }
    let gamma_total: f64 = external.iter().sum();
    if gamma_total <= 0.0 {
        return Err(QueueError::NonPositiveArrival(gamma_total));
    }
    for &m in mu {
        check_mu(m)?;
    }
    if servers.contains(&0) {
        return Err(QueueError::NoServers);
    }

    // A = I − Pᵀ, b = γ.
    let mut a: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| f64::from(u8::from(i == j)) - routing[j][i])
                .collect()
        })
        .collect();
    let lambdas = solve_linear(&mut a, external.to_vec())?;

    let mut nodes = Vec::with_capacity(n);
    for (i, &lam) in lambdas.iter().enumerate() {
        // Round-off can leave tiny negatives on nodes no job reaches.
        let lam = if lam.abs() <= 1e-12 * gamma_total {
            0.0
        } else {
            lam
        };
        if lam < 0.0 {
            return Err(QueueError::Singular);
        }
        let node = if lam == 0.0 {
            JacksonNode {
                lambda: 0.0,
                rho: 0.0,
                l: 0.0,
                w: 1.0 / mu[i],
            }
        } else {
            let m = mmc(lam, mu[i], servers[i]).map_err(|e| match e {
                QueueError::Unstable { rho } => QueueError::NodeUnstable { node: i, rho },
                other => other,
            })?;
            JacksonNode {
                lambda: lam,
                rho: m.rho,
                l: m.l,
                w: m.w,
            }
        };
        nodes.push(node);
    }
    let mean_in_system: f64 = nodes.iter().map(|nd| nd.l).sum();
    Ok(JacksonResult {
        nodes,
        throughput: gamma_total,
        mean_in_system,
        mean_response: mean_in_system / gamma_total,
    })
}

/// Solves `a x = b` in place by Gaussian elimination with partial pivoting.
///
/// # Complexity
/// O(n³).
fn solve_linear(a: &mut [Vec<f64>], mut b: Vec<f64>) -> Result<Vec<f64>> {
    let n = b.len();
    let scale = a
        .iter()
        .flat_map(|r| r.iter())
        .fold(0.0_f64, |m, v| m.max(v.abs()))
        .max(1.0);
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        if a[pivot][col].abs() <= 1e-12 * scale {
            return Err(QueueError::Singular);
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (top, bottom) = a.split_at_mut(col + 1);
        let prow = &top[col];
        for (off, row) in bottom.iter_mut().enumerate() {
            let f = row[col] / prow[col];
            if f != 0.0 {
                for (x, p) in row[col..].iter_mut().zip(&prow[col..]) {
                    *x -= f * p;
                }
                b[col + 1 + off] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    if x.iter().all(|v| v.is_finite()) {
        Ok(x)
    } else {
        Err(QueueError::Singular)
    }
}

/// Result of exact mean value analysis of a closed network.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MvaResult {
    /// System throughput X(N) \[jobs/s\] (cycles through the think stage per second).
    pub throughput: f64,
    /// Mean response time R(N) = Σ_k R_k, time spent at the queueing stations per cycle,
    /// excluding think time \[s\].
    pub response: f64,
    /// Mean queue length (waiting + in service) at each station Q_k(N) \[jobs\].
    pub queue_lengths: Vec<f64>,
    /// Residence time per cycle at each station R_k(N) = D_k(1 + Q_k(N − 1)) \[s\].
    pub residence_times: Vec<f64>,
    /// Utilization of each station U_k = X·D_k (dimensionless).
    pub utilizations: Vec<f64>,
}

/// Exact single-class MVA for a closed product-form network: `n_customers` jobs cycle between
/// a delay (think) stage of mean `think_time_s` \[s\] and single-server FCFS/PS queueing stations
/// with service demands `demands_s` \[s per cycle\] (visits × service time).
///
/// Recursion for n = 1..N: R_k = D_k(1 + Q_k(n − 1)), X = n/(Z + ΣR_k), Q_k = X·R_k.
/// For N = 0 the throughput and queue lengths are 0 and the response is ΣD_k.
///
/// # Errors
/// [`QueueError::InvalidParameter`] for a negative or non-finite demand or think time, or when
/// all demands and the think time are zero (the throughput would be infinite).
///
/// # Complexity
/// O(N·K) time, O(K) memory for K stations.
pub fn mva(n_customers: u32, demands_s: &[f64], think_time_s: f64) -> Result<MvaResult> {
    for &d in demands_s {
        if !d.is_finite() || d < 0.0 {
            return Err(QueueError::InvalidParameter {
                name: "service demand",
                value: d,
            });
        }
    }
    if !think_time_s.is_finite() || think_time_s < 0.0 {
        return Err(QueueError::InvalidParameter {
            name: "think time",
            value: think_time_s,
        });
    }
    let total: f64 = demands_s.iter().sum::<f64>() + think_time_s;
    if total <= 0.0 {
        return Err(QueueError::InvalidParameter {
            name: "total demand + think time",
            value: total,
        });
    }
    let k = demands_s.len();
    let mut q = vec![0.0; k];
    let mut r = demands_s.to_vec();
    let mut x = 0.0;
    for n in 1..=n_customers {
        for i in 0..k {
            r[i] = demands_s[i] * (1.0 + q[i]);
        }
        let resp: f64 = r.iter().sum();
        x = f64::from(n) / (think_time_s + resp);
        for i in 0..k {
            q[i] = x * r[i];
        }
    }
    Ok(MvaResult {
        throughput: x,
        response: r.iter().sum(),
        utilizations: demands_s.iter().map(|d| x * d).collect(),
        queue_lengths: q,
        residence_times: r,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[track_caller]
    fn assert_close(a: f64, b: f64, tol: f64) {
        assert!(close(a, b, tol), "{a} != {b} (tol {tol})");
    }

    fn little(m: &QueueMetrics) {
        assert_close(m.l, m.lambda * m.w, 1e-12);
        assert_close(m.lq, m.lambda * m.wq, 1e-12);
    }

    #[test]
    fn mm1_textbook() {
        // λ = 0.9, μ = 1: ρ = 0.9, W = 1/(μ − λ) = 10, L = 9, Wq = 9, Lq = 8.1.
        let m = mm1(0.9, 1.0).unwrap();
        assert_close(m.rho, 0.9, 1e-12);
        assert_close(m.w, 10.0, 1e-12);
        assert_close(m.l, 9.0, 1e-12);
        assert_close(m.wq, 9.0, 1e-12);
        assert_close(m.lq, 8.1, 1e-12);
        assert_close(m.p_wait, 0.9, 1e-12);
        little(&m);
    }

    #[test]
    fn mmc_m_m_3_by_hand() {
        // λ = 2.4, μ = 1, c = 3: a = 2.4, ρ = 0.8.
        // Erlang B recursion: B1 = 2.4/3.4 = 0.7058824;
        // B2 = 2.4·B1/(2 + 2.4·B1) = 1.6941176/3.6941176 = 0.4585987;
        // B3 = 2.4·B2/(3 + 2.4·B2) = 1.1006369/4.1006369 = 0.2684064.
        // C = 3·B3/(3 − 2.4(1 − B3)) = 0.8052192/1.2441754 = 0.6471910.
        // Wq = C/(cμ − λ) = 0.6471910/0.6 = 1.0786517; W = 2.0786517; Lq = 2.5887640.
        let m = mmc(2.4, 1.0, 3).unwrap();
        assert_close(m.rho, 0.8, 1e-12);
        assert_close(m.p_wait, 0.6471910, 1e-6);
        assert_close(m.wq, 1.0786517, 1e-6);
        assert_close(m.w, 2.0786517, 1e-6);
        assert_close(m.lq, 2.5887640, 1e-6);
        little(&m);
        // Same value from the factorial form of Erlang C (fine for tiny c).
        let a: f64 = 2.4;
        let c = 3.0;
        let fact = |k: u32| (1..=k).map(f64::from).product::<f64>();
        let sum: f64 = (0..3).map(|k| a.powi(k as i32) / fact(k)).sum();
        let top = a.powi(3) / fact(3) * c / (c - a);
        assert_close(m.p_wait, top / (sum + top), 1e-12);
    }

    #[test]
    fn mmc_one_server_is_mm1_and_large_c_is_stable() {
        let a = mmc(0.5, 1.0, 1).unwrap();
        let b = mm1(0.5, 1.0).unwrap();
        assert_eq!(a, b);
        // 1000 servers at ρ = 0.99: no overflow, finite, sane.
        let m = mmc(990.0, 1.0, 1000).unwrap();
        assert!(m.p_wait.is_finite() && m.p_wait > 0.0 && m.p_wait < 1.0);
        assert!(m.w > 1.0 && m.w < 2.0);
        little(&m);
    }

    #[test]
    fn unstable_and_invalid_inputs_are_errors() {
        assert!(matches!(mm1(1.0, 1.0), Err(QueueError::Unstable { .. })));
        assert!(matches!(mmc(3.0, 1.0, 3), Err(QueueError::Unstable { .. })));
        assert!(matches!(
            mm1(0.0, 1.0),
            Err(QueueError::NonPositiveArrival(_))
        ));
        assert!(matches!(
            mm1(-1.0, 1.0),
            Err(QueueError::NonPositiveArrival(_))
        ));
        assert!(matches!(
            mm1(f64::NAN, 1.0),
            Err(QueueError::NonPositiveArrival(_))
        ));
        assert!(matches!(
            mm1(0.5, 0.0),
            Err(QueueError::NonPositiveService(_))
        ));
        assert!(matches!(mmc(0.5, 1.0, 0), Err(QueueError::NoServers)));
        assert!(matches!(
            mg1(1.0, 1.0, 2.0),
            Err(QueueError::Unstable { .. })
        ));
        assert!(matches!(
            mg1(0.5, 1.0, f64::INFINITY),
            Err(QueueError::InvalidParameter { .. })
        ));
        assert!(matches!(
            mg1(0.5, 1.0, 0.5),
            Err(QueueError::InvalidParameter { .. })
        ));
        assert!(matches!(mg1_ps(2.0, 0.5), Err(QueueError::Unstable { .. })));
        assert!(matches!(
            mmck(1.0, 1.0, 2, 1),
            Err(QueueError::CapacityBelowServers { c: 2, k: 1 })
        ));
        assert!(matches!(mmck(1.0, 1.0, 0, 1), Err(QueueError::NoServers)));
        assert!(matches!(
            mginf(0.0, 1.0),
            Err(QueueError::NonPositiveArrival(_))
        ));
        assert!(matches!(
            mginf(1.0, 0.0),
            Err(QueueError::NonPositiveService(_))
        ));
        assert!(matches!(erlang_c(0, 1.0), Err(QueueError::NoServers)));
        assert!(erlang_c(2, 2.0).is_err());
        // Errors render a message.
        assert!(mm1(1.0, 1.0).unwrap_err().to_string().contains("≥ 1"));
    }

    #[test]
    fn erlang_b_known_value() {
        // B(2, 1) = (1/2)/(1 + 1 + 1/2) = 0.2.
        assert_close(erlang_b(2, 1.0), 0.2, 1e-12);
        assert_eq!(erlang_b(0, 5.0), 1.0);
        assert_eq!(erlang_b(3, 0.0), 0.0);
    }

    #[test]
    fn mm1k_matches_known_formula() {
        // M/M/1/K: P_K = (1 − ρ)ρ^K/(1 − ρ^{K+1}),
        // L = ρ/(1 − ρ) − (K + 1)ρ^{K+1}/(1 − ρ^{K+1}).
        for &(lambda, k) in &[(0.5, 5u32), (0.9, 10), (1.5, 4), (3.0, 20)] {
            let rho: f64 = lambda;
            let m = mmck(lambda, 1.0, 1, k).unwrap();
            let pk = (1.0 - rho) * rho.powi(k as i32) / (1.0 - rho.powi(k as i32 + 1));
            let l = rho / (1.0 - rho)
                - (k as f64 + 1.0) * rho.powi(k as i32 + 1) / (1.0 - rho.powi(k as i32 + 1));
            assert_close(m.p_block, pk, 1e-10);
            assert_close(m.l, l, 1e-10);
            assert_close(m.throughput, lambda * (1.0 - pk), 1e-10);
            assert_close(m.w, m.l / m.throughput, 1e-12);
            // With one server, Lq = L − (1 − p0) and p0 = (1 − ρ)/(1 − ρ^{K+1}).
            let p0 = (1.0 - rho) / (1.0 - rho.powi(k as i32 + 1));
            assert_close(m.lq, m.l - (1.0 - p0), 1e-10);
        }
        // ρ = 1 exactly: uniform distribution, P_K = 1/(K+1), L = K/2.
        let m = mmck(1.0, 1.0, 1, 4).unwrap();
        assert_close(m.p_block, 0.2, 1e-12);
        assert_close(m.l, 2.0, 1e-12);
    }

    #[test]
    fn mmck_erlang_loss_and_large_k_limit() {
        // K = c: the Erlang loss system, P_K = Erlang B.
        let m = mmck(2.4, 1.0, 3, 3).unwrap();
        assert_close(m.p_block, erlang_b(3, 2.4), 1e-12);
        assert_eq!(m.lq, 0.0);
        // Large K: converges to M/M/c.
        let f = mmck(2.4, 1.0, 3, 2000).unwrap();
        let inf = mmc(2.4, 1.0, 3).unwrap();
        assert!(f.p_block < 1e-12);
        assert_close(f.w, inf.w, 1e-9);
        assert_close(f.l, inf.l, 1e-9);
        // Heavy overload with a huge K does not overflow.
        let o = mmck(50.0, 1.0, 2, 100_000).unwrap();
        assert!(o.p_block.is_finite());
        assert_close(o.throughput, 2.0, 1e-9);
        assert_close(o.rho, 1.0, 1e-9);
    }

    #[test]
    fn md1_and_mg1() {
        // M/D/1: Wq = ρ/(2μ(1 − ρ)). λ = 0.5, S = 1: Wq = 0.5.
        let m = md1(0.5, 1.0).unwrap();
        assert_close(m.wq, 0.5 / (2.0 * 1.0 * 0.5), 1e-12);
        assert_close(m.w, 1.5, 1e-12);
        little(&m);
        // M/G/1 with exponential moments equals M/M/1.
        let g = mg1(0.9, 1.0, 2.0).unwrap();
        let e = mm1(0.9, 1.0).unwrap();
        assert_close(g.w, e.w, 1e-12);
        assert_close(g.l, e.l, 1e-12);
    }

    #[test]
    fn processor_sharing_and_infinite_server() {
        let ps = mg1_ps(0.9, 1.0).unwrap();
        assert_close(ps.w, 10.0, 1e-12);
        assert_close(ps.l, 9.0, 1e-12);
        little(&ps);
        let inf = mginf(5.0, 0.2).unwrap();
        assert_close(inf.w, 0.2, 1e-12);
        assert_close(inf.l, 1.0, 1e-12);
        assert_eq!(inf.rho, 0.0);
        assert_eq!(inf.wq, 0.0);
    }

    #[test]
    fn allen_cunneen_reduces_to_exact_cases() {
        // c = 1: Pollaczek–Khinchine.
        let a = mgc_approx(0.7, 1.0, 0.0, 1).unwrap();
        let d = md1(0.7, 1.0).unwrap();
        assert_close(a.wq, d.wq, 1e-12);
        // cs² = 1: M/M/c.
        let b = mgc_approx(2.4, 1.0, 1.0, 3).unwrap();
        let m = mmc(2.4, 1.0, 3).unwrap();
        assert_close(b.w, m.w, 1e-12);
        little(&b);
        assert!(mgc_approx(1.0, 1.0, -1.0, 2).is_err());
    }

    #[test]
    fn jackson_tandem_is_sum_of_mm1() {
        // 0 → 1 → 2 → out, γ = (0.5, 0, 0), μ = (1, 2, 0.8).
        let p = vec![
            vec![0.0, 1.0, 0.0],
            vec![0.0, 0.0, 1.0],
            vec![0.0, 0.0, 0.0],
        ];
        let r = jackson(&[0.5, 0.0, 0.0], &p, &[1.0, 2.0, 0.8], &[1, 1, 1]).unwrap();
        let expected: f64 = [1.0, 2.0, 0.8]
            .iter()
            .map(|&mu| mm1(0.5, mu).unwrap().w)
            .sum();
        for nd in &r.nodes {
            assert_close(nd.lambda, 0.5, 1e-12);
        }
        assert_close(r.mean_response, expected, 1e-12);
        assert_close(r.throughput, 0.5, 1e-12);
    }

    #[test]
    fn jackson_feedback_and_errors() {
        // One node with feedback 0.5: λ = γ/(1 − 0.5) = 2γ.
        let r = jackson(&[0.2], &[vec![0.5]], &[1.0], &[1]).unwrap();
        assert_close(r.nodes[0].lambda, 0.4, 1e-12);
        // T = L/γ = (0.4/0.6)/0.2.
        assert_close(r.mean_response, (0.4 / 0.6) / 0.2, 1e-12);
        // Two nodes, probabilistic routing with a loop back, multi-server node.
        // λ0 = 1 + 0.2 λ1, λ1 = 0.6 λ0 ⇒ λ0 = 1/(1 − 0.12), λ1 = 0.6 λ0.
        let p = vec![vec![0.0, 0.6], vec![0.2, 0.0]];
        let r = jackson(&[1.0, 0.0], &p, &[2.0, 1.0], &[1, 2]).unwrap();
        let l0 = 1.0 / 0.88;
        assert_close(r.nodes[0].lambda, l0, 1e-12);
        assert_close(r.nodes[1].lambda, 0.6 * l0, 1e-12);
        assert_close(r.nodes[1].w, mmc(0.6 * l0, 1.0, 2).unwrap().w, 1e-12);
        // Unstable node.
        assert!(matches!(
            jackson(&[1.0], &[vec![0.0]], &[1.0], &[1]),
            Err(QueueError::NodeUnstable { node: 0, .. })
        ));
        // Jobs never leave.
        assert!(matches!(
            jackson(&[1.0], &[vec![1.0]], &[10.0], &[1]),
            Err(QueueError::Singular)
        ));
        assert!(matches!(
            jackson(&[1.0, 0.0], &[vec![0.0]], &[1.0, 1.0], &[1, 1]),
            Err(QueueError::Dimension { .. })
        ));
        assert!(jackson(&[0.0], &[vec![0.0]], &[1.0], &[1]).is_err());
        assert!(jackson(&[1.0], &[vec![0.7]], &[10.0], &[0]).is_err());
    }

    #[test]
    fn jackson_pivoting_handles_zero_diagonal_after_elimination() {
        // Node 0 sends everything to node 1, node 1 everything to node 2, node 2 half back to
        // node 0: λ0 = γ + 0.5 λ2, λ1 = λ0, λ2 = λ1 ⇒ λ = 2γ everywhere.
        let p = vec![
            vec![0.0, 1.0, 0.0],
            vec![0.0, 0.0, 1.0],
            vec![0.5, 0.0, 0.0],
        ];
        let r = jackson(&[0.1, 0.0, 0.0], &p, &[1.0, 1.0, 1.0], &[1, 1, 1]).unwrap();
        for nd in &r.nodes {
            assert_close(nd.lambda, 0.2, 1e-12);
        }
    }

    #[test]
    fn mva_limits() {
        let d = [0.05, 0.2, 0.1];
        // N = 1: no queueing, response = ΣD.
        let one = mva(1, &d, 1.0).unwrap();
        assert_close(one.response, 0.35, 1e-12);
        assert_close(one.throughput, 1.0 / 1.35, 1e-12);
        // Large N: throughput → 1/max D, bottleneck utilization → 1.
        let big = mva(500, &d, 1.0).unwrap();
        assert_close(big.throughput, 5.0, 1e-6);
        assert_close(big.utilizations[1], 1.0, 1e-6);
        // Little's law over the cycle: N = X (Z + R).
        assert_close(500.0, big.throughput * (1.0 + big.response), 1e-9);
        let total_q: f64 = big.queue_lengths.iter().sum();
        assert_close(total_q, big.throughput * big.response, 1e-9);
        // N = 2 by hand with one station D = 1, Z = 0: R(2) = 1·(1 + 1) = 2, X = 1.
        let two = mva(2, &[1.0], 0.0).unwrap();
        assert_close(two.response, 2.0, 1e-12);
        assert_close(two.throughput, 1.0, 1e-12);
        // N = 0 and errors.
        assert_eq!(mva(0, &d, 1.0).unwrap().throughput, 0.0);
        assert!(mva(3, &[-1.0], 0.0).is_err());
        assert!(mva(3, &[], 0.0).is_err());
        assert!(mva(3, &[1.0], f64::NAN).is_err());
    }
}
