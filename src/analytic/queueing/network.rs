//! Networks of stations: open Jackson networks (traffic equations, then product form) and exact
//! mean value analysis of closed networks.

use super::station::mmc;
use super::{check_mu, QueueError, Result};

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
    use super::super::station::mm1;
    use super::super::test_support::assert_close;
    use super::*;

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
